//! `remove-all-keys`: a removal that takes every key credential of a service principal.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::{
    Command, CommandElement, Expression, Pipeline, PipelineElement, Span, Statement,
};
use crate::semantic::values::single_expression;

use crate::semantic::lists::{ListKind, MAX_SITES, fresh_list, list_writes};

pub const RULE: Rule = Rule {
    code: "remove-all-keys",
    group: Group::Principals,
    severity: Severity::Error,
    summary: "A removal that takes every key credential of the service principal, not the one meant.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a removal of key credentials that takes all of them: `Remove-MsolServicePrincipalCredential
-KeyIds` given every KeyId that `Get-MsolServicePrincipalCredential` returns (directly, through a
variable, or in a `foreach`/`ForEach-Object` over its unfiltered output), `Remove-MgServicePrincipalKey`
in a loop over all of a principal's `KeyCredentials`, and a write of an empty key list
(`Update-MgServicePrincipal -KeyCredentials @()`, a PATCH with `"keyCredentials":[]`).

## Why it matters
A principal often holds several certificates: the current one and the next (staged with
`Set-CsCertificate -Roll`), Exchange's, another pool's. Removing all of them instead of the one
that expired breaks server-to-server authentication for everything at once.

## Example
```powershell
$keys = Get-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ReturnKeyValues $false
Remove-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -KeyIds $keys.KeyId
```

## Use instead
```powershell
$keys = Get-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ReturnKeyValues $false
$expired = $keys | Where-Object { $_.EndDate -lt (Get-Date) }
Remove-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -KeyIds $expired.KeyId
```

## Fix safety
No fix: select the credential meant, by its KeyId, its end date or its certificate.
"#;

const GETS: &[&str] = &["Get-MsolServicePrincipalCredential"];
const REMOVES: &[&str] = &[
    "Remove-MsolServicePrincipalCredential",
    "Remove-MgServicePrincipalKey",
    "Remove-MgApplicationKey",
];

fn named(c: &Command, names: &[&str]) -> bool {
    c.name()
        .map(|n| n.rsplit('\\').next().unwrap_or(n))
        .is_some_and(|n| names.iter().any(|x| x.eq_ignore_ascii_case(n)))
}

/// Pipeline elements that pass every item on (selecting a property, nothing filtered).
fn passes_all(c: &Command) -> bool {
    let Some(name) = c.name() else { return false };
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "select-object" | "select" => c.parameters().all(|p| {
            let n = p.name.to_ascii_lowercase();
            "expandproperty".starts_with(&n) || "property".starts_with(&n)
        }),
        _ => false,
    }
}

/// A pipeline that yields every credential: `Get-MsolServicePrincipalCredential ...` (or a value
/// that is every credential), perhaps followed by `Select-Object -ExpandProperty KeyId`.
fn all_credentials(cx: &ScriptContext<'_>, p: &Pipeline, depth: usize) -> bool {
    let mut elements = p.elements.iter();
    let first = match elements.next() {
        Some(PipelineElement::Command(first)) => named(first, GETS),
        Some(PipelineElement::Expression(x)) if p.elements.len() > 1 => {
            is_all(cx, &x.expression, depth + 1)
        }
        _ => false,
    };
    first && elements.all(|e| matches!(e, PipelineElement::Command(c) if passes_all(c)))
}

/// Whether an expression (or the statement a variable was assigned once) is every credential,
/// or every credential's KeyId.
fn is_all(cx: &ScriptContext<'_>, e: &Expression, depth: usize) -> bool {
    if depth > 4 {
        return false;
    }
    match e {
        Expression::Paren(p) => statement_is_all(cx, &p.pipeline, depth + 1),
        Expression::SubExpression(s) | Expression::ArrayExpression(s) => {
            match s.statements.as_slice() {
                [one] => statement_is_all(cx, one, depth + 1),
                _ => false,
            }
        }
        Expression::Variable(v) => cx
            .values
            .assignment_at(v)
            .is_some_and(|a| statement_is_all(cx, a.value, depth + 1)),
        Expression::Member(m) => {
            let member = m.member.as_str().unwrap_or("");
            (member.eq_ignore_ascii_case("KeyId") || member.eq_ignore_ascii_case("KeyCredentials"))
                && (is_all(cx, &m.target, depth + 1)
                    || member.eq_ignore_ascii_case("KeyCredentials"))
        }
        _ => false,
    }
}

fn statement_is_all(cx: &ScriptContext<'_>, s: &Statement, depth: usize) -> bool {
    match s {
        Statement::Pipeline(p) => {
            all_credentials(cx, p, depth)
                || single_expression(s).is_some_and(|e| is_all(cx, e, depth))
        }
        _ => false,
    }
}

/// Whether a block runs a removal unconditionally (a removal command among its own
/// statements, not inside an `if`, `switch`, `where` or loop of its own).
fn removes_each(statements: &[Statement]) -> Option<Span> {
    for s in statements {
        if let Statement::Pipeline(p) = s {
            for e in &p.elements {
                if let PipelineElement::Command(c) = e
                    && named(c, REMOVES)
                {
                    return Some(c.span);
                }
            }
        }
    }
    None
}

fn block_statements(e: &Expression) -> Option<&[Statement]> {
    match e {
        Expression::ScriptBlock(b) => match &b.body {
            crate::powershell::ast::Body::Statements(list) => Some(&list.statements),
            _ => None,
        },
        _ => None,
    }
}

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    if !cx.mentions(&[
        "remove-msolserviceprincipalcredential",
        "remove-mg",
        "keycredentials",
    ]) {
        return;
    }
    let mut sites: Vec<(Span, &'static str)> = Vec::new();
    // -KeyIds given every KeyId.
    for u in &cx.commands {
        if u.is("Remove-MsolServicePrincipalCredential")
            && let Some(v) = u.binding.value("KeyIds")
            && is_all(cx, v, 0)
        {
            sites.push((
                v.span(),
                "every KeyId Get-MsolServicePrincipalCredential returns",
            ));
        }
    }
    cx.nodes.iter().copied().for_each(|node| {
        if sites.len() >= MAX_SITES {
            return;
        }
        match node {
            // Get-... | Remove-...  and  Get-... | ForEach-Object { Remove-... }
            NodeRef::Pipeline(p) if p.elements.len() >= 2 => {
                let first_all = match &p.elements[0] {
                    PipelineElement::Command(c) => named(c, GETS),
                    PipelineElement::Expression(x) => is_all(cx, &x.expression, 0),
                };
                if !first_all {
                    return;
                }
                for e in &p.elements[1..] {
                    let PipelineElement::Command(c) = e else {
                        return;
                    };
                    if named(c, REMOVES) {
                        sites.push((c.span, "every credential piped to it"));
                        return;
                    }
                    let name = c.name().unwrap_or("").to_ascii_lowercase();
                    if matches!(name.as_str(), "foreach-object" | "%" | "foreach") {
                        let body = c.elements.iter().find_map(|el| match el {
                            CommandElement::Argument(a) => block_statements(a),
                            _ => None,
                        });
                        if let Some(span) = body.and_then(removes_each) {
                            sites.push((span, "every credential piped to the loop"));
                        }
                        return;
                    }
                    if !passes_all(c) {
                        return;
                    }
                }
            }
            // foreach ($k in <every credential>) { Remove-... }
            NodeRef::Statement(Statement::Foreach(f)) => {
                if statement_is_all(cx, &f.iterable, 0)
                    && let Some(span) = removes_each(&f.body.statements)
                {
                    sites.push((span, "every credential the loop goes through"));
                }
            }
            _ => {}
        }
    });
    // An empty key list written.
    for w in list_writes(cx) {
        if w.kind == ListKind::KeyCredentials && fresh_list(cx, w.kind, &w.value) == Some(0) {
            sites.push((w.span, "an empty list of key credentials"));
        }
    }
    sites.sort_by_key(|(s, _)| (s.start, s.end));
    sites.dedup_by_key(|(s, _)| *s);
    for (span, what) in sites {
        out.push(RULE.at(
            span,
            format!("this removes {what}: every certificate of the service principal, not only the one meant (the current and the staged OAuth certificates, Exchange's...)."),
            "select the key meant first: Where-Object on its KeyId, EndDate or certificate thumbprint, and remove only that one.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("remove-all-keys", text).len()
    }

    const ID: &str = "00000004-0000-0ff1-ce00-000000000000";

    #[test]
    fn removals_of_everything_are_found() {
        assert_eq!(
            found(&format!(
                "Remove-MsolServicePrincipalCredential -AppPrincipalId {ID} -KeyIds (Get-MsolServicePrincipalCredential -AppPrincipalId {ID} -ReturnKeyValues $false).KeyId"
            )),
            1
        );
        assert_eq!(
            found(&format!(
                "$ids = Get-MsolServicePrincipalCredential -AppPrincipalId {ID} -ReturnKeyValues $false | Select-Object -ExpandProperty KeyId\nRemove-MsolServicePrincipalCredential -AppPrincipalId {ID} -KeyId $ids"
            )),
            1
        );
        assert_eq!(
            found(&format!(
                "Get-MsolServicePrincipalCredential -AppPrincipalId {ID} -ReturnKeyValues $false | ForEach-Object {{ Remove-MsolServicePrincipalCredential -AppPrincipalId {ID} -KeyIds $_.KeyId }}"
            )),
            1
        );
        assert_eq!(
            found(&format!(
                "$creds = Get-MsolServicePrincipalCredential -AppPrincipalId {ID} -ReturnKeyValues $false\nforeach ($c in $creds) {{\n    Remove-MsolServicePrincipalCredential -AppPrincipalId {ID} -KeyIds @($c.KeyId)\n}}"
            )),
            1
        );
        assert_eq!(
            found(
                "$sp = Get-MgServicePrincipal -ServicePrincipalId $id\nforeach ($k in $sp.KeyCredentials) { Remove-MgServicePrincipalKey -ServicePrincipalId $id -KeyId $k.KeyId -Proof $proof }"
            ),
            1
        );
        assert_eq!(
            found("Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials @()"),
            1
        );
        assert_eq!(
            found(
                "Invoke-MgGraphRequest -Method PATCH -Uri \"v1.0/servicePrincipals/$id\" -Body '{\"keyCredentials\":[]}'"
            ),
            1
        );
    }

    #[test]
    fn removals_of_the_key_meant_are_fine() {
        for text in [
            format!(
                "Remove-MsolServicePrincipalCredential -AppPrincipalId {ID} -KeyIds bc2795f3-2387-4543-a95d-f92c85c7a1b0"
            ),
            format!(
                "$old = Get-MsolServicePrincipalCredential -AppPrincipalId {ID} -ReturnKeyValues $false | Where-Object {{ $_.EndDate -lt (Get-Date) }}\nRemove-MsolServicePrincipalCredential -AppPrincipalId {ID} -KeyIds $old.KeyId"
            ),
            format!(
                "foreach ($c in (Get-MsolServicePrincipalCredential -AppPrincipalId {ID} -ReturnKeyValues $true)) {{\n    if ($c.Value -eq $credValue) {{ Remove-MsolServicePrincipalCredential -AppPrincipalId {ID} -KeyIds @([guid]$c.KeyId) }}\n}}"
            ),
            format!(
                "Get-MsolServicePrincipalCredential -AppPrincipalId {ID} -ReturnKeyValues $false | Select-Object -First 1 | ForEach-Object {{ Remove-MsolServicePrincipalCredential -AppPrincipalId {ID} -KeyIds $_.KeyId }}"
            ),
            format!(
                "Remove-MsolServicePrincipalCredential -AppPrincipalId {ID} -KeyIds @([guid]$credential.KeyId)"
            ),
            "Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials $keep"
                .to_string(),
            "foreach ($k in $sp.KeyCredentials) { Write-Host $k.KeyId }".to_string(),
        ] {
            assert_eq!(found(&text), 0, "{text}");
        }
    }
}
