//! One module per command: its flags (a clap `Args` struct) and its `run` function.

use std::io::{self, Write};

use crate::error::Error;

pub mod cert;
pub mod generate;
pub mod init;
pub mod parse;
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
