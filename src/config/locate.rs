//! Where each field of a JSON config is in its text: the byte offset of every key and array item,
//! by field path. serde_json keeps no positions and lets a repeated key silently win, so the text
//! is scanned once more after it parsed: that finds repeated keys (an error, with both places) and
//! gives every problem a line and column as well as its field path.

use super::path::FieldPath;
use crate::diagnostic::{Diagnostic, Span};

/// Where a field is in the text: its key (for object members) and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub path: String,
    pub key: Option<Span>,
    pub value: Span,
}

impl Located {
    /// The span a diagnostic about this field points at: a scalar value itself; the key of a
    /// table or list (whose value spans many lines); an item of a list.
    fn shown(&self, text: &str) -> Span {
        let first = text.as_bytes().get(self.value.start).copied();
        match (first, self.key) {
            (Some(b'{' | b'['), Some(key)) => key,
            (Some(b'{' | b'['), None) => Span::new(self.value.start, self.value.start + 1),
            _ => self.value,
        }
    }
}

/// Gives each diagnostic about a config field the span of that field in `text`, or of its
/// nearest enclosing field that the text has (a missing field is shown at its table).
pub fn attach_spans(diagnostics: &mut [Diagnostic], located: &[Located], text: &str) {
    for d in diagnostics.iter_mut() {
        if d.location.span.is_some() {
            continue;
        }
        let Some(mut field) = d.location.field.clone() else {
            continue;
        };
        loop {
            if let Some(found) = located.iter().find(|l| l.path == field) {
                d.location.span = Some(found.shown(text));
                break;
            }
            match field.rfind(['.', '[']) {
                Some(cut) => field.truncate(cut),
                None => break,
            }
        }
    }
}

/// Where every key and item of a TOML text is (the text parsed already: `None` if it does not).
pub fn toml_locations(text: &str) -> Option<Vec<Located>> {
    use toml::de::{DeTable, DeValue};
    fn walk(value: &toml::Spanned<DeValue<'_>>, path: &FieldPath, out: &mut Vec<Located>) {
        match value.get_ref() {
            DeValue::Table(table) => {
                for (key, item) in table.iter() {
                    let child = path.field(key.get_ref());
                    let key_span = key.span();
                    out.push(Located {
                        path: child.to_string(),
                        key: Some(Span::new(key_span.start, key_span.end)),
                        value: Span::new(item.span().start, item.span().end),
                    });
                    walk(item, &child, out);
                }
            }
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let child = path.index(i);
                    out.push(Located {
                        path: child.to_string(),
                        key: None,
                        value: Span::new(item.span().start, item.span().end),
                    });
                    walk(item, &child, out);
                }
            }
            _ => {}
        }
    }
    let root = DeTable::parse(text).ok()?;
    let span = root.span();
    let root = toml::Spanned::new(span, DeValue::Table(root.into_inner()));
    let mut out = Vec::new();
    walk(&root, &FieldPath::root(), &mut out);
    Some(out)
}

/// A key given twice in one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub path: String,
    /// Byte offsets of the two keys, the first one first.
    pub first: usize,
    pub second: usize,
}

/// The byte offset of every key (at the key's opening quote) and array item of a JSON text that
/// serde_json accepted, as (field path, offset), in document order; or the first repeated key.
pub fn json_locations(text: &str) -> Result<Vec<Located>, Duplicate> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
        out: Vec::new(),
    };
    scanner.value(&FieldPath::root())?;
    Ok(scanner.out)
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    out: Vec<Located>,
}

