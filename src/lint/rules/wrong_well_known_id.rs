//! `wrong-well-known-id`: a valid ID, but not the one its role needs.

use crate::catalog::{EXCHANGE_ONLINE_APP_ID, SKYPE_ONLINE_APP_ID};
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::ast::Expression;
use crate::powershell::ast::Span;

use crate::semantic::analysis::cmdlet_uses;
use crate::semantic::ids::{is_guid, near_well_known, well_known_name};
use crate::semantic::principals::{SpnText, skype_spns};
use crate::semantic::strings::span_in;

pub const RULE: Rule = Rule {
    code: "wrong-well-known-id",
    group: Group::Identifiers,
    severity: Severity::Error,
    summary: "An application ID that is not the one its role needs: the OAuth service name, the Exchange partner application, the Skype for Business Online SPNs.",
    doc: DOC,
    fix: FixSafety::Unsafe,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a GUID that is well formed but not the ID its role needs:
* `Set-CsOAuthConfiguration -ServiceName` must be the Skype for Business Online application ID,
  `00000004-0000-0ff1-ce00-000000000000`;
* the partner application for Exchange (`New-CsPartnerApplication` whose identity names
  Exchange, such as `microsoft.exchange`) must carry the Exchange Online ID,
  `00000002-0000-0ff1-ce00-000000000000`, in `-ApplicationIdentifier`;
* an SPN added to the Skype for Business Online service principal (through
  `$sp.ServicePrincipalNames.Add(...)` or `-ServicePrincipalNames` of the principal selected by
  its application ID) must start with the Skype for Business Online ID and `/`.

An ID a character or two from the right one is a typo, reported by `near-well-known-id`.

## Why it matters
The IDs look alike (they differ in one digit), and Microsoft's own pages have mixed them up: the
SfB Online/Exchange page once set the service name to the Exchange ID (fixed by PR #1540).
With the wrong one, tokens are issued for one application and checked against another, and
server-to-server authentication fails with no message that names the ID.

## Example
```powershell
Set-CsOAuthConfiguration -ServiceName 00000002-0000-0ff1-ce00-000000000000
```

```powershell
New-CsPartnerApplication -Identity microsoft.exchange -ApplicationIdentifier 00000004-0000-0ff1-ce00-000000000000 -ApplicationTrustLevel Full -UseOAuthServer
```

## Use instead
```powershell
Set-CsOAuthConfiguration -ServiceName 00000004-0000-0ff1-ce00-000000000000
```

```powershell
New-CsPartnerApplication -Identity microsoft.exchange -ApplicationIdentifier 00000002-0000-0ff1-ce00-000000000000 -ApplicationTrustLevel Full -UseOAuthServer
```

## Fix safety
Unsafe: the fix writes the ID the role needs, but which object was meant is for a person to
confirm.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for (u, cmdlet) in cmdlet_uses(cx) {
        let known = |name: &str| {
            u.binding
                .value(name)
                .and_then(|e| cx.values.string_value(e).map(|s| (s, e)))
        };
        if cmdlet.name.eq_ignore_ascii_case("Set-CsOAuthConfiguration")
            && let Some((id, e)) = known("ServiceName")
            && wrong(&id, SKYPE_ONLINE_APP_ID)
        {
            out.push(finding(
                text,
                e,
                &id,
                SKYPE_ONLINE_APP_ID,
                "the OAuth service name of the on-premises deployment (`-ServiceName`) is the Skype for Business Online application ID",
            ));
        }
        if cmdlet.name.eq_ignore_ascii_case("New-CsPartnerApplication")
            && known("Identity").is_some_and(|(i, _)| i.to_ascii_lowercase().contains("exchange"))
            && let Some((id, e)) = known("ApplicationIdentifier")
            && wrong(&id, EXCHANGE_ONLINE_APP_ID)
        {
            out.push(finding(
                text,
                e,
                &id,
                EXCHANGE_ONLINE_APP_ID,
                "the partner application for Exchange carries the Exchange Online application ID",
            ));
        }
    }
    for site in skype_spns(cx) {
        let start = match &site.text {
            SpnText::Full(s) | SpnText::Prefix(s) => s,
        };
        let Some((id, _)) = start.split_once('/') else {
            continue;
        };
        if wrong(id, SKYPE_ONLINE_APP_ID) {
            let span = span_in(text, site.span, id);
            let mut d = RULE.at(
                span,
                format!(
                    "this SPN is added to the Skype for Business Online service principal but starts with {}: its SPNs start with `{SKYPE_ONLINE_APP_ID}/`.",
                    describe(id)
                ),
                format!("write `{SKYPE_ONLINE_APP_ID}/<external web services FQDN>`."),
            );
            if text.get(span.start..span.end) == Some(id) {
                d = d.with_fix(replace(span, SKYPE_ONLINE_APP_ID));
            }
            out.push(d);
        }
    }
}

/// A GUID that is not `expected` and not a typo of a well-known ID (`near-well-known-id`'s).
fn wrong(id: &str, expected: &str) -> bool {
    let id = id.trim();
    is_guid(id) && !id.eq_ignore_ascii_case(expected) && near_well_known(id, false).is_none()
}

fn describe(id: &str) -> String {
    match well_known_name(id.trim()) {
        Some(name) => format!("the {name} ID `{id}`"),
        None => format!("`{id}`"),
    }
}

fn finding(text: &str, e: &Expression, id: &str, expected: &str, role: &str) -> Diagnostic {
    let span: Span = span_in(text, e.span(), id.trim());
    let d = RULE.at(
        span,
        format!("this is {}, but {role}, `{expected}`.", describe(id)),
        format!("write `{expected}`."),
    );
    if text.get(span.start..span.end) == Some(id.trim()) {
        d.with_fix(replace(span, expected))
    } else {
        d
    }
}

fn replace(span: Span, id: &str) -> Fix {
    Fix::replace(
        Applicability::Unsafe,
        format!("write `{id}`"),
        span,
        id.to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<String> {
        codes_found("wrong-well-known-id", text)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn the_wrong_id_for_the_role_is_reported() {
        let f =
            found("Set-CsOAuthConfiguration -ServiceName 00000002-0000-0ff1-ce00-000000000000\n");
        assert_eq!(f.len(), 1);
        assert!(f[0].contains("Exchange Online ID"), "{f:?}");
        assert_eq!(found("$svc = '00000003-0000-0ff1-ce00-000000000000'\nSet-CsOAuthConfiguration -ServiceName $svc\n").len(), 1);
        assert_eq!(found("New-CsPartnerApplication microsoft.exchange -ApplicationIdentifier 00000004-0000-0ff1-ce00-000000000000 -ApplicationTrustLevel Full -UseOAuthServer\n").len(), 1);
        assert_eq!(found("$sp = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000\n$sp.ServicePrincipalNames.Add('00000002-0000-0ff1-ce00-000000000000/lync.contoso.com')\n").len(), 1);
        assert_eq!(found("$sp = Get-MgServicePrincipal -Filter \"appId eq '00000004-0000-0ff1-ce00-000000000000'\"\n$sp.ServicePrincipalNames.Add(\"00000002-0000-0ff1-ce00-000000000000/$fqdn\")\n").len(), 1);
        assert_eq!(found("Set-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ServicePrincipalNames ($sp.ServicePrincipalNames + '00000002-0000-0ff1-ce00-000000000000/lync.contoso.com')\n").len(), 1);
    }

    #[test]
    fn the_right_ids_typos_and_other_principals_are_fine() {
        for text in [
            "Set-CsOAuthConfiguration -ServiceName 00000004-0000-0ff1-ce00-000000000000",
            "Set-CsOAuthConfiguration -ServiceName 00000004-0000-0ff1-ce00-000000000001",
            "Set-CsOAuthConfiguration -ServiceName $ServiceName",
            "New-CsPartnerApplication -Identity microsoft.exchange -ApplicationIdentifier 00000002-0000-0ff1-ce00-000000000000 -ApplicationTrustLevel Full -UseOAuthServer",
            "New-CsPartnerApplication -Identity sharepoint -ApplicationIdentifier 00000003-0000-0ff1-ce00-000000000000 -ApplicationTrustLevel Full -UseOAuthServer",
            "$sp = Get-MsolServicePrincipal -AppPrincipalId 00000002-0000-0ff1-ce00-000000000000\n$sp.ServicePrincipalNames.Add('00000002-0000-0ff1-ce00-000000000000/mail.contoso.com')",
            "$sp = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000\n$sp.ServicePrincipalNames.Add('00000004-0000-0ff1-ce00-000000000000/lync.contoso.com')",
            "$sp = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000\n$sp = Get-MsolServicePrincipal -AppPrincipalId 00000002-0000-0ff1-ce00-000000000000\n$sp.ServicePrincipalNames.Add('00000002-0000-0ff1-ce00-000000000000/mail.contoso.com')",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
