//! Writes of whole lists of a service principal: its service principal names and its key
//! credentials (`Set-MsolServicePrincipal -ServicePrincipalNames`, `Update-MgServicePrincipal
//! -KeyCredentials`, a Graph PATCH body), the value written and whether it starts from the list
//! already there.

use super::certificates::written_at;
use super::credentials::entry;
use super::values::single_expression;
use super::variables::MAX_HOPS;
use crate::powershell::ast::{Expression, Span};

use super::Analysis;

/// The most list writes (or removals) one file's rules judge: a real script has a handful, and the
/// cap keeps a pathological file linear.
pub const MAX_SITES: usize = 256;

/// Which list of a service principal is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    ServicePrincipalNames,
    KeyCredentials,
}

impl ListKind {
    /// The property's name, lower case, as Graph and MSOnline spell it (any case).
    pub fn property(self) -> &'static str {
        match self {
            ListKind::ServicePrincipalNames => "serviceprincipalnames",
            ListKind::KeyCredentials => "keycredentials",
        }
    }
}

/// What a list is written from.
#[derive(Debug, Clone)]
pub enum ListValue<'a> {
    /// An expression of the script (`-ServicePrincipalNames $names`).
    Expression(&'a Expression),
    /// The items of a JSON array in a request body.
    Json(Vec<serde_json::Value>),
}

/// A write that replaces a whole list of a service principal.
#[derive(Debug, Clone)]
pub struct ListWrite<'a> {
    pub kind: ListKind,
    pub value: ListValue<'a>,
    /// The value (or the request body).
    pub span: Span,
    /// The command that writes.
    pub command: Span,
    /// How the command is named in messages.
    pub by: String,
}

/// Every write of a whole SPN or key list: `Set-MsolServicePrincipal -ServicePrincipalNames`,
/// `Update-MgServicePrincipal -ServicePrincipalNames/-KeyCredentials/-BodyParameter`, and
/// `Invoke-MgGraphRequest -Method PATCH -Body` with `servicePrincipalNames` or `keyCredentials`.
pub fn list_writes<'a>(cx: &Analysis<'a>) -> Vec<ListWrite<'a>> {
    let mut out = Vec::new();
    for u in &cx.commands {
        if out.len() >= MAX_SITES {
            break;
        }
        let b = &u.binding;
        let mut push = |kind, value: &'a Expression, by: &str| {
            out.push(ListWrite {
                kind,
                value: ListValue::Expression(value),
                span: value.span(),
                command: u.command.span,
                by: by.to_string(),
            });
        };
        if u.is("Set-MsolServicePrincipal") {
            if let Some(v) = b.value("ServicePrincipalNames") {
                push(
                    ListKind::ServicePrincipalNames,
                    v,
                    "Set-MsolServicePrincipal -ServicePrincipalNames",
                );
            }
        } else if u.is("Update-MgServicePrincipal") || u.is("Update-MgApplication") {
            if let Some(v) = b.value("ServicePrincipalNames") {
                push(
                    ListKind::ServicePrincipalNames,
                    v,
                    "Update-MgServicePrincipal -ServicePrincipalNames",
                );
            }
            if let Some(v) = b.value("KeyCredentials") {
                push(
                    ListKind::KeyCredentials,
                    v,
                    "Update-MgServicePrincipal -KeyCredentials",
                );
            }
            if let Some(v) = b.value("BodyParameter")
                && let Some(h) = hashtable_of(cx, v)
            {
                for kind in [ListKind::ServicePrincipalNames, ListKind::KeyCredentials] {
                    if let Some(v) = entry(h, kind.property()) {
                        push(kind, v, "Update-MgServicePrincipal -BodyParameter");
                    }
                }
            }
        } else if u.is("Invoke-MgGraphRequest") {
            let patch = b
                .parameter("Method")
                .and_then(|p| p.value)
                .and_then(|v| cx.values.string_value(v))
                .is_some_and(|m| m.eq_ignore_ascii_case("PATCH"));
            let Some(body) = b.parameter("Body").and_then(|p| p.value) else {
                continue;
            };
            if !patch {
                continue;
            }
            if let Some(h) = hashtable_of(cx, body) {
                for kind in [ListKind::ServicePrincipalNames, ListKind::KeyCredentials] {
                    if let Some(v) = entry(h, kind.property()) {
                        push(kind, v, "Invoke-MgGraphRequest -Method PATCH");
                    }
                }
                continue;
            }
            let Some(text) = cx.values.string_value(body) else {
                continue;
            };
            let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&text) else {
                continue;
            };
            for kind in [ListKind::ServicePrincipalNames, ListKind::KeyCredentials] {
                if let Some((_, serde_json::Value::Array(items))) = map
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(kind.property()))
                {
                    out.push(ListWrite {
                        kind,
                        value: ListValue::Json(items.clone()),
                        span: written_at(cx, body).unwrap_or(body.span()),
                        command: u.command.span,
                        by: "Invoke-MgGraphRequest -Method PATCH".to_string(),
                    });
                }
            }
        }
    }
    out
}

