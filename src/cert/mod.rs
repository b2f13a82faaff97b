//! The OAuth certificate: reading it (DER, PEM or bare Base64), refusing private keys, PFX files
//! and anything else that is not exactly one certificate, describing it the way Windows does, and
//! checking that it can serve as the OAuthTokenIssuer certificate uploaded to Office 365.
//!
//! - `decode`: file bytes to the DER of one certificate, or a precise refusal;
//! - `der`: the small DER reader that tells a certificate from a key, a PFX, a .p7b...;
//! - `name`: distinguished names as `X509Certificate2.Subject` shows them;
//! - `algorithms`: key and signature algorithm names and sizes;
//! - `check`: the date, key and signature checks;
//! - `error`: the refusals, one paragraph each.

mod algorithms;
pub mod check;
mod decode;
mod der;
mod error;
mod name;

use std::borrow::Cow;
use std::io::Read as _;
use std::path::Path;

use base64::Engine as _;
use sha1::Sha1;
use sha2::{Digest as _, Sha256};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::FromDer;

use crate::diagnostic::Diagnostic;

pub use algorithms::DigestAlgorithm;
pub use check::{EXPIRY_WARNING_DAYS, MIN_RSA_BITS, code};
pub use decode::MAX_FILE_BYTES;
pub use der::KeyStructure;
pub use error::{CertError, CertErrorKind, CertSummary, EXPORT_PUBLIC_PART, PrivateKeyForm};

/// How the certificate was written in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CertFormat {
    /// Binary DER ("DER encoded binary X.509 (.CER)" in the Windows export wizard).
    Der,
    /// Base64 between `-----BEGIN CERTIFICATE-----` and `-----END CERTIFICATE-----` lines
    /// ("Base-64 encoded X.509 (.CER)").
    Pem,
    /// Base64 without BEGIN/END lines.
    Base64,
}

impl std::fmt::Display for CertFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CertFormat::Der => "DER (binary)",
            CertFormat::Pem => "PEM (Base64 between BEGIN/END CERTIFICATE lines)",
            CertFormat::Base64 => "Base64 without BEGIN/END lines",
        })
    }
}

/// One X.509 certificate and what an admin needs to know about it. Strings are as Windows shows
/// them, so they can be compared with `Get-ChildItem Cert:\LocalMachine\My` and the MMC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The certificate's DER encoding, exactly (what `GetRawCertData()` returns).
    pub der: Vec<u8>,
    pub format: CertFormat,
    /// Windows form, most specific first: `CN=lyncpool.fabrikam.com, O=Fabrikam, C=US`.
    pub subject: String,
    pub issuer: String,
    /// Uppercase hex without separators, as `X509Certificate2.SerialNumber`.
    pub serial: String,
    /// UTC.
    pub not_before: ::time::OffsetDateTime,
    /// UTC. The certificate is valid up to and including this second.
    pub not_after: ::time::OffsetDateTime,
    /// "RSA", "RSA-PSS", "EC", "Ed25519", "Ed448", "DSA", or the algorithm's name or OID.
    pub key_algorithm: String,
    /// Key size in bits (the modulus length for RSA), when known.
    pub key_bits: Option<u32>,
    /// For EC keys: the named curve ("P-256", "P-384", "P-521", "secp256k1") or its OID.
    pub key_curve: Option<String>,
    /// OpenSSL's name, e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA256`.
    pub signature_algorithm: String,
    /// Dotted OID of the signature algorithm, e.g. `1.2.840.113549.1.1.11`.
    pub signature_algorithm_oid: String,
    /// The hash the signature uses, when there is a separate one and it is known.
    pub signature_hash: Option<DigestAlgorithm>,
    /// SHA-1 of the DER in 40 uppercase hex digits: Windows' `Thumbprint`.
    pub sha1_thumbprint: String,
    /// SHA-256 of the DER in 64 uppercase hex digits.
    pub sha256: String,
    /// The DNS names in the subject alternative name extension, in order.
    pub dns_names: Vec<String>,
}

impl Certificate {
    /// Reads and decodes a certificate file. Reads at most [`MAX_FILE_BYTES`] (+1, to notice a
    /// bigger file), so a wrong path to a huge file fails fast.
    pub fn load(path: &Path) -> Result<Certificate, CertError> {
        let read_error = |source| CertError::Read {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(read_error)?;
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(read_error)?;
        Certificate::from_bytes(&bytes).map_err(|kind| CertError::Invalid {
            path: path.to_path_buf(),
            kind,
        })
    }

    /// Decodes a certificate from a file's bytes (DER, PEM or bare Base64; see [`CertFormat`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Certificate, CertErrorKind> {
        let decoded = decode::decode(bytes)?;
        Certificate::from_der(decoded.der, decoded.format)
    }

    fn from_der(der: Vec<u8>, format: CertFormat) -> Result<Certificate, CertErrorKind> {
        // `decode` has already parsed this DER successfully; parse again to read it.
        let (_, x509) =
            X509Certificate::from_der(&der).map_err(|e| CertErrorKind::InvalidCertificate {
                detail: e.to_string(),
            })?;
        let key = algorithms::key_info(x509.public_key());
        let signature = algorithms::signature_info(&x509.signature_algorithm);
        let dns_names = match x509.subject_alternative_name() {
            Ok(Some(san)) => san
                .value
                .general_names
                .iter()
                .filter_map(|n| match n {
                    GeneralName::DNSName(dns) => Some(dns.to_string()),
                    _ => None,
                })
                .collect(),
            // A damaged or duplicated SAN extension is only missing information here.
            _ => Vec::new(),
        };
        let cert = Certificate {
            format,
            subject: name::windows_name(x509.subject()),
            issuer: name::windows_name(x509.issuer()),
            serial: hex::encode_upper(x509.raw_serial()),
            not_before: x509.validity().not_before.to_datetime(),
            not_after: x509.validity().not_after.to_datetime(),
            key_algorithm: key.algorithm,
            key_bits: key.bits,
            key_curve: key.curve,
            signature_algorithm: signature.name,
            signature_algorithm_oid: signature.oid,
            signature_hash: signature.hash,
            sha1_thumbprint: hex::encode_upper(Sha1::digest(&der)),
            sha256: hex::encode_upper(Sha256::digest(&der)),
            dns_names,
            der,
        };
        Ok(cert)
    }

    /// Exactly `[Convert]::ToBase64String($cert.GetRawCertData())`: standard Base64 of the DER,
    /// with padding and no line breaks. This is the `-Value` the MSOnline credential cmdlets take.
    pub fn base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.der)
    }

    /// Whether subject and issuer are the same name (a self-signed or self-issued certificate).
    pub fn is_self_issued(&self) -> bool {
        self.subject == self.issuer
    }

    /// Checks the certificate as of `as_of` (see `check.rs` for each check and why): errors
    /// first, then warnings. The date is an input so results are reproducible.
    pub fn check(&self, as_of: ::time::OffsetDateTime) -> Vec<Diagnostic> {
        check::check(self, as_of)
    }
}

/// The human form of a moment (kept here for the certificate code that names it).
pub use crate::moment::utc_text;

/// `text` with control characters and bidirectional-override characters written as escapes, so
/// that a hostile certificate cannot move the cursor, recolour the terminal or reorder what the
/// admin reads when its subject is printed.
pub fn printable(text: &str) -> Cow<'_, str> {
    fn hostile(c: char) -> bool {
        c.is_control()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }
    if !text.chars().any(hostile) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if hostile(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests;
