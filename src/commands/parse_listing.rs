//! `xprem parse --format commands`: one JSON line per command invocation.

use std::fmt::Write as _;

use serde::Serialize;

use crate::error::Error;
use crate::powershell::{LineIndex, ast};
use crate::semantic;

#[derive(Serialize)]
struct CommandLine<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    name: &'a str,
    parameters: Vec<String>,
    arguments: usize,
}

/// One JSON line per command invocation.
pub(crate) fn command_lines(file: &str, text: &str, script: &ast::Script) -> Result<String, Error> {
    let index = LineIndex::new(text);
    let values = semantic::Values::new(script, text);
    let mut out = String::new();
    for command in script.commands() {
        let (line, column) = index.line_col(text, command.span.start);
        let name = match command.name() {
            Some(n) if command.invocation.is_none() => n,
            _ => command.name.span().text(text),
        };
        let record = CommandLine {
            file,
            line,
            column,
            name,
            parameters: command
                .parameters()
                .map(|p| format!("-{}", p.name))
                .collect(),
            arguments: semantic::bind(command, &values)
                .positionals
                .iter()
                .filter(|p| !p.from_splat)
                .count(),
        };
        let json =
            serde_json::to_string(&record).map_err(|e| Error::Stdout(std::io::Error::other(e)))?;
        let _ = writeln!(out, "{json}");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::powershell;

    #[test]
    fn command_lines_name_parameters_and_count_arguments() {
        let text = "Get-ChildItem -Recurse C:\\x | Select-Object Name, FullName\n& $tool -v:$true";
        let script = powershell::parse(text).unwrap();
        let out = command_lines("a.ps1", text, &script).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            r#"{"file":"a.ps1","line":1,"column":1,"name":"Get-ChildItem","parameters":["-Recurse"],"arguments":1}"#
        );
        assert_eq!(
            lines[1],
            r#"{"file":"a.ps1","line":1,"column":31,"name":"Select-Object","parameters":[],"arguments":1}"#
        );
        assert_eq!(
            lines[2],
            r#"{"file":"a.ps1","line":2,"column":1,"name":"$tool","parameters":["-v"],"arguments":0}"#
        );
    }
}
