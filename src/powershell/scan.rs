//! A light scan of script text, the way PowerShell's tokenizer sees strings, here-strings and
//! comments: it finds open brackets and unterminated strings for error messages, and the
//! `#requires` comments of a script that parsed.

use super::chars::{is_double_quote, is_single_quote};

/// An opened bracket or quote found while scanning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Open {
    Brace,
    Paren,
    Bracket,
    HashLiteral,
    ArrayExpr,
    SubExpr,
}

impl Open {
    pub(crate) fn closer(self) -> char {
        match self {
            Open::Brace | Open::HashLiteral => '}',
            Open::Paren | Open::ArrayExpr | Open::SubExpr => ')',
            Open::Bracket => ']',
        }
    }
}

/// The state at the end of a scan.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Brackets still open, innermost last: kind and offset.
    pub open: Vec<(Open, usize)>,
    /// A string, here-string or block comment that never ends: what, where it starts.
    pub unterminated: Option<(&'static str, usize)>,
    /// The first closing bracket that matched nothing: char, offset, and the open bracket it
    /// does not match (if any).
    pub stray_close: Option<StrayClose>,
}

/// A closing bracket that matched nothing: the char, its offset, and the open bracket it does not
/// match (if any).
pub(crate) type StrayClose = (char, usize, Option<(Open, usize)>);

/// Scans `text[..end]` like PowerShell's tokenizer would, to find open brackets, unclosed strings
/// and stray closing brackets. It is a heuristic for error messages only.
pub(crate) fn scan(text: &str, end: usize) -> Scan {
    scan_with(text, end, |_, _, _| {})
}

/// The `#requires` comments of a script: byte ranges of line comments that start with `#requires`
/// (PowerShell reads those as requirements wherever they are, except inside strings or block
/// comments). The scan stops at `upto`: a comment that starts before it is still read to its end.
pub(crate) fn requires_comments(text: &str, upto: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    scan_with(text, upto, |start, end, block| {
        if block {
            return;
        }
        let c = &text[start..end];
        if c.len() >= 9 && c.as_bytes()[1..9].eq_ignore_ascii_case(b"requires") {
            out.push((start, end));
        }
    });
    out
}

/// Every comment of a script, as byte ranges in order: line comments (`# ...`, to the end of
/// their line) and block comments (`<# ... #>`); `#` inside strings, here-strings and words is
/// not one. An unterminated block comment ends the list.
pub fn comments(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    scan_with(text, text.len(), |start, end, _| out.push((start, end)));
    out
}

/// The scan behind [`scan`], calling `on_comment(start, end, block)` for every comment.
fn scan_with(text: &str, end: usize, mut on_comment: impl FnMut(usize, usize, bool)) -> Scan {
    let bytes = text.as_bytes();
    let end = end.min(bytes.len());
    let mut st = Scan::default();
    let mut i = 0;
    let mut token_start = true;
    while i < end {
        let c = match text[i..].chars().next() {
            Some(c) => c,
            None => break,
        };
        let len = c.len_utf8();
        match c {
            '#' if token_start => {
                let start = i;
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                on_comment(start, i, false);
                continue;
            }
            '<' if bytes.get(i + 1) == Some(&b'#') => match text[i + 2..].find("#>") {
                Some(k) => {
                    on_comment(i, i + 2 + k + 2, true);
                    i += 2 + k + 2;
                    token_start = true;
                    continue;
                }
                None => {
                    st.unterminated = Some(("block comment `<#`", i));
                    return st;
                }
            },
            '`' => {
                i += len;
                if let Some(n) = text[i..].chars().next() {
                    i += n.len_utf8();
                }
                token_start = false;
                continue;
            }
            '@' if text[i + 1..]
                .starts_with(|n: char| is_single_quote(n) || is_double_quote(n)) =>
            {
                // A here-string if only spaces follow on the line.
                let q = text[i + 1..].chars().next().unwrap_or('\'');
                let after = i + 1 + q.len_utf8();
                let line_rest: &str = text[after..].split(['\n', '\r']).next().unwrap_or("");
                if line_rest.trim().is_empty() && after + line_rest.len() < bytes.len() {
                    match find_here_footer(text, after + line_rest.len(), is_double_quote(q)) {
                        Some(k) => {
                            i = k;
                            token_start = false;
                            continue;
                        }
                        None => {
                            st.unterminated = Some((
                                if is_double_quote(q) {
                                    "here-string `@\"`"
                                } else {
                                    "here-string `@'`"
                                },
                                i,
                            ));
                            return st;
                        }
                    }
                }
                i += 1;
                continue;
            }
            c if is_single_quote(c) => {
                match skip_single_quoted(text, i) {
                    Some(k) => i = k,
                    None => {
                        st.unterminated = Some(("string", i));
                        return st;
                    }
                }
                token_start = false;
                continue;
            }
            c if is_double_quote(c) => {
                match skip_double_quoted(text, i) {
                    Some(k) => i = k,
                    None => {
                        st.unterminated = Some(("string", i));
                        return st;
                    }
                }
                token_start = false;
                continue;
            }
            '{' | '(' | '[' => {
                let prev = if i > 0 { bytes[i - 1] } else { 0 };
                let kind = match (c, prev) {
                    ('{', b'@') => Open::HashLiteral,
                    ('(', b'@') => Open::ArrayExpr,
                    ('(', b'$') => Open::SubExpr,
                    ('{', _) => Open::Brace,
                    ('(', _) => Open::Paren,
                    _ => Open::Bracket,
                };
                let at = if matches!(kind, Open::HashLiteral | Open::ArrayExpr | Open::SubExpr) {
                    i - 1
                } else {
                    i
                };
                st.open.push((kind, at));
                token_start = true;
            }
            '}' | ')' | ']' => {
                match st.open.last() {
                    Some((kind, _)) if kind.closer() == c => {
                        st.open.pop();
                    }
                    other => {
                        if st.stray_close.is_none() {
                            st.stray_close = Some((c, i, other.copied()));
                        }
                        // `]` may close a type written across brackets; ignore it otherwise.
                        if c != ']'
                            && let Some(k) =
                                st.open.iter().rposition(|(kind, _)| kind.closer() == c)
                        {
                            st.open.truncate(k);
                        }
                    }
                }
                token_start = true;
            }
            ' ' | '\t' | '\n' | '\r' | ';' | ',' | '|' | '&' | '=' => token_start = true,
            _ => token_start = false,
        }
        i += len;
    }
    st
}

