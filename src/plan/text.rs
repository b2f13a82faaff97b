//! The plan as text for a terminal: one line per object with its symbol, before -> after for each
//! attribute that changes, what is kept, the checks, then the count line.

use std::fmt::Write as _;

use serde_json::Value;

use super::{Action, CheckStatus, Plan};

/// A value as the text form shows it: strings quoted, lists in brackets, null as `(none)`.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Null => "(none)".to_owned(),
        Value::String(s) => format!("\"{s}\""),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(value_text).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

pub fn render(plan: &Plan, header: &str) -> String {
    let mut out = String::new();
    out.push_str(header);
    let changing: Vec<_> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .collect();
    if changing.is_empty() {
        out.push_str("\nNo changes: the deployment and the tenant are as the config wants them.\n");
    } else {
        let _ = writeln!(
            out,
            "\nThe scripts will make these changes{}:",
            if plan.summary.destructive > 0 {
                " (destructive ones first)"
            } else {
                ""
            }
        );
        if plan.summary.unknown > 0 {
            out.push_str("(? = not known from the states given: the notes say what the script does in each case.)\n");
        }
    }
    for change in &changing {
        let mut tags = Vec::new();
        if change.destructive {
            tags.push("destructive".to_owned());
        }
        if let Some(switch) = change.requires {
            tags.push(format!("only with {} {switch}", change.step));
        } else {
            tags.push(format!("by {}", change.step));
        }
        let _ = writeln!(
            out,
            "\n{:>3} {}  [{}]",
            change.action.symbol(),
            change.object,
            tags.join("; ")
        );
        for (name, before, after) in change.differences() {
            match change.action {
                Action::Create | Action::Unknown => {
                    let _ = writeln!(out, "      {name}: {}", value_text(&after));
                }
                Action::Delete => {
                    let _ = writeln!(out, "      {name}: {}", value_text(&before));
                }
                _ => match (&before, &after) {
                    // A list is shown by what it gains and loses; the rest is under "kept".
                    (Value::Array(old), Value::Array(new)) => {
                        let _ = writeln!(out, "      {name}:");
                        for item in new.iter().filter(|i| !old.contains(i)) {
                            let _ = writeln!(out, "        + {}", value_text(item));
                        }
                        for item in old.iter().filter(|i| !new.contains(i)) {
                            let _ = writeln!(out, "        - {}", value_text(item));
                        }
                    }
                    _ => {
                        let _ = writeln!(
                            out,
                            "      {name}: {} -> {}",
                            value_text(&before),
                            value_text(&after)
                        );
                    }
                },
            }
        }
        for kept in &change.kept {
            let status = if kept.status.is_empty() {
                String::new()
            } else {
                format!(" ({})", kept.status)
            };
            let _ = writeln!(out, "      kept: {}{status}", kept.what);
        }
        for note in &change.notes {
            let _ = writeln!(out, "      note: {note}");
        }
    }
    let unchanged: Vec<_> = plan
        .changes
        .iter()
        .filter(|c| c.action == Action::NoOp)
        .collect();
    if !unchanged.is_empty() {
        out.push_str("\nUnchanged:\n");
        for change in unchanged {
            let _ = writeln!(out, "  = {}", change.object);
            for kept in &change.kept {
                let status = if kept.status.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", kept.status)
                };
                let _ = writeln!(out, "      kept: {}{status}", kept.what);
            }
        }
    }
    if !plan.checks.is_empty() {
        out.push_str("\nChecks the scripts make first:\n");
        for check in &plan.checks {
            let mark = match check.status {
                CheckStatus::Pass => "[ok]     ",
                CheckStatus::Fail => "[FAILS]  ",
                CheckStatus::Unknown => "[unknown]",
            };
            let detail = if check.detail.is_empty() {
                String::new()
            } else {
                format!(": {}", check.detail)
            };
            let _ = writeln!(out, "  {mark} {}{detail}", check.name);
        }
    }
    let _ = writeln!(out, "\nPlan: {}.", plan.count_line());
    if plan.summary.failing_checks > 0 {
        let _ = writeln!(
            out,
            "{} check(s) fail: the scripts will stop there or leave something undone (see [FAILS] above).",
            plan.summary.failing_checks
        );
    }
    out
}
