//! Reading PowerShell: decoding script bytes, the pest grammar binding, the typed AST and parse
//! errors. This is the only module that uses pest.
//!
//! [`parse`] is here; `syntax_error.rs` runs the grammar and words its failures, `build/` turns
//! pest's pairs into the [`ast`], `chars.rs` holds PowerShell's character classes, `scan.rs` and
//! `text.rs` read tokens the way PowerShell's tokenizer does.
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
pub mod chars;
pub mod decode;
pub mod error;
mod grammar;
mod line_index;
mod scan;
mod syntax_error;
mod text;
mod walk;

#[cfg(test)]
mod robustness_tests;
#[cfg(test)]
mod tests;

pub use ast::Script;
pub use decode::{Decoded, TextEncoding, decode};
pub use error::ParseError;
use line_index::LazyLines;
pub use line_index::LineIndex;
pub use scan::comments;
use syntax_error::{built, ensure_call_limit, parse_piece};
pub use walk::{NodeRef, walk, walk_node};

use grammar::Rule;

/// The deepest nesting the parser builds, counted in levels of the syntax tree (a nested script
/// block takes about four, a parenthesis two, each member access or cast of a chain one). A chain
/// of binary operators (`1 + 2 + 3`, `$a -and $b -and $c`) counts as one level however long it is:
/// it is built in a loop, and its nodes drop without recursion. Real scripts stay far below (the
/// corpus of 2,974 files parses with a limit of 64). The limit keeps the tree safe to serialize and
/// drop with recursive code, even in a debug build on a 2 MiB thread (tested in
/// `robustness_tests`).
pub const MAX_DEPTH: usize = 500;

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

    let named = syntax_error::parses(Rule::script_body_blocks, &text[pos..]);
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

/// Where the last `#requires` of the text ends, if there is one: a quick check before scanning
/// for them, and where that scan may stop (they are usually on the first lines).
fn last_requires_end(text: &str) -> Option<usize> {
    text.as_bytes()
        .windows(9)
        .rposition(|w| w[0] == b'#' && w[1..].eq_ignore_ascii_case(b"requires"))
        .map(|i| i + 9)
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
    let parsed = syntax_error::try_parse(Rule::requires_body, body).ok_or_else(|| {
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
