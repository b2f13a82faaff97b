//! Why a state file cannot be used. Every refusal names the file, the place in it (line:column
//! and the JSON path, when there is one) and the fix; nothing is written after one.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{}: cannot read the state file: {source}. Check the path and that you may read it; Export-State.ps1 writes xprem-state-onpremises.json or xprem-state-cloud.json in the folder it runs in. Nothing was written.", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: is a folder, not a state file. Give the path of the .json file Export-State.ps1 wrote. Nothing was written.", path.display())]
    IsDirectory { path: PathBuf },
    #[error("{}: the file is {bytes} bytes, far more than a state; is it the right file? States are limited to {} MiB. Nothing was written.", path.display(), super::MAX_FILE_BYTES / (1024 * 1024))]
    TooLarge { path: PathBuf, bytes: u64 },
    /// The content is wrong: the diagnostics say where and how to fix it.
    #[error("{summary} Nothing was written.")]
    Invalid {
        path: PathBuf,
        /// The decoded text, which the diagnostics' spans index into.
        text: String,
        diagnostics: Vec<Diagnostic>,
        /// The first error in one line: `file:line:column: field: message Fix: help`.
        summary: String,
    },
    #[error("{} and {}: both are {part} states, and a plan takes one of each part. Give the newest one only (the files' exported_at say when each was written). Nothing was written.", first.display(), second.display())]
    SamePart {
        first: PathBuf,
        second: PathBuf,
        part: &'static str,
    },
}

impl StateError {
    /// The text and diagnostics to show with the error, when it is about places in the file.
    pub fn diagnostics(&self) -> Option<(&std::path::Path, &str, &[Diagnostic])> {
        match self {
            StateError::Invalid {
                path,
                text,
                diagnostics,
                ..
            } => Some((path, text, diagnostics)),
            _ => None,
        }
    }
}
