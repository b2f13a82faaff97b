//! Every kind of bad input to `generate` (and `validate`): exit code 2, a message that names the
//! file, the place and the fix, and nothing written.

use std::fs;
use std::path::Path;

use crate::common::*;

/// Runs `generate CONFIG --out out` in `dir` and checks: exit 2, every `needle` in stderr,
/// nothing on stdout, and no new entry in `dir` apart from those listed in `keep`.
fn generate_fails(dir: &Path, config: &str, needles: &[&str]) -> String {
    generate_to_fails(dir, config, "out", needles)
}

/// `generate_fails` with another `--out`.
fn generate_to_fails(dir: &Path, config: &str, out: &str, needles: &[&str]) -> String {
    let before = entries(dir);
    let output = xprem(
        dir,
        &["generate", config, "--out", out, "--as-of", "2026-11-26"],
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        output.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    for needle in needles {
        assert!(shows(&stderr, needle), "stderr lacks {needle:?}: {stderr}");
    }
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    assert_eq!(entries(dir), before, "something was written");
    stderr
}

/// Whether the human report `text` shows `needle`, written `message Fix: fix` for a finding whose
/// title ends with `message` and whose `= fix:` line starts with `fix`.
fn shows(text: &str, needle: &str) -> bool {
    match needle.split_once(" Fix: ") {
        Some((message, fix)) => text.contains(message) && text.contains(&format!("= fix: {fix}")),
        None => text.contains(needle),
    }
}

#[test]
fn missing_config() {
    let dir = tempfile::tempdir().unwrap();
    generate_fails(
        dir.path(),
        "nope.json",
        &["nope.json", "no such file", "xprem init"],
    );
}

#[test]
fn config_that_is_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("c.json")).unwrap();
    generate_fails(dir.path(), "c.json", &["c.json", "is a folder"]);
}

#[test]
fn config_with_an_unknown_extension() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "c.yaml", "tenant: x");
    generate_fails(dir.path(), "c.yaml", &["c.yaml", ".json or .toml"]);
}

#[test]
fn malformed_json_gives_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "c.json",
        "{\n  \"tenant\": { \"name\": \"x\" \n  \"cloud\": 1\n}",
    );
    generate_fails(
        dir.path(),
        "c.json",
        &["c.json:3:3: malformed JSON", "expected `,` or `}`"],
    );
}

#[test]
fn malformed_toml_gives_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "c.toml", "[tenant]\nname = \"x\"\nid = 6f2c\n");
    generate_fails(dir.path(), "c.toml", &["c.toml:3:", "malformed TOML"]);
}

#[test]
fn empty_and_binary_configs() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.json", "  \n");
    generate_fails(dir.path(), "empty.json", &["empty.json", "is empty"]);
    write(dir.path(), "bin.json", [0xff, 0x00, 0x13, 0x88]);
    generate_fails(dir.path(), "bin.json", &["bin.json", "UTF-8"]);
}

#[test]
fn wrong_types_and_unknown_fields_are_all_reported_with_paths() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_json(serde_json::json!({
        "tenant": {"id": 42, "nmae": "x"},
        "cloud": "mars",
        "on_premises": {"web_services_fqdns": "lyncweb.fabrikam.com"},
        "extra": true
    }));
    write(dir.path(), "c.json", config);
    generate_fails(
        dir.path(),
        "c.json",
        &[
            "c.json: the config has 5 errors; nothing was written",
            "tenant.id: expected a string, found the number 42",
            "tenant.nmae: unknown field. Fix: did you mean `name`?",
            "cloud: the string \"mars\" is not an allowed value. Fix: use one of: worldwide, gcc-high, dod, china.",
            "on_premises.web_services_fqdns: expected a list",
            "extra: unknown field",
        ],
    );
}

#[test]
fn meaning_errors_are_all_reported_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_json(serde_json::json!({
        "tenant": {"id": "6f2c-1c8e"},
        "on_premises": {"web_services_fqdns": ["https://lyncweb.fabrikam.com/", "pool.fabrikam.com", "POOL.fabrikam.com"]},
        "credential": {"start": "2026-02-30", "end": "6/1/2012"}
    }));
    write(dir.path(), "c.json", config);
    generate_fails(
        dir.path(),
        "c.json",
        &[
            "the config has 5 errors",
            "tenant.id: \"6f2c-1c8e\" is not a GUID",
            "on_premises.web_services_fqdns[0]: \"https://lyncweb.fabrikam.com/\" is a URL, not a host name. Fix: write only the host name: \"lyncweb.fabrikam.com\".",
            "on_premises.web_services_fqdns[2]: \"POOL.fabrikam.com\" repeats on_premises.web_services_fqdns[1]",
            "credential.start: \"2026-02-30\" is not a real date",
            "credential.end: \"6/1/2012\" is not a date xprem can read",
        ],
    );
}

