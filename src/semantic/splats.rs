//! What a splat (`@params`) passes to a command: when `$params` is a hashtable literal of the same
//! script with a known value (see [`super::values`] for when it is), its keys are parameters and
//! their values; when it is an array literal, its items are positional arguments.

use crate::powershell::ast::{Expression, Span, Variable};

use super::values::{Value, Values, single_expression};

/// A splatted variable of a command.
#[derive(Debug, Clone, PartialEq)]
pub struct Splat<'a> {
    pub variable: &'a Variable,
    pub source: SplatSource<'a>,
}

/// What the splatted variable holds.
#[derive(Debug, Clone, PartialEq)]
pub enum SplatSource<'a> {
    /// A hashtable literal: one parameter per key.
    Hashtable(Vec<SplatEntry<'a>>),
    /// An array literal: positional arguments.
    Array(Vec<&'a Expression>),
    /// Not known: assigned elsewhere, more than once, from a command, or not at all.
    Unknown,
}

/// One key of a splatted hashtable.
#[derive(Debug, Clone, PartialEq)]
pub struct SplatEntry<'a> {
    /// The key as a parameter name (`Identity` for `Identity = ...` or `'Identity' = ...`).
    pub key: &'a str,
    /// From the key to the end of the value.
    pub span: Span,
    /// The value, when it is an expression (not a command or a statement).
    pub value: Option<&'a Expression>,
}

/// What `@variable` passes, as far as the script shows.
pub fn resolve<'a>(variable: &'a Variable, values: &Values<'a>) -> SplatSource<'a> {
    let Some(known) = values.at(variable) else {
        return SplatSource::Unknown;
    };
    match known.value {
        Value::Hashtable(_) => {
            hashtable_entries(known.expression).map_or(SplatSource::Unknown, SplatSource::Hashtable)
        }
        Value::Array(_) => {
            array_items(known.expression).map_or(SplatSource::Unknown, SplatSource::Array)
        }
        _ => SplatSource::Unknown,
    }
}

/// The entries of `@{...}` or `[ordered]@{...}`, keys constant.
fn hashtable_entries(expression: &Expression) -> Option<Vec<SplatEntry<'_>>> {
    let table = match expression {
        Expression::Hashtable(h) => h,
        Expression::Convert(c) => match &c.operand {
            Expression::Hashtable(h) => h,
            _ => return None,
        },
        _ => return None,
    };
    table
        .entries
        .iter()
        .map(|entry| {
            let key = match &entry.key {
                Expression::String(s) => s.value.as_str(),
                Expression::Number(n) => n.text.as_str(),
                _ => return None,
            };
            Some(SplatEntry {
                key,
                span: Span::new(entry.key.span().start, entry.value.span().end),
                value: single_expression(&entry.value),
            })
        })
        .collect()
}

/// The items of `'a', 'b'`, `@('a', 'b')` or `@('a'; 'b')`.
fn array_items(expression: &Expression) -> Option<Vec<&Expression>> {
    match expression {
        Expression::Array(a) => Some(a.elements.iter().collect()),
        Expression::ArrayExpression(s) => {
            let mut out = Vec::new();
            for statement in &s.statements {
                match single_expression(statement)? {
                    Expression::Array(a) => out.extend(a.elements.iter()),
                    other => out.push(other),
                }
            }
            Some(out)
        }
        Expression::Paren(p) => array_items(single_expression(&p.pipeline)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::powershell::parse;

    fn splat(text: &str) -> Vec<String> {
        let script = parse(text).unwrap();
        let values = Values::new(&script, text);
        let command = *script.commands().last().unwrap();
        let variable = command.splats().next().unwrap();
        match resolve(variable, &values) {
            SplatSource::Hashtable(entries) => entries
                .iter()
                .map(|e| {
                    format!(
                        "-{}={}",
                        e.key,
                        e.value.map_or("?", |v| v.span().text(text))
                    )
                })
                .collect(),
            SplatSource::Array(items) => items
                .iter()
                .map(|i| i.span().text(text).to_string())
                .collect(),
            SplatSource::Unknown => vec!["unknown".to_string()],
        }
    }

    #[test]
    fn a_hashtable_literal_gives_its_keys_and_values() {
        assert_eq!(
            splat("$p = @{ Identity = 'x'; 'Force' = $true; Url = Get-Url }\nNew-Thing @p"),
            ["-Identity='x'", "-Force=$true", "-Url=?"]
        );
        assert_eq!(splat("$p = [ordered]@{ A = 1 }\nNew-Thing @p"), ["-A=1"]);
    }

    #[test]
    fn an_array_literal_gives_positional_arguments() {
        assert_eq!(splat("$a = 'x', 'y'\nNew-Thing @a"), ["'x'", "'y'"]);
        assert_eq!(splat("$a = @('x'; 'y')\nNew-Thing @a"), ["'x'", "'y'"]);
    }

    #[test]
    fn anything_else_is_unknown() {
        for text in [
            "New-Thing @p",
            "$p = Get-Params\nNew-Thing @p",
            "$p = @{ A = 1 }\n$p.B = 2\nNew-Thing @p",
            "$p = @{ A = 1 }\n$p.Remove('A')\nNew-Thing @p",
            "if ($c) { $p = @{ A = 1 } }\nNew-Thing @p",
            "function f { New-Thing @PSBoundParameters }",
            "$p = 'x'\nNew-Thing @p",
        ] {
            assert_eq!(splat(text), ["unknown"], "{text}");
        }
    }
}
