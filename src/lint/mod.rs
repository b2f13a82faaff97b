//! The domain linter: rules that know the cross-premises cmdlets, IDs, certificates and
//! pitfalls, run on xprem's own parser and semantic layer, reported through the one diagnostic
//! type and report layer.
//!
//! * `rule.rs`: what a rule is; `rules/`: one file per rule; `registry.rs`: the table of them.
//! * `context.rs`: what a rule sees of a file, built once per file.
//! * `suppression.rs`: `# xprem: ignore[...]` and `SuppressMessageAttribute`.
//! * `settings.rs`: `--select`, `--ignore` and `.xprem.toml`.
//!
//! ```
//! let found = xprem::lint::lint_text(
//!     std::path::Path::new("step1.ps1"),
//!     "Get-CsTenant -DisplayName contoso\n",
//! );
//! assert!(found.iter().all(|d| d.location.span.is_some()));
//! ```

use std::path::Path;

use time::OffsetDateTime;

use crate::diagnostic::{Diagnostic, Span};
use crate::model::Model;
use crate::powershell::{self, TextEncoding};
use crate::semantic::Values;

mod context;
mod registry;
pub mod rule;
mod rules;
pub mod settings;
mod suppression;

pub use context::{CommandUse, FileContext, ScriptContext};
pub use registry::{RULES, rule, suggest};
pub use rule::{Check, FixSafety, Group, Rule};
pub use settings::Selection;

/// What a lint run is told, beyond the file.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    pub selection: Selection,
    /// The moment the date checks run at.
    pub as_of: OffsetDateTime,
    /// The config to check the scripts against (`--config`).
    pub config: Option<&'a Model>,
}

impl Options<'_> {
    /// Every rule, as of now, without a config.
    pub fn now() -> Options<'static> {
        let now = OffsetDateTime::now_utc();
        Options {
            selection: Selection::all(),
            as_of: now.replace_nanosecond(0).unwrap_or(now),
            config: None,
        }
    }
}

/// Lints a script's text with every rule, as of now: what other commands (the review document)
/// use for the scripts they describe.
pub fn lint_text(path: &Path, text: &str) -> Vec<Diagnostic> {
    lint(path, text, None, &Options::now())
}

/// Lints one file's text (decoded with `encoding`, when it was read from bytes).
pub fn lint(
    path: &Path,
    text: &str,
    encoding: Option<TextEncoding>,
    options: &Options<'_>,
) -> Vec<Diagnostic> {
    let file = FileContext::new(path, text, encoding, options.as_of, options.config);
    let enabled = |rule: &Rule| options.selection.enabled(rule.code);
    let mut found = Vec::new();
    for rule in RULES.iter().filter(|r| enabled(r)) {
        if let Check::Text(check) = rule.check {
            check(&file, &mut found);
        }
    }
    let parsed = powershell::parse(text);
    let suppressions = match &parsed {
        Ok(script) => {
            let values = Values::new(script, text);
            let cx = ScriptContext::new(&file, script, &values);
            for rule in RULES.iter().filter(|r| enabled(r)) {
                if let Check::Script(check) = rule.check {
                    check(&cx, &mut found);
                }
            }
            suppression::Suppressions::read(&file, Some(&cx), cx.mentions(&["xprem"]))
        }
        Err(e) => {
            if enabled(&rules::syntax_error::RULE) {
                found.push(rules::syntax_error::RULE.at(
                    Span::new(e.span.start, e.span.end),
                    e.message.clone(),
                    "",
                ));
            }
            suppression::Suppressions::read(
                &file,
                None,
                text.as_bytes()
                    .windows(5)
                    .any(|w| w.eq_ignore_ascii_case(b"xprem")),
            )
        }
    };
    // A rule that did not run found nothing, so its suppressions are not "unused".
    let ran = |code: &str| {
        rule(code).is_some_and(|r| {
            options.selection.enabled(r.code)
                && (parsed.is_ok() || !matches!(r.check, Check::Script(_)))
        })
    };
    let mut found = suppressions.apply(found, &file, ran);
    found.sort_by(|a, b| {
        let key = |d: &Diagnostic| d.location.span.map(|s| (s.start, s.end));
        key(a)
            .cmp(&key(b))
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
    found.dedup();
    found
}

#[cfg(test)]
mod tests;
