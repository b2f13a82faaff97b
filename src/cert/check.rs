//! The checks that decide whether a certificate can serve as the OAuthTokenIssuer certificate
//! whose public part xprem uploads to Office 365. Each check is one function with its reasons
//! beside it; each has "fires" and "does not fire" tests below.
//!
//! The date is always an input: nothing here reads the clock, so a check gives the same answer
//! today and in a test in 2045.

use ::time::{Duration, OffsetDateTime};

use super::{Certificate, utc_text};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity;

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
pub(crate) fn check(cert: &Certificate, as_of: OffsetDateTime) -> Vec<Diagnostic> {
    let mut findings: Vec<Diagnostic> = [
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
fn validity(cert: &Certificate, as_of: OffsetDateTime) -> Option<Diagnostic> {
    let as_of_text = utc_text(as_of);
    if as_of < cert.not_before {
        return Some(Diagnostic::new(
            code::NOT_YET_VALID,
            Severity::Error,
            format!(
                "The certificate is not valid yet: its validity starts on {}, {} after the check date {as_of_text}.",
                utc_text(cert.not_before),
                span(cert.not_before - as_of),
            ),
            "Wait until it is valid, or use a certificate that is valid now. If the start date \
                  is a surprise, check the clock of the machine that issued the certificate."
                .to_string(),
        ));
    }
    if as_of > cert.not_after {
        return Some(Diagnostic::new(
            code::EXPIRED,
            Severity::Error,
            format!(
                "The certificate expired on {}, {} before the check date {as_of_text}.",
                utc_text(cert.not_after),
                span(as_of - cert.not_after),
            ),
            "Renew the OAuthTokenIssuer certificate and assign it on one Front End \
                  (Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint <new \
                  thumbprint>; replication copies it to the others), then export its public part \
                  and run xprem on the new file."
                .to_string(),
        ));
    }
    let left = cert.not_after - as_of;
    if left < Duration::days(EXPIRY_WARNING_DAYS) {
        return Some(Diagnostic::new(
            code::EXPIRES_SOON,
            Severity::Warning,
            format!(
                "The certificate expires on {}, {} after the check date {as_of_text} (xprem warns \
                 {EXPIRY_WARNING_DAYS} days ahead).",
                utc_text(cert.not_after),
                span(left),
            ),
            "Plan the renewal now: stage the new certificate with Set-CsCertificate -Identity \
                  global -Type OAuthTokenIssuer -Thumbprint <new thumbprint> -Roll -EffectiveDate \
                  <date>, and upload its public part to Office 365 (run xprem on it) before that \
                  date, so that the cloud already trusts it when Lync/SfB starts signing with it."
                .to_string(),
        ));
    }
    None
}

/// Is an RSA key at least [`MIN_RSA_BITS`] long?
///
/// Microsoft's one hard requirement on the OAuthTokenIssuer key besides "the same certificate on
/// every Front End". A size that cannot be read is an error too: the requirement is unconfirmed.
fn rsa_key_size(cert: &Certificate) -> Option<Diagnostic> {
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
    Some(Diagnostic::new(
        code::WEAK_RSA_KEY,
        Severity::Error,
        message,
        format!(
            "Issue a new certificate with an RSA key of {MIN_RSA_BITS} bits or more, assign it as \
             the OAuthTokenIssuer certificate, export its public part and run xprem on it."
        ),
    ))
}

/// Is the key RSA at all?
///
/// An error: Lync Server and Skype for Business Server sign their server-to-server tokens with
/// RSA (RS256), Microsoft states the OAuthTokenIssuer requirement as an RSA key size ("at least
/// 2048 bits"), and the Office 365 service principals take the certificate as an RSA verification
/// key. An EC, DSA or EdDSA certificate would be uploaded and then never validate a token, which
/// an admin finds out only from failed Exchange and voicemail integration.
fn key_type(cert: &Certificate) -> Option<Diagnostic> {
    if cert.key_algorithm == "RSA" {
        return None;
    }
    let described = match &cert.key_curve {
        Some(curve) => format!("{} ({curve})", cert.key_algorithm),
        None => cert.key_algorithm.clone(),
    };
    Some(Diagnostic::new(
        code::NOT_RSA,
        Severity::Error,
        format!(
            "The certificate's key is {described}, not RSA. Lync Server and Skype for \
             Business Server sign their OAuth tokens with RSA, and the Office 365 service \
             principals verify them with the uploaded certificate as an RSA key."
        ),
        format!(
            "Use a certificate with an RSA key of {MIN_RSA_BITS} bits or more as the OAuthTokenIssuer certificate."
        ),
    ))
}

/// Is the certificate signed with a broken hash (MD2, MD4, MD5, SHA-1)?
///
/// A warning: the OAuth trust pins this exact certificate, so its own signature is not what
/// protects the tokens; but such certificates are deprecated, and policies and tools reject them.
fn signature_hash(cert: &Certificate) -> Option<Diagnostic> {
    let hash = cert.signature_hash.filter(|h| h.is_weak())?;
    Some(Diagnostic::new(
        code::WEAK_SIGNATURE_HASH,
        Severity::Warning,
        format!(
            "The certificate is signed with {}, which uses {hash}; {hash} signatures can be forged \
             and are deprecated.",
            cert.signature_algorithm
        ),
        "When you next renew it, have it signed with SHA-256 or stronger (most certification \
              authorities do so by default)."
            .to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use ::time::macros::datetime;

    use super::*;
    use crate::cert::DigestAlgorithm;

    fn load(bytes: &[u8]) -> Certificate {
        Certificate::from_bytes(bytes).expect("fixture parses")
    }

    fn sample() -> Certificate {
        load(include_bytes!("../../samples/certs/oauth.cer"))
    }

    fn codes(cert: &Certificate, as_of: OffsetDateTime) -> Vec<&'static str> {
        check(cert, as_of).iter().map(|f| f.code).collect()
    }

    const MID_LIFE: OffsetDateTime = datetime!(2030-06-01 00:00:00 UTC);

    #[test]
    fn the_sample_passes_every_check_for_two_decades() {
        for as_of in [
            datetime!(2025-01-01 00:00:00 UTC),
            MID_LIFE,
            datetime!(2045-11-01 23:59:59 UTC),
        ] {
            assert_eq!(check(&sample(), as_of), [], "as of {as_of}");
        }
    }

    #[test]
    fn not_yet_valid_fires_only_before_not_before() {
        let cert = sample();
        let findings = check(&cert, datetime!(2024-12-31 23:59:59 UTC));
        assert_eq!(findings.len(), 1);
        assert_eq!(
            (findings[0].code, findings[0].severity),
            (code::NOT_YET_VALID, Severity::Error)
        );
        assert_eq!(
            findings[0].message,
            "The certificate is not valid yet: its validity starts on 2025-01-01 00:00:00 UTC, less \
             than a day after the check date 2024-12-31 23:59:59 UTC."
        );
        assert_eq!(
            codes(&cert, datetime!(2025-01-01 00:00:00 UTC)),
            [] as [&str; 0]
        );
        assert_eq!(
            codes(&cert, datetime!(2020-01-01 00:00:00 UTC)),
            [code::NOT_YET_VALID]
        );
    }

    #[test]
    fn expired_fires_only_after_not_after() {
        let cert = sample();
        // Validity includes its last second.
        assert_eq!(
            codes(&cert, datetime!(2045-12-31 23:59:59 UTC)),
            [code::EXPIRES_SOON]
        );
        let findings = check(&cert, datetime!(2046-01-01 00:00:00 UTC));
        assert_eq!(
            (findings[0].code, findings[0].severity),
            (code::EXPIRED, Severity::Error)
        );
        let old = load(include_bytes!("../../tests/fixtures/certs/expired.cer"));
        let findings = check(&old, MID_LIFE);
        assert_eq!(findings.len(), 1);
        assert_eq!(
            findings[0].message,
            "The certificate expired on 2020-12-31 23:59:59 UTC, 3438 days before the check date \
             2030-06-01 00:00:00 UTC."
        );
        assert!(
            findings[0]
                .help
                .contains("Set-CsCertificate -Identity global -Type OAuthTokenIssuer")
        );
    }

    #[test]
    fn expires_soon_fires_inside_the_warning_window() {
        let cert = sample();
        let window_start = cert.not_after - Duration::days(EXPIRY_WARNING_DAYS);
        assert_eq!(codes(&cert, window_start), [] as [&str; 0]);
        let findings = check(&cert, window_start + Duration::seconds(1));
        assert_eq!(
            (findings[0].code, findings[0].severity),
            (code::EXPIRES_SOON, Severity::Warning)
        );
        assert_eq!(
            findings[0].message,
            "The certificate expires on 2045-12-31 23:59:59 UTC, 59 days after the check date \
             2045-11-02 00:00:00 UTC (xprem warns 60 days ahead)."
        );
        assert!(findings[0].help.contains("-Roll -EffectiveDate"));
    }

    #[test]
    fn weak_rsa_key_fires_under_2048_bits_and_when_unreadable() {
        let weak = load(include_bytes!("../../tests/fixtures/certs/rsa1024.cer"));
        let findings = check(&weak, MID_LIFE);
        assert_eq!(findings.len(), 1);
        assert_eq!(
            (findings[0].code, findings[0].severity),
            (code::WEAK_RSA_KEY, Severity::Error)
        );
        assert!(findings[0].message.contains("has 1024 bits"));
        assert_eq!(codes(&sample(), MID_LIFE), [] as [&str; 0]);
        let unknown = Certificate {
            key_bits: None,
            ..sample()
        };
        assert_eq!(codes(&unknown, MID_LIFE), [code::WEAK_RSA_KEY]);
        let big = Certificate {
            key_bits: Some(4096),
            ..sample()
        };
        assert_eq!(codes(&big, MID_LIFE), [] as [&str; 0]);
        let pss = Certificate {
            key_algorithm: "RSA-PSS".into(),
            key_bits: Some(1024),
            ..sample()
        };
        assert_eq!(codes(&pss, MID_LIFE), [code::WEAK_RSA_KEY, code::NOT_RSA]);
    }

    #[test]
    fn not_rsa_is_an_error_for_ec_keys() {
        let ec = load(include_bytes!("../../tests/fixtures/certs/ec-p256.cer"));
        let findings = check(&ec, MID_LIFE);
        assert_eq!(findings.len(), 1);
        assert_eq!(
            (findings[0].code, findings[0].severity),
            (code::NOT_RSA, Severity::Error)
        );
        assert!(
            findings[0]
                .message
                .starts_with("The certificate's key is EC (P-256), not RSA.")
        );
    }

    #[test]
    fn weak_signature_hash_warns_for_sha1_and_md5_only() {
        let sha1 = load(include_bytes!("../../tests/fixtures/certs/sha1.cer"));
        let findings = check(&sha1, MID_LIFE);
        assert_eq!(findings.len(), 1);
        assert_eq!(
            (findings[0].code, findings[0].severity),
            (code::WEAK_SIGNATURE_HASH, Severity::Warning)
        );
        assert_eq!(
            findings[0].message,
            "The certificate is signed with sha1WithRSAEncryption, which uses SHA-1; SHA-1 \
             signatures can be forged and are deprecated."
        );
        let md5 = Certificate {
            signature_algorithm: "md5WithRSAEncryption".into(),
            signature_hash: Some(DigestAlgorithm::Md5),
            ..sample()
        };
        assert_eq!(codes(&md5, MID_LIFE), [code::WEAK_SIGNATURE_HASH]);
        let unknown = Certificate {
            signature_hash: None,
            ..sample()
        };
        assert_eq!(codes(&unknown, MID_LIFE), [] as [&str; 0]);
        for strong in [
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha384,
            DigestAlgorithm::Sha512,
        ] {
            let cert = Certificate {
                signature_hash: Some(strong),
                ..sample()
            };
            assert_eq!(codes(&cert, MID_LIFE), [] as [&str; 0]);
        }
    }

    #[test]
    fn errors_come_before_warnings() {
        let bad = Certificate {
            key_bits: Some(1024),
            signature_hash: Some(DigestAlgorithm::Sha1),
            ..sample()
        };
        let as_of = datetime!(2045-12-01 00:00:00 UTC);
        assert_eq!(
            codes(&bad, as_of),
            [
                code::WEAK_RSA_KEY,
                code::EXPIRES_SOON,
                code::WEAK_SIGNATURE_HASH
            ]
        );
    }

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(Duration::hours(23)), "less than a day");
        assert_eq!(span(Duration::hours(25)), "1 day");
        assert_eq!(span(Duration::days(400)), "400 days");
    }
}
