//! `gongkai import`: a plan document as publishers hold it — a Word file, a page saved from a
//! portal, a PDF, plain text — turned into a plan file that `gongkai build` accepts, with a report
//! of what was recognised, repaired, left out and could not be placed.
//!
//! The steps, in order: [`sniff`] what the bytes are → read them into lines and tables: plain
//! text through [`decode`] and [`layout`] (lines repaired by [`repair`]), Word through [`docx`],
//! a portal page through [`html`] (its metadata block and furniture known by [`portal`]), a PDF
//! through [`pdf`] → [`meta`]: header, notice, title, cover, imprint → [`structure`]: headings,
//! tasks, tables ([`table`]) as [`markdown`] → new units, indicators and districts into
//! `site.yaml` ([`registry`]) → everything parsed back and written together ([`write`]).
//! [`convert_bytes`] is the whole conversion as a pure function: bytes in, plan out, no disk.
//!
//! [`progress`] does the same for progress tables: a spreadsheet of what was done, into the
//! plans' tracking files.

pub mod decode;
pub mod docx;
pub mod error;
pub mod html;
pub mod into;
pub mod items;
pub mod layout;
pub mod markdown;
pub mod meta;
pub mod pdf;
pub mod portal;
pub mod progress;
pub mod registry;
pub mod repair;
pub mod report;
pub mod review;
pub mod sniff;
pub mod structure;
pub mod table;
pub mod textgrid;
pub mod words;
pub mod write;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub use error::{DocumentError, ImportError, LibreOfficeError, RegistryError, WriteError};
use gongkai_i18n::tr;
use gongkai_model::{Period, TaskSource};
use gongkai_site::config::SiteConfig;
use gongkai_site::validate::{DISCLOSURE, VALIDITY};
use gongkai_zh::slug::pinyin_slug;
pub use report::Report;

use markdown::escape;

/// What `gongkai import` was asked to do; also its command-line arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportOptions {
    /// The document to import (.docx, .doc, .wps, .html, .pdf or text), or a folder of them.
    pub file: PathBuf,
    /// The site folder, holding site.yaml and content/.
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
    /// District slug (e.g. jingan); found from the title when not given.
    #[arg(long)]
    pub district: Option<String>,
    /// Year (2017) or period (2016-2020); found from the title when not given.
    #[arg(long)]
    pub year: Option<String>,
    /// The plan's title, for a document that does not state one where the importer finds it
    /// (a task table alone, a page whose title is only in the browser's tab).
    #[arg(long)]
    pub title: Option<String>,
    /// Where to write the plan file (default: content/<district>/<year>/<id>.md in the site).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the plan file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Write nothing; show what would be written.
    #[arg(long)]
    pub dry_run: bool,
    /// Fill the missing metadata of this plan file of the site (content/…/X.md) from the
    /// document, without touching its body or the fields it has.
    #[arg(long, conflicts_with_all = ["out", "force", "district", "year"])]
    pub into: Option<PathBuf>,
}

/// What a conversion is told besides the document: the district and year when the publisher
/// gives them, and where the original lies when it is in the site already.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings<'a> {
    pub district: Option<&'a str>,
    pub year: Option<&'a str>,
    /// The title the publisher gives, used when the document states none the importer finds.
    pub title: Option<&'a str>,
    /// The original's site-relative path (`sources/…`) when it already lies in the site.
    pub source: Option<&'a str>,
}

/// A converted document, before anything is written.
pub struct Converted {
    pub meta: meta::Meta,
    pub district: String,
    /// The district's name when it is not in site.yaml yet.
    pub new_district: Option<String>,
    pub period: Period,
    pub id: String,
    /// The whole plan file: front matter and body.
    pub text: String,
    /// Site-relative path the original document is kept at (`sources/<district>/<year>/<id>.<ext>`).
    pub source: String,
    pub units: Vec<String>,
    pub indicators: Vec<table::IndicatorRow>,
    pub report: Report,
    /// Each line of the original beside what it became, for the 核对 page.
    pub review: review::Review,
}

/// The period a title names: `2017年`, `2021—2025年`, or a five-year plan (“十三五”).
pub fn period_in(title: &str) -> Option<Period> {
    for (name, long, start) in [
        ("十一五", "第十一个五年", 2006),
        ("十二五", "第十二个五年", 2011),
        ("十三五", "第十三个五年", 2016),
        ("十四五", "第十四个五年", 2021),
        ("十五五", "第十五个五年", 2026),
    ] {
        // `……第十四个五年规划和二〇三五年远景目标纲要`: the plan is the five years'.
        if title.contains(name) || title.contains(long) {
            return Some(Period {
                start,
                end: start + 4,
            });
        }
    }
    let chars: Vec<char> = title.chars().collect();
    let year_at = |i: usize| -> Option<u16> {
        let s: String = chars.get(i..i + 4)?.iter().collect();
        (s.bytes().all(|b| b.is_ascii_digit())
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|y| (1949..=2100).contains(y))
    };
    for i in 0..chars.len() {
        let Some(y) = year_at(i) else { continue };
        let mut j = i + 4;
        while chars.get(j) == Some(&' ') {
            j += 1;
        }
        if matches!(chars.get(j), Some('-' | '—' | '–' | '~' | '至')) {
            let mut k = j + 1;
            while chars.get(k) == Some(&' ') {
                k += 1;
            }
            if let Some(end) = year_at(k) {
                return Period::parse(&format!("{y}-{end}"));
            }
        }
        if chars.get(j) == Some(&'年') {
            return Some(Period { start: y, end: y });
        }
    }
    None
}

/// Administrative suffixes and their level: a place chain goes down, never up
/// (上海市 → 崇明区 → 庙镇).
const PLACE_SUFFIXES: &[(&str, u8)] = &[
    ("自治区", 1),
    ("省", 1),
    ("自治州", 2),
    ("地区", 2),
    ("市", 2),
    ("州", 2),
    ("盟", 2),
    ("新区", 3),
    ("新城", 3),
    ("开发区", 3),
    ("区", 3),
    ("县", 3),
    ("旗", 3),
    ("街道", 4),
    ("苏木", 4),
    ("镇", 4),
    ("乡", 4),
];

