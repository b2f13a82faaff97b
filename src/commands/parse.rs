//! `xprem parse PATH...`: parse PowerShell scripts and report syntax errors, the syntax tree, or
//! the commands they call.
//!
//! Output by format:
//! * `human` (default), `json`, `sarif`, `gcc`, `github`: the syntax errors (and the paths that
//!   cannot be read) as diagnostics, through the report layer, on standard output; nothing for
//!   files that parse (an empty list in `json` and `sarif`).
//! * `ast`: one JSON object per file per line: `{"file", "encoding", "ast"}`; files that do not
//!   parse are reported on standard error in the human form.
//! * `commands`: one JSON object per command invocation per line:
//!   `{"file","line","column","name","parameters":["-Name",...],"arguments":N,"splats":[...]}`,
//!   with parameters bound as the semantic layer binds them (see `parse_listing.rs`); files that
//!   do not parse are reported on standard error in the human form.
//!
//! Files are parsed in parallel on every core; the output is in the order of the paths given
//! (a folder's files in name order), whatever the parallelism. When more than one file is read,
//! a one-line summary goes to standard error. Exit codes: 0 every file parses, 1 some file does
//! not, 2 a path cannot be read (every other file is still parsed and reported).
//!
//! Files are decoded like PowerShell reads them: UTF-8 with or without a BOM, UTF-16 (BOM or
//! sniffed), otherwise Windows-1252.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::{Outcome, eprint_diagnostics, print_stdout};
use crate::cli::EXIT_CODES;
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::error::Error;
use crate::powershell::{self, ast};
use crate::report::{self, FileReport};

/// What to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The syntax errors, each with its place, the lines around it and what to do.
    Human,
    /// The syntax errors as one JSON document (the diagnostic objects of every command).
    Json,
    /// The syntax errors as SARIF 2.1.0, for code scanning.
    Sarif,
    /// The syntax errors as `file:line:column: error: message [code]` lines.
    #[value(alias = "errors")]
    Gcc,
    /// The syntax errors as GitHub Actions annotations.
    Github,
    /// The syntax tree of each file as JSON (one object per line).
    Ast,
    /// Every command invocation as JSON (one object per line): name, parameters, argument count,
    /// splats.
    Commands,
}

impl Format {
    /// The report form of the diagnostics, for the formats that print them on standard output.
    fn report(self) -> Option<report::Format> {
        match self {
            Format::Human => Some(report::Format::Human),
            Format::Json => Some(report::Format::Json),
            Format::Sarif => Some(report::Format::Sarif),
            Format::Gcc => Some(report::Format::Gcc),
            Format::Github => Some(report::Format::Github),
            Format::Ast | Format::Commands => None,
        }
    }
}

