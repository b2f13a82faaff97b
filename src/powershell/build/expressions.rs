//! Expressions: operator chains with PowerShell's precedence, unary operators, casts and
//! attributes, primary values with member access and calls, hashtables, parenthesized pipelines and
//! subexpressions.

use super::*;

impl Builder {
    /// `operand (operator operand)* ternary?`, with PowerShell's precedence (all left-associative).
    pub(super) fn expression(&mut self, kids: &mut Kids<'_>) -> R<Expression> {
        // An operator chain is built in a loop and adds no depth: depth is brackets and blocks.
        let first = self.array_operand(kids)?;
        let mut result = match kids
            .take(Rule::binary_tail)
            .or_else(|| kids.take(Rule::binary_tail_nc))
        {
            None => first,
            Some(tail) => self.binary_chain(first, tail)?,
        };
        if let Some(t) = kids
            .take(Rule::ternary)
            .or_else(|| kids.take(Rule::ternary_nc))
        {
            let tspan = self.span(&t);
            let (if_true, if_false) = self.nested(tspan, |b| {
                let mut tk = Kids::of(t);
                Ok((b.expression(&mut tk)?, b.expression(&mut tk)?))
            })?;
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
    /// shunting-yard, in a loop however long the chain.
    pub(super) fn binary_chain(
        &mut self,
        first: Expression,
        tail: Pair<'_, Rule>,
    ) -> R<Expression> {
        let tspan = self.span(&tail);
        let mut kids = Kids::of(tail);
        let mut operands: Vec<Expression> = vec![first];
        let mut operators: Vec<(BinaryOperator, Span)> = Vec::new();
        while let Some(op_pair) = kids.take(Rule::binary_operator) {
            let op_span = self.span(&op_pair);
            let op = BinaryOperator::from_token(op_pair.as_str())
                .ok_or_else(|| internal(op_span, "operator"))?;
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
    pub(super) fn array_operand(&mut self, kids: &mut Kids<'_>) -> R<Expression> {
        let first = self.unary(kids)?;
        match kids.take(Rule::array_tail) {
            None => Ok(first),
            Some(tail) => {
                let tspan = self.span(&tail);
                let elements = self.nested(tspan, |b| {
                    let mut elements = vec![first];
                    let mut tk = Kids::of(tail);
                    while tk.peek_rule().is_some() {
                        elements.push(b.unary(&mut tk)?);
                    }
                    Ok(elements)
                })?;
                let span = Span::new(elements[0].span().start, tspan.end);
                Ok(Expression::Array(Box::new(ArrayLiteral { span, elements })))
            }
        }
    }

    pub(super) fn unary(&mut self, kids: &mut Kids<'_>) -> R<Expression> {
        with_stack(|| self.unary_here(kids))
    }

    pub(super) fn unary_here(&mut self, kids: &mut Kids<'_>) -> R<Expression> {
        let pair = kids
            .next()
            .ok_or_else(|| internal(Span::default(), "end of expression"))?;
        let span = self.span(&pair);
        let expr = self.nested(span, |b| {
            let expr = match pair.as_rule() {
                Rule::signed_number => b.number(&pair),
                Rule::unary_operator | Rule::unary_operator_nc => {
                    let operator = UnaryOperator::from_token(pair.as_str());
                    let operand = b.unary(kids)?;
                    if matches!(
                        operator,
                        UnaryOperator::PreIncrement | UnaryOperator::PreDecrement
                    ) {
                        check_assignable(&operand, false).map_err(|(s, _)| {
                            b.error(
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
                Rule::cast_expression => b.cast_expression(pair)?,
                Rule::expr_value => b.value(pair)?,
                _ => return Err(internal(span, "operand")),
            };
            let expr = match kids.take(Rule::postfix_operator) {
                None => expr,
                Some(op) => {
                    let ospan = b.span(&op);
                    check_assignable(&expr, false).map_err(|(s, _)| {
                        b.error(
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
            Ok(expr)
        })?;
        Ok(expr)
    }

    /// `[a][b()]operand`, `[T]::Member`, `[T]`.
    pub(super) fn cast_expression(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
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
        let expr = self.nested_by(n + 1, span, |b| {
            let mut built: Vec<(bool, Span, Option<TypeName>, Option<Attribute>)> = Vec::new();
            for item in items {
                let ispan = b.span(&item);
                if item.as_rule() == Rule::attribute {
                    built.push((true, ispan, None, Some(b.attribute(item)?)));
                } else {
                    built.push((false, ispan, Some(b.type_literal_name(item)?), None));
                }
            }
            let last = built.pop().ok_or_else(|| internal(span, "cast"))?;
            let mut expr = if !postfix.is_empty() {
                let (is_attr, lspan, type_name, _) = last;
                let type_name = match (is_attr, type_name) {
                    (false, Some(t)) => t,
                    _ => {
                        return Err(b.error(
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
                    target = b.postfix(target, p)?;
                }
                if let Some(operand_pair) = kids.next() {
                    return Err(b.error(
                        b.span(&operand_pair),
                        "unexpected value after a type's member; put an operator or a newline between them",
                    ));
                }
                target
            } else {
                let operand = match kids.next() {
                    None => None,
                    Some(op_pair) => {
                        let mut ok = Kids::of(op_pair);
                        Some(b.unary(&mut ok)?)
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
                        return Err(b.error(
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
                return Err(b.error(
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
            Ok(expr)
        })?;
        check_attributed(&expr).map_err(|(s, m)| self.error(s, m))?;
        Ok(expr)
    }

    /// A primary value with its member access (`expr_value` or `cmd_value`).
    pub(super) fn value(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
        let span = self.span(&pair);
        let mut kids = pair.into_inner();
        let n = kids.len();
        self.nested_by(n, span, |b| {
            let first = kids.next().ok_or_else(|| internal(span, "value"))?;
            let mut expr = b.primary(first)?;
            for p in kids {
                expr = b.postfix(expr, p)?;
            }
            Ok(expr)
        })
    }

    pub(super) fn primary(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
        with_stack(|| self.primary_here(pair))
    }

    pub(super) fn primary_here(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
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
                let pipeline = self.nested(span, |b| {
                    let mut kids = Kids::of(pair);
                    b.pipeline_chain(b.next_pair(&mut kids, span, "parenthesized pipeline")?)
                })?;
                Expression::Paren(Box::new(ParenExpression { span, pipeline }))
            }
            Rule::subexpression | Rule::array_expression => {
                let rule = pair.as_rule();
                let statements = self.nested(span, |b| b.statements(&mut Kids::of(pair)))?;
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

    pub(super) fn hashtable(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
        let span = self.span(&pair);
        let entries = self.nested(span, |b| {
            let mut entries: Vec<HashEntry> = Vec::new();
            let mut keys = SeenNames::default();
            for entry in Kids::of(pair).pairs {
                if entry.as_rule() != Rule::hash_entry {
                    continue;
                }
                let espan = b.span(&entry);
                let mut ek = Kids::of(entry);
                let key = if let Some(name) = ek.take(Rule::label_name) {
                    Expression::String(Box::new(StringLiteral {
                        span: b.span(&name),
                        value: name.as_str().to_string(),
                        quote: QuoteKind::Bare,
                    }))
                } else {
                    b.unary(&mut ek)?
                };
                if let Some(k) = constant_key(&key)
                    && !keys.first(k)
                {
                    return Err(b.error(
                        key.span(),
                        format!("the key `{k}` appears twice in the hashtable"),
                    ));
                }
                if ek.peek_rule().is_none() {
                    return Err(b.error(espan, "missing value after `=` in the hashtable"));
                }
                let value = b.statement(&mut ek)?;
                entries.push(HashEntry { key, value });
            }
            Ok(entries)
        })?;
        Ok(Expression::Hashtable(Box::new(Hashtable { span, entries })))
    }

    /// Member access, index or call applied to `target`.
    pub(super) fn postfix(&mut self, target: Expression, pair: Pair<'_, Rule>) -> R<Expression> {
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

    pub(super) fn invoke_arguments(&mut self, pair: Pair<'_, Rule>) -> R<Vec<Expression>> {
        let span = self.span(&pair);
        self.nested(span, |b| {
            let mut kids = Kids::of(pair);
            let mut out = Vec::new();
            while kids.peek_rule().is_some() {
                out.push(b.expression(&mut kids)?);
            }
            Ok(out)
        })
    }
}

/// Reduces the top operator of the shunting-yard stacks.
pub(super) fn reduce(operands: &mut Vec<Expression>, operators: &mut Vec<(BinaryOperator, Span)>) {
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
