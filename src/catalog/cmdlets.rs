//! The cmdlets the cross-premises scripts call: their parameter sets, parameters (type, switch or
//! not, mandatory and position per set, aliases, allowed values), the PowerShell common
//! parameters, and the Microsoft Graph cmdlets that replace the MSOnline ones.
//!
//! The facts come from `cmdlets.json` beside this file, a copy of `shared/domain/cmdlets.json`
//! (`shared/domain/domain.md` 1.0 says how to read it). It is embedded in the binary and read
//! once, on first use. To change a cmdlet fact, change the shared file and copy it here: the
//! tests below check that it still loads and pin the facts the rest of xprem relies on.
//!
//! How the JSON maps to the model:
//! * `position` is the parameter's position in a set, `"named"` meaning none. The numbers follow
//!   Get-Help (1-based for the Cs*/Msol* cmdlets, 0-based for Import-Module), so only their order
//!   counts: the first unnamed argument goes to the lowest position of the set.
//! * The element with `kind: common_parameters` gives the common parameters (every cmdlet takes
//!   them) and, in its "Risk-mitigation" set, `-WhatIf`/`-Confirm`, which a cmdlet takes only
//!   when its `supports_should_process` is true. Every cmdlet entry says so today; for an entry
//!   that did not, the verbs that change something (New, Set, Remove, Add) would take them.
//! * `dotnet_method` elements (X509Certificate.Import and friends) are not cmdlets and are left
//!   out.
//! * The MSOnline → Graph equivalents are the ones the Graph entries' notes give ("Replacement
//!   for Get-MsolServicePrincipal and ...", "Mapped from New-MsolServicePrincipalCredential ..."),
//!   read from the note's first clause. Names the JSON does not catalogue (New-MgServicePrincipal)
//!   are not equivalents here.

use std::sync::LazyLock;

use serde::Deserialize;

/// The catalog, read from the embedded JSON on first use.
static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    Catalog::load(include_str!("cmdlets.json"))
        .unwrap_or_else(|e| panic!("src/catalog/cmdlets.json does not load: {e}"))
});

/// Every catalogued cmdlet, in the JSON's order.
pub fn cmdlets() -> &'static [Cmdlet] {
    &CATALOG.cmdlets
}

/// The cmdlet with this name, compared as PowerShell does (ignoring case).
pub fn cmdlet(name: &str) -> Option<&'static Cmdlet> {
    CATALOG
        .cmdlets
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
}

/// The common parameters every cmdlet takes (`-Verbose`, `-ErrorAction`, `-OutVariable`...).
pub fn common_parameters() -> &'static [Parameter] {
    &CATALOG.common
}

/// `-WhatIf` and `-Confirm`, taken by the cmdlets that support ShouldProcess.
pub fn should_process_parameters() -> &'static [Parameter] {
    &CATALOG.should_process
}

/// The catalogued cmdlet whose name is closest to `name`, for a "did you mean" hint.
pub fn suggest_cmdlet(name: &str) -> Option<&'static Cmdlet> {
    let best = did_you_mean(name, CATALOG.cmdlets.iter().map(|c| c.name.as_str()))?;
    cmdlet(best)
}

/// The candidate closest to `written` by edit distance (Damerau–Levenshtein, ignoring case), if
/// it is close enough to be a likely typo: at most one edit per three characters of `written`
/// (and at least one). Ties go to the earlier candidate.
pub fn did_you_mean<'a>(
    written: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let written_lower = written.to_lowercase();
    let limit = (written.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let Some(distance) = edit_distance_within(&written_lower, &candidate.to_lowercase(), limit)
        else {
            continue;
        };
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The Damerau–Levenshtein distance of `a` and `b` if it is at most `limit`. Two lower bounds
/// skip the quadratic computation for strings that cannot be that close (most candidates): the
/// difference in length, and half the difference of their character counts (an edit changes those
/// by at most two).
pub fn edit_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.chars().count().abs_diff(b.chars().count()) > limit {
        return None;
    }
    if a.is_ascii() && b.is_ascii() {
        let mut counts = [0i32; 128];
        a.bytes().for_each(|c| counts[usize::from(c)] += 1);
        b.bytes().for_each(|c| counts[usize::from(c)] -= 1);
        let moved: u32 = counts.iter().map(|c| c.unsigned_abs()).sum();
        if moved.div_ceil(2) as usize > limit {
            return None;
        }
    }
    let distance = strsim::damerau_levenshtein(a, b);
    (distance <= limit).then_some(distance)
}

