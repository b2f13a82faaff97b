//! What a script checks before it acts: the variables and members read in conditions and
//! filters ([`Guards`]), the `if` statements around a place ([`Enclosing`]), spans that nest
//! ([`Nesting`]), and whether the conditions around a place mention a variable.

use super::variables::collect_variables;
use crate::powershell::ast::{CommandElement, Variable};
use crate::powershell::walk_node;
use std::collections::HashSet;

use crate::powershell::NodeRef;
use crate::powershell::ast::{
    BinaryOperator, ComparisonOperator, Expression, Span, Statement, UnaryOperator,
};

use super::values::single_expression;
use super::variables::MAX_HOPS;

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
            NodeRef::Expression(e @ Expression::Binary(b)) if is_membership(&b.operator) => {
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

/// What a condition tells of a list when it is true and when it is false: `Some(true)` the list
/// is empty (or absent), `Some(false)` it has items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Emptiness {
    when_true: Option<bool>,
    when_false: Option<bool>,
}

impl Emptiness {
    /// True exactly when the list has items.
    const HAS_ITEMS: Emptiness = Emptiness {
        when_true: Some(false),
        when_false: Some(true),
    };

    fn not(self) -> Emptiness {
        Emptiness {
            when_true: self.when_false,
            when_false: self.when_true,
        }
    }
}

/// Whether `e` is a principal's list `property` (lower case): `$sp.KeyCredentials`,
/// `(Get-MgServicePrincipal ...).KeyCredentials`, `@($sp.KeyCredentials)`, or a variable assigned
/// once from one.
fn is_list(cx: &Analysis<'_>, e: &Expression, property: &str, hops: usize) -> bool {
    match e {
        Expression::Member(m) => m
            .member
            .as_str()
            .is_some_and(|n| n.eq_ignore_ascii_case(property)),
        Expression::Paren(p) => {
            single_expression(&p.pipeline).is_some_and(|x| is_list(cx, x, property, hops))
        }
        Expression::ArrayExpression(s) => match s.statements.as_slice() {
            [one] => single_expression(one).is_some_and(|x| is_list(cx, x, property, hops)),
            _ => false,
        },
        Expression::Variable(v) if hops > 0 => cx
            .values
            .assignment_at(v)
            .and_then(|a| a.expression)
            .is_some_and(|x| is_list(cx, x, property, hops - 1)),
        _ => false,
    }
}

/// The number of items of the list `e` counts (`$sp.KeyCredentials.Count`, `.Length`).
fn is_count(cx: &Analysis<'_>, e: &Expression, property: &str) -> bool {
    match e {
        Expression::Member(m) => {
            m.member.as_str().is_some_and(|n| {
                n.eq_ignore_ascii_case("count") || n.eq_ignore_ascii_case("length")
            }) && is_list(cx, &m.target, property, MAX_HOPS)
        }
        Expression::Paren(p) => {
            single_expression(&p.pipeline).is_some_and(|x| is_count(cx, x, property))
        }
        _ => false,
    }
}

