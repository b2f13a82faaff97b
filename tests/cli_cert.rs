//! `xprem cert`: the real binary, run on the shipped certificates and on every kind of bad input.
//! Bad inputs (keys, PFX, truncated files...) are written to a temporary folder by the tests
//! themselves; private keys are generated here with rcgen, never stored in the repository.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use base64::Engine as _;

const SAMPLE: &str = "samples/certs/oauth.cer";
const FIXTURES: &str = "tests/fixtures/certs";
/// A date the sample is comfortably valid at, so snapshots never change with the calendar.
const AS_OF: &str = "2030-06-01";

/// `xprem` run from the crate root, so paths in its output are the relative ones we pass.
fn xprem() -> Command {
    crate::common::xprem(&crate::common::root(), &[])
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = xprem().args(args).output().expect("xprem runs");
    Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("fixture readable")
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<String> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    format!(
        "-----BEGIN {label}-----\r\n{}\r\n-----END {label}-----\r\n",
        lines.join("\r\n")
    )
}

// ---------------------------------------------------------------------------------------------
// Good input

#[test]
fn text_report_of_the_sample() {
    let r = run(&["cert", SAMPLE, "--as-of", AS_OF]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    insta::assert_snapshot!("cert_sample_text", r.stdout);
}

#[test]
fn json_report_of_the_sample() {
    let r = run(&["cert", SAMPLE, "--format", "json", "--as-of", AS_OF]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    insta::assert_snapshot!("cert_sample_json", r.stdout);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("valid JSON");
    assert_eq!(
        json["sha1_thumbprint"],
        "54C5F8A84E0C62B8C0DABB7E6843C48E06C64D51"
    );
    assert_eq!(json["ok"], true);
    assert_eq!(json["as_of"], "2030-06-01T00:00:00Z");
}

#[test]
fn text_report_with_findings_exits_1() {
    let r = run(&["cert", &fixture("expired.cer"), "--as-of", AS_OF]);
    assert_eq!((r.code, r.stderr.as_str()), (1, ""));
    insta::assert_snapshot!("cert_expired_text", r.stdout);
}

#[test]
fn json_report_with_findings_exits_1() {
    let r = run(&[
        "cert",
        &fixture("rsa1024.cer"),
        "--format",
        "json",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(r.code, 1);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("valid JSON");
    assert_eq!(json["ok"], false);
    assert_eq!(json["key"]["bits"], 1024);
    assert_eq!(json["findings"][0]["code"], "cert-weak-rsa-key");
    assert_eq!(json["findings"][0]["severity"], "error");
}

#[test]
fn warnings_alone_exit_0() {
    let r = run(&["cert", &fixture("sha1.cer"), "--as-of", AS_OF]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("1 warning."), "{}", r.stdout);
}

#[test]
fn an_ec_certificate_is_an_error() {
    // The Office 365 service principals and Lync/SfB need an RSA key.
    let r = run(&["cert", &fixture("ec-p256.cer"), "--as-of", AS_OF]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("not RSA"), "{}", r.stdout);
}

#[test]
fn every_form_of_the_sample_reports_the_same_thumbprint() {
    for path in [
        SAMPLE.to_string(),
        fixture("oauth-der.cer"),
        fixture("oauth-bare-bom.cer"),
        fixture("oauth-utf16.cer"),
    ] {
        let r = run(&["cert", &path, "--as-of", AS_OF]);
        assert_eq!(r.code, 0, "{path}: {}", r.stderr);
        assert!(
            r.stdout
                .contains("Thumbprint:          54C5F8A84E0C62B8C0DABB7E6843C48E06C64D51"),
            "{path}"
        );
    }
}

#[test]
fn base64_prints_only_the_value_and_a_newline() {
    let r = run(&["cert", SAMPLE, "--base64"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let expected =
        base64::engine::general_purpose::STANDARD.encode(read(&fixture("oauth-der.cer")));
    assert_eq!(r.stdout, format!("{expected}\n"));
    // The same value whatever form the file is in.
    let der = run(&["cert", &fixture("oauth-der.cer"), "--base64"]);
    assert_eq!(der.stdout, r.stdout);
}

#[test]
fn base64_keeps_findings_off_stdout() {
    let r = run(&[
        "cert",
        &fixture("expired.cer"),
        "--base64",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.lines().count(), 1);
    assert!(r.stdout.starts_with("MII"));
    assert!(
        r.stderr
            .starts_with("error[cert-expired]: The certificate expired on 2020-12-31")
            && r.stderr.contains("--> tests/fixtures/certs/expired.cer"),
        "{}",
        r.stderr
    );
}

#[test]
fn default_as_of_is_now() {
    // The sample is valid until 2045; this test documents that the default date is today.
    let r = run(&["cert", SAMPLE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Checks as of 20"));
}

// ---------------------------------------------------------------------------------------------
// Usage errors

#[test]
fn usage_errors_exit_2() {
    let bad_date = run(&["cert", SAMPLE, "--as-of", "01/06/2030"]);
    assert_eq!(bad_date.code, 2);
    assert!(
        bad_date
            .stderr
            .contains("is not a date written as YYYY-MM-DD"),
        "{}",
        bad_date.stderr
    );
    let impossible = run(&["cert", SAMPLE, "--as-of", "2030-02-30"]);
    assert_eq!(impossible.code, 2);
    let both = run(&["cert", SAMPLE, "--base64", "--format", "json"]);
    assert_eq!(both.code, 2);
    assert!(
        both.stderr.contains("cannot be used with"),
        "{}",
        both.stderr
    );
    let no_file = run(&["cert"]);
    assert_eq!(no_file.code, 2);
}

// ---------------------------------------------------------------------------------------------
// Bad input: exit 2, one paragraph naming the file, nothing on stdout

struct BadFile {
    name: &'static str,
    bytes: Vec<u8>,
    /// A phrase the message must contain.
    says: &'static str,
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match content.len() {
        n if n < 0x80 => out.push(n as u8),
        n if n < 0x100 => out.extend([0x81, n as u8]),
        n => out.extend([0x82, (n >> 8) as u8, n as u8]),
    }
    out.extend_from_slice(content);
    out
}

/// A PFX outline as Windows writes it (BER, indefinite lengths), and one with definite lengths.
fn pfx_files() -> (Vec<u8>, Vec<u8>) {
    let data_oid = tlv(
        0x06,
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01],
    );
    let mut ber = vec![0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80];
    ber.extend(&data_oid);
    ber.extend([
        0xA0, 0x80, 0x24, 0x80, 0x04, 0x02, 0x30, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    let auth_safe = tlv(
        0x30,
        &[data_oid, tlv(0xA0, &tlv(0x04, &[0x30, 0x00]))].concat(),
    );
    let definite = tlv(0x30, &[tlv(0x02, &[3]), auth_safe].concat());
    (ber, definite)
}

fn bad_files(key: &rcgen::KeyPair) -> Vec<BadFile> {
    let sample = read(SAMPLE);
    let der = read(&fixture("oauth-der.cer"));
    let ec = read(&fixture("ec-p256.cer"));
    let sample_text = String::from_utf8(sample.clone()).expect("ASCII");
    let (pfx_ber, pfx_definite) = pfx_files();
    let params =
        rcgen::CertificateParams::new(vec!["lyncpool.fabrikam.com".to_string()]).expect("params");
    let csr = params.serialize_request(key).expect("CSR");

    let mut trailing = der.clone();
    trailing.extend(b"garbage");
    let mut two_der = der.clone();
    two_der.extend(&der);
    let no_end: String = sample_text
        .lines()
        .filter(|l| !l.starts_with("-----END"))
        .map(|l| format!("{l}\n"))
        .collect();

    vec![
        BadFile {
            name: "empty.cer",
            bytes: vec![],
            says: "the file is empty (0 bytes)",
        },
        BadFile {
            name: "blank.cer",
            bytes: b"\r\n  \r\n".to_vec(),
            says: "only blank space",
        },
        BadFile {
            name: "random.bin",
            bytes: vec![0x00, 0x9F, 0xFF, 0x13, 0x80, 0x01],
            says: "binary data that is not a certificate",
        },
        BadFile {
            name: "zipped.cer",
            bytes: b"PK\x03\x04\x14\x00\x08\x00".to_vec(),
            says: "it looks like a ZIP archive",
        },
        BadFile {
            name: "notes.cer",
            bytes: b"thumbprint: see the wiki\r\n".to_vec(),
            says: "neither a PEM certificate",
        },
        BadFile {
            name: "thumbprint.cer",
            bytes: b"54C5F8A84E0C62B8C0DABB7E6843C48E06C64D51\r\n".to_vec(),
            says: "looks like a certificate thumbprint",
        },
        BadFile {
            name: "key.pem",
            bytes: key.serialize_pem().into_bytes(),
            says: "holds a private key (a PEM block labelled \"PRIVATE KEY\" at line 1)",
        },
        BadFile {
            name: "key.der",
            bytes: key.serialize_der(),
            says: "holds a private key (a PKCS#8 private key)",
        },
        BadFile {
            name: "cert-and-key.pem",
            bytes: [sample.clone(), key.serialize_pem().into_bytes()].concat(),
            says: "holds a private key (a PEM block labelled \"PRIVATE KEY\" at line 23)",
        },
        BadFile {
            name: "windows.pfx",
            bytes: pfx_ber,
            says: "is a PFX/PKCS#12 archive",
        },
        BadFile {
            name: "openssl.p12",
            bytes: pfx_definite,
            says: "is a PFX/PKCS#12 archive",
        },
        BadFile {
            name: "truncated.cer",
            bytes: der[..600].to_vec(),
            says: "its own header says it is 948 bytes long, but only 600 bytes are there",
        },
        BadFile {
            name: "no-end.cer",
            bytes: no_end.into_bytes(),
            says: "has no matching END line",
        },
        BadFile {
            name: "trailing.cer",
            bytes: trailing,
            says: "after the certificate (948 bytes) the file has 7 more bytes",
        },
        BadFile {
            name: "chain.cer",
            bytes: [sample.clone(), ec].concat(),
            says: "holds 2 certificates (#1 at line 1: CN=lyncpool.fabrikam.com, O=Fabrikam, C=US, thumbprint 54C5F8A84E0C62B8C0DABB7E6843C48E06C64D51; #2 at line 23: CN=ec.fabrikam.com",
        },
        BadFile {
            name: "two.der",
            bytes: two_der,
            says: "holds 2 certificates (#1 at byte 0",
        },
        BadFile {
            name: "request.csr",
            bytes: csr.der().to_vec(),
            says: "is a certificate request (CSR)",
        },
        BadFile {
            name: "bundle.p7b",
            bytes: pem("PKCS7", &[0x30, 0x00]).into_bytes(),
            says: "is a PKCS#7 bundle (.p7b)",
        },
    ]
}

#[test]
fn every_bad_input_exits_2_with_one_paragraph_naming_the_file() {
    let key = rcgen::KeyPair::generate().expect("P-256 key");
    let dir = tempfile::tempdir().expect("temp dir");
    for bad in bad_files(&key) {
        let path = dir.path().join(bad.name);
        std::fs::write(&path, &bad.bytes).expect("write bad file");
        for extra in [&[][..], &["--base64"][..], &["--format", "json"][..]] {
            let mut args = vec!["cert", path.to_str().expect("UTF-8 temp path")];
            args.extend_from_slice(extra);
            let r = run(&args);
            assert_eq!(r.code, 2, "{}: {}", bad.name, r.stderr);
            assert_eq!(r.stdout, "", "{}: nothing on stdout", bad.name);
            let prefix = format!("xprem: error: {}: ", path.display());
            assert!(r.stderr.starts_with(&prefix), "{}: {}", bad.name, r.stderr);
            assert!(
                r.stderr.contains(bad.says),
                "{}: expected {:?} in {}",
                bad.name,
                bad.says,
                r.stderr
            );
            assert_eq!(
                r.stderr.lines().count(),
                1,
                "{}: one paragraph: {}",
                bad.name,
                r.stderr
            );
        }
    }
}

#[test]
fn the_private_key_never_reaches_the_output() {
    let key = rcgen::KeyPair::generate().expect("P-256 key");
    let dir = tempfile::tempdir().expect("temp dir");
    let pem_key = key.serialize_pem();
    let der_key = key.serialize_der();
    let b64_key = base64::engine::general_purpose::STANDARD.encode(&der_key);
    let files: [(&str, Vec<u8>); 3] = [
        ("key.pem", pem_key.into_bytes()),
        ("key.der", der_key.clone()),
        ("key.b64", b64_key.clone().into_bytes()),
    ];
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write key");
        let r = run(&["cert", path.to_str().expect("UTF-8 temp path")]);
        assert_eq!(r.code, 2);
        let all = format!("{}{}", r.stdout, r.stderr);
        for window in b64_key.as_bytes().windows(8) {
            let window = std::str::from_utf8(window).expect("ASCII");
            assert!(
                !all.contains(window),
                "{name}: output quotes the key: {all}"
            );
        }
        assert!(
            !all.to_uppercase()
                .contains(&hex::encode_upper(&der_key[der_key.len() - 8..]))
        );
    }
}

#[test]
fn unreadable_paths_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing: PathBuf = dir.path().join("missing.cer");
    for path in [missing.as_path(), dir.path()] {
        let r = run(&["cert", path.to_str().expect("UTF-8 temp path")]);
        assert_eq!(r.code, 2);
        assert_eq!(r.stdout, "");
        assert!(
            r.stderr.starts_with(&format!(
                "xprem: error: {}: cannot read the certificate file: ",
                path.display()
            )),
            "{}",
            r.stderr
        );
    }
}
