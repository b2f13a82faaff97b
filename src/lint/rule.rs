//! What a lint rule is: a stable code, a default severity, a one-line summary, its documentation
//! (in fixed sections, beside its code), whether it can fix what it finds, and its check.

use crate::diagnostic::{Diagnostic, Severity, Span};

use super::context::{FileContext, ScriptContext};

/// Whether a rule's findings come with a fix, and whether `--fix` applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixSafety {
    /// No fix: a person must decide.
    None,
    /// A fix that keeps what the script means; `--fix` applies it.
    Safe,
    /// A fix that changes what the script does; shown, never applied by `--fix`.
    Unsafe,
}

impl FixSafety {
    pub fn name(self) -> &'static str {
        match self {
            FixSafety::None => "none",
            FixSafety::Safe => "safe",
            FixSafety::Unsafe => "unsafe",
        }
    }
}

/// What a rule looks at.
#[derive(Clone, Copy)]
pub enum Check {
    /// The text alone: runs also on a file that does not parse.
    Text(fn(&FileContext<'_>, &mut Vec<Diagnostic>)),
    /// The parsed script, its commands bound to their parameters and its literal values.
    Script(fn(&ScriptContext<'_>, &mut Vec<Diagnostic>)),
    /// Reported by the linter itself (syntax errors, suppressions), not by a check.
    Builtin,
}

/// The family a rule belongs to; `--select` and `--ignore` take a group's name for all its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// The script must parse.
    Syntax,
    /// Cmdlets called as the catalog says they take their parameters.
    Cmdlets,
    /// Application IDs, well-known IDs, service principal names.
    Identifiers,
    /// The Office 365 authorization server's metadata URL.
    AuthServer,
    /// Key credentials and the certificates they hold.
    Credentials,
    /// Writing service principal names and key lists without losing what is there.
    Principals,
    /// Modules and connections, in the order the script needs them.
    Session,
    /// Variables read but never set.
    Variables,
    /// Secrets and code built from data.
    Security,
    /// How the file's bytes are read.
    Encoding,
    /// Retired modules and fragile forms.
    Retired,
    /// The scripts against an xprem config (`--config`).
    Config,
    /// The suppression comments themselves.
    Suppressions,
}

impl Group {
    pub const ALL: [Group; 13] = [
        Group::Syntax,
        Group::Cmdlets,
        Group::Identifiers,
        Group::AuthServer,
        Group::Credentials,
        Group::Principals,
        Group::Session,
        Group::Variables,
        Group::Security,
        Group::Encoding,
        Group::Retired,
        Group::Config,
        Group::Suppressions,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Group::Syntax => "syntax",
            Group::Cmdlets => "cmdlets",
            Group::Identifiers => "identifiers",
            Group::AuthServer => "auth-server",
            Group::Credentials => "credentials",
            Group::Principals => "principals",
            Group::Session => "session",
            Group::Variables => "variables",
            Group::Security => "security",
            Group::Encoding => "encoding",
            Group::Retired => "retired",
            Group::Config => "config",
            Group::Suppressions => "suppressions",
        }
    }
}

/// A lint rule.
pub struct Rule {
    /// Stable and never reused: suppressions, `--select` and CI dashboards key on it.
    pub code: &'static str,
    pub group: Group,
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// The documentation, in Markdown, with the sections of [`SECTIONS`] in that order.
    pub doc: &'static str,
    pub fix: FixSafety,
    pub check: Check,
}

/// The sections every rule's documentation has, in order (`xprem explain` prints them; a test
/// checks each rule has them, and that its example fires the rule and its "use instead" does not).
pub const SECTIONS: [&str; 5] = [
    "What it does",
    "Why it matters",
    "Example",
    "Use instead",
    "Fix safety",
];

impl Rule {
    /// A finding of this rule at `span`, at its default severity.
    pub fn at(
        &self,
        span: impl Into<Span>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(self.code, self.severity, message, help).at_span(span.into())
    }

    /// The text of one section of the documentation (without its heading), trimmed.
    pub fn section(&self, name: &str) -> Option<&'static str> {
        section(self.doc, name)
    }

    /// The PowerShell code blocks of a section (```` ```powershell ```` fences).
    pub fn code_blocks(&self, name: &str) -> Vec<&'static str> {
        let Some(text) = self.section(name) else {
            return Vec::new();
        };
        let mut blocks = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("```powershell\n") {
            let body = &rest[start + "```powershell\n".len()..];
            let Some(end) = body.find("```") else { break };
            blocks.push(&body[..end]);
            rest = &body[end + 3..];
        }
        blocks
    }
}

fn section<'d>(doc: &'d str, name: &str) -> Option<&'d str> {
    let heading = format!("## {name}\n");
    let start = doc.find(&heading)? + heading.len();
    let body = &doc[start..];
    let end = body.find("\n## ").map_or(body.len(), |i| i + 1);
    Some(body[..end].trim())
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).finish()
    }
}
