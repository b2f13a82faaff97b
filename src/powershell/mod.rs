//! Reading PowerShell: decoding script bytes, the pest grammar binding, the typed AST and parse
//! errors. This is the only module that uses pest.
//!
//! ```
//! use xprem::powershell::parse;
//! let script = parse("Set-CsOAuthConfiguration -ServiceName:00000004-0000-0ff1-ce00-000000000000").unwrap();
//! let command = script.commands()[0];
//! assert_eq!(command.name(), Some("Set-CsOAuthConfiguration"));
//! let parameter = command.parameter("ServiceName").unwrap();
//! assert_eq!(parameter.value.as_ref().and_then(|v| v.as_str()),
//!            Some("00000004-0000-0ff1-ce00-000000000000"));
//! ```
//!
//! Without the colon (`-ServiceName 00000004-...`) the value is the argument after the
//! parameter; which arguments are values depends on the command, and `xprem::semantic::bind`
//! decides.

pub mod ast;
mod build;
pub mod decode;
pub mod error;
mod grammar;
mod line_index;
mod scan;
mod text;
mod walk;

#[cfg(test)]
mod robustness_tests;
#[cfg(test)]
mod tests;

use std::num::NonZeroUsize;
use std::sync::Mutex;

use pest::Parser as _;

pub use ast::Script;
pub use decode::{Decoded, TextEncoding, decode};
pub use error::ParseError;
pub use line_index::LineIndex;
pub use walk::{NodeRef, walk};

use grammar::{PowerShellParser, Rule};

/// The deepest syntax tree the parser builds, counted in levels of the tree (a nested script block
/// takes about four, each operator of a chain one). Real scripts stay far below (the corpus of
/// 2,974 files parses with a limit of 64). The limit keeps the tree safe to serialize and drop
/// with recursive code, even in a debug build on a 2 MiB thread (tested in `robustness_tests`).
pub const MAX_DEPTH: usize = 500;

/// Counted grammar calls allowed per byte of input (and at least `CALL_FLOOR`): a backstop against
/// exponential backtracking. Real scripts need far fewer (see the benchmark).
const CALLS_PER_BYTE: usize = 2000;
const CALL_FLOOR: usize = 2_000_000;

/// pest's call limit is process-wide and read when a parse starts; it is only ever raised, so a
/// parse running in another thread never gets a limit smaller than its own input needs.
static CALL_LIMIT: Mutex<usize> = Mutex::new(0);

fn ensure_call_limit(len: usize) {
    let wanted = len.saturating_mul(CALLS_PER_BYTE).max(CALL_FLOOR);
    let mut current = match CALL_LIMIT.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    if wanted > *current {
        *current = wanted;
        pest::set_call_limit(NonZeroUsize::new(wanted));
    }
}

/// Parses a PowerShell script. Never panics; deep nesting and pathological input give an error.
///
/// The script is parsed in pieces: its head (`using` statements, param block), then one top-level
/// statement (or named block) at a time, each built into the tree before the next is parsed. pest
/// keeps every token of a parse in memory, so this bounds that memory by the largest top-level
/// statement instead of the whole file.
pub fn parse(text: &str) -> Result<Script, ParseError> {
    ensure_call_limit(text.len());
    let index = LazyLines::new(text);
    let mut builder = build::Builder::new();

    let head = parse_piece(text, &index, 0, Rule::script_head)?;
    let mut pos = head.as_span().end();
    let (using, param_block) = built(text, &index, builder.script_head(head))?;

    let named = PowerShellParser::parse(Rule::script_body_blocks, &text[pos..]).is_ok();
    let mut statements = Vec::new();
    let mut blocks: Vec<ast::NamedBlock> = Vec::new();
    loop {
        let rule = if named {
            Rule::script_named_block
        } else {
            Rule::script_statement
        };
        let piece = match parse_piece(text, &index, pos, rule) {
            Ok(piece) => piece,
            // The head took no param block, so a broken one (`param([string]$A,)`) is read as
            // statements and fails where they do; the param block's own failure, further on,
            // says what is wrong.
            Err(e) if param_block.is_none() && statements.is_empty() && blocks.is_empty() => {
                return Err(parse_piece(text, &index, pos, Rule::script_param_block)
                    .err()
                    .filter(|p| p.span.start > e.span.start)
                    .unwrap_or(e));
            }
            Err(e) => return Err(e),
        };
        let consumed = piece.as_span().end();
        builder.set_shift(pos);
        if named {
            match built(text, &index, builder.script_named_block(piece))? {
                None => break,
                Some(block) => {
                    if blocks.iter().any(|b| b.kind == block.kind) {
                        return Err(ParseError::at(
                            text,
                            index.get(),
                            block.span,
                            "this named block is defined twice in the script".to_string(),
                        ));
                    }
                    blocks.push(block);
                }
            }
        } else {
            match built(text, &index, builder.script_statement(piece))? {
                None => break,
                Some(statement) => statements.push(statement),
            }
        }
        pos += consumed;
    }
    built(text, &index, builder.finish())?;
    let body = if named {
        ast::Body::NamedBlocks(ast::NamedBlocks { blocks })
    } else {
        ast::Body::Statements(ast::StatementList { statements })
    };
    let mut script = Script {
        span: ast::Span::new(0, text.len()),
        requires: Vec::new(),
        using,
        param_block,
        body,
    };
    if let Some(upto) = last_requires_end(text) {
        for (start, end) in scan::requires_comments(text, upto) {
            script.requires.push(requires(text, &index, start, end)?);
        }
    }
    Ok(script)
}

