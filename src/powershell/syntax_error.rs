//! Running the pest grammar, and its failures in words: the one module that calls pest's parser
//! (the builder only reads the pairs a parse returns; `grammar.rs` binds the grammar file).
//!
//! pest reports the furthest position it reached and the rules it tried there. Rule names mean
//! nothing to a user, so the message is made from the text instead: an unclosed bracket or
//! string is found by scanning the script the way PowerShell's tokenizer would (strings,
//! here-strings, comments), and the construct that opened a bracket is named from the words
//! before it ("missing closing `}` for the `if` block opened at 3:18"). [`parse_piece`] runs a
//! rule and words its failure; [`describe`] chooses the words.

use std::num::NonZeroUsize;
use std::sync::Mutex;

use pest::Parser as _;

use super::ast::Span;
use super::build::BuildError;
use super::chars::{DASHES, is_dash, is_double_quote, is_single_quote, is_space};
use super::error::ParseError;
use super::grammar::{PowerShellParser, Rule};
use super::line_index::{LazyLines, LineIndex};
use super::scan::{Open, scan};

/// Counted grammar calls allowed per byte of input (and at least `CALL_FLOOR`): a backstop against
/// exponential backtracking. Real scripts need far fewer (see the benchmark).
const CALLS_PER_BYTE: usize = 2000;

const CALL_FLOOR: usize = 2_000_000;

/// pest's call limit is process-wide and read when a parse starts; it is only ever raised, so a
/// parse running in another thread never gets a limit smaller than its own input needs.
static CALL_LIMIT: Mutex<usize> = Mutex::new(0);

pub(crate) fn ensure_call_limit(len: usize) {
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

/// Parses `rule` on the text from `pos` on; errors are reported at their place in the whole text.
pub(crate) fn parse_piece<'t>(
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
                Span::new(pos, pos),
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
    contexts: Vec<Context>,
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
fn context_of(rule: Rule) -> Context {
    use Context as C;
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
            ParseError::at(text, index.get(), Span::new(pos, pos), message)
        }
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            // Before a closing bracket, the statement pest still expected is read as a command.
            let closer = matches!(
                text.get(first..).and_then(|t| t.chars().next()),
                Some('}' | ')')
            );
            let expected: Vec<Expected> = positives
                .iter()
                .map(|r| match r {
                    Rule::no_statement if closer => Expected::Command,
                    r => expected_of(*r),
                })
                .collect();
            let (tokens, contexts) = match detail {
                Some(d) => (d.tokens.as_slice(), d.contexts.as_slice()),
                None => (&[][..], &[][..]),
            };
            let (span, message) =
                describe(text, index.get(), pos, first, &expected, tokens, contexts);
            ParseError::at(text, index.get(), span, message)
        }
    }
}

/// pest's "stack limit reached" and "call limit reached", in words.
fn limit_message(pest_message: &str) -> Option<String> {
    if pest_message.contains("stack limit") {
        Some("the script nests brackets or blocks too deeply to parse".to_string())
    } else if pest_message.contains("call limit") {
        Some("the script is too complex to parse (the parser's work limit was reached)".to_string())
    } else {
        None
    }
}

/// What a grammar rule stands for, for error messages.
fn expected_of(rule: Rule) -> Expected {
    use Expected as E;
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

/// The body of a `$( ... )` cut out of a string (see `Builder::string_subexpression`); a failure
/// is placed in the script by `place`, which maps an offset of `inner` to one of the script.
pub(crate) fn parse_string_subexpression(
    inner: &str,
    place: impl Fn(usize) -> usize,
) -> Result<pest::iterators::Pairs<'_, Rule>, BuildError> {
    PowerShellParser::parse(Rule::string_subexpression_body, inner).map_err(|e| {
        let pos = match e.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((p, _)) => p,
        };
        let at = place(pos);
        let message = match &e.variant {
            pest::error::ErrorVariant::CustomError { message } => message.as_str(),
            _ => "this `$( )` inside the string is not valid PowerShell",
        };
        BuildError {
            span: Span::new(at, at),
            message: limit_message(message).unwrap_or_else(|| {
                format!("{message} (PowerShell ends `$(` inside a string at the first `)` that balances it, without looking at quotes)")
            }),
        }
    })
}

