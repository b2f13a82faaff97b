//! The values of string tokens: quotes removed, doubled quotes collapsed, backtick escapes
//! applied, as PowerShell's tokenizer does. The grammar has already checked the structure, so
//! these functions only transform; they report invalid `` `u{...} `` escapes.

use super::chars::{is_double_quote, is_single_quote};

/// Applies a backtick escape: the character after the backtick is `c`, and for `` `u{...} ``
/// the rest of the escape is taken from `chars`.
fn escape(
    c: char,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    out: &mut String,
) -> Result<(), String> {
    match c {
        '0' => out.push('\0'),
        'a' => out.push('\u{7}'),
        'b' => out.push('\u{8}'),
        'e' => out.push('\u{1B}'),
        'f' => out.push('\u{C}'),
        'n' => out.push('\n'),
        'r' => out.push('\r'),
        't' => out.push('\t'),
        'v' => out.push('\u{B}'),
        'u' => {
            if chars.peek().map(|(_, c)| *c) != Some('{') {
                return Err(invalid_unicode_escape());
            }
            chars.next();
            let mut hex = String::new();
            loop {
                match chars.next() {
                    Some((_, '}')) => break,
                    Some((_, h)) if h.is_ascii_hexdigit() && hex.len() < 6 => hex.push(h),
                    _ => return Err(invalid_unicode_escape()),
                }
            }
            let code = u32::from_str_radix(&hex, 16).map_err(|_| invalid_unicode_escape())?;
            if code > 0x10FFFF {
                return Err(
                    "the `u{...} escape is out of range: the largest value is 10FFFF".to_string(),
                );
            }
            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
        }
        other => out.push(other),
    }
    Ok(())
}

fn invalid_unicode_escape() -> String {
    "`u starts a Unicode escape and must be followed by `{`, one to six hex digits and `}` \
     (write ``u for a backtick followed by u)"
        .to_string()
}

/// Where to look for `$` parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartsIn {
    /// A `"..."` token.
    DoubleQuoted,
    /// A `@"..."@` token.
    HereString,
    /// A bare word (command mode), which may embed quoted parts.
    BareWord,
}

