//! The meaning check: GUIDs, host names, identities, dates, and the certificate the config points
//! to. It reads the config as a JSON value, so that it can check every well-typed field even when
//! another field has the wrong type, and report every problem in one run.

use std::path::Path;

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

use super::path::FieldPath;
use crate::catalog;
use crate::cert::Certificate;
use crate::diagnostic::Diagnostic;
use crate::moment::utc_text;

/// What the meaning check found, and what it could read along the way.
#[derive(Debug)]
pub struct Outcome {
    pub problems: Vec<Diagnostic>,
    /// The certificate, when it could be read (even if it has problems).
    pub certificate: Option<Certificate>,
    /// Where the certificate file is (the config's `certificate.path`, resolved against the
    /// config's folder), when the field is given.
    pub certificate_path: Option<std::path::PathBuf>,
    /// The credential window, when both ends could be worked out.
    pub credential: Option<(OffsetDateTime, OffsetDateTime)>,
}

pub fn check(config: &Value, config_dir: &Path, as_of: OffsetDateTime) -> Outcome {
    let mut problems = Vec::new();
    let root = FieldPath::root();
    let text = |pointer: &str| config.pointer(pointer).and_then(Value::as_str);

    if let Some(name) = text("/tenant/name") {
        let place = root.field("tenant").field("name");
        let before = problems.len();
        check_tenant_name(name, &place, &mut problems);
        if problems.len() == before && config.pointer("/tenant/id").is_none() {
            check_lookup_domain(name, &place, &mut problems);
        }
    }
    if let Some(id) = text("/tenant/id") {
        check_tenant_id(id, &root.field("tenant").field("id"), &mut problems);
    }
    if let Some(fqdns) = config
        .pointer("/on_premises/web_services_fqdns")
        .and_then(Value::as_array)
    {
        check_fqdns(
            fqdns,
            &root.field("on_premises").field("web_services_fqdns"),
            &mut problems,
        );
    }
    for field in ["oauth_server_identity", "exchange_partner_identity"] {
        if let Some(identity) = text(&format!("/on_premises/{field}")) {
            check_identity(
                identity,
                &root.field("on_premises").field(field),
                &mut problems,
            );
        }
    }
    if let Some(level) =
        text("/on_premises/trust_level").filter(|l| ["Application", "User"].contains(l))
    {
        problems.push(Diagnostic::warning("config-trust-level", 
            "on_premises.trust_level",
            format!("\"{level}\" is not the trust level the cross-premises procedure uses: Exchange Online needs \"Full\" to act on behalf of on-premises users."),
            "leave trust_level out (it defaults to \"Full\") unless you have a reason to restrict Exchange.",
        ));
    }
    let module_family = text("/cloud_module");
    if module_family == Some("msonline") {
        problems.push(Diagnostic::warning("config-msonline-retired", 
            "cloud_module",
            "\"msonline\": Microsoft retired the MSOnline module on 30 May 2025, so the cloud scripts of this bundle fail where MSOnline no longer answers.",
            "remove cloud_module (or set it to \"graph\") to get the Microsoft Graph form of the cloud step, or run `xprem generate --cloud-module graph`.",
        ));
    }
    // A section for the other module family is not used: say so, so that nobody edits it in vain.
    let graph_family = module_family.is_none_or(|m| m == "graph");
    if graph_family && config.pointer("/msonline").is_some() {
        problems.push(Diagnostic::warning("config-unused-section", 
            "msonline",
            "this section is not used: the cloud step is written for Microsoft Graph (cloud_module = \"graph\", the default).",
            "remove the msonline section, or set cloud_module = \"msonline\" if you need the retired MSOnline form.",
        ));
    }
    if module_family == Some("msonline") && config.pointer("/graph").is_some() {
        problems.push(Diagnostic::warning("config-unused-section", 
            "graph",
            "this section is not used: the cloud step is written for MSOnline (cloud_module = \"msonline\").",
            "remove cloud_module to get the Microsoft Graph form, or remove the graph section.",
        ));
    }
    if let Some(module) = text("/msonline/module") {
        check_module(
            module,
            "MSOnline",
            &root.field("msonline").field("module"),
            &mut problems,
        );
    }
    if let Some(modules) = config.pointer("/graph/modules").and_then(Value::as_array) {
        let place = root.field("graph").field("modules");
        if modules.is_empty() {
            // The scripts would import nothing and stop at their first Graph call.
            problems.push(Diagnostic::error("config-empty-list", 
                place.to_string(),
                "the list is empty: the Graph scripts need Microsoft.Graph.Authentication.",
                "leave graph.modules out to use \"Microsoft.Graph.Authentication\", or list that module (its name, or the absolute path of its .psd1).",
            ));
        }
        let mut seen: Vec<String> = Vec::new();
        for (i, module) in modules.iter().enumerate() {
            let Some(module) = module.as_str() else {
                continue;
            };
            let before = problems.len();
            check_module(
                module,
                "Microsoft.Graph.Authentication",
                &place.index(i),
                &mut problems,
            );
            let key = module.to_ascii_lowercase();
            if problems.len() == before && seen.contains(&key) {
                problems.push(Diagnostic::error(
                    "config-duplicate-item",
                    place.index(i).to_string(),
                    format!("{} is listed twice.", quoted(module)),
                    "list each module once.",
                ));
            }
            seen.push(key);
        }
    }

    let certificate_path = text("/certificate/path")
        .filter(|p| !p.trim().is_empty())
        .map(|p| config_dir.join(p));
    let certificate = text("/certificate/path")
        .and_then(|path| load_certificate(path, config_dir, as_of, &mut problems));

    let start = text("/credential/start")
        .map(|s| parse_moment(s, &root.field("credential").field("start"), &mut problems));
    let end = text("/credential/end")
        .map(|s| parse_moment(s, &root.field("credential").field("end"), &mut problems));
    let credential = credential_window(start, end, certificate.as_ref(), as_of, &mut problems);

    Outcome {
        problems,
        certificate,
        certificate_path,
        credential,
    }
}

