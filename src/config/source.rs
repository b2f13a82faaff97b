//! Reading a config file into a JSON value: format by extension, text decoding, syntax errors with
//! line:column. Nothing here knows the config's fields.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::ConfigError;

/// Config files larger than this are refused: a real one is a few hundred bytes, and a huge file
/// is almost certainly the wrong file.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Toml,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Toml => "TOML",
        }
    }

    /// The format a file name asks for, from its extension (case-insensitive).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "toml" => Some(Format::Toml),
            _ => None,
        }
    }
}

/// A config file read from disk, decoded but not yet interpreted.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub format: Format,
    pub text: String,
    /// SHA-256 of the file's bytes as read, lowercase hex: the scripts name it in their header.
    pub sha256: String,
}

impl Source {
    pub fn read(path: &Path) -> Result<Source, ConfigError> {
        let format = Format::from_path(path).ok_or_else(|| ConfigError::UnknownFormat {
            path: path.to_path_buf(),
        })?;
        let read_error = |source: io::Error| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        };
        let meta = fs::metadata(path).map_err(read_error)?;
        if meta.is_dir() {
            return Err(ConfigError::IsDirectory {
                path: path.to_path_buf(),
            });
        }
        if meta.len() > MAX_CONFIG_BYTES {
            return Err(ConfigError::TooLarge {
                path: path.to_path_buf(),
                bytes: meta.len(),
            });
        }
        let bytes = fs::read(path).map_err(read_error)?;
        let text = decode(&bytes).map_err(|detail| ConfigError::Encoding {
            path: path.to_path_buf(),
            detail,
        })?;
        Ok(Source {
            path: path.to_path_buf(),
            format,
            text,
            sha256: hex::encode(Sha256::digest(&bytes)),
        })
    }

    /// Parses the text into a JSON value (TOML is converted), or reports the syntax error with its
    /// line and column.
    pub fn parse(&self) -> Result<Value, ConfigError> {
        if self.text.trim().is_empty() {
            return Err(ConfigError::Empty {
                path: self.path.clone(),
            });
        }
        match self.format {
            Format::Json => {
                let value = serde_json::from_str(&self.text).map_err(|err| {
                    let full = err.to_string();
                    // serde_json appends " at line L column C"; the position is reported our way.
                    let message = full
                        .rsplit_once(" at line ")
                        .map_or(full.as_str(), |(m, _)| m)
                        .to_owned();
                    self.syntax_error(err.line(), err.column().max(1), message)
                })?;
                // serde_json lets a repeated key silently win; a config must say one thing.
                if let Err(dup) = super::locate::json_locations(&self.text) {
                    let key = dup
                        .path
                        .rsplit(['.', '['])
                        .next()
                        .unwrap_or(&dup.path)
                        .trim_end_matches(']')
                        .trim_matches('"')
                        .to_owned();
                    return Err(ConfigError::DuplicateKey {
                        path: self.path.clone(),
                        text: self.text.clone(),
                        offset: dup.second,
                        first: dup.first,
                        field: dup.path,
                        key,
                    });
                }
                Ok(value)
            }
            Format::Toml => {
                let table: toml::Table = toml::from_str(&self.text).map_err(|err| {
                    let (line, column) = err
                        .span()
                        .map_or((1, 1), |span| line_col(&self.text, span.start));
                    self.syntax_error(line, column, err.message().trim().to_owned())
                })?;
                Ok(toml_to_json(toml::Value::Table(table)))
            }
        }
    }

    fn syntax_error(&self, line: usize, column: usize, message: String) -> ConfigError {
        ConfigError::Syntax {
            path: self.path.clone(),
            text: self.text.clone(),
            offset: offset_of(&self.text, line, column),
            format: self.format,
            line,
            column,
            message,
        }
    }
}

/// Decodes config bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM, which is what Windows
/// PowerShell's `Out-File` and `Set-Content -Encoding Unicode` write.
fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(format!(
                "it starts with a {} byte order mark but is not valid {}",
                encoding.name(),
                encoding.name()
            ));
        }
        return Ok(text.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(err) => Err(format!("byte {} is not valid UTF-8", err.valid_up_to() + 1)),
    }
}

/// `line:column` of a byte offset.
pub fn position(text: &str, offset: usize) -> String {
    let (line, column) = line_col(text, offset);
    format!("{line}:{column}")
}

/// The byte offset of a 1-based line and column (in characters); clamped to the text.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    text[start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// TOML values as JSON values, so one checker serves both formats. TOML dates and times become
/// their RFC 3339 text, which is what the JSON form of the same field holds.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f)
            .map_or_else(|| Value::String(f.to_string()), Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(dt) => Value::String(dt.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(offset_of("ab\ncé d", 2, 4), 7);
        assert_eq!(offset_of("ab", 1, 1), 0);
        assert_eq!(offset_of("ab", 9, 9), 2);
        assert_eq!(line_col("x", 0), (1, 1));
    }

    #[test]
    fn decodes_utf8_bom_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBF{}").unwrap(), "{}");
        assert_eq!(decode(b"\xFF\xFE{\0}\0").unwrap(), "{}");
        assert!(decode(b"\xFFabc").unwrap_err().contains("byte 1"));
    }

    #[test]
    fn toml_dates_become_text() {
        let table: toml::Table =
            toml::from_str("d = 2026-01-01\nt = 2026-01-01T08:00:00Z").unwrap();
        let json = toml_to_json(toml::Value::Table(table));
        assert_eq!(json["d"], "2026-01-01");
        assert_eq!(json["t"], "2026-01-01T08:00:00Z");
    }
}
