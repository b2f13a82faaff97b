//! `cmdlet-before-connect`: an MSOnline or Microsoft Graph cmdlet run before the script connects
//! (`Connect-MsolService`, `Connect-MgGraph`).

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::{CommandUse, ScriptContext};
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::{CommandElement, Expression, InvocationOperator, Span, Statement};

use crate::semantic::guards::Nesting;
use crate::semantic::lists::MAX_SITES;

pub const RULE: Rule = Rule {
    code: "cmdlet-before-connect",
    group: Group::Session,
    severity: Severity::Error,
    summary: "An MSOnline or Microsoft Graph cmdlet runs before the script connects to the service.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Follows the script's own flow, top to bottom (the body of a function counts where the function
is called, a script block where it runs at once: `ForEach-Object`, `Where-Object`, `& { }`), and
reports an MSOnline cmdlet (`*-Msol*`) that runs before `Connect-MsolService`, or a Microsoft
Graph cmdlet (`*-Mg*`, `Invoke-MgGraphRequest`) that runs before `Connect-MgGraph` (or after a
`Disconnect-MgGraph` that always runs, before the next `Connect-MgGraph`); also one that runs
before the `Import-Module` of its module when the module is imported from a path. A cmdlet in a
function is reported once, in the function, with the line of the call that runs it too early; a
function called only after the connection, or never, is not.

A file without any `Connect-*` of that service at its top level is not judged: it is dot-sourced,
a module, or run in a session that is already connected. Neither is a probe made to decide
whether to connect: a cmdlet in the same `if` or `try` as the `Connect-*`
(`try { Get-MsolDomain -ErrorAction Stop } catch { Connect-MsolService }`), or run with
`-ErrorAction SilentlyContinue`/`Ignore`. Nothing after a dot-sourced or called script, a
`Connect-*` command the file does not define (other than another service's), or a module imported
from a path is judged: it may have connected.

## Why it matters
Without a connection MSOnline stops with "You must call the Connect-MsolService cmdlet before
calling any other cmdlets", and Graph with "Authentication needed. Please call Connect-MgGraph."
Pages that show the steps as separate snippets invite pasting them in the wrong order.

## Example
```powershell
Import-Module MSOnline
$lyncSP = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
Connect-MsolService
```

## Use instead
```powershell
Import-Module MSOnline
Connect-MsolService
$lyncSP = Get-MsolServicePrincipal -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000
```

## Fix safety
No fix: move the connection before the first cmdlet that needs it.
"#;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Service {
    MsOnline,
    Graph,
}

impl Service {
    fn connect(self) -> &'static str {
        match self {
            Service::MsOnline => "Connect-MsolService",
            Service::Graph => "Connect-MgGraph",
        }
    }

    fn error(self) -> &'static str {
        match self {
            Service::MsOnline => {
                "\"You must call the Connect-MsolService cmdlet before calling any other cmdlets\""
            }
            Service::Graph => "\"Authentication needed. Please call Connect-MgGraph.\"",
        }
    }
}

/// Graph cmdlets that work without a connection.
const GRAPH_OFFLINE: &[&str] = &[
    "Connect-MgGraph",
    "Disconnect-MgGraph",
    "Get-MgContext",
    "Get-MgEnvironment",
    "Add-MgEnvironment",
    "Set-MgEnvironment",
    "Remove-MgEnvironment",
    "Get-MgProfile",
    "Select-MgProfile",
    "Find-MgGraphCommand",
    "Find-MgGraphPermission",
    "Get-MgRequestContext",
    "Set-MgRequestContext",
];

/// The service a cmdlet of the script needs, by its name.
fn needs(name: &str) -> Option<Service> {
    let (verb, noun) = name.split_once('-')?;
    if verb.is_empty() || !verb.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let lower = noun.to_ascii_lowercase();
    if lower.starts_with("msol") && !name.eq_ignore_ascii_case("Connect-MsolService") {
        return Some(Service::MsOnline);
    }
    if lower.starts_with("mg")
        && noun.len() > 2
        && noun.as_bytes()[2].is_ascii_uppercase()
        && !GRAPH_OFFLINE.iter().any(|n| n.eq_ignore_ascii_case(name))
    {
        return Some(Service::Graph);
    }
    None
}

