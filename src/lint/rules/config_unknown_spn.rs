//! `config-unknown-spn`: a Skype for Business Online SPN in the script that is not one of the
//! config's pools.

use std::collections::HashSet;

use crate::catalog::SKYPE_ONLINE_APP_ID;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::ast::{BinaryOperator, CommandElement, Expression};
use crate::powershell::{NodeRef, walk_node};

pub const RULE: Rule = Rule {
    code: "config-unknown-spn",
    group: Group::Config,
    severity: Severity::Error,
    summary: "An SPN of the Skype for Business Online principal that is not one of the config's pools.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Runs only with `xprem lint --config CONFIG`. Reports every SPN of the Skype for Business Online
principal written in the script (`00000004-0000-0ff1-ce00-000000000000/<FQDN>`, as a string or
built from known values) whose FQDN is not one of the config's external web services FQDNs
(`on_premises.web_services_fqdns`). Values only looked up (given to a `Get-*` cmdlet) are not
judged, nor Microsoft's own SPNs of the principal (`*.infra.lync.com`, `*.online.lync.com`).

## Why it matters
Office 365 finds the on-premises pool by this SPN. One for a pool that is not in the deployment
(a name from Microsoft's page, `lync.contoso.com`, or from another tenant) registers nothing
useful, while the real pool's SPN is missing and server-to-server authentication fails.

## Example
```powershell
$lyncSP = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
$lyncSP.ServicePrincipalNames.Add("00000004-0000-0ff1-ce00-000000000000/lync.contoso.com")
```

## Use instead
```powershell
$lyncSP = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
$lyncSP.ServicePrincipalNames.Add("00000004-0000-0ff1-ce00-000000000000/lyncweb.fabrikam.com")
```

## Fix safety
No fix: add the pool to the config, or correct the FQDN in the script.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(model) = cx.file.config else { return };
    let known: HashSet<String> = model
        .cloud_principals
        .spns
        .iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    // Arguments of Get-* cmdlets: lookups, not writes.
    let mut lookups: HashSet<usize> = HashSet::new();
    for u in &cx.commands {
        if u.name
            .is_some_and(|n| n.to_ascii_lowercase().starts_with("get-"))
        {
            for e in &u.command.elements {
                let value = match e {
                    CommandElement::Argument(a) => Some(a),
                    CommandElement::Parameter(p) => p.value.as_ref(),
                    _ => None,
                };
                if let Some(v) = value {
                    walk_node(NodeRef::Expression(v), |n| {
                        if let NodeRef::Expression(x) = n {
                            lookups.insert(x.span().start);
                        }
                    });
                }
            }
        }
    }
    // Operands of comparisons (`$spns -notcontains '...'`): checks of an SPN that the script
    // writes elsewhere too.
    let mut compared: HashSet<usize> = HashSet::new();
    for node in &cx.nodes {
        if let NodeRef::Expression(Expression::Binary(b)) = node
            && matches!(b.operator, BinaryOperator::Comparison(..))
        {
            compared.insert(b.left.span().start);
            compared.insert(b.right.span().start);
        }
    }
    // Each unknown SPN once: where it is written rather than compared, else where it is first
    // compared.
    let mut sites: Vec<(String, String, crate::powershell::ast::Span, bool)> = Vec::new();
    let prefix = format!("{}/", SKYPE_ONLINE_APP_ID);
    cx.nodes.iter().copied().for_each(|node| {
        let NodeRef::Expression(e) = node else { return };
        if !matches!(e, Expression::String(_) | Expression::ExpandableString(_))
            || lookups.contains(&e.span().start)
        {
            return;
        }
        let Some(value) = cx.values.string_value(e) else {
            return;
        };
        let lower = value.trim().to_ascii_lowercase();
        let Some(fqdn) = lower.strip_prefix(&prefix) else {
            return;
        };
        // Microsoft's own SPNs on the principal (`*.infra.lync.com`, `*.online.lync.com`) are
        // in every tenant.
        if fqdn.is_empty()
            || fqdn.contains(|c: char| c.is_whitespace() || c == '/' || c == '$')
            || fqdn.starts_with("*.")
            || fqdn == "lync.com"
            || fqdn.ends_with(".lync.com")
            || known.contains(&lower)
        {
            return;
        }
        sites.push((
            lower,
            value.trim().to_owned(),
            e.span(),
            compared.contains(&e.span().start),
        ));
    });
    let written: HashSet<&str> = sites
        .iter()
        .filter(|(_, _, _, is_check)| !is_check)
        .map(|(spn, ..)| spn.as_str())
        .collect();
    let mut reported: HashSet<&str> = HashSet::new();
    for (spn, shown, span, is_check) in &sites {
        if (*is_check && written.contains(spn.as_str())) || !reported.insert(spn.as_str()) {
            continue;
        }
        let fqdn = &spn[prefix.len()..];
        out.push(RULE.at(
            *span,
            format!(
                "the SPN {shown} names {fqdn}, which is not a pool of the config (its SPNs: {}).",
                model.cloud_principals.spns.join(", ")
            ),
            "use the SPN of a pool's external web services FQDN, or add the FQDN to on_premises.web_services_fqdns in the config.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{codes_found, lint_with};

    fn found(text: &str) -> usize {
        codes_found("config-unknown-spn", text).len()
    }

    #[test]
    fn an_spn_checked_then_added_is_reported_once_where_it_is_added() {
        let text = "if ($spns -notcontains '00000004-0000-0ff1-ce00-000000000000/pool2.fabrikam.com') {\n    $spns += '00000004-0000-0ff1-ce00-000000000000/pool2.fabrikam.com'\n}\n";
        let found = codes_found("config-unknown-spn", text);
        assert_eq!(found.len(), 1);
        assert!(
            text[found[0].location.span.unwrap().start..]
                .starts_with("'00000004-0000-0ff1-ce00-000000000000/pool2.fabrikam.com'\n}")
        );
    }

    #[test]
    fn other_pools_are_found() {
        assert_eq!(
            found(
                "Set-MsolServicePrincipal -AppPrincipalId $id -ServicePrincipalNames @('00000004-0000-0ff1-ce00-000000000000/lyncweb.fabrikam.com', '00000004-0000-0ff1-ce00-000000000000/lync.contoso.com')"
            ),
            1
        );
        assert_eq!(
            found(
                "$fqdn = 'pool2.fabrikam.com'\n$sp.ServicePrincipalNames.Add(\"00000004-0000-0ff1-ce00-000000000000/$fqdn\")"
            ),
            1
        );
    }

    #[test]
    fn the_configs_pools_lookups_and_other_principals_are_fine() {
        for text in [
            "$spn = '00000004-0000-0ff1-ce00-000000000000/LyncWeb.Fabrikam.com'",
            "Get-MsolServicePrincipal -ServicePrincipalName '00000004-0000-0ff1-ce00-000000000000/old.fabrikam.com'",
            "$spn = '00000002-0000-0ff1-ce00-000000000000/mail.fabrikam.com'",
            "$builtIn = @('00000004-0000-0ff1-ce00-000000000000/*.infra.lync.com', '00000004-0000-0ff1-ce00-000000000000/*.online.lync.com')",
            "$spn = \"00000004-0000-0ff1-ce00-000000000000/$fqdn\"",
            "Write-Host 'Add 00000004-0000-0ff1-ce00-000000000000/<pool FQDN> for each pool'",
        ] {
            assert_eq!(found(text), 0, "{text}");
        }
        assert!(
            lint_with(
                &["config"],
                "$s = '00000004-0000-0ff1-ce00-000000000000/x.contoso.com'"
            )
            .is_empty()
        );
    }
}
