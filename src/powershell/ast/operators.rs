//! The operators of expressions and pipelines, each beside its table: how it is written, how the
//! grammar's token reads as it, and (binary operators) its precedence. The AST serializes an
//! operator as it is written (`"-ceq"`, `"+="`, `"&&"`).

use serde::Serialize;

use crate::powershell::chars::{DASHES, is_dash};

/// `&&` or `||`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ChainOperator {
    #[serde(rename = "&&")]
    And,
    #[serde(rename = "||")]
    Or,
}

impl ChainOperator {
    /// The operator as PowerShell writes it.
    pub fn text(self) -> &'static str {
        match self {
            ChainOperator::And => "&&",
            ChainOperator::Or => "||",
        }
    }

    /// The operator of a `chain_operator` token (`&&` or `||`).
    pub(crate) fn from_token(text: &str) -> ChainOperator {
        if text.ends_with("&&") {
            ChainOperator::And
        } else {
            ChainOperator::Or
        }
    }
}

/// An assignment operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AssignmentOperator {
    #[serde(rename = "=")]
    Assign,
    #[serde(rename = "+=")]
    Add,
    #[serde(rename = "-=")]
    Subtract,
    #[serde(rename = "*=")]
    Multiply,
    #[serde(rename = "/=")]
    Divide,
    #[serde(rename = "%=")]
    Remainder,
    #[serde(rename = "??=")]
    Coalesce,
}

/// Every assignment operator and how it is written (`-=` may also be written with any of
/// [`DASHES`]).
const ASSIGNMENT_OPERATORS: [(AssignmentOperator, &str); 7] = [
    (AssignmentOperator::Assign, "="),
    (AssignmentOperator::Add, "+="),
    (AssignmentOperator::Subtract, "-="),
    (AssignmentOperator::Multiply, "*="),
    (AssignmentOperator::Divide, "/="),
    (AssignmentOperator::Remainder, "%="),
    (AssignmentOperator::Coalesce, "??="),
];

impl AssignmentOperator {
    /// The operator as PowerShell writes it.
    pub fn text(self) -> &'static str {
        spelling(&ASSIGNMENT_OPERATORS, self).unwrap_or("=")
    }

    /// The operator of an `assignment_operator` token: one of the table, or `-=` with another
    /// dash.
    pub(crate) fn from_token(text: &str) -> AssignmentOperator {
        operator_of(&ASSIGNMENT_OPERATORS, text).unwrap_or(AssignmentOperator::Subtract)
    }
}

/// A binary operator, with its case variant (`-ieq`, `-ceq`) kept apart. Serializes as written
/// in PowerShell (`"-eq"`, `"+"`, `".."`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOperator {
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Range,
    Format,
    Coalesce,
    And,
    Or,
    Xor,
    Band,
    Bor,
    Bxor,
    Shl,
    Shr,
    Is,
    IsNot,
    As,
    /// A comparison operator such as `-eq`, `-like`, `-match`, `-replace`, `-split`, `-join`.
    Comparison(ComparisonOperator, Case),
}

/// The binary operators written as symbols, and how (`-` may also be written with any of
/// [`DASHES`]).
const SYMBOL_OPERATORS: [(BinaryOperator, &str); 7] = [
    (BinaryOperator::Add, "+"),
    (BinaryOperator::Subtract, "-"),
    (BinaryOperator::Multiply, "*"),
    (BinaryOperator::Divide, "/"),
    (BinaryOperator::Remainder, "%"),
    (BinaryOperator::Range, ".."),
    (BinaryOperator::Coalesce, "??"),
];

