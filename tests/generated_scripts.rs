//! Every script the generator writes parses with xprem's own PowerShell parser, and the values in
//! its "Values from the config" block read back, through the parser, as the config's values.

use crate::common::{
    assigned_strings, commands_named, guarded_by, if_clauses, parse_script, script_text,
};
use xprem::bundle::Bundle;
use xprem::model::Model;
use xprem::semantic::{Values, bind};

fn bundle_for(config: &std::path::Path) -> Bundle {
    let checked =
        xprem::config::check(config, time::macros::datetime!(2026-11-26 0:00 UTC)).unwrap();
    let valid = checked.into_valid().unwrap();
    Bundle::build(&Model::new(&valid)).unwrap()
}

#[test]
fn every_generated_script_parses_with_xprem_and_with_tree_sitter() {
    let dir = tempfile::tempdir().unwrap();
    let mut configs = crate::common::sample_configs();
    for module in ["graph", "msonline"] {
        configs.push(crate::common::write(
            dir.path(),
            &format!("nasty-{module}.json"),
            crate::common::config_json(serde_json::json!({
                "tenant": {"name": "O'Brien \u{2018}$(rm -r /)\u{2019} `\"; #>"},
                "cloud_module": module,
                "msonline": {"module": "C:\\M's\\MSOnline.psd1"},
                "graph": {"modules": ["C:\\M's\\Microsoft.Graph.Authentication.psd1"]}
            })),
        ));
    }
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
            assert!(
                crate::common::tree_sitter_accepts(&script_text(&file.bytes)),
                "{}: tree-sitter-powershell finds an error in {}",
                config.display(),
                file.name
            );
            parsed += 1;
        }
    }
    assert_eq!(parsed, 4 * configs.len());
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
            "cloud_module": "msonline",
            "msonline": {"module": "C:\\M's\\MSOnline.psd1"}
        })),
    );
    let bundle = bundle_for(&config);
    let onprem_bytes = &bundle.file("1-Configure-OnPremises.ps1").unwrap().bytes;
    let onprem = parse_script("1", onprem_bytes);
    let onprem_text = script_text(onprem_bytes);
    assert_eq!(
        assigned_strings(&onprem, &onprem_text, "TenantName"),
        Some(vec![name.to_owned()])
    );
    assert_eq!(
        assigned_strings(&onprem, &onprem_text, "OAuthServerIdentity"),
        Some(vec!["Office 365".to_owned()])
    );
    assert_eq!(
        assigned_strings(&onprem, &onprem_text, "TenantId"),
        Some(vec!["6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1".to_owned()])
    );
    let cloud_bytes = &bundle.file("2-Configure-Office365.ps1").unwrap().bytes;
    let cloud = parse_script("2", cloud_bytes);
    let cloud_text = script_text(cloud_bytes);
    assert_eq!(
        assigned_strings(&cloud, &cloud_text, "TenantName"),
        Some(vec![name.to_owned()])
    );
    assert_eq!(
        assigned_strings(&cloud, &cloud_text, "ModuleName"),
        Some(vec!["C:\\M's\\MSOnline.psd1".to_owned()])
    );
    assert_eq!(
        assigned_strings(&cloud, &cloud_text, "ServicePrincipalNames"),
        Some(vec![
            "00000004-0000-0ff1-ce00-000000000000/a.fabrikam.com".to_owned(),
            "00000004-0000-0ff1-ce00-000000000000/b.fabrikam.com".to_owned()
        ])
    );
}

