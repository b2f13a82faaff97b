//! What the cmdlets, identifiers and auth-server rules share: which commands the catalog speaks
//! for in a file, where a parameter's name is in the text, GUIDs and the well-known IDs, host
//! names, strings with unknown parts (templates), the variables that hold the Skype for Business
//! Online service principal and the SPNs a script gives it, the authorization server's metadata
//! URLs and the clouds a script connects to.
//!
//! Everything here is conservative, like the semantic layer it reads: what is not certain is
//! unknown, and a rule says nothing about what is unknown.

use std::collections::{HashMap, HashSet};

use crate::catalog::{self, Cmdlet, ParameterSet, Resolution};
use crate::diagnostic::Span;
use crate::lint::context::{CommandUse, ScriptContext};
use crate::powershell::NodeRef;
use crate::powershell::ast::{
    BinaryOperator, Command, CommandElement, Expression, PipelineElement, QuoteKind, Statement,
};
use crate::semantic::{BoundParameter, Value};

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

/// The commands of the script that are catalogued cmdlets, with their catalog entry: not those
/// the file itself defines as a function or an alias of the same name (a proxy or a mock takes
/// other parameters), nor those with a `--%` argument (not bound).
pub fn cmdlet_uses<'s, 'a>(
    cx: &'s ScriptContext<'a>,
) -> Vec<(&'s CommandUse<'a>, &'static Cmdlet)> {
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
fn defined_commands(cx: &ScriptContext<'_>) -> HashSet<String> {
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
pub fn piped_commands(cx: &ScriptContext<'_>) -> HashSet<*const Command> {
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

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/// The known strings of a value, each with the expression it comes from: a string (one), an array
/// literal of known strings (each element, at its own span), or a variable holding an array of
/// strings (each, at the variable). `None` when any of it is unknown or not a string.
pub fn known_strings<'e>(
    cx: &ScriptContext<'_>,
    expr: &'e Expression,
) -> Option<Vec<(String, &'e Expression)>> {
    if let Expression::Array(a) = expr {
        return a
            .elements
            .iter()
            .map(|e| cx.values.string_value(e).map(|s| (s, e)))
            .collect();
    }
    match cx.values.evaluate(expr)? {
        Value::String(s) => Some(vec![(s, expr)]),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(|s| (s.to_owned(), expr)))
            .collect(),
        _ => None,
    }
}

/// The span of `needle` inside the source of `within` (the first occurrence), else `within`.
pub fn span_in(text: &str, within: Span, needle: &str) -> Span {
    if needle.is_empty() {
        return within;
    }
    text.get(within.start..within.end)
        .and_then(|source| source.find(needle))
        .map_or(within, |at| {
            Span::new(within.start + at, within.start + at + needle.len())
        })
}

// ---------------------------------------------------------------------------------------------
// GUIDs and well-known IDs
// ---------------------------------------------------------------------------------------------

/// Application IDs the domain documents beyond `catalog::WELL_KNOWN_APP_IDS` (domain.md 2.1).
const MORE_APP_IDS: &[(&str, &str)] = &[
    (
        "7557eb47-c689-4224-abcf-aef9bd7573df",
        "the Teams Calendar Scheduler Service",
    ),
    ("db7de2b5-2149-435e-8043-e080dd50afae", "Cloud Voicemail"),
];

/// Every well-known application ID, with what it is.
pub fn well_known_ids() -> impl Iterator<Item = (&'static str, &'static str)> {
    catalog::WELL_KNOWN_APP_IDS
        .iter()
        .chain(MORE_APP_IDS)
        .copied()
}

/// What a well-known ID is (`Exchange Online`), if `id` is one (any case).
pub fn well_known_name(id: &str) -> Option<&'static str> {
    well_known_ids()
        .find(|(known, _)| known.eq_ignore_ascii_case(id))
        .map(|(_, name)| name)
}

