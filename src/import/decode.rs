//! Reading a document in whatever encoding a Windows tool saved it in: UTF-8 (with or without a
//! byte-order mark), UTF-16 with a mark, or GB18030/GBK, which chardetng tells apart.

use encoding_rs::{Encoding, GB18030, UTF_8};

/// The text of a document and the name of the encoding it was in.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Decodes `bytes`, or says why it cannot. Line ends become `\n`.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let (encoding, body): (&'static Encoding, &[u8]) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None if std::str::from_utf8(bytes).is_ok() => (UTF_8, bytes),
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
        return Err(crate::tr!("import.error.encoding", guess = encoding.name()));
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Ok(Decoded {
        text,
        encoding: encoding.name(),
    })
}

/// Decodes a web page: UTF-8 when it is valid UTF-8, else the charset its `<meta>` names, else
/// what chardetng guesses. Undecodable bytes become U+FFFD rather than refusing the page.
pub fn decode_html(bytes: &[u8]) -> Result<String, String> {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return Ok(enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
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
    let encoding = declared.unwrap_or_else(|| {
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        det.feed(bytes, true);
        det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow)
    });
    // GB2312 and GBK pages are read as GB18030, their superset.
    let encoding = if encoding == encoding_rs::GBK {
        GB18030
    } else {
        encoding
    };
    Ok(encoding.decode_without_bom_handling(bytes).0.into_owned())
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
    fn gbk_is_detected() {
        let text = "示例区2024年安全生产工作要点\n一、总体要求\n坚持安全第一、预防为主、综合治理。";
        let (bytes, _, _) = GB18030.encode(text);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "gb18030");
        assert_eq!(d.text, text);
    }
}
