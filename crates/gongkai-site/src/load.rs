//! Load: find the plan files under `content/`, read them as UTF-8, split front matter from body
//! and parse both. Problems are collected, never fatal, so one run reports them all.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};
pub use crate::input::is_hostile_char;
use crate::{body, yaml};
use gongkai_model::{
    FileProblem, FileStat, FrontMatter, Interpretation, InterpretationMeta, LoadedPlan,
    LoadedProgress, ProgressFile,
};

pub const CONTENT_DIR: &str = "content";
/// Where a site keeps the original documents and the files it publishes with its plans.
pub const SOURCES_DIR: &str = "sources";
/// A plan's progress file beside it: `aqsc.md` → `aqsc.progress.yaml`.
pub const PROGRESS_SUFFIX: &str = ".progress.yaml";
/// A plan's 政策解读 beside it: `aqsc.md` → `aqsc.jiedu.md`.
pub const INTERPRETATION_SUFFIX: &str = ".jiedu.md";

/// What a file under `content/` is to the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentFile {
    Plan,
    /// A side file of the plan at this path (site-relative).
    Progress(PathBuf),
    Interpretation(PathBuf),
    /// Anything else (an image, an editor's swap file): not read.
    Other,
}

/// What the file at `rel` (site-relative, under `content/`) is.
pub fn classify(rel: &Path) -> ContentFile {
    let Some(name) = rel.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return ContentFile::Other;
    };
    if name.starts_with('.') {
        return ContentFile::Other;
    }
    let plan = |stem: &str| rel.with_file_name(format!("{stem}.md"));
    if let Some(stem) = name.strip_suffix(PROGRESS_SUFFIX) {
        ContentFile::Progress(plan(stem))
    } else if let Some(stem) = name.strip_suffix(INTERPRETATION_SUFFIX) {
        ContentFile::Interpretation(plan(stem))
    } else if name.ends_with(".md") {
        ContentFile::Plan
    } else {
        ContentFile::Other
    }
}

/// A plan's side files: its progress file and its 解读 (site-relative).
pub fn side_files(plan: &Path) -> [PathBuf; 2] {
    let stem = plan
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    [
        plan.with_file_name(format!("{stem}{PROGRESS_SUFFIX}")),
        plan.with_file_name(format!("{stem}{INTERPRETATION_SUFFIX}")),
    ]
}

/// Files under `root/content` with what each is, sorted, as site-relative paths; and what could
/// not be looked at: a folder that is a link (never followed, so the plans in it would be
/// missing without a word) or a folder that cannot be read.
fn content_files(root: &Path) -> (Vec<(PathBuf, ContentFile)>, Vec<Diagnostic>) {
    let dir = root.join(CONTENT_DIR);
    let rel_of = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    // A site without content/ yet has no plans; that is no problem.
    if std::fs::symlink_metadata(&dir).is_err() {
        return (files, problems);
    }
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                let at = err.path().map_or_else(|| dir.clone(), Path::to_path_buf);
                problems.push(
                    Diagnostic::new(
                        rel_of(&at),
                        0,
                        gongkai_i18n::tr!("load.cannot_read", error = err),
                    )
                    .hint(gongkai_i18n::tr!("load.cannot_read_hint")),
                );
                continue;
            }
        };
        if e.file_type().is_dir() {
            continue;
        }
        let rel = rel_of(e.path());
        // (content/ itself may be a link to a folder the publisher shares: it is followed.)
        if e.depth() > 0 && e.path_is_symlink() && e.path().is_dir() {
            problems.push(
                Diagnostic::new(&rel, 0, gongkai_i18n::tr!("load.folder_link"))
                    .hint(gongkai_i18n::tr!("input.hint.outside")),
            );
            continue;
        }
        // Links, FIFOs and devices named like plans are kept, to be refused by name when read.
        let kind = classify(&rel);
        if kind != ContentFile::Other {
            files.push((rel, kind));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    (files, problems)
}

