//! `xprem validate CONFIG`: check a config and its certificate, and print every problem.

use std::path::PathBuf;

use serde::Serialize;

use super::{Outcome, as_of, parse_as_of, print_stdout};
use crate::config::{self, plural};
use crate::error::Error;
use crate::problem::{Problem, Severity};

/// Check a config and the certificate it names, and print every problem found, each with its
/// field path and a fix. Exit code 1 when there is an error; warnings alone exit with 0.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The config file (.json or .toml).
    pub config: PathBuf,
    /// Output format: `text` for people, `json` for machines.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Run the date checks (certificate expiry, credential window) as of this date, YYYY-MM-DD,
    /// instead of today.
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<time::OffsetDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// The JSON output: `{"format_version": 1, "file", "valid", "errors", "warnings", "findings":
/// [{"severity", "place", "message", "fix"}]}`. `findings` is the name `xprem cert` uses too. A
/// config that cannot be read or parsed gets the same document, with its one finding (exit 2).
#[derive(Debug, Serialize)]
struct Report<'a> {
    format_version: u32,
    file: String,
    valid: bool,
    errors: usize,
    warnings: usize,
    findings: &'a [Problem],
}

pub fn run(args: &Args) -> Result<Outcome, Error> {
    let checked = match config::check(&args.config, as_of(args.as_of)) {
        Ok(checked) => checked,
        Err(err) if args.format == Format::Json => {
            // Machines get the same document shape whatever went wrong, and the exit code 2.
            let finding = Problem::error(err.place(), err.to_string(), "");
            let report = Report {
                format_version: 1,
                file: args.config.display().to_string(),
                valid: false,
                errors: 1,
                warnings: 0,
                findings: std::slice::from_ref(&finding),
            };
            print_stdout(&format!(
                "{}\n",
                serde_json::to_string_pretty(&report).expect("the report serializes")
            ))?;
            return Err(Error::Reported);
        }
        Err(err) => return Err(err.into()),
    };
    let errors = checked
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = checked.problems.len() - errors;
    let file = args.config.display().to_string();
    let text = match args.format {
        Format::Json => {
            let report = Report {
                format_version: 1,
                file,
                valid: errors == 0,
                errors,
                warnings,
                findings: &checked.problems,
            };
            format!(
                "{}\n",
                serde_json::to_string_pretty(&report).expect("the report serializes")
            )
        }
        Format::Text => {
            let mut text: String = checked
                .problems
                .iter()
                .map(|p| format!("{file}: {p}\n"))
                .collect();
            if errors == 0 {
                let what = match (&checked.config, &checked.certificate) {
                    (Some(config), Some(certificate)) => format!(
                        " (tenant {}, cloud {}, {} {}, certificate {})",
                        config.tenant.name,
                        config.cloud.name(),
                        config.on_premises.web_services_fqdns.len(),
                        plural(config.on_premises.web_services_fqdns.len(), "SPN", "SPNs"),
                        certificate.sha1_thumbprint
                    ),
                    _ => String::new(),
                };
                text.push_str(&format!("{file}: valid{what}"));
                if warnings > 0 {
                    text.push_str(&format!(
                        ", with {warnings} {}",
                        plural(warnings, "warning", "warnings")
                    ));
                }
                text.push_str(".\n");
            } else {
                text.push_str(&format!(
                    "{file}: {errors} {}, {warnings} {}.\n",
                    plural(errors, "error", "errors"),
                    plural(warnings, "warning", "warnings")
                ));
            }
            text
        }
    };
    print_stdout(&text)?;
    Ok(if errors == 0 {
        Outcome::Success
    } else {
        Outcome::Problems
    })
}