#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
pub struct Args {
    /// Script files, or folders to search for *.ps1, *.psm1 and *.psd1 files.
    #[arg(required = true, value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// What to print: the syntax errors (`human`, `json`, `sarif`, `gcc`, `github`, as the other
    /// commands print findings), or for every file that parses its syntax tree (`ast`) or the
    /// commands it calls (`commands`).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// A path to parse, or one that could not be listed.
enum Input {
    File(PathBuf),
    Unlistable(PathBuf, std::io::Error),
}

/// What parsing one file gave.
struct Parsed {
    path: PathBuf,
    text: Option<String>,
    diagnostics: Vec<Diagnostic>,
    /// The `ast` or `commands` output of the file.
    output: String,
    unreadable: bool,
}

/// Code of a syntax error.
pub const SYNTAX_ERROR: &str = "syntax-error";
/// Code of a path that cannot be read.
pub const UNREADABLE: &str = "unreadable-file";

pub fn run(args: &Args) -> Result<Outcome, Error> {
    let mut inputs = Vec::new();
    for path in &args.files {
        collect(path, &mut inputs);
    }
    // In parallel; `collect` keeps the order of `inputs`.
    let results: Vec<Parsed> = inputs
        .into_par_iter()
        .map(|input| parse_one(input, args.format))
        .collect::<Result<_, Error>>()?;
    let files: Vec<FileReport<'_>> = results
        .iter()
        .filter(|r| !r.diagnostics.is_empty())
        .map(|r| FileReport {
            path: &r.path,
            text: r.text.as_deref(),
            diagnostics: &r.diagnostics,
            encoding: None,
        })
        .collect();
    match args.format.report() {
        Some(format) => {
            let text = if format == report::Format::Human {
                report::render_human(&files, report::colours_on_stdout())
            } else {
                report::render(format, &files)
            };
            print_stdout(&text)?;
        }
        None => {
            for r in &results {
                print_stdout(&r.output)?;
                eprint_diagnostics(&r.path, r.text.as_deref(), &r.diagnostics);
            }
        }
    }
    let unreadable = results.iter().filter(|r| r.unreadable).count();
    let read = results.len() - unreadable;
    let failed = results
        .iter()
        .filter(|r| !r.unreadable && r.diagnostics.iter().any(|d| d.severity == Severity::Error))
        .count();
    if results.len() > 1 {
        let mut summary = format!(
            "xprem: parsed {read} file{}: {} with syntax errors",
            if read == 1 { "" } else { "s" },
            if failed == 0 {
                "none".to_string()
            } else {
                failed.to_string()
            }
        );
        if unreadable > 0 {
            let _ = write!(summary, "; {unreadable} could not be read");
        }
        eprintln!("{summary}");
    }
    if unreadable > 0 {
        return Err(Error::Reported);
    }
    Ok(if failed == 0 {
        Outcome::Success
    } else {
        Outcome::Problems
    })
}

fn parse_one(input: Input, format: Format) -> Result<Parsed, Error> {
    let (path, bytes) = match input {
        Input::Unlistable(path, err) => return Ok(unreadable(path, &err)),
        Input::File(path) => match std::fs::read(&path) {
            Ok(bytes) => (path, bytes),
            Err(err) => return Ok(unreadable(path, &err)),
        },
    };
    let decoded = powershell::decode(&bytes);
    let shown = path.display().to_string();
    let mut output = String::new();
    let mut diagnostics = Vec::new();
    match powershell::parse(&decoded.text) {
        Ok(script) => match format {
            Format::Ast => {
                let line = serde_json::to_string(&AstLine {
                    file: &shown,
                    encoding: decoded.encoding,
                    ast: &script,
                })
                .map_err(|e| Error::Stdout(std::io::Error::other(e)))?;
                output = format!("{line}\n");
            }
            Format::Commands => {
                output = super::parse_listing::command_lines(&shown, &decoded.text, &script)?
            }
            _ => {}
        },
        Err(e) => diagnostics.push(
            Diagnostic::new(SYNTAX_ERROR, Severity::Error, e.message, "")
                .at_span(Span::new(e.span.start, e.span.end)),
        ),
    }
    Ok(Parsed {
        path,
        text: Some(decoded.text),
        diagnostics,
        output,
        unreadable: false,
    })
}

/// The finding for a path that cannot be read (also `lint`'s).
pub(crate) fn unreadable_diagnostic(err: &std::io::Error) -> Diagnostic {
    let reason = match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => err.to_string(),
    };
    Diagnostic::new(
        UNREADABLE,
        Severity::Error,
        format!("cannot read it: {reason}."),
        "check the path and that you may read it.",
    )
}

fn unreadable(path: PathBuf, err: &std::io::Error) -> Parsed {
    Parsed {
        diagnostics: vec![unreadable_diagnostic(err)],
        path,
        text: None,
        output: String::new(),
        unreadable: true,
    }
}

#[derive(Serialize)]
struct AstLine<'a> {
    file: &'a str,
    encoding: powershell::TextEncoding,
    ast: &'a ast::Script,
}

/// Adds `path` (a file) or the scripts under it (a folder, searched recursively in name order) to
/// `inputs`; paths that cannot be listed are added as such, in their place, and the search goes
/// on.
fn collect(path: &Path, inputs: &mut Vec<Input>) {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(err) => {
            inputs.push(Input::Unlistable(path.to_path_buf(), err));
            return;
        }
    };
    if !meta.is_dir() {
        inputs.push(Input::File(path.to_path_buf()));
        return;
    }
    let mut pending = vec![path.to_path_buf()];
    let mut found = Vec::new();
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) => {
                found.push(Input::Unlistable(dir, err));
                continue;
            }
        };
        let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        for p in names.into_iter().rev() {
            // Symbolic links to folders are not followed (no loops).
            let Ok(m) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if m.is_dir() {
                pending.push(p);
            } else if is_script(&p) {
                found.push(Input::File(p));
            }
        }
    }
    if found.is_empty() {
        eprintln!(
            "xprem: warning: no *.ps1, *.psm1 or *.psd1 files under {}",
            path.display()
        );
    }
    let key = |i: &Input| match i {
        Input::File(p) | Input::Unlistable(p, _) => p.clone(),
    };
    found.sort_by_key(key);
    inputs.extend(found);
}

fn is_script(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ps1" | "psm1" | "psd1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_recognised_by_extension() {
        assert!(is_script(Path::new("a/B.PS1")));
        assert!(is_script(Path::new("m.psm1")));
        assert!(!is_script(Path::new("readme.md")));
    }
}
