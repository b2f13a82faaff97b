//! One diagnostic of each kind (located, config field only, with a fix), in every form.

use std::path::Path;

use super::*;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity, Span};

const TEXT: &str = "Get-Thing -KeyId 1\r\n$x = 'é' +\n";

fn diagnostics() -> Vec<Diagnostic> {
    vec![
        Diagnostic::new(
            "parameter-abbreviated",
            Severity::Warning,
            "-KeyId is an abbreviation of -KeyIds.",
            "write -KeyIds.",
        )
        .at_span(Span::new(10, 16))
        .with_fix(Fix {
            applicability: Applicability::Safe,
            description: "write -KeyIds".to_owned(),
            edits: vec![Edit {
                span: Span::new(10, 16),
                replacement: "-KeyIds".to_owned(),
            }],
        }),
        Diagnostic::new(
            "syntax-error",
            Severity::Error,
            "expected a value after the operator `+`",
            "",
        )
        .at_span(Span::new(TEXT.len(), TEXT.len())),
        Diagnostic::error(
            "config-tenant-id",
            "tenant.id",
            "is not a GUID.",
            "copy it.",
        ),
        Diagnostic::new("note", Severity::Info, "50% done, a: b, c\nnext", ""),
    ]
}

fn render_all(format: Format) -> String {
    let ds = diagnostics();
    let files = [FileReport {
        path: Path::new("dir/a b.ps1"),
        text: Some(TEXT),
        diagnostics: &ds,
        encoding: None,
    }];
    render(format, &files)
}

#[test]
fn human_shows_code_place_line_caret_and_fix() {
    let out = render_all(Format::Human);
    assert!(
        out.contains("warning[parameter-abbreviated]: -KeyId is an abbreviation of -KeyIds."),
        "{out}"
    );
    assert!(out.contains("--> dir/a b.ps1:1:11"), "{out}");
    assert!(out.contains("Get-Thing -KeyId 1"), "{out}");
    assert!(out.contains("^^^^^^"), "{out}");
    assert!(out.contains("= fix: write -KeyIds."), "{out}");
    assert!(
        out.contains("error[syntax-error]: expected a value"),
        "{out}"
    );
    assert!(
        out.contains("error[config-tenant-id]: tenant.id: is not a GUID."),
        "{out}"
    );
    // Not styled: no escape sequences.
    assert!(!out.contains('\u{1b}'));
}

#[test]
fn gcc_is_one_line_per_finding_with_a_note_for_the_fix() {
    let out = render_all(Format::Gcc);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "dir/a b.ps1:1:11: warning: -KeyId is an abbreviation of -KeyIds. [parameter-abbreviated]"
    );
    assert_eq!(lines[1], "dir/a b.ps1:1:11: note: fix: write -KeyIds.");
    assert!(
        lines[2].starts_with("dir/a b.ps1:3:1: error: expected a value"),
        "{}",
        lines[2]
    );
    assert_eq!(
        lines[3],
        "dir/a b.ps1: error: tenant.id: is not a GUID. [config-tenant-id]"
    );
    assert_eq!(lines[5], "dir/a b.ps1: info: 50% done, a: b, c next [note]");
}

#[test]
fn github_annotations_are_escaped() {
    let out = render_all(Format::Github);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert_eq!(
        lines[0],
        "::warning file=dir/a b.ps1,line=1,col=11,endLine=1,endColumn=17,title=xprem parameter-abbreviated::-KeyId is an abbreviation of -KeyIds.%0AFix: write -KeyIds."
    );
    assert_eq!(
        lines[3],
        "::notice file=dir/a b.ps1,title=xprem note::50%25 done, a: b, c%0Anext"
    );
}

#[test]
fn json_has_every_part_of_every_diagnostic() {
    let out: serde_json::Value = serde_json::from_str(&render_all(Format::Json)).unwrap();
    assert_eq!(out["format_version"], 1);
    assert_eq!(
        (
            out["errors"].clone(),
            out["warnings"].clone(),
            out["infos"].clone()
        ),
        (2.into(), 1.into(), 1.into())
    );
    let first = &out["diagnostics"][0];
    assert_eq!(first["code"], "parameter-abbreviated");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["file"], "dir/a b.ps1");
    assert_eq!(
        (first["line"].clone(), first["column"].clone()),
        (1.into(), 11.into())
    );
    assert_eq!(
        (first["end_line"].clone(), first["end_column"].clone()),
        (1.into(), 17.into())
    );
    assert_eq!(first["fix"]["applicability"], "safe");
    assert_eq!(first["fix"]["edits"][0]["replacement"], "-KeyIds");
    assert_eq!(first["fix"]["edits"][0]["start"], 10);
    let config = &out["diagnostics"][2];
    assert_eq!(config["field"], "tenant.id");
    assert!(config.get("line").is_none());
}

