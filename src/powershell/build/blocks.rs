//! Blocks: the param block and body of a script block, named blocks (`begin`, `process`...),
//! `{ statements }` blocks and loop bodies (where `break` and `continue` stop).

use super::*;

impl Builder {
    /// The param block and body of a script or script block.
    pub(super) fn block_contents(&mut self, kids: &mut Kids<'_>) -> R<(Option<ParamBlock>, Body)> {
        let param_block = match kids.take(Rule::param_block) {
            Some(p) => Some(self.param_block(p)?),
            None => None,
        };
        let body = if kids.peek_rule() == Some(Rule::named_block) {
            let mut blocks = Vec::new();
            let mut seen: Vec<BlockKind> = Vec::new();
            while let Some(p) = kids.take(Rule::named_block) {
                let block = self.named_block(p)?;
                if seen.contains(&block.kind) {
                    return Err(self.error(
                        block.span,
                        format!(
                            "the `{}` block is defined twice in the same script block",
                            block_kind_name(block.kind)
                        ),
                    ));
                }
                seen.push(block.kind);
                blocks.push(block);
            }
            Body::NamedBlocks(NamedBlocks { blocks })
        } else {
            Body::Statements(StatementList {
                statements: self.statements(kids)?,
            })
        };
        Ok((param_block, body))
    }

    pub(crate) fn named_block(&mut self, pair: Pair<'_, Rule>) -> R<NamedBlock> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let name = self.next_pair(&mut kids, span, "named block")?;
        let kind = match name.as_str().to_ascii_lowercase().as_str() {
            "begin" => BlockKind::Begin,
            "process" => BlockKind::Process,
            "end" => BlockKind::End,
            "dynamicparam" => BlockKind::DynamicParam,
            _ => BlockKind::Clean,
        };
        let body = self.within(Scope::Block, |b| {
            b.statement_block(b.next_pair(&mut kids, span, "block")?)
        })?;
        Ok(NamedBlock { span, kind, body })
    }

    pub(super) fn statement_block(&mut self, pair: Pair<'_, Rule>) -> R<StatementBlock> {
        let span = self.span(&pair);
        let statements = self.nested(span, |b| b.statements(&mut Kids::of(pair)))?;
        Ok(StatementBlock { span, statements })
    }

    /// The body of a loop or switch, where `break` and `continue` stop.
    pub(super) fn loop_body(
        &mut self,
        pair: Pair<'_, Rule>,
        label: &Option<String>,
    ) -> R<StatementBlock> {
        self.within(Scope::Loop(label.clone()), |b| b.statement_block(pair))
    }

    pub(super) fn statements(&mut self, kids: &mut Kids<'_>) -> R<Vec<Statement>> {
        let mut out = Vec::new();
        while kids.peek_rule().is_some() {
            out.push(self.statement(kids)?);
        }
        Ok(out)
    }

    pub(super) fn script_block(&mut self, pair: Pair<'_, Rule>) -> R<ScriptBlock> {
        let span = self.span(&pair);
        let (param_block, body) = self.nested(span, |b| {
            b.within(Scope::Block, |b| b.block_contents(&mut Kids::of(pair)))
        })?;
        Ok(ScriptBlock {
            span,
            param_block,
            body,
        })
    }
}

pub(super) fn block_kind_name(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Begin => "begin",
        BlockKind::Process => "process",
        BlockKind::End => "end",
        BlockKind::DynamicParam => "dynamicparam",
        BlockKind::Clean => "clean",
    }
}
