//! `config-tenant-mismatch`: the script names another tenant, or another cloud, than the xprem
//! config (`--config`).

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::{Expression, Span, Statement};
use crate::semantic::values::single_expression;
use crate::semantic::variables::{involved_variables, variable_key};

pub const RULE: Rule = Rule {
    code: "config-tenant-mismatch",
    group: Group::Config,
    severity: Severity::Error,
    summary: "The script names another tenant, or another cloud, than the config given with --config.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Runs only with `xprem lint --config CONFIG`. Compares the tenant and cloud the script names with
the config's: the metadata URL given to `New-CsOAuthServer`/`Set-CsOAuthServer -MetadataUrl`
(its tenant GUID, and its host, which is the cloud's), `Connect-MgGraph -TenantId`, and the
`-TenantId` of MSOnline cmdlets, when their values are known.

## Why it matters
A script copied from another deployment, or from a test tenant, trusts the wrong authorization
server: every token from the real tenant is then refused, with errors that do not name the cause.

## Example
```powershell
New-CsOAuthServer microsoft.sts -MetadataUrl 'https://accounts.accesscontrol.windows.net/0b4c1a35-6f0e-4b4e-9f3c-5d2a7e8c9d10/metadata/json/1'
```

## Use instead
```powershell
New-CsOAuthServer microsoft.sts -MetadataUrl 'https://accounts.accesscontrol.windows.net/6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1/metadata/json/1'
```

## Fix safety
No fix: which of the script and the config is right is for a person to say; `xprem generate`
writes scripts from the config.
"#;

fn is_guid(s: &str) -> bool {
    crate::config::validate::is_guid(s)
}

/// `https://host/tenant/metadata/json/1` → (host, tenant), lower case.
fn metadata_parts(url: &str) -> Option<(String, String)> {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let mut parts = rest.split('/');
    let host = parts.next()?.to_string();
    let tenant = parts.next()?.to_string();
    let tail: Vec<&str> = parts.collect();
    (tail.first() == Some(&"metadata")).then_some((host, tenant))
}

fn host_of(prefix: &str) -> String {
    prefix
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .to_ascii_lowercase()
}

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(model) = cx.file.config else { return };
    let tenant_id = model.tenant.id.as_deref();
    let host = host_of(model.cloud.metadata_url_prefix);
    let tenant_finding = |span: Span, found: &str, what: &str, out: &mut Vec<Diagnostic>| {
        if let Some(id) = tenant_id
            && is_guid(found)
            && !found.eq_ignore_ascii_case(id)
        {
            out.push(RULE.at(
                span,
                format!("{what} names the tenant {found}, but the config's tenant ({}) is {id}.", model.tenant.name),
                "use the config's tenant ID, or lint against the config of the tenant this script is for.",
            ));
        }
    };
    // The `$...TenantId` variables reported at their assignment: a URL or parameter that takes
    // its tenant from one is the same mistake, not reported again.
    let mut reported: HashSet<String> = HashSet::new();
    cx.nodes.iter().copied().for_each(|node| {
        if let NodeRef::Statement(Statement::Assignment(a)) = node
            && let Expression::Variable(v) = &a.target
            && v.unqualified().to_ascii_lowercase().ends_with("tenantid")
            && let Some(value @ Expression::String(s)) = single_expression(&a.value)
        {
            let before = out.len();
            tenant_finding(value.span(), s.value.trim(), &format!("${}", v.name), out);
            if out.len() > before {
                reported.insert(variable_key(v));
            }
        }
    });
    let from_reported = |e: &Expression| {
        !reported.is_empty()
            && involved_variables(cx, e)
                .iter()
                .any(|v| reported.contains(v))
    };
    for u in &cx.commands {
        let b = &u.binding;
        if u.is("New-CsOAuthServer") || u.is("Set-CsOAuthServer") {
            let Some(v) = b.value("MetadataUrl") else {
                continue;
            };
            let Some(url) = cx.values.string_value(v) else {
                continue;
            };
            let Some((found_host, tenant)) = metadata_parts(&url) else {
                continue;
            };
            if found_host != host {
                out.push(RULE.at(
                    v.span(),
                    format!(
                        "the metadata URL is on {found_host}, but the config's cloud ({}) has its authorization server on {host}.",
                        model.cloud.name
                    ),
                    format!("use {}<tenant ID>/metadata/json/1.", model.cloud.metadata_url_prefix),
                ));
            }
            if !from_reported(v) {
                tenant_finding(v.span(), &tenant, "the metadata URL", out);
            }
            continue;
        }
        let is_msol = u
            .binding
            .cmdlet
            .is_some_and(|c| c.module == crate::catalog::Module::MsOnline);
        if u.is("Connect-MgGraph") || is_msol {
            let Some(p) = b.parameter("TenantId") else {
                continue;
            };
            let Some(v) = p.value else { continue };
            if let Some(found) = cx.values.string_value(v)
                && !from_reported(v)
            {
                tenant_finding(
                    v.span(),
                    found.trim(),
                    &format!("-TenantId of {}", u.name.unwrap_or("")),
                    out,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{codes_found, lint_with};

    fn found(text: &str) -> usize {
        codes_found("config-tenant-mismatch", text).len()
    }

    #[test]
    fn a_tenant_variable_is_reported_once_at_its_assignment() {
        let text = "$TenantId = '0b4c1a35-6f0e-4b4e-9f3c-5d2a7e8c9d10'\nNew-CsOAuthServer microsoft.sts -MetadataUrl \"https://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1\"\nConnect-MgGraph -TenantId $TenantId\n";
        let found = codes_found("config-tenant-mismatch", text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.starts_with("$TenantId names"));
    }

    #[test]
    fn other_tenants_and_clouds_are_found() {
        assert_eq!(
            found(
                "$t = '0b4c1a35-6f0e-4b4e-9f3c-5d2a7e8c9d10'\nNew-CsOAuthServer microsoft.sts -MetadataUrl \"https://accounts.accesscontrol.windows.net/$t/metadata/json/1\""
            ),
            1
        );
        assert_eq!(
            found(
                "Set-CsOAuthServer microsoft.sts -MetadataUrl 'https://login.microsoftonline.us/6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1/metadata/json/1'"
            ),
            1
        );
        assert_eq!(
            found(
                "Connect-MgGraph -Scopes Application.ReadWrite.All -TenantId 0b4c1a35-6f0e-4b4e-9f3c-5d2a7e8c9d10"
            ),
            1
        );
        assert_eq!(
            found(
                "Get-MsolServicePrincipal -AppPrincipalId $id -TenantId '0b4c1a35-6f0e-4b4e-9f3c-5d2a7e8c9d10'"
            ),
            1
        );
    }

    #[test]
    fn the_configs_tenant_and_unknown_values_are_fine() {
        for text in [
            "New-CsOAuthServer microsoft.sts -MetadataUrl 'https://accounts.accesscontrol.windows.net/6F2C1C8E-3F2B-4F7A-9A55-2F1DE0B7C4A1/metadata/json/1'",
            "New-CsOAuthServer microsoft.sts -MetadataUrl \"https://accounts.accesscontrol.windows.net/$TenantId/metadata/json/1\"",
            "New-CsOAuthServer microsoft.sts -MetadataUrl 'https://accounts.accesscontrol.windows.net/fabrikam.onmicrosoft.com/metadata/json/1'",
            "Connect-MgGraph -TenantId $tenant",
            "$TenantId = '6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1'",
            "$TenantId = (Get-MgOrganization).Id",
        ] {
            assert_eq!(found(text), 0, "{text}");
        }
    }

    #[test]
    fn silent_without_a_config() {
        let text = "Connect-MgGraph -TenantId 0b4c1a35-6f0e-4b4e-9f3c-5d2a7e8c9d10";
        assert!(lint_with(&["config"], text).is_empty());
    }
}
