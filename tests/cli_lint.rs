//! `xprem lint`, `xprem rules` and `xprem explain` through the real binary: inputs (files,
//! folders with .gitignore, standard input, unreadable paths), formats, exit codes, settings,
//! suppressions, `--fix` and `--diff`, and the bundles xprem generates linting clean.

use predicates::prelude::PredicateBooleanExt as _;
use serde_json::Value;

use crate::common::{sample, sample_configs, write, xprem};

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

/// The codes found, per file, from `--format json`.
fn codes(report: &Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

const TYPOGRAPHIC: &str =
    "Set-CsOAuthConfiguration \u{2013}ServiceName '00000004-0000-0ff1-ce00-000000000000'\r\n";

/// Every rule, the config rules too (each bundle against its own config), at `--fail-on info`:
/// a generated script that a rule finds fault with is a bug of the script or of the rule.
#[test]
fn every_bundle_xprem_generates_lints_clean() {
    let dir = tempfile::tempdir().unwrap();
    for (i, config) in sample_configs().iter().enumerate() {
        for module in ["graph", "msonline"] {
            let out = dir.path().join(format!("b{i}-{module}"));
            xprem(
                dir.path(),
                &[
                    "generate",
                    config.to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                    "--cloud-module",
                    module,
                ],
            )
            .assert()
            .success();
            let lint = xprem(
                dir.path(),
                &[
                    "lint",
                    "--format",
                    "json",
                    "--fail-on",
                    "info",
                    "--config",
                    config.to_str().unwrap(),
                    out.to_str().unwrap(),
                ],
            )
            .output()
            .unwrap();
            let report = json(&lint.stdout);
            assert!(
                codes(&report).is_empty() && lint.status.code() == Some(0),
                "{} ({module}) does not lint clean: {:#}",
                config.display(),
                report
            );
        }
    }
}

#[test]
fn exit_codes_follow_fail_on_and_never_count_findings() {
    let dir = tempfile::tempdir().unwrap();
    let warn = write(dir.path(), "warn.ps1", "if ($keys -eq $null) { }\n");
    let clean = write(dir.path(), "clean.ps1", "Get-CsOAuthServer\n");
    let p = |p: &std::path::Path| p.to_str().unwrap().to_owned();
    xprem(dir.path(), &["lint", &p(&clean)]).assert().code(0);
    xprem(dir.path(), &["lint", &p(&warn)]).assert().code(1);
    xprem(dir.path(), &["lint", "--fail-on", "error", &p(&warn)])
        .assert()
        .code(0);
    xprem(dir.path(), &["lint", "--fail-on", "never", &p(&warn)])
        .assert()
        .code(0);
    let many = (0..5).map(|_| "$a -eq $null\n").collect::<String>();
    let many = write(dir.path(), "many.ps1", many);
    xprem(dir.path(), &["lint", &p(&many)]).assert().code(1);
    xprem(
        dir.path(),
        &["lint", "--select", "no-such-rule", &p(&clean)],
    )
    .assert()
    .code(2)
    .stderr(predicates::str::contains(
        "`no-such-rule` is not a rule code or group",
    ));
    xprem(dir.path(), &["lint", "--fail-on", "sometimes", &p(&clean)])
        .assert()
        .code(2);
}

#[test]
fn folders_stdin_and_unreadable_paths_in_order() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "scripts/b.ps1", "$x -eq $null\n");
    write(dir.path(), "scripts/a.psm1", "$y -ne $null\n");
    write(dir.path(), "scripts/notes.txt", "$z -eq $null\n");
    write(dir.path(), "scripts/out/gen.ps1", "$w -eq $null\n");
    write(dir.path(), "scripts/.gitignore", "out/\n");
    let out = xprem(
        dir.path(),
        &[
            "lint",
            "--format",
            "json",
            "--select",
            "null-on-the-right",
            "scripts",
            "missing.ps1",
            "-",
        ],
    )
    .write_stdin("$s -eq $null\n")
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2), "an unreadable path exits 2");
    let found = codes(&json(&out.stdout));
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        ["scripts/a.psm1", "scripts/b.ps1", "missing.ps1", "-"],
        "name order, the unreadable path in its place, .gitignore honoured: {found:?}"
    );
    assert_eq!(found[2].1, "unreadable-file");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("linted 3 files") && stderr.contains("1 could not be read"),
        "{stderr}"
    );
}

