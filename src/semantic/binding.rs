//! Which parameter each part of a command binds to, as PowerShell's parameter binder decides.
//!
//! The parser keeps a command's elements as written: `-Name value` is a parameter followed by an
//! argument, and only `-Name:value` holds its value. Whether `value` belongs to `-Name` depends on
//! the command:
//! * A cmdlet of the catalog: `-Name` is resolved by the catalog (exact name, alias, or unique
//!   prefix, common parameters included). A switch takes no following argument; any other
//!   parameter takes the next argument (unless it is itself a parameter or a `@splat`). The
//!   keys of a splatted hashtable literal bind like named parameters. The arguments left over
//!   bind by position, in the parameter set that holds every named parameter (the default set,
//!   else the first one, among those with enough positional parameters).
//! * Any other command: PowerShell's syntax rule, `-Name` followed by an argument takes it as its
//!   value, except for the common switches of PowerShell itself (`-Verbose`, `-WhatIf`,
//!   `-Force`...). The switches of the domain's cmdlets come from the catalog, not from here.
//!
//! Unknown and ambiguous names, parameters left without a value and arguments no parameter takes
//! are recorded, not refused: the linter reports them.

use crate::catalog::{self, Cmdlet, Parameter, ParameterSet, Resolution};
use crate::powershell::ast::{
    Command, CommandElement, Expression, Span, Variable, VerbatimArgument,
};

use super::splats::{self, Splat, SplatSource};
use super::values::Values;

/// The switches of PowerShell's own cmdlets and common parameters: after them, for a command the
/// catalog does not know, the next argument is not their value.
const COMMON_SWITCHES: &[&str] = &[
    "Append",
    "AsJob",
    "Confirm",
    "Debug",
    "Force",
    "NoClobber",
    "NoNewline",
    "NoTypeInformation",
    "PassThru",
    "Recurse",
    "Verbose",
    "Wait",
    "WhatIf",
];

/// A command's parameters and arguments as bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding<'a> {
    pub command: &'a Command,
    /// The catalog's entry for the command, if it has one.
    pub cmdlet: Option<&'static Cmdlet>,
    /// The parameter set the named parameters and the positional arguments fit (for a known
    /// cmdlet); `None` when no set holds every named parameter.
    pub parameter_set: Option<&'static ParameterSet>,
    /// The named parameters, as written and then from splatted hashtables.
    pub parameters: Vec<BoundParameter<'a>>,
    /// The arguments that are not the value of a named parameter, in order (written, or from a
    /// splatted array).
    pub positionals: Vec<Positional<'a>>,
    /// The `@splats`, with what the script shows of them.
    pub splats: Vec<Splat<'a>>,
    /// `--% text`, passed to a native program as is.
    pub verbatim: Option<&'a VerbatimArgument>,
}

/// A named parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundParameter<'a> {
    /// The name as written, without the dash (the key, for a splatted one).
    pub name_as_written: &'a str,
    /// What the name stands for; always `Unknown` when the command is not in the catalog.
    pub resolved: Resolution<'static>,
    /// The value: after `:`, the argument taken, or the splatted hashtable's value. `None` for a
    /// switch without a value, a parameter left without one, or a splatted value that is a
    /// command rather than an expression.
    pub value: Option<&'a Expression>,
    /// From the dash (or the key) to the end of the value.
    pub span: Span,
    /// A key of a splatted hashtable.
    pub from_splat: bool,
    /// Written `-Name:value`.
    pub colon: bool,
    /// A parameter of a known cmdlet that needs a value and got none (PowerShell refuses the
    /// command: "Missing an argument for parameter").
    pub missing_value: bool,
}

/// An argument bound by position.
#[derive(Debug, Clone, PartialEq)]
pub struct Positional<'a> {
    pub value: &'a Expression,
    /// The parameter it binds to; `None` when the command is not in the catalog, or when no
    /// positional parameter is left for it (PowerShell refuses the command: "A positional
    /// parameter cannot be found").
    pub parameter: Option<&'static Parameter>,
    /// An item of a splatted array.
    pub from_splat: bool,
}