/// The binary operators written as a word after a dash, other than the comparisons, and their
/// word (case-insensitive; they have no `i`/`c` variants).
const WORD_OPERATORS: [(BinaryOperator, &str); 12] = [
    (BinaryOperator::And, "and"),
    (BinaryOperator::Or, "or"),
    (BinaryOperator::Xor, "xor"),
    (BinaryOperator::Band, "band"),
    (BinaryOperator::Bor, "bor"),
    (BinaryOperator::Bxor, "bxor"),
    (BinaryOperator::Shl, "shl"),
    (BinaryOperator::Shr, "shr"),
    (BinaryOperator::Is, "is"),
    (BinaryOperator::IsNot, "isnot"),
    (BinaryOperator::As, "as"),
    (BinaryOperator::Format, "f"),
];

/// The comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComparisonOperator {
    Eq,
    Ne,
    Ge,
    Gt,
    Lt,
    Le,
    Like,
    NotLike,
    Match,
    NotMatch,
    Replace,
    Contains,
    NotContains,
    In,
    NotIn,
    Split,
    Join,
}

/// Every comparison operator and its word, without dash or case prefix.
const COMPARISON_OPERATORS: [(ComparisonOperator, &str); 17] = [
    (ComparisonOperator::Eq, "eq"),
    (ComparisonOperator::Ne, "ne"),
    (ComparisonOperator::Ge, "ge"),
    (ComparisonOperator::Gt, "gt"),
    (ComparisonOperator::Lt, "lt"),
    (ComparisonOperator::Le, "le"),
    (ComparisonOperator::Like, "like"),
    (ComparisonOperator::NotLike, "notlike"),
    (ComparisonOperator::Match, "match"),
    (ComparisonOperator::NotMatch, "notmatch"),
    (ComparisonOperator::Replace, "replace"),
    (ComparisonOperator::Contains, "contains"),
    (ComparisonOperator::NotContains, "notcontains"),
    (ComparisonOperator::In, "in"),
    (ComparisonOperator::NotIn, "notin"),
    (ComparisonOperator::Split, "split"),
    (ComparisonOperator::Join, "join"),
];

/// The case sensitivity of a comparison: `-eq` (default, case-insensitive), `-ieq`, `-ceq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Default,
    Insensitive,
    Sensitive,
}

impl ComparisonOperator {
    /// The operator word without dash or case prefix (`eq`, `notlike`).
    pub fn word(self) -> &'static str {
        spelling(&COMPARISON_OPERATORS, self).unwrap_or("")
    }

    /// The operator of a lower-case word without dash or case prefix.
    fn from_word(word: &str) -> Option<ComparisonOperator> {
        operator_of(&COMPARISON_OPERATORS, word)
    }
}

impl Case {
    fn prefix(self) -> &'static str {
        match self {
            Case::Default => "",
            Case::Insensitive => "i",
            Case::Sensitive => "c",
        }
    }
}

impl BinaryOperator {
    /// The operator as PowerShell writes it (`-ceq`, `+`, `..`).
    pub fn text(self) -> String {
        if let BinaryOperator::Comparison(op, case) = self {
            return format!("-{}{}", case.prefix(), op.word());
        }
        if let Some(symbol) = spelling(&SYMBOL_OPERATORS, self) {
            return symbol.to_string();
        }
        format!("-{}", spelling(&WORD_OPERATORS, self).unwrap_or(""))
    }

