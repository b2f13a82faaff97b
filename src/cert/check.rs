//! The checks that decide whether a certificate can serve as the OAuthTokenIssuer certificate
//! whose public part xprem uploads to Office 365. Each check is one function with its reasons
//! beside it; each has "fires" and "does not fire" tests below.
//!
//! The date is always an input: nothing here reads the clock, so a check gives the same answer
//! today and in a test in 2045.

use ::time::{Duration, OffsetDateTime};

use super::{CertFinding, Certificate, utc_text};
use crate::problem::Severity;

/// Finding codes: stable, never reused (they appear in `xprem cert --format json`).
pub mod code {
    pub const NOT_YET_VALID: &str = "cert-not-yet-valid";
    pub const EXPIRED: &str = "cert-expired";
    pub const EXPIRES_SOON: &str = "cert-expires-soon";
    pub const WEAK_RSA_KEY: &str = "cert-weak-rsa-key";
    pub const NOT_RSA: &str = "cert-not-rsa";
    pub const WEAK_SIGNATURE_HASH: &str = "cert-weak-signature-hash";
}

/// How far ahead an approaching expiry is reported.
pub const EXPIRY_WARNING_DAYS: i64 = 60;

/// The smallest RSA key Lync Server 2013 / Skype for Business Server accept for the
/// OAuthTokenIssuer certificate (domain notes 4.1, "Assign a server-to-server certificate").
pub const MIN_RSA_BITS: u32 = 2048;

/// Runs every check at `as_of`: errors first, then warnings, each group in the order below.
pub(crate) fn check(cert: &Certificate, as_of: OffsetDateTime) -> Vec<CertFinding> {
    let mut findings: Vec<CertFinding> = [
        validity(cert, as_of),
        rsa_key_size(cert),
        key_type(cert),
        signature_hash(cert),
    ]
    .into_iter()
    .flatten()
    .collect();
    findings.sort_by_key(|f| f.severity);
    findings
}

/// "3 days", "1 day", "less than a day".
fn span(d: Duration) -> String {
    match d.whole_days() {
        0 => "less than a day".to_string(),
        1 => "1 day".to_string(),
        n => format!("{n} days"),
    }
}

/// Is the certificate valid at `as_of`, and for how much longer?
///
/// - Not valid yet (error): a credential made from it is no use before its start date.
/// - Expired (error): Office 365 must not be given a credential that has already lapsed, and Lync
///   would be signing tokens with an expired certificate.
/// - Expires within [`EXPIRY_WARNING_DAYS`] (warning): renewing means staging a new certificate
///   on premises *and* uploading it to the cloud before it takes effect; that needs lead time.
///
/// X.509 validity includes both ends, so a certificate is still valid at its `not_after` second.
fn validity(cert: &Certificate, as_of: OffsetDateTime) -> Option<CertFinding> {
    let as_of_text = utc_text(as_of);
    if as_of < cert.not_before {
        return Some(CertFinding {
            code: code::NOT_YET_VALID,
            severity: Severity::Error,
            message: format!(
                "The certificate is not valid yet: its validity starts on {}, {} after the check date {as_of_text}.",
                utc_text(cert.not_before),
                span(cert.not_before - as_of),
            ),
            fix:
                "Wait until it is valid, or use a certificate that is valid now. If the start date \
                  is a surprise, check the clock of the machine that issued the certificate."
                    .to_string(),
        });
    }
    if as_of > cert.not_after {
        return Some(CertFinding {
            code: code::EXPIRED,
            severity: Severity::Error,
            message: format!(
                "The certificate expired on {}, {} before the check date {as_of_text}.",
                utc_text(cert.not_after),
                span(as_of - cert.not_after),
            ),
            fix: "Renew the OAuthTokenIssuer certificate and assign it on one Front End \
                  (Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint <new \
                  thumbprint>; replication copies it to the others), then export its public part \
                  and run xprem on the new file."
                .to_string(),
        });
    }
    let left = cert.not_after - as_of;
    if left < Duration::days(EXPIRY_WARNING_DAYS) {
        return Some(CertFinding {
            code: code::EXPIRES_SOON,
            severity: Severity::Warning,
            message: format!(
                "The certificate expires on {}, {} after the check date {as_of_text} (xprem warns \
                 {EXPIRY_WARNING_DAYS} days ahead).",
                utc_text(cert.not_after),
                span(left),
            ),
            fix:
                "Plan the renewal now: stage the new certificate with Set-CsCertificate -Identity \
                  global -Type OAuthTokenIssuer -Thumbprint <new thumbprint> -Roll -EffectiveDate \
                  <date>, and upload its public part to Office 365 (run xprem on it) before that \
                  date, so that the cloud already trusts it when Lync/SfB starts signing with it."
                    .to_string(),
        });
    }
    None
}

