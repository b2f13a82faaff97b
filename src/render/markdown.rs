//! Markdown text: every value a `.md` template prints goes through [`escape`], so that no value
//! can become markup (a link, raw HTML, a table cell break, emphasis, a list or a heading) in a
//! wiki or a pull request, while ordinary text (`oauth_server "microsoft.sts" (Exchange)`) stays
//! readable in the raw file.

/// `s` as literal Markdown text:
/// - `<`, `>` and `&` become HTML entities (CommonMark passes raw HTML through);
/// - `\`, `` ` ``, `*`, `[`, `]`, `|`, `~`, `{`, `}` and `#` are backslash-escaped wherever they
///   are (emphasis, code, links, table cells, strikethrough, wiki macros, headings);
/// - `_` is escaped where it could open or close emphasis (at the edge of a word; inside a word,
///   as in `oauth_server`, CommonMark never reads it as emphasis);
/// - a leading `+`, `-`, `=` or `1.` is escaped (a value may start a list item's text, where it
///   would start a nested list);
/// - line breaks become spaces (a value is one line; a break could start any block).
pub fn escape(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let word = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_alphanumeric())
        };
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' => out.push(' '),
            '\\' | '`' | '*' | '[' | ']' | '|' | '~' | '{' | '}' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(word(i.checked_sub(1)) && word(Some(i + 1))) => out.push_str("\\_"),
            '+' | '-' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if i > 0 && chars[..i].iter().all(char::is_ascii_digit) => {
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
    fn markup_is_escaped_and_plain_text_stays_plain() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(
            escape("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(
            escape("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(
            escape("*bold* _it_ `code`"),
            "\\*bold\\* \\_it\\_ \\`code\\`"
        );
        assert_eq!(escape("a\n# b"), "a \\# b");
        assert_eq!(escape("+ item"), "\\+ item");
        assert_eq!(escape("-/+ x"), "\\-/+ x");
        assert_eq!(escape("1. x"), "1\\. x");
        assert_eq!(escape("version 1.2"), "version 1.2");
        assert_eq!(
            escape("oauth_server \"microsoft.sts\" (Exchange Online)"),
            "oauth_server \"microsoft.sts\" (Exchange Online)"
        );
        assert_eq!(escape("lyncweb.fabrikam.com"), "lyncweb.fabrikam.com");
    }
}
