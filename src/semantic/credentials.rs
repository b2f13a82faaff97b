//! The key credentials a script creates: MSOnline's `New-MsolServicePrincipalCredential`
//! parameters, Graph's keyCredential hashtables and JSON bodies, each with its type, usage, key
//! and dates, where they are written.

use super::dates::date_of_text;
use super::values::single_expression;
use crate::powershell::NodeRef;
use crate::powershell::ast::{Expression, Span};

use super::Analysis;
use super::dates::{DateValue, Reading, date_value};

/// Where a key credential is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialForm {
    /// `New-MsolServicePrincipalCredential` / `New-MsolServicePrincipal` parameters.
    MsOnline,
    /// A hashtable with Graph's keyCredential properties (`-KeyCredentials @{...}`).
    GraphHashtable,
    /// A JSON object in a string (an `Invoke-MgGraphRequest` body).
    GraphJson,
}

/// One property of a credential: its text when known, and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<'a> {
    pub text: Option<String>,
    pub span: Span,
    /// The expression written there (for a fix), when the field is an expression of its own.
    pub expression: Option<&'a Expression>,
}

/// A date property of a credential.
#[derive(Debug, Clone, PartialEq)]
pub struct DateField<'a> {
    pub value: Option<DateValue>,
    pub span: Span,
    pub expression: Option<&'a Expression>,
}

/// A key credential the script creates.
#[derive(Debug, Clone, PartialEq)]
pub struct Credential<'a> {
    pub form: CredentialForm,
    /// The command, hashtable or JSON string.
    pub span: Span,
    pub kind: Option<Field<'a>>,
    pub usage: Option<Field<'a>>,
    /// The Base64 text of the key (`-Value`, `key`).
    pub value: Option<Field<'a>>,
    pub start: Option<DateField<'a>>,
    pub end: Option<DateField<'a>>,
}

impl Credential<'_> {
    /// Whether the credential is an asymmetric (certificate) one: `Some(false)` for another
    /// type, `None` when the type is not known. MSOnline's default type is symmetric.
    pub fn is_asymmetric(&self) -> Option<bool> {
        match &self.kind {
            Some(field) => {
                let text = field.text.as_deref()?;
                Some(
                    text.eq_ignore_ascii_case("Asymmetric")
                        || text.eq_ignore_ascii_case("AsymmetricX509Cert"),
                )
            }
            None if self.form == CredentialForm::MsOnline => Some(false),
            None => None,
        }
    }
}

/// The Graph keyCredential types and usages (to tell a credential hashtable from any other).
const GRAPH_TYPES: &[&str] = &["AsymmetricX509Cert", "Symmetric", "X509CertAndPassword"];
const GRAPH_USAGES: &[&str] = &["Verify", "Sign"];

/// Every key credential the script creates, in source order (found once a script).
pub fn credentials<'s, 'a>(cx: &'s Analysis<'a>) -> &'s [Credential<'a>] {
    &cx.credentials
}

pub(super) fn find_credentials<'a>(cx: &Analysis<'a>) -> Vec<Credential<'a>> {
    let mut out = Vec::new();
    // Every form names MSOnline's cmdlet, a Graph type or a `usage`.
    if !cx.mentions(&["msolserviceprincipal", "usage", "symmetric", "x509cert"]) {
        return out;
    }
    for u in &cx.commands {
        if !(u.is("New-MsolServicePrincipalCredential") || u.is("New-MsolServicePrincipal")) {
            continue;
        }
        let b = &u.binding;
        let field = |name: &str| {
            let p = b.parameter(name)?;
            let value = p.value;
            Some(Field {
                text: value.and_then(|v| cx.values.string_value(v)),
                span: value.map_or(p.span, |v| v.span()),
                expression: value,
            })
        };
        let date = |name: &str| {
            let p = b.parameter(name)?;
            let value = p.value;
            Some(DateField {
                value: value.and_then(|v| date_value(cx, v, Reading::Culture)),
                span: value.map_or(p.span, |v| v.span()),
                expression: value,
            })
        };
        let credential = Credential {
            form: CredentialForm::MsOnline,
            span: u.command.span,
            kind: field("Type"),
            usage: field("Usage"),
            value: field("Value"),
            start: date("StartDate"),
            end: date("EndDate"),
        };
        if u.is("New-MsolServicePrincipal")
            && credential.kind.is_none()
            && credential.value.is_none()
        {
            continue;
        }
        out.push(credential);
    }
    cx.nodes.iter().copied().for_each(|node| {
        let NodeRef::Expression(e) = node else {
            return;
        };
        match e {
            Expression::Hashtable(h) => {
                if let Some(c) = hashtable_credential(cx, h) {
                    out.push(c);
                }
            }
            Expression::String(_) | Expression::ExpandableString(_) => {
                json_credentials(cx, e, &mut out);
            }
            _ => {}
        }
    });
    out.sort_by_key(|c| c.span.start);
    out
}

/// The value of the entry `key` (any case) of a hashtable literal.
pub fn entry<'e>(h: &'e crate::powershell::ast::Hashtable, key: &str) -> Option<&'e Expression> {
    h.entries.iter().find_map(|e| {
        let k = match &e.key {
            Expression::String(s) => s.value.as_str(),
            _ => return None,
        };
        if k.eq_ignore_ascii_case(key) {
            single_expression(&e.value)
        } else {
            None
        }
    })
}

