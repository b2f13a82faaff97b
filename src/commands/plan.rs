//! `xprem plan CONFIG [--state FILE...]`: what the bundle's scripts will change, against the
//! current state that `Export-State.ps1` exported.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Outcome, eprint_diagnostics, print_stdout};
use crate::cli::AsOf;
use crate::config::{self, Valid};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::model::Model;
use crate::moment::{rfc3339, utc_text};
use crate::plan::{self, Plan};
use crate::report::{DiagnosticJson, FileReport};
use crate::state::{self, Matched, StateError};

/// The exit codes of `plan`: those of `terraform plan -detailed-exitcode`.
pub const PLAN_EXIT_CODES: &str = "Exit codes (as terraform plan -detailed-exitcode):\n  \
0  no changes: every object is as the config wants it\n  \
1  changes: the scripts would change something, or what is there is unknown (no --state for a part, or a value it could not read)\n  \
2  error: bad arguments, a config with errors, a state file that cannot be read, is not JSON, has an unknown format_version, or is from another tenant or deployment; nothing is written";

/// Show what the bundle's scripts will change, object by object, before and after, destructive
/// changes first, the checks the scripts make first, and the counts, like `terraform plan`.
///
/// The current state comes from the files Export-State.ps1 (in the bundle) writes: -Part
/// OnPremises on a Front End server, -Part Cloud where step 2 runs. Give either or both; without
/// a state for a part, its objects are unknown and the plan says what the script does in each
/// case. A state from another tenant or deployment is an error, never a wrong plan.
#[derive(Debug, clap::Args)]
#[command(after_help = PLAN_EXIT_CODES)]
pub struct Args {
    /// The config file (.json or .toml).
    pub config: PathBuf,
    /// A state file written by Export-State.ps1 (on-premises or cloud part). Give it twice, or
    /// two files after one --state, for both parts.
    #[arg(long, value_name = "FILE", num_args = 1.., action = clap::ArgAction::Append)]
    pub state: Vec<PathBuf>,
    /// `text` (the default) for people; `json` for machines: `changes[]` with `object`,
    /// `actions` (as terraform: ["create"], ["update"], ["delete", "create"], ["delete"],
    /// ["no-op"], or ["unknown"]), `before` and `after`, and the checks and counts.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    #[command(flatten)]
    pub as_of: AsOf,
    /// Plan for the cloud step of this module family, whatever the config's cloud_module says,
    /// as `generate --cloud-module` writes it.
    #[arg(long, value_name = "MODULE", value_enum)]
    pub cloud_module: Option<crate::catalog::CloudModule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    /// For people: one line per object with +, ~, -/+, -, ? and before -> after.
    #[value(alias = "human")]
    Text,
    /// One JSON document.
    Json,
}

/// A valid config, its model and the matched states: what `plan` and `review` start from.
pub struct Loaded {
    pub valid: Valid,
    pub model: Model,
    pub states: Matched,
}

/// Reads and checks the config and the states. A state error is shown with its place (on
/// standard error, or as `json` on standard output) and ends the run with exit code 2.
pub fn load(
    config_path: &Path,
    state_paths: &[PathBuf],
    as_of: time::OffsetDateTime,
    cloud_module: Option<crate::catalog::CloudModule>,
    json: bool,
) -> Result<Loaded, Error> {
    let overrides = config::Overrides { cloud_module };
    let valid = config::check_with(config_path, as_of, &overrides)?.into_valid()?;
    let model = Model::new(&valid);
    let mut files = Vec::new();
    for path in state_paths {
        files.push(state::read(path).map_err(|e| state_error(e, json))?);
    }
    let states =
        state::match_states(files, &model, config_path, as_of).map_err(|e| state_error(e, json))?;
    Ok(Loaded {
        valid,
        model,
        states,
    })
}

/// Shows a state error's diagnostics: the human form on standard error, or a JSON document on
/// standard output.
fn state_error(err: StateError, json: bool) -> Error {
    if json {
        let (path, text, diagnostics) = match err.diagnostics() {
            Some((path, text, diagnostics)) => (
                path.to_path_buf(),
                Some(text.to_owned()),
                diagnostics.to_vec(),
            ),
            None => (
                PathBuf::new(),
                None,
                vec![Diagnostic::new(
                    "state-unreadable",
                    crate::diagnostic::Severity::Error,
                    err.to_string(),
                    "",
                )],
            ),
        };
        let files = [FileReport {
            path: &path,
            text: text.as_deref(),
            diagnostics: &diagnostics,
            encoding: None,
        }];
        let document = serde_json::json!({
            "format_version": 1,
            "error": err.to_string(),
            "diagnostics": files.iter().flat_map(DiagnosticJson::of_file).collect::<Vec<_>>(),
        });
        if print_stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&document).expect("serializes")
        ))
        .is_ok()
        {
            eprintln!("xprem: error: {err}");
            return Error::Reported;
        }
    } else if let Some((path, text, diagnostics)) = err.diagnostics() {
        eprint_diagnostics(path, Some(text), diagnostics);
    }
    err.into()
}

