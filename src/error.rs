//! The error every command can end with. Each variant is an input or usage error: the binary prints
//! it as one paragraph and exits with code 2.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Boxed: it carries the config's text, and every command's result would carry its size.
    #[error(transparent)]
    Config(Box<crate::config::ConfigError>),
    #[error(transparent)]
    Cert(#[from] crate::cert::CertError),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    #[error(transparent)]
    Review(#[from] crate::review::ReviewError),
    /// A state file that cannot be used (`plan`, `review`).
    #[error(transparent)]
    State(Box<crate::state::StateError>),
    /// A file named on the command line could not be read.
    #[error("{}: cannot read the file: {source}. Check the path and that you may read it.", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A command-line value or a settings file that cannot be used (the message says which and
    /// how to correct it).
    #[error("{0}")]
    Usage(String),
    /// The error was already reported in the command's own output format (JSON on standard
    /// output); only the exit code 2 is left to give.
    #[error("the error was reported on standard output")]
    Reported,
    /// Standard output could not be written (a closed pipe is not an error; see `cli`).
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
}

impl From<crate::state::StateError> for Error {
    fn from(err: crate::state::StateError) -> Self {
        Error::State(Box::new(err))
    }
}

impl From<crate::config::ConfigError> for Error {
    fn from(err: crate::config::ConfigError) -> Self {
        Error::Config(Box::new(err))
    }
}
