//! `malformed-guid`: a value that is not a GUID where an ID belongs.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use crate::semantic::ids::{GuidForm, did_you_mean_id, id_sites, meant_as_guid};

pub const RULE: Rule = Rule {
    code: "malformed-guid",
    group: Group::Identifiers,
    severity: Severity::Error,
    summary: "A value that is not a GUID where an application, object or tenant ID belongs.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a literal value (written, in a variable assigned a literal, or in a splatted hashtable)
that is not a GUID where one belongs: the `[Guid]` parameters of the MSOnline and Lync cmdlets
(`-AppPrincipalId`, `-ObjectId`, `-TenantId`, `-KeyIds`, `-Tenant`),
`Set-CsOAuthConfiguration -ServiceName`, `New-CsPartnerApplication -ApplicationIdentifier` with
`-UseOAuthServer`, and the `appId` of a Microsoft Graph filter (`-Filter "appId eq '...'"`).
Where a place also takes other names (`-ApplicationIdentifier` of other partner applications,
Graph's `-ServicePrincipalId`), only a value plainly meant as a GUID is judged. When the value is
close to a well-known application ID, the help names it.

## Why it matters
A GUID has 32 hexadecimal digits, in groups of 8-4-4-4-12. One digit lost or added, a letter O
for a zero or an l for a 1, and PowerShell refuses the value ("Cannot convert value to type
System.Guid"), Graph answers "Invalid filter clause", or, for a string parameter such as
`-ServiceName`, the value is stored as it is and server-to-server authentication fails later,
far from the typo.

## Example
```powershell
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-00000000000 -Type Asymmetric -Usage Verify -Value $credentialsValue
```

## Use instead
```powershell
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credentialsValue
```

## Fix safety
No fix: the help names the well-known ID the value is close to, but what was meant is for a
person to say.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    for site in id_sites(cx) {
        if site.valid() || !(site.strict || meant_as_guid(&site.value)) {
            continue;
        }
        let form = match site.form {
            GuidForm::Any => "a GUID",
            GuidForm::Registry => "a GUID in the form 8-4-4-4-12",
        };
        let help = match did_you_mean_id(&site.value) {
            Some((id, name)) => format!("did you mean `{id}` ({name})?"),
            None => "write the ID as 32 hexadecimal digits in groups of 8-4-4-4-12, such as `00000004-0000-0ff1-ce00-000000000000`.".to_owned(),
        };
        out.push(RULE.at(
            site.span,
            format!(
                "`{}` is not a GUID: {} takes {form} (32 hexadecimal digits).",
                site.value, site.place
            ),
            help,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<String> {
        codes_found("malformed-guid", text)
            .into_iter()
            .map(|d| format!("{} | {}", d.message, d.help))
            .collect()
    }

    #[test]
    fn values_that_are_not_guids_are_reported() {
        let f =
            found("Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-00000000000\n");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].contains("did you mean `00000004-0000-0ff1-ce00-000000000000`"),
            "{f:?}"
        );
        assert_eq!(
            found("Set-CsOAuthConfiguration -ServiceName 'Lync'\n").len(),
            1
        );
        assert_eq!(found("$id = '00000004-0000-0ffl-ce00-000000000000'\nSet-MsolServicePrincipal -AppPrincipalId $id -AccountEnabled $true\n").len(), 1);
        assert_eq!(found("Remove-MsolServicePrincipalCredential -AppPrincipalId $a -KeyIds bc2795f3-2387-4543-a95d-f92c85c7a1b\n").len(), 1);
        assert_eq!(found("Get-MgServicePrincipal -Filter \"appId eq '00000004-0000-Off1-ce00-000000000000'\"\n").len(), 1);
        assert_eq!(found("New-CsPartnerApplication microsoft.exchange -ApplicationIdentifier exchange -ApplicationTrustLevel Full -UseOAuthServer\n").len(), 1);
        assert_eq!(
            found("$p = @{ ObjectId = 'not-a-guid' }\nGet-MsolServicePrincipal @p\n").len(),
            1
        );
    }

    #[test]
    fn guids_in_any_form_and_unknown_values_are_fine() {
        for text in [
            "Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000",
            "Get-MsolServicePrincipal -AppPrincipalId '{00000004-0000-0FF1-CE00-000000000000}'",
            "Get-MsolServicePrincipal -AppPrincipalId 0000000400000ff1ce00000000000000",
            "Get-MsolServicePrincipal -AppPrincipalId $sp.AppPrincipalId",
            "Get-MsolServicePrincipal -AppPrincipalId \"$appId\"",
            "Remove-MsolServicePrincipalCredential -AppPrincipalId $a -KeyIds $k.KeyId, 'bc2795f3-2387-4543-a95d-f92c85c7a1b0'",
            "Get-MgServicePrincipal -Filter \"appId eq '$ServiceName'\"",
            "Get-MgServicePrincipal -Filter \"displayName eq 'Skype'\"",
            "Update-MgServicePrincipal -ServicePrincipalId $sp.Id -AccountEnabled",
            "New-CsPartnerApplication -Identity contoso -ApplicationIdentifier contoso.com -ApplicationTrustLevel Full -CertificateFileData c:\\x.cer -Realm contoso.com",
            "Connect-MgGraph -TenantId contoso.onmicrosoft.com",
            "Get-CsTenant -Identity contoso",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