/// The registry form of a GUID: 8-4-4-4-12 hexadecimal digits.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Whether .NET's `Guid.Parse` (what PowerShell converts a string to a `[Guid]` parameter with)
/// accepts `s`: the `D`, `N`, `B` and `P` forms, around white space; the `X` form
/// (`{0x...,{0x...}}`) is taken on trust.
pub fn parses_as_guid(s: &str) -> bool {
    let s = s.trim();
    if s.starts_with("{0x") || s.starts_with("{0X") {
        return true;
    }
    let inner = match (s.chars().next(), s.chars().last()) {
        (Some('{'), Some('}')) | (Some('('), Some(')')) if s.len() == 38 => &s[1..37],
        _ => s,
    };
    is_guid(inner) || (inner.len() == 32 && inner.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A string someone meant as a GUID: GUID-long, with dashes, mostly hexadecimal digits.
pub fn meant_as_guid(s: &str) -> bool {
    let s = s.trim();
    let n = s.chars().count();
    if !(30..=40).contains(&n) || s.matches('-').count() < 3 {
        return false;
    }
    let guidish = s
        .chars()
        .filter(|c| c.is_ascii_hexdigit() || matches!(c, '-' | '{' | '}'))
        .count();
    guidish * 10 >= n * 8
}

/// `000000XX-0000-0ff1-ce00-000000000000` and `000000XX-0000-0000-c000-000000000000`: the two
/// families of Microsoft's first-party application IDs. An ID of the family is a real
/// application (known here or not), never a typo of another one.
fn first_party_family(id: &str) -> bool {
    let id = id.to_ascii_lowercase();
    is_guid(&id)
        && id.starts_with("000000")
        && (id[8..] == *"-0000-0ff1-ce00-000000000000"
            || id[8..] == *"-0000-0000-c000-000000000000")
}

/// The Office family (`...-0ff1-ce00-...`): Exchange, SharePoint, Skype for Business Online.
fn office_id(id: &str) -> bool {
    id.ends_with("-0000-0ff1-ce00-000000000000")
}

/// The well-known ID `token` is a typo of: one or two edits (a transposition is one) from it, not
/// equal to any well-known ID, not of a first-party family, not the all-zero GUID. With
/// `office_only`, only the `0ff1-ce00` IDs are considered (for any string of a script: a random
/// or placeholder GUID is never that close to them).
pub fn near_well_known(token: &str, office_only: bool) -> Option<(&'static str, &'static str)> {
    let n = token.chars().count();
    if !(34..=38).contains(&n) || !token.is_ascii() {
        return None;
    }
    let lower = token.to_ascii_lowercase();
    if well_known_name(&lower).is_some()
        || first_party_family(&lower)
        || lower.bytes().all(|b| b == b'0' || b == b'-')
    {
        return None;
    }
    well_known_ids()
        .filter(|(id, _)| !office_only || office_id(id))
        .map(|(id, name)| (strsim::damerau_levenshtein(&lower, id), id, name))
        .filter(|(d, _, _)| *d <= 2)
        .min_by_key(|(d, _, _)| *d)
        .map(|(_, id, name)| (id, name))
}

/// What the help says about a GUID that is not one: the well-known ID it is close to, if any.
pub fn did_you_mean_id(s: &str) -> Option<(&'static str, &'static str)> {
    let s = s.trim().trim_start_matches('{').trim_end_matches('}');
    let lower = s.to_ascii_lowercase();
    well_known_ids()
        .map(|(id, name)| (strsim::damerau_levenshtein(&lower, id), id, name))
        .filter(|(d, _, _)| *d <= 3)
        .min_by_key(|(d, _, _)| *d)
        .map(|(_, id, name)| (id, name))
}

/// The registry form (lower case) of a GUID in any form .NET parses.
pub fn registry_form(s: &str) -> Option<String> {
    let s = s.trim();
    if !parses_as_guid(s) || s.starts_with("{0x") || s.starts_with("{0X") {
        return None;
    }
    let hex: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    if hex.len() != 32 {
        return None;
    }
    let hex = hex.to_ascii_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

/// Which GUID forms a place takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuidForm {
    /// A `[Guid]` parameter: any form .NET parses.
    Any,
    /// A string compared as text: the registry form only.
    Registry,
}

/// A value where an application, object or tenant ID belongs.
#[derive(Debug, Clone)]
pub struct IdSite {
    /// `-AppPrincipalId of Get-MsolServicePrincipal`, for messages.
    pub place: String,
    pub value: String,
    /// Where to report: the ID inside the literal when it is written there, else the value.
    pub span: Span,
    pub form: GuidForm,
    /// Anything but a GUID is wrong here; otherwise only what was plainly meant as one is judged.
    pub strict: bool,
}

impl IdSite {
    /// Whether the value is a GUID of the form the place takes.
    pub fn valid(&self) -> bool {
        match self.form {
            GuidForm::Any => parses_as_guid(&self.value),
            GuidForm::Registry => is_guid(&self.value),
        }
    }
}

/// The places of the script's catalogued commands where an ID belongs, with their known values:
/// `[Guid]` parameters (`-AppPrincipalId`, `-ObjectId`, `-TenantId`, `-KeyIds`...),
/// `Set-CsOAuthConfiguration -ServiceName`, `New-CsPartnerApplication -ApplicationIdentifier`,
/// Graph's `-ServicePrincipalId`, and the `appId` of a Graph `-Filter`.
pub fn id_sites(cx: &ScriptContext<'_>) -> Vec<IdSite> {
    let text = cx.text();
    let mut out = Vec::new();
    for (u, cmdlet) in cmdlet_uses(cx) {
        let named = u
            .binding
            .parameters
            .iter()
            .filter_map(|p| Some((p.resolved.parameter()?, p.value?)));
        let positional = u
            .binding
            .positionals
            .iter()
            .filter_map(|p| Some((p.parameter?, p.value)));
        for (parameter, value) in named.chain(positional) {
            let is = |c: &str, p: &str| {
                cmdlet.name.eq_ignore_ascii_case(c) && parameter.name.eq_ignore_ascii_case(p)
            };
            let graph = cmdlet.module == catalog::Module::MicrosoftGraph;
            let (form, strict) = if matches!(parameter.type_name.as_str(), "Guid" | "Guid[]") {
                (GuidForm::Any, true)
            } else if is("Set-CsOAuthConfiguration", "ServiceName") {
                (GuidForm::Registry, true)
            } else if is("New-CsPartnerApplication", "ApplicationIdentifier") {
                let oauth = u
                    .binding
                    .parameter_set
                    .is_some_and(|s| s.name.eq_ignore_ascii_case("UseOAuthServer"));
                (GuidForm::Registry, oauth)
            } else if graph && parameter.name.eq_ignore_ascii_case("ServicePrincipalId") {
                (GuidForm::Registry, false)
            } else if is("Get-MgServicePrincipal", "Filter") {
                if let Some(filter) = cx.values.string_value(value)
                    && let Some(id) = filter_app_id(&filter)
                {
                    out.push(IdSite {
                        place: "the `appId` of a Graph filter".to_owned(),
                        value: id.to_owned(),
                        span: span_in(text, value.span().into(), id),
                        form: GuidForm::Registry,
                        strict: true,
                    });
                }
                continue;
            } else {
                continue;
            };
            let Some(strings) = known_strings(cx, value) else {
                continue;
            };
            for (s, at) in strings {
                let literal = matches!(at, Expression::String(_));
                let span = if literal {
                    span_in(text, at.span().into(), s.trim())
                } else {
                    at.span().into()
                };
                out.push(IdSite {
                    place: format!("`-{}` of `{}`", parameter.name, cmdlet.name),
                    value: s,
                    span,
                    form,
                    strict,
                });
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Host names
// ---------------------------------------------------------------------------------------------

/// A fully qualified host name: two labels or more, each 1 to 63 letters, digits or dashes (not
/// first or last), the last one not all digits (an IP address is not a host name), 253 bytes at
/// most; with `wildcard`, the first label may be `*`.
pub fn is_fqdn(host: &str, wildcard: bool) -> bool {
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    labels
        .iter()
        .enumerate()
        .all(|(i, l)| (i == 0 && wildcard && *l == "*") || label_ok(l))
        && !labels[labels.len() - 1].bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------------
// Strings with unknown parts
// ---------------------------------------------------------------------------------------------

/// Stands for an unknown part of a string in [`Template::flat`].
pub const HOLE: char = '\u{0}';

/// A string as far as it is known: constant text and unknown parts, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Template {
    pub pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    Hole,
}

impl Template {
    fn text(s: String) -> Template {
        Template {
            pieces: vec![Piece::Text(s)],
        }
    }

    fn hole() -> Template {
        Template {
            pieces: vec![Piece::Hole],
        }
    }

    fn push(&mut self, other: Template) {
        self.pieces.extend(other.pieces);
    }

    /// The text, with [`HOLE`] for each unknown part.
    pub fn flat(&self) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(s) => out.push_str(s),
                Piece::Hole => out.push(HOLE),
            }
        }
        out
    }

    /// Whether any of it is known.
    pub fn any_known(&self) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, Piece::Text(s) if !s.is_empty()))
    }
}

