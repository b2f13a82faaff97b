//! The literal values of a script's variables, when a reader can be sure of them.
//!
//! The rule, chosen to be conservative:
//! * A variable has a known value when the whole script assigns it exactly once, with `=`, as a
//!   statement of its own in a block (the script's top level, a function body, an `if` branch, a
//!   script block...), and the value is a literal: a string, a number, `$true`/`$false`/`$null`,
//!   an array (`'a', 'b'`, `@('a', 'b')`), a hashtable with constant keys, an expandable string
//!   whose parts are known, or an operation on known values (`'a' + $b`, `-join @(...)`,
//!   `'{0}/{1}' -f $a, $b`, `[string]`).
//! * That value is visible to a use of the variable that comes after the assignment and inside
//!   the same block (straight-line code: the block's statements run in order, and nothing else in
//!   the script writes the variable).
//! * Anything else that can write the variable makes it unknown: a second assignment (including
//!   `+=`, `$x.Property = `, `$x[0] = `, `[type]$x = `, `$a, $x = `), `++`/`--`, `[ref]$x`, a
//!   `foreach` loop variable, a parameter of the script or of any function, `Set-Variable` and
//!   friends naming it, `-OutVariable`/`-ErrorVariable`/... naming it, a method call on it when
//!   its value is an array or a hashtable (`$params.Add(...)`), and assigning `$OFS` makes
//!   arrays' text unknown.
//! * After a dot-sourced script (`. .\x.ps1`), `Invoke-Expression`, or a variable cmdlet with a
//!   name that is not a constant, nothing is known any more.
//! * PowerShell's automatic variables (`$_`, `$args`, `$Matches`, `$PSScriptRoot`...) are never
//!   known; `$true`, `$false` and `$null` always are.
//! * An array or hashtable is never copied from one variable to another (`$b = $a` would share
//!   the object, which a later call could change), and values are bounded in size.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};

use crate::powershell::ast::{
    AssignmentOperator, BinaryOperator, Body, CommandElement, ComparisonOperator, Expression,
    InvocationOperator, PipelineElement, Script, Span, Statement, UnaryOperator, Variable,
};
use crate::powershell::{NodeRef, walk};

use super::strings;

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number as written (`42`, `0x1F`, `1MB`); arithmetic and text only for plain integers.
    Number(String),
    String(String),
    Array(Vec<Value>),
    /// Keys in order; an entry's value is `None` when it is not a known literal.
    Hashtable(Vec<(String, Option<Value>)>),
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The strings of a string (one) or of an array of strings (each).
    pub fn strings(&self) -> Option<Vec<String>> {
        match self {
            Value::String(s) => Some(vec![s.clone()]),
            Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => None,
        }
    }

    /// The value of a plain decimal integer.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Value::Number(text) => plain_integer(text),
            _ => None,
        }
    }

    fn is_collection(&self) -> bool {
        matches!(self, Value::Array(_) | Value::Hashtable(_))
    }

    /// A measure of size: bytes of text plus one per item.
    fn weight(&self) -> usize {
        match self {
            Value::Null | Value::Bool(_) => 1,
            Value::Number(s) | Value::String(s) => 1 + s.len(),
            Value::Array(items) => 1 + items.iter().map(Value::weight).sum::<usize>(),
            Value::Hashtable(entries) => {
                1 + entries
                    .iter()
                    .map(|(k, v)| 1 + k.len() + v.as_ref().map_or(0, Value::weight))
                    .sum::<usize>()
            }
        }
    }
}

/// `42`, `-7`: digits only (after an optional `-`), no leading zero, fits in an i64.
pub(crate) fn plain_integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || (digits.len() > 1 && digits.starts_with('0'))
    {
        return None;
    }
    text.parse().ok()
}

/// A variable's known value and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Known<'a> {
    pub value: Value,
    /// The assigned expression (a hashtable literal for a splat, for example).
    pub expression: &'a Expression,
    /// The assignment statement.
    pub assignment: Span,
    /// The block the assignment is a statement of: uses inside it, after the assignment, see
    /// the value.
    pub scope: Span,
}