/// The district a title or an issuer names: the lowest place of the chain of places it starts
/// with. `上海市崇明区2023年…` → 崇明区, `南丰县桑田镇…` → 桑田镇, `中共吴忠市利通区委办公室` →
/// 利通区; `崇川区参与南通市…` → 崇川区 (a chain never goes up); `全市…` names none.
pub fn district_in(text: &str) -> Option<String> {
    let t = text.trim();
    // `2.2025年…`: an annex's own number before its title.
    let t = match t.find(['.', '．', '、']) {
        Some(i) if (1..=2).contains(&i) && t[..i].bytes().all(|b| b.is_ascii_digit()) => {
            let rest = &t[i..];
            rest[rest.chars().next().map_or(0, char::len_utf8)..].trim_start()
        }
        _ => t,
    };
    let t = t.strip_prefix("中共").unwrap_or(t);
    // `2021年安康市……`: a leading year is not part of the place.
    let t = match t.char_indices().nth(4) {
        Some((i, '年')) if t[..i].bytes().all(|b| b.is_ascii_digit()) => {
            let rest = &t[i + '年'.len_utf8()..];
            rest.strip_prefix('度').unwrap_or(rest)
        }
        _ => t,
    };
    let end = t
        .find(|c: char| c.is_ascii_digit() || matches!(c, '“' | '"' | '《' | '（' | '(' | '—'))
        .unwrap_or(t.len());
    let head = &t[..end];
    let mut pos = 0;
    let mut level = 0;
    let mut found = None;
    while pos < head.len() {
        let rest = &head[pos..];
        // The shortest place name (2 to 12 characters) from here whose level is below the last.
        let mut best: Option<(usize, u8)> = None;
        for (i, _) in rest.char_indices().take(12) {
            if i == 0 {
                continue;
            }
            // 州 ends a name (楚雄州) unless a 市/区/县 follows it (杭州市, 贵州省); 乡 and 镇
            // likewise (金乡县, 西乡县, 沙镇镇).
            let hit = PLACE_SUFFIXES
                .iter()
                .filter(|(s, l)| *l > level && rest[i..].starts_with(s))
                .filter(|(s, _)| {
                    let after = &rest[i + s.len()..];
                    match *s {
                        "州" => !after.starts_with(['市', '区', '县', '湾', '省']),
                        "乡" | "镇" => !after.starts_with(['市', '区', '县', '镇']),
                        _ => true,
                    }
                })
                .max_by_key(|(s, _)| s.len());
            if let Some((s, l)) = hit {
                best = Some((i + s.len(), *l));
                break;
            }
        }
        let Some((len, l)) = best else { break };
        let name = &rest[..len];
        // 全市, 本区, 我县, 各乡镇: a reference to a place, not its name; 关于贯彻落实市……: words.
        let words = [
            "关于",
            "贯彻",
            "落实",
            "推进",
            "加强",
            "印发",
            "开展",
            "深化",
            "进一步",
        ];
        // 城镇燃气, 乡镇, 新型城镇化: words for towns in general.
        let general = ["城镇", "乡镇", "村镇", "集镇"].contains(&name) || name.ends_with("型城镇");
        if name.starts_with(['全', '本', '我', '各', '该', '市', '区', '县'])
            || words.iter().any(|w| name.contains(w))
            || general
        {
            break;
        }
        found = Some(name.to_string());
        level = l;
        pos += len;
    }
    found
}

/// How many characters of a title [`place_inside`] looks at.
const PLACE_SEARCH_CHARS: usize = 200;

/// A place named inside a title rather than at its start, after a year, a closing 》 or a page's
/// words run onto it (`崇明政要2019年崇明区政府实事项目……`, `……首页沧州市人民政府关于……`).
fn place_inside(title: &str) -> Option<String> {
    // A place is named near a title's start; the rest of a long one (a title given with
    // --title can be any length) is not looked at, so the search stays bounded.
    let title = match title.char_indices().nth(PLACE_SEARCH_CHARS) {
        Some((end, _)) => &title[..end],
        None => title,
    };
    let boundaries: Vec<usize> = title
        .char_indices()
        .filter(|(_, c)| {
            matches!(c, '年' | '《' | '》' | '页' | '！') || (c.is_ascii() && !c.is_ascii_digit())
        })
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    // The shortest: `设为首页示州市` and `示州市` both end where the place does.
    boundaries
        .into_iter()
        .filter_map(|at| {
            let name = district_in(&title[at..])?;
            let n = name.chars().count();
            let cjk = name.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            ((3..=10).contains(&n) && cjk).then_some(name)
        })
        .min_by_key(|n| n.chars().count())
}

/// A file name for a plan, from its kind: aqsc-gongzuo-yijian for 安全生产工作意见.
pub fn plan_id(title: &str, kind: Option<&str>) -> String {
    let kind_slug = match kind {
        Some("工作意见") => "gongzuo-yijian",
        Some("工作要点") => "gongzuo-yaodian",
        Some("实施方案") => "shishi-fangan",
        Some("行动计划") => "xingdong-jihua",
        Some("工作计划") => "gongzuo-jihua",
        Some("规划") => "guihua",
        Some("应急预案") => "yingji-yuan",
        Some("预案") => "yuan",
        Some("实施意见") => "shishi-yijian",
        Some("工作方案") => "gongzuo-fangan",
        Some("行动方案") => "xingdong-fangan",
        Some("任务清单") => "renwu-qingdan",
        Some("责任清单") => "zeren-qingdan",
        Some("工作清单") => "gongzuo-qingdan",
        Some("任务分解") => "renwu-fenjie",
        Some("责任分解") => "zeren-fenjie",
        Some("分工方案") => "fengong-fangan",
        Some("工作安排") => "gongzuo-anpai",
        Some("实施办法") => "shishi-banfa",
        Some("实施细则") => "shishi-xize",
        Some("清单") => "qingdan",
        Some("安排") => "anpai",
        Some("计划") => "jihua",
        Some("方案") => "fangan",
        Some("要点") => "yaodian",
        Some("意见") => "yijian",
        _ => "wenjian",
    };
    if title.contains("安全生产") {
        format!("aqsc-{kind_slug}")
    } else if title.contains("应急管理") {
        format!("yjgl-{kind_slug}")
    } else {
        kind_slug.to_string()
    }
}

/// The lines and tables of a document, whatever its format, and what its format said of it.
pub struct Read {
    pub items: Vec<layout::Item>,
    /// Metadata a portal page's metadata block gave.
    pub portal: Vec<(portal::Field, String)>,
    /// What the document was read as: `docx`, `html`, `pdf`, or the text's encoding.
    pub format: String,
    /// The text as extracted, for a text file or a PDF: its lines are the original's lines the
    /// review shows, those left out at once (page numbers, rules) included.
    pub raw: Option<String>,
}

/// Reads a document's bytes into lines and tables, or says what the file is and what to do.
pub fn read_bytes(
    bytes: &[u8],
    file_name: &str,
    report: &mut Report,
) -> Result<Read, DocumentError> {
    use sniff::Format;
    let plain = |text: &str, format: String, report: &mut Report| Read {
        items: layout::lay_out(text, report),
        portal: vec![],
        format,
        raw: Some(text.to_string()),
    };
    match sniff::sniff(bytes, file_name) {
        Format::Text => {
            let d = decode::decode(bytes)?;
            Ok(plain(&d.text, d.encoding.to_string(), report))
        }
        Format::Docx => {
            let items = layout::repair_items(docx::read(bytes, report)?, report);
            Ok(Read {
                items,
                portal: vec![],
                format: "docx".into(),
                raw: None,
            })
        }
        Format::Html => {
            // A page whose declared charset its content contradicts is read by its content,
            // and the report says so.
            let (d, note) = decode::decode_html_noted(bytes)?;
            report.notes.extend(note);
            let page = html::read(&d, report);
            Ok(Read {
                items: layout::repair_items(page.items, report),
                portal: page.fields,
                format: "html".into(),
                raw: None,
            })
        }
        Format::Pdf => {
            let (text, spaces) = pdf::text(bytes)?;
            report.repairs.cjk_spaces += spaces;
            let mut read = plain(&text, "pdf".into(), report);
            read.items = structure::join_items(read.items, report);
            Ok(read)
        }
        Format::LegacyWord(ext) => Err(DocumentError::LegacyWord(ext)),
        Format::Other(what) => Err(DocumentError::NotADocument(what)),
    }
}

