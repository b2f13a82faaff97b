//! Tests of the whole certificate path: every accepted form, every refusal, and the pinned
//! fingerprints of the shipped certificates. Private keys, PFX files and other wrong input are
//! made here, at test time (rcgen keys, synthesized DER): none is stored in the repository.

use std::path::Path;

use base64::Engine as _;
use proptest::prelude::*;
use time::macros::datetime;

use super::der::build::{seq, tlv};
use super::der::{TAG_INTEGER, TAG_OCTET_STRING, TAG_OID};
use super::*;

const SAMPLE_PEM: &[u8] = include_bytes!("../../samples/certs/oauth.cer");
const SAMPLE_DER: &[u8] = include_bytes!("../../tests/fixtures/certs/oauth-der.cer");
const SAMPLE_BARE_BOM: &[u8] = include_bytes!("../../tests/fixtures/certs/oauth-bare-bom.cer");
const SAMPLE_UTF16: &[u8] = include_bytes!("../../tests/fixtures/certs/oauth-utf16.cer");
const RSA1024: &[u8] = include_bytes!("../../tests/fixtures/certs/rsa1024.cer");
const SHA1_SIGNED: &[u8] = include_bytes!("../../tests/fixtures/certs/sha1.cer");
const EXPIRED: &[u8] = include_bytes!("../../tests/fixtures/certs/expired.cer");
const EC_P256: &[u8] = include_bytes!("../../tests/fixtures/certs/ec-p256.cer");

/// `openssl x509 -noout -fingerprint -sha1` / `-sha256` of each shipped certificate, computed
/// once when they were made (tests/fixtures/certs/README.md) and pinned here.
const PINNED: &[(&str, &[u8], &str, &str)] = &[
    (
        "oauth",
        SAMPLE_PEM,
        "54C5F8A84E0C62B8C0DABB7E6843C48E06C64D51",
        "19D828C71C62D7289E915D89A563BACD284CC5E38027ADC5A55C27574F3DB3B4",
    ),
    (
        "rsa1024",
        RSA1024,
        "F84C625DA7EC3D5845E2CB23404B8C0FD8FAD301",
        "8325CC743DB3DA6ADDC4EE81ECC8E8638AA62E92FBB3DC2A99A4036F001EBB17",
    ),
    (
        "sha1",
        SHA1_SIGNED,
        "B1314ADEC49B9AC7508D5CAF6E8A3EF2B6D9BE91",
        "45600573B5B95E6252716FE53DCAFB78B6D3DB82B872C473C45774800A05BDBC",
    ),
    (
        "expired",
        EXPIRED,
        "4D9E07E366BC42961686FEF9677512826F90778F",
        "F7DAAA43A5E262E96E16B4B86C6A1FBC2D535523F8827BCC0207BD2632C14682",
    ),
    (
        "ec-p256",
        EC_P256,
        "15AB9A02372C8625428EC4ECC162C8B87867F3AE",
        "5774D878B98D5F015A60392B999608A4E3394147F80BE4D203614E4B478B0974",
    ),
];

fn parse(bytes: &[u8]) -> Certificate {
    match Certificate::from_bytes(bytes) {
        Ok(cert) => cert,
        Err(e) => panic!("expected a certificate, got: {e}"),
    }
}

fn refuse(bytes: &[u8]) -> CertErrorKind {
    match Certificate::from_bytes(bytes) {
        Ok(cert) => panic!("expected a refusal, got the certificate {}", cert.subject),
        Err(e) => e,
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("Base64 is ASCII"))
        .collect();
    format!(
        "-----BEGIN {label}-----\r\n{}\r\n-----END {label}-----\r\n",
        lines.join("\r\n")
    )
}

fn sample_lf() -> String {
    String::from_utf8(SAMPLE_PEM.to_vec())
        .expect("sample is ASCII")
        .replace("\r\n", "\n")
}

// ---------------------------------------------------------------------------------------------
// Accepted forms

#[test]
fn thumbprints_match_openssl() {
    for &(name, bytes, sha1, sha256) in PINNED {
        let cert = parse(bytes);
        assert_eq!(cert.sha1_thumbprint, sha1, "{name} SHA-1");
        assert_eq!(cert.sha256, sha256, "{name} SHA-256");
    }
}

