//! One module per command: its flags (a clap `Args` struct) and its `run` function.

use std::io::{self, Write};

use crate::error::Error;

pub mod cert;
pub mod generate;
pub mod init;
pub mod parse;
mod parse_listing;
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

/// Parses `--as-of YYYY-MM-DD`: the date (at midnight UTC) that date-dependent checks run at.
pub fn parse_as_of(text: &str) -> Result<time::OffsetDateTime, String> {
    time::Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(|date| date.midnight().assume_utc())
    .map_err(|err| match err {
        time::error::Parse::TryFromParsed(time::error::TryFromParsed::ComponentRange(range)) => {
            format!("`{text}` is not a real date (its {} is out of range); give a date that exists, as YYYY-MM-DD", range.name())
        }
        _ => format!("`{text}` is not a date written as YYYY-MM-DD (for example 2026-06-30)"),
    })
}

/// The moment date-dependent checks run at: `--as-of`, or now.
pub fn as_of(given: Option<time::OffsetDateTime>) -> time::OffsetDateTime {
    given.unwrap_or_else(time::OffsetDateTime::now_utc)
}

/// Prints problems to standard error, one paragraph each, prefixed with the file they are in.
pub fn print_problems(file: &std::path::Path, problems: &[crate::problem::Problem]) {
    for problem in problems {
        eprintln!("xprem: {}: {problem}", file.display());
    }
}
