//! The OAuth certificate: reading it (DER, PEM or bare Base64), refusing private keys, and checking
//! that it can serve as the credential uploaded to the Office 365 service principals.
//!
//! PLACEHOLDER: the agreed interface only; the cert branch replaces this file.

use std::path::{Path, PathBuf};

use crate::problem::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum CertFormat {
    Der,
    Pem,
    Base64,
}

#[derive(Debug, Clone)]
pub struct Certificate {
    pub der: Vec<u8>,
    pub format: CertFormat,
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: time::OffsetDateTime,
    pub not_after: time::OffsetDateTime,
    pub key_algorithm: String,
    pub key_bits: Option<u32>,
    pub signature_algorithm: String,
    pub sha1_thumbprint: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertFinding {
    pub severity: Severity,
    pub message: String,
    pub fix: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CertError {
    #[error("{}: not implemented yet", path.display())]
    Unimplemented { path: PathBuf },
}

impl Certificate {
    pub fn load(path: &Path) -> Result<Certificate, CertError> {
        Err(CertError::Unimplemented { path: path.to_path_buf() })
    }

    pub fn base64(&self) -> String {
        String::new()
    }

    pub fn check(&self, _as_of: time::OffsetDateTime) -> Vec<CertFinding> {
        Vec::new()
    }
}
