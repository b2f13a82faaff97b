//! pest pairs to the typed AST: one function per grammar rule, in one `impl Builder` spread over
//! the files of this folder by grammar area:
//!
//! - `mod.rs`: the builder, its entry points (a script's head, a top-level statement or named
//!   block) and the helpers every area uses ([`Kids`], spans, [`Builder::nested`] for depth);
//! - `blocks.rs`: script blocks, named blocks, statement blocks;
//! - `statements.rs`: `if`, loops, `switch`, functions, `try`, flow statements, `using`...;
//! - `parameters.rs`: param blocks, parameters, attributes, type names;
//! - `classes.rs`: classes and enums;
//! - `commands.rs`: pipelines, assignments, redirections, commands and their arguments;
//! - `expressions.rs`: operators, casts, values, member access, hashtables;
//! - `tokens.rs`: variables, numbers, expandable strings and bare words;
//! - `checks.rs`: the checks PowerShell makes while parsing that a PEG cannot express
//!   (splatting, flow out of `finally`, duplicate names, what may be assigned).
//!
//! Many grammar rules are silent, so a node's children often arrive as a flat sequence (an
//! expression is `operand (operator operand)* ternary?`); the functions here read such sequences
//! from a [`Kids`] cursor.
//!
//! Depth: `self.depth` counts the nesting of the node being built, through [`Builder::nested`].
//! Every nested node adds one, and a member or cast chain (`$x.a.b.c`, `[a][b]$c`) adds its length
//! before its parts are built, so a node built at depth `d` is at most `MAX_DEPTH - d` deep. That
//! bounds the tree, and with it the recursion of this builder, of `Drop`, and of serialization.
//! A chain of binary operators (`a + b + c`) adds nothing: it is built in a loop, and
//! `ast::BinaryExpression` drops without recursion.

mod blocks;
mod checks;
mod classes;
mod commands;
mod expressions;
mod parameters;
mod statements;
mod tokens;

use pest::iterators::{Pair, Pairs};

use super::MAX_DEPTH;
use super::ast::*;
use super::chars::is_space;
use super::grammar::Rule;
use super::syntax_error;
use super::text;

use checks::{SeenNames, check_assignable, check_attributed, constant_key};

/// An error found while building: where, and what in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BuildError {
    pub span: Span,
    pub message: String,
}

type R<T> = Result<T, BuildError>;

/// A cursor over the children of a pair, skipping `#requires` comments and the end of input.
#[derive(Clone)]
struct Kids<'i> {
    pairs: Pairs<'i, Rule>,
    peeked: Option<Pair<'i, Rule>>,
}

impl<'i> Kids<'i> {
    fn new(pairs: Pairs<'i, Rule>) -> Kids<'i> {
        Kids {
            pairs,
            peeked: None,
        }
    }

    fn of(pair: Pair<'i, Rule>) -> Kids<'i> {
        Kids::new(pair.into_inner())
    }

    fn fill(&mut self) {
        if self.peeked.is_none() {
            self.peeked = self.pairs.by_ref().find(|p| p.as_rule() != Rule::EOI);
        }
    }

    fn next(&mut self) -> Option<Pair<'i, Rule>> {
        self.fill();
        self.peeked.take()
    }

    fn peek_rule(&mut self) -> Option<Rule> {
        self.fill();
        self.peeked.as_ref().map(|p| p.as_rule())
    }

    /// Takes the next pair if it has this rule.
    fn take(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        if self.peek_rule() == Some(rule) {
            self.next()
        } else {
            None
        }
    }
}

/// How offsets in the parsed text map to offsets in the script.
#[derive(Debug, Clone)]
enum OffsetMap {
    /// Add this many bytes.
    Shift(usize),
    /// `table[i]` is the script offset of byte `i` of the parsed text.
    Table(std::rc::Rc<[usize]>),
}

/// Builds AST nodes from pairs of one parse.
pub(crate) struct Builder {
    map: OffsetMap,
    depth: usize,
    /// Every splatted variable (`@x`), and those that are a whole command argument (the only
    /// place PowerShell allows them).
    splats: Vec<Span>,
    splats_allowed: Vec<Span>,
    /// Enclosing constructs that matter to `break`, `continue` and `return` (innermost last).
    scopes: Vec<Scope>,
}

/// A construct that `break`, `continue` or `return` may leave.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    /// A script block, function, named block or trap: flow leaves the whole block.
    Block,
    /// The body of a class method: whether it returns `void`.
    Method { void: bool },
    /// A `finally` block: flow may not leave it.
    Finally,
    /// A loop or switch, with its label.
    Loop(Option<String>),
}