#[test]
fn every_form_of_the_sample_gives_the_same_certificate() {
    let lf = sample_lf();
    let mut utf8_bom = b"\xEF\xBB\xBF".to_vec();
    utf8_bom.extend_from_slice(SAMPLE_PEM);
    let utf16_be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(lf.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let utf16_le_no_bom: Vec<u8> = lf.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let one_line = base64::engine::general_purpose::STANDARD.encode(SAMPLE_DER);
    let openssl_bag = format!(
        "Bag Attributes\n    localKeyID: 01 00 00 00\nsubject=C = US, O = Fabrikam, CN = lyncpool.fabrikam.com\n{lf}"
    );
    let unpadded = pem("CERTIFICATE", SAMPLE_DER).replace('=', "");

    let cases: Vec<(&str, Vec<u8>, CertFormat)> = vec![
        ("PEM, CRLF", SAMPLE_PEM.to_vec(), CertFormat::Pem),
        ("PEM, LF", lf.clone().into_bytes(), CertFormat::Pem),
        (
            "PEM, CR",
            lf.replace('\n', "\r").into_bytes(),
            CertFormat::Pem,
        ),
        ("PEM, UTF-8 BOM", utf8_bom, CertFormat::Pem),
        ("PEM, UTF-16 LE BOM", SAMPLE_UTF16.to_vec(), CertFormat::Pem),
        ("PEM, UTF-16 BE BOM", utf16_be, CertFormat::Pem),
        (
            "PEM, UTF-16 LE without BOM",
            utf16_le_no_bom,
            CertFormat::Pem,
        ),
        (
            "PEM after OpenSSL bag attributes",
            openssl_bag.into_bytes(),
            CertFormat::Pem,
        ),
        (
            "PEM without padding",
            unpadded.into_bytes(),
            CertFormat::Pem,
        ),
        ("DER", SAMPLE_DER.to_vec(), CertFormat::Der),
        (
            "bare Base64, BOM, CRLF",
            SAMPLE_BARE_BOM.to_vec(),
            CertFormat::Base64,
        ),
        (
            "bare Base64 on one line",
            one_line.into_bytes(),
            CertFormat::Base64,
        ),
        (
            "X509 CERTIFICATE label",
            pem("X509 CERTIFICATE", SAMPLE_DER).into_bytes(),
            CertFormat::Pem,
        ),
    ];
    for (name, bytes, format) in cases {
        let cert = parse(&bytes);
        assert_eq!(cert.format, format, "{name}");
        assert_eq!(cert.der, SAMPLE_DER, "{name}");
        assert_eq!(cert.sha1_thumbprint, PINNED[0].2, "{name}");
    }
}

#[test]
fn trusted_certificate_blocks_drop_openssl_trust_settings() {
    // OpenSSL's TRUSTED CERTIFICATE is the certificate followed by an X509_CERT_AUX SEQUENCE.
    let mut der = SAMPLE_DER.to_vec();
    der.extend(seq(&[seq(&[tlv(
        TAG_OID,
        &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01],
    )])]));
    let cert = parse(pem("TRUSTED CERTIFICATE", &der).as_bytes());
    assert_eq!(cert.der, SAMPLE_DER);
}

#[test]
fn sample_fields_are_as_windows_shows_them() {
    let cert = parse(SAMPLE_PEM);
    assert_eq!(cert.subject, "CN=lyncpool.fabrikam.com, O=Fabrikam, C=US");
    assert_eq!(cert.issuer, cert.subject);
    assert!(cert.is_self_issued());
    assert_eq!(cert.serial, "5F3A9C0E7B21D4468A0B1C2D3E4F5061");
    assert_eq!(cert.not_before, datetime!(2025-01-01 00:00:00 UTC));
    assert_eq!(cert.not_after, datetime!(2045-12-31 23:59:59 UTC));
    assert_eq!(
        (
            cert.key_algorithm.as_str(),
            cert.key_bits,
            cert.key_curve.as_deref()
        ),
        ("RSA", Some(2048), None)
    );
    assert_eq!(cert.signature_algorithm, "sha256WithRSAEncryption");
    assert_eq!(cert.signature_algorithm_oid, "1.2.840.113549.1.1.11");
    assert_eq!(cert.signature_hash, Some(DigestAlgorithm::Sha256));
    assert_eq!(
        cert.dns_names,
        [
            "lyncpool.fabrikam.com",
            "lyncweb.fabrikam.com",
            "fabrikam.com"
        ]
    );
}

