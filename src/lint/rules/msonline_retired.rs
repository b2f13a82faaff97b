//! `msonline-retired`: the MSOnline (and AzureAD) modules, retired in 2025.

use std::collections::HashSet;

use crate::catalog::Module;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::ast::Expression;

pub const RULE: Rule = Rule {
    code: "msonline-retired",
    group: Group::Retired,
    severity: Severity::Warning,
    summary: "The MSOnline module is retired: its cmdlets fail against Office 365; use Microsoft Graph PowerShell.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports `Import-Module MSOnline` (and `#Requires -Modules MSOnline`), and the first call of each
MSOnline cmdlet (`Connect-MsolService`, `Get-MsolServicePrincipal`,
`New-MsolServicePrincipalCredential`...), naming the Microsoft Graph PowerShell cmdlets that
replace it.

## Why it matters
Microsoft retired the MSOnline module in 2025: its service endpoints are being shut down, so a
script that still uses it stops working, often in the middle of a change. The cross-premises
steps it performed (key credentials and service principal names of the Skype for Business Online
and Exchange Online principals) are done with Microsoft Graph PowerShell today
(`Connect-MgGraph`, `Get-MgServicePrincipal`, `Update-MgServicePrincipal`).

`xprem generate` writes the Graph form by default (`cloud_module = "graph"`); a bundle generated
with `cloud_module = "msonline"` says in each script that the retired module was chosen on
purpose, with `# xprem: ignore-file[msonline-retired]`.

## Example
```powershell
Import-Module MSOnline
Connect-MsolService
Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
```

## Use instead
```powershell
Import-Module Microsoft.Graph.Applications
Connect-MgGraph -Scopes Application.ReadWrite.All
Get-MgServicePrincipal -Filter "appId eq '00000004-0000-0ff1-ce00-000000000000'"
```

## Fix safety
No fix: Graph's cmdlets take other parameters and return other objects; `xprem generate`
writes the Graph script from a config.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for requires in &cx.script.requires {
        for p in &requires.parameters {
            if p.name.eq_ignore_ascii_case("Modules")
                && let Some(value) = &p.value
                && names_msonline(value, cx)
            {
                out.push(RULE.at(
                    p.span,
                    "`#Requires -Modules MSOnline` needs the retired MSOnline module, which no longer works against Office 365.",
                    "require the Microsoft Graph PowerShell modules instead (`#Requires -Modules Microsoft.Graph.Authentication, Microsoft.Graph.Applications`) and use their cmdlets.",
                ));
            }
        }
    }
    let mut seen: HashSet<&str> = HashSet::new();
    for u in &cx.commands {
        if u.is("Import-Module") || u.is("ipmo") || u.is("Install-Module") {
            let names = u
                .binding
                .value("Name")
                .into_iter()
                .chain(u.binding.positionals.iter().map(|p| p.value));
            for value in names {
                if names_msonline(value, cx) {
                    out.push(RULE.at(
                        value.span(),
                        "the MSOnline module was retired in 2025; its cmdlets no longer work against Office 365.",
                        "use Microsoft Graph PowerShell: `Import-Module Microsoft.Graph.Applications` and `Connect-MgGraph`.",
                    ));
                }
            }
            continue;
        }
        let Some(cmdlet) = u.binding.cmdlet else {
            continue;
        };
        if cmdlet.module != Module::MsOnline || !seen.insert(cmdlet.name.as_str()) {
            continue;
        }
        let replacement = if cmdlet.graph_equivalents.is_empty() {
            if cmdlet.name.eq_ignore_ascii_case("Connect-MsolService") {
                "use `Connect-MgGraph` (with `-Scopes Application.ReadWrite.All` and the cloud's `-Environment`)".to_owned()
            } else {
                "use the Microsoft Graph PowerShell cmdlets".to_owned()
            }
        } else {
            format!(
                "use {}",
                cmdlet
                    .graph_equivalents
                    .iter()
                    .map(|g| format!("`{g}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )
        };
        let name_span = u.command.name.span();
        out.push(RULE.at(
            name_span,
            format!(
                "`{}` is an MSOnline cmdlet: the module was retired in 2025 and no longer works against Office 365.",
                name_span.text(text)
            ),
            format!("{replacement} (Microsoft Graph PowerShell)."),
        ));
    }
}

/// Whether a module name (or a list of them) names MSOnline.
fn names_msonline(value: &Expression, cx: &ScriptContext<'_>) -> bool {
    let is = |s: &str| {
        let s = s.trim();
        s.eq_ignore_ascii_case("MSOnline") || s.eq_ignore_ascii_case("MSOnlineExtended")
    };
    if let Some(s) = cx.values.string_value(value) {
        return is(&s);
    }
    match value {
        Expression::Array(a) => a.elements.iter().any(|e| names_msonline(e, cx)),
        Expression::Hashtable(h) => h.entries.iter().any(|e| {
            e.key.as_str().is_some_and(|k| k.eq_ignore_ascii_case("ModuleName"))
                && matches!(&e.value, crate::powershell::ast::Statement::Pipeline(p)
                    if p.elements.len() == 1
                    && matches!(&p.elements[0], crate::powershell::ast::PipelineElement::Expression(x) if names_msonline(&x.expression, cx)))
        }),
        _ => value.as_str().is_some_and(is),
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("msonline-retired", text).len()
    }

    #[test]
    fn each_msonline_cmdlet_once_and_the_module_where_it_is_loaded() {
        assert_eq!(
            found(
                "Import-Module -Name MSOnline\nMSOnline\\Connect-MsolService\nconnect-msolservice\nGet-MsolServicePrincipal -AppPrincipalId $id\n"
            ),
            3
        );
        assert_eq!(
            found("#Requires -Modules MSOnline, ActiveDirectory\nGet-ADUser x\n"),
            1
        );
        assert_eq!(
            found("#Requires -Modules @{ModuleName='MSOnline';ModuleVersion='1.1'}\n"),
            1
        );
        assert_eq!(found("$m = 'MSOnline'\nImport-Module $m\n"), 1);
    }

    #[test]
    fn graph_and_other_modules_are_fine() {
        assert_eq!(
            found(
                "Import-Module Microsoft.Graph.Applications\nConnect-MgGraph\nGet-MgServicePrincipal -All\n"
            ),
            0
        );
        assert_eq!(
            found("function Get-MsolThing { }\nImport-Module ActiveDirectory\n"),
            0
        );
        assert_eq!(found("Write-Host 'MSOnline is retired'\n"), 0);
    }

    #[test]
    fn the_replacement_is_named() {
        let d = codes_found("msonline-retired", "Get-MsolServicePrincipal -All\n");
        assert!(
            d[0].help.contains("Get-MgServicePrincipal"),
            "{}",
            d[0].help
        );
    }
}
