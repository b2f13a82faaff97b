//! Markdown text: every value a `.md` template prints goes through [`escape`], so that no value
//! can become markup (a link, raw HTML, a table cell break, emphasis) in a wiki or a pull request.

/// `s` as literal Markdown text: the characters that start markup are backslash-escaped, `<`, `>`
/// and `&` become HTML entities (CommonMark passes raw HTML through), and line breaks become
/// spaces (a value is one line, and a line break could start a heading or a list).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' => out.push(' '),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|'
            | '~' | '"' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(
            escape("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(
            escape("[x](javascript:alert(1))"),
            "\\[x\\]\\(javascript:alert\\(1\\)\\)"
        );
        assert_eq!(
            escape("*bold* _it_ `code`"),
            "\\*bold\\* \\_it\\_ \\`code\\`"
        );
        assert_eq!(escape("a\n# b"), "a \\# b");
        assert_eq!(escape("lyncweb.fabrikam.com"), "lyncweb.fabrikam.com");
    }
}
