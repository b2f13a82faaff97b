//! `xprem generate`: the bundle for the shipped samples, snapshotted file by file, and the
//! properties every bundle has (CRLF, ASCII or UTF-8 with BOM, determinism, checksums).

use std::fs;
use std::path::Path;

use crate::common::*;
use sha2::{Digest, Sha256};

const AS_OF: &str = "2026-11-26";

/// Runs `generate CONFIG --out OUT --as-of AS_OF EXTRA...` in the folder of `out`.
fn run_generate(config: &Path, out: &Path, as_of: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "generate",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        as_of,
    ];
    args.extend_from_slice(extra);
    xprem(out.parent().unwrap(), &args).output().unwrap()
}

fn generate(config: &Path, out: &Path) {
    let output = run_generate(config, out, AS_OF, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

const BUNDLE: &[&str] = &[
    "1-Configure-OnPremises.ps1",
    "2-Configure-Office365.ps1",
    "Export-State.ps1",
    "README.txt",
    "Remove-Office365Credential.ps1",
    "SHA256SUMS",
    "Verify-Bundle.ps1",
];

#[test]
fn every_sample_config_generates_a_bundle_matching_its_snapshots() {
    let samples = sample_configs();
    assert!(samples.len() >= 7, "{samples:?}");
    for config in samples {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        generate(&config, &out);
        assert_eq!(entries(&out), BUNDLE);
        for name in BUNDLE {
            let text = String::from_utf8(fs::read(out.join(name)).unwrap()).unwrap();
            let text = text
                .strip_prefix('\u{feff}')
                .unwrap_or(&text)
                .replace("\r\n", "\n");
            let file_name = config.file_name().unwrap().to_string_lossy().into_owned();
            let stem = file_name.split('.').next().unwrap();
            insta::assert_snapshot!(format!("{stem}__{name}"), text);
        }
    }
}

#[test]
fn scripts_use_crlf_and_are_ascii_or_utf8_with_bom() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "c.json",
        config_json(serde_json::json!({"tenant": {"name": "Fabrikäm Ltd"}})),
    );
    let out = dir.path().join("out");
    generate(&config, &out);
    for name in BUNDLE.iter().filter(|n| **n != "SHA256SUMS") {
        let bytes = fs::read(out.join(name)).unwrap();
        let lone_lf = bytes
            .windows(2)
            .filter(|w| w[1] == b'\n' && w[0] != b'\r')
            .count()
            + usize::from(bytes.first() == Some(&b'\n'));
        assert_eq!(lone_lf, 0, "{name} has LF line ends");
        assert!(bytes.ends_with(b"\r\n"), "{name} ends without a line end");
        if bytes.is_ascii() {
            continue;
        }
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "{name} is not ASCII and has no BOM"
        );
        assert!(std::str::from_utf8(&bytes[3..]).is_ok());
    }
    // The non-ASCII tenant name makes the scripts that name it UTF-8 with a BOM.
    assert!(
        fs::read(out.join("1-Configure-OnPremises.ps1"))
            .unwrap()
            .starts_with(b"\xEF\xBB\xBF")
    );
    // Verify-Bundle.ps1 holds no config value, so it stays ASCII.
    assert!(fs::read(out.join("Verify-Bundle.ps1")).unwrap().is_ascii());
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    generate(&sample("fabrikam.json"), &a);
    generate(&sample("fabrikam.json"), &b);
    for name in BUNDLE {
        assert_eq!(
            fs::read(a.join(name)).unwrap(),
            fs::read(b.join(name)).unwrap(),
            "{name} differs between runs"
        );
    }
}

#[test]
fn sha256sums_lists_every_other_file_with_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    generate(&sample("fabrikam.json"), &out);
    let sums = fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    let mut listed = Vec::new();
    for line in sums.lines() {
        let (hash, name) = line.split_once("  ").unwrap();
        assert_eq!(
            hash,
            hex::encode(Sha256::digest(fs::read(out.join(name)).unwrap())),
            "{name}"
        );
        listed.push(name.to_owned());
    }
    let expected: Vec<&str> = BUNDLE
        .iter()
        .copied()
        .filter(|n| *n != "SHA256SUMS")
        .collect();
    assert_eq!(listed, expected);
}

