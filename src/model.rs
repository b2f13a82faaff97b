//! The model: the desired state that a valid config describes, resolved and ready for the
//! templates. Every value here is either validated text, a well-known constant or a number; the
//! templates turn each one into a PowerShell literal.

use serde::Serialize;
use time::OffsetDateTime;

use crate::catalog::{self, Cloud};
use crate::config::Valid;
use crate::moment::utc_text;

#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub xprem_version: &'static str,
    /// SHA-256 of the config file's bytes, lowercase hex.
    pub config_sha256: String,
    pub tenant: TenantModel,
    pub cloud: CloudModel,
    pub on_premises: OnPremisesModel,
    pub cloud_principals: PrincipalsModel,
    pub certificate: CertificateModel,
    pub credential: CredentialModel,
    /// "graph" or "msonline": which form of the cloud scripts the bundle holds.
    pub cloud_module: &'static str,
    #[serde(skip)]
    pub cloud_module_kind: crate::catalog::CloudModule,
    pub cloud_module_description: &'static str,
    pub graph: GraphModel,
    pub msonline_module: String,
    /// The scripts of the bundle, for the documents that list them.
    pub scripts: Vec<crate::bundle::Script>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphModel {
    /// The modules the Graph scripts import, in order (names or absolute paths).
    pub modules: Vec<String>,
    /// `Connect-MgGraph -Environment`.
    pub environment: &'static str,
    /// The delegated permissions the scripts ask for: the least that the steps need.
    pub scopes: Vec<&'static str>,
    /// The delegated permissions of `Export-State.ps1 -Part Cloud`: read-only.
    pub read_scopes: Vec<&'static str>,
    /// The key credential step 2 adds, as the JSON object the Graph API takes: built here, where
    /// it is tested, and written into the script as one literal.
    pub new_key_credential_json: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TenantModel {
    pub name: String,
    /// The GUID in lower case, or `None` when the on-premises script looks it up.
    pub id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CloudModel {
    pub name: &'static str,
    pub description: &'static str,
    pub metadata_url_prefix: &'static str,
    /// The full metadata URL when the tenant ID is known.
    pub metadata_url: Option<String>,
    /// The metadata URL for documents: the URL, or its form with `<tenant ID>` in it.
    pub metadata_url_text: String,
    pub msonline_environment: Option<&'static str>,
    pub openid_url_prefix: &'static str,
    pub openid_instance_names: &'static [&'static str],
}

#[derive(Debug, Clone, Serialize)]
pub struct OnPremisesModel {
    pub oauth_server_identity: String,
    pub exchange_partner_identity: String,
    pub trust_level: &'static str,
    /// The OAuth service name of the deployment: the Skype for Business Online AppId.
    pub service_name: &'static str,
    pub exchange_app_id: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrincipalsModel {
    pub skype_app_id: &'static str,
    pub exchange_app_id: &'static str,
    /// The external web services FQDNs as written in the config, in config order.
    pub web_services_fqdns: Vec<String>,
    /// One SPN per FQDN, in the same order.
    pub spns: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CertificateModel {
    /// The Base64 `-Value`, cut into lines of 64 characters for a readable script.
    pub base64_lines: Vec<String>,
    pub sha1_thumbprint: String,
    pub sha256: String,
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: Moment,
    pub not_after: Moment,
}

#[derive(Debug, Clone, Serialize)]
pub struct CredentialModel {
    pub start: Moment,
    pub end: Moment,
    /// True when the window is the certificate's own validity.
    pub is_certificate_validity: bool,
}

/// A UTC moment, in parts (for `New-Object DateTime(y, m, d, h, mi, s, Utc)`, which no culture can
/// misread) and as text for people.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Moment {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// `2026-01-01 00:00:00 UTC`
    pub text: String,
    /// `2026-01-01T00:00:00Z`
    pub iso: String,
}

impl Moment {
    pub fn new(at: OffsetDateTime) -> Moment {
        let at = at.to_offset(time::UtcOffset::UTC);
        let iso = at
            .format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
            .unwrap_or_else(|_| at.to_string());
        Moment {
            year: at.year(),
            month: at.month().into(),
            day: at.day(),
            hour: at.hour(),
            minute: at.minute(),
            second: at.second(),
            text: utc_text(at),
            iso,
        }
    }
}

/// The delegated permissions of the Graph scripts: Application.ReadWrite.All to change the key
/// credentials, SPNs and enabled flag of the two service principals; Organization.Read.All only
/// when the tenant must be recognised by its verified domains (with a tenant ID, the signed-in
/// context's tenant ID is enough).
fn graph_scopes(tenant_id_known: bool) -> Vec<&'static str> {
    let mut scopes = vec!["Application.ReadWrite.All"];
    if !tenant_id_known {
        scopes.push("Organization.Read.All");
    }
    scopes
}

/// The delegated permissions of the state export: Application.Read.All to read the two service
/// principals (key credentials, SPNs, enabled flag) and find who holds an SPN; User.Read, the
/// least Graph asks for to read the tenant's display name and verified domains (`/organization`).
pub const GRAPH_READ_SCOPES: &[&str] = &["Application.Read.All", "User.Read"];

/// The key credential for the Graph API (`keyCredential` resource): `key` is the standard Base64
/// of the certificate's DER bytes (the API's Edm.Binary), `customKeyIdentifier` the Base64 of the
/// SHA-1 thumbprint's bytes (what Entra shows as the thumbprint, and how the scripts recognise the
/// key later), the dates in UTC.
pub fn new_key_credential_json(
    base64_der: &str,
    sha1_thumbprint_hex: &str,
    start: OffsetDateTime,
    end: OffsetDateTime,
) -> String {
    use base64::Engine as _;
    let thumbprint = hex::decode(sha1_thumbprint_hex).unwrap_or_default();
    let value = serde_json::json!({
        "type": "AsymmetricX509Cert",
        "usage": "Verify",
        "key": base64_der,
        "customKeyIdentifier": base64::engine::general_purpose::STANDARD.encode(thumbprint),
        "displayName": "Lync Server / Skype for Business Server OAuth (xprem)",
        "startDateTime": Moment::new(start).iso,
        "endDateTime": Moment::new(end).iso,
    });
    value.to_string()
}

impl Model {
    pub fn new(valid: &Valid) -> Model {
        let config = &valid.config;
        let certificate = &valid.certificate;
        let cloud: Cloud = config.cloud;
        // GUIDs compare case-insensitively, but the scripts compare strings: write the form Office 365
        // returns (lower case).
        let tenant_id = config.tenant.id.as_ref().map(|id| id.to_ascii_lowercase());
        let fqdns = config.on_premises.web_services_fqdns.clone();
        let base64 = certificate.base64();
        let (start, end) = valid.credential;
        let tenant_known = config.tenant.id.is_some();
        Model {
            xprem_version: env!("CARGO_PKG_VERSION"),
            config_sha256: valid.source.sha256.clone(),
            cloud: CloudModel {
                name: cloud.name(),
                description: cloud.description(),
                metadata_url_prefix: cloud.metadata_url_prefix(),
                metadata_url: tenant_id
                    .as_ref()
                    .map(|id| format!("{}{id}/metadata/json/1", cloud.metadata_url_prefix())),
                metadata_url_text: format!(
                    "{}{}/metadata/json/1",
                    cloud.metadata_url_prefix(),
                    tenant_id.as_deref().unwrap_or("<tenant ID>")
                ),
                msonline_environment: cloud.msonline_environment(),
                openid_url_prefix: cloud.openid_url_prefix(),
                openid_instance_names: cloud.openid_instance_names(),
            },
            tenant: TenantModel {
                name: config.tenant.name.clone(),
                id: tenant_id,
            },
            on_premises: OnPremisesModel {
                oauth_server_identity: config.on_premises.oauth_server_identity.clone(),
                exchange_partner_identity: config.on_premises.exchange_partner_identity.clone(),
                trust_level: config.on_premises.trust_level.name(),
                service_name: catalog::SKYPE_ONLINE_APP_ID,
                exchange_app_id: catalog::EXCHANGE_ONLINE_APP_ID,
            },
            cloud_principals: PrincipalsModel {
                skype_app_id: catalog::SKYPE_ONLINE_APP_ID,
                exchange_app_id: catalog::EXCHANGE_ONLINE_APP_ID,
                spns: fqdns.iter().map(|f| catalog::lync_spn(f)).collect(),
                web_services_fqdns: fqdns,
            },
            certificate: CertificateModel {
                base64_lines: base64
                    .as_bytes()
                    .chunks(64)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect(),
                sha1_thumbprint: certificate.sha1_thumbprint.clone(),
                sha256: certificate.sha256.clone(),
                subject: certificate.subject.clone(),
                issuer: certificate.issuer.clone(),
                serial: certificate.serial.clone(),
                not_before: Moment::new(certificate.not_before),
                not_after: Moment::new(certificate.not_after),
            },
            credential: CredentialModel {
                start: Moment::new(start),
                end: Moment::new(end),
                is_certificate_validity: start == certificate.not_before
                    && end == certificate.not_after,
            },
            cloud_module: config.cloud_module.name(),
            cloud_module_kind: config.cloud_module,
            cloud_module_description: config.cloud_module.description(),
            graph: GraphModel {
                modules: config.graph.modules.clone(),
                environment: cloud.graph_environment(),
                scopes: graph_scopes(tenant_known),
                read_scopes: GRAPH_READ_SCOPES.to_vec(),
                new_key_credential_json: new_key_credential_json(
                    &base64,
                    &certificate.sha1_thumbprint,
                    start,
                    end,
                ),
            },
            msonline_module: config.msonline.module.clone(),
            scripts: crate::bundle::scripts(config.cloud_module).to_vec(),
        }
    }
}
