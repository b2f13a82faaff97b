//! `near-well-known-id`: an ID one or two characters away from a well-known one.

use crate::catalog::WELL_KNOWN_APP_IDS;
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::Expression;

pub const RULE: Rule = Rule {
    code: "near-well-known-id",
    group: Group::Identifiers,
    severity: Severity::Error,
    summary: "An application ID one or two characters away from a well-known one: a typo that points at an application that does not exist.",
    doc: DOC,
    fix: FixSafety::Unsafe,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a GUID written in a string or argument (also at the start of an SPN) that differs from a
well-known Microsoft application ID (Skype for Business Online, Exchange Online, SharePoint
Online, the authorization server, Graph) by one or two characters, and offers the well-known ID.

## Why it matters
The IDs are long runs of zeros that differ in one digit, and they are typed by hand. A
mistyped ID names no application: `Get-MsolServicePrincipal -AppPrincipalId` finds nothing, a
credential goes to the wrong principal, or an SPN is written under an ID Office 365 never looks
up.

## Example
```powershell
Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-00000000000
```

## Use instead
```powershell
Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
```

## Fix safety
Unsafe: the closest well-known ID is likely what was meant, but a real ID of the tenant can
look alike; offered, never applied by `--fix`.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for node in &cx.nodes {
        let NodeRef::Expression(Expression::String(s)) = node else {
            continue;
        };
        // The written text (not the value): the span must point at the characters in the file.
        let written = s.span.text(text);
        if written.len() < 30 {
            continue;
        }
        let mut at = 0;
        for piece in written.split(|c: char| {
            c == '/' || c == '\'' || c == '"' || c.is_whitespace() || c == ',' || c == ';'
        }) {
            let start = s.span.start + at;
            at += piece.len() + 1;
            if !(34..=38).contains(&piece.len()) || piece.matches('-').count() < 3 {
                continue;
            }
            let lower = piece.to_ascii_lowercase();
            if family_member(&lower) {
                continue;
            }
            let Some((known, name, distance)) = WELL_KNOWN_APP_IDS
                .iter()
                .map(|(k, n)| (*k, *n, strsim::levenshtein(&lower, k)))
                .min_by_key(|(_, _, d)| *d)
            else {
                continue;
            };
            if distance == 0 || distance > 2 {
                continue;
            }
            let span = Span::new(start, start + piece.len());
            out.push(
                RULE.at(
                    span,
                    format!("`{piece}` is {distance} character{} away from {name}'s ID {known}: a typo names an application that does not exist.", if distance == 1 { "" } else { "s" }),
                    format!("write `{known}` if that is the application meant."),
                )
                .with_fix(crate::diagnostic::Fix {
                    applicability: crate::diagnostic::Applicability::Unsafe,
                    description: format!("write {known}"),
                    edits: vec![crate::diagnostic::Edit {
                        span,
                        replacement: known.to_owned(),
                    }],
                }),
            );
        }
    }
}

/// Microsoft numbers its first-party applications in two families that differ only in the first
/// group (`00000005-0000-0ff1-ce00-000000000000` is Yammer, `00000009-0000-0000-c000-000000000000`
/// Power BI): a well-formed member is a real ID, not a typo. So is the all-zero GUID.
fn family_member(id: &str) -> bool {
    let Some((first, rest)) = id.split_once('-') else {
        return false;
    };
    first.len() == 8
        && first.bytes().all(|b| b.is_ascii_hexdigit())
        && (rest == "0000-0ff1-ce00-000000000000"
            || rest == "0000-0000-c000-000000000000"
            || rest == "0000-0000-0000-000000000000")
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("near-well-known-id", text).len()
    }

    #[test]
    fn typos_of_well_known_ids_are_found() {
        assert_eq!(
            found("Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-00000000000"),
            1
        );
        assert_eq!(
            found("$spn = '00000004-0000-0ff1-ec00-000000000000/lyncweb.contoso.com'"),
            1
        );
        assert_eq!(found("$a = \"00000002-0000-off1-ce00-000000000000\""), 1);
    }

    #[test]
    fn exact_ids_and_other_guids_are_fine() {
        assert_eq!(
            found("$spn = '00000004-0000-0ff1-ce00-000000000000/lyncweb.contoso.com'"),
            0
        );
        assert_eq!(found("$t = 'c7ed8b9a-4e8c-4f1e-9a5b-2f9f3c1d0a11'"), 0);
        assert_eq!(found("$id = '00000000-0000-0000-0000-000000000000'"), 0);
        assert_eq!(
            found(
                "$yammer = '00000005-0000-0ff1-ce00-000000000000'; $pbi = '00000009-0000-0000-c000-000000000000'"
            ),
            0
        );
    }
}
