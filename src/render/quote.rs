//! PowerShell literals. Every value a template prints in a script goes through `literal`, so that
//! no config value can ever become code.

use minijinja::value::{Value, ValueKind};
use minijinja::{Error, ErrorKind};

/// The characters PowerShell's tokenizer treats as a single quote (defined with the parser's other
/// character classes). Inside a single-quoted string each must be doubled, or it ends the string.
pub use crate::powershell::chars::is_single_quote;

/// `s` as a single-quoted PowerShell string: nothing in it is expanded or run.
pub fn single_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if is_single_quote(c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A template value as a PowerShell literal: strings single-quoted, booleans `$true`/`$false`,
/// none `$null`, integers as digits, lists as `@(...)`. Anything else is an error, never text.
pub fn literal(value: &Value) -> Result<String, Error> {
    Ok(match value.kind() {
        ValueKind::None => "$null".to_owned(),
        ValueKind::Bool => if value.is_true() { "$true" } else { "$false" }.to_owned(),
        ValueKind::Number if value.is_integer() => value.to_string(),
        ValueKind::String => single_quoted(value.as_str().unwrap_or_default()),
        ValueKind::Seq => {
            let items = value
                .try_iter()?
                .map(|item| literal(&item))
                .collect::<Result<Vec<_>, _>>()?;
            format!("@({})", items.join(", "))
        }
        kind => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!(
                    "a {kind} cannot be printed into a PowerShell script; print its fields instead"
                ),
            ));
        }
    })
}

/// Reads a single-quoted literal back: the inverse of `single_quoted`. Used by tests and by the
/// parser-independent checks of generated scripts.
pub fn unquote_single(literal: &str) -> Option<String> {
    let mut chars = literal.chars();
    if !chars.next().is_some_and(is_single_quote)
        || !literal.chars().last().is_some_and(is_single_quote)
        || literal.chars().count() < 2
    {
        return None;
    }
    let inner: Vec<char> = literal.chars().skip(1).collect();
    let inner = &inner[..inner.len() - 1];
    let mut out = String::new();
    let mut i = 0;
    while i < inner.len() {
        let c = inner[i];
        if is_single_quote(c) {
            // A quote inside must be doubled (PowerShell accepts any two quote characters).
            if i + 1 < inner.len() && is_single_quote(inner[i + 1]) {
                out.push(c);
                i += 2;
                continue;
            }
            return None;
        }
        out.push(c);
        i += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn doubles_every_kind_of_single_quote() {
        assert_eq!(single_quoted("O'Brien"), "'O''Brien'");
        assert_eq!(single_quoted("it\u{2019}s"), "'it\u{2019}\u{2019}s'");
        assert_eq!(
            single_quoted("\u{2018}\u{201A}\u{201B}"),
            "'\u{2018}\u{2018}\u{201A}\u{201A}\u{201B}\u{201B}'"
        );
        assert_eq!(
            single_quoted("$(Remove-Item C:\\) `n \"x\""),
            "'$(Remove-Item C:\\) `n \"x\"'"
        );
    }

    #[test]
    fn literals_of_each_kind() {
        assert_eq!(literal(&Value::from(true)).unwrap(), "$true");
        assert_eq!(literal(&Value::from(false)).unwrap(), "$false");
        assert_eq!(literal(&Value::from(())).unwrap(), "$null");
        assert_eq!(literal(&Value::from(2045)).unwrap(), "2045");
        assert_eq!(
            literal(&Value::from(vec!["a'b", "c"])).unwrap(),
            "@('a''b', 'c')"
        );
        assert!(literal(&Value::from(1.5)).is_err());
        let map = Value::from(std::collections::BTreeMap::from([("a", 1)]));
        assert!(literal(&map).is_err());
    }

    proptest! {
        #[test]
        fn unquote_inverts_quote(s in "\\PC*") {
            prop_assert_eq!(unquote_single(&single_quoted(&s)), Some(s));
        }

        #[test]
        fn quoted_text_has_only_doubled_quotes_inside(s in ".*") {
            let q = single_quoted(&s);
            let inner: Vec<char> = q.chars().skip(1).collect();
            let inner = &inner[..inner.len() - 1];
            let mut i = 0;
            while i < inner.len() {
                if is_single_quote(inner[i]) {
                    prop_assert!(i + 1 < inner.len() && is_single_quote(inner[i + 1]));
                    i += 2;
                } else {
                    i += 1;
                }
            }
        }
    }
}
