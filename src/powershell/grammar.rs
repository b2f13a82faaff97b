//! The pest binding of `grammar/powershell.pest`. Only `syntax_error.rs` runs it; the builder
//! reads the pairs a parse returns. No other module sees pest types.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/powershell.pest"]
pub(crate) struct PowerShellParser;
