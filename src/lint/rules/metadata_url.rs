//! `metadata-url`: the authorization server's metadata URL is not the ACS document's.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::ast::Span;

use crate::semantic::auth_server::{CloudFamily, MetadataUrl, metadata_host_cloud, metadata_urls};
use crate::semantic::ids::{is_fqdn, is_guid, well_known_name};
use crate::semantic::strings::span_in;
use crate::semantic::template::HOLE;

pub const RULE: Rule = Rule {
    code: "metadata-url",
    group: Group::AuthServer,
    severity: Severity::Error,
    summary: "The OAuth server's metadata URL is not `https://<authorization host>/<tenant>/metadata/json/1`.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Checks the `-MetadataUrl` of `New-CsOAuthServer` and `Set-CsOAuthServer` for the Office 365
authorization server (not those of another `-Type`, such as ADFS or Azure AD, nor federation
metadata documents): it must use `https`, be on the authorization host of a Microsoft cloud
(`accounts.accesscontrol.windows.net` worldwide, `login.microsoftonline.us` for the US
Government clouds, `accounts.accesscontrol.chinacloudapi.cn` for 21Vianet), and have the path
`/<tenant>/metadata/json/1`, where the tenant is a tenant ID (a GUID) or one of the tenant's
domains. The URL may be built from variables (`"https://.../$TenantId/metadata/json/1"`,
`-f`, `+`): the parts the script shows are checked, the parts it does not are not.

## Why it matters
`New-CsOAuthServer` downloads the metadata document when it runs, and the Front End servers
download it again to trust the tokens Office 365 issues. A URL with a typo in the host, the
tenant left out or a placeholder still in it (`<TenantId>`), an application ID where the
tenant ID belongs, or `http`, either makes the command fail or trusts the wrong issuer, and
server-to-server authentication fails.

## Example
```powershell
New-CsOAuthServer microsoft.sts -MetadataUrl "https://accounts.accesscontrol.windows.net/metadata/json/1"
```

```powershell
New-CsOAuthServer microsoft.sts -MetadataUrl "http://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1"
```

## Use instead
```powershell
$TenantId = (Get-CsTenant).TenantId
New-CsOAuthServer microsoft.sts -MetadataUrl "https://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1"
```

## Fix safety
No fix: the tenant and the cloud are for a person to give.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    for url in metadata_urls(cx) {
        if let Some(d) = problem(cx, &url) {
            out.push(d);
        }
    }
}

/// Parts of the names of Microsoft's hosts: a URL on one of them is meant for a Microsoft
/// authorization server.
const MICROSOFT_HOSTS: &[&str] = &[
    "accesscontrol",
    "microsoftonline",
    "windows.net",
    "chinacloudapi",
    "office365",
    "microsoft.com",
];

const EXPECTED: &str = "https://accounts.accesscontrol.windows.net/<tenant ID>/metadata/json/1";

