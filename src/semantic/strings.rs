//! Strings as PowerShell builds them: the value of an expandable string (`"…$x…$($y)…"`) when
//! every part is known, values turned into text, and the `-f` operator's simple forms.
//! Constant strings and concatenation (`'a' + $b`) are evaluated in [`super::values`].

use crate::powershell::ast::Span;
use crate::powershell::ast::{ExpandableString, Expression};

use super::Analysis;
use super::values::{Value, Values, plain_integer};

/// The value of an expandable string, when every `$variable` and `$( )` part has a known value.
///
/// The AST keeps the string's text with escapes applied and the parts as written, and each
/// part's span in the script's text. A literal `$` in the text (`` "`$x" ``, or a lone `$`)
/// could be mistaken for a part, so a string with one is unknown: with none, every `$` in the
/// text starts a part, and the parts are found in order.
pub fn interpolate(s: &ExpandableString, values: &Values, depth: usize) -> Option<String> {
    let text = values.text();
    let mut out = String::new();
    let mut rest = s.value.as_str();
    for part in &s.parts {
        let written = part.span().text(text);
        if !written.starts_with('$') {
            return None;
        }
        let at = rest.find('$')?;
        if !rest[at..].starts_with(written) {
            return None;
        }
        out.push_str(&rest[..at]);
        let value = match part {
            Expression::Variable(v) if !v.splatted => values.eval(part, false, depth)?,
            Expression::SubExpression(_) => values.eval(part, false, depth)?,
            _ => return None,
        };
        out.push_str(&values.text_of(&value)?);
        rest = &rest[at + written.len()..];
    }
    if rest.contains('$') {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

/// A value as PowerShell turns it into text: `$null` is empty, booleans are `True`/`False`,
/// arrays join their items with a space (`$OFS`, unknown when the script assigns it). Numbers
/// are known only as plain integers (others depend on how PowerShell formats them), and
/// hashtables not at all.
pub fn text_of(value: &Value, ofs_assigned: bool) -> Option<String> {
    match value {
        Value::Array(items) if !ofs_assigned => {
            let texts: Option<Vec<String>> = items.iter().map(element_text).collect();
            Some(texts?.join(" "))
        }
        Value::Array(_) => None,
        other => element_text(other),
    }
}

/// The text of a value inside an array (an array in an array has no useful text).
pub(crate) fn element_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some(String::new()),
        Value::Bool(true) => Some("True".to_string()),
        Value::Bool(false) => Some("False".to_string()),
        Value::Number(n) => plain_integer(n).map(|i| i.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Array(_) | Value::Hashtable(_) => None,
    }
}

/// `format -f arguments` for the forms `{0}`, `{{` and `}}`; alignment and format strings
/// (`{0,5}`, `{0:N2}`) depend on culture and are unknown.
pub fn format(format: &str, arguments: &[Value]) -> Option<String> {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut digits = String::new();
                loop {
                    match chars.next()? {
                        '}' => break,
                        d if d.is_ascii_digit() && digits.len() < 4 => digits.push(d),
                        _ => return None,
                    }
                }
                let index: usize = digits.parse().ok()?;
                out.push_str(&element_text(arguments.get(index)?)?);
            }
            '}' => return None,
            other => out.push(other),
        }
    }
    Some(out)
}

/// The known strings of a value, each with the expression it comes from: a string (one), an array
/// literal of known strings (each element, at its own span), or a variable holding an array of
/// strings (each, at the variable). `None` when any of it is unknown or not a string.
pub fn known_strings<'e>(
    cx: &Analysis<'_>,
    expr: &'e Expression,
) -> Option<Vec<(String, &'e Expression)>> {
    if let Expression::Array(a) = expr {
        return a
            .elements
            .iter()
            .map(|e| cx.values.string_value(e).map(|s| (s, e)))
            .collect();
    }
    match cx.values.evaluate(expr)? {
        Value::String(s) => Some(vec![(s, expr)]),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(|s| (s.to_owned(), expr)))
            .collect(),
        _ => None,
    }
}

/// The span of `needle` inside the source of `within` (the first occurrence), else `within`.
pub fn span_in(text: &str, within: Span, needle: &str) -> Span {
    if needle.is_empty() {
        return within;
    }
    text.get(within.start..within.end)
        .and_then(|source| source.find(needle))
        .map_or(within, |at| {
            Span::new(within.start + at, within.start + at + needle.len())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::powershell::parse;

    /// The value of `$x` after `text`.
    fn x(text: &str) -> Option<String> {
        let script = parse(text).unwrap();
        let values = Values::new(&script, text);
        values.assigned("x")?.value.as_str().map(str::to_owned)
    }

    #[test]
    fn expandable_strings_with_known_parts_have_a_value() {
        assert_eq!(x("$a = 'A'\n$x = \"<$a>\""), Some("<A>".into()));
        assert_eq!(x("$a = 'A'\n$x = \"<${a}>\""), Some("<A>".into()));
        assert_eq!(x("$a = 'A'\n$x = \"<$($a)|$(1)>\""), Some("<A|1>".into()));
        assert_eq!(x("$a = 'A'\n$x = \"`t$a`n\""), Some("\tA\n".into()));
        assert_eq!(x("$a = 'A'\n$x = \"$a$a\""), Some("AA".into()));
        assert_eq!(x("$x = \"$true/$null/$false\""), Some("True//False".into()));
        assert_eq!(x("$a = 'A'\n$x = @\"\nline $a\n\"@"), Some("line A".into()));
        // Smart quotes are quotes.
        assert_eq!(x("$a = 'A'\n$x = \u{201C}$a\u{201D}"), Some("A".into()));
    }

    #[test]
    fn unknown_parts_and_literal_dollars_make_the_string_unknown() {
        assert_eq!(x("$x = \"$env:USERNAME\""), None);
        assert_eq!(x("$x = \"$(Get-Date)\""), None);
        // Without parts the string is constant, `$` or not; with parts, a literal `$` makes it
        // unknown.
        assert_eq!(x("$x = \"a $ b\""), Some("a $ b".into()));
        assert_eq!(x("$a = 'A'\n$x = \"$a $ b\""), None);
        assert_eq!(x("$a = 'A'\n$x = \"`$a=$a\""), None);
        assert_eq!(x("$a = 'A'\n$x = \"$a.Length\""), Some("A.Length".into()));
        assert_eq!(x("$a = @{ k = 1 }\n$x = \"$a\""), None);
        assert_eq!(x("$x = \"$(1.5)\""), None);
    }

    #[test]
    fn constant_strings_and_concatenation() {
        assert_eq!(x("$x = 'it''s'"), Some("it's".into()));
        assert_eq!(x("$x = \"a\" + 'b' + $true"), Some("abTrue".into()));
        assert_eq!(x("$x = 'a' + @('b', 'c')"), Some("ab c".into()));
        assert_eq!(x("$x = [string]12"), Some("12".into()));
    }

    #[test]
    fn simple_format_strings() {
        let v = |s: &str| Value::String(s.into());
        assert_eq!(format("{0}/{1}", &[v("a"), v("b")]), Some("a/b".into()));
        assert_eq!(format("{{{0}}}", &[v("a")]), Some("{a}".into()));
        assert_eq!(format("{0:N2}", &[v("a")]), None);
        assert_eq!(format("{1}", &[v("a")]), None);
        assert_eq!(format("}", &[]), None);
    }
}
