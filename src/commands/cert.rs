//! `xprem cert FILE`: show what a certificate file holds, and whether it can serve as the
//! OAuthTokenIssuer certificate whose public part goes to Office 365.
//!
//! Exit codes: 0 when no check found an error (warnings allowed), 1 when one did (expired, weak
//! key...), 2 when the file cannot be read or is not exactly one certificate.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use time::OffsetDateTime;

use super::{Outcome, parse_as_of, print_stdout};
use crate::cert::{CertFinding, Certificate, printable, utc_text};
use crate::error::Error;
use crate::problem::Severity;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes: 0 no check found an error (warnings allowed); 1 a check found \
an error (expired, not yet valid, RSA key under 2048 bits); 2 the file cannot be read or is not \
exactly one certificate (empty, truncated, a private key, a PFX...)."
)]
pub struct Args {
    /// The certificate file: a .cer in DER or Base64/PEM form (the public part only; private keys
    /// and PFX files are refused).
    pub file: PathBuf,

    /// Print only the Base64 string that New-MsolServicePrincipalCredential takes as -Value
    /// (`[Convert]::ToBase64String($cert.GetRawCertData())`), and a newline, so that
    /// `$value = xprem cert oauth.cer --base64` works. Check findings go to standard error.
    #[arg(long, conflicts_with = "format")]
    pub base64: bool,

