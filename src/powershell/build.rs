//! pest pairs to the typed AST: one function per grammar rule.
//!
//! Many grammar rules are silent, so a node's children often arrive as a flat sequence (an
//! expression is `operand (operator operand)* ternary?`); the functions here read such sequences
//! from a [`Kids`] cursor. The builder also performs the checks PowerShell makes while parsing
//! that a PEG cannot express (operator names, redirections, switch options, ...).
//!
//! Depth: `self.depth` counts the nesting of the node being built. Every nested node adds one,
//! and a chain (`a + b + c`, `$x.a.b.c`, `[a][b]$c`) adds its length before its operands are
//! built, so a node built at depth `d` is at most `MAX_DEPTH - d` deep. That bounds the tree, and
//! with it the recursion of this builder, of `Drop`, and of serialization.

use pest::iterators::{Pair, Pairs};

use super::MAX_DEPTH;
use super::ast::*;
use super::grammar::{PowerShellParser, Rule};
use super::text;

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

    /// Adds `n` levels of nesting; fails past [`MAX_DEPTH`].
    fn deeper(&mut self, n: usize, span: Span) -> R<()> {
        self.depth += n;
        if self.depth > MAX_DEPTH {
            return Err(self.error(
                span,
                format!(
                    "the script nests brackets, blocks or operators too deeply for xprem \
                     (more than {MAX_DEPTH} levels of the syntax tree)"
                ),
            ));
        }
        Ok(())
    }

    fn shallower(&mut self, n: usize) {
        self.depth -= n;
    }

    fn next_pair<'i>(&self, kids: &mut Kids<'i>, after: Span, what: &str) -> R<Pair<'i, Rule>> {
        kids.next().ok_or_else(|| internal(after, what))
    }

    // ---------------------------------------------------------------------------------------------
    // Script and blocks
    // ---------------------------------------------------------------------------------------------

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

    /// Checks that need the whole script: splatting only as a command argument.
    pub(crate) fn finish(&self) -> R<()> {
        for splat in &self.splats {
            if !self.splats_allowed.contains(splat) {
                return Err(self.error(
                    *splat,
                    "splatting (`@name`) can only pass a whole hashtable or array to a command as an argument; \
                     use `$name` to refer to the variable in an expression",
                ));
            }
        }
        Ok(())
    }

    /// The param block and body of a script or script block.
    fn block_contents(&mut self, kids: &mut Kids<'_>) -> R<(Option<ParamBlock>, Body)> {
        let param_block = match kids.take(Rule::param_block) {
            Some(p) => Some(self.param_block(p)?),
            None => None,
        };
        let body = if kids.peek_rule() == Some(Rule::named_block) {
            let mut blocks = Vec::new();
            let mut seen: Vec<BlockKind> = Vec::new();
            while let Some(p) = kids.take(Rule::named_block) {
                let block = self.named_block(p)?;
                if seen.contains(&block.kind) {
                    return Err(self.error(
                        block.span,
                        format!(
                            "the `{}` block is defined twice in the same script block",
                            block_kind_name(block.kind)
                        ),
                    ));
                }
                seen.push(block.kind);
                blocks.push(block);
            }
            Body::NamedBlocks(NamedBlocks { blocks })
        } else {
            Body::Statements(StatementList {
                statements: self.statements(kids)?,
            })
        };
        Ok((param_block, body))
    }

    pub(crate) fn named_block(&mut self, pair: Pair<'_, Rule>) -> R<NamedBlock> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let name = self.next_pair(&mut kids, span, "named block")?;
        let kind = match name.as_str().to_ascii_lowercase().as_str() {
            "begin" => BlockKind::Begin,
            "process" => BlockKind::Process,
            "end" => BlockKind::End,
            "dynamicparam" => BlockKind::DynamicParam,
            _ => BlockKind::Clean,
        };
        self.scopes.push(Scope::Block);
        let body = self.statement_block(self.next_pair(&mut kids, span, "block")?);
        self.scopes.pop();
        Ok(NamedBlock {
            span,
            kind,
            body: body?,
        })
    }

    fn statement_block(&mut self, pair: Pair<'_, Rule>) -> R<StatementBlock> {
        let span = self.span(&pair);
        self.deeper(1, span)?;
        let statements = self.statements(&mut Kids::of(pair))?;
        self.shallower(1);
        Ok(StatementBlock { span, statements })
    }
    /// The body of a loop or switch, where `break` and `continue` stop.
    fn loop_body(&mut self, pair: Pair<'_, Rule>, label: &Option<String>) -> R<StatementBlock> {
        self.scopes.push(Scope::Loop(label.clone()));
        let body = self.statement_block(pair);
        self.scopes.pop();
        body
    }

    /// PowerShell's check that `break`, `continue` (`label`: `Some("")` without a label, `None`
    /// for a label that is not a constant) and `return` (`label`: `None`) do not leave a `finally`
    /// block.
    fn check_flow_out_of_finally(&self, span: Span, what: &str, label: Option<&str>) -> R<()> {
        for scope in self.scopes.iter().rev() {
            match scope {
                Scope::Block | Scope::Method { .. } => return Ok(()),
                Scope::Loop(loop_label) => {
                    if let Some(l) = label
                        && (l.is_empty()
                            || loop_label
                                .as_deref()
                                .is_some_and(|ll| ll.eq_ignore_ascii_case(l)))
                    {
                        return Ok(());
                    }
                }
                Scope::Finally => {
                    return Err(self.error(
                        span,
                        format!("`{what}` cannot leave a finally block: a finally block must run to its end"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn statements(&mut self, kids: &mut Kids<'_>) -> R<Vec<Statement>> {
        let mut out = Vec::new();
        while kids.peek_rule().is_some() {
            out.push(self.statement(kids)?);
        }
        Ok(out)
    }
    fn script_block(&mut self, pair: Pair<'_, Rule>) -> R<ScriptBlock> {
        let span = self.span(&pair);
        self.deeper(1, span)?;
        self.scopes.push(Scope::Block);
        let contents = self.block_contents(&mut Kids::of(pair));
        self.scopes.pop();
        let (param_block, body) = contents?;
        self.shallower(1);
        Ok(ScriptBlock {
            span,
            param_block,
            body,
        })
    }

    // ---------------------------------------------------------------------------------------------
    // Parameters, attributes, types
    // ---------------------------------------------------------------------------------------------

    fn param_block(&mut self, pair: Pair<'_, Rule>) -> R<ParamBlock> {
        let span = self.span(&pair);
        self.deeper(1, span)?;
        let mut attributes = Vec::new();
        let mut parameters = Vec::new();
        for p in Kids::of(pair).pairs {
            match p.as_rule() {
                Rule::attribute => attributes.push(self.attribute(p)?),
                Rule::parameter => parameters.push(self.parameter(p)?),
                _ => return Err(internal(span, "part of a param block")),
            }
        }
        self.check_duplicate_parameters(&parameters)?;
        self.shallower(1);
        Ok(ParamBlock {
            span,
            attributes,
            parameters,
        })
    }

    fn check_duplicate_parameters(&self, parameters: &[Parameter]) -> R<()> {
        for (i, p) in parameters.iter().enumerate() {
            if parameters[..i]
                .iter()
                .any(|q| q.variable.name.eq_ignore_ascii_case(&p.variable.name))
            {
                return Err(self.error(
                    p.variable.span,
                    format!("the parameter `${}` is declared twice", p.variable.name),
                ));
            }
        }
        Ok(())
    }

    fn parameters(&mut self, pair: Pair<'_, Rule>) -> R<Vec<Parameter>> {
        let mut out = Vec::new();
        for p in Kids::of(pair).pairs {
            if p.as_rule() == Rule::parameter {
                out.push(self.parameter(p)?);
            }
        }
        self.check_duplicate_parameters(&out)?;
        Ok(out)
    }

    fn parameter(&mut self, pair: Pair<'_, Rule>) -> R<Parameter> {
        let span = self.span(&pair);
        self.deeper(1, span)?;
        let mut kids = Kids::of(pair);
        let mut attributes = Vec::new();
        loop {
            match kids.peek_rule() {
                Some(Rule::attribute) => {
                    let p = self.next_pair(&mut kids, span, "attribute")?;
                    attributes.push(AttributeOrType::Attribute(self.attribute(p)?));
                }
                Some(Rule::type_literal) => {
                    let p = self.next_pair(&mut kids, span, "type")?;
                    attributes.push(AttributeOrType::Type(self.type_constraint(p)?));
                }
                _ => break,
            }
        }
        let var = self.next_pair(&mut kids, span, "parameter variable")?;
        let variable = self.variable(&var)?;
        let default = if kids.peek_rule().is_some() {
            Some(self.expression(&mut kids)?)
        } else {
            None
        };
        self.shallower(1);
        Ok(Parameter {
            span,
            attributes,
            variable,
            default,
        })
    }

    fn attribute(&mut self, pair: Pair<'_, Rule>) -> R<Attribute> {
        let span = self.span(&pair);
        self.deeper(1, span)?;
        let mut kids = Kids::of(pair);
        let type_name = self.type_spec(self.next_pair(&mut kids, span, "attribute name")?)?;
        let mut positional = Vec::new();
        let mut named: Vec<NamedArgument> = Vec::new();
        if let Some(args) = kids.take(Rule::attribute_arguments) {
            for arg in Kids::of(args).pairs {
                if arg.as_rule() != Rule::attribute_argument {
                    continue;
                }
                let arg_span = self.span(&arg);
                let mut ak = Kids::of(arg);
                if let Some(name) = ak.take(Rule::attribute_argument_name) {
                    let value = if ak.peek_rule().is_some() {
                        Some(self.expression(&mut ak)?)
                    } else {
                        None
                    };
                    let name = name.as_str().to_string();
                    if named.iter().any(|n| n.name.eq_ignore_ascii_case(&name)) {
                        return Err(self.error(
                            arg_span,
                            format!("the named argument `{name}` is given twice in the attribute"),
                        ));
                    }
                    named.push(NamedArgument {
                        span: arg_span,
                        name,
                        value,
                    });
                } else {
                    positional.push(self.expression(&mut ak)?);
                }
            }
        }
        self.shallower(1);
        Ok(Attribute {
            span,
            type_name,
            positional,
            named,
        })
    }

    fn type_constraint(&mut self, pair: Pair<'_, Rule>) -> R<TypeConstraint> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let type_name = self.type_spec(self.next_pair(&mut kids, span, "type name")?)?;
        Ok(TypeConstraint { span, type_name })
    }

    /// The type inside a `type_literal` pair.
    fn type_literal_name(&mut self, pair: Pair<'_, Rule>) -> R<TypeName> {
        Ok(self.type_constraint(pair)?.type_name)
    }

    fn type_spec(&mut self, pair: Pair<'_, Rule>) -> R<TypeName> {
        let span = self.span(&pair);
        self.deeper(1, span)?;
        let full_name: String = pair
            .as_str()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut name = String::new();
        let mut generic_arguments = Vec::new();
        let mut array_ranks = Vec::new();
        let mut assembly = None;
        for p in Kids::of(pair).pairs {
            match p.as_rule() {
                Rule::type_name => name = p.as_str().to_string(),
                Rule::generic_arguments => {
                    for a in Kids::of(p).pairs {
                        if a.as_rule() == Rule::generic_argument {
                            generic_arguments.push(self.generic_argument(a)?);
                        }
                    }
                }
                Rule::array_rank => array_ranks.push(1 + p.as_str().matches(',').count() as u32),
                Rule::assembly_spec => {
                    assembly = Some(p.as_str()[1..].trim().to_string());
                }
                _ => {}
            }
        }
        self.shallower(1);
        Ok(TypeName {
            span,
            full_name,
            name,
            generic_arguments,
            array_ranks,
            assembly,
        })
    }

    /// A generic argument: `[T, Asm]` or `T[]`.
    fn generic_argument(&mut self, pair: Pair<'_, Rule>) -> R<TypeName> {
        let span = self.span(&pair);
        let text = pair.as_str();
        let mut kids = Kids::of(pair.clone());
        if kids.peek_rule() == Some(Rule::type_spec) {
            let p = self.next_pair(&mut kids, span, "type")?;
            return self.type_spec(p);
        }
        // `type_name type_suffix*` directly inside the argument.
        self.deeper(1, span)?;
        let mut out = TypeName {
            span,
            full_name: text.chars().filter(|c| !c.is_whitespace()).collect(),
            name: String::new(),
            generic_arguments: Vec::new(),
            array_ranks: Vec::new(),
            assembly: None,
        };
        for p in kids.pairs {
            match p.as_rule() {
                Rule::type_name => out.name = p.as_str().to_string(),
                Rule::generic_arguments => {
                    for a in Kids::of(p).pairs {
                        if a.as_rule() == Rule::generic_argument {
                            out.generic_arguments.push(self.generic_argument(a)?);
                        }
                    }
                }
                Rule::array_rank => out
                    .array_ranks
                    .push(1 + p.as_str().matches(',').count() as u32),
                _ => {}
            }
        }
        self.shallower(1);
        Ok(out)
    }

    // ---------------------------------------------------------------------------------------------
    // Statements
    // ---------------------------------------------------------------------------------------------

    fn statement(&mut self, kids: &mut Kids<'_>) -> R<Statement> {
        let pair = kids
            .next()
            .ok_or_else(|| internal(Span::default(), "end of statements"))?;
        let span = self.span(&pair);
        self.deeper(1, span)?;
        let statement = if pair.as_rule() == Rule::loop_label {
            let label = pair.as_str()[1..].to_string();
            let loop_pair = self.next_pair(kids, span, "labeled loop")?;
            self.statement_pair(loop_pair, Some(label))?
        } else {
            self.statement_pair(pair, None)?
        };
        self.shallower(1);
        Ok(statement)
    }

    fn statement_pair(&mut self, pair: Pair<'_, Rule>, label: Option<String>) -> R<Statement> {
        with_stack(|| self.statement_pair_here(pair, label))
    }

    fn statement_pair_here(&mut self, pair: Pair<'_, Rule>, label: Option<String>) -> R<Statement> {
        let span = self.span(&pair);
        Ok(match pair.as_rule() {
            Rule::pipeline_chain => self.pipeline_chain(pair)?,
            Rule::if_statement => Statement::If(Box::new(self.if_statement(pair)?)),
            Rule::switch_statement => {
                Statement::Switch(Box::new(self.switch_statement(pair, label)?))
            }
            Rule::foreach_statement => {
                Statement::Foreach(Box::new(self.foreach_statement(pair, label)?))
            }
            Rule::for_statement => Statement::For(Box::new(self.for_statement(pair, label)?)),
            Rule::while_statement => {
                let mut kids = Kids::of(pair);
                let condition =
                    self.pipeline_chain(self.next_pair(&mut kids, span, "condition")?)?;
                let body = self.loop_body(self.next_pair(&mut kids, span, "body")?, &label)?;
                Statement::While(Box::new(WhileStatement {
                    span,
                    label,
                    condition,
                    body,
                }))
            }
            Rule::do_statement => {
                let mut kids = Kids::of(pair);
                let body = self.loop_body(self.next_pair(&mut kids, span, "body")?, &label)?;
                let kind = self.next_pair(&mut kids, span, "while or until")?;
                let until = kind.as_str().eq_ignore_ascii_case("until");
                let condition =
                    self.pipeline_chain(self.next_pair(&mut kids, span, "condition")?)?;
                Statement::Do(Box::new(DoStatement {
                    span,
                    label,
                    body,
                    until,
                    condition,
                }))
            }
            Rule::function_statement => Statement::Function(Box::new(self.function(pair)?)),
            Rule::return_statement => Statement::Return(Box::new(self.flow(pair)?)),
            Rule::throw_statement => Statement::Throw(Box::new(self.flow(pair)?)),
            Rule::exit_statement => Statement::Exit(Box::new(self.flow(pair)?)),
            Rule::break_statement => Statement::Break(Box::new(self.jump(pair)?)),
            Rule::continue_statement => Statement::Continue(Box::new(self.jump(pair)?)),
            Rule::trap_statement => {
                let mut kids = Kids::of(pair);
                let type_name = match kids.take(Rule::type_literal) {
                    Some(t) => Some(self.type_literal_name(t)?),
                    None => None,
                };
                self.scopes.push(Scope::Block);
                let body = self.statement_block(self.next_pair(&mut kids, span, "trap body")?);
                self.scopes.pop();
                let body = body?;
                Statement::Trap(Box::new(TrapStatement {
                    span,
                    type_name,
                    body,
                }))
            }
            Rule::try_statement => Statement::Try(Box::new(self.try_statement(pair)?)),
            Rule::data_statement => Statement::Data(Box::new(self.data_statement(pair)?)),
            Rule::class_statement => Statement::Class(Box::new(self.class_statement(pair)?)),
            Rule::enum_statement => Statement::Enum(Box::new(self.enum_statement(pair)?)),
            Rule::configuration_statement => {
                let mut kids = Kids::of(pair);
                let mut attributes = Vec::new();
                while let Some(a) = kids.take(Rule::attribute) {
                    attributes.push(self.attribute(a)?);
                }
                let name =
                    self.command_token(self.next_pair(&mut kids, span, "configuration name")?)?;
                let body_pair = self.next_pair(&mut kids, span, "configuration body")?;
                let body = self.script_block(body_pair)?;
                Statement::Configuration(Box::new(ConfigurationStatement {
                    span,
                    attributes,
                    name,
                    body,
                }))
            }
            Rule::block_statement => {
                let mut kids = Kids::of(pair);
                let kw = self.next_pair(&mut kids, span, "block keyword")?;
                let kind = if kw.as_str().eq_ignore_ascii_case("parallel") {
                    BlockStatementKind::Parallel
                } else {
                    BlockStatementKind::Sequence
                };
                let body = self.statement_block(self.next_pair(&mut kids, span, "block")?)?;
                Statement::Block(Box::new(BlockStatement { span, kind, body }))
            }
            _ => return Err(internal(span, "statement")),
        })
    }

    fn if_statement(&mut self, pair: Pair<'_, Rule>) -> R<IfStatement> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let condition = self.pipeline_chain(self.next_pair(&mut kids, span, "condition")?)?;
        let body = self.statement_block(self.next_pair(&mut kids, span, "if body")?)?;
        let mut clauses = vec![IfClause { condition, body }];
        let mut else_body = None;
        while let Some(p) = kids.next() {
            let rule = p.as_rule();
            let mut ck = Kids::of(p);
            if rule == Rule::elseif_clause {
                let condition =
                    self.pipeline_chain(self.next_pair(&mut ck, span, "condition")?)?;
                let body = self.statement_block(self.next_pair(&mut ck, span, "elseif body")?)?;
                clauses.push(IfClause { condition, body });
            } else {
                else_body =
                    Some(self.statement_block(self.next_pair(&mut ck, span, "else body")?)?);
            }
        }
        Ok(IfStatement {
            span,
            clauses,
            else_body,
        })
    }

    fn switch_statement(
        &mut self,
        pair: Pair<'_, Rule>,
        label: Option<String>,
    ) -> R<SwitchStatement> {
        let span = self.span(&pair);
        let mut flags = SwitchFlags::default();
        let mut file = None;
        let mut condition = None;
        let mut clauses = Vec::new();
        let mut default = None;
        for p in Kids::of(pair).pairs {
            match p.as_rule() {
                Rule::switch_file => {
                    let fspan = self.span(&p);
                    let mut fk = Kids::of(p);
                    let arg = fk
                        .take(Rule::next_argument)
                        .ok_or_else(|| internal(fspan, "file name"))?;
                    let mut ak = Kids::of(arg);
                    let token = self.next_pair(&mut ak, fspan, "file name")?;
                    file = Some(self.command_token(token)?);
                }
                Rule::switch_flag => {
                    let fspan = self.span(&p);
                    let name = p.as_str()[p.as_str().chars().next().map_or(1, char::len_utf8)..]
                        .trim_end_matches(':')
                        .to_ascii_lowercase();
                    let is = |full: &str| full.starts_with(&name);
                    if is("regex") {
                        flags.regex = true;
                        flags.wildcard = false;
                    } else if is("wildcard") {
                        flags.wildcard = true;
                        flags.regex = false;
                    } else if is("exact") {
                        flags.regex = false;
                        flags.wildcard = false;
                        flags.exact = true;
                    } else if is("casesensitive") {
                        flags.case_sensitive = true;
                    } else if is("parallel") {
                        flags.parallel = true;
                    } else {
                        return Err(self.error(
                            fspan,
                            format!(
                                "`{}` is not an option of the switch statement; use -regex, -wildcard, \
                                 -exact, -casesensitive or -file",
                                p.as_str()
                            ),
                        ));
                    }
                }
                Rule::switch_condition => {
                    let cspan = self.span(&p);
                    let mut ck = Kids::of(p);
                    condition = Some(self.pipeline_chain(self.next_pair(
                        &mut ck,
                        cspan,
                        "condition",
                    )?)?);
                }
                Rule::switch_clause => {
                    let cspan = self.span(&p);
                    let mut ck = Kids::of(p);
                    let cond = self.next_pair(&mut ck, cspan, "switch clause")?;
                    let is_default = cond.as_rule() == Rule::switch_default;
                    let cond_expr = if is_default {
                        None
                    } else {
                        Some(self.command_token(cond)?)
                    };
                    let body =
                        self.loop_body(self.next_pair(&mut ck, cspan, "clause body")?, &label)?;
                    match cond_expr {
                        None => {
                            if default.is_some() {
                                return Err(self.error(
                                    cspan,
                                    "the switch statement has more than one `default` clause",
                                ));
                            }
                            default = Some(body);
                        }
                        Some(condition) => clauses.push(SwitchClause { condition, body }),
                    }
                }
                _ => {}
            }
        }
        match (&file, &condition) {
            (Some(_), Some(c)) => {
                return Err(self.error(
                    c.span(),
                    "a switch with -file takes no value in parentheses; remove `(...)` or `-file`",
                ));
            }
            (None, None) => {
                return Err(self.error(
                    span,
                    "the switch statement needs a value to test: `switch ($value) { ... }`",
                ));
            }
            _ => {}
        }
        Ok(SwitchStatement {
            span,
            label,
            flags,
            file,
            condition,
            clauses,
            default,
        })
    }

    fn foreach_statement(
        &mut self,
        pair: Pair<'_, Rule>,
        label: Option<String>,
    ) -> R<ForeachStatement> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let mut parallel = false;
        let mut throttle_limit = None;
        while let Some(flag) = kids.take(Rule::foreach_flag) {
            let fspan = self.span(&flag);
            let text = flag.as_str();
            let name: String = text[text.chars().next().map_or(1, char::len_utf8)..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ':')
                .collect::<String>()
                .to_ascii_lowercase();
            if !name.is_empty() && "parallel".starts_with(&name) {
                parallel = true;
            } else if !name.is_empty() && "throttlelimit".starts_with(&name) {
                let mut fk = Kids::of(flag);
                let arg = fk
                    .take(Rule::next_argument)
                    .ok_or_else(|| internal(fspan, "throttle limit"))?;
                let mut ak = Kids::of(arg);
                throttle_limit = Some(self.command_token(self.next_pair(
                    &mut ak,
                    fspan,
                    "throttle limit",
                )?)?);
            } else {
                return Err(self.error(
                    fspan,
                    format!(
                        "`{}` is not an option of the foreach statement",
                        text.trim()
                    ),
                ));
            }
        }
        let var = self.next_pair(&mut kids, span, "loop variable")?;
        let variable = self.variable(&var)?;
        let iterable = self.pipeline_chain(self.next_pair(&mut kids, span, "collection")?)?;
        let body = self.loop_body(self.next_pair(&mut kids, span, "loop body")?, &label)?;
        if throttle_limit.is_some() && !parallel {
            return Err(self.error(
                span,
                "-ThrottleLimit needs -Parallel in a foreach statement",
            ));
        }
        Ok(ForeachStatement {
            span,
            label,
            parallel,
            throttle_limit,
            variable,
            iterable,
            body,
        })
    }

    fn for_statement(&mut self, pair: Pair<'_, Rule>, label: Option<String>) -> R<ForStatement> {
        let span = self.span(&pair);
        let (mut init, mut condition, mut iterator, mut body) = (None, None, None, None);
        for p in Kids::of(pair).pairs {
            let rule = p.as_rule();
            let pspan = self.span(&p);
            match rule {
                Rule::for_init | Rule::for_condition | Rule::for_iterator => {
                    let mut k = Kids::of(p);
                    let s = self.pipeline_chain(self.next_pair(&mut k, pspan, "for part")?)?;
                    match rule {
                        Rule::for_init => init = Some(s),
                        Rule::for_condition => condition = Some(s),
                        _ => iterator = Some(s),
                    }
                }
                Rule::statement_block => body = Some(self.loop_body(p, &label)?),
                _ => {}
            }
        }
        let body = body.ok_or_else(|| internal(span, "for loop without body"))?;
        Ok(ForStatement {
            span,
            label,
            init,
            condition,
            iterator,
            body,
        })
    }

    fn function(&mut self, pair: Pair<'_, Rule>) -> R<FunctionDefinition> {
        let span = self.span(&pair);
        let pair_start = pair.as_span().start();
        let pair_text = pair.as_str();
        let mut kids = Kids::of(pair);
        let keyword = self.next_pair(&mut kids, span, "function keyword")?;
        let kind = match keyword.as_str().to_ascii_lowercase().as_str() {
            "filter" => FunctionKind::Filter,
            "workflow" => FunctionKind::Workflow,
            _ => FunctionKind::Function,
        };
        let name_pair = self.next_pair(&mut kids, span, "function name")?;
        let name = text::bare_word_value(name_pair.as_str())
            .map_err(|m| self.error(self.span(&name_pair), m))?;
        let mut head_end = name_pair.as_span().end();
        let parameters = match kids.take(Rule::function_parameters) {
            Some(p) => {
                head_end = p.as_span().end();
                self.parameters(p)?
            }
            None => Vec::new(),
        };
        // The body's span starts at `{`, the first one after the name and parameters (only
        // newlines and comments can come between).
        let body_start = pair_text
            .get(head_end - pair_start..)
            .and_then(brace_after_gap)
            .map_or(span.start, |i| self.offset(head_end + i));
        self.deeper(1, span)?;
        self.scopes.push(Scope::Block);
        let contents = self.block_contents(&mut kids);
        self.scopes.pop();
        let (param_block, body) = contents?;
        self.shallower(1);
        if !parameters.is_empty() && param_block.is_some() {
            return Err(self.error(
                span,
                format!("the function `{name}` declares parameters both after its name and in a param() block; use one"),
            ));
        }
        Ok(FunctionDefinition {
            span,
            kind,
            name,
            parameters,
            body: ScriptBlock {
                span: Span::new(body_start, span.end),
                param_block,
                body,
            },
        })
    }
    fn flow(&mut self, pair: Pair<'_, Rule>) -> R<FlowStatement> {
        let span = self.span(&pair);
        let is_return = pair.as_rule() == Rule::return_statement;
        let mut kids = Kids::of(pair);
        let pipeline = match kids.next() {
            Some(p) => Some(self.pipeline_chain(p)?),
            None => None,
        };
        if is_return {
            self.check_flow_out_of_finally(span, "return", None)?;
            let method = self.scopes.iter().rev().find_map(|s| match s {
                Scope::Block => Some(None),
                Scope::Method { void } => Some(Some(*void)),
                _ => None,
            });
            match (method.flatten(), &pipeline) {
                (Some(true), Some(_)) => {
                    return Err(self.error(
                        span,
                        "a method whose return type is [void] (or a constructor) cannot return a value",
                    ));
                }
                (Some(false), None) => {
                    return Err(self.error(
                        span,
                        "this method declares a return type, so `return` needs a value",
                    ));
                }
                _ => {}
            }
        }
        Ok(FlowStatement { span, pipeline })
    }
    fn jump(&mut self, pair: Pair<'_, Rule>) -> R<JumpStatement> {
        let span = self.span(&pair);
        let what = if pair.as_rule() == Rule::break_statement {
            "break"
        } else {
            "continue"
        };
        let mut kids = Kids::of(pair);
        let label = if let Some(name) = kids.take(Rule::label_name) {
            Some(Expression::String(Box::new(StringLiteral {
                span: self.span(&name),
                value: name.as_str().to_string(),
                quote: QuoteKind::Bare,
            })))
        } else if kids.peek_rule().is_some() {
            Some(self.unary(&mut kids)?)
        } else {
            None
        };
        let constant = match &label {
            None => Some(String::new()),
            Some(Expression::String(s)) => Some(s.value.clone()),
            Some(_) => None,
        };
        self.check_flow_out_of_finally(span, what, constant.as_deref())?;
        Ok(JumpStatement { span, label })
    }

    fn try_statement(&mut self, pair: Pair<'_, Rule>) -> R<TryStatement> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let body = self.statement_block(self.next_pair(&mut kids, span, "try body")?)?;
        let mut catches: Vec<CatchClause> = Vec::new();
        let mut finally = None;
        while let Some(p) = kids.next() {
            let pspan = self.span(&p);
            if p.as_rule() == Rule::catch_clause {
                if let Some(prev) = catches.last()
                    && prev.types.is_empty()
                {
                    return Err(self.error(
                        prev.span,
                        "a catch block without a type must be the last catch block",
                    ));
                }
                let mut types = Vec::new();
                let mut ck = Kids::of(p);
                while let Some(t) = ck.take(Rule::type_literal) {
                    types.push(self.type_literal_name(t)?);
                }
                let body = self.statement_block(self.next_pair(&mut ck, pspan, "catch body")?)?;
                catches.push(CatchClause {
                    span: pspan,
                    types,
                    body,
                });
            } else {
                let mut fk = Kids::of(p);
                self.scopes.push(Scope::Finally);
                let block = self.statement_block(self.next_pair(&mut fk, pspan, "finally body")?);
                self.scopes.pop();
                finally = Some(block?);
            }
        }
        Ok(TryStatement {
            span,
            body,
            catches,
            finally,
        })
    }

    fn data_statement(&mut self, pair: Pair<'_, Rule>) -> R<DataStatement> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let name = kids.take(Rule::label_name).map(|p| p.as_str().to_string());
        let mut supported_commands = Vec::new();
        if let Some(cmds) = kids.take(Rule::data_commands) {
            let cspan = self.span(&cmds);
            let text = cmds.as_str();
            let pname: String = text[text.chars().next().map_or(1, char::len_utf8)..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ':')
                .collect::<String>()
                .to_ascii_lowercase();
            if !"supportedcommand".starts_with(&pname) {
                return Err(self.error(
                    cspan,
                    "a data section takes only the -SupportedCommand parameter",
                ));
            }
            let mut ck = Kids::of(cmds);
            if let Some(list) = ck.take(Rule::data_command_list) {
                for t in Kids::of(list).pairs {
                    supported_commands.push(self.command_token(t)?);
                }
            }
        }
        let body = self.statement_block(self.next_pair(&mut kids, span, "data body")?)?;
        Ok(DataStatement {
            span,
            name,
            supported_commands,
            body,
        })
    }

    fn class_statement(&mut self, pair: Pair<'_, Rule>) -> R<TypeDefinition> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let mut attributes = Vec::new();
        while let Some(a) = kids.take(Rule::attribute) {
            attributes.push(self.attribute(a)?);
        }
        let name = self
            .next_pair(&mut kids, span, "class name")?
            .as_str()
            .to_string();
        let mut base_types = Vec::new();
        if let Some(bases) = kids.take(Rule::base_types) {
            for t in Kids::of(bases).pairs {
                if t.as_rule() == Rule::base_type {
                    base_types.push(self.type_spec(t)?);
                }
            }
        }
        let mut members = Vec::new();
        self.deeper(1, span)?;
        while let Some(m) = kids.take(Rule::class_member) {
            members.push(self.class_member(m, &name)?);
        }
        self.shallower(1);
        Ok(TypeDefinition {
            span,
            name,
            attributes,
            base_types,
            members,
        })
    }

    fn class_member(&mut self, pair: Pair<'_, Rule>, class_name: &str) -> R<Member> {
        let span = self.span(&pair);
        let mut attributes = Vec::new();
        let mut type_name: Option<TypeName> = None;
        let (mut is_static, mut is_hidden) = (false, false);
        let mut kids = Kids::of(pair);
        loop {
            match kids.peek_rule() {
                Some(Rule::attribute) => {
                    let a = self.next_pair(&mut kids, span, "attribute")?;
                    attributes.push(self.attribute(a)?);
                }
                Some(Rule::type_literal) => {
                    let t = self.next_pair(&mut kids, span, "type")?;
                    let tspan = self.span(&t);
                    if type_name.is_some() {
                        return Err(self.error(tspan, "a class member can have only one type"));
                    }
                    type_name = Some(self.type_literal_name(t)?);
                }
                Some(Rule::member_modifier) => {
                    let m = self.next_pair(&mut kids, span, "modifier")?;
                    if m.as_str().eq_ignore_ascii_case("static") {
                        is_static = true;
                    } else {
                        is_hidden = true;
                    }
                }
                _ => break,
            }
        }
        let body = self.next_pair(&mut kids, span, "class member")?;
        let bspan = self.span(&body);
        let mut bk = Kids::of(body.clone());
        if body.as_rule() == Rule::class_property {
            let var = self.next_pair(&mut bk, bspan, "property")?;
            let variable = self.variable(&var)?;
            let initial_value = if bk.peek_rule().is_some() {
                Some(self.expression(&mut bk)?)
            } else {
                None
            };
            return Ok(Member::Property(PropertyMember {
                span,
                name: variable.name,
                type_name,
                attributes,
                is_static,
                is_hidden,
                initial_value,
            }));
        }
        let name = self
            .next_pair(&mut bk, bspan, "method name")?
            .as_str()
            .to_string();
        let parameters = self.parameters(self.next_pair(&mut bk, bspan, "method parameters")?)?;
        let mut base_arguments = None;
        if let Some(base) = bk.take(Rule::base_call) {
            let bcspan = self.span(&base);
            let mut ck = Kids::of(base);
            base_arguments = Some(self.invoke_arguments(self.next_pair(
                &mut ck,
                bcspan,
                "base arguments",
            )?)?);
            if !name.eq_ignore_ascii_case(class_name) || is_static {
                return Err(self.error(bcspan, "only a constructor can call `base(...)`"));
            }
        }
        self.deeper(1, bspan)?;
        let void = type_name
            .as_ref()
            .is_none_or(|t| t.full_name.eq_ignore_ascii_case("void"))
            || name.eq_ignore_ascii_case(class_name);
        self.scopes.push(Scope::Method { void });
        let contents = self.block_contents(&mut bk);
        self.scopes.pop();
        let (param_block, block_body) = contents?;
        self.shallower(1);
        if let Some(p) = &param_block {
            return Err(self.error(
                p.span,
                "a class method cannot have a param() block; declare its parameters in parentheses after its name",
            ));
        }
        if let Body::NamedBlocks(b) = &block_body
            && let Some(first) = b.blocks.first()
        {
            return Err(self.error(
                first.span,
                "a class method cannot have begin/process/end blocks",
            ));
        }
        Ok(Member::Method(MethodMember {
            span,
            name,
            return_type: type_name,
            attributes,
            is_static,
            is_hidden,
            parameters,
            base_arguments,
            body: ScriptBlock {
                span: bspan,
                param_block,
                body: block_body,
            },
        }))
    }

    fn enum_statement(&mut self, pair: Pair<'_, Rule>) -> R<TypeDefinition> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let mut attributes = Vec::new();
        while let Some(a) = kids.take(Rule::attribute) {
            attributes.push(self.attribute(a)?);
        }
        let name = self
            .next_pair(&mut kids, span, "enum name")?
            .as_str()
            .to_string();
        let mut base_types = Vec::new();
        if let Some(t) = kids.take(Rule::type_spec) {
            base_types.push(self.type_spec(t)?);
        }
        let mut members = Vec::new();
        self.deeper(1, span)?;
        while let Some(m) = kids.take(Rule::enum_member) {
            let mspan = self.span(&m);
            let mut mk = Kids::of(m);
            let mname = self
                .next_pair(&mut mk, mspan, "enum member")?
                .as_str()
                .to_string();
            let initial_value = if mk.peek_rule().is_some() {
                Some(self.expression(&mut mk)?)
            } else {
                None
            };
            members.push(Member::Property(PropertyMember {
                span: mspan,
                name: mname,
                type_name: None,
                attributes: Vec::new(),
                is_static: true,
                is_hidden: false,
                initial_value,
            }));
        }
        self.shallower(1);
        Ok(TypeDefinition {
            span,
            name,
            attributes,
            base_types,
            members,
        })
    }

    fn using_statement(&mut self, pair: Pair<'_, Rule>) -> R<UsingStatement> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let kind_pair = self.next_pair(&mut kids, span, "using kind")?;
        let kind = match kind_pair.as_str().to_ascii_lowercase().as_str() {
            "namespace" => UsingKind::Namespace,
            "module" => UsingKind::Module,
            "assembly" => UsingKind::Assembly,
            "type" => UsingKind::Type,
            _ => UsingKind::Command,
        };
        let name = self.command_token(self.next_pair(&mut kids, span, "using name")?)?;
        let alias = match kids.next() {
            Some(p) => Some(self.command_token(p)?),
            None => None,
        };
        let name_ok = matches!(name, Expression::String(_))
            || (kind == UsingKind::Module && matches!(name, Expression::Hashtable(_)));
        if !name_ok {
            return Err(self.error(
                name.span(),
                "the name in a using statement must be a plain word or a quoted string",
            ));
        }
        if alias.is_some() && kind == UsingKind::Assembly {
            return Err(self.error(span, "`using assembly` takes no alias"));
        }
        if alias.is_none() && matches!(kind, UsingKind::Type | UsingKind::Command) {
            return Err(self.error(
                span,
                "this using statement needs an alias: `using type Alias = Full.Name`",
            ));
        }
        if let Some(a) = &alias
            && !matches!(a, Expression::String(_))
        {
            return Err(self.error(
                a.span(),
                "the alias in a using statement must be a plain word or a quoted string",
            ));
        }
        Ok(UsingStatement {
            span,
            kind,
            name,
            alias,
        })
    }

    // ---------------------------------------------------------------------------------------------
    // Pipelines and commands
    // ---------------------------------------------------------------------------------------------

    fn pipeline_chain(&mut self, pair: Pair<'_, Rule>) -> R<Statement> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        // The first element: an expression (maybe an assignment target) or a command.
        let first_element = if kids.peek_rule() == Some(Rule::command) {
            let c = self.next_pair(&mut kids, span, "command")?;
            PipelineElement::Command(self.command(c)?)
        } else {
            let expression = self.expression(&mut kids)?;
            if let Some(tail) = kids.take(Rule::assignment_tail) {
                return self.assignment(span, expression, tail);
            }
            let redirections = self.redirections(&mut kids)?;
            let espan = match redirections.last() {
                Some(r) => Span::new(expression.span().start, redirection_span(r).end),
                None => expression.span(),
            };
            PipelineElement::Expression(ExpressionElement {
                span: espan,
                expression,
                redirections,
            })
        };
        let mut elements = vec![first_element];
        while let Some(c) = kids.take(Rule::command) {
            elements.push(PipelineElement::Command(self.command(c)?));
        }
        let mut links = Vec::new();
        let mut background = false;
        while let Some(p) = kids.next() {
            match p.as_rule() {
                Rule::chain_operator => {
                    let operator = if p.as_str().ends_with("&&") {
                        ChainOperator::And
                    } else {
                        ChainOperator::Or
                    };
                    let pl = self.next_pair(&mut kids, span, "pipeline after chain operator")?;
                    links.push(ChainLink {
                        operator,
                        pipeline: self.pipeline(pl)?,
                    });
                }
                Rule::background => background = true,
                _ => return Err(internal(self.span(&p), "part of a pipeline")),
            }
        }
        let first_span = Span::new(
            element_span(&elements[0]).start,
            element_span(elements.last().unwrap_or(&elements[0])).end,
        );
        if links.is_empty() {
            return Ok(Statement::Pipeline(Pipeline {
                span: first_span,
                elements,
                background,
            }));
        }
        let span = match links.last() {
            Some(last) if !background => Span::new(span.start, last.pipeline.span.end),
            _ => span,
        };
        Ok(Statement::Chain(Box::new(PipelineChain {
            span,
            first: Pipeline {
                span: first_span,
                elements,
                background: false,
            },
            rest: links,
            background,
        })))
    }

    fn pipeline(&mut self, pair: Pair<'_, Rule>) -> R<Pipeline> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let mut elements = Vec::new();
        if kids.peek_rule() != Some(Rule::command) {
            let expression = self.expression(&mut kids)?;
            let redirections = self.redirections(&mut kids)?;
            let espan = match redirections.last() {
                Some(r) => Span::new(expression.span().start, redirection_span(r).end),
                None => expression.span(),
            };
            elements.push(PipelineElement::Expression(ExpressionElement {
                span: espan,
                expression,
                redirections,
            }));
        }
        while let Some(c) = kids.take(Rule::command) {
            elements.push(PipelineElement::Command(self.command(c)?));
        }
        let span = match (elements.first(), elements.last()) {
            (Some(first), Some(last)) => {
                Span::new(element_span(first).start, element_span(last).end)
            }
            _ => span,
        };
        Ok(Pipeline {
            span,
            elements,
            background: false,
        })
    }

    fn assignment(&mut self, span: Span, target: Expression, tail: Pair<'_, Rule>) -> R<Statement> {
        let tspan = self.span(&tail);
        let mut kids = Kids::of(tail);
        let op = self.next_pair(&mut kids, tspan, "assignment operator")?;
        let operator = match op.as_str() {
            "=" => AssignmentOperator::Assign,
            "+=" => AssignmentOperator::Add,
            "*=" => AssignmentOperator::Multiply,
            "/=" => AssignmentOperator::Divide,
            "%=" => AssignmentOperator::Remainder,
            "??=" => AssignmentOperator::Coalesce,
            _ => AssignmentOperator::Subtract,
        };
        check_assignable(&target, operator == AssignmentOperator::Assign)
            .map_err(|(s, m)| self.error(s, m))?;
        let value = self.statement(&mut kids)?;
        Ok(Statement::Assignment(Box::new(Assignment {
            span,
            target,
            operator,
            value,
        })))
    }

    fn redirections(&mut self, kids: &mut Kids<'_>) -> R<Vec<Redirection>> {
        let mut out: Vec<Redirection> = Vec::new();
        while let Some(p) = kids.take(Rule::redirection) {
            let r = self.redirection(p)?;
            let stream = match &r {
                Redirection::File(f) => f.stream,
                Redirection::Merge(m) => m.from,
            };
            if out.iter().any(|o| match o {
                Redirection::File(f) => f.stream == stream,
                Redirection::Merge(m) => m.from == stream,
            }) {
                return Err(self.error(
                    redirection_span(&r),
                    format!("the {} stream is redirected twice", stream_name(stream)),
                ));
            }
            out.push(r);
        }
        Ok(out)
    }

    fn redirection(&mut self, pair: Pair<'_, Rule>) -> R<Redirection> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let op = self.next_pair(&mut kids, span, "redirection")?;
        let text = op.as_str();
        let from = match text.as_bytes().first() {
            Some(b'*') => Stream::All,
            Some(&d @ b'1'..=b'6') => stream_from_digit(d),
            _ => Stream::Output,
        };
        if op.as_rule() == Rule::merging_redirection {
            let to = text
                .as_bytes()
                .last()
                .copied()
                .map_or(Stream::Output, stream_from_digit);
            if to != Stream::Output || from == Stream::Output {
                return Err(self.error(
                    span,
                    format!(
                        "the `{text}` redirection is reserved for future use; only merging into the output stream (`2>&1`, `*>&1`) works"
                    ),
                ));
            }
            return Ok(Redirection::Merge(MergeRedirection { span, from, to }));
        }
        let target_pair = self.next_pair(&mut kids, span, "redirection target")?;
        let tspan = self.span(&target_pair);
        let mut tk = Kids::of(target_pair);
        let target = self.command_token(self.next_pair(&mut tk, tspan, "redirection target")?)?;
        Ok(Redirection::File(FileRedirection {
            span,
            stream: from,
            append: text.ends_with(">>"),
            target,
        }))
    }

    fn command(&mut self, pair: Pair<'_, Rule>) -> R<Command> {
        let span = self.span(&pair);
        self.deeper(1, span)?;
        let mut kids = Kids::of(pair);
        let first = self.next_pair(&mut kids, span, "command name")?;
        let (invocation, name) = if first.as_rule() == Rule::invocation_operator {
            let invocation = if first.as_str() == "&" {
                InvocationOperator::Call
            } else {
                InvocationOperator::DotSource
            };
            let name = self.command_token(self.next_pair(&mut kids, span, "command name")?)?;
            (Some(invocation), name)
        } else {
            let nspan = self.span(&first);
            let inner = first
                .into_inner()
                .next()
                .ok_or_else(|| internal(nspan, "command name"))?;
            let value = text::bare_word_value(inner.as_str()).map_err(|m| self.error(nspan, m))?;
            (
                None,
                Expression::String(Box::new(StringLiteral {
                    span: nspan,
                    value,
                    quote: QuoteKind::Bare,
                })),
            )
        };
        let mut elements: Vec<CommandElement> = Vec::new();
        let mut redirections: Vec<Redirection> = Vec::new();
        let mut after_dash_dash = false;
        while let Some(p) = kids.next() {
            let pspan = self.span(&p);
            match p.as_rule() {
                Rule::redirection => {
                    let r = self.redirection(p)?;
                    let stream = match &r {
                        Redirection::File(f) => f.stream,
                        Redirection::Merge(m) => m.from,
                    };
                    if redirections.iter().any(|o| match o {
                        Redirection::File(f) => f.stream == stream,
                        Redirection::Merge(m) => m.from == stream,
                    }) {
                        return Err(self.error(
                            pspan,
                            format!("the {} stream is redirected twice", stream_name(stream)),
                        ));
                    }
                    redirections.push(r);
                }
                Rule::verbatim_argument => {
                    let text = p.as_str()[3..].trim_start().to_string();
                    elements.push(CommandElement::Verbatim(VerbatimArgument {
                        span: pspan,
                        text,
                    }));
                }
                Rule::dash_dash => {
                    if after_dash_dash {
                        elements.push(CommandElement::Argument(Expression::String(Box::new(
                            StringLiteral {
                                span: pspan,
                                value: "--".to_string(),
                                quote: QuoteKind::Bare,
                            },
                        ))));
                    } else {
                        after_dash_dash = true;
                        elements.push(CommandElement::EndOfParameters(EndOfParameters {
                            span: pspan,
                        }));
                    }
                }
                Rule::command_parameter => {
                    let parameter = self.parameter_element(p)?;
                    if after_dash_dash {
                        // After `--`, `-Name` is an argument (PowerShell keeps the text).
                        let text = pspan;
                        elements.push(CommandElement::Argument(Expression::String(Box::new(
                            StringLiteral {
                                span: text,
                                value: format!(
                                    "-{}{}",
                                    parameter.name,
                                    if parameter.colon { ":" } else { "" }
                                ),
                                quote: QuoteKind::Bare,
                            },
                        ))));
                        if let Some(v) = parameter.value {
                            elements.push(CommandElement::Argument(v));
                        }
                    } else {
                        elements.push(CommandElement::Parameter(parameter));
                    }
                }
                _ => {
                    let head = self.command_token(p)?;
                    if let Expression::Variable(v) = &head
                        && v.splatted
                    {
                        self.splats_allowed.push(v.span);
                    }
                    let arg = match kids.take(Rule::argument_list_tail) {
                        None => head,
                        Some(tail) => self.argument_list(head, tail)?,
                    };
                    // `-Name value` stays a parameter and an argument: whether the argument is
                    // the parameter's value depends on the command (see `crate::semantic`).
                    elements.push(CommandElement::Argument(arg));
                }
            }
        }
        self.check_splats_in_arguments(&elements)?;
        self.shallower(1);
        // The pair may end with the blanks before a `|` or chain operator; the span ends at the
        // last part.
        let end = elements
            .iter()
            .map(|e| command_element_span(e).end)
            .chain(redirections.iter().map(|r| redirection_span(r).end))
            .fold(name.span().end, usize::max);
        Ok(Command {
            span: Span::new(span.start, end),
            invocation,
            name,
            elements,
            redirections,
        })
    }

    /// Splatting (`@args`) is allowed only as a whole command argument.
    fn check_splats_in_arguments(&self, elements: &[CommandElement]) -> R<()> {
        for e in elements {
            let arrays: Vec<&Expression> = match e {
                CommandElement::Argument(Expression::Array(a)) => a.elements.iter().collect(),
                CommandElement::Parameter(CommandParameter {
                    value: Some(Expression::Array(a)),
                    ..
                }) => a.elements.iter().collect(),
                _ => Vec::new(),
            };
            for item in arrays {
                if let Expression::Variable(v) = item
                    && v.splatted
                {
                    return Err(self.error(
                            v.span,
                            format!("a splatted variable like `@{}` cannot be part of a comma-separated list of arguments", v.name),
                        ));
                }
            }
        }
        Ok(())
    }

    fn argument_list(&mut self, head: Expression, tail: Pair<'_, Rule>) -> R<Expression> {
        let tspan = self.span(&tail);
        self.deeper(1, tspan)?;
        let mut elements = vec![head];
        for t in Kids::of(tail).pairs {
            elements.push(self.command_token(t)?);
        }
        self.shallower(1);
        let span = Span::new(elements[0].span().start, tspan.end);
        Ok(Expression::Array(Box::new(ArrayLiteral { span, elements })))
    }

    fn parameter_element(&mut self, pair: Pair<'_, Rule>) -> R<CommandParameter> {
        let span = self.span(&pair);
        let trimmed_len = pair.as_str().trim_end().len();
        let mut kids = Kids::of(pair);
        let name = self
            .next_pair(&mut kids, span, "parameter name")?
            .as_str()
            .to_string();
        let mut value = None;
        let mut colon = false;
        if let Some(arg) = kids.take(Rule::parameter_argument) {
            colon = true;
            let aspan = self.span(&arg);
            let mut ak = Kids::of(arg);
            if ak.peek_rule().is_some() {
                let token = self.next_pair(&mut ak, aspan, "parameter value")?;
                let head = self.command_token(token)?;
                value = Some(match ak.take(Rule::argument_list_tail) {
                    None => head,
                    Some(tail) => self.argument_list(head, tail)?,
                });
            }
        }
        // The compound token may have taken the blanks after it; the span ends at its text.
        let end = match &value {
            Some(v) => v.span().end,
            None => span.start + trimmed_len,
        };
        Ok(CommandParameter {
            span: Span::new(span.start, end),
            name,
            value,
            colon,
        })
    }

    /// One command-mode token: a value with member access, a number, or a bare word.
    fn command_token(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
        match pair.as_rule() {
            Rule::cmd_value => self.value(pair),
            Rule::number_token | Rule::cmd_number => Ok(self.number(&pair)),
            Rule::generic_token => self.generic_token(pair),
            _ => Err(internal(self.span(&pair), "command argument")),
        }
    }

    /// A bare word; expandable when it holds `$variables` or `$(subexpressions)`.
    fn generic_token(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
        let span = self.span(&pair);
        let raw = pair.as_str();
        let start = pair.as_span().start();
        let ranges = text::dollar_parts(raw, text::PartsIn::BareWord);
        if ranges.is_empty() {
            let value = text::bare_word_value(raw).map_err(|m| self.error(span, m))?;
            return Ok(Expression::String(Box::new(StringLiteral {
                span,
                value,
                quote: QuoteKind::Bare,
            })));
        }
        let value = text::expandable_bare_value(raw, &ranges).map_err(|m| self.error(span, m))?;
        let parts = self.expandable_parts(raw, start, &ranges, false)?;
        Ok(Expression::ExpandableString(Box::new(ExpandableString {
            span,
            value,
            quote: QuoteKind::Bare,
            parts,
        })))
    }

    // ---------------------------------------------------------------------------------------------
    // Expressions
    // ---------------------------------------------------------------------------------------------

    /// `operand (operator operand)* ternary?`, with PowerShell's precedence (all left-associative).
    fn expression(&mut self, kids: &mut Kids<'_>) -> R<Expression> {
        // The chain's length counts as depth before any operand is built (the first operand
        // ends up that many levels below the chain's root).
        let links = chain_length(kids);
        let here = kids
            .peeked
            .as_ref()
            .map_or(Span::default(), |p| self.span(p));
        self.deeper(links, here)?;
        let first = self.array_operand(kids)?;
        let mut result = match kids
            .take(Rule::binary_tail)
            .or_else(|| kids.take(Rule::binary_tail_nc))
        {
            None => first,
            Some(tail) => self.binary_chain(first, tail)?,
        };
        self.shallower(links);
        if let Some(t) = kids
            .take(Rule::ternary)
            .or_else(|| kids.take(Rule::ternary_nc))
        {
            let tspan = self.span(&t);
            self.deeper(1, tspan)?;
            let mut tk = Kids::of(t);
            let if_true = self.expression(&mut tk)?;
            let if_false = self.expression(&mut tk)?;
            self.shallower(1);
            let span = Span::new(result.span().start, tspan.end);
            result = Expression::Ternary(Box::new(TernaryExpression {
                span,
                condition: result,
                if_true,
                if_false,
            }));
        }
        Ok(result)
    }

    /// `first op operand op operand...` with PowerShell's precedence (all left-associative), by
    /// shunting-yard. (The caller counted the chain's length as depth.)
    fn binary_chain(&mut self, first: Expression, tail: Pair<'_, Rule>) -> R<Expression> {
        let tspan = self.span(&tail);
        let mut kids = Kids::of(tail);
        let mut operands: Vec<Expression> = vec![first];
        let mut operators: Vec<(BinaryOperator, Span)> = Vec::new();
        while let Some(op_pair) = kids.take(Rule::binary_operator) {
            let op_span = self.span(&op_pair);
            let op =
                binary_operator(op_pair.as_str()).ok_or_else(|| internal(op_span, "operator"))?;
            let operand = if kids.peek_rule().is_some() {
                self.array_operand(&mut kids)?
            } else {
                return Err(internal(op_span, "operand"));
            };
            while let Some((top, _)) = operators.last() {
                if top.precedence() < op.precedence() {
                    break;
                }
                reduce(&mut operands, &mut operators);
            }
            operators.push((op, op_span));
            operands.push(operand);
        }
        while !operators.is_empty() {
            reduce(&mut operands, &mut operators);
        }
        operands.pop().ok_or_else(|| internal(tspan, "expression"))
    }

    /// A unary expression, possibly followed by `, more, items`.
    fn array_operand(&mut self, kids: &mut Kids<'_>) -> R<Expression> {
        let first = self.unary(kids)?;
        match kids.take(Rule::array_tail) {
            None => Ok(first),
            Some(tail) => {
                let tspan = self.span(&tail);
                self.deeper(1, tspan)?;
                let mut elements = vec![first];
                let mut tk = Kids::of(tail);
                while tk.peek_rule().is_some() {
                    elements.push(self.unary(&mut tk)?);
                }
                self.shallower(1);
                let span = Span::new(elements[0].span().start, tspan.end);
                Ok(Expression::Array(Box::new(ArrayLiteral { span, elements })))
            }
        }
    }

    fn unary(&mut self, kids: &mut Kids<'_>) -> R<Expression> {
        with_stack(|| self.unary_here(kids))
    }

    fn unary_here(&mut self, kids: &mut Kids<'_>) -> R<Expression> {
        let pair = kids
            .next()
            .ok_or_else(|| internal(Span::default(), "end of expression"))?;
        let span = self.span(&pair);
        self.deeper(1, span)?;
        let expr = match pair.as_rule() {
            Rule::signed_number => self.number(&pair),
            Rule::unary_operator | Rule::unary_operator_nc => {
                let operator = unary_operator(pair.as_str());
                let operand = self.unary(kids)?;
                if matches!(
                    operator,
                    UnaryOperator::PreIncrement | UnaryOperator::PreDecrement
                ) {
                    check_assignable(&operand, false).map_err(|(s, _)| {
                        self.error(
                            s,
                            format!(
                                "the `{}` operator works only on a variable or a property",
                                pair.as_str()
                            ),
                        )
                    })?;
                }
                let span = Span::new(span.start, operand.span().end);
                if operator == UnaryOperator::Comma {
                    Expression::Array(Box::new(ArrayLiteral {
                        span,
                        elements: vec![operand],
                    }))
                } else {
                    Expression::Unary(Box::new(UnaryExpression {
                        span,
                        operator,
                        operand,
                    }))
                }
            }
            Rule::cast_expression => self.cast_expression(pair)?,
            Rule::expr_value => self.value(pair)?,
            _ => return Err(internal(span, "operand")),
        };
        let expr = match kids.take(Rule::postfix_operator) {
            None => expr,
            Some(op) => {
                let ospan = self.span(&op);
                check_assignable(&expr, false).map_err(|(s, _)| {
                    self.error(
                        s,
                        format!(
                            "the `{}` operator works only on a variable or a property",
                            op.as_str()
                        ),
                    )
                })?;
                let operator = if op.as_str() == "++" {
                    UnaryOperator::PostIncrement
                } else {
                    UnaryOperator::PostDecrement
                };
                Expression::Unary(Box::new(UnaryExpression {
                    span: Span::new(expr.span().start, ospan.end),
                    operator,
                    operand: expr,
                }))
            }
        };
        self.shallower(1);
        Ok(expr)
    }

    /// `[a][b()]operand`, `[T]::Member`, `[T]`.
    fn cast_expression(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let items_pair = self.next_pair(&mut kids, span, "cast")?;
        let items: Vec<Pair<'_, Rule>> = Kids::of(items_pair)
            .pairs
            .filter(|p| matches!(p.as_rule(), Rule::attribute | Rule::type_literal))
            .collect();
        let postfix: Vec<Pair<'_, Rule>> = {
            let mut v = Vec::new();
            while let Some(k) = kids.peek_rule() {
                if matches!(k, Rule::expr_member_access | Rule::index_access) {
                    v.push(self.next_pair(&mut kids, span, "member access")?);
                } else {
                    break;
                }
            }
            v
        };
        let n = items.len() + postfix.len();
        self.deeper(n + 1, span)?;
        let mut built: Vec<(bool, Span, Option<TypeName>, Option<Attribute>)> = Vec::new();
        for item in items {
            let ispan = self.span(&item);
            if item.as_rule() == Rule::attribute {
                built.push((true, ispan, None, Some(self.attribute(item)?)));
            } else {
                built.push((false, ispan, Some(self.type_literal_name(item)?), None));
            }
        }
        let last = built.pop().ok_or_else(|| internal(span, "cast"))?;
        let mut expr = if !postfix.is_empty() {
            let (is_attr, lspan, type_name, _) = last;
            let type_name = match (is_attr, type_name) {
                (false, Some(t)) => t,
                _ => {
                    return Err(self.error(
                        lspan,
                        "member access needs a type, not an attribute, before it",
                    ));
                }
            };
            let mut target = Expression::Type(Box::new(TypeExpression {
                span: lspan,
                type_name,
            }));
            for p in postfix {
                target = self.postfix(target, p)?;
            }
            if let Some(operand_pair) = kids.next() {
                return Err(self.error(
                    self.span(&operand_pair),
                    "unexpected value after a type's member; put an operator or a newline between them",
                ));
            }
            target
        } else {
            let operand = match kids.next() {
                None => None,
                Some(op_pair) => {
                    let mut ok = Kids::of(op_pair);
                    Some(self.unary(&mut ok)?)
                }
            };
            match (last, operand) {
                ((false, lspan, Some(type_name), _), None) => {
                    Expression::Type(Box::new(TypeExpression {
                        span: lspan,
                        type_name,
                    }))
                }
                ((false, lspan, Some(type_name), _), Some(operand)) => {
                    Expression::Convert(Box::new(ConvertExpression {
                        span: Span::new(lspan.start, operand.span().end),
                        type_name,
                        operand,
                    }))
                }
                ((true, lspan, _, Some(attribute)), Some(operand)) => {
                    Expression::Attributed(Box::new(AttributedExpression {
                        span: Span::new(lspan.start, operand.span().end),
                        attribute,
                        operand,
                    }))
                }
                ((_, lspan, _, attr), _) => {
                    let name = attr.map_or_else(String::new, |a| a.type_name.full_name);
                    return Err(self.error(
                        lspan,
                        format!("the attribute `[{name}(...)]` must be followed by the value or variable it applies to"),
                    ));
                }
            }
        }; // `[ordered]` works only on a hashtable literal.
        if let Expression::Convert(c) = &expr
            && c.type_name.full_name.eq_ignore_ascii_case("ordered")
            && !matches!(c.operand, Expression::Hashtable(_))
        {
            return Err(self.error(
                c.span,
                "[ordered] can only be applied to a hashtable literal `@{ ... }`",
            ));
        }
        while let Some((is_attr, ispan, type_name, attribute)) = built.pop() {
            let end = expr.span().end;
            expr = match (is_attr, type_name, attribute) {
                (false, Some(type_name), _) => Expression::Convert(Box::new(ConvertExpression {
                    span: Span::new(ispan.start, end),
                    type_name,
                    operand: expr,
                })),
                (_, _, Some(attribute)) => Expression::Attributed(Box::new(AttributedExpression {
                    span: Span::new(ispan.start, end),
                    attribute,
                    operand: expr,
                })),
                _ => return Err(internal(ispan, "cast")),
            };
        }
        self.shallower(n + 1);
        check_attributed(&expr).map_err(|(s, m)| self.error(s, m))?;
        Ok(expr)
    }

    /// A primary value with its member access (`expr_value` or `cmd_value`).
    fn value(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
        let span = self.span(&pair);
        let mut kids = pair.into_inner();
        let n = kids.len();
        self.deeper(n, span)?;
        let first = kids.next().ok_or_else(|| internal(span, "value"))?;
        let mut expr = self.primary(first)?;
        for p in kids {
            expr = self.postfix(expr, p)?;
        }
        self.shallower(n);
        Ok(expr)
    }

    fn primary(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
        with_stack(|| self.primary_here(pair))
    }

    fn primary_here(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
        let span = self.span(&pair);
        Ok(match pair.as_rule() {
            Rule::variable | Rule::splat | Rule::cmd_variable | Rule::cmd_splat => {
                Expression::Variable(Box::new(self.variable(&pair)?))
            }
            Rule::number_token => self.number(&pair),
            Rule::string_literal | Rule::here_string_literal => {
                let here = pair.as_rule() == Rule::here_string_literal;
                let raw = pair.as_str();
                let value = if here {
                    text::here_string_body(raw).to_string()
                } else {
                    text::single_quoted_value(raw)
                };
                Expression::String(Box::new(StringLiteral {
                    span,
                    value,
                    quote: if here {
                        QuoteKind::HereSingle
                    } else {
                        QuoteKind::Single
                    },
                }))
            }
            Rule::string_expandable | Rule::here_string_expandable => {
                self.expandable_string(pair)?
            }
            Rule::paren_expression => {
                self.deeper(1, span)?;
                let mut kids = Kids::of(pair);
                let pipeline = self.pipeline_chain(self.next_pair(
                    &mut kids,
                    span,
                    "parenthesized pipeline",
                )?)?;
                self.shallower(1);
                Expression::Paren(Box::new(ParenExpression { span, pipeline }))
            }
            Rule::subexpression | Rule::array_expression => {
                let rule = pair.as_rule();
                self.deeper(1, span)?;
                let statements = self.statements(&mut Kids::of(pair))?;
                self.shallower(1);
                let inner = Box::new(StatementsExpression { span, statements });
                if rule == Rule::subexpression {
                    Expression::SubExpression(inner)
                } else {
                    Expression::ArrayExpression(inner)
                }
            }
            Rule::hash_literal => self.hashtable(pair)?,
            Rule::script_block => Expression::ScriptBlock(Box::new(self.script_block(pair)?)),
            _ => return Err(internal(span, "value")),
        })
    }

    fn hashtable(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
        let span = self.span(&pair);
        self.deeper(1, span)?;
        let mut entries: Vec<HashEntry> = Vec::new();
        for entry in Kids::of(pair).pairs {
            if entry.as_rule() != Rule::hash_entry {
                continue;
            }
            let espan = self.span(&entry);
            let mut ek = Kids::of(entry);
            let key = if let Some(name) = ek.take(Rule::label_name) {
                Expression::String(Box::new(StringLiteral {
                    span: self.span(&name),
                    value: name.as_str().to_string(),
                    quote: QuoteKind::Bare,
                }))
            } else {
                self.unary(&mut ek)?
            };
            if let Some(k) = constant_key(&key)
                && entries.iter().any(|e| {
                    constant_key(&e.key).is_some_and(|other| other.eq_ignore_ascii_case(&k))
                })
            {
                return Err(self.error(
                    key.span(),
                    format!("the key `{k}` appears twice in the hashtable"),
                ));
            }
            if ek.peek_rule().is_none() {
                return Err(self.error(espan, "missing value after `=` in the hashtable"));
            }
            let value = self.statement(&mut ek)?;
            entries.push(HashEntry { key, value });
        }
        self.shallower(1);
        Ok(Expression::Hashtable(Box::new(Hashtable { span, entries })))
    }

    /// Member access, index or call applied to `target`.
    fn postfix(&mut self, target: Expression, pair: Pair<'_, Rule>) -> R<Expression> {
        let span = self.span(&pair);
        let start = target.span().start;
        match pair.as_rule() {
            Rule::index_access => {
                let mut kids = Kids::of(pair);
                let op = self.next_pair(&mut kids, span, "index")?;
                let index = self.expression(&mut kids)?;
                Ok(Expression::Index(Box::new(IndexExpression {
                    span: Span::new(start, span.end),
                    target,
                    index,
                    null_conditional: op.as_str() == "?[",
                })))
            }
            Rule::expr_member_access | Rule::cmd_member_access => {
                let mut kids = Kids::of(pair);
                let op = self.next_pair(&mut kids, span, "member operator")?;
                let is_static = op.as_str() == "::";
                let null_conditional = op.as_str() == "?.";
                let name_pair = self.next_pair(&mut kids, span, "member name")?;
                let member = if name_pair.as_rule() == Rule::simple_name {
                    Expression::String(Box::new(StringLiteral {
                        span: self.span(&name_pair),
                        value: name_pair.as_str().to_string(),
                        quote: QuoteKind::Bare,
                    }))
                } else {
                    self.primary(name_pair)?
                };
                let mut generic_arguments = Vec::new();
                if let Some(g) = kids.take(Rule::generic_method_arguments) {
                    for a in Kids::of(g).pairs {
                        if a.as_rule() == Rule::generic_argument {
                            generic_arguments.push(self.generic_argument(a)?);
                        }
                    }
                }
                match kids.next() {
                    None => Ok(Expression::Member(Box::new(MemberExpression {
                        span: Span::new(start, span.end),
                        target,
                        member,
                        is_static,
                        null_conditional,
                    }))),
                    Some(call) => {
                        let arguments = if call.as_rule() == Rule::invoke_arguments {
                            self.invoke_arguments(call)?
                        } else {
                            vec![Expression::ScriptBlock(Box::new(self.script_block(call)?))]
                        };
                        Ok(Expression::Invoke(Box::new(InvokeExpression {
                            span: Span::new(start, span.end),
                            target,
                            member,
                            arguments,
                            generic_arguments,
                            is_static,
                            null_conditional,
                        })))
                    }
                }
            }
            _ => Err(internal(span, "member access")),
        }
    }

    fn invoke_arguments(&mut self, pair: Pair<'_, Rule>) -> R<Vec<Expression>> {
        let span = self.span(&pair);
        self.deeper(1, span)?;
        let mut kids = Kids::of(pair);
        let mut out = Vec::new();
        while kids.peek_rule().is_some() {
            out.push(self.expression(&mut kids)?);
        }
        self.shallower(1);
        Ok(out)
    }

    // ---------------------------------------------------------------------------------------------
    // Tokens
    // ---------------------------------------------------------------------------------------------

    fn variable(&mut self, pair: &Pair<'_, Rule>) -> R<Variable> {
        let span = self.span(pair);
        self.variable_text(pair.as_str(), span)
    }

    /// A variable from its text (`$name`, `${name}`, `@name`).
    fn variable_text(&mut self, raw: &str, span: Span) -> R<Variable> {
        let splatted = raw.starts_with('@');
        if splatted {
            self.splats.push(span);
        }
        let body = &raw[1..];
        let (name, braced) = if let Some(inner) = body.strip_prefix('{') {
            let inner = inner.strip_suffix('}').unwrap_or(inner);
            (
                text::braced_variable_name(inner).map_err(|m| self.error(span, m))?,
                true,
            )
        } else {
            (body.to_string(), false)
        };
        if name.is_empty() {
            return Err(self.error(
                span,
                "an empty `${}` variable reference: a name is needed inside the braces",
            ));
        }
        if !braced {
            if let Some((_, rest)) = name.split_once(':')
                && rest.is_empty()
            {
                return Err(self.error(
                        span,
                        format!(
                            "`{raw}` is not a valid variable reference: `:` must be followed by a name; write `${{{name}}}` if the colon is part of the name, or `${{{}}}:` to put a colon after the variable",
                            name.trim_end_matches(':')
                        ),
                    ));
            }
        } else if let Some((_, rest)) = name.split_once(':')
            && rest.is_empty()
        {
            return Err(self.error(
                span,
                format!("`{raw}` is not a valid variable reference: the name after `:` is missing"),
            ));
        }
        Ok(Variable {
            span,
            name,
            splatted,
            braced,
        })
    }

    fn number(&self, pair: &Pair<'_, Rule>) -> Expression {
        Expression::Number(Box::new(NumberLiteral {
            span: self.span(pair),
            text: pair.as_str().to_string(),
        }))
    }

    /// `"..."` or `@"..."@`.
    fn expandable_string(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
        let span = self.span(&pair);
        let here = pair.as_rule() == Rule::here_string_expandable;
        let raw = pair.as_str();
        let start = pair.as_span().start();
        let ranges = text::dollar_parts(
            raw,
            if here {
                text::PartsIn::HereString
            } else {
                text::PartsIn::DoubleQuoted
            },
        );
        let value = if here {
            text::here_expandable_value(raw, &ranges)
        } else {
            text::double_quoted_value(raw, &ranges)
        }
        .map_err(|m| self.error(span, m))?;
        let quote = if here {
            QuoteKind::HereDouble
        } else {
            QuoteKind::Double
        };
        if ranges.is_empty() {
            return Ok(Expression::String(Box::new(StringLiteral {
                span,
                value,
                quote,
            })));
        }
        let parts = self.expandable_parts(raw, start, &ranges, here)?;
        Ok(Expression::ExpandableString(Box::new(ExpandableString {
            span,
            value,
            quote,
            parts,
        })))
    }

    /// The `$var` and `$(...)` parts of an expandable string or bare word: `ranges` in `raw`, the
    /// token's text, which starts at `base` in the parsed text.
    fn expandable_parts(
        &mut self,
        raw: &str,
        base: usize,
        ranges: &[(usize, usize)],
        here: bool,
    ) -> R<Vec<Expression>> {
        let mut parts = Vec::new();
        let outer = Span::new(self.offset(base), self.offset(base + raw.len()));
        self.deeper(1, outer)?;
        for &(s, e) in ranges {
            let part = &raw[s..e];
            let span = Span::new(self.offset(base + s), self.offset(base + e));
            if part.starts_with("$(") {
                parts.push(self.string_subexpression(part, base + s, span, here)?);
            } else {
                parts.push(Expression::Variable(Box::new(
                    self.variable_text(part, span)?,
                )));
            }
        }
        self.shallower(1);
        Ok(parts)
    }

    /// `$( ... )` inside a string: PowerShell cut it out by counting parentheses (and, outside
    /// here-strings, turned `""` and `` `" `` into `"`); parse that text on its own.
    fn string_subexpression(
        &mut self,
        raw: &str,
        base: usize,
        span: Span,
        here: bool,
    ) -> R<Expression> {
        let (inner, table) = text::collapse_subexpression_quotes(raw, here);
        let map = match table {
            None => OffsetMap::Shift(self.offset(base)),
            Some(t) => {
                let mapped: Vec<usize> = t.iter().map(|&i| self.offset(base + i)).collect();
                OffsetMap::Table(mapped.into())
            }
        };
        let inner_pairs = <PowerShellParser as pest::Parser<Rule>>::parse(Rule::string_subexpression_body, &inner)
            .map_err(|e| {
                let pos = match e.location {
                    pest::error::InputLocation::Pos(p) => p,
                    pest::error::InputLocation::Span((p, _)) => p,
                };
                let at = match &map {
                    OffsetMap::Shift(n) => pos + n,
                    OffsetMap::Table(t) => t.get(pos).copied().unwrap_or(span.end),
                };
                let message = match &e.variant {
                    pest::error::ErrorVariant::CustomError { message } => message.as_str(),
                    _ => "this `$( )` inside the string is not valid PowerShell",
                };
                BuildError {
                    span: Span::new(at, at),
                    message: super::limit_message(message).unwrap_or_else(|| {
                        format!("{message} (PowerShell ends `$(` inside a string at the first `)` that balances it, without looking at quotes)")
                    }),
                }
            })?;
        let saved = std::mem::replace(&mut self.map, map);
        let body = inner_pairs
            .into_iter()
            .next()
            .ok_or_else(|| internal(span, "subexpression"));
        let result = body.and_then(|b| {
            self.deeper(1, span)?;
            let statements = self.statements(&mut Kids::of(b))?;
            self.shallower(1);
            Ok(statements)
        });
        self.map = saved;
        Ok(Expression::SubExpression(Box::new(StatementsExpression {
            span,
            statements: result?,
        })))
    }
}

/// Reduces the top operator of the shunting-yard stacks.
fn reduce(operands: &mut Vec<Expression>, operators: &mut Vec<(BinaryOperator, Span)>) {
    if let (Some((op, _)), Some(right), Some(left)) =
        (operators.pop(), operands.pop(), operands.pop())
    {
        let span = Span::new(left.span().start, right.span().end);
        operands.push(Expression::Binary(Box::new(BinaryExpression {
            span,
            operator: op,
            left,
            right,
        })));
    }
}

/// The number of binary operators of the expression at the cursor, without consuming it. An
/// operand is `unary_operator* (signed_number | cast_expression | expr_value) postfix_operator?
/// array_tail?`; the operators follow it in a `binary_tail` pair.
fn chain_length(kids: &mut Kids<'_>) -> usize {
    kids.fill();
    let mut look = kids.clone();
    while matches!(
        look.peek_rule(),
        Some(Rule::unary_operator | Rule::unary_operator_nc)
    ) {
        look.next();
    }
    look.next();
    look.take(Rule::postfix_operator);
    look.take(Rule::array_tail);
    match look
        .take(Rule::binary_tail)
        .or_else(|| look.take(Rule::binary_tail_nc))
    {
        None => 0,
        Some(tail) => tail
            .into_inner()
            .filter(|p| p.as_rule() == Rule::binary_operator)
            .count(),
    }
}

/// The offset of the `{` that opens a body, skipping white space, newlines and comments.
fn brace_after_gap(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => return Some(i),
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if bytes.get(i + 1) == Some(&b'#') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'#' && bytes[i + 1] == b'>') {
                    i += 1;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    None
}

fn block_kind_name(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Begin => "begin",
        BlockKind::Process => "process",
        BlockKind::End => "end",
        BlockKind::DynamicParam => "dynamicparam",
        BlockKind::Clean => "clean",
    }
}

fn stream_from_digit(d: u8) -> Stream {
    match d {
        b'1' => Stream::Output,
        b'2' => Stream::Error,
        b'3' => Stream::Warning,
        b'4' => Stream::Verbose,
        b'5' => Stream::Debug,
        _ => Stream::Information,
    }
}

fn stream_name(s: Stream) -> &'static str {
    match s {
        Stream::All => "all",
        Stream::Output => "output",
        Stream::Error => "error",
        Stream::Warning => "warning",
        Stream::Verbose => "verbose",
        Stream::Debug => "debug",
        Stream::Information => "information",
    }
}

fn redirection_span(r: &Redirection) -> Span {
    match r {
        Redirection::File(f) => f.span,
        Redirection::Merge(m) => m.span,
    }
}

fn command_element_span(e: &CommandElement) -> Span {
    match e {
        CommandElement::Parameter(p) => p.span,
        CommandElement::Argument(a) => a.span(),
        CommandElement::Verbatim(v) => v.span,
        CommandElement::EndOfParameters(d) => d.span,
    }
}

fn element_span(e: &PipelineElement) -> Span {
    match e {
        PipelineElement::Command(c) => c.span,
        PipelineElement::Expression(x) => x.span,
    }
}

/// The key of a hashtable entry when it is a constant (a word, a string or a number).
fn constant_key(key: &Expression) -> Option<String> {
    match key {
        Expression::String(s) => Some(s.value.clone()),
        Expression::Number(n) => Some(n.text.clone()),
        _ => None,
    }
}

/// Whether an expression can be assigned to (PowerShell's rule for `=`, `+=`, `++`): a variable,
/// a member, a method call (a parameterized property) or an index (not `?.`/`?[`), a cast or attribute around one, one in parentheses;
/// for `=` also an array of those.
fn check_assignable(target: &Expression, simple: bool) -> Result<(), (Span, String)> {
    const MESSAGE: &str = "this cannot be assigned to: the left side of an assignment must be a variable, a property or an array element (for example `$x`, `$obj.Name`, `$list[0]`)";
    let bad = || Err((target.span(), MESSAGE.to_string()));
    match target {
        Expression::Variable(v) if !v.splatted => Ok(()),
        Expression::Member(m) if !m.null_conditional => Ok(()),
        Expression::Index(i) if !i.null_conditional => Ok(()),
        // A parameterized property: `$row.Item('Name') = 1`, `$sheet.Cells.Item(1, 2) = 'x'`.
        Expression::Invoke(i) if !i.null_conditional => Ok(()),
        Expression::Convert(c) => {
            if c.type_name.full_name.eq_ignore_ascii_case("void") {
                return Err((
                    c.span,
                    "a variable cannot be constrained to [void]".to_string(),
                ));
            }
            check_assignable(&c.operand, simple)
        }
        Expression::Attributed(a) => check_assignable(&a.operand, simple),
        Expression::Paren(p) => match &p.pipeline {
            Statement::Pipeline(pl) if pl.elements.len() == 1 && !pl.background => {
                match &pl.elements[0] {
                    PipelineElement::Expression(e) if e.redirections.is_empty() => {
                        check_assignable(&e.expression, simple)
                    }
                    _ => bad(),
                }
            }
            _ => bad(),
        },
        Expression::Array(a) if simple => {
            for e in &a.elements {
                check_assignable(e, true)?;
            }
            Ok(())
        }
        _ => bad(),
    }
}

/// PowerShell accepts an attribute (not a type) in front of a value only when it ends up on a
/// variable (`[ValidateNotNull()][string]$x = ...`).
fn check_attributed(expr: &Expression) -> Result<(), (Span, String)> {
    let Expression::Attributed(first) = expr else {
        return Ok(());
    };
    let mut e = expr;
    loop {
        match e {
            Expression::Attributed(a) => e = &a.operand,
            Expression::Convert(c) => e = &c.operand,
            Expression::Variable(_) => return Ok(()),
            _ => {
                return Err((
                    first.attribute.span,
                    format!(
                        "the attribute `[{}(...)]` can only be applied to a variable",
                        first.attribute.type_name.full_name
                    ),
                ));
            }
        }
    }
}

/// The operator of a `binary_operator` token, or `None` for a `-Word` that is not one.
fn binary_operator(text: &str) -> Option<BinaryOperator> {
    let mut chars = text.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    if matches!(first, '-' | '\u{2013}' | '\u{2014}' | '\u{2015}') {
        if rest.is_empty() {
            return Some(BinaryOperator::Subtract);
        }
        let word = rest.to_ascii_lowercase();
        let fixed = match word.as_str() {
            "and" => Some(BinaryOperator::And),
            "or" => Some(BinaryOperator::Or),
            "xor" => Some(BinaryOperator::Xor),
            "band" => Some(BinaryOperator::Band),
            "bor" => Some(BinaryOperator::Bor),
            "bxor" => Some(BinaryOperator::Bxor),
            "shl" => Some(BinaryOperator::Shl),
            "shr" => Some(BinaryOperator::Shr),
            "is" => Some(BinaryOperator::Is),
            "isnot" => Some(BinaryOperator::IsNot),
            "as" => Some(BinaryOperator::As),
            "f" => Some(BinaryOperator::Format),
            _ => None,
        };
        if fixed.is_some() {
            return fixed;
        }
        let (case, base) = if let Some(b) = word.strip_prefix('c') {
            (Case::Sensitive, b)
        } else if let Some(b) = word.strip_prefix('i') {
            (Case::Insensitive, b)
        } else {
            (Case::Default, word.as_str())
        };
        let comparison = |w: &str| match w {
            "eq" => Some(ComparisonOperator::Eq),
            "ne" => Some(ComparisonOperator::Ne),
            "ge" => Some(ComparisonOperator::Ge),
            "gt" => Some(ComparisonOperator::Gt),
            "lt" => Some(ComparisonOperator::Lt),
            "le" => Some(ComparisonOperator::Le),
            "like" => Some(ComparisonOperator::Like),
            "notlike" => Some(ComparisonOperator::NotLike),
            "match" => Some(ComparisonOperator::Match),
            "notmatch" => Some(ComparisonOperator::NotMatch),
            "replace" => Some(ComparisonOperator::Replace),
            "contains" => Some(ComparisonOperator::Contains),
            "notcontains" => Some(ComparisonOperator::NotContains),
            "in" => Some(ComparisonOperator::In),
            "notin" => Some(ComparisonOperator::NotIn),
            "split" => Some(ComparisonOperator::Split),
            "join" => Some(ComparisonOperator::Join),
            _ => None,
        };
        // `-join` has no case variants; `-in`, `-is` etc. are not case prefixes.
        if let Some(op) = comparison(&word) {
            return Some(BinaryOperator::Comparison(op, Case::Default));
        }
        return match comparison(base) {
            Some(ComparisonOperator::Join) | None => None,
            Some(op) => Some(BinaryOperator::Comparison(op, case)),
        };
    }
    match text {
        "+" => Some(BinaryOperator::Add),
        "*" => Some(BinaryOperator::Multiply),
        "/" => Some(BinaryOperator::Divide),
        "%" => Some(BinaryOperator::Remainder),
        ".." => Some(BinaryOperator::Range),
        "??" => Some(BinaryOperator::Coalesce),
        _ => None,
    }
}

fn unary_operator(text: &str) -> UnaryOperator {
    let lower = text.to_ascii_lowercase();
    let word = lower.trim_start_matches(['-', '\u{2013}', '\u{2014}', '\u{2015}']);
    match (text, word) {
        (",", _) => UnaryOperator::Comma,
        ("!", _) => UnaryOperator::Exclaim,
        ("++", _) => UnaryOperator::PreIncrement,
        ("+", _) => UnaryOperator::Plus,
        (_, "not") => UnaryOperator::Not,
        (_, "bnot") => UnaryOperator::Bnot,
        (_, "split") => UnaryOperator::Split(Case::Default),
        (_, "isplit") => UnaryOperator::Split(Case::Insensitive),
        (_, "csplit") => UnaryOperator::Split(Case::Sensitive),
        (_, "join") => UnaryOperator::Join,
        (_, "") if text.chars().count() == 2 => UnaryOperator::PreDecrement,
        _ => UnaryOperator::Negate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_words_are_recognised_with_case_prefixes() {
        assert_eq!(
            binary_operator("-eq"),
            Some(BinaryOperator::Comparison(
                ComparisonOperator::Eq,
                Case::Default
            ))
        );
        assert_eq!(
            binary_operator("-CEQ"),
            Some(BinaryOperator::Comparison(
                ComparisonOperator::Eq,
                Case::Sensitive
            ))
        );
        assert_eq!(
            binary_operator("-inotin"),
            Some(BinaryOperator::Comparison(
                ComparisonOperator::NotIn,
                Case::Insensitive
            ))
        );
        assert_eq!(
            binary_operator("-in"),
            Some(BinaryOperator::Comparison(
                ComparisonOperator::In,
                Case::Default
            ))
        );
        assert_eq!(binary_operator("–and"), Some(BinaryOperator::And));
        assert_eq!(binary_operator("-f"), Some(BinaryOperator::Format));
        assert_eq!(binary_operator("-cjoin"), None);
        assert_eq!(binary_operator("-Name"), None);
        assert_eq!(binary_operator("-not"), None);
    }

    #[test]
    fn unary_operator_words() {
        assert_eq!(unary_operator("-Not"), UnaryOperator::Not);
        assert_eq!(unary_operator("--"), UnaryOperator::PreDecrement);
        assert_eq!(unary_operator("-"), UnaryOperator::Negate);
        assert_eq!(unary_operator("—"), UnaryOperator::Negate);
        assert_eq!(
            unary_operator("-csplit"),
            UnaryOperator::Split(Case::Sensitive)
        );
    }
}
