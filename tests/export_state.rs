//! `Export-State.ps1`: it only reads. Checked through xprem's parser and the semantic layer for
//! every sample config and both cloud modules: every command it calls is a read (Get-*), output
//! or a harmless helper; every Graph request is a GET; no object it writes has a field for a key
//! value; and every field it writes is one the state reader knows.

use crate::common::{parse_script, script_text};
use xprem::bundle::Bundle;
use xprem::model::Model;
use xprem::semantic::{Values, bind};

/// Commands that neither change the deployment nor the tenant.
const HARMLESS: &[&str] = &[
    "ConvertTo-Json",
    "ConvertFrom-Json",
    "ForEach-Object",
    "Where-Object",
    "Select-Object",
    "Sort-Object",
    "Write-Host",
    "Write-Warning",
    "Test-Path",
    "New-Object",
    "Import-Module",
    "Connect-MgGraph",
    "Connect-MsolService",
    "Invoke-MgGraphRequest",
];

fn export_scripts() -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let mut configs = crate::common::sample_configs();
    configs.push(crate::common::write(
        dir.path(),
        "msonline.json",
        crate::common::config_json(serde_json::json!({"cloud_module": "msonline"})),
    ));
    configs
        .iter()
        .map(|config| {
            let checked =
                xprem::config::check(config, time::macros::datetime!(2026-11-26 0:00 UTC)).unwrap();
            let bundle = Bundle::build(&Model::new(&checked.into_valid().unwrap())).unwrap();
            let file = bundle
                .file("Export-State.ps1")
                .expect("the bundle has Export-State.ps1");
            (config.display().to_string(), script_text(&file.bytes))
        })
        .collect()
}

#[test]
fn export_state_calls_only_reads_and_harmless_commands() {
    let mut graph = 0;
    for (config, text) in export_scripts() {
        let script = parse_script("Export-State.ps1", text.as_bytes());
        let values = Values::new(&script, &text);
        let functions: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("function "))
            .map(|l| l.split_whitespace().next().unwrap().to_ascii_lowercase())
            .collect();
        assert!(functions.len() > 5, "{config}");
        for command in script.commands() {
            let Some(name) = command.name() else {
                panic!(
                    "{config}: a command whose name is computed: {}",
                    command.span.text(&text)
                );
            };
            let lower = name.to_ascii_lowercase();
            let allowed = lower.starts_with("get-")
                || functions.contains(&lower)
                || HARMLESS.iter().any(|h| h.eq_ignore_ascii_case(name));
            assert!(
                allowed,
                "{config}: Export-State.ps1 calls {name}, which may change something"
            );
            if lower == "invoke-mggraphrequest" {
                graph += 1;
                let method = bind(command, &values)
                    .value("Method")
                    .and_then(|m| values.string_value(m))
                    .unwrap_or_default();
                assert_eq!(method, "GET", "{config}: {}", command.span.text(&text));
            }
            if lower == "new-object" {
                let bound = bind(command, &values);
                let kind = bound
                    .value("TypeName")
                    .and_then(|t| values.string_value(t))
                    .unwrap_or_default();
                assert!(
                    [
                        "System.Collections.ArrayList",
                        "System.Text.UTF8Encoding",
                        "System.Security.Cryptography.X509Certificates.X509Certificate2"
                    ]
                    .contains(&kind.as_str()),
                    "{config}: New-Object {kind}"
                );
            }
        }
        assert!(
            text.lines()
                .any(|l| l.trim_end() == "#Requires -Version 3.0"),
            "{config}"
        );
        assert!(
            !text.contains("ShouldProcess"),
            "{config}: a read-only script has nothing to confirm"
        );
    }
    assert!(graph > 0, "no Graph form was checked");
}

/// The keys of every `[ordered]@{...}` the script writes.
fn written_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("[ordered]@{") {
        rest = &rest[at + 11..];
        let mut depth = 1;
        let mut end = 0;
        for (i, c) in rest.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = i;
                break;
            }
        }
        for line in rest[..end].lines() {
            let line = line.trim();
            if let Some((key, _)) = line.split_once('=')
                && let key = key.trim()
                && !key.is_empty()
                && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                keys.push(key.to_owned());
            }
        }
    }
    keys
}

#[test]
fn export_state_writes_no_key_value_and_only_fields_the_reader_knows() {
    let reader = std::fs::read_to_string(crate::common::root().join("src/state/mod.rs")).unwrap();
    for (config, text) in export_scripts() {
        let keys = written_keys(&text);
        assert!(keys.len() > 40, "{config}: {keys:?}");
        for key in &keys {
            assert!(
                !["key", "value", "password", "secret", "token"].contains(&key.as_str()),
                "{config}: writes {key}"
            );
            // Each field is read by name in src/state (a field the reader ignores is a typo).
            assert!(
                reader.contains(&format!("\"{key}\""))
                    || key == "script"
                    || key == "powershell_version",
                "{config}: Export-State.ps1 writes {key}, which the state reader does not read"
            );
        }
        // The dates are written by the script, not by ConvertTo-Json, and with enough depth.
        assert!(
            text.contains("ConvertTo-Json -InputObject $Document -Depth 10"),
            "{config}"
        );
    }
}

/// Every property name the published schema of the state file declares.
fn schema_properties(schema: &serde_json::Value, out: &mut Vec<String>) {
    match schema {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(properties)) = map.get("properties") {
                out.extend(properties.keys().cloned());
            }
            for value in map.values() {
                schema_properties(value, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| schema_properties(i, out)),
        _ => {}
    }
}

fn state_schema() -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(crate::common::sample("xprem-state.schema.json")).unwrap(),
    )
    .unwrap()
}

#[test]
fn the_published_schema_describes_what_export_state_writes() {
    let schema = state_schema();
    let mut declared = Vec::new();
    schema_properties(&schema, &mut declared);
    for (config, text) in export_scripts() {
        for key in written_keys(&text) {
            assert!(
                declared.contains(&key),
                "{config}: Export-State.ps1 writes {key}, which the schema does not declare"
            );
        }
    }
    // The states in their written form conform; the forms only the tolerant reader accepts do
    // not (the schema is the format, not the reader's leniency).
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let dir = crate::common::fixture("state");
    for (name, valid) in [
        ("onpremises-before.json", true),
        ("onpremises-after.json", true),
        ("onpremises-conflicts.json", true),
        ("onpremises-other-deployment.json", true),
        ("cloud-before.json", true),
        ("cloud-after.json", true),
        ("cloud-conflicts.json", true),
        ("cloud-other-tenant.json", true),
        ("cloud-depth-truncated.json", false),
        ("unknown-version.json", false),
    ] {
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert_eq!(errors.is_empty(), valid, "{name}: {errors:?}");
    }
    let windows = xprem::powershell::decode(
        &std::fs::read(dir.join("cloud-windows-powershell.json")).unwrap(),
    )
    .text;
    let value: serde_json::Value = serde_json::from_str(&windows).unwrap();
    assert!(
        !validator.is_valid(&value),
        "Windows PowerShell's own JSON is not the written form"
    );
}
