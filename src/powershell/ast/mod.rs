//! The typed syntax tree of a PowerShell script.
//!
//! Every node has a [`Span`]: byte offsets into the decoded text the script was parsed from (use
//! [`crate::powershell::LineIndex`] for line and column). The tree mirrors PowerShell's own
//! (`System.Management.Automation.Language`): a script holds statements, a pipeline holds
//! commands and expressions, a command holds its name, parameters and arguments.
//!
//! The tree serializes to JSON (`xprem parse --format ast`): enums are tagged with `"type"`.
//! It never holds pest types, and its depth is limited (see [`crate::powershell::MAX_DEPTH`]) so
//! that dropping, serializing or walking it cannot overflow the stack; operator chains, which
//! the limit does not count, are safe through [`BinaryExpression`]'s own `Drop` and traits.
//!
//! The nodes are here; the operators with their tables (spelling, precedence, how a token reads)
//! are in `operators.rs`, and the questions one asks of nodes (`Command::parameters`,
//! `Expression::span`, `Script::commands`...) in `queries.rs`.

use serde::Serialize;

mod operators;
mod queries;

pub use operators::{
    AssignmentOperator, BinaryOperator, Case, ChainOperator, ComparisonOperator, UnaryOperator,
};

/// A byte range `start..end` in the decoded script text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The text this span covers (empty if the span does not fit `text`).
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// A parsed script file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Script {
    pub span: Span,
    /// `#requires` lines, in order.
    pub requires: Vec<Requires>,
    /// `using` statements at the top of the script.
    pub using: Vec<UsingStatement>,
    /// The `param(...)` block of the script, with its attributes.
    pub param_block: Option<ParamBlock>,
    /// The statements, or the `begin`/`process`/`end` blocks.
    pub body: Body,
}

/// A `#requires` line, e.g. `#Requires -Version 3.0 -Modules ActiveDirectory`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requires {
    pub span: Span,
    /// The parameters as written (`Version`, `Modules`, ...), with their values' text.
    pub parameters: Vec<RequiresParameter>,
}

/// One parameter of a `#requires` line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequiresParameter {
    pub span: Span,
    /// The parameter name as written, without the dash.
    pub name: String,
    /// The value, if any.
    pub value: Option<Expression>,
}

/// The body of a script or script block.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Body {
    /// Plain statements (PowerShell runs them as the `end` block).
    Statements(StatementList),
    /// `begin {}`, `process {}`, `end {}`, `dynamicparam {}`, `clean {}`.
    NamedBlocks(NamedBlocks),
}

/// A list of statements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementList {
    pub statements: Vec<Statement>,
}

/// The named blocks of a script block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedBlocks {
    pub blocks: Vec<NamedBlock>,
}

/// `begin { ... }` and friends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedBlock {
    pub span: Span,
    pub kind: BlockKind,
    pub body: StatementBlock,
}

/// The name of a named block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Begin,
    Process,
    End,
    DynamicParam,
    Clean,
}

/// `{ statements }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementBlock {
    pub span: Span,
    pub statements: Vec<Statement>,
}

/// A script block: the body of a function, or `{ ... }` as a value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScriptBlock {
    pub span: Span,
    pub param_block: Option<ParamBlock>,
    pub body: Body,
}

/// `[CmdletBinding()] param(...)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamBlock {
    pub span: Span,
    pub attributes: Vec<Attribute>,
    pub parameters: Vec<Parameter>,
}

/// One parameter of a `param()` block or function: `[Parameter(Mandatory)][string]$Name = 'x'`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameter {
    pub span: Span,
    pub attributes: Vec<AttributeOrType>,
    pub variable: Variable,
    pub default: Option<Expression>,
}

/// An attribute or a type constraint in front of a parameter or value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum AttributeOrType {
    Attribute(Attribute),
    Type(TypeConstraint),
}

/// `[Name(positional, Named = value)]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribute {
    pub span: Span,
    pub type_name: TypeName,
    pub positional: Vec<Expression>,
    pub named: Vec<NamedArgument>,
}

/// `Named = value` (or `Named` alone, which means `$true`) in an attribute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedArgument {
    pub span: Span,
    pub name: String,
    pub value: Option<Expression>,
}

/// `[TypeName]` used as a constraint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeConstraint {
    pub span: Span,
    pub type_name: TypeName,
}

