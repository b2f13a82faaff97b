//! `xprem generate CONFIG --out DIR`: write the bundle of scripts for a config.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{Outcome, eprint_diagnostics, print_stdout};
use crate::bundle::{self, Bundle};
use crate::cli::{AsOf, EXIT_CODES};
use crate::config;
use crate::error::Error;
use crate::model::Model;
use crate::output;

/// Write the bundle of ready-to-run scripts for a config: the on-premises script, the Office 365
/// script (Microsoft Graph, or MSOnline), the removal script, README.txt, SHA256SUMS and
/// Verify-Bundle.ps1.
///
/// Nothing is written when the config or its certificate has an error.
#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
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
    #[command(flatten)]
    pub as_of: AsOf,
    /// Write the cloud step for this module family for this run, whatever the config's
    /// cloud_module says: `graph` (Microsoft Graph PowerShell) or `msonline` (retired).
    #[arg(long, value_name = "MODULE", value_enum)]
    pub cloud_module: Option<crate::catalog::CloudModule>,
}

pub fn run(args: &Args) -> Result<Outcome, Error> {
    let overrides = config::Overrides {
        cloud_module: args.cloud_module,
    };
    let valid = config::check_with(&args.config, args.as_of.moment(), &overrides)?.into_valid()?;
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
    eprint_diagnostics(&args.config, Some(&valid.source.text), &valid.warnings);
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
    let _ = writeln!(
        text,
        "The cloud step uses {} (cloud_module = \"{}\").",
        model.cloud_module_description, model.cloud_module
    );
    let scripts = bundle::scripts(model.cloud_module_kind);
    let purposes = scripts
        .iter()
        .map(|s| (s.file, format!("{} ({})", s.purpose, s.shell)))
        .chain([
            (
                bundle::README,
                "What each script does, in which order, and how to check and undo it".to_owned(),
            ),
            (bundle::SUMS, "SHA-256 of every file".to_owned()),
        ]);
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
