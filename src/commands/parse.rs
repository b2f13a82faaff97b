//! `xprem parse PATH...`: parse PowerShell scripts and report syntax errors, the syntax tree, or
//! the commands they call.
//!
//! Output by format:
//! * `errors` (default): one `file:line:column: message` line per file that does not parse, on
//!   standard output (so it can be piped and grepped); nothing for files that parse.
//! * `ast`: one JSON object per file per line: `{"file", "encoding", "ast"}`; files that do not
//!   parse are reported on standard error in the `errors` form.
//! * `commands`: one JSON object per command invocation per line:
//!   `{"file","line","column","name","parameters":["-Name",...],"arguments":N,"splats":[...]}`,
//!   with parameters bound as the semantic layer binds them (see `parse_listing.rs`); files that
//!   do not parse are reported on standard error in the `errors` form.
//!
//! When more than one file is read, a one-line summary goes to standard error.
//! Exit codes: 0 every file parses, 1 some file does not, 2 a path cannot be read (the other
//! files are still parsed and reported first).
//!
//! Files are decoded like PowerShell reads them: UTF-8 with or without a BOM, UTF-16 (BOM or
//! sniffed), otherwise Windows-1252.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Outcome, print_stdout};
use crate::error::Error;
use crate::powershell::{self, ast};

/// What to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line:column: message` on standard output for each file that does not parse.
    Errors,
    /// The syntax tree of each file as JSON (one object per line).
    Ast,
    /// Every command invocation as JSON (one object per line): name, parameters, argument count,
    /// splats.
    Commands,
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Output: with --format errors, one `file:line:column: message` line per \
file that does not parse, on standard output; with the other formats those lines go to standard \
error. A one-line summary goes to standard error when more than one file is read.\n\
Exit status: 0 every file parses, 1 some file has a syntax error, 2 a path cannot be read."
)]
pub struct Args {
    /// Script files, or folders to search for *.ps1, *.psm1 and *.psd1 files.
    #[arg(required = true, value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Errors)]
    pub format: Format,
}

pub fn run(args: &Args) -> Result<Outcome, Error> {
    let mut files = Vec::new();
    let mut unreadable: Vec<Error> = Vec::new();
    for path in &args.files {
        collect(path, &mut files, &mut unreadable);
    }
    let mut failed = 0usize;
    let mut parsed = 0usize;
    for file in &files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(source) => {
                unreadable.push(Error::Read {
                    path: file.clone(),
                    source,
                });
                continue;
            }
        };
        parsed += 1;
        let decoded = powershell::decode(&bytes);
        let shown = file.display().to_string();
        match powershell::parse(&decoded.text) {
            Ok(script) => match args.format {
                Format::Errors => {}
                Format::Ast => {
                    let line = serde_json::to_string(&AstLine {
                        file: &shown,
                        encoding: decoded.encoding,
                        ast: &script,
                    })
                    .map_err(|e| Error::Stdout(std::io::Error::other(e)))?;
                    print_stdout(&format!("{line}\n"))?;
                }
                Format::Commands => print_stdout(&super::parse_listing::command_lines(
                    &shown,
                    &decoded.text,
                    &script,
                )?)?,
            },
            Err(e) => {
                failed += 1;
                let line = format!("{shown}:{}:{}: {}\n", e.line, e.column, e.message);
                if args.format == Format::Errors {
                    print_stdout(&line)?;
                } else {
                    eprint!("{line}");
                }
            }
        }
    }
    if files.len() > 1 {
        eprintln!(
            "xprem: parsed {parsed} file{}: {} with syntax errors",
            if parsed == 1 { "" } else { "s" },
            if failed == 0 {
                "none".to_string()
            } else {
                failed.to_string()
            }
        );
    }
    if let Some(last) = unreadable.pop() {
        for e in unreadable {
            eprintln!("xprem: error: {e}");
        }
        return Err(last);
    }
    Ok(if failed == 0 {
        Outcome::Success
    } else {
        Outcome::Problems
    })
}

#[derive(Serialize)]
struct AstLine<'a> {
    file: &'a str,
    encoding: powershell::TextEncoding,
    ast: &'a ast::Script,
}

/// Adds `path` (a file) or the scripts under it (a folder, searched recursively in name order) to
/// `files`; paths that cannot be read go to `unreadable` and the search goes on.
fn collect(path: &Path, files: &mut Vec<PathBuf>, unreadable: &mut Vec<Error>) {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(source) => {
            unreadable.push(Error::Read {
                path: path.to_path_buf(),
                source,
            });
            return;
        }
    };
    if !meta.is_dir() {
        files.push(path.to_path_buf());
        return;
    }
    let mut pending = vec![path.to_path_buf()];
    let mut found = Vec::new();
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(source) => {
                unreadable.push(Error::Read { path: dir, source });
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
                found.push(p);
            }
        }
    }
    if found.is_empty() {
        eprintln!(
            "xprem: warning: no *.ps1, *.psm1 or *.psd1 files under {}",
            path.display()
        );
    }
    found.sort();
    files.extend(found);
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
