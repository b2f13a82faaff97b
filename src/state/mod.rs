//! Exported states: the JSON files `Export-State.ps1` writes (format `xprem-state`, version 1),
//! read tolerantly (see `tolerant`), then matched against the config (see `matching`) before a
//! plan may use them. `None` in these types always means *unknown*: not exported, not readable,
//! or cut off by `ConvertTo-Json`'s depth. It never means "absent", which is an empty list.
//!
//! The format (also in the README):
//!
//! ```text
//! { "format": "xprem-state", "format_version": 1, "part": "on_premises" | "cloud",
//!   "exported_at": "2026-11-25T09:12:03Z", "computer": "FE01",
//!   "exported_by": { "script": "Export-State.ps1", "xprem_version": "0.1.0", "config_sha256": "..." },
//!   "powershell_version": "5.1.17763.1", "problems": ["Get-CsPool failed: ..."],
//!   "on_premises": { "module": {name, version}, "oauth_servers": [...], "partner_applications": [...],
//!                    "oauth_configuration": {...}, "token_issuer_certificates": [...],
//!                    "web_services": [...], "pools": [...] }
//!   "cloud": { "module": "graph" | "msonline", "environment", "tenant": {id, display_name, verified_domains},
//!              "service_principals": [{app_id, exists, object_id, display_name, account_enabled,
//!                                      service_principal_names, key_credentials: [{key_id, type, usage,
//!                                      display_name, start, end, thumbprint, thumbprint_from}]}],
//!              "spn_holders": [{spn, held_by: [{app_id, display_name}]}] } }
//! ```

mod dates;
mod error;
pub mod matching;
mod tolerant;

use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::config::path::FieldPath;
use crate::diagnostic::{Diagnostic, Severity, Span};

pub use error::StateError;
pub use matching::{Matched, match_states};
use tolerant::Reader;

/// The `format` of a state file.
pub const FORMAT: &str = "xprem-state";
/// The only `format_version` this xprem reads.
pub const FORMAT_VERSION: u64 = 1;
/// States are small; a bigger file is the wrong file.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// Which part of the deployment a state describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    OnPremises,
    Cloud,
}

impl Part {
    /// As the file writes it.
    pub fn name(self) -> &'static str {
        match self {
            Part::OnPremises => "on_premises",
            Part::Cloud => "cloud",
        }
    }

    /// For people: "on-premises", "cloud".
    pub fn describe(self) -> &'static str {
        match self {
            Part::OnPremises => "on-premises",
            Part::Cloud => "cloud",
        }
    }

    /// The value of `Export-State.ps1 -Part` that writes it.
    pub fn flag(self) -> &'static str {
        match self {
            Part::OnPremises => "OnPremises",
            Part::Cloud => "Cloud",
        }
    }
}