/// The first thing wrong with the URL, if any.
fn problem(cx: &ScriptContext<'_>, url: &MetadataUrl<'_>) -> Option<Diagnostic> {
    let text = cx.text();
    let whole: Span = url.expr.span();
    let shown = url.flat.replace(HOLE, "…");
    let at = |needle: &str| span_in(text, whole, needle);
    let Some((scheme, rest)) = url.flat.split_once("://") else {
        if url.flat.contains(HOLE) {
            return None;
        }
        return Some(RULE.at(
            whole,
            format!(
                "`{shown}` is not a URL: the authorization server's metadata is at `{EXPECTED}`."
            ),
            format!("write `{EXPECTED}` (or the host of the tenant's cloud)."),
        ));
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    let bare = host.strip_suffix(":443").unwrap_or(host);
    let known_host = !host.contains(HOLE) && metadata_host_cloud(bare).is_some();
    // A server of another issuer (an STS of the organisation's own) may have other URLs: only a
    // URL on a Microsoft host, or for `microsoft.sts`, is judged.
    let lower = bare.to_ascii_lowercase();
    let microsoft =
        known_host || url.microsoft_sts || MICROSOFT_HOSTS.iter().any(|m| lower.contains(m));
    if !microsoft {
        return None;
    }
    if !scheme.contains(HOLE) && !scheme.eq_ignore_ascii_case("https") {
        return Some(RULE.at(
            at(scheme),
            format!("the metadata URL uses `{scheme}`: the authorization server serves its metadata over `https` only, and a document read without TLS could come from anyone."),
            "write `https://`.",
        ));
    }
    // A known host with another port: the host is right, the port is not.
    if let Some((name, port)) = bare.rsplit_once(':')
        && !host.contains(HOLE)
        && !known_host
        && metadata_host_cloud(name).is_some()
    {
        return Some(RULE.at(
            at(host),
            format!("the metadata URL names port `{port}` of `{name}`: the authorization server serves its metadata on the HTTPS port (443) only."),
            format!("write `https://{name}/...` without a port."),
        ));
    }
    if !host.contains(HOLE) && !known_host {
        let hosts: Vec<String> = [
            CloudFamily::Worldwide,
            CloudFamily::UsGovernment,
            CloudFamily::China,
        ]
        .iter()
        .filter_map(|c| {
            c.metadata_host()
                .map(|h| format!("`{h}` ({})", c.description()))
        })
        .collect();
        let closest = crate::catalog::did_you_mean(
            bare,
            [
                CloudFamily::Worldwide,
                CloudFamily::UsGovernment,
                CloudFamily::China,
            ]
            .iter()
            .filter_map(|c| c.metadata_host()),
        );
        let help = match closest {
            Some(h) => format!("did you mean `{h}`?"),
            None => format!("use the host of the tenant's cloud: {}.", hosts.join(", ")),
        };
        return Some(RULE.at(
            at(host),
            format!("`{host}` is not the authorization server of a Microsoft cloud: the metadata document is served by {}.", hosts.join(", ")),
            help,
        ));
    }
    // Where the host ends and the path starts is known only when the host is: an unknown part in
    // it may hold a `/` and more.
    if !known_host {
        return None;
    }
    if path.contains(['?', '#']) && !path.contains(HOLE) {
        return Some(RULE.at(
            whole,
            format!("the metadata URL `{shown}` has a query or a fragment: the document is at `/<tenant>/metadata/json/1`, nothing after it."),
            format!("write `{EXPECTED}`."),
        ));
    }
    let mut segments: Vec<&str> = path.split('/').collect();
    if segments.last() == Some(&"") && segments.len() > 1 {
        segments.pop();
    }
    // Unknown parts anywhere but in the tenant: the path cannot be judged.
    if segments
        .iter()
        .enumerate()
        .any(|(i, s)| i != 1 && s.contains(HOLE))
    {
        return None;
    }
    let tail_ok = segments.len() == 5
        && segments[0].is_empty()
        && segments[2].eq_ignore_ascii_case("metadata")
        && segments[3].eq_ignore_ascii_case("json")
        && segments[4] == "1";
    if !tail_ok {
        let missing_tenant = segments.len() == 4
            && segments[1].eq_ignore_ascii_case("metadata")
            && segments[2].eq_ignore_ascii_case("json");
        let message = if missing_tenant {
            format!(
                "the metadata URL `{shown}` has no tenant: the authorization server serves one document per tenant, at `/<tenant>/metadata/json/1`."
            )
        } else {
            format!("the path of the metadata URL `{shown}` is not `/<tenant>/metadata/json/1`.")
        };
        return Some(RULE.at(
            whole,
            message,
            "write the tenant ID in the path: `https://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1`, with `$TenantId = (Get-CsTenant).TenantId`.",
        ));
    }
    let tenant = segments[1];
    if tenant.contains(HOLE) {
        return None;
    }
    if is_guid(tenant) {
        if let Some(name) = well_known_name(tenant) {
            return Some(RULE.at(
                at(tenant),
                format!("`{tenant}` is the application ID of {name}, not a tenant ID: the metadata URL names the tenant."),
                "write the tenant ID (`(Get-CsTenant).TenantId`, or `(Get-MgOrganization).Id`).",
            ));
        }
        return None;
    }
    if is_fqdn(tenant, false) {
        return None;
    }
    Some(RULE.at(
        at(tenant),
        format!("`{tenant}` is neither a tenant ID (a GUID) nor a domain of the tenant: the metadata URL names the tenant."),
        "write the tenant ID (`(Get-CsTenant).TenantId`, or `(Get-MgOrganization).Id`) or its initial domain (`contoso.onmicrosoft.com`).",
    ))
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<String> {
        codes_found("metadata-url", text)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    fn server(url: &str) -> String {
        format!("New-CsOAuthServer microsoft.sts -MetadataUrl {url}\n")
    }

    #[test]
    fn wrong_urls_are_reported() {
        for url in [
            "\"http://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1\"",
            "\"https://accounts.accesscontrl.windows.net/$TenantId/metadata/json/1\"",
            "\"https://accounts.accesscontrol.windows.net/metadata/json/1\"",
            "\"https://accounts.accesscontrol.windows.net/$TenantId/metadata/json/2\"",
            "'https://accounts.accesscontrol.windows.net/<TenantId>/metadata/json/1'",
            "'https://accounts.accesscontrol.windows.net/00000004-0000-0ff1-ce00-000000000000/metadata/json/1'",
            "'https://accounts.accesscontrol.windows.net/{0}/metadata/json/1?x=1' -f $t",
            "('https://sts.office365.microsoft.com' + '/metadata/json/1')",
            "'https://accounts.accesscontrol.windows.net/Fabrikam/metadata/json/1'",
        ] {
            let text = server(url);
            assert_eq!(found(&text).len(), 1, "{text}: {:?}", found(&text));
        }
        let port = found(&server(
            "\"https://accounts.accesscontrol.windows.net:8443/$TenantId/metadata/json/1\"",
        ));
        assert!(port[0].contains("port `8443`"), "{port:?}");
        // Through a variable whose tenant part is not known.
        assert_eq!(
            found("$url = \"http://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1\"\nNew-CsOAuthServer microsoft.sts -MetadataUrl $url\n").len(),
            1
        );
        assert_eq!(
            found("$t = 'Fabrikam'\nSet-CsOAuthServer microsoft.sts -MetadataUrl \"https://accounts.accesscontrol.windows.net/$t/metadata/json/1\"\n").len(),
            1
        );
    }

    #[test]
    fn good_urls_unknown_parts_and_other_servers_are_fine() {
        for url in [
            "\"https://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1\"",
            "\"https://accounts.accesscontrol.windows.net/$($tenant.TenantId)/metadata/json/1\"",
            "'https://accounts.accesscontrol.windows.net/0b8c2a4e-3c8e-4b8a-9a52-5c1f7f4b6d21/metadata/json/1'",
            "'https://accounts.accesscontrol.windows.net/contoso.onmicrosoft.com/metadata/json/1'",
            "'https://login.microsoftonline.us/contoso.onmicrosoft.us/metadata/json/1/'",
            "('https://accounts.accesscontrol.windows.net/{0}/metadata/json/1' -f $TenantId)",
            "(\"https://accounts.accesscontrol.windows.net/\" + $TenantId + \"/metadata/json/1\")",
            "\"https://$acsHost/$TenantId/metadata/json/1\"",
            "\"https://$acsHost/metadata/json/1\"",
            "(\"https://accounts.accesscontrol.windows.net\" + \"$TenantId\" + \"/metadata/json/1\")",
            "$url",
            "\"$base/metadata/json/1\"",
        ] {
            let text = server(url);
            assert!(found(&text).is_empty(), "{text}: {:?}", found(&text));
        }
        for text in [
            "New-CsOAuthServer -Identity adfs -MetadataUrl 'https://adfs.contoso.com/FederationMetadata/2007-06/FederationMetadata.xml' -Type ADFS",
            "New-CsOAuthServer -Identity evoSTS -MetadataUrl https://login.windows.net/common/FederationMetadata/2007-06/FederationMetadata.xml -AcceptSecurityIdentifierInformation $true -Type AzureAD",
            "New-CsPartnerApplication -Identity Exchange -ApplicationTrustLevel Full -MetadataUrl 'https://autodiscover.litwareinc.com/autodiscover/metadata/json/1'",
            "$url = \"https://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1\"\nNew-CsOAuthServer microsoft.sts -MetadataUrl $url",
            "New-CsOAuthServer ContosoSts -MetadataUrl 'http://sts.contoso.com/metadata/json/1'",
            "$url = \"http://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1\"\n. .\\settings.ps1\nNew-CsOAuthServer microsoft.sts -MetadataUrl $url",
            "New-CsOAuthServer ContosoSts -MetadataUrl \"https://$stsHost/metadata/json/1\"",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
