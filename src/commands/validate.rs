//! `xprem validate CONFIG`: check a config and its certificate, and print every problem.

use std::path::PathBuf;

use serde::Serialize;

use super::{Outcome, print_stdout};
use crate::cli::{AsOf, EXIT_CODES, ReportFormat};
use crate::config::{self, ConfigError, plural};
use crate::diagnostic::{Counts, Diagnostic, Severity, Span};
use crate::error::Error;
use crate::report::{self, DiagnosticJson, FileReport, Format};

/// Check a config and the certificate it names, and print every problem found, each with its
/// field path, its line and column in the file, and a fix. Exit code 1 when there is an error;
/// warnings alone exit with 0.
#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
pub struct Args {
    /// The config file (.json or .toml).
    pub config: PathBuf,
    #[command(flatten)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub as_of: AsOf,
}

/// The JSON output: `{"format_version": 2, "file", "valid", "errors", "warnings", "findings":
/// [...]}`, each finding the diagnostic object every command prints (`code`, `severity`, `file`,
/// `field`, `line`, `column`, `end_line`, `end_column`, `message`, `help`). `findings` is the
/// name `xprem cert` uses too. A config that cannot be read or parsed gets the same document,
/// with its one finding (exit 2).
#[derive(Debug, Serialize)]
struct Report<'a> {
    format_version: u32,
    file: String,
    valid: bool,
    errors: usize,
    warnings: usize,
    findings: Vec<DiagnosticJson<'a>>,
}

pub fn run(args: &Args) -> Result<Outcome, Error> {
    let format = args.format.format;
    let checked = match config::check(&args.config, args.as_of.moment()) {
        Ok(checked) => checked,
        Err(err) if format != Format::Human => {
            // Machines get the same document shape whatever went wrong, and the exit code 2.
            let (diagnostic, text) = unreadable(&err);
            let diagnostics = [diagnostic];
            let files = [FileReport {
                path: &args.config,
                text: text.as_deref(),
                diagnostics: &diagnostics,
                encoding: None,
            }];
            print_stdout(&render(format, &files, &args.config))?;
            return Err(Error::Reported);
        }
        Err(err) => return Err(err.into()),
    };
    let files = [FileReport {
        path: &args.config,
        text: Some(&checked.source.text),
        diagnostics: &checked.problems,
        encoding: None,
    }];
    let counts = Counts::of(&checked.problems);
    let text = match format {
        Format::Human => {
            let shown = args.config.display();
            let mut text = report::render_human(&files, report::colours_on_stdout());
            if counts.errors == 0 {
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
                text.push_str(&format!("{shown}: valid{what}"));
                if counts.warnings > 0 {
                    text.push_str(&format!(
                        ", with {} {}",
                        counts.warnings,
                        plural(counts.warnings, "warning", "warnings")
                    ));
                }
                text.push_str(".\n");
            } else {
                text.push_str(&format!(
                    "{shown}: {} {}, {} {}.\n",
                    counts.errors,
                    plural(counts.errors, "error", "errors"),
                    counts.warnings,
                    plural(counts.warnings, "warning", "warnings")
                ));
            }
            text
        }
        _ => render(format, &files, &args.config),
    };
    print_stdout(&text)?;
    Ok(if counts.errors == 0 {
        Outcome::Success
    } else {
        Outcome::Problems
    })
}

/// The machine forms: validate's own JSON document, or the report layer's.
fn render(format: Format, files: &[FileReport<'_>], config: &std::path::Path) -> String {
    if format != Format::Json {
        return report::render(format, files);
    }
    let counts = report::counts(files);
    let document = Report {
        format_version: 2,
        file: config.display().to_string(),
        valid: counts.errors == 0,
        errors: counts.errors,
        warnings: counts.warnings,
        findings: files.iter().flat_map(DiagnosticJson::of_file).collect(),
    };
    format!(
        "{}\n",
        serde_json::to_string_pretty(&document).expect("the report serializes")
    )
}

/// A config that cannot be checked at all, as one diagnostic (and the text it points into, when
/// it was read).
fn unreadable(err: &ConfigError) -> (Diagnostic, Option<String>) {
    let code = match err {
        ConfigError::Syntax { .. } => "config-syntax",
        ConfigError::DuplicateKey { .. } => "config-duplicate-key",
        _ => "config-unreadable",
    };
    let mut diagnostic = Diagnostic::new(code, Severity::Error, err.to_string(), "");
    let text = err.text().map(str::to_owned);
    if let (Some(text), Some(offset)) = (&text, err.offset()) {
        let end = text[offset..]
            .chars()
            .next()
            .map_or(offset, |c| offset + c.len_utf8());
        diagnostic = diagnostic.at_span(Span::new(offset, end));
    }
    (diagnostic, text)
}
