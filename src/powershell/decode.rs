//! Script bytes to text: UTF-8 with or without BOM, UTF-16 LE/BE with or without BOM, and
//! Windows-1252 (what Windows PowerShell 5.1 assumes for a file without BOM that is not UTF-8).

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};
use serde::Serialize;

/// The encoding a script was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16LeBom,
    Utf16Be,
    Utf16BeBom,
    Windows1252,
}

impl TextEncoding {
    /// A name for messages (`UTF-8 with BOM`).
    pub fn describe(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16 LE without BOM",
            TextEncoding::Utf16LeBom => "UTF-16 LE with BOM",
            TextEncoding::Utf16Be => "UTF-16 BE without BOM",
            TextEncoding::Utf16BeBom => "UTF-16 BE with BOM",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }

    /// Whether the file starts with a byte order mark.
    pub fn has_bom(self) -> bool {
        matches!(
            self,
            TextEncoding::Utf8Bom | TextEncoding::Utf16LeBom | TextEncoding::Utf16BeBom
        )
    }
}

/// Decoded script text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without the byte order mark.
    pub text: String,
    pub encoding: TextEncoding,
    /// Some bytes could not be decoded and were replaced with U+FFFD (only possible for UTF-16
    /// with unpaired surrogates).
    pub lossy: bool,
}

/// Decodes script bytes, choosing the encoding as PowerShell would: a byte order mark wins;
/// without one, text that looks like UTF-16 (many zero bytes on one side) is UTF-16, valid UTF-8
/// is UTF-8, and anything else is Windows-1252.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let kind = if encoding == UTF_16LE {
            TextEncoding::Utf16LeBom
        } else if encoding == UTF_16BE {
            TextEncoding::Utf16BeBom
        } else {
            TextEncoding::Utf8Bom
        };
        let (text, lossy) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text: text.into_owned(),
            encoding: kind,
            lossy,
        };
    }
    if let Some(kind) = sniff_utf16(bytes) {
        let encoding = if kind == TextEncoding::Utf16Le {
            UTF_16LE
        } else {
            UTF_16BE
        };
        let (text, lossy) = encoding.decode_without_bom_handling(bytes);
        return Decoded {
            text: text.into_owned(),
            encoding: kind,
            lossy,
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: text.to_string(),
            encoding: TextEncoding::Utf8,
            lossy: false,
        },
        Err(_) => {
            let (text, lossy) = WINDOWS_1252.decode_without_bom_handling(bytes);
            Decoded {
                text: text.into_owned(),
                encoding: TextEncoding::Windows1252,
                lossy,
            }
        }
    }
}

/// Encodes `text` back into `encoding` (with its byte order mark, if it has one): what `--fix`
/// writes, so a file keeps the encoding it was read in. `None` when a character has no place in
/// Windows-1252.
pub fn encode(text: &str, encoding: TextEncoding) -> Option<Vec<u8>> {
    let utf16 = |big_endian: bool, bom: bool| {
        let mut out = Vec::with_capacity(text.len() * 2 + 2);
        let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
        for unit in units {
            out.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    };
    Some(match encoding {
        TextEncoding::Utf8 => text.as_bytes().to_vec(),
        TextEncoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        TextEncoding::Utf16Le => utf16(false, false),
        TextEncoding::Utf16LeBom => utf16(false, true),
        TextEncoding::Utf16Be => utf16(true, false),
        TextEncoding::Utf16BeBom => utf16(true, true),
        TextEncoding::Windows1252 => {
            let (bytes, _, unmappable) = WINDOWS_1252.encode(text);
            if unmappable {
                return None;
            }
            bytes.into_owned()
        }
    })
}

/// Recognizes UTF-16 without a byte order mark: scripts are mostly ASCII, so one byte of most
/// pairs is zero. Requires at least two pairs, and zeros in at least half of the pairs on one side
/// and in almost none on the other.
fn sniff_utf16(bytes: &[u8]) -> Option<TextEncoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even_zero, mut odd_zero) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even_zero += usize::from(pair[0] == 0);
        odd_zero += usize::from(pair[1] == 0);
    }
    if odd_zero * 2 >= pairs && even_zero * 10 <= pairs {
        Some(TextEncoding::Utf16Le)
    } else if even_zero * 2 >= pairs && odd_zero * 10 <= pairs {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("Grüße – €".as_bytes());
        assert_eq!(
            (plain.text.as_str(), plain.encoding),
            ("Grüße – €", TextEncoding::Utf8)
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("Grüße".as_bytes());
        let with_bom = decode(&bom);
        assert_eq!(
            (with_bom.text.as_str(), with_bom.encoding),
            ("Grüße", TextEncoding::Utf8Bom)
        );
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16("Get-Item €", false));
        let d = decode(&le);
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("Get-Item €", TextEncoding::Utf16LeBom)
        );
        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16("Get-Item €", true));
        let d = decode(&be);
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("Get-Item €", TextEncoding::Utf16BeBom)
        );
    }

    #[test]
    fn utf16_without_bom_is_sniffed() {
        let d = decode(&utf16("Write-Host 'hi'\r\n", false));
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("Write-Host 'hi'\r\n", TextEncoding::Utf16Le)
        );
        let d = decode(&utf16("Write-Host 'hi'\r\n", true));
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("Write-Host 'hi'\r\n", TextEncoding::Utf16Be)
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_windows_1252() {
        // "Grüße – €" in Windows-1252.
        let d = decode(&[0x47, 0x72, 0xFC, 0xDF, 0x65, 0x20, 0x96, 0x20, 0x80]);
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("Grüße – €", TextEncoding::Windows1252)
        );
    }

    #[test]
    fn encode_gives_back_the_bytes_decode_read() {
        let cases: [&[u8]; 5] = [
            b"Get-Item x\r\n",
            b"\xEF\xBB\xBFGet-Item \xE2\x82\xAC",
            b"\xFF\xFEG\0e\0t\0-\0I\0\xAC\x20",
            b"\xFE\xFF\0G\0e\0t\0-\0I",
            b"Gr\xFC\xDFe \x96 \x80",
        ];
        for bytes in cases {
            let decoded = decode(bytes);
            assert_eq!(
                encode(&decoded.text, decoded.encoding).unwrap(),
                bytes,
                "{decoded:?}"
            );
        }
        assert_eq!(encode("\u{2603}", TextEncoding::Windows1252), None);
    }

    #[test]
    fn short_and_empty_inputs_are_utf8() {
        assert_eq!(decode(b"").encoding, TextEncoding::Utf8);
        assert_eq!(decode(b"a").text, "a");
        assert_eq!(decode(b"a\0").encoding, TextEncoding::Utf8);
    }
}
