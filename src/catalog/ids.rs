//! Well-known identifiers of the cross-premises procedure: first-party AppIds, default object
//! identities and module names, the partner application's trust level, the SPN form.
//!
//! Sources are the Microsoft pages listed in `shared/domain/domain.md` (sections 2.1 and 2.4).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// AppId of the Office 365 Exchange Online first-party application (the partner application that
/// the on-premises deployment trusts, and one of the two service principals that get the
/// certificate).
pub const EXCHANGE_ONLINE_APP_ID: &str = "00000002-0000-0ff1-ce00-000000000000";

/// AppId of Skype for Business Online (historically "Lync Online"): the OAuth service name of the
/// on-premises deployment, the service principal that gets the certificate and the SPNs.
pub const SKYPE_ONLINE_APP_ID: &str = "00000004-0000-0ff1-ce00-000000000000";

/// AppId of SharePoint Online, listed so that validation can recognise it when pasted by mistake.
pub const SHAREPOINT_ONLINE_APP_ID: &str = "00000003-0000-0ff1-ce00-000000000000";

/// AppId of the Office 365 authorization server (ACS).
pub const ACS_APP_ID: &str = "00000001-0000-0000-c000-000000000000";

/// Well-known Microsoft application IDs: none of them is ever a tenant ID.
pub const WELL_KNOWN_APP_IDS: &[(&str, &str)] = &[
    (ACS_APP_ID, "the Office 365 authorization server (ACS)"),
    (EXCHANGE_ONLINE_APP_ID, "Exchange Online"),
    (SHAREPOINT_ONLINE_APP_ID, "SharePoint Online"),
    (SKYPE_ONLINE_APP_ID, "Skype for Business Online"),
    ("00000002-0000-0000-c000-000000000000", "Azure AD Graph"),
    ("00000003-0000-0000-c000-000000000000", "Microsoft Graph"),
];

/// Default identity of the on-premises OAuth server object (`New-CsOAuthServer`).
pub const DEFAULT_OAUTH_SERVER_IDENTITY: &str = "microsoft.sts";
/// Default identity of the on-premises partner application for Exchange Online.
pub const DEFAULT_PARTNER_APPLICATION_IDENTITY: &str = "microsoft.exchange";
/// Default MSOnline module (the only one published on the PowerShell Gallery).
pub const DEFAULT_MSONLINE_MODULE: &str = "MSOnline";
/// The Microsoft Graph PowerShell module the Graph scripts need: `Connect-MgGraph` and
/// `Invoke-MgGraphRequest` are all they call.
pub const DEFAULT_GRAPH_MODULES: &[&str] = &["Microsoft.Graph.Authentication"];

/// The trust level of the Exchange Online partner application (`-ApplicationTrustLevel`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TrustLevel {
    /// The application may act as itself and impersonate any user in the realm (what the
    /// procedure uses; Exchange needs it to act on users' behalf).
    #[default]
    Full,
    /// The application may act as itself; impersonating a user needs consent from a token server.
    Application,
    /// The application needs consent to represent a user and cannot act as itself.
    User,
}

impl TrustLevel {
    pub fn name(self) -> &'static str {
        match self {
            TrustLevel::Full => "Full",
            TrustLevel::Application => "Application",
            TrustLevel::User => "User",
        }
    }
}

/// The SPN registered on the Skype for Business Online service principal for one external web
/// services FQDN (domain.md 2.4).
pub fn lync_spn(fqdn: &str) -> String {
    format!("{SKYPE_ONLINE_APP_ID}/{fqdn}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spn_has_the_skype_app_id_and_the_fqdn() {
        assert_eq!(
            lync_spn("lyncweb.fabrikam.com"),
            "00000004-0000-0ff1-ce00-000000000000/lyncweb.fabrikam.com"
        );
    }
}
