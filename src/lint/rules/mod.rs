//! One file per rule: its code, severity, documentation and check. The table in
//! `registry.rs` lists them.

pub mod invalid_suppression;
pub mod syntax_error;
pub mod unused_suppression;
