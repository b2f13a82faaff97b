//! One finding, whatever found it: a config check, a certificate check, a syntax error in a
//! script, a generate warning (and, later, a lint rule). Every command reports through
//! [`crate::report`], which renders these in each output format, so there is one shape of
//! finding and one order of its parts everywhere.

use std::fmt;

use serde::Serialize;

pub mod fix;

pub use fix::{Applicability, Edit, Fix};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks generation; makes `validate`, `cert` and `parse` exit with 1.
    Error,
    /// Reported, but the scripts are still written.
    Warning,
    /// Worth knowing; never changes the exit code.
    Info,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A byte range of the text a diagnostic is about (the decoded script, the config file's text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start,
            end: end.max(start),
        }
    }
}

impl From<crate::powershell::ast::Span> for Span {
    fn from(span: crate::powershell::ast::Span) -> Span {
        Span::new(span.start, span.end)
    }
}

/// Where a diagnostic is: a config field path (`tenant.id`), a range of the file's text, both
/// (a config problem, once the field has been found in the text), or neither (the file as a
/// whole, such as a certificate that has expired).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The config field path, when the diagnostic is about a config field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The range of the text, when it is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// One finding. `code` is stable and never reused: tools and suppressions key on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub location: Location,
    /// What is wrong, in a sentence or two.
    pub message: String,
    /// What to do about it; empty when there is nothing more to say.
    pub help: String,
    /// The change that fixes it, when xprem can say exactly.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        severity: Severity,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            location: Location::default(),
            message: message.into(),
            help: help.into(),
            fix: None,
        }
    }

    /// An error about the config field `field`.
    pub fn error(
        code: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Diagnostic::new(code, Severity::Error, message, help).at_field(field)
    }

    /// A warning about the config field `field`.
    pub fn warning(
        code: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Diagnostic::new(code, Severity::Warning, message, help).at_field(field)
    }

    pub fn at_field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        self.location.field = (!field.is_empty()).then_some(field);
        self
    }

    pub fn at_span(mut self, span: Span) -> Self {
        self.location.span = Some(span);
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// The config field path, or "" when the diagnostic is not about a field.
    pub fn field(&self) -> &str {
        self.location.field.as_deref().unwrap_or("")
    }
}

/// One line: `severity: field: message Fix: help`, for places that have no room for the full
/// report (an error message that lists several diagnostics, test failure output).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.severity)?;
        if let Some(field) = &self.location.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)?;
        if !self.help.is_empty() {
            write!(f, " Fix: {}", self.help)?;
        }
        Ok(())
    }
}

/// Counts of diagnostics by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Counts {
        let mut counts = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_form_names_severity_field_message_and_fix() {
        let d = Diagnostic::error("config-x", "tenant.id", "is wrong.", "write it right.");
        assert_eq!(
            d.to_string(),
            "error: tenant.id: is wrong. Fix: write it right."
        );
        let d = Diagnostic::new("cert-expired", Severity::Info, "m.", "");
        assert_eq!(d.to_string(), "info: m.");
        assert_eq!(d.field(), "");
    }

    #[test]
    fn counts_by_severity() {
        let ds = [
            Diagnostic::new("a", Severity::Error, "", ""),
            Diagnostic::new("b", Severity::Warning, "", ""),
            Diagnostic::new("c", Severity::Warning, "", ""),
            Diagnostic::new("d", Severity::Info, "", ""),
        ];
        assert_eq!(
            Counts::of(&ds),
            Counts {
                errors: 1,
                warnings: 2,
                infos: 1
            }
        );
    }
}
