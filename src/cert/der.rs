//! Just enough DER/BER reading to tell what a binary blob *is* before anyone parses it as a
//! certificate: a certificate, a private key, a PFX, a PKCS#7 bundle, a bare public key...
//!
//! Why not let x509-parser decide? Because when it fails it can only say "not a certificate", while
//! an admin who exported the wrong thing needs to hear "this is a PFX with the private key in it".
//! Sniffing looks only at tags, lengths and small version integers, so no key material is ever
//! read into an error. The reader is iterative and bounds-checked: no input can make it panic or
//! recurse.

/// ASN.1 universal tags (with the constructed bit where the type is always constructed).
pub(crate) const TAG_INTEGER: u8 = 0x02;
pub(crate) const TAG_BIT_STRING: u8 = 0x03;
pub(crate) const TAG_OCTET_STRING: u8 = 0x04;
pub(crate) const TAG_OID: u8 = 0x06;
pub(crate) const TAG_SEQUENCE: u8 = 0x30;

/// The DER encoding of the OID arc 1.2.840.113549.1.7 (PKCS #7 content types: data, signedData...).
const PKCS7_ARC: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07];

/// How long an element's content is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Length {
    Definite(usize),
    /// BER indefinite length (`0x80`), ended by two zero bytes. Never valid in a certificate, but
    /// PFX files exported by Windows use it.
    Indefinite,
}

/// A parsed tag-and-length header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    pub tag: u8,
    pub header_len: usize,
    pub len: Length,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderError {
    /// The bytes end inside the header.
    Short,
    /// Not a header we accept: high tag number, a reserved length form, or a length over 4 GiB.
    Invalid,
}

/// Reads the tag-and-length header at the start of `bytes`.
pub(crate) fn header(bytes: &[u8]) -> Result<Header, HeaderError> {
    let tag = *bytes.first().ok_or(HeaderError::Short)?;
    // High-tag-number form (tag number >= 31) occurs in none of the structures we sniff.
    if tag & 0x1F == 0x1F {
        return Err(HeaderError::Invalid);
    }
    let first = *bytes.get(1).ok_or(HeaderError::Short)?;
    if first < 0x80 {
        return Ok(Header {
            tag,
            header_len: 2,
            len: Length::Definite(usize::from(first)),
        });
    }
    if first == 0x80 {
        return Ok(Header {
            tag,
            header_len: 2,
            len: Length::Indefinite,
        });
    }
    let count = usize::from(first & 0x7F);
    // Four length bytes allow 4 GiB: far beyond any file we read (see `MAX_FILE_BYTES`).
    if count > 4 {
        return Err(HeaderError::Invalid);
    }
    let mut len = 0usize;
    for i in 0..count {
        let byte = *bytes.get(2 + i).ok_or(HeaderError::Short)?;
        len = (len << 8) | usize::from(byte);
    }
    Ok(Header {
        tag,
        header_len: 2 + count,
        len: Length::Definite(len),
    })
}

/// One element inside a constructed element, as far as the bytes go.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Child<'a> {
    pub tag: u8,
    /// The content bytes that are present (fewer than declared when `complete` is false).
    pub value: &'a [u8],
    /// False when the bytes end before the declared content does, or the length is indefinite.
    pub complete: bool,
}

/// The first `max` elements of `content`. Stops at the first element that is cut short or
/// unreadable; such an element is included (marked incomplete) if its tag could be read.
pub(crate) fn children(content: &[u8], max: usize) -> Vec<Child<'_>> {
    let mut out = Vec::new();
    let mut rest = content;
    while out.len() < max && !rest.is_empty() {
        let Ok(h) = header(rest) else {
            break;
        };
        let body = &rest[h.header_len.min(rest.len())..];
        match h.len {
            Length::Definite(n) if n <= body.len() => {
                out.push(Child {
                    tag: h.tag,
                    value: &body[..n],
                    complete: true,
                });
                rest = &body[n..];
            }
            _ => {
                out.push(Child {
                    tag: h.tag,
                    value: body,
                    complete: false,
                });
                break;
            }
        }
    }
    out
}

