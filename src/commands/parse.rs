//! `xprem parse FILE...`: parse PowerShell scripts.

use super::Outcome;
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Script files to parse.
    #[arg(required = true)]
    pub files: Vec<std::path::PathBuf>,
}

pub fn run(_args: &Args) -> Result<Outcome, Error> {
    Ok(Outcome::Problems)
}
