//! Parameters and types: param blocks, the parameters of a function or method, attributes
//! (`[Parameter(Mandatory)]`) and type names (`[System.Collections.Generic.List[string]]`).

use super::*;

impl Builder {
    pub(super) fn param_block(&mut self, pair: Pair<'_, Rule>) -> R<ParamBlock> {
        let span = self.span(&pair);
        self.nested(span, |b| {
            let mut attributes = Vec::new();
            let mut parameters = Vec::new();
            for p in Kids::of(pair).pairs {
                match p.as_rule() {
                    Rule::attribute => attributes.push(b.attribute(p)?),
                    Rule::parameter => parameters.push(b.parameter(p)?),
                    _ => return Err(internal(span, "part of a param block")),
                }
            }
            b.check_duplicate_parameters(&parameters)?;
            Ok(ParamBlock {
                span,
                attributes,
                parameters,
            })
        })
    }

    pub(super) fn parameters(&mut self, pair: Pair<'_, Rule>) -> R<Vec<Parameter>> {
        let mut out = Vec::new();
        for p in Kids::of(pair).pairs {
            if p.as_rule() == Rule::parameter {
                out.push(self.parameter(p)?);
            }
        }
        self.check_duplicate_parameters(&out)?;
        Ok(out)
    }

    pub(super) fn parameter(&mut self, pair: Pair<'_, Rule>) -> R<Parameter> {
        let span = self.span(&pair);
        self.nested(span, |b| {
            let mut kids = Kids::of(pair);
            let mut attributes = Vec::new();
            loop {
                match kids.peek_rule() {
                    Some(Rule::attribute) => {
                        let p = b.next_pair(&mut kids, span, "attribute")?;
                        attributes.push(AttributeOrType::Attribute(b.attribute(p)?));
                    }
                    Some(Rule::type_literal) => {
                        let p = b.next_pair(&mut kids, span, "type")?;
                        attributes.push(AttributeOrType::Type(b.type_constraint(p)?));
                    }
                    _ => break,
                }
            }
            let var = b.next_pair(&mut kids, span, "parameter variable")?;
            let variable = b.variable(&var)?;
            let default = if kids.peek_rule().is_some() {
                Some(b.expression(&mut kids)?)
            } else {
                None
            };
            Ok(Parameter {
                span,
                attributes,
                variable,
                default,
            })
        })
    }

    pub(super) fn attribute(&mut self, pair: Pair<'_, Rule>) -> R<Attribute> {
        let span = self.span(&pair);
        self.nested(span, |b| {
            let mut kids = Kids::of(pair);
            let type_name = b.type_spec(b.next_pair(&mut kids, span, "attribute name")?)?;
            let mut positional = Vec::new();
            let mut named: Vec<NamedArgument> = Vec::new();
            let mut names = SeenNames::default();
            if let Some(args) = kids.take(Rule::attribute_arguments) {
                for arg in Kids::of(args).pairs {
                    if arg.as_rule() != Rule::attribute_argument {
                        continue;
                    }
                    let arg_span = b.span(&arg);
                    let mut ak = Kids::of(arg);
                    if let Some(name) = ak.take(Rule::attribute_argument_name) {
                        let value = if ak.peek_rule().is_some() {
                            Some(b.expression(&mut ak)?)
                        } else {
                            None
                        };
                        let name = name.as_str().to_string();
                        if !names.first(&name) {
                            return Err(b.error(
                                arg_span,
                                format!(
                                    "the named argument `{name}` is given twice in the attribute"
                                ),
                            ));
                        }
                        named.push(NamedArgument {
                            span: arg_span,
                            name,
                            value,
                        });
                    } else {
                        positional.push(b.expression(&mut ak)?);
                    }
                }
            }
            Ok(Attribute {
                span,
                type_name,
                positional,
                named,
            })
        })
    }

    pub(super) fn type_constraint(&mut self, pair: Pair<'_, Rule>) -> R<TypeConstraint> {
        let span = self.span(&pair);
        let mut kids = Kids::of(pair);
        let type_name = self.type_spec(self.next_pair(&mut kids, span, "type name")?)?;
        Ok(TypeConstraint { span, type_name })
    }

    /// The type inside a `type_literal` pair.
    pub(super) fn type_literal_name(&mut self, pair: Pair<'_, Rule>) -> R<TypeName> {
        Ok(self.type_constraint(pair)?.type_name)
    }

    pub(super) fn type_spec(&mut self, pair: Pair<'_, Rule>) -> R<TypeName> {
        let span = self.span(&pair);
        self.nested(span, |b| {
            let full_name: String = pair.as_str().chars().filter(|c| !is_space(*c)).collect();
            let mut name = String::new();
            let mut generic_arguments = Vec::new();
            let mut array_ranks = Vec::new();
            let mut assembly = None;
            for p in Kids::of(pair).pairs {
                match p.as_rule() {
                    Rule::type_name => name = p.as_str().to_string(),
                    Rule::generic_arguments => {
                        for a in Kids::of(p).pairs {
                            if a.as_rule() == Rule::generic_argument {
                                generic_arguments.push(b.generic_argument(a)?);
                            }
                        }
                    }
                    Rule::array_rank => {
                        array_ranks.push(1 + p.as_str().matches(',').count() as u32)
                    }
                    Rule::assembly_spec => {
                        assembly = Some(p.as_str()[1..].trim().to_string());
                    }
                    _ => {}
                }
            }
            Ok(TypeName {
                span,
                full_name,
                name,
                generic_arguments,
                array_ranks,
                assembly,
            })
        })
    }

    /// A generic argument: `[T, Asm]` or `T[]`.
    pub(super) fn generic_argument(&mut self, pair: Pair<'_, Rule>) -> R<TypeName> {
        let span = self.span(&pair);
        let text = pair.as_str();
        let mut kids = Kids::of(pair.clone());
        if kids.peek_rule() == Some(Rule::type_spec) {
            let p = self.next_pair(&mut kids, span, "type")?;
            return self.type_spec(p);
        }
        // `type_name type_suffix*` directly inside the argument.
        self.nested(span, |b| {
            let mut out = TypeName {
                span,
                full_name: text.chars().filter(|c| !is_space(*c)).collect(),
                name: String::new(),
                generic_arguments: Vec::new(),
                array_ranks: Vec::new(),
                assembly: None,
            };
            for p in kids.pairs {
                match p.as_rule() {
                    Rule::type_name => out.name = p.as_str().to_string(),
                    Rule::generic_arguments => {
                        for a in Kids::of(p).pairs {
                            if a.as_rule() == Rule::generic_argument {
                                out.generic_arguments.push(b.generic_argument(a)?);
                            }
                        }
                    }
                    Rule::array_rank => out
                        .array_ranks
                        .push(1 + p.as_str().matches(',').count() as u32),
                    _ => {}
                }
            }
            Ok(out)
        })
    }
}
