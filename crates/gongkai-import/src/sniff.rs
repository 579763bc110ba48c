//! What a file is, from its first bytes (its extension only breaks ties): a Word file (a zip
//! holding `word/document.xml`), an old Word or WPS file (an OLE compound file), a PDF, a web
//! page, plain text — or something else, named so that the publisher knows what to do.

/// The formats the importer reads, and the ones it names to refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Text,
    Docx,
    Html,
    Pdf,
    /// `.doc` or `.wps` (the extension it has): converted through LibreOffice.
    LegacyWord(&'static str),
    /// Anything else, described in words (for the message).
    Other(String),
}

/// The file's extension in lower case, `txt` when it has none.
pub fn extension(file_name: &str) -> String {
    std::path::Path::new(file_name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "txt".to_string())
}

/// Whether a zip archive holds an entry of this name (read from the central directory only).
fn zip_has(bytes: &[u8], name: &str) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map(|z| z.index_for_name(name).is_some())
        .unwrap_or(false)
}

pub fn sniff(bytes: &[u8], file_name: &str) -> Format {
    let ext = extension(file_name);
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        if zip_has(bytes, "word/document.xml") {
            return Format::Docx;
        }
        let what = if zip_has(bytes, "xl/workbook.xml") {
            "xlsx"
        } else if zip_has(bytes, "ppt/presentation.xml") {
            "pptx"
        } else if zip_has(bytes, "content.xml") {
            "odf"
        } else {
            "zip"
        };
        return Format::Other(what.into());
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        // A password-protected .docx/.xlsx is an OLE file too: its package encrypted inside.
        if cfb_has_stream(bytes, "EncryptedPackage") && cfb_has_stream(bytes, "EncryptionInfo") {
            return Format::Other("encrypted_office".into());
        }
        return match ext.as_str() {
            "wps" => Format::LegacyWord("wps"),
            "xls" | "et" => Format::Other("xls".into()),
            "ppt" | "dps" => Format::Other("ppt".into()),
            _ => Format::LegacyWord("doc"),
        };
    }
    // A PDF's header may follow a little junk (the spec allows 1024 bytes).
    if bytes
        .get(..1024.min(bytes.len()))
        .is_some_and(|h| h.windows(5).any(|w| w == b"%PDF-"))
    {
        return Format::Pdf;
    }
    for (magic, what) in [
        (&b"\x89PNG"[..], "png"),
        (b"\xFF\xD8\xFF", "jpeg"),
        (b"GIF8", "gif"),
        (b"II*\x00", "tiff"),
        (b"MM\x00*", "tiff"),
        (b"Rar!", "rar"),
        (b"7z\xBC\xAF", "7z"),
        (b"\x1F\x8B", "gzip"),
        (b"{\\rtf", "rtf"),
        (b"\x7FELF", "binary"),
        (b"MZ", "binary"),
    ] {
        if bytes.starts_with(magic) {
            return Format::Other(what.into());
        }
    }
    if bytes.len() > 12 && &bytes[4..8] == b"ftyp" {
        return Format::Other("video".into());
    }
    if looks_like_html(bytes)
        || matches!(ext.as_str(), "html" | "htm" | "shtml" | "xhtml") && looks_like_markup(bytes)
    {
        return Format::Html;
    }
    // Text files hold no NUL bytes, except UTF-16, with a byte-order mark or without.
    let utf16 = bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
        || super::decode::utf16_without_bom(bytes).is_some();
    if !utf16 && bytes.iter().take(8192).any(|b| *b == 0) {
        return Format::Other("binary".into());
    }
    Format::Text
}

/// Whether an OLE compound file's directory has a stream of this name. Directory entries are
/// 128 bytes, sector-aligned after the 512-byte header: the name in UTF-16LE with its NUL, its
/// length in bytes at 64, and type 2 (stream) at 66. Every aligned slot is looked at, so the
/// FAT need not be followed; text inside a .doc is not at such a slot with such a length.
fn cfb_has_stream(bytes: &[u8], name: &str) -> bool {
    let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let len = utf16.len() + 2;
    bytes.chunks_exact(128).skip(4).any(|e| {
        e.starts_with(&utf16)
            && e[utf16.len()..len] == [0, 0]
            && usize::from(u16::from_le_bytes([e[64], e[65]])) == len
            && e[66] == 2
    })
}

/// The first non-blank bytes open an HTML document.
fn looks_like_html(bytes: &[u8]) -> bool {
    let head: Vec<u8> = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(512)
        .map(u8::to_ascii_lowercase)
        .collect();
    head.starts_with(b"<!doctype html")
        || head.starts_with(b"<html")
        || (head.starts_with(b"<?xml") && head.windows(5).any(|w| w == b"<html"))
        || (head.starts_with(b"<!--") && head.windows(5).any(|w| w == b"<html"))
        || head.starts_with(b"<head")
        || head.starts_with(b"<meta")
}

fn looks_like_markup(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .take(4096)
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_their_bytes() {
        assert_eq!(sniff("示例区".as_bytes(), "a.txt"), Format::Text);
        assert_eq!(sniff(b"%PDF-1.7\n", "a.bin"), Format::Pdf);
        assert_eq!(sniff(b"<!DOCTYPE html><p>x", "a"), Format::Html);
        assert_eq!(sniff(b"  <div>x</div>", "page.htm"), Format::Html);
        assert_eq!(
            sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", "plan.wps"),
            Format::LegacyWord("wps")
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n", "scan.png"),
            Format::Other("png".into())
        );
        assert_eq!(
            sniff(b"PK\x03\x04junk", "x.docx"),
            Format::Other("zip".into())
        );
        assert_eq!(sniff(b"a\x00b", "x.txt"), Format::Other("binary".into()));
        let utf16: Vec<u8> = "示例区2025年\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(sniff(&utf16, "x.txt"), Format::Text);
        assert_eq!(extension("计划.DOCX"), "docx");
        assert_eq!(extension("noext"), "txt");
    }
}
