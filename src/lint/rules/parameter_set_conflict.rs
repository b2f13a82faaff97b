//! `parameter-set-conflict`: named parameters that no parameter set takes together.

use crate::catalog::ParameterKind;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use super::cmdlet_support::{list_and, parameter_span, sets_of};
use crate::semantic::analysis::cmdlet_uses;

pub const RULE: Rule = Rule {
    code: "parameter-set-conflict",
    group: Group::Cmdlets,
    severity: Severity::Error,
    summary: "Parameters of different parameter sets in one command: PowerShell cannot choose a set and refuses it.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports named parameters of a catalogued cmdlet (written, or keys of a splatted hashtable the
script shows) that no single parameter set of the cmdlet takes together, and says which set each
belongs to.

## Why it matters
A cmdlet's parameter sets are the forms it can be called in: `Get-CsOAuthServer` finds a server
either by `-Identity` or by `-Filter`, `Set-CsPartnerApplication` takes a certificate, a metadata
URL or `-UseOAuthServer`, not two of them. Given parameters of two sets, PowerShell stops with
"Parameter set cannot be resolved using the specified named parameters", and the step does not
happen.

## Example
```powershell
Set-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full -UseOAuthServer -MetadataUrl 'https://autodiscover.contoso.com/autodiscover/metadata/json/1'
```

## Use instead
```powershell
Set-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full -UseOAuthServer
```

## Fix safety
No fix: which form of the command was meant is for a person to say.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for (u, cmdlet) in cmdlet_uses(cx) {
        if cmdlet.parameters_subset || u.binding.parameter_set.is_some() {
            continue;
        }
        // The declared parameters, each once, in the order given.
        let mut named = Vec::new();
        for p in &u.binding.parameters {
            let Some(q) = p.resolved.parameter() else {
                continue;
            };
            if q.kind != ParameterKind::Declared {
                continue;
            }
            if let Some(i) = cmdlet.declared_index(q)
                && !named.iter().any(|(j, _)| *j == i)
            {
                named.push((i, p));
            }
        }
        if named.len() < 2 {
            continue;
        }
        let together = |is: &[usize]| {
            cmdlet
                .parameter_sets
                .iter()
                .any(|s| is.iter().all(|&i| s.member(i).is_some()))
        };
        if together(&named.iter().map(|(i, _)| *i).collect::<Vec<_>>()) {
            continue;
        }
        let sets = |i: usize| {
            sets_of(cmdlet, i)
                .iter()
                .map(|s| s.name.clone())
                .collect::<Vec<_>>()
        };
        // The first pair that shares no set, reported at its second parameter.
        let pair = (1..named.len())
            .flat_map(|b| (0..b).map(move |a| (a, b)))
            .find(|&(a, b)| !together(&[named[a].0, named[b].0]));
        let (message, at) = match pair {
            Some((a, b)) => {
                let (ia, _) = named[a];
                let (ib, pb) = named[b];
                (
                    format!(
                        "`-{}` and `-{}` are in different parameter sets of `{}` ({} in {}, {} in {}): PowerShell stops with \"Parameter set cannot be resolved\".",
                        cmdlet.parameters[ia].name,
                        cmdlet.parameters[ib].name,
                        cmdlet.name,
                        cmdlet.parameters[ia].name,
                        list_and(&sets(ia)),
                        cmdlet.parameters[ib].name,
                        list_and(&sets(ib)),
                    ),
                    pb,
                )
            }
            None => {
                let names: Vec<String> = named
                    .iter()
                    .map(|(i, _)| format!("-{}", cmdlet.parameters[*i].name))
                    .collect();
                (
                    format!(
                        "no parameter set of `{}` takes {} together: PowerShell stops with \"Parameter set cannot be resolved\".",
                        cmdlet.name,
                        list_and(&names)
                    ),
                    named[named.len() - 1].1,
                )
            }
        };
        out.push(RULE.at(
            parameter_span(text, at),
            message,
            "keep the parameters of one form of the command (see its syntax in `Get-Help`), or split it into two commands.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<String> {
        codes_found("parameter-set-conflict", text)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn parameters_of_different_sets_are_reported() {
        let f = found("Get-CsOAuthServer -Identity microsoft.sts -Filter '*'\n");
        assert_eq!(f.len(), 1);
        assert!(f[0].contains("`-Identity` and `-Filter`"), "{f:?}");
        assert_eq!(
            found("Get-MsolServicePrincipal -AppPrincipalId $a -ObjectId $o\n").len(),
            1
        );
        assert_eq!(
            found("$p = @{ ObjectId = $o }\nGet-MsolServicePrincipal -AppPrincipalId $a @p\n")
                .len(),
            1
        );
    }

    #[test]
    fn one_set_and_common_parameters_are_fine() {
        for text in [
            "Get-CsOAuthServer -Identity microsoft.sts -LocalStore -ErrorAction Stop",
            "Set-MsolServicePrincipal -ObjectId $o -AppPrincipalId $a -ServicePrincipalNames $s",
            "New-CsPartnerApplication -Identity x -ApplicationIdentifier y -ApplicationTrustLevel Full -UseOAuthServer -Enabled $true",
            "Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Path c:\\x.pfx -Password $p",
            "Update-MgServicePrincipal -ServicePrincipalId $id -BodyParameter $b -KeyCredentials $k",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