/// A variable's one assignment, whatever its value (see [`Values::assignment_at`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assigned<'a> {
    /// The assigned statement: a pipeline (`Get-X | Where-Object ...`), an expression...
    pub value: &'a Statement,
    /// The assigned expression, when the statement is a single expression.
    pub expression: Option<&'a Expression>,
    /// The assignment statement.
    pub assignment: Span,
    /// The block the assignment is a statement of.
    pub scope: Span,
}

/// The largest value kept, by [`Value::weight`].
const MAX_WEIGHT: usize = 64 * 1024;
/// The work (weight of the values built) one evaluation may spend.
const EVALUATION_BUDGET: usize = 1024 * 1024;
/// The work reading all the assignments of a script may spend, so that no script can make it slow
/// or big.
const SCRIPT_BUDGET: usize = 32 * 1024 * 1024;
/// How deep expressions are evaluated.
const MAX_DEPTH: usize = 64;

/// The variables a script assigns literal values, and how to evaluate expressions with them.
#[derive(Debug)]
pub struct Values<'a> {
    text: &'a str,
    known: HashMap<String, Known<'a>>,
    /// Every variable assigned exactly once (the same rule as `known`), with the expression
    /// assigned, whether or not its value is a literal: `$cer = New-Object ...` is here too.
    single: HashMap<String, Assigned<'a>>,
    /// Uses at or after this offset know nothing (dot-sourcing, `Invoke-Expression`...).
    barrier: Option<usize>,
    /// `$OFS` is assigned somewhere: arrays' text is unknown.
    ofs_assigned: bool,
    /// What the evaluation under way may still spend.
    work: Cell<usize>,
}

/// Variables PowerShell sets itself: never known, whatever the script assigns.
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
];

/// The cmdlets (and their aliases) that write a variable named by a string.
const VARIABLE_CMDLETS: &[&str] = &[
    "set-variable",
    "new-variable",
    "clear-variable",
    "remove-variable",
    "sv",
    "set",
    "nv",
    "clv",
    "rv",
];

/// The common parameters whose value names a variable to write, and their aliases.
const VARIABLE_PARAMETERS: &[&str] = &[
    "outvariable",
    "errorvariable",
    "warningvariable",
    "informationvariable",
    "pipelinevariable",
];
const VARIABLE_PARAMETER_ALIASES: &[&str] = &["ov", "ev", "wv", "iv", "pv"];

/// The name under which a variable's assignments are counted: lower case, without a scope
/// (`$script:x` and `$x` are counted together, which only makes more variables unknown).
fn key(name: &str) -> String {
    let lower = name.to_lowercase();
    for scope in [
        "script:",
        "global:",
        "local:",
        "private:",
        "using:",
        "variable:",
    ] {
        if let Some(rest) = lower.strip_prefix(scope) {
            return rest.to_string();
        }
    }
    lower
}

/// The variables a target writes: `$x`, `[int]$x`, `$a, $b`, and the root of `$x.P`/`$x[0]`.
fn target_variables<'e>(target: &'e Expression, out: &mut Vec<&'e Variable>) {
    match target {
        Expression::Variable(v) => out.push(v),
        Expression::Convert(c) => target_variables(&c.operand, out),
        Expression::Attributed(a) => target_variables(&a.operand, out),
        Expression::Array(a) => a.elements.iter().for_each(|e| target_variables(e, out)),
        Expression::Paren(p) => {
            if let Statement::Pipeline(pipeline) = &p.pipeline {
                for e in &pipeline.elements {
                    if let PipelineElement::Expression(x) = e {
                        target_variables(&x.expression, out);
                    }
                }
            }
        }
        Expression::Member(_) | Expression::Index(_) | Expression::Invoke(_) => {
            if let Some(v) = root_variable(target) {
                out.push(v);
            }
        }
        _ => {}
    }
}

