//! Reading a document in whatever encoding a Windows tool saved it in: UTF-8 (with or without a
//! byte-order mark), UTF-16 with a mark or without one (told by where its zero bytes fall), or
//! GB18030/GBK, which chardetng tells apart. A web page's declared charset is believed unless
//! its content shows it to be wrong.

use crate::error::DocumentError;
use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// UTF-16 without a byte-order mark, as some Windows tools save "Unicode" text: the zero bytes
/// of its ASCII characters (line ends, digits, spaces) fall on one side of each pair — odd
/// offsets for little-endian, even for big-endian — where other text has none and binary files
/// have them on both sides alike. It must then decode cleanly, with no control characters but
/// whitespace.
pub fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(8192) & !1];
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, b) in head.iter().enumerate() {
        if *b == 0 {
            if i.is_multiple_of(2) {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    // A CJK character whose low byte is zero (一 is U+4E00) puts a few on the other side.
    let enc = if odd >= 2 && odd >= 4 * even {
        UTF_16LE
    } else if even >= 2 && even >= 4 * odd {
        UTF_16BE
    } else {
        return None;
    };
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let (text, errors) = enc.decode_without_bom_handling(bytes);
    let clean = !errors
        && text
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\u{c}'));
    clean.then_some(enc)
}

/// The text of a document and the name of the encoding it was in.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Decodes `bytes`, or says why it cannot. Line ends become `\n`.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DocumentError> {
    let (encoding, body): (&'static Encoding, &[u8]) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None if std::str::from_utf8(bytes).is_ok() => (UTF_8, bytes),
        None if let Some(enc) = utf16_without_bom(bytes) => (enc, bytes),
        None => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            let guess = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
            // GB18030 is a superset of GBK and GB2312, so it reads all three.
            if guess == encoding_rs::GBK || guess == GB18030 {
                (GB18030, bytes)
            } else {
                (guess, bytes)
            }
        }
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        return Err(DocumentError::Encoding(encoding.name()));
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Ok(Decoded {
        text,
        encoding: encoding.name(),
    })
}

/// Decodes a web page: UTF-8 when it is valid UTF-8, else the charset its `<meta>` names, else
/// what chardetng guesses. Undecodable bytes become U+FFFD rather than refusing the page.
pub fn decode_html(bytes: &[u8]) -> Result<String, DocumentError> {
    decode_html_noted(bytes).map(|(text, _)| text)
}

/// As [`decode_html`], with a note for the report when the page's declared charset was wrong
/// and its content was decoded as what it is (a GBK page that says `utf-8`, `utf-16` or
/// `iso-8859-1`): the declared charset is a lie when the bytes do not decode in it, when it is
/// UTF-16 (the `<meta>` was just read as ASCII), or when it is a single-byte charset and the
/// bytes decode cleanly as the Chinese multi-byte encoding chardetng finds.
pub fn decode_html_noted(bytes: &[u8]) -> Result<(String, Option<String>), DocumentError> {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return Ok((
            enc.decode_without_bom_handling(&bytes[bom..])
                .0
                .into_owned(),
            None,
        ));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), None));
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return Ok((enc.decode_without_bom_handling(bytes).0.into_owned(), None));
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let declared = head.find("charset").and_then(|i| {
        let rest = head[i + 7..].trim_start_matches([' ', '=', '"', '\'']);
        let label: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        Encoding::for_label(label.as_bytes())
    });
    let guessed = {
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        det.feed(bytes, true);
        det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow)
    };
    // GB2312 and GBK pages are read as GB18030, their superset.
    let wide = |e: &'static Encoding| if e == encoding_rs::GBK { GB18030 } else { e };
    let guessed = wide(guessed);
    let Some(declared) = declared.map(wide) else {
        return Ok((
            guessed.decode_without_bom_handling(bytes).0.into_owned(),
            None,
        ));
    };
    let (text, errors) = declared.decode_without_bom_handling(bytes);
    let utf16 = declared == UTF_16LE || declared == UTF_16BE;
    let multibyte_guess = !guessed.is_single_byte() && guessed != UTF_8 && !utf16;
    let lie = (errors || utf16 || (declared.is_single_byte() && multibyte_guess))
        && guessed != declared
        && !guessed.decode_without_bom_handling(bytes).1;
    if lie {
        let note = gongkai_i18n::tr!(
            "limits.charset_lie",
            declared = declared.name(),
            actual = guessed.name()
        );
        return Ok((
            guessed.decode_without_bom_handling(bytes).0.into_owned(),
            Some(note),
        ));
    }
    Ok((text.into_owned(), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("示例区\r\n".as_bytes()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("示例区\n", "UTF-8"));
        let d = decode(b"\xEF\xBB\xBF\xE7\xA4\xBA").unwrap();
        assert_eq!(d.text, "示");
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text = "示例区2024年安全生产工作要点\n一、总体要求\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let d = decode(&le).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (text, "UTF-16LE"));
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
        // Zero bytes on both sides are a binary file, not text.
        assert!(utf16_without_bom(b"\x7fELF\x00\x01\x00\x00ab").is_none());
    }

    #[test]
    fn a_declared_charset_that_lies_is_not_believed() {
        let body = "<html><head><meta charset=\"CS\"><title>示例区</title></head><body><p>示例区2024年安全生产工作要点</p></body></html>";
        for cs in ["utf-8", "utf-16", "iso-8859-1"] {
            let page = body.replace("CS", cs);
            let (bytes, _, _) = GB18030.encode(&page);
            let (text, note) = decode_html_noted(&bytes).unwrap();
            assert!(text.contains("安全生产工作要点"), "{cs}: {text}");
            assert!(note.is_some_and(|n| n.contains("gb18030")), "{cs}");
        }
        let page = body.replace("CS", "gbk");
        let (bytes, _, _) = GB18030.encode(&page);
        assert!(decode_html_noted(&bytes).unwrap().1.is_none());
    }

    #[test]
    fn gbk_is_detected() {
        let text = "示例区2024年安全生产工作要点\n一、总体要求\n坚持安全第一、预防为主、综合治理。";
        let (bytes, _, _) = GB18030.encode(text);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "gb18030");
        assert_eq!(d.text, text);
    }
}
