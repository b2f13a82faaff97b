//! Names and sizes of the public key and of the signature algorithm, as admins know them.
//!
//! Key sizes are computed here rather than taken from x509-parser: its `RSAPublicKey::key_size`
//! assumes the modulus has a leading zero byte (it returns 0 otherwise, and rounds to whole
//! bytes), and its EC size comes from the point length, which gives 528 for P-521. The weak-key
//! check must not be fooled by either.

use std::borrow::Cow;

use x509_parser::asn1_rs::Oid;
use x509_parser::objects::{oid_registry, oid2sn};
use x509_parser::prelude::FromDer;
use x509_parser::public_key::{PublicKey, RSAPublicKey};
use x509_parser::signature_algorithm::SignatureAlgorithm;
use x509_parser::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};

use super::der;

/// The hash a certificate's signature uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum DigestAlgorithm {
    #[serde(rename = "MD2")]
    Md2,
    #[serde(rename = "MD4")]
    Md4,
    #[serde(rename = "MD5")]
    Md5,
    #[serde(rename = "SHA-1")]
    Sha1,
    #[serde(rename = "SHA-224")]
    Sha224,
    #[serde(rename = "SHA-256")]
    Sha256,
    #[serde(rename = "SHA-384")]
    Sha384,
    #[serde(rename = "SHA-512")]
    Sha512,
}

impl DigestAlgorithm {
    /// Broken for signatures: collisions can be made (MD2, MD4, MD5, SHA-1).
    pub fn is_weak(self) -> bool {
        matches!(self, Self::Md2 | Self::Md4 | Self::Md5 | Self::Sha1)
    }

    fn from_oid(oid: &str) -> Option<Self> {
        Some(match oid {
            "1.2.840.113549.2.2" => Self::Md2,
            "1.2.840.113549.2.4" => Self::Md4,
            "1.2.840.113549.2.5" => Self::Md5,
            "1.3.14.3.2.26" => Self::Sha1,
            "2.16.840.1.101.3.4.2.4" => Self::Sha224,
            "2.16.840.1.101.3.4.2.1" => Self::Sha256,
            "2.16.840.1.101.3.4.2.2" => Self::Sha384,
            "2.16.840.1.101.3.4.2.3" => Self::Sha512,
            _ => return None,
        })
    }
}

impl std::fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Md2 => "MD2",
            Self::Md4 => "MD4",
            Self::Md5 => "MD5",
            Self::Sha1 => "SHA-1",
            Self::Sha224 => "SHA-224",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        })
    }
}

/// The subject public key: algorithm ("RSA", "EC", ...), size in bits, and the named curve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyInfo {
    pub algorithm: String,
    pub bits: Option<u32>,
    pub curve: Option<String>,
}

pub(crate) fn key_info(spki: &SubjectPublicKeyInfo<'_>) -> KeyInfo {
    let oid = spki.algorithm.algorithm.to_id_string();
    let key = |algorithm: &str, bits: Option<u32>, curve: Option<&str>| KeyInfo {
        algorithm: algorithm.to_string(),
        bits,
        curve: curve.map(str::to_string),
    };
    match oid.as_str() {
        "1.2.840.113549.1.1.1" => {
            let bits = match spki.parsed() {
                Ok(PublicKey::RSA(rsa)) => Some(der::bit_length(rsa.modulus)),
                _ => None,
            };
            key("RSA", bits, None)
        }
        // An RSA key restricted to PSS signatures: same modulus, different algorithm identifier.
        "1.2.840.113549.1.1.10" => {
            let bits = RSAPublicKey::from_der(&spki.subject_public_key.data)
                .ok()
                .map(|(_, rsa)| der::bit_length(rsa.modulus));
            key("RSA-PSS", bits, None)
        }
        "1.2.840.10045.2.1" => {
            let curve_oid = spki
                .algorithm
                .parameters
                .as_ref()
                .map(|p| Oid::new(Cow::Borrowed(p.data)).to_id_string());
            let (name, bits) = match curve_oid.as_deref() {
                Some("1.2.840.10045.3.1.7") => ("P-256".to_string(), Some(256)),
                Some("1.3.132.0.34") => ("P-384".to_string(), Some(384)),
                Some("1.3.132.0.35") => ("P-521".to_string(), Some(521)),
                Some("1.3.132.0.10") => ("secp256k1".to_string(), Some(256)),
                Some(other) => (other.to_string(), None),
                None => ("unnamed curve".to_string(), None),
            };
            key("EC", bits, Some(&name))
        }
        "1.3.101.112" => key("Ed25519", Some(256), None),
        "1.3.101.113" => key("Ed448", Some(456), None),
        "1.2.840.10040.4.1" => {
            // Dss-Parms ::= SEQUENCE { p, q, g }: the key size is the size of p.
            let bits = spki.algorithm.parameters.as_ref().and_then(|p| {
                der::children(p.data, 1)
                    .first()
                    .filter(|c| c.tag == der::TAG_INTEGER && c.complete)
                    .map(|c| der::bit_length(c.value))
            });
            key("DSA", bits, None)
        }
        _ => key(&algorithm_name(&spki.algorithm.algorithm), None, None),
    }
}