#[test]
fn base64_is_convert_to_base64_string_of_the_raw_data() {
    let cert = parse(SAMPLE_PEM);
    let value = cert.base64();
    assert!(!value.contains(['\r', '\n', ' ']));
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(&value)
            .ok()
            .as_deref(),
        Some(SAMPLE_DER)
    );
    // The PEM body is the same Base64, wrapped at 64 columns.
    let body: String = sample_lf()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    assert_eq!(value, body);
    assert!(value.starts_with("MIIDsDCCApigAwIBAgIQXzqcDnsh1EaKCxwtPk9QYTANBgkqhkiG9w0BAQsFADBA"));
}

#[test]
fn fixture_keys_and_signatures() {
    let weak = parse(RSA1024);
    assert_eq!(
        (weak.key_algorithm.as_str(), weak.key_bits),
        ("RSA", Some(1024))
    );
    assert_eq!(weak.serial, "1024");
    let ec = parse(EC_P256);
    assert_eq!(
        (
            ec.key_algorithm.as_str(),
            ec.key_bits,
            ec.key_curve.as_deref()
        ),
        ("EC", Some(256), Some("P-256"))
    );
    assert_eq!(ec.signature_algorithm, "ecdsa-with-SHA256");
    assert_eq!(ec.serial, "0EC256");
    let sha1 = parse(SHA1_SIGNED);
    assert_eq!(sha1.signature_algorithm, "sha1WithRSAEncryption");
    assert_eq!(sha1.signature_hash, Some(DigestAlgorithm::Sha1));
    let expired = parse(EXPIRED);
    assert_eq!(expired.not_after, datetime!(2020-12-31 23:59:59 UTC));
}

#[test]
fn certificates_made_by_rcgen_parse_too() {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519).expect("ed25519 key");
    let mut params =
        rcgen::CertificateParams::new(vec!["ed.fabrikam.com".to_string()]).expect("params");
    params.not_before = rcgen::date_time_ymd(2030, 2, 3);
    params.not_after = rcgen::date_time_ymd(2031, 2, 3);
    let made = params.self_signed(&key).expect("self-signed");
    let cert = parse(made.der());
    assert_eq!(
        (cert.key_algorithm.as_str(), cert.key_bits),
        ("Ed25519", Some(256))
    );
    assert_eq!(cert.signature_algorithm, "ED25519");
    assert_eq!(cert.signature_hash, None);
    assert_eq!(cert.not_before, datetime!(2030-02-03 00:00:00 UTC));
    assert_eq!(cert.dns_names, ["ed.fabrikam.com"]);
}

// ---------------------------------------------------------------------------------------------
// Private keys: refused, and never quoted

/// Every 8-character window of `secret`'s Base64 and every 4-byte window of its hex must be
/// absent from `message`.
fn assert_no_key_material(message: &str, secret_der: &[u8]) {
    let b64 = base64::engine::general_purpose::STANDARD.encode(secret_der);
    for window in b64.as_bytes().windows(8) {
        let window = std::str::from_utf8(window).expect("ASCII");
        assert!(
            !message.contains(window),
            "message quotes key Base64 {window:?}: {message}"
        );
    }
    let hex = hex::encode_upper(secret_der);
    for window in hex.as_bytes().chunks(2).collect::<Vec<_>>().windows(4) {
        let window: String = window
            .iter()
            .map(|c| std::str::from_utf8(c).expect("ASCII"))
            .collect();
        assert!(
            !message.to_uppercase().contains(&window),
            "message quotes key hex {window}: {message}"
        );
    }
}

/// The SEC 1 ECPrivateKey inside a PKCS#8 PrivateKeyInfo (its OCTET STRING's content).
fn sec1_of(pkcs8: &[u8]) -> Vec<u8> {
    let outer = der::children(&pkcs8[der::header(pkcs8).expect("header").header_len..], 3);
    outer[2].value.to_vec()
}