/// Whether a hashtable literal has the entry `key` (any case), whatever its value.
pub fn has_entry(h: &crate::powershell::ast::Hashtable, key: &str) -> bool {
    h.entries
        .iter()
        .any(|e| matches!(&e.key, Expression::String(s) if s.value.eq_ignore_ascii_case(key)))
}

fn hashtable_credential<'a>(
    cx: &Analysis<'a>,
    h: &'a crate::powershell::ast::Hashtable,
) -> Option<Credential<'a>> {
    if !has_entry(h, "Key") {
        return None;
    }
    let field = |name: &str| {
        let value = entry(h, name)?;
        Some(Field {
            text: cx.values.string_value(value),
            span: value.span(),
            expression: Some(value),
        })
    };
    let kind = field("Type");
    let usage = field("Usage");
    let known = |f: &Option<Field>, list: &[&str]| {
        f.as_ref()
            .and_then(|f| f.text.as_deref())
            .is_some_and(|t| list.iter().any(|k| k.eq_ignore_ascii_case(t)))
    };
    if !known(&kind, GRAPH_TYPES) && !known(&usage, GRAPH_USAGES) {
        return None;
    }
    let value = entry(h, "Key").map(|v| Field {
        text: key_text(cx, v),
        span: v.span(),
        expression: Some(v),
    });
    let date = |name: &str| {
        let value = entry(h, name)?;
        Some(DateField {
            // How the Graph module converts a string is not relied on: both orders.
            value: date_value(cx, value, Reading::Culture),
            span: value.span(),
            expression: Some(value),
        })
    };
    Some(Credential {
        form: CredentialForm::GraphHashtable,
        span: h.span,
        kind,
        usage,
        value,
        start: date("StartDateTime"),
        end: date("EndDateTime"),
    })
}

/// The Base64 text a Graph `Key` holds: `[Text.Encoding]::ASCII.GetBytes(s)`,
/// `[Convert]::FromBase64String(s)`, or a string.
fn key_text(cx: &Analysis<'_>, e: &Expression) -> Option<String> {
    if let Some(s) = cx.values.string_value(e) {
        return Some(s);
    }
    let mut e = e;
    while let Expression::Paren(p) = e {
        e = single_expression(&p.pipeline)?;
    }
    let Expression::Invoke(i) = e else {
        return None;
    };
    let method = i.member.as_str()?;
    if (method.eq_ignore_ascii_case("GetBytes") || method.eq_ignore_ascii_case("FromBase64String"))
        && i.arguments.len() == 1
    {
        return cx.values.string_value(&i.arguments[0]);
    }
    None
}

fn json_credentials<'a>(cx: &Analysis<'a>, e: &'a Expression, out: &mut Vec<Credential<'a>>) {
    let Some(text) = json_text(cx, e) else {
        return;
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
        return;
    };
    let mut stack = vec![&value];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
            serde_json::Value::Object(map) => {
                let get = |k: &str| {
                    map.iter()
                        .find(|(key, _)| key.eq_ignore_ascii_case(k))
                        .map(|(_, v)| v)
                };
                let text_of = |k: &str| get(k).and_then(|v| v.as_str()).map(str::to_owned);
                let kind = text_of("type");
                let usage = text_of("usage");
                let is_credential = get("key").is_some()
                    && (kind
                        .as_deref()
                        .is_some_and(|t| GRAPH_TYPES.iter().any(|k| k.eq_ignore_ascii_case(t)))
                        || usage.as_deref().is_some_and(|t| {
                            GRAPH_USAGES.iter().any(|k| k.eq_ignore_ascii_case(t))
                        }));
                if is_credential {
                    let span = e.span();
                    let field = |text: Option<String>| {
                        Some(Field {
                            text,
                            span,
                            expression: None,
                        })
                    };
                    let date = |k: &str| {
                        let v = get(k)?;
                        Some(DateField {
                            value: v.as_str().and_then(|s| date_of_text(s, Reading::Culture)),
                            span,
                            expression: None,
                        })
                    };
                    out.push(Credential {
                        form: CredentialForm::GraphJson,
                        span,
                        kind: get("type").and_then(|_| field(kind.clone())),
                        usage: get("usage").and_then(|_| field(usage.clone())),
                        value: field(text_of("key")),
                        start: date("startDateTime"),
                        end: date("endDateTime"),
                    });
                } else {
                    stack.extend(map.values().rev());
                }
            }
            _ => {}
        }
    }
}

/// The text of a string that may be JSON with key credentials or service principal names.
pub fn json_text(cx: &Analysis<'_>, e: &Expression) -> Option<String> {
    let json_like = |t: &str| {
        let t = t.trim_start();
        t.starts_with('{') || t.starts_with('[')
    };
    let text = match e {
        Expression::String(s) if json_like(&s.value) => s.value.clone(),
        Expression::ExpandableString(s) if json_like(&s.value) => cx.values.string_value(e)?,
        _ => return None,
    };
    let trimmed = text.trim_start();
    (trimmed.starts_with('{') || trimmed.starts_with('[')).then_some(text)
}