/// The hashtable literal an expression is, or a variable is assigned once.
pub fn hashtable_of<'a>(
    cx: &Analysis<'a>,
    e: &'a Expression,
) -> Option<&'a crate::powershell::ast::Hashtable> {
    match follow(cx, e) {
        Expression::Hashtable(h) => Some(h),
        Expression::Convert(c) => match &c.operand {
            Expression::Hashtable(h) => Some(h),
            _ => None,
        },
        _ => None,
    }
}

/// The expression a variable was assigned once (a few assignments deep), or the expression
/// itself; parentheses are looked through.
pub fn follow<'a>(cx: &Analysis<'a>, e: &'a Expression) -> &'a Expression {
    let mut e = e;
    for _ in 0..MAX_HOPS {
        match e {
            Expression::Variable(v) => {
                match cx.values.assignment_at(v).and_then(|a| a.expression) {
                    Some(next) => e = next,
                    None => return e,
                }
            }
            Expression::Paren(p) => match single_expression(&p.pipeline) {
                Some(next) => e = next,
                None => return e,
            },
            _ => return e,
        }
    }
    e
}

/// The items of an array literal (`'a', 'b'`, `@('a'; 'b')`, `@()`), looked through variables.
pub fn array_items<'a>(cx: &Analysis<'a>, e: &'a Expression) -> Option<Vec<&'a Expression>> {
    match follow(cx, e) {
        Expression::Array(a) => Some(a.elements.iter().collect()),
        Expression::ArrayExpression(s) => {
            let mut items = Vec::new();
            for st in &s.statements {
                match single_expression(st)? {
                    Expression::Array(a) => items.extend(a.elements.iter()),
                    other => items.push(other),
                }
            }
            Some(items)
        }
        _ => None,
    }
}

/// A list written from nothing that was read: literal names (`'a', "b/$fqdn"`), or hashtable
/// literals of key credentials, and no existing list in it. `Some(n)`: a fresh list of `n` items.
pub fn fresh_list(cx: &Analysis<'_>, kind: ListKind, value: &ListValue<'_>) -> Option<usize> {
    match value {
        ListValue::Json(items) => Some(items.len()),
        ListValue::Expression(e) => {
            let literal_item = |x: &Expression| match kind {
                ListKind::ServicePrincipalNames => match x {
                    Expression::String(_) => true,
                    Expression::ExpandableString(_) => true,
                    other => matches!(
                        cx.values.evaluate(other),
                        Some(crate::semantic::Value::String(_))
                    ),
                },
                ListKind::KeyCredentials => {
                    matches!(follow(cx, x), Expression::Hashtable(_))
                        || matches!(follow(cx, x), Expression::Convert(c) if matches!(c.operand, Expression::Hashtable(_)))
                }
            };
            let target = follow(cx, e);
            if let Some(items) = array_items(cx, e) {
                return items.iter().all(|x| literal_item(x)).then_some(items.len());
            }
            if literal_item(target) {
                return Some(1);
            }
            if kind == ListKind::ServicePrincipalNames
                && let Some(strings) = cx.values.evaluate(e).and_then(|v| v.strings())
            {
                return Some(strings.len());
            }
            None
        }
    }
}
