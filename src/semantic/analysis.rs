//! One script read once: its syntax tree, every node in one walk, every command with its
//! parameters bound, and the literal values of its variables. The lint rules, import and
//! transpile read a script through this, so nothing parses, binds or walks twice.

use std::collections::HashSet;

use crate::catalog::Cmdlet;
use crate::powershell::ast::{Command, PipelineElement, Script, Statement};
use crate::powershell::{NodeRef, walk};

use super::{Binding, Values, bind};

/// A script that parses, read once.
pub struct Analysis<'a> {
    pub text: &'a str,
    pub script: &'a Script,
    pub values: &'a Values<'a>,
    /// Every command, in source order (nested ones after the one that holds them).
    pub commands: Vec<CommandUse<'a>>,
    /// Every node of the syntax tree, parents before children, in source order: one walk for
    /// every reader (iterate over this rather than calling `walk`).
    pub nodes: Vec<NodeRef<'a>>,
    /// A lower-case copy of the text, made on the first [`Analysis::mentions`].
    lower: std::cell::OnceCell<String>,
    /// The key credentials the script creates, read by
    /// [`credentials`](super::credentials::credentials). Found when the analysis is made (five
    /// rules and the certificate reader ask for them; a cell would make `Analysis` invariant).
    pub(super) credentials: Vec<super::credentials::Credential<'a>>,
}

impl<'a> Analysis<'a> {
    pub fn new(text: &'a str, script: &'a Script, values: &'a Values<'a>) -> Self {
        // Reserved from the size of the text, so that a large script's list is not grown by a
        // dozen doublings, each a copy (the guess may be high: pages never touched cost nothing).
        let mut nodes = Vec::with_capacity(text.len() / 8);
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
        let mut analysis = Analysis {
            text,
            script,
            values,
            commands,
            nodes,
            lower: std::cell::OnceCell::new(),
            credentials: Vec::new(),
        };
        analysis.credentials = super::credentials::find_credentials(&analysis);
        analysis
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Whether the text holds any of `needles` (ASCII, lower case), ignoring ASCII case: a cheap
    /// test before a reader walks a script that cannot concern it. One lower-case copy a script,
    /// whoever asks.
    pub fn mentions(&self, needles: &[&str]) -> bool {
        let lower = self.lower.get_or_init(|| self.text.to_ascii_lowercase());
        needles.iter().any(|n| lower.contains(n))
    }

    /// The commands named `name`.
    pub fn uses<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s CommandUse<'a>> + 's {
        self.commands.iter().filter(move |c| c.is(name))
    }
}

/// The commands of the script that are catalogued cmdlets, with their catalog entry: not those
/// the file itself defines as a function or an alias of the same name (a proxy or a mock takes
/// other parameters), nor those with a `--%` argument (not bound).
pub fn cmdlet_uses<'s, 'a>(cx: &'s Analysis<'a>) -> Vec<(&'s CommandUse<'a>, &'static Cmdlet)> {
    if !cx.commands.iter().any(|u| u.binding.cmdlet.is_some()) {
        return Vec::new();
    }
    let shadowed = defined_commands(cx);
    cx.commands
        .iter()
        .filter_map(|u| {
            let cmdlet = u.binding.cmdlet?;
            (u.binding.verbatim.is_none() && !shadowed.contains(&cmdlet.name.to_ascii_lowercase()))
                .then_some((u, cmdlet))
        })
        .collect()
}

/// The names (lower case) of the functions the file defines and of the aliases it sets.
pub fn defined_commands(cx: &Analysis<'_>) -> HashSet<String> {
    let mut names = HashSet::new();
    for node in &cx.nodes {
        if let NodeRef::Statement(Statement::Function(f)) = node {
            let name = f.name.rsplit_once(':').map_or(f.name.as_str(), |(_, n)| n);
            names.insert(name.to_ascii_lowercase());
        }
    }
    for u in &cx.commands {
        if ["Set-Alias", "New-Alias", "sal", "nal"]
            .iter()
            .any(|a| u.is(a))
        {
            let name = u
                .command
                .parameter("Name")
                .and_then(|p| p.value.as_ref())
                .or_else(|| u.command.arguments().next());
            if let Some(name) = name.and_then(|n| cx.values.string_value(n)) {
                names.insert(name.to_ascii_lowercase());
            }
        }
    }
    names
}

/// The commands that get pipeline input (not the first element of their pipeline).
pub fn piped_commands(cx: &Analysis<'_>) -> HashSet<*const Command> {
    let mut piped = HashSet::new();
    for node in &cx.nodes {
        if let NodeRef::Pipeline(p) = node {
            for element in p.elements.iter().skip(1) {
                if let PipelineElement::Command(c) = element {
                    piped.insert(c as *const Command);
                }
            }
        }
    }
    piped
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
