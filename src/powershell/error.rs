//! The error `parse` returns: where and what, in words. The words are chosen in
//! `syntax_error.rs`, beside the code that runs the grammar.

use std::fmt;

use serde::Serialize;

use super::ast::Span;
use super::line_index::LineIndex;

/// A syntax error: where (byte span, 1-based line and column in characters) and what, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseError {
    pub span: Span,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ParseError {
    /// The error at `span`. Every message goes through here, and the script text it quotes is
    /// shown with its control characters escaped (see [`escape_controls`]).
    pub(crate) fn at(text: &str, index: &LineIndex, span: Span, message: String) -> ParseError {
        let (line, column) = index.line_col(text, span.start);
        ParseError {
            span,
            line,
            column,
            message: escape_controls(message),
        }
    }
}

/// `message` with each control character (C0, DEL and C1, tab and newline too) written as its
/// code point, `U+001B`: messages quote script text, and a hostile script must not send escape
/// sequences to a terminal, nor break the one-line `file:line:column: message` format. The
/// messages' own words hold no control characters.
pub(crate) fn escape_controls(message: String) -> String {
    if !message.contains(char::is_control) {
        return message;
    }
    let mut out = String::with_capacity(message.len() + 16);
    for c in message.chars() {
        if c.is_control() {
            out.push_str(&format!("U+{:04X}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    #[test]
    fn control_characters_are_shown_as_code_points() {
        assert_eq!(
            escape_controls("`a\u{1b}[2J\0\t\u{7f}\u{9b}`".to_string()),
            "`aU+001B[2JU+0000U+0009U+007FU+009B`"
        );
        assert_eq!(escape_controls("`é ‘x’`".to_string()), "`é ‘x’`");
    }

    #[test]
    fn messages_never_echo_control_characters_of_the_script() {
        let mut failed = 0;
        for text in [
            "$x = 1 \u{1b}]0;title\u{7}",
            "Get-Item -Path:\u{1b}[31m\n",
            "if ($a) { \u{1b}[2J )",
            "#requires -Version \u{1b}[1m",
            "#requires -Bad\u{0}x",
            "$h = @{ \u{1b}[5m = 1; \u{1b}[5m = 2 }",
            "function f { param($a\u{9b}, $a\u{9b}) }",
            "\"$(\u{1b}[0m ]\"",
            "switch -\u{1b}x ($a) { }",
        ] {
            // Those that parse have nothing to show.
            if let Err(e) = parse(text) {
                failed += 1;
                assert!(!e.message.contains(char::is_control), "{text:?}: {e:?}");
                assert!(!e.to_string().contains(char::is_control), "{text:?}");
            }
        }
        assert!(failed >= 6, "{failed}");
        let e = parse("$x = 1 \u{1b}[2J").unwrap_err();
        assert!(e.message.contains("U+001B[2J"), "{e}");
    }
}
