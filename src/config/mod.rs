//! The config file: typed model, loading (JSON or TOML), validation and JSON Schema.

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("not implemented")]
    Unimplemented,
}
