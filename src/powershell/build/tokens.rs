//! Tokens: variables (`$name`, `${name}`, `@splat`), numbers, and expandable strings and bare
//! words with their `$variable` and `$( )` parts.

use super::*;

impl Builder {
    pub(super) fn variable(&mut self, pair: &Pair<'_, Rule>) -> R<Variable> {
        let span = self.span(pair);
        self.variable_text(pair.as_str(), span)
    }

    /// A variable from its text (`$name`, `${name}`, `@name`).
    pub(super) fn variable_text(&mut self, raw: &str, span: Span) -> R<Variable> {
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

    pub(super) fn number(&self, pair: &Pair<'_, Rule>) -> Expression {
        Expression::Number(Box::new(NumberLiteral {
            span: self.span(pair),
            text: pair.as_str().to_string(),
        }))
    }

    /// `"..."` or `@"..."@`.
    pub(super) fn expandable_string(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
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
    pub(super) fn expandable_parts(
        &mut self,
        raw: &str,
        base: usize,
        ranges: &[(usize, usize)],
        here: bool,
    ) -> R<Vec<Expression>> {
        let outer = Span::new(self.offset(base), self.offset(base + raw.len()));
        self.nested(outer, |b| {
            let mut parts = Vec::new();
            for &(s, e) in ranges {
                let part = &raw[s..e];
                let span = Span::new(b.offset(base + s), b.offset(base + e));
                if part.starts_with("$(") {
                    parts.push(b.string_subexpression(part, base + s, span, here)?);
                } else {
                    parts.push(Expression::Variable(Box::new(b.variable_text(part, span)?)));
                }
            }
            Ok(parts)
        })
    }

    /// `$( ... )` inside a string: PowerShell cut it out by counting parentheses (and, outside
    /// here-strings, turned `""` and `` `" `` into `"`); parse that text on its own.
    pub(super) fn string_subexpression(
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
        let inner_pairs = syntax_error::parse_string_subexpression(&inner, |pos| match &map {
            OffsetMap::Shift(n) => pos + n,
            OffsetMap::Table(t) => t.get(pos).copied().unwrap_or(span.end),
        })?;
        let saved = std::mem::replace(&mut self.map, map);
        let body = inner_pairs
            .into_iter()
            .next()
            .ok_or_else(|| internal(span, "subexpression"));
        let result = body.and_then(|pair| self.nested(span, |b| b.statements(&mut Kids::of(pair))));
        self.map = saved;
        Ok(Expression::SubExpression(Box::new(StatementsExpression {
            span,
            statements: result?,
        })))
    }
}
