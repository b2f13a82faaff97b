//! `xprem plan`: the plan against exported states (snapshots of the text and JSON forms), the
//! exit codes of terraform's -detailed-exitcode, tolerant reading of states as Windows
//! PowerShell writes them, and refusals of states that cannot be used.

use std::process::Output;

use crate::common::*;

const AS_OF: &str = "2026-11-26";

fn state(name: &str) -> String {
    format!("tests/fixtures/state/{name}")
}

/// `xprem plan CONFIG --as-of AS_OF [--state S]... EXTRA...`, run in the repository root so that
/// the paths in the output are the relative ones given.
fn plan(config: &str, states: &[&str], extra: &[&str]) -> Output {
    let mut args = vec![
        "plan".to_owned(),
        config.to_owned(),
        "--as-of".to_owned(),
        AS_OF.to_owned(),
    ];
    for s in states {
        args.push("--state".to_owned());
        args.push(state(s));
    }
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    xprem(&root(), &args).env("NO_COLOR", "1").output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

fn change<'a>(plan: &'a serde_json::Value, object_start: &str) -> &'a serde_json::Value {
    plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["object"].as_str().unwrap().starts_with(object_start))
        .unwrap_or_else(|| panic!("no change {object_start}"))
}

#[test]
fn the_text_plan_before_the_change_after_it_with_conflicts_and_without_state() {
    for (name, states, code) in [
        (
            "before",
            &["onpremises-before.json", "cloud-before.json"][..],
            1,
        ),
        (
            "after",
            &["onpremises-after.json", "cloud-after.json"][..],
            0,
        ),
        (
            "conflicts",
            &["onpremises-conflicts.json", "cloud-conflicts.json"][..],
            1,
        ),
        ("no_state", &[][..], 1),
        ("on_premises_only", &["onpremises-before.json"][..], 1),
    ] {
        let output = plan("samples/fabrikam.json", states, &[]);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{name}: {}",
            stderr(&output)
        );
        assert!(output.stderr.is_empty(), "{name}: {}", stderr(&output));
        insta::assert_snapshot!(format!("plan_text_{name}"), stdout(&output));
    }
}

