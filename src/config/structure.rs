//! The structural check: unknown fields, missing fields, wrong types and values outside an enum,
//! every one of them reported with its field path.
//!
//! It walks the config against the published JSON Schema (generated from the typed model), so the
//! schema editors use and the check xprem runs cannot drift apart. It understands the subset of
//! JSON Schema that schemars generates for the model: `$ref`, `type`, `properties`, `required`,
//! `additionalProperties: false`, `items`, `enum` and `oneOf` of `const`s. Formats, patterns and
//! lengths are checked by `validate`, which can say what is wrong in the admin's terms.

use serde_json::{Map, Value};

use super::path::FieldPath;
use crate::diagnostic::Diagnostic;

pub fn check(value: &Value, schema: &Value) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    Walker {
        root: schema,
        problems: &mut problems,
    }
    .walk(value, schema, &FieldPath::root());
    problems
}

struct Walker<'a> {
    root: &'a Value,
    problems: &'a mut Vec<Diagnostic>,
}

impl<'a> Walker<'a> {
    fn walk(&mut self, value: &Value, schema: &'a Value, path: &FieldPath) {
        let schema = self.resolve_static(schema);

        if let Some(allowed) = allowed_values(schema) {
            if !allowed.contains(&value) {
                let list = allowed
                    .iter()
                    .map(|a| a.as_str().map_or_else(|| a.to_string(), str::to_owned))
                    .collect::<Vec<_>>();
                let found = describe(value);
                self.problems.push(Diagnostic::error(
                    "config-not-allowed",
                    path.to_string(),
                    format!("{found} is not an allowed value."),
                    format!("use one of: {}.", list.join(", ")),
                ));
            }
            return;
        }

        if let Some(expected) = schema.get("type") {
            let types: Vec<&str> = match expected {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !types.is_empty() && !types.iter().any(|t| type_matches(t, value)) {
                let wanted: Vec<&str> = types
                    .iter()
                    .filter(|t| **t != "null")
                    .map(|t| type_noun(t))
                    .collect();
                self.problems.push(Diagnostic::error(
                    "config-type",
                    path.to_string(),
                    format!(
                        "expected {}, found {}.",
                        wanted.join(" or "),
                        describe(value)
                    ),
                    fix_for_type(&wanted, value),
                ));
                return;
            }
        }

        match value {
            Value::Object(map) => self.walk_object(map, schema, path),
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.walk(item, item_schema, &path.index(i));
                    }
                }
            }
            _ => {}
        }
    }

    fn resolve_static(&self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        for _ in 0..8 {
            match schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.root.pointer(r.trim_start_matches('#')))
            {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    fn walk_object(&mut self, map: &Map<String, Value>, schema: &'a Value, path: &FieldPath) {
        static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
        let properties: &'a Map<String, Value> = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));

        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(name) {
                    let field = path.field(name);
                    let hint = properties
                        .get(name)
                        .and_then(|p| {
                            self.resolve_static(p)
                                .get("description")
                                .or_else(|| p.get("description"))
                        })
                        .and_then(Value::as_str)
                        .map(first_sentence)
                        .unwrap_or_default();
                    self.problems.push(Diagnostic::error(
                        "config-missing-field",
                        field.to_string(),
                        format!(
                            "this required field is missing.{}",
                            if hint.is_empty() {
                                String::new()
                            } else {
                                format!(" It is {hint}")
                            }
                        ),
                        format!("add `{name}` to {}.", path.describe_container()),
                    ));
                }
            }
        }

        for (key, item) in map {
            match properties.get(key) {
                Some(item_schema) => self.walk(item, item_schema, &path.field(key)),
                None if closed => {
                    let known: Vec<&str> = properties.keys().map(String::as_str).collect();
                    let fix = match suggest(key, &known) {
                        Some(s) => format!(
                            "did you mean `{s}`? Fields allowed here: {}.",
                            known.join(", ")
                        ),
                        None => format!("remove it. Fields allowed here: {}.", known.join(", ")),
                    };
                    self.problems.push(Diagnostic::error(
                        "config-unknown-field",
                        path.field(key).to_string(),
                        "unknown field.",
                        fix,
                    ));
                }
                None => {}
            }
        }
    }
}

