//! What the config file holds, as typed fields (`Config` and its sections): the input. The desired
//! state the templates print is `crate::model`, built from it once it is valid. Doc comments here
//! become the descriptions in the published JSON Schema, so
//! they are written for the admin who edits the file.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalog::{self, Cloud, CloudModule, TrustLevel};

/// xprem config: what to connect (one on-premises Lync Server 2013 / Skype for Business Server
/// deployment and one Office 365 tenant) and with which OAuth certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "xprem config")]
pub struct Config {
    /// The JSON Schema this file follows, for editors (for example "./xprem.schema.json"). xprem
    /// ignores it.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,

    /// The Office 365 tenant.
    pub tenant: Tenant,

    /// The Microsoft cloud of the tenant. Default: "worldwide".
    #[serde(default)]
    pub cloud: Cloud,

    /// The on-premises deployment.
    pub on_premises: OnPremises,

    /// The OAuth certificate whose public part is uploaded to Office 365.
    pub certificate: CertificateSource,

    /// When the credential uploaded to Office 365 is valid. Default: the certificate's own validity.
    #[serde(default)]
    pub credential: Credential,

    /// The PowerShell modules the cloud scripts (step 2 and the removal script) are written for:
    /// "graph" (Microsoft Graph PowerShell, the default) or "msonline" (the MSOnline module, as
    /// Microsoft's Lync 2013 page writes the procedure; retired by Microsoft on 30 May 2025).
    #[serde(default)]
    pub cloud_module: CloudModule,

    /// The Microsoft Graph PowerShell modules used by the cloud scripts when cloud_module is
    /// "graph".
    #[serde(default)]
    pub graph: Graph,

    /// The MSOnline PowerShell module used by the cloud scripts when cloud_module is "msonline".
    #[serde(default)]
    pub msonline: MsOnline,
}

/// The Microsoft Graph PowerShell modules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Graph {
    /// The modules to import, in order: names, or the absolute paths of their .psd1 on a machine
    /// without the PowerShell Gallery. Default: ["Microsoft.Graph.Authentication"], the module of
    /// Connect-MgGraph and Invoke-MgGraphRequest, which is all the scripts call.
    #[serde(default = "default_graph_modules")]
    #[schemars(length(min = 1), example = ["Microsoft.Graph.Authentication"])]
    pub modules: Vec<String>,
}

impl Default for Graph {
    fn default() -> Self {
        Graph {
            modules: default_graph_modules(),
        }
    }
}

fn default_graph_modules() -> Vec<String> {
    catalog::DEFAULT_GRAPH_MODULES
        .iter()
        .map(|m| (*m).to_owned())
        .collect()
}

/// The Office 365 tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    /// One of the tenant's verified domains, for example "fabrikam.com", or, when `id` is given,
    /// its display name. Used to find the tenant ID when `id` is not given, and to check that the
    /// cloud script is connected to the right tenant.
    #[schemars(length(min = 1, max = 256), example = "Fabrikam.com")]
    pub name: String,

    /// The tenant ID (a GUID; Entra admin center → Overview → Tenant ID). With it, nothing is
    /// looked up. Without it, `name` must be a verified domain of the tenant, and the on-premises
    /// script reads the tenant ID from that domain's public OpenID configuration document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        regex(
            pattern = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
        ),
        example = "6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1"
    )]
    pub id: Option<String>,
}

/// The on-premises Lync Server 2013 / Skype for Business Server deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OnPremises {
    /// The external web services FQDN of every pool (host names only: no scheme, no path, no
    /// port). Each one becomes the SPN "00000004-0000-0ff1-ce00-000000000000/<fqdn>" on the Skype
    /// for Business Online service principal.
    #[schemars(length(min = 1), example = ["lyncweb.fabrikam.com"])]
    pub web_services_fqdns: Vec<String>,

    /// Identity of the on-premises OAuth server object that trusts the Office 365 authorization
    /// server. Default: "microsoft.sts".
    #[serde(default = "default_oauth_server_identity")]
    #[schemars(example = "microsoft.sts")]
    pub oauth_server_identity: String,

    /// Identity of the on-premises partner application for Exchange Online. Default:
    /// "microsoft.exchange".
    #[serde(default = "default_exchange_partner_identity")]
    #[schemars(example = "microsoft.exchange")]
    pub exchange_partner_identity: String,

    /// Trust level of the Exchange Online partner application. Default: "Full", as the procedure
    /// requires.
    #[serde(default)]
    pub trust_level: TrustLevel,
}

/// Where the OAuth certificate is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateSource {
    /// Path of the certificate's public part: a .cer file, DER or Base64 (PEM). A relative path is
    /// relative to the config file. Never a .pfx or a private key.
    #[schemars(length(min = 1), example = "certs/oauth.cer")]
    pub path: String,
}

/// The validity window of the credential uploaded to the service principals. It must lie inside
/// the certificate's validity, or Office 365 issues no token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// Start, as a date ("2026-01-01", midnight UTC) or an RFC 3339 date and time
    /// ("2026-01-01T08:00:00Z"). Default: the certificate's NotBefore.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = "2026-01-01")]
    pub start: Option<String>,

    /// End, in the same forms. Default: the certificate's NotAfter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = "2027-12-31T00:00:00Z")]
    pub end: Option<String>,
}

/// The MSOnline module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MsOnline {
    /// Name of the module to import, or the absolute path of its .psd1 (or .psm1, .dll) on a
    /// server without internet access. Default: "MSOnline". (Lync 2013's page used
    /// "MSOnlineExtended".)
    #[serde(default = "default_msonline_module")]
    #[schemars(example = &"MSOnline")]
    pub module: String,
}

impl Default for MsOnline {
    fn default() -> Self {
        MsOnline {
            module: default_msonline_module(),
        }
    }
}

fn default_oauth_server_identity() -> String {
    catalog::DEFAULT_OAUTH_SERVER_IDENTITY.to_owned()
}

fn default_exchange_partner_identity() -> String {
    catalog::DEFAULT_PARTNER_APPLICATION_IDENTITY.to_owned()
}

fn default_msonline_module() -> String {
    catalog::DEFAULT_MSONLINE_MODULE.to_owned()
}