/// The one expression of a statement that is a pipeline of one expression.
fn single_expression(statement: &Statement) -> Option<&Expression> {
    match statement {
        Statement::Pipeline(p) if p.elements.len() == 1 => match &p.elements[0] {
            PipelineElement::Expression(e) if e.redirections.is_empty() => Some(&e.expression),
            _ => None,
        },
        _ => None,
    }
}

/// What is known of the string `expr` builds: its text where the values are known, holes where
/// they are not (an interpolated variable, a concatenated one, a `-f` argument). A variable the
/// script assigns once (`Values::assignment_at`) stands for the expression assigned.
pub fn template(cx: &ScriptContext<'_>, expr: &Expression) -> Template {
    template_at(cx, expr, 0)
}

fn template_at(cx: &ScriptContext<'_>, expr: &Expression, depth: usize) -> Template {
    if depth > 8 {
        return Template::hole();
    }
    if let Some(s) = cx.values.string_value(expr) {
        return Template::text(s);
    }
    match expr {
        Expression::Variable(v) if !v.splatted => {
            match cx.values.assignment_at(v).and_then(|a| a.expression) {
                Some(e) => template_at(cx, e, depth + 1),
                None => Template::hole(),
            }
        }
        Expression::Paren(p) => match single_expression(&p.pipeline) {
            Some(e) => template_at(cx, e, depth + 1),
            None => Template::hole(),
        },
        Expression::Binary(b) if b.operator == BinaryOperator::Add => {
            let mut out = template_at(cx, &b.left, depth + 1);
            if !out.any_known() {
                // `$a + '/x'` concatenates only if `$a` is a string: not known.
                return Template::hole();
            }
            out.push(template_at(cx, &b.right, depth + 1));
            out
        }
        Expression::Binary(b) if b.operator == BinaryOperator::Format => {
            let Some(format) = cx.values.string_value(&b.left) else {
                return Template::hole();
            };
            let arguments: Vec<&Expression> = match &b.right {
                Expression::Array(a) => a.elements.iter().collect(),
                other => vec![other],
            };
            format_template(&format, |i| {
                arguments.get(i).map(|e| template_at(cx, e, depth + 1))
            })
        }
        Expression::ExpandableString(s) if s.quote == QuoteKind::Double => {
            let text = cx.text();
            let source = s.span.text(text);
            let (Some(open), Some(close)) = (source.chars().next(), source.chars().last()) else {
                return Template::hole();
            };
            let inner_start = s.span.start + open.len_utf8();
            let inner_end = s.span.end.saturating_sub(close.len_utf8());
            if inner_end < inner_start {
                return Template::hole();
            }
            let inner = &text[inner_start..inner_end];
            if inner.contains(['`', '"', '\u{201C}', '\u{201D}', '\u{201E}']) {
                return Template::hole();
            }
            let mut out = Template::default();
            let mut cursor = inner_start;
            for part in &s.parts {
                let span = part.span();
                if span.start < cursor || span.end > inner_end {
                    return Template::hole();
                }
                out.push(Template::text(text[cursor..span.start].to_owned()));
                let value = match part {
                    Expression::Variable(_) => template_at(cx, part, depth + 1),
                    _ => cx
                        .values
                        .evaluate(part)
                        .and_then(|v| cx.values.text_of(&v))
                        .map_or_else(Template::hole, Template::text),
                };
                out.push(value);
                cursor = span.end;
            }
            out.push(Template::text(text[cursor..inner_end].to_owned()));
            out
        }
        _ => Template::hole(),
    }
}