/// The line index of the script, built only when an error needs a line and column (a parse that
/// succeeds never does).
struct LazyLines<'t> {
    text: &'t str,
    index: std::cell::OnceCell<LineIndex>,
}

impl<'t> LazyLines<'t> {
    fn new(text: &'t str) -> LazyLines<'t> {
        LazyLines {
            text,
            index: std::cell::OnceCell::new(),
        }
    }

    fn get(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(self.text))
    }
}

/// A builder result with its error placed in the script.
fn built<T>(
    text: &str,
    index: &LazyLines,
    r: Result<T, build::BuildError>,
) -> Result<T, ParseError> {
    r.map_err(|e| ParseError::at(text, index.get(), e.span, e.message))
}

/// Parses `rule` on the text from `pos` on; errors are reported at their place in the whole text.
fn parse_piece<'t>(
    text: &'t str,
    index: &LazyLines,
    pos: usize,
    rule: Rule,
) -> Result<pest::iterators::Pair<'t, Rule>, ParseError> {
    let rest = &text[pos..];
    match PowerShellParser::parse(rule, rest) {
        Ok(mut pairs) => pairs.next().ok_or_else(|| {
            ParseError::at(
                text,
                index.get(),
                ast::Span::new(pos, pos),
                "the parser returned nothing".to_string(),
            )
        }),
        Err(e) => Err(pest_error(
            text,
            index,
            pos,
            &e,
            detailed_failure(rule, rest).as_ref(),
        )),
    }
}

/// What pest found at the furthest point of a failed parse, with its detailed tracking on.
struct Detail {
    /// Offset of the furthest point, in the parsed piece.
    position: usize,
    /// Literal tokens expected there (keywords and brackets; not white space).
    tokens: Vec<String>,
    /// What the deepest rules tried there stand for.
    contexts: Vec<error::Context>,
}

/// Parses a failed piece again with pest's error detail on (it is slower, so only for errors).
/// The setting is process-wide; a parse running at the same time elsewhere is only slower.
fn detailed_failure(rule: Rule, rest: &str) -> Option<Detail> {
    pest::set_error_detail(true);
    let result = PowerShellParser::parse(rule, rest);
    pest::set_error_detail(false);
    let attempts = result.err()?.parse_attempts()?;
    let mut tokens: Vec<String> = Vec::new();
    for t in attempts.expected_tokens() {
        // pest shows literals as written (upper case when case-insensitive) and ranges as `a..b`;
        // the grammar writes single characters as one-character ranges (`'('..'('`).
        let mut text = t.to_string().to_ascii_lowercase();
        if let Some((a, b)) = text.split_once("..")
            && a == b
            && a.chars().count() == 1
        {
            text.truncate(a.len());
        }
        let meaningful = matches!(text.as_str(), "(" | ")" | "{" | "}" | "]" | "=" | ",")
            || (text.len() > 1 && text.chars().all(|c| c.is_ascii_alphabetic()));
        if meaningful && !tokens.contains(&text) {
            tokens.push(text);
        }
    }
    let contexts = attempts
        .call_stacks()
        .iter()
        .filter_map(|cs| cs.deepest.get_rule().map(|r| context_of(*r)))
        .collect();
    Some(Detail {
        position: attempts.max_position,
        tokens,
        contexts,
    })
}

