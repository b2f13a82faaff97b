//! What the rules share to find and point at code: which commands the catalog speaks for in a
//! file, where a parameter's name is in the text, how a list reads in a message, which strings
//! are certain, and a cheap text test before a rule walks a script.
//!
//! What a script means (dates, credentials, certificates, SPNs, metadata URLs, guards) is the
//! semantic layer's ([`crate::semantic`]), shared with import and transpile.

use crate::catalog::{self, Cmdlet, ParameterSet, Resolution};
use crate::diagnostic::Span;
use crate::semantic::BoundParameter;

// ---------------------------------------------------------------------------------------------
// Commands the catalog speaks for
// ---------------------------------------------------------------------------------------------

/// Parameters a catalogued cmdlet has beyond the catalog's version of it: PowerShell 7's
/// `Import-Module` (the catalog describes Windows PowerShell 5.1's).
const EXTRA_PARAMETERS: &[(&str, &[&str])] = &[(
    "Import-Module",
    &["SkipEditionCheck", "UseWindowsPowerShell"],
)];

/// Whether `written` names (or abbreviates) a real parameter of `cmdlet` that the catalog does
/// not list: those of [`EXTRA_PARAMETERS`], and `-AsJob` of the Lync, Skype for Business and
/// Teams cmdlets, which they have when imported from a remote session (`Import-PSSession`, the
/// way the online connector and remote management shells load them; domain.md 5.1).
pub fn extra_parameter(cmdlet: &Cmdlet, written: &str) -> bool {
    let remote = matches!(
        cmdlet.module,
        catalog::Module::SkypeForBusiness | catalog::Module::MicrosoftTeams
    ) && written.len() >= 2
        && starts_with_ignore_case("AsJob", written);
    remote
        || EXTRA_PARAMETERS.iter().any(|(name, extra)| {
            cmdlet.name.eq_ignore_ascii_case(name)
                && extra.iter().any(|p| starts_with_ignore_case(p, written))
        })
}

/// Where the name of a parameter is written: after the dash of `-Name` (any dash PowerShell
/// accepts), or the key of a splatted hashtable (bare or quoted). `None` when the text there is
/// not the name as written (it always is, for what the parser produced).
pub fn name_span(text: &str, p: &BoundParameter<'_>) -> Option<Span> {
    let rest = text.get(p.span.start..)?;
    let first = rest.chars().next()?;
    let skip = if p.from_splat {
        match first {
            '\'' | '"' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' => first.len_utf8(),
            _ => 0,
        }
    } else {
        first.len_utf8()
    };
    let start = p.span.start + skip;
    let end = start + p.name_as_written.len();
    (text.get(start..end)? == p.name_as_written).then(|| Span::new(start, end))
}

/// The span to report a parameter at: `-Name` (with its dash) or the splatted key.
pub fn parameter_span(text: &str, p: &BoundParameter<'_>) -> Span {
    match name_span(text, p) {
        Some(name) if p.from_splat => name,
        Some(name) => Span::new(p.span.start, name.end),
        None => p.span.into(),
    }
}

/// The indexes (into `Cmdlet::parameters`) of the declared parameters named in a binding.
pub fn named_indexes(cmdlet: &Cmdlet, parameters: &[BoundParameter<'_>]) -> Vec<usize> {
    let mut out: Vec<usize> = parameters
        .iter()
        .filter_map(|p| {
            p.resolved
                .parameter()
                .and_then(|q| cmdlet.declared_index(q))
        })
        .collect();
    out.dedup();
    out
}

/// The names of the parameter sets holding the declared parameter at `index`.
pub fn sets_of(cmdlet: &'static Cmdlet, index: usize) -> Vec<&'static ParameterSet> {
    cmdlet
        .parameter_sets
        .iter()
        .filter(|s| s.member(index).is_some())
        .collect()
}

/// `a, b or c`, each in backticks.
pub fn list_or(items: &[String]) -> String {
    list(items, "or")
}

/// `a, b and c`, each in backticks.
pub fn list_and(items: &[String]) -> String {
    list(items, "and")
}

fn list(items: &[String], word: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

pub fn starts_with_ignore_case(name: &str, prefix: &str) -> bool {
    !prefix.is_empty()
        && name.len() >= prefix.len()
        && name.is_char_boundary(prefix.len())
        && name[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Whether the resolution is certain enough for a cmdlet whose catalog entry lists only some of
/// its parameters: an exact name or alias is, a prefix is not (it may be a prefix of another).
pub fn exact(resolved: &Resolution<'_>) -> bool {
    matches!(resolved, Resolution::Exact(_) | Resolution::Alias(_))
}