/// Whether `rule` matches `text` (a quick look ahead; nothing is built).
pub(crate) fn parses(rule: Rule, text: &str) -> bool {
    PowerShellParser::parse(rule, text).is_ok()
}

/// The pairs of `rule` on `text`, or `None` if it does not match (the caller words the failure).
pub(crate) fn try_parse(rule: Rule, text: &str) -> Option<pest::iterators::Pairs<'_, Rule>> {
    PowerShellParser::parse(rule, text).ok()
}

/// A builder result with its error placed in the script.
pub(crate) fn built<T>(
    text: &str,
    index: &LazyLines,
    r: Result<T, BuildError>,
) -> Result<T, ParseError> {
    r.map_err(|e| ParseError::at(text, index.get(), e.span, e.message))
}

/// What pest expected at the failure position, grouped into what a user would call it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expected {
    Block,
    NamedBlock,
    Expression,
    Command,
    Operator,
    TypeName,
    Parameter,
    Name,
    Other,
}

impl Expected {
    fn words(self) -> &'static str {
        match self {
            Expected::Block => "a `{` block",
            Expected::NamedBlock => "a `begin`, `process`, `end`, `clean` or `dynamicparam` block",
            Expected::Expression => "a value or expression",
            Expected::Command => "a command",
            Expected::Operator => "an operator",
            Expected::TypeName => "a type name",
            Expected::Parameter => "a parameter",
            Expected::Name => "a name",
            Expected::Other => "",
        }
    }
}

/// Names the construct whose bracket opens at `at`, from the words before it.
fn construct_name(text: &str, kind: Open, at: usize) -> String {
    match kind {
        Open::HashLiteral => return "the hashtable `@{`".to_string(),
        Open::ArrayExpr => return "the array subexpression `@(`".to_string(),
        Open::SubExpr => return "the subexpression `$(`".to_string(),
        Open::Bracket => return "the `[`".to_string(),
        Open::Paren => {
            let before = last_word_before(text, at);
            return match before.as_deref().map(str::to_ascii_lowercase).as_deref() {
                Some(k @ ("if" | "elseif" | "while" | "until" | "switch" | "foreach" | "for")) => {
                    format!("the `{k}` condition")
                }
                _ => "the parenthesis".to_string(),
            };
        }
        Open::Brace => {}
    }
    // What precedes the `{`: a keyword, `)` of a condition, or a function name.
    let head = text[..at].trim_end();
    if head.ends_with(')') {
        if let Some(open) = matching_open_paren(head) {
            let word = last_word_before(text, open);
            if let Some(w) = word {
                let lw = w.to_ascii_lowercase();
                match lw.as_str() {
                    "if" | "elseif" | "while" | "foreach" | "for" | "switch" => {
                        return format!("the `{lw}` block");
                    }
                    "until" => return "the `do` block".to_string(),
                    _ => {
                        if let Some(f) = function_before(text, open) {
                            return f;
                        }
                        return format!("the block after `{w}(...)`");
                    }
                }
            }
        }
        return "the block".to_string();
    }
    if let Some(f) = function_before(text, at) {
        return f;
    }
    match last_word_before(text, at)
        .map(|w| w.to_ascii_lowercase())
        .as_deref()
    {
        Some(
            k @ ("else" | "try" | "finally" | "catch" | "do" | "begin" | "process" | "end"
            | "clean" | "dynamicparam" | "trap"),
        ) => {
            format!("the `{k}` block")
        }
        Some("default") => "the `default` block".to_string(),
        _ => {
            let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let line = text[line_start..at].trim_start();
            let lw = line.to_ascii_lowercase();
            if lw.starts_with("class ") || lw.starts_with("enum ") {
                let mut words = line.split_whitespace();
                let kw = words.next().unwrap_or("class").to_ascii_lowercase();
                return format!(
                    "the {kw} `{}`",
                    words.next().unwrap_or("").trim_end_matches(':')
                );
            }
            if lw.starts_with("catch") {
                return "the `catch` block".to_string();
            }
            "the script block".to_string()
        }
    }
}

