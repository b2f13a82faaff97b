//! Walking the AST without recursion: every node in source order (pre-order).

use super::ast::*;

/// A reference to any node that can hold other nodes.
#[derive(Debug, Clone, Copy)]
pub enum NodeRef<'a> {
    Statement(&'a Statement),
    Pipeline(&'a Pipeline),
    Command(&'a Command),
    Expression(&'a Expression),
    ScriptBlock(&'a ScriptBlock),
    StatementBlock(&'a StatementBlock),
    ParamBlock(&'a ParamBlock),
    Parameter(&'a Parameter),
    Attribute(&'a Attribute),
    Redirection(&'a Redirection),
    Member(&'a Member),
    Using(&'a UsingStatement),
}

/// Calls `visit` for every node of the script, parents before children, in source order.
pub fn walk<'a>(script: &'a Script, mut visit: impl FnMut(NodeRef<'a>)) {
    let mut stack: Vec<NodeRef<'a>> = Vec::new();
    let mut top: Vec<NodeRef<'a>> = Vec::new();
    top.extend(script.using.iter().map(NodeRef::Using));
    if let Some(p) = &script.param_block {
        top.push(NodeRef::ParamBlock(p));
    }
    body_children(&script.body, &mut top);
    stack.extend(top.into_iter().rev());
    let mut kids = Vec::new();
    while let Some(node) = stack.pop() {
        visit(node);
        kids.clear();
        children(node, &mut kids);
        stack.extend(kids.drain(..).rev());
    }
}

/// Calls `visit` for `node` and every node under it, parents before children, in source order.
pub fn walk_node<'a>(node: NodeRef<'a>, mut visit: impl FnMut(NodeRef<'a>)) {
    let mut stack = vec![node];
    let mut kids = Vec::new();
    while let Some(node) = stack.pop() {
        visit(node);
        kids.clear();
        children(node, &mut kids);
        stack.extend(kids.drain(..).rev());
    }
}

/// Every command invocation of the script, in source order.
pub(crate) fn commands(script: &Script) -> Vec<&Command> {
    let mut out = Vec::new();
    walk(script, |node| {
        if let NodeRef::Command(c) = node {
            out.push(c);
        }
    });
    out
}

fn body_children<'a>(body: &'a Body, out: &mut Vec<NodeRef<'a>>) {
    match body {
        Body::Statements(list) => out.extend(list.statements.iter().map(NodeRef::Statement)),
        Body::NamedBlocks(blocks) => out.extend(
            blocks
                .blocks
                .iter()
                .map(|b| NodeRef::StatementBlock(&b.body)),
        ),
    }
}

fn block<'a>(b: &'a StatementBlock, out: &mut Vec<NodeRef<'a>>) {
    out.push(NodeRef::StatementBlock(b));
}

fn opt_statement<'a>(s: &'a Option<Statement>, out: &mut Vec<NodeRef<'a>>) {
    if let Some(s) = s {
        out.push(NodeRef::Statement(s));
    }
}

fn opt_expression<'a>(e: &'a Option<Expression>, out: &mut Vec<NodeRef<'a>>) {
    if let Some(e) = e {
        out.push(NodeRef::Expression(e));
    }
}

fn attributes<'a>(attrs: &'a [AttributeOrType], out: &mut Vec<NodeRef<'a>>) {
    for a in attrs {
        if let AttributeOrType::Attribute(a) = a {
            out.push(NodeRef::Attribute(a));
        }
    }
}

/// The children of a node, in source order.
fn children<'a>(node: NodeRef<'a>, out: &mut Vec<NodeRef<'a>>) {
    match node {
        NodeRef::Statement(s) => statement_children(s, out),
        NodeRef::Pipeline(p) => {
            for e in &p.elements {
                match e {
                    PipelineElement::Command(c) => out.push(NodeRef::Command(c)),
                    PipelineElement::Expression(x) => {
                        out.push(NodeRef::Expression(&x.expression));
                        out.extend(x.redirections.iter().map(NodeRef::Redirection));
                    }
                }
            }
        }
        NodeRef::Command(c) => {
            out.push(NodeRef::Expression(&c.name));
            for e in &c.elements {
                match e {
                    CommandElement::Parameter(p) => opt_expression(&p.value, out),
                    CommandElement::Argument(a) => out.push(NodeRef::Expression(a)),
                    CommandElement::EndOfParameters(_) | CommandElement::Verbatim(_) => {}
                }
            }
            out.extend(c.redirections.iter().map(NodeRef::Redirection));
        }
        NodeRef::Expression(e) => expression_children(e, out),
        NodeRef::ScriptBlock(b) => {
            if let Some(p) = &b.param_block {
                out.push(NodeRef::ParamBlock(p));
            }
            body_children(&b.body, out);
        }
        NodeRef::StatementBlock(b) => out.extend(b.statements.iter().map(NodeRef::Statement)),
        NodeRef::ParamBlock(p) => {
            out.extend(p.attributes.iter().map(NodeRef::Attribute));
            out.extend(p.parameters.iter().map(NodeRef::Parameter));
        }
        NodeRef::Parameter(p) => {
            attributes(&p.attributes, out);
            opt_expression(&p.default, out);
        }
        NodeRef::Attribute(a) => {
            out.extend(a.positional.iter().map(NodeRef::Expression));
            for n in &a.named {
                opt_expression(&n.value, out);
            }
        }
        NodeRef::Redirection(r) => {
            if let Redirection::File(f) = r {
                out.push(NodeRef::Expression(&f.target));
            }
        }
        NodeRef::Member(m) => match m {
            Member::Property(p) => {
                out.extend(p.attributes.iter().map(NodeRef::Attribute));
                opt_expression(&p.initial_value, out);
            }
            Member::Method(m) => {
                out.extend(m.attributes.iter().map(NodeRef::Attribute));
                out.extend(m.parameters.iter().map(NodeRef::Parameter));
                if let Some(args) = &m.base_arguments {
                    out.extend(args.iter().map(NodeRef::Expression));
                }
                out.push(NodeRef::ScriptBlock(&m.body));
            }
        },
        NodeRef::Using(u) => {
            out.push(NodeRef::Expression(&u.name));
            opt_expression(&u.alias, out);
        }
    }
}

fn statement_children<'a>(s: &'a Statement, out: &mut Vec<NodeRef<'a>>) {
    match s {
        Statement::Pipeline(p) => out.push(NodeRef::Pipeline(p)),
        Statement::Chain(c) => {
            out.push(NodeRef::Pipeline(&c.first));
            out.extend(c.rest.iter().map(|l| NodeRef::Pipeline(&l.pipeline)));
        }
        Statement::Assignment(a) => {
            out.push(NodeRef::Expression(&a.target));
            out.push(NodeRef::Statement(&a.value));
        }
        Statement::If(i) => {
            for c in &i.clauses {
                out.push(NodeRef::Statement(&c.condition));
                block(&c.body, out);
            }
            if let Some(e) = &i.else_body {
                block(e, out);
            }
        }
        Statement::Switch(s) => {
            opt_expression(&s.file, out);
            opt_statement(&s.condition, out);
            for c in &s.clauses {
                out.push(NodeRef::Expression(&c.condition));
                block(&c.body, out);
            }
            if let Some(d) = &s.default {
                block(d, out);
            }
        }
        Statement::Foreach(f) => {
            opt_expression(&f.throttle_limit, out);
            out.push(NodeRef::Statement(&f.iterable));
            block(&f.body, out);
        }
        Statement::For(f) => {
            opt_statement(&f.init, out);
            opt_statement(&f.condition, out);
            opt_statement(&f.iterator, out);
            block(&f.body, out);
        }
        Statement::While(w) => {
            out.push(NodeRef::Statement(&w.condition));
            block(&w.body, out);
        }
        Statement::Do(d) => {
            block(&d.body, out);
            out.push(NodeRef::Statement(&d.condition));
        }
        Statement::Function(f) => {
            out.extend(f.parameters.iter().map(NodeRef::Parameter));
            out.push(NodeRef::ScriptBlock(&f.body));
        }
        Statement::Return(f) | Statement::Throw(f) | Statement::Exit(f) => {
            opt_statement(&f.pipeline, out)
        }
        Statement::Break(j) | Statement::Continue(j) => opt_expression(&j.label, out),
        Statement::Trap(t) => block(&t.body, out),
        Statement::Try(t) => {
            block(&t.body, out);
            for c in &t.catches {
                block(&c.body, out);
            }
            if let Some(f) = &t.finally {
                block(f, out);
            }
        }
        Statement::Data(d) => {
            out.extend(d.supported_commands.iter().map(NodeRef::Expression));
            block(&d.body, out);
        }
        Statement::Class(t) | Statement::Enum(t) => {
            out.extend(t.attributes.iter().map(NodeRef::Attribute));
            out.extend(t.members.iter().map(NodeRef::Member));
        }
        Statement::Configuration(c) => {
            out.extend(c.attributes.iter().map(NodeRef::Attribute));
            out.push(NodeRef::Expression(&c.name));
            out.push(NodeRef::ScriptBlock(&c.body));
        }
        Statement::Block(b) => block(&b.body, out),
    }
}

fn expression_children<'a>(e: &'a Expression, out: &mut Vec<NodeRef<'a>>) {
    match e {
        Expression::Binary(b) => {
            out.push(NodeRef::Expression(&b.left));
            out.push(NodeRef::Expression(&b.right));
        }
        Expression::Unary(u) => out.push(NodeRef::Expression(&u.operand)),
        Expression::Ternary(t) => {
            out.push(NodeRef::Expression(&t.condition));
            out.push(NodeRef::Expression(&t.if_true));
            out.push(NodeRef::Expression(&t.if_false));
        }
        Expression::Array(a) => out.extend(a.elements.iter().map(NodeRef::Expression)),
        Expression::Convert(c) => out.push(NodeRef::Expression(&c.operand)),
        Expression::Attributed(a) => {
            out.push(NodeRef::Attribute(&a.attribute));
            out.push(NodeRef::Expression(&a.operand));
        }
        Expression::Type(_)
        | Expression::Variable(_)
        | Expression::Number(_)
        | Expression::String(_) => {}
        Expression::ExpandableString(s) => out.extend(s.parts.iter().map(NodeRef::Expression)),
        Expression::SubExpression(s) | Expression::ArrayExpression(s) => {
            out.extend(s.statements.iter().map(NodeRef::Statement));
        }
        Expression::Paren(p) => out.push(NodeRef::Statement(&p.pipeline)),
        Expression::Hashtable(h) => {
            for entry in &h.entries {
                out.push(NodeRef::Expression(&entry.key));
                out.push(NodeRef::Statement(&entry.value));
            }
        }
        Expression::ScriptBlock(b) => out.push(NodeRef::ScriptBlock(b)),
        Expression::Member(m) => {
            out.push(NodeRef::Expression(&m.target));
            out.push(NodeRef::Expression(&m.member));
        }
        Expression::Invoke(i) => {
            out.push(NodeRef::Expression(&i.target));
            out.push(NodeRef::Expression(&i.member));
            out.extend(i.arguments.iter().map(NodeRef::Expression));
        }
        Expression::Index(i) => {
            out.push(NodeRef::Expression(&i.target));
            out.push(NodeRef::Expression(&i.index));
        }
    }
}