impl<'a> Binding<'a> {
    /// Every catalogued parameter given a value, with the value: the named ones, then the
    /// positional arguments a parameter takes.
    pub fn values(&self) -> impl Iterator<Item = (&'static Parameter, &'a Expression)> + '_ {
        let named = self
            .parameters
            .iter()
            .filter_map(|p| Some((p.resolved.parameter()?, p.value?)));
        let positional = self
            .positionals
            .iter()
            .filter_map(|p| Some((p.parameter?, p.value)));
        named.chain(positional)
    }

    /// The named parameter that resolves to `name` (a parameter's name, any case), or, for a
    /// command not in the catalog, the one written `name`.
    pub fn parameter(&self, name: &str) -> Option<&BoundParameter<'a>> {
        self.parameters
            .iter()
            .find(|p| match p.resolved.parameter() {
                Some(resolved) => resolved.name.eq_ignore_ascii_case(name),
                None => self.cmdlet.is_none() && p.name_as_written.eq_ignore_ascii_case(name),
            })
    }

    /// The value bound to `name`, named or positional.
    pub fn value(&self, name: &str) -> Option<&'a Expression> {
        if let Some(p) = self.parameter(name) {
            return p.value;
        }
        self.positionals
            .iter()
            .find(|p| {
                p.parameter
                    .is_some_and(|q| q.name.eq_ignore_ascii_case(name))
            })
            .map(|p| p.value)
    }

    /// Names of a known cmdlet that match no parameter.
    pub fn unknown_parameters(&self) -> impl Iterator<Item = &BoundParameter<'a>> {
        self.parameters
            .iter()
            .filter(|p| self.cmdlet.is_some() && p.resolved == Resolution::Unknown)
    }

    /// Abbreviations that match several parameters.
    pub fn ambiguous_parameters(&self) -> impl Iterator<Item = &BoundParameter<'a>> {
        self.parameters
            .iter()
            .filter(|p| matches!(p.resolved, Resolution::Ambiguous(_)))
    }

    /// Arguments of a known cmdlet that no positional parameter takes.
    pub fn unbound_positionals(&self) -> impl Iterator<Item = &Positional<'a>> {
        self.positionals
            .iter()
            .filter(|p| self.cmdlet.is_some() && p.parameter.is_none())
    }
}

/// The catalog's entry for a command name, also when written with its module
/// (`MSOnline\Get-MsolServicePrincipal`).
fn lookup(name: &str) -> Option<&'static Cmdlet> {
    catalog::cmdlet(name).or_else(|| {
        let (module, cmdlet) = name.rsplit_once('\\')?;
        (!module.is_empty() && !module.contains([':', '/', '\\']))
            .then(|| catalog::cmdlet(cmdlet))
            .flatten()
    })
}

/// Whether `-name` takes the next argument as its value.
fn takes_next(cmdlet: Option<&Cmdlet>, resolved: &Resolution<'_>, name: &str) -> bool {
    if cmdlet.is_some() {
        match resolved {
            Resolution::Exact(p) | Resolution::Alias(p) | Resolution::Prefix(p) => {
                return !p.is_switch;
            }
            Resolution::Ambiguous(ps) if ps.iter().all(|p| p.is_switch) => return false,
            Resolution::Ambiguous(ps) if ps.iter().all(|p| !p.is_switch) => return true,
            _ => {}
        }
    }
    !COMMON_SWITCHES.iter().any(|s| s.eq_ignore_ascii_case(name))
}

fn is_splat(e: &Expression) -> bool {
    matches!(e, Expression::Variable(v) if v.splatted)
}

fn splatted(e: &Expression) -> Option<&Variable> {
    match e {
        Expression::Variable(v) if v.splatted => Some(v),
        _ => None,
    }
}

