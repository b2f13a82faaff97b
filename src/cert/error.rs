//! Why a certificate file cannot be used. Every message is one paragraph: what the file is (or
//! looks like), what is wrong with it, and what to do. None of them quotes the file's content:
//! a file that holds a private key must never have a byte of it copied into a message or a log.

use std::fmt;
use std::path::{Path, PathBuf};

use super::der::KeyStructure;
use super::printable;

/// The advice that ends every "this is the wrong kind of file" message: how a Lync/SfB admin gets
/// the public certificate out of the Windows certificate store.
pub const EXPORT_PUBLIC_PART: &str = "Export the public certificate only: on a Front End, open \
certlm.msc > Personal > Certificates, right-click the OAuthTokenIssuer certificate \
(Get-CsCertificate -Type OAuthTokenIssuer shows its thumbprint), All Tasks > Export..., choose \
\"No, do not export the private key\", then \"Base-64 encoded X.509 (.CER)\", and give xprem \
that .cer file.";

/// What to do when the file was damaged on the way.
const COPY_AGAIN: &str = "Copy or export the certificate again.";

/// A certificate file that could not be used, with the file it came from.
#[derive(Debug, thiserror::Error)]
pub enum CertError {
    /// The file could not be read at all (missing, a folder, no permission...).
    #[error("{}: cannot read the certificate file: {source}. Check the path, and that you may read the file.", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file was read, but it is not one usable certificate.
    #[error("{}: {kind}", path.display())]
    Invalid { path: PathBuf, kind: CertErrorKind },
}

impl CertError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            CertError::Read { path, .. } | CertError::Invalid { path, .. } => path,
        }
    }

    /// What is wrong with the content, when the file could be read.
    pub fn kind(&self) -> Option<&CertErrorKind> {
        match self {
            CertError::Read { .. } => None,
            CertError::Invalid { kind, .. } => Some(kind),
        }
    }
}

/// What is wrong with a certificate file's content. It names no file (see [`CertError`] for
/// that), so [`crate::cert::Certificate::from_bytes`] can return it; messages speak of "the file".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertErrorKind {
    #[error("the file is empty (0 bytes), so it holds no certificate. {EXPORT_PUBLIC_PART}")]
    Empty,
    #[error("the file holds only blank space, no certificate. {EXPORT_PUBLIC_PART}")]
    Blank,
    #[error(
        "the file is larger than {limit} bytes, far larger than any certificate (a few kilobytes), \
         so it is not the certificate file. Check the path. {EXPORT_PUBLIC_PART}"
    )]
    TooLarge { limit: usize },
    #[error(
        "the file holds a private key ({form}), not a certificate. xprem needs only the public \
         certificate and has copied nothing from this file. {EXPORT_PUBLIC_PART} Keep the private \
         key where only administrators can read it."
    )]
    PrivateKey { form: PrivateKeyForm },
    #[error(
        "the file is a PFX/PKCS#12 archive, the format that carries a certificate together \
         with its private key; xprem reads only a public certificate and has copied nothing from \
         this file. {EXPORT_PUBLIC_PART}"
    )]
    Pfx,
    #[error(
        "the file is a PKCS#7 bundle (.p7b), which can hold a whole certificate chain, not a \
         single certificate. {EXPORT_PUBLIC_PART}"
    )]
    Pkcs7,
    #[error(
        "the file is a certificate request (CSR), not a certificate: a request is what is sent to \
         the certification authority before the certificate exists. Give xprem the issued \
         certificate. {EXPORT_PUBLIC_PART}"
    )]
    CertificateRequest,
    #[error(
        "the file is a certificate revocation list (CRL), not a certificate. {EXPORT_PUBLIC_PART}"
    )]
    Crl,
    #[error(
        "the file holds a bare public key, without the certificate around it; Office 365 needs \
         the whole certificate. {EXPORT_PUBLIC_PART}"
    )]
    PublicKeyOnly,
    #[error(
        "the file holds {count} certificates ({list}); xprem needs exactly one, the \
         OAuthTokenIssuer certificate. Run Get-CsCertificate -Type OAuthTokenIssuer on a Front \
         End to see its thumbprint, then keep only that certificate in the file (delete the other \
         BEGIN/END CERTIFICATE blocks) or export it again on its own as \"Base-64 encoded X.509 \
         (.CER)\".",
        count = certificates.len(),
        list = CertSummary::list(certificates)
    )]
    MultipleCertificates { certificates: Vec<CertSummary> },
    #[error(
        "the file holds a PEM block labelled \"{}\" at line {line}, which is not a certificate; \
         xprem expects a single -----BEGIN CERTIFICATE----- block. {EXPORT_PUBLIC_PART}",
        printable(label)
    )]
    UnexpectedPemBlock { label: String, line: usize },
    #[error(
        "the \"-----BEGIN {}-----\" line at line {line} has no matching END line after it, so the \
         file was cut short. {COPY_AGAIN}",
        printable(label)
    )]
    UnterminatedPem { label: String, line: usize },
    #[error(
        "line {line} is an \"-----END ...-----\" line with no BEGIN line before it, so the start of \
         the file was lost. {COPY_AGAIN}"
    )]
    MissingPemBegin { line: usize },
    #[error(
        "the Base64 text of the certificate is damaged: line {line}, column {column} holds {}, \
         which is not a Base64 character. {COPY_AGAIN}",
        found.escape_debug()
    )]
    InvalidBase64Char {
        line: usize,
        column: usize,
        found: char,
    },
    #[error("the Base64 text of the certificate cannot be decoded: {reason}. {COPY_AGAIN}")]
    InvalidBase64 { reason: String },
    #[error(
        "the certificate is cut short: {}, but only {actual} bytes are there. The file was \
         truncated, for example by an interrupted copy or a paste that lost lines. {COPY_AGAIN}",
        match expected { Some(n) => format!("its own header says it is {n} bytes long"), None => "it ends inside its first header".to_string() }
    )]
    Truncated {
        expected: Option<usize>,
        actual: usize,
    },
    #[error(
        "after the certificate ({cert_len} bytes) the file has {extra} more bytes that are not \
         part of it, so it is damaged or is not a plain .cer file. {COPY_AGAIN}"
    )]
    TrailingData { cert_len: usize, extra: usize },
    #[error(
        "the file has the outline of a certificate, but its content cannot be read ({detail}), \
         so it is damaged or not a valid X.509 certificate. {COPY_AGAIN}"
    )]
    InvalidCertificate { detail: String },
    #[error("the file is binary ASN.1 (DER) data, but not a certificate. {EXPORT_PUBLIC_PART}")]
    NotCertificateDer,
    #[error(
        "the file is binary data that is not a certificate{}. {EXPORT_PUBLIC_PART}",
        match looks_like { Some(what) => format!(" (it looks like {what})"), None => String::new() }
    )]
    Binary { looks_like: Option<&'static str> },
    #[error(
        "the file is text, but neither a PEM certificate (it has no -----BEGIN CERTIFICATE----- \
         line) nor bare Base64 (line {line}, column {column} holds a character Base64 does not \
         use). {EXPORT_PUBLIC_PART}"
    )]
    NotCertificateText { line: usize, column: usize },
    #[error(
        "the file holds what looks like a certificate thumbprint (a {digits}-digit hex number), \
         not the certificate itself. {EXPORT_PUBLIC_PART}"
    )]
    Thumbprint { digits: usize },
    #[error(
        "the file is Base64 text, but it decodes to something that is not a certificate. {EXPORT_PUBLIC_PART}"
    )]
    Base64NotCertificate,
    #[error(
        "the file starts with a {encoding} byte-order mark but is not valid {encoding} text, so it \
         is damaged. {COPY_AGAIN}"
    )]
    BadTextEncoding { encoding: &'static str },
}