#[test]
fn the_output_order_is_the_same_whatever_the_parallelism() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..60 {
        write(
            dir.path(),
            &format!("s/{i:02}.ps1"),
            format!("$v{i} -eq $null\nWrite-Host $u{i}\n"),
        );
    }
    let run = || {
        xprem(
            dir.path(),
            &["lint", "--format", "gcc", "--no-progress", "s"],
        )
        .output()
        .unwrap()
        .stdout
    };
    let first = run();
    assert_eq!(
        String::from_utf8_lossy(&first)
            .lines()
            .filter(|l| l.contains(": warning: "))
            .count(),
        180
    );
    for _ in 0..3 {
        assert_eq!(run(), first);
    }
}

#[test]
fn every_format_reports_code_place_and_severity() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a b.ps1",
        "Write-Host 'x'\nif ($k -eq $null) { }\n",
    );
    let run = |format: &str| {
        let out = xprem(
            dir.path(),
            &[
                "lint",
                "--format",
                format,
                "--select",
                "null-on-the-right",
                "a b.ps1",
            ],
        )
        .output()
        .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let gcc = run("gcc");
    assert!(
        gcc.starts_with("a b.ps1:2:5: warning: `$null` is on the right of `-eq`"),
        "{gcc}"
    );
    assert!(
        gcc.lines().next().unwrap().ends_with("[null-on-the-right]"),
        "{gcc}"
    );
    let github = run("github");
    assert!(github.starts_with("::warning file=a b.ps1,line=2,col=5,endLine=2,endColumn=17,title=xprem null-on-the-right::"), "{github}");
    let human = run("human");
    assert!(
        human.contains("warning[null-on-the-right]")
            && human.contains("a b.ps1:2:5")
            && human.contains("if ($k -eq $null)"),
        "{human}"
    );
    let report = json(run("json").as_bytes());
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "null-on-the-right");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["fix"]["applicability"], "safe");
    let sarif = json(run("sarif").as_bytes());
    let run0 = &sarif["runs"][0];
    let rule = &run0["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "null-on-the-right");
    for key in ["shortDescription", "fullDescription", "help"] {
        assert!(
            rule[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
            "rule {key}: {rule:#}"
        );
    }
    assert!(
        rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## Use instead")
    );
    let result = &run0["results"][0];
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"], "a%20b.ps1",
        "a relative URI reference"
    );
    assert_eq!(location["region"]["startLine"], 2);
    assert_eq!(location["region"]["startColumn"], 5, "1-based columns");
    let fingerprint = result["partialFingerprints"]["primaryLocationLineHash"]
        .as_str()
        .unwrap();
    // The fingerprint follows the line's text, not its number.
    write(
        dir.path(),
        "a b.ps1",
        "# a new first line\nWrite-Host 'x'\nif ($k -eq $null) { }\n",
    );
    let moved = json(run("sarif").as_bytes());
    assert_eq!(
        moved["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"],
        fingerprint
    );
}

#[test]
fn fix_rewrites_in_the_files_encoding_and_diff_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // UTF-16 LE with a BOM and CRLF line ends, as Windows PowerShell ISE saves.
    let mut bytes = vec![0xFF, 0xFE];
    for unit in TYPOGRAPHIC.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let path = write(dir.path(), "step1.ps1", &bytes);
    let diff = xprem(dir.path(), &["lint", "--diff", "step1.ps1"])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(1));
    let text = String::from_utf8(diff.stdout).unwrap();
    assert!(
        text.contains("--- a/step1.ps1") && text.contains("+Set-CsOAuthConfiguration -ServiceName"),
        "{text}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "--diff writes nothing"
    );

    xprem(dir.path(), &["lint", "--fix", "step1.ps1"])
        .assert()
        .code(0);
    let fixed = std::fs::read(&path).unwrap();
    let mut expected = vec![0xFF, 0xFE];
    for unit in TYPOGRAPHIC.replace('\u{2013}', "-").encode_utf16() {
        expected.extend(unit.to_le_bytes());
    }
    assert_eq!(
        fixed, expected,
        "same encoding, BOM and CRLF; only the dash changed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");

    // Standard input: the fixed script goes to standard output.
    let out = xprem(dir.path(), &["lint", "--fix", "-"])
        .write_stdin("if ($a -eq $null) {}\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "if ($null -eq $a) {}\n"
    );
}

