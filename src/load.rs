//! Load: find the plan files under `content/`, read them as UTF-8, split front matter from body
//! and parse both. Problems are collected, never fatal, so one run reports them all.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{FrontMatter, Plan};
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
        Diagnostic::new(shown, 0, format!("cannot read file: {e}"))
            .hint("check that the file exists and is readable")
    })?;
    decode_utf8(bytes, shown)
}

pub fn decode_utf8(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
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
            Err(Diagnostic::new(shown, line, format!("file is not UTF-8 (it looks like {encoding})"))
                .hint(format!("save it as UTF-8, e.g. `iconv -f {encoding} -t UTF-8 FILE`, or import it with `gongkai import`")))
        }
    }
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

/// Loads one plan file.
pub fn load_plan(abs: &Path, rel: &Path) -> Result<Plan, Diagnostic> {
    let text = read_text(abs, rel)?;
    let Some((fm, body_text, body_line)) = split_front_matter(&text) else {
        return Err(Diagnostic::new(rel, 1, "the file has no front matter")
            .hint("start the file with a line `---`, the plan's fields (title: …, district: …, year: …), and another `---`"));
    };
    let meta: FrontMatter = yaml::from_str(fm, rel, 1)?;
    let id = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Plan {
        id,
        file: rel.to_path_buf(),
        meta,
        body_line,
        body: body::parse(body_text, body_line),
        front_matter: fm.to_string(),
        district_idx: 0,
        responsibility: Vec::new(),
        indicators: Vec::new(),
    })
}

/// Loads every plan under `root/content`, in parallel, in a stable order.
pub fn load_all(root: &Path) -> (Vec<Plan>, Diagnostics) {
    let results: Vec<Result<Plan, Diagnostic>> = discover(root)
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
    fn bom_and_crlf_are_accepted() {
        let s = decode_utf8(b"\xEF\xBB\xBF---\r\na: 1\r\n".to_vec(), Path::new("x")).unwrap();
        assert_eq!(s, "---\na: 1\n");
    }
}
