//! Renders diagnostics for every command, in every output format: `human` (rustc-like snippets,
//! through annotate-snippets), `json`, `sarif` (SARIF 2.1.0, for code-scanning tools), `gcc`
//! (`file:line:col: severity: message`, for editors) and `github` (workflow-command
//! annotations). Commands hand over the files they read, with their text when they have it, and
//! the diagnostics found in each; they never format a diagnostic themselves.

use std::path::Path;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::powershell::{LineIndex, TextEncoding};

mod gcc;
mod github;
mod human;
mod json;
mod sarif;

pub use json::DiagnosticJson;

/// How diagnostics are printed. One flag, `--format`, shared by the commands that report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: each finding with its place in the file, the lines around it and the fix.
    #[value(alias = "text")]
    Human,
    /// One JSON document (`format_version`, the files, and for each finding its code,
    /// severity, place and fix).
    Json,
    /// SARIF 2.1.0, which GitHub code scanning, Azure DevOps and most CI dashboards read.
    Sarif,
    /// `file:line:column: severity: message [code]`, one line each, for editors and grep.
    Gcc,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`), shown on the pull request.
    Github,
}

/// A file and what was found in it.
#[derive(Debug, Clone, Copy)]
pub struct FileReport<'a> {
    /// The path as the user gave it (or as it was found under a folder they gave).
    pub path: &'a Path,
    /// The file's text, when it was read: spans index into it, and `human` shows its lines.
    pub text: Option<&'a str>,
    pub diagnostics: &'a [Diagnostic],
    /// How the file's bytes decode to `text`: fixes give byte offsets in the file as it is
    /// stored (its byte order mark and encoding counted). `None` when the bytes are `text`
    /// itself (UTF-8 without a BOM, or text that is not a file).
    pub encoding: Option<TextEncoding>,
}

/// Line and column (1-based; columns count characters) of a diagnostic's span, start and end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Region {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl FileReport<'_> {
    /// Where each diagnostic is, as lines and columns (`None` without a span or a text).
    fn regions(&self) -> Vec<Option<Region>> {
        let index = self.text.map(LineIndex::new);
        self.diagnostics
            .iter()
            .map(|d| {
                let (text, index, span) = (self.text?, index.as_ref()?, d.location.span?);
                let (line, column) = index.line_col(text, span.start);
                let (end_line, end_column) = index.line_col(text, span.end);
                Some(Region {
                    line,
                    column,
                    end_line,
                    end_column,
                })
            })
            .collect()
    }

    /// The byte offset in the file as stored of `offset` in `text`: what a tool that applies a
    /// fix to the file's bytes needs (the text is the file decoded to UTF-8, without its BOM).
    fn stored_offset(&self, offset: usize) -> usize {
        let Some(text) = self.text else {
            return offset;
        };
        let before = text.get(..offset.min(text.len())).unwrap_or(text);
        let utf16 = || before.encode_utf16().count() * 2;
        match self.encoding {
            None | Some(TextEncoding::Utf8) => offset,
            Some(TextEncoding::Utf8Bom) => 3 + offset,
            Some(TextEncoding::Utf16Le | TextEncoding::Utf16Be) => utf16(),
            Some(TextEncoding::Utf16LeBom | TextEncoding::Utf16BeBom) => 2 + utf16(),
            // One byte a character.
            Some(TextEncoding::Windows1252) => before.chars().count(),
        }
    }

    fn shown_path(&self) -> String {
        self.path.display().to_string()
    }
}

/// What the SARIF log says of a rule (the linter's rules; other codes are described by their
/// code alone).
#[derive(Debug, Clone, Copy)]
pub struct RuleText {
    /// One sentence.
    pub short: &'static str,
    /// A paragraph: what the rule does.
    pub full: &'static str,
    /// The whole documentation, in Markdown.
    pub help: &'static str,
}

/// Describes a code for SARIF, when it can.
pub type Describe<'a> = &'a dyn Fn(&str) -> Option<RuleText>;

/// Renders `files` in `format`. The order is the order given: files as the command read them,
/// diagnostics as each file lists them.
pub fn render(format: Format, files: &[FileReport<'_>]) -> String {
    render_described(format, files, &|_| None)
}

/// [`render`], with rule descriptions for SARIF.
pub fn render_described(
    format: Format,
    files: &[FileReport<'_>],
    describe: Describe<'_>,
) -> String {
    match format {
        Format::Human => human::render(files),
        Format::Json => json::render(files),
        Format::Sarif => sarif::render(files, describe),
        Format::Gcc => gcc::render(files),
        Format::Github => github::render(files),
    }
}

/// Whether standard error is a terminal that takes colours: the human form is then styled.
pub fn colours_on_stderr() -> bool {
    use std::io::IsTerminal as _;
    colours_wanted(std::io::stderr().is_terminal())
}

/// Whether standard output is such a terminal.
pub fn colours_on_stdout() -> bool {
    use std::io::IsTerminal as _;
    colours_wanted(std::io::stdout().is_terminal())
}

/// Colours on a terminal, unless `NO_COLOR` is set (to anything but the empty string).
fn colours_wanted(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The human form, styled with colours when `styled`.
pub fn render_human(files: &[FileReport<'_>], styled: bool) -> String {
    human::render_with(files, styled)
}

/// Counts of a run's diagnostics by severity, for a summary line.
pub fn counts(files: &[FileReport<'_>]) -> crate::diagnostic::Counts {
    crate::diagnostic::Counts::of(files.iter().flat_map(|f| f.diagnostics))
}

#[cfg(test)]
mod tests;