/// Refuses characters that could end a line or a comment in a script, or that no admin means to
/// type. Values always reach PowerShell as single-quoted literals; this keeps them on one line,
/// and keeps invisible characters (bidirectional overrides, zero-width spaces) from making a value
/// read differently from what it is.
fn check_plain_text(value: &str, place: &FieldPath, problems: &mut Vec<Diagnostic>) -> bool {
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        problems.push(Diagnostic::error(
            "config-control-character",
            place.to_string(),
            format!("contains the control character U+{:04X}.", c as u32),
            "remove it: the value must be one line of printable text.",
        ));
        return false;
    }
    if let Some(c) = value.chars().find(|c| is_format_character(*c)) {
        problems.push(Diagnostic::error("config-format-character", 
            place.to_string(),
            format!(
                "contains the invisible format character U+{:04X}, which makes the value read differently from what it is.",
                c as u32
            ),
            "type the value again by hand, without copying it from a web page or document.",
        ));
        return false;
    }
    if let Some(placeholder) = placeholder(value) {
        problems.push(Diagnostic::error(
            "config-placeholder",
            place.to_string(),
            format!(
                "{} is a placeholder of the sample config.",
                quoted(placeholder)
            ),
            "replace it with the real value, as the comment above it says.",
        ));
        return false;
    }
    if value.trim() != value {
        problems.push(Diagnostic::error(
            "config-surrounding-space",
            place.to_string(),
            format!("{} starts or ends with white space.", quoted(value)),
            format!("write {}.", quoted(value.trim())),
        ));
        return false;
    }
    true
}

/// Unicode general category Cf (format characters): invisible, yet they change how text is shown
/// or compared (U+202E right-to-left override, U+200B zero-width space, U+FEFF byte order mark,
/// U+00AD soft hyphen...). The ranges are those of Unicode 15.
pub fn is_format_character(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2
        | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F)
}

/// The placeholders of the config `xprem init` writes are written `<like this>`: a value in angle
/// brackets is never a real tenant, host name or path.
pub fn placeholder(value: &str) -> Option<&str> {
    let trimmed = value.trim();
    (trimmed.starts_with('<') && trimmed.ends_with('>') && trimmed.len() > 2).then_some(trimmed)
}

fn check_tenant_name(name: &str, place: &FieldPath, problems: &mut Vec<Diagnostic>) {
    if name.is_empty() {
        problems.push(Diagnostic::error("config-empty-value", 
            place.to_string(),
            "the value is empty.",
            "give the tenant's display name or one of its verified domains, for example \"Fabrikam.com\".",
        ));
        return;
    }
    if !check_plain_text(name, place, problems) {
        return;
    }
    if name.chars().count() > 256 {
        problems.push(Diagnostic::error(
            "config-too-long",
            place.to_string(),
            "is longer than 256 characters.",
            "give the tenant's display name or a verified domain.",
        ));
    }
}

/// Without `tenant.id`, step 1 reads the tenant ID from the public OpenID configuration document
/// of `tenant.name`, which exists only for the tenant's verified domains: a display name cannot be
/// looked up without signing in.
fn check_lookup_domain(name: &str, place: &FieldPath, problems: &mut Vec<Diagnostic>) {
    if check_fqdn(name).is_err() {
        problems.push(Diagnostic::error("config-lookup-domain", 
            place.to_string(),
            format!(
                "{} is not a domain name, and without tenant.id step 1 finds the tenant ID from tenant.name, which must then be one of the tenant's verified domains.",
                quoted(name)
            ),
            "set tenant.id to the tenant ID (Microsoft Entra admin center → Identity → Overview), or write a verified domain of the tenant in tenant.name, for example \"fabrikam.com\" or \"fabrikam.onmicrosoft.com\".",
        ));
    }
}

