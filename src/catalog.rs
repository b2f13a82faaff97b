//! Well-known identifiers and per-cloud endpoints of the cross-premises procedure.
//!
//! Sources are the Microsoft pages listed in `shared/domain/domain.md` (sections 2.1–2.4); where a
//! value is an inference (the sovereign-cloud metadata hosts for Lync/SfB), the comment says so.

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

/// The PowerShell module family the cloud step is written for.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum CloudModule {
    /// Microsoft Graph PowerShell (Connect-MgGraph), on Windows PowerShell 5.1 or PowerShell 7.
    #[default]
    Graph,
    /// The MSOnline module, as Microsoft's Lync 2013 page writes the procedure. Microsoft retired
    /// it on 30 May 2025.
    Msonline,
}

impl CloudModule {
    pub fn name(self) -> &'static str {
        match self {
            CloudModule::Graph => "graph",
            CloudModule::Msonline => "msonline",
        }
    }

    /// For people: what the cloud scripts need.
    pub fn description(self) -> &'static str {
        match self {
            CloudModule::Graph => {
                "Microsoft Graph PowerShell (Windows PowerShell 5.1 or PowerShell 7)"
            }
            CloudModule::Msonline => {
                "the MSOnline module (Windows PowerShell; retired by Microsoft on 30 May 2025)"
            }
        }
    }
}

/// The Microsoft cloud the tenant lives in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Cloud {
    /// Microsoft 365 worldwide (commercial, GCC).
    #[default]
    Worldwide,
    /// Microsoft 365 US Government GCC High.
    GccHigh,
    /// Microsoft 365 US Government DoD.
    Dod,
    /// Office 365 operated by 21Vianet (China).
    China,
}

impl Cloud {
    /// The name used in the config file.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Worldwide => "worldwide",
            Cloud::GccHigh => "gcc-high",
            Cloud::Dod => "dod",
            Cloud::China => "china",
        }
    }

    /// The start of the authorization server's metadata URL; the tenant ID and
    /// `/metadata/json/1` follow.
    ///
    /// Worldwide is what the Lync 2013 and SfB pages use. The sovereign hosts are the ones the
    /// Exchange hybrid pages document for the same ACS metadata document; no Lync/SfB page names
    /// them (domain.md 2.3), so the README says so.
    pub fn metadata_url_prefix(self) -> &'static str {
        match self {
            Cloud::Worldwide => "https://accounts.accesscontrol.windows.net/",
            Cloud::GccHigh | Cloud::Dod => "https://login.microsoftonline.us/",
            Cloud::China => "https://accounts.accesscontrol.chinacloudapi.cn/",
        }
    }

    /// The start of the URL of a tenant's public OpenID configuration document; a verified domain
    /// and `/.well-known/openid-configuration` follow. Its `issuer` holds the tenant ID, so step 1
    /// can find the ID without a module or a sign-in.
    pub fn openid_url_prefix(self) -> &'static str {
        match self {
            Cloud::Worldwide => "https://login.microsoftonline.com/",
            Cloud::GccHigh | Cloud::Dod => "https://login.microsoftonline.us/",
            Cloud::China => "https://login.chinacloudapi.cn/",
        }
    }

    /// The `cloud_instance_name` values that tenant's OpenID configuration document may give for
    /// this cloud: a different one means the tenant lives in another cloud than the config says.
    pub fn openid_instance_names(self) -> &'static [&'static str] {
        match self {
            Cloud::Worldwide => &["microsoftonline.com"],
            Cloud::GccHigh | Cloud::Dod => &["microsoftonline.us"],
            Cloud::China => &["partner.microsoftonline.cn", "chinacloudapi.cn"],
        }
    }

    /// The value of `Connect-MsolService -AzureEnvironment`, or `None` for the worldwide cloud,
    /// where the parameter is left out so that MSOnline versions older than the parameter work.
    pub fn msonline_environment(self) -> Option<&'static str> {
        match self {
            Cloud::Worldwide => None,
            Cloud::GccHigh | Cloud::Dod => Some("USGovernment"),
            Cloud::China => Some("AzureChinaCloud"),
        }
    }

    /// The `Connect-MgGraph -Environment` name of the cloud (`Get-MgEnvironment` lists them).
    pub fn graph_environment(self) -> &'static str {
        match self {
            Cloud::Worldwide => "Global",
            Cloud::GccHigh => "USGov",
            Cloud::Dod => "USGovDoD",
            Cloud::China => "China",
        }
    }

    /// Human description for documents.
    pub fn description(self) -> &'static str {
        match self {
            Cloud::Worldwide => "Microsoft 365 worldwide",
            Cloud::GccHigh => "Microsoft 365 US Government GCC High",
            Cloud::Dod => "Microsoft 365 US Government DoD",
            Cloud::China => "Office 365 operated by 21Vianet",
        }
    }
}

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

    #[test]
    fn only_worldwide_leaves_the_environment_out() {
        assert_eq!(Cloud::Worldwide.msonline_environment(), None);
        assert_eq!(Cloud::GccHigh.msonline_environment(), Some("USGovernment"));
        assert_eq!(Cloud::China.msonline_environment(), Some("AzureChinaCloud"));
    }
}
