//! Writing outputs atomically.

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("not implemented")]
    Unimplemented,
}
