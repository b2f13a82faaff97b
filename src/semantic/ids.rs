//! Identifiers in a script: GUIDs written in any of their forms, the well-known application IDs
//! and how near a GUID is to one (a typo), the places where an application ID belongs, and host
//! names.

use super::analysis::cmdlet_uses;
use super::principals::filter_app_id;
use super::strings::{known_strings, span_in};

use crate::catalog::{self, edit_distance_within};
use crate::powershell::ast::Expression;
use crate::powershell::ast::Span;

use super::Analysis;

/// Application IDs the domain documents beyond `catalog::WELL_KNOWN_APP_IDS` (domain.md 2.1).
const MORE_APP_IDS: &[(&str, &str)] = &[
    (
        "7557eb47-c689-4224-abcf-aef9bd7573df",
        "the Teams Calendar Scheduler Service",
    ),
    ("db7de2b5-2149-435e-8043-e080dd50afae", "Cloud Voicemail"),
];

/// Every well-known application ID, with what it is.
pub fn well_known_ids() -> impl Iterator<Item = (&'static str, &'static str)> {
    catalog::WELL_KNOWN_APP_IDS
        .iter()
        .chain(MORE_APP_IDS)
        .copied()
}

/// What a well-known ID is (`Exchange Online`), if `id` is one (any case).
pub fn well_known_name(id: &str) -> Option<&'static str> {
    well_known_ids()
        .find(|(known, _)| known.eq_ignore_ascii_case(id))
        .map(|(_, name)| name)
}

