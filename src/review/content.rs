//! What each section of the review says, built from the typed stages. The prose that does not
//! depend on the input is in the templates; what does is here, where it is tested.

use std::path::Path;

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::*;
use crate::bundle::{self, Bundle};
use crate::catalog::CloudModule;
use crate::config::Valid;
use crate::model::Model;
use crate::moment::utc_text;
use crate::plan::{Action, CheckStatus, Plan, text::value_text};
use crate::render::quote::single_quoted;
use crate::state::Matched;

/// Everything needed to write the review.
pub struct Inputs<'a> {
    pub config_path: &'a Path,
    pub valid: &'a Valid,
    pub model: &'a Model,
    pub bundle: &'a Bundle,
    pub plan: &'a Plan,
    pub states: &'a Matched,
    pub as_of: OffsetDateTime,
    /// `--bundle DIR`, checked already.
    pub bundle_dir: Option<&'a Path>,
    /// The warnings of the config and the states, one line each.
    pub warnings: Vec<String>,
}

fn action_class(action: Action) -> &'static str {
    match action {
        Action::Replace => "replace",
        Action::Delete => "delete",
        Action::Create => "create",
        Action::Update => "update",
        Action::Unknown => "unknown",
        Action::NoOp => "no-op",
    }
}

fn sha256_of(bundle: &Bundle, name: &str) -> String {
    bundle
        .file(name)
        .map(|f| hex::encode(Sha256::digest(&f.bytes)))
        .unwrap_or_default()
}