/// Binds a command's parameters and arguments; `values` supplies what splatted variables hold.
pub fn bind<'a>(command: &'a Command, values: &Values<'a>) -> Binding<'a> {
    let cmdlet = command.name().and_then(lookup);
    let resolve = |name: &str| match cmdlet {
        Some(c) => c.resolve_parameter(name),
        None => Resolution::Unknown,
    };
    let mut binding = Binding {
        command,
        cmdlet,
        parameter_set: None,
        parameters: Vec::new(),
        positionals: Vec::new(),
        splats: Vec::new(),
        verbatim: None,
    };
    let mut splatted_named = Vec::new();
    let mut elements = command.elements.iter().peekable();
    while let Some(element) = elements.next() {
        match element {
            CommandElement::Parameter(p) => {
                let resolved = resolve(&p.name);
                let mut value = if p.colon { p.value.as_ref() } else { None };
                let mut span = p.span;
                let mut missing_value = false;
                if !p.colon && takes_next(cmdlet, &resolved, &p.name) {
                    match elements.peek() {
                        Some(CommandElement::Argument(a)) if !is_splat(a) => {
                            value = Some(a);
                            span = Span::new(p.span.start, a.span().end);
                            elements.next();
                        }
                        _ => missing_value = resolved.parameter().is_some(),
                    }
                }
                binding.parameters.push(BoundParameter {
                    name_as_written: &p.name,
                    resolved,
                    value,
                    span,
                    from_splat: false,
                    colon: p.colon,
                    missing_value,
                });
            }
            CommandElement::Argument(a) => match splatted(a) {
                Some(variable) => {
                    let source = splats::resolve(variable, values);
                    match &source {
                        SplatSource::Hashtable(entries) => {
                            splatted_named.extend(entries.iter().map(|e| BoundParameter {
                                name_as_written: e.key,
                                resolved: resolve(e.key),
                                value: e.value,
                                span: e.span,
                                from_splat: true,
                                colon: false,
                                missing_value: false,
                            }));
                        }
                        SplatSource::Array(items) => {
                            binding.positionals.extend(items.iter().map(|i| Positional {
                                value: i,
                                parameter: None,
                                from_splat: true,
                            }));
                        }
                        SplatSource::Unknown => {}
                    }
                    binding.splats.push(Splat { variable, source });
                }
                None => binding.positionals.push(Positional {
                    value: a,
                    parameter: None,
                    from_splat: false,
                }),
            },
            CommandElement::EndOfParameters(_) => {}
            CommandElement::Verbatim(v) => binding.verbatim = Some(v),
        }
    }
    binding.parameters.extend(splatted_named);
    if let Some(cmdlet) = cmdlet {
        bind_positionals(cmdlet, &mut binding);
    }
    binding
}

