//! `missing-mandatory-parameter`: a mandatory parameter left out, so PowerShell prompts for it.

use crate::catalog::{Cmdlet, ParameterSet, Resolution};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::{CommandUse, ScriptContext};
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::semantic::SplatSource;

use super::cmdlet_support::{list_and, list_or, named_indexes};
use crate::semantic::analysis::{cmdlet_uses, piped_commands};

pub const RULE: Rule = Rule {
    code: "missing-mandatory-parameter",
    group: Group::Cmdlets,
    severity: Severity::Error,
    summary: "A mandatory parameter is missing: PowerShell stops to prompt for it, and an unattended run hangs.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a call of a catalogued cmdlet that leaves out a parameter every parameter set it could
use makes mandatory, naming what to add.

It says nothing when the missing value may come from elsewhere: a splat whose content the script
does not show (`@params` built elsewhere, `@PSBoundParameters`, `@args`), pipeline input (the
command is not first in its pipeline), `$PSDefaultParameterValues` (set in the file), or an
object given whole with `-Instance`. Parameters the cmdlet's documentation marks mandatory in
one place and optional in another are not counted, nor are the Microsoft Graph cmdlets, whose
catalog entries list only some of their parameters.

## Why it matters
PowerShell does not fail on a missing mandatory parameter: it stops and asks "Supply values for
the following parameters". Run by hand, that is a question the reader of Microsoft's page was not
told to expect (the SfB page says "press Enter when prompted for ReturnKeyValues"); run from a
scheduled task or a pipeline, the script waits for ever. The current MSOnline module makes
`-ReturnKeyValues` mandatory in every set of `Get-MsolServicePrincipalCredential`, and the Lync
Server 2013 page leaves it out.

## Example
```powershell
Get-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
```

## Use instead
```powershell
Get-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ReturnKeyValues $false
```

## Fix safety
No fix: the value to give is for a person to choose.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let uses = cmdlet_uses(cx);
    // `$PSDefaultParameterValues` may supply any parameter of any cmdlet.
    if uses.iter().all(|(_, c)| c.parameters_subset)
        || cx
            .text()
            .to_ascii_lowercase()
            .contains("psdefaultparametervalues")
    {
        return;
    }
    let piped = piped_commands(cx);
    for (u, cmdlet) in uses {
        if cmdlet.parameters_subset || piped.contains(&(u.command as *const _)) {
            continue;
        }
        if let Some(finding) = missing(cx, u, cmdlet) {
            out.push(finding);
        }
    }
}

