//! Where each field of a JSON config is in its text: the byte offset of every key and array item,
//! by field path. serde_json keeps no positions and lets a repeated key silently win, so the text
//! is scanned once more after it parsed: that finds repeated keys (an error, with both places) and
//! gives every problem a line and column as well as its field path.

use super::path::FieldPath;

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
pub fn json_locations(text: &str) -> Result<Vec<(String, usize)>, Duplicate> {
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
    out: Vec<(String, usize)>,
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
                    self.out.push((child.to_string(), start));
                    self.skip_space();
                    if self.bytes.get(self.pos) == Some(&b':') {
                        self.pos += 1;
                    }
                    self.value(&child)?;
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
                    self.out.push((child.to_string(), self.pos));
                    self.value(&child)?;
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
        let paths: Vec<_> = found.iter().map(|(p, _)| p.as_str()).collect();
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
        assert_eq!(&text[found[1].1..found[1].1 + 6], "\"name\"");
        assert_eq!(&text[found[5].1..found[5].1 + 3], "\"y\"");
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