/// True when `s` is a GUID in its usual form, 8-4-4-4-12 hexadecimal digits.
pub fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn check_tenant_id(id: &str, place: &FieldPath, problems: &mut Vec<Diagnostic>) {
    let where_to_find = "copy the Tenant ID from the Microsoft Entra admin center (Identity → Overview) or run (Get-MgOrganization).Id; or remove tenant.id to have the script look the tenant up by its verified domain";
    if let Some(placeholder) = placeholder(id) {
        problems.push(Diagnostic::error(
            "config-placeholder",
            place.to_string(),
            format!(
                "{} is a placeholder of the sample config.",
                quoted(placeholder)
            ),
            format!("{where_to_find}."),
        ));
        return;
    }
    let inner = id.trim().trim_start_matches('{').trim_end_matches('}');
    if !is_guid(id) {
        let fix = if is_guid(inner) {
            format!(
                "write it as \"{}\" (no braces, no spaces).",
                inner.to_ascii_lowercase()
            )
        } else {
            format!("{where_to_find}.")
        };
        problems.push(Diagnostic::error("config-tenant-id", 
            place.to_string(),
            format!("{} is not a GUID (a tenant ID has 32 hexadecimal digits in groups of 8-4-4-4-12, like 6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1).", quoted(id)),
            fix,
        ));
        return;
    }
    let lower = id.to_ascii_lowercase();
    if lower.bytes().all(|b| b == b'0' || b == b'-') {
        problems.push(Diagnostic::error(
            "config-tenant-id",
            place.to_string(),
            "is the empty GUID, not a tenant ID.",
            format!("{where_to_find}."),
        ));
    } else if let Some((_, app)) = catalog::WELL_KNOWN_APP_IDS
        .iter()
        .find(|(app_id, _)| *app_id == lower)
    {
        problems.push(Diagnostic::error(
            "config-well-known-id",
            place.to_string(),
            format!("\"{id}\" is the application ID of {app}, not a tenant ID."),
            format!("{where_to_find}."),
        ));
    }
}

fn check_fqdns(fqdns: &[Value], place: &FieldPath, problems: &mut Vec<Diagnostic>) {
    if fqdns.is_empty() {
        problems.push(Diagnostic::error("config-empty-list", 
            place.to_string(),
            "the list is empty: the Skype for Business Online service principal needs the SPN of at least one pool.",
            "list the external web services FQDN of every pool, for example [\"lyncweb.fabrikam.com\"].",
        ));
        return;
    }
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, item) in fqdns.iter().enumerate() {
        let Some(fqdn) = item.as_str() else { continue };
        let item_place = place.index(i);
        if let Some(placeholder) = placeholder(fqdn) {
            problems.push(Diagnostic::error("config-placeholder", 
                item_place.to_string(),
                format!("{} is a placeholder of the sample config.", quoted(placeholder)),
                "give the pool's external web services FQDN, for example \"lyncweb.fabrikam.com\" (Topology Builder → the pool → Web services → External web services FQDN).",
            ));
            continue;
        }
        if let Err((message, fix)) = check_fqdn(fqdn) {
            problems.push(Diagnostic::error(
                "config-fqdn",
                item_place.to_string(),
                message,
                fix,
            ));
            continue;
        }
        if let Some(suffix) = non_public_suffix(fqdn) {
            problems.push(Diagnostic::warning("config-non-public-suffix", 
                item_place.to_string(),
                format!(
                    "\"{fqdn}\" ends in .{suffix}, which is not a public DNS suffix, yet this is the external web services FQDN: the name Office 365 and remote users reach the pool by."
                ),
                "check that this is the pool's external web services FQDN (Topology Builder → the pool → Web services → External web services FQDN), not its internal one.",
            ));
        }
        let key = fqdn.to_ascii_lowercase();
        match seen.iter().find(|(s, _)| *s == key) {
            Some((_, first)) => problems.push(Diagnostic::error(
                "config-duplicate-item",
                item_place.to_string(),
                format!(
                    "\"{fqdn}\" repeats {} (host names are not case-sensitive).",
                    place.index(*first)
                ),
                "list each FQDN once.",
            )),
            None => seen.push((key, i)),
        }
    }
}

