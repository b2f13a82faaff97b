//! `missing-mandatory-parameter`: a mandatory parameter not given, so PowerShell prompts.

use std::collections::HashSet;

use crate::catalog::{ParameterKind, ParameterSet};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use super::cmdlet_support::{complete, opaque_splat, piped_commands};

pub const RULE: Rule = Rule {
    code: "missing-mandatory-parameter",
    group: Group::Cmdlets,
    severity: Severity::Error,
    summary: "A mandatory parameter is not given: PowerShell stops to prompt for it, and an unattended run hangs.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a catalogued cmdlet called without a parameter that is mandatory in every parameter set
the other parameters allow, named or by position. Commands that receive pipeline input (which
can bind the parameter) or a splat whose content the script does not show are not reported.

## Why it matters
PowerShell does not fail on a missing mandatory parameter: it stops and prompts for it. At a
console the admin types something in a hurry; in a scheduled or remote run the script hangs until
it is killed. Microsoft's page calls `Get-MsolServicePrincipalCredential` without
`-ReturnKeyValues`, which prompts in the middle of the procedure.

## Example
```powershell
Get-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
```

## Use instead
```powershell
Get-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ReturnKeyValues $false
```

## Fix safety
No fix: the value is for a person to choose.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut piped: Option<HashSet<_>> = None;
    for u in &cx.commands {
        let Some(cmdlet) = complete(u) else { continue };
        if cmdlet.parameter_sets.is_empty() || opaque_splat(u) {
            continue;
        }
        if piped
            .get_or_insert_with(|| piped_commands(cx))
            .contains(&u.command.span)
        {
            continue;
        }
        let named: Vec<usize> = u
            .binding
            .parameters
            .iter()
            .filter_map(|p| p.resolved.parameter())
            .filter(|p| p.kind == ParameterKind::Declared)
            .filter_map(|p| cmdlet.declared_index(p))
            .collect();
        if u.binding
            .parameters
            .iter()
            .any(|p| p.resolved.parameter().is_none())
        {
            continue; // Unknown or ambiguous names: other rules report them; sets are unclear.
        }
        let positionals = u.binding.positionals.len();
        let missing_in = |set: &ParameterSet| -> Vec<usize> {
            let by_position: Vec<usize> = set
                .positional()
                .into_iter()
                .filter(|m| !named.contains(&m.parameter))
                .take(positionals)
                .map(|m| m.parameter)
                .collect();
            set.members
                .iter()
                .filter(|m| m.mandatory && m.doc_conflict.is_none())
                .map(|m| m.parameter)
                .filter(|i| !named.contains(i) && !by_position.contains(i))
                .collect()
        };
        let candidates: Vec<&ParameterSet> = cmdlet
            .parameter_sets
            .iter()
            .filter(|s| named.iter().all(|i| s.member(*i).is_some()))
            .collect();
        if candidates.is_empty() {
            continue; // parameter-set-conflict reports it.
        }
        let mut missing: Option<(Vec<usize>, &ParameterSet)> = None;
        for set in &candidates {
            let m = missing_in(set);
            if m.is_empty() {
                missing = None;
                break;
            }
            let better = match &missing {
                None => true,
                Some((_, best)) => set.is_default && !best.is_default,
            };
            if better {
                missing = Some((m, set));
            }
        }
        let Some((missing, _)) = missing else {
            continue;
        };
        let names: Vec<String> = missing
            .iter()
            .map(|i| format!("`-{}`", cmdlet.parameters[*i].name))
            .collect();
        out.push(RULE.at(
            u.command.name.span(),
            format!("`{}` is called without its mandatory {}: PowerShell stops to prompt for {}, and an unattended run hangs.", cmdlet.name, names.join(", "), if names.len() == 1 { "it" } else { "them" }),
            format!("give {} in the command.", names.join(" and ")),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("missing-mandatory-parameter", text).len()
    }

    #[test]
    fn a_mandatory_parameter_left_out_is_reported() {
        assert_eq!(
            found("Get-MsolServicePrincipalCredential -AppPrincipalId $id"),
            1
        );
        assert_eq!(
            found("Get-MsolServicePrincipalCredential -AppPrincipalId $id -ReturnKeyValues:$false"),
            0
        );
        assert_eq!(
            found(
                "$p = @{ AppPrincipalId = $id; ReturnKeyValues = $false }\nGet-MsolServicePrincipalCredential @p"
            ),
            0
        );
        assert_eq!(
            found("Get-MsolServicePrincipalCredential @PSBoundParameters"),
            0
        );
        assert_eq!(
            found("$sp | Get-MsolServicePrincipalCredential -ReturnKeyValues $false"),
            0
        );
    }
}
