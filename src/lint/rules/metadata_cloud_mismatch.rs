//! `metadata-cloud-mismatch`: the metadata URL's cloud is not the one the script connects to.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::semantic::SplatSource;

use crate::semantic::analysis::cmdlet_uses;
use crate::semantic::auth_server::{
    CloudFamily, environment_cloud, metadata_host_cloud, metadata_urls, url_host,
};
use crate::semantic::strings::span_in;

pub const RULE: Rule = Rule {
    code: "metadata-cloud-mismatch",
    group: Group::AuthServer,
    severity: Severity::Error,
    summary: "The OAuth server's metadata URL is on another Microsoft cloud than the one the script connects to.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Compares the cloud of the authorization host in the metadata URL of `New-CsOAuthServer` or
`Set-CsOAuthServer` (worldwide, the US Government clouds, 21Vianet) with the cloud the same
file connects to, as `Connect-MsolService -AzureEnvironment` or `Connect-MgGraph -Environment`
name it, and reports a difference. A file that connects to no named cloud, or to several
(connecting without naming one is to the worldwide cloud), is not judged.

## Why it matters
A tenant lives in one cloud, and only that cloud's authorization server issues its tokens. A
script that connects to `USGovernment` and trusts the worldwide ACS host (the host every
Microsoft page shows, since no Lync or SfB page documents the others) registers an issuer that
never signs a token for the tenant: server-to-server authentication fails, with nothing in the
script's output to say why.

## Example
```powershell
Connect-MsolService -AzureEnvironment USGovernment
New-CsOAuthServer microsoft.sts -MetadataUrl "https://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1"
```

## Use instead
```powershell
Connect-MsolService -AzureEnvironment USGovernment
New-CsOAuthServer microsoft.sts -MetadataUrl "https://login.microsoftonline.us/$TenantId/metadata/json/1"
```

## Fix safety
No fix: which cloud the tenant lives in is for a person to say.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let urls = metadata_urls(cx);
    if urls.is_empty() {
        return;
    }
    let text = cx.text();
    // The clouds the file names when it connects, with the first place each is named; and
    // whether it also connects without naming one (to the worldwide cloud).
    let mut connects: Vec<(CloudFamily, String, usize)> = Vec::new();
    let mut unnamed = false;
    for (u, cmdlet) in cmdlet_uses(cx) {
        let parameter = if cmdlet.name.eq_ignore_ascii_case("Connect-MsolService") {
            "AzureEnvironment"
        } else if cmdlet.name.eq_ignore_ascii_case("Connect-MgGraph") {
            "Environment"
        } else {
            continue;
        };
        let Some(value) = u.binding.value(parameter) else {
            if u.binding
                .splats
                .iter()
                .any(|s| s.source == SplatSource::Unknown)
            {
                return;
            }
            unnamed = true;
            continue;
        };
        let Some(name) = cx.values.string_value(value) else {
            // A cloud the script does not show: no judgement on the file.
            return;
        };
        let Some(cloud) = environment_cloud(&name) else {
            return;
        };
        if !connects.iter().any(|(c, _, _)| *c == cloud) {
            connects.push((cloud, name, value.span().start));
        }
    }
    let [(connected, name, at)] = connects.as_slice() else {
        return;
    };
    // Another connection to the worldwide cloud: a script for several clouds.
    if unnamed && *connected != CloudFamily::Worldwide {
        return;
    }
    let line = cx.file.lines().line_col(text, *at).0;
    for url in urls {
        let Some(host) = url_host(&url.flat) else {
            continue;
        };
        let bare = host.strip_suffix(":443").unwrap_or(host);
        let Some(cloud) = metadata_host_cloud(bare) else {
            continue;
        };
        if cloud == *connected {
            continue;
        }
        let help = match connected.metadata_host() {
            Some(h) => format!(
                "use `https://{h}/<tenant>/metadata/json/1`, the authorization server of {}.",
                connected.description()
            ),
            None => format!(
                "{} has no documented authorization host for Lync or Skype for Business: check where the tenant lives.",
                connected.description()
            ),
        };
        out.push(RULE.at(
            span_in(text, url.expr.span(), host),
            format!(
                "`{host}` is the authorization server of {}, but the script connects to `{name}` ({}) at line {line}.",
                cloud.description(),
                connected.description()
            ),
            help,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("metadata-cloud-mismatch", text).len()
    }

    const WORLDWIDE: &str = "New-CsOAuthServer microsoft.sts -MetadataUrl \"https://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1\"\n";
    const US: &str = "New-CsOAuthServer microsoft.sts -MetadataUrl \"https://login.microsoftonline.us/$TenantId/metadata/json/1\"\n";

    #[test]
    fn another_cloud_is_reported() {
        assert_eq!(
            found(&format!(
                "Connect-MsolService -AzureEnvironment USGovernment\n{WORLDWIDE}"
            )),
            1
        );
        assert_eq!(
            found(&format!(
                "Connect-MgGraph -Environment China -Scopes x\n{US}"
            )),
            1
        );
        assert_eq!(
            found(&format!(
                "$env = 'USGov'\nConnect-MgGraph -Environment $env\n{WORLDWIDE}"
            )),
            1
        );
    }

    #[test]
    fn the_same_cloud_or_no_named_cloud_is_fine() {
        for text in [
            format!("Connect-MsolService -AzureEnvironment USGovernment\n{US}"),
            format!("Connect-MgGraph -Environment USGovDoD\n{US}"),
            format!("Connect-MgGraph -Environment Global\n{WORLDWIDE}"),
            format!("Connect-MsolService\n{US}"),
            format!("Connect-MgGraph -Environment $Environment\n{US}"),
            format!(
                "Connect-MsolService -AzureEnvironment AzureCloud\nConnect-MgGraph -Environment USGov\n{US}"
            ),
            WORLDWIDE.to_owned(),
        ] {
            assert_eq!(found(&text), 0, "{text}");
        }
    }
}