fn emptiness(cx: &Analysis<'_>, e: &Expression, property: &str, depth: usize) -> Emptiness {
    if depth == 0 {
        return Emptiness::default();
    }
    let is_null = |x: &Expression| matches!(x, Expression::Variable(v) if v.name.eq_ignore_ascii_case("null"));
    let number = |x: &Expression| match x {
        Expression::Number(n) => n.text.parse::<i64>().ok(),
        _ => None,
    };
    match e {
        Expression::Paren(p) => single_expression(&p.pipeline)
            .map_or_else(Emptiness::default, |x| {
                emptiness(cx, x, property, depth - 1)
            }),
        Expression::Unary(u)
            if matches!(u.operator, UnaryOperator::Not | UnaryOperator::Exclaim) =>
        {
            emptiness(cx, &u.operand, property, depth - 1).not()
        }
        Expression::Binary(b) => match b.operator {
            BinaryOperator::And => {
                let (l, r) = (
                    emptiness(cx, &b.left, property, depth - 1),
                    emptiness(cx, &b.right, property, depth - 1),
                );
                Emptiness {
                    when_true: l.when_true.or(r.when_true),
                    when_false: l.when_false.filter(|_| l.when_false == r.when_false),
                }
            }
            BinaryOperator::Or => {
                let (l, r) = (
                    emptiness(cx, &b.left, property, depth - 1),
                    emptiness(cx, &b.right, property, depth - 1),
                );
                Emptiness {
                    when_true: l.when_true.filter(|_| l.when_true == r.when_true),
                    when_false: l.when_false.or(r.when_false),
                }
            }
            BinaryOperator::Comparison(op, _) => {
                use ComparisonOperator::{Eq, Ge, Gt, Le, Lt, Ne};
                // `$null -eq $list`, `$list -ne $null`.
                let list = |x: &Expression| is_list(cx, x, property, MAX_HOPS);
                if (is_null(&b.left) && list(&b.right)) || (is_null(&b.right) && list(&b.left)) {
                    return match op {
                        Eq => Emptiness::HAS_ITEMS.not(),
                        Ne => Emptiness::HAS_ITEMS,
                        _ => Emptiness::default(),
                    };
                }
                // The count against 0 or 1, on either side.
                let (n, op) = if is_count(cx, &b.left, property)
                    && let Some(n) = number(&b.right)
                {
                    (n, op)
                } else if is_count(cx, &b.right, property)
                    && let Some(n) = number(&b.left)
                {
                    let flipped = match op {
                        Gt => Lt,
                        Lt => Gt,
                        Ge => Le,
                        Le => Ge,
                        other => other,
                    };
                    (n, flipped)
                } else {
                    return Emptiness::default();
                };
                match (op, n) {
                    (Eq, 0) | (Lt, 1) | (Le, 0) => Emptiness::HAS_ITEMS.not(),
                    (Ne, 0) | (Gt, 0) | (Ge, 1) => Emptiness::HAS_ITEMS,
                    _ => Emptiness::default(),
                }
            }
            _ => Emptiness::default(),
        },
        x if is_list(cx, x, property, MAX_HOPS) || is_count(cx, x, property) => {
            Emptiness::HAS_ITEMS
        }
        _ => Emptiness::default(),
    }
}

/// Whether the branch of `s` that holds `offset` runs only when the principal's list `property`
/// (lower case) is empty or absent: `if (-not $sp.KeyCredentials) { here }`,
/// `if ($sp.KeyCredentials.Count -gt 0) { } else { here }`. A condition that only checks the
/// principal exists, or that the list has items, decides nothing of the kind.
pub fn branch_runs_on_empty_list(
    cx: &Analysis<'_>,
    s: &crate::powershell::ast::IfStatement,
    offset: usize,
    property: &str,
) -> bool {
    let facts = |c: &crate::powershell::ast::IfClause| {
        single_expression(&c.condition)
            .map_or_else(Emptiness::default, |e| emptiness(cx, e, property, 32))
    };
    let holds = |span: Span| span.start <= offset && offset < span.end;
    for (k, clause) in s.clauses.iter().enumerate() {
        if holds(clause.body.span) {
            return facts(clause).when_true == Some(true)
                || s.clauses[..k]
                    .iter()
                    .any(|c| facts(c).when_false == Some(true));
        }
    }
    s.else_body.as_ref().is_some_and(|e| holds(e.span))
        && s.clauses.iter().any(|c| facts(c).when_false == Some(true))
}

/// `-contains`, `-notcontains`, `-in`, `-notin` (any case form): a test of membership in a list.
pub fn is_membership(operator: &BinaryOperator) -> bool {
    matches!(
        operator,
        BinaryOperator::Comparison(
            ComparisonOperator::Contains
                | ComparisonOperator::NotContains
                | ComparisonOperator::In
                | ComparisonOperator::NotIn,
            _
        )
    )
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