/// What a rule tried at a failure point stands for.
fn context_of(rule: Rule) -> error::Context {
    use error::Context as C;
    match rule {
        Rule::if_statement | Rule::elseif_clause => C::Condition("if"),
        Rule::while_statement => C::Condition("while"),
        Rule::switch_statement => C::Condition("switch"),
        Rule::for_statement => C::Condition("for"),
        Rule::foreach_statement => C::Condition("foreach"),
        Rule::word_in => C::ForeachIn,
        Rule::word_catch | Rule::word_finally => C::CatchOrFinally,
        Rule::switch_default | Rule::switch_clause => C::SwitchClause,
        Rule::function_parameters => C::FunctionBody,
        Rule::command => C::Command,
        Rule::statement_block | Rule::script_block => C::Block,
        Rule::hash_entry => C::HashEntry,
        _ => C::Other,
    }
}

/// Where the last `#requires` of the text ends, if there is one: a quick check before scanning
/// for them, and where that scan may stop (they are usually on the first lines).
fn last_requires_end(text: &str) -> Option<usize> {
    text.as_bytes()
        .windows(9)
        .rposition(|w| w[0] == b'#' && w[1..].eq_ignore_ascii_case(b"requires"))
        .map(|i| i + 9)
}

/// Turns a pest failure into a message in words.
fn pest_error(
    text: &str,
    index: &LazyLines,
    base: usize,
    e: &pest::error::Error<Rule>,
    detail: Option<&Detail>,
) -> ParseError {
    let first = base
        + match e.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((p, _)) => p,
        };
    let mut pos = first;
    if let Some(d) = detail {
        pos = pos.max(base + d.position);
    }
    match &e.variant {
        pest::error::ErrorVariant::CustomError { message } => {
            let message = limit_message(message).unwrap_or_else(|| message.clone());
            ParseError::at(text, index.get(), ast::Span::new(pos, pos), message)
        }
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            // Before a closing bracket, the statement pest still expected is read as a command.
            let closer = matches!(
                text.get(first..).and_then(|t| t.chars().next()),
                Some('}' | ')')
            );
            let expected: Vec<error::Expected> = positives
                .iter()
                .map(|r| match r {
                    Rule::no_statement if closer => error::Expected::Command,
                    r => expected_of(*r),
                })
                .collect();
            let (tokens, contexts) = match detail {
                Some(d) => (d.tokens.as_slice(), d.contexts.as_slice()),
                None => (&[][..], &[][..]),
            };
            let (span, message) =
                error::describe(text, index.get(), pos, first, &expected, tokens, contexts);
            ParseError::at(text, index.get(), span, message)
        }
    }
}

/// pest's "stack limit reached" and "call limit reached", in words.
pub(crate) fn limit_message(pest_message: &str) -> Option<String> {
    if pest_message.contains("stack limit") {
        Some("the script nests brackets or blocks too deeply to parse".to_string())
    } else if pest_message.contains("call limit") {
        Some("the script is too complex to parse (the parser's work limit was reached)".to_string())
    } else {
        None
    }
}

/// What a grammar rule stands for, for error messages.
fn expected_of(rule: Rule) -> error::Expected {
    use error::Expected as E;
    match rule {
        Rule::statement_block | Rule::script_block => E::Block,
        Rule::named_block | Rule::block_name => E::NamedBlock,
        Rule::pipeline_chain
        | Rule::pipeline
        | Rule::expr_value
        | Rule::cast_expression
        | Rule::unary_operator
        | Rule::signed_number
        | Rule::variable
        | Rule::string_literal
        | Rule::string_expandable
        | Rule::number_token
        | Rule::hash_entry => E::Expression,
        Rule::command | Rule::command_name => E::Command,
        Rule::binary_operator
        | Rule::assignment_tail
        // pest lists the assignment operator where a pipeline may end (before the quick check for
        // its end), as it used to list `redirection` there.
        | Rule::assignment_operator
        | Rule::redirection
        | Rule::ternary
        | Rule::array_tail => E::Operator,
        Rule::type_spec | Rule::type_name | Rule::type_literal => E::TypeName,
        Rule::parameter | Rule::command_parameter => E::Parameter,
        Rule::label_name | Rule::simple_name | Rule::function_name => E::Name,
        _ => E::Other,
    }
}