/// The variable at the root of `$x.A.B`, `$x[0]`, `$x.M()`.
fn root_variable(e: &Expression) -> Option<&Variable> {
    let mut e = e;
    loop {
        match e {
            Expression::Variable(v) => return Some(v),
            Expression::Member(m) => e = &m.target,
            Expression::Index(i) => e = &i.target,
            Expression::Invoke(i) => e = &i.target,
            Expression::Paren(p) => match single_expression(&p.pipeline) {
                Some(inner) => e = inner,
                None => return None,
            },
            _ => return None,
        }
    }
}

/// The expression of a statement that is a one-element pipeline without redirections.
pub(crate) fn single_expression(statement: &Statement) -> Option<&Expression> {
    match statement {
        Statement::Pipeline(p) if !p.background => match p.elements.as_slice() {
            [PipelineElement::Expression(x)] if x.redirections.is_empty() => Some(&x.expression),
            _ => None,
        },
        _ => None,
    }
}

/// What one pass over the script finds.
#[derive(Default)]
struct Scan<'a> {
    /// How many times each variable is written.
    writes: HashMap<String, usize>,
    /// Variables whose methods are called.
    invoked: HashSet<String>,
    /// `name = value` statements of blocks, with the block's span.
    candidates: Vec<(&'a crate::powershell::ast::Assignment, Span)>,
    barrier: Option<usize>,
}

impl<'a> Scan<'a> {
    fn write(&mut self, name: &str) {
        *self.writes.entry(key(name)).or_insert(0) += 1;
    }

    fn barrier_at(&mut self, offset: usize) {
        self.barrier = Some(self.barrier.map_or(offset, |b| b.min(offset)));
    }

    fn block(&mut self, statements: &'a [Statement], scope: Span) {
        for s in statements {
            if let Statement::Assignment(a) = s {
                self.candidates.push((a, scope));
            }
        }
    }

    fn command(&mut self, command: &'a crate::powershell::ast::Command) {
        if command.invocation == Some(InvocationOperator::DotSource) {
            self.barrier_at(command.span.start);
        }
        let name = command.name().map(str::to_ascii_lowercase);
        let name = name.as_deref().map(|n| n.rsplit('\\').next().unwrap_or(n));
        if matches!(name, Some("invoke-expression" | "iex")) {
            self.barrier_at(command.span.start);
        }
        if name.is_some_and(|n| VARIABLE_CMDLETS.contains(&n)) {
            for element in &command.elements {
                let value = match element {
                    CommandElement::Argument(a) => Some(a),
                    CommandElement::Parameter(p) => p.value.as_ref(),
                    _ => None,
                };
                match value.map(|v| v.as_str()) {
                    Some(Some(n)) => self.write(n),
                    Some(None) => self.barrier_at(command.span.start),
                    None => {}
                }
            }
        }
        // -OutVariable name, -ov:name, -ErrorVariable +name...
        let mut elements = command.elements.iter().peekable();
        while let Some(element) = elements.next() {
            let CommandElement::Parameter(p) = element else {
                continue;
            };
            let lower = p.name.to_ascii_lowercase();
            let names_variable = VARIABLE_PARAMETER_ALIASES.contains(&lower.as_str())
                || (lower.len() >= 2 && VARIABLE_PARAMETERS.iter().any(|v| v.starts_with(&lower)));
            if !names_variable {
                continue;
            }
            let value = match &p.value {
                Some(v) => Some(v),
                None => match elements.peek() {
                    Some(CommandElement::Argument(a)) => Some(a),
                    _ => None,
                },
            };
            match value.map(|v| v.as_str()) {
                Some(Some(n)) => self.write(n.strip_prefix('+').unwrap_or(n)),
                Some(None) => self.barrier_at(command.span.start),
                None => {}
            }
        }
    }