/// The end of the single-quoted string starting at `start`, or `None` if it never ends.
fn skip_single_quoted(text: &str, start: usize) -> Option<usize> {
    let mut chars = text[start..].char_indices().skip(1).peekable();
    while let Some((k, c)) = chars.next() {
        if is_single_quote(c) {
            if chars.peek().is_some_and(|(_, n)| is_single_quote(*n)) {
                chars.next();
            } else {
                return Some(start + k + c.len_utf8());
            }
        }
    }
    None
}

/// The end of the double-quoted string starting at `start`, or `None` if it never ends.
fn skip_double_quoted(text: &str, start: usize) -> Option<usize> {
    let mut chars = text[start..].char_indices().skip(1).peekable();
    let mut depth = 0usize;
    while let Some((k, c)) = chars.next() {
        match c {
            '`' => {
                chars.next();
            }
            '$' if depth == 0 && chars.peek().is_some_and(|(_, n)| *n == '(') => {
                chars.next();
                depth = 1;
            }
            '(' if depth > 0 => depth += 1,
            ')' if depth > 0 => depth -= 1,
            c if depth == 0 && is_double_quote(c) => {
                if chars.peek().is_some_and(|(_, n)| is_double_quote(*n)) {
                    chars.next();
                } else {
                    return Some(start + k + c.len_utf8());
                }
            }
            _ => {}
        }
    }
    None
}

/// The end of a here-string whose header line ends at `line_end`: the offset after `'@`/`"@` at
/// the start of a line.
fn find_here_footer(text: &str, line_end: usize, double: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = line_end;
    while i < bytes.len() {
        if bytes[i] == b'\n' || bytes[i] == b'\r' {
            let mut j = i + 1;
            if bytes[i] == b'\r' && bytes.get(j) == Some(&b'\n') {
                j += 1;
            }
            if let Some(q) = text[j..].chars().next() {
                let is_quote = if double {
                    is_double_quote(q)
                } else {
                    is_single_quote(q)
                };
                if is_quote && text[j + q.len_utf8()..].starts_with('@') {
                    return Some(j + q.len_utf8() + 1);
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_comments_outside_strings_and_block_comments() {
        let text = "#Requires -Version 3.0\n$x = '#requires -x'\n<#\n#requires -y\n#>\n  #REQUIRES -Modules A\n";
        let found: Vec<&str> = requires_comments(text, text.len())
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert_eq!(
            found,
            vec!["#Requires -Version 3.0", "#REQUIRES -Modules A"]
        );
    }

    #[test]
    fn a_hash_inside_a_word_is_not_a_comment() {
        assert!(requires_comments("Write-Host a#requires", 21).is_empty());
    }
}