/// Plan files under `root/content`, sorted, as (absolute, site-relative) paths.
pub fn discover(root: &Path) -> Vec<(PathBuf, PathBuf)> {
    content_files(root)
        .0
        .into_iter()
        .filter(|(_, k)| *k == ContentFile::Plan)
        .map(|(rel, _)| (root.join(&rel), rel))
        .collect()
}

/// Reads the text file `rel` of the site at `root`, which must be UTF-8, under the reading
/// policy (`input`): a regular file inside its top folder of the site (`input::fence`), of at
/// most `limits::TEXT_FILE_BYTES` bytes. When it is not UTF-8, says so, where, and which
/// encoding it most likely is.
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let inside = crate::input::fence(root, rel);
    let bytes = crate::input::read(
        &root.join(rel),
        Some(&inside),
        crate::limits::TEXT_FILE_BYTES,
    )
    .map_err(|e| Diagnostic::new(rel, 0, e.reason()).hint(e.hint()))?;
    let text = decode_utf8(bytes, rel)?;
    check_characters(&text, rel)?;
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
        return Err(Diagnostic::new(shown, 0, gongkai_i18n::tr!("load.utf16"))
            .hint(gongkai_i18n::tr!("load.utf16_hint")));
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
                gongkai_i18n::tr!("load.not_utf8", encoding = encoding),
            )
            .hint(gongkai_i18n::tr!("load.not_utf8_hint", encoding = encoding)))
        }
    }
}

/// Control characters (a form feed from a PDF, a stray NUL) are invisible in an editor but make
/// the published pages and feed invalid: each is reported where it is.
/// The first character reference (`&#x202E;`, `&#27;`) in `text` that Markdown would turn into
/// a hostile character, with its byte offset: the file's text is clean, the page would not be.
fn hostile_reference(text: &str) -> Option<(usize, char)> {
    let mut from = 0;
    while let Some(i) = text[from..].find("&#").map(|i| i + from) {
        from = i + 2;
        let rest = &text[from..];
        let (digits, radix) = match rest.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (rest, 10),
        };
        let end = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        if end == 0 || end > 8 || !digits[end..].starts_with(';') {
            continue;
        }
        let c = u32::from_str_radix(&digits[..end], radix)
            .ok()
            .and_then(char::from_u32);
        // CommonMark turns U+0000 into U+FFFD; every other hostile one is kept.
        if let Some(c) = c.filter(|c| *c != '\0' && is_hostile_char(*c)) {
            return Some((i, c));
        }
    }
    None
}

/// `text` without hostile characters, and how many were removed.
pub fn without_hostile_chars(text: &str) -> (String, usize) {
    let n = text.chars().filter(|c| is_hostile_char(*c)).count();
    if n == 0 {
        return (text.to_string(), 0);
    }
    (text.chars().filter(|c| !is_hostile_char(*c)).collect(), n)
}

/// The first hostile character of a file's text (see [`is_hostile_char`]), located.
pub fn check_characters(text: &str, shown: &Path) -> Result<(), Diagnostic> {
    let bad = |c: char| is_hostile_char(c) && c != '\r';
    let raw = text
        .find(bad)
        .map(|at| (at, text[at..].chars().next().unwrap_or_default()));
    let Some((at, c)) = raw.or_else(|| hostile_reference(text)) else {
        return Ok(());
    };
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..at].chars().count() + 1;
    Err(Diagnostic::new(
        shown,
        line,
        gongkai_i18n::tr!("load.control_char", code = format!("U+{:04X}", c as u32)),
    )
    .column(column)
    .hint(gongkai_i18n::tr!("load.control_char_hint")))
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

/// Loads one plan file of the site at `root`, `rel` as the publisher sees it (`content/…`),
/// with its progress file and its 解读 when they are beside it, and finds the files of
/// `sources/` it names.
pub fn load_plan(root: &Path, rel: &Path) -> Result<LoadedPlan, Diagnostics> {
    let plan = read_text(root, rel).and_then(|text| parse_plan(&text, rel));
    with_side_files(root, plan)
}

