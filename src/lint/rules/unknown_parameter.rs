//! `unknown-parameter`: a parameter the cmdlet does not have.

use crate::catalog::Resolution;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use super::cmdlet_support::complete;

pub const RULE: Rule = Rule {
    code: "unknown-parameter",
    group: Group::Cmdlets,
    severity: Severity::Error,
    summary: "A parameter the cmdlet does not have: PowerShell refuses the whole command.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a parameter name, written or a key of a splatted hashtable the script shows, that is
neither a parameter, an alias nor an abbreviation of one of the cmdlet (its own parameters and
the common ones), with the closest name. Only cmdlets whose parameters xprem's catalog knows in
full are checked.

## Why it matters
PowerShell checks every parameter name before it runs a cmdlet: one unknown name ("A parameter
cannot be found that matches parameter name") and the command does nothing. Microsoft's own
page has `Get-CsTenant -DisplayName`, which stops that step; in the middle of a change the
following commands then run without what it should have read.

## Example
```powershell
Get-CsTenant -DisplayName 'Fabrikam'
```

## Use instead
```powershell
Get-CsTenant | Select-Object DisplayName, TenantId
```

## Fix safety
No fix: the closest name is suggested, but whether it is the one meant is for a person to say.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    for u in &cx.commands {
        let Some(cmdlet) = complete(u) else { continue };
        for p in &u.binding.parameters {
            if p.resolved != Resolution::Unknown {
                continue;
            }
            let hint = match cmdlet.suggest_parameter(p.name_as_written) {
                Some(s) => format!(
                    "did you mean `-{}`? `Get-Help {} -Parameter *` lists its parameters.",
                    s.name, cmdlet.name
                ),
                None => format!(
                    "`Get-Help {} -Parameter *` lists its parameters.",
                    cmdlet.name
                ),
            };
            let hint = if cmdlet.name.eq_ignore_ascii_case("Get-CsTenant")
                && p.name_as_written.eq_ignore_ascii_case("DisplayName")
            {
                "Get-CsTenant takes no -DisplayName: it returns the one tenant you are signed in to; select its DisplayName (`Get-CsTenant | Select-Object DisplayName, TenantId`).".to_owned()
            } else {
                hint
            };
            let written = if p.from_splat {
                format!("the splatted key `{}`", p.name_as_written)
            } else {
                format!("`-{}`", p.name_as_written)
            };
            out.push(RULE.at(
                p.span,
                format!(
                    "`{}` has no parameter {written}: PowerShell refuses the whole command.",
                    cmdlet.name
                ),
                hint,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<String> {
        codes_found("unknown-parameter", text)
            .into_iter()
            .map(|d| d.help)
            .collect()
    }

    #[test]
    fn unknown_names_written_or_splatted_are_reported_with_the_closest() {
        assert_eq!(
            found("New-CsOAuthServer -Identity microsoft.sts -MetadataUlr $u").len(),
            1
        );
        assert!(
            found("New-CsOAuthServer -Identity microsoft.sts -MetadataUlr $u")[0]
                .contains("-MetadataUrl")
        );
        assert_eq!(
            found("$p = @{ Identity = 'microsoft.sts'; MetadataUri = $u }\nNew-CsOAuthServer @p")
                .len(),
            1
        );
        assert_eq!(found("get-cstenant -displayname x").len(), 1);
    }

    #[test]
    fn known_names_common_parameters_and_other_commands_are_fine() {
        for text in [
            "New-CsOAuthServer -Identity microsoft.sts -MetadataUrl $u -Verbose -ErrorAction Stop",
            "New-CsOAuthServer -Ide microsoft.sts -MetadataURL:$u -WhatIf",
            "Get-MgServicePrincipal -Filter $f -Property Id -ConsistencyLevel eventual",
            "My-Function -Whatever 1",
            "$p = Get-Params\nNew-CsOAuthServer @p",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }
}
