//! `invoke-expression`: `Invoke-Expression` on text that is not a constant.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::ast::Expression;

pub const RULE: Rule = Rule {
    code: "invoke-expression",
    group: Group::Security,
    severity: Severity::Warning,
    summary: "`Invoke-Expression` runs text built at run time as code: any value in it can become a command.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports `Invoke-Expression` (and its alias `iex`) when the text it runs is not a constant: a
variable, a string with `$variables` or `$( )` in it, or a command's output (such as a download).

## Why it matters
`Invoke-Expression` parses its argument as PowerShell and runs it. When that text holds a tenant
name, a path or a value read from a file or the web, a quote or a semicolon in the value turns it
into code: the script then runs whatever the value says, with the admin's rights on the Front End
or in the tenant. The same call is hard to review: what runs is only known at run time.

## Example
```powershell
$command = "Set-CsOAuthConfiguration -Realm $realm"
Invoke-Expression $command
```

## Use instead
```powershell
Set-CsOAuthConfiguration -Realm $realm
```

## Fix safety
No fix: call the command directly (with `&` and splatting when its name or parameters vary).
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    for u in &cx.commands {
        if !(u.is("Invoke-Expression") || u.is("iex")) {
            continue;
        }
        let command = u
            .binding
            .value("Command")
            .or_else(|| u.binding.positionals.first().map(|p| p.value))
            .or_else(|| u.command.arguments().next());
        let Some(command) = command else {
            continue;
        };
        if constant(command, cx) {
            continue;
        }
        out.push(RULE.at(
            command.span(),
            "`Invoke-Expression` runs this text as code, and the text is built at run time: a quote or `;` in any value it holds becomes a command.",
            "call the command directly (`& $name @parameters` when it varies); to read data, use `ConvertFrom-Json`, `Import-PowerShellDataFile` or `[scriptblock]::Create` on reviewed text.",
        ));
    }
}

/// A single-quoted string, or a value the script fixes as a literal string.
fn constant(e: &Expression, cx: &ScriptContext<'_>) -> bool {
    match e {
        Expression::String(_) => true,
        // The value a use sees stops being known at `Invoke-Expression` itself (what it runs may
        // assign anything), so the assignment is looked at directly.
        Expression::Variable(v) => {
            cx.values.string_value(e).is_some()
                || cx.values.assigned(&v.name).is_some_and(|k| {
                    matches!(k.value, crate::semantic::Value::String(_))
                        && k.assignment.end <= v.span.start
                })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("invoke-expression", text).len()
    }

    #[test]
    fn built_text_is_reported() {
        assert_eq!(found("Invoke-Expression $cmd"), 1);
        assert_eq!(found("iex \"Get-Item $path\""), 1);
        assert_eq!(
            found("iex ((New-Object Net.WebClient).DownloadString('https://x/y.ps1'))"),
            1
        );
        assert_eq!(found("Invoke-Expression -Command $c"), 1);
        assert_eq!(found("$c | Invoke-Expression"), 0);
    }

    #[test]
    fn constants_are_fine() {
        assert_eq!(found("Invoke-Expression 'Get-Date'"), 0);
        assert_eq!(found("$c = 'Get-Date'\nInvoke-Expression $c"), 0);
        assert_eq!(found("Invoke-Item $path"), 0);
    }
}
