//! `abbreviated-parameter`: a parameter written as a prefix of its name.

use crate::catalog::Resolution;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity, Span};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use super::cmdlet_support::complete;

pub const RULE: Rule = Rule {
    code: "abbreviated-parameter",
    group: Group::Cmdlets,
    severity: Severity::Warning,
    summary: "A parameter name abbreviated (`-KeyId` for `-KeyIds`): it works until a new version of the module adds a parameter with the same start.",
    doc: DOC,
    fix: FixSafety::Safe,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a parameter written as a unique abbreviation of a longer name (`-KeyId` for `-KeyIds`,
`-Ide` for `-Identity`), and writes the full name. Aliases (`-ea` for `-ErrorAction`) are
names of their own and are not reported.

## Why it matters
PowerShell accepts any unique prefix of a parameter's name, but only as long as it stays unique:
when a later version of the module adds a parameter with the same start, the abbreviation is
ambiguous and the command stops working on the machines that update. Microsoft's page writes
`Remove-MsolServicePrincipalCredential -KeyId`, which only works because `-KeyIds` is the one
parameter starting with it; readers copy the shortened name into scripts of their own.

## Example
```powershell
Remove-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -KeyId $keyId
```

## Use instead
```powershell
Remove-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -KeyIds $keyId
```

## Fix safety
Safe: the full name is the parameter PowerShell binds the abbreviation to today.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for u in &cx.commands {
        let Some(cmdlet) = complete(u) else { continue };
        for p in &u.binding.parameters {
            let Resolution::Prefix(parameter) = p.resolved else {
                continue;
            };
            // The name as written starts after the dash (or is the splat key).
            let start = if p.from_splat {
                match text[p.span.start..p.span.end].find(p.name_as_written) {
                    Some(i) => p.span.start + i,
                    None => continue,
                }
            } else {
                p.span.start + 1
            };
            let span = Span::new(start, start + p.name_as_written.len());
            if span.end > text.len()
                || !text[span.start..span.end].eq_ignore_ascii_case(p.name_as_written)
            {
                continue;
            }
            let mut d = RULE.at(
                span,
                format!("`{}` is an abbreviation of `{}`'s parameter `{}`: it stops working when a module version adds another parameter starting with it.", p.name_as_written, cmdlet.name, parameter.name),
                format!("write `{}`.", parameter.name),
            );
            // A quoted splat key (`'KeyId' = ...`) is rewritten inside its quotes, a bare one
            // as it is: the fix never touches anything but the name.
            d = d.with_fix(Fix {
                applicability: Applicability::Safe,
                description: format!("write `{}`", parameter.name),
                edits: vec![Edit {
                    span,
                    replacement: parameter.name.clone(),
                }],
            });
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::fix;
    use crate::lint::tests::codes_found;

    #[test]
    fn prefixes_are_written_in_full() {
        let text = "Remove-MsolServicePrincipalCredential -AppPrincipalId $id -KeyId:$k -ObjectId $o\n$p = @{ Ide = 'microsoft.sts' }\nSet-CsOAuthServer @p -metadataurl $u\n";
        let found = codes_found("abbreviated-parameter", text);
        let (fixed, _) = fix::apply(text, found.iter().filter_map(|d| d.fix.as_ref())).unwrap();
        assert_eq!(
            fixed,
            "Remove-MsolServicePrincipalCredential -AppPrincipalId $id -KeyIds:$k -ObjectId $o\n$p = @{ Identity = 'microsoft.sts' }\nSet-CsOAuthServer @p -metadataurl $u\n"
        );
    }

    #[test]
    fn full_names_aliases_and_unknown_commands_are_fine() {
        for text in [
            "Get-CsOAuthServer -Identity x -ea Stop",
            "Invoke-Thing -Ide x",
            "Get-MgServicePrincipal -Fil $f",
        ] {
            assert!(
                codes_found("abbreviated-parameter", text).is_empty(),
                "{text}"
            );
        }
    }
}
