//! `undefined-variable`: a variable read but never assigned in the file.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::{
    Expression, InvocationOperator, Span, Statement, UnaryOperator, Variable,
};

pub const RULE: Rule = Rule {
    code: "undefined-variable",
    group: Group::Variables,
    severity: Severity::Warning,
    summary: "A variable read but never assigned in the file: PowerShell silently reads `$null`, or whatever the session happens to hold.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports the first read of each variable that nothing in the file assigns: no assignment, no
parameter, no `foreach`, no `-OutVariable`/`-ErrorVariable`/`-PipelineVariable`,
no `Set-Variable`/`New-Variable`, no `[ref]` argument, no `data` section. Names are compared
ignoring case, as PowerShell does, and the closest assigned name is suggested (a misspelt
`$tennantId` for `$tenantId`). PowerShell's automatic and preference variables, `$env:`,
`$global:`/`$script:` reads of state kept elsewhere, and drive variables (`${C:\x}`) are not
reported; `$using:x` must be assigned in the file. When the file dot-sources another script or
runs `Invoke-Expression`, which may assign anything, the finding is only information.

## Why it matters
PowerShell does not stop on a variable that was never set: it reads `$null`. A misspelt name
then passes an empty value, so `Set-CsOAuthConfiguration -Realm $tennantId` clears the realm,
and `New-MsolServicePrincipalCredential -Value $credValue` with a misspelt variable fails far from
the cause. Run in a session where an earlier script set the name, it silently uses a stale value.

## Example
```powershell
$tenantId = 'c7ed8b9a-4e8c-4f1e-9a5b-2f9f3c1d0a11'
Set-CsOAuthConfiguration -Realm $tennantId
```

## Use instead
```powershell
$tenantId = 'c7ed8b9a-4e8c-4f1e-9a5b-2f9f3c1d0a11'
Set-CsOAuthConfiguration -Realm $tenantId
```

## Fix safety
No fix: whether the name is misspelt or the assignment is missing is for a person to say.
"#;

/// Variables PowerShell (or a host, DSC, Pester) sets: never reported. Lower case.
const AUTOMATIC: &[&str] = &[
    "$",
    "?",
    "^",
    "_",
    "args",
    "consolefilename",
    "enabledexperimentalfeatures",
    "error",
    "event",
    "eventargs",
    "eventsubscriber",
    "executioncontext",
    "false",
    "foreach",
    "home",
    "host",
    "input",
    "iscoreclr",
    "islinux",
    "ismacos",
    "iswindows",
    "lastexitcode",
    "matches",
    "myinvocation",
    "nestedpromptlevel",
    "null",
    "pid",
    "profile",
    "psboundparameters",
    "pscmdlet",
    "pscommandpath",
    "psculture",
    "psdebugcontext",
    "psedition",
    "pshome",
    "psitem",
    "psscriptroot",
    "pssenderinfo",
    "psuiculture",
    "psversiontable",
    "pwd",
    "sender",
    "shellid",
    "stacktrace",
    "switch",
    "this",
    "true",
    // Preference and configuration variables (they exist in every session).
    "confirmpreference",
    "debugpreference",
    "erroractionpreference",
    "errorview",
    "formatenumerationlimit",
    "informationpreference",
    "logcommandhealthevent",
    "logcommandlifecycleevent",
    "logenginehealthevent",
    "logenginelifecycleevent",
    "logproviderhealthevent",
    "logproviderlifecycleevent",
    "maximumaliascount",
    "maximumdrivecount",
    "maximumerrorcount",
    "maximumfunctioncount",
    "maximumhistorycount",
    "maximumvariablecount",
    "ofs",
    "outputencoding",
    "progresspreference",
    "psdefaultparametervalues",
    "psemailserver",
    "psmoduleautoloadingpreference",
    "psnativecommandargumentpassing",
    "psnativecommanduseerroractionpreference",
    "pssessionapplicationname",
    "pssessionconfigurationname",
    "pssessionoption",
    "psstyle",
    "transcript",
    "verbosepreference",
    "warningpreference",
    "whatifpreference",
    "psgetpath",
    "pscomputername",
    "pscredential",
    "psuseragent",
    // DSC configurations and Pester tests.
    "allnodes",
    "configurationdata",
    "node",
    "selectednodes",
    "testdrive",
    "testregistry",
];

/// Common parameters that name a variable to assign (and their aliases).
const VARIABLE_PARAMETERS: &[&str] = &[
    "outvariable",
    "ov",
    "errorvariable",
    "ev",
    "warningvariable",
    "wv",
    "informationvariable",
    "iv",
    "pipelinevariable",
    "pv",
];

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    let mut assigned: HashSet<String> = HashSet::new();
    // Variables that are written, not read, where they appear.
    let mut written: HashSet<Span> = HashSet::new();
    let mut reads: Vec<&Variable> = Vec::new();
    // Something may assign any name: the file's reads are then only information.
    let mut open_ended = false;
    // A variable named at run time: nothing can be said.
    let mut unknowable = false;

    let assign = |v: &Variable, assigned: &mut HashSet<String>, written: &mut HashSet<Span>| {
        written.insert(v.span);
        if let Some(name) = key(v) {
            assigned.insert(name);
        }
    };

    for &node in &cx.nodes {
        match node {
            NodeRef::Statement(Statement::Assignment(a)) => {
                targets(&a.target, &mut |v| assign(v, &mut assigned, &mut written));
            }
            NodeRef::Statement(Statement::Foreach(f)) => {
                assign(&f.variable, &mut assigned, &mut written)
            }
            NodeRef::Statement(Statement::Data(d)) => {
                if let Some(name) = &d.name {
                    assigned.insert(name.to_ascii_lowercase());
                }
            }
            NodeRef::Statement(Statement::Function(f))
                if f.kind == crate::powershell::ast::FunctionKind::Workflow =>
            {
                unknowable = true;
            }
            NodeRef::Parameter(p) => assign(&p.variable, &mut assigned, &mut written),
            NodeRef::Expression(Expression::Unary(u))
                if matches!(
                    u.operator,
                    UnaryOperator::PreIncrement
                        | UnaryOperator::PreDecrement
                        | UnaryOperator::PostIncrement
                        | UnaryOperator::PostDecrement
                ) =>
            {
                targets(&u.operand, &mut |v| assign(v, &mut assigned, &mut written));
            }
            NodeRef::Expression(Expression::Convert(c))
                if c.type_name.name.eq_ignore_ascii_case("ref") =>
            {
                targets(&c.operand, &mut |v| assign(v, &mut assigned, &mut written));
            }
            NodeRef::Expression(Expression::Variable(v)) => reads.push(v),
            _ => {}
        }
    }

    for u in &cx.commands {
        if u.command.invocation == Some(InvocationOperator::DotSource) {
            open_ended = true;
        }
        if u.is("Invoke-Expression") || u.is("iex") {
            open_ended = true;
        }
        for p in &u.binding.parameters {
            let name = p
                .resolved
                .parameter()
                .map_or(p.name_as_written, |q| q.name.as_str());
            if VARIABLE_PARAMETERS
                .iter()
                .any(|n| n.eq_ignore_ascii_case(name))
            {
                match p.value.and_then(|v| cx.values.string_value(v)) {
                    Some(s) => {
                        assigned.insert(s.trim_start_matches('+').to_ascii_lowercase());
                    }
                    None => unknowable = true,
                }
            }
        }
        let names_a_variable = [
            "Set-Variable",
            "New-Variable",
            "sv",
            "nv",
            "Import-LocalizedData",
        ]
        .iter()
        .any(|n| u.is(n));
        if names_a_variable {
            let parameter = if u.is("Import-LocalizedData") {
                "BindingVariable"
            } else {
                "Name"
            };
            let value = u
                .binding
                .value(parameter)
                .or_else(|| u.binding.positionals.first().map(|p| p.value))
                .or_else(|| {
                    u.command
                        .parameter(parameter)
                        .and_then(|p| p.value.as_ref())
                });
            let names = value
                .and_then(|v| cx.values.evaluate(v))
                .and_then(|v| v.strings());
            match names {
                Some(names) => assigned.extend(names.into_iter().map(|n| n.to_ascii_lowercase())),
                None => unknowable = true,
            }
        }
        if !u.binding.splats.is_empty() && names_a_variable {
            unknowable = true;
        }
    }
    if unknowable {
        return;
    }

    let mut first: HashMap<String, (&Variable, usize)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for v in reads {
        if written.contains(&v.span) {
            continue;
        }
        let Some(name) = key(v) else { continue };
        if assigned.contains(&name) || AUTOMATIC.contains(&name.as_str()) {
            continue;
        }
        if matches!(
            v.qualifier().map(str::to_ascii_lowercase).as_deref(),
            Some("script" | "global")
        ) {
            continue;
        }
        match first.get_mut(&name) {
            Some((_, count)) => *count += 1,
            None => {
                first.insert(name.clone(), (v, 1));
                order.push(name);
            }
        }
    }
    // Sorted: a tie between two names must be broken the same way on every run.
    let mut candidates: Vec<&str> = assigned.iter().map(String::as_str).collect();
    candidates.sort_unstable();
    for name in order {
        let (v, count) = first[&name];
        let written_name = v.span.text(text);
        let more = match count {
            1 => String::new(),
            n => format!(" (read {n} times in the file)"),
        };
        let suggestion = crate::catalog::did_you_mean(&name, candidates.iter().copied())
            .map(|s| format!("did you mean `${s}`? Otherwise "))
            .unwrap_or_default();
        let help = format!(
            "{suggestion}assign it before it is read, declare it as a parameter, or, when another script sets it, dot-source that script here."
        );
        let mut d = RULE.at(
            v.span,
            format!("`{written_name}` is read but never assigned in this file{more}: PowerShell reads `$null`, or whatever the session holds, without an error."),
            help,
        );
        if open_ended {
            d.severity = Severity::Info;
            d.message.push_str(
                " (The file dot-sources a script or runs Invoke-Expression, which may set it.)",
            );
        }
        out.push(d);
    }
}

