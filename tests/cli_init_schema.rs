//! `xprem init` and `xprem schema`: the sample config they write is valid, the published schema is
//! the one the binary prints, and the schema and the built-in checks agree.

use std::fs;

use predicates::prelude::*;

use crate::common::*;

#[test]
fn init_writes_a_commented_sample_that_validates_only_once_its_placeholders_are_replaced() {
    let dir = tempfile::tempdir().unwrap();
    xprem(dir.path(), &["init", "fabrikam.toml"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Wrote fabrikam.toml"));
    let text = fs::read_to_string(dir.path().join("fabrikam.toml")).unwrap();
    assert!(
        text.contains("# The tenant ID"),
        "the sample explains its fields"
    );
    // The header names the file it was written to, and only commands and flags that exist.
    assert!(text.contains("xprem validate fabrikam.toml"), "{text}");
    assert!(
        text.contains("xprem generate fabrikam.toml --out bundle"),
        "{text}"
    );
    // As written, every placeholder is an error, even with a certificate at the usual place.
    fs::create_dir(dir.path().join("certs")).unwrap();
    fs::copy(
        sample("certs/oauth.cer"),
        dir.path().join("certs/oauth.cer"),
    )
    .unwrap();
    let output = xprem(
        dir.path(),
        &["validate", "fabrikam.toml", "--as-of", "2026-11-26"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    for place in [
        "tenant.name",
        "tenant.id",
        "on_premises.web_services_fqdns[0]",
        "certificate.path",
    ] {
        assert!(
            stdout.contains(&format!("{place}: ")) && stdout.contains("placeholder"),
            "{place}: {stdout}"
        );
    }
    // With the placeholders replaced, the sample is valid and generates.
    let text = text
        .replace("\"<tenant domain>\"", "\"fabrikam.com\"")
        .replace(
            "\"<tenant ID>\"",
            "\"6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1\"",
        )
        .replace(
            "\"<external web services FQDN>\"",
            "\"lyncweb.fabrikam.com\"",
        )
        .replace("\"<certificate .cer file>\"", "\"certs/oauth.cer\"");
    fs::write(dir.path().join("fabrikam.toml"), text).unwrap();
    xprem(
        dir.path(),
        &["validate", "fabrikam.toml", "--as-of", "2026-11-26"],
    )
    .assert()
    .success();
    xprem(
        dir.path(),
        &[
            "generate",
            "fabrikam.toml",
            "--out",
            "bundle",
            "--as-of",
            "2026-11-26",
        ],
    )
    .assert()
    .success();
}

#[test]
fn init_writes_json_with_a_schema_reference_and_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    xprem(dir.path(), &["init", "c.json"]).assert().success();
    let value: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("c.json")).unwrap()).unwrap();
    assert_eq!(value["$schema"], "./xprem.schema.json");
    assert_eq!(value["tenant"]["name"], "<tenant domain>");

    fs::write(dir.path().join("c.json"), "mine").unwrap();
    xprem(dir.path(), &["init", "c.json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("c.json: already exists"))
        .stderr(predicates::str::contains("--out").not());
    assert_eq!(
        fs::read_to_string(dir.path().join("c.json")).unwrap(),
        "mine"
    );
    xprem(dir.path(), &["init", "c.json", "--force"])
        .assert()
        .success();
    xprem(dir.path(), &["init", "c.yaml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(".json or .toml"));
    assert_eq!(entries(dir.path()), vec!["c.json"]);
}

#[test]
fn the_published_schema_is_what_the_binary_prints() {
    let output = xprem(&root(), &["schema"]).output().unwrap();
    assert!(output.status.success());
    let published = fs::read_to_string(sample("xprem.schema.json")).unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        published,
        "run `xprem schema > samples/xprem.schema.json`"
    );
}

/// The schema editors use and the checks xprem runs agree on what is structurally acceptable.
#[test]
fn the_schema_and_the_checks_agree() {
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(sample("xprem.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let cases = [
        (serde_json::json!({}), true),
        (
            serde_json::json!({"cloud": "dod", "credential": {"start": "2026-01-01"}, "msonline": {"module": "MSOnlineExtended"}}),
            true,
        ),
        (
            serde_json::json!({"on_premises": {"trust_level": "Application", "oauth_server_identity": "x.y"}}),
            true,
        ),
        (serde_json::json!({"tenant": {"id": null}}), true),
        (serde_json::json!({"tenant": {"id": 42}}), false),
        (serde_json::json!({"tenant": {"extra": 1}}), false),
        (serde_json::json!({"cloud": "mars"}), false),
        (
            serde_json::json!({"on_premises": {"web_services_fqdns": "a.b"}}),
            false,
        ),
        (
            serde_json::json!({"on_premises": {"trust_level": "full"}}),
            false,
        ),
        (serde_json::json!({"credential": {"start": 2026}}), false),
        (serde_json::json!({"certificate": null}), false),
        (serde_json::json!({"top": true}), false),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (patch, ok) in cases {
        let text = config_json(patch.clone());
        let instance: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(validator.is_valid(&instance), ok, "schema on {patch}");
        let path = write(dir.path(), "c.json", &text);
        let checked =
            xprem::config::check(&path, time::macros::datetime!(2026-11-26 0:00 UTC)).unwrap();
        assert_eq!(
            !checked.has_errors(),
            ok,
            "checks on {patch}: {:?}",
            checked.problems
        );
    }
}
