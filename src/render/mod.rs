//! Rendering scripts from templates.

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("not implemented")]
    Unimplemented,
}