/// The warnings of the config and of each state, for the report.
pub fn warnings(loaded: &Loaded) -> Vec<(PathBuf, String, Vec<Diagnostic>)> {
    let mut out = Vec::new();
    if !loaded.valid.warnings.is_empty() {
        out.push((
            loaded.valid.source.path.clone(),
            loaded.valid.source.text.clone(),
            loaded.valid.warnings.clone(),
        ));
    }
    for file in loaded.states.files() {
        if !file.warnings.is_empty() {
            out.push((file.path.clone(), file.text.clone(), file.warnings.clone()));
        }
    }
    out
}

pub fn run(args: &Args) -> Result<Outcome, Error> {
    let as_of = args.as_of.moment();
    let json = args.format == PlanFormat::Json;
    let loaded = load(&args.config, &args.state, as_of, args.cloud_module, json)?;
    let plan = Plan::new(&loaded.model, &loaded.states, as_of);
    let warnings = warnings(&loaded);
    let text = match args.format {
        PlanFormat::Text => {
            for (path, text, diagnostics) in &warnings {
                eprint_diagnostics(path, Some(text), diagnostics);
            }
            plan::text::render(&plan, &header(&args.config, &loaded, as_of))
        }
        PlanFormat::Json => json_document(&args.config, &loaded, &plan, as_of, &warnings),
    };
    print_stdout(&text)?;
    Ok(if plan.has_changes() {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

fn header(config: &Path, loaded: &Loaded, as_of: time::OffsetDateTime) -> String {
    let model = &loaded.model;
    let tenant = match loaded.states.tenant_id(model) {
        Some(id) => format!("{} ({id})", model.tenant.name),
        None => format!("{} (tenant ID looked up by step 1)", model.tenant.name),
    };
    let mut text = format!(
        "Plan for {}: tenant {tenant}, {}, cloud step by {}; as of {}.\n",
        config.display(),
        model.cloud.description,
        model.cloud_module_description,
        utc_text(as_of)
    );
    for part in [state::Part::OnPremises, state::Part::Cloud] {
        let file = match part {
            state::Part::OnPremises => loaded.states.on_premises.as_ref(),
            state::Part::Cloud => loaded.states.cloud.as_ref(),
        };
        match file {
            Some(file) => {
                let at = file.exported_at.map_or_else(|| "at an unknown time".to_owned(), |t| format!("on {}", utc_text(t)));
                let on = file.computer.as_deref().map(|c| format!(" on {c}")).unwrap_or_default();
                text.push_str(&format!("State, {}: {} (exported {at}{on}).\n", part.describe(), file.path.display()));
            }
            None => text.push_str(&format!(
                "State, {}: none given, so its objects are unknown (Export-State.ps1 -Part {} writes it).\n",
                part.describe(),
                part.flag()
            )),
        }
    }
    text
}

#[derive(Serialize)]
struct StateJson {
    file: String,
    part: state::Part,
    exported_at: Option<String>,
    computer: Option<String>,
    exported_by_xprem: Option<String>,
}

fn json_document(
    config: &Path,
    loaded: &Loaded,
    plan: &Plan,
    as_of: time::OffsetDateTime,
    warnings: &[(PathBuf, String, Vec<Diagnostic>)],
) -> String {
    let model = &loaded.model;
    let files: Vec<FileReport> = warnings
        .iter()
        .map(|(path, text, diagnostics)| FileReport {
            path,
            text: Some(text),
            diagnostics,
            encoding: None,
        })
        .collect();
    let states: Vec<StateJson> = loaded
        .states
        .files()
        .map(|f| StateJson {
            file: f.path.display().to_string(),
            part: f.part,
            exported_at: f.exported_at.map(rfc3339),
            computer: f.computer.clone(),
            exported_by_xprem: f.exported_by_xprem.clone(),
        })
        .collect();
    let document = serde_json::json!({
        "format_version": 1,
        "config": config.display().to_string(),
        "config_sha256": model.config_sha256,
        "as_of": rfc3339(as_of),
        "tenant": {"name": model.tenant.name, "id": loaded.states.tenant_id(model)},
        "cloud": model.cloud.name,
        "cloud_module": model.cloud_module,
        "states": states,
        "has_changes": plan.has_changes(),
        "summary": plan.summary,
        "changes": plan.changes,
        "checks": plan.checks,
        "diagnostics": files.iter().flat_map(DiagnosticJson::of_file).collect::<Vec<_>>(),
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&document).expect("the plan serializes")
    )
}