#[test]
fn private_keys_are_refused_in_every_form_without_being_quoted() {
    let key = rcgen::KeyPair::generate().expect("P-256 key");
    let pkcs8_der = key.serialize_der();
    let pkcs8_pem = key.serialize_pem();
    let sec1 = sec1_of(&pkcs8_der);
    let combined = format!("{}{pkcs8_pem}", sample_lf());
    let bare_b64 = base64::engine::general_purpose::STANDARD.encode(&pkcs8_der);

    let cases: Vec<(&str, Vec<u8>, PrivateKeyForm)> = vec![
        (
            "PKCS#8 PEM",
            pkcs8_pem.clone().into_bytes(),
            PrivateKeyForm::PemBlock {
                label: "PRIVATE KEY".into(),
                line: 1,
            },
        ),
        (
            "certificate followed by its key",
            combined.into_bytes(),
            PrivateKeyForm::PemBlock {
                label: "PRIVATE KEY".into(),
                line: 23,
            },
        ),
        (
            "PKCS#8 DER",
            pkcs8_der.clone(),
            PrivateKeyForm::Der(KeyStructure::Pkcs8),
        ),
        (
            "PKCS#8 as bare Base64",
            bare_b64.into_bytes(),
            PrivateKeyForm::Der(KeyStructure::Pkcs8),
        ),
        (
            "SEC 1 DER",
            sec1.clone(),
            PrivateKeyForm::Der(KeyStructure::Ec),
        ),
        (
            "SEC 1 PEM",
            pem("EC PRIVATE KEY", &sec1).into_bytes(),
            PrivateKeyForm::PemBlock {
                label: "EC PRIVATE KEY".into(),
                line: 1,
            },
        ),
    ];
    for (name, bytes, form) in cases {
        let kind = refuse(&bytes);
        assert_eq!(kind, CertErrorKind::PrivateKey { form }, "{name}");
        let message = kind.to_string();
        assert_no_key_material(&message, &pkcs8_der);
        assert!(
            message.contains("No, do not export the private key"),
            "{name}: {message}"
        );
        assert!(!message.contains('\n'), "{name}: one paragraph");
    }
}

#[test]
fn private_key_labels_and_structures() {
    let int = |b: &[u8]| tlv(TAG_INTEGER, b);
    let mut modulus = vec![0x00, 0xC3];
    modulus.extend([0x5A; 255]);
    let pkcs1 = seq(&[
        int(&[0]),
        int(&modulus),
        int(&[1, 0, 1]),
        int(&[0x42; 256]),
        int(&[0x17; 128]),
    ]);
    let pbes2 = seq(&[
        tlv(
            TAG_OID,
            &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D],
        ),
        seq(&[]),
    ]);
    let encrypted = seq(&[pbes2, tlv(TAG_OCTET_STRING, &[0x99; 96])]);
    assert_eq!(
        refuse(&pkcs1),
        CertErrorKind::PrivateKey {
            form: PrivateKeyForm::Der(KeyStructure::RsaOrDsa)
        }
    );
    assert_eq!(
        refuse(&encrypted),
        CertErrorKind::PrivateKey {
            form: PrivateKeyForm::Der(KeyStructure::EncryptedPkcs8)
        }
    );
    for label in [
        "RSA PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY",
        "OPENSSH PRIVATE KEY",
        "DSA PRIVATE KEY",
    ] {
        let text = format!("Some notes first\n\n{}", pem(label, &pkcs1));
        let kind = refuse(text.as_bytes());
        assert_eq!(
            kind,
            CertErrorKind::PrivateKey {
                form: PrivateKeyForm::PemBlock {
                    label: label.into(),
                    line: 3
                }
            }
        );
        assert_no_key_material(&kind.to_string(), &pkcs1);
    }
    // A key block is refused even when it is broken, and before anything else is looked at.
    let broken = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nnot base64 !!!\n";
    assert!(matches!(
        refuse(broken.as_bytes()),
        CertErrorKind::PrivateKey { .. }
    ));
    let putty = "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: admin\n";
    assert_eq!(
        refuse(putty.as_bytes()),
        CertErrorKind::PrivateKey {
            form: PrivateKeyForm::Putty { line: 1 }
        }
    );
    let pvk = [0x1E, 0xF1, 0xB5, 0xB0, 0, 0, 0, 0, 2, 0, 0, 0];
    assert_eq!(
        refuse(&pvk),
        CertErrorKind::PrivateKey {
            form: PrivateKeyForm::Pvk
        }
    );
}

