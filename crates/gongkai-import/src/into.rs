//! `gongkai import DOC --into PLAN`: the metadata of a document — most often the page a portal
//! published the plan on, saved after the Word file was imported — into a plan the site has. Only
//! the fields the plan lacks are written; a field it has is never changed (a different value is
//! reported), and its body is kept byte for byte. The front matter is edited with yaml-edit, as
//! `site.yaml` is ([`crate::registry`]), so the publisher's comments, order and quoting stay; the
//! result is checked as `check` checks it, then written atomically ([`crate::write`]).

use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use gongkai_i18n::tr;
use gongkai_model::FrontMatter;
use gongkai_site::load::{CONTENT_DIR, ContentFile};
use gongkai_site::validate::{DISCLOSURE, VALIDITY};

use crate::error::{DocumentError, ImportError, IntoError};
use crate::meta::{Meta, same_value};
use crate::report::Report;
use crate::{ImportOptions, write};

/// The front-matter fields a document fills, in the order a plan writes them (new ones go
/// after the nearest one before them the plan has).
const ORDER: &[&str] = &[
    "title",
    "district",
    "year",
    "period",
    "kind",
    "issuer",
    "doc_number",
    "written",
    "published",
    "index_number",
    "topic",
    "status",
    "validity",
    "disclosure",
];

/// The longest value of a field written: no 索引号, 文号 or issuer is longer; a longer one is
/// a page's text taken for a value, left out with a note.
const MAX_VALUE_CHARS: usize = 200;

