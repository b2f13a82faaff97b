//! xprem: generate, read back and check the PowerShell that sets up server-to-server OAuth between
//! an on-premises Lync Server 2013 / Skype for Business Server deployment and Office 365.
//!
//! The flow is config → validate → model → templates → scripts for generation, and
//! script → parse → AST for reading scripts back.

pub mod bundle;
pub mod catalog;
pub mod cert;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod lint;
pub mod model;
pub mod moment;
pub mod output;
pub mod plan;
pub mod powershell;
pub mod render;
pub mod report;
pub mod review;
pub mod script_files;
pub mod semantic;
pub mod state;
