//! Distinguished names written the way Windows writes them, so that what xprem prints is what an
//! admin sees in `Get-ChildItem Cert:\LocalMachine\My` or `(Get-CsCertificate).Subject`.
//!
//! `X509Certificate2.Subject` is `CertNameToStr(CERT_X500_NAME_STR | CERT_NAME_STR_REVERSE_FLAG)`:
//! - most specific RDN first (the reverse of the DER order), RDNs separated by `, `, the attributes
//!   of a multi-valued RDN by ` + `;
//! - Windows' own short names (`S` for the state, `E` for the e-mail address), `OID.1.2.3=` for
//!   attributes it has no name for;
//! - a value is wrapped in `"` when it is empty, has leading or trailing white space, or contains
//!   one of `, + = " \n < > # ;`; a `"` inside is doubled. (No backslash escaping: that is
//!   RFC 4514, which Windows does not use.)
//! - values it cannot show as text are `#` and their hex bytes.
//!
//! x509-parser's own `Display` for names keeps the DER order and does not quote, so it would show
//! `C=US, O=Fabrikam, Inc., CN=...`, which is ambiguous and not what Windows shows.

use x509_parser::asn1_rs::Tag;
use x509_parser::x509::{AttributeTypeAndValue, X509Name};

/// The Windows form of a distinguished name (see the module documentation).
pub(crate) fn windows_name(name: &X509Name<'_>) -> String {
    let mut rdns: Vec<String> = name
        .iter_rdn()
        .map(|rdn| rdn.iter().map(attribute).collect::<Vec<_>>().join(" + "))
        .collect();
    rdns.reverse();
    rdns.join(", ")
}

fn attribute(atv: &AttributeTypeAndValue<'_>) -> String {
    let oid = atv.attr_type().to_id_string();
    let key = match short_name(&oid) {
        Some(name) => name.to_string(),
        None => format!("OID.{oid}"),
    };
    match value_text(atv) {
        Some(text) => format!("{key}={}", quote(&text)),
        // Hex is written bare: `#` starts it, so it is never mistaken for a quoted text value.
        None => format!("{key}=#{}", hex::encode_upper(atv.attr_value().data)),
    }
}

/// The X.500 key names CryptoAPI uses (wincrypt.h `CERT_RDN_ATTR` table), for the attributes that
/// occur in server certificates.
fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "SERIALNUMBER",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "S",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "T",
        "2.5.4.13" => "Description",
        "2.5.4.17" => "PostalCode",
        "2.5.4.18" => "POBox",
        "2.5.4.20" => "Phone",
        "2.5.4.42" => "G",
        "2.5.4.43" => "I",
        "2.5.4.46" => "dnQualifier",
        "1.2.840.113549.1.9.1" => "E",
        "1.2.840.113549.1.9.2" => "UnstructuredName",
        "0.9.2342.19200300.100.1.25" => "DC",
        _ => return None,
    })
}

/// The attribute value as text, decoding each ASN.1 string type by its own rules; `None` when it
/// is not a string type (or not valid in its own encoding).
fn value_text(atv: &AttributeTypeAndValue<'_>) -> Option<String> {
    let value = atv.attr_value();
    let data = value.data;
    let tag = value.tag();
    if tag == Tag::Utf8String
        || tag == Tag::PrintableString
        || tag == Tag::Ia5String
        || tag == Tag::NumericString
        || tag == Tag::VisibleString
    {
        std::str::from_utf8(data).ok().map(str::to_string)
    } else if tag == Tag::TeletexString {
        // T.61 strings in real certificates hold UTF-8 or Latin-1: take UTF-8 when it is valid.
        Some(match std::str::from_utf8(data) {
            Ok(s) => s.to_string(),
            Err(_) => data.iter().map(|&b| char::from(b)).collect(),
        })
    } else if tag == Tag::BmpString {
        utf16_be(data)
    } else if tag == Tag::UniversalString {
        utf32_be(data)
    } else {
        None
    }
}