/// A plan parsed from its text (or why not), with its progress file and 解读 as they are on
/// disk beside it at `plan.file`, and the files of `sources/` it names: what `check` reads of
/// it. Every problem of the three files comes back together.
pub fn with_side_files(
    root: &Path,
    plan: Result<LoadedPlan, Diagnostic>,
) -> Result<LoadedPlan, Diagnostics> {
    let Some(rel) = plan.as_ref().ok().map(|p| p.file.clone()) else {
        return Err(Diagnostics(plan.err().into_iter().collect()));
    };
    let [progress_rel, jiedu_rel] = side_files(&rel);
    // A side file is there when anything has its name (a link out, a FIFO): what cannot be
    // read is an error, never silently no progress.
    let progress = exists(root, &progress_rel)
        .then(|| load_progress(root, &progress_rel))
        .transpose();
    let interpretation = exists(root, &jiedu_rel)
        .then(|| read_text(root, &jiedu_rel).and_then(|t| parse_interpretation(&t, &jiedu_rel)))
        .transpose();
    let (mut plan, progress_file, interpretation) = match (plan, progress, interpretation) {
        (Ok(p), Ok(pr), Ok(i)) => (p, pr, i),
        (p, pr, i) => {
            return Err(Diagnostics(
                [p.err(), pr.err(), i.err()].into_iter().flatten().collect(),
            ));
        }
    };
    plan.progress_file = progress_file;
    plan.interpretation = interpretation;
    plan.files = referenced_files(root, &plan);
    Ok(plan)
}

/// Whether anything — a file, a link (even a broken one), a FIFO — has the name `rel`.
fn exists(root: &Path, rel: &Path) -> bool {
    std::fs::symlink_metadata(root.join(rel)).is_ok()
}

/// Reads a progress file.
pub fn load_progress(root: &Path, rel: &Path) -> Result<LoadedProgress, Diagnostic> {
    let text = read_text(root, rel)?;
    let parsed: ProgressFile = if text.trim().is_empty() {
        ProgressFile::default()
    } else {
        yaml::from_str(&text, rel, 0)?
    };
    Ok(LoadedProgress {
        file: rel.to_path_buf(),
        text,
        parsed,
    })
}

/// Parses a 政策解读: front matter like a plan's (title, issuer, published …), then its text.
pub fn parse_interpretation(text: &str, rel: &Path) -> Result<Interpretation, Diagnostic> {
    let Some((fm, body_text, body_line)) = split_front_matter(text) else {
        return Err(
            Diagnostic::new(rel, 1, gongkai_i18n::tr!("load.no_front_matter"))
                .hint(gongkai_i18n::tr!("load.no_front_matter_hint")),
        );
    };
    let meta: InterpretationMeta = yaml::from_str(fm, rel, 1)?;
    // Its page is one folder below its plan's.
    let (html, links) = body::document_html(body_text, body_line, "../../../../");
    Ok(Interpretation {
        file: rel.to_path_buf(),
        meta,
        front_matter: fm.to_string(),
        html,
        links,
    })
}

/// The files of `sources/` a plan names, each once, in the order named: its source, its
/// attachments, the evidence of its progress.
pub fn referenced_files(root: &Path, plan: &LoadedPlan) -> Vec<FileStat> {
    let mut paths: Vec<&str> = Vec::new();
    if let Some(s) = &plan.meta.source
        && is_source_path(s)
    {
        paths.push(s.trim());
    }
    paths.extend(plan.meta.attachments.iter().map(|a| a.file.trim()));
    let progress = plan
        .meta
        .progress
        .iter()
        .chain(plan.progress_file.iter().flat_map(|p| &p.parsed.progress));
    for e in progress.flat_map(|p| &p.evidence) {
        if let (_, _, Some(f)) = e.parts() {
            paths.push(f.trim());
        }
    }
    let mut out: Vec<FileStat> = Vec::new();
    for p in paths {
        if !out.iter().any(|f| f.path == p) {
            out.push(stat_source(root, p));
        }
    }
    out
}