/// What a blob that starts like DER turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Does not start with a SEQUENCE header: not DER at all.
    NotDer,
    /// Starts with a SEQUENCE tag but the bytes end inside the length.
    TruncatedHeader,
    /// SEQUENCE { SEQUENCE, SEQUENCE, BIT STRING }: a signed X.509 object (certificate, CSR or
    /// CRL). `total` is its declared size in bytes, header included.
    Signed {
        total: usize,
    },
    PrivateKey(KeyStructure),
    /// PKCS #12: SEQUENCE { INTEGER 3, SEQUENCE ... }.
    Pfx,
    /// PKCS #7 / CMS ContentInfo: SEQUENCE { OID 1.2.840.113549.1.7.x, ... } (.p7b, .p7c).
    Pkcs7,
    /// SubjectPublicKeyInfo (SEQUENCE { SEQUENCE, BIT STRING }) or PKCS #1 RSAPublicKey
    /// (SEQUENCE { INTEGER, INTEGER }).
    PublicKey,
    /// A SEQUENCE we do not recognise.
    Other,
}

/// Which private-key structure a blob has. Only used to word the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStructure {
    /// PKCS #8 PrivateKeyInfo / OneAsymmetricKey: SEQUENCE { INTEGER 0|1, SEQUENCE, OCTET STRING }.
    Pkcs8,
    /// PKCS #8 EncryptedPrivateKeyInfo: SEQUENCE { SEQUENCE, OCTET STRING }.
    EncryptedPkcs8,
    /// PKCS #1 RSAPrivateKey or OpenSSL's DSA key: SEQUENCE { INTEGER 0, INTEGER, INTEGER, INTEGER, ... }.
    RsaOrDsa,
    /// SEC 1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING, ... }.
    Ec,
}

/// Looks at the outer SEQUENCE of `bytes` and its first few elements and says what it is.
pub(crate) fn sniff(bytes: &[u8]) -> Shape {
    let h = match header(bytes) {
        Ok(h) if h.tag == TAG_SEQUENCE => h,
        Err(HeaderError::Short) if bytes.first() == Some(&TAG_SEQUENCE) => {
            return Shape::TruncatedHeader;
        }
        _ => return Shape::NotDer,
    };
    let available = &bytes[h.header_len..];
    let (content, total) = match h.len {
        Length::Definite(n) => (&available[..n.min(available.len())], Some(h.header_len + n)),
        Length::Indefinite => (available, None),
    };
    let kids = children(content, 4);
    let tag = |i: usize| kids.get(i).map(|c| c.tag);
    let small_int = |i: usize| match kids.get(i) {
        Some(c) if c.tag == TAG_INTEGER && c.complete && c.value.len() == 1 => Some(c.value[0]),
        _ => None,
    };

    // PKCS #12 first: it is the one most often exported by mistake, and Windows writes it with
    // indefinite lengths, which nothing else we recognise uses.
    if small_int(0) == Some(3) && tag(1) == Some(TAG_SEQUENCE) {
        return Shape::Pfx;
    }
    if matches!(small_int(0), Some(0 | 1))
        && tag(1) == Some(TAG_SEQUENCE)
        && tag(2) == Some(TAG_OCTET_STRING)
    {
        return Shape::PrivateKey(KeyStructure::Pkcs8);
    }
    if small_int(0) == Some(0)
        && tag(1) == Some(TAG_INTEGER)
        && tag(2) == Some(TAG_INTEGER)
        && tag(3) == Some(TAG_INTEGER)
    {
        return Shape::PrivateKey(KeyStructure::RsaOrDsa);
    }
    if small_int(0) == Some(1) && tag(1) == Some(TAG_OCTET_STRING) {
        return Shape::PrivateKey(KeyStructure::Ec);
    }
    if tag(0) == Some(TAG_SEQUENCE) && tag(1) == Some(TAG_OCTET_STRING) {
        return Shape::PrivateKey(KeyStructure::EncryptedPkcs8);
    }
    if let Some(oid) = kids.first().filter(|c| c.tag == TAG_OID && c.complete) {
        return if oid.value.starts_with(PKCS7_ARC) {
            Shape::Pkcs7
        } else {
            Shape::Other
        };
    }
    let Some(total) = total else {
        // Indefinite length is BER, never a certificate's DER.
        return Shape::Other;
    };
    // A certificate cut short may show only part of its first element (the TBSCertificate is
    // most of it), so an incomplete prefix of the certificate's shape counts as one.
    let signed = [TAG_SEQUENCE, TAG_SEQUENCE, TAG_BIT_STRING];
    let prefix_matches = !kids.is_empty() && kids.iter().zip(signed).all(|(c, t)| c.tag == t);
    let cut_short = total > bytes.len();
    // Cut right after the outer header, nothing inside is left to judge by: "cut short" is still
    // the most useful thing to say.
    if (prefix_matches && (kids.len() >= 3 || cut_short)) || (kids.is_empty() && cut_short) {
        return Shape::Signed { total };
    }
    if kids.len() == 2 && kids.iter().all(|c| c.complete) {
        if tag(0) == Some(TAG_SEQUENCE) && tag(1) == Some(TAG_BIT_STRING) {
            return Shape::PublicKey;
        }
        if tag(0) == Some(TAG_INTEGER) && tag(1) == Some(TAG_INTEGER) {
            return Shape::PublicKey;
        }
    }
    Shape::Other
}

