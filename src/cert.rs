//! The OAuth certificate: reading it (DER, PEM or bare Base64), refusing private keys, and checking
//! that it can serve as the credential uploaded to the Office 365 service principals.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CertError {
    #[error("{}: not implemented yet", path.display())]
    Unimplemented { path: PathBuf },
}
