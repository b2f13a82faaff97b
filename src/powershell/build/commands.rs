//! Pipelines and commands: pipeline chains (`&&`, `||`), pipelines, assignments, redirections,
//! and commands with their parameters and arguments (which argument is a parameter's value).

use super::*;

impl Builder {
    pub(super) fn pipeline_chain(&mut self, pair: Pair<'_, Rule>) -> R<Statement> {
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
                    let operator = ChainOperator::from_token(p.as_str());
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

    pub(super) fn pipeline(&mut self, pair: Pair<'_, Rule>) -> R<Pipeline> {
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

    pub(super) fn assignment(
        &mut self,
        span: Span,
        target: Expression,
        tail: Pair<'_, Rule>,
    ) -> R<Statement> {
        let tspan = self.span(&tail);
        let mut kids = Kids::of(tail);
        let op = self.next_pair(&mut kids, tspan, "assignment operator")?;
        let operator = AssignmentOperator::from_token(op.as_str());
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

    pub(super) fn redirections(&mut self, kids: &mut Kids<'_>) -> R<Vec<Redirection>> {
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

    pub(super) fn redirection(&mut self, pair: Pair<'_, Rule>) -> R<Redirection> {
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

    pub(super) fn command(&mut self, pair: Pair<'_, Rule>) -> R<Command> {
        let span = self.span(&pair);
        self.nested(span, |b| b.command_here(pair, span))
    }

    /// [`Builder::command`], one level deeper.
    fn command_here(&mut self, pair: Pair<'_, Rule>, span: Span) -> R<Command> {
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

    pub(super) fn argument_list(
        &mut self,
        head: Expression,
        tail: Pair<'_, Rule>,
    ) -> R<Expression> {
        let tspan = self.span(&tail);
        let elements = self.nested(tspan, |b| {
            let mut elements = vec![head];
            for t in Kids::of(tail).pairs {
                elements.push(b.command_token(t)?);
            }
            Ok(elements)
        })?;
        let span = Span::new(elements[0].span().start, tspan.end);
        Ok(Expression::Array(Box::new(ArrayLiteral { span, elements })))
    }

    pub(super) fn parameter_element(&mut self, pair: Pair<'_, Rule>) -> R<CommandParameter> {
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
    pub(super) fn command_token(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
        match pair.as_rule() {
            Rule::cmd_value => self.value(pair),
            Rule::number_token | Rule::cmd_number => Ok(self.number(&pair)),
            Rule::generic_token => self.generic_token(pair),
            _ => Err(internal(self.span(&pair), "command argument")),
        }
    }

    /// A bare word; expandable when it holds `$variables` or `$(subexpressions)`.
    pub(super) fn generic_token(&mut self, pair: Pair<'_, Rule>) -> R<Expression> {
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
}

pub(super) fn stream_from_digit(d: u8) -> Stream {
    match d {
        b'1' => Stream::Output,
        b'2' => Stream::Error,
        b'3' => Stream::Warning,
        b'4' => Stream::Verbose,
        b'5' => Stream::Debug,
        _ => Stream::Information,
    }
}

pub(super) fn stream_name(s: Stream) -> &'static str {
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

pub(super) fn redirection_span(r: &Redirection) -> Span {
    match r {
        Redirection::File(f) => f.span,
        Redirection::Merge(m) => m.span,
    }
}

pub(super) fn command_element_span(e: &CommandElement) -> Span {
    match e {
        CommandElement::Parameter(p) => p.span,
        CommandElement::Argument(a) => a.span(),
        CommandElement::Verbatim(v) => v.span,
        CommandElement::EndOfParameters(d) => d.span,
    }
}

pub(super) fn element_span(e: &PipelineElement) -> Span {
    match e {
        PipelineElement::Command(c) => c.span,
        PipelineElement::Expression(x) => x.span,
    }
}