/// `'{0}/metadata/json/1' -f $x` as a template: `{n}` by the argument's template, `{{` and `}}`
/// as braces; anything else in braces (`{0:x}`) is a hole.
fn format_template(format: &str, argument: impl Fn(usize) -> Option<Template>) -> Template {
    let mut out = Template::default();
    let mut literal = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut inside = String::new();
                for d in chars.by_ref() {
                    if d == '}' {
                        break;
                    }
                    inside.push(d);
                }
                out.push(Template::text(std::mem::take(&mut literal)));
                let piece = inside
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(&argument)
                    .unwrap_or_else(Template::hole);
                out.push(piece);
            }
            _ => literal.push(c),
        }
    }
    out.push(Template::text(literal));
    out
}

// ---------------------------------------------------------------------------------------------
// Graph filters
// ---------------------------------------------------------------------------------------------

/// The value of `appId eq '<value>'` in a Graph `-Filter` (any case, any spacing).
pub fn filter_app_id(filter: &str) -> Option<&str> {
    let lower = filter.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("appid") {
        let start = from + at;
        from = start + 5;
        if start > 0 && lower.as_bytes()[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let rest = lower[start + 5..].trim_start();
        let Some(rest) = rest.strip_prefix("eq") else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('\'') else {
            continue;
        };
        let Some(end) = rest.find('\'') else {
            continue;
        };
        let value_start = filter.len() - rest.len();
        return filter.get(value_start..value_start + end);
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The Skype for Business Online principal and its SPNs
// ---------------------------------------------------------------------------------------------

/// What is known of an SPN the script gives the Skype for Business Online principal.
#[derive(Debug, Clone, PartialEq)]
pub enum SpnText {
    /// The whole SPN.
    Full(String),
    /// Its start, before an unknown part (`"00000004-.../$fqdn"`).
    Prefix(String),
}

/// An SPN given to the Skype for Business Online principal.
#[derive(Debug, Clone)]
pub struct SpnSite {
    pub text: SpnText,
    pub span: Span,
    /// Added (`.ServicePrincipalNames.Add(...)`): a new SPN, which must have the Skype form. An
    /// item of a list written whole (`-ServicePrincipalNames`) may be one already there, of
    /// another form.
    pub added: bool,
}

/// The application ID a command that gets one service principal selects it by
/// (`Get-MsolServicePrincipal -AppPrincipalId`, `-ServicePrincipalName`, `Get-MgServicePrincipal
/// -Filter "appId eq '...'"`), lower case.
fn principal_of(cx: &ScriptContext<'_>, u: &CommandUse<'_>) -> Option<String> {
    let known = |name: &str| {
        u.binding
            .value(name)
            .and_then(|e| cx.values.string_value(e))
    };
    let id = if u.is("Get-MsolServicePrincipal") {
        known("AppPrincipalId").or_else(|| {
            known("ServicePrincipalName").map(|spn| {
                spn.split_once('/')
                    .map_or(spn.as_str(), |(id, _)| id)
                    .to_owned()
            })
        })
    } else if u.is("Get-MgServicePrincipal") {
        known("Filter").and_then(|f| filter_app_id(&f).map(str::to_owned))
    } else {
        None
    }?;
    let id = id.trim().to_ascii_lowercase();
    is_guid(&id).then_some(id)
}

/// The variables assigned the result of getting one service principal, with its application ID
/// (lower case); `None` for a variable also assigned anything else.
fn principal_variables(cx: &ScriptContext<'_>) -> HashMap<String, Option<String>> {
    let by_command: HashMap<*const Command, &CommandUse<'_>> = cx
        .commands
        .iter()
        .map(|u| (u.command as *const Command, u))
        .collect();
    let mut out: HashMap<String, Option<String>> = HashMap::new();
    for node in &cx.nodes {
        let NodeRef::Statement(Statement::Assignment(a)) = node else {
            continue;
        };
        let Expression::Variable(v) = &a.target else {
            continue;
        };
        let first = first_command(&a.value);
        let id = first
            .and_then(|c| by_command.get(&(c as *const Command)))
            .and_then(|u| principal_of(cx, u));
        let key = v.name.to_ascii_lowercase();
        let entry = out.entry(key).or_insert_with(|| id.clone());
        if *entry != id || a.operator != crate::powershell::ast::AssignmentOperator::Assign {
            *entry = None;
        }
    }
    out
}

/// The first command of a statement's pipeline (also inside `( )`).
fn first_command(statement: &Statement) -> Option<&Command> {
    let Statement::Pipeline(p) = statement else {
        return None;
    };
    match p.elements.first()? {
        PipelineElement::Command(c) => Some(c),
        PipelineElement::Expression(e) => match &e.expression {
            Expression::Paren(p) => first_command(&p.pipeline),
            _ => None,
        },
    }
}

/// The SPNs the script gives the Skype for Business Online principal: the argument of
/// `$sp.ServicePrincipalNames.Add(...)` for a variable holding that principal, and the known items
/// of `-ServicePrincipalNames` of `Set-MsolServicePrincipal -AppPrincipalId <Skype ID>` and of
/// `Update-MgServicePrincipal -ServicePrincipalId $sp.Id`.
pub fn skype_spns(cx: &ScriptContext<'_>) -> Vec<SpnSite> {
    let skype = catalog::SKYPE_ONLINE_APP_ID;
    let mentions_spns = cx
        .commands
        .iter()
        .any(|u| u.is("Get-MsolServicePrincipal") || u.is("Get-MgServicePrincipal"))
        || cx.commands.iter().any(|u| u.is("Set-MsolServicePrincipal"));
    if !mentions_spns {
        return Vec::new();
    }
    let principals = principal_variables(cx);
    let holds_skype = |e: &Expression| match e {
        Expression::Variable(v) => principals
            .get(&v.name.to_ascii_lowercase())
            .is_some_and(|id| id.as_deref() == Some(skype)),
        _ => false,
    };
    let mut out = Vec::new();
    for node in &cx.nodes {
        let NodeRef::Expression(Expression::Invoke(i)) = node else {
            continue;
        };
        if !i
            .member
            .as_str()
            .is_some_and(|m| m.eq_ignore_ascii_case("Add"))
            || i.arguments.len() != 1
        {
            continue;
        }
        let Expression::Member(m) = &i.target else {
            continue;
        };
        if m.member
            .as_str()
            .is_some_and(|n| n.eq_ignore_ascii_case("ServicePrincipalNames"))
            && holds_skype(&m.target)
        {
            spn_items(cx, &i.arguments[0], true, &mut out);
        }
    }
    for u in &cx.commands {
        let target_is_skype = if u.is("Set-MsolServicePrincipal") {
            u.binding
                .value("AppPrincipalId")
                .and_then(|e| cx.values.string_value(e))
                .is_some_and(|id| id.trim().eq_ignore_ascii_case(skype))
        } else if u.is("Update-MgServicePrincipal") {
            u.binding.value("ServicePrincipalId").is_some_and(|e| {
                matches!(e, Expression::Member(m) if holds_skype(&m.target)
                    && m.member.as_str().is_some_and(|n| n.eq_ignore_ascii_case("Id")))
            })
        } else {
            false
        };
        if target_is_skype && let Some(list) = u.binding.value("ServicePrincipalNames") {
            spn_items(cx, list, false, &mut out);
        }
    }
    out
}

/// The SPNs an expression gives, as far as they are known: a string, the items of an array
/// literal or of `@( )`, both sides of `+`; an expandable string by its constant start.
fn spn_items(cx: &ScriptContext<'_>, e: &Expression, added: bool, out: &mut Vec<SpnSite>) {
    match e {
        Expression::Array(a) => {
            for item in &a.elements {
                spn_items(cx, item, added, out);
            }
        }
        Expression::ArrayExpression(s) => {
            for statement in &s.statements {
                if let Some(item) = single_expression(statement) {
                    spn_items(cx, item, added, out);
                }
            }
        }
        Expression::Paren(p) => {
            if let Some(item) = single_expression(&p.pipeline) {
                spn_items(cx, item, added, out);
            }
        }
        Expression::Binary(b) if b.operator == BinaryOperator::Add => {
            spn_items(cx, &b.left, added, out);
            spn_items(cx, &b.right, added, out);
        }
        _ => match cx.values.evaluate(e) {
            Some(Value::String(s)) => out.push(SpnSite {
                text: SpnText::Full(s),
                span: e.span().into(),
                added,
            }),
            Some(Value::Array(items)) => {
                for item in items {
                    if let Value::String(s) = item {
                        out.push(SpnSite {
                            text: SpnText::Full(s),
                            span: e.span().into(),
                            added,
                        });
                    }
                }
            }
            _ => {
                if let Expression::ExpandableString(s) = e
                    && !s.parts.is_empty()
                {
                    let at = s.value.find('$').unwrap_or(0);
                    out.push(SpnSite {
                        text: SpnText::Prefix(s.value[..at].to_owned()),
                        span: e.span().into(),
                        added,
                    });
                }
            }
        },
    }
}

// ---------------------------------------------------------------------------------------------
// The authorization server and clouds
// ---------------------------------------------------------------------------------------------

/// A group of clouds sharing an authorization host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloudFamily {
    Worldwide,
    UsGovernment,
    China,
    Germany,
}

impl CloudFamily {
    pub fn description(self) -> &'static str {
        match self {
            CloudFamily::Worldwide => "Microsoft 365 worldwide",
            CloudFamily::UsGovernment => "the US Government clouds, GCC High and DoD",
            CloudFamily::China => "Office 365 operated by 21Vianet",
            CloudFamily::Germany => "Microsoft Cloud Deutschland",
        }
    }

    /// The ACS metadata host of the cloud, if it has a documented one.
    pub fn metadata_host(self) -> Option<&'static str> {
        let cloud = match self {
            CloudFamily::Worldwide => catalog::Cloud::Worldwide,
            CloudFamily::UsGovernment => catalog::Cloud::GccHigh,
            CloudFamily::China => catalog::Cloud::China,
            CloudFamily::Germany => return None,
        };
        cloud
            .metadata_url_prefix()
            .strip_prefix("https://")
            .map(|h| h.trim_end_matches('/'))
    }
}

