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
    pub(crate) fn at(text: &str, index: &LineIndex, span: Span, message: String) -> ParseError {
        let (line, column) = index.line_col(text, span.start);
        ParseError {
            span,
            line,
            column,
            message,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}
