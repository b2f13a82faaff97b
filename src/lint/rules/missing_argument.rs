//! `missing-argument`: a parameter that needs a value and has none.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

pub const RULE: Rule = Rule {
    code: "missing-argument",
    group: Group::Cmdlets,
    severity: Severity::Error,
    summary: "A parameter that takes a value is given none: PowerShell refuses the command.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a parameter of a catalogued cmdlet that is not a switch and is followed by nothing it
could take as its value: the end of the command, or another parameter.

## Why it matters
PowerShell stops with "Missing an argument for parameter": the command does nothing. It often
comes from a line continuation lost in an edit, or a value deleted when a template was filled in.

## Example
```powershell
Set-CsOAuthConfiguration -ServiceName -Realm 'contoso.com'
```

## Use instead
```powershell
Set-CsOAuthConfiguration -ServiceName 00000004-0000-0ff1-ce00-000000000000 -Realm 'contoso.com'
```

## Fix safety
No fix: the value is for a person to supply.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    for u in &cx.commands {
        let Some(cmdlet) = u.binding.cmdlet else {
            continue;
        };
        for p in u.binding.parameters.iter().filter(|p| p.missing_value) {
            let name = p
                .resolved
                .parameter()
                .map_or(p.name_as_written, |q| q.name.as_str());
            out.push(RULE.at(
                p.span,
                format!("`-{name}` of `{}` needs a value and is given none: PowerShell refuses the command.", cmdlet.name),
                format!("give `-{name}` its value (or remove it)."),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    #[test]
    fn a_value_missing_at_the_end_or_before_a_parameter() {
        assert_eq!(
            codes_found("missing-argument", "Get-CsOAuthServer -Identity").len(),
            1
        );
        assert!(
            codes_found("missing-argument", "Get-CsOAuthServer -Identity x -Verbose").is_empty()
        );
        assert!(codes_found("missing-argument", "Get-CsOAuthServer -Identity:$x").is_empty());
    }
}
