//! `xprem parse` as a user runs it: exit codes, output formats, folders, encodings.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn xprem() -> Command {
    crate::common::xprem(&crate::common::root(), &[])
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(path, bytes).expect("write file");
}

#[test]
fn scripts_that_parse_print_nothing_and_exit_0() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "a.ps1",
        b"Get-CsOAuthConfiguration | Format-List\n",
    );
    xprem()
        .current_dir(dir.path())
        .args(["parse", "a.ps1"])
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
}

#[test]
fn empty_and_bom_only_files_parse_into_an_empty_script() {
    // Made here rather than kept as fixtures: an empty file is byte-identical to empty files in
    // third-party repositories, which the repository must not hold copies of.
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "empty.ps1", b"");
    write(dir.path(), "bom.ps1", b"\xEF\xBB\xBF");
    let output = xprem()
        .current_dir(dir.path())
        .args(["parse", "--format", "ast", "empty.ps1", "bom.ps1"])
        .output()
        .expect("run xprem");
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let docs: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("JSON documents");
    assert_eq!(docs.len(), 2, "{stdout}");
    for doc in &docs {
        assert_eq!(
            doc["ast"]["body"]["statements"],
            serde_json::json!([]),
            "{doc}"
        );
        assert_eq!(doc["ast"]["param_block"], serde_json::Value::Null, "{doc}");
    }
}

#[test]
fn a_syntax_error_is_reported_with_file_line_and_column_and_exit_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "good.ps1", b"Get-Date\n");
    write(
        dir.path(),
        "bad.ps1",
        b"# CRLF script\r\nif ($x) {\r\n  Get-Date\r\n",
    );
    xprem()
        .current_dir(dir.path())
        .args(["parse", "good.ps1", "bad.ps1", "--format", "gcc"])
        .assert()
        .code(1)
        .stdout("bad.ps1:4:1: error: missing closing `}` for the `if` block opened at 2:9 [syntax-error]\n")
        .stderr("xprem: parsed 2 files: 1 with syntax errors\n");
    // The human form (the default) shows the place and the line.
    xprem()
        .current_dir(dir.path())
        .args(["parse", "bad.ps1"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "error[syntax-error]: missing closing `}` for the `if` block opened at 2:9\n --> bad.ps1:",
        ))
        .stdout(predicate::str::contains("  Get-Date"))
        .stderr("");
    // `errors`, the earlier name of the one-line form, still works.
    xprem()
        .current_dir(dir.path())
        .args(["parse", "bad.ps1", "--format", "errors"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "bad.ps1:4:1: error: missing closing",
        ));
}

#[test]
fn control_characters_of_the_script_are_escaped_in_messages() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "hostile.ps1",
        b"$x = 1 \x1b]0;owned\x07\x1b[2J\n",
    );
    xprem()
        .current_dir(dir.path())
        .args(["parse", "hostile.ps1", "--format", "gcc"])
        .assert()
        .code(1)
        .stdout(
            "hostile.ps1:1:8: error: unexpected `U+001B]0` after a value: put an operator between them, \
             or a `;` or newline to start a new statement [syntax-error]\n",
        );
    // The human form quotes the line itself: its control characters are shown as pictures.
    let out = xprem()
        .current_dir(dir.path())
        .args(["parse", "hostile.ps1"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
    assert!(stdout.contains("$x = 1 \u{241b}]0;owned"), "{stdout}");
}

#[test]
fn an_unreadable_path_exits_2_after_reporting_the_other_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "bad.ps1", b"Get-Thing -Identity <UserId>\n");
    xprem()
        .current_dir(dir.path())
        .args(["parse", "bad.ps1", "missing.ps1", "--format", "gcc"])
        .assert()
        .code(2)
        .stdout(
            predicate::str::starts_with("bad.ps1:1:21: error: `<` is not allowed here").and(
                predicate::str::contains(
                    "missing.ps1: error: cannot read it: no such file or folder. [unreadable-file]",
                ),
            ),
        )
        .stderr("xprem: parsed 1 file: 1 with syntax errors; 1 could not be read\n");
}