/// The module a cmdlet comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    /// The on-premises management shell: `SkypeForBusiness` (SfB Server 2015/2019), `Lync` on
    /// Lync Server 2013.
    SkypeForBusiness,
    /// MicrosoftTeams (historically the Skype for Business Online connector): Get-CsTenant.
    MicrosoftTeams,
    /// MSOnline, retired by Microsoft on 30 May 2025.
    MsOnline,
    /// The Microsoft Graph PowerShell SDK (`Microsoft.Graph.*`).
    MicrosoftGraph,
    /// PowerShell itself (`Microsoft.PowerShell.Core`).
    PowerShell,
}

/// A catalogued cmdlet.
#[derive(Debug, Clone, PartialEq)]
pub struct Cmdlet {
    /// The name as documented, e.g. `New-CsPartnerApplication`.
    pub name: String,
    pub module: Module,
    /// The module's name, e.g. `SkypeForBusiness`, `MSOnline`, `Microsoft.Graph.Applications`.
    pub module_name: String,
    /// The JSON's description of the module (with its history, e.g. the Lync 2013 name).
    pub module_description: String,
    /// The parameters the cmdlet declares, in the order the JSON first lists them. The common
    /// parameters are not among them (see [`Cmdlet::all_parameters`]).
    pub parameters: Vec<Parameter>,
    pub parameter_sets: Vec<ParameterSet>,
    /// Takes `-WhatIf` and `-Confirm`.
    pub supports_should_process: bool,
    /// The JSON lists only the parameters the procedure uses (the Graph cmdlets): a name missing
    /// from the list may still be a real parameter, and a unique prefix may not be unique.
    pub parameters_subset: bool,
    /// Retirement or deprecation, e.g. MSOnline's.
    pub status: Option<String>,
    /// The products the cmdlet applies to.
    pub applicable: Option<String>,
    pub note: Option<String>,
    pub source_url: Option<String>,
    /// For an MSOnline cmdlet: the catalogued Graph cmdlets that replace it.
    pub graph_equivalents: Vec<String>,
    /// For a Graph cmdlet: the MSOnline cmdlets it replaces.
    pub msonline_equivalents: Vec<String>,
}

/// A parameter set of a cmdlet.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterSet {
    /// The set's name as documented (`(Default)`, `UseOAuthServer`, `GetServicePrincipal__0`...).
    pub name: String,
    /// The set PowerShell uses when the arguments fit several: the one the JSON marks default,
    /// else the one named `(Default)`, else (the docs do not say) the first one.
    pub is_default: bool,
    /// The parameters of the set.
    pub members: Vec<SetMember>,
}

/// A parameter's place in a parameter set.
#[derive(Debug, Clone, PartialEq)]
pub struct SetMember {
    /// Index into [`Cmdlet::parameters`].
    pub parameter: usize,
    /// Mandatory in this set (true when either the docs' syntax block or their parameter table
    /// says so).
    pub mandatory: bool,
    /// The position in this set, `None` for a named-only parameter. Only the order counts.
    pub position: Option<u32>,
    /// Where the docs disagree with themselves about this parameter in this set.
    pub doc_conflict: Option<String>,
}

/// A parameter: declared by a cmdlet, or common to all.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    /// The .NET type as documented (`String`, `Guid[]`, `SwitchParameter`, `ApplicationTrustLevel`).
    pub type_name: String,
    /// A switch: `-Name` alone means true, and the next argument is not its value.
    pub is_switch: bool,
    pub aliases: Vec<String>,
    /// The values PowerShell accepts, for an enumeration (`Full`, `Application`, `User`).
    pub allowed_values: Option<Vec<String>>,
    pub kind: ParameterKind,
    pub applicable: Option<String>,
    pub note: Option<String>,
}

