//! Helpers shared by the integration tests: run the real binary in a temporary folder.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use xprem::powershell::ast::Statement;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn sample(name: &str) -> PathBuf {
    root().join("samples").join(name)
}

pub fn fixture(path: &str) -> PathBuf {
    root().join("tests/fixtures").join(path)
}

/// `xprem` with the given arguments, run in `dir`.
pub fn xprem(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("xprem").expect("the xprem binary is built");
    cmd.current_dir(dir).args(args);
    cmd
}

/// The names of the entries of a folder, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Writes `text` as `name` in `dir` and returns its path.
pub fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// A config (JSON) whose certificate is the shipped sample, with `tenant` etc. replaced by `patch`.
pub fn config_json(patch: serde_json::Value) -> String {
    let mut config = serde_json::json!({
        "tenant": { "name": "Fabrikam.com", "id": "6f2c1c8e-3f2b-4f7a-9a55-2f1de0b7c4a1" },
        "cloud": "worldwide",
        "on_premises": { "web_services_fqdns": ["lyncweb.fabrikam.com"] },
        "certificate": { "path": sample("certs/oauth.cer").to_string_lossy() }
    });
    merge(&mut config, patch);
    serde_json::to_string_pretty(&config).unwrap()
}

fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
    match (base, patch) {
        (serde_json::Value::Object(b), serde_json::Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    b.remove(&k);
                } else {
                    merge(b.entry(k).or_insert(serde_json::Value::Null), v);
                }
            }
        }
        (b, p) => *b = p,
    }
}

/// Decodes and parses a generated script; panics with `name:line:col: message` if it does not parse.
pub fn parse_script(name: &str, bytes: &[u8]) -> xprem::powershell::Script {
    let decoded = xprem::powershell::decode(bytes);
    xprem::powershell::parse(&decoded.text)
        .unwrap_or_else(|e| panic!("{name}:{}:{}: {}", e.line, e.column, e.message))
}

/// The strings that `$variable` holds (one for `'x'`, several for `@('a', 'b')`), when the script
/// (parsed from `text`) assigns it a literal value the semantic layer can be sure of; `None`
/// otherwise.
pub fn assigned_strings(
    script: &xprem::powershell::Script,
    text: &str,
    variable: &str,
) -> Option<Vec<String>> {
    xprem::semantic::Values::new(script, text)
        .assigned(variable)?
        .value
        .strings()
}

/// The text of a generated script, without BOM, with LF line ends (what the spans index into).
pub fn script_text(bytes: &[u8]) -> String {
    xprem::powershell::decode(bytes).text
}

/// Each `if`/`elseif` clause of the script, as (condition text, body span), in source order. A
/// command is "guarded" by a clause when its span lies inside the clause's body.
pub fn if_clauses(
    script: &xprem::powershell::Script,
    text: &str,
) -> Vec<(String, xprem::powershell::ast::Span)> {
    let mut out = Vec::new();
    xprem::powershell::walk(script, |node| {
        if let xprem::powershell::NodeRef::Statement(Statement::If(statement)) = node {
            for clause in &statement.clauses {
                out.push((
                    clause.condition.span().text(text).to_owned(),
                    clause.body.span,
                ));
            }
        }
    });
    out
}

/// Whether `span` lies inside the body of a clause whose condition contains `needle`.
pub fn guarded_by(
    clauses: &[(String, xprem::powershell::ast::Span)],
    span: xprem::powershell::ast::Span,
    needle: &str,
) -> bool {
    clauses.iter().any(|(condition, body)| {
        condition.contains(needle) && body.start <= span.start && span.end <= body.end
    })
}

/// The commands of a script whose name (case-insensitive) is `name`.
pub fn commands_named<'a>(
    script: &'a xprem::powershell::Script,
    name: &str,
) -> Vec<&'a xprem::powershell::ast::Command> {
    script
        .commands()
        .into_iter()
        .filter(|c| c.name().is_some_and(|n| n.eq_ignore_ascii_case(name)))
        .collect()
}

/// Every sample config in `samples/` (`*.json` and `*.toml`, not the schema), sorted.
pub fn sample_configs() -> Vec<PathBuf> {
    let mut configs: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            (name.ends_with(".json") || name.ends_with(".toml")) && !name.ends_with(".schema.json")
        })
        .collect();
    configs.sort();
    configs
}

/// Whether tree-sitter-powershell parses `text` without an error node: a second, independent
/// reading of what xprem's own parser accepts.
pub fn tree_sitter_accepts(text: &str) -> bool {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_powershell::LANGUAGE.into())
        .expect("the tree-sitter grammar loads");
    parser
        .parse(text, None)
        .is_some_and(|tree| !tree.root_node().has_error())
}
