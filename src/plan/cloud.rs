//! The cloud objects of step 2: the certificate as a key credential of the Skype for Business
//! Online and Exchange Online service principals, the Exchange principal's enabled flag, and the
//! SPNs on the Skype principal; and the preconditions (both principals exist, no other principal
//! holds an SPN). Each decision is the one `templates/cloud/*/configure.ps1.j2` makes.

use serde_json::Value;
use time::OffsetDateTime;

use super::{
    Action, CLOUD_STEP, Change, Check, CheckStatus, Kept, attributes, days_text, same_text, text,
};
use crate::catalog::CloudModule;
use crate::model::Model;
use crate::moment::utc_text;
use crate::state::{CloudState, KeyCredential, Part, ServicePrincipal};

/// The scripts' tolerance when they compare a credential's dates with the configured window.
const SAME_MOMENT_SECONDS: i64 = 60;

fn principal_name(model: &Model, app_id: &str) -> &'static str {
    if same_text(app_id, model.cloud_principals.skype_app_id) {
        "Skype for Business Online"
    } else {
        "Exchange Online"
    }
}

pub fn plan(
    model: &Model,
    state: Option<&CloudState>,
    as_of: OffsetDateTime,
    changes: &mut Vec<Change>,
    checks: &mut Vec<Check>,
) {
    let skype = model.cloud_principals.skype_app_id;
    let exchange = model.cloud_principals.exchange_app_id;
    if let Some(state) = state {
        let tenant = match &state.tenant.display_name {
            Some(name) => format!("{} ({name})", state.tenant.id),
            None => state.tenant.id.clone(),
        };
        checks.push(Check {
            name: "the cloud state is of the config's tenant".to_owned(),
            status: CheckStatus::Pass,
            detail: format!("Tenant {tenant}."),
            step: CLOUD_STEP,
        });
    }
    for app_id in [skype, exchange] {
        let principal = find_principal(state, app_id);
        exists_check(model, state, principal, app_id, checks);
        changes.push(key_credential(model, principal, app_id, as_of));
    }
    changes.push(exchange_enabled(
        model,
        state,
        find_principal(state, exchange),
    ));
    changes.push(spns(model, state, find_principal(state, skype), checks));
}

/// `Some(Some(p))`: found; `Some(None)`: the state has no (readable) entry; `None`: no state.
fn find_principal<'a>(
    state: Option<&'a CloudState>,
    app_id: &str,
) -> Option<Option<&'a ServicePrincipal>> {
    let state = state?;
    Some(
        state
            .service_principals
            .as_ref()
            .and_then(|list| list.iter().find(|p| same_text(&p.app_id, app_id))),
    )
}

fn no_state() -> &'static str {
    "Not known without a cloud state"
}

fn exists_check(
    model: &Model,
    state: Option<&CloudState>,
    principal: Option<Option<&ServicePrincipal>>,
    app_id: &str,
    checks: &mut Vec<Check>,
) {
    let name = format!(
        "the tenant has the {} service principal ({app_id})",
        principal_name(model, app_id)
    );
    let (status, detail) = match (state, principal.flatten().map(|p| p.exists)) {
        (None, _) => (
            CheckStatus::Unknown,
            format!("{}. Step 2 stops if it is missing.", no_state()),
        ),
        (Some(_), Some(Some(true))) => (
            CheckStatus::Pass,
            principal
                .flatten()
                .and_then(|p| p.display_name.clone())
                .map_or_else(String::new, |n| format!("Display name: {n}.")),
        ),
        (Some(_), Some(Some(false))) => (
            CheckStatus::Fail,
            format!(
                "The tenant has no service principal with the appId {app_id}: step 2 stops there. Check that the tenant has Skype for Business Online / Exchange Online; step 2's message says how to create the principal of Microsoft's application."
            ),
        ),
        (Some(_), _) => (
            CheckStatus::Unknown,
            "Export-State.ps1 could not read it. Step 2 stops if it is missing.".to_owned(),
        ),
    };
    checks.push(Check {
        name,
        status,
        detail,
        step: CLOUD_STEP,
    });
}

fn window(start: Option<OffsetDateTime>, end: Option<OffsetDateTime>) -> String {
    let show = |m: Option<OffsetDateTime>| m.map_or_else(|| "?".to_owned(), utc_text);
    format!("{} to {}", show(start), show(end))
}

fn close(a: Option<OffsetDateTime>, b: OffsetDateTime) -> bool {
    a.is_some_and(|a| (a - b).whole_seconds().abs() < SAME_MOMENT_SECONDS)
}

fn describe_key(key: &KeyCredential) -> String {
    format!(
        "keyId {}, {} {}, certificate {}, valid {}",
        key.key_id.as_deref().unwrap_or("?"),
        key.kind.as_deref().unwrap_or("?"),
        key.usage.as_deref().unwrap_or("?"),
        key.thumbprint
            .as_deref()
            .unwrap_or("unknown (no key value or thumbprint came with it)"),
        window(key.start, key.end)
    )
}