/// A document's bytes read, with the characters no published text may carry removed (and
/// counted in the report): what every import starts from.
pub fn read_clean(bytes: &[u8], file_name: &str) -> Result<(Read, Report), DocumentError> {
    let mut report = Report {
        source: file_name.to_string(),
        ..Report::default()
    };
    let mut read = read_bytes(bytes, file_name, &mut report)?;
    report.encoding = read.format.clone();
    let removed = read.remove_hostile_chars();
    if removed > 0 {
        report
            .notes
            .push(tr!("import.note.hostile_chars", count = removed));
    }
    Ok((read, report))
}

/// Converts a document given as bytes: the whole import without touching the disk. Never
/// panics, whatever the bytes; a document it cannot read is an error that says why.
pub fn convert_bytes(
    bytes: &[u8],
    file_name: &str,
    config: &SiteConfig,
    settings: &Settings,
) -> Result<Converted, ImportError> {
    let (read, report) = read_clean(bytes, file_name)?;
    convert_items(read, file_name, config, settings, report)
}

/// A value of a field that takes one of a fixed set (有效性, 公开方式), or none: a page's other
/// word (`公开方式：政府网站`) is left out with a note, so the plan passes `check` rather than
/// being refused for a word the original never meant as one of ours.
fn known_value(
    value: Option<&str>,
    field: &str,
    allowed: &[&str],
    report: &mut Report,
) -> Option<String> {
    let v = value?.trim();
    if allowed.contains(&v) {
        return Some(v.to_string());
    }
    report.notes.push(tr!(
        "import.note.unknown_value",
        field = field,
        value = v,
        list = allowed.join(" / ")
    ));
    None
}

impl Read {
    /// Removes the characters no published text may carry (control characters, bidi overrides:
    /// `load::is_hostile_char`) from every text read, so that what is written passes `check`;
    /// returns how many there were. Word's and PDF's text carries some (a vertical tab for a
    /// manual line break, U+202E pasted from elsewhere).
    fn remove_hostile_chars(&mut self) -> usize {
        let mut n = 0;
        let mut clean = |s: &mut String| {
            let (t, removed) = gongkai_site::load::without_hostile_chars(s);
            if removed > 0 {
                *s = t;
                n += removed;
            }
        };
        for item in &mut self.items {
            match item {
                layout::Item::Line(l) => clean(&mut l.text),
                layout::Item::Table(t) => t.cells.iter_mut().flatten().for_each(&mut clean),
                layout::Item::Grid(g) => g
                    .rows
                    .iter_mut()
                    .flatten()
                    .flat_map(|c| c.lines.iter_mut())
                    .for_each(&mut clean),
            }
        }
        for (_, v) in &mut self.portal {
            clean(v);
        }
        n
    }
}

/// Converts a document's text (as a text file holds it). Nothing is written.
pub fn convert_text(
    text: &str,
    file_name: &str,
    config: &SiteConfig,
    settings: &Settings,
) -> Result<Converted, ImportError> {
    convert_bytes(text.as_bytes(), file_name, config, settings)
}

/// The district slug a new district gets: the pinyin of its name without 区/市 (样例区 →
/// yangli), or a hash when that is not a usable slug.
pub fn district_slug(name: &str) -> String {
    let base = name
        .strip_suffix('区')
        .or_else(|| name.strip_suffix('市'))
        .filter(|b| b.chars().count() >= 2)
        .unwrap_or(name);
    let slug: String = gongkai_zh::slug::pinyin_key(base)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if gongkai_zh::slug::check(&slug).is_ok() {
        slug
    } else {
        pinyin_slug(name, "district")
    }
}

/// Checks a slug the publisher typed (`--district`), with a hint in Chinese.
pub fn check_district_slug(slug: &str) -> Result<(), ImportError> {
    gongkai_zh::slug::check(slug).map_err(|problem| ImportError::BadDistrict {
        slug: slug.to_string(),
        problem,
    })
}

fn convert_items(
    read: Read,
    file_name: &str,
    config: &SiteConfig,
    settings: &Settings,
    mut report: Report,
) -> Result<Converted, ImportError> {
    if let Some(d) = settings.district {
        check_district_slug(d)?;
    }
    let original = match &read.raw {
        Some(text) => review::raw_lines(text),
        None => review::original_lines(&read.items),
    };
    let format = read.format.clone();
    let items = textgrid::rebuild(read.items, &mut report);
    let text_rows = textgrid::row_lines(&items);
    let mut parts = split_parts(items, &read.portal, settings, &mut report)?;
    keep_real_dates(&mut parts.meta, &mut report);
    let m = parts.meta.clone();
    let period = match period_of(settings.year, &m) {
        Err(ImportError::NoYear(title)) => {
            year_in_body(&parts.body, &mut report).ok_or(ImportError::NoYear(title))?
        }
        other => other?,
    };
    let (district, new_district) = district_of(settings.district, config, &m, &mut report)?;

    // Notice and imprint: the notice's broken lines are joined like the body's.
    let (notice_lines, imprint_lines) = (parts.notice.clone(), parts.imprint.clone());
    let (notice, imprint) = notice_and_imprint(parts.notice, &parts.imprint, &mut report);

    let outline = structure::outline(parts.body, &mut report);
    report.unread = unread_notations(&outline.markdown, &outline.blocks);
    let id = plan_id(&m.title, m.kind.as_deref());
    let ext = sniff::extension(file_name);
    let source = match settings.source {
        Some(s) => s.to_string(),
        None => format!("sources/{district}/{}/{id}.{ext}", period.slug()),
    };
    let mut front = front_matter(&m, &district, period, &source, &mut report);
    front.notice = (!notice.is_empty()).then(|| notice.join("\n\n"));
    front.imprint = (!imprint.is_empty()).then(|| imprint.join("\n\n"));
    front.indicators = outline
        .indicators
        .iter()
        .map(|i| gongkai_model::IndicatorSpec {
            name: i.name.clone(),
            target: i.target.clone(),
            measure: i.measure.clone(),
            ..gongkai_model::IndicatorSpec::default()
        })
        .collect();
    for (k, v) in markdown::report_fields(&front) {
        report.fields.push((k, v));
    }
    let mut markdown = outline.markdown;
    let known = known_units(config, &district);
    let (body, applied) = responsibility(
        &mut front,
        &mut markdown,
        &outline.group_notes,
        &known,
        &mut report,
    );
    let units = count(&body, &front, &mut report);
    report.counts.indicators = outline.indicators.len();
    let text = format!(
        "---\n{}---\n\n{}\n",
        markdown::front_matter_yaml(&front),
        markdown.trim_end()
    );
    if report.counts.tasks == 0 {
        report.notes.push(tr!("import.note.no_tasks"));
    }
    let trace = review::Trace {
        notice: &notice_lines,
        imprint: &imprint_lines,
        blocks: &outline.blocks,
        tables: &outline.tables,
        body: &body,
        body_line: markdown::front_matter_yaml(&front).lines().count() + 4,
        overrides: &front.tasks,
        notations: &applied,
        text_rows: &text_rows,
        unread: &report.unread,
        report: &report,
    };
    let review = review::Review::new(&source, &m.title, format, original, &trace);
    Ok(Converted {
        meta: m,
        district,
        new_district,
        period,
        id,
        text,
        source,
        units,
        indicators: outline.indicators,
        report,
        review,
    })
}