pub fn build(inputs: &Inputs<'_>) -> Document {
    let model = inputs.model;
    let as_of = inputs.as_of;
    let date = as_of
        .format(time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap_or_default();
    let config_file = inputs.config_path.file_name().map_or_else(
        || inputs.config_path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let digest = inputs.bundle.digest();
    let bound_to = match inputs.bundle_dir {
        Some(dir) => format!(
            "the bundle in {}, checked file by file against its SHA256SUMS and against what xprem {} generates from {config_file}",
            dir.display(),
            model.xprem_version
        ),
        None => format!(
            "the bundle that xprem {} generates from {config_file} (xprem generate writes it byte for byte; Verify-Bundle.ps1 prints the same SHA-256 of SHA256SUMS)",
            model.xprem_version
        ),
    };
    let tenant_id = inputs.states.tenant_id(model);
    let tenant_text = match tenant_id {
        Some(id) => format!("{} ({id})", model.tenant.name),
        None => format!("{} (tenant ID looked up by step 1)", model.tenant.name),
    };
    let header = vec![
        Row::text("Tenant", tenant_text.clone()),
        Row::text("Cloud", model.cloud.description),
        Row::code("Bundle (SHA-256 of SHA256SUMS)", digest.clone()),
        Row::code(
            "Config",
            format!("{config_file}, SHA-256 {}", model.config_sha256),
        ),
        Row::text("As of", date.clone()),
        Row::text("Written by", format!("xprem {}", model.xprem_version)),
    ];
    Document {
        title: format!(
            "Change request: cross-premises OAuth for {}",
            model.tenant.name
        ),
        xprem_version: model.xprem_version,
        as_of: date,
        config_file,
        config_sha256: model.config_sha256.clone(),
        bundle_digest: digest.clone(),
        bound_to,
        header,
        sections: SECTIONS
            .iter()
            .enumerate()
            .map(|(i, (id, title))| SectionTitle {
                number: i + 1,
                id,
                title,
                anchor: format!("{}-{}", i + 1, title.to_lowercase().replace(' ', "-")),
            })
            .collect(),
        summary: summary(inputs, &tenant_text),
        scope: scope(inputs, &tenant_text),
        plan: plan_section(inputs),
        certificate: certificate(inputs),
        certificate_note: certificate_note(inputs),
        prerequisites: prerequisites(model),
        implementation: implementation(inputs, &digest),
        verification: verification(model),
        backout: backout(inputs),
        checks: script_checks(inputs.bundle, inputs.as_of),
        approvals: vec![
            "Change owner (Lync Server / Skype for Business Server administrator)".to_owned(),
            "Microsoft 365 / Entra ID administrator".to_owned(),
            "Security / identity".to_owned(),
            "Change advisory board".to_owned(),
        ],
    }
}

fn summary(inputs: &Inputs<'_>, tenant: &str) -> Summary {
    let plan = inputs.plan;
    let model = inputs.model;
    let changes = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| ChangeLine {
            symbol: c.action.symbol(),
            action: action_class(c.action),
            object: c.object.clone(),
            destructive: c.destructive,
        })
        .collect();
    let destructive = plan
        .changes
        .iter()
        .filter(|c| c.destructive)
        .map(|c| {
            let why = c.notes.first().cloned().unwrap_or_default();
            let needs = c
                .requires
                .map(|r| format!(" Needs {} {r}.", c.step))
                .unwrap_or_default();
            Row::text(
                format!("{} {}", c.action.symbol(), c.object),
                format!("{why}{needs}"),
            )
        })
        .collect();
    let failing_checks = plan
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .map(|c| Row::text(c.name.clone(), c.detail.clone()))
        .collect();
    let states = [crate::state::Part::OnPremises, crate::state::Part::Cloud]
        .into_iter()
        .map(|part| {
            let file = match part {
                crate::state::Part::OnPremises => inputs.states.on_premises.as_ref(),
                crate::state::Part::Cloud => inputs.states.cloud.as_ref(),
            };
            let value = match file {
                Some(f) => format!(
                    "{}, exported {}{}",
                    f.path
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                    f.exported_at
                        .map_or_else(|| "at an unknown time".to_owned(), utc_text),
                    f.computer
                        .as_deref()
                        .map(|c| format!(" on {c}"))
                        .unwrap_or_default()
                ),
                None => format!(
                    "none given: the {} objects are unknown (Export-State.ps1 -Part {} writes it)",
                    part.describe(),
                    part.flag()
                ),
            };
            Row::text(format!("State, {}", part.describe()), value)
        })
        .collect();
    Summary {
        what: format!(
            "Set up server-to-server OAuth between the on-premises Lync Server / Skype for Business Server deployment (pools {}) and the Office 365 tenant {tenant}: step 1 makes the deployment trust the tenant's authorization server and Exchange Online; step 2 registers the deployment's OAuth certificate ({}) and SPNs with the tenant's Skype for Business Online and Exchange Online service principals.",
            model.cloud_principals.web_services_fqdns.join(", "),
            model.certificate.sha1_thumbprint
        ),
        why: "Cross-premises server-to-server authentication lets the on-premises servers and Exchange Online act for each other with OAuth tokens, which the features that join them need (Microsoft: Configuring Lync Server 2013 in a cross-premises environment).".to_owned(),
        count_line: plan.count_line(),
        counts: plan.summary,
        destructive,
        changes,
        failing_checks,
        warnings: inputs.warnings.clone(),
        states,
    }
}

fn scope(inputs: &Inputs<'_>, tenant: &str) -> Scope {
    let model = inputs.model;
    let on_premises = inputs
        .states
        .on_premises
        .as_ref()
        .and_then(|f| f.on_premises());
    let mut server_count = 0;
    let pools = model
        .cloud_principals
        .web_services_fqdns
        .iter()
        .zip(&model.cloud_principals.spns)
        .map(|(fqdn, spn)| {
            let service = on_premises
                .and_then(|s| s.web_services.as_ref())
                .and_then(|list| {
                    list.iter().find(|w| {
                        w.external_fqdn
                            .as_deref()
                            .is_some_and(|e| e.eq_ignore_ascii_case(fqdn))
                    })
                });
            let pool_fqdn = service.and_then(|s| s.pool_fqdn.clone());
            let pool = pool_fqdn.as_deref().and_then(|p| {
                on_premises
                    .and_then(|s| s.pools.as_ref())
                    .and_then(|pools| pools.iter().find(|x| x.fqdn.eq_ignore_ascii_case(p)))
            });
            let servers = pool.and_then(|p| p.computers.clone()).unwrap_or_default();
            server_count += servers.len();
            let unknown = if on_premises.is_some() {
                "not in the state"
            } else {
                "unknown without an on-premises state"
            };
            PoolRow {
                web_services_fqdn: fqdn.clone(),
                spn: spn.clone(),
                pool: pool_fqdn.unwrap_or_else(|| unknown.to_owned()),
                site: pool.and_then(|p| p.site.clone()).unwrap_or_default(),
                servers: if servers.is_empty() {
                    String::new()
                } else {
                    servers.join(", ")
                },
            }
        })
        .collect();
    let mut left_alone = Vec::new();
    if let Some(state) = on_premises {
        for server in state.oauth_servers.iter().flatten() {
            if !server
                .identity
                .eq_ignore_ascii_case(&model.on_premises.oauth_server_identity)
            {
                left_alone.push(format!(
                    "OAuth server \"{}\" ({})",
                    server.identity,
                    server.metadata_url.as_deref().unwrap_or("no metadata URL")
                ));
            }
        }
        for partner in state.partner_applications.iter().flatten() {
            if !partner
                .identity
                .eq_ignore_ascii_case(&model.on_premises.exchange_partner_identity)
            {
                left_alone.push(format!(
                    "partner application \"{}\" (application identifier {})",
                    partner.identity,
                    partner.application_identifier.as_deref().unwrap_or("none")
                ));
            }
        }
    }
    if let Some(cloud) = inputs.states.cloud.as_ref().and_then(|f| f.cloud()) {
        for principal in cloud.service_principals.iter().flatten() {
            let others = principal
                .key_credentials
                .iter()
                .flatten()
                .filter(|k| {
                    !k.thumbprint
                        .as_deref()
                        .is_some_and(|t| t.eq_ignore_ascii_case(&model.certificate.sha1_thumbprint))
                })
                .count();
            if others > 0 {
                left_alone.push(format!(
                    "{others} other key credential(s) of the service principal {} (kept; listed in section 3)",
                    principal.app_id
                ));
            }
        }
    }
    let tenant_rows = vec![
        Row::text("Tenant", tenant),
        Row::text("Cloud", model.cloud.description),
        Row::code(
            "Service principals",
            format!(
                "{} (Skype for Business Online), {} (Exchange Online)",
                model.cloud_principals.skype_app_id, model.cloud_principals.exchange_app_id
            ),
        ),
        Row::text("Cloud step module", model.cloud_module_description),
        Row::code(
            "On-premises objects",
            format!(
                "OAuth server \"{}\", partner application \"{}\", global OAuth configuration",
                model.on_premises.oauth_server_identity,
                model.on_premises.exchange_partner_identity
            ),
        ),
    ];
    let servers_known = server_count > 0;
    Scope {
        tenant: tenant_rows,
        pools,
        servers_known,
        server_count,
        left_alone,
        users: vec![
            "Users should notice nothing while the change is made: no service restarts, no one is signed out, and no user setting changes. The settings are global; the Central Management Store replicates them to every Front End server within minutes.".to_owned(),
            "Once both steps are done, the features that need server-to-server authentication between the on-premises servers and Exchange Online (for example the unified contact store and archiving of conversations in Exchange Online mailboxes, where they are used) can work.".to_owned(),
            "If step 1 repoints an existing OAuth server or replaces a partner application (see the plan), whatever used them before stops working at that moment: that is the risk to weigh.".to_owned(),
        ],
        window: vec![
            "60 minutes: 10 to check the bundle and export the state, 10 for step 1 (with -WhatIf first), 15 for step 2 (with -WhatIf first), 10 for the verification, and 15 in reserve for a back-out.".to_owned(),
            "No restart or outage is needed; run it when the administrators of both sides are at hand.".to_owned(),
        ],
    }
}

fn plan_section(inputs: &Inputs<'_>) -> PlanSection {
    let plan = inputs.plan;
    let changes = plan
        .changes
        .iter()
        .map(|c| {
            let attributes = c
                .differences()
                .into_iter()
                .map(|(name, before, after)| AttributeRow {
                    changed: before != after,
                    name,
                    before: if c.before.is_none() {
                        if c.action == Action::Unknown {
                            "unknown".to_owned()
                        } else {
                            "(absent)".to_owned()
                        }
                    } else {
                        value_text(&before)
                    },
                    after: if c.after.is_none() {
                        "(removed)".to_owned()
                    } else {
                        value_text(&after)
                    },
                })
                .collect();
            ChangeBlock {
                symbol: c.action.symbol(),
                action: action_class(c.action),
                action_word: c.action.word(),
                object: c.object.clone(),
                step: c.step,
                destructive: c.destructive,
                requires: c.requires.unwrap_or("").to_owned(),
                attributes,
                kept: c
                    .kept
                    .iter()
                    .map(|k| {
                        if k.status.is_empty() {
                            k.what.clone()
                        } else {
                            format!("{} ({})", k.what, k.status)
                        }
                    })
                    .collect(),
                notes: c.notes.clone(),
            }
        })
        .collect();
    let checks = plan
        .checks
        .iter()
        .map(|c| {
            let (status, mark) = match c.status {
                CheckStatus::Pass => ("pass", "OK"),
                CheckStatus::Fail => ("fail", "FAILS"),
                CheckStatus::Unknown => ("unknown", "unknown"),
            };
            CheckRow {
                status,
                mark,
                name: c.name.clone(),
                detail: c.detail.clone(),
                step: c.step,
            }
        })
        .collect();
    PlanSection {
        intro: format!(
            "Every object the scripts touch, destructive changes first, each with its attributes before and after. Plan: {}.",
            plan.count_line()
        ),
        changes,
        checks,
    }
}

fn certificate(inputs: &Inputs<'_>) -> Vec<Row> {
    let cert = &inputs.valid.certificate;
    let model = inputs.model;
    let days = (cert.not_after - inputs.as_of).whole_days();
    let key = match (cert.key_bits, &cert.key_curve) {
        (Some(bits), _) => format!("{} {bits} bits", cert.key_algorithm),
        (None, Some(curve)) => format!("{} {curve}", cert.key_algorithm),
        _ => cert.key_algorithm.clone(),
    };
    vec![
        Row::text("Subject", cert.subject.clone()),
        Row::text("Issuer", cert.issuer.clone()),
        Row::code("Serial number", cert.serial.clone()),
        Row::text("Valid from", utc_text(cert.not_before)),
        Row::text("Valid to", utc_text(cert.not_after)),
        Row::text(
            "Days until it expires",
            if days >= 0 {
                format!("{days} (as of {})", utc_text(inputs.as_of))
            } else {
                format!("expired {} days before {}", -days, utc_text(inputs.as_of))
            },
        ),
        Row::text("Key", key),
        Row::text("Signature algorithm", cert.signature_algorithm.clone()),
        Row::code("SHA-1 thumbprint", cert.sha1_thumbprint.clone()),
        Row::code("SHA-256", cert.sha256.clone()),
        Row::text("DNS names", cert.dns_names.join(", ")),
        Row::text(
            "Credential window in Office 365",
            format!(
                "{} to {}{}",
                model.credential.start.text,
                model.credential.end.text,
                if model.credential.is_certificate_validity {
                    " (the certificate's validity)"
                } else {
                    ""
                }
            ),
        ),
    ]
}

fn certificate_note(inputs: &Inputs<'_>) -> String {
    let days = (inputs.valid.certificate.not_after - inputs.as_of).whole_days();
    let renew = if days < crate::cert::EXPIRY_WARNING_DAYS {
        format!(" It expires in {days} days: plan its renewal now.")
    } else {
        String::new()
    };
    format!(
        "Only the public part travels: the certificate is inside step 2's script, and its SHA-1 thumbprint is checked before anything is sent. It must be the OAuthTokenIssuer certificate on premises (Get-CsCertificate -Type OAuthTokenIssuer), and step 1 checks that before it changes anything. When it is renewed, generate a new bundle and run step 2 again before the old one expires.{renew}"
    )
}

fn prerequisites(model: &Model) -> Vec<Row> {
    let cloud_modules = match model.cloud_module_kind {
        CloudModule::Graph => format!(
            "Step 2, the removal script and Export-State.ps1 -Part Cloud: Windows PowerShell 5.1 or PowerShell 7 with Microsoft Graph PowerShell, importing {} (Install-Module Microsoft.Graph.Authentication -Scope CurrentUser, or Save-Module on a machine with the PowerShell Gallery and copy it).",
            model.graph.modules.join(", ")
        ),
        CloudModule::Msonline => format!(
            "Step 2, the removal script and Export-State.ps1 -Part Cloud: Windows PowerShell (powershell.exe, not PowerShell 7) with the MSOnline module (\"{}\"). Microsoft retired MSOnline on 30 May 2025: check it still answers for this tenant before the window.",
            model.msonline_module
        ),
    };
    let cloud_rights = match model.cloud_module_kind {
        CloudModule::Graph => format!(
            "Office 365: a Global Administrator or Application Administrator of the tenant, signing in interactively and consenting to {} (step 2 and the removal script) and {} (Export-State.ps1, read-only).",
            model.graph.scopes.join(", "),
            model.graph.read_scopes.join(", ")
        ),
        CloudModule::Msonline => {
            "Office 365: a Global Administrator of the tenant, signing in interactively.".to_owned()
        }
    };
    let mut network = format!(
        "Every Front End server reaches {} over HTTPS (port 443), through the proxy if there is one (netsh winhttp show proxy): New-CsOAuthServer reads the tenant's metadata document there when step 1 runs, and the servers read it again to validate tokens.",
        model.cloud.metadata_url_prefix
    );
    if model.tenant.id.is_none() {
        network.push_str(&format!(
            " The config has no tenant ID, so step 1 also reads {}<domain>/.well-known/openid-configuration.",
            model.cloud.openid_url_prefix
        ));
    }
    let sign_in = match model.cloud_module_kind {
        CloudModule::Graph => format!(
            "The machine of step 2 reaches Microsoft Graph and the sign-in service of the {} cloud (Connect-MgGraph -Environment {}).",
            model.cloud.description, model.graph.environment
        ),
        CloudModule::Msonline => format!(
            "The machine of step 2 reaches the MSOnline service and sign-in of the {} cloud.",
            model.cloud.description
        ),
    };
    vec![
        Row::text(
            "On-premises modules",
            "Step 1 and Export-State.ps1 -Part OnPremises: the Lync Server Management Shell (or Skype for Business Server Management Shell) on a Front End server, Windows PowerShell 3.0 or later, with no other module or remote session loaded (the scripts stop if a Cs cmdlet is not the on-premises one).",
        ),
        Row::text("Cloud modules", cloud_modules),
        Row::text(
            "On-premises rights",
            "A member of RTCUniversalServerAdmins for step 1 (RTCUniversalReadOnlyAdmins is enough for Export-State.ps1).",
        ),
        Row::text("Cloud rights", cloud_rights),
        Row::text("Network, on premises", network),
        Row::text("Network, cloud", sign_in),
        Row::text(
            "Certificate",
            format!(
                "The certificate {} is assigned as OAuthTokenIssuer on premises (Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ...), with its private key on every Front End server.",
                model.certificate.sha1_thumbprint
            ),
        ),
        Row::text(
            "Execution policy",
            "The scripts are not signed: run them with powershell.exe -ExecutionPolicy Bypass -File, or unblock them once (Get-ChildItem *.ps1 | Unblock-File) after Verify-Bundle.ps1 passed.",
        ),
    ]
}

fn implementation(inputs: &Inputs<'_>, digest: &str) -> Implementation {
    let model = inputs.model;
    let scripts = bundle::scripts(model.cloud_module_kind);
    let find = |name: &str| scripts.iter().find(|s| s.file == name).copied();
    let mut steps = Vec::new();
    let mut add = |file: &str,
                   who: &str,
                   commands: Vec<String>,
                   go_on_when: String,
                   purpose: Option<&str>| {
        let script = find(file);
        steps.push(ImplementationStep {
            number: steps.len() + 1,
            file: file.to_owned(),
            runs: script.map_or("where xprem runs", |s| s.runs).to_owned(),
            shell: script.map_or("", |s| s.shell).to_owned(),
            who: who.to_owned(),
            sha256: sha256_of(inputs.bundle, file),
            purpose: purpose.map_or_else(
                || script.map_or("", |s| s.purpose).to_owned(),
                str::to_owned,
            ),
            commands,
            go_on_when,
        });
    };
    add(
        "Verify-Bundle.ps1",
        "each administrator, on each machine",
        vec![
            "powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\Verify-Bundle.ps1"
                .to_owned(),
        ],
        format!(
            "It ends with \"Every file matches SHA256SUMS\" and prints the SHA-256 of SHA256SUMS {digest}, the one this document names."
        ),
        None,
    );
    add(
        bundle::EXPORT_STATE,
        "the Lync administrator (on premises) and the Microsoft 365 administrator (cloud)",
        vec![
            ".\\Export-State.ps1 -Part OnPremises".to_owned(),
            ".\\Export-State.ps1 -Part Cloud".to_owned(),
            format!("xprem plan {} --state xprem-state-onpremises.json --state xprem-state-cloud.json", inputs.config_path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())),
        ],
        "The plan shows the same changes as section 3 of this document: nothing changed since it was written.".to_owned(),
        Some("Captures the state just before the change (changes nothing), and checks it against this document"),
    );
    add(
        "1-Configure-OnPremises.ps1",
        "the Lync administrator",
        vec![
            "Start-Transcript -Path .\\step1-transcript.txt".to_owned(),
            ".\\1-Configure-OnPremises.ps1 -WhatIf".to_owned(),
            ".\\1-Configure-OnPremises.ps1".to_owned(),
            "Stop-Transcript".to_owned(),
        ],
        "-WhatIf lists exactly the on-premises changes of section 3; the run ends with \"All settings are as wanted\", every line [OK].".to_owned(),
        None,
    );
    add(
        "2-Configure-Office365.ps1",
        "the Microsoft 365 administrator",
        vec![
            "Start-Transcript -Path .\\step2-transcript.txt".to_owned(),
            ".\\2-Configure-Office365.ps1 -WhatIf".to_owned(),
            ".\\2-Configure-Office365.ps1".to_owned(),
            "Stop-Transcript".to_owned(),
        ],
        "-WhatIf lists exactly the cloud changes of section 3; the run ends with \"Office 365 is set up for the cross-premises OAuth trust\", every line [OK].".to_owned(),
        None,
    );
    Implementation {
        go_no_go: vec![
            format!("Every machine's Verify-Bundle.ps1 prints the SHA-256 of SHA256SUMS {digest}."),
            "A fresh export of the state gives the plan of section 3 (no surprises since this document was written).".to_owned(),
            "Every check of section 3 is OK, or the board accepted the ones that are not.".to_owned(),
            "Every script is clean in section 9.".to_owned(),
            "The administrators who would run the back-out (section 8) are available for the whole window.".to_owned(),
        ],
        steps,
    }
}

