//! Reading an exported state the way it may really be written: by `Export-State.ps1`, or by a
//! `ConvertTo-Json` of another PowerShell, re-saved, or cut short. Windows PowerShell writes a
//! one-item array as the item itself, wraps some arrays as `{"value": [...], "Count": n}` and some
//! dates as `{"value": "\/Date(ms)\/", "DateTime": "..."}`, and writes what lies deeper than
//! `-Depth` as the object's type name (`"System.Collections.Hashtable"`, `"@{a=1; b=2}"`, or a
//! list's items joined by spaces). All of these are read; a value cut off by the depth is
//! unknown, with a warning that says how to export it whole. A value of the wrong kind is an
//! error at its place.

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::config::locate::Located;
use crate::config::path::FieldPath;
use crate::diagnostic::{Diagnostic, Severity, Span};

use super::dates;

pub struct Reader {
    located: Vec<Located>,
    /// Which part the file says it is, for the fixes ("export it again with -Part Cloud").
    pub part_flag: &'static str,
    pub diagnostics: Vec<Diagnostic>,
}

impl Reader {
    pub fn new(located: Vec<Located>) -> Reader {
        Reader {
            located,
            part_flag: "OnPremises|Cloud",
            diagnostics: Vec::new(),
        }
    }

    fn span_of(&self, path: &FieldPath) -> Option<Span> {
        let mut wanted = path.to_string();
        loop {
            if let Some(found) = self.located.iter().find(|l| l.path == wanted) {
                return Some(found.value);
            }
            let cut = wanted.rfind(['.', '['])?;
            wanted.truncate(cut);
        }
    }

    /// A finding at `path` (shown at its value, or at the nearest enclosing value that the text
    /// has).
    pub fn report(
        &mut self,
        code: &'static str,
        severity: Severity,
        path: &FieldPath,
        message: String,
        help: String,
    ) {
        let mut diagnostic =
            Diagnostic::new(code, severity, message, help).at_field(path.to_string());
        if let Some(span) = self.span_of(path) {
            // A scalar is shown whole; an object or a list at its first character.
            diagnostic = diagnostic.at_span(span);
        }
        self.diagnostics.push(diagnostic);
    }

    pub fn error(&mut self, path: &FieldPath, message: String) {
        let help = format!(
            "export the state again with this bundle's Export-State.ps1 -Part {} (it writes this field as xprem's README describes it), rather than editing the file by hand.",
            self.part_flag
        );
        self.report("state-field", Severity::Error, path, message, help);
    }

    fn truncated(&mut self, path: &FieldPath, found: &str) {
        let mut shown: String = found.chars().take(60).collect();
        if shown.len() < found.len() {
            shown.push_str("...");
        }
        self.report(
            "state-truncated",
            Severity::Warning,
            path,
            format!(
                "holds \"{shown}\" where the exported value should be: ConvertTo-Json stopped at its -Depth here and wrote the type name instead, so xprem treats it as unknown."
            ),
            format!(
                "export the state again with this bundle's Export-State.ps1 -Part {} (it writes with -Depth 10), or with ConvertTo-Json -Depth 10 if you export it yourself.",
                self.part_flag
            ),
        );
    }

