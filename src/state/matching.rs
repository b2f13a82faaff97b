//! States matched against the config: a cloud state must be the config's tenant (and cloud), an
//! on-premises state the deployment whose pools the config names. A state that is not is an
//! error, never a silently wrong plan. What is merely worth knowing (a state exported some days
//! ago, by the bundle of another config) becomes a warning or an info of that file.

use std::path::Path;

use time::OffsetDateTime;

use super::{Part, StateError, StateFile};
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::model::Model;

/// A state older than this (before `--as-of`) is warned about: the deployment may have moved on.
pub const STALE_AFTER_DAYS: i64 = 7;

/// The states a plan may use: at most one of each part, each checked against the config.
#[derive(Debug, Clone, Default)]
pub struct Matched {
    pub on_premises: Option<StateFile>,
    pub cloud: Option<StateFile>,
}

impl Matched {
    /// The files, on-premises first.
    pub fn files(&self) -> impl Iterator<Item = &StateFile> {
        self.on_premises.iter().chain(self.cloud.iter())
    }

    /// The tenant ID: the config's, or the one the cloud state shows for the config's domain.
    pub fn tenant_id<'a>(&'a self, model: &'a Model) -> Option<&'a str> {
        model.tenant.id.as_deref().or_else(|| {
            self.cloud
                .as_ref()
                .and_then(|f| f.cloud())
                .map(|c| c.tenant.id.as_str())
        })
    }
}

/// Checks each state against the config of `model` (read from `config_path`) as of `as_of`.
pub fn match_states(
    files: Vec<StateFile>,
    model: &Model,
    config_path: &Path,
    as_of: OffsetDateTime,
) -> Result<Matched, StateError> {
    let mut matched = Matched::default();
    for mut file in files {
        check_common(&mut file, model, as_of);
        let slot = match file.part {
            Part::OnPremises => {
                check_deployment(&mut file, model, config_path)?;
                &mut matched.on_premises
            }
            Part::Cloud => {
                check_tenant(&file, model, config_path)?;
                &mut matched.cloud
            }
        };
        if let Some(first) = slot {
            return Err(StateError::SamePart {
                first: first.path.clone(),
                second: file.path,
                part: file.part.describe(),
            });
        }
        *slot = Some(file);
    }
    Ok(matched)
}

fn span_of(file: &StateFile, path: &str) -> Option<Span> {
    let located = crate::config::locate::json_locations(&file.text).ok()?;
    let mut wanted = path.to_owned();
    loop {
        if let Some(found) = located.iter().find(|l| l.path == wanted) {
            return Some(found.value);
        }
        let cut = wanted.rfind(['.', '['])?;
        wanted.truncate(cut);
    }
}

fn located(file: &StateFile, diagnostic: Diagnostic, path: &str) -> Diagnostic {
    let diagnostic = diagnostic.at_field(path);
    match span_of(file, path) {
        Some(span) => diagnostic.at_span(span),
        None => diagnostic,
    }
}

fn refuse(file: &StateFile, diagnostic: Diagnostic, path: &str) -> StateError {
    let diagnostic = located(file, diagnostic, path);
    let diagnostics = vec![diagnostic];
    StateError::Invalid {
        path: file.path.clone(),
        text: file.text.clone(),
        summary: super::summary(&file.path, &file.text, &diagnostics),
        diagnostics,
    }
}

fn check_common(file: &mut StateFile, model: &Model, as_of: OffsetDateTime) {
    if let Some(at) = file.exported_at {
        let age = (as_of - at).whole_days();
        if age > STALE_AFTER_DAYS {
            let d = Diagnostic::new(
                "state-stale",
                Severity::Warning,
                format!(
                    "this {} state was exported on {}, {age} days before {}: the deployment may have changed since.",
                    file.part.describe(),
                    crate::moment::utc_text(at),
                    crate::moment::utc_text(as_of)
                ),
                format!(
                    "export it again (Export-State.ps1 -Part {}) shortly before the change window, and plan with the new file.",
                    file.part.flag()
                ),
            );
            let d = located(file, d, "exported_at");
            file.warnings.push(d);
        }
    }
    if let Some(sha) = &file.exported_by_config_sha256
        && !sha.eq_ignore_ascii_case(&model.config_sha256)
    {
        let d = Diagnostic::new(
            "state-other-config",
            Severity::Info,
            format!(
                "this state was exported by the bundle of another config (SHA-256 {sha}); it still shows the deployment as it was, and the plan compares it with this config ({}).",
                model.config_sha256
            ),
            "",
        );
        let d = located(file, d, "exported_by.config_sha256");
        file.warnings.push(d);
    }
}

