//! `xprem generate CONFIG --out DIR`: write the bundle of scripts for a config.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{Outcome, as_of, parse_as_of, print_problems, print_stdout};
use crate::bundle::{self, Bundle};
use crate::config;
use crate::error::Error;
use crate::model::Model;
use crate::output;

/// Write the bundle of ready-to-run scripts for a config: the on-premises script, the Office 365
/// (MSOnline) script, the removal script, README.txt, SHA256SUMS and Verify-Bundle.ps1.
///
/// Nothing is written when the config or its certificate has an error.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The config file (.json or .toml).
    pub config: PathBuf,
    /// The folder to write the bundle into. It must not exist yet, unless --force is given.
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the output folder if it holds a previous bundle (its SHA256SUMS and the unchanged
    /// files it lists, nothing else); the old one is removed only once the new one is complete.
    /// A folder with anything else in it is never replaced: the files that would be lost are
    /// named instead.
    #[arg(long)]
    pub force: bool,
    /// Run the date checks (certificate expiry, credential window) as of this date, YYYY-MM-DD,
    /// instead of today: for example the date of the change window.
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<time::OffsetDateTime>,
}

pub fn run(args: &Args) -> Result<Outcome, Error> {
    let valid = config::check(&args.config, as_of(args.as_of))?.into_valid()?;
    let model = Model::new(&valid);
    let bundle = Bundle::build(&model)?;
    let inputs = [
        ("config file", args.config.clone()),
        ("certificate", valid.certificate_path.clone()),
    ];
    let guard = output::FolderGuard {
        manifest: bundle::SUMS,
        inputs: &inputs,
    };
    output::write_folder(&args.out, &bundle.files, args.force, &guard)?;
    print_problems(&args.config, &valid.warnings);
    print_stdout(&summary(args, &model, &bundle))?;
    Ok(Outcome::Success)
}

fn summary(args: &Args, model: &Model, bundle: &Bundle) -> String {
    let mut text = String::new();
    let tenant = match &model.tenant.id {
        Some(id) => format!("{} ({id})", model.tenant.name),
        None => format!("{} (tenant ID looked up by step 1)", model.tenant.name),
    };
    let _ = writeln!(
        text,
        "Wrote {} for the tenant {tenant}, {}:",
        args.out.display(),
        model.cloud.description
    );
    let purposes = [
        (
            "1-Configure-OnPremises.ps1",
            "step 1: Lync Server Management Shell, on a Front End server",
        ),
        (
            "2-Configure-Office365.ps1",
            "step 2: Windows PowerShell with the MSOnline module",
        ),
        (
            "Remove-Office365Credential.ps1",
            "undoes the certificate upload of step 2",
        ),
        ("Verify-Bundle.ps1", "checks every file against SHA256SUMS"),
        (
            bundle::README,
            "what each script does, in which order, and how to check and undo it",
        ),
        (bundle::SUMS, "SHA-256 of every file"),
    ];
    for (name, purpose) in purposes {
        debug_assert!(bundle.file(name).is_some(), "{name} is in the bundle");
        let _ = writeln!(text, "  {name:<32} {purpose}");
    }
    let _ = writeln!(text, "SHA-256 of SHA256SUMS: {}", bundle.digest());
    let _ = writeln!(
        text,
        "Next: copy the folder to the server, run Verify-Bundle.ps1 there and compare that value, then follow README.txt."
    );
    text
}