/// The notice's paragraphs and the imprint's lines as Markdown: the notice's broken lines
/// joined like the body's.
fn notice_and_imprint(
    notice: Vec<layout::Line>,
    imprint: &[layout::Line],
    report: &mut Report,
) -> (Vec<String>, Vec<String>) {
    let notice: Vec<String> = structure::join_lines(notice, report)
        .iter()
        .map(|l| escape(&l.text))
        .collect();
    let imprint: Vec<String> = imprint.iter().map(|l| escape(&l.text)).collect();
    report.notice_paragraphs = notice.len();
    report.imprint_lines = imprint.len();
    (notice, imprint)
}

/// The document's parts: its title the one found, else the one the publisher gives.
fn split_parts(
    items: Vec<layout::Item>,
    portal: &[(portal::Field, String)],
    settings: &Settings,
    report: &mut Report,
) -> Result<meta::DocumentParts, ImportError> {
    let given = settings.title.map(str::trim).filter(|t| !t.is_empty());
    // The publisher's title wins over any line that looks like one; a line that states it is
    // where the plan starts.
    let stated = given.and_then(|t| {
        items
            .iter()
            .filter_map(layout::Item::line)
            .find(|l| l.no > 0 && meta::same_value(meta::title_text(&l.text).as_str(), t))
    });
    if let Some(l) = stated {
        let no = l.no;
        return Ok(meta::split_titled(items, portal, report, no)?);
    }
    Ok(match given {
        Some(t) => {
            // After the page's metadata block, which the metadata reader looks for first.
            let at = items
                .iter()
                .position(|it| it.line().is_none_or(|l| portal::fields(&l.text).is_none()))
                .unwrap_or(items.len());
            let mut items = items;
            items.insert(at, layout::Item::Line(layout::Line::new(0, t)));
            report.notes.push(tr!("import.note.title_given", title = t));
            meta::split_titled(items, portal, report, 0)?
        }
        _ => meta::split(items, portal, report)?,
    })
}

/// The plan's front matter from what the document states.
fn front_matter(
    m: &meta::Meta,
    district: &str,
    period: Period,
    source: &str,
    report: &mut Report,
) -> gongkai_model::FrontMatter {
    gongkai_model::FrontMatter {
        title: Some(m.title.clone()),
        district: Some(district.to_string()),
        year: Some(period),
        kind: m.kind.clone(),
        issuer: m.issuer.clone(),
        doc_number: m.doc_number.clone(),
        written: m.written.clone(),
        published: m.published.clone(),
        index_number: m.index_number.clone(),
        topic: m.topic.clone(),
        status: m.status.clone(),
        validity: known_value(
            m.validity.as_deref(),
            "有效性（validity）",
            VALIDITY,
            report,
        ),
        disclosure: known_value(
            m.disclosure.as_deref(),
            "公开方式（disclosure）",
            DISCLOSURE,
            report,
        ),
        source: Some(source.to_string()),
        ..gongkai_model::FrontMatter::default()
    }
}

/// Dates are written only when they are real ones (never 2024-02-30): others are left out
/// with a note.
fn keep_real_dates(meta: &mut meta::Meta, report: &mut Report) {
    for (name, date) in [
        ("成文日期", &mut meta.written),
        ("发布日期", &mut meta.published),
    ] {
        if let Some(d) = date.take() {
            if gongkai_site::validate::is_date(&d) {
                *date = Some(d);
            } else {
                report
                    .notes
                    .push(tr!("import.note.bad_date", field = name, date = d));
            }
        }
    }
}

/// The plan's year or period: `--year`, else the title's, the date it was written, the year
/// of its document number, the date it was published.
fn period_of(year: Option<&str>, m: &meta::Meta) -> Result<Period, ImportError> {
    if let Some(y) = year {
        return Period::parse(y).ok_or_else(|| ImportError::BadYear(y.to_string()));
    }
    period_in(&m.title)
        .or_else(|| Period::parse(m.written.as_deref()?.get(..4)?))
        .or_else(|| {
            // 〔2010〕 in the document number is the year it was issued.
            let d = m.doc_number.as_deref()?;
            let open = d.find(['〔', '[', '［', '【'])?;
            let year = d[open..].chars().skip(1).take(4).collect::<String>();
            Period::parse(&year)
        })
        .or_else(|| Period::parse(m.published.as_deref()?.get(..4)?))
        .ok_or_else(|| ImportError::NoYear(m.title.clone()))
}

/// Brackets and lines of the body that look like a responsibility notation but read as none,
/// with the line of the original they came from.
fn unread_notations(markdown: &str, blocks: &[(usize, usize)]) -> Vec<(usize, String)> {
    let origin: std::collections::HashMap<usize, usize> =
        blocks.iter().map(|(no, md)| (*md, *no)).collect();
    let mut out = Vec::new();
    for (i, line) in markdown.lines().enumerate() {
        if line.starts_with(['#', '|']) || line.is_empty() {
            continue;
        }
        let Some(&no) = origin.get(&(i + 1)) else {
            continue;
        };
        for r in gongkai_zh::notation::unread_brackets(line) {
            out.push((no, line[r].to_string()));
        }
        // `责任单位：…` on a line of its own that was not read as one.
        let keyed = line.split_once(['：', ':']).is_some_and(|(k, _)| {
            k.chars().count() <= 8
                && ["单位", "部门", "领导", "责任人"]
                    .iter()
                    .any(|w| k.contains(w))
        });
        if keyed
            && gongkai_zh::numbering::parse_marker(line).is_none()
            && structure::notation_line(line).is_none()
        {
            out.push((no, line.chars().take(60).collect()));
        }
    }
    out
}

/// The year the body names most (`2022年`), when nothing else states one: noted, so the
/// publisher checks it.
fn year_in_body(body: &[layout::Item], report: &mut Report) -> Option<Period> {
    let mut counts: std::collections::BTreeMap<u16, usize> = Default::default();
    let texts = body.iter().flat_map(|it| -> Vec<&str> {
        match it {
            layout::Item::Line(l) => vec![l.text.as_str()],
            layout::Item::Table(t) => t.cells.iter().flatten().map(String::as_str).collect(),
            layout::Item::Grid(g) => g
                .rows
                .iter()
                .flatten()
                .flat_map(|c| c.lines.iter().map(String::as_str))
                .collect(),
        }
    });
    for text in texts {
        for y in years_named(text) {
            *counts.entry(y).or_default() += 1;
        }
    }
    // The most named; of as many, the latest.
    let (&year, &count) = counts.iter().max_by_key(|(y, c)| (**c, **y))?;
    report.notes.push(tr!(
        "import.note.year_from_body",
        year = year,
        count = count
    ));
    Some(Period {
        start: year,
        end: year,
    })
}