fn verification(model: &Model) -> Vec<Step> {
    let cloud_check = match model.cloud_module_kind {
        CloudModule::Graph => vec![
            format!(
                "Connect-MgGraph -Environment {} -Scopes Application.Read.All",
                model.graph.environment
            ),
            format!(
                "(Invoke-MgGraphRequest -Uri \"v1.0/servicePrincipals?`$filter=appId eq '{}'&`$select=keyCredentials,servicePrincipalNames\").value",
                model.cloud_principals.skype_app_id
            ),
        ],
        CloudModule::Msonline => vec![
            format!(
                "Get-MsolServicePrincipalCredential -AppPrincipalId {} -ReturnKeyValues $true",
                model.cloud_principals.skype_app_id
            ),
            format!(
                "(Get-MsolServicePrincipal -AppPrincipalId {}).ServicePrincipalNames",
                model.cloud_principals.skype_app_id
            ),
        ],
    };
    vec![
        Step {
            script: String::new(),
            sha256: String::new(),
            what: "Step 1's own verification (the end of its output)".to_owned(),
            commands: vec![],
            expect: format!(
                "[OK] for the OAuth server \"{}\" metadata URL, the partner application \"{}\" (application identifier, trust level, token source, enabled), the OAuth service name and the OAuthTokenIssuer certificate {}; the last line is \"All settings are as wanted.\"",
                model.on_premises.oauth_server_identity,
                model.on_premises.exchange_partner_identity,
                model.certificate.sha1_thumbprint
            ),
        },
        Step {
            script: String::new(),
            sha256: String::new(),
            what: "Replication of the global settings to every Front End server".to_owned(),
            commands: vec![
                "Get-CsManagementStoreReplicationStatus | Where-Object { -not $_.UpToDate }"
                    .to_owned(),
            ],
            expect: "No output (every replica is up to date), within minutes of step 1.".to_owned(),
        },
        Step {
            script: String::new(),
            sha256: String::new(),
            what: "Step 2's own verification (the end of its output)".to_owned(),
            commands: vec![],
            expect: format!(
                "[OK] for the certificate {} on both service principals with the window {} to {}, the Exchange Online service principal enabled, and each SPN ({}); the last line is \"Office 365 is set up for the cross-premises OAuth trust.\"",
                model.certificate.sha1_thumbprint,
                model.credential.start.text,
                model.credential.end.text,
                model.cloud_principals.spns.join(", ")
            ),
        },
        Step {
            script: String::new(),
            sha256: String::new(),
            what: "The cloud side, read again by hand".to_owned(),
            commands: cloud_check,
            expect: format!(
                "A key credential with the certificate's thumbprint (customKeyIdentifier) and the window above, the keys that were there before, and the SPNs {}.",
                model.cloud_principals.spns.join(", ")
            ),
        },
        Step {
            script: String::new(),
            sha256: String::new(),
            what: "The state after the change".to_owned(),
            commands: vec![
                ".\\Export-State.ps1 -Part OnPremises -Path .\\after-onpremises.json".to_owned(),
                ".\\Export-State.ps1 -Part Cloud -Path .\\after-cloud.json".to_owned(),
                "xprem plan <config> --state after-onpremises.json --state after-cloud.json"
                    .to_owned(),
            ],
            expect: "\"No changes\", exit code 0. Keep both files with the change record."
                .to_owned(),
        },
    ]
}

