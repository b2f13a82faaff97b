//! The plan: what the bundle's scripts will change, object by object, given the current state,
//! the way `terraform plan` shows it. It mirrors the scripts' own decisions (the same comparisons:
//! PowerShell's case-insensitive `-eq`, a minute's tolerance on credential dates, a key matched
//! only by its certificate's thumbprint), so that what the board approves is what the scripts do.
//!
//! Without a state for a part, each of its objects is *unknown*, and the plan says what the script
//! does in each case. Built from a [`Model`] and [`Matched`] states only: the typed stages that
//! prove the config is valid and the states are this deployment's.

mod cloud;
mod onpremises;
pub mod text;

use serde::Serialize;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::model::Model;
use crate::state::{Matched, Part};

/// The script that makes the on-premises changes.
pub const ON_PREMISES_STEP: &str = "1-Configure-OnPremises.ps1";
/// The script that makes the cloud changes.
pub const CLOUD_STEP: &str = "2-Configure-Office365.ps1";

/// What happens to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// `-/+`: removed and made again (or its one key swapped for another).
    Replace,
    /// `-`.
    Delete,
    /// `+`.
    Create,
    /// `~`: changed in place.
    Update,
    /// `?`: no state says what is there; the notes say what the script does in each case.
    Unknown,
    /// Nothing to change.
    NoOp,
}

impl Action {
    /// The symbol of the text form.
    pub fn symbol(self) -> &'static str {
        match self {
            Action::Replace => "-/+",
            Action::Delete => "-",
            Action::Create => "+",
            Action::Update => "~",
            Action::Unknown => "?",
            Action::NoOp => "=",
        }
    }

    /// `actions` of the JSON form, as terraform's plan JSON writes them.
    pub fn actions(self) -> &'static [&'static str] {
        match self {
            Action::Replace => &["delete", "create"],
            Action::Delete => &["delete"],
            Action::Create => &["create"],
            Action::Update => &["update"],
            Action::Unknown => &["unknown"],
            Action::NoOp => &["no-op"],
        }
    }

    /// In words, for documents.
    pub fn word(self) -> &'static str {
        match self {
            Action::Replace => "replace",
            Action::Delete => "delete",
            Action::Create => "create",
            Action::Update => "update in place",
            Action::Unknown => "unknown",
            Action::NoOp => "no change",
        }
    }
}

/// An existing item that the change keeps (a key credential of another certificate, an SPN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kept {
    pub what: String,
    /// "expired 12 days ago", "valid, expires in 300 days", or empty.
    pub status: String,
    pub expired: bool,
}

/// One object of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `oauth_server "microsoft.sts"`, `key_credential 9FE4... on service_principal 00000004-...`.
    pub object: String,
    pub kind: &'static str,
    pub name: String,
    pub part: Part,
    /// The script that makes the change.
    pub step: &'static str,
    #[serde(rename = "actions", serialize_with = "serialize_actions")]
    pub action: Action,
    /// Something that works now may stop working: a replacement, a removal, a trust repointed.
    pub destructive: bool,
    /// A switch the script needs before it makes this change (`-ReplaceExisting`).
    pub requires: Option<&'static str>,
    /// The attributes before (`None`: the object is not there, or is unknown).
    pub before: Option<Map<String, Value>>,
    /// The attributes after (`None`: the object is removed).
    pub after: Option<Map<String, Value>>,
    pub notes: Vec<String>,
    pub kept: Vec<Kept>,
}

impl Change {
    fn new(kind: &'static str, name: impl Into<String>, object: String, part: Part) -> Change {
        Change {
            object,
            kind,
            name: name.into(),
            part,
            step: match part {
                Part::OnPremises => ON_PREMISES_STEP,
                Part::Cloud => CLOUD_STEP,
            },
            action: Action::NoOp,
            destructive: false,
            requires: None,
            before: None,
            after: None,
            notes: Vec::new(),
            kept: Vec::new(),
        }
    }