/// Whether `pos` follows `function Name` or `function Name(...)` on its last non-blank line.
fn before_is_function_head(text: &str, pos: usize) -> bool {
    let head = text[..pos].trim_end();
    let line_start = head.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = head[line_start..].trim_start().to_ascii_lowercase();
    ["function ", "filter ", "workflow "]
        .iter()
        .any(|k| line.starts_with(k))
        && !line.contains('{')
}

/// `the body of function `Name`` when `at` follows `function Name`.
fn function_before(text: &str, at: usize) -> Option<String> {
    let head = text[..at].trim_end();
    let line_start = head.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = head[line_start..].trim();
    let mut words = line.split_whitespace();
    let kw = words.next()?.to_ascii_lowercase();
    if matches!(kw.as_str(), "function" | "filter" | "workflow") {
        let name = words.next()?.split('(').next().unwrap_or("");
        return Some(format!("the body of {kw} `{name}`"));
    }
    None
}

/// The word just before `at` (skipping spaces and newlines).
fn last_word_before(text: &str, at: usize) -> Option<String> {
    let head = text[..at].trim_end();
    let word: String = head
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if word.is_empty() { None } else { Some(word) }
}

/// The offset of the `(` matching the `)` that ends `head`.
fn matching_open_paren(head: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in head.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The token at `pos`, for "unexpected `...`" messages.
fn token_at(text: &str, pos: usize) -> String {
    let rest = &text[pos.min(text.len())..];
    let mut out = String::new();
    for c in rest.chars() {
        if is_space(c) || (!out.is_empty() && "(){};,|".contains(c)) {
            break;
        }
        out.push(c);
        if "(){};,|".contains(c) || out.chars().count() >= 40 {
            break;
        }
    }
    out
}

/// What the parser was in the middle of at the failure point (from pest's detailed attempts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// The `(condition)` of `if`, `while`, `switch`, `for` or `foreach`.
    Condition(&'static str),
    /// The `in` of a foreach statement.
    ForeachIn,
    /// The `catch` or `finally` after a try block.
    CatchOrFinally,
    /// A clause of a switch statement.
    SwitchClause,
    /// The parameters or body of a function.
    FunctionBody,
    /// A command (after `|`).
    Command,
    /// A `{ ... }` block.
    Block,
    /// A `key = value` entry of a hashtable.
    HashEntry,
    Other,
}

/// The last non-blank character before `pos`, and where it is.
fn previous_char(text: &str, pos: usize) -> Option<(usize, char)> {
    text[..pos]
        .char_indices()
        .rev()
        .find(|(_, c)| !is_space(*c))
}

/// The word (up to white space) that ends just before `pos`, skipping blanks.
fn previous_word(text: &str, pos: usize) -> &str {
    let head = text[..pos].trim_end();
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| is_space(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &head[start..]
}

/// Whether the text before `pos` ends with a member access such as `$x.Name` (then spaces).
fn member_before(text: &str, pos: usize) -> bool {
    let head = text[..pos].trim_end();
    let name = head.trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
    name.len() < head.len() && (name.ends_with('.') || name.ends_with("::"))
}

/// The start of the word `pos` is in (with a leading dash), so that a message quotes whole
/// tokens: pest may stop inside `-neq` after matching `-ne`.
fn word_start(text: &str, pos: usize) -> usize {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    if !text[pos..].starts_with(is_word) {
        return pos;
    }
    let mut start = pos;
    for (i, c) in text[..pos].char_indices().rev() {
        if is_word(c) {
            start = i;
        } else {
            if is_dash(c) {
                start = i;
            }
            break;
        }
    }
    start
}

/// A user-facing message for a syntax error pest found at `pos`.
pub(crate) fn describe(
    text: &str,
    index: &LineIndex,
    pos: usize,
    first: usize,
    expected: &[Expected],
    tokens: &[String],
    contexts: &[Context],
) -> (Span, String) {
    let at = |offset: usize| {
        let (l, c) = index.line_col(text, offset);
        format!("{l}:{c}")
    };
    let first = first.min(text.len());
    let pos = word_start(text, pos.min(text.len()));
    let here = Span::new(pos, pos);
    let rest = &text[pos..];

    // Something that never ends.
    let whole = scan(text, text.len());
    if let Some((what, start)) = whole.unterminated
        && (start <= pos || rest.trim().is_empty())
    {
        let message = match what {
            "string" => {
                let quote = text[start..].chars().next().unwrap_or('\'');
                format!(
                    "the string starting at {} is missing its closing {}",
                    at(start),
                    describe_quote(quote)
                )
            }
            w if w.starts_with("here-string") => {
                let q = if w.contains('"') { '"' } else { '\'' };
                let hint = if here_footer_indented(text, start, q) {
                    format!(
                        " (a closing `{q}@` was found after spaces; it must be the first thing on its line)"
                    )
                } else {
                    String::new()
                };
                format!(
                    "the {w} starting at {} is missing its closing `{q}@` at the start of a line{hint}",
                    at(start)
                )
            }
            w => format!(
                "the {w} starting at {} is missing its closing `#>`",
                at(start)
            ),
        };
        return (Span::new(start, start), message);
    }

    // A here-string header with text after it (where pest first stopped: the header).
    let first_rest = &text[first..];
    if let Some(q) = first_rest.strip_prefix('@').and_then(|r| r.chars().next())
        && (is_single_quote(q) || is_double_quote(q))
    {
        let line_rest = first_rest[1 + q.len_utf8()..]
            .split(['\n', '\r'])
            .next()
            .unwrap_or("");
        if !line_rest.trim().is_empty() {
            return (
                Span::new(first, first),
                format!(
                    "nothing may follow `@{q}` on its line: a here-string starts on the next line"
                ),
            );
        }
    }

    // `<` (not a comment): reserved.
    if first_rest.starts_with('<') && !first_rest.starts_with("<#") {
        return (
            Span::new(first, first),
            "`<` is not allowed here: PowerShell reserves the `<` operator for future use \
             (replace a placeholder such as `<Identity>` with a real value)"
                .to_string(),
        );
    }

    let has = |c: Context| contexts.contains(&c);
    if has(Context::SwitchClause) && rest.trim_start().starts_with('}') {
        return (
            here,
            "the switch statement needs at least one clause, such as `'value' { ... }` or `default { ... }`".to_string(),
        );
    }

    let before = scan(text, pos);
    let wants = |t: &str| tokens.iter().any(|x| x.eq_ignore_ascii_case(t));
    // A hashtable key with no `=` after it, before a newline, `;` or `}`.
    let in_hash = before
        .open
        .last()
        .is_some_and(|(kind, _)| *kind == Open::HashLiteral);
    if (in_hash || has(Context::HashEntry)) && wants("=") {
        return (
            here,
            "missing `=` after the key in the hashtable: write `@{ key = value }`".to_string(),
        );
    }
    // A closing bracket that matches nothing.
    if let Some(c @ ('}' | ')' | ']')) = rest.chars().next() {
        if let Some((comma, ',')) = previous_char(text, pos) {
            let in_param_block = before.open.last().is_some_and(|(kind, start)| {
                *kind == Open::Paren
                    && last_word_before(text, *start)
                        .is_some_and(|w| w.eq_ignore_ascii_case("param"))
            });
            let what = if in_param_block || expected.contains(&Expected::Parameter) {
                "a parameter"
            } else {
                "a value"
            };
            return (
                here,
                format!(
                    "unexpected `{c}`: {what} is missing after the `,` at {} (or remove that comma)",
                    at(comma)
                ),
            );
        }
        return match before.open.last() {
            Some((kind, start)) if kind.closer() != c => (
                here,
                format!(
                    "unexpected `{c}`: {} opened at {} needs `{}` first",
                    construct_name(text, *kind, *start),
                    at(*start),
                    kind.closer()
                ),
            ),
            None => (
                here,
                format!(
                    "unexpected `{c}`: there is no `{}` before it to close",
                    opener_of(c)
                ),
            ),
            Some((_, start)) if c == ')' && text[*start + 1..pos].trim().is_empty() => (
                here,
                "empty parentheses: a value, expression or command is expected after `(`"
                    .to_string(),
            ),
            Some(_) => (
                here,
                format!("unexpected `{c}`{}", expected_suffix(expected)),
            ),
        };
    }

    let at_end = rest.trim().is_empty();
    let token = token_at(text, pos);
    if has(Context::ForeachIn) {
        return (
            here,
            "missing `in` after the loop variable: write `foreach ($item in $collection) { ... }`"
                .to_string(),
        );
    }
    if has(Context::CatchOrFinally) {
        return (
            here,
            "the `try` block needs a `catch` or `finally` block after it".to_string(),
        );
    }
    if let Some(kw) = contexts.iter().find_map(|c| match c {
        Context::Condition(kw) => Some(*kw),
        _ => None,
    }) && wants("(")
    {
        return (
            here,
            format!(
                "missing `(` after `{kw}`: write the condition in parentheses, `{kw} (...) {{ ... }}`"
            ),
        );
    }
    if (has(Context::FunctionBody) || wants("{")) && before_is_function_head(text, pos) {
        let name = function_before(text, pos).unwrap_or_else(|| "the function".to_string());
        return (here, format!("missing `{{ ... }}` for {name}"));
    }
    if let Some((p, '|')) = previous_char(text, pos) {
        if rest.starts_with('|') {
            return (
                here,
                "an empty pipe element: a command is missing between the two `|`".to_string(),
            );
        }
        if at_end {
            return (
                Span::new(p, p),
                "a command is missing after `|`".to_string(),
            );
        }
        if has(Context::Command) || expected.contains(&Expected::Command) {
            let hint = if matches!(token.to_ascii_lowercase().as_str(), "$true" | "$false") {
                " (documentation writes `$true|$false` to mean \"one of these values\"; pick one)"
            } else {
                ""
            };
            return (
                here,
                format!(
                    "`{token}` cannot come after `|`: only a command can follow `|`, not a value{hint}"
                ),
            );
        }
    }
    let prev = previous_word(text, pos);
    if prev.len() > 2
        && prev.ends_with(':')
        && prev.starts_with(DASHES)
        && (at_end || rest.starts_with(['\n', '\r']))
    {
        return (
            here,
            format!("`{prev}` needs a value right after the colon (or remove the colon)"),
        );
    }
    if at_end && matches!(previous_char(text, pos), Some((_, ','))) {
        return (here, "a value is missing after `,`".to_string());
    }

    // The end of the script with brackets still open.
    if at_end {
        if let Some((kind, start)) = before.open.last() {
            return (
                here,
                format!(
                    "missing closing `{}` for {} opened at {}",
                    kind.closer(),
                    construct_name(text, *kind, *start),
                    at(*start)
                ),
            );
        }
        let what = expected_words(expected);
        return (
            here,
            if what.is_empty() {
                "the script ends too early".to_string()
            } else {
                format!("the script ends too early: expected {what}")
            },
        );
    }

    // A stray closer earlier on explains a later failure.
    if let Some((c, offset, None)) = before.stray_close {
        return (
            Span::new(offset, offset),
            format!(
                "unexpected `{c}`: there is no `{}` before it to close",
                opener_of(c)
            ),
        );
    }

    if token.starts_with(',') {
        return (
            here,
            "unexpected `,`: a value is missing before or after the comma".to_string(),
        );
    }
    if rest.starts_with(['\n', '\r']) {
        let what = expected_words(expected);
        return (
            here,
            if what.is_empty() {
                "the line ends too early".to_string()
            } else {
                format!("the line ends too early: expected {what}")
            },
        );
    }
    let lower = token.to_ascii_lowercase();
    if matches!(lower.as_str(), "var" | "define" | "from") {
        return (
            here,
            format!("`{token}` is a keyword reserved by PowerShell and cannot start a statement"),
        );
    }
    if lower == "using" {
        return (
            here,
            "a `using` statement must come before any other statement of the script".to_string(),
        );
    }
    if token.starts_with(DASHES) && expected.contains(&Expected::Operator) {
        return (
            here,
            format!(
                "unexpected `{token}` after an expression: it is not an operator (a parameter can only follow a command name)"
            ),
        );
    }
    if rest.starts_with('(') && text[..pos].ends_with([' ', '\t']) && member_before(text, pos) {
        return (
            here,
            "unexpected `(` after a value: a method call has no space before `(` (write `$x.Method(...)`)"
                .to_string(),
        );
    }
    if expected.contains(&Expected::Operator) {
        return (
            here,
            format!(
                "unexpected `{token}` after a value: put an operator between them, or a `;` or newline to start a new statement"
            ),
        );
    }
    (
        here,
        format!("unexpected `{token}`{}", expected_suffix(expected)),
    )
}

fn describe_quote(q: char) -> String {
    if is_single_quote(q) {
        format!("quote (`{q}`)")
    } else {
        format!("double quote (`{q}`)")
    }
}

/// Whether some line of the here-string starting at `start` has the footer after spaces.
fn here_footer_indented(text: &str, start: usize, quote: char) -> bool {
    text[start..].lines().skip(1).any(|line| {
        let t = line.trim_start();
        t.len() != line.len() && t.starts_with(quote) && t[quote.len_utf8()..].starts_with('@')
    })
}

fn opener_of(c: char) -> char {
    match c {
        '}' => '{',
        ')' => '(',
        _ => '[',
    }
}

fn expected_words(expected: &[Expected]) -> String {
    let mut words: Vec<&str> = Vec::new();
    for e in expected {
        let w = e.words();
        if !w.is_empty() && !words.contains(&w) {
            words.push(w);
        }
    }
    match words.len() {
        0 => String::new(),
        1 => words[0].to_string(),
        n => format!("{} or {}", words[..n - 1].join(", "), words[n - 1]),
    }
}

fn expected_suffix(expected: &[Expected]) -> String {
    let w = expected_words(expected);
    if w.is_empty() {
        String::new()
    } else {
        format!("; expected {w}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(text: &str, pos: usize) -> String {
        let index = LineIndex::new(text);
        describe(text, &index, pos, pos, &[], &[], &[]).1
    }

    #[test]
    fn names_the_unclosed_if_block() {
        let text = "$a = 1\n\nif ($a -eq 1) {\n  'x'\n";
        assert_eq!(
            msg(text, text.len()),
            "missing closing `}` for the `if` block opened at 3:15"
        );
    }

    #[test]
    fn names_function_bodies_and_hashtables() {
        let text = "function Get-Thing {\n  $h = @{ a = 1\n";
        assert_eq!(
            msg(text, text.len()),
            "missing closing `}` for the hashtable `@{` opened at 2:8"
        );
        let text = "function Get-Thing {\n";
        assert_eq!(
            msg(text, text.len()),
            "missing closing `}` for the body of function `Get-Thing` opened at 1:20"
        );
    }

    #[test]
    fn unterminated_strings_point_at_their_start() {
        assert_eq!(
            msg("Write-Host 'abc", 11),
            "the string starting at 1:12 is missing its closing quote (`'`)"
        );
        let text = "$x = @'\nabc\n  '@\n";
        assert!(msg(text, 5).contains("must be the first thing on its line"));
    }

    #[test]
    fn placeholders_in_angle_brackets() {
        let text = "Get-CsUser -Identity <UserId>";
        assert!(msg(text, 21).starts_with("`<` is not allowed here"));
    }

    #[test]
    fn stray_closing_brackets() {
        assert_eq!(
            msg("}", 0),
            "unexpected `}`: there is no `{` before it to close"
        );
        let text = "if ($a) { )";
        assert_eq!(
            msg(text, 10),
            "unexpected `)`: the `if` block opened at 1:9 needs `}` first"
        );
    }
}
