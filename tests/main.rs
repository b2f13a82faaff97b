//! The integration tests: one binary, one module per area, every test running the real `xprem`
//! binary through `common::xprem`.

mod common;

mod cli_bad_input;
mod cli_cert;
mod cli_generate;
mod cli_init_schema;
mod escaping;
mod generated_scripts;
mod lint_cmdlets;
mod parse_cli;
mod parse_fixtures;
