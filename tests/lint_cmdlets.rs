//! The cmdlets, identifiers and auth-server lint rules through the real binary: Microsoft's Lync
//! Server 2013 page gives its three known mistakes of these groups, and the safe fixes of the
//! page's script remove what they fix and nothing else. (Every fixture's findings, marked beside
//! its lines, are checked in `lint_fixtures.rs`; every generated bundle in `cli_lint.rs`.)

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{fixture, xprem};

const GROUPS: &str = "cmdlets,identifiers,auth-server";

/// `(line, code)` of every finding of the groups in `path`, from `xprem lint --format json`.
fn findings(dir: &Path, path: &str) -> BTreeSet<(u64, String)> {
    let out = xprem(
        dir,
        &[
            "lint",
            "--select",
            GROUPS,
            "--format",
            "json",
            "--fail-on",
            "never",
            path,
        ],
    )
    .output()
    .expect("run xprem");
    assert!(
        out.status.success(),
        "{path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().expect("line"),
                d["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_lync_2013_page_shows_its_three_known_mistakes() {
    let dir = fixture("lint");
    let found: Vec<String> = findings(&dir, "seed-lync2013.ps1")
        .into_iter()
        .map(|(_, code)| code)
        .collect();
    // Get-CsTenant -DisplayName (domain.md 5.1), no -ReturnKeyValues (5.4), -KeyId (5.3).
    assert_eq!(
        found,
        [
            "unknown-parameter",
            "missing-mandatory-parameter",
            "abbreviated-parameter"
        ]
    );
}

#[test]
fn the_safe_fix_of_the_page_writes_keyids_and_changes_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(fixture("lint/seed-lync2013.ps1")).unwrap();
    let path = crate::common::write(dir.path(), "seed.ps1", &original);
    xprem(
        dir.path(),
        &[
            "lint",
            "--select",
            GROUPS,
            "--fix",
            "--fail-on",
            "never",
            "seed.ps1",
        ],
    )
    .assert()
    .success();
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        fixed,
        original.replace(
            "-KeyId bc2795f3-2387-4543-a95d-f92c85c7a1b0",
            "-KeyIds bc2795f3-2387-4543-a95d-f92c85c7a1b0"
        )
    );
    let left: Vec<String> = findings(dir.path(), "seed.ps1")
        .into_iter()
        .map(|(_, code)| code)
        .collect();
    assert_eq!(left, ["unknown-parameter", "missing-mandatory-parameter"]);
}
