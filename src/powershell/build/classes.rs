//! Classes and enums: `class Name : Base { members }` with its properties and methods, and
//! `enum Name { Member = 1 }`.

use super::*;

impl Builder {
    pub(super) fn class_statement(&mut self, pair: Pair<'_, Rule>) -> R<TypeDefinition> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let mut attributes = Vec::new();
        while let Some(a) = kids.take(Rule::attribute) {
            attributes.push(self.attribute(a)?);
        }
        let name = self
            .next_pair(&mut kids, span, "class name")?
            .as_str()
            .to_string();
        let mut base_types = Vec::new();
        if let Some(bases) = kids.take(Rule::base_types) {
            for t in Kids::of(bases).pairs {
                if t.as_rule() == Rule::base_type {
                    base_types.push(self.type_spec(t)?);
                }
            }
        }
        let members = self.nested(span, |b| {
            let mut members = Vec::new();
            while let Some(m) = kids.take(Rule::class_member) {
                members.push(b.class_member(m, &name)?);
            }
            Ok(members)
        })?;
        Ok(TypeDefinition {
            span,
            name,
            attributes,
            base_types,
            members,
        })
    }

    pub(super) fn class_member(&mut self, pair: Pair<'_, Rule>, class_name: &str) -> R<Member> {
        let span = self.span(&pair);
        let mut attributes = Vec::new();
        let mut type_name: Option<TypeName> = None;
        let (mut is_static, mut is_hidden) = (false, false);
        let mut kids = Kids::of(pair);
        loop {
            match kids.peek_rule() {
                Some(Rule::attribute) => {
                    let a = self.next_pair(&mut kids, span, "attribute")?;
                    attributes.push(self.attribute(a)?);
                }
                Some(Rule::type_literal) => {
                    let t = self.next_pair(&mut kids, span, "type")?;
                    let tspan = self.span(&t);
                    if type_name.is_some() {
                        return Err(self.error(tspan, "a class member can have only one type"));
                    }
                    type_name = Some(self.type_literal_name(t)?);
                }
                Some(Rule::member_modifier) => {
                    let m = self.next_pair(&mut kids, span, "modifier")?;
                    if m.as_str().eq_ignore_ascii_case("static") {
                        is_static = true;
                    } else {
                        is_hidden = true;
                    }
                }
                _ => break,
            }
        }
        let body = self.next_pair(&mut kids, span, "class member")?;
        let bspan = self.span(&body);
        let mut bk = Kids::of(body.clone());
        if body.as_rule() == Rule::class_property {
            let var = self.next_pair(&mut bk, bspan, "property")?;
            let variable = self.variable(&var)?;
            let initial_value = if bk.peek_rule().is_some() {
                Some(self.expression(&mut bk)?)
            } else {
                None
            };
            return Ok(Member::Property(PropertyMember {
                span,
                name: variable.name,
                type_name,
                attributes,
                is_static,
                is_hidden,
                initial_value,
            }));
        }
        let name = self
            .next_pair(&mut bk, bspan, "method name")?
            .as_str()
            .to_string();
        let parameters = self.parameters(self.next_pair(&mut bk, bspan, "method parameters")?)?;
        let mut base_arguments = None;
        if let Some(base) = bk.take(Rule::base_call) {
            let bcspan = self.span(&base);
            let mut ck = Kids::of(base);
            base_arguments = Some(self.invoke_arguments(self.next_pair(
                &mut ck,
                bcspan,
                "base arguments",
            )?)?);
            if !name.eq_ignore_ascii_case(class_name) || is_static {
                return Err(self.error(bcspan, "only a constructor can call `base(...)`"));
            }
        }
        let void = type_name
            .as_ref()
            .is_none_or(|t| t.full_name.eq_ignore_ascii_case("void"))
            || name.eq_ignore_ascii_case(class_name);
        let (param_block, block_body) = self.nested(bspan, |b| {
            b.within(Scope::Method { void }, |b| b.block_contents(&mut bk))
        })?;
        if let Some(p) = &param_block {
            return Err(self.error(
                p.span,
                "a class method cannot have a param() block; declare its parameters in parentheses after its name",
            ));
        }
        if let Body::NamedBlocks(b) = &block_body
            && let Some(first) = b.blocks.first()
        {
            return Err(self.error(
                first.span,
                "a class method cannot have begin/process/end blocks",
            ));
        }
        Ok(Member::Method(MethodMember {
            span,
            name,
            return_type: type_name,
            attributes,
            is_static,
            is_hidden,
            parameters,
            base_arguments,
            body: ScriptBlock {
                span: bspan,
                param_block,
                body: block_body,
            },
        }))
    }

    pub(super) fn enum_statement(&mut self, pair: Pair<'_, Rule>) -> R<TypeDefinition> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let mut attributes = Vec::new();
        while let Some(a) = kids.take(Rule::attribute) {
            attributes.push(self.attribute(a)?);
        }
        let name = self
            .next_pair(&mut kids, span, "enum name")?
            .as_str()
            .to_string();
        let mut base_types = Vec::new();
        if let Some(t) = kids.take(Rule::type_spec) {
            base_types.push(self.type_spec(t)?);
        }
        let members = self.nested(span, |b| {
            let mut members = Vec::new();
            while let Some(m) = kids.take(Rule::enum_member) {
                let mspan = b.span(&m);
                let mut mk = Kids::of(m);
                let mname = b
                    .next_pair(&mut mk, mspan, "enum member")?
                    .as_str()
                    .to_string();
                let initial_value = if mk.peek_rule().is_some() {
                    Some(b.expression(&mut mk)?)
                } else {
                    None
                };
                members.push(Member::Property(PropertyMember {
                    span: mspan,
                    name: mname,
                    type_name: None,
                    attributes: Vec::new(),
                    is_static: true,
                    is_hidden: false,
                    initial_value,
                }));
            }
            Ok(members)
        })?;
        Ok(TypeDefinition {
            span,
            name,
            attributes,
            base_types,
            members,
        })
    }
}
