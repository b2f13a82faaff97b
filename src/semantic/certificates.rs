//! Certificates written in a script: Base64 (or PEM) text that decodes to a certificate, a
//! private key or a PFX, found in strings and here-strings, and the ones given as a key
//! credential's value.

use super::credentials::{Field, credentials};
use super::lists::{ListKind, list_writes};
use crate::cert::{CertErrorKind, Certificate};
use crate::powershell::NodeRef;
use crate::powershell::ast::Statement;
use crate::powershell::ast::{Expression, Span};
use std::collections::HashSet;

use super::Analysis;

/// Decodes the Base64 text of a credential's value: the certificate, or why it is not one.
pub fn decode(text: &str) -> Result<Certificate, CertErrorKind> {
    Certificate::from_bytes(text.trim().as_bytes())
}

/// A certificate written in the script.
#[derive(Debug, Clone)]
pub struct Embedded {
    pub certificate: Certificate,
    /// Where its text is written.
    pub span: Span,
}

/// Whether a string looks like a certificate's text (before it is decoded): DER in Base64 starts
/// with `MII`, a PEM block with its BEGIN line.
fn looks_like_certificate(text: &str) -> bool {
    let t = text.trim_start();
    (t.starts_with("MII") && t.len() >= 300) || t.contains("-----BEGIN CERTIFICATE-----")
}

/// Every certificate written in the script (each once, where it first appears): the values of
/// its credentials, and strings (or variables assigned strings) that hold a certificate.
pub fn embedded_certificates(cx: &Analysis<'_>) -> Vec<Embedded> {
    let mut found: Vec<Embedded> = Vec::new();
    if !cx.text().contains("MII") && !cx.text().contains("-----BEGIN CERTIFICATE-----") {
        return found;
    }
    let add = |text: &str, span: Span, found: &mut Vec<Embedded>| {
        if !looks_like_certificate(text) {
            return;
        }
        if let Ok(certificate) = decode(text) {
            found.push(Embedded { certificate, span });
        }
    };
    for c in credentials(cx) {
        if let Some(Field {
            text: Some(text),
            span,
            expression,
        }) = &c.value
        {
            let span = expression.and_then(|e| written_at(cx, e)).unwrap_or(*span);
            add(text, span, &mut found);
        }
    }
    cx.nodes.iter().copied().for_each(|node| match node {
        NodeRef::Expression(e @ Expression::String(s)) => add(&s.value, e.span(), &mut found),
        NodeRef::Statement(Statement::Assignment(a)) => {
            if let Expression::Variable(v) = &a.target
                && let Some(known) = cx.values.assigned(&v.name)
                && known.assignment == a.span
                && !matches!(known.expression, Expression::String(_))
                && let Some(text) = known.value.as_str()
            {
                add(text, known.expression.span(), &mut found);
            }
        }
        _ => {}
    });
    found.sort_by_key(|e| e.span.start);
    let mut seen = HashSet::new();
    found.retain(|e| seen.insert(e.certificate.sha1_thumbprint.clone()));
    found
}

/// A secret written in the script: a private key or a PFX.
#[derive(Debug, Clone)]
pub struct EmbeddedSecret {
    pub kind: CertErrorKind,
    /// Where its text is written.
    pub span: Span,
}

/// Whether a string may hold a private key or a PFX, before it is decoded: a PEM block whose
/// BEGIN line names a private key and whose body has at least a line of Base64 (not a label
/// looked for, `$pem -match '-----BEGIN PRIVATE KEY-----'`, nor a template with `...`), or one
/// line of Base64 of some length that starts as DER does (`MI`).
fn may_be_secret(text: &str) -> bool {
    let base64 = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=');
    if let Some(begin) = text.find("-----BEGIN ") {
        let rest = &text[begin..];
        let Some((label, body)) = rest["-----BEGIN ".len()..].split_once("-----") else {
            return false;
        };
        if !label.contains("PRIVATE KEY") {
            return false;
        }
        let body = body.split("-----END").next().unwrap_or("");
        let digits: usize = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.contains(':'))
            .filter(|l| l.bytes().all(base64))
            .map(str::len)
            .sum();
        return digits >= 64;
    }
    let t = text.trim();
    t.len() >= 100 && t.starts_with("MI") && t.bytes().all(base64)
}

