//! Variables in expressions: the variable at the root of `$x.A[0]`, its key (lower case, no
//! scope), the variables an expression reads and those its values come from.

use std::collections::HashSet;

use crate::powershell::ast::{Expression, Variable};
use crate::powershell::{NodeRef, walk_node};

use super::Analysis;
use super::values::single_expression;

/// How many variables a value is followed through (`$a = $b`, `$b = [datetime]...`).
pub const MAX_HOPS: usize = 4;

/// The variable at the root of `$x`, `$x.A.B`, `$x[0]`, `$x.M()`, `($x).A`.
pub fn root_variable(e: &Expression) -> Option<&Variable> {
    let mut e = e;
    loop {
        match e {
            Expression::Variable(v) => return Some(v),
            Expression::Member(m) => e = &m.target,
            Expression::Index(i) => e = &i.target,
            Expression::Invoke(i) => e = &i.target,
            Expression::Paren(p) => e = single_expression(&p.pipeline)?,
            Expression::ArrayExpression(s) | Expression::SubExpression(s) => {
                match s.statements.as_slice() {
                    [one] => e = single_expression(one)?,
                    _ => return None,
                }
            }
            Expression::Convert(c) => e = &c.operand,
            _ => return None,
        }
    }
}

/// The lower-case name of a variable without its scope (`$script:x` → `x`).
pub fn variable_key(v: &Variable) -> String {
    v.unqualified().to_ascii_lowercase()
}

/// The member named last in `$x.A.B` (`B`), when it is a constant name.
pub fn last_member(e: &Expression) -> Option<&str> {
    match e {
        Expression::Member(m) => m.member.as_str(),
        _ => None,
    }
}

/// Every variable read in an expression or statement (lower case, no scope).
pub fn variables_in(node: NodeRef<'_>, out: &mut HashSet<String>) {
    walk_node(node, |n| {
        if let NodeRef::Expression(Expression::Variable(v)) = n {
            out.insert(variable_key(v));
        }
    });
}

/// The variables a value comes from: those it reads, and those their one assignment reads, a
/// few assignments deep.
pub fn involved_variables(cx: &Analysis<'_>, e: &Expression) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut frontier: Vec<&Variable> = Vec::new();
    collect_variables(NodeRef::Expression(e), &mut frontier);
    for _ in 0..MAX_HOPS {
        let mut next = Vec::new();
        for v in frontier {
            if !out.insert(variable_key(v)) {
                continue;
            }
            if let Some(a) = cx.values.assignment_at(v) {
                collect_variables(NodeRef::Statement(a.value), &mut next);
            }
        }
        if next.is_empty() {
            return out;
        }
        frontier = next;
    }
    out.extend(frontier.iter().map(|v| variable_key(v)));
    out
}

/// The variables read under a node.
pub fn collect_variables<'e>(node: NodeRef<'e>, out: &mut Vec<&'e Variable>) {
    walk_node(node, |n| {
        if let NodeRef::Expression(Expression::Variable(v)) = n {
            out.push(v);
        }
    });
}
