//! `metadata-url`: the Office 365 authorization server's metadata URL, and its cloud.

use crate::catalog::Cloud;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::ast::Expression;

pub const RULE: Rule = Rule {
    code: "metadata-url",
    group: Group::AuthServer,
    severity: Severity::Error,
    summary: "The authorization server's metadata URL is not `https://<authorization host>/<tenant>/metadata/json/1`, or is another cloud's than the one the script signs in to.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Checks the `-MetadataUrl` of `New-CsOAuthServer` and `Set-CsOAuthServer` when the script fixes
its value (a literal, or a string built from variables it assigns; the fixed start of a string
built from other variables is still checked): `https`, a known Office 365 authorization host
(`accounts.accesscontrol.windows.net` worldwide, `login.microsoftonline.us` for GCC High and DoD,
`accounts.accesscontrol.chinacloudapi.cn` for 21Vianet), and the path
`/<tenant>/metadata/json/1` with the tenant a GUID or a domain name. When the same script signs in
to a cloud (`Connect-MsolService -AzureEnvironment`, `Connect-MgGraph -Environment`), the host
must be that cloud's.

## Why it matters
Lync downloads the authorization server's signing keys from this URL. A wrong host, path or
tenant leaves the OAuth server unable to validate any token: `New-CsOAuthServer` may succeed, and
server-to-server authentication fails later for every user, with errors in the event log of
the Front Ends rather than at the command. An `http` URL is refused or sends the trust over
an unprotected connection; another cloud's host trusts the wrong authority.

## Example
```powershell
New-CsOAuthServer -Identity microsoft.sts -MetadataUrl 'https://accounts.accesscontrol.windows.net/contoso.com/metadata/json'
```

## Use instead
```powershell
New-CsOAuthServer -Identity microsoft.sts -MetadataUrl 'https://accounts.accesscontrol.windows.net/contoso.com/metadata/json/1'
```

## Fix safety
No fix: the tenant and cloud are for a person to confirm.
"#;

const CLOUDS: [Cloud; 4] = [Cloud::Worldwide, Cloud::GccHigh, Cloud::Dod, Cloud::China];

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let connected = connected_cloud(cx);
    for u in &cx.commands {
        if !(u.is("New-CsOAuthServer") || u.is("Set-CsOAuthServer")) {
            continue;
        }
        let Some(value) = u.binding.value("MetadataUrl") else {
            continue;
        };
        let (url, complete) = match cx.values.string_value(value) {
            Some(url) => (url, true),
            None => match value {
                // The text before the first `$` is fixed whatever the variables hold.
                Expression::ExpandableString(s) => match s.value.find('$') {
                    Some(i) => (s.value[..i].to_owned(), false),
                    None => continue,
                },
                _ => continue,
            },
        };
        let url = url.trim();
        let bad = |message: String, help: &str| RULE.at(value.span(), message, help.to_owned());
        let help = "write `https://accounts.accesscontrol.windows.net/<tenant ID or domain>/metadata/json/1` (worldwide), with `login.microsoftonline.us` for GCC High and DoD or `accounts.accesscontrol.chinacloudapi.cn` for 21Vianet.";
        let lower = url.to_ascii_lowercase();
        let Some(rest) = lower.strip_prefix("https://") else {
            if lower.starts_with("http://") || complete {
                out.push(bad(format!("`{url}` is not an https URL: Lync must fetch the authorization server's keys over HTTPS."), help));
            }
            continue;
        };
        let Some((host, path)) = rest.split_once('/') else {
            if complete {
                out.push(bad(format!("`{url}` has no path: the metadata document is at `/<tenant>/metadata/json/1`."), help));
            }
            continue;
        };
        let cloud = CLOUDS.iter().copied().find(|c| {
            c.metadata_url_prefix()
                .strip_prefix("https://")
                .is_some_and(|p| p.trim_end_matches('/') == host)
        });
        let Some(cloud) = cloud else {
            out.push(bad(format!("`{host}` is not an Office 365 authorization host: Lync would trust whoever answers there."), help));
            continue;
        };
        if let Some((connected, span)) = connected
            && connected.metadata_url_prefix() != cloud.metadata_url_prefix()
        {
            let _ = span;
            out.push(bad(
                format!(
                    "the metadata URL is {}'s authorization server, but the script signs in to {}.",
                    cloud.description(),
                    connected.description()
                ),
                "use the authorization host of the cloud the tenant is in, in both places.",
            ));
            continue;
        }
        if !complete {
            continue;
        }
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let tenant_ok = parts.first().is_some_and(|t| is_guid(t) || is_domain(t));
        if parts.len() != 4 || !tenant_ok || parts[1..] != ["metadata", "json", "1"] {
            out.push(bad(
                format!("`{url}` is not `https://{host}/<tenant>/metadata/json/1` (the tenant a GUID or a domain name): the authorization server's keys are not there."),
                help,
            ));
        }
    }
}

