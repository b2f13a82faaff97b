//! Strings with unknown parts: the text a string will have, with a hole where a variable or an
//! expression not known here goes (`"https://$host/$tenant/metadata/json/1"`, `'{0}/x' -f $a`).
//! A rule can judge the known parts and say nothing of the holes.

use crate::powershell::ast::{BinaryOperator, Expression, QuoteKind};

use super::Analysis;
use super::values::single_expression;

/// Stands for an unknown part of a string in [`Template::flat`].
pub const HOLE: char = '\u{0}';

/// A string as far as it is known: constant text and unknown parts, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Template {
    pub pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    Hole,
}

impl Template {
    fn text(s: String) -> Template {
        Template {
            pieces: vec![Piece::Text(s)],
        }
    }

    fn hole() -> Template {
        Template {
            pieces: vec![Piece::Hole],
        }
    }

    fn push(&mut self, other: Template) {
        self.pieces.extend(other.pieces);
    }

    /// The text, with [`HOLE`] for each unknown part.
    pub fn flat(&self) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(s) => out.push_str(s),
                Piece::Hole => out.push(HOLE),
            }
        }
        out
    }

    /// Whether any of it is known.
    pub fn any_known(&self) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, Piece::Text(s) if !s.is_empty()))
    }
}

/// What is known of the string `expr` builds: its text where the values are known, holes where
/// they are not (an interpolated variable, a concatenated one, a `-f` argument). A variable the
/// script assigns once (`Values::assignment_at`) stands for the expression assigned.
pub fn template(cx: &Analysis<'_>, expr: &Expression) -> Template {
    template_at(cx, expr, 0)
}

fn template_at(cx: &Analysis<'_>, expr: &Expression, depth: usize) -> Template {
    if depth > 8 {
        return Template::hole();
    }
    if let Some(s) = cx.values.string_value(expr) {
        return Template::text(s);
    }
    match expr {
        Expression::Variable(v) if !v.splatted => {
            match cx.values.assignment_at(v).and_then(|a| a.expression) {
                Some(e) => template_at(cx, e, depth + 1),
                None => Template::hole(),
            }
        }
        Expression::Paren(p) => match single_expression(&p.pipeline) {
            Some(e) => template_at(cx, e, depth + 1),
            None => Template::hole(),
        },
        Expression::Binary(b) if b.operator == BinaryOperator::Add => {
            let mut out = template_at(cx, &b.left, depth + 1);
            if !out.any_known() {
                // `$a + '/x'` concatenates only if `$a` is a string: not known.
                return Template::hole();
            }
            out.push(template_at(cx, &b.right, depth + 1));
            out
        }
        Expression::Binary(b) if b.operator == BinaryOperator::Format => {
            let Some(format) = cx.values.string_value(&b.left) else {
                return Template::hole();
            };
            let arguments: Vec<&Expression> = match &b.right {
                Expression::Array(a) => a.elements.iter().collect(),
                other => vec![other],
            };
            format_template(&format, |i| {
                arguments.get(i).map(|e| template_at(cx, e, depth + 1))
            })
        }
        Expression::ExpandableString(s) if s.quote == QuoteKind::Double => {
            let text = cx.text();
            let source = s.span.text(text);
            let (Some(open), Some(close)) = (source.chars().next(), source.chars().last()) else {
                return Template::hole();
            };
            let inner_start = s.span.start + open.len_utf8();
            let inner_end = s.span.end.saturating_sub(close.len_utf8());
            if inner_end < inner_start {
                return Template::hole();
            }
            let inner = &text[inner_start..inner_end];
            if inner.contains(['`', '"', '\u{201C}', '\u{201D}', '\u{201E}']) {
                return Template::hole();
            }
            let mut out = Template::default();
            let mut cursor = inner_start;
            for part in &s.parts {
                let span = part.span();
                if span.start < cursor || span.end > inner_end {
                    return Template::hole();
                }
                out.push(Template::text(text[cursor..span.start].to_owned()));
                let value = match part {
                    Expression::Variable(_) => template_at(cx, part, depth + 1),
                    _ => cx
                        .values
                        .evaluate(part)
                        .and_then(|v| cx.values.text_of(&v))
                        .map_or_else(Template::hole, Template::text),
                };
                out.push(value);
                cursor = span.end;
            }
            out.push(Template::text(text[cursor..inner_end].to_owned()));
            out
        }
        _ => Template::hole(),
    }
}

/// `'{0}/metadata/json/1' -f $x` as a template: `{n}` by the argument's template, `{{` and `}}`
/// as braces; anything else in braces (`{0:x}`) is a hole.
fn format_template(format: &str, argument: impl Fn(usize) -> Option<Template>) -> Template {
    let mut out = Template::default();
    let mut literal = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut inside = String::new();
                for d in chars.by_ref() {
                    if d == '}' {
                        break;
                    }
                    inside.push(d);
                }
                out.push(Template::text(std::mem::take(&mut literal)));
                let piece = inside
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(&argument)
                    .unwrap_or_else(Template::hole);
                out.push(piece);
            }
            _ => literal.push(c),
        }
    }
    out.push(Template::text(literal));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_strings_become_templates() {
        let t = format_template("https://h/{0}/metadata/json/{{1}}", |_| None);
        assert_eq!(t.flat(), format!("https://h/{HOLE}/metadata/json/{{1}}"));
        let t = format_template("{0}-{1}", |i| Some(Template::text(i.to_string())));
        assert_eq!(t.flat(), "0-1");
    }
}