#[test]
fn settings_files_select_and_ignore_and_the_command_line_wins() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "repo/.xprem.toml",
        "[lint]\nignore = [\"retired\"]\n",
    );
    write(
        dir.path(),
        "repo/sub/a.ps1",
        "$a = Get-Item .\nif ($a -eq $null) {}\nWrite-Host $undefined\n",
    );
    let found = |args: &[&str]| {
        let mut all = vec!["lint", "--format", "json"];
        all.extend(args);
        all.push("repo/sub/a.ps1");
        codes(&json(&xprem(dir.path(), &all).output().unwrap().stdout))
            .into_iter()
            .map(|(_, c)| c)
            .collect::<Vec<_>>()
    };
    assert_eq!(found(&[]), ["undefined-variable"]);
    assert_eq!(
        found(&["--select", "null-on-the-right"]),
        ["null-on-the-right"]
    );
    assert_eq!(found(&["--ignore", "variables"]), Vec::<String>::new());
    write(
        dir.path(),
        "repo/.xprem.toml",
        "[lint]\nignore = [\"retierd\"]\n",
    );
    xprem(dir.path(), &["lint", "repo/sub/a.ps1"])
        .assert()
        .code(2)
        .stderr(
            predicates::str::contains(".xprem.toml")
                .and(predicates::str::contains("did you mean `retired`")),
        );
    write(dir.path(), "repo/.xprem.toml", "[lint]\nselect = \"all\"\n");
    xprem(dir.path(), &["lint", "repo/sub/a.ps1"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(".xprem.toml:2:"));
}

#[test]
fn suppressions_in_the_file_silence_and_unused_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.ps1",
        "$a = Get-Item .\nif ($a -eq $null) {} # xprem: ignore[null-on-the-right]\n# xprem: ignore[undefined-variable]\nWrite-Host $b\nWrite-Host 'ok' # xprem: ignore[null-on-the-right]\n",
    );
    let out = xprem(dir.path(), &["lint", "--format", "json", "a.ps1"])
        .output()
        .unwrap();
    let found: Vec<String> = codes(&json(&out.stdout))
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert_eq!(found, ["unused-suppression"]);
}

#[test]
fn rules_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let out = xprem(dir.path(), &["rules"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for rule in xprem::lint::RULES {
        assert!(text.contains(rule.code), "{} is listed", rule.code);
    }
    let list = json(
        &xprem(dir.path(), &["rules", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(list.as_array().unwrap().len(), xprem::lint::RULES.len());
    let explain = xprem(dir.path(), &["explain", "null-on-the-right"])
        .output()
        .unwrap();
    let doc = String::from_utf8(explain.stdout).unwrap();
    for section in [
        "## What it does",
        "## Why it matters",
        "## Example",
        "## Use instead",
        "## Fix safety",
    ] {
        assert!(doc.contains(section), "{section}");
    }
    xprem(dir.path(), &["explain", "nul-on-the-right"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "Did you mean `null-on-the-right`?",
        ));
}

#[test]
fn config_is_checked_before_anything_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.ps1", "Get-CsOAuthServer\n");
    xprem(
        dir.path(),
        &[
            "lint",
            "--config",
            sample("fabrikam.json").to_str().unwrap(),
            "a.ps1",
        ],
    )
    .assert()
    .code(0);
    write(dir.path(), "bad.json", "{ \"tenant\": 1 }");
    xprem(dir.path(), &["lint", "--config", "bad.json", "a.ps1"])
        .assert()
        .code(2);
}
