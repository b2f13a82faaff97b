//! The on-premises objects of step 1: the OAuth server, the Exchange Online partner
//! application, the global OAuth configuration; and its precondition, the OAuthTokenIssuer
//! certificate. Each decision is the one `templates/lync/onpremises.ps1.j2` makes.

use serde_json::Value;

use super::{
    Action, Change, Check, CheckStatus, ON_PREMISES_STEP, attributes, opt_text, same_text, text,
};
use crate::model::Model;
use crate::state::{Matched, OnPremisesState, Part, PartnerApplication};

/// What the metadata URL will be after step 1, when the tenant ID is known.
fn wanted_metadata_url(model: &Model, states: &Matched) -> Option<String> {
    states
        .tenant_id(model)
        .map(|id| format!("{}{id}/metadata/json/1", model.cloud.metadata_url_prefix))
}

pub fn plan(
    model: &Model,
    states: &Matched,
    state: Option<&OnPremisesState>,
    changes: &mut Vec<Change>,
    checks: &mut Vec<Check>,
) {
    let no_state = "Not known without an on-premises state";
    token_issuer_check(model, state, no_state, checks);
    changes.push(oauth_server(model, states, state, no_state));
    changes.push(partner_application(model, state, no_state));
    changes.push(oauth_configuration(model, state, no_state));
}

fn token_issuer_check(
    model: &Model,
    state: Option<&OnPremisesState>,
    no_state: &str,
    checks: &mut Vec<Check>,
) {
    let thumbprint = &model.certificate.sha1_thumbprint;
    let name = format!("the OAuthTokenIssuer certificate is {thumbprint}, the one step 2 uploads");
    let (status, detail) = match state.map(|s| &s.token_issuer_certificates) {
        None => (
            CheckStatus::Unknown,
            format!("{no_state}. Step 1 checks this before it changes anything, and stops if it is not so."),
        ),
        Some(None) => (
            CheckStatus::Unknown,
            "Export-State.ps1 could not read the OAuthTokenIssuer certificates. Step 1 checks this before it changes anything, and stops if it is not so.".to_owned(),
        ),
        Some(Some(certificates)) => {
            let assigned: Vec<&str> = certificates.iter().filter_map(|c| c.thumbprint.as_deref()).collect();
            if assigned.iter().any(|t| same_text(t, thumbprint)) {
                (CheckStatus::Pass, format!("Assigned: {}.", assigned.join(", ")))
            } else if assigned.is_empty() {
                (
                    CheckStatus::Fail,
                    format!("No OAuthTokenIssuer certificate is assigned: step 1 stops before it changes anything. Assign it first: Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint {thumbprint}."),
                )
            } else {
                (
                    CheckStatus::Fail,
                    format!(
                        "The assigned OAuthTokenIssuer certificate is {}: step 1 stops before it changes anything. Generate the bundle for that certificate, or assign this one (Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint {thumbprint}).",
                        assigned.join(", ")
                    ),
                )
            }
        }
    };
    checks.push(Check {
        name,
        status,
        detail,
        step: ON_PREMISES_STEP,
    });
}

fn find<'a, T>(items: &'a [T], identity: &str, of: impl Fn(&T) -> &str) -> Option<&'a T> {
    items.iter().find(|item| same_text(of(item), identity))
}