fn backout(inputs: &Inputs<'_>) -> Backout {
    let model = inputs.model;
    let on_premises = inputs
        .states
        .on_premises
        .as_ref()
        .and_then(|f| f.on_premises());
    let mut on_premises_commands = Vec::new();
    let identity = &model.on_premises.oauth_server_identity;
    let partner = &model.on_premises.exchange_partner_identity;
    for change in inputs
        .plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp && c.part == crate::state::Part::OnPremises)
    {
        let before = change.before.as_ref();
        let get = |key: &str| {
            before
                .and_then(|b| b.get(key))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        match (change.kind, change.action) {
            ("oauth_server", Action::Create) => on_premises_commands.push(format!("Remove-CsOAuthServer -Identity {}", single_quoted(identity))),
            ("oauth_server", Action::Update) => {
                if let Some(url) = get("metadata_url") {
                    on_premises_commands.push(format!("Set-CsOAuthServer -Identity {} -MetadataUrl {}", single_quoted(identity), single_quoted(&url)));
                }
            }
            ("partner_application", Action::Create) => on_premises_commands.push(format!("Remove-CsPartnerApplication -Identity {}", single_quoted(partner))),
            ("partner_application", Action::Update) if change.requires.is_none() => {
                if let Some(level) = get("application_trust_level") {
                    let disabled = before.and_then(|b| b.get("enabled")).and_then(|v| v.as_bool()) == Some(false);
                    on_premises_commands.push(format!(
                        "Set-CsPartnerApplication -Identity {} -ApplicationTrustLevel {}{}",
                        single_quoted(partner),
                        single_quoted(&level),
                        if disabled { " -Enabled $false" } else { "" }
                    ));
                }
            }
            ("partner_application", Action::Update) => match get("metadata_url").filter(|u| !u.is_empty()) {
                // Converted to the OAuth server: point it back at its own metadata URL.
                Some(url) => on_premises_commands.push(format!(
                    "Set-CsPartnerApplication -Identity {} -MetadataUrl {}",
                    single_quoted(partner),
                    single_quoted(&url)
                )),
                None => on_premises_commands.push(format!(
                    "# It was trusted through {}: set that up again as it was (Set-CsPartnerApplication -Identity {} with its certificate).",
                    get("auth_token").unwrap_or_default(),
                    single_quoted(partner)
                )),
            },
            ("partner_application", _) => {
                on_premises_commands.push(format!("Remove-CsPartnerApplication -Identity {}", single_quoted(partner)));
                let level = get("application_trust_level").unwrap_or_else(|| "Full".to_owned());
                let disabled = before.and_then(|b| b.get("enabled")).and_then(|v| v.as_bool()) == Some(false);
                let enabled = if disabled { " -Enabled $false" } else { "" };
                let token = get("auth_token").unwrap_or_default();
                match (get("metadata_url").filter(|u| !u.is_empty()), get("application_identifier")) {
                    (Some(url), _) => on_premises_commands.push(format!(
                        "New-CsPartnerApplication -Identity {} -MetadataUrl {} -ApplicationTrustLevel {}{enabled}",
                        single_quoted(partner),
                        single_quoted(&url),
                        single_quoted(&level)
                    )),
                    (None, Some(id)) if token.is_empty() || token.to_ascii_lowercase().ends_with("useoauthserver") => {
                        on_premises_commands.push(format!(
                            "New-CsPartnerApplication -Identity {} -ApplicationIdentifier {} -ApplicationTrustLevel {} -UseOAuthServer{enabled}",
                            single_quoted(partner),
                            single_quoted(&id),
                            single_quoted(&level)
                        ));
                    }
                    _ => on_premises_commands.push(format!(
                        "# It was trusted through {token}: create it again with its certificate (New-CsPartnerApplication -CertificateFileData), as it was set up."
                    )),
                }
            }
            ("oauth_configuration", Action::Update) => match get("service_name").filter(|s| !s.is_empty()) {
                Some(name) => on_premises_commands.push(format!("Set-CsOAuthConfiguration -Identity global -ServiceName {}", single_quoted(&name))),
                None => on_premises_commands.push("# The OAuth service name had no value before: leave 00000004-0000-0ff1-ce00-000000000000 in place, or set it back as step 1's transcript shows".to_owned()),
            },
            _ => {}
        }
    }
    if on_premises.is_none() {
        on_premises_commands.push("# Without an on-premises state, the old values are those step 1 printed (its transcript): set each back.".to_owned());
        on_premises_commands
            .push("# If step 1 created them, and only if nothing else uses them:".to_owned());
        on_premises_commands.push(format!(
            "Remove-CsPartnerApplication -Identity {}",
            single_quoted(partner)
        ));
        on_premises_commands.push(format!(
            "Remove-CsOAuthServer -Identity {}",
            single_quoted(identity)
        ));
    }
    if on_premises_commands.is_empty() {
        on_premises_commands.push(
            "# Nothing: according to the plan, step 1 changes nothing on premises.".to_owned(),
        );
    }
    Backout {
        triggers: vec![
            "A step stops with an error that cannot be corrected within the window.".to_owned(),
            "A step's verification ends with lines marked [DIFFERS] that the runbook cannot explain.".to_owned(),
            "Sign-in, presence or the Exchange integration of pilot users fails after the change and does not recover within 30 minutes (after replication).".to_owned(),
            "The change owner or the board calls it off.".to_owned(),
        ],
        steps: vec![
            Step {
                script: "Remove-Office365Credential.ps1".to_owned(),
                sha256: sha256_of(inputs.bundle, "Remove-Office365Credential.ps1"),
                what: "Office 365, by the Microsoft 365 administrator, on the machine of step 2 (first: it ends the cloud's trust in the certificate)".to_owned(),
                commands: vec![
                    ".\\Remove-Office365Credential.ps1 -WhatIf".to_owned(),
                    ".\\Remove-Office365Credential.ps1 -IncludeServicePrincipalNames".to_owned(),
                ],
                expect: format!(
                    "It removes only the key credentials that hold the certificate {} (by their value or thumbprint, never by dates) and, with -IncludeServicePrincipalNames, only this bundle's SPNs; it keeps every other key and SPN and leaves the Exchange Online service principal enabled (Exchange hybrid uses it too).",
                    model.certificate.sha1_thumbprint
                ),
            },
            Step {
                script: String::new(),
                sha256: String::new(),
                what: "On premises, by the Lync administrator, in the Management Shell on a Front End server".to_owned(),
                commands: on_premises_commands,
                expect: "Each value as it was before the change (section 3's \"before\").".to_owned(),
            },
        ],
        duration: "About 20 minutes, and the Central Management Store's replication (minutes) for the on-premises part.".to_owned(),
        confirm: vec![
            "Run Export-State.ps1 -Part OnPremises and -Part Cloud again (with -Path to new files).".to_owned(),
            "xprem plan <config> --state <the new files> shows the same plan as section 3 of this document: the state is back to where it was.".to_owned(),
            "Or compare the new files with the pre-change exports: they differ only in exported_at.".to_owned(),
        ],
    }
}

fn script_checks(bundle: &Bundle, as_of: OffsetDateTime) -> ScriptChecks {
    let scripts: Vec<ScriptCheck> = bundle
        .files
        .iter()
        .filter(|f| f.name.ends_with(".ps1"))
        .map(|file| {
            let text = crate::powershell::decode(&file.bytes).text;
            let findings = script_checks::check_script(Path::new(&file.name), &text, as_of)
                .into_iter()
                .map(|d| {
                    let place = d
                        .location
                        .span
                        .map(|s| format!("{}:", crate::config::source::position(&text, s.start)))
                        .unwrap_or_default();
                    format!("{place} {}[{}]: {}", d.severity, d.code, d.message)
                })
                .collect::<Vec<_>>();
            ScriptCheck {
                file: file.name.clone(),
                sha256: hex::encode(Sha256::digest(&file.bytes)),
                clean: findings.is_empty(),
                findings,
            }
        })
        .collect();
    ScriptChecks {
        checker: script_checks::CHECKER,
        all_clean: scripts.iter().all(|s| s.clean),
        scripts,
    }
}
