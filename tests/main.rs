//! The integration tests: one binary, one module per area, every test running the real `xprem`
//! binary through `common::xprem`.

mod common;

mod cli_bad_input;
mod cli_cert;
mod cli_generate;
mod cli_init_schema;
mod cli_lint;
mod cli_plan;
mod cli_review;
mod escaping;
mod export_state;
mod generated_scripts;
mod lint_cmdlets;
mod lint_credentials;
mod lint_fixtures;
mod parse_cli;
mod parse_fixtures;
