//! `x509-import`: `X509Certificate2.Import()`, which throws on PowerShell 7.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::{Expression, PipelineElement, Statement};

pub const RULE: Rule = Rule {
    code: "x509-import",
    group: Group::Retired,
    severity: Severity::Warning,
    summary: "`X509Certificate2.Import()` throws on PowerShell 7 (.NET Core): the certificate object is immutable there.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports `.Import(...)` called on an `X509Certificate2` (or `X509Certificate`) object the script
creates empty with `New-Object` or `::new()`, the way Microsoft's page reads the OAuth
certificate.

## Why it matters
On .NET Core, which PowerShell 7 runs on, certificate objects are immutable and `Import` throws
`PlatformNotSupportedException`. The Microsoft Graph PowerShell SDK runs on PowerShell 7 as well
as 5.1, so a step 2 that reads the certificate this way works on one machine and fails on the
next. Passing the file to the constructor works on both.

## Example
```powershell
$certificate = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2
$certificate.Import('C:\Certificates\OAuth.cer')
```

## Use instead
```powershell
$certificate = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList 'C:\Certificates\OAuth.cer'
```

## Fix safety
No fix: the constructor takes the `Import` call's arguments, but the two statements may be far
apart.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    // Variables assigned a certificate object anywhere in the file (names compared ignoring case).
    let mut certificates: HashSet<String> = HashSet::new();
    for &node in &cx.nodes {
        if let NodeRef::Statement(Statement::Assignment(a)) = node
            && let Some(name) = variable_name(&a.target)
            && creates_certificate(&a.value, cx)
        {
            certificates.insert(name);
        }
    }
    for &node in &cx.nodes {
        let NodeRef::Expression(Expression::Invoke(call)) = node else {
            continue;
        };
        if call.is_static
            || !call
                .member
                .as_str()
                .is_some_and(|m| m.eq_ignore_ascii_case("Import"))
        {
            continue;
        }
        let on_certificate = match &call.target {
            Expression::Variable(v) => certificates.contains(&v.unqualified().to_ascii_lowercase()),
            Expression::Paren(p) => creates_certificate(&p.pipeline, cx),
            e => is_constructor(e),
        };
        if on_certificate {
            out.push(RULE.at(
                call.span,
                "`X509Certificate2.Import()` throws on PowerShell 7 (\"X509Certificate is immutable on this platform\").",
                "pass the file or bytes to the constructor instead: `New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $path` or `[System.Security.Cryptography.X509Certificates.X509Certificate2]::new($path)`.",
            ));
        }
    }
}

fn variable_name(target: &Expression) -> Option<String> {
    match target {
        Expression::Variable(v) => Some(v.unqualified().to_ascii_lowercase()),
        Expression::Convert(c) => variable_name(&c.operand),
        _ => None,
    }
}

/// `New-Object ...X509Certificate2` or `[...X509Certificate2]::new()`, as a statement.
fn creates_certificate(value: &Statement, cx: &ScriptContext<'_>) -> bool {
    let Statement::Pipeline(p) = value else {
        return false;
    };
    match p.elements.as_slice() {
        [PipelineElement::Expression(e)] => is_constructor(&e.expression),
        [PipelineElement::Command(c)] => {
            let Some(name) = c.name() else { return false };
            if !name.eq_ignore_ascii_case("New-Object") {
                return false;
            }
            let use_ = cx.commands.iter().find(|u| std::ptr::eq(u.command, c));
            let type_name = use_
                .and_then(|u| u.binding.value("TypeName"))
                .or_else(|| c.arguments().next());
            type_name
                .and_then(|t| cx.values.string_value(t))
                .is_some_and(|t| is_certificate_type(&t))
        }
        _ => false,
    }
}

fn is_constructor(e: &Expression) -> bool {
    match e {
        Expression::Invoke(call) => {
            call.is_static
                && call
                    .member
                    .as_str()
                    .is_some_and(|m| m.eq_ignore_ascii_case("new"))
                && matches!(&call.target, Expression::Type(t) if is_certificate_type(&t.type_name.name))
        }
        Expression::Paren(p) => {
            matches!(&p.pipeline, Statement::Pipeline(pl) if matches!(pl.elements.as_slice(), [PipelineElement::Expression(x)] if is_constructor(&x.expression)))
        }
        _ => false,
    }
}

fn is_certificate_type(name: &str) -> bool {
    let last = name.trim().rsplit('.').next().unwrap_or("");
    last.eq_ignore_ascii_case("X509Certificate2") || last.eq_ignore_ascii_case("X509Certificate")
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("x509-import", text).len()
    }

    #[test]
    fn import_on_a_certificate_object_is_reported() {
        assert_eq!(
            found(
                "$c = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2\n$c.Import($path)"
            ),
            1
        );
        assert_eq!(
            found(
                "$C = [Security.Cryptography.X509Certificates.X509Certificate2]::new()\n$c.Import('x.cer')"
            ),
            1
        );
        assert_eq!(
            found("$c = New-Object -TypeName X509Certificate2\n$c.import('x.cer')"),
            1
        );
        assert_eq!(
            found(
                "(New-Object System.Security.Cryptography.X509Certificates.X509Certificate2).Import('x.cer')"
            ),
            1
        );
    }

    #[test]
    fn other_imports_are_fine() {
        assert_eq!(
            found(
                "$c = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2Collection\n$c.Import($path)"
            ),
            0
        );
        assert_eq!(found("$csv.Import($path)"), 0);
        assert_eq!(
            found(
                "$c = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $path"
            ),
            0
        );
    }
}
