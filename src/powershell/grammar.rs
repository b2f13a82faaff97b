//! The pest binding of `grammar/powershell.pest`. Only this module and the builder see pest
//! types.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/powershell.pest"]
pub(crate) struct PowerShellParser;
