//! `xprem init`.

use super::Outcome;
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args) -> Result<Outcome, Error> {
    Ok(Outcome::Problems)
}
