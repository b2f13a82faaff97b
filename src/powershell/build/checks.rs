//! The checks PowerShell makes while parsing that the grammar cannot express: splatting only as
//! a whole command argument, `break`/`continue`/`return` not leaving a `finally` block, parameters
//! declared once, what may be assigned to, what an attribute may apply to.

use std::collections::HashSet;

use super::*;

/// The names already given in one list (hashtable keys, parameters, named arguments of an
/// attribute), compared as the builder compares them: ignoring ASCII case. Checking a list is
/// linear in its length.
#[derive(Default)]
pub(super) struct SeenNames(HashSet<String>);

impl SeenNames {
    /// Whether `name` is given for the first time (it is now seen).
    pub(super) fn first(&mut self, name: &str) -> bool {
        self.0.insert(name.to_ascii_lowercase())
    }
}

impl Builder {
    /// Checks that need the whole script: splatting only as a command argument.
    pub(crate) fn finish(&self) -> R<()> {
        let allowed: HashSet<&Span> = self.splats_allowed.iter().collect();
        for splat in &self.splats {
            if !allowed.contains(splat) {
                return Err(self.error(
                    *splat,
                    "splatting (`@name`) can only pass a whole hashtable or array to a command as an argument; \
                     use `$name` to refer to the variable in an expression",
                ));
            }
        }
        Ok(())
    }

    /// PowerShell's check that `break`, `continue` (`label`: `Some("")` without a label, `None`
    /// for a label that is not a constant) and `return` (`label`: `None`) do not leave a `finally`
    /// block.
    pub(super) fn check_flow_out_of_finally(
        &self,
        span: Span,
        what: &str,
        label: Option<&str>,
    ) -> R<()> {
        for scope in self.scopes.iter().rev() {
            match scope {
                Scope::Block | Scope::Method { .. } => return Ok(()),
                Scope::Loop(loop_label) => {
                    if let Some(l) = label
                        && (l.is_empty()
                            || loop_label
                                .as_deref()
                                .is_some_and(|ll| ll.eq_ignore_ascii_case(l)))
                    {
                        return Ok(());
                    }
                }
                Scope::Finally => {
                    return Err(self.error(
                        span,
                        format!("`{what}` cannot leave a finally block: a finally block must run to its end"),
                    ));
                }
            }
        }
        Ok(())
    }

    pub(super) fn check_duplicate_parameters(&self, parameters: &[Parameter]) -> R<()> {
        let mut seen = SeenNames::default();
        for p in parameters {
            if !seen.first(&p.variable.name) {
                return Err(self.error(
                    p.variable.span,
                    format!("the parameter `${}` is declared twice", p.variable.name),
                ));
            }
        }
        Ok(())
    }

    /// Splatting (`@args`) is allowed only as a whole command argument.
    pub(super) fn check_splats_in_arguments(&self, elements: &[CommandElement]) -> R<()> {
        for e in elements {
            let arrays: Vec<&Expression> = match e {
                CommandElement::Argument(Expression::Array(a)) => a.elements.iter().collect(),
                CommandElement::Parameter(CommandParameter {
                    value: Some(Expression::Array(a)),
                    ..
                }) => a.elements.iter().collect(),
                _ => Vec::new(),
            };
            for item in arrays {
                if let Expression::Variable(v) = item
                    && v.splatted
                {
                    return Err(self.error(
                            v.span,
                            format!("a splatted variable like `@{}` cannot be part of a comma-separated list of arguments", v.name),
                        ));
                }
            }
        }
        Ok(())
    }
}

/// The key of a hashtable entry when it is a constant (a word, a string or a number).
pub(super) fn constant_key(key: &Expression) -> Option<&str> {
    match key {
        Expression::String(s) => Some(&s.value),
        Expression::Number(n) => Some(&n.text),
        _ => None,
    }
}

/// Whether an expression can be assigned to (PowerShell's rule for `=`, `+=`, `++`): a variable,
/// a member, a method call (a parameterized property) or an index (not `?.`/`?[`), a cast or attribute around one, one in parentheses;
/// for `=` also an array of those.
pub(super) fn check_assignable(target: &Expression, simple: bool) -> Result<(), (Span, String)> {
    const MESSAGE: &str = "this cannot be assigned to: the left side of an assignment must be a variable, a property or an array element (for example `$x`, `$obj.Name`, `$list[0]`)";
    let bad = || Err((target.span(), MESSAGE.to_string()));
    match target {
        Expression::Variable(v) if !v.splatted => Ok(()),
        Expression::Member(m) if !m.null_conditional => Ok(()),
        Expression::Index(i) if !i.null_conditional => Ok(()),
        // A parameterized property: `$row.Item('Name') = 1`, `$sheet.Cells.Item(1, 2) = 'x'`.
        Expression::Invoke(i) if !i.null_conditional => Ok(()),
        Expression::Convert(c) => {
            if c.type_name.full_name.eq_ignore_ascii_case("void") {
                return Err((
                    c.span,
                    "a variable cannot be constrained to [void]".to_string(),
                ));
            }
            check_assignable(&c.operand, simple)
        }
        Expression::Attributed(a) => check_assignable(&a.operand, simple),
        Expression::Paren(p) => match &p.pipeline {
            Statement::Pipeline(pl) if pl.elements.len() == 1 && !pl.background => {
                match &pl.elements[0] {
                    PipelineElement::Expression(e) if e.redirections.is_empty() => {
                        check_assignable(&e.expression, simple)
                    }
                    _ => bad(),
                }
            }
            _ => bad(),
        },
        Expression::Array(a) if simple => {
            for e in &a.elements {
                check_assignable(e, true)?;
            }
            Ok(())
        }
        _ => bad(),
    }
}

/// PowerShell accepts an attribute (not a type) in front of a value only when it ends up on a
/// variable (`[ValidateNotNull()][string]$x = ...`).
pub(super) fn check_attributed(expr: &Expression) -> Result<(), (Span, String)> {
    let Expression::Attributed(first) = expr else {
        return Ok(());
    };
    let mut e = expr;
    loop {
        match e {
            Expression::Attributed(a) => e = &a.operand,
            Expression::Convert(c) => e = &c.operand,
            Expression::Variable(_) => return Ok(()),
            _ => {
                return Err((
                    first.attribute.span,
                    format!(
                        "the attribute `[{}(...)]` can only be applied to a variable",
                        first.attribute.type_name.full_name
                    ),
                ));
            }
        }
    }
}
