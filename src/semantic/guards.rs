//! What a script checks before it acts: the variables and members read in conditions and
//! filters ([`Guards`]), the `if` statements around a place ([`Enclosing`]), spans that nest
//! ([`Nesting`]), and whether the conditions around a place mention a variable.

use super::variables::collect_variables;
use crate::powershell::ast::{CommandElement, Variable};
use crate::powershell::walk_node;
use std::collections::HashSet;

use crate::powershell::NodeRef;
use crate::powershell::ast::{BinaryOperator, ComparisonOperator, Expression, Span, Statement};

use super::Analysis;
use super::variables::{variable_key, variables_in};

/// What "checks" a script makes, for the rules that want a list looked at before it is
/// written: the variables read in `if`/`elseif`/`while`/`do`/`switch` conditions, in
/// `Where-Object` filters and `.Where()`, in `-contains`/`-notcontains`/`-in`/`-notin`
/// comparisons, and on either side of `.Contains()`. Built once per file.
#[derive(Debug, Default)]
pub struct Guards {
    pub variables: HashSet<String>,
    /// Members read in those places (`KeyCredentials`, `ServicePrincipalNames`), lower case.
    pub members: HashSet<String>,
}

impl Guards {
    pub fn new(cx: &Analysis<'_>) -> Guards {
        let mut roots: Vec<NodeRef<'_>> = Vec::new();
        cx.nodes.iter().copied().for_each(|node| match node {
            NodeRef::Statement(Statement::If(s)) => {
                // `if ($PSCmdlet.ShouldProcess(...))` asks the user, it checks nothing.
                roots.extend(
                    s.clauses
                        .iter()
                        .filter(|c| {
                            !c.condition
                                .span()
                                .text(cx.text())
                                .to_ascii_lowercase()
                                .contains("shouldprocess")
                        })
                        .map(|c| NodeRef::Statement(&c.condition)),
                );
            }
            NodeRef::Statement(Statement::While(s)) => roots.push(NodeRef::Statement(&s.condition)),
            NodeRef::Statement(Statement::Do(s)) => roots.push(NodeRef::Statement(&s.condition)),
            NodeRef::Statement(Statement::Switch(s)) => {
                if let Some(c) = &s.condition {
                    roots.push(NodeRef::Statement(c));
                }
            }
            NodeRef::Expression(e @ Expression::Binary(b))
                if matches!(
                    b.operator,
                    BinaryOperator::Comparison(
                        ComparisonOperator::Contains
                            | ComparisonOperator::NotContains
                            | ComparisonOperator::In
                            | ComparisonOperator::NotIn,
                        _
                    )
                ) =>
            {
                roots.push(NodeRef::Expression(e));
            }
            NodeRef::Expression(e @ Expression::Invoke(i))
                if i.member.as_str().is_some_and(|m| {
                    m.eq_ignore_ascii_case("Contains") || m.eq_ignore_ascii_case("Where")
                }) =>
            {
                roots.push(NodeRef::Expression(e));
            }
            NodeRef::Command(c) => {
                let name = c.name().unwrap_or("");
                if ["Where-Object", "where", "?"]
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(name))
                {
                    for el in &c.elements {
                        match el {
                            CommandElement::Argument(a) => roots.push(NodeRef::Expression(a)),
                            CommandElement::Parameter(p) => {
                                if let Some(v) = &p.value {
                                    roots.push(NodeRef::Expression(v));
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        });
        let mut guards = Guards::default();
        let mut read: Vec<&Variable> = Vec::new();
        // A root inside one already walked (a comparison in an `if` condition, a chain of
        // `-in`) is skipped, so that each node is read once.
        let span_of = |n: NodeRef<'_>| match n {
            NodeRef::Statement(s) => s.span(),
            NodeRef::Expression(e) => e.span(),
            _ => Span::default(),
        };
        roots.sort_by_key(|n| {
            let s = span_of(*n);
            (s.start, std::cmp::Reverse(s.end))
        });
        let mut covered_end = 0;
        for root in roots {
            let span = span_of(root);
            if span.start < covered_end {
                continue;
            }
            covered_end = span.end;
            walk_node(root, |n| match n {
                NodeRef::Expression(Expression::Variable(v))
                    if guards.variables.insert(variable_key(v)) =>
                {
                    read.push(v);
                }
                NodeRef::Expression(Expression::Member(m)) => {
                    if let Some(name) = m.member.as_str() {
                        guards.members.insert(name.to_ascii_lowercase());
                    }
                }
                _ => {}
            });
        }
        // A check of a variable is a check of what it was computed from
        // (`$holder = Get-MsolServicePrincipal -ServicePrincipalName $spn; if ($holder) ...`).
        for v in read {
            if let Some(a) = cx.values.assignment_at(v) {
                variables_in(NodeRef::Statement(a.value), &mut guards.variables);
            }
        }
        guards
    }

    /// Whether a check reads any of `variables`.
    pub fn mention_any(&self, variables: &HashSet<String>) -> bool {
        variables.iter().any(|v| self.variables.contains(v))
    }
}

/// The `if` clauses of a file, to find those around a place: each clause's body span (and the
/// `else` body, which the same conditions decide) with the conditions, nested as the code is.
pub struct Enclosing<'a> {
    /// (body span, the if statement's conditions), sorted by start.
    bodies: Vec<(Span, &'a crate::powershell::ast::IfStatement, usize)>,
}

impl<'a> Enclosing<'a> {
    pub fn new(cx: &Analysis<'a>) -> Enclosing<'a> {
        let mut bodies = Vec::new();
        cx.nodes.iter().copied().for_each(|node| {
            if let NodeRef::Statement(Statement::If(s)) = node {
                for c in &s.clauses {
                    bodies.push((c.body.span, &**s, usize::MAX));
                }
                if let Some(e) = &s.else_body {
                    bodies.push((e.span, &**s, usize::MAX));
                }
            }
        });
        bodies.sort_by_key(|(span, _, _)| (span.start, std::cmp::Reverse(span.end)));
        // Parent of each body: the nearest earlier body that contains it.
        let mut stack: Vec<usize> = Vec::new();
        for i in 0..bodies.len() {
            let span = bodies[i].0;
            while let Some(&top) = stack.last() {
                if bodies[top].0.end >= span.end && bodies[top].0.start <= span.start {
                    break;
                }
                stack.pop();
            }
            bodies[i].2 = stack.last().copied().unwrap_or(usize::MAX);
            stack.push(i);
        }
        Enclosing { bodies }
    }

    /// The if statements whose clause bodies (or else body) hold `offset`, innermost first.
    pub fn around(&self, offset: usize) -> Vec<&'a crate::powershell::ast::IfStatement> {
        let mut out = Vec::new();
        let i = self.bodies.partition_point(|(s, _, _)| s.start <= offset);
        if i == 0 {
            return out;
        }
        let mut at = i - 1;
        loop {
            let (span, statement, parent) = self.bodies[at];
            if span.start <= offset && offset < span.end {
                out.push(statement);
            }
            if parent == usize::MAX {
                break;
            }
            at = parent;
        }
        out
    }
}

/// Spans that nest (or are apart), as the blocks of a script do, to find those around a place
/// in logarithmic time plus the nesting depth.
pub struct Nesting {
    /// (span, parent index or `usize::MAX`), sorted by start, outer before inner.
    spans: Vec<(Span, usize)>,
}

impl Nesting {
    pub fn new(mut spans: Vec<Span>) -> Nesting {
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        let mut out: Vec<(Span, usize)> = Vec::with_capacity(spans.len());
        let mut stack: Vec<usize> = Vec::new();
        for span in spans {
            while let Some(&top) = stack.last() {
                let t = out[top].0;
                if t.start <= span.start && span.end <= t.end {
                    break;
                }
                stack.pop();
            }
            out.push((span, stack.last().copied().unwrap_or(usize::MAX)));
            stack.push(out.len() - 1);
        }
        Nesting { spans: out }
    }

    /// The spans that hold `offset`, innermost first.
    pub fn containing(&self, offset: usize) -> Vec<Span> {
        let mut out = Vec::new();
        let i = self.spans.partition_point(|(s, _)| s.start <= offset);
        if i == 0 {
            return out;
        }
        let mut at = i - 1;
        loop {
            let (span, parent) = self.spans[at];
            if span.start <= offset && offset < span.end {
                out.push(span);
            }
            if parent == usize::MAX {
                break;
            }
            at = parent;
        }
        out
    }

    /// Whether any span holds `offset`.
    pub fn holds(&self, offset: usize) -> bool {
        !self.containing(offset).is_empty()
    }
}

/// Whether an if statement's conditions look at `word` (lower case): in their text, or in the
/// one assignment of a variable they read (`$keys = $sp.KeyCredentials; if ($keys) {...}`).
pub fn conditions_mention(
    cx: &Analysis<'_>,
    s: &crate::powershell::ast::IfStatement,
    word: &str,
) -> bool {
    let text = cx.text();
    s.clauses.iter().any(|c| {
        if c.condition
            .span()
            .text(text)
            .to_ascii_lowercase()
            .contains(word)
        {
            return true;
        }
        let mut vars = Vec::new();
        collect_variables(NodeRef::Statement(&c.condition), &mut vars);
        vars.iter().any(|v| {
            cx.values.assignment_at(v).is_some_and(|a| {
                a.value
                    .span()
                    .text(text)
                    .to_ascii_lowercase()
                    .contains(word)
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_read_each_node_once_even_in_long_chains() {
        let mut text = String::from("$sp = Get-X\nif ($a -in $b");
        for i in 0..20_000 {
            text.push_str(&format!(" -in $v{i}"));
        }
        text.push_str(") { }\n");
        let script = crate::powershell::parse(&text).unwrap();
        let values = crate::semantic::Values::new(&script, &text);
        let cx = Analysis::new(&text, &script, &values);
        let started = std::time::Instant::now();
        let guards = Guards::new(&cx);
        assert!(guards.variables.contains("v19999"));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