/// Checks one external web services FQDN: an RFC 1123 host name with at least two labels.
/// Returns the message and the fix.
pub fn check_fqdn(fqdn: &str) -> Result<(), (String, String)> {
    let q = quoted(fqdn);
    let example = "for example \"lyncweb.fabrikam.com\"";
    let fail = |message: String, fix: String| Err((message, fix));
    if fqdn.is_empty() {
        return fail(
            "the value is empty.".into(),
            format!("give the pool's external web services FQDN, {example}."),
        );
    }
    if let Some((_, rest)) = fqdn.split_once("://") {
        let host = rest.split(['/', ':', '?', '#']).next().unwrap_or(rest);
        return fail(
            format!("{q} is a URL, not a host name."),
            format!("write only the host name: \"{host}\"."),
        );
    }
    if let Some((prefix, host)) = fqdn.split_once('/')
        && is_guid(prefix)
    {
        return fail(
            format!(
                "{q} is a service principal name (SPN), not a host name: xprem makes the SPN from the FQDN."
            ),
            format!("write only the host name: \"{host}\"."),
        );
    }
    if let Some((host, _)) = fqdn.split_once('/') {
        return fail(
            format!("{q} has a path."),
            format!("write only the host name: \"{host}\"."),
        );
    }
    if let Some((host, _)) = fqdn.split_once(':') {
        return fail(
            format!("{q} has a port."),
            format!("write only the host name: \"{host}\"."),
        );
    }
    if fqdn.chars().any(char::is_whitespace) || fqdn.chars().any(char::is_control) {
        return fail(
            format!("{q} contains white space or control characters."),
            format!("write the host name alone, {example}."),
        );
    }
    if fqdn.starts_with("*.") || fqdn.contains('*') {
        return fail(
            format!(
                "{q} is a wildcard; the Skype for Business Online SPN names one pool's external web services FQDN."
            ),
            "list the external web services FQDN of each pool.".into(),
        );
    }
    if !fqdn.is_ascii() {
        return fail(
            format!("{q} has non-ASCII characters."),
            "write the internationalized name in its ASCII (xn--) form.".into(),
        );
    }
    if let Some(stripped) = fqdn.strip_suffix('.') {
        return fail(
            format!("{q} ends with a dot."),
            format!("write \"{stripped}\"."),
        );
    }
    if fqdn.len() > 253 {
        return fail(
            format!("{q} is longer than 253 characters, the limit for a host name."),
            format!("check the value, {example}."),
        );
    }
    let labels: Vec<&str> = fqdn.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return fail(
                format!("{q} has an empty label (two dots in a row, or a leading dot)."),
                format!("check the value, {example}."),
            );
        }
        if label.len() > 63 {
            return fail(
                format!("{q} has a label longer than 63 characters."),
                format!("check the value, {example}."),
            );
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return fail(
                format!(
                    "{q} contains '{c}', which a host name cannot contain (letters, digits and '-' only)."
                ),
                format!("check the value, {example}."),
            );
        }
        if label.starts_with('-') || label.ends_with('-') {
            return fail(
                format!("{q} has a label that starts or ends with '-'."),
                format!("check the value, {example}."),
            );
        }
    }
    if labels.len() < 2 {
        return fail(
            format!("{q} is not fully qualified."),
            format!("give the full name, {example}."),
        );
    }
    if labels.iter().all(|l| l.bytes().all(|b| b.is_ascii_digit())) {
        return fail(
            format!("{q} is an IP address; the SPN needs the pool's host name."),
            format!("give the host name, {example}."),
        );
    }
    Ok(())
}

/// DNS suffixes that are not on the public internet (RFC 6761, RFC 6762, RFC 8375, and the ones
/// Active Directory domains commonly use), as the last label, or `home.arpa`.
pub fn non_public_suffix(fqdn: &str) -> Option<String> {
    const PRIVATE: &[&str] = &[
        "local",
        "localdomain",
        "localhost",
        "lan",
        "internal",
        "intranet",
        "corp",
        "home",
        "private",
        "test",
        "example",
        "invalid",
        "intern",
        "priv",
    ];
    let lower = fqdn.to_ascii_lowercase();
    if lower.ends_with(".home.arpa") {
        return Some("home.arpa".to_owned());
    }
    let last = lower.rsplit('.').next()?;
    PRIVATE.contains(&last).then(|| last.to_owned())
}

fn check_identity(identity: &str, place: &FieldPath, problems: &mut Vec<Diagnostic>) {
    let rules = "use letters, digits, spaces, '.', '-' and '_', starting with a letter or digit (for example \"microsoft.sts\")";
    if identity.is_empty() {
        problems.push(Diagnostic::error(
            "config-empty-value",
            place.to_string(),
            "the value is empty.",
            format!("leave the field out to use the default, or {rules}."),
        ));
        return;
    }
    if !check_plain_text(identity, place, problems) {
        return;
    }
    let valid_chars = identity
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_'));
    let starts_well = identity
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if !valid_chars || !starts_well || identity.len() > 128 {
        problems.push(Diagnostic::error("config-identity", 
            place.to_string(),
            format!("{} is not an identity the Lync cmdlets accept here (wildcards, quotes and other symbols are not allowed, 128 characters at most).", quoted(identity)),
            format!("{rules}."),
        ));
    }
}

