//! `spn-added-without-check`: an SPN added to a service principal's list without checking that it
//! is not there already.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::{
    AssignmentOperator, BinaryOperator, Expression, PipelineElement, Span, Statement,
};
use crate::semantic::guards::is_membership;
use crate::semantic::values::single_expression;

use crate::semantic::lists::{ListKind, ListValue, MAX_SITES, follow, fresh_list, list_writes};
use crate::semantic::variables::{
    collect_variables, involved_variables, last_member, root_variable, variable_key,
};

pub const RULE: Rule = Rule {
    code: "spn-added-without-check",
    group: Group::Principals,
    severity: Severity::Warning,
    summary: "An SPN added to a service principal without checking first that it is missing.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports an SPN added to a service principal's list that is then written back
(`$sp.ServicePrincipalNames.Add(...)` before `Set-MsolServicePrincipal -ServicePrincipalNames`,
`$sp.ServicePrincipalNames + $new` given to `Update-MgServicePrincipal -ServicePrincipalNames`,
`$names += $new`), when nothing in the script checks whether the name is already there: no
`-notcontains`, `-contains`, `-in`, `-notin`, `.Contains()`, `Where-Object` or `.Where()` that
reads the list or the new name (its result may be kept in a variable for an `if`), and no
look-up of the principal that holds it (`Get-MsolServicePrincipal -ServicePrincipalName $spn`,
`Get-MgServicePrincipal -Filter "servicePrincipalNames/any(x:x eq '...')"`). An `if` that only
checks that the principal exists (`if ($sp)`) or the size of its list is no such check.

## Why it matters
An SPN is unique in the tenant. Adding one that is already on the principal (the second run of
the script) or on another principal fails ("Another object with the same value for property
servicePrincipalNames already exists", HTTP 409), and the script stops half-way. Microsoft's
Lync and Skype for Business pages add the SPN this way; the step must be safe to run again.

## Example
```powershell
$lyncSP = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
$lyncSP.ServicePrincipalNames.Add("00000004-0000-0ff1-ce00-000000000000/lync.contoso.com")
Set-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ServicePrincipalNames $lyncSP.ServicePrincipalNames
```

## Use instead
```powershell
$spn = "00000004-0000-0ff1-ce00-000000000000/lync.contoso.com"
$lyncSP = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
if ($lyncSP.ServicePrincipalNames -notcontains $spn) {
    $lyncSP.ServicePrincipalNames.Add($spn)
    Set-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ServicePrincipalNames $lyncSP.ServicePrincipalNames
}
```

## Fix safety
No fix: the check belongs around the addition, as above.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let writes: Vec<_> = list_writes(cx)
        .into_iter()
        .filter(|w| w.kind == ListKind::ServicePrincipalNames)
        .collect();
    if writes.is_empty() {
        return;
    }
    // The variables each write's list comes from.
    let mut written_from: Vec<(HashSet<String>, Span, &Expression)> = Vec::new();
    for w in &writes {
        let ListValue::Expression(e) = &w.value else {
            continue;
        };
        if fresh_list(cx, w.kind, &w.value).is_some() {
            continue;
        }
        written_from.push((involved_variables(cx, e), w.command, e));
    }
    if written_from.is_empty() {
        return;
    }
    let all_written: HashSet<&str> = written_from
        .iter()
        .flat_map(|(vars, _, _)| vars.iter().map(String::as_str))
        .collect();
    // The additions: `.Add()`/`.AddRange()` on an SPN list, `+=` on a written variable, and
    // `existing + new` written directly.
    let mut additions: Vec<(Span, HashSet<String>)> = Vec::new();
    cx.nodes.iter().copied().for_each(|node| {
        if additions.len() >= MAX_SITES {
            return;
        }
        match node {
            NodeRef::Expression(Expression::Invoke(i))
                if i.member.as_str().is_some_and(|m| {
                    m.eq_ignore_ascii_case("Add") || m.eq_ignore_ascii_case("AddRange")
                }) && is_spn_list(cx, &i.target) =>
            {
                let Some(root) = root_variable(&i.target) else {
                    return;
                };
                if !all_written.contains(variable_key(root).as_str()) {
                    return;
                }
                let mut vars = HashSet::from([variable_key(root)]);
                for a in &i.arguments {
                    let mut found = Vec::new();
                    collect_variables(NodeRef::Expression(a), &mut found);
                    vars.extend(found.iter().map(|v| variable_key(v)));
                }
                additions.push((i.span, vars));
            }
            NodeRef::Statement(Statement::Assignment(a))
                if a.operator == AssignmentOperator::Add =>
            {
                if let Expression::Variable(v) = &a.target
                    && all_written.contains(variable_key(v).as_str())
                {
                    let mut vars = HashSet::from([variable_key(v)]);
                    let mut found = Vec::new();
                    collect_variables(NodeRef::Statement(&a.value), &mut found);
                    vars.extend(found.iter().map(|v| variable_key(v)));
                    additions.push((a.span, vars));
                }
            }
            _ => {}
        }
    });
    for (vars, _, e) in &written_from {
        if is_concatenation(cx, e) {
            additions.push((e.span(), vars.clone()));
        }
    }
    if additions.is_empty() {
        return;
    }
    let checked = membership_checks(cx);
    additions.sort_by_key(|(span, _)| span.start);
    for (span, mut vars) in additions {
        // The write this addition feeds.
        let Some((written, _, _)) = written_from
            .iter()
            .find(|(w, c, _)| c.end >= span.end && vars.iter().any(|v| w.contains(v)))
        else {
            continue;
        };
        vars.extend(written.iter().cloned());
        vars.remove("pscmdlet");
        if vars.iter().any(|v| checked.contains(v)) {
            continue;
        }
        out.push(RULE.at(
            span,
            "this adds an SPN to the service principal's list without checking first that it is missing: when the principal (or another one) already has it, the write fails (an SPN is unique in the tenant) and the script stops there.",
            "add it only when missing: if ($sp.ServicePrincipalNames -notcontains $spn) { ... }, so that the script can be run again.",
        ));
    }
}

/// The variables read by the checks of whether an SPN is already there: a `-contains`,
/// `-notcontains`, `-in` or `-notin` comparison, a `.Contains()`, a pipeline with
/// `Where-Object` or a `.Where()`, and a look-up of the principal that holds an SPN
/// (`Get-MsolServicePrincipal -ServicePrincipalName $spn`,
/// `Get-MgServicePrincipal -Filter "servicePrincipalNames/any(x:x eq '$spn')"`). A check that
/// only looks at the principal (`if ($sp)`, `if ($sp.ServicePrincipalNames.Count -lt 10)`) is
/// none.
fn membership_checks(cx: &ScriptContext<'_>) -> HashSet<String> {
    let mut out = HashSet::new();
    let read = |node: NodeRef<'_>, out: &mut HashSet<String>| {
        let mut found = Vec::new();
        collect_variables(node, &mut found);
        out.extend(found.iter().map(|v| variable_key(v)));
    };
    for node in cx.nodes.iter().copied() {
        match node {
            NodeRef::Expression(e @ Expression::Binary(b)) if is_membership(&b.operator) => {
                read(NodeRef::Expression(e), &mut out)
            }
            NodeRef::Expression(e @ Expression::Invoke(i))
                if i.member.as_str().is_some_and(|m| {
                    m.eq_ignore_ascii_case("Contains") || m.eq_ignore_ascii_case("Where")
                }) =>
            {
                read(NodeRef::Expression(e), &mut out)
            }
            NodeRef::Pipeline(p)
                if p.elements.iter().any(|e| {
                    matches!(e, PipelineElement::Command(c) if c.name().is_some_and(|n| {
                        ["Where-Object", "where", "?"].iter().any(|w| w.eq_ignore_ascii_case(n))
                    }))
                }) =>
            {
                read(NodeRef::Pipeline(p), &mut out)
            }
            _ => {}
        }
    }
    for u in &cx.commands {
        let lookup = (u.is("Get-MsolServicePrincipal")
            && u.binding.value("ServicePrincipalName").is_some())
            || (u.is("Get-MgServicePrincipal")
                && u.binding.value("Filter").is_some_and(|f| {
                    f.span()
                        .text(cx.text())
                        .to_ascii_lowercase()
                        .contains("serviceprincipalnames/any")
                }));
        if lookup {
            read(NodeRef::Command(u.command), &mut out);
        }
    }
    out
}

