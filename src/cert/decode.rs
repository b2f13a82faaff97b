//! From the bytes of a file to the DER of exactly one certificate, or a precise refusal.
//!
//! Accepted: DER; PEM (`-----BEGIN CERTIFICATE-----`, as Windows' "Base-64 encoded X.509 (.CER)"
//! export writes it); bare Base64 (no BEGIN/END lines). Text may be UTF-8 with or without a BOM,
//! or UTF-16 (Windows tools write it with a BOM), with CRLF, LF or CR line ends.
//!
//! Order matters for safety: the whole text is searched for private-key markers *before* any
//! block is decoded, so a PEM key is refused without its body being decoded, naming only its
//! label and line. DER keys (binary or bare Base64) are recognised by their outline alone (tags
//! and version numbers, see `der`), and no refusal quotes any content.

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use sha1::{Digest as _, Sha1};
use x509_parser::certificate::X509Certificate;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

use super::der::{self, Shape};
use super::error::{CertErrorKind, CertSummary, PrivateKeyForm};
use super::{CertFormat, name};

/// No certificate comes near this; the cap keeps a wrong path (a disk image, `/dev/zero`) from
/// being read into memory.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// PEM labels that hold a certificate. `TRUSTED CERTIFICATE` is OpenSSL's certificate followed by
/// its trust settings; only the certificate part is used.
const CERTIFICATE_LABELS: [&str; 3] = ["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];

/// A file's certificate, as DER, and the form it was written in.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub der: Vec<u8>,
    pub format: CertFormat,
}

/// Finds the one certificate in a file's bytes.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, CertErrorKind> {
    if bytes.is_empty() {
        return Err(CertErrorKind::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(CertErrorKind::TooLarge {
            limit: MAX_FILE_BYTES,
        });
    }
    // A .pvk starts with the little-endian magic 0xB0B5F11E; it holds a private key.
    if bytes.starts_with(&[0x1E, 0xF1, 0xB5, 0xB0]) {
        return Err(CertErrorKind::PrivateKey {
            form: PrivateKeyForm::Pvk,
        });
    }
    match as_text(bytes)? {
        Some(text) => decode_text(&text),
        None => decode_der(bytes, CertFormat::Der, false),
    }
}

/// The file as text, or `None` when it is binary.
fn as_text(bytes: &[u8]) -> Result<Option<Cow<'_, str>>, CertErrorKind> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok(Some(Cow::Borrowed(s))),
            Err(_) => Err(CertErrorKind::BadTextEncoding { encoding: "UTF-8" }),
        };
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes)
            .map(|s| Some(Cow::Owned(s)))
            .ok_or(CertErrorKind::BadTextEncoding {
                encoding: "UTF-16 LE",
            });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes)
            .map(|s| Some(Cow::Owned(s)))
            .ok_or(CertErrorKind::BadTextEncoding {
                encoding: "UTF-16 BE",
            });
    }
    // UTF-16 LE without a BOM: ASCII text with a zero after every byte. DER never looks like this
    // (its first bytes are 0x30 and a non-zero length).
    if bytes.len() >= 4
        && bytes.len().is_multiple_of(2)
        && bytes
            .chunks_exact(2)
            .all(|c| c[1] == 0 && is_text_byte(c[0]))
    {
        return Ok(utf16(bytes, u16::from_le_bytes).map(Cow::Owned));
    }
    // Otherwise text is UTF-8 with no control characters but white space. A DER certificate
    // always fails this (its long-form length byte, 0x81 or 0x82, cannot follow "0" in UTF-8),
    // so a text file that happens to start with "0" (0x30, the SEQUENCE tag) is still text.
    match std::str::from_utf8(bytes) {
        Ok(s) if s.bytes().all(is_text_byte) => Ok(Some(Cow::Borrowed(s))),
        _ => Ok(None),
    }
}