/// `msonline.module` is what `Import-Module -Name` gets: a module name, or the absolute path of a
/// module file. A relative path would be resolved against wherever the admin happens to start the
/// script, so it is refused.
fn check_module(module: &str, example: &str, place: &FieldPath, problems: &mut Vec<Diagnostic>) {
    let forms = format!(
        "give a module name such as \"{example}\", or the absolute path of its .psd1 (or .psm1, .dll), such as \"C:\\Modules\\{example}\\{example}.psd1\""
    );
    if module.is_empty() {
        problems.push(Diagnostic::error(
            "config-empty-value",
            place.to_string(),
            "the value is empty.",
            format!("leave the field out to use the default, or {forms}."),
        ));
        return;
    }
    if !check_plain_text(module, place, problems) {
        return;
    }
    if module.chars().count() > 260 {
        problems.push(Diagnostic::error(
            "config-too-long",
            place.to_string(),
            "is longer than 260 characters.",
            format!("{forms}."),
        ));
        return;
    }
    let is_path = module.contains(['\\', '/', ':']);
    if !is_path {
        let is_name = module
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            && module
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        if !is_name {
            problems.push(Diagnostic::error(
                "config-module",
                place.to_string(),
                format!(
                    "{} is neither a module name (letters, digits, '.', '-', '_') nor a path.",
                    quoted(module)
                ),
                format!("{forms}."),
            ));
        }
        return;
    }
    let bytes = module.as_bytes();
    let absolute = (bytes.len() > 2
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'\\' | b'/'))
        || module.starts_with("\\\\");
    if !absolute {
        problems.push(Diagnostic::error("config-module", 
            place.to_string(),
            format!("{} is not an absolute path: the script would look for it relative to the folder it is started from.", quoted(module)),
            format!("{forms}."),
        ));
        return;
    }
    let lower = module.to_ascii_lowercase();
    if ![".psd1", ".psm1", ".dll"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        problems.push(Diagnostic::error(
            "config-module",
            place.to_string(),
            format!(
                "{} does not name a module file (.psd1, .psm1 or .dll).",
                quoted(module)
            ),
            format!("{forms}."),
        ));
    }
}

fn load_certificate(
    path: &str,
    config_dir: &Path,
    as_of: OffsetDateTime,
    problems: &mut Vec<Diagnostic>,
) -> Option<Certificate> {
    let place = "certificate.path";
    if path.trim().is_empty() {
        problems.push(Diagnostic::error(
            "config-empty-value",
            place,
            "the value is empty.",
            "give the path of the OAuth certificate's .cer file, relative to the config file.",
        ));
        return None;
    }
    if let Some(placeholder) = placeholder(path) {
        problems.push(Diagnostic::error("config-placeholder", 
            place,
            format!("{} is a placeholder of the sample config.", quoted(placeholder)),
            "give the path of the OAuth certificate's .cer file (its public part), relative to the config file.",
        ));
        return None;
    }
    let full = config_dir.join(path);
    match Certificate::load(&full) {
        Ok(certificate) => {
            for mut finding in certificate.check(as_of) {
                finding.message = format!("{}: {}", full.display(), finding.message);
                problems.push(finding.at_field(place));
            }
            Some(certificate)
        }
        Err(err) => {
            problems.push(Diagnostic::error(
                "config-certificate-unreadable",
                place,
                err.to_string(),
                "",
            ));
            None
        }
    }
}

/// Reads a date ("2026-01-01", midnight UTC) or an RFC 3339 date and time. Month/day forms such as
/// "6/1/2012" are refused: their meaning depends on the culture of whoever reads them.
fn parse_moment(
    value: &str,
    place: &FieldPath,
    problems: &mut Vec<Diagnostic>,
) -> Option<OffsetDateTime> {
    let forms = "write it as YYYY-MM-DD (midnight UTC) or as an RFC 3339 date and time such as 2026-01-01T08:00:00Z";
    let date_only = value.len() == 10
        && value.as_bytes().get(4) == Some(&b'-')
        && value.as_bytes().get(7) == Some(&b'-');
    let parsed = if date_only {
        time::Date::parse(value, format_description!("[year]-[month]-[day]"))
            .map(|d| d.midnight().assume_utc())
    } else {
        OffsetDateTime::parse(value, &Rfc3339).map(|t| t.to_offset(UtcOffset::UTC))
    };
    match parsed {
        Ok(moment) => Some(moment),
        Err(time::error::Parse::TryFromParsed(time::error::TryFromParsed::ComponentRange(
            range,
        ))) => {
            problems.push(Diagnostic::error(
                "config-date",
                place.to_string(),
                format!(
                    "{} is not a real date or time ({} is out of range).",
                    quoted(value),
                    range.name()
                ),
                "check the day, month and time.",
            ));
            None
        }
        Err(_) => {
            let culture = if value.contains('/') || value.contains('.') && !value.contains('T') {
                " Dates such as 6/1/2012 mean different days in different cultures, so xprem takes only ISO 8601."
            } else {
                ""
            };
            problems.push(Diagnostic::error(
                "config-date",
                place.to_string(),
                format!("{} is not a date xprem can read.{culture}", quoted(value)),
                format!("{forms}."),
            ));
            None
        }
    }
}

