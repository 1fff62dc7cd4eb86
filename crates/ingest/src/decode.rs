//! Bytes → UTF-8 text. News arrives in UTF-8, UTF-16 with a BOM, and legacy
//! single-byte encodings (Windows-1252 above all); we decode all of them and refuse
//! binary data rather than storing mojibake.

use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Encoding name as WHATWG labels it (`UTF-8`, `windows-1252`, …).
    pub encoding: &'static str,
}

/// Returns why the bytes look binary, if they do.
pub fn binary_reason(bytes: &[u8]) -> Option<String> {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.starts_with(b"\xFF\xFE") || sample.starts_with(b"\xFE\xFF") {
        return None; // UTF-16 text has NULs by design
    }
    for (magic, what) in [
        (&b"%PDF"[..], "PDF"),
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x7FELF", "ELF executable"),
        (b"SQLite format 3", "SQLite database"),
    ] {
        if sample.starts_with(magic) {
            return Some(what.to_string());
        }
    }
    if sample.contains(&0) {
        return Some("contains NUL bytes".to_string());
    }
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    if !sample.is_empty() && control * 10 > sample.len() {
        return Some(format!(
            "{}% control characters",
            control * 100 / sample.len()
        ));
    }
    None
}

/// Whether `bytes`, not valid UTF-8, are UTF-8 with a few broken sequences (a
/// page cut mid-character, one pasted Latin-1 byte): valid multi-byte
/// characters outnumber the broken runs. Legacy text reads the other way: each
/// accented letter is a broken run and valid multi-byte pairs are rare, so
/// decoding it all as Windows-1252 would turn every good character into
/// mojibake to save a few bad ones.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let multibyte = |s: &str| s.chars().filter(|c| c.len_utf8() > 1).count();
    let (mut good, mut broken) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                good += multibyte(s);
                break;
            }
            Err(e) => {
                let valid = &rest[..e.valid_up_to()];
                // Valid by construction: `valid_up_to` says so.
                good += std::str::from_utf8(valid).map_or(0, multibyte);
                broken += 1;
                let skip = e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                rest = &rest[e.valid_up_to() + skip..];
            }
        }
    }
    broken > 0 && good >= 4 * broken
}

/// Decodes with BOM sniffing, then strict UTF-8, then a detected legacy encoding.
/// `declared` is a charset label from HTTP or HTML metadata, tried before detection.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Decoded {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text: text.into_owned(),
            encoding: enc.name(),
        };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: s.to_string(),
            encoding: "UTF-8",
        };
    }
    if mostly_utf8(bytes) {
        return Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            encoding: "UTF-8",
        };
    }
    let declared = declared
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()))
        .filter(|e| *e != encoding_rs::UTF_8);
    let enc = declared.unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        detector.guess(None, chardetng::Utf8Detection::Deny)
    });
    let (text, _, _) = enc.decode(bytes);
    Decoded {
        text: match text {
            Cow::Borrowed(s) => s.to_string(),
            Cow::Owned(s) => s,
        },
        encoding: enc.name(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_detected() {
        // “José” said — curly quotes and é in cp1252
        let bytes =
            b"\x93Jos\xe9 Arrieta said the talks would resume,\x94 the minister told reporters.";
        let d = decode(bytes, None);
        assert!(d.text.contains("José"), "{}", d.text);
        assert!(d.text.contains('“'));
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn utf8_with_a_few_broken_bytes_stays_utf8() {
        let mut bytes = "Straße, Größe, Übermaß, früh, schön — überall"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(b" und \xfc einmal kaputt.");
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, "UTF-8");
        assert!(
            d.text.contains("Straße") && d.text.contains('\u{FFFD}'),
            "{}",
            d.text
        );
        // Legacy text with its accents is still read as legacy text.
        let latin = b"Stra\xdfe, Gr\xf6\xdfe, \xdcberma\xdf, fr\xfch, sch\xf6n";
        assert_eq!(decode(latin, None).encoding, "windows-1252");
    }

    #[test]
    fn utf16_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Hi".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&bytes, None).text, "Hi");
        assert!(binary_reason(&bytes).is_none());
    }

    #[test]
    fn binary_detected() {
        assert!(binary_reason(b"\x89PNG\r\n\x1a\n\0\0").is_some());
        assert!(binary_reason(b"abc\0def").is_some());
        assert!(binary_reason(b"plain text\n").is_none());
    }
}
