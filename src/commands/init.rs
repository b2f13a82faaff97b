//! `xprem init [PATH]`: write a commented sample config to start from.

use std::path::PathBuf;

use super::{Outcome, print_stdout};
use crate::config::Format;
use crate::error::Error;
use crate::output;

/// The commented TOML sample.
pub const SAMPLE_TOML: &str = include_str!("../../templates/init/xprem.toml");

/// Write a sample config to start from. A `.toml` path (the default) gets a commented TOML
/// config; a `.json` path gets the same config in JSON, pointing at `xprem.schema.json` for
/// editors (write that file with `xprem schema > xprem.schema.json`).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the config.
    #[arg(default_value = "xprem.toml")]
    pub path: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &Args) -> Result<Outcome, Error> {
    let text = match Format::from_path(&args.path) {
        Some(Format::Toml) => sample_toml(&args.path).replace('\n', newline()),
        Some(Format::Json) => sample_json(),
        None => {
            return Err(crate::config::ConfigError::UnknownFormat {
                path: args.path.clone(),
            }
            .into());
        }
    };
    output::write_file(&args.path, text.as_bytes(), args.force)?;
    print_stdout(&format!(
        "Wrote {}. Replace its <placeholders> (tenant, web services FQDNs, certificate path), then run `xprem validate {}`.\n",
        args.path.display(),
        args.path.display()
    ))?;
    Ok(Outcome::Success)
}

/// The commented TOML sample, its header naming the file it is written to.
pub fn sample_toml(path: &std::path::Path) -> String {
    SAMPLE_TOML.replace("{file}", &path.display().to_string())
}

/// The sample as JSON: the TOML sample's values, with `$schema` for editors.
pub fn sample_json() -> String {
    let table: toml::Table = toml::from_str(SAMPLE_TOML).expect("the TOML sample is valid");
    let mut value = serde_json::json!({ "$schema": "./xprem.schema.json" });
    for (key, item) in table {
        value[key] = serde_json::to_value(item).expect("TOML values convert to JSON");
    }
    let mut text = serde_json::to_string_pretty(&value).expect("JSON serializes");
    text.push('\n');
    text
}

/// Line ends for files people open on this system.
fn newline() -> &'static str {
    if cfg!(windows) { "\r\n" } else { "\n" }
}
