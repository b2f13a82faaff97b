//! `xprem parse --format commands`: one JSON line per command invocation,
//! `{"file","line","column","name","parameters":["-Name",...],"arguments":N,"splats":[...]}`.
//!
//! * `name`: the command name as a plain word (`Get-Item`), or, after `&` or `.`, the text as
//!   written, quotes included (`'C:\Tools\tool.exe'`, `$tool`, `{ ... }`).
//! * `parameters`: the parameters written on the command line, as written (`-KeyId` stays
//!   `-KeyId`).
//! * `arguments`: the written arguments bound by position: not parameter values and not
//!   `@splats`. Which argument is a parameter's value is the semantic layer's binding: for a
//!   cmdlet of the catalog a switch takes none (`-UseOAuthServer microsoft.exchange`: one
//!   argument), for any other command `-Name value` pairs unless `-Name` is one of PowerShell's
//!   own switches.
//! * `splats`: each `@variable`, as `{"name":"@variable","parameters":[...],"arguments":N}`:
//!   the keys (`-Key`) of the hashtable literal, or the number of items of the array literal, that
//!   the same script assigns it; both `null` when the script does not show what it holds.

use std::fmt::Write as _;

use serde::Serialize;

use crate::error::Error;
use crate::powershell::{LineIndex, ast};
use crate::semantic::{self, SplatSource};

#[derive(Serialize)]
struct CommandLine<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    name: &'a str,
    parameters: Vec<String>,
    arguments: usize,
    splats: Vec<SplatLine>,
}

#[derive(Serialize)]
struct SplatLine {
    name: String,
    parameters: Option<Vec<String>>,
    arguments: Option<usize>,
}

/// One JSON line per command invocation.
pub(crate) fn command_lines(file: &str, text: &str, script: &ast::Script) -> Result<String, Error> {
    let index = LineIndex::new(text);
    let values = semantic::Values::new(script, text);
    let mut out = String::new();
    for command in script.commands() {
        let (line, column) = index.line_col(text, command.span.start);
        // After `&` or `.` the name is shown as written, quotes included.
        let name = match command.name() {
            Some(n) if command.invocation.is_none() => n,
            _ => command.name.span().text(text),
        };
        let binding = semantic::bind(command, &values);
        let record = CommandLine {
            file,
            line,
            column,
            name,
            parameters: binding
                .parameters
                .iter()
                .filter(|p| !p.from_splat)
                .map(|p| format!("-{}", p.name_as_written))
                .collect(),
            arguments: binding.positionals.iter().filter(|p| !p.from_splat).count(),
            splats: binding
                .splats
                .iter()
                .map(|s| {
                    let (parameters, arguments) = match &s.source {
                        SplatSource::Hashtable(entries) => (
                            Some(entries.iter().map(|e| format!("-{}", e.key)).collect()),
                            Some(0),
                        ),
                        SplatSource::Array(items) => (Some(Vec::new()), Some(items.len())),
                        SplatSource::Unknown => (None, None),
                    };
                    SplatLine {
                        name: format!("@{}", s.variable.name),
                        parameters,
                        arguments,
                    }
                })
                .collect(),
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

    fn lines(text: &str) -> Vec<String> {
        let script = powershell::parse(text).unwrap();
        let out = command_lines("a.ps1", text, &script).unwrap();
        out.lines().map(str::to_owned).collect()
    }

    #[test]
    fn command_lines_name_parameters_and_count_arguments() {
        let lines =
            lines("Get-ChildItem -Recurse C:\\x | Select-Object Name, FullName\n& $tool -v:$true");
        assert_eq!(
            lines[0],
            r#"{"file":"a.ps1","line":1,"column":1,"name":"Get-ChildItem","parameters":["-Recurse"],"arguments":1,"splats":[]}"#
        );
        assert_eq!(
            lines[1],
            r#"{"file":"a.ps1","line":1,"column":31,"name":"Select-Object","parameters":[],"arguments":1,"splats":[]}"#
        );
        assert_eq!(
            lines[2],
            r#"{"file":"a.ps1","line":2,"column":1,"name":"$tool","parameters":["-v"],"arguments":0,"splats":[]}"#
        );
    }

    #[test]
    fn a_switch_of_a_known_cmdlet_leaves_the_next_argument_positional() {
        let lines = lines(
            "New-CsPartnerApplication -UseOAuthServer microsoft.exchange -ApplicationTrustLevel Full\n\
             Get-Thing -UseOAuthServer microsoft.exchange",
        );
        assert!(
            lines[0].contains(
                r#""parameters":["-UseOAuthServer","-ApplicationTrustLevel"],"arguments":1"#
            ),
            "{}",
            lines[0]
        );
        // A command the catalog does not know: the syntax rule pairs them.
        assert!(
            lines[1].contains(r#""parameters":["-UseOAuthServer"],"arguments":0"#),
            "{}",
            lines[1]
        );
    }

    #[test]
    fn splats_are_shown_with_their_keys_when_the_script_holds_them() {
        let lines = lines(
            "$settings = @{ Identity = 'microsoft.exchange'; UseOAuthServer = $true }\n\
             $list = 'a', 'b'\n\
             New-CsPartnerApplication @settings -ApplicationTrustLevel Full\n\
             Get-Thing @list @PSBoundParameters",
        );
        assert!(
            lines[0].ends_with(r#""parameters":["-ApplicationTrustLevel"],"arguments":0,"splats":[{"name":"@settings","parameters":["-Identity","-UseOAuthServer"],"arguments":0}]}"#),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].ends_with(r#""splats":[{"name":"@list","parameters":[],"arguments":2},{"name":"@PSBoundParameters","parameters":null,"arguments":null}]}"#),
            "{}",
            lines[1]
        );
    }

    #[test]
    fn quoted_command_names_keep_their_quotes() {
        let lines = lines("& 'tool.exe' /x\n. \"$PSScriptRoot\\x.ps1\"\n& Get-Date");
        assert!(lines[0].contains(r#""name":"'tool.exe'""#), "{}", lines[0]);
        assert!(
            lines[1].contains(r#""name":"\"$PSScriptRoot\\x.ps1\"""#),
            "{}",
            lines[1]
        );
        assert!(lines[2].contains(r#""name":"Get-Date""#), "{}", lines[2]);
    }
}
