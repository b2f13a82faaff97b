//! One module per command: its flags (a clap `Args` struct) and its `run` function.

use std::io::{self, Write};

use crate::error::Error;

pub mod cert;
pub mod generate;
pub mod init;
pub mod lint;
pub mod parse;
mod parse_listing;
pub mod plan;
pub mod review;
pub mod rules;
pub mod schema;
pub mod validate;

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit code 0.
    Success,
    /// Exit code 1: the command worked and found problems (invalid config, unparsable script).
    Problems,
}

/// Writes `text` to standard output. A reader that went away (`xprem ... | head`) is not an error.
pub fn print_stdout(text: &str) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::Stdout(e)),
        _ => Ok(()),
    }
}

/// Prints diagnostics about one file to standard error in the human form (for the commands whose
/// standard output carries something else: `generate`'s summary, `cert --base64`'s value).
pub fn eprint_diagnostics(
    path: &std::path::Path,
    text: Option<&str>,
    diagnostics: &[crate::diagnostic::Diagnostic],
) {
    if diagnostics.is_empty() {
        return;
    }
    let files = [crate::report::FileReport {
        path,
        text,
        diagnostics,
        encoding: None,
    }];
    let rendered = crate::report::render_human(&files, crate::report::colours_on_stderr());
    // Nothing useful can be done if standard error is gone.
    let _ = io::stderr().lock().write_all(rendered.as_bytes());
}