#[test]
fn the_msonline_scripts_call_the_cmdlets_with_the_right_parameters() {
    let bundle = bundle_for(&crate::common::sample("fabrikam-msonline.toml"));
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
    for script in [&remove, &cloud] {
        assert_eq!(
            calls(script, "Remove-MsolServicePrincipalCredential"),
            vec![vec!["AppPrincipalId".to_owned(), "KeyIds".to_owned()]]
        );
    }
    assert!(
        calls(&cloud, "New-MsolServicePrincipalCredential")[0]
            .iter()
            .any(|p| p == "StartDate")
    );
    // Principals are always found by AppId; only the check for an SPN that another principal
    // holds looks one up by that SPN.
    let lookups = calls(&cloud, "Get-MsolServicePrincipal");
    assert_eq!(lookups.len(), 2);
    assert_eq!(lookups[0], vec!["AppPrincipalId".to_owned()]);
    assert_eq!(
        lookups[1],
        vec!["ServicePrincipalName".to_owned(), "ErrorAction".to_owned()]
    );
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

/// The script `name` of the sample bundle, parsed, with its text.
fn sample_script(config: &str, name: &str) -> (xprem::powershell::Script, String) {
    let bundle = bundle_for(&crate::common::sample(config));
    let bytes = &bundle.file(name).unwrap().bytes;
    (parse_script(name, bytes), script_text(bytes))
}

/// The statements of the function `name`, as text.
fn function_text<'a>(script: &xprem::powershell::Script, text: &'a str, name: &str) -> &'a str {
    script
        .body
        .statements()
        .into_iter()
        .find_map(|s| match s {
            xprem::powershell::ast::Statement::Function(f) if f.name.eq_ignore_ascii_case(name) => {
                Some(f.span.text(text))
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no function {name}"))
}

#[test]
fn a_credential_holds_the_certificate_only_by_its_value_never_by_its_dates() {
    // (config, function, the matching pipeline, the source of the window check)
    let forms = [
        (
            "fabrikam-msonline.toml",
            "Get-CertificateCredentialState",
            "$matching = @($asymmetric | Where-Object { $_.Value -and (Get-CertificateThumbprint",
        ),
        (
            "fabrikam.json",
            "Get-CertificateKeyState",
            "$matching = @($all | Where-Object { (Get-ThumbprintOfKey -Key $_) -eq $CertificateThumbprint })",
        ),
    ];
    for (config, function, matching) in forms {
        for name in [
            "2-Configure-Office365.ps1",
            "Remove-Office365Credential.ps1",
        ] {
            let (script, text) = sample_script(config, name);
            let state = function_text(&script, &text, function);
            // The matching credentials are those whose value (or thumbprint) is the
            // certificate's, and the window is checked only among them: a key of another
            // certificate with the same dates never counts.
            assert!(state.contains(matching), "{config} {name}: {state}");
            assert!(
                state.contains("$inWindow = @($matching | Where-Object"),
                "{config} {name}"
            );
            for line in text
                .lines()
                .filter(|l| l.contains("Test-SameMoment -Value"))
            {
                assert!(
                    !line.contains("$credentials") && !line.contains("$all"),
                    "{config} {name}: dates tested on every credential: {line}"
                );
            }
            assert!(!text.contains("Find-CertificateCredential"), "{name}");
        }
    }
}

#[test]
fn every_change_is_behind_should_process_and_removal_of_unproven_keys_needs_a_switch() {
    for config in [
        "fabrikam.json",
        "fabrikam-lookup.toml",
        "contoso-gcchigh.toml",
    ] {
        for name in [
            "1-Configure-OnPremises.ps1",
            "2-Configure-Office365.ps1",
            "Remove-Office365Credential.ps1",
        ] {
            let (script, text) = sample_script(config, name);
            let clauses = if_clauses(&script, &text);
            let values = Values::new(&script, &text);
            let mut changes = 0;
            for command in script.commands() {
                let Some(cmd) = command.name() else { continue };
                let verb = cmd.split('-').next().unwrap_or("").to_ascii_lowercase();
                let domain = cmd.contains("-Cs") || cmd.contains("-Msol") || cmd.contains("-Mg");
                // A Graph request that is not a read changes something too.
                let graph_write = cmd.eq_ignore_ascii_case("Invoke-GraphRequest")
                    && bind(command, &values)
                        .value("Method")
                        .and_then(|m| values.string_value(m))
                        .is_some_and(|m| !m.eq_ignore_ascii_case("GET"));
                if graph_write
                    || domain && ["new", "set", "remove", "update", "add"].contains(&verb.as_str())
                {
                    changes += 1;
                    assert!(
                        guarded_by(&clauses, command.span, "$PSCmdlet.ShouldProcess("),
                        "{config} {name}: {} is not behind ShouldProcess",
                        command.span.text(&text)
                    );
                }
            }
            assert!(changes > 0, "{name}");
        }
    }
    let (script, text) = sample_script("fabrikam.json", "Remove-Office365Credential.ps1");
    let clauses = if_clauses(&script, &text);
    let offset = text
        .find("$remove += $candidates")
        .expect("candidates are added somewhere");
    let span = xprem::powershell::ast::Span::new(offset, offset + 1);
    assert!(
        guarded_by(&clauses, span, "$IncludeUnverifiedCredentials"),
        "unproven keys are removed without the switch"
    );
}

#[test]
fn an_existing_partner_application_is_replaced_or_converted_only_with_replace_existing() {
    for config in ["fabrikam.json", "contoso-gcchigh.toml"] {
        let (script, text) = sample_script(config, "1-Configure-OnPremises.ps1");
        // The clause that leaves the object alone comes first: every later branch of that `if`
        // runs only with -ReplaceExisting.
        let statement = script
            .body
            .statements()
            .into_iter()
            .find_map(|s| match s {
                xprem::powershell::ast::Statement::If(i)
                    if i.clauses[0]
                        .condition
                        .span()
                        .text(&text)
                        .contains("$null -eq $partner") =>
                {
                    Some(i)
                }
                _ => None,
            })
            .expect("the partner application step");
        let inner = statement.else_body.as_ref().unwrap().span;
        let branches: Vec<_> = if_clauses(&script, &text)
            .into_iter()
            .filter(|(_, body)| inner.start <= body.start && body.end <= inner.end)
            .collect();
        assert!(
            branches[0].0.contains("-not $ReplaceExisting"),
            "{:?}",
            branches[0]
        );
        for command in commands_named(&script, "Remove-CsPartnerApplication")
            .into_iter()
            .chain(
                commands_named(&script, "Set-CsPartnerApplication")
                    .into_iter()
                    .filter(|c| c.parameter("UseOAuthServer").is_some()),
            )
        {
            let body = branches
                .iter()
                .position(|(_, b)| b.start <= command.span.start && command.span.end <= b.end)
                .expect("inside a branch");
            assert!(body > 0, "{}", command.span.text(&text));
        }
    }
}

#[test]
fn the_token_issuer_certificate_is_checked_before_any_change() {
    let (script, text) = sample_script("fabrikam-lookup.toml", "1-Configure-OnPremises.ps1");
    let preflight = text
        .find("\nAssert-TokenIssuerCertificate")
        .expect("the preflight runs");
    let first_change = [
        "New-CsOAuthServer -",
        "Set-CsOAuthServer -",
        "New-CsPartnerApplication @",
        "Set-CsOAuthConfiguration -",
    ]
    .iter()
    .filter_map(|c| text.find(c))
    .min()
    .unwrap();
    assert!(preflight < first_change);
    // The lookup of the tenant ID needs no module and no sign-in: the OpenID document.
    assert!(commands_named(&script, "Connect-MicrosoftTeams").is_empty());
    assert!(commands_named(&script, "Get-CsTenant").is_empty());
    assert!(text.contains("/.well-known/openid-configuration"));
    // Every change prints the old value too.
    for said in [
        "Changed the metadata URL of the OAuth server '$OAuthServerIdentity' from $oldUrl to $MetadataUrl.",
        "Changed the OAuth service name from '$oldServiceName' to $ServiceName.",
        "Replaced the partner application '$PartnerApplicationIdentity': it had $before;",
    ] {
        assert!(text.contains(said), "{said}");
    }
}
