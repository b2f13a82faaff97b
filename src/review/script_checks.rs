//! Section 9 of the review: what a check of each script of the bundle finds.
//!
//! THE SINGLE INTEGRATION POINT with the linter. Until `xprem::lint` is on main, [`check_script`]
//! returns the syntax check of the script by xprem's own parser (`crate::powershell::parse`): a
//! real result, where a syntax error is a finding. When the linter lands, replace the body with
//! `crate::lint::lint_text(path, text)` (all default rules, no config) and [`CHECKER`] with its
//! description; nothing else in the review needs to change.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity, Span};

/// What the review says checked the scripts.
pub const CHECKER: &str = "the syntax check of xprem's PowerShell parser (xprem parse); the rule-based linter (xprem lint) replaces it here once it is part of xprem";

/// The findings of the check of one script (`path` names it in the findings; `text` is its
/// decoded text). Empty: clean.
pub fn check_script(path: &Path, text: &str) -> Vec<Diagnostic> {
    let _ = path;
    match crate::powershell::parse(text) {
        Ok(_) => Vec::new(),
        Err(err) => vec![
            Diagnostic::new(
                crate::commands::parse::SYNTAX_ERROR,
                Severity::Error,
                err.message,
                "the bundle is generated: report this to the xprem maintainers with the config.",
            )
            .at_span(Span::new(err.span.start, err.span.end)),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_that_parses_is_clean_and_one_that_does_not_is_a_finding() {
        assert!(
            check_script(
                Path::new("a.ps1"),
                "Get-CsOAuthServer -Identity 'microsoft.sts'\n"
            )
            .is_empty()
        );
        let findings = check_script(Path::new("b.ps1"), "if ($true) {\n  Get-Date\n");
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, "syntax-error");
        assert_eq!(findings[0].severity, Severity::Error);
        assert!(findings[0].location.span.is_some());
    }
}
