//! The credentials, principals, session and config rules of `xprem lint` through the real binary:
//! the page's script with its findings of these groups listed here, `--config` end to end,
//! secrets made at test time, `--fix` of culture-dependent dates and `--as-of`. (Every
//! fixture's findings, marked beside its lines, are checked in `lint_fixtures.rs`; every
//! generated bundle in `cli_lint.rs`.)

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use serde_json::Value;

use crate::common::{fixture, sample, write, xprem};

const MINE: &str = "credentials,principals,session";
const AS_OF: &str = "2026-07-01";

fn lint_json(dir: &Path, args: &[&str]) -> (Value, Option<i32>) {
    let mut all = vec![
        "lint",
        "--format",
        "json",
        "--no-progress",
        "--as-of",
        AS_OF,
    ];
    all.extend_from_slice(args);
    let out = xprem(dir, &all).output().unwrap();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (report, out.status.code())
}

/// (line, code) of every finding, in order.
fn found(report: &Value) -> Vec<(u64, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn sorted(mut v: Vec<(u64, String)>) -> Vec<(u64, String)> {
    v.sort();
    v
}

#[test]
fn the_pages_script_shows_its_known_mistakes() {
    let dir = fixture("lint");
    let (report, code) = lint_json(&dir, &["--select", MINE, "seed-lync2013.ps1"]);
    assert_eq!(code, Some(1));
    let want: Vec<(u64, String)> = [
        // 5.6 / 4.5: Get-CsTenant in the on-premises script, in both forms.
        (5, "get-cstenant-on-premises"),
        (43, "get-cstenant-on-premises"),
        // 5.5: -StartDate 6/1/2012 -EndDate 5/31/2013, culture-dependent and long expired.
        (56, "culture-dependent-date"),
        (56, "credential-expiring"),
        (56, "culture-dependent-date"),
        // 4.7: the SPN added without a check.
        (65, "spn-added-without-check"),
    ]
    .iter()
    .map(|(l, c)| (*l, c.to_string()))
    .collect();
    assert_eq!(sorted(found(&report)), sorted(want), "{report:#}");
    // Only the date with one meaning is fixed.
    let fixes: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "culture-dependent-date")
        .map(|d| &d["fix"])
        .collect();
    assert!(fixes[0].is_null());
    assert_eq!(fixes[1]["edits"][0]["replacement"], "'2013-05-31'");
    // With the sample config, the page's SPN is not one of its pools.
    let (report, _) = lint_json(
        &dir,
        &[
            "--select",
            "config",
            "--config",
            sample("fabrikam.json").to_str().unwrap(),
            "seed-lync2013.ps1",
        ],
    );
    assert_eq!(found(&report), [(65, "config-unknown-spn".to_string())]);
}

#[test]
fn a_bundle_linted_against_another_config_names_the_differences() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fabrikam");
    xprem(
        dir.path(),
        &[
            "generate",
            sample("fabrikam.json").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .assert()
    .success();
    let other = sample("contoso-gcchigh.toml");
    let (report, code) = lint_json(
        dir.path(),
        &[
            "--config",
            other.to_str().unwrap(),
            "--select",
            "config",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(1));
    let mut per_code: BTreeMap<String, usize> = BTreeMap::new();
    for (_, c) in found(&report) {
        *per_code.entry(c).or_default() += 1;
    }
    // Tenant and cloud of the metadata URL (both branches of step 1), the tenant ID of step 2,
    // and the SPN of both cloud scripts.
    assert!(
        per_code
            .get("config-tenant-mismatch")
            .is_some_and(|&n| n >= 4),
        "{report:#}"
    );
    assert!(
        per_code.get("config-unknown-spn").is_some_and(|&n| n >= 2),
        "{report:#}"
    );
    // Without --config the config rules say nothing.
    let (report, code) = lint_json(dir.path(), &["--select", "config", out.to_str().unwrap()]);
    assert!(found(&report).is_empty() && code == Some(0), "{report:#}");
    // Another certificate than the config's.
    let script = write(
        dir.path(),
        "upload.ps1",
        format!(
            "$credValue = '{}'\nNew-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credValue\n",
            pem_body(&std::fs::read_to_string(fixture("certs/expired.cer")).unwrap())
        ),
    );
    let (report, _) = lint_json(
        dir.path(),
        &[
            "--config",
            sample("fabrikam.json").to_str().unwrap(),
            "--select",
            "config-certificate-mismatch,certificate-expiring",
            script.to_str().unwrap(),
        ],
    );
    assert_eq!(
        sorted(found(&report)),
        [
            (1, "certificate-expiring".to_string()),
            (1, "config-certificate-mismatch".to_string())
        ]
    );
}

fn pem_body(pem: &str) -> String {
    pem.lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect()
}

#[test]
fn a_private_key_or_pfx_pasted_as_a_value_is_reported_and_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let secret = base64::engine::general_purpose::STANDARD.encode(key.serialize_der());
    let script = write(
        dir.path(),
        "upload.ps1",
        format!(
            "$credValue = '{secret}'\r\nNew-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credValue\r\n"
        ),
    );
    for format in ["json", "human", "sarif", "gcc"] {
        let out = xprem(
            dir.path(),
            &[
                "lint",
                "--format",
                format,
                "--no-progress",
                "--select",
                "not-a-certificate",
                script.to_str().unwrap(),
            ],
        )
        .output()
        .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(
            text.contains("not-a-certificate") && text.contains("private key"),
            "{text}"
        );
        if format != "human" {
            // The human form quotes the source line (the admin's own file); the others never
            // carry the key.
            assert!(!text.contains(&secret[20..60]), "{format} echoes the key");
        }
    }
}

#[test]
fn fix_rewrites_only_the_dates_with_one_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "dates.ps1",
        "New-MsolServicePrincipalCredential -AppPrincipalId $id -Type Asymmetric -Value $v -StartDate 6/1/2012 -EndDate 5/31/2013\r\n$roll = [datetime]'11/30/2026 10:00 PM'\r\n",
    );
    xprem(
        dir.path(),
        &[
            "lint",
            "--fix",
            "--no-progress",
            "--select",
            "culture-dependent-date",
            "--fail-on",
            "never",
            script.to_str().unwrap(),
        ],
    )
    .assert()
    .success();
    assert_eq!(
        std::fs::read_to_string(&script).unwrap(),
        "New-MsolServicePrincipalCredential -AppPrincipalId $id -Type Asymmetric -Value $v -StartDate 6/1/2012 -EndDate '2013-05-31'\r\n$roll = [datetime]'2026-11-30T22:00:00'\r\n"
    );
}

#[test]
fn the_date_of_the_check_decides_expired_and_expiring() {
    let dir = fixture("lint/credentials");
    let run = |as_of: &str| {
        let out = xprem(
            &dir,
            &[
                "lint",
                "--format",
                "json",
                "--no-progress",
                "--select",
                "certificate-expiring",
                "--as-of",
                as_of,
                "embedded-certificate-defects.ps1",
            ],
        )
        .output()
        .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["severity"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(run("2026-07-01"), ["error"]);
    assert_eq!(run("2020-12-01"), ["warning"]);
    assert!(run("2019-06-01").is_empty());
}
