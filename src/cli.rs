//! Command-line arguments and dispatch. Each command's own flags live beside its code in
//! `commands::*`; this file names the commands, holds the flags several commands share (one
//! definition, one help text, one behaviour each), and maps outcomes to exit codes.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::{self, Outcome};

/// The exit codes of every command, described once: each command's `--help` ends with them.
pub const EXIT_CODES: &str = "Exit codes:\n  \
0  success: nothing was found that needs attention (warnings alone do not count)\n  \
1  problems found: an error in the config (validate), in the certificate (cert), a syntax error in a script (parse), a finding at or above --fail-on (lint)\n  \
2  usage or input error: bad arguments, a file that cannot be read or is not what it should be, a config with errors given to generate, an output that exists or cannot be written; nothing is written";

/// Generate, read back and check the PowerShell that connects an on-premises Lync Server 2013 /
/// Skype for Business Server deployment to Office 365 (server-to-server OAuth, "cross-premises").
#[derive(Debug, Parser)]
#[command(
    name = "xprem",
    version,
    about,
    long_about,
    max_term_width = 100,
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the bundle of ready-to-run scripts for a config.
    Generate(commands::generate::Args),
    /// Check a config and its certificate and print every problem found.
    Validate(commands::validate::Args),
    /// Write a commented sample config to start from.
    Init(commands::init::Args),
    /// Print the JSON Schema of the config file.
    Schema(commands::schema::Args),
    /// Show what a certificate file holds, and whether it can serve as the OAuth certificate.
    Cert(commands::cert::Args),
    /// Parse PowerShell scripts and report syntax errors, the syntax tree or the commands called.
    Parse(commands::parse::Args),
    /// Check PowerShell scripts with rules that know this domain, and fix what is safe to fix.
    Lint(commands::lint::Args),
    /// List the lint rules.
    Rules(commands::rules::RulesArgs),
    /// Print the documentation of one lint rule.
    Explain(commands::rules::ExplainArgs),
    /// Show what the scripts will change against the current state, like terraform plan.
    Plan(commands::plan::Args),
    /// Write the change-review document (HTML or Markdown) for a change board.
    Review(commands::review::Args),
}

/// Runs xprem with the process arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match &cli.command {
        Command::Generate(args) => commands::generate::run(args),
        Command::Validate(args) => commands::validate::run(args),
        Command::Init(args) => commands::init::run(args),
        Command::Schema(args) => commands::schema::run(args),
        Command::Cert(args) => commands::cert::run(args),
        Command::Parse(args) => commands::parse::run(args),
        Command::Lint(args) => commands::lint::run(args),
        Command::Rules(args) => commands::rules::list(args),
        Command::Explain(args) => commands::rules::explain(args),
        Command::Plan(args) => commands::plan::run(args),
        Command::Review(args) => commands::review::run(args),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(crate::error::Error::Reported) => ExitCode::from(2),
        Err(err) => {
            // A config with errors: every problem in the human form, then the one-line verdict.
            if let crate::error::Error::Config(config) = &err
                && let crate::config::ConfigError::Invalid {
                    path,
                    text,
                    problems,
                } = &**config
            {
                commands::eprint_diagnostics(path, Some(text), problems);
            }
            eprintln!("xprem: error: {err}");
            ExitCode::from(2)
        }
    }
}

/// `--as-of`: the date that date-dependent checks run at.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AsOf {
    /// Run the date checks (certificate expiry, credential window) as of this date, YYYY-MM-DD,
    /// at 00:00:00 UTC, instead of now: the date of the change window, say.
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    pub date: Option<time::OffsetDateTime>,
}

impl AsOf {
    /// The moment the checks run at: the given date, or now (in whole seconds: sub-second
    /// precision would only make the output noisier).
    pub fn moment(&self) -> time::OffsetDateTime {
        self.date.unwrap_or_else(|| {
            let now = time::OffsetDateTime::now_utc();
            now.replace_nanosecond(0).unwrap_or(now)
        })
    }
}

/// Parses `--as-of YYYY-MM-DD`, at midnight UTC.
pub fn parse_as_of(text: &str) -> Result<time::OffsetDateTime, String> {
    time::Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(|date| date.midnight().assume_utc())
    .map_err(|err| match err {
        time::error::Parse::TryFromParsed(time::error::TryFromParsed::ComponentRange(range)) => {
            format!("`{text}` is not a real date (its {} is out of range); give a date that exists, as YYYY-MM-DD", range.name())
        }
        _ => format!("`{text}` is not a date written as YYYY-MM-DD (for example 2026-06-30)"),
    })
}

/// `--format` for the commands that report findings.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportFormat {
    /// How to print the findings: `human` (the default: each finding with its place, the lines
    /// around it and the fix), `json`, `sarif` (SARIF 2.1.0, for code scanning), `gcc`
    /// (`file:line:column: severity: message`) or `github` (GitHub Actions annotations).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = crate::report::Format::Human)]
    pub format: crate::report::Format,
}