/// The years a text names: `2016年`, `2016 年` as a PDF spaces it out, `二〇二三年`.
fn years_named(text: &str) -> Vec<u16> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for i in 0..chars.len().saturating_sub(4) {
        let four = &chars[i..i + 4];
        let digits: Option<Vec<u32>> = if four.iter().all(char::is_ascii_digit) {
            four.iter().map(|c| c.to_digit(10)).collect()
        } else if matches!(four[0], '一' | '二') {
            four.iter()
                .map(|c| gongkai_zh::numbering::year_digit(*c))
                .collect()
        } else {
            None
        };
        let whole = i == 0 || !chars[i - 1].is_ascii_digit();
        let after = chars[i + 4..].iter().find(|c| !c.is_whitespace());
        if let (Some(d), true, Some('年')) = (digits, whole, after) {
            let y = d.iter().fold(0, |y, d| y * 10 + d);
            if (1949..=2100).contains(&y) {
                out.push(y as u16);
            }
        }
    }
    out
}

/// The plan's district slug, and its name when it is new to the site: `--district`, else the
/// one the title or issuer names (a new one gets a slug of its own, noted).
fn district_of(
    slug: Option<&str>,
    config: &SiteConfig,
    m: &meta::Meta,
    report: &mut Report,
) -> Result<(String, Option<String>), ImportError> {
    let named = || {
        district_in(&m.title)
            .or_else(|| m.issuer.as_deref().and_then(district_in))
            .or_else(|| place_inside(&m.title))
    };
    if let Some(slug) = slug {
        return Ok(match config.district_by_slug(slug) {
            Some(_) => (slug.to_string(), None),
            None => (
                slug.to_string(),
                Some(named().unwrap_or_else(|| slug.to_string())),
            ),
        });
    }
    let named = named();
    let known = config
        .districts
        .iter()
        .find(|d| named.as_deref() == Some(d.name.as_str()))
        .or_else(|| {
            let hay = format!("{}{}", m.title, m.issuer.clone().unwrap_or_default());
            config.districts.iter().find(|d| hay.contains(&d.name))
        });
    match (known, named) {
        (Some(d), _) => Ok((d.slug.clone(), None)),
        (None, Some(name)) => {
            let slug = district_slug(&name);
            report
                .notes
                .push(tr!("import.note.new_district", name = &name, slug = &slug));
            Ok((slug, Some(name)))
        }
        (None, None) => Err(ImportError::NoDistrict(m.title.clone())),
    }
}

/// What the site will make of the plan — its tasks and the names in their responsibility —
/// with the responsibility the front matter must state: a notation written once after a
/// group of tasks, and units named inside a task's text. Returns the body as the site parses
/// it once `front` states them; run-together unit names in `markdown`'s tables are split.
fn responsibility(
    front: &mut gongkai_model::FrontMatter,
    markdown: &mut String,
    group_notes: &[structure::GroupNote],
    known: &BTreeSet<String>,
    report: &mut Report,
) -> (gongkai_site::body::Body, Vec<(usize, Vec<String>)>) {
    let probe = |front: &gongkai_model::FrontMatter, md: &str| {
        let fm = markdown::front_matter_yaml(front);
        let body_line = fm.lines().count() + 4;
        gongkai_site::body::parse(md, body_line)
    };
    let mut body = probe(front, markdown);
    if split_run_together(markdown, &body, report) {
        body = probe(front, markdown);
    }
    // Responsibility written once after a group of tasks applies to each task of the group.
    let body_line = markdown::front_matter_yaml(front).lines().count() + 4;
    let (overrides, applied) = structure::group_overrides(&body, group_notes, body_line, report);
    front.tasks = overrides;
    inner_notations(front, &body, report);
    carry_over(front, &body, report);
    resolve_levels(front, &body, known, report);
    if !front.tasks.is_empty() {
        body = probe(front, markdown);
    }
    (body, applied)
}

/// Units named inside a task's text, not only at its end: the task's are all of them, stated
/// in the front matter (unless it states the task's already).
fn inner_notations(
    front: &mut gongkai_model::FrontMatter,
    body: &gongkai_site::body::Body,
    report: &mut Report,
) {
    // (The keys given already are looked up in a set: a search per task was quadratic.)
    let given: std::collections::HashSet<String> =
        front.tasks.iter().map(|o| o.number.clone()).collect();
    for t in &body.tasks {
        if t.source != TaskSource::Body || given.contains(&t.key) {
            continue;
        }
        let all = gongkai_zh::notation::all_bracketed(&t.text);
        let trailing = gongkai_zh::notation::parse_trailing(&t.text).is_some();
        if all.is_empty() || (all.len() == 1 && trailing) {
            continue;
        }
        let (mut lead, mut support, mut persons) = (vec![], vec![], vec![]);
        for n in &all {
            for (from, to) in [
                (&n.lead, &mut lead),
                (&n.support, &mut support),
                (&n.persons, &mut persons),
            ] {
                for m in from {
                    if !to.contains(&m.name) {
                        to.push(m.name.clone());
                    }
                }
            }
        }
        report
            .notes
            .push(tr!("import.note.inner_notations", task = &t.label));
        front.tasks.push(markdown::task_override(
            t.key.clone(),
            lead,
            support,
            persons,
        ));
    }
}

/// The units the site knows for a district (its own and the shared ones), names and aliases.
fn known_units(config: &SiteConfig, district: &str) -> BTreeSet<String> {
    let names: Vec<&str> = match config.district_by_slug(district) {
        Some(d) => config.units.names_for(d),
        None => config
            .units
            .items
            .iter()
            .filter(|u| u.scope == gongkai_model::Scope::Shared)
            .map(|u| u.name.as_str())
            .collect(),
    };
    names.into_iter().map(str::to_string).collect()
}

/// Levels a unit's name may start with (市财政局 → 财政局 written after 市甲局、).
const LEVELS: &[&str] = &["市", "区", "县", "省", "州", "旗", "镇", "乡"];

/// Names written without their level (`市甲局、乙局、丙局参与`, `工业和信息化局`) that the site's
/// registry or the plan itself has with one (`市乙局`) are read as that unit: the task's list
/// is stated in the front matter with the full name (the text stays as written), noted.
fn resolve_levels(
    front: &mut gongkai_model::FrontMatter,
    body: &gongkai_site::body::Body,
    known: &BTreeSet<String>,
    report: &mut Report,
) {
    let mut all: BTreeSet<String> = known.clone();
    for t in &body.tasks {
        all.extend(t.lead.iter().chain(&t.support).map(|n| n.name.clone()));
    }
    let full = |name: &str| -> Option<String> {
        if all.contains(name) && known.contains(name) {
            return None;
        }
        let hits: Vec<String> = LEVELS
            .iter()
            .map(|l| format!("{l}{name}"))
            .filter(|f| all.contains(f))
            .collect();
        (hits.len() == 1 && name.chars().count() >= 2).then(|| hits[0].clone())
    };
    for t in body.tasks.iter().filter(|t| t.source == TaskSource::Body) {
        let at = front.tasks.iter().position(|o| o.number == t.key);
        let body_names = |v: &[gongkai_model::NameRef]| -> Vec<String> {
            v.iter().map(|n| n.name.clone()).collect()
        };
        let lists = [
            at.and_then(|i| front.tasks[i].lead.clone())
                .unwrap_or_else(|| body_names(&t.lead)),
            at.and_then(|i| front.tasks[i].support.clone())
                .unwrap_or_else(|| body_names(&t.support)),
        ];
        let resolved: Vec<Vec<String>> = lists
            .iter()
            .map(|l| {
                l.iter()
                    .map(|n| full(n).unwrap_or_else(|| n.clone()))
                    .collect()
            })
            .collect();
        if resolved[..] == lists[..] {
            continue;
        }
        for (from, to) in lists.iter().flatten().zip(resolved.iter().flatten()) {
            if from != to {
                report.notes.push(tr!(
                    "import.note.level_resolved",
                    task = &t.label,
                    name = from,
                    full = to
                ));
            }
        }
        let i = at.unwrap_or_else(|| {
            front.tasks.push(markdown::task_override(
                t.key.clone(),
                vec![],
                vec![],
                body_names(&t.persons),
            ));
            front.tasks.len() - 1
        });
        let [lead, support] = [resolved[0].clone(), resolved[1].clone()];
        front.tasks[i].lead = (!lead.is_empty()).then_some(lead);
        front.tasks[i].support = (!support.is_empty()).then_some(support);
    }
}