/// The values an enum schema allows (`enum`, or `oneOf` whose branches are all `const`).
fn allowed_values(schema: &Value) -> Option<Vec<&Value>> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return Some(values.iter().collect());
    }
    let branches = schema.get("oneOf")?.as_array()?;
    branches.iter().map(|b| b.get("const")).collect()
}

fn type_matches(t: &str, value: &Value) -> bool {
    match t {
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    }
}

fn type_noun(t: &str) -> &'static str {
    match t {
        "string" => "a string",
        "boolean" => "true or false",
        "integer" => "a whole number",
        "number" => "a number",
        "array" => "a list",
        "object" => "a table of fields",
        _ => "another type",
    }
}

/// How a value appears in a message: its kind, and the value itself when it is short.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() <= 60 => {
            format!("the string {}", Value::String(s.clone()))
        }
        Value::String(_) => "a long string".to_owned(),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a table of fields".to_owned(),
    }
}

fn fix_for_type(wanted: &[&str], found: &Value) -> String {
    match (wanted, found) {
        (["a list"], Value::String(s)) => {
            format!("write it as a list: [{}].", Value::String(s.clone()))
        }
        (["a string"], Value::Number(n)) => format!("put the value in quotes: \"{n}\"."),
        _ => format!("give {} here.", wanted.join(" or ")),
    }
}

fn first_sentence(description: &str) -> String {
    let sentence = description
        .split(". ")
        .next()
        .unwrap_or(description)
        .trim_end_matches('.');
    let mut chars = sentence.chars();
    match chars.next() {
        Some(c) => format!("{}{}.", c.to_lowercase(), chars.as_str()),
        None => String::new(),
    }
}

/// The closest known field name, if one is close enough to be what the admin meant.
fn suggest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let normalized = |s: &str| s.to_ascii_lowercase().replace(['-', ' '], "_");
    let key_n = normalized(key);
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&key_n, &normalized(k)), *k))
        .filter(|(distance, k)| *distance <= 2.max(k.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        serde_json::to_value(crate::config::schema()).unwrap()
    }

    fn places(problems: &[Diagnostic]) -> Vec<&str> {
        problems.iter().map(|p| p.field()).collect()
    }

    #[test]
    fn a_minimal_config_passes() {
        let config = json!({
            "tenant": {"name": "Fabrikam.com"},
            "on_premises": {"web_services_fqdns": ["lyncweb.fabrikam.com"]},
            "certificate": {"path": "oauth.cer"}
        });
        assert_eq!(check(&config, &schema()), vec![]);
    }

    #[test]
    fn reports_every_structural_problem_with_its_path() {
        let config = json!({
            "tenant": {"nmae": "Fabrikam.com", "id": 42},
            "cloud": "mars",
            "on_premises": {"web_services_fqdns": "lyncweb.fabrikam.com", "trust_level": "full"},
            "certificate": {"path": ["a"]},
            "extra": true
        });
        let problems = check(&config, &schema());
        assert_eq!(
            places(&problems),
            vec![
                "tenant.name",
                "tenant.nmae",
                "tenant.id",
                "cloud",
                "on_premises.web_services_fqdns",
                "on_premises.trust_level",
                "certificate.path",
                "extra"
            ]
        );
        let by_place = |p: &str| problems.iter().find(|x| x.field() == p).unwrap();
        assert!(by_place("tenant.nmae").help.contains("did you mean `name`"));
        assert!(
            by_place("cloud")
                .help
                .contains("worldwide, gcc-high, dod, china")
        );
        assert!(
            by_place("on_premises.web_services_fqdns")
                .help
                .contains("[\"lyncweb.fabrikam.com\"]")
        );
        assert!(
            by_place("tenant.id")
                .message
                .contains("expected a string, found the number 42")
        );
    }

    #[test]
    fn list_items_are_checked_with_their_index() {
        let config = json!({
            "tenant": {"name": "x"},
            "on_premises": {"web_services_fqdns": ["a.example.com", 7]},
            "certificate": {"path": "c.cer"}
        });
        assert_eq!(
            places(&check(&config, &schema())),
            vec!["on_premises.web_services_fqdns[1]"]
        );
    }

    #[test]
    fn null_is_accepted_for_optional_fields() {
        let config = json!({
            "tenant": {"name": "x", "id": null},
            "on_premises": {"web_services_fqdns": ["a.example.com"]},
            "certificate": {"path": "c.cer"}
        });
        assert_eq!(check(&config, &schema()), vec![]);
    }
}