/// A type name such as `System.Collections.Generic.List[string]` or `int[]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeName {
    pub span: Span,
    /// The whole name as written, without white space.
    pub full_name: String,
    /// The name before any generic arguments or array brackets.
    pub name: String,
    pub generic_arguments: Vec<TypeName>,
    /// One entry per `[]` (1) or `[,]` (2) after the name.
    pub array_ranks: Vec<u32>,
    /// The assembly name after `,` in `[Type, Assembly]`.
    pub assembly: Option<String>,
}

/// A statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Statement {
    Pipeline(Pipeline),
    Chain(Box<PipelineChain>),
    Assignment(Box<Assignment>),
    If(Box<IfStatement>),
    Switch(Box<SwitchStatement>),
    Foreach(Box<ForeachStatement>),
    For(Box<ForStatement>),
    While(Box<WhileStatement>),
    Do(Box<DoStatement>),
    Function(Box<FunctionDefinition>),
    Return(Box<FlowStatement>),
    Throw(Box<FlowStatement>),
    Exit(Box<FlowStatement>),
    Break(Box<JumpStatement>),
    Continue(Box<JumpStatement>),
    Trap(Box<TrapStatement>),
    Try(Box<TryStatement>),
    Data(Box<DataStatement>),
    Class(Box<TypeDefinition>),
    Enum(Box<TypeDefinition>),
    Configuration(Box<ConfigurationStatement>),
    Block(Box<BlockStatement>),
}

/// Commands and expressions joined by `|`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pipeline {
    pub span: Span,
    pub elements: Vec<PipelineElement>,
    /// Ends with `&` (run as a background job).
    pub background: bool,
}

/// One element of a pipeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum PipelineElement {
    Command(Command),
    Expression(ExpressionElement),
}

/// An expression as the first element of a pipeline, with its redirections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpressionElement {
    pub span: Span,
    pub expression: Expression,
    pub redirections: Vec<Redirection>,
}

/// `a && b || c`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineChain {
    pub span: Span,
    pub first: Pipeline,
    pub rest: Vec<ChainLink>,
    pub background: bool,
}

/// `&& pipeline` or `|| pipeline`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainLink {
    pub operator: ChainOperator,
    pub pipeline: Pipeline,
}

/// `target = value` (and `+=`, `-=`, `*=`, `/=`, `%=`, `??=`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    pub span: Span,
    pub target: Expression,
    pub operator: AssignmentOperator,
    pub value: Statement,
}

/// A command invocation: `Get-Item -Path $p`, `& $script -x`, `. .\helpers.ps1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Command {
    pub span: Span,
    /// `&` or `.` before the name.
    pub invocation: Option<InvocationOperator>,
    /// The name: a bare word (a string with `quote: bare`), or any expression after `&` or `.`.
    pub name: Expression,
    /// Parameters and arguments in the order written.
    pub elements: Vec<CommandElement>,
    pub redirections: Vec<Redirection>,
}

/// `&` (call) or `.` (dot-source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum InvocationOperator {
    #[serde(rename = "&")]
    Call,
    #[serde(rename = ".")]
    DotSource,
}

/// A parameter or an argument of a command.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum CommandElement {
    Parameter(CommandParameter),
    Argument(Expression),
    /// `--`: the arguments after it are positional even if they start with `-`.
    EndOfParameters(EndOfParameters),
    /// `--% text`: the rest of the line is passed as is.
    Verbatim(VerbatimArgument),
}

/// The `--` marker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndOfParameters {
    pub span: Span,
}

/// `--% text`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerbatimArgument {
    pub span: Span,
    pub text: String,
}

/// `-Name` or `-Name:value`. In `-Name value`, the value is the next element, an argument: only
/// the command knows whether `-Name` is a switch, so binding it is left to `crate::semantic`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommandParameter {
    pub span: Span,
    /// The name without the dash, as written.
    pub name: String,
    /// The value written after `:`.
    pub value: Option<Expression>,
    /// Written as `-Name:value`.
    pub colon: bool,
}

/// A redirection: `> file`, `2>> file`, `2>&1`, `*> $null`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Redirection {
    File(FileRedirection),
    Merge(MergeRedirection),
}

/// `> file`, `>> file`, `2> file`, `*> file`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileRedirection {
    pub span: Span,
    pub stream: Stream,
    pub append: bool,
    pub target: Expression,
}

/// `2>&1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeRedirection {
    pub span: Span,
    pub from: Stream,
    pub to: Stream,
}

/// An output stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    All,
    Output,
    Error,
    Warning,
    Verbose,
    Debug,
    Information,
}