/// The byte ranges of the `$name`, `${name}` and `$( ... )` parts of a string or bare word token,
/// found as the grammar found them.
pub(crate) fn dollar_parts(raw: &str, kind: PartsIn) -> Vec<(usize, usize)> {
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let (mut i, end) = match kind {
        PartsIn::DoubleQuoted => (raw.chars().next().map_or(1, char::len_utf8), raw.len()),
        PartsIn::HereString => match here_body_range(raw) {
            Some((s, e)) => (s, e),
            None => return out,
        },
        PartsIn::BareWord => (0, raw.len()),
    };
    // In a bare word, whether we are inside an embedded double-quoted part.
    let mut in_dq = kind == PartsIn::DoubleQuoted;
    while i < end {
        let Some(c) = raw[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        if c == '`' {
            i += len;
            if kind == PartsIn::BareWord && !in_dq {
                i = skip_unicode_escape(raw, i);
            } else if let Some(n) = raw[i..].chars().next() {
                i += n.len_utf8();
            }
            continue;
        }
        if c == '$' {
            if let Some(part_end) = dollar_part_end(raw, i) {
                out.push((i, part_end));
                i = part_end;
                continue;
            }
            i += 1;
            continue;
        }
        if kind != PartsIn::HereString && is_double_quote(c) {
            let next = raw[i + len..].chars().next();
            if in_dq && next.is_some_and(is_double_quote) {
                i += len + next.map_or(0, char::len_utf8);
                continue;
            }
            if kind == PartsIn::DoubleQuoted {
                break;
            }
            in_dq = !in_dq;
            i += len;
            continue;
        }
        if kind == PartsIn::BareWord && !in_dq && is_single_quote(c) {
            // Skip the embedded single-quoted part.
            i += len;
            while i < end {
                let Some(q) = raw[i..].chars().next() else {
                    break;
                };
                i += q.len_utf8();
                if is_single_quote(q) {
                    match raw[i..].chars().next() {
                        Some(q2) if is_single_quote(q2) => i += q2.len_utf8(),
                        _ => break,
                    }
                }
            }
            continue;
        }
        let _ = bytes;
        i += len;
    }
    out
}

/// After a backtick in a bare word at `i`: skips `u{hex}` or one character.
fn skip_unicode_escape(raw: &str, i: usize) -> usize {
    let rest = &raw[i..];
    if let Some(hex) = rest.strip_prefix("u{") {
        let digits = hex.bytes().take_while(u8::is_ascii_hexdigit).count();
        if hex.as_bytes().get(digits) == Some(&b'}') {
            return i + 2 + digits + 1;
        }
    }
    i + rest.chars().next().map_or(0, char::len_utf8)
}

/// The end of the `$` part starting at `start`, if a part starts there.
fn dollar_part_end(raw: &str, start: usize) -> Option<usize> {
    let rest = &raw[start + 1..];
    let next = rest.chars().next()?;
    match next {
        '(' => {
            // Count parentheses, as PowerShell does, ignoring quotes.
            let mut depth = 0usize;
            for (k, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(start + 1 + k + 1);
                        }
                    }
                    _ => {}
                }
            }
            None
        }
        '{' => {
            let mut k = 1;
            while k < rest.len() {
                let c = rest[k..].chars().next()?;
                match c {
                    '}' => return Some(start + 1 + k + 1),
                    '`' => k = skip_unicode_escape(rest, k + 1),
                    _ => k += c.len_utf8(),
                }
            }
            None
        }
        '$' | '?' | '^' => Some(start + 2),
        c if is_variable_start(c) => {
            let mut k = c.len_utf8();
            while let Some(c) = rest[k..].chars().next() {
                if c == ':' {
                    if rest[k + 1..].starts_with(':') {
                        break;
                    }
                    k += 1;
                } else if c.is_ascii_alphanumeric()
                    || c == '_'
                    || c == '?'
                    || (!c.is_ascii() && c.is_alphanumeric())
                {
                    k += c.len_utf8();
                } else {
                    break;
                }
            }
            Some(start + 1 + k)
        }
        _ => None,
    }
}

/// A character that may start an unbraced variable name (besides `$ ? ^`).
fn is_variable_start(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':' || (!c.is_ascii() && c.is_alphanumeric())
}

/// The value of a bare word without variables: escapes applied, embedded quotes removed.
pub(crate) fn bare_word_value(raw: &str) -> Result<String, String> {
    expandable_bare_value(raw, &[])
}

