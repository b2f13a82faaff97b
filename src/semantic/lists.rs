//! Writes of whole lists of a service principal: its service principal names and its key
//! credentials (`Set-MsolServicePrincipal -ServicePrincipalNames`, `Update-MgServicePrincipal
//! -KeyCredentials`, a Graph PATCH body), the value written and whether it starts from the list
//! already there.

use super::certificates::written_at;
use super::credentials::entry;
use super::values::single_expression;
use super::variables::{MAX_HOPS, root_variable, variable_key};
use crate::powershell::NodeRef;
use crate::powershell::ast::{
    AssignmentOperator, CommandElement, Expression, PipelineElement, Span, Statement, Variable,
};

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
            if let Some(h) = hashtable_of(cx, body).or_else(|| converted_hashtable(cx, body)) {
                for kind in [ListKind::ServicePrincipalNames, ListKind::KeyCredentials] {
                    if let Some(v) = entry(h, kind.property()) {
                        push(kind, v, "Invoke-MgGraphRequest -Method PATCH");
                    }
                }
                continue;
            }
            let Some(text) = cx
                .values
                .string_value(body)
                .or_else(|| json_with_holes(cx, body))
            else {
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
                        span: written_at(cx, body).unwrap_or_else(|| follow(cx, body).span()),
                        command: u.command.span,
                        by: "Invoke-MgGraphRequest -Method PATCH".to_string(),
                    });
                }
            }
        }
    }
    out
}

/// The text of a double-quoted string (or here-string) whose parts are not known, each part
/// standing as the word `hole`: JSON that parses only when every part is inside a JSON string
/// (`"key": "$b64"`), never when one stands for JSON itself (`"keyCredentials": [$keys]`).
fn json_with_holes(cx: &Analysis<'_>, body: &Expression) -> Option<String> {
    let Expression::ExpandableString(s) = follow(cx, body) else {
        return None;
    };
    let text = cx.text();
    let mut out = String::with_capacity(s.value.len());
    let mut cursor = 0;
    for part in &s.parts {
        let written = part.span().text(text);
        let at = cursor + s.value.get(cursor..)?.find(written)?;
        out.push_str(&s.value[cursor..at]);
        out.push_str("hole");
        cursor = at + written.len();
    }
    out.push_str(s.value.get(cursor..)?);
    Some(out)
}

/// The hashtable a `ConvertTo-Json` turns into a request body: `$h | ConvertTo-Json`,
/// `ConvertTo-Json $h`, `ConvertTo-Json -InputObject $h`, in parentheses or in a variable
/// assigned once.
fn converted_hashtable<'a>(
    cx: &Analysis<'a>,
    body: &'a Expression,
) -> Option<&'a crate::powershell::ast::Hashtable> {
    let statement: &'a Statement = match unparen(body) {
        Expression::Variable(v) => cx.values.assignment_at(v)?.value,
        Expression::Paren(p) => &p.pipeline,
        Expression::SubExpression(s) => match s.statements.as_slice() {
            [one] => one,
            _ => return None,
        },
        _ => return None,
    };
    let Statement::Pipeline(p) = statement else {
        return None;
    };
    let is_convert = |c: &crate::powershell::ast::Command| {
        c.name()
            .is_some_and(|n| n.eq_ignore_ascii_case("ConvertTo-Json"))
    };
    match p.elements.as_slice() {
        [PipelineElement::Expression(x), PipelineElement::Command(c)] if is_convert(c) => {
            hashtable_of(cx, &x.expression)
        }
        [PipelineElement::Command(c)] if is_convert(c) => {
            // `-InputObject $h`, or the one hashtable among its arguments (`-Depth 4 $h`).
            let u = cx.commands.iter().find(|u| std::ptr::eq(u.command, c))?;
            match u.binding.value("InputObject") {
                Some(v) => hashtable_of(cx, v),
                None => c.arguments().find_map(|a| hashtable_of(cx, a)),
            }
        }
        _ => None,
    }
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
            // Built in steps: `$l = @(); $l += $new`, `$l = [List[string]]::new(); $l.Add($spn)`.
            if let Expression::Variable(v) = unparen(e)
                && let Some(n) = built_list(cx, v, &literal_item)
            {
                return Some(n);
            }
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

/// `(x)` → `x`.
fn unparen(e: &Expression) -> &Expression {
    let mut e = e;
    for _ in 0..MAX_HOPS {
        match e {
            Expression::Paren(p) => match single_expression(&p.pipeline) {
                Some(x) => e = x,
                None => return e,
            },
            _ => return e,
        }
    }
    e
}