fn is_text_byte(b: u8) -> bool {
    !b.is_ascii_control() || matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

/// A PEM block: its label, the 1-based line of its BEGIN line, and its body lines.
struct Block<'a> {
    label: &'a str,
    line: usize,
    body: Vec<(usize, &'a str)>,
}

fn decode_text(text: &str) -> Result<Decoded, CertErrorKind> {
    // Line ends may be CRLF, LF, or (old Mac tools) a lone CR.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    // Lines as (1-based number, text without the line end and surrounding blanks).
    let lines: Vec<(usize, &str)> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .collect();
    if lines.iter().all(|(_, l)| l.is_empty()) {
        return Err(CertErrorKind::Blank);
    }
    refuse_private_keys(&lines)?;
    let blocks = pem_blocks(&lines)?;
    if blocks.is_empty() {
        return decode_bare_base64(&text, &lines);
    }

    let (certs, others): (Vec<&Block<'_>>, Vec<&Block<'_>>) = blocks
        .iter()
        .partition(|b| CERTIFICATE_LABELS.contains(&b.label));
    if let Some(other) = others.first() {
        return Err(match (certs.is_empty(), other.label) {
            (true, "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST") => {
                CertErrorKind::CertificateRequest
            }
            (true, "PKCS7" | "CMS" | "PKCS #7 SIGNED DATA") => CertErrorKind::Pkcs7,
            (true, "PKCS12") => CertErrorKind::Pfx,
            (true, "X509 CRL") => CertErrorKind::Crl,
            (true, "PUBLIC KEY" | "RSA PUBLIC KEY") => CertErrorKind::PublicKeyOnly,
            _ => CertErrorKind::UnexpectedPemBlock {
                label: short_label(other.label),
                line: other.line,
            },
        });
    }
    if certs.len() > 1 {
        let certificates = certs
            .iter()
            .map(|b| CertSummary {
                location: format!("line {}", b.line),
                identity: base64_lines(&b.body, true)
                    .ok()
                    .and_then(|der| identity(&der)),
            })
            .collect();
        return Err(CertErrorKind::MultipleCertificates { certificates });
    }
    let block = certs[0];
    let der = base64_lines(&block.body, true)?;
    decode_der(&der, CertFormat::Pem, block.label == "TRUSTED CERTIFICATE")
}

/// Refuses the file if any line announces a private key, before anything is decoded.
fn refuse_private_keys(lines: &[(usize, &str)]) -> Result<(), CertErrorKind> {
    for &(line, text) in lines {
        if let Some(label) = begin_label(text)
            && label.contains("PRIVATE KEY")
        {
            let form = PrivateKeyForm::PemBlock {
                label: short_label(label),
                line,
            };
            return Err(CertErrorKind::PrivateKey { form });
        }
        if text.starts_with("PuTTY-User-Key-File-") {
            return Err(CertErrorKind::PrivateKey {
                form: PrivateKeyForm::Putty { line },
            });
        }
    }
    Ok(())
}

/// The label of a `-----BEGIN LABEL-----` line.
fn begin_label(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("-----BEGIN ")?;
    Some(rest.trim_end_matches('-').trim())
}

/// Labels come from the file: keep error messages one short paragraph whatever the file holds.
fn short_label(label: &str) -> String {
    const MAX: usize = 60;
    if label.chars().count() <= MAX {
        label.to_string()
    } else {
        format!("{}...", label.chars().take(MAX).collect::<String>())
    }
}

/// Every BEGIN/END block in the text. Text outside blocks is ignored (RFC 7468 allows it, and
/// OpenSSL writes "Bag Attributes" and "subject=" lines there).
fn pem_blocks<'a>(lines: &[(usize, &'a str)]) -> Result<Vec<Block<'a>>, CertErrorKind> {
    let mut blocks = Vec::new();
    let mut iter = lines.iter().copied();
    while let Some((line, text)) = iter.next() {
        if text.starts_with("-----END ") {
            return Err(CertErrorKind::MissingPemBegin { line });
        }
        let Some(label) = begin_label(text) else {
            continue;
        };
        let mut body = Vec::new();
        loop {
            match iter.next() {
                Some((_, t)) if t.starts_with("-----END ") => break,
                // A second BEGIN before this block's END: the END line (and maybe more) was lost.
                Some((_, t)) if t.starts_with("-----BEGIN ") => {
                    return Err(CertErrorKind::UnterminatedPem {
                        label: short_label(label),
                        line,
                    });
                }
                Some(numbered) => body.push(numbered),
                None => {
                    return Err(CertErrorKind::UnterminatedPem {
                        label: short_label(label),
                        line,
                    });
                }
            }
        }
        blocks.push(Block { label, line, body });
    }
    Ok(blocks)
}

/// A text file without BEGIN/END lines: a thumbprint, bare Base64, or something else.
fn decode_bare_base64(text: &str, lines: &[(usize, &str)]) -> Result<Decoded, CertErrorKind> {
    // Admins often paste the thumbprint where the certificate should go: as the certificate
    // dialog shows it (with spaces, and the invisible U+200E mark that copying from that dialog
    // picks up), or with colons as OpenSSL writes it. Hex digits are also Base64 characters, so
    // look for this first.
    let digits: Vec<char> = text
        .chars()
        .filter(|&c| !c.is_whitespace() && c != ':' && c != '\u{200E}')
        .collect();
    if matches!(digits.len(), 40 | 64) && digits.iter().all(char::is_ascii_hexdigit) {
        return Err(CertErrorKind::Thumbprint {
            digits: digits.len(),
        });
    }
    let der = base64_lines(lines, false).map_err(|e| match e {
        CertErrorKind::InvalidBase64Char { line, column, .. } => {
            CertErrorKind::NotCertificateText { line, column }
        }
        other => other,
    })?;
    decode_der(&der, CertFormat::Base64, false)
}

