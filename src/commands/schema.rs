//! `xprem schema`: print the JSON Schema of the config file, for editors.

use super::{Outcome, print_stdout};
use crate::error::Error;

/// Print the JSON Schema of the config. Save it as `xprem.schema.json` beside a JSON config and
/// point the config's `"$schema"` at it: editors then complete and check the file.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args) -> Result<Outcome, Error> {
    print_stdout(&schema_text())?;
    Ok(Outcome::Success)
}

/// The schema as published: pretty JSON with a final newline.
pub fn schema_text() -> String {
    let mut text =
        serde_json::to_string_pretty(&crate::config::schema()).expect("a schema serializes");
    text.push('\n');
    text
}