/// Runs `f` on a fresh stack segment when the current one is nearly used up. The depth limit
/// bounds the recursion, but a level can take tens of kilobytes of stack in an unoptimized
/// build, and callers may run on small (2 MiB) threads.
fn with_stack<T>(f: impl FnOnce() -> T) -> T {
    const RED_ZONE: usize = 256 * 1024;
    const NEW_SEGMENT: usize = 4 * 1024 * 1024;
    stacker::maybe_grow(RED_ZONE, NEW_SEGMENT, f)
}

fn internal(span: Span, what: &str) -> BuildError {
    BuildError {
        span,
        message: format!("internal parser error: unexpected {what}; please report this script"),
    }
}

impl Builder {
    pub(crate) fn new() -> Builder {
        Builder {
            map: OffsetMap::Shift(0),
            depth: 0,
            splats: Vec::new(),
            splats_allowed: Vec::new(),
            scopes: Vec::new(),
        }
    }

    /// A builder for text that starts `n` bytes into the script.
    pub(crate) fn shifted(n: usize) -> Builder {
        Builder {
            map: OffsetMap::Shift(n),
            depth: 0,
            splats: Vec::new(),
            splats_allowed: Vec::new(),
            scopes: Vec::new(),
        }
    }

    /// The command of a `#requires` line.
    pub(crate) fn command_for_requires(&mut self, pair: Pair<'_, Rule>) -> R<Command> {
        self.command(pair)
    }

    fn offset(&self, pos: usize) -> usize {
        match &self.map {
            OffsetMap::Shift(n) => pos + n,
            OffsetMap::Table(t) => t
                .get(pos)
                .copied()
                .unwrap_or_else(|| t.last().copied().unwrap_or(0)),
        }
    }

    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.offset(s.start()), self.offset(s.end()))
    }

    fn error(&self, span: Span, message: impl Into<String>) -> BuildError {
        BuildError {
            span,
            message: message.into(),
        }
    }

    /// Builds with `f` one level deeper in the tree; fails past [`MAX_DEPTH`]. The depth is
    /// restored however `f` returns, so the limit cannot be left unbalanced.
    fn nested<T>(&mut self, span: Span, f: impl FnOnce(&mut Self) -> R<T>) -> R<T> {
        self.nested_by(1, span, f)
    }

    /// [`Builder::nested`] for a chain that builds `levels` nodes nested in one another (member
    /// accesses `$x.a.b`, casts `[a][b]$x`).
    fn nested_by<T>(
        &mut self,
        levels: usize,
        span: Span,
        f: impl FnOnce(&mut Self) -> R<T>,
    ) -> R<T> {
        if self.depth + levels > MAX_DEPTH {
            return Err(self.error(
                span,
                format!(
                    "the script nests brackets, blocks or operators too deeply for xprem \
                     (more than {MAX_DEPTH} levels of the syntax tree)"
                ),
            ));
        }
        self.depth += levels;
        let result = f(self);
        self.depth -= levels;
        result
    }

    /// Builds with `f` inside `scope` (for `break`, `continue` and `return`), left however `f`
    /// returns.
    fn within<T>(&mut self, scope: Scope, f: impl FnOnce(&mut Self) -> R<T>) -> R<T> {
        self.scopes.push(scope);
        let result = f(self);
        self.scopes.pop();
        result
    }

    fn next_pair<'i>(&self, kids: &mut Kids<'i>, after: Span, what: &str) -> R<Pair<'i, Rule>> {
        kids.next().ok_or_else(|| internal(after, what))
    }

    /// Reads spans of the next pieces as starting `n` bytes into the script.
    pub(crate) fn set_shift(&mut self, n: usize) {
        self.map = OffsetMap::Shift(n);
    }

    /// The head of a script: its `using` statements and param block.
    pub(crate) fn script_head(
        &mut self,
        pair: Pair<'_, Rule>,
    ) -> R<(Vec<UsingStatement>, Option<ParamBlock>)> {
        let mut kids = Kids::of(pair);
        let mut using = Vec::new();
        while let Some(p) = kids.take(Rule::using_statement) {
            using.push(self.using_statement(p)?);
        }
        let param_block = match kids.take(Rule::param_block) {
            Some(p) => Some(self.param_block(p)?),
            None => None,
        };
        Ok((using, param_block))
    }

    /// A top-level statement (`script_statement`), or `None` at the end of the script.
    pub(crate) fn script_statement(&mut self, pair: Pair<'_, Rule>) -> R<Option<Statement>> {
        let mut kids = Kids::of(pair);
        if kids.peek_rule().is_none() {
            return Ok(None);
        }
        Ok(Some(self.statement(&mut kids)?))
    }

    /// A top-level named block (`script_named_block`), or `None` at the end of the script.
    pub(crate) fn script_named_block(&mut self, pair: Pair<'_, Rule>) -> R<Option<NamedBlock>> {
        let mut kids = Kids::of(pair);
        match kids.take(Rule::named_block) {
            None => Ok(None),
            Some(p) => Ok(Some(self.named_block(p)?)),
        }
    }
}