/// The value of a bare word; `parts` are the byte ranges of `$var` and `$(...)`, kept as written.
pub(crate) fn expandable_bare_value(raw: &str, parts: &[(usize, usize)]) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    let mut parts = parts.iter().copied().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(&(start, end)) = parts.peek()
            && i == start
        {
            out.push_str(&raw[start..end]);
            skip_to(&mut chars, end);
            parts.next();
            continue;
        }
        if c == '`' {
            match chars.next() {
                Some((_, e)) => escape(e, &mut chars, &mut out)?,
                None => out.push('`'),
            }
        } else if is_single_quote(c) {
            while let Some((_, q)) = chars.next() {
                if is_single_quote(q) {
                    match chars.peek() {
                        Some(&(_, q2)) if is_single_quote(q2) => {
                            chars.next();
                            out.push(q2);
                        }
                        _ => break,
                    }
                } else {
                    out.push(q);
                }
            }
        } else if is_double_quote(c) {
            while let Some((j, q)) = chars.next() {
                if let Some(&(start, end)) = parts.peek()
                    && j == start
                {
                    out.push_str(&raw[start..end]);
                    skip_to(&mut chars, end);
                    parts.next();
                    continue;
                }
                if q == '`' {
                    match chars.next() {
                        Some((_, e)) => escape(e, &mut chars, &mut out)?,
                        None => out.push('`'),
                    }
                } else if is_double_quote(q) {
                    match chars.peek() {
                        Some(&(_, q2)) if is_double_quote(q2) => {
                            chars.next();
                            out.push(q2);
                        }
                        _ => break,
                    }
                } else {
                    out.push(q);
                }
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

fn skip_to(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, end: usize) {
    while let Some(&(j, _)) = chars.peek() {
        if j >= end {
            break;
        }
        chars.next();
    }
}

/// The value of `'...'`: quotes removed, doubled quotes collapsed.
pub(crate) fn single_quoted_value(raw: &str) -> String {
    let mut chars = raw.chars();
    chars.next();
    chars.next_back();
    let inner = chars.as_str();
    let mut out = String::with_capacity(inner.len());
    let mut it = inner.chars().peekable();
    while let Some(c) = it.next() {
        if is_single_quote(c) && it.peek().is_some_and(|n| is_single_quote(*n)) {
            if let Some(second) = it.next() {
                out.push(second);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The value of `"..."`; `parts` are byte ranges (from the opening quote) of `$var`/`$(...)`.
pub(crate) fn double_quoted_value(raw: &str, parts: &[(usize, usize)]) -> Result<String, String> {
    let open = raw.chars().next().map_or(1, char::len_utf8);
    let close = raw.chars().next_back().map_or(1, char::len_utf8);
    let inner = raw.get(open..raw.len().saturating_sub(close)).unwrap_or("");
    let shifted: Vec<(usize, usize)> = parts.iter().map(|(s, e)| (s - open, e - open)).collect();
    expandable_content(inner, &shifted, true)
}

/// The body of a here-string (`@'`/`@"` header line and closing line removed).
pub(crate) fn here_string_body(raw: &str) -> &str {
    here_body_range(raw).map_or("", |(s, e)| &raw[s..e])
}

/// The byte range of a here-string's body.
fn here_body_range(raw: &str) -> Option<(usize, usize)> {
    let after_header = raw.find(['\n', '\r']).map(|i| {
        if raw[i..].starts_with("\r\n") {
            i + 2
        } else {
            i + 1
        }
    })?;
    // The footer is a quote and `@`; the newline before it is not part of the body.
    let footer_quote = raw[..raw.len() - 1]
        .chars()
        .next_back()
        .map_or(1, char::len_utf8);
    let footer = raw.len() - 1 - footer_quote;
    if footer < after_header {
        return Some((after_header, after_header));
    }
    let body = &raw[..footer];
    let end = if body.ends_with("\r\n") {
        footer - 2
    } else {
        footer - 1
    };
    Some((after_header, end.max(after_header)))
}

/// The value of `@"..."@`; `parts` are byte ranges from the start of the token.
pub(crate) fn here_expandable_value(raw: &str, parts: &[(usize, usize)]) -> Result<String, String> {
    let Some((start, end)) = here_body_range(raw) else {
        return Ok(String::new());
    };
    let shifted: Vec<(usize, usize)> = parts
        .iter()
        .filter(|(s, _)| *s >= start)
        .map(|(s, e)| (s - start, (*e).min(end) - start))
        .collect();
    expandable_content(&raw[start..end], &shifted, false)
}

/// Escapes applied; parts kept as written; in double-quoted strings, doubled quotes collapsed.
fn expandable_content(
    inner: &str,
    parts: &[(usize, usize)],
    collapse_quotes: bool,
) -> Result<String, String> {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices().peekable();
    let mut parts = parts.iter().copied().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(&(start, end)) = parts.peek()
            && i == start
        {
            out.push_str(inner.get(start..end).unwrap_or(""));
            skip_to(&mut chars, end);
            parts.next();
            continue;
        }
        if c == '`' {
            match chars.next() {
                Some((_, e)) => escape(e, &mut chars, &mut out)?,
                None => out.push('`'),
            }
        } else if collapse_quotes
            && is_double_quote(c)
            && chars.peek().is_some_and(|(_, n)| is_double_quote(*n))
        {
            if let Some((_, second)) = chars.next() {
                out.push(second);
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// The name inside `${...}`: backtick escapes applied. PowerShell requires `{` to be escaped.
pub(crate) fn braced_variable_name(inner: &str) -> Result<String, String> {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '`' => match chars.next() {
                Some((_, e)) => escape(e, &mut chars, &mut out)?,
                None => out.push('`'),
            },
            '{' => {
                return Err("a `{` inside `${...}` must be escaped with a backtick: `{".to_string());
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// The text of a `$( ... )` found in a string, as PowerShell parses it: outside here-strings, a
/// double quote preceded by a backtick or another double quote stands for one double quote.
/// Returns the text and, when something was collapsed, the offset in `raw` of every byte of the
/// text (plus one past the end).
pub(crate) fn collapse_subexpression_quotes(raw: &str, here: bool) -> (String, Option<Vec<usize>>) {
    if here || !raw.chars().any(is_double_quote) {
        return (raw.to_string(), None);
    }
    let mut out = String::with_capacity(raw.len());
    let mut table = Vec::with_capacity(raw.len() + 1);
    let mut changed = false;
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let (pos, ch) = if (c == '`' || is_double_quote(c))
            && chars.peek().is_some_and(|(_, n)| is_double_quote(*n))
        {
            changed = true;
            chars.next().unwrap_or((i, c))
        } else {
            (i, c)
        };
        // A collapsed pair starts where its first character does (spans then cover both).
        table.push(i);
        for k in 1..ch.len_utf8() {
            table.push(pos + k);
        }
        out.push(ch);
    }
    table.push(raw.len());
    if changed {
        (out, Some(table))
    } else {
        (raw.to_string(), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_quoted_strings_collapse_every_kind_of_doubled_quote() {
        assert_eq!(single_quoted_value("'it''s'"), "it's");
        assert_eq!(single_quoted_value("‘it’’s’"), "it’s");
        assert_eq!(single_quoted_value("''"), "");
    }

    #[test]
    fn double_quoted_strings_apply_escapes_and_keep_variables() {
        let raw = "\"a`tb \"\"q\"\" $x `$y\"";
        let start = raw.find("$x").unwrap();
        assert_eq!(
            double_quoted_value(raw, &[(start, start + 2)]).unwrap(),
            "a\tb \"q\" $x $y"
        );
    }

    #[test]
    fn unicode_escapes() {
        assert_eq!(
            double_quoted_value("\"`u{263A}\"", &[]).unwrap(),
            "\u{263A}"
        );
        assert!(double_quoted_value("\"`user\"", &[]).is_err());
        assert!(double_quoted_value("\"`u{110000}\"", &[]).is_err());
    }

    #[test]
    fn bare_words_lose_embedded_quotes() {
        assert_eq!(bare_word_value("a'b c'd").unwrap(), "ab cd");
        assert_eq!(
            bare_word_value("C:\\Program` Files\\x").unwrap(),
            "C:\\Program Files\\x"
        );
        assert_eq!(bare_word_value("\"x\"y").unwrap(), "xy");
    }

    #[test]
    fn here_string_bodies_drop_the_header_and_footer_lines() {
        assert_eq!(
            here_string_body("@'\r\nline1\r\nline2\r\n'@"),
            "line1\r\nline2"
        );
        assert_eq!(here_string_body("@'\n'@"), "");
        assert_eq!(here_string_body("@'  \n\n'@"), "");
        assert_eq!(
            here_expandable_value("@\"\nx `t y\n\"@", &[]).unwrap(),
            "x \t y"
        );
    }

    #[test]
    fn subexpression_quotes_collapse_outside_here_strings() {
        let (text, table) = collapse_subexpression_quotes("$(\"\"a\"\")", false);
        assert_eq!(text, "$(\"a\")");
        let table = table.unwrap();
        assert_eq!(table[2], 2);
        assert_eq!(*table.last().unwrap(), 8);
        let (text, table) = collapse_subexpression_quotes("$(\"\"a\"\")", true);
        assert_eq!(text, "$(\"\"a\"\")");
        assert!(table.is_none());
    }

    #[test]
    fn braced_names_need_escaped_braces() {
        assert_eq!(
            braced_variable_name("env:ProgramFiles(x86)").unwrap(),
            "env:ProgramFiles(x86)"
        );
        assert_eq!(braced_variable_name("a`{b").unwrap(), "a{b");
        assert!(braced_variable_name("a{b").is_err());
    }
}
