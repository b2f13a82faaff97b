//! Section 9 of the review: what the linter finds in each script of the bundle.
//!
//! The single integration point with the linter: [`check_script`] runs `xprem::lint` with every
//! default rule and no config, as of the review's `--as-of` (so that the document is the same
//! for the same input; `lint::lint_text` would lint as of now).

use std::path::Path;

use time::OffsetDateTime;

use crate::diagnostic::Diagnostic;

/// What the review says checked the scripts.
pub const CHECKER: &str = "xprem lint (every rule, no config), which also reports syntax errors";

/// The findings of the linter in one script (`path` names it in the findings; `text` is its
/// decoded text). Empty: clean.
pub fn check_script(path: &Path, text: &str, as_of: OffsetDateTime) -> Vec<Diagnostic> {
    let options = crate::lint::Options {
        selection: crate::lint::Selection::all(),
        as_of,
        config: None,
    };
    crate::lint::lint(path, text, None, &options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_script_has_no_finding_and_a_broken_or_risky_one_has() {
        let as_of = time::macros::datetime!(2026-11-26 0:00 UTC);
        let clean = "#Requires -Version 3.0\r\nGet-CsOAuthServer -Identity 'microsoft.sts'\r\n";
        assert_eq!(check_script(Path::new("a.ps1"), clean, as_of), Vec::new());
        let broken = check_script(Path::new("b.ps1"), "if ($true) {\n  Get-Date\n", as_of);
        assert!(
            broken.iter().any(|d| d.code == "syntax-error"),
            "{broken:?}"
        );
        let risky = check_script(Path::new("c.ps1"), "Invoke-Expression $command\n", as_of);
        assert!(!risky.is_empty(), "{risky:?}");
    }
}