fn key_status(key: &KeyCredential, as_of: OffsetDateTime) -> (String, bool) {
    match (key.start, key.end) {
        (_, Some(end)) if end < as_of => (
            format!(
                "expired on {}, {}",
                utc_text(end),
                days_text((end - as_of).whole_days())
            ),
            true,
        ),
        (Some(start), _) if start > as_of => {
            (format!("not valid yet: from {}", utc_text(start)), false)
        }
        (_, Some(end)) => (
            format!("valid, expires {}", days_text((end - as_of).whole_days())),
            false,
        ),
        _ => (String::new(), false),
    }
}

fn key_credential(
    model: &Model,
    principal: Option<Option<&ServicePrincipal>>,
    app_id: &'static str,
    as_of: OffsetDateTime,
) -> Change {
    let thumbprint = &model.certificate.sha1_thumbprint;
    let name = principal_name(model, app_id);
    let mut change = Change::new(
        "key_credential",
        thumbprint.clone(),
        format!("key_credential {thumbprint} on service_principal {app_id} ({name})"),
        Part::Cloud,
    );
    let (kind, how) = match model.cloud_module_kind {
        CloudModule::Graph => (
            "AsymmetricX509Cert",
            "one update of the principal writes the new key in place of the old one, with every other key",
        ),
        CloudModule::Msonline => (
            "Asymmetric",
            "the new key is added first, then the old one removed",
        ),
    };
    let start = &model.credential.start;
    let end = &model.credential.end;
    change.after = Some(attributes([
        ("type", text(kind)),
        ("usage", text("Verify")),
        ("thumbprint", text(thumbprint.clone())),
        ("start", text(start.iso.clone())),
        ("end", text(end.iso.clone())),
    ]));
    let Some(principal) = principal else {
        change.action = Action::Unknown;
        change.notes.push(format!(
            "{}. Step 2 adds the certificate as an {kind} Verify key valid from {} to {} unless a key of this certificate with exactly that window is there; a key of this certificate with other dates is replaced ({how}); every other key is kept.",
            no_state(),
            start.text,
            end.text
        ));
        return change;
    };
    let keys = match principal.and_then(|p| p.key_credentials.as_ref()) {
        Some(keys) => keys,
        None => {
            change.action = Action::Unknown;
            change
                .notes
                .push(if principal.is_some_and(|p| p.exists == Some(false)) {
                    "The service principal does not exist: step 2 stops before it (see the checks)."
                        .to_owned()
                } else {
                    "Export-State.ps1 could not read the key credentials.".to_owned()
                });
            return change;
        }
    };
    let start_at =
        time::OffsetDateTime::parse(&start.iso, &time::format_description::well_known::Rfc3339)
            .ok();
    let end_at =
        time::OffsetDateTime::parse(&end.iso, &time::format_description::well_known::Rfc3339).ok();
    let matching: Vec<&KeyCredential> = keys
        .iter()
        .filter(|k| {
            k.thumbprint
                .as_deref()
                .is_some_and(|t| same_text(t, thumbprint))
        })
        .collect();
    let in_window: Vec<&KeyCredential> = matching
        .iter()
        .copied()
        .filter(|k| {
            k.usage.as_deref().is_some_and(|u| same_text(u, "Verify"))
                && start_at.is_some_and(|s| close(k.start, s))
                && end_at.is_some_and(|e| close(k.end, e))
        })
        .collect();
    let out_of_window: Vec<&KeyCredential> = matching
        .iter()
        .copied()
        .filter(|k| !in_window.contains(k))
        .collect();
    let unproven = keys.iter().filter(|k| k.thumbprint.is_none()).count();
    for key in keys
        .iter()
        .filter(|k| !out_of_window.contains(k) && !in_window.contains(k))
    {
        let (status, expired) = key_status(key, as_of);
        change.kept.push(Kept {
            what: describe_key(key),
            status,
            expired,
        });
    }
    let expired = change.kept.iter().filter(|k| k.expired).count();
    if !in_window.is_empty() {
        change.action = Action::NoOp;
        change.before = change.after.clone();
        change.notes.push(format!(
            "The principal already has the certificate for this window: {}.",
            in_window
                .iter()
                .map(|k| describe_key(k))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    } else if !out_of_window.is_empty() {
        change.action = Action::Replace;
        change.destructive = true;
        let old = out_of_window[0];
        change.before = Some(attributes([
            ("type", old.kind.as_deref().map_or(Value::Null, text)),
            ("usage", old.usage.as_deref().map_or(Value::Null, text)),
            ("thumbprint", text(thumbprint.clone())),
            (
                "start",
                old.start
                    .map_or(Value::Null, |s| text(crate::moment::rfc3339(s))),
            ),
            (
                "end",
                old.end
                    .map_or(Value::Null, |e| text(crate::moment::rfc3339(e))),
            ),
        ]));
        change.notes.push(format!(
            "The principal holds this certificate with other dates ({}): step 2 replaces it with the configured window ({how}). Tokens are validated against the new key from {}.",
            out_of_window.iter().map(|k| describe_key(k)).collect::<Vec<_>>().join("; "),
            start.text
        ));
    } else {
        change.action = Action::Create;
    }
    if unproven > 0 && change.action != Action::NoOp {
        change.notes.push(format!(
            "{unproven} key(s) came without a key value or thumbprint, so neither xprem nor step 2 can tell whether one of them holds this certificate; step 2 adds the key anyway and keeps them."
        ));
    }
    if expired > 0 {
        change.notes.push(format!(
            "{expired} kept key(s) have expired. Step 2 never removes a key of another certificate; remove them in the Entra admin center once nothing needs them."
        ));
    }
    if end_at.is_some_and(|e| e < as_of) {
        change.notes.push(format!(
            "The configured window ends on {}, before {}.",
            end.text,
            utc_text(as_of)
        ));
    }
    change
}

fn exchange_enabled(
    model: &Model,
    state: Option<&CloudState>,
    principal: Option<Option<&ServicePrincipal>>,
) -> Change {
    let app_id = model.cloud_principals.exchange_app_id;
    let mut change = Change::new(
        "service_principal",
        app_id,
        format!("service_principal {app_id} (Exchange Online)"),
        Part::Cloud,
    );
    change.after = Some(attributes([("account_enabled", Value::Bool(true))]));
    match (state, principal.flatten()) {
        (None, _) => {
            change.action = Action::Unknown;
            change.notes.push(format!(
                "{}. Step 2 enables the Exchange Online service principal if it is not enabled.",
                no_state()
            ));
        }
        (Some(_), Some(p)) if p.exists == Some(true) => {
            change.before = Some(attributes([(
                "account_enabled",
                p.account_enabled.map_or(Value::Null, Value::Bool),
            )]));
            change.action = if p.account_enabled == Some(true) {
                Action::NoOp
            } else {
                Action::Update
            };
        }
        _ => {
            change.action = Action::Unknown;
            change.notes.push(
                "The state does not show this service principal (see the checks).".to_owned(),
            );
        }
    }
    change
}

fn spns(
    model: &Model,
    state: Option<&CloudState>,
    principal: Option<Option<&ServicePrincipal>>,
    checks: &mut Vec<Check>,
) -> Change {
    let app_id = model.cloud_principals.skype_app_id;
    let wanted = &model.cloud_principals.spns;
    let mut change = Change::new(
        "service_principal",
        app_id,
        format!("service_principal {app_id} (Skype for Business Online)"),
        Part::Cloud,
    );
    let list = |names: &[String]| Value::Array(names.iter().map(|n| text(n.clone())).collect());
    let Some(state) = state else {
        change.action = Action::Unknown;
        change.after = Some(attributes([("service_principal_names", list(wanted))]));
        change.notes.push(format!(
            "{}. Step 2 adds each of these SPNs that is missing, writing back every SPN already there, and skips (with a warning) one that another principal holds.",
            no_state()
        ));
        return change;
    };
    let Some(current) = principal
        .flatten()
        .filter(|p| p.exists == Some(true))
        .and_then(|p| p.service_principal_names.clone())
    else {
        change.action = Action::Unknown;
        change.after = Some(attributes([("service_principal_names", list(wanted))]));
        change
            .notes
            .push("The state does not show this principal's SPNs (see the checks).".to_owned());
        return change;
    };
    let mut added = Vec::new();
    for spn in wanted {
        if current.iter().any(|c| same_text(c, spn)) {
            continue;
        }
        let holder = state
            .spn_holders
            .as_ref()
            .and_then(|holders| holders.iter().find(|h| same_text(&h.spn, spn)))
            .and_then(|h| h.held_by.as_ref());
        match holder.and_then(|held| held.iter().find(|h| !same_text(&h.app_id, app_id))) {
            Some(other) => checks.push(Check {
                name: format!("no other service principal holds the SPN {spn}"),
                status: CheckStatus::Fail,
                detail: format!(
                    "It is held by '{}' (appId {}): an SPN is unique in a tenant, so step 2 warns and does not add it. Find out why that principal has it before the change.",
                    other.display_name.as_deref().unwrap_or("?"),
                    other.app_id
                ),
                step: CLOUD_STEP,
            }),
            None => {
                if holder.is_none() {
                    change.notes.push(format!(
                        "The state does not say whether another principal holds {spn}; step 2 checks, and skips it with a warning if one does."
                    ));
                }
                added.push(spn.clone());
            }
        }
    }
    for name in &current {
        change.kept.push(Kept {
            what: format!("SPN {name}"),
            status: String::new(),
            expired: false,
        });
    }
    change.before = Some(attributes([("service_principal_names", list(&current))]));
    let mut after = current.clone();
    after.extend(added.iter().cloned());
    change.after = Some(attributes([("service_principal_names", list(&after))]));
    change.action = if added.is_empty() {
        Action::NoOp
    } else {
        Action::Update
    };
    change
}