/// `（……以下均需各乡镇负责落实，不再列出）`: the units a task's notation names for every task after
/// it are added to each later task's lead units, in the front matter.
fn carry_over(
    front: &mut gongkai_model::FrontMatter,
    body: &gongkai_site::body::Body,
    report: &mut Report,
) {
    let mut carried: Vec<String> = Vec::new();
    for t in body.tasks.iter().filter(|t| t.source == TaskSource::Body) {
        if !carried.is_empty() {
            let own = |v: &[gongkai_model::NameRef]| v.iter().map(|n| n.name.clone()).collect();
            let at = match front.tasks.iter().position(|o| o.number == t.key) {
                Some(i) => i,
                None => {
                    front.tasks.push(markdown::task_override(
                        t.key.clone(),
                        own(&t.lead),
                        own(&t.support),
                        own(&t.persons),
                    ));
                    front.tasks.len() - 1
                }
            };
            let lead = front.tasks[at].lead.get_or_insert_with(Vec::new);
            for c in &carried {
                if !lead.contains(c) {
                    lead.push(c.clone());
                }
            }
        }
        if let Some(names) = gongkai_zh::notation::carried_over(&t.text) {
            report.notes.push(tr!(
                "import.note.carried_over",
                task = &t.label,
                units = names.join("、")
            ));
            carried = names;
        }
    }
}

/// Counts the tasks, those with responsibility, table tasks, units and persons for the
/// report; returns the units named, sorted.
fn count(
    body: &gongkai_site::body::Body,
    front: &gongkai_model::FrontMatter,
    report: &mut Report,
) -> Vec<String> {
    let mut units = BTreeSet::new();
    let mut persons = BTreeSet::new();
    let c = &mut report.counts;
    c.tasks = body.tasks.len();
    // The first entry of a key, as a search would find it.
    let mut by_key: std::collections::HashMap<&str, &gongkai_model::TaskOverride> =
        std::collections::HashMap::new();
    for o in &front.tasks {
        by_key.entry(o.number.as_str()).or_insert(o);
    }
    for t in &body.tasks {
        let o = by_key.get(t.key.as_str()).copied();
        let has =
            !(t.lead.is_empty() && t.support.is_empty() && t.persons.is_empty()) || o.is_some();
        if has {
            c.tasks_with_responsibility += 1;
        }
        if t.source == TaskSource::Table {
            c.table_tasks += 1;
        }
        units.extend(t.lead.iter().chain(&t.support).map(|n| n.name.clone()));
        persons.extend(t.persons.iter().map(|n| n.name.clone()));
        if let Some(o) = o {
            units.extend(o.lead.iter().chain(&o.support).flatten().cloned());
        }
    }
    c.units = units.len();
    c.persons = persons.len();
    units.into_iter().collect()
}

/// Table cells where extraction ran two unit names together (`区安委会有关成员单位区有关直属单位`)
/// get a space between them, when both names occur on their own elsewhere in the plan.
fn split_run_together(
    markdown: &mut String,
    body: &gongkai_site::body::Body,
    report: &mut Report,
) -> bool {
    let names: BTreeSet<&str> = body
        .tasks
        .iter()
        .flat_map(|t| t.lead.iter().chain(&t.support))
        .map(|n| n.name.as_str())
        .collect();
    let mut fixes = Vec::new();
    for n in &names {
        for (i, _) in n.char_indices().skip(2) {
            let (a, b) = n.split_at(i);
            if names.contains(a) && names.contains(b) {
                fixes.push((n.to_string(), format!("{a} {b}")));
                break;
            }
        }
    }
    if fixes.is_empty() {
        return false;
    }
    let mut out = String::with_capacity(markdown.len() + 64);
    for line in markdown.split_inclusive('\n') {
        if line.starts_with('|') {
            let mut l = line.to_string();
            for (from, to) in &fixes {
                // Only whole cell items: bounded by a cell edge or a space.
                for (pre, post) in [(" ", " "), (" ", " |")] {
                    let pat = format!("{pre}{from}{post}");
                    if l.contains(&pat) {
                        l = l.replace(&pat, &format!("{pre}{to}{post}"));
                    }
                }
            }
            out.push_str(&l);
        } else {
            out.push_str(line);
        }
    }
    for (from, to) in fixes {
        report
            .notes
            .push(tr!("import.note.run_together", from = from, to = to));
    }
    *markdown = out;
    true
}

/// What a run of `gongkai import` did: a report per document imported, and the documents that
/// could not be imported, each with why.
#[derive(Debug, Default)]
pub struct Batch {
    pub reports: Vec<Report>,
    pub failures: Vec<(PathBuf, ImportError)>,
    /// Entries of a folder that were not documents to read (a link out, a FIFO), with why.
    pub skipped: Vec<(PathBuf, String)>,
    pub dry_run: bool,
    /// With `--into`: what filling the plan did.
    pub filled: Option<into::Filled>,
}

/// An entry of a folder that was not read, and why.
type Skipped = (PathBuf, String);

/// The documents a folder holds, in name order; the files a browser saves beside a page
/// (`page_files/`) and hidden files are not documents. Entries that cannot be read as documents
/// of the folder — a link out of it, a FIFO, a device, a file past the size limit — come back
/// apart, each with why, to be listed rather than silently left out.
fn documents_in(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Skipped>), ImportError> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let entries = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || (e.file_type().is_dir()
                        && (name.ends_with("_files") || name.ends_with(".files"))))
        });
    for (n, entry) in entries.enumerate() {
        if n >= gongkai_site::limits::FOLDER_ENTRIES {
            return Err(ImportError::FolderTooLarge {
                dir: dir.to_path_buf(),
                limit: gongkai_site::limits::FOLDER_ENTRIES,
            });
        }
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                skipped.push((path, e.to_string()));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.into_path();
        match gongkai_site::input::check(&path, Some(dir), gongkai_site::limits::DOCUMENT_BYTES) {
            Ok(_) => files.push(path),
            Err(e) => skipped.push((path, e.reason())),
        }
    }
    Ok((files, skipped))
}

