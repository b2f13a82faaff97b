//! `too-many-positionals`: an argument no positional parameter takes.

use crate::catalog::Resolution;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::ast::CommandElement;

use crate::semantic::analysis::cmdlet_uses;
use crate::semantic::auth_server::element_before;

pub const RULE: Rule = Rule {
    code: "too-many-positionals",
    group: Group::Cmdlets,
    severity: Severity::Error,
    summary: "An argument that no positional parameter takes: PowerShell refuses the command.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports an argument given to a catalogued cmdlet without a parameter name when every positional
parameter of the parameter set in use is already taken (or the cmdlet has none, like the
MSOnline cmdlets). Its most common cause is a value after a switch (`-UseOAuthServer $true`):
a switch takes no value unless written `-Switch:$value`.

## Why it matters
PowerShell stops the command with "A positional parameter cannot be found that accepts argument".
After a switch, the intent (`$false`) is not what the command would do anyway: the switch alone
means true.

## Example
```powershell
New-CsPartnerApplication -Identity microsoft.exchange -ApplicationIdentifier 00000002-0000-0ff1-ce00-000000000000 -ApplicationTrustLevel Full -UseOAuthServer $true
```

## Use instead
```powershell
New-CsPartnerApplication -Identity microsoft.exchange -ApplicationIdentifier 00000002-0000-0ff1-ce00-000000000000 -ApplicationTrustLevel Full -UseOAuthServer
```

## Fix safety
No fix: which parameter the argument was meant for is for a person to say.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for (u, cmdlet) in cmdlet_uses(cx) {
        let b = &u.binding;
        // With parameters of no common set, the positions are not known.
        let conflict = b.parameter_set.is_none() && !b.parameters.is_empty();
        if cmdlet.parameters_subset || conflict {
            continue;
        }
        // One finding per command, at its first argument left over.
        let unbound: Vec<_> = b.unbound_positionals().collect();
        let Some(p) = unbound.first() else {
            continue;
        };
        let value = p.value.span().text(text);
        let switch = match element_before(u.command, p.value) {
            Some(CommandElement::Parameter(q)) if !q.colon => {
                match cmdlet.resolve_parameter(&q.name) {
                    Resolution::Exact(s) | Resolution::Alias(s) | Resolution::Prefix(s)
                        if s.is_switch =>
                    {
                        Some(s.name.as_str())
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let has_positional = cmdlet
            .parameter_sets
            .iter()
            .any(|s| !s.positional().is_empty());
        let help = match switch {
            Some(s) => format!(
                "`-{s}` is a switch and takes no value: write `-{s}` alone for true, or `-{s}:{value}`."
            ),
            None if !has_positional => format!(
                "every parameter of `{}` is named: write the parameter this value is for (`-Name {value}`).",
                cmdlet.name
            ),
            None => "write the name of the parameter this value is for, or quote the value if it holds spaces.".to_owned(),
        };
        let more = match unbound.len() {
            1 => String::new(),
            2 => " (and 1 more argument)".to_owned(),
            n => format!(" (and {} more arguments)", n - 1),
        };
        out.push(RULE.at(
            p.value.span(),
            format!(
                "no parameter of `{}` takes `{value}`{more} by position: PowerShell stops with \"A positional parameter cannot be found that accepts argument\".",
                cmdlet.name
            ),
            help,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<String> {
        codes_found("too-many-positionals", text)
            .into_iter()
            .map(|d| format!("{} | {}", d.message, d.help))
            .collect()
    }

    #[test]
    fn arguments_left_over_are_reported() {
        let f = found(
            "New-CsPartnerApplication -Identity x -ApplicationIdentifier y -ApplicationTrustLevel Full -UseOAuthServer $true\n",
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].contains("-UseOAuthServer:$true"), "{f:?}");
        assert_eq!(found("Remove-CsOAuthServer a b\n").len(), 1);
        let f = found("Remove-CsOAuthServer a b c d\n");
        assert_eq!(f.len(), 1);
        assert!(f[0].contains("`b` (and 2 more arguments)"), "{f:?}");
        let f = found("Get-MsolServicePrincipal 00000004-0000-0ff1-ce00-000000000000\n");
        assert!(f[0].contains("every parameter"), "{f:?}");
        assert_eq!(
            found("Get-CsOAuthServer -Filter '*' microsoft.sts\n").len(),
            1
        );
    }

    #[test]
    fn positional_parameters_and_colon_switches_are_fine() {
        for text in [
            "New-CsOAuthServer microsoft.sts -MetadataUrl $u",
            "Remove-CsPartnerApplication microsoft.exchange -Confirm:$false",
            "New-CsPartnerApplication microsoft.exchange -ApplicationIdentifier y -ApplicationTrustLevel Full -UseOAuthServer:$true",
            "Import-Module MSOnline",
            "Import-Module -Name A, B",
            "$a = @('microsoft.sts')\nGet-CsOAuthServer @a",
            "Get-MgServicePrincipal $id",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