/// The certificate's signature algorithm: OpenSSL's name (what `openssl x509 -text` and most
/// documentation show), dotted OID, and the hash it uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignatureInfo {
    pub name: String,
    pub oid: String,
    pub hash: Option<DigestAlgorithm>,
}

pub(crate) fn signature_info(alg: &AlgorithmIdentifier<'_>) -> SignatureInfo {
    use DigestAlgorithm::*;
    let oid = alg.algorithm.to_id_string();
    let known: Option<(&str, Option<DigestAlgorithm>)> = match oid.as_str() {
        "1.2.840.113549.1.1.2" => Some(("md2WithRSAEncryption", Some(Md2))),
        "1.2.840.113549.1.1.3" => Some(("md4WithRSAEncryption", Some(Md4))),
        "1.2.840.113549.1.1.4" => Some(("md5WithRSAEncryption", Some(Md5))),
        "1.2.840.113549.1.1.5" => Some(("sha1WithRSAEncryption", Some(Sha1))),
        "1.3.14.3.2.29" => Some(("sha1WithRSA", Some(Sha1))),
        "1.2.840.113549.1.1.14" => Some(("sha224WithRSAEncryption", Some(Sha224))),
        "1.2.840.113549.1.1.11" => Some(("sha256WithRSAEncryption", Some(Sha256))),
        "1.2.840.113549.1.1.12" => Some(("sha384WithRSAEncryption", Some(Sha384))),
        "1.2.840.113549.1.1.13" => Some(("sha512WithRSAEncryption", Some(Sha512))),
        "1.2.840.10045.4.1" => Some(("ecdsa-with-SHA1", Some(Sha1))),
        "1.2.840.10045.4.3.1" => Some(("ecdsa-with-SHA224", Some(Sha224))),
        "1.2.840.10045.4.3.2" => Some(("ecdsa-with-SHA256", Some(Sha256))),
        "1.2.840.10045.4.3.3" => Some(("ecdsa-with-SHA384", Some(Sha384))),
        "1.2.840.10045.4.3.4" => Some(("ecdsa-with-SHA512", Some(Sha512))),
        "1.2.840.10040.4.3" => Some(("dsa-with-SHA1", Some(Sha1))),
        "2.16.840.1.101.3.4.3.1" => Some(("dsa_with_SHA224", Some(Sha224))),
        "2.16.840.1.101.3.4.3.2" => Some(("dsa_with_SHA256", Some(Sha256))),
        // EdDSA hashes internally; there is no separate hash to judge.
        "1.3.101.112" => Some(("ED25519", None)),
        "1.3.101.113" => Some(("ED448", None)),
        // RSASSA-PSS names its hash in the parameters, and the default (absent) is SHA-1.
        "1.2.840.113549.1.1.10" => {
            let hash = match SignatureAlgorithm::try_from(alg) {
                Ok(SignatureAlgorithm::RSASSA_PSS(params)) => {
                    DigestAlgorithm::from_oid(&params.hash_algorithm_oid().to_id_string())
                }
                _ => None,
            };
            Some(("rsassaPss", hash))
        }
        _ => None,
    };
    let (name, hash) = match known {
        Some((name, hash)) => (name.to_string(), hash),
        None => (algorithm_name(&alg.algorithm), None),
    };
    SignatureInfo { name, oid, hash }
}

/// OpenSSL-style short name from x509-parser's registry, or the dotted OID.
fn algorithm_name(oid: &Oid<'_>) -> String {
    match oid2sn(oid, oid_registry()) {
        Ok(name) => name.to_string(),
        Err(_) => oid.to_id_string(),
    }
}
