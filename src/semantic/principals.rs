//! The Skype for Business Online service principal in a script: the variables that hold it (found
//! by its application ID in a Graph filter or `-AppPrincipalId`), and the service principal
//! names the script gives it.

use super::Value;
use super::ids::is_guid;
use super::values::single_expression;
use crate::powershell::NodeRef;
use crate::powershell::ast::BinaryOperator;
use std::collections::HashMap;

use crate::catalog;
use crate::powershell::ast::Span;
use crate::powershell::ast::{Command, Expression, PipelineElement, Statement};

use super::{Analysis, CommandUse};

/// The value of `appId eq '<value>'` in a Graph `-Filter` (any case, any spacing).
pub fn filter_app_id(filter: &str) -> Option<&str> {
    let lower = filter.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("appid") {
        let start = from + at;
        from = start + 5;
        if start > 0 && lower.as_bytes()[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let rest = lower[start + 5..].trim_start();
        let Some(rest) = rest.strip_prefix("eq") else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('\'') else {
            continue;
        };
        let Some(end) = rest.find('\'') else {
            continue;
        };
        let value_start = filter.len() - rest.len();
        return filter.get(value_start..value_start + end);
    }
    None
}

/// What is known of an SPN the script gives the Skype for Business Online principal.
#[derive(Debug, Clone, PartialEq)]
pub enum SpnText {
    /// The whole SPN.
    Full(String),
    /// Its start, before an unknown part (`"00000004-.../$fqdn"`).
    Prefix(String),
}

/// An SPN given to the Skype for Business Online principal.
#[derive(Debug, Clone)]
pub struct SpnSite {
    pub text: SpnText,
    pub span: Span,
    /// Added (`.ServicePrincipalNames.Add(...)`): a new SPN, which must have the Skype form. An
    /// item of a list written whole (`-ServicePrincipalNames`) may be one already there, of
    /// another form.
    pub added: bool,
}

/// The application ID a command that gets one service principal selects it by
/// (`Get-MsolServicePrincipal -AppPrincipalId`, `-ServicePrincipalName`, `Get-MgServicePrincipal
/// -Filter "appId eq '...'"`), lower case.
fn principal_of(cx: &Analysis<'_>, u: &CommandUse<'_>) -> Option<String> {
    let known = |name: &str| {
        u.binding
            .value(name)
            .and_then(|e| cx.values.string_value(e))
    };
    let id = if u.is("Get-MsolServicePrincipal") {
        known("AppPrincipalId").or_else(|| {
            known("ServicePrincipalName").map(|spn| {
                spn.split_once('/')
                    .map_or(spn.as_str(), |(id, _)| id)
                    .to_owned()
            })
        })
    } else if u.is("Get-MgServicePrincipal") {
        known("Filter").and_then(|f| filter_app_id(&f).map(str::to_owned))
    } else {
        None
    }?;
    let id = id.trim().to_ascii_lowercase();
    is_guid(&id).then_some(id)
}

/// The variables assigned the result of getting one service principal, with its application ID
/// (lower case); `None` for a variable also assigned anything else.
fn principal_variables(cx: &Analysis<'_>) -> HashMap<String, Option<String>> {
    let by_command: HashMap<*const Command, &CommandUse<'_>> = cx
        .commands
        .iter()
        .map(|u| (u.command as *const Command, u))
        .collect();
    let mut out: HashMap<String, Option<String>> = HashMap::new();
    for node in &cx.nodes {
        let NodeRef::Statement(Statement::Assignment(a)) = node else {
            continue;
        };
        let Expression::Variable(v) = &a.target else {
            continue;
        };
        let first = first_command(&a.value);
        let id = first
            .and_then(|c| by_command.get(&(c as *const Command)))
            .and_then(|u| principal_of(cx, u));
        let key = v.name.to_ascii_lowercase();
        let entry = out.entry(key).or_insert_with(|| id.clone());
        if *entry != id || a.operator != crate::powershell::ast::AssignmentOperator::Assign {
            *entry = None;
        }
    }
    out
}

/// The first command of a statement's pipeline (also inside `( )`).
fn first_command(statement: &Statement) -> Option<&Command> {
    let Statement::Pipeline(p) = statement else {
        return None;
    };
    match p.elements.first()? {
        PipelineElement::Command(c) => Some(c),
        PipelineElement::Expression(e) => match &e.expression {
            Expression::Paren(p) => first_command(&p.pipeline),
            _ => None,
        },
    }
}

/// The SPNs the script gives the Skype for Business Online principal: the argument of
/// `$sp.ServicePrincipalNames.Add(...)` for a variable holding that principal, and the known items
/// of `-ServicePrincipalNames` of `Set-MsolServicePrincipal -AppPrincipalId <Skype ID>` and of
/// `Update-MgServicePrincipal -ServicePrincipalId $sp.Id`.
pub fn skype_spns(cx: &Analysis<'_>) -> Vec<SpnSite> {
    let skype = catalog::SKYPE_ONLINE_APP_ID;
    let mentions_spns = cx
        .commands
        .iter()
        .any(|u| u.is("Get-MsolServicePrincipal") || u.is("Get-MgServicePrincipal"))
        || cx.commands.iter().any(|u| u.is("Set-MsolServicePrincipal"));
    if !mentions_spns {
        return Vec::new();
    }
    let principals = principal_variables(cx);
    let holds_skype = |e: &Expression| match e {
        Expression::Variable(v) => principals
            .get(&v.name.to_ascii_lowercase())
            .is_some_and(|id| id.as_deref() == Some(skype)),
        _ => false,
    };
    let mut out = Vec::new();
    for node in &cx.nodes {
        let NodeRef::Expression(Expression::Invoke(i)) = node else {
            continue;
        };
        if !i
            .member
            .as_str()
            .is_some_and(|m| m.eq_ignore_ascii_case("Add"))
            || i.arguments.len() != 1
        {
            continue;
        }
        let Expression::Member(m) = &i.target else {
            continue;
        };
        if m.member
            .as_str()
            .is_some_and(|n| n.eq_ignore_ascii_case("ServicePrincipalNames"))
            && holds_skype(&m.target)
        {
            spn_items(cx, &i.arguments[0], true, &mut out);
        }
    }
    for u in &cx.commands {
        let target_is_skype = if u.is("Set-MsolServicePrincipal") {
            u.binding
                .value("AppPrincipalId")
                .and_then(|e| cx.values.string_value(e))
                .is_some_and(|id| id.trim().eq_ignore_ascii_case(skype))
        } else if u.is("Update-MgServicePrincipal") {
            u.binding.value("ServicePrincipalId").is_some_and(|e| {
                matches!(e, Expression::Member(m) if holds_skype(&m.target)
                    && m.member.as_str().is_some_and(|n| n.eq_ignore_ascii_case("Id")))
            })
        } else {
            false
        };
        if target_is_skype && let Some(list) = u.binding.value("ServicePrincipalNames") {
            spn_items(cx, list, false, &mut out);
        }
    }
    out
}

/// The SPNs an expression gives, as far as they are known: a string, the items of an array
/// literal or of `@( )`, both sides of `+`; an expandable string by its constant start.
fn spn_items(cx: &Analysis<'_>, e: &Expression, added: bool, out: &mut Vec<SpnSite>) {
    match e {
        Expression::Array(a) => {
            for item in &a.elements {
                spn_items(cx, item, added, out);
            }
        }
        Expression::ArrayExpression(s) => {
            for statement in &s.statements {
                if let Some(item) = single_expression(statement) {
                    spn_items(cx, item, added, out);
                }
            }
        }
        Expression::Paren(p) => {
            if let Some(item) = single_expression(&p.pipeline) {
                spn_items(cx, item, added, out);
            }
        }
        Expression::Binary(b) if b.operator == BinaryOperator::Add => {
            spn_items(cx, &b.left, added, out);
            spn_items(cx, &b.right, added, out);
        }
        _ => match cx.values.evaluate(e) {
            Some(Value::String(s)) => out.push(SpnSite {
                text: SpnText::Full(s),
                span: e.span(),
                added,
            }),
            Some(Value::Array(items)) => {
                for item in items {
                    if let Value::String(s) = item {
                        out.push(SpnSite {
                            text: SpnText::Full(s),
                            span: e.span(),
                            added,
                        });
                    }
                }
            }
            _ => {
                if let Expression::ExpandableString(s) = e
                    && !s.parts.is_empty()
                {
                    let at = s.value.find('$').unwrap_or(0);
                    out.push(SpnSite {
                        text: SpnText::Prefix(s.value[..at].to_owned()),
                        span: e.span(),
                        added,
                    });
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_give_their_app_id() {
        assert_eq!(
            filter_app_id("appId eq '00000004-0000-0ff1-ce00-000000000000'"),
            Some("00000004-0000-0ff1-ce00-000000000000")
        );
        assert_eq!(
            filter_app_id("AppId  eq 'x' and displayName eq 'y'"),
            Some("x")
        );
        assert_eq!(filter_app_id("displayName eq 'appId'"), None);
        assert_eq!(filter_app_id("notappId eq 'x'"), None);
    }
}