    /// An object, or `None` for null or absent (unknown). A one-member `{"value": {...}}`
    /// wrapper is not expected for objects, so it is not unwrapped.
    pub fn object<'v>(
        &mut self,
        value: Option<&'v Value>,
        path: &FieldPath,
    ) -> Option<&'v Map<String, Value>> {
        match value? {
            Value::Null => None,
            Value::Object(map) => Some(map),
            Value::String(s) if looks_like_type_name(s) => {
                self.truncated(path, s);
                None
            }
            other => {
                self.error(
                    path,
                    format!("is {}, where an object is expected.", kind(other)),
                );
                None
            }
        }
    }

    /// A list of objects: an array, a lone object (a one-item array as Windows PowerShell writes
    /// it), or the `{"value": [...], "Count": n}` wrapper. Each item with its path.
    pub fn objects<'v>(
        &mut self,
        value: Option<&'v Value>,
        path: &FieldPath,
    ) -> Option<Vec<(FieldPath, &'v Map<String, Value>)>> {
        let items = self.items(value, path, true)?;
        let mut out = Vec::new();
        for (item_path, item) in items {
            if let Some(map) = self.object(Some(item), &item_path) {
                out.push((item_path, map));
            } else if item.is_null() {
                self.error(
                    &item_path,
                    "is null, where an object is expected.".to_owned(),
                );
            }
        }
        Some(out)
    }

    /// A list of strings; a lone string is a one-item list, unless it holds spaces: then it is
    /// a list that ConvertTo-Json joined at its depth (the names here never hold spaces).
    pub fn strings(&mut self, value: Option<&Value>, path: &FieldPath) -> Option<Vec<String>> {
        if let Some(Value::String(s)) = value
            && s.trim().contains(char::is_whitespace)
        {
            self.truncated(path, s);
            return None;
        }
        self.strings_keeping_spaces(value, path)
    }

    /// A list of strings that may hold spaces (messages): a lone string is one item.
    pub fn strings_keeping_spaces(
        &mut self,
        value: Option<&Value>,
        path: &FieldPath,
    ) -> Option<Vec<String>> {
        let items = self.items(value, path, false)?;
        let mut out = Vec::new();
        for (item_path, item) in items {
            if let Some(text) = self.text(Some(item), &item_path) {
                out.push(text);
            }
        }
        Some(out)
    }

    fn items<'v>(
        &mut self,
        value: Option<&'v Value>,
        path: &FieldPath,
        objects: bool,
    ) -> Option<Vec<(FieldPath, &'v Value)>> {
        match value? {
            Value::Null => None,
            Value::Array(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (path.index(i), v))
                    .collect(),
            ),
            Value::Object(map) if is_array_wrapper(map) => {
                let inner = path.field("value");
                match map.get("value") {
                    Some(Value::Array(items)) => Some(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, v)| (inner.index(i), v))
                            .collect(),
                    ),
                    _ => None,
                }
            }
            Value::String(s) if objects && looks_like_type_name(s) => {
                self.truncated(path, s);
                None
            }
            // One item, written without its array.
            one => Some(vec![(path.clone(), one)]),
        }
    }

    /// Text; numbers and booleans are taken as their text. `None` for null or absent.
    pub fn text(&mut self, value: Option<&Value>, path: &FieldPath) -> Option<String> {
        match value? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_owned()),
            other => {
                self.error(path, format!("is {}, where text is expected.", kind(other)));
                None
            }
        }
    }

    /// Text that must be there: an error at `path` when it is not.
    pub fn required_text(&mut self, value: Option<&Value>, path: &FieldPath) -> Option<String> {
        let text = self.text(value, path).filter(|t| !t.trim().is_empty());
        if text.is_none()
            && !self
                .diagnostics
                .iter()
                .any(|d| d.field() == path.to_string())
        {
            self.error(
                path,
                "is missing or empty; xprem needs it to know which object this is.".to_owned(),
            );
        }
        text
    }

    /// true/false (also "True"/"False" as text, as a re-saved file may have it).
    pub fn boolean(&mut self, value: Option<&Value>, path: &FieldPath) -> Option<bool> {
        match value? {
            Value::Null => None,
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            other => {
                self.error(
                    path,
                    format!("is {}, where true or false is expected.", kind(other)),
                );
                None
            }
        }
    }

    /// A date: ISO 8601 text, `/Date(ms)/`, or Windows PowerShell's `{"value": ..., "DateTime":
    /// ...}` wrapper around either.
    pub fn date(&mut self, value: Option<&Value>, path: &FieldPath) -> Option<OffsetDateTime> {
        let (text, text_path) = match value? {
            Value::Null => return None,
            Value::String(s) if s.is_empty() => return None,
            Value::String(s) => (s.as_str(), path.clone()),
            Value::Object(map) if map.contains_key("value") => match map.get("value") {
                Some(Value::String(s)) => (s.as_str(), path.field("value")),
                Some(Value::Null) | None => return None,
                Some(other) => {
                    self.error(
                        path,
                        format!(
                            "holds {} in its value, where a date is expected.",
                            kind(other)
                        ),
                    );
                    return None;
                }
            },
            other => {
                self.error(
                    path,
                    format!("is {}, where a date is expected.", kind(other)),
                );
                return None;
            }
        };
        match dates::parse(text) {
            Ok(read) => {
                if read.assumed_utc {
                    self.report(
                        "state-date",
                        Severity::Warning,
                        &text_path,
                        format!("\"{text}\" names no time zone; xprem reads it as UTC."),
                        "export the state again with this bundle's Export-State.ps1, which writes every date in UTC with a Z.".to_owned(),
                    );
                }
                Some(read.at)
            }
            Err(reason) => {
                self.error(&text_path, format!("{reason}."));
                None
            }
        }
    }
}