    /// PowerShell's precedence: higher binds tighter. All binary operators are left-associative.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOperator::And | BinaryOperator::Or | BinaryOperator::Xor => 1,
            BinaryOperator::Band | BinaryOperator::Bor | BinaryOperator::Bxor => 2,
            BinaryOperator::Comparison(..)
            | BinaryOperator::Is
            | BinaryOperator::IsNot
            | BinaryOperator::As
            | BinaryOperator::Shl
            | BinaryOperator::Shr => 5,
            BinaryOperator::Coalesce => 7,
            BinaryOperator::Add | BinaryOperator::Subtract => 9,
            BinaryOperator::Multiply | BinaryOperator::Divide | BinaryOperator::Remainder => 10,
            BinaryOperator::Format => 12,
            BinaryOperator::Range => 13,
        }
    }

    /// The operator of a `binary_operator` token, or `None` for a `-Word` that is not one.
    pub(crate) fn from_token(text: &str) -> Option<BinaryOperator> {
        let mut chars = text.chars();
        let first = chars.next()?;
        if !is_dash(first) {
            return operator_of(&SYMBOL_OPERATORS, text);
        }
        let rest = chars.as_str();
        if rest.is_empty() {
            return Some(BinaryOperator::Subtract);
        }
        let word = rest.to_ascii_lowercase();
        if let Some(op) = operator_of(&WORD_OPERATORS, &word) {
            return Some(op);
        }
        // `-in`, `-is`... are operators of their own, not case prefixes.
        if let Some(op) = ComparisonOperator::from_word(&word) {
            return Some(BinaryOperator::Comparison(op, Case::Default));
        }
        let (case, base) = match word.as_bytes().first() {
            Some(b'c') => (Case::Sensitive, &word[1..]),
            Some(b'i') => (Case::Insensitive, &word[1..]),
            _ => return None,
        };
        // `-join` has no case variants.
        match ComparisonOperator::from_word(base) {
            Some(ComparisonOperator::Join) | None => None,
            Some(op) => Some(BinaryOperator::Comparison(op, case)),
        }
    }
}

impl Serialize for BinaryOperator {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

/// A unary operator. Serializes as written in PowerShell (`"-not"`, `"++"`, `","`), with
/// `"x++"`/`"x--"` for the postfix forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOperator {
    /// `-not`.
    Not,
    /// `!`.
    Exclaim,
    Bnot,
    /// `-`.
    Negate,
    /// `+`.
    Plus,
    PreIncrement,
    PreDecrement,
    PostIncrement,
    PostDecrement,
    /// Unary `-split` (with its case variant).
    Split(Case),
    /// Unary `-join`.
    Join,
    /// Unary `,`: an array of one element.
    Comma,
}

/// Every unary operator and how it is written (the dashes may be any of [`DASHES`]).
const UNARY_OPERATORS: [(UnaryOperator, &str); 14] = [
    (UnaryOperator::Not, "-not"),
    (UnaryOperator::Exclaim, "!"),
    (UnaryOperator::Bnot, "-bnot"),
    (UnaryOperator::Negate, "-"),
    (UnaryOperator::Plus, "+"),
    (UnaryOperator::PreIncrement, "++"),
    (UnaryOperator::PreDecrement, "--"),
    (UnaryOperator::PostIncrement, "x++"),
    (UnaryOperator::PostDecrement, "x--"),
    (UnaryOperator::Split(Case::Default), "-split"),
    (UnaryOperator::Split(Case::Insensitive), "-isplit"),
    (UnaryOperator::Split(Case::Sensitive), "-csplit"),
    (UnaryOperator::Join, "-join"),
    (UnaryOperator::Comma, ","),
];

impl UnaryOperator {
    /// The operator as PowerShell writes it.
    pub fn text(self) -> &'static str {
        spelling(&UNARY_OPERATORS, self).unwrap_or("")
    }

    /// The operator of a prefix `unary_operator` token (the grammar matched one of the table).
    pub(crate) fn from_token(text: &str) -> UnaryOperator {
        let lower = text.to_ascii_lowercase();
        let word = lower.trim_start_matches(DASHES);
        match (text, word) {
            (",", _) => UnaryOperator::Comma,
            ("!", _) => UnaryOperator::Exclaim,
            ("++", _) => UnaryOperator::PreIncrement,
            ("+", _) => UnaryOperator::Plus,
            (_, "not") => UnaryOperator::Not,
            (_, "bnot") => UnaryOperator::Bnot,
            (_, "split") => UnaryOperator::Split(Case::Default),
            (_, "isplit") => UnaryOperator::Split(Case::Insensitive),
            (_, "csplit") => UnaryOperator::Split(Case::Sensitive),
            (_, "join") => UnaryOperator::Join,
            (_, "") if text.chars().count() == 2 => UnaryOperator::PreDecrement,
            _ => UnaryOperator::Negate,
        }
    }
}