fn oauth_server(
    model: &Model,
    states: &Matched,
    state: Option<&OnPremisesState>,
    no_state: &str,
) -> Change {
    let identity = &model.on_premises.oauth_server_identity;
    let mut change = Change::new(
        "oauth_server",
        identity.clone(),
        format!("oauth_server \"{identity}\""),
        Part::OnPremises,
    );
    let wanted = wanted_metadata_url(model, states);
    let wanted_text = wanted.clone().unwrap_or_else(|| {
        format!(
            "{}<tenant ID that step 1 looks up>/metadata/json/1",
            model.cloud.metadata_url_prefix
        )
    });
    change.after = Some(attributes([("metadata_url", text(wanted_text.clone()))]));
    let servers = match state.map(|s| &s.oauth_servers) {
        None => {
            change.action = Action::Unknown;
            change.notes.push(format!(
                "{no_state}. Step 1 creates the OAuth server with the metadata URL {wanted_text} if it is missing, changes its metadata URL to that (Set-CsOAuthServer) if it differs, and leaves it as it is otherwise."
            ));
            return change;
        }
        Some(None) => {
            change.action = Action::Unknown;
            change.notes.push("Export-State.ps1 could not read the OAuth servers; step 1 creates or updates this one as needed.".to_owned());
            return change;
        }
        Some(Some(servers)) => servers,
    };
    let Some(server) = find(servers, identity, |s| &s.identity) else {
        change.action = Action::Create;
        change.notes.push(format!(
            "New-CsOAuthServer reads the metadata URL when it runs: the Front End needs outbound HTTPS to {}.",
            model.cloud.metadata_url_prefix
        ));
        return change;
    };
    let current = server.metadata_url.clone().unwrap_or_default();
    change.before = Some(attributes([(
        "metadata_url",
        opt_text(server.metadata_url.as_deref()),
    )]));
    match &wanted {
        Some(url) if same_text(&current, url) => change.action = Action::NoOp,
        Some(_) => {
            change.action = Action::Update;
            if !current.is_empty() {
                change.destructive = true;
                change.notes.push(format!(
                    "The OAuth server trusts the authorization server at {current} now; after the change it trusts only this tenant's. Whatever relies on the old URL stops working."
                ));
            }
        }
        None => {
            change.action = Action::Unknown;
            change.notes.push(format!(
                "The config has no tenant ID and no cloud state gives it: step 1 looks it up ({}<domain>/.well-known/openid-configuration). If it is the one in the current URL ({current}), nothing changes; otherwise the URL is changed to name it.",
                model.cloud.openid_url_prefix
            ));
        }
    }
    change
}

/// What an existing partner application is set up for, in words (as step 1 says it).
fn partner_use(partner: &PartnerApplication) -> String {
    let id = partner
        .application_identifier
        .as_deref()
        .unwrap_or("(none)");
    let known = match id.to_ascii_lowercase().as_str() {
        "00000002-0000-0ff1-ce00-000000000000" => " (Exchange)",
        "00000003-0000-0ff1-ce00-000000000000" => " (SharePoint)",
        "00000004-0000-0ff1-ce00-000000000000" => " (Skype for Business)",
        _ => "",
    };
    let mut text = format!("the application identifier {id}{known}");
    if let Some(url) = partner.metadata_url.as_deref().filter(|u| !u.is_empty()) {
        text.push_str(&format!(", trusted through its own metadata URL {url}, the way an on-premises Exchange or SharePoint server is trusted"));
    } else if let Some(token) = partner
        .auth_token
        .as_deref()
        .filter(|t| !t.to_ascii_lowercase().ends_with("useoauthserver"))
    {
        text.push_str(&format!(
            ", trusted through {token} rather than the OAuth server"
        ));
    }
    text
}

