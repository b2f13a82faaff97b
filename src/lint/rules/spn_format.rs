//! `spn-format`: an SPN for the Skype for Business Online principal not of the form
//! `00000004-0000-0ff1-ce00-000000000000/<FQDN>`.

use crate::catalog::SKYPE_ONLINE_APP_ID;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use crate::semantic::ids::{is_fqdn, is_guid, near_well_known};
use crate::semantic::principals::{SpnText, skype_spns};
use crate::semantic::strings::span_in;

pub const RULE: Rule = Rule {
    code: "spn-format",
    group: Group::Identifiers,
    severity: Severity::Error,
    summary: "An SPN for the Skype for Business Online principal that is not `00000004-0000-0ff1-ce00-000000000000/<FQDN>`.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports an SPN the script adds to the Skype for Business Online service principal (through
`$sp.ServicePrincipalNames.Add(...)` on the principal selected by its application ID, or an item
of `-ServicePrincipalNames` starting with its ID) that does not have the form the hybrid
procedure registers: the Skype for Business Online application ID, a `/`, and the fully
qualified name of an external web services host (`lync.contoso.com`), with no scheme, port, path
or trailing `/`.

Items of a `-ServicePrincipalNames` list that do not start with the application ID may be SPNs
the principal already has, and are not judged.

## Why it matters
Office 365 matches the host a token is requested for against these SPNs exactly. An SPN with
`https://`, a port, a trailing slash, a bare host name, or without the application ID matches
nothing: the SPN is stored, no error is shown, and server-to-server authentication with the
on-premises pool fails.

## Example
```powershell
$lyncSP = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
$lyncSP.ServicePrincipalNames.Add("00000004-0000-0ff1-ce00-000000000000/https://lync.contoso.com/")
Set-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ServicePrincipalNames $lyncSP.ServicePrincipalNames
```

## Use instead
```powershell
$lyncSP = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
$lyncSP.ServicePrincipalNames.Add("00000004-0000-0ff1-ce00-000000000000/lync.contoso.com")
Set-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ServicePrincipalNames $lyncSP.ServicePrincipalNames
```

## Fix safety
No fix: the host name is for a person to give.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    let form = format!("`{SKYPE_ONLINE_APP_ID}/<external web services FQDN>`");
    for site in skype_spns(cx) {
        let (spn, full) = match &site.text {
            SpnText::Full(s) => (s.as_str(), true),
            SpnText::Prefix(s) => (s.as_str(), false),
        };
        match spn.split_once('/') {
            Some((id, host)) if id.eq_ignore_ascii_case(SKYPE_ONLINE_APP_ID) => {
                if full && !is_fqdn(host, true) {
                    out.push(RULE.at(
                        span_in(text, site.span, host),
                        format!(
                            "`{host}` is not a fully qualified host name: the SPN `{spn}` matches no host, and server-to-server authentication with it fails."
                        ),
                        format!("write the external web services host alone, as in {form} (no scheme, port, path or `/` at the end)."),
                    ));
                }
            }
            // Another GUID is wrong-well-known-id's, a typo of one near-well-known-id's.
            Some((id, _)) if is_guid(id) || near_well_known(id, true).is_some() => {}
            _ => {
                // An item of a list written whole may be an SPN of another form already there;
                // of a string with unknown parts, only a start that is plainly not the ID.
                let judged = site.added && (full || spn.contains('/'));
                if !judged
                    || spn.eq_ignore_ascii_case(SKYPE_ONLINE_APP_ID)
                    || near_well_known(spn, true).is_some()
                {
                    continue;
                }
                out.push(RULE.at(
                    site.span,
                    format!(
                        "`{spn}` does not start with the Skype for Business Online application ID and `/`: the principal's SPNs for on-premises hosts are {form}."
                    ),
                    format!("write {form}."),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<String> {
        codes_found("spn-format", text)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    const SP: &str =
        "$sp = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000\n";

    #[test]
    fn spns_not_of_the_skype_form_are_reported() {
        for added in [
            "'00000004-0000-0ff1-ce00-000000000000/https://lync.contoso.com'",
            "'00000004-0000-0ff1-ce00-000000000000/lync.contoso.com/'",
            "'00000004-0000-0ff1-ce00-000000000000/lync.contoso.com:443'",
            "'00000004-0000-0ff1-ce00-000000000000/lync'",
            "'lync.contoso.com'",
            "'LyncServer/lync.contoso.com'",
            "\"https://$fqdn\"",
        ] {
            let text = format!("{SP}$sp.ServicePrincipalNames.Add({added})\n");
            let f = found(&text);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
        }
        assert_eq!(
            found("Set-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ServicePrincipalNames 'LyncServer/x', '00000004-0000-0ff1-ce00-000000000000/pool1'\n").len(),
            1
        );
    }

    #[test]
    fn spns_of_the_skype_form_unknowns_and_other_principals_are_fine() {
        for text in [
            format!("{SP}$sp.ServicePrincipalNames.Add('00000004-0000-0ff1-ce00-000000000000/lync.contoso.com')"),
            format!("{SP}$sp.ServicePrincipalNames.Add('00000004-0000-0ff1-ce00-000000000000/*.contoso.com')"),
            format!("{SP}$sp.ServicePrincipalNames.Add(\"00000004-0000-0ff1-ce00-000000000000/$fqdn\")"),
            format!("{SP}$sp.ServicePrincipalNames.Add(\"$appId/$fqdn\")"),
            format!("{SP}$sp.ServicePrincipalNames.Add($spn)"),
            format!("{SP}$fqdn = 'Pool1ExternalWebFQDN.contoso.com'\n$sp.ServicePrincipalNames.Add(\"00000004-0000-0ff1-ce00-000000000000/$fqdn\")"),
            "Set-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ServicePrincipalNames 'LyncServer/litwareinc.com', '00000004-0000-0ff1-ce00-000000000000'".to_owned(),
            "$sp = Get-MsolServicePrincipal -AppPrincipalId 00000002-0000-0ff1-ce00-000000000000\n$sp.ServicePrincipalNames.Add('https://mail.contoso.com/')".to_owned(),
        ] {
            assert!(found(&text).is_empty(), "{text}: {:?}", found(&text));
        }
    }
}