/// The service an `Import-Module` loads, and whether it is imported from a path.
fn imports(cx: &ScriptContext<'_>, u: &CommandUse<'_>) -> Option<(Service, bool)> {
    if !u.is("Import-Module") {
        return None;
    }
    let value = u.binding.value("Name")?;
    let name = cx.values.string_value(value)?;
    let path = name.contains(['\\', '/']) || name.to_ascii_lowercase().ends_with(".psd1");
    let stem = name
        .rsplit(['\\', '/'])
        .next()
        .unwrap_or(&name)
        .to_ascii_lowercase();
    let stem = stem.strip_suffix(".psd1").unwrap_or(&stem);
    if stem == "msonline" || stem == "msonlineextended" {
        Some((Service::MsOnline, path))
    } else if stem.starts_with("microsoft.graph") {
        Some((Service::Graph, path))
    } else {
        None
    }
}

/// What a command does to the session, when it is called at the top level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Event {
    Connect(Service),
    /// Imported from a path.
    ImportPath(Service),
    Import(Service),
    Use(Service),
    /// `Disconnect-MgGraph`.
    Disconnect(Service),
    /// Something that may connect, out of sight: a dot-sourced or called script, a `Connect-*`
    /// command the file does not define, a module imported from a path. Nothing after it is
    /// judged.
    Unknown,
}

