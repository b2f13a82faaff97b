//! `xprem cert FILE`: show what a certificate file holds, and whether it can serve as the
//! OAuthTokenIssuer certificate whose public part goes to Office 365.
//!
//! Exit codes: 0 when no check found an error (warnings allowed), 1 when one did (expired, weak
//! key...), 2 when the file cannot be read or is not exactly one certificate.

use std::path::{Path, PathBuf};

use serde::Serialize;
use time::OffsetDateTime;

use super::{Outcome, eprint_diagnostics, print_stdout};
use crate::cert::{Certificate, printable, utc_text};
use crate::cli::{AsOf, EXIT_CODES, ReportFormat};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::moment::rfc3339;
use crate::report::{self, DiagnosticJson, FileReport, Format};

/// A check that finds an error (expired, not yet valid, RSA key under 2048 bits, not RSA) makes
/// the exit code 1; a file that is not exactly one certificate (empty, truncated, a private key,
/// a PFX...) makes it 2.
#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
pub struct Args {
    /// The certificate file: a .cer in DER or Base64/PEM form (the public part only; private keys
    /// and PFX files are refused).
    pub file: PathBuf,

    /// Print only the Base64 string that New-MsolServicePrincipalCredential takes as -Value
    /// (`[Convert]::ToBase64String($cert.GetRawCertData())`), and a newline, so that
    /// `$value = xprem cert oauth.cer --base64` works. Check findings go to standard error.
    #[arg(long, conflicts_with = "format")]
    pub base64: bool,

    /// With `human` and `json`, the certificate's properties and the checks' findings (the
    /// JSON document is stable: fields are only ever added, marked with `"format_version"`);
    /// with `sarif`, `gcc` and `github`, the findings only.
    #[command(flatten)]
    pub format: ReportFormat,

    #[command(flatten)]
    pub as_of: AsOf,
}

pub fn run(args: &Args) -> Result<Outcome, Error> {
    let cert = Certificate::load(&args.file)?;
    let as_of = args.as_of.moment();
    let findings = cert.check(as_of);
    let files = [FileReport {
        path: &args.file,
        text: None,
        diagnostics: &findings,
        encoding: None,
    }];
    if args.base64 {
        // Standard output carries only the value; the findings still reach the admin.
        print_stdout(&format!("{}\n", cert.base64()))?;
        eprint_diagnostics(&args.file, None, &findings);
    } else {
        match args.format.format {
            Format::Human => print_stdout(&text_report(&files, &cert, as_of))?,
            Format::Json => {
                let report = JsonReport::new(&files[0], &cert, as_of);
                let json =
                    serde_json::to_string_pretty(&report).map_err(|e| Error::Stdout(e.into()))?;
                print_stdout(&format!("{json}\n"))?;
            }
            format => print_stdout(&report::render(format, &files))?,
        }
    }
    Ok(if findings.iter().any(|f| f.severity == Severity::Error) {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

/// The human report: one "Label: value" line per property (the labels of the Windows certificate
/// dialog where it has one), then the findings.
fn text_report(files: &[FileReport<'_>], cert: &Certificate, as_of: OffsetDateTime) -> String {
    let (file, findings): (&Path, &[Diagnostic]) = (files[0].path, files[0].diagnostics);
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
        out.push_str(&format!("{}.\n\n", counts.join(", ")));
        out.push_str(&report::render_human(files, report::colours_on_stdout()));
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
/// | `format_version` | number | `2` |
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
/// | `findings[]` | array | errors first, each the diagnostic object every command prints: `code` (stable, e.g. `"cert-expired"`), `severity` (`"error"`/`"warning"`), `file`, `message`, `help` (what to do) |
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
    pub findings: Vec<DiagnosticJson<'a>>,
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

impl<'a> JsonReport<'a> {
    pub fn new(file: &FileReport<'a>, cert: &'a Certificate, as_of: OffsetDateTime) -> Self {
        JsonReport {
            format_version: 2,
            file: file.path.display().to_string(),
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
            ok: !file
                .diagnostics
                .iter()
                .any(|f| f.severity == Severity::Error),
            findings: DiagnosticJson::of_file(file),
        }
    }
}
