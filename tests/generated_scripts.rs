//! Every script the generator writes parses with xprem's own PowerShell parser, and the values in
//! its "Values from the config" block read back, through the parser, as the config's values.

use crate::common::{assigned_strings, parse_script};
use xprem::bundle::Bundle;
use xprem::model::Model;

fn bundle_for(config: &std::path::Path) -> Bundle {
    let checked =
        xprem::config::check(config, time::macros::datetime!(2026-11-26 0:00 UTC)).unwrap();
    let valid = checked.into_valid().unwrap();
    Bundle::build(&Model::new(&valid)).unwrap()
}

#[test]
fn every_generated_script_parses() {
    let dir = tempfile::tempdir().unwrap();
    let mut configs: Vec<_> = [
        "fabrikam.json",
        "fabrikam-lookup.toml",
        "contoso-gcchigh.toml",
    ]
    .iter()
    .map(|s| crate::common::sample(s))
    .collect();
    configs.push(crate::common::write(
        dir.path(),
        "nasty.json",
        crate::common::config_json(serde_json::json!({"tenant": {"name": "O'Brien \u{2018}$(rm -r /)\u{2019} `\"; #>"}, "msonline": {"module": "C:\\M's\\MSOnline.psd1"}})),
    ));
    let mut parsed = 0;
    for config in &configs {
        for file in bundle_for(config)
            .files
            .iter()
            .filter(|f| f.name.ends_with(".ps1"))
        {
            let script = parse_script(&file.name, &file.bytes);
            assert!(
                !script.commands().is_empty(),
                "{} has no commands",
                file.name
            );
            parsed += 1;
        }
    }
    assert_eq!(parsed, 16);
}

#[test]
fn config_values_read_back_through_the_parser() {
    let dir = tempfile::tempdir().unwrap();
    let name = "O'Brien \u{2018}$(rm -r /)\u{2019} `\"; #> \u{201B}x\u{201A}";
    let config = crate::common::write(
        dir.path(),
        "c.json",
        crate::common::config_json(serde_json::json!({
            "tenant": {"name": name},
            "on_premises": {"web_services_fqdns": ["a.fabrikam.com", "b.fabrikam.com"], "oauth_server_identity": "Office 365"},
            "msonline": {"module": "C:\\M's\\MSOnline.psd1"}
        })),
    );
    let bundle = bundle_for(&config);
    let onprem = parse_script(
        "1",
        &bundle.file("1-Configure-OnPremises.ps1").unwrap().bytes,
    );
    assert_eq!(
        assigned_strings(&onprem, "TenantName"),
        Some(vec![name.to_owned()])
    );
    assert_eq!(
        assigned_strings(&onprem, "OAuthServerIdentity"),
        Some(vec!["Office 365".to_owned()])
    );
    assert_eq!(
        assigned_strings(&onprem, "TenantId"),
        Some(vec!["6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1".to_owned()])
    );
    let cloud = parse_script(
        "2",
        &bundle.file("2-Configure-Office365.ps1").unwrap().bytes,
    );
    assert_eq!(
        assigned_strings(&cloud, "TenantName"),
        Some(vec![name.to_owned()])
    );
    assert_eq!(
        assigned_strings(&cloud, "ModuleName"),
        Some(vec!["C:\\M's\\MSOnline.psd1".to_owned()])
    );
    assert_eq!(
        assigned_strings(&cloud, "ServicePrincipalNames"),
        Some(vec![
            "00000004-0000-0ff1-ce00-000000000000/a.fabrikam.com".to_owned(),
            "00000004-0000-0ff1-ce00-000000000000/b.fabrikam.com".to_owned()
        ])
    );
}

#[test]
fn the_cloud_scripts_call_the_cmdlets_with_the_right_parameters() {
    let bundle = bundle_for(&crate::common::sample("fabrikam.json"));
    let cloud = parse_script(
        "2",
        &bundle.file("2-Configure-Office365.ps1").unwrap().bytes,
    );
    let remove = parse_script(
        "r",
        &bundle.file("Remove-Office365Credential.ps1").unwrap().bytes,
    );
    let calls = |script: &xprem::powershell::Script, cmdlet: &str| -> Vec<Vec<String>> {
        script
            .commands()
            .into_iter()
            .filter(|c| {
                c.name
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(cmdlet))
            })
            .map(|c| {
                c.elements
                    .iter()
                    .filter_map(|e| match e {
                        xprem::powershell::ast::CommandElement::Parameter(p) => {
                            Some(p.name.clone())
                        }
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    };
    // Domain notes 5.3 and 5.4: -KeyIds, never -KeyId; -ReturnKeyValues is passed when the cmdlet has it.
    assert_eq!(
        calls(&remove, "Remove-MsolServicePrincipalCredential"),
        vec![vec!["AppPrincipalId".to_owned(), "KeyIds".to_owned()]]
    );
    assert!(
        calls(&cloud, "New-MsolServicePrincipalCredential")[0]
            .iter()
            .any(|p| p == "StartDate")
    );
    // Principals are always found by AppId.
    for params in calls(&cloud, "Get-MsolServicePrincipal") {
        assert_eq!(params, vec!["AppPrincipalId".to_owned()]);
    }
    let text = String::from_utf8(
        bundle
            .file("2-Configure-Office365.ps1")
            .unwrap()
            .bytes
            .clone(),
    )
    .unwrap();
    assert!(text.contains("$parameters['ReturnKeyValues'] = $true"));
}