#[test]
fn sarif_is_valid_2_1_0_with_rules_regions_and_fixes() {
    let out: serde_json::Value = serde_json::from_str(&render_all(Format::Sarif)).unwrap();
    assert_eq!(out["version"], "2.1.0");
    let run = &out["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "config-tenant-id",
            "note",
            "parameter-abbreviated",
            "syntax-error"
        ]
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "parameter-abbreviated");
    assert_eq!(result["ruleIndex"], 2);
    assert_eq!(result["level"], "warning");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "dir/a%20b.ps1");
    assert_eq!(location["region"]["startLine"], 1);
    assert_eq!(location["region"]["startColumn"], 11);
    assert_eq!(
        result["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]["byteOffset"],
        10
    );
    let config = &run["results"][2];
    assert_eq!(
        config["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "tenant.id"
    );
    assert!(
        config["locations"][0]["physicalLocation"]
            .get("region")
            .is_none()
    );
    assert_eq!(run["results"][3]["level"], "note");
}

#[test]
fn every_form_of_no_findings_is_empty_or_an_empty_list() {
    let files: [FileReport<'_>; 0] = [];
    assert_eq!(render(Format::Human, &files), "");
    assert_eq!(render(Format::Gcc, &files), "");
    assert_eq!(render(Format::Github, &files), "");
    let json: serde_json::Value = serde_json::from_str(&render(Format::Json, &files)).unwrap();
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    let sarif: serde_json::Value = serde_json::from_str(&render(Format::Sarif, &files)).unwrap();
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
}

/// A fix on the second line of a file stored with a BOM (UTF-8) or as UTF-16, or in
/// Windows-1252: the byte offsets count the file's bytes, the lines and columns its characters.
#[test]
fn fix_offsets_are_in_the_file_as_stored() {
    // `é` is 2 bytes in UTF-8, 2 in UTF-16, 1 in Windows-1252; the edit is on `-KeyId`.
    const SOURCE: &str = "$x = 'é'\nGet-Thing -KeyId 1\n";
    let at = SOURCE.find("-KeyId").unwrap();
    let ds = vec![
        Diagnostic::new("parameter-abbreviated", Severity::Warning, "m", "h")
            .at_span(Span::new(at, at + 6))
            .with_fix(Fix {
                applicability: Applicability::Safe,
                description: "write -KeyIds".to_owned(),
                edits: vec![Edit {
                    span: Span::new(at, at + 6),
                    replacement: "-KeyIds".to_owned(),
                }],
            }),
    ];
    let chars_before = SOURCE[..at].chars().count();
    for (encoding, start) in [
        (None, at),
        (Some(TextEncoding::Utf8), at),
        (Some(TextEncoding::Utf8Bom), 3 + at),
        (Some(TextEncoding::Utf16Le), 2 * chars_before),
        (Some(TextEncoding::Utf16LeBom), 2 + 2 * chars_before),
        (Some(TextEncoding::Utf16BeBom), 2 + 2 * chars_before),
        (Some(TextEncoding::Windows1252), chars_before),
    ] {
        let files = [FileReport {
            path: Path::new("a.ps1"),
            text: Some(SOURCE),
            diagnostics: &ds,
            encoding,
        }];
        let json: serde_json::Value = serde_json::from_str(&render(Format::Json, &files)).unwrap();
        let edit = &json["diagnostics"][0]["fix"]["edits"][0];
        assert_eq!(edit["start"], start, "{encoding:?}");
        let length = if matches!(encoding, Some(e) if e.describe().starts_with("UTF-16")) {
            12
        } else {
            6
        };
        assert_eq!(edit["end"], start + length, "{encoding:?}");
        assert_eq!(
            (edit["line"].clone(), edit["column"].clone()),
            (2.into(), 11.into())
        );
        let sarif: serde_json::Value =
            serde_json::from_str(&render(Format::Sarif, &files)).unwrap();
        let region = &sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"]
            [0]["deletedRegion"];
        assert_eq!(region["byteOffset"], start, "{encoding:?}");
        assert_eq!(region["byteLength"], length, "{encoding:?}");
        assert_eq!(
            (region["startLine"].clone(), region["startColumn"].clone()),
            (2.into(), 11.into())
        );
        assert_eq!(region["endColumn"], 17);
    }
}