    /// Output format: `text` for people; `json` for programs (a stable document whose fields
    /// are only ever added to, marked with `"format_version": 1`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Run the checks as of this date (UTC, at 00:00:00), as YYYY-MM-DD. Default: now.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    pub as_of: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn run(args: &Args) -> Result<Outcome, Error> {
    let cert = Certificate::load(&args.file)?;
    let as_of = match args.as_of {
        Some(moment) => moment,
        // Whole seconds: sub-second precision would only make the output noisier.
        None => OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap_or_else(|_| OffsetDateTime::now_utc()),
    };
    let findings = cert.check(as_of);
    if args.base64 {
        print_stdout(&format!("{}\n", cert.base64()))?;
        report_to_stderr(&args.file, &findings);
    } else {
        match args.format {
            Format::Text => print_stdout(&text_report(&args.file, &cert, as_of, &findings))?,
            Format::Json => {
                let report = JsonReport::new(&args.file, &cert, as_of, &findings);
                let json =
                    serde_json::to_string_pretty(&report).map_err(|e| Error::Stdout(e.into()))?;
                print_stdout(&format!("{json}\n"))?;
            }
        }
    }
    Ok(if findings.iter().any(|f| f.severity == Severity::Error) {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

/// With `--base64`, standard output carries only the value; findings still reach the admin.
fn report_to_stderr(file: &Path, findings: &[CertFinding]) {
    let mut err = std::io::stderr().lock();
    for f in findings {
        // Nothing useful can be done if standard error is gone.
        let _ = writeln!(
            err,
            "xprem: {}: {}: {} Fix: {}",
            f.severity,
            file.display(),
            f.message,
            f.fix
        );
    }
}

/// The human report: one "Label: value" line per property (the labels of the Windows certificate
/// dialog where it has one), then the findings.
fn text_report(
    file: &Path,
    cert: &Certificate,
    as_of: OffsetDateTime,
    findings: &[CertFinding],
) -> String {
    let mut rows: Vec<(&str, String)> = vec![
        ("File", file.display().to_string()),
        ("Format", cert.format.to_string()),
        ("Subject", printable(&cert.subject).into_owned()),
        (
            "Issuer",
            if cert.is_self_issued() {
                format!("{} (self-signed)", printable(&cert.issuer))
            } else {
                printable(&cert.issuer).into_owned()
            },
        ),
        ("Serial number", cert.serial.clone()),
        ("Valid from", utc_text(cert.not_before)),
        ("Valid to", utc_text(cert.not_after)),
        ("Public key", key_text(cert)),
        ("Signature algorithm", cert.signature_algorithm.clone()),
        (
            "Thumbprint",
            format!("{} (SHA-1, as Windows shows it)", cert.sha1_thumbprint),
        ),
        ("SHA-256", cert.sha256.clone()),
    ];
    if !cert.dns_names.is_empty() {
        let names: Vec<_> = cert
            .dns_names
            .iter()
            .map(|n| printable(n).into_owned())
            .collect();
        rows.push(("DNS names", names.join(", ")));
    }
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0) + 1;
    let mut out = String::new();
    for (label, value) in rows {
        out.push_str(&format!("{:<width$} {value}\n", format!("{label}:")));
    }

    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    out.push_str(&format!("\nChecks as of {}: ", utc_text(as_of)));
    if findings.is_empty() {
        out.push_str("no problems found.\n");
    } else {
        let counts: Vec<String> = [(errors, "error"), (warnings, "warning")]
            .into_iter()
            .filter(|&(n, _)| n > 0)
            .map(|(n, word)| plural(n, word))
            .collect();
        out.push_str(&format!("{}.\n", counts.join(", ")));
        for f in findings {
            out.push_str(&format!(
                "  {}: {}\n    Fix: {}\n",
                f.severity, f.message, f.fix
            ));
        }
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "RSA 2048 bits", "EC P-256 (256 bits)", "DSA (size unknown)".
fn key_text(cert: &Certificate) -> String {
    let bits = match cert.key_bits {
        Some(bits) => format!("{bits} bits"),
        None => "size unknown".to_string(),
    };
    match &cert.key_curve {
        Some(curve) => format!("{} {} ({bits})", cert.key_algorithm, printable(curve)),
        None if cert.key_bits.is_some() => format!("{} {bits}", cert.key_algorithm),
        None => format!("{} ({bits})", cert.key_algorithm),
    }
}

/// The document `xprem cert FILE --format json` prints (pretty-printed, then a newline).
///
/// Stable: fields may be added, but none is renamed, removed or changes meaning without
/// `format_version` changing.
///
/// | field | type | meaning |
/// |---|---|---|
/// | `format_version` | number | `1` |
/// | `file` | string | the path as given on the command line |
/// | `format` | string | `"der"`, `"pem"` or `"base64"`: how the file is written |
/// | `subject`, `issuer` | string | distinguished names as Windows shows them, most specific first |
/// | `self_issued` | bool | subject and issuer are the same name |
/// | `serial` | string | uppercase hex, no separators (Windows `SerialNumber`) |
/// | `not_before`, `not_after` | string | RFC 3339, UTC (`2025-01-01T00:00:00Z`) |
/// | `key.algorithm` | string | `"RSA"`, `"RSA-PSS"`, `"EC"`, `"Ed25519"`, `"Ed448"`, `"DSA"`, or a name/OID |
/// | `key.bits` | number or null | key size in bits |
/// | `key.curve` | string or null | EC named curve (`"P-256"`...) |
/// | `signature.algorithm` | string | OpenSSL name, e.g. `"sha256WithRSAEncryption"` |
/// | `signature.oid` | string | dotted OID |
/// | `signature.hash` | string or null | `"SHA-256"`, `"SHA-1"`, `"MD5"`... |
/// | `sha1_thumbprint` | string | 40 uppercase hex digits: Windows `Thumbprint` |
/// | `sha256` | string | 64 uppercase hex digits |
/// | `dns_names` | array of strings | DNS names in the subject alternative name |
/// | `base64` | string | the `-Value` for New-MsolServicePrincipalCredential (Base64 of the DER) |
/// | `as_of` | string | RFC 3339, UTC: the moment the checks ran at |
/// | `ok` | bool | true when no finding is an error (exit code 0) |
/// | `findings[]` | array | errors first: `code` (stable, e.g. `"cert-expired"`), `severity` (`"error"`/`"warning"`), `message`, `fix` |
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub format_version: u32,
    pub file: String,
    pub format: crate::cert::CertFormat,
    pub subject: &'a str,
    pub issuer: &'a str,
    pub self_issued: bool,
    pub serial: &'a str,
    pub not_before: String,
    pub not_after: String,
    pub key: JsonKey<'a>,
    pub signature: JsonSignature<'a>,
    pub sha1_thumbprint: &'a str,
    pub sha256: &'a str,
    pub dns_names: &'a [String],
    pub base64: String,
    pub as_of: String,
    pub ok: bool,
    pub findings: Vec<JsonFinding<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonKey<'a> {
    pub algorithm: &'a str,
    pub bits: Option<u32>,
    pub curve: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct JsonSignature<'a> {
    pub algorithm: &'a str,
    pub oid: &'a str,
    pub hash: Option<crate::cert::DigestAlgorithm>,
}

#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    pub code: &'a str,
    pub severity: Severity,
    pub message: &'a str,
    pub fix: &'a str,
}

impl<'a> JsonReport<'a> {
    pub fn new(
        file: &Path,
        cert: &'a Certificate,
        as_of: OffsetDateTime,
        findings: &'a [CertFinding],
    ) -> Self {
        JsonReport {
            format_version: 1,
            file: file.display().to_string(),
            format: cert.format,
            subject: &cert.subject,
            issuer: &cert.issuer,
            self_issued: cert.is_self_issued(),
            serial: &cert.serial,
            not_before: rfc3339(cert.not_before),
            not_after: rfc3339(cert.not_after),
            key: JsonKey {
                algorithm: &cert.key_algorithm,
                bits: cert.key_bits,
                curve: cert.key_curve.as_deref(),
            },
            signature: JsonSignature {
                algorithm: &cert.signature_algorithm,
                oid: &cert.signature_algorithm_oid,
                hash: cert.signature_hash,
            },
            sha1_thumbprint: &cert.sha1_thumbprint,
            sha256: &cert.sha256,
            dns_names: &cert.dns_names,
            base64: cert.base64(),
            as_of: rfc3339(as_of),
            ok: !findings.iter().any(|f| f.severity == Severity::Error),
            findings: findings
                .iter()
                .map(|f| JsonFinding {
                    code: f.code,
                    severity: f.severity,
                    message: &f.message,
                    fix: &f.fix,
                })
                .collect(),
        }
    }
}

/// `2025-01-01T00:00:00Z`.
fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    // Fails only for years outside 0..=9999, which X.509 times cannot express.
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}
