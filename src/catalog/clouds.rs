//! The Microsoft clouds a tenant can live in and the PowerShell module family of the cloud step,
//! with their per-cloud endpoints.
//!
//! Sources are the Microsoft pages listed in `shared/domain/domain.md` (sections 2.2 and 2.3);
//! where a value is an inference (the sovereign-cloud metadata hosts for Lync/SfB), the comment
//! says so.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_worldwide_leaves_the_environment_out() {
        assert_eq!(Cloud::Worldwide.msonline_environment(), None);
        assert_eq!(Cloud::GccHigh.msonline_environment(), Some("USGovernment"));
        assert_eq!(Cloud::China.msonline_environment(), Some("AzureChinaCloud"));
    }
}