fn partner_application(model: &Model, state: Option<&OnPremisesState>, no_state: &str) -> Change {
    let identity = &model.on_premises.exchange_partner_identity;
    let exchange = model.on_premises.exchange_app_id;
    let trust = model.on_premises.trust_level;
    let mut change = Change::new(
        "partner_application",
        identity.clone(),
        format!("partner_application \"{identity}\""),
        Part::OnPremises,
    );
    change.after = Some(attributes([
        ("application_identifier", text(exchange)),
        ("application_trust_level", text(trust)),
        ("auth_token", text("UseOAuthServer")),
        ("metadata_url", Value::Null),
        ("enabled", Value::Bool(true)),
    ]));
    let partners = match state.map(|s| &s.partner_applications) {
        None => {
            change.action = Action::Unknown;
            change.notes.push(format!(
                "{no_state}. Step 1 creates the partner application for Exchange Online ({exchange}, trust level {trust}, using the OAuth server) if it is missing, sets its trust level and enables it if they differ, and leaves one that is set up for something else (another application identifier, or its own metadata URL) alone unless it runs with -ReplaceExisting."
            ));
            return change;
        }
        Some(None) => {
            change.action = Action::Unknown;
            change
                .notes
                .push("Export-State.ps1 could not read the partner applications.".to_owned());
            return change;
        }
        Some(Some(partners)) => partners,
    };
    let Some(partner) = find(partners, identity, |p| &p.identity) else {
        change.action = Action::Create;
        return change;
    };
    change.before = Some(attributes([
        (
            "application_identifier",
            opt_text(partner.application_identifier.as_deref()),
        ),
        (
            "application_trust_level",
            opt_text(partner.application_trust_level.as_deref()),
        ),
        ("auth_token", opt_text(partner.auth_token.as_deref())),
        ("metadata_url", opt_text(partner.metadata_url.as_deref())),
        ("enabled", partner.enabled.map_or(Value::Null, Value::Bool)),
    ]));
    let other_application = !same_text(
        partner.application_identifier.as_deref().unwrap_or(""),
        exchange,
    );
    let own_trust = partner
        .metadata_url
        .as_deref()
        .is_some_and(|u| !u.is_empty())
        || partner
            .auth_token
            .as_deref()
            .is_some_and(|t| !t.to_ascii_lowercase().ends_with("useoauthserver"));
    let use_now = partner_use(partner);
    if other_application || own_trust {
        change.destructive = true;
        change.requires = Some("-ReplaceExisting");
        change.action = if other_application {
            Action::Replace
        } else {
            Action::Update
        };
        change.notes.push(format!(
            "It is set up for {use_now}. Step 1 {} it only when run with -ReplaceExisting; without it, step 1 leaves it as it is and warns, and the Exchange Online trust is not set up. Whatever uses it now stops working once it is {}. Or choose another name (on_premises.exchange_partner_identity) and generate the bundle again.",
            if other_application { "replaces (removes and creates again)" } else { "converts" },
            if other_application { "replaced" } else { "converted" }
        ));
        return change;
    }
    let trust_differs = !same_text(
        partner.application_trust_level.as_deref().unwrap_or(""),
        trust,
    );
    if trust_differs || partner.enabled == Some(false) {
        change.action = Action::Update;
        // Set-CsPartnerApplication leaves these as they are.
        if let (Some(after), Some(before)) = (&mut change.after, &change.before) {
            for key in ["auth_token", "metadata_url"] {
                after.insert(
                    key.to_owned(),
                    before.get(key).cloned().unwrap_or(Value::Null),
                );
            }
        }
    } else {
        change.action = Action::NoOp;
        change.after = change.before.clone();
    }
    change
}

fn oauth_configuration(model: &Model, state: Option<&OnPremisesState>, no_state: &str) -> Change {
    let wanted = model.on_premises.service_name;
    let mut change = Change::new(
        "oauth_configuration",
        "global",
        "oauth_configuration \"global\"".to_owned(),
        Part::OnPremises,
    );
    change.after = Some(attributes([("service_name", text(wanted))]));
    match state.map(|s| &s.oauth_configuration) {
        None => {
            change.action = Action::Unknown;
            change.notes.push(format!(
                "{no_state}. Step 1 sets the OAuth service name to {wanted} (Skype for Business Online) if it differs."
            ));
        }
        Some(None) => {
            change.action = Action::Unknown;
            change
                .notes
                .push("Export-State.ps1 could not read the OAuth configuration.".to_owned());
        }
        Some(Some(configuration)) => {
            change.before = Some(attributes([(
                "service_name",
                opt_text(configuration.service_name.as_deref()),
            )]));
            let current = configuration.service_name.as_deref().unwrap_or("");
            change.action = if same_text(current, wanted) {
                Action::NoOp
            } else {
                Action::Update
            };
        }
    }
    change
}
