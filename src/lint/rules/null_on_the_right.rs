//! `null-on-the-right`: `$x -eq $null` filters an array instead of testing for null.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity, Span};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::{BinaryOperator, ComparisonOperator, Expression};

pub const RULE: Rule = Rule {
    code: "null-on-the-right",
    group: Group::Retired,
    severity: Severity::Warning,
    summary: "`$null` on the right of `-eq`/`-ne`: with an array on the left, PowerShell filters the array instead of testing it.",
    doc: DOC,
    fix: FixSafety::Safe,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports comparisons with `$null` on the right of `-eq` or `-ne` (and their `-i`/`-c` forms), and
moves `$null` to the left.

## Why it matters
When the left side is a collection, `-eq` and `-ne` do not compare the collection: they return
the items that match. `$credentials -eq $null` is then an empty array (false) even when there are
no credentials, or a list of `$null` items (still false when printed, true when it has two), so
the test says the opposite of what it checks. `$null -eq $credentials` always asks "is it null".

## Example
```powershell
$keys = Get-MsolServicePrincipalCredential -AppPrincipalId $appId -ReturnKeyValues $false
if ($keys -eq $null) { Write-Warning 'No key credentials' }
```

## Use instead
```powershell
$keys = Get-MsolServicePrincipalCredential -AppPrincipalId $appId -ReturnKeyValues $false
if ($null -eq $keys) { Write-Warning 'No key credentials' }
```

## Fix safety
Safe: `$null` moves to the left, so the comparison tests for null, which is what the code was
written to do (for a value that is not a collection, the result is the same).
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    for &node in &cx.nodes {
        let NodeRef::Expression(Expression::Binary(b)) = node else {
            continue;
        };
        let BinaryOperator::Comparison(op @ (ComparisonOperator::Eq | ComparisonOperator::Ne), _) =
            b.operator
        else {
            continue;
        };
        if !is_null(&b.right) || is_null(&b.left) {
            continue;
        }
        let (left, right) = (b.left.span(), b.right.span());
        // `$a -eq $b -eq $null` is `($a -eq $b) -eq $null`: moved to the right of `$null -eq`,
        // the comparison needs its parentheses to keep its meaning.
        let moved = match &b.left {
            Expression::Binary(inner)
                if matches!(inner.operator, BinaryOperator::Comparison(..)) =>
            {
                format!("({})", left.text(text))
            }
            _ => left.text(text).to_owned(),
        };
        // The operator as written (`-ieq`, `-CNE`), for the message.
        let written = text.get(left.end..right.start).map(str::trim);
        let word = match written {
            Some(w) if w.starts_with('-') && !w.contains(char::is_whitespace) => w,
            _ if op == ComparisonOperator::Eq => "-eq",
            _ => "-ne",
        };
        out.push(
            RULE.at(
                b.span,
                format!("`$null` is on the right of `{word}`: if `{}` is a collection, this filters it instead of testing it for null.", left.text(text)),
                format!("write `{} {} {moved}`.", right.text(text), b.operator.text()),
            )
            .with_fix(Fix {
                applicability: Applicability::Safe,
                description: "move `$null` to the left".to_owned(),
                edits: vec![
                    Edit {
                        span: Span::new(left.start, left.end),
                        replacement: right.text(text).to_owned(),
                    },
                    Edit {
                        span: Span::new(right.start, right.end),
                        replacement: moved,
                    },
                ],
            }),
        );
    }
}

fn is_null(e: &Expression) -> bool {
    matches!(e, Expression::Variable(v) if !v.splatted && v.name.eq_ignore_ascii_case("null"))
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::fix;
    use crate::lint::tests::codes_found;

    #[test]
    fn finds_and_fixes_null_on_the_right() {
        let text = "if ($a -eq $null -or (Get-X).Y -INE $NULL) {}\n";
        let found = codes_found("null-on-the-right", text);
        assert_eq!(found.len(), 2);
        assert!(
            found[1].message.contains("on the right of `-INE`"),
            "{}",
            found[1].message
        );
        let (fixed, _) = fix::apply(text, found.iter().filter_map(|d| d.fix.as_ref())).unwrap();
        assert_eq!(fixed, "if ($null -eq $a -or $NULL -INE (Get-X).Y) {}\n");
    }

    #[test]
    fn a_comparison_on_the_left_keeps_its_parentheses() {
        let text = "$a -eq $b -eq $null";
        let found = codes_found("null-on-the-right", text);
        let (fixed, _) = fix::apply(text, found.iter().filter_map(|d| d.fix.as_ref())).unwrap();
        assert_eq!(fixed, "$null -eq ($a -eq $b)");
    }

    #[test]
    fn null_on_the_left_and_other_operators_are_fine() {
        for text in [
            "$null -eq $a",
            "$a -gt $null",
            "$null -eq $null",
            "$a -eq $nullable",
            "$x = $null",
        ] {
            assert!(codes_found("null-on-the-right", text).is_empty(), "{text}");
        }
    }
}
