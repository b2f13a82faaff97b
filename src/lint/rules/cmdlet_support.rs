//! What the cmdlet, identifier and authorization-server rules share: which commands the catalog
//! can judge, and whether a splat or the pipeline may supply what is not written.

use std::collections::HashSet;

use crate::catalog::{Cmdlet, Module};
use crate::lint::context::{CommandUse, ScriptContext};
use crate::powershell::NodeRef;
use crate::powershell::ast::{PipelineElement, Span};
use crate::semantic::SplatSource;

/// The catalog entry of a command whose parameters the catalog lists in full. The Graph entries
/// list only the parameters the procedure uses, and PowerShell's own cmdlets (`Import-Module`)
/// gain parameters from version to version (`-SkipEditionCheck`, `-UseWindowsPowerShell` in 7):
/// nothing can be said of the names the catalog does not list.
pub fn complete(u: &CommandUse<'_>) -> Option<&'static Cmdlet> {
    u.binding
        .cmdlet
        .filter(|c| !c.parameters_subset && c.module != Module::PowerShell)
}

/// A splat whose content the script does not show (`@PSBoundParameters`, a hashtable built
/// elsewhere): it may pass any parameter.
pub fn opaque_splat(u: &CommandUse<'_>) -> bool {
    u.binding
        .splats
        .iter()
        .any(|s| matches!(s.source, SplatSource::Unknown))
}

/// The commands that receive pipeline input (not first in their pipeline).
pub fn piped_commands(cx: &ScriptContext<'_>) -> HashSet<Span> {
    let mut out = HashSet::new();
    for node in &cx.nodes {
        if let NodeRef::Pipeline(p) = node {
            for e in p.elements.iter().skip(1) {
                if let PipelineElement::Command(c) = e {
                    out.insert(c.span);
                }
            }
        }
    }
    out
}