/// The authorization hosts that serve the metadata document, with their cloud: the ones of
/// `catalog::Cloud::metadata_url_prefix`, and the Entra ID sign-in hosts of the same clouds
/// (which serve the same document; accepted, never suggested).
pub fn metadata_host_cloud(host: &str) -> Option<CloudFamily> {
    let host = host.to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    for family in [
        CloudFamily::Worldwide,
        CloudFamily::UsGovernment,
        CloudFamily::China,
    ] {
        if family.metadata_host() == Some(host) {
            return Some(family);
        }
    }
    match host {
        "login.microsoftonline.com" | "login.windows.net" => Some(CloudFamily::Worldwide),
        "login.chinacloudapi.cn" | "login.partner.microsoftonline.cn" => Some(CloudFamily::China),
        _ => None,
    }
}

/// The cloud a `Connect-MsolService -AzureEnvironment` or `Connect-MgGraph -Environment` value
/// names.
pub fn environment_cloud(value: &str) -> Option<CloudFamily> {
    match value.trim().to_ascii_lowercase().as_str() {
        "azurecloud" | "global" => Some(CloudFamily::Worldwide),
        "usgovernment" | "usgov" | "usgovdod" => Some(CloudFamily::UsGovernment),
        "azurechinacloud" | "china" => Some(CloudFamily::China),
        "azuregermanycloud" => Some(CloudFamily::Germany),
        _ => None,
    }
}