/// Connections to other services, which connect neither MSOnline nor Graph.
const OTHER_CONNECTS: &[&str] = &[
    "Connect-ExchangeOnline",
    "Connect-MicrosoftTeams",
    "Connect-AzureAD",
    "Connect-AzAccount",
    "Connect-SPOService",
    "Connect-IPPSSession",
    "Connect-PnPOnline",
];

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    // No connection anywhere in the file: nothing is judged.
    if !cx.mentions(&["connect-msolservice", "connect-mggraph"]) {
        return;
    }
    // Regions whose code does not run where it is written: function bodies and script blocks
    // that are not run at once.
    let mut immediate: HashSet<usize> = HashSet::new();
    let mut functions: Vec<(String, Span)> = Vec::new();
    let mut deferred: Vec<Span> = Vec::new();
    let mut probes: Vec<Span> = Vec::new();
    cx.nodes.iter().copied().for_each(|node| match node {
        NodeRef::Command(c) => {
            let name = c.name().unwrap_or("").to_ascii_lowercase();
            let runs_now = matches!(
                name.as_str(),
                "foreach-object" | "%" | "foreach" | "where-object" | "?" | "where"
            );
            if runs_now {
                for e in &c.elements {
                    if let CommandElement::Argument(Expression::ScriptBlock(b)) = e {
                        immediate.insert(b.span.start);
                    }
                }
            }
            if c.invocation.is_some()
                && let Expression::ScriptBlock(b) = &c.name
            {
                immediate.insert(b.span.start);
            }
        }
        NodeRef::Expression(Expression::Invoke(i))
            if i.member.as_str().is_some_and(|m| {
                m.eq_ignore_ascii_case("ForEach") || m.eq_ignore_ascii_case("Where")
            }) =>
        {
            for a in &i.arguments {
                if let Expression::ScriptBlock(b) = a {
                    immediate.insert(b.span.start);
                }
            }
        }
        NodeRef::Expression(Expression::ScriptBlock(b)) => deferred.push(b.span),
        NodeRef::Statement(Statement::Function(f)) => {
            let name = f.name.rsplit_once(':').map_or(f.name.as_str(), |(_, n)| n);
            functions.push((name.to_ascii_lowercase(), f.span));
            deferred.push(f.span);
        }
        NodeRef::Statement(s @ (Statement::If(_) | Statement::Try(_))) => probes.push(s.span()),
        NodeRef::Statement(s @ (Statement::Class(_) | Statement::Trap(_))) => {
            deferred.push(s.span())
        }
        _ => {}
    });
    deferred.retain(|s| !immediate.contains(&s.start));
    let deferred = Nesting::new(deferred);
    let function_at: HashMap<usize, &str> = functions
        .iter()
        .map(|(n, s)| (s.start, n.as_str()))
        .collect();
    let local: HashSet<&str> = functions.iter().map(|(n, _)| n.as_str()).collect();

    // What each command does.
    let event = |u: &CommandUse<'_>| -> Option<Event> {
        if matches!(u.command.name, Expression::ScriptBlock(_)) {
            // `& { ... }`, `. { ... }`: the block's commands are judged where they are.
            return None;
        }
        if u.command.invocation == Some(InvocationOperator::DotSource) {
            return Some(Event::Unknown);
        }
        let Some(name) = u.name else {
            // `& $script`, `& (Join-Path ...)`.
            return u.command.invocation.map(|_| Event::Unknown);
        };
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".ps1") {
            return Some(Event::Unknown);
        }
        if name.eq_ignore_ascii_case("Connect-MsolService") {
            return Some(Event::Connect(Service::MsOnline));
        }
        if name.eq_ignore_ascii_case("Connect-MgGraph") {
            return Some(Event::Connect(Service::Graph));
        }
        if name.eq_ignore_ascii_case("Disconnect-MgGraph") {
            return Some(Event::Disconnect(Service::Graph));
        }
        if let Some((service, path)) = imports(cx, u) {
            return Some(if path {
                Event::ImportPath(service)
            } else {
                Event::Import(service)
            });
        }
        if u.is("Import-Module")
            && let Some(v) = u.binding.value("Name")
            && cx.values.string_value(v).is_none_or(|m| {
                m.contains(['\\', '/']) || m.to_ascii_lowercase().ends_with(".psm1")
            })
        {
            return Some(Event::Unknown);
        }
        if local.contains(lower.as_str()) {
            return None;
        }
        if (lower.starts_with("connect-") || lower.starts_with("login-"))
            && !OTHER_CONNECTS.iter().any(|n| n.eq_ignore_ascii_case(name))
        {
            return Some(Event::Unknown);
        }
        needs(name).map(Event::Use)
    };

    // The steps of the top level and of each function's body, in order: what a command does,
    // or a call of a function of the file. A command belongs to the innermost function around
    // it; one in a block that does not run at once belongs to none.
    enum Step<'s, 'a> {
        Event(Event, &'s CommandUse<'a>),
        Call(&'s str, &'s CommandUse<'a>),
    }
    let mut top: Vec<Step<'_, '_>> = Vec::new();
    let mut bodies: HashMap<&str, Vec<Step<'_, '_>>> = HashMap::new();
    for u in &cx.commands {
        let at = u.command.span.start;
        let steps = match deferred.containing(at).first() {
            None => &mut top,
            Some(region) => match function_at.get(&region.start) {
                Some(name) => bodies.entry(name).or_default(),
                None => continue,
            },
        };
        if let Some(e) = event(u) {
            steps.push(Step::Event(e, u));
        } else if let Some(name) = u.name
            && let Some(name) = local.get(name.to_ascii_lowercase().as_str())
        {
            steps.push(Step::Call(name, u));
        }
    }

    // The top-level flow, a function's body where it is called (to a depth of 16, each
    // function once on the way down).
    struct Item<'s, 'a> {
        /// Where it happens at the top level: the command, or the call of its function.
        at: Span,
        /// The command itself.
        site: &'s CommandUse<'a>,
        event: Event,
    }
    fn expand<'s, 'a>(
        steps: &'s [Step<'s, 'a>],
        at: Option<Span>,
        bodies: &'s HashMap<&str, Vec<Step<'s, 'a>>>,
        stack: &mut Vec<&'s str>,
        flow: &mut Vec<Item<'s, 'a>>,
    ) {
        for step in steps {
            if flow.len() >= 10_000 {
                return;
            }
            match step {
                Step::Event(event, u) => flow.push(Item {
                    at: at.unwrap_or(u.command.span),
                    site: u,
                    event: *event,
                }),
                Step::Call(name, u) => {
                    if stack.len() < 16
                        && !stack.contains(name)
                        && let Some(body) = bodies.get(name)
                    {
                        stack.push(name);
                        expand(
                            body,
                            Some(at.unwrap_or(u.command.span)),
                            bodies,
                            stack,
                            flow,
                        );
                        stack.pop();
                    }
                }
            }
        }
    }
    let mut flow: Vec<Item<'_, '_>> = Vec::new();
    expand(&top, None, &bodies, &mut Vec::new(), &mut flow);

    let probes = Nesting::new(probes);
    // In the same `if` or `try` as the connection, at the top level or in one function.
    let probed = |item: &Item<'_, '_>, connect: &Item<'_, '_>| {
        let places = [item.at.start, item.site.command.span.start];
        let connects = [connect.at.start, connect.site.command.span.start];
        places.iter().any(|p| {
            probes
                .containing(*p)
                .iter()
                .any(|s| connects.iter().any(|c| s.start <= *c && *c < s.end))
        })
    };
    let unknown = flow
        .iter()
        .position(|i| i.event == Event::Unknown)
        .unwrap_or(flow.len());
    let mut reported: HashSet<usize> = HashSet::new();
    for service in [Service::MsOnline, Service::Graph] {
        let import = flow[..unknown]
            .iter()
            .position(|i| i.event == Event::ImportPath(service));
        let mut connected = false;
        for (index, item) in flow[..unknown].iter().enumerate() {
            if reported.len() >= MAX_SITES {
                return;
            }
            match item.event {
                Event::Connect(s) if s == service => connected = true,
                // A disconnection that always runs (not one in an `if`, `try` or `catch`).
                Event::Disconnect(s)
                    if s == service && probes.containing(item.at.start).is_empty() =>
                {
                    connected = false
                }
                _ => {}
            }
            let is_use = item.event == Event::Use(service);
            let next_connect = || {
                flow[index..unknown]
                    .iter()
                    .find(|i| i.event == Event::Connect(service))
            };
            let (before, what) = if is_use
                && !connected
                && let Some(c) = next_connect()
            {
                (c, service.connect().to_string())
            } else if (is_use || item.event == Event::Connect(service))
                && let Some(i) = import
                && index < i
            {
                (&flow[i], "the Import-Module of its module".to_string())
            } else {
                continue;
            };
            let site = item.site;
            if is_probe(cx, site)
                || probed(item, before)
                || !reported.insert(site.command.span.start)
            {
                continue;
            }
            let (line, _) = cx.file.lines().line_col(cx.text(), before.at.start);
            let name = site.name.unwrap_or("");
            let span = match &site.command.name {
                n @ Expression::String(_) => n.span(),
                _ => site.command.span,
            };
            let called = if item.at.start != site.command.span.start {
                let (call, _) = cx.file.lines().line_col(cx.text(), item.at.start);
                format!(" (called at line {call})")
            } else {
                String::new()
            };
            out.push(RULE.at(
                span,
                format!(
                    "{name}{called} runs before {what} (line {line}): it stops with {}.",
                    service.error()
                ),
                format!(
                    "run {} before the first cmdlet that needs it.",
                    service.connect()
                ),
            ));
        }
    }
}

