//! `xprem review CONFIG [--state FILE...] [--bundle DIR] --out review.html|review.md`: the
//! change-review document for a change board.

use std::path::PathBuf;

use super::plan::{load, warnings};
use super::{Outcome, eprint_diagnostics, print_stdout};
use crate::bundle::Bundle;
use crate::cli::{AsOf, EXIT_CODES};
use crate::error::Error;
use crate::output;
use crate::plan::Plan;
use crate::render::Renderer;
use crate::review::{self, Form, Inputs, ReviewError};

/// Write the change-review document a change board reads: summary, scope and impact, the plan
/// (before -> after, destructive first), the certificate, prerequisites, implementation (each
/// script with its SHA-256, where and in which shell it runs, -WhatIf first, go/no-go),
/// verification, back-out, the check of every script, and a sign-off table.
///
/// `.html` gives one self-contained file (inline CSS, no script, no web font, no external
/// request) that prints on A4; `.md` gives Markdown for a wiki or a pull request. The same inputs
/// give the same bytes. Nothing secret is in it. Nothing is written on any error.
#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
pub struct Args {
    /// The config file (.json or .toml).
    pub config: PathBuf,
    /// A state file written by Export-State.ps1 (on-premises or cloud part), as for `xprem plan`.
    #[arg(long, value_name = "FILE", num_args = 1.., action = clap::ArgAction::Append)]
    pub state: Vec<PathBuf>,
    /// Bind the review to a bundle already written: it must match its SHA256SUMS and be, byte
    /// for byte, the bundle this config gives. Without it, the review describes the bundle
    /// `xprem generate` writes from the config.
    #[arg(long, value_name = "DIR")]
    pub bundle: Option<PathBuf>,
    /// The file to write: `.html` or `.md`. It must not exist yet, unless --force is given.
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub as_of: AsOf,
    /// Review the bundle with the cloud step of this module family, as `generate --cloud-module`.
    #[arg(long, value_name = "MODULE", value_enum)]
    pub cloud_module: Option<crate::catalog::CloudModule>,
}

pub fn run(args: &Args) -> Result<Outcome, Error> {
    let form = Form::of(&args.out).ok_or_else(|| ReviewError::UnknownForm {
        path: args.out.clone(),
    })?;
    if let Some(dir) = &args.bundle
        && review::bound::inside(&args.out, dir)
    {
        return Err(ReviewError::OutInsideBundle {
            out: args.out.clone(),
            dir: dir.clone(),
        }
        .into());
    }
    let as_of = args.as_of.moment();
    let loaded = load(&args.config, &args.state, as_of, args.cloud_module, false)?;
    let bundle = Bundle::build(&loaded.model)?;
    if let Some(dir) = &args.bundle {
        review::bound::check(dir, &bundle)?;
    }
    let plan = Plan::new(&loaded.model, &loaded.states, as_of);
    let warnings = warnings(&loaded);
    let lines = warnings
        .iter()
        .flat_map(|(path, text, diagnostics)| {
            diagnostics.iter().map(move |d| {
                let place = d
                    .location
                    .span
                    .map(|s| format!(":{}", crate::config::source::position(text, s.start)))
                    .unwrap_or_default();
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                format!("{name}{place}: {d}")
            })
        })
        .collect();
    let document = review::build(&Inputs {
        config_path: &args.config,
        valid: &loaded.valid,
        model: &loaded.model,
        bundle: &bundle,
        plan: &plan,
        states: &loaded.states,
        as_of,
        bundle_dir: args.bundle.as_deref(),
        warnings: lines,
    });
    let text = Renderer::new().render(form.template(), &document)?;
    output::write_file(&args.out, text.as_bytes(), args.force)?;
    for (path, text, diagnostics) in &warnings {
        eprint_diagnostics(path, Some(text), diagnostics);
    }
    print_stdout(&format!(
        "Wrote {} ({}, 10 sections) for the bundle whose SHA256SUMS has the SHA-256 {}.\nPlan: {}.\n",
        args.out.display(),
        match form {
            Form::Html => "HTML, self-contained, prints on A4",
            Form::Markdown => "Markdown",
        },
        bundle.digest(),
        plan.count_line()
    ))?;
    Ok(Outcome::Success)
}