#[test]
fn the_summary_names_the_digest_of_sha256sums() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = run_generate(&sample("fabrikam.json"), &out, AS_OF, &[]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let digest = hex::encode(Sha256::digest(fs::read(out.join("SHA256SUMS")).unwrap()));
    assert!(
        stdout.contains(&format!("SHA-256 of SHA256SUMS: {digest}")),
        "{stdout}"
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_script_header_names_the_version_and_the_config_hash() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    generate(&sample("fabrikam.json"), &out);
    let config_hash = hex::encode(Sha256::digest(fs::read(sample("fabrikam.json")).unwrap()));
    for name in BUNDLE.iter().filter(|n| n.ends_with(".ps1")) {
        let text = fs::read_to_string(out.join(name)).unwrap();
        let first = text.lines().next().unwrap();
        assert_eq!(
            first,
            format!(
                "# Generated by xprem {} from a config with SHA-256 {config_hash}.",
                env!("CARGO_PKG_VERSION")
            ),
            "{name}"
        );
        // Each script states the PowerShell it needs: 3.0 on premises, 5.1 for the Graph SDK.
        let wanted = if name.contains("Office365") {
            "5.1"
        } else {
            "3.0"
        };
        assert!(
            text.contains(&format!("#Requires -Version {wanted}\r\n")),
            "{name}"
        );
        assert!(text.contains("$ErrorActionPreference = 'Stop'"), "{name}");
    }
    // The MSOnline form runs on Windows PowerShell 3.0 like the rest.
    let out = dir.path().join("msonline");
    generate(&sample("fabrikam-msonline.toml"), &out);
    for name in BUNDLE.iter().filter(|n| n.ends_with(".ps1")) {
        let text = fs::read_to_string(out.join(name)).unwrap();
        assert!(text.contains("#Requires -Version 3.0\r\n"), "{name}");
    }
}

#[test]
fn force_replaces_a_previous_bundle_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    generate(&sample("fabrikam.json"), &out);
    let output = run_generate(&sample("fabrikam-lookup.toml"), &out, AS_OF, &["--force"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(entries(&out), BUNDLE);
    assert_eq!(entries(dir.path()), vec!["out"]);

    // A file of the user's in the folder: refused, named, and kept.
    fs::write(out.join("notes.txt"), "mine").unwrap();
    let before = fs::read(out.join("2-Configure-Office365.ps1")).unwrap();
    let output = run_generate(&sample("fabrikam.json"), &out, AS_OF, &["--force"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("is not a previous xprem bundle") && stderr.contains("notes.txt"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
    assert_eq!(
        fs::read(out.join("2-Configure-Office365.ps1")).unwrap(),
        before
    );
    assert_eq!(entries(dir.path()), vec!["out"]);
}

#[test]
fn force_never_deletes_a_folder_holding_the_config_or_its_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    fs::create_dir_all(home.join("certs")).unwrap();
    fs::copy(sample("certs/oauth.cer"), home.join("certs/oauth.cer")).unwrap();
    let config = write(
        &home,
        "fabrikam.json",
        config_json(serde_json::json!({"certificate": {"path": "certs/oauth.cer"}})),
    );
    // `--out ~`, with the config and the certificate in it.
    let output = run_generate(&config, &home, AS_OF, &["--force"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("contains the config file"), "{stderr}");
    assert_eq!(entries(&home), vec!["certs", "fabrikam.json"]);
    // The certificate alone inside the output folder is refused too.
    let elsewhere = write(
        dir.path(),
        "c.json",
        config_json(serde_json::json!({"certificate": {"path": "home/certs/oauth.cer"}})),
    );
    let output = run_generate(&elsewhere, &home.join("certs"), AS_OF, &["--force"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("contains the certificate"));
    assert!(home.join("certs/oauth.cer").exists());
}

#[test]
fn warnings_are_printed_and_do_not_stop_generation() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "c.json",
        config_json(serde_json::json!({"on_premises": {"trust_level": "Application"}})),
    );
    let output = run_generate(&config, &dir.path().join("out"), AS_OF, &[]);
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(
            "warning[config-trust-level]: on_premises.trust_level: \"Application\" is not the trust level"
        ) && stderr.contains("c.json:11:20"),
        "{stderr}"
    );
    assert_eq!(entries(&dir.path().join("out")), BUNDLE);
    // A certificate close to its end is a warning too: the bundle is still written.
    let output = run_generate(&config, &dir.path().join("out2"), "2045-12-01", &[]);
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("certificate.path") && stderr.contains("expires"),
        "{stderr}"
    );
}
