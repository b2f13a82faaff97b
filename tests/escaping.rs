//! No config value can ever become code: an arbitrary string in any string field of the config is
//! either refused by validation (with a problem at that field) or reaches every script as exactly
//! that string, inside a single-quoted literal.

use std::path::Path;

use proptest::prelude::*;
use xprem::bundle::Bundle;
use xprem::diagnostic::Severity;
use xprem::model::Model;

/// Pieces that break naive quoting, mixed with arbitrary text.
fn nasty() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("'".to_owned()),
        Just("\u{2018}".to_owned()),
        Just("\u{2019}".to_owned()),
        Just("\u{201A}".to_owned()),
        Just("\u{201B}".to_owned()),
        Just("\"".to_owned()),
        Just("$".to_owned()),
        Just("`".to_owned()),
        Just("$(Remove-Item C:\\ -Recurse)".to_owned()),
        Just(";".to_owned()),
        Just("\n".to_owned()),
        Just("\r".to_owned()),
        Just("#>".to_owned()),
        Just("'@".to_owned()),
        Just("\u{2028}".to_owned()),
        Just("é".to_owned()),
        Just(".".to_owned()),
        Just("-".to_owned()),
        Just(" ".to_owned()),
        "[a-z]{1,8}",
        "\\PC{1,6}",
        ".{1,4}",
    ];
    prop::collection::vec(pieces, 0..8).prop_map(|v| v.concat())
}

/// The fields, the config patch that sets one to `value`, and the script variable that must hold it.
fn patch(field: &str, value: &str) -> serde_json::Value {
    match field {
        "tenant.name" => serde_json::json!({"tenant": {"name": value}}),
        "tenant.id" => serde_json::json!({"tenant": {"id": value}}),
        "on_premises.web_services_fqdns[0]" => {
            serde_json::json!({"on_premises": {"web_services_fqdns": [value]}})
        }
        "on_premises.oauth_server_identity" => {
            serde_json::json!({"on_premises": {"oauth_server_identity": value}})
        }
        "on_premises.exchange_partner_identity" => {
            serde_json::json!({"on_premises": {"exchange_partner_identity": value}})
        }
        // The MSOnline section is used only by the MSOnline form of the cloud step.
        "msonline.module" => {
            serde_json::json!({"cloud_module": "msonline", "msonline": {"module": value}})
        }
        "graph.modules[0]" => serde_json::json!({"graph": {"modules": [value]}}),
        _ => unreachable!(),
    }
}

fn variable(field: &str) -> &'static str {
    match field {
        "tenant.name" => "TenantName",
        "tenant.id" => "TenantId",
        "on_premises.web_services_fqdns[0]" => "ServicePrincipalNames",
        "on_premises.oauth_server_identity" => "OAuthServerIdentity",
        "on_premises.exchange_partner_identity" => "PartnerApplicationIdentity",
        "msonline.module" => "ModuleName",
        "graph.modules[0]" => "GraphModules",
        _ => unreachable!(),
    }
}

fn check_field(dir: &Path, field: &str, value: &str) -> Result<(), TestCaseError> {
    let path = crate::common::write(
        dir,
        "c.json",
        crate::common::config_json(patch(field, value)),
    );
    let checked =
        xprem::config::check(&path, time::macros::datetime!(2026-11-26 0:00 UTC)).unwrap();
    let errors: Vec<_> = checked
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        // Refused: the problem must be at this field, and nothing else may be wrong.
        prop_assert!(
            errors.iter().all(|p| p.field() == field),
            "{field} = {value:?}: {errors:?}"
        );
        return Ok(());
    }
    let valid = checked.into_valid().unwrap();
    let bundle = Bundle::build(&Model::new(&valid)).unwrap();
    let expected = if field.starts_with("on_premises.web_services_fqdns") {
        format!("00000004-0000-0ff1-ce00-000000000000/{value}")
    } else if field == "tenant.id" {
        // GUIDs are written the way Office 365 returns them, in lower case.
        value.to_ascii_lowercase()
    } else {
        value.to_owned()
    };
    let mut seen = 0;
    for file in bundle.files.iter().filter(|f| f.name.ends_with(".ps1")) {
        let text = String::from_utf8(file.bytes.clone()).unwrap();
        let text = text.trim_start_matches('\u{feff}');
        // Read back through the PowerShell parser: the assignment holds exactly the value.
        let script = crate::common::parse_script(&file.name, &file.bytes);
        let decoded = crate::common::script_text(&file.bytes);
        if let Some(found) = crate::common::assigned_strings(&script, &decoded, variable(field)) {
            prop_assert_eq!(&found[0], &expected, "{} in {}", field, file.name);
            seen += 1;
        }
        // The value never appears unquoted at the start of a line.
        if !value.trim().is_empty() && value.len() > 3 {
            prop_assert!(
                !text.split("\r\n").any(|l| l.starts_with(value)),
                "{field} = {value:?} starts a line in {}",
                file.name
            );
        }
    }
    prop_assert!(seen > 0, "{field} = {value:?} reached no script");
    Ok(())
}