/// Reads, converts and writes each document: the plan file, the original under `sources/`, and
/// site.yaml when something new was met — all three or none.
pub fn run(opts: &ImportOptions) -> Result<Batch, ImportError> {
    if let Some(into) = &opts.into {
        return Ok(Batch {
            filled: Some(into::run(opts, into)?),
            dry_run: opts.dry_run,
            ..Batch::default()
        });
    }
    if let Some(d) = &opts.district {
        check_district_slug(d)?;
    }
    let yaml_path = opts.site.join(gongkai_site::config::CONFIG_FILE);
    let mut config = load_config(&opts.site)?;
    let mut yaml = std::fs::read_to_string(&yaml_path).map_err(|e| ImportError::ReadFile {
        file: yaml_path.clone(),
        reason: e.to_string(),
    })?;
    let batch_mode = opts.file.is_dir();
    let (files, skipped) = if batch_mode {
        documents_in(&opts.file)?
    } else {
        (vec![opts.file.clone()], Vec::new())
    };
    if batch_mode && files.is_empty() {
        return Err(ImportError::EmptyFolder {
            dir: opts.file.clone(),
            skipped,
        });
    }
    let mut batch = Batch {
        dry_run: opts.dry_run,
        skipped,
        ..Batch::default()
    };
    let site = std::fs::canonicalize(&opts.site).unwrap_or_else(|_| opts.site.clone());
    // The site's plans, to validate each new one among them as `check` would.
    let mut others = gongkai_site::load::load_all(&opts.site).0;
    for file in files {
        match import_one(opts, &file, batch_mode, &site, &config, &yaml, &mut others) {
            Ok((report, new_yaml)) => {
                if new_yaml != yaml && !opts.dry_run {
                    yaml = new_yaml;
                    config = load_config(&opts.site)?;
                } else if new_yaml != yaml {
                    // A dry run sees what earlier documents would have added.
                    config = write::check_config(&new_yaml)?;
                    yaml = new_yaml;
                }
                batch.reports.push(report);
            }
            Err(e) => batch.failures.push((file, e)),
        }
    }
    Ok(batch)
}

fn load_config(site: &Path) -> Result<SiteConfig, ImportError> {
    gongkai_site::config::load(site).map_err(|d| ImportError::Config {
        site: site.to_path_buf(),
        problems: d.sorted(),
    })
}