/// A `-MetadataUrl` of `New-CsOAuthServer`/`Set-CsOAuthServer` meant for the Office 365
/// authorization server (ACS): not one of another `-Type` (ADFS, AzureAD), not a federation
/// metadata document.
pub struct MetadataUrl<'e> {
    pub expr: &'e Expression,
    /// The URL as far as it is known, with [`HOLE`]s.
    pub flat: String,
    /// The server is `microsoft.sts`, the name Microsoft's procedure gives the Office 365
    /// authorization server.
    pub microsoft_sts: bool,
}

/// The ACS metadata URLs of the script's OAuth server commands.
pub fn metadata_urls<'s, 'a>(cx: &'s ScriptContext<'a>) -> Vec<MetadataUrl<'a>> {
    let uses: Vec<&CommandUse<'a>> = cx
        .commands
        .iter()
        .filter(|u| u.is("New-CsOAuthServer") || u.is("Set-CsOAuthServer"))
        .filter(|u| u.binding.cmdlet.is_some())
        .collect();
    if uses.is_empty() {
        return Vec::new();
    }
    let shadowed = defined_commands(cx);
    let mut out = Vec::new();
    for u in uses {
        if u.binding
            .cmdlet
            .is_some_and(|c| shadowed.contains(&c.name.to_ascii_lowercase()))
        {
            continue;
        }
        if let Some(kind) = u.binding.parameter("Type") {
            let acs = kind
                .value
                .and_then(|v| cx.values.string_value(v))
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("ACS"));
            if !acs {
                continue;
            }
        }
        let Some(expr) = u.binding.parameter("MetadataUrl").and_then(|p| p.value) else {
            continue;
        };
        let template = template(cx, expr);
        let flat = template.flat();
        let lower = flat.to_ascii_lowercase();
        let acs_like = lower.contains("accesscontrol")
            || lower.contains("metadata/json")
            || lower.contains("login.microsoftonline.us");
        if !template.any_known()
            || !acs_like
            || lower.contains("federationmetadata")
            || lower.contains(".well-known")
        {
            continue;
        }
        let microsoft_sts = u
            .binding
            .value("Identity")
            .and_then(|i| cx.values.string_value(i))
            .is_some_and(|i| i.trim().eq_ignore_ascii_case("microsoft.sts"));
        out.push(MetadataUrl {
            expr,
            flat,
            microsoft_sts,
        });
    }
    out
}