/// `if (...) {...} elseif (...) {...} else {...}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IfStatement {
    pub span: Span,
    pub clauses: Vec<IfClause>,
    pub else_body: Option<StatementBlock>,
}

/// `(condition) { body }` of an if or elseif.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IfClause {
    pub condition: Statement,
    pub body: StatementBlock,
}

/// `switch -regex ($x) { 'a' { } default { } }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SwitchStatement {
    pub span: Span,
    pub label: Option<String>,
    pub flags: SwitchFlags,
    /// The file of `switch -file path`.
    pub file: Option<Expression>,
    pub condition: Option<Statement>,
    pub clauses: Vec<SwitchClause>,
    pub default: Option<StatementBlock>,
}

/// The options of a switch statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct SwitchFlags {
    pub regex: bool,
    pub wildcard: bool,
    pub exact: bool,
    pub case_sensitive: bool,
    pub parallel: bool,
}

/// `condition { body }` in a switch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SwitchClause {
    pub condition: Expression,
    pub body: StatementBlock,
}

/// `foreach ($item in $items) { ... }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForeachStatement {
    pub span: Span,
    pub label: Option<String>,
    pub parallel: bool,
    pub throttle_limit: Option<Expression>,
    pub variable: Variable,
    pub iterable: Statement,
    pub body: StatementBlock,
}

/// `for (init; condition; iterator) { ... }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForStatement {
    pub span: Span,
    pub label: Option<String>,
    pub init: Option<Statement>,
    pub condition: Option<Statement>,
    pub iterator: Option<Statement>,
    pub body: StatementBlock,
}

/// `while (condition) { ... }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhileStatement {
    pub span: Span,
    pub label: Option<String>,
    pub condition: Statement,
    pub body: StatementBlock,
}

/// `do { ... } while (...)` or `do { ... } until (...)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DoStatement {
    pub span: Span,
    pub label: Option<String>,
    pub body: StatementBlock,
    /// `until` rather than `while`.
    pub until: bool,
    pub condition: Statement,
}

/// `function Name (params) { ... }` (also `filter` and `workflow`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionDefinition {
    pub span: Span,
    pub kind: FunctionKind,
    pub name: String,
    /// Parameters written in parentheses after the name.
    pub parameters: Vec<Parameter>,
    pub body: ScriptBlock,
}

/// `function`, `filter` or `workflow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FunctionKind {
    Function,
    Filter,
    Workflow,
}

/// `return`, `throw` or `exit`, with an optional pipeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowStatement {
    pub span: Span,
    pub pipeline: Option<Statement>,
}

/// `break` or `continue`, with an optional label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JumpStatement {
    pub span: Span,
    pub label: Option<Expression>,
}

/// `trap [Type] { ... }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrapStatement {
    pub span: Span,
    pub type_name: Option<TypeName>,
    pub body: StatementBlock,
}

/// `try { } catch [T] { } finally { }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TryStatement {
    pub span: Span,
    pub body: StatementBlock,
    pub catches: Vec<CatchClause>,
    pub finally: Option<StatementBlock>,
}

/// `catch [T1], [T2] { ... }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatchClause {
    pub span: Span,
    pub types: Vec<TypeName>,
    pub body: StatementBlock,
}

/// `data Name -SupportedCommand X { ... }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataStatement {
    pub span: Span,
    pub name: Option<String>,
    pub supported_commands: Vec<Expression>,
    pub body: StatementBlock,
}

/// `class` or `enum` definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeDefinition {
    pub span: Span,
    pub name: String,
    pub attributes: Vec<Attribute>,
    /// Base class and interfaces (class), or the underlying type (enum).
    pub base_types: Vec<TypeName>,
    pub members: Vec<Member>,
}

/// A member of a class or enum.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Member {
    Property(PropertyMember),
    Method(MethodMember),
}

/// `[int] $Count = 0` in a class, or `Name = 1` in an enum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PropertyMember {
    pub span: Span,
    pub name: String,
    pub type_name: Option<TypeName>,
    pub attributes: Vec<Attribute>,
    pub is_static: bool,
    pub is_hidden: bool,
    pub initial_value: Option<Expression>,
}

/// `[string] ToString() { ... }`, or a constructor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodMember {
    pub span: Span,
    pub name: String,
    pub return_type: Option<TypeName>,
    pub attributes: Vec<Attribute>,
    pub is_static: bool,
    pub is_hidden: bool,
    pub parameters: Vec<Parameter>,
    /// The arguments of `: base(...)` of a constructor.
    pub base_arguments: Option<Vec<Expression>>,
    pub body: ScriptBlock,
}

