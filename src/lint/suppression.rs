//! Suppressions: comments and attributes that silence a rule where its finding is known and
//! accepted.
//!
//! * `# xprem: ignore[CODE, CODE]` after code silences those rules on its line; on a line of its
//!   own, on the next line.
//! * `# xprem: ignore-file[CODE]` anywhere silences them in the whole file.
//! * `[Diagnostics.CodeAnalysis.SuppressMessageAttribute('xprem/CODE', '')]` (PowerShell's own
//!   way, which PSScriptAnalyzer reads too) in front of a function's or the script's `param`
//!   block silences the rule in that function, or in the script.
//!
//! A suppression must name its codes: a bare `# xprem: ignore` would hide whatever a later rule
//! finds. A suppression that silences nothing is reported (`unused-suppression`), so they do not
//! outlive the code they were written for; one that names no known rule, or is malformed, is
//! reported too (`invalid-suppression`).

use std::cell::Cell;

use crate::diagnostic::{Diagnostic, Span};
use crate::powershell::NodeRef;
use crate::powershell::ast::{Attribute, Expression, ParamBlock};
use crate::semantic::Analysis;

use super::context::FileContext;
use super::registry;
use super::rules::invalid_suppression::RULE as INVALID_SUPPRESSION;
use super::rules::unused_suppression::RULE as UNUSED_SUPPRESSION;

/// Where a suppression applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Findings that start on this line (1-based).
    Line(usize),
    /// The whole file.
    File,
    /// Findings inside this range (a function, or the script).
    Range(Span),
}

#[derive(Debug)]
struct Entry {
    code: &'static str,
    /// The code as written, for messages.
    span: Span,
    reach: Reach,
    used: Cell<bool>,
}

/// The suppressions of one file.
#[derive(Debug, Default)]
pub struct Suppressions {
    entries: Vec<Entry>,
    /// Malformed directives and unknown codes.
    invalid: Vec<Diagnostic>,
}

impl Suppressions {
    /// Reads the suppression comments of `file`, and the attributes of its script when it parsed
    /// (read through the script's analysis: its nodes, not another walk).
    /// `directives`: whether the text holds `xprem` at all (any case); a file without it has no
    /// suppression, and its comments and functions are not read.
    pub fn read(
        file: &FileContext<'_>,
        script: Option<&Analysis<'_>>,
        directives: bool,
    ) -> Suppressions {
        let mut s = Suppressions::default();
        if !directives {
            return s;
        }
        let comments = file.comments();
        for &(start, end) in comments {
            if file.text[start..].starts_with("<#") {
                continue;
            }
            s.comment(file, start, end);
        }
        if let Some(script) = script {
            s.attributes(script, file.text);
        }
        s
    }

    fn comment(&mut self, file: &FileContext<'_>, start: usize, end: usize) {
        let text = file.text;
        let comment = &text[start..end];
        let body = comment.trim_start_matches('#').trim_start();
        let Some(rest) = strip_prefix_ignore_case(body, "xprem:") else {
            return;
        };
        let rest_at = end - rest.len();
        let trimmed = rest.trim_start();
        let at = rest_at + (rest.len() - trimmed.len());
        let (file_wide, after) = if let Some(a) = strip_prefix_ignore_case(trimmed, "ignore-file") {
            (true, a)
        } else if let Some(a) = strip_prefix_ignore_case(trimmed, "ignore") {
            (false, a)
        } else {
            self.invalid.push(INVALID_SUPPRESSION.at(
                Span::new(start, end),
                "this `xprem:` comment is not a suppression xprem knows, so it silences nothing.",
                "write `# xprem: ignore[CODE]` (this line, or the next when on a line of its own) or `# xprem: ignore-file[CODE]`; `xprem rules` lists the codes.",
            ));
            return;
        };
        let after_at = at + (trimmed.len() - after.len());
        let Some(list) = after
            .strip_prefix('[')
            .and_then(|a| a.find(']').map(|i| &a[..i]))
        else {
            self.invalid.push(INVALID_SUPPRESSION.at(
                Span::new(start, end),
                "this suppression names no rule: a bare `ignore` would hide whatever any rule finds here, so xprem does not accept it.",
                "name the codes it is for in brackets, e.g. `# xprem: ignore[unknown-parameter]`.",
            ));
            return;
        };
        let reach = if file_wide {
            Reach::File
        } else {
            let (line, _) = file.lines().line_col(text, start);
            let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            if text[line_start..start].trim().is_empty() {
                Reach::Line(line + 1)
            } else {
                Reach::Line(line)
            }
        };
        let mut offset = after_at + 1;
        for item in list.split(',') {
            let code = item.trim();
            let code_start = offset + (item.len() - item.trim_start().len());
            offset += item.len() + 1;
            if code.is_empty() {
                continue;
            }
            self.add(code, Span::new(code_start, code_start + code.len()), reach);
        }
    }