/// A new, empty list: `@()`, `[T[]]@()`, `[System.Collections.Generic.List[string]]::new()`,
/// `New-Object System.Collections.Generic.List[string]` (or `ArrayList`, without arguments).
fn is_empty_list(cx: &Analysis<'_>, value: &Statement) -> bool {
    if let Some(x) = single_expression(value) {
        return match unparen(x) {
            Expression::ArrayExpression(a) => a.statements.is_empty(),
            Expression::Convert(c) => {
                matches!(&c.operand, Expression::ArrayExpression(a) if a.statements.is_empty())
            }
            Expression::Invoke(i) => {
                i.is_static
                    && i.arguments.is_empty()
                    && i.member
                        .as_str()
                        .is_some_and(|m| m.eq_ignore_ascii_case("new"))
                    && matches!(&i.target, Expression::Type(t)
                        if t.type_name.name.to_ascii_lowercase().ends_with("list"))
            }
            _ => false,
        };
    }
    let Statement::Pipeline(p) = value else {
        return false;
    };
    let [PipelineElement::Command(c)] = p.elements.as_slice() else {
        return false;
    };
    if !c
        .name()
        .is_some_and(|n| n.eq_ignore_ascii_case("New-Object"))
    {
        return false;
    }
    let mut types = Vec::new();
    for e in &c.elements {
        match e {
            CommandElement::Parameter(p)
                if !p.name.is_empty() && "typename".starts_with(&p.name.to_ascii_lowercase()) =>
            {
                types.extend(p.value.as_ref());
            }
            CommandElement::Argument(a) => types.push(a),
            _ => return false,
        }
    }
    matches!(types.as_slice(), [t] if cx.values.string_value(t).is_some_and(|n| {
        let n = n.to_ascii_lowercase();
        n.split('[').next().is_some_and(|base| base.ends_with("list"))
    }))
}

/// A list built in steps from nothing read: one `$l = <new empty list>`, then only `$l += item`
/// and `$l.Add(item)` with items `item` accepts, none in a loop or script block that the write
/// at `v` is not in, before `v`. `Some(n)`: the list has `n` items. Anything else that writes
/// `$l` (another assignment, `AddRange`, `Remove`, `foreach ($l in ...)`, a parameter) makes it
/// unknown.
fn built_list(
    cx: &Analysis<'_>,
    v: &Variable,
    item: &dyn Fn(&Expression) -> bool,
) -> Option<usize> {
    let key = variable_key(v);
    let at = v.span.start;
    let mut loops: Vec<Span> = Vec::new();
    let mut steps: Vec<Span> = Vec::new();
    let mut init = false;
    let mut count = 0usize;
    let this = |x: &Expression| matches!(x, Expression::Variable(t) if variable_key(t) == key);
    for node in &cx.nodes {
        match node {
            NodeRef::Statement(Statement::Foreach(f)) => {
                if variable_key(&f.variable) == key {
                    return None;
                }
                loops.push(f.span);
            }
            NodeRef::Statement(
                s @ (Statement::For(_) | Statement::While(_) | Statement::Do(_)),
            ) => loops.push(s.span()),
            NodeRef::Expression(Expression::ScriptBlock(b)) => loops.push(b.span),
            NodeRef::Parameter(p) if variable_key(&p.variable) == key => return None,
            NodeRef::Statement(Statement::Assignment(a)) if a.span.start < at => {
                if root_variable(&a.target).is_none_or(|r| variable_key(r) != key) {
                    continue;
                }
                if !this(&a.target) {
                    return None;
                }
                match a.operator {
                    AssignmentOperator::Assign if !init && is_empty_list(cx, &a.value) => {
                        init = true;
                    }
                    AssignmentOperator::Add if init => {
                        let x = single_expression(&a.value)?;
                        let items = array_items(cx, x).unwrap_or_else(|| vec![x]);
                        if !items.iter().all(|x| item(x)) {
                            return None;
                        }
                        count += items.len();
                    }
                    _ => return None,
                }
                steps.push(a.span);
            }
            NodeRef::Expression(Expression::Invoke(i)) if i.span.start < at && this(&i.target) => {
                let member = i.member.as_str()?.to_ascii_lowercase();
                if member == "add" && init && i.arguments.len() == 1 && item(&i.arguments[0]) {
                    count += 1;
                    steps.push(i.span);
                } else if !matches!(
                    member.as_str(),
                    "contains" | "toarray" | "indexof" | "tostring" | "gettype"
                ) {
                    return None;
                }
            }
            _ => {}
        }
    }
    let looped = steps.iter().any(|s| {
        loops
            .iter()
            .any(|l| l.start <= s.start && s.end <= l.end && !(l.start <= at && at < l.end))
    });
    (init && !looped).then_some(count)
}
