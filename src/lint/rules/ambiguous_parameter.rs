//! `ambiguous-parameter`: an abbreviation of several parameters.

use crate::catalog::Resolution;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

pub const RULE: Rule = Rule {
    code: "ambiguous-parameter",
    group: Group::Cmdlets,
    severity: Severity::Error,
    summary: "A parameter abbreviation that matches several parameters: PowerShell refuses the command.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a parameter name that is the start of several of the cmdlet's parameters (its own, the
common ones, `-WhatIf`/`-Confirm`), listing them.

## Why it matters
PowerShell cannot choose between them and stops with "Parameter cannot be processed because the
parameter name is ambiguous": the command does nothing.

## Example
```powershell
Get-CsOAuthServer -Identity microsoft.sts -Error Stop
```

## Use instead
```powershell
Get-CsOAuthServer -Identity microsoft.sts -ErrorAction Stop
```

## Fix safety
No fix: which parameter was meant is for a person to say.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    for u in &cx.commands {
        let Some(cmdlet) = u.binding.cmdlet else {
            continue;
        };
        for p in &u.binding.parameters {
            let Resolution::Ambiguous(candidates) = &p.resolved else {
                continue;
            };
            let names: Vec<String> = candidates
                .iter()
                .map(|c| format!("`-{}`", c.name))
                .collect();
            out.push(RULE.at(
                p.span,
                format!("`-{}` is the start of several parameters of `{}` ({}): PowerShell refuses the command.", p.name_as_written, cmdlet.name, names.join(", ")),
                "write the full name of the one meant.",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    #[test]
    fn ambiguous_prefixes_are_reported() {
        assert_eq!(
            codes_found(
                "ambiguous-parameter",
                "Get-CsOAuthServer -Identity x -Warning SilentlyContinue -Error Stop"
            )
            .len(),
            2
        );
        assert!(
            codes_found(
                "ambiguous-parameter",
                "Get-CsOAuthServer -Identity x -OutVariable o -ea Stop"
            )
            .is_empty()
        );
    }
}
