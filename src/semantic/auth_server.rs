//! The authorization server in a script: the metadata URLs it gives `New-CsOAuthServer` and
//! `Set-CsOAuthServer`, their hosts, and the Microsoft clouds the script connects to.

use super::analysis::defined_commands;
use super::template::HOLE;
use crate::catalog;
use crate::powershell::ast::{Command, CommandElement, Expression};

use super::template::template;
use super::{Analysis, CommandUse};

/// A group of clouds sharing an authorization host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloudFamily {
    Worldwide,
    UsGovernment,
    China,
    Germany,
}

impl CloudFamily {
    pub fn description(self) -> &'static str {
        match self {
            CloudFamily::Worldwide => "Microsoft 365 worldwide",
            CloudFamily::UsGovernment => "the US Government clouds, GCC High and DoD",
            CloudFamily::China => "Office 365 operated by 21Vianet",
            CloudFamily::Germany => "Microsoft Cloud Deutschland",
        }
    }

    /// The ACS metadata host of the cloud, if it has a documented one.
    pub fn metadata_host(self) -> Option<&'static str> {
        let cloud = match self {
            CloudFamily::Worldwide => catalog::Cloud::Worldwide,
            CloudFamily::UsGovernment => catalog::Cloud::GccHigh,
            CloudFamily::China => catalog::Cloud::China,
            CloudFamily::Germany => return None,
        };
        cloud
            .metadata_url_prefix()
            .strip_prefix("https://")
            .map(|h| h.trim_end_matches('/'))
    }
}

/// The authorization hosts that serve the metadata document, with their cloud: the ones of
/// `catalog::Cloud::metadata_url_prefix`, and the Entra ID sign-in hosts of the same clouds
/// (which serve the same document; accepted, never suggested).
pub fn metadata_host_cloud(host: &str) -> Option<CloudFamily> {
    let host = host.to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    for family in [
        CloudFamily::Worldwide,
        CloudFamily::UsGovernment,
        CloudFamily::China,
    ] {
        if family.metadata_host() == Some(host) {
            return Some(family);
        }
    }
    match host {
        "login.microsoftonline.com" | "login.windows.net" => Some(CloudFamily::Worldwide),
        "login.chinacloudapi.cn" | "login.partner.microsoftonline.cn" => Some(CloudFamily::China),
        _ => None,
    }
}

/// The cloud a `Connect-MsolService -AzureEnvironment` or `Connect-MgGraph -Environment` value
/// names.
pub fn environment_cloud(value: &str) -> Option<CloudFamily> {
    match value.trim().to_ascii_lowercase().as_str() {
        "azurecloud" | "global" => Some(CloudFamily::Worldwide),
        "usgovernment" | "usgov" | "usgovdod" => Some(CloudFamily::UsGovernment),
        "azurechinacloud" | "china" => Some(CloudFamily::China),
        "azuregermanycloud" => Some(CloudFamily::Germany),
        _ => None,
    }
}

/// A `-MetadataUrl` of `New-CsOAuthServer`/`Set-CsOAuthServer` meant for the Office 365
/// authorization server (ACS): not one of another `-Type` (ADFS, AzureAD), not a federation
/// metadata document.
pub struct MetadataUrl<'e> {
    pub expr: &'e Expression,
    /// The URL as far as it is known, with [`HOLE`]s.
    pub flat: String,
    /// The server is `microsoft.sts`, the name Microsoft's procedure gives the Office 365
    /// authorization server.
    pub microsoft_sts: bool,
}

/// The ACS metadata URLs of the script's OAuth server commands.
pub fn metadata_urls<'s, 'a>(cx: &'s Analysis<'a>) -> Vec<MetadataUrl<'a>> {
    let uses: Vec<&CommandUse<'a>> = cx
        .commands
        .iter()
        .filter(|u| u.is("New-CsOAuthServer") || u.is("Set-CsOAuthServer"))
        .filter(|u| u.binding.cmdlet.is_some())
        .collect();
    if uses.is_empty() {
        return Vec::new();
    }
    let shadowed = defined_commands(cx);
    let mut out = Vec::new();
    for u in uses {
        if u.binding
            .cmdlet
            .is_some_and(|c| shadowed.contains(&c.name.to_ascii_lowercase()))
        {
            continue;
        }
        if let Some(kind) = u.binding.parameter("Type") {
            let acs = kind
                .value
                .and_then(|v| cx.values.string_value(v))
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("ACS"));
            if !acs {
                continue;
            }
        }
        let Some(expr) = u.binding.parameter("MetadataUrl").and_then(|p| p.value) else {
            continue;
        };
        let template = template(cx, expr);
        let flat = template.flat();
        let lower = flat.to_ascii_lowercase();
        let acs_like = lower.contains("accesscontrol")
            || lower.contains("metadata/json")
            || lower.contains("login.microsoftonline.us");
        if !template.any_known()
            || !acs_like
            || lower.contains("federationmetadata")
            || lower.contains(".well-known")
        {
            continue;
        }
        let microsoft_sts = u
            .binding
            .value("Identity")
            .and_then(|i| cx.values.string_value(i))
            .is_some_and(|i| i.trim().eq_ignore_ascii_case("microsoft.sts"));
        out.push(MetadataUrl {
            expr,
            flat,
            microsoft_sts,
        });
    }
    out
}

/// The host of a URL with holes, when it is known: between `://` and the next `/`, `?` or `#`.
pub fn url_host(flat: &str) -> Option<&str> {
    let (scheme, rest) = flat.split_once("://")?;
    if scheme.contains(HOLE) {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    (!host.contains(HOLE) && !host.is_empty()).then_some(host)
}

/// Where the value of a command's element is written, for a `-Name` given as text in the source.
pub fn element_before<'c>(command: &'c Command, value: &Expression) -> Option<&'c CommandElement> {
    let span = value.span();
    let at = command.elements.iter().position(|e| match e {
        CommandElement::Argument(a) => a.span() == span,
        _ => false,
    })?;
    at.checked_sub(1).map(|i| &command.elements[i])
}