/// Works out the credential window (defaults: the certificate's validity) and checks that it is
/// ordered, inside the certificate's validity and not already over.
fn credential_window(
    start: Option<Option<OffsetDateTime>>,
    end: Option<Option<OffsetDateTime>>,
    certificate: Option<&Certificate>,
    as_of: OffsetDateTime,
    problems: &mut Vec<Diagnostic>,
) -> Option<(OffsetDateTime, OffsetDateTime)> {
    // Given: `Some(Some(t))`; given but unreadable (already reported): `Some(None)`; not given:
    // `None`, which means the certificate's own bound. Each end that is known is checked on its
    // own, so that one bad end does not hide a problem with the other.
    let start = start.unwrap_or_else(|| certificate.map(|c| c.not_before));
    let end = end.unwrap_or_else(|| certificate.map(|c| c.not_after));
    let before = problems.len();
    if let (Some(certificate), Some(start)) = (certificate, start)
        && start < certificate.not_before
    {
        problems.push(Diagnostic::error("config-credential-window", 
            "credential.start",
            format!(
                "{} is before the certificate's validity starts ({}); Office 365 issues no token for a credential outside the certificate's validity.",
                utc_text(start),
                utc_text(certificate.not_before)
            ),
            "use a start on or after the certificate's NotBefore, or leave credential.start out.",
        ));
    }
    if let (Some(start), Some(end)) = (start, end)
        && end <= start
    {
        problems.push(Diagnostic::error("config-credential-window", 
            "credential.end",
            format!("{} is not after credential.start ({}).", utc_text(end), utc_text(start)),
            "make the end later than the start, or leave both out to use the certificate's validity.",
        ));
    }
    if let (Some(certificate), Some(end)) = (certificate, end)
        && end > certificate.not_after
    {
        problems.push(Diagnostic::error("config-credential-window", 
            "credential.end",
            format!(
                "{} is after the certificate expires ({}); Office 365 issues no token for a credential outside the certificate's validity.",
                utc_text(end),
                utc_text(certificate.not_after)
            ),
            "use an end on or before the certificate's NotAfter, or leave credential.end out.",
        ));
    }
    // An expired certificate is reported by the certificate check; this is a window that ends
    // before the certificate does and is already over.
    if let Some(end) = end
        && end <= as_of
        && certificate.is_none_or(|c| c.not_after > as_of)
    {
        problems.push(Diagnostic::error(
            "config-credential-window",
            "credential.end",
            format!(
                "{} is already past (checked as of {}).",
                utc_text(end),
                utc_text(as_of)
            ),
            "choose an end in the future, or leave credential.end out.",
        ));
    }
    // A credential that ends soon while the certificate lasts longer (the certificate's own
    // expiry is the certificate check's warning).
    if let Some(end) = end
        && end > as_of
        && end - as_of < time::Duration::days(crate::cert::check::EXPIRY_WARNING_DAYS)
        && certificate.is_none_or(|c| c.not_after > end)
        && problems.len() == before
    {
        problems.push(Diagnostic::warning("config-credential-ends-soon", 
            "credential.end",
            format!(
                "{} is less than {} days after the check date {}: Office 365 stops accepting the on-premises tokens then.",
                utc_text(end),
                crate::cert::check::EXPIRY_WARNING_DAYS,
                utc_text(as_of)
            ),
            "choose a later end (up to the certificate's NotAfter), or leave credential.end out to use the certificate's validity.",
        ));
    }
    match (start, end) {
        (Some(start), Some(end))
            if problems
                .iter()
                .skip(before)
                .all(|p| p.severity != crate::diagnostic::Severity::Error) =>
        {
            Some((start, end))
        }
        _ => None,
    }
}