#[test]
fn credential_window_outside_the_certificate() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "c.json",
        config_json(
            serde_json::json!({"credential": {"start": "2020-01-01", "end": "2050-01-01"}}),
        ),
    );
    generate_fails(
        dir.path(),
        "c.json",
        &[
            "credential.start: 2020-01-01 00:00:00 UTC is before the certificate's validity starts",
            "credential.end: 2050-01-01 00:00:00 UTC is after the certificate expires",
        ],
    );
}

#[test]
fn missing_certificate_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "c.json",
        config_json(serde_json::json!({"certificate": {"path": "certs/none.cer"}})),
    );
    generate_fails(dir.path(), "c.json", &["certificate.path", "none.cer"]);
}

/// A config in `dir` whose certificate is `cert` (relative to the config).
fn config_with_cert(dir: &Path, cert_name: &str, cert: impl AsRef<[u8]>) {
    write(dir, cert_name, cert);
    write(
        dir,
        "c.json",
        config_json(serde_json::json!({"certificate": {"path": cert_name}})),
    );
}

#[test]
fn a_private_key_as_the_certificate_is_refused_and_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let pem = key.serialize_pem();
    config_with_cert(dir.path(), "key.cer", &pem);
    let stderr = generate_fails(
        dir.path(),
        "c.json",
        &["certificate.path", "key.cer", "private key"],
    );
    let body_line = pem.lines().nth(1).unwrap();
    assert!(
        !stderr.contains(body_line),
        "the key leaked into the message"
    );
}

#[test]
fn a_pfx_as_the_certificate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // PKCS#12: SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data, ... } }
    let pfx = [
        0x30, 0x16, 0x02, 0x01, 0x03, 0x30, 0x11, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
        0x01, 0x07, 0x01, 0xa0, 0x04, 0x04, 0x02, 0x30, 0x00,
    ];
    config_with_cert(dir.path(), "oauth.pfx", pfx);
    generate_fails(
        dir.path(),
        "c.json",
        &["certificate.path", "oauth.pfx", "PFX"],
    );
}

#[test]
fn truncated_empty_and_binary_certificates_are_refused() {
    let der = fs::read(fixture("certs/oauth-der.cer")).unwrap();
    for (name, bytes, needle) in [
        ("truncated.cer", der[..der.len() / 2].to_vec(), "truncated"),
        ("empty.cer", Vec::new(), "empty"),
        (
            "binary.cer",
            vec![0x89, b'P', b'N', b'G', 0, 1, 2, 3, 0xff],
            "not a certificate",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        config_with_cert(dir.path(), name, bytes);
        generate_fails(dir.path(), "c.json", &["certificate.path", name, needle]);
    }
}

#[test]
fn an_existing_output_folder_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("out")).unwrap();
    fs::write(dir.path().join("out/keep.txt"), "mine").unwrap();
    generate_fails(
        dir.path(),
        &sample("fabrikam.json").to_string_lossy(),
        &["out: already exists", "--force"],
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("out/keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn an_output_folder_that_cannot_be_created() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("file"), "x").unwrap();
    let config = sample("fabrikam.json");
    generate_to_fails(
        dir.path(),
        &config.to_string_lossy(),
        "file/out",
        &["file", "cannot write there"],
    );
}

#[cfg(unix)]
#[test]
fn an_output_folder_in_a_read_only_place() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    // root may write anywhere: then there is nothing to test.
    if fs::write(locked.join("probe"), "x").is_ok() {
        return;
    }
    let config = sample("fabrikam.json");
    generate_to_fails(
        dir.path(),
        &config.to_string_lossy(),
        "locked/out",
        &["locked", "cannot write there"],
    );
    assert!(entries(&locked).is_empty());
}

