//! `ambiguous-parameter`: an abbreviation that matches several parameters.

use crate::catalog::Resolution;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use super::cmdlet_support::{list_or, parameter_span};
use crate::semantic::analysis::cmdlet_uses;

pub const RULE: Rule = Rule {
    code: "ambiguous-parameter",
    group: Group::Cmdlets,
    severity: Severity::Error,
    summary: "A parameter name that abbreviates several parameters: PowerShell refuses the command.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a parameter of a catalogued cmdlet written as a prefix that several of its parameters
(or their aliases) start with, and lists them.

## Why it matters
PowerShell does not guess: it stops the command with "Parameter cannot be processed because the
parameter name 'Appl' is ambiguous. Possible matches include: -ApplicationIdentifier
-ApplicationTrustLevel". In a setup script that leaves the partner application missing, and
the next steps fail in ways that do not point here.

## Example
```powershell
New-CsPartnerApplication -Identity microsoft.exchange -Appl 00000002-0000-0ff1-ce00-000000000000 -ApplicationTrustLevel Full -UseOAuthServer
```

## Use instead
```powershell
New-CsPartnerApplication -Identity microsoft.exchange -ApplicationIdentifier 00000002-0000-0ff1-ce00-000000000000 -ApplicationTrustLevel Full -UseOAuthServer
```

## Fix safety
No fix: which parameter was meant is for a person to say.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for (u, cmdlet) in cmdlet_uses(cx) {
        if cmdlet.parameters_subset {
            continue;
        }
        for p in u.binding.ambiguous_parameters() {
            let Resolution::Ambiguous(candidates) = &p.resolved else {
                continue;
            };
            let names: Vec<String> = candidates.iter().map(|c| format!("-{}", c.name)).collect();
            out.push(RULE.at(
                parameter_span(text, p),
                format!(
                    "`{}` could be {} of `{}`: PowerShell stops the command because the name is ambiguous.",
                    if p.from_splat { p.name_as_written.to_owned() } else { format!("-{}", p.name_as_written) },
                    list_or(&names),
                    cmdlet.name
                ),
                "write the full name of the parameter meant.",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    #[test]
    fn shared_prefixes_are_reported_with_the_candidates() {
        let d = codes_found(
            "ambiguous-parameter",
            "New-CsPartnerApplication -Identity x -Appl y -ApplicationTrustLevel Full -UseOAuthServer\n",
        );
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message
                .contains("`-ApplicationIdentifier` or `-ApplicationTrustLevel`"),
            "{}",
            d[0].message
        );
        // -W: -WarningAction, -WarningVariable and -WhatIf.
        assert_eq!(
            codes_found(
                "ambiguous-parameter",
                "New-CsOAuthServer x -MetadataUrl $u -W\n"
            )
            .len(),
            1
        );
    }

    #[test]
    fn unique_prefixes_and_full_names_are_fine() {
        for text in [
            "New-CsPartnerApplication -Identity x -ApplicationI y -ApplicationT Full -UseOAuthServer",
            "Import-Module MSOnline -Ver 1.1",
            "Get-MgServicePrincipal -A",
        ] {
            assert!(
                codes_found("ambiguous-parameter", text).is_empty(),
                "{text}"
            );
        }
    }
}
