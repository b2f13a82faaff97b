//! Statements: the dispatch on the statement's rule, `if`, `switch`, `foreach`, `for`, loops,
//! functions, `return`/`throw`/`exit`, `break`/`continue`, `trap`, `try`, `data`, `using`.

use super::*;

impl Builder {
    pub(super) fn statement(&mut self, kids: &mut Kids<'_>) -> R<Statement> {
        let pair = kids
            .next()
            .ok_or_else(|| internal(Span::default(), "end of statements"))?;
        let span = self.span(&pair);
        self.nested(span, |b| {
            if pair.as_rule() == Rule::loop_label {
                let label = pair.as_str()[1..].to_string();
                let loop_pair = b.next_pair(kids, span, "labeled loop")?;
                b.statement_pair(loop_pair, Some(label))
            } else {
                b.statement_pair(pair, None)
            }
        })
    }

    pub(super) fn statement_pair(
        &mut self,
        pair: Pair<'_, Rule>,
        label: Option<String>,
    ) -> R<Statement> {
        with_stack(|| self.statement_pair_here(pair, label))
    }

    pub(super) fn statement_pair_here(
        &mut self,
        pair: Pair<'_, Rule>,
        label: Option<String>,
    ) -> R<Statement> {
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
                let body = self.within(Scope::Block, |b| {
                    b.statement_block(b.next_pair(&mut kids, span, "trap body")?)
                })?;
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

    pub(super) fn if_statement(&mut self, pair: Pair<'_, Rule>) -> R<IfStatement> {
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

    pub(super) fn switch_statement(
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

    pub(super) fn foreach_statement(
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
                .take_while(|c| !is_space(*c) && *c != ':')
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

    pub(super) fn for_statement(
        &mut self,
        pair: Pair<'_, Rule>,
        label: Option<String>,
    ) -> R<ForStatement> {
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

    pub(super) fn function(&mut self, pair: Pair<'_, Rule>) -> R<FunctionDefinition> {
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
        let (param_block, body) = self.nested(span, |b| {
            b.within(Scope::Block, |b| b.block_contents(&mut kids))
        })?;
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

    pub(super) fn flow(&mut self, pair: Pair<'_, Rule>) -> R<FlowStatement> {
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

    pub(super) fn jump(&mut self, pair: Pair<'_, Rule>) -> R<JumpStatement> {
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

    pub(super) fn try_statement(&mut self, pair: Pair<'_, Rule>) -> R<TryStatement> {
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
                let block = self.within(Scope::Finally, |b| {
                    b.statement_block(b.next_pair(&mut fk, pspan, "finally body")?)
                })?;
                finally = Some(block);
            }
        }
        Ok(TryStatement {
            span,
            body,
            catches,
            finally,
        })
    }

    pub(super) fn data_statement(&mut self, pair: Pair<'_, Rule>) -> R<DataStatement> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let name = kids.take(Rule::label_name).map(|p| p.as_str().to_string());
        let mut supported_commands = Vec::new();
        if let Some(cmds) = kids.take(Rule::data_commands) {
            let cspan = self.span(&cmds);
            let text = cmds.as_str();
            let pname: String = text[text.chars().next().map_or(1, char::len_utf8)..]
                .chars()
                .take_while(|c| !is_space(*c) && *c != ':')
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

    pub(super) fn using_statement(&mut self, pair: Pair<'_, Rule>) -> R<UsingStatement> {
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
}

/// The offset of the `{` that opens a body, skipping white space, newlines and comments.
pub(super) fn brace_after_gap(text: &str) -> Option<usize> {
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
