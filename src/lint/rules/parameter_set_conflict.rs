//! `parameter-set-conflict`: parameters that no parameter set takes together.

use crate::catalog::ParameterKind;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use super::cmdlet_support::complete;

pub const RULE: Rule = Rule {
    code: "parameter-set-conflict",
    group: Group::Cmdlets,
    severity: Severity::Error,
    summary: "Parameters from different parameter sets: PowerShell cannot tell which form of the cmdlet is meant and refuses it.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a catalogued cmdlet called with named parameters that no one of its parameter sets holds
together, naming the sets of each.

## Why it matters
A cmdlet's parameter sets are its different forms (`New-CsPartnerApplication` with a metadata
URL, or with a certificate and an application identifier). PowerShell refuses parameters from two
forms at once ("Parameter set cannot be resolved using the specified named parameters"), so the
command does nothing.

## Example
```powershell
Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -All
```

## Use instead
```powershell
Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
```

## Fix safety
No fix: which form was meant is for a person to say.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    for u in &cx.commands {
        let Some(cmdlet) = complete(u) else { continue };
        if cmdlet.parameter_sets.len() < 2 {
            continue;
        }
        let named: Vec<(usize, &crate::semantic::BoundParameter<'_>)> = u
            .binding
            .parameters
            .iter()
            .filter_map(|p| {
                let q = p.resolved.parameter()?;
                (q.kind == ParameterKind::Declared).then(|| Some((cmdlet.declared_index(q)?, p)))?
            })
            .collect();
        // A parameter in no set at all is in every set (the docs list it without one).
        let in_some_set = |i: usize| cmdlet.parameter_sets.iter().any(|s| s.member(i).is_some());
        let named: Vec<_> = named.into_iter().filter(|(i, _)| in_some_set(*i)).collect();
        let fits = |upto: usize| {
            cmdlet
                .parameter_sets
                .iter()
                .any(|s| named[..upto].iter().all(|(i, _)| s.member(*i).is_some()))
        };
        if named.len() < 2 || fits(named.len()) {
            continue;
        }
        // The first parameter that leaves no set: reported there, against those before it.
        let Some(k) = (2..=named.len()).find(|&k| !fits(k)) else {
            continue;
        };
        let (i, p) = named[k - 1];
        let sets = |i: usize| {
            cmdlet
                .parameter_sets
                .iter()
                .filter(|s| s.member(i).is_some())
                .map(|s| format!("`{}`", s.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let before: Vec<String> = named[..k - 1]
            .iter()
            .map(|(_, b)| {
                format!(
                    "`-{}`",
                    b.resolved
                        .parameter()
                        .map_or(b.name_as_written, |q| q.name.as_str())
                )
            })
            .collect();
        let name = &cmdlet.parameters[i].name;
        out.push(RULE.at(
            p.span,
            format!("`-{name}` cannot be used with {} in `{}`: no parameter set takes them together, so PowerShell refuses the command.", before.join(", "), cmdlet.name),
            format!("`-{name}` belongs to the parameter set(s) {}; use the parameters of one set (`Get-Command {} -Syntax` lists them).", sets(i), cmdlet.name),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    #[test]
    fn parameters_of_two_sets_are_reported() {
        assert_eq!(
            codes_found(
                "parameter-set-conflict",
                "Get-MsolServicePrincipal -ObjectId $o -AppPrincipalId $a"
            )
            .len(),
            1
        );
        assert!(
            codes_found(
                "parameter-set-conflict",
                "Get-MsolServicePrincipal -AppPrincipalId $a -TenantId $t"
            )
            .is_empty()
        );
    }
}