/// The site-relative path of a file that lies inside the site, if it does.
fn inside(site: &Path, file: &Path) -> Option<String> {
    let abs = std::fs::canonicalize(file).ok()?;
    let rel = abs.strip_prefix(site).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

fn import_one(
    opts: &ImportOptions,
    file: &Path,
    batch_mode: bool,
    site: &Path,
    config: &SiteConfig,
    yaml: &str,
    others: &mut Vec<gongkai_model::LoadedPlan>,
) -> Result<(Report, String), ImportError> {
    // A document named on the command line may be a link (followed: the publisher chose it); it
    // must be a regular file under the size limit, never a FIFO or a device.
    // It is read once: the original kept is the one converted.
    let original_bytes =
        gongkai_site::input::read(file, None, gongkai_site::limits::DOCUMENT_BYTES).map_err(
            |e| ImportError::ReadFile {
                file: file.to_path_buf(),
                reason: e.reason(),
            },
        )?;
    let in_site = inside(site, file).filter(|p| p.starts_with("sources/"));
    let (mut conv, converted_len) =
        convert_file(opts, file, &original_bytes, in_site.as_deref(), config)?;
    let out = match &opts.out {
        Some(o) if batch_mode => o
            .join(&conv.district)
            .join(conv.period.slug())
            .join(format!("{}.md", conv.id)),
        Some(o) => o.clone(),
        None => default_path(&opts.site, &conv),
    };
    // A dangling link has a name too: it is never written through.
    if std::fs::symlink_metadata(&out).is_ok() && !opts.force {
        return Err(ImportError::Exists(out));
    }
    let new_yaml = registry::additions(yaml, config, &mut conv)?;
    // Everything is parsed back before anything is written, and the plan is validated as
    // `check` will validate it, among the site's other plans.
    let new_config = write::check_config(&new_yaml)?;
    let rel = default_path(Path::new(""), &conv);
    let loaded = write::check_plan(&conv.text, &rel)?;
    let original = in_site
        .is_none()
        .then_some((conv.source.as_str(), converted_len));
    let warnings = write::check_in_site(
        &opts.site, &rel, &conv.text, loaded, new_config, others, original,
    )?;
    conv.report.warnings = warnings.iter().map(ToString::to_string).collect();

    let source_path = (in_site.is_none()).then(|| opts.site.join(&conv.source));
    let mut plan = planned_writes(
        opts,
        &out,
        &conv,
        source_path,
        original_bytes,
        yaml,
        &new_yaml,
    )?;
    plan.push(review::planned(&opts.site, &mut conv, &out)?);
    conv.report.written = plan.iter().map(|p| p.path.display().to_string()).collect();
    write::check_inside(&plan, &opts.site)?;
    if !opts.dry_run {
        write::all_or_nothing(&plan)?;
    }
    // The next document of a batch is checked beside this one (a dry run sees it too).
    if let Ok(p) = gongkai_site::load::parse_plan(&conv.text, &rel) {
        others.retain(|o| o.file != rel);
        others.push(p);
    }
    conv.report.dry_run = opts.dry_run;
    Ok((conv.report, new_yaml))
}

/// Converts the document `file` whose bytes are `original_bytes` (an old Word or WPS file
/// through LibreOffice first); `in_site` is its site-relative path when it lies in `sources/`.
/// Returns the conversion and the size of the bytes converted.
fn convert_file(
    opts: &ImportOptions,
    file: &Path,
    original_bytes: &[u8],
    in_site: Option<&str>,
    config: &SiteConfig,
) -> Result<(Converted, u64), ImportError> {
    let file_name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (mut converted, mut converted_from) = (None, None);
    if let sniff::Format::LegacyWord(ext) = sniff::sniff(original_bytes, &file_name) {
        converted = Some(write::convert_with_libreoffice(file, original_bytes, ext)?);
        converted_from = Some(ext);
    }
    let bytes: &[u8] = converted.as_deref().unwrap_or(original_bytes);
    let settings = Settings {
        district: opts.district.as_deref(),
        year: opts.year.as_deref(),
        title: opts.title.as_deref(),
        source: in_site,
    };
    let name_for_sniff = if converted_from.is_some() {
        format!("{file_name}.docx")
    } else {
        file_name.clone()
    };
    let mut conv = convert_bytes(bytes, &name_for_sniff, config, &settings)
        .map_err(|e| e.in_document(file))?;
    conv.report.source = file.display().to_string();
    if let Some(ext) = converted_from {
        conv.report
            .notes
            .push(tr!("import.note.converted", ext = ext));
        // The original is kept as it was, not the converted copy.
        if in_site.is_none() {
            conv.source = format!(
                "sources/{}/{}/{}.{ext}",
                conv.district,
                conv.period.slug(),
                conv.id
            );
            let text = conv.text.replace(
                &format!(
                    "source: sources/{}/{}/{}.docx",
                    conv.district,
                    conv.period.slug(),
                    conv.id
                ),
                &format!("source: {}", conv.source),
            );
            conv.text = text;
        }
    }
    Ok((conv, bytes.len() as u64))
}

/// The files an import writes: the plan at `out`, the original at `source_path` (when it is not
/// in the site already) and site.yaml when it changed. A different original there already is
/// refused unless `--force`.
fn planned_writes(
    opts: &ImportOptions,
    out: &Path,
    conv: &Converted,
    source_path: Option<PathBuf>,
    original_bytes: Vec<u8>,
    yaml: &str,
    new_yaml: &str,
) -> Result<Vec<write::Planned>, ImportError> {
    let original = source_path.as_ref().map(|_| original_bytes);
    if let (Some(p), Some(original)) = (&source_path, &original)
        && std::fs::symlink_metadata(p).is_ok()
        && !opts.force
        && !same_file_contents(p, &opts.site, original)
    {
        // `--out` moves the plan, not the original: only --force replaces a different original.
        return Err(ImportError::SourceExists(p.clone()));
    }
    let yaml_path = opts.site.join(gongkai_site::config::CONFIG_FILE);
    let mut plan = vec![write::Planned::new(out, conv.text.as_bytes().to_vec())];
    if let (Some(p), Some(original)) = (&source_path, original) {
        plan.push(write::Planned::new(p, original));
    }
    if new_yaml != yaml {
        plan.push(write::Planned::new(
            &yaml_path,
            new_yaml.as_bytes().to_vec(),
        ));
    }
    Ok(plan)
}

/// Whether the file at `path` of the site holds `bytes` (its size looked at first, so a large
/// original of another size is never read).
fn same_file_contents(path: &Path, site: &Path, bytes: &[u8]) -> bool {
    gongkai_site::input::open(path, Some(site), gongkai_site::limits::DOCUMENT_BYTES)
        .ok()
        .filter(|o| o.len == bytes.len() as u64)
        .and_then(|o| o.read_all().ok())
        .is_some_and(|b| b == bytes)
}

/// Whether one unit name is the other with a few characters left out (区应急局 and
/// 区应急管理局, 区安委会有关成员单位 and 区安委会各有关成员单位): the same unit, likely.
pub fn looks_like_alias(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() < 3 || long.len() - short.len() > 3 || short == long {
        return false;
    }
    let mut it = long.iter();
    short.iter().all(|c| it.any(|l| l == c))
        && short.first() == long.first()
        && short.last() == long.last()
}

/// The path a plan file of `conv` gets in a site.
pub fn default_path(site: &Path, conv: &Converted) -> PathBuf {
    site.join(gongkai_site::load::CONTENT_DIR)
        .join(&conv.district)
        .join(conv.period.slug())
        .join(format!("{}.md", conv.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_inside_a_title() {
        assert_eq!(
            place_inside("示明政要2019年示明区政府实事项目和重点工程安排").as_deref(),
            Some("示明区")
        );
        assert_eq!(
            place_inside("欢迎来到EHS平台! 设为首页示州市人民政府关于加强监管的意见").as_deref(),
            Some("示州市")
        );
        assert_eq!(place_inside("规范性文件草案征集意见"), None);
        // A title of a million characters, a boundary at every one: bounded.
        let huge = format!("{}示明区政府工作要点", "a!".repeat(500_000));
        let t = std::time::Instant::now();
        assert_eq!(place_inside(&huge), None);
        assert!(
            t.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            t.elapsed()
        );
    }

    #[test]
    fn years_a_text_names() {
        assert_eq!(years_named("2016 年 6 月底前完成"), [2016]);
        assert_eq!(years_named("做好二〇二三年重点工作"), [2023]);
        // Not a year: a longer figure, or digits without 年.
        assert!(years_named("完成120160年").is_empty());
        assert!(years_named("投资2016万元").is_empty());
        assert!(years_named("三四五六年").is_empty());
    }

    #[test]
    fn periods_and_districts_from_titles() {
        let p = |t: &str| period_in(t).map(|p| p.slug());
        assert_eq!(p("静安区2017年安全生产工作意见").as_deref(), Some("2017"));
        assert_eq!(
            p("浦东新区应急管理局 2021 年安全生产监督管理工作要点").as_deref(),
            Some("2021")
        );
        assert_eq!(
            p("高淳区安全生产“十三五”规划").as_deref(),
            Some("2016-2020")
        );
        assert_eq!(
            p("示例区安全生产规划（2021—2025年）").as_deref(),
            Some("2021-2025")
        );
        assert_eq!(
            p("示例区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要").as_deref(),
            Some("2021-2025")
        );
        assert_eq!(
            district_in("上海市崇明区2023年安全生产工作意见").as_deref(),
            Some("崇明区")
        );
        assert_eq!(
            district_in("静安区2017年安全生产工作意见").as_deref(),
            Some("静安区")
        );
        assert_eq!(
            district_in("高淳区安全生产“十三五”规划").as_deref(),
            Some("高淳区")
        );
        assert_eq!(
            district_in("南通开发区2018年安全生产工作要点").as_deref(),
            Some("南通开发区")
        );
        for (text, place) in [
            ("南丰县桑田镇2021年度安全生产工作计划", Some("桑田镇")),
            ("示例州2021年8项民生工程工作方案", Some("示例州")),
            ("样例新城安全生产三年行动实施方案", Some("样例新城")),
            ("2.2025年样例县十五件实事任务分解", Some("样例县")),
            ("中共吴忠市利通区委办公室", Some("利通区")),
            ("崇川区参与南通市安全生产工作", Some("崇川区")),
            ("全市民爆和军工行业安全生产专项整治工作方案", None),
            ("临汾市人民政府办公厅", Some("临汾市")),
            ("达拉特旗安全生产委员会", Some("达拉特旗")),
            ("区安全生产委员会2024年工作要点", None),
            (
                "金华经济技术开发区管委会突发公共事件",
                Some("金华经济技术开发区"),
            ),
            ("利通区推进城市安全发展的实施方案", Some("利通区")),
            (
                "2021年安康市安全生产专项整治三年行动工作任务清单",
                Some("安康市"),
            ),
            ("温州市鹿城区双屿镇人民政府", Some("双屿镇")),
            ("关于贯彻落实市委办公室市政府办公室文件", None),
            // 乡, 镇 and 州 inside a name: a 县, 省 or 镇 after them ends it.
            ("2021年示乡县政府重要工作事项责任分工", Some("示乡县")),
            ("样州省2020年安全生产工作要点", Some("样州省")),
            ("示沙镇镇2024年工作计划", Some("示沙镇镇")),
            // Towns in general are no place.
            ("示例市城镇燃气安全专项整治工作实施方案", Some("示例市")),
            ("示例市推进新型城镇化实施方案", Some("示例市")),
        ] {
            assert_eq!(district_in(text).as_deref(), place, "{text}");
        }
        assert!(looks_like_alias("区应急局", "区应急管理局"));
        assert!(looks_like_alias(
            "区安委会各有关成员单位",
            "区安委会有关成员单位"
        ));
        assert!(!looks_like_alias("区交通委", "区科委"));
        assert!(!looks_like_alias("区政府督查室", "区委督查室"));
        assert_eq!(
            plan_id("静安区2017年安全生产工作意见", Some("工作意见")),
            "aqsc-gongzuo-yijian"
        );
    }
}
