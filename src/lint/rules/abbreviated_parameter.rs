//! `abbreviated-parameter`: a parameter name written as a prefix of the real one.

use std::collections::HashMap;

use crate::catalog::Resolution;
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::Expression;
use crate::semantic::SplatSource;

use super::cmdlet_support::{name_span, parameter_span};
use crate::semantic::analysis::cmdlet_uses;

pub const RULE: Rule = Rule {
    code: "abbreviated-parameter",
    group: Group::Cmdlets,
    severity: Severity::Warning,
    summary: "A parameter name abbreviated to a prefix: it works only while no other parameter shares the prefix.",
    doc: DOC,
    fix: FixSafety::Safe,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a parameter of a catalogued cmdlet written as a unique prefix of its name or alias
(`-KeyId` for `-KeyIds`, `-Cred` for `-Credential`), and writes the full name.

## Why it matters
PowerShell accepts any unique prefix of a parameter name, so the command runs today. But the
name the reader sees is not the one in the cmdlet's documentation, searching for it finds
nothing, and the day a module version adds a parameter with the same prefix the command stops
with "Parameter cannot be processed because the parameter name is ambiguous". Microsoft's Lync
Server 2013 page removes a key with `-KeyId`; the parameter is `-KeyIds`.

## Example
```powershell
Remove-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -KeyId bc2795f3-2387-4543-a95d-f92c85c7a1b0
```

## Use instead
```powershell
Remove-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -KeyIds bc2795f3-2387-4543-a95d-f92c85c7a1b0
```

## Fix safety
Safe: the full name stands for the parameter the prefix already binds to, so the command does
the same. The `-Name:value` form and the case style (all lower, all upper) are kept. A key of a
splatted hashtable is renamed only when the hashtable is used by that one command; otherwise the
fix is shown, not applied.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    let mut mentions: Option<HashMap<String, usize>> = None;
    for (u, cmdlet) in cmdlet_uses(cx) {
        if cmdlet.parameters_subset {
            continue;
        }
        for p in &u.binding.parameters {
            let Resolution::Prefix(full) = &p.resolved else {
                continue;
            };
            let replacement = in_style(p.name_as_written, &full.name);
            let mut finding = RULE.at(
                parameter_span(text, p),
                format!(
                    "`{}` abbreviates `-{}` of `{}`: it stops working when another parameter starts the same way.",
                    if p.from_splat { p.name_as_written.to_owned() } else { format!("-{}", p.name_as_written) },
                    full.name,
                    cmdlet.name
                ),
                format!("write `-{}`.", full.name),
            );
            if let Some(name) = name_span(text, p) {
                let safe = !p.from_splat || {
                    let mentions = mentions.get_or_insert_with(|| variable_mentions(cx));
                    splat_used_once(u, p.span, mentions)
                };
                let applicability = if safe {
                    Applicability::Safe
                } else {
                    Applicability::Unsafe
                };
                finding = finding.with_fix(Fix::replace(
                    applicability,
                    format!("write `{replacement}`"),
                    name,
                    replacement,
                ));
            }
            out.push(finding);
        }
    }
}

/// The full name in the style the prefix is written in: all lower case, all upper case, or as
/// the cmdlet's documentation writes it.
fn in_style(written: &str, full: &str) -> String {
    if !written.bytes().any(|b| b.is_ascii_uppercase()) {
        full.to_ascii_lowercase()
    } else if written.len() > 1 && !written.bytes().any(|b| b.is_ascii_lowercase()) {
        full.to_ascii_uppercase()
    } else {
        full.to_owned()
    }
}

/// How many times each variable (lower case) is written in the script.
fn variable_mentions(cx: &ScriptContext<'_>) -> HashMap<String, usize> {
    let mut out: HashMap<String, usize> = HashMap::new();
    for node in &cx.nodes {
        if let NodeRef::Expression(Expression::Variable(v)) = node {
            *out.entry(v.name.to_ascii_lowercase()).or_default() += 1;
        }
    }
    out
}

/// Whether the hashtable the splatted key comes from is mentioned only where it is assigned and
/// in this command's splat: renaming its key changes nothing else.
fn splat_used_once(
    u: &crate::lint::context::CommandUse<'_>,
    key_span: crate::powershell::ast::Span,
    mentions: &HashMap<String, usize>,
) -> bool {
    u.binding.splats.iter().any(|s| {
        matches!(&s.source, SplatSource::Hashtable(entries) if entries.iter().any(|e| e.span == key_span))
            && mentions.get(&s.variable.name.to_ascii_lowercase()) == Some(&2)
    })
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Applicability, fix};
    use crate::lint::tests::codes_found;

    fn fixed(text: &str) -> String {
        let found = codes_found("abbreviated-parameter", text);
        assert!(!found.is_empty(), "{text}");
        let fixes = found
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability == Applicability::Safe);
        fix::apply(text, fixes).unwrap().0
    }

    #[test]
    fn prefixes_get_the_full_name_in_the_same_style() {
        assert_eq!(
            fixed("Remove-MsolServicePrincipalCredential -AppPrincipalId $a -KeyId $k\n"),
            "Remove-MsolServicePrincipalCredential -AppPrincipalId $a -KeyIds $k\n"
        );
        assert_eq!(
            fixed("remove-msolserviceprincipalcredential -appprincipalid $a -keyid:$k\n"),
            "remove-msolserviceprincipalcredential -appprincipalid $a -keyids:$k\n"
        );
        assert_eq!(
            fixed("Connect-MsolService -CRED $c -AzureEnv USGovernment\n"),
            "Connect-MsolService -CREDENTIAL $c -AzureEnvironment USGovernment\n"
        );
        // An en dash before the name, as pasted from a web page.
        assert_eq!(
            fixed("Get-CsOAuthServer –Ident microsoft.sts\n"),
            "Get-CsOAuthServer –Identity microsoft.sts\n"
        );
    }

    #[test]
    fn splat_keys_are_renamed_only_when_the_hashtable_has_one_use() {
        let once =
            "$p = @{ AppPrincipalId = $a; KeyId = $k }\nRemove-MsolServicePrincipalCredential @p\n";
        assert_eq!(
            fixed(once),
            "$p = @{ AppPrincipalId = $a; KeyIds = $k }\nRemove-MsolServicePrincipalCredential @p\n"
        );
        let twice = "$p = @{ AppPrincipalId = $a; KeyId = $k }\nRemove-MsolServicePrincipalCredential @p\nWrite-Host $p.KeyId\n";
        assert_eq!(fixed(twice), twice);
        let quoted = "$p = @{ AppPrincipalId = $a; 'KeyId' = $k }\nRemove-MsolServicePrincipalCredential @p\n";
        assert!(fixed(quoted).contains("'KeyIds' = $k"));
    }

    #[test]
    fn full_names_aliases_and_graph_cmdlets_are_fine() {
        for text in [
            "Remove-MsolServicePrincipalCredential -AppPrincipalId $a -KeyIds $k",
            "Get-CsOAuthServer microsoft.sts -ea 0 -ErrorAction SilentlyContinue",
            "Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint $t -EffectiveTime $d -Roll",
            "Get-MgServicePrincipal -Filt \"appId eq '$id'\"",
            "Get-Thing -Ident x",
        ] {
            assert!(
                codes_found("abbreviated-parameter", text).is_empty(),
                "{text}"
            );
        }
    }
}