/// `-ErrorAction SilentlyContinue`/`Ignore`: a probe of whether a connection exists.
fn is_probe(cx: &ScriptContext<'_>, u: &CommandUse<'_>) -> bool {
    u.binding.parameters.iter().any(|p| {
        let n = p.name_as_written.to_ascii_lowercase();
        (n == "ea" || (n.len() >= 2 && "erroraction".starts_with(&n)))
            && p.value
                .and_then(|v| cx.values.evaluate(v))
                .is_some_and(|v| match v {
                    crate::semantic::Value::String(s) => {
                        s.eq_ignore_ascii_case("SilentlyContinue")
                            || s.eq_ignore_ascii_case("Ignore")
                    }
                    other => matches!(other.as_integer(), Some(0 | 4)),
                })
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<crate::diagnostic::Diagnostic> {
        codes_found("cmdlet-before-connect", text)
    }

    #[test]
    fn cmdlets_before_the_connection_are_found() {
        let f = found("Get-MsolServicePrincipal -AppPrincipalId $id\nConnect-MsolService\n");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("line 2"));
        assert_eq!(found("$sp = Get-MgServicePrincipal -Filter \"appId eq '$id'\"\nConnect-MgGraph -Scopes Application.ReadWrite.All").len(), 1);
        assert_eq!(
            found("Invoke-MgGraphRequest -Method GET -Uri v1.0/organization\nConnect-MgGraph")
                .len(),
            1
        );
        // In a loop and a branch at the top level, and through a function called too late.
        assert_eq!(found("foreach ($id in $ids) { Set-MsolServicePrincipal -AppPrincipalId $id -AccountEnabled $true }\nConnect-MsolService").len(), 1);
        assert_eq!(found("function Connect-Tenant { Connect-MsolService }\nGet-MsolCompanyInformation\nConnect-Tenant").len(), 1);
        // Imported from a path after use.
        assert_eq!(
            found("Connect-MsolService\nImport-Module C:\\Modules\\MSOnline\\MSOnline.psd1").len(),
            1
        );
        assert_eq!(
            found("MSOnline\\Get-MsolUser\nConnect-MsolService").len(),
            1
        );
        // A function's body where it is called (once, however often it is called), a block run
        // at once, a use between a disconnection and the next connection.
        let f = found(
            "function Get-Skype { Get-MgServicePrincipal -All }\n$a = Get-Skype\n$b = Get-Skype\nConnect-MgGraph -Scopes x",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message.contains("called at line 2"),
            "{}",
            f[0].message
        );
        assert_eq!(found("function Inner { Get-MsolUser }\nfunction Outer { Inner }\nOuter\nConnect-MsolService").len(), 1);
        assert_eq!(
            found("& { Get-MgServicePrincipal -All }\nConnect-MgGraph -Scopes x").len(),
            1
        );
        assert_eq!(
            found(". { Get-MgServicePrincipal -All }\nConnect-MgGraph -Scopes x").len(),
            1
        );
        assert_eq!(found("Connect-MgGraph\nGet-MgUser\nDisconnect-MgGraph\n& { Get-MgUser | Measure-Object }\nConnect-MgGraph").len(), 1);
        // Other services' connections connect neither.
        assert_eq!(
            found("Connect-ExchangeOnline\nGet-MsolUser\nConnect-MsolService").len(),
            1
        );
    }

    #[test]
    fn connected_first_or_not_judged_is_fine() {
        for text in [
            "Import-Module MSOnline\nConnect-MsolService\nGet-MsolServicePrincipal",
            "function Connect-Tenant { Import-Module MSOnline; Connect-MsolService }\nfunction Get-Principal { Get-MsolServicePrincipal -AppPrincipalId $args[0] }\nConnect-Tenant\nGet-Principal x",
            // Functions are judged where they are called.
            "function Get-Principal { Get-MsolServicePrincipal -AppPrincipalId $args[0] }\nConnect-MsolService\nGet-Principal x",
            "function Get-Principal { Get-MsolServicePrincipal }\nfunction Main { Connect-MsolService; Get-Principal }\nMain",
            // Never called, or called only from a block that does not run at once.
            "function Get-Skype { Get-MgServicePrincipal -All }\nConnect-MgGraph -Scopes x",
            "function Get-Skype { Get-MgServicePrincipal -All }\n$later = { Get-Skype }\nConnect-MgGraph -Scopes x\n& $later",
            "function Ensure { try { Get-MsolDomain -ErrorAction Stop } catch { Connect-MsolService } }\nEnsure\nGet-MsolUser",
            "function Ensure { if (-not (Get-MgContext)) { Connect-MgGraph } }\nEnsure\nGet-MgUser",
            "Connect-MgGraph\n& { Get-MgUser }",
            // A disconnection at the end, in a loop, or only when something failed.
            "Connect-MgGraph\nGet-MgUser\nDisconnect-MgGraph",
            "foreach ($t in $tenants) { Connect-MgGraph -TenantId $t; Get-MgUser; Disconnect-MgGraph }",
            "Connect-MgGraph\ntry { Get-MgUser } catch { Disconnect-MgGraph }\nGet-MgGroup\nConnect-MgGraph -TenantId $other",
            // No connection in the file: dot-sourced or already connected.
            "Get-MsolServicePrincipal -AppPrincipalId $id",
            // Probes.
            "try { Get-MsolDomain -ErrorAction Stop | Out-Null } catch { Connect-MsolService }\nGet-MsolServicePrincipal",
            "if (-not (Get-MsolCompanyInformation -ErrorAction SilentlyContinue)) { Connect-MsolService }",
            "$null = Get-MsolDomain -ea 0\nif (-not $?) { Connect-MsolService }",
            "if (-not (Get-MgContext)) { Connect-MgGraph -Scopes User.Read }\nGet-MgUser",
            // Another service, deferred blocks.
            "Get-MgUser\nConnect-MsolService",
            "$sb = { Get-MsolUser }\nConnect-MsolService\n& $sb",
            "Connect-MgGraph\n$users | ForEach-Object { Get-MgUser -UserId $_ }",
            "Import-Module MSOnline\nConnect-MsolService",
            "Connect-MsolService\nImport-Module MSOnline",
            // Something out of sight may have connected.
            ". .\\Connect-Office365.ps1\nGet-MsolUser\ntry { } catch { Connect-MsolService }",
            "& $PSScriptRoot\\connect.ps1\nGet-MsolUser\nConnect-MsolService",
            "Import-Module .\\O365Helpers.psm1\nConnect-O365\nGet-MsolUser\nConnect-MsolService",
            "Connect-Office365 -Tenant $t\nGet-MgUser\nConnect-MgGraph",
        ] {
            let f = found(text);
            assert!(f.is_empty(), "{text}\n{f:?}");
        }
    }
}
