//! The rules' own contract: each is documented in the fixed sections, its example fires it and
//! its "use instead" does not, and its safe fix removes what it finds.

use std::path::Path;

use super::*;
use crate::diagnostic::{Applicability, fix};
use crate::lint::rule::SECTIONS;

/// The date the examples are linted as of (fixed, so date rules' examples stay true).
pub(crate) fn as_of() -> OffsetDateTime {
    time::macros::datetime!(2026-07-01 00:00 UTC)
}

/// Lints `text` with the rules `codes` only, as of [`as_of`].
pub(crate) fn lint_with(codes: &[&str], text: &str) -> Vec<Diagnostic> {
    let select: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
    let options = Options {
        selection: Selection::new(Some(&select), &[]).unwrap(),
        as_of: as_of(),
        config: None,
    };
    // As read from a file in UTF-8 without a byte order mark, the most common case.
    lint(
        Path::new("example.ps1"),
        text,
        Some(crate::powershell::TextEncoding::Utf8),
        &options,
    )
}

/// The config the rules of the config group are linted against in tests (and their examples in
/// the meta-tests below): `samples/fabrikam.json`, as `xprem lint --config` would load it.
pub(crate) fn test_model() -> &'static Model {
    static MODEL: std::sync::LazyLock<Model> = std::sync::LazyLock::new(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/fabrikam.json");
        let valid = crate::config::check(&path, as_of())
            .and_then(|c| c.into_valid())
            .expect("samples/fabrikam.json is a valid config");
        Model::new(&valid)
    });
    &MODEL
}

/// What the rule `code` finds in `text`, linted with every rule (as a user would run it); with
/// [`test_model`] as the config when the rule is of the config group (silent without one).
pub(crate) fn codes_found(code: &str, text: &str) -> Vec<Diagnostic> {
    let config = rule(code)
        .filter(|r| r.group == Group::Config)
        .map(|_| test_model());
    let options = Options {
        selection: Selection::new(Some(&["all".to_string()]), &[]).unwrap(),
        as_of: as_of(),
        config,
    };
    lint(
        Path::new("example.ps1"),
        text,
        Some(crate::powershell::TextEncoding::Utf8),
        &options,
    )
    .into_iter()
    .filter(|d| d.code == code)
    .collect()
}

#[test]
fn codes_are_unique_kebab_case_and_the_table_is_in_group_order() {
    let mut seen = std::collections::HashSet::new();
    for rule in RULES {
        assert!(
            seen.insert(rule.code),
            "{} is in the table twice",
            rule.code
        );
        assert!(
            rule.code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !rule.code.starts_with('-')
                && !rule.code.ends_with('-'),
            "{} is not kebab-case",
            rule.code
        );
        assert!(
            rule.summary.ends_with('.'),
            "{}: summary ends with a full stop",
            rule.code
        );
    }
    assert!(
        RULES.windows(2).all(|w| w[0].group <= w[1].group),
        "RULES is listed by group, in the order of Group::ALL"
    );
}

#[test]
fn every_rule_is_documented_in_the_fixed_sections() {
    for rule in RULES {
        let mut at = 0;
        for name in SECTIONS {
            let heading = format!("## {name}\n");
            let found = rule.doc[at..].find(&heading).unwrap_or_else(|| {
                panic!(
                    "{}: no `## {name}` section after the previous one",
                    rule.code
                )
            });
            at += found + heading.len();
            assert!(
                !rule.section(name).unwrap_or("").is_empty(),
                "{}: the `{name}` section is empty",
                rule.code
            );
        }
        assert!(
            !rule.code_blocks("Example").is_empty(),
            "{}: no powershell example",
            rule.code
        );
        assert!(
            !rule.code_blocks("Use instead").is_empty(),
            "{}: no powershell `use instead`",
            rule.code
        );
    }
}

#[test]
fn every_example_fires_its_rule_and_every_use_instead_does_not() {
    for rule in RULES {
        for example in rule.code_blocks("Example") {
            assert!(
                !codes_found(rule.code, example).is_empty(),
                "{}: the example does not fire the rule:\n{example}",
                rule.code
            );
        }
        for good in rule.code_blocks("Use instead") {
            let found = codes_found(rule.code, good);
            assert!(
                found.is_empty(),
                "{}: the `use instead` fires the rule:\n{good}\n{found:?}",
                rule.code
            );
        }
    }
}

#[test]
fn safe_fixes_of_the_examples_remove_the_finding() {
    for rule in RULES.iter().filter(|r| r.fix == FixSafety::Safe) {
        for example in rule.code_blocks("Example") {
            let found = codes_found(rule.code, example);
            let fixes: Vec<_> = found
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .filter(|f| f.applicability == Applicability::Safe)
                .collect();
            assert!(
                !fixes.is_empty(),
                "{}: no safe fix for the example",
                rule.code
            );
            let (fixed, _) = fix::apply(example, fixes).unwrap();
            assert!(
                codes_found(rule.code, &fixed).is_empty(),
                "{}: still found after the fix:\n{fixed}",
                rule.code
            );
            assert!(
                crate::powershell::parse(&fixed).is_ok(),
                "{}: the fix breaks the syntax",
                rule.code
            );
        }
    }
}

#[test]
fn suppressions_silence_on_their_line_the_next_line_or_the_file() {
    let text = "$a = (1 + )\n";
    assert_eq!(lint_with(&["all"], text).len(), 1);
    let trailing = "$a = (1 + ) # xprem: ignore[syntax-error]\n";
    assert!(lint_with(&["all"], trailing).is_empty());
    let own_line = "# xprem: ignore[syntax-error]\n$a = (1 + )\n";
    assert!(lint_with(&["all"], own_line).is_empty());
    let file = "$a = (1 + )\n\n# xprem: ignore-file[syntax-error]\n";
    assert!(lint_with(&["all"], file).is_empty());
    let wrong_line = "# xprem: ignore[syntax-error]\n\n$a = (1 + )\n";
    let found: Vec<_> = lint_with(&["all"], wrong_line)
        .into_iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(found, ["unused-suppression", "syntax-error"]);
}

#[test]
fn malformed_and_unknown_suppressions_are_reported_and_deselected_rules_are_not_unused() {
    let found: Vec<_> = lint_with(
        &["all"],
        "Get-X # xprem: ignore\nGet-Y # xprem: ignore[syntax-eror]\nGet-Z # xprem: skip\n",
    )
    .into_iter()
    .map(|d| (d.code, d.help))
    .collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.iter().all(|(c, _)| *c == "invalid-suppression"));
    assert!(
        found[1].1.contains("did you mean `syntax-error`"),
        "{found:?}"
    );
    // syntax-error did not run: its suppression is not reported as unused.
    assert!(lint_with(&["suppressions"], "Get-X # xprem: ignore[syntax-error]\n").is_empty());
}

#[test]
fn suppress_message_attributes_cover_their_function() {
    let text = "function F {\n    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('xprem/unused-suppression', '')]\n    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingWriteHost', '')]\n    param()\n    Get-X # xprem: ignore[syntax-error]\n}\nGet-Y # xprem: ignore[syntax-error]\n";
    let found: Vec<_> = lint_with(&["all"], text)
        .into_iter()
        .map(|d| d.code)
        .collect();
    // The attribute silences the unused suppression inside F (and is then used itself); the one
    // outside F is reported.
    assert_eq!(found, ["unused-suppression"], "{found:?}");
}