/// The cloud the script signs in to, if it says.
fn connected_cloud(cx: &ScriptContext<'_>) -> Option<(Cloud, crate::powershell::ast::Span)> {
    for u in &cx.commands {
        let (parameter, names): (&str, fn(Cloud) -> Option<&'static str>) =
            if u.is("Connect-MsolService") {
                ("AzureEnvironment", |c| {
                    Some(c.msonline_environment().unwrap_or("AzureCloud"))
                })
            } else if u.is("Connect-MgGraph") {
                ("Environment", |c| Some(c.graph_environment()))
            } else {
                continue;
            };
        let Some(value) = u.binding.value(parameter) else {
            continue;
        };
        let Some(name) = cx.values.string_value(value) else {
            continue;
        };
        if let Some(c) = CLOUDS
            .iter()
            .copied()
            .find(|c| names(*c).is_some_and(|n| n.eq_ignore_ascii_case(name.trim())))
        {
            return Some((c, value.span()));
        }
    }
    None
}

fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_domain(s: &str) -> bool {
    s.contains('.')
        && !s.starts_with('.')
        && !s.ends_with('.')
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("metadata-url", text).len()
    }

    #[test]
    fn bad_urls_are_reported() {
        for url in [
            "http://accounts.accesscontrol.windows.net/contoso.com/metadata/json/1",
            "https://accounts.accesscontrol.example.net/contoso.com/metadata/json/1",
            "https://accounts.accesscontrol.windows.net/metadata/json/1",
            "https://accounts.accesscontrol.windows.net/contoso/metadata/json/1",
        ] {
            assert_eq!(
                found(&format!(
                    "New-CsOAuthServer -Identity microsoft.sts -MetadataUrl '{url}'"
                )),
                1,
                "{url}"
            );
        }
        assert_eq!(
            found(
                "Connect-MgGraph -Environment USGov\nNew-CsOAuthServer -Identity microsoft.sts -MetadataUrl 'https://accounts.accesscontrol.windows.net/contoso.com/metadata/json/1'"
            ),
            1
        );
    }

    #[test]
    fn good_and_unknown_urls_are_fine() {
        for text in [
            "New-CsOAuthServer -Identity microsoft.sts -MetadataUrl 'https://accounts.accesscontrol.windows.net/6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1/metadata/json/1'",
            "$t = 'contoso.com'\nSet-CsOAuthServer -Identity microsoft.sts -MetadataUrl \"https://accounts.accesscontrol.windows.net/$t/metadata/json/1\"",
            "Set-CsOAuthServer -Identity microsoft.sts -MetadataUrl \"https://accounts.accesscontrol.windows.net/$tenant/metadata/json/1\"",
            "Set-CsOAuthServer -Identity microsoft.sts -MetadataUrl $url",
            "Connect-MsolService -AzureEnvironment USGovernment\nNew-CsOAuthServer -Identity microsoft.sts -MetadataUrl 'https://login.microsoftonline.us/contoso.us/metadata/json/1'",
        ] {
            assert_eq!(found(text), 0, "{text}");
        }
    }
}