/// Where a parameter comes from; PowerShell prefers the cmdlet's own parameters when a prefix is
/// ambiguous.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterKind {
    /// Declared by the cmdlet.
    Declared,
    /// A common parameter (`-Verbose`, `-ErrorAction`...).
    Common,
    /// `-WhatIf` or `-Confirm`.
    ShouldProcess,
}

/// What a parameter name as written (`-KeyId`, `-ea`, `-Identity`) stands for, found the way
/// PowerShell's parameter binder finds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution<'c> {
    /// The parameter's name, ignoring case.
    Exact(&'c Parameter),
    /// One of the parameter's aliases, ignoring case.
    Alias(&'c Parameter),
    /// A unique abbreviation of a name or an alias.
    Prefix(&'c Parameter),
    /// An abbreviation of several parameters (PowerShell refuses the command).
    Ambiguous(Vec<&'c Parameter>),
    /// No parameter of that name (PowerShell refuses the command, unless the catalog lists only a
    /// subset of the cmdlet's parameters).
    Unknown,
}

impl<'c> Resolution<'c> {
    /// The parameter, when the name stands for exactly one.
    pub fn parameter(&self) -> Option<&'c Parameter> {
        match self {
            Resolution::Exact(p) | Resolution::Alias(p) | Resolution::Prefix(p) => Some(p),
            Resolution::Ambiguous(_) | Resolution::Unknown => None,
        }
    }
}

impl Cmdlet {
    /// `New` in `New-CsOAuthServer`.
    pub fn verb(&self) -> &str {
        self.name.split_once('-').map_or("", |(v, _)| v)
    }

    /// `CsOAuthServer` in `New-CsOAuthServer`.
    pub fn noun(&self) -> &str {
        self.name.split_once('-').map_or(&self.name, |(_, n)| n)
    }

    /// The declared parameters, then the common ones, then `-WhatIf`/`-Confirm` if the cmdlet
    /// supports ShouldProcess.
    pub fn all_parameters(&self) -> impl Iterator<Item = &Parameter> {
        let should_process: &[Parameter] = if self.supports_should_process {
            should_process_parameters()
        } else {
            &[]
        };
        self.parameters
            .iter()
            .chain(common_parameters())
            .chain(should_process)
    }

    /// The parameter with exactly this name (ignoring case), declared or common.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.all_parameters()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// The index in [`Cmdlet::parameters`] of a parameter this cmdlet declares.
    pub fn declared_index(&self, parameter: &Parameter) -> Option<usize> {
        self.parameters
            .iter()
            .position(|p| std::ptr::eq(p, parameter))
    }

    /// What `-written` (without the dash) stands for, as PowerShell's binder decides: an exact
    /// name wins, then an exact alias; otherwise every parameter with a name or alias starting
    /// with `written` matches, and more than one match is ambiguous unless exactly one of them
    /// is declared by the cmdlet (PowerShell prefers those over the common parameters and
    /// `-WhatIf`/`-Confirm`).
    pub fn resolve_parameter(&self, written: &str) -> Resolution<'_> {
        if written.is_empty() {
            return Resolution::Unknown;
        }
        if let Some(p) = self
            .all_parameters()
            .find(|p| p.name.eq_ignore_ascii_case(written))
        {
            return Resolution::Exact(p);
        }
        if let Some(p) = self
            .all_parameters()
            .find(|p| p.aliases.iter().any(|a| a.eq_ignore_ascii_case(written)))
        {
            return Resolution::Alias(p);
        }
        let matches: Vec<&Parameter> = self
            .all_parameters()
            .filter(|p| {
                starts_with_ignore_case(&p.name, written)
                    || p.aliases
                        .iter()
                        .any(|a| starts_with_ignore_case(a, written))
            })
            .collect();
        match matches.as_slice() {
            [] => Resolution::Unknown,
            [one] => Resolution::Prefix(one),
            _ => {
                let declared: Vec<&Parameter> = matches
                    .iter()
                    .copied()
                    .filter(|p| p.kind == ParameterKind::Declared)
                    .collect();
                match declared.as_slice() {
                    [one] => Resolution::Prefix(one),
                    _ => Resolution::Ambiguous(matches),
                }
            }
        }
    }

    /// The parameter whose name is closest to `written`, for a "did you mean" hint.
    pub fn suggest_parameter(&self, written: &str) -> Option<&Parameter> {
        let best = did_you_mean(written, self.all_parameters().map(|p| p.name.as_str()))?;
        self.parameter(best)
    }

    /// The set PowerShell uses when the arguments fit several (see [`ParameterSet::is_default`]).
    pub fn default_set(&self) -> &ParameterSet {
        self.parameter_sets
            .iter()
            .find(|s| s.is_default)
            .unwrap_or(&self.parameter_sets[0])
    }

    /// The parameter a set member stands for.
    pub fn member_parameter(&self, member: &SetMember) -> &Parameter {
        &self.parameters[member.parameter]
    }
}

impl ParameterSet {
    /// This set's entry for the declared parameter at `index`, if the parameter is in the set.
    pub fn member(&self, index: usize) -> Option<&SetMember> {
        self.members.iter().find(|m| m.parameter == index)
    }

    /// The positional members, in position order.
    pub fn positional(&self) -> Vec<&SetMember> {
        let mut out: Vec<&SetMember> = self
            .members
            .iter()
            .filter(|m| m.position.is_some())
            .collect();
        out.sort_by_key(|m| m.position);
        out
    }
}

fn starts_with_ignore_case(name: &str, prefix: &str) -> bool {
    name.len() >= prefix.len()
        && name.is_char_boundary(prefix.len())
        && name[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The catalog as loaded.
struct Catalog {
    cmdlets: Vec<Cmdlet>,
    common: Vec<Parameter>,
    should_process: Vec<Parameter>,
}

#[derive(Deserialize)]
struct RawEntry {
    module: Option<String>,
    cmdlet: String,
    kind: RawKind,
    #[serde(default)]
    parameter_sets: Vec<RawSet>,
    supports_should_process: Option<bool>,
    #[serde(default)]
    parameters_subset: bool,
    status: Option<String>,
    applicable: Option<String>,
    note: Option<String>,
    source_url: Option<String>,
}

#[derive(Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum RawKind {
    Cmdlet,
    DotnetMethod,
    CommonParameters,
}

#[derive(Deserialize)]
struct RawSet {
    name: String,
    #[serde(default)]
    default: bool,
    parameters: Vec<RawParameter>,
}

#[derive(Deserialize)]
struct RawParameter {
    name: String,
    #[serde(rename = "type")]
    type_name: String,
    mandatory: bool,
    position: RawPosition,
    #[serde(default)]
    aliases: Vec<String>,
    values: Option<Vec<String>>,
    applicable: Option<String>,
    note: Option<String>,
    doc_conflict: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawPosition {
    Number(u32),
    Word(String),
}

/// The verbs whose cmdlets take `-WhatIf`/`-Confirm` when the JSON does not say.
const CHANGING_VERBS: [&str; 4] = ["New", "Set", "Remove", "Add"];

impl Catalog {
    fn load(json: &str) -> Result<Catalog, String> {
        let entries: Vec<RawEntry> = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let mut cmdlets = Vec::new();
        let mut common = Vec::new();
        let mut should_process = Vec::new();
        for entry in entries {
            match entry.kind {
                RawKind::DotnetMethod => {}
                RawKind::CommonParameters => {
                    for set in &entry.parameter_sets {
                        let kind = if set.name.starts_with("Risk-mitigation") {
                            ParameterKind::ShouldProcess
                        } else {
                            ParameterKind::Common
                        };
                        let out = match kind {
                            ParameterKind::ShouldProcess => &mut should_process,
                            _ => &mut common,
                        };
                        out.extend(set.parameters.iter().map(|p| parameter(p, kind)));
                    }
                }
                RawKind::Cmdlet => cmdlets.push(cmdlet_of(entry)?),
            }
        }
        for (i, c) in cmdlets.iter().enumerate() {
            if cmdlets[..i]
                .iter()
                .any(|o| o.name.eq_ignore_ascii_case(&c.name))
            {
                return Err(format!("{} is listed twice", c.name));
            }
        }
        // The Graph entries name the MSOnline cmdlets they replace; record both directions.
        let mut pairs = Vec::new();
        for graph in cmdlets
            .iter()
            .filter(|c| c.module == Module::MicrosoftGraph)
        {
            for name in graph
                .note
                .as_deref()
                .map(replaced_cmdlets)
                .unwrap_or_default()
            {
                let Some(msonline) = cmdlets
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(name))
                else {
                    return Err(format!(
                        "{}'s note names {name}, which is not catalogued",
                        graph.name
                    ));
                };
                if cmdlets[msonline].module != Module::MsOnline {
                    return Err(format!(
                        "{}'s note names {name}, which is not MSOnline",
                        graph.name
                    ));
                }
                pairs.push((graph.name.clone(), msonline));
            }
        }
        for (graph, msonline) in pairs {
            let msonline_name = cmdlets[msonline].name.clone();
            cmdlets[msonline].graph_equivalents.push(graph.clone());
            if let Some(g) = cmdlets.iter_mut().find(|c| c.name == graph) {
                g.msonline_equivalents.push(msonline_name);
            }
        }
        if common.is_empty() || should_process.is_empty() {
            return Err("the common parameters are missing".to_string());
        }
        Ok(Catalog {
            cmdlets,
            common,
            should_process,
        })
    }
}

/// The MSOnline cmdlets a Graph entry's note says it replaces: the names in the clause after
/// "Replacement for" or "Mapped from", up to the first `;`, `,`, `(` or `.`.
fn replaced_cmdlets(note: &str) -> Vec<&str> {
    let Some(rest) = note
        .strip_prefix("Replacement for ")
        .or_else(|| note.strip_prefix("Mapped from "))
    else {
        return Vec::new();
    };
    let clause = rest.split([';', ',', '(', '.']).next().unwrap_or("");
    clause
        .split_whitespace()
        .filter(|w| w.contains("-Msol"))
        .collect()
}

fn parameter(raw: &RawParameter, kind: ParameterKind) -> Parameter {
    Parameter {
        name: raw.name.clone(),
        type_name: raw.type_name.clone(),
        is_switch: raw.type_name == "SwitchParameter",
        aliases: raw.aliases.clone(),
        allowed_values: raw.values.clone(),
        kind,
        applicable: raw.applicable.clone(),
        note: raw.note.clone(),
    }
}

fn module_of(text: &str) -> Result<(Module, String), String> {
    let name = text.split_whitespace().next().unwrap_or("").to_string();
    let module = match name.as_str() {
        "SkypeForBusiness" => Module::SkypeForBusiness,
        "MicrosoftTeams" => Module::MicrosoftTeams,
        "MSOnline" => Module::MsOnline,
        n if n.starts_with("Microsoft.Graph.") => Module::MicrosoftGraph,
        n if n.starts_with("Microsoft.PowerShell.") => Module::PowerShell,
        _ => return Err(format!("unknown module `{text}`")),
    };
    Ok((module, name))
}

fn cmdlet_of(entry: RawEntry) -> Result<Cmdlet, String> {
    let module_description = entry.module.clone().unwrap_or_default();
    let (module, module_name) = module_of(&module_description)?;
    if entry.parameter_sets.is_empty() {
        return Err(format!("{} has no parameter set", entry.cmdlet));
    }
    let mut parameters: Vec<Parameter> = Vec::new();
    let mut parameter_sets = Vec::new();
    for (i, set) in entry.parameter_sets.iter().enumerate() {
        let mut members = Vec::new();
        for raw in &set.parameters {
            let index = match parameters
                .iter()
                .position(|p| p.name.eq_ignore_ascii_case(&raw.name))
            {
                Some(index) => index,
                None => {
                    parameters.push(parameter(raw, ParameterKind::Declared));
                    parameters.len() - 1
                }
            };
            let position = match &raw.position {
                RawPosition::Number(n) => Some(*n),
                RawPosition::Word(w) if w == "named" => None,
                RawPosition::Word(w) => {
                    return Err(format!("{} -{}: position `{w}`", entry.cmdlet, raw.name));
                }
            };
            members.push(SetMember {
                parameter: index,
                mandatory: raw.mandatory,
                position,
                doc_conflict: raw.doc_conflict.clone(),
            });
        }
        // Marked default in the JSON, else named `(Default)`, else the first set.
        let marked = entry.parameter_sets.iter().any(|s| s.default);
        let named = entry.parameter_sets.iter().any(|s| s.name == "(Default)");
        let is_default = if marked {
            set.default
        } else if named {
            set.name == "(Default)"
        } else {
            i == 0
        };
        parameter_sets.push(ParameterSet {
            name: set.name.clone(),
            is_default,
            members,
        });
    }
    let supports_should_process = entry.supports_should_process.unwrap_or_else(|| {
        let verb = entry.cmdlet.split('-').next().unwrap_or("");
        CHANGING_VERBS.iter().any(|v| v.eq_ignore_ascii_case(verb))
    });
    Ok(Cmdlet {
        name: entry.cmdlet,
        module,
        module_name,
        module_description,
        parameters,
        parameter_sets,
        supports_should_process,
        parameters_subset: entry.parameters_subset,
        status: entry.status,
        applicable: entry.applicable,
        note: entry.note,
        source_url: entry.source_url,
        graph_equivalents: Vec::new(),
        msonline_equivalents: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounded_distance_agrees_with_the_full_one() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "keyids",
            "keyid",
            "kyeids",
            "returnkeyvalues",
            "returnkeyvals",
            "00000004-0000-0ff1-ce00-000000000000",
            "00000004-0000-0ff1-ce00-00000000000",
            "00000004-0000-0ff1-ec00-000000000000",
            "00000002-0000-0ff1-ce00-000000000000",
            "6b7a8d3e-1c2f-4a5b-9e0d-7f6c5b4a3e2d",
            "préfixe",
            "prefixe",
            "naïve",
        ];
        for a in words {
            for b in words {
                let full = strsim::damerau_levenshtein(a, b);
                for limit in 0..5 {
                    assert_eq!(
                        edit_distance_within(a, b, limit),
                        (full <= limit).then_some(full),
                        "{a:?} {b:?} within {limit}"
                    );
                }
            }
        }
    }

    fn get(name: &str) -> &'static Cmdlet {
        cmdlet(name).unwrap_or_else(|| panic!("{name} is catalogued"))
    }

    fn resolved(cmdlet: &str, written: &str) -> Resolution<'static> {
        get(cmdlet).resolve_parameter(written)
    }

    #[test]
    fn the_embedded_json_loads() {
        let json = include_str!("cmdlets.json");
        let catalog = Catalog::load(json).expect("cmdlets.json loads");
        assert_eq!(catalog.cmdlets.len(), 26);
        assert_eq!(catalog.common.len(), 12);
        assert_eq!(catalog.should_process.len(), 2);
        assert!(cmdlets().len() == catalog.cmdlets.len());
    }

    #[test]
    fn every_cmdlet_has_a_default_set_and_parameters_in_their_sets() {
        for c in cmdlets() {
            assert_eq!(
                c.parameter_sets.iter().filter(|s| s.is_default).count(),
                1,
                "{}: one default set",
                c.name
            );
            for (i, _) in c.parameters.iter().enumerate() {
                assert!(
                    c.parameter_sets.iter().any(|s| s.member(i).is_some()),
                    "{}: parameter {i} in no set",
                    c.name
                );
            }
        }
    }

    #[test]
    fn names_are_found_ignoring_case() {
        assert_eq!(
            get("get-msolserviceprincipal").name,
            "Get-MsolServicePrincipal"
        );
        assert_eq!(
            get("SET-CSOAUTHCONFIGURATION").module,
            Module::SkypeForBusiness
        );
        assert!(cmdlet("Get-Nothing").is_none());
        assert!(
            cmdlet("X509Certificate.GetRawCertData()").is_none(),
            "methods are not cmdlets"
        );
    }

    #[test]
    fn modules_are_typed() {
        assert_eq!(get("Get-CsTenant").module, Module::MicrosoftTeams);
        assert_eq!(get("Connect-MsolService").module, Module::MsOnline);
        assert_eq!(
            get("Update-MgServicePrincipal").module,
            Module::MicrosoftGraph
        );
        assert_eq!(
            get("Update-MgServicePrincipal").module_name,
            "Microsoft.Graph.Applications"
        );
        assert_eq!(get("Import-Module").module, Module::PowerShell);
    }

    #[test]
    fn parameters_carry_type_switch_aliases_values_and_per_set_facts() {
        let new = get("New-CsPartnerApplication");
        let use_oauth = new.parameter("UseOAuthServer").unwrap();
        assert!(use_oauth.is_switch);
        let trust = new.parameter("applicationtrustlevel").unwrap();
        assert!(!trust.is_switch);
        assert_eq!(trust.type_name, "ApplicationTrustLevel");
        assert_eq!(
            trust.allowed_values.as_deref(),
            Some(["Full", "Application", "User"].map(String::from).as_slice())
        );
        let set = new
            .parameter_sets
            .iter()
            .find(|s| s.name == "UseOAuthServer")
            .unwrap();
        let identity = new
            .parameters
            .iter()
            .position(|p| p.name == "Identity")
            .unwrap();
        let member = set.member(identity).unwrap();
        assert!(!member.mandatory);
        assert!(member.position.is_some());
        assert_eq!(set.positional().len(), 1);
        let import = get("Import-Module");
        assert_eq!(import.parameter("ArgumentList").unwrap().aliases, ["Args"]);
    }

    #[test]
    fn should_process_follows_the_json() {
        assert!(get("New-CsOAuthServer").supports_should_process);
        assert!(get("Update-MgServicePrincipal").supports_should_process);
        assert!(!get("Get-CsOAuthServer").supports_should_process);
        // MSOnline documents no -WhatIf, even on the verbs that change something.
        assert!(!get("Set-MsolServicePrincipal").supports_should_process);
        assert!(
            get("Set-MsolServicePrincipal")
                .parameter("WhatIf")
                .is_none()
        );
        assert!(
            get("Set-CsOAuthConfiguration")
                .parameter("WhatIf")
                .is_some()
        );
    }

    #[test]
    fn graph_equivalents_come_from_the_notes() {
        let pairs: Vec<(String, Vec<String>)> = cmdlets()
            .iter()
            .filter(|c| c.module == Module::MsOnline)
            .map(|c| (c.name.clone(), c.graph_equivalents.clone()))
            .collect();
        let expected = [
            ("Connect-MsolService", vec!["Connect-MgGraph"]),
            ("Get-MsolServicePrincipal", vec!["Get-MgServicePrincipal"]),
            (
                "Set-MsolServicePrincipal",
                vec!["Update-MgServicePrincipal"],
            ),
            ("New-MsolServicePrincipal", vec![]),
            (
                "Get-MsolServicePrincipalCredential",
                vec!["Get-MgServicePrincipal"],
            ),
            (
                "New-MsolServicePrincipalCredential",
                vec!["Add-MgServicePrincipalKey"],
            ),
            (
                "Remove-MsolServicePrincipalCredential",
                vec!["Remove-MgServicePrincipalKey"],
            ),
        ];
        let expected: Vec<(String, Vec<String>)> = expected
            .iter()
            .map(|(m, g)| (m.to_string(), g.iter().map(|s| s.to_string()).collect()))
            .collect();
        assert_eq!(pairs, expected);
        assert_eq!(
            get("Get-MgServicePrincipal").msonline_equivalents,
            [
                "Get-MsolServicePrincipal",
                "Get-MsolServicePrincipalCredential"
            ]
        );
    }

    #[test]
    fn exact_names_and_aliases_resolve() {
        let p = |c: &str, w: &str| resolved(c, w).parameter().map(|p| p.name.clone());
        assert!(matches!(
            resolved("Get-CsOAuthServer", "identity"),
            Resolution::Exact(_)
        ));
        assert!(matches!(
            resolved("Get-CsOAuthServer", "ea"),
            Resolution::Alias(_)
        ));
        assert_eq!(p("Get-CsOAuthServer", "ea").as_deref(), Some("ErrorAction"));
        assert!(matches!(
            resolved("Set-CsCertificate", "EffectiveTime"),
            Resolution::Alias(_)
        ));
        assert!(matches!(
            resolved("New-CsOAuthServer", "wi"),
            Resolution::Alias(_)
        ));
        // -WhatIf belongs only to the cmdlets that support ShouldProcess.
        assert_eq!(resolved("Get-CsOAuthServer", "WhatIf"), Resolution::Unknown);
    }

    #[test]
    fn unique_prefixes_resolve_and_shared_ones_are_ambiguous() {
        // Lync 2013's page writes -KeyId for -KeyIds.
        match resolved("Remove-MsolServicePrincipalCredential", "KeyId") {
            Resolution::Prefix(p) => assert_eq!(p.name, "KeyIds"),
            other => panic!("{other:?}"),
        }
        // Both -ApplicationIdentifier and -ApplicationTrustLevel start with -Appl.
        match resolved("New-CsPartnerApplication", "Appl") {
            Resolution::Ambiguous(ps) => {
                let names: Vec<&str> = ps.iter().map(|p| p.name.as_str()).collect();
                assert_eq!(names, ["ApplicationIdentifier", "ApplicationTrustLevel"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(resolved("Get-CsTenant", "DisplayName"), Resolution::Unknown);
        assert_eq!(resolved("Get-CsTenant", ""), Resolution::Unknown);
    }

    #[test]
    fn a_prefix_shared_with_common_parameters_prefers_the_declared_one() {
        // -Ver: Import-Module's -Version alias (of -MinimumVersion) and the common -Verbose.
        match resolved("Import-Module", "Ver") {
            Resolution::Prefix(p) => assert_eq!(p.name, "MinimumVersion"),
            other => panic!("{other:?}"),
        }
        // -Verb on a cmdlet without a declared match: only -Verbose.
        match resolved("Get-CsTenant", "Verb") {
            Resolution::Prefix(p) => assert_eq!(p.kind, ParameterKind::Common),
            other => panic!("{other:?}"),
        }
        // -W: -WarningAction, -WarningVariable (common) and -WhatIf: none declared.
        assert!(matches!(
            resolved("New-CsOAuthServer", "W"),
            Resolution::Ambiguous(_)
        ));
    }

    #[test]
    fn did_you_mean_finds_close_names_only() {
        let set = get("New-CsPartnerApplication");
        assert_eq!(
            set.suggest_parameter("ApplicationIdentifer")
                .map(|p| p.name.as_str()),
            Some("ApplicationIdentifier")
        );
        assert_eq!(get("Get-CsTenant").suggest_parameter("DisplayName"), None);
        assert_eq!(
            suggest_cmdlet("Get-MsolServicePrincpal").map(|c| c.name.as_str()),
            Some("Get-MsolServicePrincipal")
        );
        assert_eq!(did_you_mean("x", ["abc", "y"]), Some("y"));
        assert_eq!(did_you_mean("Identity", ["Filter", "Tenant"]), None);
    }

    /// The parser knows PowerShell, not this domain: nothing under `src/powershell/` may use the
    /// catalog.
    #[test]
    fn the_parser_never_uses_the_catalog() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/powershell");
        let mut pending = vec![root];
        let mut read = 0;
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert!(
                        !text.contains("catalog"),
                        "{} mentions the catalog",
                        path.display()
                    );
                    read += 1;
                }
            }
        }
        assert!(read > 5, "the parser's source files were read");
    }
}