#[test]
fn pfx_is_refused_with_definite_and_indefinite_lengths() {
    // PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData MacData OPTIONAL }
    let data_oid = tlv(
        TAG_OID,
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01],
    );
    let auth_safe = seq(&[
        data_oid.clone(),
        tlv(0xA0, &tlv(TAG_OCTET_STRING, &[0x30, 0x00])),
    ]);
    let mac = seq(&[seq(&[
        seq(&[tlv(TAG_OID, &[0x2B, 0x0E, 0x03, 0x02, 0x1A])]),
        tlv(TAG_OCTET_STRING, &[7; 20]),
    ])]);
    let definite = seq(&[tlv(TAG_INTEGER, &[3]), auth_safe, mac]);
    assert_eq!(refuse(&definite), CertErrorKind::Pfx);
    // As Windows writes it: BER, indefinite lengths, end-of-contents octets.
    let mut ber = vec![0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80];
    ber.extend(&data_oid);
    ber.extend([
        0xA0, 0x80, 0x24, 0x80, 0x04, 0x02, 0x30, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    assert_eq!(refuse(&ber), CertErrorKind::Pfx);
    // Cut short, it is still a PFX: the advice is the same.
    assert_eq!(refuse(&definite[..12]), CertErrorKind::Pfx);
    let message = CertErrorKind::Pfx.to_string();
    assert!(
        message.contains("PFX") && message.contains("Base-64 encoded X.509 (.CER)"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------------
// Other wrong files

#[test]
fn empty_blank_and_oversized_files() {
    assert_eq!(refuse(b""), CertErrorKind::Empty);
    assert_eq!(refuse(b" \r\n\t\r\n"), CertErrorKind::Blank);
    assert_eq!(refuse(b"\xEF\xBB\xBF"), CertErrorKind::Blank);
    assert_eq!(refuse(b"\xFF\xFE"), CertErrorKind::Blank);
    let huge = vec![b'A'; MAX_FILE_BYTES + 1];
    assert_eq!(
        refuse(&huge),
        CertErrorKind::TooLarge {
            limit: MAX_FILE_BYTES
        }
    );
}

#[test]
fn truncated_der_and_pem() {
    for cut in [4, 5, 6, 100, SAMPLE_DER.len() / 2, SAMPLE_DER.len() - 1] {
        assert_eq!(
            refuse(&SAMPLE_DER[..cut]),
            CertErrorKind::Truncated {
                expected: Some(SAMPLE_DER.len()),
                actual: cut
            },
            "cut at {cut}"
        );
    }
    for cut in 2..=3 {
        // The bytes end inside the outer length: the certificate's size is unknown. (One byte,
        // 0x30, is the text "0", and is refused as text.)
        assert_eq!(
            refuse(&SAMPLE_DER[..cut]),
            CertErrorKind::Truncated {
                expected: None,
                actual: cut
            }
        );
    }
    // A paste that lost a whole 64-character line (48 bytes) of the PEM body.
    let lf = sample_lf();
    let mut lines: Vec<&str> = lf.lines().collect();
    lines.remove(10);
    let kind = refuse(lines.join("\n").as_bytes());
    assert_eq!(
        kind,
        CertErrorKind::Truncated {
            expected: Some(SAMPLE_DER.len()),
            actual: SAMPLE_DER.len() - 48
        }
    );
    assert!(kind.to_string().contains("cut short"));
}

#[test]
fn trailing_garbage_and_concatenated_certificates() {
    let mut garbage = SAMPLE_DER.to_vec();
    garbage.extend(b"\r\n\0junk");
    assert_eq!(
        refuse(&garbage),
        CertErrorKind::TrailingData {
            cert_len: SAMPLE_DER.len(),
            extra: 7
        }
    );

    let ec = parse(EC_P256);
    let mut two = SAMPLE_DER.to_vec();
    two.extend(&ec.der);
    let CertErrorKind::MultipleCertificates { certificates } = refuse(&two) else {
        panic!("expected MultipleCertificates");
    };
    assert_eq!(certificates.len(), 2);
    assert_eq!(certificates[0].location, "byte 0");
    assert_eq!(
        certificates[1].location,
        format!("byte {}", SAMPLE_DER.len())
    );
    assert_eq!(
        certificates[1].identity.as_ref().map(|(_, t)| t.as_str()),
        Some(PINNED[4].2)
    );
}

#[test]
fn several_pem_certificates_are_listed_so_the_admin_can_pick() {
    let chain = format!("{}{}", sample_lf(), String::from_utf8_lossy(EC_P256));
    let kind = refuse(chain.as_bytes());
    let message = kind.to_string();
    assert!(message.contains("holds 2 certificates"), "{message}");
    assert!(
        message.contains(
            "#1 at line 1: CN=lyncpool.fabrikam.com, O=Fabrikam, C=US, thumbprint 54C5F8A8"
        ),
        "{message}"
    );
    assert!(
        message.contains("#2 at line 23: CN=ec.fabrikam.com"),
        "{message}"
    );
    assert!(
        message.contains("Get-CsCertificate -Type OAuthTokenIssuer"),
        "{message}"
    );
    assert!(!message.contains('\n'));
}

#[test]
fn broken_pem_structure() {
    let lf = sample_lf();
    let no_end: String = lf
        .lines()
        .filter(|l| !l.starts_with("-----END"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        refuse(no_end.as_bytes()),
        CertErrorKind::UnterminatedPem {
            label: "CERTIFICATE".into(),
            line: 1
        }
    );
    let no_begin: String = lf
        .lines()
        .filter(|l| !l.starts_with("-----BEGIN"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        refuse(no_begin.as_bytes()),
        CertErrorKind::MissingPemBegin { line: 21 }
    );
    let begin_twice = format!(
        "{}\n{lf}",
        no_end.lines().take(5).collect::<Vec<_>>().join("\n")
    );
    assert_eq!(
        refuse(begin_twice.as_bytes()),
        CertErrorKind::UnterminatedPem {
            label: "CERTIFICATE".into(),
            line: 1
        }
    );
    let damaged = lf.replacen("MIID", "MI!D", 1);
    assert_eq!(
        refuse(damaged.as_bytes()),
        CertErrorKind::InvalidBase64Char {
            line: 2,
            column: 3,
            found: '!'
        }
    );
    let odd_length = lf.replacen("MIID", "MIIDx", 1);
    assert!(matches!(
        refuse(odd_length.as_bytes()),
        CertErrorKind::InvalidBase64 { .. }
    ));
    let extra = format!(
        "{lf}-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
    );
    assert_eq!(
        refuse(extra.as_bytes()),
        CertErrorKind::UnexpectedPemBlock {
            label: "EC PARAMETERS".into(),
            line: 23
        }
    );
}

#[test]
fn other_x509_things_are_named() {
    let key = rcgen::KeyPair::generate().expect("P-256 key");
    let params =
        rcgen::CertificateParams::new(vec!["lyncpool.fabrikam.com".to_string()]).expect("params");
    let csr = params.serialize_request(&key).expect("CSR");
    assert_eq!(refuse(csr.der()), CertErrorKind::CertificateRequest);
    assert_eq!(
        refuse(csr.pem().expect("CSR PEM").as_bytes()),
        CertErrorKind::CertificateRequest
    );

    let issuer = rcgen::Issuer::new(params, &key);
    let crl = rcgen::CertificateRevocationListParams {
        this_update: rcgen::date_time_ymd(2030, 1, 1),
        next_update: rcgen::date_time_ymd(2030, 2, 1),
        crl_number: rcgen::SerialNumber::from(1u64),
        issuing_distribution_point: None,
        revoked_certs: Vec::new(),
        key_identifier_method: rcgen::KeyIdMethod::Sha256,
    }
    .signed_by(&issuer)
    .expect("CRL");
    assert_eq!(refuse(crl.der()), CertErrorKind::Crl);
    assert_eq!(
        refuse(pem("X509 CRL", crl.der()).as_bytes()),
        CertErrorKind::Crl
    );

    assert_eq!(
        refuse(key.public_key_pem().as_bytes()),
        CertErrorKind::PublicKeyOnly
    );
    assert_eq!(
        refuse(&rcgen::PublicKeyData::subject_public_key_info(&key)),
        CertErrorKind::PublicKeyOnly
    );

    let signed_data = tlv(
        TAG_OID,
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02],
    );
    let p7b = seq(&[signed_data, tlv(0xA0, &seq(&[tlv(TAG_INTEGER, &[1])]))]);
    assert_eq!(refuse(&p7b), CertErrorKind::Pkcs7);
    assert_eq!(refuse(pem("PKCS7", &p7b).as_bytes()), CertErrorKind::Pkcs7);
}

#[test]
fn damaged_certificate_content() {
    // Turn the [0] version tag of the TBSCertificate into [5]: the outline stays, the content breaks.
    let mut der = SAMPLE_DER.to_vec();
    let tbs = der::header(&der).expect("header").header_len;
    let version = tbs + der::header(&der[tbs..]).expect("tbs header").header_len;
    assert_eq!(der[version], 0xA0);
    der[version] = 0xA5;
    assert!(matches!(
        refuse(&der),
        CertErrorKind::InvalidCertificate { .. }
    ));
}

#[test]
fn binary_and_text_that_are_not_certificates() {
    assert_eq!(
        refuse(b"PK\x03\x04\x14\x00\x00\x00"),
        CertErrorKind::Binary {
            looks_like: Some("a ZIP archive, such as a .zip, .docx or .xlsx file")
        }
    );
    assert_eq!(
        refuse(&[0x00, 0xFF, 0x13, 0x37, 0x80]),
        CertErrorKind::Binary { looks_like: None }
    );
    assert_eq!(
        refuse(&seq(&[tlv(TAG_OCTET_STRING, &[1, 2])])),
        CertErrorKind::NotCertificateDer
    );
    assert_eq!(
        refuse(b"[tenant]\nname = \"Fabrikam.com\"\n"),
        CertErrorKind::NotCertificateText { line: 1, column: 1 }
    );
    assert_eq!(
        refuse(b"54 c5 f8 a8 4e 0c 62 b8 c0 da bb 7e 68 43 c4 8e 06 c6 4d 51\r\n"),
        CertErrorKind::Thumbprint { digits: 40 }
    );
    assert_eq!(
        refuse(PINNED[0].3.as_bytes()),
        CertErrorKind::Thumbprint { digits: 64 }
    );
    let from_the_dialog = "\u{200E}54 c5 f8 a8 4e 0c 62 b8 c0 da bb 7e 68 43 c4 8e 06 c6 4d 51";
    assert_eq!(
        refuse(from_the_dialog.as_bytes()),
        CertErrorKind::Thumbprint { digits: 40 }
    );
    // Base64 of something that is not DER at all.
    assert_eq!(
        refuse(b"SGVsbG8sIEx5bmMh"),
        CertErrorKind::Base64NotCertificate
    );
    // A text file that starts with "0" (the SEQUENCE tag) is still read as text.
    assert!(matches!(
        refuse(b"0 is not a certificate\n"),
        CertErrorKind::NotCertificateText { .. }
    ));
    assert_eq!(
        refuse(b"\xEF\xBB\xBF\xC3\x28"),
        CertErrorKind::BadTextEncoding { encoding: "UTF-8" }
    );
    assert_eq!(
        refuse(b"\xFF\xFE\x41"),
        CertErrorKind::BadTextEncoding {
            encoding: "UTF-16 LE"
        }
    );
}

#[test]
fn every_refusal_is_one_paragraph_with_a_fix() {
    let kinds = [
        CertErrorKind::Empty,
        CertErrorKind::Blank,
        CertErrorKind::TooLarge {
            limit: MAX_FILE_BYTES,
        },
        CertErrorKind::PrivateKey {
            form: PrivateKeyForm::Der(KeyStructure::Pkcs8),
        },
        CertErrorKind::Pfx,
        CertErrorKind::Pkcs7,
        CertErrorKind::CertificateRequest,
        CertErrorKind::Crl,
        CertErrorKind::PublicKeyOnly,
        CertErrorKind::MultipleCertificates {
            certificates: vec![],
        },
        CertErrorKind::UnexpectedPemBlock {
            label: "X".into(),
            line: 1,
        },
        CertErrorKind::UnterminatedPem {
            label: "CERTIFICATE".into(),
            line: 1,
        },
        CertErrorKind::MissingPemBegin { line: 3 },
        CertErrorKind::InvalidBase64Char {
            line: 1,
            column: 2,
            found: '\u{1b}',
        },
        CertErrorKind::InvalidBase64 { reason: "x".into() },
        CertErrorKind::Truncated {
            expected: Some(10),
            actual: 5,
        },
        CertErrorKind::TrailingData {
            cert_len: 10,
            extra: 5,
        },
        CertErrorKind::InvalidCertificate { detail: "x".into() },
        CertErrorKind::NotCertificateDer,
        CertErrorKind::Binary { looks_like: None },
        CertErrorKind::NotCertificateText { line: 1, column: 1 },
        CertErrorKind::Thumbprint { digits: 40 },
        CertErrorKind::Base64NotCertificate,
        CertErrorKind::BadTextEncoding { encoding: "UTF-8" },
    ];
    for kind in kinds {
        let message = kind.to_string();
        assert!(
            !message.contains('\n') && !message.contains('\u{1b}'),
            "{message:?}"
        );
        assert!(
            message.starts_with(|c: char| c.is_lowercase()),
            "reads on after `FILE: `: {message}"
        );
        assert!(
            message.contains("Export the public certificate only") || message.contains("again"),
            "no fix: {message}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Files

#[test]
fn load_names_the_file_in_every_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.cer");
    let err = Certificate::load(&missing).expect_err("missing file");
    assert!(matches!(err, CertError::Read { .. }));
    assert!(err.to_string().starts_with(&format!(
        "{}: cannot read the certificate file",
        missing.display()
    )));
    assert_eq!(err.path(), missing);

    let err = Certificate::load(dir.path()).expect_err("a folder");
    assert!(matches!(err, CertError::Read { .. }), "{err}");

    let empty = dir.path().join("empty.cer");
    std::fs::write(&empty, b"").expect("write");
    let err = Certificate::load(&empty).expect_err("empty");
    assert_eq!(err.kind(), Some(&CertErrorKind::Empty));
    assert!(
        err.to_string()
            .starts_with(&format!("{}: the file is empty", empty.display()))
    );

    let cert = Certificate::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/certs/oauth.cer"
    )))
    .expect("sample loads");
    assert_eq!(cert.sha1_thumbprint, PINNED[0].2);
}

#[test]
fn printable_escapes_terminal_control_and_bidi_overrides() {
    assert_eq!(printable("CN=plain"), "CN=plain");
    assert_eq!(printable("CN=a\u{1b}[31mb\nc"), "CN=a\\u{1b}[31mb\\u{a}c");
    assert_eq!(
        printable("CN=\u{202E}moc.kiribaf"),
        "CN=\\u{202e}moc.kiribaf"
    );
}

// ---------------------------------------------------------------------------------------------
// Never panics

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn from_bytes_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = Certificate::from_bytes(&bytes);
    }

    #[test]
    fn from_bytes_never_panics_on_damaged_certificates(
        edits in proptest::collection::vec((0..SAMPLE_DER.len(), any::<u8>()), 1..8),
        cut in 0..=SAMPLE_DER.len(),
    ) {
        let mut der = SAMPLE_DER.to_vec();
        for (at, byte) in edits {
            der[at] = byte;
        }
        let _ = Certificate::from_bytes(&der);
        let _ = Certificate::from_bytes(&der[..cut]);
        let _ = Certificate::from_bytes(pem("CERTIFICATE", &der[..cut]).as_bytes());
    }

    #[test]
    fn from_bytes_never_panics_on_pem_like_text(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("-----BEGIN CERTIFICATE-----".to_string()),
                Just("-----END CERTIFICATE-----".to_string()),
                Just("-----BEGIN ".to_string()),
                Just("MIIDsDCCApigAwIBAgIQ".to_string()),
                "[A-Za-z0-9+/=]{0,80}",
                "\\PC{0,40}",
            ],
            0..30,
        ),
        crlf in any::<bool>(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let _ = Certificate::from_bytes(text.as_bytes());
    }
}