/// Is an RSA key at least [`MIN_RSA_BITS`] long?
///
/// Microsoft's one hard requirement on the OAuthTokenIssuer key besides "the same certificate on
/// every Front End". A size that cannot be read is an error too: the requirement is unconfirmed.
fn rsa_key_size(cert: &Certificate) -> Option<CertFinding> {
    if !matches!(cert.key_algorithm.as_str(), "RSA" | "RSA-PSS") {
        return None;
    }
    let message = match cert.key_bits {
        Some(bits) if bits >= MIN_RSA_BITS => return None,
        Some(bits) => format!(
            "The certificate's RSA key has {bits} bits; Lync Server and Skype for Business Server \
             require at least {MIN_RSA_BITS} bits for the OAuthTokenIssuer certificate."
        ),
        None => format!(
            "The size of the certificate's RSA key cannot be read, so xprem cannot confirm the \
             {MIN_RSA_BITS} bits Lync Server and Skype for Business Server require."
        ),
    };
    Some(CertFinding {
        code: code::WEAK_RSA_KEY,
        severity: Severity::Error,
        message,
        fix: format!(
            "Issue a new certificate with an RSA key of {MIN_RSA_BITS} bits or more, assign it as \
             the OAuthTokenIssuer certificate, export its public part and run xprem on it."
        ),
    })
}

/// Is the key RSA at all?
///
/// A judgement call, so a warning rather than an error: Microsoft's pages state the requirement
/// as a key length ("at least 2048 bits"), which is an RSA measure, and Lync/SfB server-to-server
/// tokens are signed with RSA (RS256). Nothing documents EC, DSA or EdDSA keys working for this
/// trust, but nothing we have read forbids them in so many words either. The warning tells the
/// admin before they find out from a failed token.
fn key_type(cert: &Certificate) -> Option<CertFinding> {
    if cert.key_algorithm == "RSA" {
        return None;
    }
    let described = match &cert.key_curve {
        Some(curve) => format!("{} ({curve})", cert.key_algorithm),
        None => cert.key_algorithm.clone(),
    };
    Some(CertFinding {
        code: code::NOT_RSA,
        severity: Severity::Warning,
        message: format!(
            "The certificate's key is {described}, not RSA. Lync Server and Skype for \
             Business Server sign their OAuth tokens with RSA, and Microsoft states the \
             OAuthTokenIssuer requirement as an RSA key size; other key types are not known to work."
        ),
        fix: format!(
            "Use a certificate with an RSA key of {MIN_RSA_BITS} bits or more as the OAuthTokenIssuer certificate."
        ),
    })
}

/// Is the certificate signed with a broken hash (MD2, MD4, MD5, SHA-1)?
///
/// A warning: the OAuth trust pins this exact certificate, so its own signature is not what
/// protects the tokens; but such certificates are deprecated, and policies and tools reject them.
fn signature_hash(cert: &Certificate) -> Option<CertFinding> {
    let hash = cert.signature_hash.filter(|h| h.is_weak())?;
    Some(CertFinding {
        code: code::WEAK_SIGNATURE_HASH,
        severity: Severity::Warning,
        message: format!(
            "The certificate is signed with {}, which uses {hash}; {hash} signatures can be forged \
             and are deprecated.",
            cert.signature_algorithm
        ),
        fix: "When you next renew it, have it signed with SHA-256 or stronger (most certification \
              authorities do so by default)."
            .to_string(),
    })
}