/// Every private key or PFX written in the script, in strings, here-strings and the known
/// values of variables (`-join @(...)`), each once, where it is written.
pub fn embedded_secrets(cx: &Analysis<'_>) -> Vec<EmbeddedSecret> {
    let mut found: Vec<EmbeddedSecret> = Vec::new();
    let text = cx.text();
    if !text.contains("PRIVATE KEY-----") && !text.contains("MI") {
        return found;
    }
    let add = |value: &str, span: Span, found: &mut Vec<EmbeddedSecret>| {
        if !may_be_secret(value) {
            return;
        }
        if let Err(kind @ (CertErrorKind::PrivateKey { .. } | CertErrorKind::Pfx)) = decode(value) {
            found.push(EmbeddedSecret { kind, span });
        }
    };
    cx.nodes.iter().copied().for_each(|node| match node {
        NodeRef::Expression(e @ Expression::String(s)) => add(&s.value, e.span(), &mut found),
        NodeRef::Expression(e @ Expression::ExpandableString(s)) if s.parts.is_empty() => {
            add(&s.value, e.span(), &mut found)
        }
        NodeRef::Statement(Statement::Assignment(a)) => {
            if let Expression::Variable(v) = &a.target
                && let Some(known) = cx.values.assigned(&v.name)
                && known.assignment == a.span
                && !matches!(
                    known.expression,
                    Expression::String(_) | Expression::ExpandableString(_)
                )
                && let Some(text) = known.value.as_str()
            {
                add(text, known.expression.span(), &mut found);
            }
        }
        _ => {}
    });
    found.sort_by_key(|e| e.span.start);
    let mut seen = HashSet::new();
    found.retain(|e| seen.insert(e.span.start));
    found
}

/// The certificates written in a script that deals with key credentials (creates one, or
/// writes a principal's key list): there a certificate in a string is the one uploaded. In
/// other scripts (a test suite's code-signing certificate, a module's trusted roots) a
/// certificate in a string is none of these rules' business.
pub fn credential_certificates(cx: &Analysis<'_>) -> Vec<Embedded> {
    let relevant = !credentials(cx).is_empty()
        || list_writes(cx)
            .iter()
            .any(|w| w.kind == ListKind::KeyCredentials)
        || cx.commands.iter().any(|u| {
            u.is("Add-MgServicePrincipalKey")
                || u.is("Add-MgApplicationKey")
                || u.is("New-CsPartnerApplication")
                || u.is("Set-CsPartnerApplication")
        });
    if relevant {
        embedded_certificates(cx)
    } else {
        Vec::new()
    }
}

/// Where a value is written: the variable's assigned expression when it holds a known value,
/// else the expression itself.
pub fn written_at(cx: &Analysis<'_>, e: &Expression) -> Option<Span> {
    match e {
        Expression::Variable(v) => cx.values.at(v).map(|k| k.expression.span()),
        _ => Some(e.span()),
    }
}

/// Certificates and secrets for the rules' tests: the shipped public certificates, and keys and
/// certificates made at test time (never stored).
#[cfg(test)]
pub(crate) mod test_certs {
    use base64::Engine as _;

    /// The sample OAuth certificate (valid 2025-01-01 to 2045-12-31 23:59:59 UTC).
    pub const OAUTH_PEM: &str = include_str!("../../samples/certs/oauth.cer");
    /// Valid 2015-01-01 to 2020-12-31 23:59:59 UTC.
    pub const EXPIRED_PEM: &str = include_str!("../../tests/fixtures/certs/expired.cer");

    /// The Base64 body of a PEM file, on one line (what `ToBase64String(GetRawCertData())` gives).
    pub fn base64_of(pem: &str) -> String {
        pem.lines()
            .filter(|l| !l.starts_with("-----"))
            .map(str::trim)
            .collect()
    }

    pub fn oauth() -> String {
        base64_of(OAUTH_PEM)
    }

    pub fn expired() -> String {
        base64_of(EXPIRED_PEM)
    }

    /// A self-signed certificate valid between the two dates (year, month, day), in Base64.
    pub fn made(from: (i32, u8, u8), to: (i32, u8, u8)) -> String {
        let key = rcgen::KeyPair::generate().expect("key");
        let mut params =
            rcgen::CertificateParams::new(vec!["lyncpool.fabrikam.com".to_string()]).unwrap();
        params.not_before = rcgen::date_time_ymd(from.0, from.1, from.2);
        params.not_after = rcgen::date_time_ymd(to.0, to.1, to.2);
        let cert = params.self_signed(&key).expect("self-signed");
        base64::engine::general_purpose::STANDARD.encode(cert.der())
    }

    /// A PKCS#8 private key, in Base64.
    pub fn private_key() -> String {
        let key = rcgen::KeyPair::generate().expect("key");
        base64::engine::general_purpose::STANDARD.encode(key.serialize_der())
    }

    /// The outline of a PFX (PKCS#12) file, in Base64.
    pub fn pfx() -> String {
        let der: Vec<u8> = vec![
            0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7,
            0x0D, 0x01, 0x07, 0x01, 0xA0, 0x80, 0x24, 0x80, 0x04, 0x02, 0x30, 0x00, 0, 0, 0, 0, 0,
            0, 0, 0,
        ];
        base64::engine::general_purpose::STANDARD.encode(der)
    }

    /// `-join @('...', '...')` with lines of 64 characters, as generated scripts write it.
    pub fn joined(base64: &str) -> String {
        let lines: Vec<String> = base64
            .as_bytes()
            .chunks(64)
            .map(|c| format!("    '{}'", String::from_utf8_lossy(c)))
            .collect();
        format!("-join @(\n{}\n)", lines.join(",\n"))
    }
}
