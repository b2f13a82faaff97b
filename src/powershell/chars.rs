//! PowerShell's character classes, defined once: the dashes, quotes, white space and newlines its
//! tokenizer accepts (`CharExtensions` and `CharTraits` in PowerShell's source). The parser (the
//! builder, the scan for error messages, string values, error words) and the quoting of template
//! values (`crate::render::quote`) use these.
//!
//! `grammar/powershell.pest` cannot import Rust, so it writes the same classes as ranges (its
//! rules `dash`, `sq`, `dq`, `hws` with `uni_space`, and `NL`, also written out on hot paths). A
//! test below reads those rules from the grammar text and checks they hold exactly these
//! characters.

/// The dashes that start a parameter or an operator: `-`, en dash, em dash, horizontal bar.
pub const DASHES: [char; 4] = ['-', '\u{2013}', '\u{2014}', '\u{2015}'];

/// The single quotes: `'` and the Unicode quotes U+2018–U+201B (`CharTraits.IsSingleQuote`).
/// Inside a single-quoted string each must be doubled, or it ends the string.
pub const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

/// The double quotes: `"` and the Unicode quotes U+201C–U+201E (`CharTraits.IsDoubleQuote`).
pub const DOUBLE_QUOTES: [char; 4] = ['"', '\u{201C}', '\u{201D}', '\u{201E}'];

/// Horizontal white space (`CharExtensions.IsWhitespace`, which leaves out the newlines): space,
/// tab, vertical tab, form feed, no-break space, next line, and the Unicode separators (Zs, Zl,
/// Zp) above U+0100.
pub const BLANKS: [char; 23] = [
    ' ', '\t', '\u{0B}', '\u{0C}', '\u{A0}', '\u{85}', '\u{1680}', '\u{2000}', '\u{2001}',
    '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}', '\u{2009}',
    '\u{200A}', '\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}', '\u{3000}',
];

/// The characters that end a line: LF and CR (a line ends at LF, CRLF or a lone CR).
pub const NEWLINES: [char; 2] = ['\n', '\r'];

/// Whether `c` is one of PowerShell's [`DASHES`].
pub fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2013}' | '\u{2014}' | '\u{2015}')
}

/// Whether `c` is one of PowerShell's [`SINGLE_QUOTES`].
pub fn is_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// Whether `c` is one of PowerShell's [`DOUBLE_QUOTES`].
pub fn is_double_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}')
}

/// Whether `c` is horizontal white space ([`BLANKS`]).
pub fn is_blank(c: char) -> bool {
    BLANKS.contains(&c)
}

/// Whether `c` ends a line ([`NEWLINES`]).
pub fn is_newline(c: char) -> bool {
    matches!(c, '\n' | '\r')
}

/// Whether `c` is white space or a newline. These are exactly the characters of Rust's
/// [`char::is_whitespace`] (tested below), so `str::trim` and friends agree with PowerShell.
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    const GRAMMAR: &str = include_str!("../../grammar/powershell.pest");

    /// A character literal of the grammar: `'x'`, `'\n'`, `'\''`, `'\u{2013}'`.
    fn char_literal(text: &str) -> char {
        let inner = text
            .trim()
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .unwrap_or_else(|| panic!("not a character literal: {text}"));
        if let Some(hex) = inner.strip_prefix("\\u{").and_then(|h| h.strip_suffix('}')) {
            return char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap();
        }
        match inner {
            "\\n" => '\n',
            "\\r" => '\r',
            "\\t" => '\t',
            "\\'" => '\'',
            "\\\\" => '\\',
            other => {
                let mut chars = other.chars();
                let c = chars.next().unwrap();
                assert!(chars.next().is_none(), "not one character: {text}");
                c
            }
        }
    }

    /// The characters a class rule of the grammar matches: a choice of ranges (`'a'..'b'`),
    /// strings (`"\r\n"`, taken as their characters) and other class rules.
    fn grammar_class(rule: &str) -> BTreeSet<char> {
        let head = format!("{rule} = _{{");
        let line = GRAMMAR
            .lines()
            .find(|l| l.starts_with(&head))
            .unwrap_or_else(|| panic!("the grammar has no rule `{rule}`"));
        let body = line[head.len()..].trim().strip_suffix('}').unwrap();
        let mut out = BTreeSet::new();
        for choice in body.split('|').map(str::trim) {
            if let Some((a, b)) = choice.split_once("..") {
                out.extend(char_literal(a)..=char_literal(b));
            } else if let Some(s) = choice.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                out.extend(s.replace("\\r", "\r").replace("\\n", "\n").chars());
            } else {
                out.extend(grammar_class(choice));
            }
        }
        out
    }

    fn set(chars: &[char]) -> BTreeSet<char> {
        chars.iter().copied().collect()
    }

    #[test]
    fn the_grammar_classes_hold_the_same_characters() {
        assert_eq!(grammar_class("dash"), set(&DASHES));
        assert_eq!(grammar_class("sq"), set(&SINGLE_QUOTES));
        assert_eq!(grammar_class("dq"), set(&DOUBLE_QUOTES));
        assert_eq!(grammar_class("hws"), set(&BLANKS));
        assert_eq!(grammar_class("NL"), set(&NEWLINES));
    }

    #[test]
    fn the_predicates_match_the_lists() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_dash(c), DASHES.contains(&c), "{c:?}");
            assert_eq!(is_single_quote(c), SINGLE_QUOTES.contains(&c), "{c:?}");
            assert_eq!(is_double_quote(c), DOUBLE_QUOTES.contains(&c), "{c:?}");
            assert_eq!(is_newline(c), NEWLINES.contains(&c), "{c:?}");
            assert_eq!(
                is_space(c),
                BLANKS.contains(&c) || NEWLINES.contains(&c),
                "{c:?}"
            );
        }
    }
}