/// Whether a plan's `source:` names a file of the site (rather than a web address or words).
pub fn is_source_path(s: &str) -> bool {
    s.trim().starts_with(&format!("{SOURCES_DIR}/"))
}

/// A file of the site's `sources/` and its size, or why it cannot be published: a path that is
/// not under `sources/`, climbs out of it (`..`, a link to elsewhere) or names no file. Nothing
/// outside `sources/` is ever read into a build.
pub fn stat_source(root: &Path, path: &str) -> FileStat {
    let rel = Path::new(path);
    let plain = rel
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    let state = if !is_source_path(path) || !plain || path.contains('\\') {
        Err(FileProblem::Outside)
    } else {
        let inside = root.join(SOURCES_DIR);
        match crate::input::check(
            &root.join(rel),
            Some(&inside),
            crate::limits::ATTACHMENT_BYTES,
        ) {
            Ok(len) => Ok(len),
            Err(e) => Err(match e.refusal {
                crate::input::Refusal::Outside { .. } => FileProblem::Outside,
                crate::input::Refusal::Missing => FileProblem::Missing,
                _ => FileProblem::Unreadable(e.reason()),
            }),
        }
    };
    FileStat {
        path: path.to_string(),
        state,
    }
}

/// Parses the text of a plan file.
pub fn parse_plan(text: &str, rel: &Path) -> Result<LoadedPlan, Diagnostic> {
    let Some((fm, body_text, body_line)) = split_front_matter(text) else {
        return Err(
            Diagnostic::new(rel, 1, gongkai_i18n::tr!("load.no_front_matter"))
                .hint(gongkai_i18n::tr!("load.no_front_matter_hint")),
        );
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
        progress_file: None,
        interpretation: None,
        files: Vec::new(),
    })
}

/// Loads every plan under `root/content`, in parallel, in a stable order. A progress file or
/// 解读 with no plan beside it is an error: what it says would be lost.
pub fn load_all(root: &Path) -> (Vec<LoadedPlan>, Diagnostics) {
    let (files, problems) = content_files(root);
    let mut diags = Diagnostics(problems);
    for (rel, kind) in &files {
        if let ContentFile::Progress(plan) | ContentFile::Interpretation(plan) = kind
            && !root.join(plan).is_file()
        {
            diags.push(orphan(rel, plan));
        }
    }
    let results: Vec<Result<LoadedPlan, Diagnostics>> = files
        .par_iter()
        .filter(|(_, k)| *k == ContentFile::Plan)
        .map(|(rel, _)| load_plan(root, rel))
        .collect();
    let mut plans = Vec::new();
    for r in results {
        match r {
            Ok(p) => plans.push(p),
            Err(d) => diags.extend(d),
        }
    }
    (plans, diags)
}

/// A side file whose plan is not there.
pub fn orphan(rel: &Path, plan: &Path) -> Diagnostic {
    Diagnostic::new(
        rel,
        0,
        gongkai_i18n::tr!("track.orphan", plan = plan.display()),
    )
    .hint(gongkai_i18n::tr!("track.orphan_hint"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_references_to_hostile_characters_are_found() {
        let p = Path::new("a.md");
        assert!(check_characters("落实&#x202E;责任", p).is_err());
        assert!(check_characters("落实&#27;[31m", p).is_err());
        assert!(check_characters("落实&#X200f;", p).is_err());
        assert!(check_characters("A&#38;B &#x4e00; &#; &#xZZ; &#12345678901;", p).is_ok());
        let d = check_characters("第一行\n落实&#x202e;", p).unwrap_err();
        assert_eq!((d.line, d.message.contains("U+202E")), (2, true));
    }

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