/// The registry form of a GUID: 8-4-4-4-12 hexadecimal digits.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Whether .NET's `Guid.Parse` (what PowerShell converts a string to a `[Guid]` parameter with)
/// accepts `s`: the `D`, `N`, `B` and `P` forms, around white space; the `X` form
/// (`{0x...,{0x...}}`) is taken on trust.
pub fn parses_as_guid(s: &str) -> bool {
    let s = s.trim();
    if s.starts_with("{0x") || s.starts_with("{0X") {
        return true;
    }
    let inner = match (s.chars().next(), s.chars().last()) {
        (Some('{'), Some('}')) | (Some('('), Some(')')) if s.len() == 38 => &s[1..37],
        _ => s,
    };
    is_guid(inner) || (inner.len() == 32 && inner.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A string someone meant as a GUID: GUID-long, with dashes, mostly hexadecimal digits.
pub fn meant_as_guid(s: &str) -> bool {
    let s = s.trim();
    let n = s.chars().count();
    if !(30..=40).contains(&n) || s.matches('-').count() < 3 {
        return false;
    }
    let guidish = s
        .chars()
        .filter(|c| c.is_ascii_hexdigit() || matches!(c, '-' | '{' | '}'))
        .count();
    guidish * 10 >= n * 8
}

/// `000000XX-0000-0ff1-ce00-000000000000` and `000000XX-0000-0000-c000-000000000000`: the two
/// families of Microsoft's first-party application IDs. An ID of the family is a real
/// application (known here or not), never a typo of another one.
fn first_party_family(id: &str) -> bool {
    let id = id.to_ascii_lowercase();
    is_guid(&id)
        && id.starts_with("000000")
        && (id[8..] == *"-0000-0ff1-ce00-000000000000"
            || id[8..] == *"-0000-0000-c000-000000000000")
}

/// The Office family (`...-0ff1-ce00-...`): Exchange, SharePoint, Skype for Business Online.
fn office_id(id: &str) -> bool {
    id.ends_with("-0000-0ff1-ce00-000000000000")
}

/// The well-known ID `token` is a typo of: one or two edits (a transposition is one) from it, not
/// equal to any well-known ID, not of a first-party family, not the all-zero GUID. With
/// `office_only`, only the `0ff1-ce00` IDs are considered (for any string of a script: a random
/// or placeholder GUID is never that close to them).
pub fn near_well_known(token: &str, office_only: bool) -> Option<(&'static str, &'static str)> {
    let n = token.chars().count();
    if !(34..=38).contains(&n) || !token.is_ascii() {
        return None;
    }
    let lower = token.to_ascii_lowercase();
    if well_known_name(&lower).is_some()
        || first_party_family(&lower)
        || lower.bytes().all(|b| b == b'0' || b == b'-')
    {
        return None;
    }
    well_known_ids()
        .filter(|(id, _)| !office_only || office_id(id))
        .filter_map(|(id, name)| Some((edit_distance_within(&lower, id, 2)?, id, name)))
        .min_by_key(|(d, _, _)| *d)
        .map(|(_, id, name)| (id, name))
}

/// What the help says about a GUID that is not one: the well-known ID it is close to, if any.
pub fn did_you_mean_id(s: &str) -> Option<(&'static str, &'static str)> {
    let s = s.trim().trim_start_matches('{').trim_end_matches('}');
    let lower = s.to_ascii_lowercase();
    well_known_ids()
        .filter_map(|(id, name)| Some((edit_distance_within(&lower, id, 3)?, id, name)))
        .min_by_key(|(d, _, _)| *d)
        .map(|(_, id, name)| (id, name))
}

/// The registry form (lower case) of a GUID in any form .NET parses.
pub fn registry_form(s: &str) -> Option<String> {
    let s = s.trim();
    if !parses_as_guid(s) || s.starts_with("{0x") || s.starts_with("{0X") {
        return None;
    }
    let hex: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    if hex.len() != 32 {
        return None;
    }
    let hex = hex.to_ascii_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

/// Which GUID forms a place takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuidForm {
    /// A `[Guid]` parameter: any form .NET parses.
    Any,
    /// A string compared as text: the registry form only.
    Registry,
}

/// A value where an application, object or tenant ID belongs.
#[derive(Debug, Clone)]
pub struct IdSite {
    /// `-AppPrincipalId of Get-MsolServicePrincipal`, for messages.
    pub place: String,
    pub value: String,
    /// Where to report: the ID inside the literal when it is written there, else the value.
    pub span: Span,
    pub form: GuidForm,
    /// Anything but a GUID is wrong here; otherwise only what was plainly meant as one is judged.
    pub strict: bool,
}

impl IdSite {
    /// Whether the value is a GUID of the form the place takes.
    pub fn valid(&self) -> bool {
        match self.form {
            GuidForm::Any => parses_as_guid(&self.value),
            GuidForm::Registry => is_guid(&self.value),
        }
    }
}

/// The places of the script's catalogued commands where an ID belongs, with their known values:
/// `[Guid]` parameters (`-AppPrincipalId`, `-ObjectId`, `-TenantId`, `-KeyIds`...),
/// `Set-CsOAuthConfiguration -ServiceName`, `New-CsPartnerApplication -ApplicationIdentifier`,
/// Graph's `-ServicePrincipalId`, and the `appId` of a Graph `-Filter`.
pub fn id_sites(cx: &Analysis<'_>) -> Vec<IdSite> {
    let text = cx.text();
    let mut out = Vec::new();
    for (u, cmdlet) in cmdlet_uses(cx) {
        for (parameter, value) in u.binding.values() {
            let is = |c: &str, p: &str| {
                cmdlet.name.eq_ignore_ascii_case(c) && parameter.name.eq_ignore_ascii_case(p)
            };
            let graph = cmdlet.module == catalog::Module::MicrosoftGraph;
            let (form, strict) = if matches!(parameter.type_name.as_str(), "Guid" | "Guid[]") {
                (GuidForm::Any, true)
            } else if is("Set-CsOAuthConfiguration", "ServiceName") {
                (GuidForm::Registry, true)
            } else if is("New-CsPartnerApplication", "ApplicationIdentifier") {
                let oauth = u
                    .binding
                    .parameter_set
                    .is_some_and(|s| s.name.eq_ignore_ascii_case("UseOAuthServer"));
                (GuidForm::Registry, oauth)
            } else if graph && parameter.name.eq_ignore_ascii_case("ServicePrincipalId") {
                (GuidForm::Registry, false)
            } else if is("Get-MgServicePrincipal", "Filter") {
                if let Some(filter) = cx.values.string_value(value)
                    && let Some(id) = filter_app_id(&filter)
                {
                    out.push(IdSite {
                        place: "the `appId` of a Graph filter".to_owned(),
                        value: id.to_owned(),
                        span: span_in(text, value.span(), id),
                        form: GuidForm::Registry,
                        strict: true,
                    });
                }
                continue;
            } else {
                continue;
            };
            let Some(strings) = known_strings(cx, value) else {
                continue;
            };
            for (s, at) in strings {
                let literal = matches!(at, Expression::String(_));
                let span = if literal {
                    span_in(text, at.span(), s.trim())
                } else {
                    at.span()
                };
                out.push(IdSite {
                    place: format!("`-{}` of `{}`", parameter.name, cmdlet.name),
                    value: s,
                    span,
                    form,
                    strict,
                });
            }
        }
    }
    out
}

/// A fully qualified host name: two labels or more, each 1 to 63 letters, digits or dashes (not
/// first or last), the last one not all digits (an IP address is not a host name), 253 bytes at
/// most; with `wildcard`, the first label may be `*`.
pub fn is_fqdn(host: &str, wildcard: bool) -> bool {
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    labels
        .iter()
        .enumerate()
        .all(|(i, l)| (i == 0 && wildcard && *l == "*") || label_ok(l))
        && !labels[labels.len() - 1].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_in_their_forms() {
        assert!(is_guid("00000004-0000-0ff1-ce00-000000000000"));
        assert!(!is_guid("00000004-0000-0ff1-ce00-00000000000"));
        assert!(!is_guid("00000004-0000-0ffl-ce00-000000000000"));
        assert!(parses_as_guid("{00000004-0000-0ff1-ce00-000000000000}"));
        assert!(parses_as_guid("0000000400000ff1ce00000000000000"));
        assert!(!parses_as_guid("lync.contoso.com"));
        assert!(meant_as_guid("00000004-0000-0ff1-ce00-00000000000"));
        assert!(meant_as_guid("bc2795f3-2387-4543-a95d-f92c85c7a1bz"));
        assert!(!meant_as_guid("microsoft.exchange"));
    }

    #[test]
    fn near_ids_are_typos_not_other_applications() {
        assert_eq!(
            near_well_known("00000004-0000-0ff1-ce00-000000000001", true).map(|(id, _)| id),
            Some(catalog::SKYPE_ONLINE_APP_ID)
        );
        assert!(near_well_known("00000004-0000-0ff1-ce00-00000000000", true).is_some());
        // Transposed digits.
        assert!(near_well_known("00000004-0000-0f1f-ce00-000000000000", true).is_some());
        // Real first-party applications, known here or not, and placeholders.
        assert!(near_well_known("00000002-0000-0ff1-ce00-000000000000", true).is_none());
        assert!(near_well_known("00000006-0000-0ff1-ce00-000000000000", true).is_none());
        assert!(near_well_known("00000009-0000-0000-c000-000000000000", false).is_none());
        assert!(near_well_known("00000000-0000-0000-0000-000000000000", false).is_none());
        assert!(near_well_known("00000001-0000-0000-c000-000000000001", true).is_none());
        assert!(near_well_known("00000001-0000-0000-c000-000000000001", false).is_some());
        assert!(near_well_known("bc2795f3-2387-4543-a95d-f92c85c7a1b0", false).is_none());
    }

    #[test]
    fn host_names() {
        assert!(is_fqdn("lync.contoso.com", false));
        assert!(is_fqdn("Pool1ExternalWebFQDN.contoso.com", false));
        assert!(!is_fqdn("lync", false));
        assert!(!is_fqdn("https://lync.contoso.com", false));
        assert!(!is_fqdn("lync.contoso.com/", false));
        assert!(!is_fqdn("10.0.0.1", false));
        assert!(!is_fqdn("*.contoso.com", false));
        assert!(is_fqdn("*.contoso.com", true));
        assert!(!is_fqdn("lync..contoso.com", false));
    }
}
