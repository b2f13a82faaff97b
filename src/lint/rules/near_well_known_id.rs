//! `near-well-known-id`: a GUID a character or two from a well-known application ID.

use std::collections::HashSet;

use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::ast::Span;

use crate::semantic::ids::{id_sites, is_guid, near_well_known, registry_form};
use crate::semantic::principals::{SpnText, skype_spns};
use crate::semantic::strings::span_in;

pub const RULE: Rule = Rule {
    code: "near-well-known-id",
    group: Group::Identifiers,
    severity: Severity::Error,
    summary: "A GUID one or two characters from a well-known application ID: a typo of it.",
    doc: DOC,
    fix: FixSafety::Unsafe,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports an ID that differs from a well-known application ID (Skype for Business Online
`00000004-0000-0ff1-ce00-000000000000`, Exchange Online `00000002-…`, SharePoint Online
`00000003-…`, the authorization server, the Graph applications, the Teams services) by one or
two characters, or by two swapped ones, and is not a known ID itself, where an application ID
belongs: the ID parameters of the catalogued cmdlets (`-AppPrincipalId`, `-ServiceName`,
`-ApplicationIdentifier`...), the `appId` of a Graph filter, the start of an SPN added to the
Skype for Business Online principal; the value may be written there or come from a variable.
IDs of the first-party families (`000000XX-0000-0ff1-ce00-…`, `000000XX-0000-0000-c000-…`) are
real applications, not typos, and are never reported. (A malformed ID where an ID belongs is
reported by `malformed-guid`.)

## Why it matters
A typo in a GUID looks right to every reader. The command that uses it either fails ("service
principal not found", a missing SPN) or, worse, succeeds on the wrong thing: an OAuth
configuration whose service name no token carries, a partner application no token matches, and
server-to-server authentication fails with errors that never name the ID.

## Example
```powershell
Set-CsOAuthConfiguration -ServiceName 00000004-0000-0ff1-ce00-000000000001
```

```powershell
$lyncSP = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
$lyncSP.ServicePrincipalNames.Add("00000004-0000-0f1f-ce00-000000000000/lync.contoso.com")
```

## Use instead
```powershell
Set-CsOAuthConfiguration -ServiceName 00000004-0000-0ff1-ce00-000000000000
```

```powershell
$lyncSP = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
$lyncSP.ServicePrincipalNames.Add("00000004-0000-0ff1-ce00-000000000000/lync.contoso.com")
```

## Fix safety
Unsafe: the fix writes the well-known ID, which is almost always what was meant, but an ID is
for a person to confirm.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    let mut reported: HashSet<Span> = HashSet::new();
    for site in id_sites(cx) {
        // A malformed ID where an ID belongs is malformed-guid's.
        let Some(id) = registry_form(&site.value).filter(|_| site.valid()) else {
            continue;
        };
        if let Some((known, name)) = near_well_known(&id, false)
            && reported.insert(site.span)
        {
            out.push(finding(text, site.span, &site.value, known, name));
        }
    }
    for site in skype_spns(cx) {
        let (SpnText::Full(spn) | SpnText::Prefix(spn)) = &site.text;
        let Some((id, _)) = spn.split_once('/') else {
            continue;
        };
        let near = if is_guid(id) {
            near_well_known(id, false)
        } else {
            near_well_known(id, true)
        };
        if let Some((known, name)) = near {
            let at = span_in(text, site.span, id);
            if reported.insert(at) {
                out.push(finding(text, at, id, known, name));
            }
        }
    }
}

fn finding(text: &str, span: Span, written: &str, known: &str, name: &str) -> Diagnostic {
    let diagnostic = RULE.at(
        span,
        format!(
            "`{written}` is a character or two from the {name} application ID `{known}`, and no application has it: a typo."
        ),
        format!("write `{known}`."),
    );
    if text.get(span.start..span.end) == Some(written) {
        diagnostic.with_fix(Fix::replace(
            Applicability::Unsafe,
            format!("write `{known}`"),
            span,
            known.to_owned(),
        ))
    } else {
        diagnostic
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<String> {
        codes_found("near-well-known-id", text)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn typos_of_well_known_ids_are_reported_once() {
        let f =
            found("Set-CsOAuthConfiguration -ServiceName 00000004-0000-0ff1-ce00-000000000001\n");
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].contains("Skype for Business Online"), "{f:?}");
        assert_eq!(found("$ServiceName = '00000004-0000-0ff1-ce00-000000000040'\nGet-MgServicePrincipal -Filter \"appId eq '$ServiceName'\"\n").len(), 1);
        let sp =
            "$sp = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000\n";
        assert_eq!(found(&format!("{sp}$sp.ServicePrincipalNames.Add(\"00000004-0000-0ff1-ec00-000000000000/$fqdn\")\n")).len(), 1);
        assert_eq!(found(&format!("{sp}$sp.ServicePrincipalNames.Add('00000004-0000-0ff1-ce00-00000000000/lync.contoso.com')\n")).len(), 1);
        assert_eq!(
            found(
                "Get-MsolServicePrincipal -AppPrincipalId 00000001-0000-0000-c000-000000000010\n"
            )
            .len(),
            1
        );
        // A malformed one where an ID belongs is malformed-guid's.
        assert!(
            found("Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-00000000000\n")
                .is_empty()
        );
    }

    #[test]
    fn well_known_ids_their_families_and_other_guids_are_fine() {
        for text in [
            "Set-CsOAuthConfiguration -ServiceName 00000004-0000-0ff1-ce00-000000000000",
            "New-CsPartnerApplication microsoft.exchange -ApplicationIdentifier 00000002-0000-0ff1-ce00-000000000000 -ApplicationTrustLevel Full -UseOAuthServer",
            "Get-MsolServicePrincipal -AppPrincipalId 00000006-0000-0ff1-ce00-000000000000",
            "Get-MsolServicePrincipal -AppPrincipalId 00000009-0000-0000-c000-000000000000",
            "if ($id -eq '00000000-0000-0000-0000-000000000000') {}",
            "$x = '00000001-0000-0000-0000-000000000000'",
            "$mock = @{ ApplicationIdentifier = '11000002-0000-0ff1-ce00-000000000000' }",
            "Get-MsolServicePrincipal -AppPrincipalId 7557eb47-c689-4224-abcf-aef9bd7573df",
            "Remove-MsolServicePrincipalCredential -AppPrincipalId $a -KeyIds bc2795f3-2387-4543-a95d-f92c85c7a1b0",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