/// What filling a plan did (or, in a dry run, would do).
#[derive(Debug, Default)]
pub struct Filled {
    /// The document read, as given.
    pub source: String,
    /// How it was read: `html`, `docx`, `pdf`, or a text encoding.
    pub format: String,
    /// The plan file, site-relative (`content/…`).
    pub plan: String,
    pub dry_run: bool,
    /// Fields written: key and value.
    pub added: Vec<(&'static str, String)>,
    /// Fields the plan has with another value: key, the plan's value, the document's.
    pub differing: Vec<(&'static str, String, String)>,
    /// Fields the plan has with the same value.
    pub same: Vec<&'static str>,
    /// What reading the document noted (dates left out, values not among the allowed ones) and
    /// where the document and its page's metadata block disagree.
    pub notes: Vec<String>,
    pub disagreements: Vec<String>,
    /// What `check` will warn about in the plan written.
    pub warnings: Vec<String>,
}

/// Fills the plan `into` (in the site `opts.site`) from the document `opts.file`.
pub fn run(opts: &ImportOptions, into: &Path) -> Result<Filled, ImportError> {
    if opts.file.is_dir() {
        return Err(IntoError::Folder(opts.file.clone()).into());
    }
    let site = std::fs::canonicalize(&opts.site).map_err(|e| ImportError::ReadFile {
        file: opts.site.clone(),
        reason: e.to_string(),
    })?;
    let (path, rel) = resolve(&site, &opts.site, into)?;
    let raw = read_plan(&site, &rel)?;
    let text = normalised(&raw, &rel)?;
    let loaded = write::check_plan(&text, &rel).map_err(|e| IntoError::Broken {
        plan: rel.clone(),
        error: e.to_string(),
    })?;
    let bytes = gongkai_site::input::read(&opts.file, None, gongkai_site::limits::DOCUMENT_BYTES)
        .map_err(|e| ImportError::ReadFile {
        file: opts.file.clone(),
        reason: e.reason(),
    })?;
    let (meta, report) =
        document_meta(&opts.file, &bytes).map_err(|e| e.in_document(&opts.file))?;
    let mut filled = compare(&meta, &loaded.meta, report);
    filled.source = opts.file.display().to_string();
    filled.plan = rel.display().to_string();
    filled.dry_run = opts.dry_run;
    if filled.added.is_empty() {
        return Ok(filled);
    }
    let new_raw = edit(&raw, &filled.added, &rel)?;
    let new_text = normalised(new_raw.as_bytes(), &rel)?;
    let new_loaded = write::check_plan(&new_text, &rel)?;
    let config = gongkai_site::config::load(&site).map_err(|d| ImportError::Config {
        site: opts.site.clone(),
        problems: d.sorted(),
    })?;
    let others = gongkai_site::load::load_all(&site).0;
    let warnings = write::check_in_site(&site, &rel, &new_text, new_loaded, config, &others, None)?;
    filled.warnings = warnings.iter().map(ToString::to_string).collect();
    let planned = [write::Planned::new(&path, new_raw.into_bytes())];
    write::check_inside(&planned, &opts.site)?;
    if !opts.dry_run {
        write::all_or_nothing(&planned)?;
    }
    Ok(filled)
}

/// The plan `into` names, as a path to write and as its site-relative path (`content/…`):
/// relative to the site folder when it is there, else to the working folder. Refused: a `..`
/// anywhere, a link, anything but a regular file, a file outside `content/` once the links of its
/// folders are followed, a file under it that is no plan.
fn resolve(site: &Path, given_site: &Path, into: &Path) -> Result<(PathBuf, PathBuf), IntoError> {
    if into.components().any(|c| c == Component::ParentDir) {
        return Err(IntoError::ParentDir(into.to_path_buf()));
    }
    let in_site = given_site.join(into);
    let path = if into.is_relative() && std::fs::symlink_metadata(&in_site).is_ok() {
        in_site
    } else {
        into.to_path_buf()
    };
    let meta =
        std::fs::symlink_metadata(&path).map_err(|_| IntoError::Missing(into.to_path_buf()))?;
    if meta.file_type().is_symlink() {
        return Err(IntoError::Link {
            plan: into.to_path_buf(),
            target: gongkai_site::output::resolve(&path),
        });
    }
    if !meta.is_file() {
        return Err(IntoError::NotAFile(into.to_path_buf()));
    }
    let content = site.join(CONTENT_DIR);
    let outside = || IntoError::Outside {
        plan: into.to_path_buf(),
        content: content.clone(),
    };
    let real = std::fs::canonicalize(&path).map_err(|_| outside())?;
    let real_content = std::fs::canonicalize(&content).map_err(|_| outside())?;
    let under = real.strip_prefix(&real_content).map_err(|_| outside())?;
    let rel = Path::new(CONTENT_DIR).join(under);
    if gongkai_site::load::classify(&rel) != ContentFile::Plan {
        return Err(IntoError::NotAPlan(into.to_path_buf()));
    }
    Ok((path, rel))
}

/// The plan's bytes, read under the reading policy (inside `content/`, size-limited).
fn read_plan(site: &Path, rel: &Path) -> Result<Vec<u8>, ImportError> {
    let fence = gongkai_site::input::fence(site, rel);
    gongkai_site::input::read(
        &site.join(rel),
        Some(&fence),
        gongkai_site::limits::TEXT_FILE_BYTES,
    )
    .map_err(|e| ImportError::ReadFile {
        file: rel.to_path_buf(),
        reason: e.reason(),
    })
}

/// The plan's text as `check` reads it (no byte-order mark, `\n` line ends, no hostile
/// characters), or why it is not one.
fn normalised(raw: &[u8], rel: &Path) -> Result<String, IntoError> {
    let broken = |d: gongkai_site::diagnostics::Diagnostic| IntoError::Broken {
        plan: rel.to_path_buf(),
        error: d.message,
    };
    let text = gongkai_site::load::decode_utf8(raw.to_vec(), rel).map_err(broken)?;
    gongkai_site::load::check_characters(&text, rel).map_err(broken)?;
    Ok(text)
}

/// A document's metadata: what importing it would write, without its body (an old Word or
/// WPS file through LibreOffice first). A document whose title is not found still gives its
/// page's metadata block.
fn document_meta(file: &Path, bytes: &[u8]) -> Result<(Meta, Report), ImportError> {
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let converted;
    let (bytes, name) = match crate::sniff::sniff(bytes, &name) {
        crate::sniff::Format::LegacyWord(ext) => {
            converted = write::convert_with_libreoffice(file, bytes, ext)?;
            (converted.as_slice(), format!("{name}.docx"))
        }
        _ => (bytes, name),
    };
    let (read, mut report) = crate::read_clean(bytes, &name)?;
    let portal = read.portal.clone();
    let mut meta = match crate::meta::split(read.items, &portal, &mut report) {
        Ok(parts) => parts.meta,
        Err(DocumentError::NoTitle) => {
            let mut m = Meta::default();
            for (field, value) in &portal {
                m.take_portal(*field, value);
            }
            m
        }
        Err(e) => return Err(e.into()),
    };
    crate::keep_real_dates(&mut meta, &mut report);
    Ok((meta, report))
}

/// What the document gives against what the plan has: the fields to add, those that differ,
/// those the same.
fn compare(meta: &Meta, plan: &FrontMatter, mut report: Report) -> Filled {
    let validity = crate::known_value(
        meta.validity.as_deref(),
        "有效性（validity）",
        VALIDITY,
        &mut report,
    );
    let disclosure = crate::known_value(
        meta.disclosure.as_deref(),
        "公开方式（disclosure）",
        DISCLOSURE,
        &mut report,
    );
    let fields: [(&'static str, Option<String>, Option<&String>); 8] = [
        (
            "index_number",
            meta.index_number.clone(),
            plan.index_number.as_ref(),
        ),
        ("issuer", meta.issuer.clone(), plan.issuer.as_ref()),
        (
            "doc_number",
            meta.doc_number.clone(),
            plan.doc_number.as_ref(),
        ),
        ("written", meta.written.clone(), plan.written.as_ref()),
        ("published", meta.published.clone(), plan.published.as_ref()),
        ("topic", meta.topic.clone(), plan.topic.as_ref()),
        ("validity", validity, plan.validity.as_ref()),
        ("disclosure", disclosure, plan.disclosure.as_ref()),
    ];
    let mut filled = Filled {
        format: report.encoding.clone(),
        ..Filled::default()
    };
    for (key, document, has) in fields {
        let Some(document) = document
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        if document.chars().count() > MAX_VALUE_CHARS {
            let start: String = document.chars().take(20).collect();
            report.notes.push(tr!(
                "import.into.too_long",
                field = label(key),
                start = start,
                limit = MAX_VALUE_CHARS
            ));
            continue;
        }
        match has.map(|v| v.trim()).filter(|v| !v.is_empty()) {
            None => filled.added.push((key, document)),
            Some(v) if same_value(v, &document) => filled.same.push(key),
            Some(v) => filled.differing.push((key, v.to_string(), document)),
        }
    }
    filled.notes = report.notes;
    filled.disagreements = report.disagreements;
    filled
}

/// The plan file `raw` (at `rel`) with `added` in its front matter, edited with yaml-edit
/// (comments, order and quoting kept); its byte-order mark, line ends and body stay byte for
/// byte. Why not, when its front matter cannot be edited.
fn edit(raw: &[u8], added: &[(&'static str, String)], rel: &Path) -> Result<String, IntoError> {
    let broken = |error: String| IntoError::Broken {
        plan: rel.to_path_buf(),
        error,
    };
    let text = std::str::from_utf8(raw).map_err(|e| broken(e.to_string()))?;
    let (bom, text) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let crlf = text.starts_with("---\r\n");
    let open_len = if crlf { 5 } else { 4 };
    if !crlf && !text.starts_with("---\n") {
        return Err(broken(tr!("load.no_front_matter")));
    }
    // The front matter runs to the first line that is `---`.
    let mut end = None;
    let mut offset = open_len;
    for line in text[open_len..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            end = Some(offset);
            break;
        }
        offset += line.len();
    }
    let end = end.ok_or_else(|| broken(tr!("load.no_front_matter")))?;
    let fm = text[open_len..end].replace("\r\n", "\n");
    let doc = yaml_edit::Document::from_str(&fm).map_err(|e| broken(e.to_string()))?;
    let root = doc
        .as_mapping()
        .ok_or_else(|| broken(tr!("import.into.not_mapping")))?;
    for (key, value) in added {
        let at = ORDER.iter().position(|k| k == key).unwrap_or(ORDER.len());
        let after = ORDER[..at].iter().rev().find(|k| root.contains_key(**k));
        let placed = after.is_some_and(|a| root.insert_after(*a, *key, value.as_str()));
        if !placed {
            root.set(*key, value.as_str());
        }
    }
    let mut new_fm = doc.to_string();
    if !new_fm.ends_with('\n') {
        new_fm.push('\n');
    }
    if crlf {
        new_fm = new_fm.replace('\n', "\r\n");
    }
    Ok(format!(
        "{bom}{}{new_fm}{}",
        &text[..open_len],
        &text[end..]
    ))
}

fn label(key: &str) -> String {
    tr!(&format!("import.field.{key}"))
}

impl fmt::Display for Filled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = if self.dry_run {
            "import.into.would_fill"
        } else {
            "import.into.filled"
        };
        let head = tr!(
            key,
            source = &self.source,
            format = &self.format,
            plan = &self.plan
        );
        writeln!(f, "{head}")?;
        if self.added.is_empty() {
            writeln!(f, "{}", tr!("import.into.nothing_added"))?;
        } else {
            writeln!(f, "{}", tr!("import.into.added", count = self.added.len()))?;
            for (k, v) in &self.added {
                writeln!(f, "  {}：{v}", label(k))?;
            }
        }
        if !self.differing.is_empty() {
            writeln!(f, "{}", tr!("import.into.differs"))?;
            for (k, plan, document) in &self.differing {
                let line = tr!(
                    "import.into.differs_one",
                    field = label(k),
                    plan = plan,
                    document = document
                );
                writeln!(f, "  {line}")?;
            }
        }
        if !self.same.is_empty() {
            let same: Vec<String> = self.same.iter().map(|k| label(k)).collect();
            let sep = match gongkai_i18n::current() {
                gongkai_i18n::Lang::Zh => "、",
                gongkai_i18n::Lang::En => ", ",
            };
            writeln!(f, "{}", tr!("import.into.same", fields = same.join(sep)))?;
        }
        for n in &self.notes {
            writeln!(f, "{}", tr!("import.report.note", note = n))?;
        }
        for w in &self.disagreements {
            writeln!(f, "{}{w}", tr!("diag.warning"))?;
        }
        for w in &self.warnings {
            writeln!(f, "{w}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "---\n# 注释\ntitle: '示例区2024年安全生产工作要点'\ndistrict: shili\nyear: 2024\nkind: 工作要点\nsource: sources/shili/2024/a.docx\n---\n\n## 一、压实责任\n\n---\n\n正文 key: value\n";

    fn rel() -> &'static Path {
        Path::new("content/shili/2024/a.md")
    }

    #[test]
    fn missing_fields_go_in_their_place_and_nothing_else_changes() {
        let added = vec![
            ("issuer", "示例区某某局".to_string()),
            ("index_number", "000000000/2024-00001".to_string()),
            ("topic", "123".to_string()),
            ("doc_number", "示应急〔2024〕1号: #2".to_string()),
        ];
        let out = edit(PLAN.as_bytes(), &added, rel()).unwrap();
        let (fm, body, _) = gongkai_site::load::split_front_matter(&out).unwrap();
        assert!(PLAN.ends_with(body), "{out}");
        assert!(
            fm.starts_with("# 注释\ntitle: '示例区2024年安全生产工作要点'\n"),
            "{fm}"
        );
        // After the field before them in the usual order.
        let kind = fm.find("kind:").unwrap();
        let issuer = fm.find("issuer:").unwrap();
        let source = fm.find("source:").unwrap();
        assert!(kind < issuer && issuer < source, "{fm}");
        let meta: FrontMatter = serde_yaml_ng::from_str(fm).unwrap();
        assert_eq!(meta.issuer.as_deref(), Some("示例区某某局"));
        // Quoted where YAML would read it otherwise.
        assert_eq!(meta.topic.as_deref(), Some("123"));
        assert_eq!(meta.doc_number.as_deref(), Some("示应急〔2024〕1号: #2"));
        assert_eq!(meta.index_number.as_deref(), Some("000000000/2024-00001"));
        // A field there with no value is given one where it is.
        let empty = PLAN.replace("kind: 工作要点\n", "kind: 工作要点\nissuer:\n");
        let out = edit(empty.as_bytes(), &added[..1], rel()).unwrap();
        assert_eq!(out.matches("issuer").count(), 1, "{out}");
        assert!(out.contains("issuer: 示例区某某局"), "{out}");
        // No front matter, or one that is no mapping: why, not a panic.
        assert!(edit("正文\n".as_bytes(), &added, rel()).is_err());
        assert!(edit("---\n- a\n---\n".as_bytes(), &added, rel()).is_err());
        assert!(edit(b"---\ntitle: \xff\n---\n", &added, rel()).is_err());
    }

    #[test]
    fn what_the_plan_has_is_kept_and_compared() {
        let meta = Meta {
            issuer: Some("示例区 某某局".into()),
            doc_number: Some("示应急〔2024〕2号".into()),
            index_number: Some("某".repeat(MAX_VALUE_CHARS + 1)),
            published: Some("2024-03-01".into()),
            validity: Some("长期".into()),
            ..Meta::default()
        };
        let plan = FrontMatter {
            issuer: Some("示例区某某局".into()),
            doc_number: Some("示应急〔2024〕1号".into()),
            published: Some("  ".into()),
            ..FrontMatter::default()
        };
        let filled = compare(&meta, &plan, Report::default());
        assert_eq!(filled.added, vec![("published", "2024-03-01".to_string())]);
        assert_eq!(filled.same, vec!["issuer"]);
        assert_eq!(
            filled.differing,
            vec![(
                "doc_number",
                "示应急〔2024〕1号".to_string(),
                "示应急〔2024〕2号".to_string()
            )]
        );
        // Too long a value and one not among the allowed ones: left out, with a note each.
        assert_eq!(filled.notes.len(), 2, "{:?}", filled.notes);
    }
}
