//! Load: find the plan files under `content/`, read them as UTF-8, split front matter from body
//! and parse both. Problems are collected, never fatal, so one run reports them all.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{FrontMatter, LoadedPlan};
use crate::{body, yaml};

pub const CONTENT_DIR: &str = "content";

/// Plan files under `root/content`, sorted, as (absolute, site-relative) paths.
pub fn discover(root: &Path) -> Vec<(PathBuf, PathBuf)> {
    let dir = root.join(CONTENT_DIR);
    let mut files: Vec<(PathBuf, PathBuf)> = WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap_or(e.path())
                .to_path_buf();
            (e.path().to_path_buf(), rel)
        })
        .collect();
    files.sort();
    files
}

/// Reads a text file that must be UTF-8. When it is not, says so, where, and which encoding it
/// most likely is.
pub fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::new(shown, 0, crate::tr!("load.cannot_read", error = e))
            .hint(crate::tr!("load.cannot_read_hint"))
    })?;
    let text = decode_utf8(bytes, shown)?;
    check_characters(&text, shown)?;
    Ok(text)
}

/// UTF-16 as Windows Notepad saves "Unicode": by its byte order mark, or by the zero bytes that
/// ASCII characters carry in it.
fn is_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return true;
    }
    let head = &bytes[..bytes.len().min(4096)];
    head.len() >= 4 && head.iter().filter(|b| **b == 0).count() * 4 >= head.len()
}

pub fn decode_utf8(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    if is_utf16(&bytes) {
        return Err(
            Diagnostic::new(shown, 0, crate::tr!("load.utf16")).hint(crate::tr!("load.utf16_hint"))
        );
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(if s.contains('\r') {
            s.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            s
        }),
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
            let encoding = guess_encoding(bytes);
            Err(Diagnostic::new(
                shown,
                line,
                crate::tr!("load.not_utf8", encoding = encoding),
            )
            .hint(crate::tr!("load.not_utf8_hint", encoding = encoding)))
        }
    }
}

/// Control characters (a form feed from a PDF, a stray NUL) are invisible in an editor but make
/// the published pages and feed invalid: each is reported where it is.
fn check_characters(text: &str, shown: &Path) -> Result<(), Diagnostic> {
    let bad = |c: char| c.is_control() && !matches!(c, '\n' | '\t');
    let Some(at) = text.find(bad) else {
        return Ok(());
    };
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..at].chars().count() + 1;
    let c = text[at..].chars().next().unwrap_or_default();
    Err(Diagnostic::new(
        shown,
        line,
        crate::tr!("load.control_char", code = format!("U+{:04X}", c as u32)),
    )
    .column(column)
    .hint(crate::tr!("load.control_char_hint")))
}

/// The encoding chardetng thinks the bytes are in, e.g. GBK for Windows-saved Chinese text.
pub fn guess_encoding(bytes: &[u8]) -> &'static str {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    if enc == encoding_rs::GBK || enc == encoding_rs::GB18030 {
        "GB18030"
    } else {
        enc.name()
    }
}

/// Splits `---` front matter from the body. Returns (front matter, body, body's first line).
pub fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let rest = text.strip_prefix("---\n")?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let fm = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = fm.lines().count() + 3;
            return Some((fm, body, body_line));
        }
        offset += line.len();
    }
    None
}

/// A fast hash of a file's bytes (FNV-1a), to tell an edited plan from one only touched.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Loads one plan file: `abs` on disk, `rel` as the publisher sees it (`content/…`).
pub fn load_plan(abs: &Path, rel: &Path) -> Result<LoadedPlan, Diagnostic> {
    let text = read_text(abs, rel)?;
    parse_plan(&text, rel)
}

/// Parses the text of a plan file.
pub fn parse_plan(text: &str, rel: &Path) -> Result<LoadedPlan, Diagnostic> {
    let Some((fm, body_text, body_line)) = split_front_matter(text) else {
        return Err(Diagnostic::new(rel, 1, crate::tr!("load.no_front_matter"))
            .hint(crate::tr!("load.no_front_matter_hint")));
    };
    let meta: FrontMatter = yaml::from_str(fm, rel, 1)?;
    let slug = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(LoadedPlan {
        slug,
        file: rel.to_path_buf(),
        meta,
        body_line,
        body: body::parse(body_text, body_line),
        front_matter: fm.to_string(),
        fingerprint: fingerprint(text.as_bytes()),
    })
}

/// Loads every plan under `root/content`, in parallel, in a stable order.
pub fn load_all(root: &Path) -> (Vec<LoadedPlan>, Diagnostics) {
    let results: Vec<Result<LoadedPlan, Diagnostic>> = discover(root)
        .par_iter()
        .map(|(abs, rel)| load_plan(abs, rel))
        .collect();
    let mut plans = Vec::new();
    let mut diags = Diagnostics::default();
    for r in results {
        match r {
            Ok(p) => plans.push(p),
            Err(d) => diags.push(d),
        }
    }
    (plans, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_split() {
        let (fm, body, line) =
            split_front_matter("---\ntitle: a\nyear: 2017\n---\n正文\n").unwrap();
        assert_eq!(fm, "title: a\nyear: 2017\n");
        assert_eq!(body, "正文\n");
        assert_eq!(line, 5);
        assert!(split_front_matter("title: a\n").is_none());
        assert!(split_front_matter("---\ntitle: a\n").is_none());
    }

    #[test]
    fn gbk_text_is_named() {
        let (bytes, _, _) = encoding_rs::GBK
            .encode("---\ntitle: 静安区2017年安全生产工作意见\n---\n加强安全生产责任落实。\n");
        let err = decode_utf8(bytes.into_owned(), Path::new("content/x.md")).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("GB18030"), "{}", err.message);
    }

    #[test]
    fn utf16_is_named_as_such() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "---\ntitle: 示例\n---\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let err = decode_utf8(bytes, Path::new("x.md")).unwrap_err();
        assert!(err.message.contains("UTF-16"), "{}", err.message);
        assert!(!err.hint.unwrap_or_default().contains("iconv"));
        let no_bom: Vec<u8> = "---\ntitle: a\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(
            decode_utf8(no_bom, Path::new("x.md"))
                .unwrap_err()
                .message
                .contains("UTF-16")
        );
    }

    #[test]
    fn control_characters_are_located() {
        let err = check_characters("---\ntitle: 甲\u{c}乙\n", Path::new("x.md")).unwrap_err();
        assert_eq!((err.line, err.column), (2, Some(9)));
        assert!(err.message.contains("U+000C"), "{}", err.message);
        assert!(check_characters("a\tb\n", Path::new("x.md")).is_ok());
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let s = decode_utf8(b"\xEF\xBB\xBF---\r\na: 1\r\n".to_vec(), Path::new("x")).unwrap();
        assert_eq!(s, "---\na: 1\n");
    }
}
