//! The cmdlets, identifiers and auth-server lint rules through the real binary: each fixture of
//! `fixtures/lint/cmdlets/` (Microsoft's Lync Server 2013 page, admin-style scripts with and
//! without defects) gives exactly the findings marked beside its lines (`# expect: code, code`),
//! the safe fixes of the page's script remove what they fix and nothing else, and every bundle
//! xprem generates, in both cloud modules, lints clean.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{fixture, sample_configs, xprem};

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

/// `(line, code)` of every `# expect: code, code` marker of a fixture.
fn expected(text: &str) -> BTreeSet<(u64, String)> {
    let mut out = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        if let Some((_, codes)) = line.split_once("# expect: ") {
            for code in codes.split(',') {
                out.insert((i as u64 + 1, code.trim().to_owned()));
            }
        }
    }
    out
}

#[test]
fn each_fixture_gives_the_findings_marked_beside_its_lines() {
    let dir = fixture("lint/cmdlets");
    let mut names: Vec<String> = crate::common::entries(&dir)
        .into_iter()
        .filter(|n| n.ends_with(".ps1"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    let mut marked = 0;
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let want = expected(&text);
        marked += want.len();
        assert_eq!(findings(&dir, name), want, "{name}");
    }
    assert!(marked >= 30, "the fixtures mark {marked} findings");
}

#[test]
fn the_lync_2013_page_shows_its_three_known_mistakes() {
    let dir = fixture("lint/cmdlets");
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
    let original = std::fs::read_to_string(fixture("lint/cmdlets/seed-lync2013.ps1")).unwrap();
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

#[test]
fn every_generated_bundle_lints_clean_for_these_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut bundles = 0;
    for config in sample_configs() {
        for module in ["graph", "msonline"] {
            let out = dir.path().join(format!(
                "{}-{module}",
                config.file_stem().unwrap().to_string_lossy()
            ));
            let generated = xprem(dir.path(), &["generate", "--cloud-module", module, "--out"])
                .arg(&out)
                .arg(&config)
                .output()
                .expect("run xprem generate");
            if !generated.status.success() {
                // A sample that is not valid on its own (for another test) makes no bundle.
                continue;
            }
            bundles += 1;
            let found = findings(dir.path(), out.to_str().unwrap());
            assert!(
                found.is_empty(),
                "{} ({module}): {found:?}",
                config.display()
            );
        }
    }
    assert!(bundles >= 2, "{bundles} bundles generated");
}
