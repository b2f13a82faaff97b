//! The JSON form: one document, `{"format_version": 1, "diagnostics": [...], "errors",
//! "warnings", "infos"}`, each diagnostic a [`DiagnosticJson`]. Commands with a document of their
//! own (`validate`, `cert`) embed the same diagnostic objects in it.

use serde::Serialize;

use super::{FileReport, Region};
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::powershell::LineIndex;

/// One diagnostic as JSON. Fields are only ever added to.
#[derive(Debug, Serialize)]
pub struct DiagnosticJson<'a> {
    pub code: &'a str,
    pub severity: Severity,
    pub file: String,
    /// The config field path, for config findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'a str>,
    /// Where in the file (1-based lines; columns count characters), when known.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    pub message: &'a str,
    /// What to do, in words ("" when there is nothing to add).
    pub help: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixJson<'a>>,
}

#[derive(Debug, Serialize)]
pub struct FixJson<'a> {
    pub applicability: Applicability,
    pub description: &'a str,
    pub edits: Vec<EditJson<'a>>,
}

#[derive(Debug, Serialize)]
pub struct EditJson<'a> {
    /// Byte offsets in the file as stored: its byte order mark and encoding (UTF-16,
    /// Windows-1252) counted, so that the edit applies to the file's bytes. The region gives the
    /// same place as lines and columns.
    pub start: usize,
    pub end: usize,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    pub replacement: &'a str,
}

impl<'a> DiagnosticJson<'a> {
    pub fn of_file(file: &FileReport<'a>) -> Vec<DiagnosticJson<'a>> {
        let index = file.text.map(LineIndex::new);
        file.diagnostics
            .iter()
            .zip(file.regions())
            .map(|(d, region)| DiagnosticJson::new(file, index.as_ref(), d, region))
            .collect()
    }

    fn new(
        file: &FileReport<'a>,
        index: Option<&LineIndex>,
        d: &'a Diagnostic,
        region: Option<Region>,
    ) -> DiagnosticJson<'a> {
        DiagnosticJson {
            code: d.code,
            severity: d.severity,
            file: file.shown_path(),
            field: d.location.field.as_deref(),
            region,
            message: &d.message,
            help: &d.help,
            fix: d.fix.as_ref().map(|fix| FixJson {
                applicability: fix.applicability,
                description: &fix.description,
                edits: fix
                    .edits
                    .iter()
                    .map(|e| EditJson {
                        start: file.stored_offset(e.span.start),
                        end: file.stored_offset(e.span.end),
                        region: file.text.zip(index).map(|(text, index)| {
                            let (line, column) = index.line_col(text, e.span.start);
                            let (end_line, end_column) = index.line_col(text, e.span.end);
                            Region {
                                line,
                                column,
                                end_line,
                                end_column,
                            }
                        }),
                        replacement: &e.replacement,
                    })
                    .collect(),
            }),
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    format_version: u32,
    diagnostics: Vec<DiagnosticJson<'a>>,
    errors: usize,
    warnings: usize,
    infos: usize,
}

pub fn render(files: &[FileReport<'_>]) -> String {
    let counts = super::counts(files);
    let document = Document {
        format_version: 1,
        diagnostics: files.iter().flat_map(DiagnosticJson::of_file).collect(),
        errors: counts.errors,
        warnings: counts.warnings,
        infos: counts.infos,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("diagnostics serialize");
    text.push('\n');
    text
}
