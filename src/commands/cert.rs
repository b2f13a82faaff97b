//! `xprem cert FILE`: show what a certificate holds.

use super::Outcome;
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The certificate file (.cer: DER or Base64/PEM).
    pub file: std::path::PathBuf,
}

pub fn run(args: &Args) -> Result<Outcome, Error> {
    Err(crate::cert::CertError::Unimplemented { path: args.file.clone() }.into())
}