    fn node(&mut self, node: NodeRef<'a>) {
        match node {
            NodeRef::Statement(Statement::Assignment(a)) => {
                let mut written = Vec::new();
                target_variables(&a.target, &mut written);
                for v in written {
                    self.write(&v.name);
                }
            }
            NodeRef::Statement(Statement::Foreach(f)) => self.write(&f.variable.name),
            NodeRef::Parameter(p) => self.write(&p.variable.name),
            NodeRef::StatementBlock(b) => self.block(&b.statements, b.span),
            NodeRef::ScriptBlock(b) => {
                if let Body::Statements(list) = &b.body {
                    self.block(&list.statements, b.span);
                }
            }
            NodeRef::Command(c) => self.command(c),
            NodeRef::Expression(Expression::Unary(u))
                if matches!(
                    u.operator,
                    UnaryOperator::PreIncrement
                        | UnaryOperator::PreDecrement
                        | UnaryOperator::PostIncrement
                        | UnaryOperator::PostDecrement
                ) =>
            {
                if let Some(v) = root_variable(&u.operand) {
                    self.write(&v.name);
                }
            }
            NodeRef::Expression(Expression::Convert(c))
                if c.type_name.name.eq_ignore_ascii_case("ref") =>
            {
                if let Some(v) = root_variable(&c.operand) {
                    self.write(&v.name);
                }
            }
            NodeRef::Expression(Expression::Invoke(i)) => {
                if let Some(v) = root_variable(&i.target) {
                    self.invoked.insert(key(&v.name));
                }
            }
            _ => {}
        }
    }
}

