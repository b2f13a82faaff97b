//! `missing-argument`: a parameter that needs a value and has none.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use super::cmdlet_support::{exact, parameter_span};
use crate::semantic::analysis::cmdlet_uses;

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
Reports a parameter of a catalogued cmdlet that takes a value (it is not a switch) and is
followed by another parameter, a splat, or the end of the command instead of one. Often a value
was lost in an edit, or a variable was meant (`-AppPrincipalId -Type` where
`-AppPrincipalId $appId -Type` was written in the cmdlet's own documentation as
`-AppPrincipalId  -Type`).

## Why it matters
PowerShell stops the command with "Missing an argument for parameter": nothing of what the
command does happens, and the script goes on to the next step.

## Example
```powershell
New-MsolServicePrincipalCredential -AppPrincipalId -Type Asymmetric -Usage Verify -Value $credentialsValue
```

## Use instead
```powershell
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credentialsValue
```

## Fix safety
No fix: the value is for a person to give.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for (u, cmdlet) in cmdlet_uses(cx) {
        for p in u.binding.parameters.iter().filter(|p| p.missing_value) {
            // For a cmdlet the catalog knows only in part, a prefix may stand for another
            // parameter, which may be a switch.
            if cmdlet.parameters_subset && !exact(&p.resolved) {
                continue;
            }
            let Some(parameter) = p.resolved.parameter() else {
                continue;
            };
            out.push(RULE.at(
                parameter_span(text, p),
                format!(
                    "`-{}` of `{}` takes a value and is given none: PowerShell stops with \"Missing an argument for parameter '{}'\".",
                    p.name_as_written, cmdlet.name, parameter.name
                ),
                format!(
                    "give it its value (`-{} <{}>`), or remove it.",
                    parameter.name, parameter.type_name
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("missing-argument", text).len()
    }

    #[test]
    fn parameters_without_their_value_are_reported() {
        assert_eq!(
            found(
                "New-MsolServicePrincipalCredential -AppPrincipalId  -Type asymmetric -Value $v\n"
            ),
            1
        );
        assert_eq!(found("New-CsOAuthServer microsoft.sts -MetadataUrl\n"), 1);
        assert_eq!(found("Connect-MgGraph -Scopes\n"), 1);
        assert_eq!(found("Get-CsOAuthServer -Identity @rest\n"), 1);
    }

    #[test]
    fn values_switches_and_unknown_commands_are_fine() {
        for text in [
            "New-CsOAuthServer microsoft.sts -MetadataUrl $u -Force",
            "New-CsOAuthServer microsoft.sts -MetadataUrl:$u",
            "New-CsOAuthServer microsoft.sts -MetadataUrl `\n    $u",
            "Get-Thing -Name",
            "Get-MgServicePrincipal -Al",
            "Set-CsPartnerApplication microsoft.exchange -UseOAuthServer",
        ] {
            assert_eq!(found(text), 0, "{text}");
        }
    }
}