/// Decodes Base64 spread over numbered (and trimmed) lines, pointing at the first character that
/// is not Base64. Inside a BEGIN/END block, white space anywhere is tolerated (RFC 7468's lax
/// parsing); in a bare file it is not, or a line of English would pass for Base64.
fn base64_lines(lines: &[(usize, &str)], inner_space: bool) -> Result<Vec<u8>, CertErrorKind> {
    let mut compact = String::new();
    for &(line, text) in lines {
        for (i, c) in text.chars().enumerate() {
            if c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=') {
                compact.push(c);
            } else if !(inner_space && c.is_whitespace()) {
                return Err(CertErrorKind::InvalidBase64Char {
                    line,
                    column: i + 1,
                    found: c,
                });
            }
        }
    }
    // Padding is optional in what people paste; anything else non-canonical is damage.
    let engine = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    engine
        .decode(compact.as_bytes())
        .map_err(|e| CertErrorKind::InvalidBase64 {
            reason: match e {
                base64::DecodeError::InvalidLength(_) => {
                    "it ends in the middle of a byte, so text is missing".to_string()
                }
                base64::DecodeError::InvalidPadding => {
                    "the '=' padding at its end is wrong".to_string()
                }
                base64::DecodeError::InvalidByte(offset, _) => {
                    format!(
                        "an '=' sign stands in the middle of it (Base64 character {})",
                        offset + 1
                    )
                }
                base64::DecodeError::InvalidLastSymbol { offset, .. } => {
                    format!(
                        "its last character (Base64 character {}) is impossible there",
                        offset + 1
                    )
                }
            },
        })
}

/// Checks that `der` is one certificate and nothing else, naming what it is otherwise.
/// `trusted` allows the trust settings OpenSSL appends in a `TRUSTED CERTIFICATE` block.
fn decode_der(der: &[u8], format: CertFormat, trusted: bool) -> Result<Decoded, CertErrorKind> {
    let total = match der::sniff(der) {
        Shape::Signed { total } => total,
        Shape::NotDer if format == CertFormat::Der => {
            return Err(CertErrorKind::Binary {
                looks_like: magic(der),
            });
        }
        Shape::NotDer => return Err(CertErrorKind::Base64NotCertificate),
        Shape::TruncatedHeader => {
            return Err(CertErrorKind::Truncated {
                expected: None,
                actual: der.len(),
            });
        }
        Shape::PrivateKey(structure) => {
            return Err(CertErrorKind::PrivateKey {
                form: PrivateKeyForm::Der(structure),
            });
        }
        Shape::Pfx => return Err(CertErrorKind::Pfx),
        Shape::Pkcs7 => return Err(CertErrorKind::Pkcs7),
        Shape::PublicKey => return Err(CertErrorKind::PublicKeyOnly),
        Shape::Other => return Err(CertErrorKind::NotCertificateDer),
    };
    if total > der.len() {
        return Err(CertErrorKind::Truncated {
            expected: Some(total),
            actual: der.len(),
        });
    }
    let (cert, rest) = der.split_at(total);
    if !rest.is_empty() && !trusted {
        let more = concatenated_certificates(der);
        if more.len() > 1 {
            return Err(CertErrorKind::MultipleCertificates { certificates: more });
        }
        return Err(CertErrorKind::TrailingData {
            cert_len: total,
            extra: rest.len(),
        });
    }
    match X509Certificate::from_der(cert) {
        Ok(_) => Ok(Decoded {
            der: cert.to_vec(),
            format,
        }),
        // Requests and CRLs share the certificate's outline; tell them apart only on failure.
        Err(_) if X509CertificationRequest::from_der(cert).is_ok() => {
            Err(CertErrorKind::CertificateRequest)
        }
        Err(_) if CertificateRevocationList::from_der(cert).is_ok() => Err(CertErrorKind::Crl),
        Err(e) => Err(CertErrorKind::InvalidCertificate {
            detail: e.to_string(),
        }),
    }
}

/// The certificates at the start of binary data that holds several back to back (DER files are
/// easily concatenated, for example with `copy /b a.cer+b.cer both.cer`).
fn concatenated_certificates(mut der: &[u8]) -> Vec<CertSummary> {
    let mut found = Vec::new();
    let mut offset = 0;
    while let Shape::Signed { total } = der::sniff(der) {
        let Some(identity) = der.get(..total).and_then(identity) else {
            break;
        };
        found.push(CertSummary {
            location: format!("byte {offset}"),
            identity: Some(identity),
        });
        der = &der[total..];
        offset += total;
    }
    found
}

/// Subject and SHA-1 thumbprint of a certificate, to tell several apart in a message.
fn identity(der: &[u8]) -> Option<(String, String)> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    Some((
        name::windows_name(cert.subject()),
        hex::encode_upper(Sha1::digest(der)),
    ))
}

/// What a binary file that is not DER looks like, from its first bytes.
fn magic(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (
            b"PK\x03\x04",
            "a ZIP archive, such as a .zip, .docx or .xlsx file",
        ),
        (b"%PDF", "a PDF document"),
        (b"MZ", "a Windows program or library"),
        (b"\x7FELF", "a Linux program or library"),
        (b"\x1F\x8B", "a gzip-compressed file"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an Office 97-2003 document",
        ),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    ];
    SIGNATURES
        .iter()
        .find(|(sig, _)| bytes.starts_with(sig))
        .map(|&(_, what)| what)
}
