//! Every lint fixture (`tests/fixtures/lint/**/*.ps1`, `.psm1`, `.psd1`: Microsoft's Lync 2013
//! page as published, admin-style scripts with and without defects) linted with every rule
//! through the real binary gives exactly the findings marked beside its lines (`# expect: code,
//! code`; a code twice when it is found twice on the line), and a correct script (`-good` in its
//! name, or under `good/`: scripts written the way admins write, to catch false alarms) is marked
//! with none.
//! The page's report in the human format is a snapshot, so a reviewer sees what an admin sees.

use std::path::{Path, PathBuf};

use crate::common::{fixture, xprem};

/// The fixtures judge dates at a fixed moment, so their expiry findings do not move with time.
const AS_OF: &str = "2026-07-01";

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            fixtures(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "ps1" || e == "psm1" || e == "psd1")
        {
            out.push(path);
        }
    }
}

/// `(line, code)` of every finding, sorted, from `xprem lint --format json`.
fn findings(path: &Path) -> Vec<(u64, String)> {
    let out = xprem(
        path.parent().unwrap(),
        &[
            "lint",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--as-of",
            AS_OF,
            path.to_str().unwrap(),
        ],
    )
    .output()
    .expect("run xprem");
    assert!(
        out.status.success(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let mut found: Vec<(u64, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().expect("line"),
                d["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

/// `(line, code)` of every `# expect: code, code` marker, sorted.
fn expected(text: &str) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some((_, codes)) = line.split_once("# expect: ") {
            for code in codes.split(',') {
                out.push((i as u64 + 1, code.trim().to_owned()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_fixture_gives_exactly_the_findings_marked_beside_its_lines() {
    let mut paths = Vec::new();
    fixtures(&fixture("lint"), &mut paths);
    paths.sort();
    assert!(paths.len() >= 70, "{paths:?}");
    let (mut marked, mut correct) = (0, 0);
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let want = expected(&text);
        let good = path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .contains("-good")
            || path.components().any(|c| c.as_os_str() == "good");
        if good {
            assert!(
                want.is_empty(),
                "{}: a correct script marks findings",
                path.display()
            );
            correct += 1;
        }
        marked += want.len();
        assert_eq!(findings(path), want, "{}", path.display());
    }
    assert!(correct >= 60, "{correct} correct scripts");
    assert!(marked >= 70, "the fixtures mark {marked} findings");
}

#[test]
fn the_pages_report_as_an_admin_reads_it() {
    let out = xprem(
        &fixture("lint"),
        &[
            "lint",
            "--as-of",
            AS_OF,
            "--no-progress",
            "seed-lync2013.ps1",
        ],
    )
    .env("NO_COLOR", "1")
    .output()
    .expect("run xprem");
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}