#[test]
fn validate_reports_problems_with_exit_code_1_and_input_errors_with_2() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad.json",
        config_json(serde_json::json!({"tenant": {"id": "nope"}})),
    );
    let output = xprem(
        dir.path(),
        &["validate", "bad.json", "--as-of", "2026-11-26"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    // The finding names its code, field, line and column, shows the line, and says what to do.
    for needle in [
        "error[config-tenant-id]: tenant.id: \"nope\" is not a GUID",
        "--> bad.json:4:11",
        "\"id\": \"nope\"",
        "= fix: copy the Tenant ID",
    ] {
        assert!(stdout.contains(needle), "{needle}: {stdout}");
    }
    assert!(
        stdout.contains("bad.json: 1 error, 0 warnings."),
        "{stdout}"
    );

    xprem(dir.path(), &["validate", "missing.json"])
        .assert()
        .code(2);
    // Machines get the same JSON document for a config that cannot be read or parsed.
    write(dir.path(), "broken.json", "{\"tenant\": ");
    for (file, needle) in [
        ("missing.json", "no such file"),
        ("broken.json", "malformed JSON"),
    ] {
        let output = xprem(dir.path(), &["validate", file, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{file}");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["valid"], false, "{file}");
        assert_eq!(report["errors"], 1, "{file}");
        assert!(
            report["findings"][0]["message"]
                .as_str()
                .unwrap()
                .contains(needle),
            "{report}"
        );
        assert!(output.stderr.is_empty(), "{file}");
    }
    let broken = xprem(dir.path(), &["validate", "broken.json", "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&broken.stdout).unwrap();
    assert_eq!(report["findings"][0]["code"], "config-syntax");
    assert_eq!(
        (
            report["findings"][0]["line"].clone(),
            report["findings"][0]["column"].clone()
        ),
        (1.into(), 11.into())
    );
    // The other machine forms get the same finding.
    let gcc = xprem(dir.path(), &["validate", "broken.json", "--format", "gcc"])
        .output()
        .unwrap();
    assert_eq!(gcc.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&gcc.stdout)
            .starts_with("broken.json:1:11: error: broken.json:1:11: malformed JSON"),
        "{}",
        String::from_utf8_lossy(&gcc.stdout)
    );
    xprem(
        dir.path(),
        &[
            "validate",
            &sample("fabrikam.json").to_string_lossy(),
            "--as-of",
            "2026-11-26",
        ],
    )
    .assert()
    .code(0)
    .stdout(predicates::str::contains(
        "valid (tenant Fabrikam.com, cloud worldwide, 1 SPN, certificate",
    ));
}

#[test]
fn a_key_given_twice_is_an_error_naming_both_places() {
    let dir = tempfile::tempdir().unwrap();
    let cert = sample("certs/oauth.cer")
        .to_string_lossy()
        .replace('\\', "/");
    write(
        dir.path(),
        "twice.json",
        format!(
            "{{\n  \"tenant\": {{\n    \"name\": \"Fabrikam.com\",\n    \"id\": \"6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1\",\n    \"id\": \"0b9d6e53-2c5e-4a71-8f39-5c0d2e8b7a14\"\n  }},\n  \"on_premises\": {{ \"web_services_fqdns\": [\"lyncweb.fabrikam.com\"] }},\n  \"certificate\": {{ \"path\": \"{cert}\" }}\n}}\n"
        ),
    );
    let stderr = generate_fails(
        dir.path(),
        "twice.json",
        &[
            "twice.json:5:5:",
            "\"id\" is given twice",
            "tenant.id",
            "at 4:5",
            "Keep one",
        ],
    );
    assert!(!stderr.contains("panicked"));
    xprem(dir.path(), &["validate", "twice.json"])
        .assert()
        .code(2);
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    xprem(dir.path(), &["generate"]).assert().code(2);
    xprem(dir.path(), &["frobnicate"]).assert().code(2);
    xprem(
        dir.path(),
        &["generate", "x.json", "--out", "o", "--as-of", "26/11/2026"],
    )
    .assert()
    .code(2);
    let output = xprem(
        dir.path(),
        &["generate", "x.json", "--out", "o", "--as-of", "2026-02-30"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("`2026-02-30` is not a real date"),
        "{stderr}"
    );
    xprem(dir.path(), &["--help"]).assert().code(0);
}

/// The full text admins see for a config with many problems, for review.
#[test]
fn validate_output_for_many_problems() {
    let output = xprem(
        &fixture("configs"),
        &["validate", "many-problems.json", "--as-of", "2026-11-26"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

#[test]
fn a_misspelt_cloud_module_or_bad_graph_modules_are_refused_with_their_paths() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "c.json",
        config_json(serde_json::json!({
            "cloud_module": "msgraph",
            "graph": {"modules": ["Microsoft.Graph.Authentication", "microsoft.graph.authentication", "rel\\Graph.psd1", ""]}
        })),
    );
    generate_fails(
        dir.path(),
        "c.json",
        &[
            "cloud_module: the string \"msgraph\" is not an allowed value. Fix: use one of: graph, msonline.",
        ],
    );
    // With a valid module family, each bad entry of graph.modules is named by its index.
    write(
        dir.path(),
        "c.json",
        config_json(serde_json::json!({
            "graph": {"modules": ["Microsoft.Graph.Authentication", "microsoft.graph.authentication", "rel\\Graph.psd1", ""]}
        })),
    );
    generate_fails(
        dir.path(),
        "c.json",
        &[
            "graph.modules[1]: \"microsoft.graph.authentication\" is listed twice",
            "graph.modules[2]:",
            "graph.modules[3]:",
        ],
    );
    write(
        dir.path(),
        "c.json",
        config_json(serde_json::json!({"graph": {"modules": []}})),
    );
    generate_fails(
        dir.path(),
        "c.json",
        &[
            "graph.modules: the list is empty",
            "Microsoft.Graph.Authentication",
        ],
    );
    // --cloud-module takes only the two families.
    let output = xprem(
        dir.path(),
        &[
            "generate",
            "c.json",
            "--out",
            "o",
            "--cloud-module",
            "azuread",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("graph, msonline"));
    assert!(!dir.path().join("o").exists());
}

#[test]
fn msonline_is_warned_as_retired_with_the_way_to_switch() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "c.json",
        config_json(serde_json::json!({"cloud_module": "msonline"})),
    );
    for args in [
        vec!["validate", "c.json", "--as-of", "2026-11-26"],
        vec!["generate", "c.json", "--out", "o", "--as-of", "2026-11-26"],
    ] {
        let output = xprem(dir.path(), &args).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        // validate prints its findings on standard output, generate its warnings on standard error.
        let text =
            String::from_utf8(output.stdout).unwrap() + &String::from_utf8(output.stderr).unwrap();
        assert!(
            text.contains(
                "cloud_module: \"msonline\": Microsoft retired the MSOnline module on 30 May 2025"
            ) && text.contains("--cloud-module graph"),
            "{args:?}: {text}"
        );
    }
    // --cloud-module graph overrides the config for one run: no MSOnline in the bundle.
    let output = xprem(
        dir.path(),
        &[
            "generate",
            "c.json",
            "--out",
            "g",
            "--as-of",
            "2026-11-26",
            "--cloud-module",
            "graph",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let step2 = fs::read_to_string(dir.path().join("g/2-Configure-Office365.ps1")).unwrap();
    assert!(step2.contains("Connect-MgGraph") && !step2.contains("Connect-MsolService"));
}

#[test]
fn validate_prints_config_findings_in_every_format_at_their_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let cert = sample("certs/oauth.cer")
        .to_string_lossy()
        .replace('\\', "/");
    write(
        dir.path(),
        "c.toml",
        format!(
            "[tenant]\nname = \"Fabrikam.com\"\nid = \"nope\"\n\n[on_premises]\nweb_services_fqdns = [\"lyncweb.fabrikam.com\", \"lyncweb\"]\n\n[certificate]\npath = \"{cert}\"\n"
        ),
    );
    let run = |format: &str| {
        let out = xprem(
            dir.path(),
            &[
                "validate",
                "c.toml",
                "--format",
                format,
                "--as-of",
                "2026-11-26",
            ],
        )
        .output()
        .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        String::from_utf8(out.stdout).unwrap()
    };
    let gcc = run("gcc");
    assert!(
        gcc.contains("c.toml:3:6: error: tenant.id: \"nope\" is not a GUID"),
        "{gcc}"
    );
    assert!(gcc.contains("c.toml:6:47: error: on_premises.web_services_fqdns[1]: \"lyncweb\" is not fully qualified"), "{gcc}");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["format_version"], 2);
    assert_eq!(json["findings"][0]["field"], "tenant.id");
    assert_eq!(json["findings"][0]["code"], "config-tenant-id");
    assert_eq!(
        (
            json["findings"][0]["line"].clone(),
            json["findings"][0]["column"].clone()
        ),
        (3.into(), 6.into())
    );
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "tenant.id"
    );
    let github = run("github");
    assert!(
        github.starts_with("::error file=c.toml,line=3,col=6,"),
        "{github}"
    );
    let human = run("human");
    assert!(
        human.contains("--> c.toml:3:6") && human.contains("3 | id = \"nope\""),
        "{human}"
    );
}