/// A `#requires` line, read as PowerShell does: the text after `#` is a command `requires` whose
/// parameters must be known.
fn requires(
    text: &str,
    index: &LazyLines,
    start: usize,
    end: usize,
) -> Result<ast::Requires, ParseError> {
    let span = ast::Span::new(start, end);
    let bad = |m: String| ParseError::at(text, index.get(), span, m);
    let body = &text[start + 1..end];
    let parsed = PowerShellParser::parse(Rule::requires_body, body).map_err(|_| {
        bad(format!(
            "`#{}` is not a valid #requires line",
            body.trim_end()
        ))
    })?;
    let command_pair = parsed
        .flatten()
        .find(|p| p.as_rule() == Rule::command)
        .ok_or_else(|| bad("the #requires line is empty".to_string()))?;
    let mut builder = build::Builder::shifted(span.start + 1);
    let command = builder
        .command_for_requires(command_pair)
        .map_err(|e| ParseError::at(text, index.get(), e.span, e.message))?;
    if !command
        .name()
        .is_some_and(|n| n.eq_ignore_ascii_case("requires"))
    {
        return Err(bad(
            "a comment starting with `#requires` must be a #requires statement, such as `#Requires -Version 3.0`"
                .to_string(),
        ));
    }
    const KNOWN: [&str; 7] = [
        "shellid",
        "pssnapin",
        "version",
        "psedition",
        "assembly",
        "modules",
        "runasadministrator",
    ];
    let mut parameters = Vec::new();
    let mut elements = command.elements.iter().peekable();
    while let Some(element) = elements.next() {
        match element {
            ast::CommandElement::Parameter(p) => {
                // Every #requires parameter written without a colon takes the argument after it.
                let mut p = p.clone();
                if !p.colon
                    && let Some(ast::CommandElement::Argument(a)) = elements.peek()
                    && !matches!(a, ast::Expression::Variable(v) if v.splatted)
                {
                    p.span = ast::Span::new(p.span.start, a.span().end);
                    p.value = Some(a.clone());
                    elements.next();
                }
                let lower = p.name.to_ascii_lowercase();
                let matches: Vec<&str> = KNOWN
                    .iter()
                    .copied()
                    .filter(|k| k.starts_with(&lower))
                    .collect();
                if matches.len() != 1 {
                    return Err(ParseError::at(
                        text,
                        index.get(),
                        p.span,
                        format!(
                            "`-{}` is not a #requires parameter; use -Version, -PSEdition, -Modules, -PSSnapin, -ShellId, -Assembly or -RunAsAdministrator",
                            p.name
                        ),
                    ));
                }
                let needs_value = matches[0] != "runasadministrator";
                if needs_value && p.value.is_none() {
                    return Err(ParseError::at(
                        text,
                        index.get(),
                        p.span,
                        format!("#requires -{} needs a value", p.name),
                    ));
                }
                if matches[0] == "version"
                    && let Some(v) = &p.value
                {
                    let t = v.span().text(text);
                    let ok = t.split('.').count() <= 4
                        && t.split('.')
                            .all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
                    if !ok {
                        return Err(ParseError::at(
                            text,
                            index.get(),
                            v.span(),
                            format!(
                                "`{t}` is not a PowerShell version; write it as major.minor, for example 3.0"
                            ),
                        ));
                    }
                }
                parameters.push(ast::RequiresParameter {
                    span: p.span,
                    name: p.name.clone(),
                    value: p.value.clone(),
                });
            }
            other => {
                let s = match other {
                    ast::CommandElement::Argument(a) => a.span(),
                    _ => span,
                };
                return Err(ParseError::at(
                    text,
                    index.get(),
                    s,
                    "this #requires line is not in the correct format: every value must follow a parameter such as -Version"
                        .to_string(),
                ));
            }
        }
    }
    Ok(ast::Requires { span, parameters })
}

impl Script {
    /// Every command invocation anywhere in the script (in script blocks, subexpressions, strings'
    /// `$( )`, hashtable values...), in source order. The walk is iterative.
    pub fn commands(&self) -> Vec<&ast::Command> {
        walk::commands(self)
    }
}