/// One state file, read.
#[derive(Debug, Clone)]
pub struct StateFile {
    pub path: PathBuf,
    /// The decoded text (diagnostics' spans index into it).
    pub text: String,
    pub part: Part,
    pub exported_at: Option<OffsetDateTime>,
    pub computer: Option<String>,
    pub exported_by_xprem: Option<String>,
    pub exported_by_config_sha256: Option<String>,
    /// What `Export-State.ps1` could not read, in its words.
    pub problems: Vec<String>,
    pub content: Content,
    /// Warnings found while reading (truncated values, dates without a zone, ...).
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub enum Content {
    OnPremises(OnPremisesState),
    Cloud(CloudState),
}

#[derive(Debug, Clone, Default)]
pub struct OnPremisesState {
    /// "Lync" or "SkypeForBusiness", and its version.
    pub module: Option<(String, Option<String>)>,
    pub oauth_servers: Option<Vec<OAuthServer>>,
    pub partner_applications: Option<Vec<PartnerApplication>>,
    pub oauth_configuration: Option<OAuthConfiguration>,
    pub token_issuer_certificates: Option<Vec<TokenIssuerCertificate>>,
    pub web_services: Option<Vec<WebService>>,
    pub pools: Option<Vec<Pool>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthServer {
    pub identity: String,
    pub metadata_url: Option<String>,
    pub issuer_identifier: Option<String>,
    pub realm: Option<String>,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerApplication {
    pub identity: String,
    pub application_identifier: Option<String>,
    pub application_trust_level: Option<String>,
    pub auth_token: Option<String>,
    pub metadata_url: Option<String>,
    pub realm: Option<String>,
    pub enabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthConfiguration {
    pub service_name: Option<String>,
    pub realm: Option<String>,
    pub client_authorization_oauth_server_identity: Option<String>,
    pub exchange_autodiscover_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenIssuerCertificate {
    pub thumbprint: Option<String>,
    pub subject: Option<String>,
    pub issuer: Option<String>,
    pub serial_number: Option<String>,
    pub not_before: Option<OffsetDateTime>,
    pub not_after: Option<OffsetDateTime>,
    pub effective_date: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebService {
    pub pool_fqdn: Option<String>,
    pub internal_fqdn: Option<String>,
    pub external_fqdn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool {
    pub fqdn: String,
    pub site: Option<String>,
    pub computers: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct CloudState {
    /// "graph" or "msonline": how it was read.
    pub module: Option<String>,
    pub environment: Option<String>,
    pub tenant: Tenant,
    pub service_principals: Option<Vec<ServicePrincipal>>,
    pub spn_holders: Option<Vec<SpnHolder>>,
    /// Where `cloud.tenant.id` is in the text, for the error when it is another tenant's.
    pub tenant_id_path: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    /// Lower case.
    pub id: String,
    pub display_name: Option<String>,
    pub verified_domains: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePrincipal {
    /// Lower case.
    pub app_id: String,
    /// Whether the tenant has it (`None`: it could not be read).
    pub exists: Option<bool>,
    pub object_id: Option<String>,
    pub display_name: Option<String>,
    pub account_enabled: Option<bool>,
    pub service_principal_names: Option<Vec<String>>,
    pub key_credentials: Option<Vec<KeyCredential>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCredential {
    pub key_id: Option<String>,
    /// `AsymmetricX509Cert` (Graph) or `Asymmetric` (MSOnline), `Symmetric`, `Password`...
    pub kind: Option<String>,
    pub usage: Option<String>,
    pub display_name: Option<String>,
    pub start: Option<OffsetDateTime>,
    pub end: Option<OffsetDateTime>,
    /// The SHA-1 thumbprint of the key's certificate, upper case; `None` when the export could
    /// not tell (no key value and no customKeyIdentifier).
    pub thumbprint: Option<String>,
    /// Where the export took the thumbprint from: `key` (the key value, proven) or
    /// `custom_key_identifier` (what the key's writer says it is).
    pub thumbprint_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpnHolder {
    pub spn: String,
    /// `None`: could not be looked up.
    pub held_by: Option<Vec<Holder>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub app_id: String,
    pub display_name: Option<String>,
}

impl StateFile {
    pub fn on_premises(&self) -> Option<&OnPremisesState> {
        match &self.content {
            Content::OnPremises(state) => Some(state),
            Content::Cloud(_) => None,
        }
    }

    pub fn cloud(&self) -> Option<&CloudState> {
        match &self.content {
            Content::Cloud(state) => Some(state),
            Content::OnPremises(_) => None,
        }
    }
}

/// Reads one state file. Errors are refusals with their place and fix; warnings travel in
/// [`StateFile::warnings`].
pub fn read(path: &Path) -> Result<StateFile, StateError> {
    let read_error = |source| StateError::Read {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        return Err(StateError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() > MAX_FILE_BYTES {
        let bytes = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(StateError::TooLarge {
            path: path.to_path_buf(),
            bytes,
        });
    }
    // Out-File in Windows PowerShell 5.1 writes UTF-16 LE with a BOM; Set-Content the ANSI code
    // page; Export-State.ps1 UTF-8. The script decoder knows them all.
    let text = crate::powershell::decode(&bytes).text;
    from_text(path, text)
}

/// Reads a state from its text.
pub fn from_text(path: &Path, text: String) -> Result<StateFile, StateError> {
    let invalid = |text: String, diagnostics: Vec<Diagnostic>| {
        let summary = summary(path, &text, &diagnostics);
        StateError::Invalid {
            path: path.to_path_buf(),
            text,
            diagnostics,
            summary,
        }
    };
    if text.trim().is_empty() {
        let d = Diagnostic::new(
            "state-syntax",
            Severity::Error,
            "the state file is empty: the export did not finish, or the file was not copied whole.",
            "run Export-State.ps1 -Part OnPremises (on a Front End server) or -Part Cloud again, and give xprem the file it writes.",
        );
        return Err(invalid(text, vec![d]));
    }
    let value: Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(err) => {
            let offset = crate::config::source::offset_of(&text, err.line(), err.column());
            let cut = err.classify() == serde_json::error::Category::Eof;
            let message = if cut {
                "the state file ends in the middle of its JSON: it is truncated (the export was interrupted, or the file was not copied whole).".to_owned()
            } else {
                let reason = err.to_string();
                let reason = reason
                    .split(" at line ")
                    .next()
                    .unwrap_or(&reason)
                    .to_owned();
                format!(
                    "the state file is not JSON: {reason}. Is it the file Export-State.ps1 wrote?"
                )
            };
            let end = text[offset..]
                .chars()
                .next()
                .map_or(offset, |c| offset + c.len_utf8());
            let d = Diagnostic::new(
                "state-syntax",
                Severity::Error,
                message,
                "export it again with this bundle's Export-State.ps1 (-Part OnPremises on a Front End server, -Part Cloud where step 2 runs) and give xprem that file unchanged.",
            )
            .at_span(Span::new(offset, end));
            return Err(invalid(text, vec![d]));
        }
    };
    let located = match crate::config::locate::json_locations(&text) {
        Ok(located) => located,
        Err(duplicate) => {
            let (line, column) = crate::config::source::line_col(&text, duplicate.first);
            let d = Diagnostic::new(
                "state-duplicate-key",
                Severity::Error,
                format!(
                    "{} is given twice, here and at {line}:{column}; xprem cannot tell which one is the state.",
                    duplicate.path
                ),
                "export the state again with Export-State.ps1 rather than editing the file.",
            )
            .at_field(duplicate.path.clone())
            .at_span(Span::new(duplicate.second, duplicate.second + 1));
            return Err(invalid(text, vec![d]));
        }
    };
    let mut reader = Reader::new(located);
    let parsed = parse(&value, &mut reader);
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = reader
        .diagnostics
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    match parsed {
        Some(mut state) if errors.is_empty() => {
            state.path = path.to_path_buf();
            state.warnings = warnings;
            state.text = text;
            for problem in &state.problems {
                state.warnings.push(Diagnostic::new(
                    "state-not-read",
                    Severity::Warning,
                    format!("Export-State.ps1 recorded that it could not read something: {problem}. What depends on it is unknown in the plan."),
                    format!("fix the cause (permissions, connectivity) and run Export-State.ps1 -Part {} again.", state.part.flag()),
                ).at_field("problems"));
            }
            Ok(state)
        }
        _ => {
            let mut diagnostics = errors;
            if diagnostics.is_empty() {
                diagnostics.push(Diagnostic::new(
                    "state-field",
                    Severity::Error,
                    "the state could not be read.",
                    "export it again with Export-State.ps1.",
                ));
            }
            diagnostics.extend(warnings);
            Err(invalid(text, diagnostics))
        }
    }
}

/// The first error in one line: `file:line:column: field: message Fix: help`.
pub(crate) fn summary(path: &Path, text: &str, diagnostics: &[Diagnostic]) -> String {
    let Some(first) = diagnostics.iter().find(|d| d.severity == Severity::Error) else {
        return format!("{}: the state cannot be used.", path.display());
    };
    let place = first
        .location
        .span
        .map(|span| format!(":{}", crate::config::source::position(text, span.start)))
        .unwrap_or_default();
    let field = first
        .location
        .field
        .as_deref()
        .map(|f| format!("{f}: "))
        .unwrap_or_default();
    let more = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
        - 1;
    let more = if more > 0 {
        format!(
            " ({more} more error{} above.)",
            if more == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    format!(
        "{}{place}: {field}{} Fix: {}{more}",
        path.display(),
        first.message,
        first.help
    )
}

fn parse(value: &Value, reader: &mut Reader) -> Option<StateFile> {
    let root = FieldPath::root();
    let Value::Object(map) = value else {
        reader.report(
            "state-not-a-state",
            Severity::Error,
            &root,
            "this JSON is not an xprem state: a state is an object with \"format\": \"xprem-state\".".to_owned(),
            "give xprem the file that Export-State.ps1 (in the bundle) writes.".to_owned(),
        );
        return None;
    };
    let format = map.get("format").and_then(Value::as_str);
    if format != Some(FORMAT) {
        let found = match map.get("format") {
            Some(v) => format!("its \"format\" is {v}"),
            None => "it has no \"format\" field".to_owned(),
        };
        let hint = if map.contains_key("tenant") && map.contains_key("certificate") {
            " It looks like an xprem config: give the config as the first argument and the state files after --state."
        } else {
            ""
        };
        reader.report(
            "state-not-a-state",
            Severity::Error,
            &root.field("format"),
            format!("this JSON is not an xprem state: {found}, where a state says \"format\": \"{FORMAT}\".{hint}"),
            "give xprem the file that Export-State.ps1 (in the bundle) writes.".to_owned(),
        );
        return None;
    }
    let version_path = root.field("format_version");
    match map.get("format_version").and_then(Value::as_u64) {
        Some(FORMAT_VERSION) => {}
        other => {
            let found = match (other, map.get("format_version")) {
                (Some(v), _) => format!("format_version {v}"),
                (None, Some(v)) => format!("format_version {v}"),
                (None, None) => "no format_version".to_owned(),
            };
            reader.report(
                "state-version",
                Severity::Error,
                &version_path,
                format!(
                    "this state has {found}; this xprem ({}) reads format_version {FORMAT_VERSION} only.",
                    env!("CARGO_PKG_VERSION")
                ),
                "export the state with the Export-State.ps1 of a bundle this xprem generated (xprem generate), or use the xprem version that wrote the bundle the state came from.".to_owned(),
            );
            return None;
        }
    }
    let part_path = root.field("part");
    let part = match map.get("part").and_then(Value::as_str) {
        Some("on_premises") => Part::OnPremises,
        Some("cloud") => Part::Cloud,
        other => {
            reader.report(
                "state-part",
                Severity::Error,
                &part_path,
                format!(
                    "\"part\" is {}, where a state says \"on_premises\" or \"cloud\".",
                    other.map_or_else(|| "missing".to_owned(), |p| format!("\"{p}\""))
                ),
                "export the state again with Export-State.ps1 -Part OnPremises or -Part Cloud."
                    .to_owned(),
            );
            return None;
        }
    };
    reader.part_flag = part.flag();
    let exported_at = reader.date(map.get("exported_at"), &root.field("exported_at"));
    let computer = reader.text(map.get("computer"), &root.field("computer"));
    let by_path = root.field("exported_by");
    let by = reader.object(map.get("exported_by"), &by_path);
    let exported_by_xprem =
        by.and_then(|by| reader.text(by.get("xprem_version"), &by_path.field("xprem_version")));
    let exported_by_config_sha256 =
        by.and_then(|by| reader.text(by.get("config_sha256"), &by_path.field("config_sha256")));
    let problems = reader
        .strings_keeping_spaces(map.get("problems"), &root.field("problems"))
        .unwrap_or_default();
    let content_path = root.field(part.name());
    let Some(content) = reader.object(map.get(part.name()), &content_path) else {
        reader.report(
            "state-field",
            Severity::Error,
            &content_path,
            format!(
                "this {} state has no \"{}\" object, so it says nothing about the deployment.",
                part.describe(),
                part.name()
            ),
            format!(
                "export it again with Export-State.ps1 -Part {}.",
                part.flag()
            ),
        );
        return None;
    };
    let content = match part {
        Part::OnPremises => Content::OnPremises(on_premises(content, &content_path, reader)),
        Part::Cloud => Content::Cloud(cloud(content, &content_path, reader)?),
    };
    Some(StateFile {
        path: PathBuf::new(),
        text: String::new(),
        part,
        exported_at,
        computer,
        exported_by_xprem,
        exported_by_config_sha256,
        problems,
        content,
        warnings: Vec::new(),
    })
}

fn on_premises(map: &Map<String, Value>, path: &FieldPath, r: &mut Reader) -> OnPremisesState {
    let module_path = path.field("module");
    let module = r.object(map.get("module"), &module_path).and_then(|m| {
        let name = r.text(m.get("name"), &module_path.field("name"))?;
        Some((
            name,
            r.text(m.get("version"), &module_path.field("version")),
        ))
    });
    let list = |r: &mut Reader, name: &str| -> Option<Vec<(FieldPath, Map<String, Value>)>> {
        r.objects(map.get(name), &path.field(name))
            .map(|items| items.into_iter().map(|(p, m)| (p, m.clone())).collect())
    };
    let oauth_servers = list(r, "oauth_servers").map(|items| {
        items
            .iter()
            .filter_map(|(p, m)| {
                Some(OAuthServer {
                    identity: r.required_text(m.get("identity"), &p.field("identity"))?,
                    metadata_url: r.text(m.get("metadata_url"), &p.field("metadata_url")),
                    issuer_identifier: r
                        .text(m.get("issuer_identifier"), &p.field("issuer_identifier")),
                    realm: r.text(m.get("realm"), &p.field("realm")),
                    kind: r.text(m.get("type"), &p.field("type")),
                })
            })
            .collect()
    });
    let partner_applications = list(r, "partner_applications").map(|items| {
        items
            .iter()
            .filter_map(|(p, m)| {
                Some(PartnerApplication {
                    identity: r.required_text(m.get("identity"), &p.field("identity"))?,
                    application_identifier: r.text(
                        m.get("application_identifier"),
                        &p.field("application_identifier"),
                    ),
                    application_trust_level: r.text(
                        m.get("application_trust_level"),
                        &p.field("application_trust_level"),
                    ),
                    auth_token: r.text(m.get("auth_token"), &p.field("auth_token")),
                    metadata_url: r.text(m.get("metadata_url"), &p.field("metadata_url")),
                    realm: r.text(m.get("realm"), &p.field("realm")),
                    enabled: r.boolean(m.get("enabled"), &p.field("enabled")),
                })
            })
            .collect()
    });
    let configuration_path = path.field("oauth_configuration");
    let oauth_configuration = r
        .object(map.get("oauth_configuration"), &configuration_path)
        .map(|m| {
            let p = &configuration_path;
            OAuthConfiguration {
                service_name: r.text(m.get("service_name"), &p.field("service_name")),
                realm: r.text(m.get("realm"), &p.field("realm")),
                client_authorization_oauth_server_identity: r.text(
                    m.get("client_authorization_oauth_server_identity"),
                    &p.field("client_authorization_oauth_server_identity"),
                ),
                exchange_autodiscover_url: r.text(
                    m.get("exchange_autodiscover_url"),
                    &p.field("exchange_autodiscover_url"),
                ),
            }
        });
    let token_issuer_certificates = list(r, "token_issuer_certificates").map(|items| {
        items
            .iter()
            .map(|(p, m)| TokenIssuerCertificate {
                thumbprint: r
                    .text(m.get("thumbprint"), &p.field("thumbprint"))
                    .map(|t| t.to_ascii_uppercase()),
                subject: r.text(m.get("subject"), &p.field("subject")),
                issuer: r.text(m.get("issuer"), &p.field("issuer")),
                serial_number: r.text(m.get("serial_number"), &p.field("serial_number")),
                not_before: r.date(m.get("not_before"), &p.field("not_before")),
                not_after: r.date(m.get("not_after"), &p.field("not_after")),
                effective_date: r.date(m.get("effective_date"), &p.field("effective_date")),
            })
            .collect()
    });
    let web_services = list(r, "web_services").map(|items| {
        items
            .iter()
            .map(|(p, m)| WebService {
                pool_fqdn: r.text(m.get("pool_fqdn"), &p.field("pool_fqdn")),
                internal_fqdn: r.text(m.get("internal_fqdn"), &p.field("internal_fqdn")),
                external_fqdn: r.text(m.get("external_fqdn"), &p.field("external_fqdn")),
            })
            .collect()
    });
    let pools = list(r, "pools").map(|items| {
        items
            .iter()
            .filter_map(|(p, m)| {
                Some(Pool {
                    fqdn: r.required_text(m.get("fqdn"), &p.field("fqdn"))?,
                    site: r.text(m.get("site"), &p.field("site")),
                    computers: r.strings(m.get("computers"), &p.field("computers")),
                })
            })
            .collect()
    });
    OnPremisesState {
        module,
        oauth_servers,
        partner_applications,
        oauth_configuration,
        token_issuer_certificates,
        web_services,
        pools,
    }
}

fn cloud(map: &Map<String, Value>, path: &FieldPath, r: &mut Reader) -> Option<CloudState> {
    let tenant_path = path.field("tenant");
    let tenant_id_path = tenant_path.field("id");
    let Some(tenant_map) = r.object(map.get("tenant"), &tenant_path) else {
        r.report(
            "state-field",
            Severity::Error,
            &tenant_path,
            "this cloud state has no tenant, so xprem cannot check that it is the config's tenant."
                .to_owned(),
            "export it again with this bundle's Export-State.ps1 -Part Cloud.".to_owned(),
        );
        return None;
    };
    let id = r.required_text(tenant_map.get("id"), &tenant_id_path)?;
    let tenant = Tenant {
        id: id.to_ascii_lowercase(),
        display_name: r.text(
            tenant_map.get("display_name"),
            &tenant_path.field("display_name"),
        ),
        verified_domains: r.strings(
            tenant_map.get("verified_domains"),
            &tenant_path.field("verified_domains"),
        ),
    };
    let principals_path = path.field("service_principals");
    let service_principals = r
        .objects(map.get("service_principals"), &principals_path)
        .map(|items| {
            items
                .into_iter()
                .filter_map(|(p, m)| {
                    let app_id = r.required_text(m.get("app_id"), &p.field("app_id"))?;
                    let keys_path = p.field("key_credentials");
                    let key_credentials =
                        r.objects(m.get("key_credentials"), &keys_path).map(|keys| {
                            keys.into_iter()
                                .map(|(k, key)| KeyCredential {
                                    key_id: r.text(key.get("key_id"), &k.field("key_id")),
                                    kind: r.text(key.get("type"), &k.field("type")),
                                    usage: r.text(key.get("usage"), &k.field("usage")),
                                    display_name: r
                                        .text(key.get("display_name"), &k.field("display_name")),
                                    start: r.date(key.get("start"), &k.field("start")),
                                    end: r.date(key.get("end"), &k.field("end")),
                                    thumbprint: r
                                        .text(key.get("thumbprint"), &k.field("thumbprint"))
                                        .map(|t| t.to_ascii_uppercase()),
                                    thumbprint_from: r.text(
                                        key.get("thumbprint_from"),
                                        &k.field("thumbprint_from"),
                                    ),
                                })
                                .collect()
                        });
                    Some(ServicePrincipal {
                        app_id: app_id.to_ascii_lowercase(),
                        exists: r.boolean(m.get("exists"), &p.field("exists")),
                        object_id: r.text(m.get("object_id"), &p.field("object_id")),
                        display_name: r.text(m.get("display_name"), &p.field("display_name")),
                        account_enabled: r
                            .boolean(m.get("account_enabled"), &p.field("account_enabled")),
                        service_principal_names: r.strings(
                            m.get("service_principal_names"),
                            &p.field("service_principal_names"),
                        ),
                        key_credentials,
                    })
                })
                .collect()
        });
    let holders_path = path.field("spn_holders");
    let spn_holders = r
        .objects(map.get("spn_holders"), &holders_path)
        .map(|items| {
            items
                .into_iter()
                .filter_map(|(p, m)| {
                    let spn = r.required_text(m.get("spn"), &p.field("spn"))?;
                    let held_path = p.field("held_by");
                    let held_by = r.objects(m.get("held_by"), &held_path).map(|holders| {
                        holders
                            .into_iter()
                            .filter_map(|(h, holder)| {
                                Some(Holder {
                                    app_id: r
                                        .required_text(holder.get("app_id"), &h.field("app_id"))?
                                        .to_ascii_lowercase(),
                                    display_name: r
                                        .text(holder.get("display_name"), &h.field("display_name")),
                                })
                            })
                            .collect()
                    });
                    Some(SpnHolder { spn, held_by })
                })
                .collect()
        });
    Some(CloudState {
        module: r.text(map.get("module"), &path.field("module")),
        environment: r.text(map.get("environment"), &path.field("environment")),
        tenant,
        service_principals,
        spn_holders,
        tenant_id_path: tenant_id_path.to_string(),
    })
}