/// Which kind of private key a file holds, described by its outline only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivateKeyForm {
    /// A PEM block whose label contains `PRIVATE KEY`.
    PemBlock { label: String, line: usize },
    /// A DER structure (binary, or Base64 text without BEGIN/END lines).
    Der(KeyStructure),
    /// A PuTTY `.ppk` file.
    Putty { line: usize },
    /// A Microsoft `.pvk` file (the private-key half that `pvk2pfx` combines with a `.cer`).
    Pvk,
}

impl fmt::Display for PrivateKeyForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrivateKeyForm::PemBlock { label, line } => {
                write!(
                    f,
                    "a PEM block labelled \"{}\" at line {line}",
                    printable(label)
                )
            }
            PrivateKeyForm::Der(KeyStructure::Pkcs8) => f.write_str("a PKCS#8 private key"),
            PrivateKeyForm::Der(KeyStructure::EncryptedPkcs8) => {
                f.write_str("an encrypted PKCS#8 private key")
            }
            PrivateKeyForm::Der(KeyStructure::RsaOrDsa) => {
                f.write_str("an RSA (PKCS#1) or DSA private key")
            }
            PrivateKeyForm::Der(KeyStructure::Ec) => f.write_str("an EC (SEC 1) private key"),
            PrivateKeyForm::Putty { line } => {
                write!(f, "a PuTTY private key, starting at line {line}")
            }
            PrivateKeyForm::Pvk => f.write_str("a Microsoft .pvk private key"),
        }
    }
}

/// One of several certificates found in a file, described well enough to pick the right one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertSummary {
    /// Where it starts: `line 12` (text) or `byte 968` (binary).
    pub location: String,
    /// Subject (Windows form) and SHA-1 thumbprint; `None` when the block is not a readable
    /// certificate.
    pub identity: Option<(String, String)>,
}

impl CertSummary {
    fn list(all: &[CertSummary]) -> String {
        all.iter()
            .enumerate()
            .map(|(i, c)| format!("#{} at {}: {c}", i + 1, c.location))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl fmt::Display for CertSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.identity {
            Some((subject, thumbprint)) => {
                write!(f, "{}, thumbprint {thumbprint}", printable(subject))
            }
            None => f.write_str("not a readable certificate"),
        }
    }
}