fn missing(
    cx: &ScriptContext<'_>,
    u: &CommandUse<'_>,
    cmdlet: &'static Cmdlet,
) -> Option<Diagnostic> {
    let b = &u.binding;
    // Anything uncertain in the binding: say nothing.
    if b.splats.iter().any(|s| s.source == SplatSource::Unknown)
        || b.parameters
            .iter()
            .any(|p| matches!(p.resolved, Resolution::Unknown | Resolution::Ambiguous(_)))
    {
        return None;
    }
    // `-Instance` passes a whole object, identity included, whatever the documented sets say.
    if b.parameters.iter().any(|p| {
        p.resolved
            .parameter()
            .is_some_and(|q| q.name.eq_ignore_ascii_case("Instance"))
    }) {
        return None;
    }
    let named = named_indexes(cmdlet, &b.parameters);
    let positionals = b.positionals.len();
    // Each set that holds every named parameter and has room for the positional arguments, with
    // the mandatory parameters it still lacks.
    let mut candidates: Vec<(&'static ParameterSet, Vec<usize>)> = Vec::new();
    for set in &cmdlet.parameter_sets {
        if !named.iter().all(|&i| set.member(i).is_some()) {
            continue;
        }
        let free: Vec<usize> = set
            .positional()
            .into_iter()
            .map(|m| m.parameter)
            .filter(|i| !named.contains(i))
            .collect();
        if free.len() < positionals {
            continue;
        }
        let filled = &free[..positionals];
        let lacking: Vec<usize> = set
            .members
            .iter()
            .filter(|m| m.mandatory && m.doc_conflict.is_none())
            .map(|m| m.parameter)
            .filter(|i| !named.contains(i) && !filled.contains(i))
            .collect();
        if lacking.is_empty() {
            return None;
        }
        candidates.push((set, lacking));
    }
    let (set, lacking) = candidates
        .iter()
        .find(|(s, _)| s.is_default)
        .or_else(|| candidates.iter().min_by_key(|(_, l)| l.len()))?;
    let name = |i: &usize| format!("-{}", cmdlet.parameters[*i].name);
    let lacking_names: Vec<String> = lacking.iter().map(name).collect();
    let mut help = format!(
        "add {}",
        lacking
            .iter()
            .map(|i| {
                let p = &cmdlet.parameters[*i];
                if p.name.eq_ignore_ascii_case("ReturnKeyValues") {
                    "`-ReturnKeyValues $false` (the key values are not needed to find a KeyId)"
                        .to_owned()
                } else if p.is_switch {
                    format!("`-{}`", p.name)
                } else {
                    format!("`-{} <{}>`", p.name, p.type_name)
                }
            })
            .collect::<Vec<_>>()
            .join(" and ")
    );
    let others: Vec<String> = candidates
        .iter()
        .filter(|(s, _)| s.name != set.name)
        .map(|(_, l)| {
            l.iter()
                .map(|i| format!("-{}", cmdlet.parameters[*i].name))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    if !others.is_empty() {
        help.push_str(&format!(
            " (or, for another parameter set, {})",
            list_or(&others)
        ));
    }
    help.push('.');
    let span = u.command.name.span();
    Some(RULE.at(
        span,
        format!(
            "`{}` is called without {}, which it requires: PowerShell stops to prompt for {}, and an unattended run hangs.",
            span.text(cx.text()),
            list_and(&lacking_names),
            if lacking.len() == 1 { "it" } else { "them" }
        ),
        help,
    ))
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<String> {
        codes_found("missing-mandatory-parameter", text)
            .into_iter()
            .map(|d| format!("{} | {}", d.message, d.help))
            .collect()
    }

    #[test]
    fn a_mandatory_parameter_of_every_matching_set_is_reported() {
        let f = found(
            "Get-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000\n",
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].contains("without `-ReturnKeyValues`"), "{f:?}");
        let f = found("New-CsOAuthServer microsoft.sts\n");
        assert!(f[0].contains("`-MetadataUrl`"), "{f:?}");
        // Set-CsOAuthServer needs its Identity, by name or position.
        assert_eq!(found("Set-CsOAuthServer -MetadataUrl $u\n").len(), 1);
        // Every set lacks something; the default set's is named, the others' in the help.
        let f = found("Remove-MsolServicePrincipalCredential -KeyIds $k\n");
        assert!(f[0].contains("`-ObjectId`"), "{f:?}");
        assert!(f[0].contains("-ServicePrincipalName"), "{f:?}");
        assert_eq!(found("Import-Module\n").len(), 1);
        // A splat the script shows counts.
        assert_eq!(
            found("$p = @{ AppPrincipalId = $id }\nGet-MsolServicePrincipalCredential @p\n").len(),
            1
        );
    }

    #[test]
    fn what_may_supply_the_parameter_silences_it() {
        for text in [
            "Get-MsolServicePrincipalCredential -AppPrincipalId $id -ReturnKeyValues $false",
            "Get-MsolServicePrincipalCredential -AppPrincipalId $id -ReturnKeyValues:$false",
            "$p = @{ AppPrincipalId = $id; ReturnKeyValues = $false }\nGet-MsolServicePrincipalCredential @p",
            "Get-MsolServicePrincipalCredential @params",
            "function f { Get-MsolServicePrincipalCredential @PSBoundParameters }",
            "Get-CsOAuthServer microsoft.sts | Set-CsOAuthServer -MetadataUrl $u",
            "Set-CsOAuthServer microsoft.sts -MetadataUrl $u",
            "Get-MsolServicePrincipal",
            "Get-MsolServicePrincipal -AppPrincipalId $id",
            "New-CsPartnerApplication -Identity microsoft.exchange -ApplicationIdentifier $id -ApplicationTrustLevel Full -UseOAuthServer",
            "Remove-CsOAuthServer microsoft.sts",
            "$sts = Get-CsOAuthServer microsoft.sts\n$sts.MetadataUrl = $u\nSet-CsOAuthServer -Instance $sts",
            "Update-MgServicePrincipal -KeyCredentials $k",
            "Import-Module MSOnline",
            "Get-MsolServicePrincipalCredential -AppPrincipalId $id -ReturnKeyValue $false",
            "Get-MsolServicePrincipalCredential -AppPrincipalId $id -Bogus 1",
            "$PSDefaultParameterValues['Get-MsolServicePrincipalCredential:ReturnKeyValues'] = $false\nGet-MsolServicePrincipalCredential -AppPrincipalId $id",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