/// `Configuration Name { ... }` (DSC).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigurationStatement {
    pub span: Span,
    pub attributes: Vec<Attribute>,
    pub name: Expression,
    pub body: ScriptBlock,
}

/// `parallel { }` or `sequence { }` in a workflow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockStatement {
    pub span: Span,
    pub kind: BlockStatementKind,
    pub body: StatementBlock,
}

/// `parallel` or `sequence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockStatementKind {
    Parallel,
    Sequence,
}

/// `using namespace X`, `using module X`, `using assembly X`, `using type A = B`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsingStatement {
    pub span: Span,
    pub kind: UsingKind,
    pub name: Expression,
    pub alias: Option<Expression>,
}

/// The kind of a using statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UsingKind {
    Namespace,
    Module,
    Assembly,
    Type,
    Command,
}

/// An expression.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Expression {
    Binary(Box<BinaryExpression>),
    Unary(Box<UnaryExpression>),
    Ternary(Box<TernaryExpression>),
    /// `a, b, c`.
    Array(Box<ArrayLiteral>),
    /// `[int]$x`.
    Convert(Box<ConvertExpression>),
    /// `[ValidateNotNull()]$x`.
    Attributed(Box<AttributedExpression>),
    /// `[int]` as a value.
    Type(Box<TypeExpression>),
    Variable(Box<Variable>),
    Number(Box<NumberLiteral>),
    String(Box<StringLiteral>),
    ExpandableString(Box<ExpandableString>),
    /// `$( statements )`.
    SubExpression(Box<StatementsExpression>),
    /// `@( statements )`.
    ArrayExpression(Box<StatementsExpression>),
    /// `( pipeline )`.
    Paren(Box<ParenExpression>),
    Hashtable(Box<Hashtable>),
    ScriptBlock(Box<ScriptBlock>),
    /// `$x.Name`, `[T]::Name`, `$x?.Name`.
    Member(Box<MemberExpression>),
    /// `$x.Method(args)`, `[T]::Method(args)`.
    Invoke(Box<InvokeExpression>),
    /// `$x[index]`, `$x?[index]`.
    Index(Box<IndexExpression>),
}

/// `left op right`.
///
/// A chain of operators (`1 + 1 + ... + 1`, `$a -and $b -and ...`) is a tree as deep as the chain
/// is long, and the depth limit does not count it (depth is brackets and blocks). So this node
/// is dropped without recursion, and its `Clone`, `PartialEq`, `Debug` and `Serialize` (written
/// out, with the derived output) recurse on a stack that grows as needed.
pub struct BinaryExpression {
    pub span: Span,
    pub operator: BinaryOperator,
    pub left: Expression,
    pub right: Expression,
}

/// Runs `f` on a fresh stack segment when the current one is nearly used up: for the recursion
/// along an operator chain.
fn grow<T>(f: impl FnOnce() -> T) -> T {
    const RED_ZONE: usize = 128 * 1024;
    const NEW_SEGMENT: usize = 2 * 1024 * 1024;
    stacker::maybe_grow(RED_ZONE, NEW_SEGMENT, f)
}

impl Drop for BinaryExpression {
    fn drop(&mut self) {
        // The binary operands are taken out and dropped one at a time, each after its own binary
        // operands were taken out; what remains in a node is shallow (bounded by the depth limit).
        // The nodes stay in their boxes: taken as they are, never moved.
        #[allow(clippy::vec_box)]
        fn take_binary_operands(
            node: &mut BinaryExpression,
            into: &mut Vec<Box<BinaryExpression>>,
        ) {
            for side in [&mut node.left, &mut node.right] {
                if matches!(side, Expression::Binary(_)) {
                    let leaf = Expression::Number(Box::new(NumberLiteral {
                        span: Span::default(),
                        text: String::new(),
                    }));
                    if let Expression::Binary(b) = std::mem::replace(side, leaf) {
                        into.push(b);
                    }
                }
            }
        }
        // A node whose operands hold no binary operand of their own (`$a -eq 1 -and $b -eq 2`) is
        // shallow: it drops as usual, with nothing taken out (taking one out costs a leaf).
        let deep = |e: &Expression| match e {
            Expression::Binary(b) => {
                matches!(b.left, Expression::Binary(_)) || matches!(b.right, Expression::Binary(_))
            }
            _ => false,
        };
        if !deep(&self.left) && !deep(&self.right) {
            return;
        }
        let mut pending = Vec::new();
        take_binary_operands(self, &mut pending);
        while let Some(mut node) = pending.pop() {
            take_binary_operands(&mut node, &mut pending);
        }
    }
}

