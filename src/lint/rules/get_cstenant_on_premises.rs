//! `get-cstenant-on-premises`: `Get-CsTenant`, an online cmdlet, in a script that runs in the
//! on-premises management shell.

use crate::catalog::{self, Module};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::ast::Expression;

pub const RULE: Rule = Rule {
    code: "get-cstenant-on-premises",
    group: Group::Session,
    severity: Severity::Warning,
    summary: "Get-CsTenant, an online cmdlet, in a script for the on-premises management shell.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports `Get-CsTenant` in a script that otherwise uses the cmdlets of the Lync Server /
Skype for Business Server management shell (`New-CsOAuthServer`, `New-CsPartnerApplication`,
`Get-CsCertificate`, `Import-Module SkypeForBusiness`...) and never connects to the online
service (`Connect-MicrosoftTeams`, `New-CsOnlineSession`, `Import-PSSession`).

## Why it matters
`Get-CsTenant` is not in the on-premises module: it comes from the online session (once the
Skype for Business Online connector, now the MicrosoftTeams module). In the management shell the
line fails ("The term 'Get-CsTenant' is not recognized"), `$TenantId` stays empty, and the OAuth
server is then created with a metadata URL without a tenant. Microsoft's Lync 2013 page starts
its on-premises script this way; the Skype for Business page was corrected. Loading the online
module into the same window can also shadow the on-premises `*-CsOAuthConfiguration` cmdlets.

## Example
```powershell
$TenantID = (Get-CsTenant -Filter {DisplayName -eq "Fabrikam.com"}).TenantId
New-CsOAuthServer microsoft.sts -MetadataUrl "https://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1"
```

## Use instead
```powershell
# The tenant ID, read beforehand in an online session: (Get-MgOrganization).Id or (Get-CsTenant).TenantId
$TenantId = '6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1'
New-CsOAuthServer microsoft.sts -MetadataUrl "https://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1"
```

## Fix safety
No fix: get the tenant ID in a separate online session (or with Graph, `(Get-MgOrganization).Id`)
and write it into the on-premises script.
"#;

/// On-premises cmdlets outside the catalog that mark the management shell.
const ON_PREMISES: &[&str] = &[
    "Get-CsPool",
    "Get-CsService",
    "Get-CsServerVersion",
    "Get-CsSite",
    "Get-CsComputer",
    "Get-CsTopology",
    "Publish-CsTopology",
    "Enable-CsTopology",
    "Get-CsManagementStoreLocation",
    "Import-CsCertificate",
    "Request-CsCertificate",
    "Get-CsWebServiceConfiguration",
];

/// Ways a script reaches the online cmdlets.
const ONLINE: &[&str] = &[
    "Connect-MicrosoftTeams",
    "New-CsOnlineSession",
    "Import-PSSession",
    "Connect-SkypeOnline",
];

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    if !cx.mentions(&["get-cstenant"]) {
        return;
    }
    let mut tenant = Vec::new();
    let mut on_premises = None;
    for u in &cx.commands {
        let Some(name) = u.name else { continue };
        if u.is("Get-CsTenant") {
            tenant.push(u);
            continue;
        }
        if ONLINE.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            return;
        }
        if u.is("Import-Module")
            && let Some(v) = u.binding.value("Name")
            && let Some(m) = cx.values.string_value(v)
        {
            let m = m.to_ascii_lowercase();
            if m == "microsoftteams" || m == "skypeonlineconnector" {
                return;
            }
            if m == "skypeforbusiness" || m == "lync" {
                on_premises.get_or_insert(name);
            }
        }
        let catalogued = catalog::cmdlet(name).is_some_and(|c| {
            c.module == Module::SkypeForBusiness
                && !c
                    .name
                    .to_ascii_lowercase()
                    .ends_with("-csoauthconfiguration")
        });
        if catalogued || ON_PREMISES.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            on_premises.get_or_insert(name);
        }
    }
    let Some(shell) = on_premises else { return };
    for u in tenant {
        let span = match &u.command.name {
            n @ Expression::String(_) => n.span(),
            _ => u.command.span,
        };
        out.push(RULE.at(
            span,
            format!("Get-CsTenant is an online cmdlet (MicrosoftTeams), not part of the on-premises management shell this script runs in (it uses {shell}): there it is not recognized, and the tenant ID stays empty."),
            "read the tenant ID beforehand in an online session ((Get-MgOrganization).Id, or (Get-CsTenant).TenantId after Connect-MicrosoftTeams) and write it into this script.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("get-cstenant-on-premises", text).len()
    }

    #[test]
    fn get_cstenant_in_the_management_shell_is_found() {
        assert_eq!(
            found(
                "$t = (Get-CsTenant).TenantId\nNew-CsOAuthServer microsoft.sts -MetadataUrl \"https://accounts.accesscontrol.windows.net/$t/metadata/json/1\""
            ),
            1
        );
        assert_eq!(
            found(
                "Import-Module SkypeForBusiness\n$t = (get-cstenant -Filter {DisplayName -eq 'x'}).TenantId"
            ),
            1
        );
        assert_eq!(
            found("$t = Get-CsTenant\nGet-CsPool | Select-Object Fqdn"),
            1
        );
    }

    #[test]
    fn online_sessions_and_other_scripts_are_fine() {
        for text in [
            "Connect-MicrosoftTeams\n$t = (Get-CsTenant).TenantId",
            "$t = (Get-CsTenant).TenantId\nSet-CsOAuthConfiguration -ServiceName 00000004-0000-0ff1-ce00-000000000000",
            "$s = New-CsOnlineSession\nImport-PSSession $s\n$t = Get-CsTenant\nNew-CsOAuthServer microsoft.sts -MetadataUrl $u",
            "New-CsOAuthServer microsoft.sts -MetadataUrl $u",
        ] {
            assert_eq!(found(text), 0, "{text}");
        }
    }
}