    /// The attributes whose value differs, as (name, before, after); every attribute of a
    /// created or removed object.
    pub fn differences(&self) -> Vec<(String, Value, Value)> {
        let mut names: Vec<&String> = Vec::new();
        for map in [&self.before, &self.after].into_iter().flatten() {
            for key in map.keys() {
                if !names.contains(&key) {
                    names.push(key);
                }
            }
        }
        names
            .into_iter()
            .filter_map(|name| {
                let before = self
                    .before
                    .as_ref()
                    .and_then(|m| m.get(name))
                    .cloned()
                    .unwrap_or(Value::Null);
                let after = self
                    .after
                    .as_ref()
                    .and_then(|m| m.get(name))
                    .cloned()
                    .unwrap_or(Value::Null);
                (before != after || self.action == Action::Unknown)
                    .then(|| (name.clone(), before, after))
            })
            .collect()
    }
}

/// Whether a precondition of the scripts holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Pass,
    Fail,
    Unknown,
}

/// A precondition the scripts check before they change anything, or a reason a change will not
/// be made, as the state shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: String,
    pub status: CheckStatus,
    pub detail: String,
    pub step: &'static str,
}

/// Counts by action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub replace: usize,
    pub delete: usize,
    pub unknown: usize,
    pub no_op: usize,
    pub destructive: usize,
    /// Checks that fail: something the scripts will stop at, or will not do.
    pub failing_checks: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Destructive changes first, then by script, then in the order the scripts make them.
    pub changes: Vec<Change>,
    pub checks: Vec<Check>,
    pub summary: Summary,
}

impl Plan {
    pub fn new(model: &Model, states: &Matched, as_of: OffsetDateTime) -> Plan {
        let mut changes = Vec::new();
        let mut checks = Vec::new();
        let on_premises = states.on_premises.as_ref().and_then(|f| f.on_premises());
        onpremises::plan(model, states, on_premises, &mut changes, &mut checks);
        let cloud = states.cloud.as_ref().and_then(|f| f.cloud());
        cloud::plan(model, cloud, as_of, &mut changes, &mut checks);
        // A stable sort: within each group the order the scripts work in.
        changes.sort_by_key(|c| (!c.destructive, c.step));
        let mut summary = Summary::default();
        for change in &changes {
            match change.action {
                Action::Create => summary.create += 1,
                Action::Update => summary.update += 1,
                Action::Replace => summary.replace += 1,
                Action::Delete => summary.delete += 1,
                Action::Unknown => summary.unknown += 1,
                Action::NoOp => summary.no_op += 1,
            }
            summary.destructive += usize::from(change.destructive);
        }
        summary.failing_checks = checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .count();
        Plan {
            changes,
            checks,
            summary,
        }
    }

    /// Whether running the scripts may change something: a change, or an object whose state is
    /// unknown. `plan`'s exit code 1.
    pub fn has_changes(&self) -> bool {
        self.changes.iter().any(|c| c.action != Action::NoOp)
    }

    /// `Plan: 1 to add, 2 to change, 0 to replace, 0 to destroy; 0 unknown, 3 unchanged.`
    pub fn count_line(&self) -> String {
        let s = &self.summary;
        format!(
            "{} to add, {} to change, {} to replace, {} to remove; {} unknown, {} unchanged",
            s.create, s.update, s.replace, s.delete, s.unknown, s.no_op
        )
    }
}

fn serialize_actions<S: serde::Serializer>(
    action: &Action,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    action.actions().serialize(serializer)
}

/// A JSON string value.
fn text(value: impl Into<String>) -> Value {
    Value::String(value.into())
}

/// An optional JSON string value.
fn opt_text(value: Option<&str>) -> Value {
    value.map_or(Value::Null, |v| Value::String(v.to_owned()))
}

/// Attributes in the order given.
fn attributes<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// PowerShell's `-eq` on two strings: case-insensitive.
fn same_text(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// "in 12 days", "today", "12 days ago".
fn days_text(days: i64) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "in 1 day".to_owned(),
        -1 => "1 day ago".to_owned(),
        d if d > 0 => format!("in {d} days"),
        d => format!("{} days ago", -d),
    }
}

#[cfg(test)]
mod tests;
