//! The questions one asks of nodes: spans, the commands of a script, a command's name,
//! parameters, arguments and splats, the parts of a variable's name.

use super::*;
use crate::powershell::walk;

impl Script {
    /// Every command invocation anywhere in the script (in script blocks, subexpressions, strings'
    /// `$( )`, hashtable values...), in source order. The walk is iterative.
    pub fn commands(&self) -> Vec<&Command> {
        walk::commands(self)
    }
}

impl Body {
    /// The statements of the body; for named blocks, those of every block in order.
    pub fn statements(&self) -> Vec<&Statement> {
        match self {
            Body::Statements(list) => list.statements.iter().collect(),
            Body::NamedBlocks(blocks) => blocks
                .blocks
                .iter()
                .flat_map(|b| b.body.statements.iter())
                .collect(),
        }
    }
}

impl Statement {
    pub fn span(&self) -> Span {
        match self {
            Statement::Pipeline(s) => s.span,
            Statement::Chain(s) => s.span,
            Statement::Assignment(s) => s.span,
            Statement::If(s) => s.span,
            Statement::Switch(s) => s.span,
            Statement::Foreach(s) => s.span,
            Statement::For(s) => s.span,
            Statement::While(s) => s.span,
            Statement::Do(s) => s.span,
            Statement::Function(s) => s.span,
            Statement::Return(s) | Statement::Throw(s) | Statement::Exit(s) => s.span,
            Statement::Break(s) | Statement::Continue(s) => s.span,
            Statement::Trap(s) => s.span,
            Statement::Try(s) => s.span,
            Statement::Data(s) => s.span,
            Statement::Class(s) | Statement::Enum(s) => s.span,
            Statement::Configuration(s) => s.span,
            Statement::Block(s) => s.span,
        }
    }
}

impl Expression {
    pub fn span(&self) -> Span {
        match self {
            Expression::Binary(e) => e.span,
            Expression::Unary(e) => e.span,
            Expression::Ternary(e) => e.span,
            Expression::Array(e) => e.span,
            Expression::Convert(e) => e.span,
            Expression::Attributed(e) => e.span,
            Expression::Type(e) => e.span,
            Expression::Variable(e) => e.span,
            Expression::Number(e) => e.span,
            Expression::String(e) => e.span,
            Expression::ExpandableString(e) => e.span,
            Expression::SubExpression(e) | Expression::ArrayExpression(e) => e.span,
            Expression::Paren(e) => e.span,
            Expression::Hashtable(e) => e.span,
            Expression::ScriptBlock(e) => e.span,
            Expression::Member(e) => e.span,
            Expression::Invoke(e) => e.span,
            Expression::Index(e) => e.span,
        }
    }

    /// The value of a constant string (quoted or bare word), if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expression::String(s) => Some(&s.value),
            _ => None,
        }
    }
}

impl Variable {
    /// The scope or drive before the first `:` (`env` in `$env:Path`), if any.
    pub fn qualifier(&self) -> Option<&str> {
        self.name.split_once(':').map(|(q, _)| q)
    }

    /// The name after the scope or drive.
    pub fn unqualified(&self) -> &str {
        self.name.split_once(':').map_or(&self.name, |(_, n)| n)
    }
}

impl Command {
    /// The command name when it is a bare word or a constant string (`Get-Item`, `& 'tool.exe'`).
    pub fn name(&self) -> Option<&str> {
        self.name.as_str()
    }

    /// The parameters, in order.
    pub fn parameters(&self) -> impl Iterator<Item = &CommandParameter> {
        self.elements.iter().filter_map(|e| match e {
            CommandElement::Parameter(p) => Some(p),
            _ => None,
        })
    }

    /// The arguments (not splatted variables), in order. An argument after `-Name` may be that
    /// parameter's value: `crate::semantic::bind` says which.
    pub fn arguments(&self) -> impl Iterator<Item = &Expression> {
        self.elements.iter().filter_map(|e| match e {
            CommandElement::Argument(Expression::Variable(v)) if v.splatted => None,
            CommandElement::Argument(a) => Some(a),
            _ => None,
        })
    }

    /// The splatted variables (`@params`), whose hashtable or array supplies parameters and
    /// arguments when the command runs.
    pub fn splats(&self) -> impl Iterator<Item = &Variable> {
        self.elements.iter().filter_map(|e| match e {
            CommandElement::Argument(Expression::Variable(v)) if v.splatted => Some(&**v),
            _ => None,
        })
    }

    /// The parameter with this name (case-insensitive, without the dash), if given.
    pub fn parameter(&self, name: &str) -> Option<&CommandParameter> {
        self.parameters()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }
}