impl<'a> Values<'a> {
    /// Reads the assignments of `script`, parsed from `text` (the text is needed for the parts of
    /// expandable strings).
    pub fn new(script: &'a Script, text: &'a str) -> Values<'a> {
        let mut scan = Scan::default();
        if let Body::Statements(list) = &script.body {
            scan.block(&list.statements, Span::new(0, usize::MAX));
        }
        walk(script, |node| scan.node(node));
        let mut values = Values {
            text,
            known: HashMap::new(),
            single: HashMap::new(),
            barrier: scan.barrier,
            ofs_assigned: scan.writes.contains_key("ofs"),
            work: Cell::new(0),
        };
        scan.candidates.sort_by_key(|(a, _)| a.span.start);
        let mut script_budget = SCRIPT_BUDGET;
        for (assignment, scope) in scan.candidates {
            if script_budget == 0 {
                break;
            }
            let Expression::Variable(target) = &assignment.target else {
                continue;
            };
            let name = key(&target.name);
            if assignment.operator != AssignmentOperator::Assign
                || target.splatted
                || scan.writes.get(&name) != Some(&1)
                || AUTOMATIC.contains(&name.as_str())
                || matches!(name.as_str(), "true" | "false" | "null")
                || values.barrier.is_some_and(|b| assignment.span.start >= b)
            {
                continue;
            }
            values.single.insert(
                name.clone(),
                Assigned {
                    value: &assignment.value,
                    expression: single_expression(&assignment.value),
                    assignment: assignment.span,
                    scope,
                },
            );
            let Some(expression) = single_expression(&assignment.value) else {
                continue;
            };
            let budget = EVALUATION_BUDGET.min(script_budget);
            values.work.set(budget);
            let value = values.eval(expression, true, 0);
            script_budget -= budget - values.work.get();
            let Some(value) = value else {
                continue;
            };
            if value.is_collection() && scan.invoked.contains(&name) {
                continue;
            }
            values.known.insert(
                name,
                Known {
                    value,
                    expression,
                    assignment: assignment.span,
                    scope,
                },
            );
        }
        values
    }

    /// Knows nothing (for a command read without its script).
    pub fn none(text: &'a str) -> Values<'a> {
        Values {
            text,
            known: HashMap::new(),
            single: HashMap::new(),
            barrier: None,
            ofs_assigned: false,
            work: Cell::new(0),
        }
    }

    /// The text the script was parsed from.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The known value assigned to the variable `name` (without `$`, any case), wherever it is
    /// used.
    pub fn assigned(&self, name: &str) -> Option<&Known<'a>> {
        self.known.get(&key(name))
    }

    /// The known value a use of a variable sees: assigned before the use, in a block holding the
    /// use.
    pub fn at(&self, variable: &Variable) -> Option<&Known<'a>> {
        let start = variable.span.start;
        if self.barrier.is_some_and(|b| start >= b) {
            return None;
        }
        let known = self.known.get(&key(&variable.name))?;
        (known.assignment.end <= start
            && known.scope.start <= start
            && variable.span.end <= known.scope.end)
            .then_some(known)
    }

    /// The expression a use of a variable sees, when the script assigns the variable exactly once
    /// (as for [`Values::at`], but also when the value is not a literal: a command, a method
    /// call, a cast, a pipeline). What it holds at run time is for the caller to judge: a method
    /// call on the variable (`$list.Add(...)`) may change it.
    pub fn assignment_at(&self, variable: &Variable) -> Option<&Assigned<'a>> {
        let start = variable.span.start;
        if self.barrier.is_some_and(|b| start >= b) {
            return None;
        }
        let assigned = self.single.get(&key(&variable.name))?;
        (assigned.assignment.end <= start
            && assigned.scope.start <= start
            && variable.span.end <= assigned.scope.end)
            .then_some(assigned)
    }

    /// The value of a variable at its use, including `$true`, `$false` and `$null`.
    pub fn variable(&self, variable: &Variable) -> Option<Value> {
        self.work.set(EVALUATION_BUDGET);
        self.variable_value(variable, false)
    }

    /// The value of an expression, when it is certain.
    pub fn evaluate(&self, expression: &Expression) -> Option<Value> {
        self.work.set(EVALUATION_BUDGET);
        self.eval(expression, false, 0)
    }

    /// The value of an expression when it is a known string (a constant, an expandable string
    /// whose parts are known, a concatenation...).
    pub fn string_value(&self, expression: &Expression) -> Option<String> {
        match self.evaluate(expression)? {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A value as PowerShell turns it into text (in a string, with `+` after a string, `-join`).
    pub fn text_of(&self, value: &Value) -> Option<String> {
        strings::text_of(value, self.ofs_assigned)
    }

    fn variable_value(&self, variable: &Variable, stored: bool) -> Option<Value> {
        match key(&variable.name).as_str() {
            "true" => return Some(Value::Bool(true)),
            "false" => return Some(Value::Bool(false)),
            "null" => return Some(Value::Null),
            _ => {}
        }
        let known = self.at(variable)?;
        if stored && known.value.is_collection() {
            return None;
        }
        self.spend(known.value.clone())
    }

    /// Counts a built value against the size limits.
    fn spend(&self, value: Value) -> Option<Value> {
        let weight = value.weight();
        let left = self.work.get();
        if weight > MAX_WEIGHT || weight > left {
            self.work.set(left.saturating_sub(weight));
            return None;
        }
        self.work.set(left - weight);
        Some(value)
    }

    /// `stored`: the value is kept as is (assigned, or put in an array or hashtable), so an array
    /// or hashtable taken from another variable would be shared, and is not known.
    pub(crate) fn eval(&self, e: &Expression, stored: bool, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH || self.work.get() == 0 {
            return None;
        }
        let depth = depth + 1;
        let value = match e {
            Expression::String(s) => Value::String(s.value.clone()),
            Expression::Number(n) => Value::Number(n.text.clone()),
            Expression::Variable(v) => return self.variable_value(v, stored),
            Expression::ExpandableString(s) => Value::String(strings::interpolate(s, self, depth)?),
            Expression::Array(a) => Value::Array(
                a.elements
                    .iter()
                    .map(|x| self.eval(x, true, depth))
                    .collect::<Option<_>>()?,
            ),
            Expression::ArrayExpression(s) => Value::Array(self.outputs(&s.statements, depth)?),
            Expression::SubExpression(s) => {
                let mut outputs = self.outputs(&s.statements, depth)?;
                match outputs.len() {
                    0 => Value::Null,
                    1 => outputs.pop()?,
                    _ => Value::Array(outputs),
                }
            }
            Expression::Paren(p) => {
                return self.eval(single_expression(&p.pipeline)?, stored, depth);
            }
            Expression::Hashtable(h) => {
                let mut entries = Vec::with_capacity(h.entries.len());
                for entry in &h.entries {
                    let key = match &entry.key {
                        Expression::String(s) => s.value.clone(),
                        Expression::Number(n) => n.text.clone(),
                        _ => return None,
                    };
                    let value =
                        single_expression(&entry.value).and_then(|x| self.eval(x, true, depth));
                    entries.push((key, value));
                }
                Value::Hashtable(entries)
            }
            Expression::Convert(c) => {
                let t = &c.type_name;
                if !t.generic_arguments.is_empty() || !t.array_ranks.is_empty() {
                    return None;
                }
                let name = t.name.to_ascii_lowercase();
                let name = name.strip_prefix("system.").unwrap_or(&name);
                let operand = self.eval(&c.operand, stored, depth)?;
                match (name, operand) {
                    ("string", v) => Value::String(self.text_of(&v)?),
                    ("ordered" | "hashtable", v @ Value::Hashtable(_)) => v,
                    ("int" | "int32" | "long" | "int64", v) if v.as_integer().is_some() => v,
                    _ => return None,
                }
            }
            Expression::Unary(u) => {
                let operand = self.eval(&u.operand, false, depth)?;
                match u.operator {
                    UnaryOperator::Comma => Value::Array(vec![operand]),
                    UnaryOperator::Join => {
                        let items = match operand {
                            Value::Array(items) => items,
                            other => vec![other],
                        };
                        let mut out = String::new();
                        for item in &items {
                            out.push_str(&strings::element_text(item)?);
                        }
                        Value::String(out)
                    }
                    UnaryOperator::Negate => {
                        Value::Number(operand.as_integer()?.checked_neg()?.to_string())
                    }
                    UnaryOperator::Plus if operand.as_integer().is_some() => operand,
                    _ => return None,
                }
            }
            Expression::Binary(b) => {
                let left = self.eval(&b.left, false, depth)?;
                let right = self.eval(&b.right, false, depth)?;
                match b.operator {
                    BinaryOperator::Add => match (left, right) {
                        (Value::String(mut l), r) => {
                            l.push_str(&self.text_of(&r)?);
                            Value::String(l)
                        }
                        (l @ Value::Number(_), r @ Value::Number(_)) => {
                            Value::Number(l.as_integer()?.checked_add(r.as_integer()?)?.to_string())
                        }
                        (Value::Array(mut l), Value::Array(r)) => {
                            l.extend(r);
                            Value::Array(l)
                        }
                        (Value::Array(mut l), r) => {
                            l.push(r);
                            Value::Array(l)
                        }
                        _ => return None,
                    },
                    BinaryOperator::Comparison(ComparisonOperator::Join, _) => {
                        let separator = self.text_of(&right)?;
                        let items = match left {
                            Value::Array(items) => items,
                            other => vec![other],
                        };
                        let texts: Option<Vec<String>> =
                            items.iter().map(strings::element_text).collect();
                        Value::String(texts?.join(&separator))
                    }
                    BinaryOperator::Format => {
                        let Value::String(format) = left else {
                            return None;
                        };
                        let arguments = match right {
                            Value::Array(items) => items,
                            other => vec![other],
                        };
                        Value::String(strings::format(&format, &arguments)?)
                    }
                    _ => return None,
                }
            }
            _ => return None,
        };
        self.spend(value)
    }

    /// What a list of statements outputs, pipeline-style (arrays enumerated one level), when
    /// each is a literal expression.
    fn outputs(&self, statements: &[Statement], depth: usize) -> Option<Vec<Value>> {
        let mut out = Vec::new();
        for s in statements {
            match self.eval(single_expression(s)?, true, depth)? {
                Value::Array(items) => out.extend(items),
                other => out.push(other),
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::powershell::parse;

    /// The known value of `$name` in `text`, position-independent.
    fn assigned(text: &str, name: &str) -> Option<Value> {
        let script = parse(text).unwrap();
        let values = Values::new(&script, text);
        values.assigned(name).map(|k| k.value.clone())
    }

    /// The value of the first argument of the first `Write-Output`.
    fn seen(text: &str) -> Option<Value> {
        let script = parse(text).unwrap();
        let values = Values::new(&script, text);
        let command = script
            .commands()
            .into_iter()
            .find(|c| c.name() == Some("Write-Output"))
            .unwrap();
        let argument = command.elements.iter().find_map(|e| match e {
            CommandElement::Argument(a) => Some(a),
            _ => None,
        })?;
        values.evaluate(argument)
    }

    fn s(v: &str) -> Option<Value> {
        Some(Value::String(v.to_string()))
    }

    #[test]
    fn literals_are_known() {
        assert_eq!(assigned("$x = 'a'", "x"), s("a"));
        assert_eq!(assigned("$x = \"a\"", "X"), s("a"));
        assert_eq!(assigned("$x = 42", "x"), Some(Value::Number("42".into())));
        assert_eq!(assigned("$x = $true", "x"), Some(Value::Bool(true)));
        assert_eq!(assigned("$x = $null", "x"), Some(Value::Null));
        assert_eq!(
            assigned("$x = @('a', 'b')", "x").and_then(|v| v.strings()),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            assigned("$x = 'a', 'b'", "x").and_then(|v| v.strings()),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(assigned("$x = @()", "x"), Some(Value::Array(vec![])));
        assert_eq!(assigned("$x = -join @('a', 'b')", "x"), s("ab"));
        assert_eq!(assigned("$x = @('a', 'b') -join '/'", "x"), s("a/b"));
        assert_eq!(assigned("$x = 'a' + 'b' + 1", "x"), s("ab1"));
        assert_eq!(assigned("$x = 1 + 2", "x"), Some(Value::Number("3".into())));
        assert_eq!(assigned("$x = '{0}-{1}' -f 'a', 'b'", "x"), s("a-b"));
        assert_eq!(
            assigned("$x = @{ Identity = 'a'; 'Force' = $true }", "x"),
            Some(Value::Hashtable(vec![
                ("Identity".into(), s("a")),
                ("Force".into(), Some(Value::Bool(true)))
            ]))
        );
        assert_eq!(
            assigned("$x = [ordered]@{ A = Get-Date }", "x"),
            Some(Value::Hashtable(vec![("A".into(), None)]))
        );
    }

    #[test]
    fn values_flow_through_earlier_variables() {
        let text = "$tenant = 'fabrikam'\n$url = \"https://$tenant.example/$($tenant)\"";
        assert_eq!(
            assigned(text, "url"),
            s("https://fabrikam.example/fabrikam")
        );
        assert_eq!(seen("$a = 'x'\nWrite-Output $a"), s("x"));
        assert_eq!(
            seen("$a = 'x'\nif ($y) { Write-Output \"[$a]\" }"),
            s("[x]")
        );
    }

    #[test]
    fn a_use_before_the_assignment_or_outside_its_block_is_unknown() {
        assert_eq!(seen("Write-Output $a\n$a = 'x'"), None);
        assert_eq!(seen("if ($y) { $a = 'x' }\nWrite-Output $a"), None);
        assert_eq!(seen("function f { $a = 'x' }\nWrite-Output $a"), None);
        // Inside the same block, later: known.
        assert_eq!(seen("function f { $a = 'x'; Write-Output $a }"), s("x"));
    }

    #[test]
    fn any_second_write_makes_it_unknown() {
        for text in [
            "$x = 'a'\n$x = 'b'",
            "$x = 'a'\n$x += 'b'",
            "$x = 'a'\nif ($c) { $x = 'b' }",
            "$x = 'a'\nfunction f { $x = 'b' }",
            "$x = 'a'\nforeach ($x in 1..2) {}",
            "param($x)\n$x = 'a'",
            "$x = 'a'\nfunction f($x) {}",
            "$x = 'a'\n$x++",
            "$x = 'a'\n[ref]$x",
            "$x = 'a'\n$a, $x = 1, 2",
            "$x = @{ A = 1 }\n$x.B = 2",
            "$x = @{ A = 1 }\n$x['B'] = 2",
            "$x = @{ A = 1 }\n$x.Add('B', 2)",
            "$x = 'a'\nSet-Variable -Name x -Value b",
            "$x = 'a'\nGet-Item . -OutVariable x",
            "$x = 'a'\nGet-Item . -ev:+x",
            "$x = 'a'\n[string]$x = 'b'",
        ] {
            assert_eq!(assigned(text, "x"), None, "{text}");
        }
        // A method call on a string changes nothing.
        assert_eq!(assigned("$x = 'a'\n$x.ToUpper()", "x"), s("a"));
    }

    #[test]
    fn dot_sourcing_and_invoke_expression_end_what_is_known() {
        assert_eq!(seen("$a = 'x'\n. .\\other.ps1\nWrite-Output $a"), None);
        assert_eq!(
            seen("$a = 'x'\nInvoke-Expression $s\nWrite-Output $a"),
            None
        );
        assert_eq!(
            seen("$a = 'x'\nSet-Variable -Name $n 1\nWrite-Output $a"),
            None
        );
        assert_eq!(seen("$a = 'x'\nWrite-Output $a\n. .\\other.ps1"), s("x"));
    }

    #[test]
    fn automatic_variables_and_unknowns_are_not_known() {
        assert_eq!(assigned("$_ = 'a'", "_"), None);
        assert_eq!(assigned("$Matches = 'a'", "matches"), None);
        assert_eq!(assigned("$x = Get-Date", "x"), None);
        assert_eq!(assigned("$x = $y", "x"), None);
        assert_eq!(assigned("$x = \"a$y\"", "x"), None);
        assert_eq!(assigned("$x = 1.5 + 1", "x"), None);
        // An escaped `$` cannot be told from a part without more work: unknown.
        assert_eq!(assigned("$y = 'v'\n$x = \"`$y is $y\"", "x"), None);
        assert_eq!(assigned("$y = 'v'\n$x = \"y is $y\"", "x"), s("y is v"));
    }

    #[test]
    fn collections_are_never_shared_between_variables() {
        assert_eq!(assigned("$a = @(1)\n$b = $a", "b"), None);
        assert_eq!(assigned("$a = @{ K = 1 }\n$b = @($a)", "b"), None);
        // Reading them is fine.
        assert_eq!(
            assigned("$a = @('p', 'q')\n$b = $a -join ','", "b"),
            s("p,q")
        );
        assert_eq!(assigned("$a = @('p', 'q')\n$b = \"$a\"", "b"), s("p q"));
        assert_eq!(
            assigned("$OFS = '-'\n$a = @('p', 'q')\n$b = \"$a\"", "b"),
            None
        );
    }

    #[test]
    fn the_one_assignment_is_kept_whatever_its_value() {
        let text = "$cer = New-Object X509Certificate2 $p\n$v = [Convert]::ToBase64String($cer.RawData)\nWrite-Output $v\n$w = 1\n$w = 2\nWrite-Output $w";
        let script = parse(text).unwrap();
        let values = Values::new(&script, text);
        let uses: Vec<&Variable> = script
            .commands()
            .into_iter()
            .filter(|c| c.name() == Some("Write-Output"))
            .filter_map(|c| match c.arguments().next() {
                Some(Expression::Variable(v)) => Some(&**v),
                _ => None,
            })
            .collect();
        let v = values.assignment_at(uses[0]).unwrap();
        assert!(matches!(v.expression, Some(Expression::Invoke(_))));
        assert!(values.at(uses[0]).is_none(), "not a literal");
        // Written twice: no assignment is the one.
        assert!(values.assignment_at(uses[1]).is_none());
        // A command is kept as the statement.
        let text = "$creds = Get-Thing -All\nWrite-Output $creds";
        let script = parse(text).unwrap();
        let values = Values::new(&script, text);
        let command = script.commands()[1];
        let Some(Expression::Variable(use_)) = command.arguments().next() else {
            panic!()
        };
        let a = values.assignment_at(use_).unwrap();
        assert!(a.expression.is_none() && matches!(a.value, Statement::Pipeline(_)));
    }

    #[test]
    fn values_stay_small() {
        let mut text = String::from("$a0 = 'xxxxxxxxxxxxxxxx'\n");
        for i in 1..40 {
            text.push_str(&format!("$a{i} = $a{} + $a{}\n", i - 1, i - 1));
        }
        let script = parse(&text).unwrap();
        let values = Values::new(&script, &text);
        assert!(values.assigned("a5").is_some());
        assert!(values.assigned("a39").is_none());
    }
}