/// `$x.ServicePrincipalNames`, or a variable assigned it once.
fn is_spn_list(cx: &ScriptContext<'_>, e: &Expression) -> bool {
    let target = follow(cx, e);
    last_member(target).is_some_and(|m| m.eq_ignore_ascii_case("ServicePrincipalNames"))
}

/// `a + b` (also in `@( )` or parentheses, or a variable assigned it once).
fn is_concatenation(cx: &ScriptContext<'_>, e: &Expression) -> bool {
    let mut e = follow(cx, e);
    for _ in 0..4 {
        match e {
            Expression::Binary(b) => return b.operator == BinaryOperator::Add,
            Expression::ArrayExpression(s) | Expression::SubExpression(s) => {
                match s.statements.as_slice() {
                    [one] => match single_expression(one) {
                        Some(inner) => e = inner,
                        None => return false,
                    },
                    _ => return false,
                }
            }
            Expression::Paren(p) => match single_expression(&p.pipeline) {
                Some(inner) => e = inner,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("spn-added-without-check", text).len()
    }

    #[test]
    fn unchecked_additions_are_found() {
        // The page's four lines, in its casing.
        assert_eq!(
            found(
                "$lyncSP = Get-MSOLServicePrincipal -AppPrincipalID 00000004-0000-0ff1-ce00-000000000000\n$lyncSP.ServicePrincipalNames.Add(\"00000004-0000-0ff1-ce00-000000000000/lync.contoso.com\")\nSet-MSOLServicePrincipal -AppPrincipalID 00000004-0000-0ff1-ce00-000000000000 -ServicePrincipalNames $lyncSP.ServicePrincipalNames"
            ),
            1
        );
        // A copy of the list, then Add.
        assert_eq!(
            found(
                "$sp = Get-MsolServicePrincipal -AppPrincipalId $id\n$spns = $sp.ServicePrincipalNames\n$spns.Add($new)\nSet-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $spns"
            ),
            1
        );
        // Concatenation, with Graph.
        assert_eq!(
            found(
                "$sp = Get-MgServicePrincipal -Filter \"appId eq '$id'\"\nUpdate-MgServicePrincipal -ServicePrincipalId $sp.Id -ServicePrincipalNames ($sp.ServicePrincipalNames + $spn)"
            ),
            1
        );
        // += on a list.
        assert_eq!(
            found(
                "$names = (Get-MsolServicePrincipal -AppPrincipalId $id).ServicePrincipalNames\n$names += $spn\nSet-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $names"
            ),
            1
        );
        // Only ShouldProcess around it.
        assert_eq!(
            found(
                "$sp = Get-MsolServicePrincipal -AppPrincipalId $id\nif ($PSCmdlet.ShouldProcess($id)) {\n  $sp.ServicePrincipalNames.Add($spn)\n  Set-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $sp.ServicePrincipalNames\n}"
            ),
            1
        );
        // A check that the principal exists, or of the list's size, is no check of the SPN.
        assert_eq!(
            found(
                "$lyncSP = Get-MsolServicePrincipal -AppPrincipalId $id\nif ($lyncSP) {\n  $lyncSP.ServicePrincipalNames.Add('00000004-0000-0ff1-ce00-000000000000/lyncweb.fabrikam.com')\n  Set-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $lyncSP.ServicePrincipalNames\n}"
            ),
            1
        );
        assert_eq!(
            found(
                "$sp = Get-MsolServicePrincipal -AppPrincipalId $id\nif ($sp.ServicePrincipalNames.Count -lt 10) {\n  $sp.ServicePrincipalNames.Add($spn)\n  Set-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $sp.ServicePrincipalNames\n}"
            ),
            1
        );
        assert_eq!(
            found(
                "$sp = Get-MgServicePrincipal -Filter \"appId eq '$id'\"\nif ($null -ne $sp) { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -ServicePrincipalNames ($sp.ServicePrincipalNames + $spn) }"
            ),
            1
        );
    }

    #[test]
    fn checked_or_unrelated_additions_are_fine() {
        for text in [
            "$sp = Get-MsolServicePrincipal -AppPrincipalId $id\nif ($sp.ServicePrincipalNames -notcontains $spn) {\n  $sp.ServicePrincipalNames.Add($spn)\n  Set-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $sp.ServicePrincipalNames\n}",
            "$sp = Get-MsolServicePrincipal -AppPrincipalId $id\nif (-not $sp.ServicePrincipalNames.Contains($spn)) { $sp.ServicePrincipalNames.Add($spn) }\nSet-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $sp.ServicePrincipalNames",
            "$sp = Get-MsolServicePrincipal -AppPrincipalId $id\nif ($spn -in $sp.ServicePrincipalNames) { return }\n$sp.ServicePrincipalNames.Add($spn)\nSet-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $sp.ServicePrincipalNames",
            "$current = @((Get-MsolServicePrincipal -AppPrincipalId $id).ServicePrincipalNames)\n$missing = @($wanted | Where-Object { $current -notcontains $_ })\nSet-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames (@($current) + @($missing))",
            "$holder = Get-MsolServicePrincipal -ServicePrincipalName $spn -ErrorAction SilentlyContinue\nif (-not $holder) {\n  $sp.ServicePrincipalNames.Add($spn)\n  Set-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $sp.ServicePrincipalNames\n}",
            "$sp = Get-MsolServicePrincipal -AppPrincipalId $id\n$has = $sp.ServicePrincipalNames -contains $spn\nif (-not $has) {\n  $sp.ServicePrincipalNames.Add($spn)\n  Set-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $sp.ServicePrincipalNames\n}",
            "$sp = Get-MgServicePrincipal -Filter \"appId eq '$id'\"\n$same = $sp.ServicePrincipalNames | Where-Object { $_ -eq $spn }\nif (-not $same) { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -ServicePrincipalNames ($sp.ServicePrincipalNames + $spn) }",
            "$sp = Get-MgServicePrincipal -Filter \"appId eq '$id'\"\nif ($sp.ServicePrincipalNames.Where({ $_ -eq $spn }).Count -eq 0) { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -ServicePrincipalNames ($sp.ServicePrincipalNames + $spn) }",
            "$holder = Get-MgServicePrincipal -Filter \"servicePrincipalNames/any(x:x eq '$spn')\"\n$sp = Get-MgServicePrincipal -Filter \"appId eq '$id'\"\nif (-not $holder) { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -ServicePrincipalNames ($sp.ServicePrincipalNames + $spn) }",
            // Added to a list that is never written.
            "$sp = Get-MsolServicePrincipal -AppPrincipalId $id\n$sp.ServicePrincipalNames.Add($spn)",
            // A literal list is list-replaced's finding.
            "Set-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames @('a/b', 'a/c')",
            "$list = New-Object System.Collections.ArrayList\n$list.Add('x')\nSet-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $names",
        ] {
            assert_eq!(found(text), 0, "{text}");
        }
    }
}
