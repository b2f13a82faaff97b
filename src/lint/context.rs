//! What a rule sees of a file: its text and encoding (every rule), and for a file that parses,
//! the syntax tree, every command with its parameters bound by the semantic layer, and the
//! literal values of its variables. Built once per file and shared by all the rules, so no rule
//! parses, binds or evaluates on its own.

use std::path::Path;

use time::OffsetDateTime;

use crate::model::Model;
use crate::powershell::ast::{Command, Script};
use crate::powershell::{LineIndex, NodeRef, TextEncoding, walk};
use crate::semantic::{Binding, Values, bind};

/// The file, for every rule.
pub struct FileContext<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    /// How the bytes were decoded; `None` for text given directly (tests, other commands).
    pub encoding: Option<TextEncoding>,
    /// The moment the date checks run at (`--as-of`, else now).
    pub as_of: OffsetDateTime,
    /// The config the scripts are checked against (`--config`).
    pub config: Option<&'a Model>,
    pub lines: LineIndex,
    /// The comments (line and block), as byte ranges in order.
    pub comments: Vec<(usize, usize)>,
}

impl FileContext<'_> {
    /// Whether `offset` is inside a comment.
    pub fn in_comment(&self, offset: usize) -> bool {
        let i = self.comments.partition_point(|&(start, _)| start <= offset);
        i > 0 && offset < self.comments[i - 1].1
    }
}

/// A command of the script and how its parameters bind.
pub struct CommandUse<'a> {
    pub command: &'a Command,
    /// The command's name without a module qualifier (`MSOnline\Get-MsolServicePrincipal` →
    /// `Get-MsolServicePrincipal`); `None` for `& $block` and the like.
    pub name: Option<&'a str>,
    pub binding: Binding<'a>,
}

impl CommandUse<'_> {
    /// Whether the command is `name` (ignoring case, as PowerShell does).
    pub fn is(&self, name: &str) -> bool {
        self.name.is_some_and(|n| n.eq_ignore_ascii_case(name))
    }
}

/// A file that parses, for the rules that read its code.
pub struct ScriptContext<'a> {
    pub file: &'a FileContext<'a>,
    pub script: &'a Script,
    pub values: &'a Values<'a>,
    /// Every command, in source order (nested ones after the one that holds them).
    pub commands: Vec<CommandUse<'a>>,
    /// Every node of the syntax tree, parents before children, in source order: one walk for
    /// all the rules (iterate over this rather than calling `walk`).
    pub nodes: Vec<NodeRef<'a>>,
}

impl<'a> ScriptContext<'a> {
    pub fn new(file: &'a FileContext<'a>, script: &'a Script, values: &'a Values<'a>) -> Self {
        let mut nodes = Vec::new();
        walk(script, |node| nodes.push(node));
        // The same commands, in the same order, as `Script::commands`, without a second walk.
        let commands = nodes
            .iter()
            .filter_map(|n| match n {
                NodeRef::Command(c) => Some(*c),
                _ => None,
            })
            .map(|command| CommandUse {
                command,
                name: command.name().map(unqualified),
                binding: bind(command, values),
            })
            .collect();
        ScriptContext {
            file,
            script,
            values,
            commands,
            nodes,
        }
    }

    pub fn text(&self) -> &'a str {
        self.file.text
    }

    /// The commands named `name`.
    pub fn uses<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s CommandUse<'a>> + 's {
        self.commands.iter().filter(move |c| c.is(name))
    }
}

/// `Module\Name` → `Name`; a path (`.\x.ps1`, `C:\x\y.exe`) stays as it is.
fn unqualified(name: &str) -> &str {
    match name.rsplit_once('\\') {
        Some((module, cmdlet))
            if !module.is_empty()
                && !module.contains([':', '/', '\\', '.'])
                && !cmdlet.is_empty() =>
        {
            cmdlet
        }
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn module_qualified_names_lose_the_module_and_paths_stay() {
        assert_eq!(
            super::unqualified("MSOnline\\Get-MsolServicePrincipal"),
            "Get-MsolServicePrincipal"
        );
        assert_eq!(super::unqualified(".\\x.ps1"), ".\\x.ps1");
        assert_eq!(super::unqualified("C:\\x\\y.exe"), "C:\\x\\y.exe");
        assert_eq!(super::unqualified("Get-Item"), "Get-Item");
    }
}
