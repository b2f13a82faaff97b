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
    assert_eq!(parsed, 5 * configs.len());
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

/// The Graph form of the cloud step, for every cloud it supports.
const GRAPH_SAMPLES: [(&str, &str); 4] = [
    ("fabrikam.json", "Global"),
    ("contoso-gcchigh.toml", "USGov"),
    ("contoso-dod.toml", "USGovDoD"),
    ("fabrikam-china.toml", "China"),
];
const GRAPH_SCRIPTS: [&str; 2] = [
    "2-Configure-Office365.ps1",
    "Remove-Office365Credential.ps1",
];

#[test]
fn the_graph_scripts_need_only_the_graph_sdk_and_connect_to_the_configs_cloud() {
    for (config, environment) in GRAPH_SAMPLES {
        for name in GRAPH_SCRIPTS {
            let (script, text) = sample_script(config, name);
            assert!(
                text.lines().any(|l| l == "#Requires -Version 5.1"),
                "{config} {name}"
            );
            for command in script.commands() {
                let cmd = command.name().unwrap_or_default().to_ascii_lowercase();
                assert!(
                    !cmd.contains("-msol") && !cmd.contains("msonline"),
                    "{config} {name} calls {cmd}"
                );
                // The typed cmdlets of the SDK are not used (see the comment in the script).
                assert_ne!(cmd, "update-mgserviceprincipal", "{config} {name}");
                assert_ne!(cmd, "add-mgserviceprincipalkey", "{config} {name}");
            }
            assert_eq!(
                assigned_strings(&script, &text, "GraphEnvironment"),
                Some(vec![environment.to_owned()]),
                "{config} {name}"
            );
            let connect = function_text(&script, &text, "Connect-Tenant");
            assert!(
                connect.contains(
                    "$connect = @{ Scopes = $GraphScopes; Environment = $GraphEnvironment }"
                ) && connect.contains("Connect-MgGraph @connect"),
                "{config} {name}: {connect}"
            );
            // The signed-in tenant is checked against the config before anything else is read.
            assert!(connect.contains("[string]$context.TenantId -ne $TenantId"));
            let scopes = assigned_strings(&script, &text, "GraphScopes").unwrap();
            // The least scopes: service principals, and the organization's domains only when the
            // tenant is recognised by its name.
            let by_name = assigned_strings(&script, &text, "TenantId").is_none();
            let mut wanted = vec!["Application.ReadWrite.All"];
            if by_name {
                wanted.push("Organization.Read.All");
            }
            assert_eq!(scopes, wanted, "{config} {name}");
        }
    }
}

#[test]
fn the_graph_scripts_write_back_every_key_and_spn_that_was_there() {
    for (config, _) in GRAPH_SAMPLES {
        for name in GRAPH_SCRIPTS {
            let (script, text) = sample_script(config, name);
            // The body of every PATCH of keyCredentials starts from the keys read before.
            let bodies = commands_named(&script, "New-KeyCredentialsBody");
            assert!(!bodies.is_empty(), "{config} {name}");
            for body in bodies {
                assert!(
                    body.span
                        .text(&text)
                        .starts_with("New-KeyCredentialsBody -Keep $keep"),
                    "{config} {name}: {}",
                    body.span.text(&text)
                );
            }
            for line in text
                .lines()
                .filter(|l| l.trim_start().starts_with("$keep ="))
            {
                assert!(
                    line.trim_start()
                        .starts_with("$keep = @($state.All | Where-Object {"),
                    "{config} {name}: {line}"
                );
            }
            let function = function_text(&script, &text, "New-KeyCredentialsBody");
            assert!(
                function.contains(
                    "$items = @($Keep | ForEach-Object { ConvertTo-KeyCredentialJson -Key $_ })"
                ),
                "{config} {name}"
            );
            // Every key kept is checked to be there after the update.
            assert!(
                text.contains(
                    "$lost = @($keep | Where-Object { $afterIds -notcontains [string]$_.keyId })"
                ),
                "{config} {name}"
            );
            // The SPN list written back starts from the list read.
            assert!(text.contains(
                "$currentNames = @($skype.servicePrincipalNames | ForEach-Object { [string]$_ })"
            ));
            for line in text
                .lines()
                .filter(|l| l.contains("'servicePrincipalNames' -Values"))
            {
                let variable = if name.starts_with('2') {
                    "$allNames"
                } else {
                    "$keptNames"
                };
                assert!(
                    line.contains(&format!("-Values {variable})")),
                    "{name}: {line}"
                );
            }
        }
        let (_, configure) = sample_script(config, "2-Configure-Office365.ps1");
        assert!(configure.contains("[string[]]$allNames = @($currentNames) + @($missingNames)"));
        let (_, remove) = sample_script(config, "Remove-Office365Credential.ps1");
        assert!(remove.contains(
            "[string[]]$keptNames = @($currentNames | Where-Object { $ServicePrincipalNames -notcontains $_ })"
        ));
    }
}

#[test]
fn the_new_key_credential_holds_the_certificates_der_bytes_and_the_configured_window() {
    use base64::Engine as _;
    use sha1::Digest as _;
    for (config, _) in GRAPH_SAMPLES {
        let path = crate::common::sample(config);
        let valid = xprem::config::check(&path, time::macros::datetime!(2026-11-26 0:00 UTC))
            .unwrap()
            .into_valid()
            .unwrap();
        let (script, text) = sample_script(config, "2-Configure-Office365.ps1");
        let json = assigned_strings(&script, &text, "NewKeyCredentialJson").unwrap();
        let key: serde_json::Value = serde_json::from_str(&json[0]).unwrap();
        let base64 = base64::engine::general_purpose::STANDARD;
        // "key" is the standard Base64 of the DER bytes (Edm.Binary), not of their Base64 text.
        let der = base64.decode(key["key"].as_str().unwrap()).unwrap();
        assert_eq!(der, valid.certificate.der, "{config}");
        let thumbprint = assigned_strings(&script, &text, "CertificateThumbprint").unwrap();
        assert_eq!(
            hex::encode_upper(sha1::Sha1::digest(&der)),
            thumbprint[0],
            "{config}"
        );
        assert_eq!(
            base64
                .decode(key["customKeyIdentifier"].as_str().unwrap())
                .unwrap(),
            hex::decode(&thumbprint[0]).unwrap()
        );
        assert_eq!(key["type"], "AsymmetricX509Cert");
        assert_eq!(key["usage"], "Verify");
        let format = time::format_description::well_known::Rfc3339;
        let (start, end) = valid.credential;
        for (field, moment) in [("startDateTime", start), ("endDateTime", end)] {
            let text = key[field].as_str().unwrap();
            assert!(text.ends_with('Z'), "{config} {field}: {text} is not UTC");
            assert_eq!(
                time::OffsetDateTime::parse(text, &format).unwrap(),
                moment,
                "{config} {field}"
            );
        }
        // No keyId: the script gives the new key a fresh one when it adds it.
        assert!(key.get("keyId").is_none());
        let keys: Vec<_> = key.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "type",
                "usage",
                "key",
                "customKeyIdentifier",
                "displayName",
                "startDateTime",
                "endDateTime"
            ]
        );
    }
}