impl Clone for BinaryExpression {
    fn clone(&self) -> Self {
        grow(|| BinaryExpression {
            span: self.span,
            operator: self.operator,
            left: self.left.clone(),
            right: self.right.clone(),
        })
    }
}

impl PartialEq for BinaryExpression {
    fn eq(&self, other: &Self) -> bool {
        grow(|| {
            self.span == other.span
                && self.operator == other.operator
                && self.left == other.left
                && self.right == other.right
        })
    }
}

impl std::fmt::Debug for BinaryExpression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        grow(|| {
            f.debug_struct("BinaryExpression")
                .field("span", &self.span)
                .field("operator", &self.operator)
                .field("left", &self.left)
                .field("right", &self.right)
                .finish()
        })
    }
}

impl Serialize for BinaryExpression {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        grow(|| {
            let mut s = serializer.serialize_struct("BinaryExpression", 4)?;
            s.serialize_field("span", &self.span)?;
            s.serialize_field("operator", &self.operator)?;
            s.serialize_field("left", &self.left)?;
            s.serialize_field("right", &self.right)?;
            s.end()
        })
    }
}

/// `op operand` or `operand op` (`++`/`--`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnaryExpression {
    pub span: Span,
    pub operator: UnaryOperator,
    pub operand: Expression,
}

/// `condition ? if_true : if_false`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TernaryExpression {
    pub span: Span,
    pub condition: Expression,
    pub if_true: Expression,
    pub if_false: Expression,
}

/// `a, b, c`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArrayLiteral {
    pub span: Span,
    pub elements: Vec<Expression>,
}

/// `[type] operand`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConvertExpression {
    pub span: Span,
    pub type_name: TypeName,
    pub operand: Expression,
}

/// `[Attribute()] operand`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributedExpression {
    pub span: Span,
    pub attribute: Attribute,
    pub operand: Expression,
}

/// `[type]` as a value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeExpression {
    pub span: Span,
    pub type_name: TypeName,
}

/// `$name`, `$env:Path`, `${weird name}`, `@splat`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variable {
    pub span: Span,
    /// The full name without `$`/`@` and braces, e.g. `env:Path` or `script:count`.
    pub name: String,
    /// Written `@name` (splatting).
    pub splatted: bool,
    /// Written `${...}`.
    pub braced: bool,
}

/// A number literal, kept as written (`0x1F`, `1MB`, `10L`, `1.5e3`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberLiteral {
    pub span: Span,
    pub text: String,
}

/// A constant string: quoted, here-string, or a bare word.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StringLiteral {
    pub span: Span,
    /// The value, with quotes removed and escapes applied.
    pub value: String,
    pub quote: QuoteKind,
}

/// How a string was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    Single,
    Double,
    HereSingle,
    HereDouble,
    /// A bare word in command mode (`Get-Item`, `C:\x.cer`, `microsoft.sts`).
    Bare,
}

/// A string with `$variables` or `$(subexpressions)` in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpandableString {
    pub span: Span,
    /// The text with escapes applied and the `$...` parts as written.
    pub value: String,
    pub quote: QuoteKind,
    /// The variables and subexpressions, in order.
    pub parts: Vec<Expression>,
}

/// `$( statements )` or `@( statements )`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementsExpression {
    pub span: Span,
    pub statements: Vec<Statement>,
}

/// `( pipeline )`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParenExpression {
    pub span: Span,
    pub pipeline: Statement,
}

/// `@{ key = value }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hashtable {
    pub span: Span,
    pub entries: Vec<HashEntry>,
}

/// `key = value` in a hashtable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HashEntry {
    pub key: Expression,
    pub value: Statement,
}

/// `target.member`, `target::member`, `target?.member`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberExpression {
    pub span: Span,
    pub target: Expression,
    /// The member: a bare word (a string with `quote: bare`) or an expression (`.$name`).
    pub member: Expression,
    /// `::`.
    pub is_static: bool,
    /// `?.`.
    pub null_conditional: bool,
}

/// `target.Method(arguments)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvokeExpression {
    pub span: Span,
    pub target: Expression,
    pub member: Expression,
    pub arguments: Vec<Expression>,
    pub generic_arguments: Vec<TypeName>,
    pub is_static: bool,
    pub null_conditional: bool,
}

/// `target[index]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexExpression {
    pub span: Span,
    pub target: Expression,
    pub index: Expression,
    pub null_conditional: bool,
}