/// A value in a message, JSON-quoted so that odd characters are visible.
fn quoted(value: &str) -> String {
    let shown: String = value.chars().take(80).collect();
    let ellipsis = if shown.len() < value.len() { "…" } else { "" };
    format!("{}{ellipsis}", Value::String(shown))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn guids() {
        assert!(is_guid("6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1"));
        assert!(is_guid("6F2C1C8E-3F2B-4F7A-9A55-2F1DE0B7C4A1"));
        assert!(!is_guid("6f2c-1c8e"));
        assert!(!is_guid("{6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1}"));
        assert!(!is_guid("6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4ag"));
    }

    fn tenant_id_problems(id: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        check_tenant_id(
            id,
            &FieldPath::root().field("tenant").field("id"),
            &mut problems,
        );
        problems
    }

    #[test]
    fn tenant_id_messages() {
        let p = tenant_id_problems("6f2c-1c8e");
        assert_eq!(p[0].field(), "tenant.id");
        assert!(
            p[0].message.starts_with("\"6f2c-1c8e\" is not a GUID"),
            "{}",
            p[0].message
        );
        let p = tenant_id_problems("{6F2C1C8E-3F2B-4F7A-9A55-2F1DE0B7C4A1}");
        assert!(
            p[0].help
                .contains("\"6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1\""),
            "{}",
            p[0].help
        );
        let p = tenant_id_problems("00000002-0000-0ff1-ce00-000000000000");
        assert!(p[0].message.contains("application ID of Exchange Online"));
        assert_eq!(
            tenant_id_problems("00000000-0000-0000-0000-000000000000").len(),
            1
        );
        assert!(tenant_id_problems("6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1").is_empty());
    }

    #[test]
    fn fqdns_accept_host_names_only() {
        assert!(check_fqdn("lyncweb.fabrikam.com").is_ok());
        assert!(check_fqdn("pool-1.emea.fabrikam.co.uk").is_ok());
        let msg = |s| check_fqdn(s).unwrap_err();
        assert_eq!(
            msg("https://lyncweb.fabrikam.com/x").1,
            "write only the host name: \"lyncweb.fabrikam.com\"."
        );
        assert!(msg("lyncweb.fabrikam.com/abc").0.contains("has a path"));
        assert!(msg("lyncweb.fabrikam.com:443").0.contains("has a port"));
        assert!(msg("lyncweb").0.contains("not fully qualified"));
        assert!(msg("*.fabrikam.com").0.contains("wildcard"));
        assert!(
            msg("lyncweb.fabrikam.com.")
                .1
                .contains("\"lyncweb.fabrikam.com\"")
        );
        assert!(msg("lync_web.fabrikam.com").0.contains("'_'"));
        assert!(
            msg("-lync.fabrikam.com")
                .0
                .contains("starts or ends with '-'")
        );
        assert!(msg("lync..fabrikam.com").0.contains("empty label"));
        assert!(msg("10.0.0.1").0.contains("IP address"));
        assert!(msg("lync web.fabrikam.com").0.contains("white space"));
        assert!(msg("lyncwéb.fabrikam.com").0.contains("non-ASCII"));
        assert!(msg(&format!("{}.com", "a".repeat(64))).0.contains("63"));
    }

    #[test]
    fn duplicate_fqdns_name_the_first() {
        let mut problems = Vec::new();
        let list = vec![
            Value::from("a.fabrikam.com"),
            Value::from("b.fabrikam.com"),
            Value::from("A.Fabrikam.com"),
        ];
        check_fqdns(
            &list,
            &FieldPath::root()
                .field("on_premises")
                .field("web_services_fqdns"),
            &mut problems,
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field(), "on_premises.web_services_fqdns[2]");
        assert!(
            problems[0]
                .message
                .contains("repeats on_premises.web_services_fqdns[0]")
        );
    }

    #[test]
    fn identities() {
        let check = |s: &str| {
            let mut problems = Vec::new();
            check_identity(s, &FieldPath::root().field("x"), &mut problems);
            problems
        };
        assert!(check("microsoft.sts").is_empty());
        assert!(check("Office 365").is_empty());
        assert_eq!(check("micro*soft").len(), 1);
        assert_eq!(check("it's").len(), 1);
        assert_eq!(check(" padded").len(), 1);
        assert_eq!(check("two\nlines").len(), 1);
    }

    #[test]
    fn moments() {
        let place = FieldPath::root().field("credential").field("start");
        let mut problems = Vec::new();
        assert_eq!(
            parse_moment("2026-01-01", &place, &mut problems),
            Some(datetime!(2026-01-01 0:00 UTC))
        );
        assert_eq!(
            parse_moment("2026-01-01T08:00:00+02:00", &place, &mut problems),
            Some(datetime!(2026-01-01 6:00 UTC))
        );
        assert!(problems.is_empty());
        assert_eq!(parse_moment("2026-02-30", &place, &mut problems), None);
        assert!(
            problems[0].message.contains("not a real date"),
            "{}",
            problems[0].message
        );
        assert_eq!(parse_moment("6/1/2012", &place, &mut problems), None);
        assert!(
            problems[1].message.contains("different cultures"),
            "{}",
            problems[1].message
        );
    }

    fn problems_of(config: serde_json::Value) -> Vec<Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        check(&config, dir.path(), datetime!(2026-06-01 0:00 UTC)).problems
    }

    #[test]
    fn format_characters_are_refused_in_text_fields() {
        for c in ['\u{202E}', '\u{200B}', '\u{FEFF}', '\u{00AD}', '\u{2066}'] {
            let p =
                problems_of(serde_json::json!({"tenant": {"name": format!("Fabri{c}kam.com")}}));
            assert!(
                p.iter().any(|p| p.field() == "tenant.name"
                    && p.message.contains("invisible format character")),
                "U+{:04X}: {p:?}",
                c as u32
            );
        }
        let p = problems_of(
            serde_json::json!({"on_premises": {"oauth_server_identity": "microsoft\u{200B}.sts"}}),
        );
        assert!(
            p.iter()
                .any(|p| p.field() == "on_premises.oauth_server_identity")
        );
        assert!(!is_format_character('é') && !is_format_character(' '));
    }

    #[test]
    fn a_lookup_by_name_needs_a_domain() {
        let p = problems_of(serde_json::json!({"tenant": {"name": "Fabrikam Ltd"}}));
        assert!(
            p.iter()
                .any(|p| p.field() == "tenant.name" && p.message.contains("not a domain name")),
            "{p:?}"
        );
        let p = problems_of(serde_json::json!({"tenant": {"name": "fabrikam.onmicrosoft.com"}}));
        assert!(!p.iter().any(|p| p.field() == "tenant.name"), "{p:?}");
        // With an ID, the name may be a display name.
        let p = problems_of(
            serde_json::json!({"tenant": {"name": "Fabrikam Ltd", "id": "6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1"}}),
        );
        assert!(!p.iter().any(|p| p.field() == "tenant.name"), "{p:?}");
    }

    #[test]
    fn modules_are_names_or_absolute_module_paths() {
        let module = |m: &str| {
            let mut problems = Vec::new();
            check_module(
                m,
                "MSOnline",
                &FieldPath::root().field("msonline").field("module"),
                &mut problems,
            );
            problems
        };
        assert!(module("MSOnline").is_empty());
        assert!(module("MSOnlineExtended").is_empty());
        assert!(module(r"C:\Modules\MSOnline\MSOnline.psd1").is_empty());
        assert!(module(r"\\server\share\MSOnline.dll").is_empty());
        assert!(module("D:/m/MSOnline.psm1").is_empty());
        assert!(
            module(r"Modules\MSOnline.psd1")[0]
                .message
                .contains("not an absolute path")
        );
        assert!(
            module(r"C:\Modules\MSOnline")[0]
                .message
                .contains(".psd1, .psm1 or .dll")
        );
        assert!(
            module("MS Online")[0]
                .message
                .contains("neither a module name")
        );
        assert!(
            module("MSOnline; Remove-Item x")[0]
                .message
                .contains("neither a module name")
        );
    }

    #[test]
    fn spns_pasted_as_fqdns_get_the_host_name_as_fix() {
        let (message, fix) =
            check_fqdn("00000004-0000-0ff1-ce00-000000000000/lyncweb.fabrikam.com").unwrap_err();
        assert!(message.contains("service principal name"), "{message}");
        assert_eq!(fix, "write only the host name: \"lyncweb.fabrikam.com\".");
    }

    #[test]
    fn non_public_suffixes_are_a_warning() {
        assert_eq!(
            non_public_suffix("lyncweb.fabrikam.local").as_deref(),
            Some("local")
        );
        assert_eq!(non_public_suffix("web.corp").as_deref(), Some("corp"));
        assert_eq!(
            non_public_suffix("a.b.home.arpa").as_deref(),
            Some("home.arpa")
        );
        assert_eq!(non_public_suffix("lyncweb.fabrikam.com"), None);
        assert_eq!(non_public_suffix("lyncweb.localhost-example.com"), None);
        let p = problems_of(
            serde_json::json!({"on_premises": {"web_services_fqdns": ["lyncweb.fabrikam.local"]}}),
        );
        let p: Vec<_> = p
            .iter()
            .filter(|p| p.field().starts_with("on_premises"))
            .collect();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].severity, crate::diagnostic::Severity::Warning);
    }

    #[test]
    fn placeholders_of_the_sample_are_errors() {
        let p = problems_of(serde_json::json!({
            "tenant": {"name": "<tenant domain>", "id": "<tenant ID>"},
            "on_premises": {"web_services_fqdns": ["<pool FQDN>"]},
            "certificate": {"path": "<certificate>"}
        }));
        for place in [
            "tenant.name",
            "tenant.id",
            "on_premises.web_services_fqdns[0]",
            "certificate.path",
        ] {
            assert!(
                p.iter()
                    .any(|p| p.field() == place && p.message.contains("placeholder")),
                "{place}: {p:?}"
            );
        }
    }

    #[test]
    fn a_credential_ending_soon_is_a_warning() {
        let as_of = datetime!(2026-06-01 0:00 UTC);
        let mut problems = Vec::new();
        let w = credential_window(
            Some(Some(datetime!(2026-01-01 0:00 UTC))),
            Some(Some(datetime!(2026-07-01 0:00 UTC))),
            None,
            as_of,
            &mut problems,
        );
        assert!(w.is_some());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].severity, crate::diagnostic::Severity::Warning);
        assert!(
            problems[0].message.contains("less than 60 days"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn window_must_be_ordered_and_not_past() {
        let as_of = datetime!(2026-06-01 0:00 UTC);
        let mut problems = Vec::new();
        let w = credential_window(
            Some(Some(datetime!(2026-03-01 0:00 UTC))),
            Some(Some(datetime!(2026-02-01 0:00 UTC))),
            None,
            as_of,
            &mut problems,
        );
        assert_eq!(w, None);
        let places: Vec<_> = problems.iter().map(|p| p.field()).collect();
        assert_eq!(places, vec!["credential.end", "credential.end"]);
        assert!(
            problems[0]
                .message
                .contains("is not after credential.start")
        );
        assert!(problems[1].message.contains("already past"));
    }
}