/// The bit length of an unsigned big-endian integer given as DER INTEGER content (a leading zero
/// byte, added to keep the number positive, does not count).
pub(crate) fn bit_length(be: &[u8]) -> u32 {
    let digits: &[u8] = match be.iter().position(|&b| b != 0) {
        Some(i) => &be[i..],
        None => return 0,
    };
    let bits = (digits.len() as u64 - 1) * 8 + u64::from(8 - digits[0].leading_zeros());
    u32::try_from(bits).unwrap_or(u32::MAX)
}

/// Builders for DER test inputs, shared by the tests of the whole `cert` module.
#[cfg(test)]
pub(crate) mod build {
    /// Wraps `content` in a definite-length element with `tag`.
    pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let n = content.len();
        if n < 0x80 {
            out.push(n as u8);
        } else if n < 0x100 {
            out.extend([0x81, n as u8]);
        } else {
            out.extend([0x82, (n >> 8) as u8, n as u8]);
        }
        out.extend_from_slice(content);
        out
    }

    /// A SEQUENCE of the given encoded elements.
    pub(crate) fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
        tlv(super::TAG_SEQUENCE, &parts.concat())
    }
}

#[cfg(test)]
mod tests {
    use super::build::{seq, tlv};
    use super::*;

    #[test]
    fn header_forms() {
        assert_eq!(
            header(&[0x30, 0x03]),
            Ok(Header {
                tag: 0x30,
                header_len: 2,
                len: Length::Definite(3)
            })
        );
        assert_eq!(
            header(&[0x30, 0x82, 0x01, 0x00]),
            Ok(Header {
                tag: 0x30,
                header_len: 4,
                len: Length::Definite(256)
            })
        );
        assert_eq!(
            header(&[0x30, 0x80]),
            Ok(Header {
                tag: 0x30,
                header_len: 2,
                len: Length::Indefinite
            })
        );
        assert_eq!(header(&[0x30]), Err(HeaderError::Short));
        assert_eq!(header(&[0x30, 0x82, 0x01]), Err(HeaderError::Short));
        assert_eq!(
            header(&[0x30, 0x85, 1, 2, 3, 4, 5]),
            Err(HeaderError::Invalid)
        );
        assert_eq!(header(&[0x1F, 0x01]), Err(HeaderError::Invalid));
        assert_eq!(header(&[]), Err(HeaderError::Short));
    }