#[test]
fn destructive_changes_come_first_and_say_what_they_need() {
    let output = plan(
        "samples/fabrikam.json",
        &["onpremises-conflicts.json", "cloud-conflicts.json"],
        &["--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1));
    let plan = json(&output);
    let changes = plan["changes"].as_array().unwrap();
    let destructive: Vec<bool> = changes
        .iter()
        .map(|c| c["destructive"].as_bool().unwrap())
        .collect();
    let first_safe = destructive.iter().position(|d| !d).unwrap();
    assert!(
        first_safe >= 3 && destructive[first_safe..].iter().all(|d| !d),
        "{destructive:?}"
    );
    let partner = change(&plan, "partner_application \"microsoft.exchange\"");
    assert_eq!(partner["actions"], serde_json::json!(["delete", "create"]));
    assert_eq!(partner["requires"], "-ReplaceExisting");
    assert_eq!(
        partner["before"]["application_identifier"],
        "00000003-0000-0ff1-ce00-000000000000"
    );
    assert_eq!(
        partner["after"]["application_identifier"],
        "00000002-0000-0ff1-ce00-000000000000"
    );
    let server = change(&plan, "oauth_server");
    assert_eq!(server["actions"], serde_json::json!(["update"]));
    assert!(server["destructive"].as_bool().unwrap());
    // The same certificate with other dates is replaced; the other tenant's key would be kept.
    let key = change(
        &plan,
        "key_credential 54C5F8A84E0C62B8C0DABB7E6843C48E06C64D51 on service_principal 00000004",
    );
    assert_eq!(key["actions"], serde_json::json!(["delete", "create"]));
    assert_eq!(key["before"]["end"], "2025-12-31T00:00:00Z");
    assert_eq!(key["after"]["end"], "2045-12-31T23:59:59Z");
    // What the scripts stop at: another token issuer, a missing principal, an SPN held elsewhere.
    let failing: Vec<&str> = plan["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(failing.len(), 3, "{failing:?}");
    assert!(failing[0].contains("OAuthTokenIssuer"));
    assert!(failing[2].contains("00000004-0000-0ff1-ce00-000000000000/lyncweb.fabrikam.com"));
    assert_eq!(plan["summary"]["failing_checks"], 3);
}

#[test]
fn the_json_plan_has_changes_with_object_actions_before_and_after() {
    let output = plan(
        "samples/fabrikam.json",
        &["onpremises-before.json", "cloud-before.json"],
        &["--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1));
    let plan = json(&output);
    assert_eq!(plan["format_version"], 1);
    assert_eq!(plan["has_changes"], true);
    for change in plan["changes"].as_array().unwrap() {
        for field in [
            "object",
            "actions",
            "before",
            "after",
            "destructive",
            "step",
            "notes",
            "kept",
        ] {
            assert!(change.get(field).is_some(), "{field} missing in {change}");
        }
    }
    let key = change(
        &plan,
        "key_credential 54C5F8A84E0C62B8C0DABB7E6843C48E06C64D51 on service_principal 00000004",
    );
    assert_eq!(key["actions"], serde_json::json!(["create"]));
    assert_eq!(key["before"], serde_json::Value::Null);
    // The keys already there are listed and kept; the expired one says so.
    let kept = key["kept"].as_array().unwrap();
    assert_eq!(kept.len(), 2);
    assert_eq!(kept[0]["expired"], true);
    assert!(
        kept[0]["status"].as_str().unwrap().contains("329 days ago"),
        "{}",
        kept[0]
    );
    let spns = change(&plan, "service_principal 00000004");
    assert_eq!(spns["actions"], serde_json::json!(["update"]));
    assert_eq!(
        spns["after"]["service_principal_names"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    insta::assert_json_snapshot!("plan_json_before", plan);
    // No changes: exit 0 and every object a no-op.
    let output = plan_after_json();
    assert_eq!(output.status.code(), Some(0));
    let plan = json(&output);
    assert_eq!(plan["has_changes"], false);
    assert!(
        plan["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["actions"] == serde_json::json!(["no-op"]))
    );
}

fn plan_after_json() -> Output {
    plan(
        "samples/fabrikam.json",
        &["onpremises-after.json", "cloud-after.json"],
        &["--format", "json"],
    )
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let a = plan_after_json();
    let b = plan_after_json();
    assert_eq!(a.stdout, b.stdout);
    let a = plan("samples/fabrikam.json", &["onpremises-conflicts.json"], &[]);
    let b = plan("samples/fabrikam.json", &["onpremises-conflicts.json"], &[]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn windows_powershell_json_is_read_dates_one_item_arrays_wrappers_and_utf16() {
    // Out-File's UTF-16 LE with BOM, \/Date(ms)\/ (one wrapped with its DateTime), one-item
    // arrays written as the item, {"value": [...], "Count": 2}, an upper-case tenant ID.
    let output = plan(
        "samples/fabrikam.json",
        &["cloud-windows-powershell.json"],
        &["--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let plan = json(&output);
    let states = plan["states"].as_array().unwrap();
    assert_eq!(states[0]["exported_at"], "2025-11-25T09:12:03Z");
    // The key of this certificate (lower-case thumbprint, dates as \/Date\/) is recognised.
    let key = change(
        &plan,
        "key_credential 54C5F8A84E0C62B8C0DABB7E6843C48E06C64D51 on service_principal 00000004",
    );
    assert_eq!(key["actions"], serde_json::json!(["no-op"]), "{key}");
    let spns = change(&plan, "service_principal 00000004");
    assert_eq!(
        spns["before"]["service_principal_names"],
        serde_json::json!(["00000004-0000-0ff1-ce00-000000000000"])
    );
    let exchange = change(&plan, "service_principal 00000002");
    assert_eq!(exchange["before"]["account_enabled"], false);
    // The state is a year old: a warning, in the document.
    let codes: Vec<&str> = plan["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["state-stale"]);
}

#[test]
fn values_cut_off_by_the_depth_are_unknown_with_a_warning() {
    let output = plan(
        "samples/fabrikam.json",
        &["cloud-depth-truncated.json"],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.matches("warning[state-truncated]").count(), 3, "{err}");
    assert!(
        err.contains("tests/fixtures/state/cloud-depth-truncated.json:35:28"),
        "{err}"
    );
    assert!(err.contains("-Depth 10"), "{err}");
    let out = stdout(&output);
    assert!(
        out.contains("  ? key_credential 54C5F8A84E0C62B8C0DABB7E6843C48E06C64D51 on service_principal 00000004")
            && out.contains("Export-State.ps1 could not read the key credentials."),
        "{out}"
    );
}

#[test]
fn bad_states_are_errors_with_file_place_and_fix() {
    for (file, place, words) in [
        (
            "cloud-other-tenant.json",
            ":18:13",
            "exported from another tenant",
        ),
        (
            "unknown-version.json",
            ":3:21",
            "reads format_version 1 only",
        ),
        ("truncated.json", ":29:32", "it is truncated"),
        ("not-json.json", ":1:1", "is not JSON"),
        (
            "onpremises-other-deployment.json",
            ":38:21",
            "another deployment's state",
        ),
    ] {
        for format in ["text", "json"] {
            let output = plan("samples/fabrikam.json", &[file], &["--format", format]);
            assert_eq!(output.status.code(), Some(2), "{file}");
            let err = stderr(&output);
            let last = err.lines().last().unwrap();
            assert!(
                last.starts_with(&format!(
                    "xprem: error: tests/fixtures/state/{file}{place}: "
                )) && last.contains(words)
                    && last.contains("Fix: ")
                    && last.ends_with("Nothing was written."),
                "{file}: {err}"
            );
            if format == "json" {
                let document = json(&output);
                assert_eq!(
                    document["diagnostics"][0]["severity"], "error",
                    "{document}"
                );
            } else {
                assert!(output.stdout.is_empty(), "{file}");
                assert!(err.starts_with("error[state-"), "{err}");
            }
        }
    }
}

#[test]
fn a_lookup_config_takes_the_tenant_from_a_cloud_state_of_its_domain() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "lookup.json",
        config_json(serde_json::json!({"tenant": {"name": "fabrikam.com", "id": null}})),
    );
    let config = config.to_str().unwrap();
    let output = plan(
        config,
        &["onpremises-before.json", "cloud-before.json"],
        &["--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let plan_json = json(&output);
    assert_eq!(
        plan_json["tenant"]["id"],
        "6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1"
    );
    let server = change(&plan_json, "oauth_server");
    assert_eq!(
        server["after"]["metadata_url"],
        "https://accounts.accesscontrol.windows.net/6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1/metadata/json/1"
    );
    // Without the cloud state the ID is the one step 1 looks up.
    let output = plan(
        config,
        &["onpremises-conflicts.json"],
        &["--format", "json"],
    );
    let server = json(&output);
    let server = change(&server, "oauth_server");
    assert_eq!(server["actions"], serde_json::json!(["unknown"]));
    // A state whose domains do not include the config's name is another tenant's.
    let output = plan(config, &["cloud-other-tenant.json"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not \"fabrikam.com\" that"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn two_states_of_one_part_or_a_config_as_state_are_refused() {
    let output = plan(
        "samples/fabrikam.json",
        &["cloud-before.json", "cloud-after.json"],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("both are cloud states"),
        "{}",
        stderr(&output)
    );
    let output = xprem(
        &root(),
        &[
            "plan",
            "samples/fabrikam.json",
            "--state",
            "samples/fabrikam.json",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("It looks like an xprem config"),
        "{}",
        stderr(&output)
    );
    let output = xprem(
        &root(),
        &[
            "plan",
            "samples/fabrikam.json",
            "--state",
            "tests/fixtures/state/missing.json",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("missing.json: cannot read the state file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_old_state_is_warned_about() {
    let output = xprem(
        &root(),
        &[
            "plan",
            "samples/fabrikam.json",
            "--as-of",
            "2027-03-01",
            "--state",
            &state("cloud-after.json"),
        ],
    )
    .env("NO_COLOR", "1")
    .output()
    .unwrap();
    let err = stderr(&output);
    assert!(
        err.contains("warning[state-stale]") && err.contains("95 days before"),
        "{err}"
    );
}

#[test]
fn help_names_the_exit_codes_of_terraform_plan() {
    let output = xprem(&root(), &["plan", "--help"]).output().unwrap();
    let help = stdout(&output);
    assert!(help.contains("terraform plan -detailed-exitcode"), "{help}");
    assert!(
        help.contains("0  no changes") && help.contains("1  changes") && help.contains("2  error"),
        "{help}"
    );
}
