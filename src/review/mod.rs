//! The change-review document: what a change board reads before the scripts run, bound to the
//! exact bytes of the bundle (each script's SHA-256, and the SHA-256 of SHA256SUMS), with the
//! plan against the current state. Ten sections, in this order: summary, scope and impact, the
//! plan, the certificate, prerequisites, implementation, verification, back-out, script checks,
//! approvals.
//!
//! [`Document`] is everything the templates print (`templates/review/review.html.j2` and
//! `review.md.j2`); it is built from typed stages only (a valid config, its model, the bundle,
//! the plan), and holds nothing secret: no key value, no certificate body.

pub mod bound;
mod content;
pub mod script_checks;

use std::path::PathBuf;

use serde::Serialize;

pub use content::{Inputs, build};

/// The two forms of the document, chosen by the `--out` file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// One self-contained HTML file: inline CSS, no script, no web font, no external request.
    Html,
    /// Markdown for a wiki or a pull request.
    Markdown,
}

impl Form {
    pub fn of(path: &std::path::Path) -> Option<Form> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "html" | "htm" => Some(Form::Html),
            "md" | "markdown" => Some(Form::Markdown),
            _ => None,
        }
    }

    pub fn template(self) -> &'static str {
        match self {
            Form::Html => "review/review.html.j2",
            Form::Markdown => "review/review.md.j2",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("{}: xprem writes the review as HTML (.html) or Markdown (.md), chosen by the extension, and cannot tell which one this is. Nothing was written. Give a path ending in .html or .md.", path.display())]
    UnknownForm { path: PathBuf },
    #[error("{}: cannot read the bundle: {source}. Nothing was written. Give --bundle the folder xprem generate wrote.", path.display())]
    BundleUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: the bundle does not match its SHA256SUMS{}{}. Nothing was written. A bundle whose files are not the ones xprem wrote cannot be reviewed: generate it again (xprem generate --force), and copy it whole.", dir.display(), if mismatched.is_empty() { String::new() } else { format!(": {}", mismatched.join(", ")) }, if unlisted.is_empty() { String::new() } else { format!("; it also holds {}, which SHA256SUMS does not list (they would travel with the bundle unreviewed)", unlisted.join(", ")) })]
    SumsMismatch {
        dir: PathBuf,
        mismatched: Vec<String>,
        unlisted: Vec<String>,
    },
    #[error("{}: the bundle matches its SHA256SUMS, but is not the bundle this config gives with this xprem ({}): {} differ. It was generated from another config, with another --cloud-module, or by another xprem version. Nothing was written. Review it with the same config, --cloud-module and xprem version, or generate the bundle again.", dir.display(), env!("CARGO_PKG_VERSION"), differing.join(", "))]
    NotThisBundle {
        dir: PathBuf,
        differing: Vec<String>,
    },
    #[error("{}: the review would be written inside the bundle folder {}, where SHA256SUMS does not list it. Nothing was written. Write it beside the bundle, for example --out review.html.", out.display(), dir.display())]
    OutInsideBundle { out: PathBuf, dir: PathBuf },
}

/// A value in the document: text, with how to show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    pub value: String,
    /// Shown in a fixed-width font (hashes, IDs, URLs, commands).
    pub code: bool,
}

impl Row {
    pub fn text(name: impl Into<String>, value: impl Into<String>) -> Row {
        Row {
            name: name.into(),
            value: value.into(),
            code: false,
        }
    }

    pub fn code(name: impl Into<String>, value: impl Into<String>) -> Row {
        Row {
            name: name.into(),
            value: value.into(),
            code: true,
        }
    }
}

/// Everything the templates print.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub title: String,
    pub xprem_version: &'static str,
    /// `2026-11-26`.
    pub as_of: String,
    pub config_file: String,
    pub config_sha256: String,
    pub bundle_digest: String,
    /// How the review is bound to the bundle, in words.
    pub bound_to: String,
    pub header: Vec<Row>,
    pub sections: Vec<SectionTitle>,
    pub summary: Summary,
    pub scope: Scope,
    pub plan: PlanSection,
    pub certificate: Vec<Row>,
    pub certificate_note: String,
    pub prerequisites: Vec<Row>,
    pub implementation: Implementation,
    pub verification: Vec<Step>,
    pub backout: Backout,
    pub checks: ScriptChecks,
    pub approvals: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionTitle {
    pub number: usize,
    pub id: &'static str,
    pub title: &'static str,
    /// The anchor GitHub and most wikis give the Markdown heading `## 2. Scope and impact`.
    pub anchor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub what: String,
    pub why: String,
    pub count_line: String,
    pub counts: crate::plan::Summary,
    /// The destructive changes, by object, with why.
    pub destructive: Vec<Row>,
    /// Every change that is not a no-op, one line each (destructive first).
    pub changes: Vec<ChangeLine>,
    pub failing_checks: Vec<Row>,
    /// Warnings of the config and the states, one line each.
    pub warnings: Vec<String>,
    pub states: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeLine {
    pub symbol: &'static str,
    /// `create`, `update`, `replace`, `unknown`...: also the CSS class.
    pub action: &'static str,
    pub object: String,
    pub destructive: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scope {
    pub tenant: Vec<Row>,
    pub pools: Vec<PoolRow>,
    pub servers_known: bool,
    pub server_count: usize,
    pub left_alone: Vec<String>,
    pub users: Vec<String>,
    pub window: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PoolRow {
    pub web_services_fqdn: String,
    pub spn: String,
    pub pool: String,
    pub site: String,
    pub servers: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanSection {
    pub intro: String,
    pub changes: Vec<ChangeBlock>,
    pub checks: Vec<CheckRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeBlock {
    pub symbol: &'static str,
    pub action: &'static str,
    pub action_word: &'static str,
    pub object: String,
    pub step: &'static str,
    pub destructive: bool,
    pub requires: String,
    pub attributes: Vec<AttributeRow>,
    pub kept: Vec<String>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttributeRow {
    pub name: String,
    pub before: String,
    pub after: String,
    pub changed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckRow {
    /// `pass`, `fail`, `unknown`: also the CSS class.
    pub status: &'static str,
    pub mark: &'static str,
    pub name: String,
    pub detail: String,
    pub step: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Implementation {
    pub go_no_go: Vec<String>,
    pub steps: Vec<ImplementationStep>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImplementationStep {
    pub number: usize,
    pub file: String,
    pub runs: String,
    pub shell: String,
    pub who: String,
    pub sha256: String,
    pub purpose: String,
    pub commands: Vec<String>,
    pub go_on_when: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub what: String,
    /// The bundle's script this step runs, and its SHA-256 (empty when it runs none).
    pub script: String,
    pub sha256: String,
    pub commands: Vec<String>,
    pub expect: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Backout {
    pub triggers: Vec<String>,
    pub steps: Vec<Step>,
    pub duration: String,
    pub confirm: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScriptChecks {
    pub checker: &'static str,
    pub all_clean: bool,
    pub scripts: Vec<ScriptCheck>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScriptCheck {
    pub file: String,
    pub sha256: String,
    pub clean: bool,
    pub findings: Vec<String>,
}

/// The ten sections, in order: the templates and the browser test read this list.
pub const SECTIONS: [(&str, &str); 10] = [
    ("summary", "Summary"),
    ("scope", "Scope and impact"),
    ("plan", "The plan"),
    ("certificate", "The certificate"),
    ("prerequisites", "Prerequisites"),
    ("implementation", "Implementation"),
    ("verification", "Verification"),
    ("backout", "Back-out"),
    ("script-checks", "Script checks"),
    ("approvals", "Approvals"),
];