impl Serialize for UnaryOperator {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.text())
    }
}

/// How `op` is written, from its table.
fn spelling<T: PartialEq + Copy>(table: &[(T, &'static str)], op: T) -> Option<&'static str> {
    table.iter().find(|(o, _)| *o == op).map(|(_, s)| *s)
}

/// The operator written `text`, from its table.
fn operator_of<T: Copy>(table: &[(T, &'static str)], text: &str) -> Option<T> {
    table.iter().find(|(_, s)| *s == text).map(|(o, _)| *o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_words_are_recognised_with_case_prefixes() {
        let from = BinaryOperator::from_token;
        assert_eq!(
            from("-eq"),
            Some(BinaryOperator::Comparison(
                ComparisonOperator::Eq,
                Case::Default
            ))
        );
        assert_eq!(
            from("-CEQ"),
            Some(BinaryOperator::Comparison(
                ComparisonOperator::Eq,
                Case::Sensitive
            ))
        );
        assert_eq!(
            from("-inotin"),
            Some(BinaryOperator::Comparison(
                ComparisonOperator::NotIn,
                Case::Insensitive
            ))
        );
        assert_eq!(
            from("-in"),
            Some(BinaryOperator::Comparison(
                ComparisonOperator::In,
                Case::Default
            ))
        );
        assert_eq!(from("–and"), Some(BinaryOperator::And));
        assert_eq!(from("-f"), Some(BinaryOperator::Format));
        assert_eq!(from("-cjoin"), None);
        assert_eq!(from("-Name"), None);
        assert_eq!(from("-not"), None);
    }

    #[test]
    fn unary_operator_words() {
        let from = UnaryOperator::from_token;
        assert_eq!(from("-Not"), UnaryOperator::Not);
        assert_eq!(from("--"), UnaryOperator::PreDecrement);
        assert_eq!(from("-"), UnaryOperator::Negate);
        assert_eq!(from("—"), UnaryOperator::Negate);
        assert_eq!(from("-csplit"), UnaryOperator::Split(Case::Sensitive));
    }

    #[test]
    fn every_operator_reads_back_from_its_spelling() {
        let mut binary: Vec<BinaryOperator> = SYMBOL_OPERATORS
            .iter()
            .chain(&WORD_OPERATORS)
            .map(|(op, _)| *op)
            .collect();
        for (op, _) in COMPARISON_OPERATORS {
            binary.push(BinaryOperator::Comparison(op, Case::Default));
            if op != ComparisonOperator::Join {
                binary.push(BinaryOperator::Comparison(op, Case::Insensitive));
                binary.push(BinaryOperator::Comparison(op, Case::Sensitive));
            }
        }
        for op in binary {
            assert_eq!(BinaryOperator::from_token(&op.text()), Some(op), "{op:?}");
        }
        for (op, text) in UNARY_OPERATORS {
            if !text.starts_with('x') {
                assert_eq!(UnaryOperator::from_token(text), op, "{text}");
            }
        }
        for (op, text) in ASSIGNMENT_OPERATORS {
            assert_eq!(AssignmentOperator::from_token(text), op, "{text}");
            assert_eq!(serde_json::to_string(&op).unwrap(), format!("\"{text}\""));
        }
        assert_eq!(
            AssignmentOperator::from_token("\u{2013}="),
            AssignmentOperator::Subtract
        );
        for op in [ChainOperator::And, ChainOperator::Or] {
            assert_eq!(ChainOperator::from_token(op.text()), op);
            assert_eq!(
                serde_json::to_string(&op).unwrap(),
                format!("\"{}\"", op.text())
            );
        }
    }
}