#[test]
fn folders_are_searched_for_scripts_modules_and_data_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "root.ps1", b"Get-Date\n");
    write(
        dir.path(),
        "sub/module.psm1",
        b"function f { 'unclosed\n}\n",
    );
    write(
        dir.path(),
        "sub/deeper/data.PSD1",
        b"@{ ModuleVersion = '1.0' }\n",
    );
    write(dir.path(), "sub/notes.txt", b"this is not ( PowerShell\n");
    xprem()
        .current_dir(dir.path())
        .args(["parse", ".", "--format", "gcc"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "module.psm1:1:14: error: the string starting at 1:14 is missing its closing quote",
        ))
        .stdout(predicate::str::contains("notes.txt").not())
        .stderr("xprem: parsed 3 files: 1 with syntax errors\n");
}

#[test]
fn a_folder_without_scripts_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "readme.md", b"# nothing\n");
    xprem()
        .arg("parse")
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("no *.ps1, *.psm1 or *.psd1 files"));
}

#[test]
fn commands_format_lists_every_invocation_with_parameters_and_argument_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "c.ps1",
        br#"$cfg = Get-CsOAuthConfiguration
if ($PSCmdlet.ShouldProcess('x')) {
    New-CsPartnerApplication -Identity Exchange -MetadataUrl "https://$($h = hostname; $h)/m" -Verbose:$false
}
"#,
    );
    let out = xprem()
        .current_dir(dir.path())
        .args(["parse", "--format", "commands", "c.ps1"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let names: Vec<&str> = lines.iter().filter_map(|l| l["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "Get-CsOAuthConfiguration",
            "New-CsPartnerApplication",
            "hostname"
        ]
    );
    assert_eq!(lines[1]["file"], "c.ps1");
    assert_eq!(lines[1]["line"], 3);
    assert_eq!(lines[1]["column"], 5);
    assert_eq!(
        lines[1]["parameters"],
        serde_json::json!(["-Identity", "-MetadataUrl", "-Verbose"])
    );
    assert_eq!(lines[1]["arguments"], 0);
    assert_eq!(lines[1]["splats"], serde_json::json!([]));
    assert_eq!(lines[2]["line"], 3);
}

/// `xprem parse --format commands` on `text`, one JSON value per line.
fn commands_of(text: &str) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "c.ps1", text.as_bytes());
    let out = xprem()
        .current_dir(dir.path())
        .args(["parse", "--format", "commands", "c.ps1"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

#[test]
fn commands_format_shows_splats_with_the_keys_of_a_literal_hashtable() {
    let lines = commands_of(
        "$settings = @{\n    Identity = 'microsoft.exchange'\n    ApplicationIdentifier = '00000002-0000-0ff1-ce00-000000000000'\n    ApplicationTrustLevel = 'Full'\n}\nNew-CsPartnerApplication @settings -UseOAuthServer\nNew-CsPartnerApplication @fromElsewhere\n",
    );
    assert_eq!(
        lines[0]["parameters"],
        serde_json::json!(["-UseOAuthServer"])
    );
    assert_eq!(
        lines[0]["splats"],
        serde_json::json!([{
            "name": "@settings",
            "parameters": ["-Identity", "-ApplicationIdentifier", "-ApplicationTrustLevel"],
            "arguments": 0
        }])
    );
    assert_eq!(
        lines[1]["splats"],
        serde_json::json!([{"name": "@fromElsewhere", "parameters": null, "arguments": null}])
    );
}

#[test]
fn commands_format_binds_switches_of_known_cmdlets_and_keeps_quoted_names() {
    let lines = commands_of(
        "Set-CsPartnerApplication -UseOAuthServer microsoft.exchange -ApplicationTrustLevel Full\nUpdate-MgServicePrincipal -ServicePrincipalId $id -AccountEnabled $true\n& 'C:\\Tools\\tool.exe' /quiet\n",
    );
    // -UseOAuthServer is a switch: microsoft.exchange is the positional -Identity.
    assert_eq!(lines[0]["arguments"], 1);
    // Graph's -AccountEnabled is a switch too: `$true` after it is an argument of its own.
    assert_eq!(lines[1]["arguments"], 1);
    assert_eq!(lines[2]["name"], "'C:\\Tools\\tool.exe'");
    assert_eq!(lines[2]["arguments"], 1);
}

/// The commands listing of the Lync 2013 page's scripts and of the fixtures with splats, switches
/// and invocation operators: reviewed as snapshots.
#[test]
fn commands_format_snapshots() {
    let listing = |dir: std::path::PathBuf, files: &[&str]| {
        let out = crate::common::xprem(&dir, &["parse", "--format", "commands"])
            .args(files)
            .output()
            .expect("run xprem");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let lync = listing(
        crate::common::sample("scripts"),
        &["lync2013-cross-premises.ps1"],
    );
    insta::assert_snapshot!("commands_lync2013_page", lync);
    let fixtures = listing(
        crate::common::fixture("parse/valid"),
        &[
            "hashtables_and_splatting.ps1",
            "parameter_forms.ps1",
            "invocation_operators.ps1",
        ],
    );
    insta::assert_snapshot!("commands_fixtures", fixtures);
}

#[test]
fn ast_format_is_one_json_object_per_file_with_its_encoding() {
    let dir = tempfile::tempdir().expect("temp dir");
    // UTF-16 LE without a BOM, as some editors save it.
    let utf16: Vec<u8> = "Write-Host 'Grüße'\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    write(dir.path(), "u16.ps1", &utf16);
    // Windows-1252: `é` is the single byte 0xE9.
    write(dir.path(), "ansi.ps1", b"Write-Host 'caf\xe9'\n");
    let out = xprem()
        .current_dir(dir.path())
        .args(["parse", "--format", "ast", "u16.ps1", "ansi.ps1"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("UTF-8");
    let objects: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(objects.len(), 2);
    let argument = |o: &serde_json::Value| {
        o["ast"]["body"]["statements"][0]["elements"][0]["elements"][0]["value"].clone()
    };
    assert_eq!(objects[0]["file"], "u16.ps1");
    assert_eq!(argument(&objects[0]), "Grüße");
    assert_eq!(objects[1]["file"], "ansi.ps1");
    assert_eq!(argument(&objects[1]), "café");
    assert_ne!(objects[0]["encoding"], objects[1]["encoding"]);
}

#[test]
fn in_ast_format_errors_go_to_standard_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "bad.ps1", b"$a = (1 +\n");
    xprem()
        .current_dir(dir.path())
        .args(["parse", "--format", "ast", "bad.ps1"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "error[syntax-error]: missing closing `)` for the parenthesis opened at 1:6",
        ))
        .stderr(predicate::str::contains("--> bad.ps1:"));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = "(".repeat(100_000);
    text.push_str(&")".repeat(100_000));
    write(dir.path(), "deep.ps1", text.as_bytes());
    xprem()
        .current_dir(dir.path())
        .args(["parse", "deep.ps1"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("too deeply"));
}

#[test]
fn every_report_format_carries_the_same_findings_in_the_order_of_the_paths() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Many files, so that the parallel parse has work to share; the output order is the paths'.
    for i in 0..40 {
        write(
            dir.path(),
            &format!("s{i:02}.ps1"),
            if i % 3 == 0 {
                b"if ($x {\n" as &[u8]
            } else {
                b"Get-Date\n"
            },
        );
    }
    let run = |format: &str| {
        let out = xprem()
            .current_dir(dir.path())
            .args(["parse", ".", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        String::from_utf8(out.stdout).unwrap()
    };
    let bad: Vec<String> = (0..40)
        .filter(|i| i % 3 == 0)
        .map(|i| format!("s{i:02}.ps1"))
        .collect();
    let gcc = run("gcc");
    let files: Vec<&str> = gcc
        .lines()
        .map(|l| l.split(':').next().unwrap().trim_start_matches("./"))
        .collect();
    assert_eq!(files, bad, "{gcc}");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["errors"], bad.len());
    assert_eq!(json["diagnostics"][0]["code"], "syntax-error");
    assert_eq!(json["diagnostics"][0]["line"], 1);
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        bad.len()
    );
    let github = run("github");
    assert!(
        github.lines().all(|l| l.starts_with("::error file=")),
        "{github}"
    );
    assert_eq!(github.lines().count(), bad.len());
    let human = run("human");
    assert_eq!(human.matches("error[syntax-error]").count(), bad.len());
    // The same run twice gives the same bytes, whatever the threads did.
    assert_eq!(run("json"), run("json"));
}
