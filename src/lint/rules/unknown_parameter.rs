//! `unknown-parameter`: a parameter the cmdlet does not have.

use crate::catalog::{Cmdlet, ParameterKind};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use super::cmdlet_support::{extra_parameter, list_or, parameter_span};
use crate::semantic::analysis::cmdlet_uses;

pub const RULE: Rule = Rule {
    code: "unknown-parameter",
    group: Group::Cmdlets,
    severity: Severity::Error,
    summary: "A parameter the cmdlet does not have: PowerShell refuses to run the command.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a parameter name (`-Name`, or a key of a splatted hashtable the script shows) that is
not a parameter of the catalogued cmdlet it is given to, nor an alias or an abbreviation of one,
nor a common parameter, and says which parameter was probably meant.

Cmdlets whose catalog entry lists only some of their parameters (the Microsoft Graph ones) are
not checked, nor commands the file defines itself as a function.

## Why it matters
PowerShell stops the command with "A parameter cannot be found that matches parameter name",
and the rest of the script runs without what it should have done. Microsoft's Lync Server 2013
page gets the tenant ID with `Get-CsTenant -DisplayName "Fabrikam.com"`, a parameter no version
of Get-CsTenant has had: `$TenantId` is then empty, and the metadata URL built from it is wrong.

## Example
```powershell
$TenantId = (Get-CsTenant -DisplayName "Fabrikam.com").TenantId
```

```powershell
$app = @{ Identity = 'microsoft.exchange'; ApplicationIdentifer = '00000002-0000-0ff1-ce00-000000000000'; ApplicationTrustLevel = 'Full' }
New-CsPartnerApplication @app -UseOAuthServer
```

## Use instead
```powershell
$TenantId = (Get-CsTenant -Filter {DisplayName -eq "Fabrikam.com"}).TenantId
```

```powershell
$app = @{ Identity = 'microsoft.exchange'; ApplicationIdentifier = '00000002-0000-0ff1-ce00-000000000000'; ApplicationTrustLevel = 'Full' }
New-CsPartnerApplication @app -UseOAuthServer
```

## Fix safety
No fix: which parameter was meant, and whether the command needs another form, is for a person
to say; the help names the closest parameter.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for (u, cmdlet) in cmdlet_uses(cx) {
        if cmdlet.parameters_subset {
            continue;
        }
        for p in u.binding.unknown_parameters() {
            if p.name_as_written.is_empty() || extra_parameter(cmdlet, p.name_as_written) {
                continue;
            }
            let what = if p.from_splat {
                format!("the splatted key `{}` is not", p.name_as_written)
            } else {
                format!("`-{}` is not", p.name_as_written)
            };
            out.push(RULE.at(
                parameter_span(text, p),
                format!(
                    "{what} a parameter of `{}`: PowerShell stops the command with \"A parameter cannot be found that matches parameter name '{}'\".",
                    cmdlet.name, p.name_as_written
                ),
                help(cmdlet, p.name_as_written),
            ));
        }
    }
}

/// What to write instead: the domain's known replacements, else the closest parameter, else the
/// cmdlet's parameters.
fn help(cmdlet: &Cmdlet, written: &str) -> String {
    if cmdlet.name.eq_ignore_ascii_case("Get-CsTenant")
        && written.eq_ignore_ascii_case("DisplayName")
    {
        return "select the tenant with `-Filter {DisplayName -eq \"Fabrikam.com\"}`; with the MicrosoftTeams module 3.0.0 or later, write `(Get-CsTenant).TenantId` without parameters.".to_owned();
    }
    if written.eq_ignore_ascii_case("WhatIf") || written.eq_ignore_ascii_case("Confirm") {
        return format!(
            "`{}` does not support `-WhatIf`/`-Confirm`: remove it.",
            cmdlet.name
        );
    }
    if let Some(p) = cmdlet.suggest_parameter(written) {
        return format!("did you mean `-{}`?", p.name);
    }
    let names: Vec<String> = cmdlet
        .all_parameters()
        .filter(|p| p.kind == ParameterKind::Declared)
        .map(|p| format!("-{}", p.name))
        .collect();
    format!(
        "`{}` takes {} (and the common parameters).",
        cmdlet.name,
        list_or(&names)
    )
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<String> {
        codes_found("unknown-parameter", text)
            .into_iter()
            .map(|d| format!("{} | {}", d.message, d.help))
            .collect()
    }

    #[test]
    fn unknown_names_and_splat_keys_are_reported_with_what_to_use() {
        let f = found("Get-CsTenant -DisplayName 'Fabrikam.com'\n");
        assert_eq!(f.len(), 1);
        assert!(f[0].contains("-Filter {DisplayName"), "{f:?}");
        let f = found(
            "New-CsPartnerApplication -Identity x -ApplicationIdentifer y -ApplicationTrustLevel Full -UseOAuthServer\n",
        );
        assert!(
            f[0].contains("did you mean `-ApplicationIdentifier`"),
            "{f:?}"
        );
        let f = found(
            "$p = @{ AppPrincipalID = $id; Keyz = $k }\nRemove-MsolServicePrincipalCredential @p\n",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].contains("splatted key `Keyz`"), "{f:?}");
        let f =
            found("Set-MsolServicePrincipal -AppPrincipalId $id -AccountEnabled $true -WhatIf\n");
        assert!(f[0].contains("does not support"), "{f:?}");
        assert_eq!(found("get-cstenant -displayname:'x'\n").len(), 1);
    }

    #[test]
    fn known_names_aliases_prefixes_and_other_commands_are_fine() {
        for text in [
            "Get-CsTenant -Filter {DisplayName -eq 'Fabrikam.com'}",
            "Get-CsOAuthServer microsoft.sts -EA SilentlyContinue -Verbose:$false",
            "Remove-MsolServicePrincipalCredential -AppPrincipalId $a -KeyId $k",
            "Import-Module MSOnline -UseWindowsPowerShell -SkipEditionCheck",
            "$t = Get-CsTenant -AsJob",
            "Get-MgServicePrincipal -Filter \"appId eq '$id'\" -ConsistencyLevel eventual -CountVariable c -Unknown x",
            "Connect-MgGraph -NoWelcome -TenantId contoso.onmicrosoft.com",
            "Get-Thing -DisplayName x",
            "function Get-CsTenant { param($DisplayName) }\nGet-CsTenant -DisplayName x",
            "Get-CsTenant @PSBoundParameters",
            "New-CsOAuthServer microsoft.sts `\n    -MetadataUrl $url `\n    -WhatIf",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