/// Chooses the parameter set and binds the positional arguments in it.
fn bind_positionals(cmdlet: &'static Cmdlet, binding: &mut Binding<'_>) {
    let named: Vec<usize> = binding
        .parameters
        .iter()
        .filter_map(|p| {
            p.resolved
                .parameter()
                .and_then(|q| cmdlet.declared_index(q))
        })
        .collect();
    let fitting: Vec<&'static ParameterSet> = cmdlet
        .parameter_sets
        .iter()
        .filter(|s| named.iter().all(|&i| s.member(i).is_some()))
        .collect();
    let conflict = fitting.is_empty();
    let pool: Vec<&'static ParameterSet> = if conflict {
        cmdlet.parameter_sets.iter().collect()
    } else {
        fitting
    };
    let free = |s: &ParameterSet| {
        s.positional()
            .into_iter()
            .filter(|m| !named.contains(&m.parameter))
            .count()
    };
    let wanted = binding.positionals.len();
    let preferred = |sets: &[&'static ParameterSet]| {
        sets.iter()
            .find(|s| s.is_default)
            .or_else(|| sets.first())
            .copied()
    };
    let enough: Vec<&'static ParameterSet> =
        pool.iter().copied().filter(|s| free(s) >= wanted).collect();
    let chosen = preferred(&enough).or_else(|| {
        let most = pool.iter().map(|s| free(s)).max()?;
        let best: Vec<&'static ParameterSet> =
            pool.iter().copied().filter(|s| free(s) == most).collect();
        preferred(&best)
    });
    let Some(chosen) = chosen else {
        return;
    };
    binding.parameter_set = (!conflict).then_some(chosen);
    let mut slots = chosen
        .positional()
        .into_iter()
        .filter(|m| !named.contains(&m.parameter));
    for positional in &mut binding.positionals {
        match slots.next() {
            Some(member) => positional.parameter = Some(cmdlet.member_parameter(member)),
            None => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::powershell::parse;

    /// Binds the first command of `text`, and describes it: `-Param=value` for each named
    /// parameter (resolved name, or `?written` when unknown, `*written` when ambiguous; `=!` when
    /// missing its value; `@` before a splatted one), then `Param<-value` for each positional
    /// (`_` when unbound).
    fn bound(text: &str) -> Vec<String> {
        let script = parse(text).unwrap();
        let values = Values::new(&script, text);
        let command = *script.commands().last().unwrap();
        let binding = bind(command, &values);
        let mut out: Vec<String> = binding
            .parameters
            .iter()
            .map(|p| {
                let name = match &p.resolved {
                    Resolution::Exact(q) | Resolution::Alias(q) | Resolution::Prefix(q) => {
                        q.name.clone()
                    }
                    Resolution::Ambiguous(_) => format!("*{}", p.name_as_written),
                    Resolution::Unknown => format!("?{}", p.name_as_written),
                };
                let value = match (p.value, p.missing_value) {
                    (Some(v), _) => format!("={}", v.span().text(text)),
                    (None, true) => "=!".to_string(),
                    (None, false) => String::new(),
                };
                format!("{}-{name}{value}", if p.from_splat { "@" } else { "" })
            })
            .collect();
        out.extend(binding.positionals.iter().map(|p| {
            format!(
                "{}<-{}",
                p.parameter.map_or("_", |q| q.name.as_str()),
                p.value.span().text(text)
            )
        }));
        out
    }

    #[test]
    fn a_switch_of_a_known_cmdlet_takes_no_argument() {
        // Fires: the word after -UseOAuthServer is positional (Identity).
        assert_eq!(
            bound(
                "New-CsPartnerApplication -UseOAuthServer microsoft.exchange -ApplicationTrustLevel Full -ApplicationIdentifier 00000002-0000-0ff1-ce00-000000000000"
            ),
            [
                "-UseOAuthServer",
                "-ApplicationTrustLevel=Full",
                "-ApplicationIdentifier=00000002-0000-0ff1-ce00-000000000000",
                "Identity<-microsoft.exchange"
            ]
        );
        // Graph's -AccountEnabled is a switch: `$true` after it is positional, and unbound.
        assert_eq!(
            bound("Update-MgServicePrincipal -ServicePrincipalId $id -AccountEnabled $true"),
            ["-ServicePrincipalId=$id", "-AccountEnabled", "_<-$true"]
        );
        // Doesn't fire: a non-switch takes its value.
        assert_eq!(
            bound("Set-MsolServicePrincipal -AppPrincipalId $id -AccountEnabled $true"),
            ["-AppPrincipalId=$id", "-AccountEnabled=$true"]
        );
    }

    #[test]
    fn aliases_and_prefixes_resolve() {
        assert_eq!(
            bound("Get-CsOAuthServer microsoft.sts -ea SilentlyContinue"),
            ["-ErrorAction=SilentlyContinue", "Identity<-microsoft.sts"]
        );
        assert_eq!(
            bound("Remove-MsolServicePrincipalCredential -AppPrincipalId $a -KeyId $k"),
            ["-AppPrincipalId=$a", "-KeyIds=$k"]
        );
        assert_eq!(
            bound("get-msolserviceprincipal -appprincipalid $a"),
            ["-AppPrincipalId=$a"]
        );
    }

    #[test]
    fn ambiguous_and_unknown_names_are_recorded() {
        assert_eq!(
            bound("New-CsPartnerApplication -Appl x -UseOAuthServer"),
            ["-*Appl=x", "-UseOAuthServer"]
        );
        let text = "Get-CsTenant -DisplayName 'Fabrikam.com'";
        assert_eq!(bound(text), ["-?DisplayName='Fabrikam.com'"]);
        let script = parse(text).unwrap();
        let values = Values::new(&script, text);
        let binding = bind(script.commands()[0], &values);
        assert_eq!(binding.unknown_parameters().count(), 1);
        assert_eq!(binding.ambiguous_parameters().count(), 0);
        // Not for a command the catalog does not know.
        let text = "Get-Thing -DisplayName x";
        let script = parse(text).unwrap();
        let binding = bind(script.commands()[0], &values);
        assert_eq!(binding.unknown_parameters().count(), 0);
    }

    #[test]
    fn positionals_bind_in_the_set_that_fits() {
        assert_eq!(
            bound("New-CsOAuthServer microsoft.sts -MetadataUrl $url"),
            ["-MetadataUrl=$url", "Identity<-microsoft.sts"]
        );
        assert_eq!(bound("Import-Module MSOnline"), ["Name<-MSOnline"]);
        // -Filter is in a set without a positional parameter: the argument is left over.
        assert_eq!(
            bound("Get-CsOAuthServer -Filter '*' microsoft.sts"),
            ["-Filter='*'", "_<-microsoft.sts"]
        );
        // Two arguments, one positional parameter.
        assert_eq!(bound("Remove-CsOAuthServer a b"), ["Identity<-a", "_<-b"]);
        let text = "New-CsPartnerApplication x -ApplicationIdentifier a -ApplicationTrustLevel Full -UseOAuthServer";
        let script = parse(text).unwrap();
        let values = Values::new(&script, text);
        let binding = bind(script.commands()[0], &values);
        assert_eq!(
            binding.parameter_set.map(|s| s.name.as_str()),
            Some("UseOAuthServer")
        );
        assert_eq!(
            binding.value("identity").map(|v| v.span().text(text)),
            Some("x")
        );
    }

    #[test]
    fn a_parameter_without_its_value_is_recorded() {
        assert_eq!(
            bound("New-CsOAuthServer x -MetadataUrl -Force"),
            ["-MetadataUrl=!", "-Force", "Identity<-x"]
        );
        assert_eq!(bound("New-CsOAuthServer -MetadataUrl"), ["-MetadataUrl=!"]);
    }

    #[test]
    fn splat_keys_bind_as_named_parameters() {
        assert_eq!(
            bound(
                "$s = @{ ApplicationIdentifier = 'a'; ApplicationTrustLevel = 'Full'; UseOAuthServer = $true }\nNew-CsPartnerApplication ex @s"
            ),
            [
                "@-ApplicationIdentifier='a'",
                "@-ApplicationTrustLevel='Full'",
                "@-UseOAuthServer=$true",
                "Identity<-ex"
            ]
        );
        assert_eq!(
            bound("$a = @('microsoft.sts')\nGet-CsOAuthServer @a"),
            ["Identity<-'microsoft.sts'"]
        );
        // Unknown splats bind nothing.
        assert_eq!(
            bound("Get-CsOAuthServer @PSBoundParameters"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_colon_form_holds_its_value() {
        assert_eq!(
            bound("New-CsPartnerApplication -UseOAuthServer:$false -ApplicationTrustLevel:Full x"),
            [
                "-UseOAuthServer=$false",
                "-ApplicationTrustLevel=Full",
                "Identity<-x"
            ]
        );
        // The colon form never takes the next argument.
        assert_eq!(bound("Get-Thing -Name:a b"), ["-?Name=a", "_<-b"]);
    }

    #[test]
    fn after_end_of_parameters_everything_is_positional() {
        assert_eq!(
            bound("Get-CsOAuthServer -- -Identity"),
            ["Identity<--Identity"]
        );
        assert_eq!(bound("Write-Thing -- -x y"), ["_<--x", "_<-y"]);
    }

    #[test]
    fn unknown_commands_follow_the_syntax_rule() {
        assert_eq!(
            bound("Get-Thing -Name x -Verbose y -Force -Path:z w"),
            [
                "-?Name=x",
                "-?Verbose",
                "-?Force",
                "-?Path=z",
                "_<-y",
                "_<-w"
            ]
        );
        // A parameter before another parameter or a splat takes nothing.
        assert_eq!(bound("Get-Thing -A -B @x"), ["-?A", "-?B"]);
        // Domain switches are not in the generic list: for an unknown command they take a value.
        assert_eq!(bound("Get-Thing -UseOAuthServer x"), ["-?UseOAuthServer=x"]);
    }

    #[test]
    fn module_qualified_names_are_known() {
        assert_eq!(
            bound("MSOnline\\Get-MsolServicePrincipal -AppPrincipalId $a"),
            ["-AppPrincipalId=$a"]
        );
        assert_eq!(bound(".\\Get-CsTenant.ps1 x"), ["_<-x"]);
    }
}