    fn add(&mut self, written: &str, span: Span, reach: Reach) {
        match registry::rule(written) {
            Some(rule) => self.entries.push(Entry {
                code: rule.code,
                span,
                reach,
                used: Cell::new(false),
            }),
            None => {
                let hint = match registry::suggest(written) {
                    Some(code) => format!("did you mean `{code}`? `xprem rules` lists the codes."),
                    None => "`xprem rules` lists the codes.".to_owned(),
                };
                self.invalid.push(INVALID_SUPPRESSION.at(
                    span,
                    format!(
                        "`{written}` is not an xprem rule, so this suppression silences nothing."
                    ),
                    hint,
                ));
            }
        }
    }

    /// `SuppressMessageAttribute('xprem/CODE', ...)` on the script's and functions' param blocks.
    fn attributes(&mut self, script: &Analysis<'_>, text: &str) {
        if let Some(block) = &script.script.param_block {
            self.param_block(block, script.script.span.into(), text);
        }
        for node in &script.nodes {
            if let NodeRef::Statement(crate::powershell::ast::Statement::Function(f)) = node
                && let Some(block) = &f.body.param_block
            {
                self.param_block(block, f.span.into(), text);
            }
        }
    }

    fn param_block(&mut self, block: &ParamBlock, reach: Span, text: &str) {
        for attribute in &block.attributes {
            if let Some((code, span)) = suppress_message(attribute, text) {
                self.add(code, span, Reach::Range(reach));
            }
        }
    }

    /// Whether `d` is silenced; marks the suppression that silences it as used.
    fn silences(&self, d: &Diagnostic, file: &FileContext<'_>) -> bool {
        let line = d
            .location
            .span
            .map(|s| file.lines().line_col(file.text, s.start).0);
        let mut silenced = false;
        for e in self.entries.iter().filter(|e| e.code == d.code) {
            let hit = match (e.reach, d.location.span, line) {
                (Reach::File, _, _) => true,
                (Reach::Line(l), _, Some(line)) => l == line,
                (Reach::Range(r), Some(s), _) => {
                    r.start <= s.start && s.start < r.end.max(r.start + 1)
                }
                _ => false,
            };
            if hit {
                e.used.set(true);
                silenced = true;
            }
        }
        silenced
    }

    /// Drops the silenced diagnostics, then adds the suppressions that are malformed, name no
    /// rule, or silenced nothing (for the rules that ran: `ran` says which did).
    pub fn apply(
        self,
        diagnostics: Vec<Diagnostic>,
        file: &FileContext<'_>,
        ran: impl Fn(&str) -> bool,
    ) -> Vec<Diagnostic> {
        let mut kept: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter(|d| !self.silences(d, file))
            .collect();
        if ran(INVALID_SUPPRESSION.code) {
            kept.extend(self.invalid.iter().cloned());
        }
        if ran(UNUSED_SUPPRESSION.code) {
            let unused = |e: &Entry| {
                UNUSED_SUPPRESSION.at(
                    e.span,
                    format!("this suppression of `{}` silences nothing: no `{}` finding is where it applies.", e.code, e.code),
                    "remove it; if the finding moved, put the suppression where it now is.",
                )
            };
            // Unused suppressions can themselves be silenced (by a suppression of
            // `unused-suppression`), which then counts as used.
            let first: Vec<Diagnostic> = self
                .entries
                .iter()
                .filter(|e| !e.used.get() && ran(e.code) && e.code != UNUSED_SUPPRESSION.code)
                .map(unused)
                .collect();
            kept.extend(first.into_iter().filter(|d| !self.silences(d, file)));
            kept.extend(
                self.entries
                    .iter()
                    .filter(|e| !e.used.get() && e.code == UNUSED_SUPPRESSION.code)
                    .map(unused),
            );
        }
        kept
    }
}

/// `[Diagnostics.CodeAnalysis.SuppressMessageAttribute('xprem/CODE', '')]` (or `SuppressMessage`,
/// or `CheckId = 'xprem/CODE'`): the code and its place. Rule IDs of other tools are not ours.
fn suppress_message<'t>(attribute: &Attribute, text: &'t str) -> Option<(&'t str, Span)> {
    let name = attribute.type_name.name.rsplit('.').next().unwrap_or("");
    if !name.eq_ignore_ascii_case("SuppressMessageAttribute")
        && !name.eq_ignore_ascii_case("SuppressMessage")
    {
        return None;
    }
    let rule_id = attribute.positional.first().or_else(|| {
        attribute
            .named
            .iter()
            .find(|n| {
                n.name.eq_ignore_ascii_case("CheckId") || n.name.eq_ignore_ascii_case("RuleId")
            })
            .and_then(|n| n.value.as_ref())
    })?;
    let Expression::String(s) = rule_id else {
        return None;
    };
    // The string's content, inside its quotes, so the span points at the code.
    let written = s.span.text(text);
    let inner = written.get(1..written.len().saturating_sub(1))?;
    let inner_start = s.span.start + 1;
    for prefix in ["xprem/", "xprem:", "xprem."] {
        if let Some(code) = strip_prefix_ignore_case(inner, prefix) {
            let start = inner_start + prefix.len();
            return Some((code.trim(), Span::new(start, start + code.trim().len())));
        }
    }
    // A bare code counts only when it is one of ours (PSAvoidUsingWriteHost is PSScriptAnalyzer's).
    registry::rule(inner).map(|_| (inner, Span::new(inner_start, inner_start + inner.len())))
}

fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    (text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &text[prefix.len()..])
}