/// The host of a URL with holes, when it is known: between `://` and the next `/`, `?` or `#`.
pub fn url_host(flat: &str) -> Option<&str> {
    let (scheme, rest) = flat.split_once("://")?;
    if scheme.contains(HOLE) {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    (!host.contains(HOLE) && !host.is_empty()).then_some(host)
}

/// Where the value of a command's element is written, for a `-Name` given as text in the source.
pub fn element_before<'c>(command: &'c Command, value: &Expression) -> Option<&'c CommandElement> {
    let span = value.span();
    let at = command.elements.iter().position(|e| match e {
        CommandElement::Argument(a) => a.span() == span,
        _ => false,
    })?;
    at.checked_sub(1).map(|i| &command.elements[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_in_their_forms() {
        assert!(is_guid("00000004-0000-0ff1-ce00-000000000000"));
        assert!(!is_guid("00000004-0000-0ff1-ce00-00000000000"));
        assert!(!is_guid("00000004-0000-0ffl-ce00-000000000000"));
        assert!(parses_as_guid("{00000004-0000-0ff1-ce00-000000000000}"));
        assert!(parses_as_guid("0000000400000ff1ce00000000000000"));
        assert!(!parses_as_guid("lync.contoso.com"));
        assert!(meant_as_guid("00000004-0000-0ff1-ce00-00000000000"));
        assert!(meant_as_guid("bc2795f3-2387-4543-a95d-f92c85c7a1bz"));
        assert!(!meant_as_guid("microsoft.exchange"));
    }

    #[test]
    fn near_ids_are_typos_not_other_applications() {
        assert_eq!(
            near_well_known("00000004-0000-0ff1-ce00-000000000001", true).map(|(id, _)| id),
            Some(catalog::SKYPE_ONLINE_APP_ID)
        );
        assert!(near_well_known("00000004-0000-0ff1-ce00-00000000000", true).is_some());
        // Transposed digits.
        assert!(near_well_known("00000004-0000-0f1f-ce00-000000000000", true).is_some());
        // Real first-party applications, known here or not, and placeholders.
        assert!(near_well_known("00000002-0000-0ff1-ce00-000000000000", true).is_none());
        assert!(near_well_known("00000006-0000-0ff1-ce00-000000000000", true).is_none());
        assert!(near_well_known("00000009-0000-0000-c000-000000000000", false).is_none());
        assert!(near_well_known("00000000-0000-0000-0000-000000000000", false).is_none());
        assert!(near_well_known("00000001-0000-0000-c000-000000000001", true).is_none());
        assert!(near_well_known("00000001-0000-0000-c000-000000000001", false).is_some());
        assert!(near_well_known("bc2795f3-2387-4543-a95d-f92c85c7a1b0", false).is_none());
    }

    #[test]
    fn host_names() {
        assert!(is_fqdn("lync.contoso.com", false));
        assert!(is_fqdn("Pool1ExternalWebFQDN.contoso.com", false));
        assert!(!is_fqdn("lync", false));
        assert!(!is_fqdn("https://lync.contoso.com", false));
        assert!(!is_fqdn("lync.contoso.com/", false));
        assert!(!is_fqdn("10.0.0.1", false));
        assert!(!is_fqdn("*.contoso.com", false));
        assert!(is_fqdn("*.contoso.com", true));
        assert!(!is_fqdn("lync..contoso.com", false));
    }

    #[test]
    fn filters_give_their_app_id() {
        assert_eq!(
            filter_app_id("appId eq '00000004-0000-0ff1-ce00-000000000000'"),
            Some("00000004-0000-0ff1-ce00-000000000000")
        );
        assert_eq!(
            filter_app_id("AppId  eq 'x' and displayName eq 'y'"),
            Some("x")
        );
        assert_eq!(filter_app_id("displayName eq 'appId'"), None);
        assert_eq!(filter_app_id("notappId eq 'x'"), None);
    }

    #[test]
    fn format_strings_become_templates() {
        let t = format_template("https://h/{0}/metadata/json/{{1}}", |_| None);
        assert_eq!(t.flat(), format!("https://h/{HOLE}/metadata/json/{{1}}"));
        let t = format_template("{0}-{1}", |i| Some(Template::text(i.to_string())));
        assert_eq!(t.flat(), "0-1");
    }
}