fn utf16_be(data: &[u8]) -> Option<String> {
    if !data.len().is_multiple_of(2) {
        return None;
    }
    let units = data
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

fn utf32_be(data: &[u8]) -> Option<String> {
    if !data.len().is_multiple_of(4) {
        return None;
    }
    data.chunks_exact(4)
        .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
        .collect()
}

/// Windows' quoting of an RDN value (see the module documentation).
fn quote(value: &str) -> String {
    let needs_quotes = value.is_empty()
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace)
        || value.contains([',', '+', '=', '"', '\n', '\r', '<', '>', '#', ';']);
    if needs_quotes {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::der::TAG_SEQUENCE;
    use crate::cert::der::build::{seq, tlv};
    use x509_parser::prelude::FromDer;

    /// An attribute: the OID content bytes of the type and a tagged string value.
    fn atv(oid: &[u8], tag: u8, value: &[u8]) -> Vec<u8> {
        seq(&[tlv(0x06, oid), tlv(tag, value)])
    }

    fn rdn(atvs: &[Vec<u8>]) -> Vec<u8> {
        tlv(0x31, &atvs.concat())
    }

    const CN: &[u8] = &[0x55, 0x04, 0x03];
    const O: &[u8] = &[0x55, 0x04, 0x0A];
    const C: &[u8] = &[0x55, 0x04, 0x06];
    const ST: &[u8] = &[0x55, 0x04, 0x08];
    const EMAIL: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01];
    const ORG_ID: &[u8] = &[0x55, 0x04, 0x61]; // 2.5.4.97, unknown to CryptoAPI's table

    fn render(der: &[u8]) -> String {
        assert_eq!(der[0], TAG_SEQUENCE);
        let (_, name) = X509Name::from_der(der).expect("test name parses");
        windows_name(&name)
    }

    #[test]
    fn most_specific_first_with_windows_short_names() {
        let der = seq(&[
            rdn(&[atv(C, 0x13, b"US")]),
            rdn(&[atv(ST, 0x0C, b"Washington")]),
            rdn(&[atv(O, 0x0C, b"Fabrikam")]),
            rdn(&[atv(CN, 0x0C, b"lyncpool.fabrikam.com")]),
            rdn(&[atv(EMAIL, 0x16, b"admin@fabrikam.com")]),
        ]);
        assert_eq!(
            render(&der),
            "E=admin@fabrikam.com, CN=lyncpool.fabrikam.com, O=Fabrikam, S=Washington, C=US"
        );
    }

    #[test]
    fn quotes_like_cert_name_to_str() {
        let der = seq(&[
            rdn(&[atv(O, 0x0C, b"Fabrikam, Inc.")]),
            rdn(&[
                atv(CN, 0x0C, b"Joe \"Cool\""),
                atv(ORG_ID, 0x0C, b" padded"),
            ]),
        ]);
        assert_eq!(
            render(&der),
            r#"CN="Joe ""Cool""" + OID.2.5.4.97=" padded", O="Fabrikam, Inc.""#
        );
        let empty = seq(&[rdn(&[atv(CN, 0x0C, b"")])]);
        assert_eq!(render(&empty), r#"CN="""#);
        let plain = seq(&[rdn(&[atv(CN, 0x0C, b"O'Brien & Sons")])]);
        assert_eq!(render(&plain), "CN=O'Brien & Sons");
    }

    #[test]
    fn decodes_each_string_type() {
        let bmp: Vec<u8> = "Grüße".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let universal: Vec<u8> = "€"
            .chars()
            .flat_map(|c| u32::from(c).to_be_bytes())
            .collect();
        let der = seq(&[
            rdn(&[atv(CN, 0x1E, &bmp)]),
            rdn(&[atv(O, 0x1C, &universal)]),
            rdn(&[atv(C, 0x14, &[0x4D, 0xFC])]), // T.61 / Latin-1 "Mü"
            rdn(&[atv(ORG_ID, 0x04, &[0xAB, 0x01])]), // OCTET STRING: not text
        ]);
        assert_eq!(render(&der), "OID.2.5.4.97=#AB01, C=Mü, O=€, CN=Grüße");
    }
}