/// The name a variable is compared by: lower case, without `local:`/`private:`/`script:`/
/// `global:`/`using:`; `None` for `$env:`, other drives and `${C:\path}`.
fn key(v: &Variable) -> Option<String> {
    match v.qualifier().map(str::to_ascii_lowercase).as_deref() {
        None => Some(v.name.to_ascii_lowercase()),
        Some("local" | "private" | "script" | "global" | "using") => {
            Some(v.unqualified().to_ascii_lowercase())
        }
        Some(_) => None,
    }
}

/// The variables an assignment target writes: `$x`, `[int]$x`, `$a, $b`.
fn targets<'a>(target: &'a Expression, f: &mut dyn FnMut(&'a Variable)) {
    match target {
        Expression::Variable(v) => f(v),
        Expression::Convert(c) => targets(&c.operand, f),
        Expression::Attributed(a) => targets(&a.operand, f),
        Expression::Array(a) => {
            for e in &a.elements {
                targets(e, f);
            }
        }
        Expression::Paren(p) => {
            if let Statement::Pipeline(pl) = &p.pipeline
                && let [crate::powershell::ast::PipelineElement::Expression(e)] =
                    pl.elements.as_slice()
            {
                targets(&e.expression, f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<String> {
        codes_found("undefined-variable", text)
            .into_iter()
            .map(|d| d.message.split('`').nth(1).unwrap_or("").to_owned())
            .collect()
    }

    #[test]
    fn reads_without_assignment_are_reported_once_with_a_suggestion() {
        let text = "$tenantId = 'x'\nWrite-Host $tennantId \"$TENNANTID\"\n";
        let d = codes_found("undefined-variable", text);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].help.starts_with("did you mean `$tenantid`?"),
            "{}",
            d[0].help
        );
        assert!(d[0].message.contains("read 2 times"));
        assert_eq!(found("Write-Host $using:missing"), ["$using:missing"]);
        assert_eq!(found("$a.b = 1"), ["$a"]);
    }

    #[test]
    fn every_way_of_assigning_counts() {
        let text = r#"
param([string]$Tenant)
function F ($x) { param($y) $x + $y + $args[0] }
$a, [int]$b = 1, 2
foreach ($item in $a) { $item }
Get-Item . -OutVariable got -ErrorVariable +errs -ev e2; $got; $errs; $e2
Get-Item . | ForEach-Object -PipelineVariable pv { $pv; $_ }
Set-Variable -Name 'sv1' -Value 1; $sv1
New-Variable nv1 2; $nv1
[int]::TryParse('1', [ref]$parsed); $parsed
$i++; $i
data messages { 'x' }; $messages
$Local:l = 1; $l; $script:s = 2; $s
$global:g; $script:elsewhere; $env:PATH; ${C:\x.txt}; $PSScriptRoot; $ErrorActionPreference; $_; $true; $null; $Matches
& { param($p) $p } 1
Write-Host "$Tenant $($a)"
"#;
        assert!(found(text).is_empty(), "{:?}", found(text));
    }

    #[test]
    fn dot_sourcing_lowers_the_severity_and_dynamic_names_silence_the_rule() {
        let d = codes_found(
            "undefined-variable",
            ". .\\config.ps1\nWrite-Host $fromConfig\n",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Info);
        assert!(found("Set-Variable -Name \"v$i\" -Value 1\n$i = 1\nWrite-Host $v1").is_empty());
    }
}
