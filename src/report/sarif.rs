//! SARIF 2.1.0 (OASIS), the log format code-scanning services read. Only the subset xprem fills
//! is modelled. Columns count Unicode code points (`columnKind`), as the other forms do; a
//! config finding without a place in the text carries its field path as a logical location.

use std::collections::BTreeMap;

use serde::Serialize;

use super::FileReport;
use crate::diagnostic::{Diagnostic, Severity};
use crate::powershell::LineIndex;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    short_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Help>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    /// Stable across edits elsewhere in the file (the finding's code, line text and
    /// occurrence), so code scanning keeps tracking one alert as lines move.
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: DeletedRegion,
    inserted_content: InsertedContent,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeletedRegion {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    /// In the file as stored (its BOM and encoding counted), consistent with the lines and
    /// columns.
    byte_offset: usize,
    byte_length: usize,
}

#[derive(Serialize)]
struct InsertedContent {
    text: String,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(files: &[FileReport<'_>], describe: super::Describe<'_>) -> String {
    // One rule per code, in code order, each at the severity it was first seen with.
    let mut rules: BTreeMap<&str, &Diagnostic> = BTreeMap::new();
    for d in files.iter().flat_map(|f| f.diagnostics) {
        rules.entry(d.code).or_insert(d);
    }
    let rule_index: BTreeMap<&str, usize> = rules
        .keys()
        .enumerate()
        .map(|(i, code)| (*code, i))
        .collect();
    let mut results = Vec::new();
    let cwd = std::env::current_dir().ok();
    for file in files {
        let shown = match &cwd {
            Some(cwd) if file.path.is_absolute() => {
                file.path.strip_prefix(cwd).unwrap_or(file.path)
            }
            _ => file.path,
        };
        let uri = uri(&shown.to_string_lossy());
        let mut seen: BTreeMap<(String, &str), usize> = BTreeMap::new();
        let source = file.text.unwrap_or("");
        let index = LineIndex::new(source);
        for (d, region) in file.diagnostics.iter().zip(file.regions()) {
            let line_text = match (file.text, region) {
                (Some(_), Some(r)) => index.line(source, r.line).trim(),
                _ => d.location.field.as_deref().unwrap_or(""),
            };
            let key = (
                line_text.split_whitespace().collect::<Vec<_>>().join(" "),
                d.code,
            );
            let occurrence = seen.entry(key.clone()).or_insert(0);
            *occurrence += 1;
            let hash = {
                use sha2::{Digest, Sha256};
                let digest = Sha256::digest(format!("{}\0{}", key.1, key.0).as_bytes());
                hex::encode(&digest[..8])
            };
            let fingerprints =
                BTreeMap::from([("primaryLocationLineHash", format!("{hash}:{occurrence}"))]);
            let mut text = match &d.location.field {
                Some(field) => format!("{field}: {}", d.message),
                None => d.message.clone(),
            };
            if !d.help.is_empty() {
                text.push_str(" Fix: ");
                text.push_str(&d.help);
            }
            results.push(SarifResult {
                rule_id: d.code.to_owned(),
                rule_index: rule_index[d.code],
                level: level(d.severity),
                message: Text { text },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: uri.clone() },
                        region: region.map(|r| Region {
                            start_line: r.line,
                            start_column: r.column,
                            end_line: r.end_line,
                            end_column: r.end_column,
                        }),
                    },
                    logical_locations: d
                        .location
                        .field
                        .iter()
                        .map(|f| LogicalLocation {
                            fully_qualified_name: f.clone(),
                            kind: "member",
                        })
                        .collect(),
                }],
                partial_fingerprints: fingerprints,
                fixes: d
                    .fix
                    .iter()
                    .map(|fix| SarifFix {
                        description: Text {
                            text: fix.description.clone(),
                        },
                        artifact_changes: vec![ArtifactChange {
                            artifact_location: ArtifactLocation { uri: uri.clone() },
                            replacements: fix
                                .edits
                                .iter()
                                .map(|e| {
                                    let (start_line, start_column) =
                                        index.line_col(source, e.span.start);
                                    let (end_line, end_column) = index.line_col(source, e.span.end);
                                    let start = file.stored_offset(e.span.start);
                                    Replacement {
                                        deleted_region: DeletedRegion {
                                            start_line,
                                            start_column,
                                            end_line,
                                            end_column,
                                            byte_offset: start,
                                            byte_length: file.stored_offset(e.span.end) - start,
                                        },
                                        inserted_content: InsertedContent {
                                            text: e.replacement.clone(),
                                        },
                                    }
                                })
                                .collect(),
                        }],
                    })
                    .collect(),
            });
        }
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "xprem",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://github.com/xprem/xprem",
                    rules: rules
                        .iter()
                        .map(|(code, d)| {
                            let described = describe(code);
                            Rule {
                                id: code,
                                short_description: Text {
                                    text: described
                                        .map_or((*code).to_owned(), |r| r.short.to_owned()),
                                },
                                full_description: described.map(|r| Text {
                                    text: r.full.to_owned(),
                                }),
                                help: described.map(|r| Help {
                                    text: r.help.to_owned(),
                                    markdown: r.help.to_owned(),
                                }),
                                default_configuration: Configuration {
                                    level: level(d.severity),
                                },
                            }
                        })
                        .collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).expect("SARIF serializes");
    text.push('\n');
    text
}

/// A relative URI reference for a path: forward slashes, and every byte that is not unreserved
/// (RFC 3986) or `/` percent-encoded. An absolute Windows path gets a `file:///` URI.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    let (prefix, rest) = if path.len() > 2 && path.as_bytes()[1] == b':' {
        ("file:///", path.as_str())
    } else if path.starts_with('/') {
        ("file://", path.as_str())
    } else {
        ("", path.as_str())
    };
    out.push_str(prefix);
    for b in rest.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else if b == b':' && prefix == "file:///" && out.len() == prefix.len() + 1 {
            out.push(':');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_become_uri_references() {
        assert_eq!(super::uri("scripts/a b.ps1"), "scripts/a%20b.ps1");
        assert_eq!(super::uri("C:\\x\\y#.ps1"), "file:///C:/x/y%23.ps1");
        assert_eq!(super::uri("/tmp/é.ps1"), "file:///tmp/%C3%A9.ps1");
    }
}
