//! `invalid-enum-value`: a value outside the values a parameter accepts.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::ast::Expression;

pub const RULE: Rule = Rule {
    code: "invalid-enum-value",
    group: Group::Cmdlets,
    severity: Severity::Error,
    summary: "A value a parameter does not accept (`-ApplicationTrustLevel`, `-Type`, `-Usage`, `-AzureEnvironment`...).",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a value the script fixes (a literal, or a variable assigned one) given to a parameter
that accepts only some values, listing them. Values are compared ignoring case, as PowerShell
does.

## Why it matters
PowerShell converts the text to the parameter's enumeration before the cmdlet runs, and refuses
the command when it cannot ("Cannot convert value ... to type ... ApplicationTrustLevel"). A
misspelt `-Usage Verfy` or `-Type Asymetric` stops the credential step; a wrong
`-AzureEnvironment` signs in to another cloud.

## Example
```powershell
New-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Trusted -MetadataUrl $exchangeMetadata
```

## Use instead
```powershell
New-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full -MetadataUrl $exchangeMetadata
```

## Fix safety
No fix: the allowed values are listed; which one was meant is for a person to say.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    for u in &cx.commands {
        let Some(cmdlet) = u.binding.cmdlet else {
            continue;
        };
        let named = u
            .binding
            .parameters
            .iter()
            .filter_map(|p| Some((p.resolved.parameter()?, p.value?)));
        let positional = u
            .binding
            .positionals
            .iter()
            .filter_map(|p| Some((p.parameter?, p.value)));
        for (parameter, value) in named.chain(positional) {
            let Some(allowed) = &parameter.allowed_values else {
                continue;
            };
            if allowed.is_empty() || !simple(value) {
                continue;
            }
            let Some(text) = cx.values.string_value(value) else {
                continue;
            };
            let written = text.trim();
            // Flags enumerations take "A, B"; a variable or an expression is not judged.
            if written.contains(',') || written.is_empty() {
                continue;
            }
            if allowed.iter().any(|a| a.eq_ignore_ascii_case(written)) {
                continue;
            }
            let list = allowed
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let hint =
                match crate::catalog::did_you_mean(written, allowed.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`? "),
                    None => String::new(),
                };
            out.push(RULE.at(
                value.span(),
                format!("`{written}` is not a value `-{}` of `{}` accepts: PowerShell refuses the command.", parameter.name, cmdlet.name),
                format!("{hint}It accepts {list}."),
            ));
        }
    }
}

/// A string, bare word or variable: what an admin writes for an enumeration value. Numbers and
/// `[Enum]::Value` are left alone (PowerShell converts them otherwise).
fn simple(e: &Expression) -> bool {
    matches!(
        e,
        Expression::String(_) | Expression::ExpandableString(_) | Expression::Variable(_)
    )
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    #[test]
    fn values_outside_the_enumeration_are_reported_ignoring_case() {
        let d = codes_found(
            "invalid-enum-value",
            "New-MsolServicePrincipalCredential -AppPrincipalId $a -Type asymetric -Usage Verify -Value $v",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].help.contains("`Asymmetric`"), "{}", d[0].help);
        assert_eq!(codes_found("invalid-enum-value", "$level = 'Trusted'\nSet-CsPartnerApplication -Identity x -ApplicationTrustLevel $level").len(), 1);
        for text in [
            "New-MsolServicePrincipalCredential -AppPrincipalId $a -Type asymmetric -Usage VERIFY -Value $v",
            "Set-CsPartnerApplication -Identity x -ApplicationTrustLevel $level",
            "Set-CsPartnerApplication -Identity x -ApplicationTrustLevel ([Microsoft.Rtc.Management.WritableConfig.Policy.Meeting.ApplicationTrustLevel]::Full)",
        ] {
            assert!(codes_found("invalid-enum-value", text).is_empty(), "{text}");
        }
    }
}
