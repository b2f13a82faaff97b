//! What a rule sees of a file: its text and encoding (every rule), and for a file that parses,
//! the semantic layer's [`Analysis`] of it (the syntax tree, every command with its parameters
//! bound, the literal values of its variables). Built once per file and shared by all the
//! rules, so no rule parses, binds or evaluates on its own.

use std::cell::OnceCell;
use std::path::Path;

use time::OffsetDateTime;

use crate::model::Model;
use crate::powershell::ast::Script;
use crate::powershell::{LineIndex, TextEncoding};
pub use crate::semantic::CommandUse;
use crate::semantic::{Analysis, Values};

/// The file, for every rule.
pub struct FileContext<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    /// How the bytes were decoded; `None` for text given directly (tests, other commands).
    pub encoding: Option<TextEncoding>,
    /// The moment the date checks run at (`--as-of`, else now).
    pub as_of: OffsetDateTime,
    /// The config the scripts are checked against (`--config`).
    pub config: Option<&'a Model>,
    /// Built on first use: most files need neither (a line is needed for a finding or a
    /// suppression, the comments for the few text rules that find a candidate).
    lines: OnceCell<LineIndex>,
    comments: OnceCell<Vec<(usize, usize)>>,
}

impl<'a> FileContext<'a> {
    pub fn new(
        path: &'a Path,
        text: &'a str,
        encoding: Option<TextEncoding>,
        as_of: OffsetDateTime,
        config: Option<&'a Model>,
    ) -> FileContext<'a> {
        FileContext {
            path,
            text,
            encoding,
            as_of,
            config,
            lines: OnceCell::new(),
            comments: OnceCell::new(),
        }
    }

    /// The line index of the text.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(self.text))
    }

    /// The comments (line and block), as byte ranges in order.
    pub fn comments(&self) -> &[(usize, usize)] {
        self.comments
            .get_or_init(|| crate::powershell::comments(self.text))
    }

    /// Whether `offset` is inside a comment.
    pub fn in_comment(&self, offset: usize) -> bool {
        let comments = self.comments();
        let i = comments.partition_point(|&(start, _)| start <= offset);
        i > 0 && offset < comments[i - 1].1
    }
}

/// A file that parses, for the rules that read its code: the file, and the script read once by
/// the semantic layer (its fields and methods are the [`Analysis`]'s, through `Deref`).
pub struct ScriptContext<'a> {
    pub file: &'a FileContext<'a>,
    pub analysis: Analysis<'a>,
}

impl<'a> ScriptContext<'a> {
    pub fn new(file: &'a FileContext<'a>, script: &'a Script, values: &'a Values<'a>) -> Self {
        ScriptContext {
            file,
            analysis: Analysis::new(file.text, script, values),
        }
    }
}

impl<'a> std::ops::Deref for ScriptContext<'a> {
    type Target = Analysis<'a>;

    fn deref(&self) -> &Analysis<'a> {
        &self.analysis
    }
}
