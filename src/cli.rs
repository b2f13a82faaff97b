//! Command-line arguments and dispatch. Each command's flags live beside its code in
//! `commands::*`; this file only names the commands and maps outcomes to exit codes.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::{self, Outcome};

/// Generate, read back and check the PowerShell that connects an on-premises Lync Server 2013 /
/// Skype for Business Server deployment to Office 365 (server-to-server OAuth, "cross-premises").
///
/// Exit codes: 0 ok, 1 problems found, 2 usage or input error.
#[derive(Debug, Parser)]
#[command(name = "xprem", version, about, long_about, max_term_width = 100)]
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
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(crate::error::Error::Reported) => ExitCode::from(2),
        Err(err) => {
            eprintln!("xprem: error: {err}");
            ExitCode::from(2)
        }
    }
}
