//! Field paths as admins read them: `tenant.id`, `on_premises.web_services_fqdns[1]`.

use std::fmt;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Field(String),
    Index(usize),
}

impl FieldPath {
    pub fn root() -> Self {
        FieldPath::default()
    }

    pub fn field(&self, name: &str) -> Self {
        let mut path = self.clone();
        path.segments.push(Segment::Field(name.to_owned()));
        path
    }

    pub fn index(&self, i: usize) -> Self {
        let mut path = self.clone();
        path.segments.push(Segment::Index(i));
        path
    }

    /// "the top level of the config" or "`tenant`", for messages that say where to add a field.
    pub fn describe_container(&self) -> String {
        if self.segments.is_empty() {
            "the top level of the config".to_owned()
        } else {
            format!("`{self}`")
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("(top level)");
        }
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Field(name) if is_plain(name) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                // A key that is not a plain identifier is shown quoted, so that a stray space or
                // dot in it is visible.
                Segment::Field(name) => write!(f, "[{}]", serde_json::Value::String(name.clone()))?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

fn is_plain(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// Sorts problems into the order of the file: by the place of their field in `value`, a missing
/// field just after its parent. The sort is stable, so problems at one place keep their order.
pub fn sort_by_document_order(
    problems: &mut [crate::diagnostic::Diagnostic],
    value: &serde_json::Value,
) {
    let mut order = Vec::new();
    let mut stack = vec![(FieldPath::root(), value)];
    // Pre-order walk with an explicit stack; children are pushed in reverse to pop in file order.
    while let Some((path, value)) = stack.pop() {
        order.push(path.to_string());
        match value {
            serde_json::Value::Object(map) => {
                for (key, child) in map.iter().rev() {
                    stack.push((path.field(key), child));
                }
            }
            serde_json::Value::Array(items) => {
                for (i, child) in items.iter().enumerate().rev() {
                    stack.push((path.index(i), child));
                }
            }
            _ => {}
        }
    }
    let rank = |place: &str| -> (usize, bool) {
        if let Some(i) = order.iter().position(|p| p == place) {
            return (i, false);
        }
        // A field that is not in the file: rank it after the closest ancestor that is.
        let parent = place
            .rsplit_once(['.', '['])
            .map_or("(top level)", |(parent, _)| parent);
        let parent = if parent.is_empty() {
            "(top level)"
        } else {
            parent
        };
        (order.iter().position(|p| p == parent).unwrap_or(0), true)
    };
    problems.sort_by_cached_key(|p| rank(p.field()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_fields_indexes_and_odd_keys() {
        let p = FieldPath::root()
            .field("on_premises")
            .field("web_services_fqdns")
            .index(1);
        assert_eq!(p.to_string(), "on_premises.web_services_fqdns[1]");
        assert_eq!(
            FieldPath::root().field("ten ant").to_string(),
            "[\"ten ant\"]"
        );
        assert_eq!(FieldPath::root().to_string(), "(top level)");
    }
}
