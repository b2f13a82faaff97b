//! `too-many-positionals`: arguments no positional parameter takes.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use super::cmdlet_support::complete;

pub const RULE: Rule = Rule {
    code: "too-many-positionals",
    group: Group::Cmdlets,
    severity: Severity::Error,
    summary: "An argument that no positional parameter takes: PowerShell refuses the command.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports the arguments of a catalogued cmdlet that are not the value of a named parameter and
that no positional parameter of the parameter set is left to take.

## Why it matters
PowerShell stops with "A positional parameter cannot be found that accepts argument": the command
does nothing. It usually means a parameter name was lost (`-Identity microsoft.sts Full` for
`-ApplicationTrustLevel Full`), or a value with spaces was not quoted.

## Example
```powershell
Set-CsPartnerApplication -Identity microsoft.exchange Full
```

## Use instead
```powershell
Set-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full
```

## Fix safety
No fix: which parameter the argument was meant for is for a person to say.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for u in &cx.commands {
        let Some(cmdlet) = complete(u) else { continue };
        for p in u.binding.unbound_positionals() {
            if p.from_splat {
                continue;
            }
            out.push(RULE.at(
                p.value.span(),
                format!("no positional parameter of `{}` takes `{}`: PowerShell refuses the command.", cmdlet.name, p.value.span().text(text)),
                "name the parameter it is for (`-Name value`), or quote it if it is one value with spaces.",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    #[test]
    fn arguments_left_over_are_reported() {
        assert_eq!(
            codes_found(
                "too-many-positionals",
                "Get-CsOAuthServer microsoft.sts extra"
            )
            .len(),
            1
        );
        assert!(codes_found("too-many-positionals", "Get-CsOAuthServer microsoft.sts").is_empty());
        assert!(codes_found("too-many-positionals", "My-Thing a b c d").is_empty());
    }
}