impl Scanner<'_> {
    fn skip_space(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            self.pos += 1;
        }
        // A BOM is not JSON, but the config reader strips it before parsing; tolerate it here too.
        if self.bytes[self.pos..].starts_with("\u{feff}".as_bytes()) {
            self.pos += 3;
            self.skip_space();
        }
    }

    /// Iterative where it matters: objects and arrays recurse, but a config is shallow, and the
    /// reader refuses files over 1 MiB (serde_json itself stops at 128 levels).
    fn value(&mut self, path: &FieldPath) -> Result<(), Duplicate> {
        self.skip_space();
        match self.bytes.get(self.pos) {
            Some(b'{') => {
                self.pos += 1;
                let mut keys: Vec<(String, usize)> = Vec::new();
                loop {
                    self.skip_space();
                    match self.bytes.get(self.pos) {
                        Some(b'}') | None => {
                            self.pos += 1;
                            return Ok(());
                        }
                        Some(b',') => {
                            self.pos += 1;
                            continue;
                        }
                        _ => {}
                    }
                    let start = self.pos;
                    let key = self.string();
                    let child = path.field(&key);
                    if let Some((_, first)) = keys.iter().find(|(k, _)| *k == key) {
                        return Err(Duplicate {
                            path: child.to_string(),
                            first: *first,
                            second: start,
                        });
                    }
                    keys.push((key, start));
                    let key_span = Span::new(start, self.pos);
                    let at = self.out.len();
                    self.out.push(Located {
                        path: child.to_string(),
                        key: Some(key_span),
                        value: key_span,
                    });
                    self.skip_space();
                    if self.bytes.get(self.pos) == Some(&b':') {
                        self.pos += 1;
                    }
                    self.skip_space();
                    let value_start = self.pos;
                    self.value(&child)?;
                    self.out[at].value = Span::new(value_start, self.pos.min(self.bytes.len()));
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let mut index = 0;
                loop {
                    self.skip_space();
                    match self.bytes.get(self.pos) {
                        Some(b']') | None => {
                            self.pos += 1;
                            return Ok(());
                        }
                        Some(b',') => {
                            self.pos += 1;
                            continue;
                        }
                        _ => {}
                    }
                    let child = path.index(index);
                    let at = self.out.len();
                    let value_start = self.pos;
                    self.out.push(Located {
                        path: child.to_string(),
                        key: None,
                        value: Span::new(value_start, value_start),
                    });
                    self.value(&child)?;
                    self.out[at].value = Span::new(value_start, self.pos.min(self.bytes.len()));
                    index += 1;
                }
            }
            Some(b'"') => {
                self.string();
                Ok(())
            }
            _ => {
                // A number, true, false or null.
                while self.bytes.get(self.pos).is_some_and(|b| {
                    !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                }) {
                    self.pos += 1;
                }
                Ok(())
            }
        }
    }

    /// Reads a string at `pos` (its opening quote) and returns its value.
    fn string(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    break;
                }
                _ => self.pos += 1,
            }
        }
        let raw = &self.bytes[start..self.pos.min(self.bytes.len())];
        serde_json::from_slice::<String>(raw)
            .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_items_are_located() {
        let text = "{\n  \"tenant\": { \"name\": \"a\\\"b\" },\n  \"on_premises\": { \"web_services_fqdns\": [\"x\", \"y\"] }\n}";
        let found = json_locations(text).unwrap();
        let paths: Vec<_> = found.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "tenant",
                "tenant.name",
                "on_premises",
                "on_premises.web_services_fqdns",
                "on_premises.web_services_fqdns[0]",
                "on_premises.web_services_fqdns[1]"
            ]
        );
        let key = found[1].key.unwrap();
        assert_eq!(&text[key.start..key.end], "\"name\"");
        assert_eq!(
            &text[found[1].value.start..found[1].value.end],
            "\"a\\\"b\""
        );
        assert_eq!(&text[found[5].value.start..found[5].value.end], "\"y\"");
        // A table is shown at its key, a scalar at its value.
        assert_eq!(found[2].shown(text), found[2].key.unwrap());
        assert_eq!(found[5].shown(text), found[5].value);
    }

    #[test]
    fn toml_keys_and_items_are_located_and_diagnostics_get_their_span() {
        let text = "[tenant]\nname = \"x\"\n\n[on_premises]\nweb_services_fqdns = [\"a\", \"b\"]\n";
        let found = toml_locations(text).unwrap();
        let item = found
            .iter()
            .find(|l| l.path == "on_premises.web_services_fqdns[1]")
            .unwrap();
        assert_eq!(&text[item.value.start..item.value.end], "\"b\"");
        let mut ds = vec![
            Diagnostic::error("t", "tenant.name", "m", ""),
            Diagnostic::error("t", "tenant.id", "missing", ""),
            Diagnostic::error("t", "(top level)", "m", ""),
        ];
        attach_spans(&mut ds, &found, text);
        let shown = |d: &Diagnostic| d.location.span.map(|s| &text[s.start..s.end]);
        assert_eq!(shown(&ds[0]), Some("\"x\""));
        // A missing field is shown at its table.
        assert_eq!(shown(&ds[1]), Some("tenant"));
        assert_eq!(shown(&ds[2]), None);
    }

    #[test]
    fn a_repeated_key_is_found_with_both_places() {
        let text = r#"{"tenant": {"id": "a", "name": "n", "id": "b"}}"#;
        let dup = json_locations(text).unwrap_err();
        assert_eq!(dup.path, "tenant.id");
        assert_eq!(&text[dup.first..dup.first + 4], "\"id\"");
        assert!(dup.second > dup.first);
        // The same key in different objects is fine; an escaped spelling of it is the same key.
        assert!(json_locations(r#"{"a": {"id": 1}, "b": {"id": 2}}"#).is_ok());
        assert!(json_locations(r#"{"id": 1, "\u0069d": 2}"#).is_err());
    }
}
