//! `list-replaced`: a service principal's SPNs or key credentials written from a new list, which
//! replaces the ones already there.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use crate::semantic::guards::{Enclosing, branch_runs_on_empty_list};
use crate::semantic::lists::{ListKind, fresh_list, list_writes};

pub const RULE: Rule = Rule {
    code: "list-replaced",
    group: Group::Principals,
    severity: Severity::Error,
    summary: "SPNs or key credentials written from a new list, which drops the ones already there.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a write of a service principal's whole list of SPNs or key credentials from a list that
does not start from the existing one: a literal name or array
(`Set-MsolServicePrincipal -ServicePrincipalNames '00000004-.../lync.contoso.com'`), a new
hashtable (`Update-MgServicePrincipal -KeyCredentials @{...}`), a list built in steps from
nothing read (`$l = @(); $l += $newKey`, a new `List[string]` and `.Add('...')`), the same in
`-BodyParameter`, or a body of `Invoke-MgGraphRequest -Method PATCH` (JSON text, also with
variables inside its strings, `"key": "$b64"`; a hashtable, or a hashtable through
`ConvertTo-Json`). A list built from the principal's own
(`$sp.ServicePrincipalNames + $new`, `$l = $sp.KeyCredentials; $l += $new`, a variable read with
`Get-*`) is fine, and so is a write in a branch that runs only when the principal has no such
list yet (`if (-not $sp.KeyCredentials)`, `if ($sp.KeyCredentials.Count -eq 0)`, the `else` of
`if ($sp.KeyCredentials)`: Microsoft's pattern for a principal without keys). An `if` that only
checks the principal exists (`if ($null -ne $sp)`), or that the list has items, is no such
check.

## Why it matters
`-ServicePrincipalNames`, `-KeyCredentials` and a PATCH of `servicePrincipalNames` or
`keyCredentials` replace the whole collection. Writing only the new value deletes every SPN the
Exchange Hybrid Configuration Wizard added, or every certificate other servers and services
rely on, and nothing warns: OAuth breaks for them, later.

## Example
```powershell
$sp = Get-MgServicePrincipal -Filter "appId eq '00000004-0000-0ff1-ce00-000000000000'"
Update-MgServicePrincipal -ServicePrincipalId $sp.Id -ServicePrincipalNames '00000004-0000-0ff1-ce00-000000000000/lyncweb.contoso.com'
```

## Use instead
```powershell
$sp = Get-MgServicePrincipal -Filter "appId eq '00000004-0000-0ff1-ce00-000000000000'"
$spn = '00000004-0000-0ff1-ce00-000000000000/lyncweb.contoso.com'
if ($sp.ServicePrincipalNames -notcontains $spn) {
    Update-MgServicePrincipal -ServicePrincipalId $sp.Id -ServicePrincipalNames ($sp.ServicePrincipalNames + $spn)
}
```

## Fix safety
No fix: read the current list and write it back with the new items.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let writes = list_writes(cx);
    if writes.is_empty() {
        return;
    }
    let enclosing = Enclosing::new(cx);
    for w in writes {
        let Some(n) = fresh_list(cx, w.kind, &w.value) else {
            continue;
        };
        // An empty key list is remove-all-keys' finding.
        if n == 0 && w.kind == ListKind::KeyCredentials {
            continue;
        }
        let property = w.kind.property();
        // Writing a fresh list where there is none is right.
        let looked = enclosing
            .around(w.command.start)
            .iter()
            .any(|s| branch_runs_on_empty_list(cx, s, w.command.start, property));
        if looked {
            continue;
        }
        let (what, keep) = match w.kind {
            ListKind::ServicePrincipalNames => (
                "service principal names",
                "read the principal's ServicePrincipalNames and write them back with the new ones ($sp.ServicePrincipalNames + $new, after checking -notcontains).",
            ),
            ListKind::KeyCredentials => (
                "key credentials",
                "read the principal's KeyCredentials and write back the ones to keep with the new one; or add the key with Add-MgServicePrincipalKey.",
            ),
        };
        out.push(RULE.at(
            w.span,
            format!(
                "{} replaces the whole list of {what} with {}: every one already on the principal that is not in it is deleted.",
                w.by,
                match n {
                    0 => "an empty list".to_string(),
                    1 => "this one value".to_string(),
                    n => format!("these {n} values"),
                }
            ),
            keep,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("list-replaced", text).len()
    }

    #[test]
    fn new_lists_are_found() {
        assert_eq!(
            found(
                "Set-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -ServicePrincipalNames '00000004-0000-0ff1-ce00-000000000000/lync.contoso.com'"
            ),
            1
        );
        assert_eq!(
            found(
                "$spns = @('00000004-0000-0ff1-ce00-000000000000/a.contoso.com', '00000004-0000-0ff1-ce00-000000000000/b.contoso.com')\nSet-MSOLServicePrincipal -AppPrincipalID $id -ServicePrincipalNames:$spns"
            ),
            1
        );
        assert_eq!(
            found(
                "Update-MgServicePrincipal -ServicePrincipalId $msp.Id -BodyParameter @{ servicePrincipalNames = \"$spoappid/$spcn\" }"
            ),
            1
        );
        assert_eq!(
            found(
                "$params = @{ ServicePrincipalId = $sp.Id; KeyCredentials = @(@{ Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = $cert.RawData }) }\nUpdate-MgServicePrincipal @params"
            ),
            1
        );
        assert_eq!(
            found(
                "$key = @{ Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = $cert.RawData }\nUpdate-MgServicePrincipal -ServicePrincipalId $sp.Id `\n    -KeyCredentials $key"
            ),
            1
        );
        assert_eq!(
            found(
                "Invoke-MgGraphRequest -Method PATCH -Uri \"v1.0/servicePrincipals/$id\" -Body '{\"servicePrincipalNames\":[\"00000004-0000-0ff1-ce00-000000000000/lync.contoso.com\"]}'"
            ),
            1
        );
        assert_eq!(
            found(
                "Invoke-MgGraphRequest -Method Patch -Uri $u -Body @{ keyCredentials = @(@{ type = 'AsymmetricX509Cert'; usage = 'Verify'; key = $b64 }) }"
            ),
            1
        );
        // A guard that only checks the principal exists, or that it has keys, decides nothing.
        let key = "$newKey = @{ Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = $cer.RawData }\n$sp = Get-MgServicePrincipal -Filter \"appId eq '$id'\" -Property id, keyCredentials\n";
        for text in [
            "if ($null -ne $sp) { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials $newKey }",
            "if ($sp.KeyCredentials.Count -gt 0) { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials @($newKey) }",
            "if ($sp.KeyCredentials) { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials @($newKey) }",
            "if (-not $sp.KeyCredentials) { } else { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials @($newKey) }",
            // Built in steps from nothing read.
            "$fresh = @()\n$fresh += $newKey\nUpdate-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials $fresh",
            "$l = New-Object System.Collections.Generic.List[string]\n$l.Add('00000004-0000-0ff1-ce00-000000000000/lyncweb.fabrikam.com')\nUpdate-MgServicePrincipal -ServicePrincipalId $sp.Id -ServicePrincipalNames $l",
            "$l = [System.Collections.Generic.List[string]]::new()\n[void]$l.Add('00000004-0000-0ff1-ce00-000000000000/a.fabrikam.com')\nSet-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $l",
            // A PATCH body made with ConvertTo-Json.
            "$json = @{ keyCredentials = @(@{ type = 'AsymmetricX509Cert'; usage = 'Verify'; key = $b64 }) } | ConvertTo-Json -Depth 4\nInvoke-MgGraphRequest -Method PATCH -Uri \"v1.0/servicePrincipals/$($sp.Id)\" -Body $json",
            "Invoke-MgGraphRequest -Method PATCH -Uri $u -Body (ConvertTo-Json -Depth 4 @{ servicePrincipalNames = @('00000004-0000-0ff1-ce00-000000000000/a.fabrikam.com') })",
            // JSON text with unknown parts inside its strings.
            "$b64 = $env:CERT_B64\n$inline = \"{ `\"keyCredentials`\": [ { `\"type`\": `\"AsymmetricX509Cert`\", `\"usage`\": `\"Verify`\", `\"key`\": `\"$b64`\" } ] }\"\nInvoke-MgGraphRequest -Method PATCH -Uri $u -Body $inline",
            "$body = @\"\n{ \"keyCredentials\": [ { \"type\": \"AsymmetricX509Cert\", \"usage\": \"Verify\", \"key\": \"$([Convert]::ToBase64String($cer.RawData))\" } ] }\n\"@\nInvoke-MgGraphRequest -Method PATCH -Uri $u -Body $body",
        ] {
            assert_eq!(found(&format!("{key}{text}")), 1, "{text}");
        }
    }

    #[test]
    fn lists_built_on_the_existing_ones_are_fine() {
        let key = "$newKey = @{ Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = $cer.RawData }\n$sp = Get-MgServicePrincipal -Filter \"appId eq '$id'\" -Property id, keyCredentials\n";
        for text in [
            // Writing a fresh list where there is none.
            "if (-not $sp.KeyCredentials) { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials @($newKey) }",
            "if ($sp.KeyCredentials.Count -eq 0) { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials @($newKey) }",
            "if (0 -eq $sp.KeyCredentials.Count) { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials @($newKey) }",
            "if ($null -eq $sp.KeyCredentials -or $sp.KeyCredentials.Count -lt 1) { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials @($newKey) }",
            "if ($sp -and -not $sp.KeyCredentials) { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials @($newKey) }",
            "if ($sp.KeyCredentials.Count -gt 0) { } elseif ($sp) { Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials @($newKey) }",
            // Built from the existing list.
            "$list = @($sp.KeyCredentials) + $newKey\nUpdate-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials $list",
            "$list = $sp.KeyCredentials\n$list += $newKey\nUpdate-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials $list",
            "$keep = @()\nforeach ($k in $sp.KeyCredentials) { if ($k.EndDateTime -gt (Get-Date)) { $keep += $k } }\n$keep += $newKey\nUpdate-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials $keep",
            "$l = [System.Collections.Generic.List[string]]::new()\n$l.AddRange([string[]]$sp.ServicePrincipalNames)\n$l.Add('00000004-0000-0ff1-ce00-000000000000/a.fabrikam.com')\nUpdate-MgServicePrincipal -ServicePrincipalId $sp.Id -ServicePrincipalNames $l",
            "$l = New-Object System.Collections.ArrayList\nforeach ($n in $sp.ServicePrincipalNames) { [void]$l.Add($n) }\n[void]$l.Add('00000004-0000-0ff1-ce00-000000000000/a.fabrikam.com')\nSet-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $l",
            "$json = @{ keyCredentials = @($sp.KeyCredentials) + $newKey } | ConvertTo-Json -Depth 4\nInvoke-MgGraphRequest -Method PATCH -Uri $u -Body $json",
            // An unknown part that stands for JSON itself.
            "$keys = ConvertTo-Json @($sp.KeyCredentials) -Depth 4\n$body = \"{ `\"keyCredentials`\": $keys }\"\nInvoke-MgGraphRequest -Method PATCH -Uri $u -Body $body",
            "$body = @\"\n{ \"keyCredentials\": [ $($old -join ','), { \"type\": \"AsymmetricX509Cert\", \"key\": \"$b64\" } ] }\n\"@\nInvoke-MgGraphRequest -Method PATCH -Uri $u -Body $body",
        ] {
            assert_eq!(found(&format!("{key}{text}")), 0, "{text}");
        }
        for text in [
            "$sp = Get-MsolServicePrincipal -AppPrincipalId $id\n$sp.ServicePrincipalNames.Add($spn)\nSet-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $sp.ServicePrincipalNames",
            "Update-MgServicePrincipal -ServicePrincipalId $sp.Id -ServicePrincipalNames ($sp.ServicePrincipalNames + $spn)",
            "$all = @($current) + @($missing)\nSet-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $all",
            "Set-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames $names",
            "Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials $keys",
            "Invoke-MgGraphRequest -Method PATCH -Uri $u -Body $body",
            "Invoke-MgGraphRequest -Method GET -Uri $u -Body '{\"servicePrincipalNames\":[\"x\"]}'",
            // Microsoft's pattern: only when the principal has no key yet.
            "$p = Get-MgServicePrincipal -Filter \"AppId eq '$ServiceName'\"\nif ($p.KeyCredentials.Count -gt 0) { Update-MgServicePrincipal -ServicePrincipalId $p.Id -BodyParameter $obj } else { Update-MgServicePrincipal -ServicePrincipalId $p.Id -KeyCredentials @{ type = 'AsymmetricX509Cert'; usage = 'Verify'; key = $k } }",
            "$keys = (Get-MgServicePrincipal -Filter \"AppId eq '$id'\" -Select keyCredentials).KeyCredentials\nif ($keys) { } else { Update-MgServicePrincipal -ServicePrincipalId $p.Id -KeyCredentials @{ type = 'AsymmetricX509Cert'; usage = 'Verify'; key = $k } }",
            "New-MsolServicePrincipal -DisplayName x -ServicePrincipalNames 'a/b'",
            // An empty key list is remove-all-keys'.
            "Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials @()",
        ] {
            assert_eq!(found(text), 0, "{text}");
        }
    }
}
