//! `invalid-enum-value`: a value a parameter does not accept.

use crate::catalog::{Parameter, did_you_mean};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::ast::Expression;

use super::cmdlet_support::{list_or, starts_with_ignore_case};
use crate::semantic::analysis::cmdlet_uses;
use crate::semantic::strings::known_strings;

pub const RULE: Rule = Rule {
    code: "invalid-enum-value",
    group: Group::Cmdlets,
    severity: Severity::Error,
    summary: "A value the parameter does not accept: PowerShell refuses the command.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a literal value (written, in a variable assigned a literal, or in a splatted hashtable)
of a parameter that takes one of a fixed list of values (`-ApplicationTrustLevel`, `-Type`,
`-Usage`, `-AzureEnvironment`, `Connect-MgGraph -Environment`...) when it is not one of them,
and lists the allowed ones. Case does not matter, as in PowerShell; for an enumeration, a unique
abbreviation of a value is accepted too, as PowerShell's binder does. For the certificate types
of `Get-/Set-CsCertificate -Type`, which the documentation lists only in part, only a value close
to a listed one (a typo) is reported.

## Why it matters
PowerShell stops the command with "Cannot bind parameter ... Cannot convert value" or "does not
belong to the set": the key credential is not added, the partner application is not created, or
the session connects to no cloud, and the script runs on.

## Example
```powershell
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Assymetric -Usage Verify -Value $credentialsValue
```

## Use instead
```powershell
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credentialsValue
```

## Fix safety
No fix: the help names the closest allowed value, but which one was meant is for a person to
say.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    // Add-MgEnvironment registers environments of the script's own.
    let custom_environments = cx.uses("Add-MgEnvironment").next().is_some();
    for (u, cmdlet) in cmdlet_uses(cx) {
        for (parameter, value) in u.binding.values() {
            let Some(allowed) = &parameter.allowed_values else {
                continue;
            };
            if custom_environments && parameter.name.eq_ignore_ascii_case("Environment") {
                continue;
            }
            let Some(strings) = known_strings(cx, value) else {
                continue;
            };
            for (s, at) in strings {
                if accepted(parameter, allowed, &s) {
                    continue;
                }
                // A list the documentation gives in part: only a typo of a listed value is sure.
                if INCOMPLETE.contains(&parameter.type_name.as_str())
                    && did_you_mean(s.trim(), allowed.iter().map(String::as_str)).is_none()
                {
                    continue;
                }
                out.push(finding(cmdlet.name.as_str(), parameter, allowed, &s, at));
            }
        }
    }
}

/// The types whose values the documentation lists in part (the Get-/Set-CsCertificate pages leave
/// out `OAuthTokenIssuer`, which Import-CsCertificate lists; domain.md 1.2).
const INCOMPLETE: &[&str] = &["CertType", "CertType[]"];

/// Whether PowerShell binds `s` to the parameter: one of the values (any case); for an
/// enumeration, also a unique prefix of one, or a list of values separated by commas (flags).
fn accepted(parameter: &Parameter, allowed: &[String], s: &str) -> bool {
    let s = s.trim();
    let enumeration = !parameter
        .type_name
        .to_ascii_lowercase()
        .starts_with("string");
    let one = |v: &str| {
        allowed.iter().any(|a| a.eq_ignore_ascii_case(v))
            || (enumeration
                && allowed
                    .iter()
                    .filter(|a| starts_with_ignore_case(a, v))
                    .count()
                    == 1)
    };
    if enumeration && s.contains(',') {
        return s.split(',').all(|v| one(v.trim()));
    }
    one(s)
}

fn finding(
    cmdlet: &str,
    parameter: &Parameter,
    allowed: &[String],
    s: &str,
    at: &Expression,
) -> Diagnostic {
    let closest = did_you_mean(s.trim(), allowed.iter().map(String::as_str));
    let help = match closest {
        Some(c) => format!(
            "did you mean `{c}`? `-{}` takes {}.",
            parameter.name,
            list_or(allowed)
        ),
        None => format!("use {}.", list_or(allowed)),
    };
    let takes = if allowed.len() <= 6 {
        list_or(allowed)
    } else {
        format!("one of {} values", allowed.len())
    };
    RULE.at(
        at.span(),
        format!(
            "`{s}` is not a value of `-{}`: `{cmdlet}` takes {takes}, and PowerShell refuses anything else.",
            parameter.name,
        ),
        help,
    )
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<String> {
        codes_found("invalid-enum-value", text)
            .into_iter()
            .map(|d| format!("{} | {}", d.message, d.help))
            .collect()
    }

    #[test]
    fn values_outside_the_list_are_reported_with_the_list() {
        let f = found(
            "New-CsPartnerApplication -Identity x -ApplicationIdentifier y -ApplicationTrustLevel Fulll -UseOAuthServer\n",
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].contains("`Full`, `Application` or `User`"), "{f:?}");
        assert!(f[0].contains("did you mean `Full`"), "{f:?}");
        assert_eq!(
            found("Connect-MsolService -AzureEnvironment USGovCloud\n").len(),
            1
        );
        assert_eq!(
            found("Connect-MgGraph -Environment AzureUSGovernment\n").len(),
            1
        );
        assert_eq!(found("$level = 'Fully'\nSet-CsPartnerApplication microsoft.exchange -ApplicationTrustLevel $level\n").len(), 1);
        assert_eq!(found("$p = @{ Usage = 'Verfiy' }\nNew-MsolServicePrincipalCredential -AppPrincipalId $a @p\n").len(), 1);
        assert_eq!(
            found("Set-CsCertificate -Type Default,OAuthTokenIsuer -Thumbprint $t\n").len(),
            1
        );
        assert_eq!(found("Import-Module x -Scope Glob\n").len(), 1);
    }

    #[test]
    fn allowed_values_in_any_case_abbreviations_and_unknowns_are_fine() {
        for text in [
            "New-MsolServicePrincipalCredential -AppPrincipalId $a -Type asymmetric -Usage Verify -Value $v",
            "New-MsolServicePrincipalCredential -AppPrincipalId $a -Type ASYMMETRIC -Usage:verify",
            "New-MsolServicePrincipalCredential -AppPrincipalId $a -Type Asym",
            "New-MsolServicePrincipalCredential -AppPrincipalId $a -Type $type -Usage $usage",
            "New-MsolServicePrincipalCredential -AppPrincipalId $a -Type 1",
            "Connect-MsolService -AzureEnvironment AzureChinaCloud",
            "Connect-MgGraph -Environment USGovDoD -Scopes Application.ReadWrite.All",
            "Add-MgEnvironment -Name Mine -AzureADEndpoint https://login.example\nConnect-MgGraph -Environment Mine",
            "Set-CsCertificate -Type Default,WebServicesInternal,WebServicesExternal -Thumbprint $t",
            "Set-CsCertificate -Type 'Default, WebServicesInternal' -Thumbprint $t",
            "Get-CsCertificate -Type OAuthTokenIssuer",
            "Get-CsCertificate -Type PstnGateway",
            "Set-CsOAuthConfiguration -ClientAdalAuthOverride Allowed",
            "function Connect-MsolService { param($AzureEnvironment) }\nConnect-MsolService -AzureEnvironment Mine",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