/// Values of the shape the field wants, so that accepted values are tested too, not only refusals.
fn shaped(field: &str) -> BoxedStrategy<String> {
    match field {
        "tenant.id" => "[0-9a-fA-F]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-fA-F]{12}".boxed(),
        "on_premises.web_services_fqdns[0]" => {
            "[a-zA-Z0-9]{1,12}(\\.[a-z0-9-]{0,10}[a-z0-9]){1,3}".boxed()
        }
        "on_premises.oauth_server_identity" | "on_premises.exchange_partner_identity" => {
            "[A-Za-z0-9][A-Za-z0-9 ._-]{0,20}[A-Za-z0-9]".boxed()
        }
        _ => "\\PC{1,30}".prop_map(|s| s.trim().to_owned()).boxed(),
    }
}

macro_rules! field_property {
    ($name:ident, $field:literal) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

            #[test]
            fn $name(value in prop_oneof![nasty(), shaped($field)]) {
                let dir = tempfile::tempdir().unwrap();
                check_field(dir.path(), $field, &value)?;
            }
        }
    };
}

field_property!(tenant_name_is_refused_or_exact, "tenant.name");
field_property!(tenant_id_is_refused_or_exact, "tenant.id");
field_property!(
    fqdn_is_refused_or_exact,
    "on_premises.web_services_fqdns[0]"
);
field_property!(
    oauth_server_identity_is_refused_or_exact,
    "on_premises.oauth_server_identity"
);
field_property!(
    exchange_partner_identity_is_refused_or_exact,
    "on_premises.exchange_partner_identity"
);
field_property!(msonline_module_is_refused_or_exact, "msonline.module");
field_property!(graph_module_is_refused_or_exact, "graph.modules[0]");

#[test]
fn quotes_of_every_kind_reach_the_script_doubled() {
    let dir = tempfile::tempdir().unwrap();
    for value in [
        "O'Brien \u{2018}Ltd\u{2019} \u{201A}x\u{201B}",
        "$(Get-Date); `whoami` \"q\"",
        "#> <# @' '@",
    ] {
        for field in ["tenant.name", "msonline.module", "graph.modules[0]"] {
            check_field(dir.path(), field, value).unwrap();
        }
    }
    // And these are valid, so they really were printed (not refused).
    let path = crate::common::write(
        dir.path(),
        "c.json",
        crate::common::config_json(patch("tenant.name", "O'Brien \u{2019}")),
    );
    let valid = xprem::config::check(&path, time::macros::datetime!(2026-11-26 0:00 UTC))
        .unwrap()
        .into_valid()
        .unwrap();
    let bundle = Bundle::build(&Model::new(&valid)).unwrap();
    let script = String::from_utf8(
        bundle
            .file("1-Configure-OnPremises.ps1")
            .unwrap()
            .bytes
            .clone(),
    )
    .unwrap();
    assert!(script.contains("$TenantName = 'O''Brien \u{2019}\u{2019}'"));
}

#[test]
fn line_breaks_and_control_characters_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for value in ["a\nb", "a\rb", "a\u{2028}b", "a\u{0}b", "a\u{1b}[31mb"] {
        let path = crate::common::write(
            dir.path(),
            "c.json",
            crate::common::config_json(patch("tenant.name", value)),
        );
        let checked =
            xprem::config::check(&path, time::macros::datetime!(2026-11-26 0:00 UTC)).unwrap();
        assert!(
            checked
                .problems
                .iter()
                .any(|p| p.field() == "tenant.name" && p.message.contains("control character")),
            "{value:?}: {:?}",
            checked.problems
        );
    }
}