    #[test]
    fn sniffs_private_key_structures() {
        let alg = seq(&[tlv(TAG_OID, &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01])]);
        let pkcs8 = seq(&[
            tlv(TAG_INTEGER, &[0]),
            alg.clone(),
            tlv(TAG_OCTET_STRING, &[1, 2, 3]),
        ]);
        assert_eq!(sniff(&pkcs8), Shape::PrivateKey(KeyStructure::Pkcs8));
        let encrypted = seq(&[alg.clone(), tlv(TAG_OCTET_STRING, &[9; 40])]);
        assert_eq!(
            sniff(&encrypted),
            Shape::PrivateKey(KeyStructure::EncryptedPkcs8)
        );
        let int = |b: &[u8]| tlv(TAG_INTEGER, b);
        let rsa = seq(&[
            int(&[0]),
            int(&[0x00, 0xC1, 0x02]),
            int(&[1, 0, 1]),
            int(&[0x55, 0x66]),
        ]);
        assert_eq!(sniff(&rsa), Shape::PrivateKey(KeyStructure::RsaOrDsa));
        let ec = seq(&[int(&[1]), tlv(TAG_OCTET_STRING, &[7; 32])]);
        assert_eq!(sniff(&ec), Shape::PrivateKey(KeyStructure::Ec));
    }

    #[test]
    fn sniffs_pfx_definite_and_indefinite() {
        let auth_safe = seq(&[tlv(
            TAG_OID,
            &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01],
        )]);
        let pfx = seq(&[tlv(TAG_INTEGER, &[3]), auth_safe.clone()]);
        assert_eq!(sniff(&pfx), Shape::Pfx);
        let mut ber = vec![0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80];
        ber.extend_from_slice(&auth_safe[2..]);
        ber.extend([0, 0, 0, 0]);
        assert_eq!(sniff(&ber), Shape::Pfx);
    }

    #[test]
    fn sniffs_other_structures() {
        let p7 = seq(&[
            tlv(
                TAG_OID,
                &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02],
            ),
            tlv(0xA0, &[0x30, 0x00]),
        ]);
        assert_eq!(sniff(&p7), Shape::Pkcs7);
        let spki = seq(&[
            seq(&[tlv(TAG_OID, &[0x2A])]),
            tlv(TAG_BIT_STRING, &[0, 1, 2]),
        ]);
        assert_eq!(sniff(&spki), Shape::PublicKey);
        let rsa_pub = seq(&[
            tlv(TAG_INTEGER, &[0x00, 0xC1]),
            tlv(TAG_INTEGER, &[1, 0, 1]),
        ]);
        assert_eq!(sniff(&rsa_pub), Shape::PublicKey);
        let signed = seq(&[seq(&[]), seq(&[]), tlv(TAG_BIT_STRING, &[0])]);
        assert_eq!(
            sniff(&signed),
            Shape::Signed {
                total: signed.len()
            }
        );
        assert_eq!(sniff(&seq(&[tlv(TAG_OCTET_STRING, &[1])])), Shape::Other);
        assert_eq!(sniff(b"PK\x03\x04"), Shape::NotDer);
        assert_eq!(sniff(&[0x30]), Shape::TruncatedHeader);
        assert_eq!(sniff(&[0x30, 0x82, 0x03]), Shape::TruncatedHeader);
    }

    #[test]
    fn a_cut_short_certificate_is_still_recognised() {
        let big = seq(&[
            seq(&[tlv(TAG_OCTET_STRING, &[5; 300])]),
            seq(&[]),
            tlv(TAG_BIT_STRING, &[0]),
        ]);
        for cut in [4, 10, 200, big.len() - 1] {
            assert_eq!(
                sniff(&big[..cut]),
                Shape::Signed { total: big.len() },
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x7F, 0xFF]), 15);
        let mut modulus = vec![0x00, 0xC0];
        modulus.extend([0xAB; 255]);
        assert_eq!(bit_length(&modulus), 2048);
    }
}