fn check_tenant(file: &StateFile, model: &Model, config_path: &Path) -> Result<(), StateError> {
    let Some(cloud) = file.cloud() else {
        return Ok(());
    };
    let config = config_path.display();
    match &model.tenant.id {
        Some(id) if !cloud.tenant.id.eq_ignore_ascii_case(id) => {
            return Err(refuse(
                file,
                Diagnostic::new(
                    "state-tenant",
                    Severity::Error,
                    format!(
                        "this cloud state is of the tenant {}{}, but {config} is for the tenant {id} ({}): it was exported from another tenant, and a plan from it would be wrong.",
                        cloud.tenant.id,
                        cloud
                            .tenant
                            .display_name
                            .as_deref()
                            .map(|n| format!(" ({n})"))
                            .unwrap_or_default(),
                        model.tenant.name
                    ),
                    format!(
                        "export the state of the tenant {id} with this bundle's Export-State.ps1 -Part Cloud (it signs in to that tenant and refuses another), or correct tenant.id in {config} if that is what is wrong."
                    ),
                ),
                &cloud.tenant_id_path,
            ));
        }
        Some(_) => {}
        None => {
            let name = &model.tenant.name;
            let mut names: Vec<&str> = cloud
                .tenant
                .display_name
                .iter()
                .map(String::as_str)
                .collect();
            names.extend(
                cloud
                    .tenant
                    .verified_domains
                    .iter()
                    .flatten()
                    .map(String::as_str),
            );
            // PowerShell's -eq, as the scripts compare: case-insensitive.
            if !names
                .iter()
                .any(|n| n.to_lowercase() == name.to_lowercase())
            {
                let shown = if names.is_empty() {
                    "no display name and no verified domain".to_owned()
                } else {
                    format!("the names {}", names.join(", "))
                };
                return Err(refuse(
                    file,
                    Diagnostic::new(
                        "state-tenant",
                        Severity::Error,
                        format!(
                            "this cloud state is of the tenant {}, which has {shown}, not \"{name}\" that {config} names (tenant.name): it was exported from another tenant, and a plan from it would be wrong.",
                            cloud.tenant.id
                        ),
                        format!(
                            "export the state of the tenant with the verified domain \"{name}\" (this bundle's Export-State.ps1 -Part Cloud refuses another), or correct tenant.name in {config}."
                        ),
                    ),
                    &cloud.tenant_id_path,
                ));
            }
        }
    }
    let wanted = match cloud.module.as_deref() {
        Some("graph") => Some(model.graph.environment),
        Some("msonline") => Some(model.cloud.msonline_environment.unwrap_or("")),
        _ => None,
    };
    if let Some(wanted) = wanted {
        let found = cloud.environment.as_deref().unwrap_or("");
        if !found.eq_ignore_ascii_case(wanted) {
            let environment_path = cloud.tenant_id_path.replace("tenant.id", "environment");
            return Err(refuse(
                file,
                Diagnostic::new(
                    "state-tenant",
                    Severity::Error,
                    format!(
                        "this cloud state was read from the environment \"{found}\", but {config} is for {} (\"{wanted}\" with {}): it is another cloud's tenant.",
                        model.cloud.description,
                        if cloud.module.as_deref() == Some("graph") {
                            "Microsoft Graph"
                        } else {
                            "MSOnline"
                        }
                    ),
                    format!(
                        "export the state with the Export-State.ps1 of this config's bundle, or correct cloud in {config}."
                    ),
                ),
                &environment_path,
            ));
        }
    }
    Ok(())
}

fn check_deployment(
    file: &mut StateFile,
    model: &Model,
    config_path: &Path,
) -> Result<(), StateError> {
    let Some(state) = file.on_premises() else {
        return Ok(());
    };
    let Some(services) = &state.web_services else {
        return Ok(());
    };
    let external: Vec<String> = services
        .iter()
        .filter_map(|s| s.external_fqdn.as_deref())
        .map(str::to_ascii_lowercase)
        .collect();
    if external.is_empty() {
        return Ok(());
    }
    let wanted = &model.cloud_principals.web_services_fqdns;
    let missing: Vec<&String> = wanted
        .iter()
        .filter(|f| !external.contains(&f.to_ascii_lowercase()))
        .collect();
    let config = config_path.display();
    if missing.len() == wanted.len() {
        return Err(refuse(
            file,
            Diagnostic::new(
                "state-deployment",
                Severity::Error,
                format!(
                    "none of the config's web services FQDNs ({}) is the external web services FQDN of a pool in this on-premises state ({}): it is another deployment's state, or on_premises.web_services_fqdns in {config} is wrong.",
                    wanted.join(", "),
                    external.join(", ")
                ),
                format!(
                    "export the state on a Front End server of the deployment the config is for, or correct on_premises.web_services_fqdns in {config} (the pools' ExternalFqdn: Get-CsService -WebServer)."
                ),
            ),
            "on_premises.web_services",
        ));
    }
    let warnings: Vec<Diagnostic> = missing
        .iter()
        .map(|fqdn| {
            located(
                file,
                Diagnostic::new(
                    "state-deployment",
                    Severity::Warning,
                    format!(
                        "{fqdn} (on_premises.web_services_fqdns in {config}) is not the external web services FQDN of any pool in this state ({}): its SPN would name no pool of this deployment.",
                        external.join(", ")
                    ),
                    format!("check the pools' ExternalFqdn (Get-CsService -WebServer) and correct on_premises.web_services_fqdns in {config}."),
                ),
                "on_premises.web_services",
            )
        })
        .collect();
    file.warnings.extend(warnings);
    Ok(())
}
