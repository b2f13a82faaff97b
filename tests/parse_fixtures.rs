//! Snapshots of `xprem parse` on small scripts, one per construct: the syntax tree of each
//! `fixtures/parse/valid/*.ps1` and the error (`file:line:column: message`) of each
//! `fixtures/parse/invalid/*.ps1`. Review changes with `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test --test main parse_fixtures` and `git diff`).

use std::path::Path;

/// Runs `xprem parse --format FORMAT NAME` in the fixture's folder, so output names the file
/// without a machine-specific path.
fn run(path: &Path, format: &str) -> std::process::Output {
    let dir = path.parent().expect("fixture in a folder");
    let name = path.file_name().expect("fixture file name");
    crate::common::xprem(dir, &["parse", "--format", format])
        .arg(name)
        .output()
        .expect("run xprem")
}

/// The grammar's rule names that contain `_`: they must never reach a message.
fn rule_names() -> Vec<String> {
    let grammar = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/powershell.pest"),
    )
    .expect("grammar file");
    grammar
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(name, _)| name.trim()))
        .filter(|name| {
            name.contains('_') && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn valid_fixtures_parse_into_a_syntax_tree() {
    insta::glob!("fixtures/parse/valid/*.ps1", |path| {
        let out = run(path, "ast");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {stderr}", path.display());
        assert!(stderr.is_empty(), "{}: {stderr}", path.display());
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
        insta::assert_json_snapshot!(json);
    });
}

#[test]
fn invalid_fixtures_fail_with_a_message_in_words() {
    let rules = rule_names();
    assert!(rules.len() > 50, "rule names read from the grammar");
    insta::glob!("fixtures/parse/invalid/*.ps1", |path| {
        let out = run(path, "gcc");
        assert_eq!(out.status.code(), Some(1), "{}", path.display());
        let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
        let line = stdout.trim_end();
        assert_eq!(line.lines().count(), 1, "one error line: {line}");
        // The snapshot holds `file:line:column: message`: the severity and code are the same
        // for every syntax error.
        let line = line
            .strip_suffix(" [syntax-error]")
            .unwrap_or_else(|| panic!("a syntax error: {line}"))
            .replacen(": error: ", ": ", 1);
        let line = line.as_str();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let message = line
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(':'))
            .unwrap_or_else(|| panic!("`{line}` starts with the file name"));
        let mut parts = message.splitn(3, ':');
        let line_no: usize = parts
            .next()
            .and_then(|n| n.parse().ok())
            .expect("line number");
        let column: usize = parts.next().and_then(|n| n.parse().ok()).expect("column");
        assert!(line_no >= 1 && column >= 1, "{line}");
        let words = parts.next().unwrap_or_default();
        for rule in &rules {
            let used = words
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .any(|w| w == rule);
            assert!(!used, "rule name `{rule}` in message: {line}");
        }
        insta::assert_snapshot!(line);
    });
}
