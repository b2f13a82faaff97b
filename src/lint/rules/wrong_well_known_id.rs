//! `wrong-well-known-id`: a well-known application ID in a place that needs another.

use crate::catalog::{EXCHANGE_ONLINE_APP_ID, SKYPE_ONLINE_APP_ID, WELL_KNOWN_APP_IDS};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

pub const RULE: Rule = Rule {
    code: "wrong-well-known-id",
    group: Group::Identifiers,
    severity: Severity::Error,
    summary: "A well-known application ID where another one belongs: the service name, the Exchange partner application, an SPN of the Skype for Business principal.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Checks the well-known IDs the cross-premises setup depends on:
`Set-CsOAuthConfiguration -ServiceName` must be the Skype for Business Online ID
(`00000004-0000-0ff1-ce00-000000000000`); the `microsoft.exchange` partner application
(`New-/Set-CsPartnerApplication -ApplicationIdentifier`) must carry the Exchange Online ID
(`00000002-0000-0ff1-ce00-000000000000`); an SPN written to the Skype for Business Online
principal must start with its ID and `/`.

## Why it matters
These IDs differ by one digit, and pages copy them into each other's places. With the Exchange
ID as the service name, Lync issues tokens Office 365 does not accept; with the SharePoint ID on
the Exchange partner application, Exchange's tokens are refused; an SPN under another
application's ID is not one Office 365 looks for. Every command succeeds, and the integration
fails later with authentication errors that do not point here.

## Example
```powershell
Set-CsOAuthConfiguration -ServiceName 00000002-0000-0ff1-ce00-000000000000
```

## Use instead
```powershell
Set-CsOAuthConfiguration -ServiceName 00000004-0000-0ff1-ce00-000000000000
```

## Fix safety
No fix: the wrong ID may stand for a wrong step, not only a wrong value.
"#;

fn name_of(id: &str) -> &'static str {
    WELL_KNOWN_APP_IDS
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(id))
        .map_or("another application", |(_, n)| n)
}

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let string = |e| cx.values.string_value(e).map(|s| s.trim().to_owned());
    for u in &cx.commands {
        if u.is("Set-CsOAuthConfiguration")
            && let Some(value) = u.binding.value("ServiceName")
            && let Some(id) = string(value)
            && is_well_known(&id)
            && !id.eq_ignore_ascii_case(SKYPE_ONLINE_APP_ID)
        {
            out.push(RULE.at(
                value.span(),
                format!("the service name is {} ({}), not Skype for Business Online's: Office 365 refuses the tokens Lync issues with it.", id, name_of(&id)),
                format!("write `-ServiceName {SKYPE_ONLINE_APP_ID}`."),
            ));
        }
        if (u.is("New-CsPartnerApplication") || u.is("Set-CsPartnerApplication"))
            && let Some(identity) = u.binding.value("Identity").and_then(string)
            && identity.eq_ignore_ascii_case("microsoft.exchange")
            && let Some(value) = u.binding.value("ApplicationIdentifier")
            && let Some(id) = string(value)
            && is_well_known(&id)
            && !id.eq_ignore_ascii_case(EXCHANGE_ONLINE_APP_ID)
        {
            out.push(RULE.at(
                value.span(),
                format!("the Exchange partner application carries {} ({}), not Exchange Online's ID: Exchange's tokens are refused.", id, name_of(&id)),
                format!("write `-ApplicationIdentifier {EXCHANGE_ONLINE_APP_ID}`."),
            ));
        }
        if u.is("Set-MsolServicePrincipal")
            && u.binding
                .value("AppPrincipalId")
                .and_then(string)
                .is_some_and(|a| a.eq_ignore_ascii_case(SKYPE_ONLINE_APP_ID))
            && let Some(value) = u.binding.value("ServicePrincipalNames")
        {
            let items: Vec<&crate::powershell::ast::Expression> = match value {
                crate::powershell::ast::Expression::Array(a) => a.elements.iter().collect(),
                e => vec![e],
            };
            for item in items {
                let Some(spn) = string(item) else { continue };
                let Some((prefix, host)) = spn.split_once('/') else {
                    continue;
                };
                if is_well_known(prefix) && !prefix.eq_ignore_ascii_case(SKYPE_ONLINE_APP_ID) {
                    out.push(RULE.at(
                        item.span(),
                        format!("this SPN of the Skype for Business Online principal starts with {} ({}): Office 365 does not find the pool under it.", prefix, name_of(prefix)),
                        format!("write `{SKYPE_ONLINE_APP_ID}/{host}`."),
                    ));
                }
            }
        }
    }
}

fn is_well_known(id: &str) -> bool {
    WELL_KNOWN_APP_IDS
        .iter()
        .any(|(known, _)| known.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("wrong-well-known-id", text).len()
    }

    #[test]
    fn ids_in_the_wrong_place() {
        assert_eq!(
            found(
                "$svc = '00000002-0000-0ff1-ce00-000000000000'\nSet-CsOAuthConfiguration -ServiceName $svc"
            ),
            1
        );
        assert_eq!(
            found(
                "New-CsPartnerApplication -Identity microsoft.exchange -ApplicationIdentifier 00000003-0000-0ff1-ce00-000000000000 -ApplicationTrustLevel Full -UseOAuthServer"
            ),
            1
        );
        assert_eq!(
            found(
                "Set-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ServicePrincipalNames $old, '00000002-0000-0ff1-ce00-000000000000/lyncweb.contoso.com'"
            ),
            1
        );
        assert_eq!(
            found(
                "New-CsPartnerApplication -Identity microsoft.exchange -ApplicationIdentifier 00000002-0000-0ff1-ce00-000000000000 -ApplicationTrustLevel Full -UseOAuthServer"
            ),
            0
        );
        assert_eq!(
            found("Set-CsOAuthConfiguration -ServiceName $serviceName"),
            0
        );
    }
}
