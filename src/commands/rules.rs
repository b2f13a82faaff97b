//! `xprem rules`: the lint rules, one line each; `xprem explain CODE`: one rule's documentation.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Outcome, print_stdout};
use crate::error::Error;
use crate::lint::{self, RULES};

/// How `xprem rules` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// A table: code, severity, fix, group, summary.
    Text,
    /// A JSON array of the rules, with their documentation.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A rule code, as `xprem rules` lists them (e.g. `unknown-parameter`).
    #[arg(value_name = "CODE")]
    pub code: String,
}

#[derive(Serialize)]
struct RuleJson {
    code: &'static str,
    group: &'static str,
    severity: &'static str,
    fix: &'static str,
    summary: &'static str,
    doc: &'static str,
}

pub fn list(args: &RulesArgs) -> Result<Outcome, Error> {
    let text = match args.format {
        ListFormat::Json => {
            let rules: Vec<RuleJson> = RULES
                .iter()
                .map(|r| RuleJson {
                    code: r.code,
                    group: r.group.name(),
                    severity: r.severity.name(),
                    fix: r.fix.name(),
                    summary: r.summary,
                    doc: r.doc,
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&rules)
                .map_err(|e| Error::Stdout(std::io::Error::other(e)))?;
            text.push('\n');
            text
        }
        ListFormat::Text => {
            let width = RULES.iter().map(|r| r.code.len()).max().unwrap_or(0);
            let mut text = String::new();
            let mut group = None;
            for r in RULES {
                if group != Some(r.group) {
                    let _ = writeln!(
                        text,
                        "{}{}:",
                        if group.is_some() { "\n" } else { "" },
                        r.group.name()
                    );
                    group = Some(r.group);
                }
                let fix = match r.fix {
                    lint::FixSafety::None => "",
                    lint::FixSafety::Safe => " [fix]",
                    lint::FixSafety::Unsafe => " [unsafe fix]",
                };
                let _ = writeln!(
                    text,
                    "  {:<width$}  {:<7}  {}{fix}",
                    r.code,
                    r.severity.name(),
                    r.summary
                );
            }
            let _ = writeln!(
                text,
                "\n`xprem explain CODE` prints a rule's documentation; `--select`/`--ignore` take codes or group names."
            );
            text
        }
    };
    print_stdout(&text)?;
    Ok(Outcome::Success)
}

pub fn explain(args: &ExplainArgs) -> Result<Outcome, Error> {
    let Some(rule) = lint::rule(&args.code) else {
        let hint = match lint::suggest(&args.code) {
            Some(code) => format!(" Did you mean `{code}`?"),
            None => String::new(),
        };
        return Err(Error::Usage(format!(
            "`{}` is not a lint rule.{hint} `xprem rules` lists them.",
            args.code
        )));
    };
    let text = format!(
        "# {} ({}, {}; fix: {})\n\n{}\n\n{}\n",
        rule.code,
        rule.severity.name(),
        rule.group.name(),
        rule.fix.name(),
        rule.summary,
        rule.doc.trim_end()
    );
    print_stdout(&text)?;
    Ok(Outcome::Success)
}