/// `{"value": [...], "Count": n}`: how Windows PowerShell 3.0 to 5.1 write an array that carries
/// extra type data (the `Count` alias property of System.Array in their type files).
fn is_array_wrapper(map: &Map<String, Value>) -> bool {
    map.len() == 2
        && matches!(map.get("value"), Some(Value::Array(_)))
        && map.keys().any(|k| k.eq_ignore_ascii_case("count"))
}

/// What `ConvertTo-Json` writes for an object beyond its `-Depth`: its `ToString()`, which is a
/// .NET type name (`System.Collections.Hashtable`, `System.Object[]`), several joined by spaces,
/// or PowerShell's `@{name=value; ...}` form of a PSCustomObject.
fn looks_like_type_name(s: &str) -> bool {
    let s = s.trim();
    if s.starts_with("@{") && s.ends_with('}') {
        return true;
    }
    !s.is_empty()
        && s.split(' ').all(|word| {
            let word = word.trim_end_matches("[]");
            let parts: Vec<&str> = word.split('.').collect();
            parts.len() >= 2
                && parts[0]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_uppercase())
                && parts.iter().all(|p| {
                    !p.is_empty()
                        && p.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '`' || c == '+')
                })
        })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_recognised_and_names_are_not() {
        for s in [
            "System.Collections.Hashtable",
            "System.Collections.Specialized.OrderedDictionary",
            "System.Object[]",
            "System.Collections.Hashtable System.Collections.Hashtable",
            "@{key_id=1; type=AsymmetricX509Cert}",
        ] {
            assert!(looks_like_type_name(s), "{s}");
        }
        for s in ["lyncweb.fabrikam.com", "microsoft.sts", "Full", "", "1.2"] {
            assert!(!looks_like_type_name(s), "{s}");
        }
    }

    #[test]
    fn one_item_arrays_wrappers_and_truncation() {
        let mut reader = Reader::new(Vec::new());
        let path = FieldPath::root().field("x");
        let one = serde_json::json!({"a": 1});
        assert_eq!(reader.objects(Some(&one), &path).unwrap().len(), 1);
        let wrapped = serde_json::json!({"value": [{"a": 1}, {"a": 2}], "Count": 2});
        assert_eq!(reader.objects(Some(&wrapped), &path).unwrap().len(), 2);
        let lone = serde_json::json!("Fabrikam.com");
        assert_eq!(
            reader.strings(Some(&lone), &path).unwrap(),
            ["Fabrikam.com"]
        );
        assert!(reader.diagnostics.is_empty());
        let joined = serde_json::json!("a.example.com b.example.com");
        assert_eq!(reader.strings(Some(&joined), &path), None);
        let cut = serde_json::json!("System.Collections.Hashtable");
        assert_eq!(reader.objects(Some(&cut), &path), None);
        assert_eq!(reader.diagnostics.len(), 2);
        assert!(
            reader
                .diagnostics
                .iter()
                .all(|d| d.code == "state-truncated")
        );
        let date = serde_json::json!({"value": "/Date(1767225600000)/", "DateTime": "Thursday, 1 January 2026 00:00:00"});
        assert_eq!(
            reader.date(Some(&date), &path),
            Some(time::macros::datetime!(2026-01-01 0:00 UTC))
        );
        let wrong = serde_json::json!(12);
        assert_eq!(reader.object(Some(&wrong), &path), None);
        assert_eq!(reader.diagnostics.last().unwrap().severity, Severity::Error);
    }
}
