//! Telling the parts of a document apart: the red header (版头) with issuer and document
//! number, the covering notice (印发通知), the plan's title and cover, its table of contents,
//! the plan text, and the imprint (版记) at the end. Metadata is read from them on the way.

use super::layout::{Item, Line};
use super::portal::{self, Field};
use super::repair::is_prose;
use super::report::Report;
pub use super::words::{Ymd, find_date, is_org, iso};
use crate::error::DocumentError;
use gongkai_i18n::tr;
use gongkai_zh::numbering::parse_marker;

/// Words that name the kind of a plan, longest first among those that share an ending.
pub const KINDS: &[&str] = &[
    "工作意见",
    "实施意见",
    "工作要点",
    "实施方案",
    "工作方案",
    "行动方案",
    "行动计划",
    "工作计划",
    "任务清单",
    "责任清单",
    "工作清单",
    "任务分解表",
    "分解表",
    "任务分解",
    "责任分解",
    "分工方案",
    "落实分工",
    "任务分工",
    "责任分工",
    "一览表",
    "工作安排",
    "实施办法",
    "实施细则",
    "应急预案",
    "为民办实事",
    "民生实事",
    "规划",
    "计划",
    "方案",
    "要点",
    "意见",
    "清单",
    "安排",
    "预案",
];

#[derive(Debug, Default, Clone)]
pub struct Meta {
    pub title: String,
    pub kind: Option<String>,
    pub issuer: Option<String>,
    pub doc_number: Option<String>,
    /// 成文日期, YYYY-MM-DD.
    pub written: Option<String>,
    /// 发布日期, YYYY-MM-DD.
    pub published: Option<String>,
    pub status: Option<String>,
    pub disclosure: Option<String>,
    /// 索引号, from a portal's metadata.
    pub index_number: Option<String>,
    /// 主题分类, from a portal's metadata.
    pub topic: Option<String>,
    /// 有效性, from a portal's metadata.
    pub validity: Option<String>,
}

impl Meta {
    /// Takes a field of a portal's metadata block; the first value of each field wins, and a
    /// date is kept only when it is a real one.
    pub fn take_portal(&mut self, field: Field, value: &str) {
        let slot = match field {
            Field::IndexNumber => &mut self.index_number,
            Field::Topic => &mut self.topic,
            Field::Issuer => &mut self.issuer,
            Field::DocNumber => &mut self.doc_number,
            Field::Validity => &mut self.validity,
            Field::Disclosure => &mut self.disclosure,
            Field::Written | Field::Published => {
                let date = find_date(value).and_then(|(ymd, _)| iso(ymd));
                let slot = if field == Field::Written {
                    &mut self.written
                } else {
                    &mut self.published
                };
                if slot.is_none() {
                    *slot = date;
                }
                return;
            }
            Field::Title | Field::Other => return,
        };
        if slot.is_none() {
            *slot = Some(value.to_string());
        }
    }
}

pub struct DocumentParts {
    pub meta: Meta,
    pub notice: Vec<Line>,
    pub body: Vec<Item>,
    pub imprint: Vec<Line>,
}

/// A line that is a date and nothing else but 印发/发布 (a signature or 印发 date).
fn date_line(s: &str) -> Option<Ymd> {
    // `20171228`: a signature date whose 年月日 a copy lost; unambiguous at eight digits.
    let t = s.trim();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (&t[..4], &t[4..6], &t[6..]);
        let date = format!("{y}-{m}-{d}");
        if gongkai_site::validate::is_date(&date) {
            return Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()));
        }
    }
    let (ymd, r) = find_date(s)?;
    let rest = format!("{}{}", &s[..r.start], &s[r.end..]);
    matches!(rest.trim(), "" | "印发" | "发布" | "印" | "制发").then_some(ymd)
}

/// A signature on one line: an organisation, spaces, a date, and perhaps `（此件公开发布）`.
/// Joint issuers, side by side (`中共示例区委    示例区人民政府`), become one name joined with `、`.
fn org_and_date(s: &str) -> Option<(String, Ymd)> {
    let (ymd, r) = find_date(s)?;
    let org = orgs(&s[..r.start])?;
    let after = s[r.end..].trim();
    let after_ok = after.is_empty()
        || (after.starts_with(['（', '('])
            && after.ends_with(['）', ')'])
            && after.chars().count() <= 12);
    (s[..r.start].ends_with(|c: char| c.is_whitespace() || c == '\u{3000}') && after_ok)
        .then_some((org, ymd))
}

/// One organisation, or several side by side separated by spaces (a joint signature or 版头:
/// `中共示例区委办公室    示例区人民政府办公室`), as one issuer: their names joined with `、`,
/// in their order.
pub fn orgs(s: &str) -> Option<String> {
    let names: Vec<&str> = s.split_whitespace().collect();
    (!names.is_empty() && names.len() <= 6 && names.iter().all(|n| is_org(n)))
        .then(|| names.join("、"))
}

/// A document number: 高政办发〔2017〕28号, 浦应急〔2021〕39号, 沪府办[2020]5号.
pub fn find_doc_number(s: &str) -> Option<String> {
    let open = s.find(['〔', '[', '［', '【'])?;
    let after = &s[open..];
    let close_rel = after.find(['〕', ']', '］', '】'])?;
    let year = &after[after.chars().next()?.len_utf8()..close_rel];
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = &after[close_rel..];
    let rest = &rest[rest.chars().next()?.len_utf8()..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !rest[digits..].starts_with('号') {
        return None;
    }
    let end = open
        + close_rel
        + (after[close_rel..].chars().next()?.len_utf8())
        + digits
        + '号'.len_utf8();
    let prefix_start = s[..open]
        .char_indices()
        .rev()
        .take_while(|(_, c)| {
            gongkai_site::body::is_wide(*c) && !"，。、：；（）《》“”".contains(*c)
        })
        .last()
        .map_or(open, |(i, _)| i);
    let number = &s[prefix_start..end];
    // `发布文号皖安〔2024〕1号`: a label run onto the number is not part of it.
    let number = DOC_NUMBER_LABELS
        .iter()
        .find_map(|l| number.strip_prefix(l))
        .unwrap_or(number);
    (!number.starts_with(['〔', '[', '［', '【'])).then(|| number.to_string())
}

/// Labels a page writes before a document number.
const DOC_NUMBER_LABELS: &[&str] = &["发布文号", "发文文号", "发文字号", "文件编号", "文号"];

/// A line that is a document number and nothing else (a label before it aside):
/// `示政发〔2020〕7号`, `发布文号 皖安〔2024〕1号`.
fn doc_number_line(text: &str) -> Option<String> {
    let t = text.trim();
    let t = DOC_NUMBER_LABELS
        .iter()
        .find_map(|l| t.strip_prefix(l))
        .map_or(t, |r| r.trim_start_matches([' ', '\u{3000}', '：', ':']));
    find_doc_number(t).filter(|d| d.chars().count() + 2 >= t.chars().count())
}

/// A line of a document number and a date, in brackets: `（示政办字〔2009〕41号 2009年2月25日）`.
fn number_and_date(text: &str) -> Option<(String, Ymd)> {
    let t = text.trim();
    let inner = t
        .strip_prefix(['（', '('])?
        .strip_suffix(['）', ')'])?
        .trim();
    let d = find_doc_number(inner)?;
    let rest = inner
        .strip_prefix(d.as_str())?
        .trim_start_matches([' ', '\u{3000}', '，', ',']);
    let (ymd, r) = find_date(rest)?;
    (r.start == 0 && rest[r.end..].trim().is_empty()).then_some((d, ymd))
}

/// A line that could be a plan's title.
pub fn is_title(s: &str) -> bool {
    let s = strip_book_marks(without_status(s));
    let n = s.chars().count();
    // A title may name a document in 《》 (`2023年区《政府工作报告》确定的……分解方案`) when it
    // still ends with its own kind.
    let after_books = s.rsplit('》').next().unwrap_or(s);
    let books_ok = !s.contains('《')
        || (after_books.chars().count() >= 2 && KINDS.iter().any(|k| after_books.ends_with(k)));
    (5..=60).contains(&n)
        && KINDS.iter().any(|k| s.contains(k))
        // `关于……的通知` is a notice's title; `关于……的实施意见`, `……的实施细则` a plan's.
        && (!s.starts_with("关于") || KINDS.iter().any(|k| s.ends_with(k)))
        && !s.starts_with("现将")
        && !s.starts_with("附件")
        && !s.contains("印发")
        && !s.ends_with("通知")
        && !s.contains(['>', '＞', '|'])
        && !starts_with_number_fragment(s)
        && books_ok
        && !s.contains(['：', ':', '，', ','])
        && !is_prose(s)
        && parse_marker(s).is_none()
}

/// `17号 十三五安全生产规划`: a page title that starts with the end of a document number.
fn starts_with_number_fragment(s: &str) -> bool {
    let d = s.bytes().take_while(u8::is_ascii_digit).count();
    d > 0 && s[d..].starts_with('号')
}

/// A title written inside 《》 on its own line: `《示例镇2024年安全生产工作计划》`.
fn strip_book_marks(s: &str) -> &str {
    s.strip_prefix('《')
        .and_then(|r| r.strip_suffix('》'))
        .filter(|r| !r.contains(['《', '》']))
        .unwrap_or(s)
}

/// Kinds a plan is named by only when a notice issues it: `现将《……若干措施》印发给你们`. (On
/// a line of its own, `保障措施` is a heading, not a title.)
const ISSUED_KINDS: &[&str] = &["措施", "实事", "实事项目"];

/// A name that ends with the kind of a plan a notice can issue, before its status or period
/// (`……工作方案（试行）`, `……工作方案(2017-2020)`).
fn names_issued_plan(x: &str) -> bool {
    let bare = without_period(without_status(x.trim_end_matches(['〉', '》', '>'])));
    KINDS.iter().chain(ISSUED_KINDS).any(|k| bare.ends_with(k))
}

/// The plan a notice's title issues: `关于印发《X》的通知` or `XX关于印发X的通知` → X.
pub fn title_in_notice_title(s: &str) -> Option<String> {
    let at = s.find("印发")?;
    let rest = &s[at + "印发".len()..];
    let names_plan = names_issued_plan;
    // The first 》 closes the name, unless the name itself quotes one (`《2023年《政府工作报告》
    // 重点任务分工》`): then the last.
    // `印发《X》`, `印发示例区《X》`, not `……印发的《X》`: a document someone else issued.
    let open = rest
        .find('《')
        .filter(|&a| !rest[..a].contains(['的', '，', ',', '。']))
        .map(|a| a + '《'.len_utf8());
    let named = open.and_then(|a| {
        [rest[a..].find('》').map(|b| a + b), rest.rfind('》')]
            .into_iter()
            .flatten()
            .find(|&b| a <= b && names_plan(&rest[a..b]))
            .map(|b| &rest[a..b])
    });
    let inner = match named {
        Some(name) => name,
        None => {
            // 现将《X》印发给你们, 《X》已经……通过，现印发给你们: the plan is named before 印发.
            // From 现将 on: what the sentence names before it (`……《政府工作报告》……现将《X》`)
            // is not what it issues.
            let before = &s[s[..at].rfind("现将").unwrap_or(0)..at];
            let sentence = before.contains("现将")
                || s[at..].starts_with("印发给")
                || (before.ends_with('现') && s[at..].starts_with("印发你"));
            // `现将《A》《B》印发`: the first one named.
            let first_close = before
                .find('《')
                .and_then(|a| before[a..].find('》').map(|b| a + b));
            match (before.find('《'), first_close) {
                (Some(a), Some(b)) if a < b && sentence => &before[a + '《'.len_utf8()..b],
                _ => rest
                    .strip_suffix("的通知")
                    .or_else(|| rest.strip_suffix("通知"))?,
            }
        }
    };
    let inner = inner.trim();
    (names_issued_plan(inner) && inner.chars().count() >= 4).then(|| inner.to_string())
}

/// The plan a notice's title names without 印发: `关于示例区2020年重点工作任务分工方案的通知`
/// (not `关于调整……方案的通知`, which is about a plan, not the plan).
fn plan_named_by_notice(s: &str) -> Option<String> {
    let t = s.trim();
    let t = t.split_once("（").map_or(t, |(a, _)| a);
    let t = t.split_once('(').map_or(t, |(a, _)| a).trim_end();
    let inner = t.strip_prefix("关于")?.strip_suffix("的通知")?;
    let about = [
        "印发", "调整", "修订", "废止", "做好", "开展", "加强", "转发", "批转",
    ];
    (KINDS
        .iter()
        .any(|k| k.chars().count() >= 2 && inner.ends_with(k))
        && !about.iter().any(|w| inner.contains(w))
        && (6..=60).contains(&inner.chars().count()))
    .then(|| inner.to_string())
}

/// The issuer a notice's title names before 关于印发: `临汾市人民政府办公厅关于印发……的通知`.
fn issuer_in_notice_title(s: &str) -> Option<String> {
    let at = s.find("关于")?;
    // Joint issuers side by side: `中共示例市委办公室 示例市人民政府办公室 关于印发……`.
    (s[at..].contains("印发") || s.trim_end().ends_with("通知"))
        .then(|| orgs(s[..at].trim()))
        .flatten()
}

/// The issuer a document's own title names: `示例市人民政府关于……的意见`,
/// `中共示例省委 示例省人民政府关于……的实施意见`.
fn issuer_in_title(title: &str) -> Option<String> {
    let at = title.find("关于").filter(|&a| a > 0)?;
    orgs(title[..at].trim())
}

/// The kind a title names: the kind word it ends with, else the first it contains.
pub fn kind_of(title: &str) -> Option<String> {
    KINDS
        .iter()
        .find(|k| title.ends_with(*k))
        .or_else(|| KINDS.iter().find(|k| title.contains(*k)))
        .map(|k| (*k).to_string())
}

/// A title broken over two lines (`2025年全区安全生产、防灾减灾救灾` + `和消防工作要点`):
/// the first piece names no kind, the second ends with one, and neither is a sentence.
fn broken_title(a: &str, b: &str) -> bool {
    let short = |s: &str| {
        let n = s.chars().count();
        (2..=40).contains(&n)
            && !is_prose(s)
            && parse_marker(s).is_none()
            && !s.contains(['：', ':'])
    };
    // `达拉特旗安全生产委员会` + `2024年工作要点`: the issuer opens a title that starts with a year.
    let subject_then_year =
        is_org(a) && b.chars().take(4).all(|c| c.is_ascii_digit()) && b.contains('年');
    short(a)
        && short(b)
        && !is_title(a)
        && (!is_org(a) || subject_then_year)
        && date_line(a).is_none()
        && !a.chars().all(|c| c.is_ascii_digit())
        && find_doc_number(a).is_none()
        && find_date(a).is_none()
        && status_of(a).is_none()
        && !a.ends_with("文件")
        && (!is_imprint(a) || subject_then_year)
        && !a.ends_with(['。', '；', '）', ')'])
        && !a.starts_with(['（', '('])
        && KINDS.iter().any(|k| b.ends_with(k))
        && !b.starts_with("关于")
        && is_title(&format!("{a}{b}"))
}

/// A title without the status written after it: `《X》(草案)` → `《X》`.
fn without_status(s: &str) -> &str {
    let t = s.trim_end();
    for st in ["草案", "征求意见稿", "送审稿", "试行", "讨论稿", "修订稿"] {
        for (o, c) in [('（', '）'), ('(', ')')] {
            if let Some(r) = t
                .strip_suffix(c)
                .and_then(|r| r.strip_suffix(st))
                .and_then(|r| r.strip_suffix(o))
            {
                return r.trim_end();
            }
        }
    }
    t
}

/// Words of a page's chrome that a copy runs onto the title line.
const CHROME_BEFORE_TITLE: &[&str] = &[
    "安装后可以在桌面快捷访问",
    "新闻详情",
    "文章详情",
    "信息详情",
    "开始检索",
    "政府信息公开",
    "首页",
];

/// The extension a page shows after the name of a document it links to.
const FILE_EXTENSIONS: &[&str] = &[".docx", ".doc", ".pdf", ".wps", ".xlsx", ".xls", ".ofd"];

/// A title line's title: without 《》, the status after it, or an annex's number before it
/// (`2.2025年……任务分解` → `2025年……任务分解`).
pub fn title_text(line: &str) -> String {
    // A page's chrome run onto the title by a copy (`新闻详情`, `开始检索`).
    let line = CHROME_BEFORE_TITLE
        .iter()
        .find_map(|c| line.strip_prefix(c))
        .unwrap_or(line);
    let line = FILE_EXTENSIONS
        .iter()
        .find_map(|e| line.strip_suffix(e))
        .unwrap_or(line);
    let t = strip_book_marks(without_status(line));
    let t = match t.find(['.', '．', '、']) {
        Some(i)
            if (1..=2).contains(&i)
                && t[..i].bytes().all(|b| b.is_ascii_digit())
                && t[i..].chars().nth(1).is_some_and(|c| c.is_ascii_digit()) =>
        {
            &t[i + t[i..].chars().next().map_or(1, char::len_utf8)..]
        }
        _ => t,
    };
    t.trim().to_string()
}

/// The plan an attachment line names when the notice lists its attachments: `附件：1. X`,
/// `附件:X.doc` → X.
fn title_in_annex_line(s: &str) -> Option<String> {
    let rest = s.trim().strip_prefix("附件")?;
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
    let rest = rest.strip_prefix(['：', ':'])?.trim_start();
    let rest = match parse_marker(rest) {
        Some(m) => rest[m.len..].trim_start(),
        None => rest,
    };
    let name = [".docx", ".doc", ".wps", ".pdf", ".xlsx", ".xls", ".ofd"]
        .iter()
        .find_map(|e| rest.strip_suffix(e))
        .unwrap_or(rest)
        .trim();
    is_title(name).then(|| strip_book_marks(name).to_string())
}

/// `（送审稿）` or `(征求意见稿)` under a title.
fn status_of(s: &str) -> Option<String> {
    let inner = s
        .strip_prefix(['（', '('])?
        .strip_suffix(['）', ')'])?
        .trim();
    (inner.ends_with('稿') && inner.chars().count() <= 8).then(|| inner.to_string())
}

/// A line of a table of contents: a title, dot leaders and a page number, or a title and a
/// page number written `- 2 -`.
fn is_toc_entry(s: &str) -> bool {
    let dashed_page = s
        .strip_suffix('-')
        .map(|r| r.trim_end().trim_end_matches(|c: char| c.is_ascii_digit()))
        .is_some_and(|r| r.trim_end().ends_with('-'));
    s.contains("……") || s.contains("....") || s.contains("···") || s.contains("…") || dashed_page
}

fn disclosure_of(s: &str) -> Option<String> {
    let (k, v) = s.split_once(['：', ':'])?;
    let k = k.trim();
    (k.contains("信息公开选项") || k == "公开方式" || k == "公开属性")
        .then(|| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn is_imprint(s: &str) -> bool {
    disclosure_of(s).is_some()
        || date_line(s).is_some()
        || is_org(s)
        || s.starts_with("抄送")
        || (s.starts_with("共印") && s.ends_with('份'))
}

/// Each line `a` followed by a line `b` that `join` gives a text for becomes that one line;
/// the line after a pair is looked at with the line after it, not with the pair.
fn merge_pairs(
    items: Vec<Item>,
    mut join: impl FnMut(&Line, &Line) -> Option<String>,
) -> Vec<Item> {
    let mut out = Vec::with_capacity(items.len());
    let mut it = items.into_iter().peekable();
    while let Some(mut a) = it.next() {
        if let (Item::Line(la), Some(Item::Line(lb))) = (&mut a, it.peek())
            && let Some(text) = join(la, lb)
        {
            la.text = text;
            it.next();
        }
        out.push(a);
    }
    out
}

/// Refuses a document past the counts of `limits` (or one a reader refused), before
/// any of its parts is looked for.
fn check_limits(items: &[Item], report: &Report) -> Result<(), DocumentError> {
    use gongkai_site::limits::{
        IMPORT_MAX_LINES, IMPORT_MAX_NUMBERED, IMPORT_MAX_TABLE_CELLS, IMPORT_MAX_TABLE_ROWS,
    };
    if let Some(why) = &report.refused {
        return Err(DocumentError::Limit(why.clone()));
    }
    let (mut lines, mut numbered, mut rows) = (0, 0, 0);
    for it in items {
        match it {
            Item::Line(l) => {
                lines += 1;
                numbered += usize::from(parse_marker(&l.text).is_some());
            }
            // A table copied from text keeps a cell a line.
            Item::Table(t) => lines += t.cells.len(),
            Item::Grid(g) => {
                rows += g.rows.len();
                // Laid out, every row is as wide as the widest (see `table::from_grid`).
                let width = g
                    .rows
                    .iter()
                    .map(|r| r.iter().map(|c| c.span.max(1)).sum::<usize>())
                    .max()
                    .unwrap_or(0);
                if g.rows.len().saturating_mul(width) > IMPORT_MAX_TABLE_CELLS {
                    return Err(DocumentError::Limit(tr!(
                        "linear.error.table_cells",
                        line = g.no,
                        rows = g.rows.len(),
                        columns = width,
                        limit = IMPORT_MAX_TABLE_CELLS
                    )));
                }
            }
        }
    }
    for (count, limit, key) in [
        (lines, IMPORT_MAX_LINES, "linear.error.lines"),
        (numbered, IMPORT_MAX_NUMBERED, "linear.error.numbered"),
        (rows, IMPORT_MAX_TABLE_ROWS, "linear.error.table_rows"),
    ] {
        if count > limit {
            return Err(DocumentError::Limit(tr!(key, count = count, limit = limit)));
        }
    }
    Ok(())
}

/// Splits the items of a document into its parts and reads the metadata on the way: page
/// furniture out, the title found, the notice before it, the cover under it, the imprint at
/// the end.
pub fn split(
    items: Vec<Item>,
    portal_fields: &[(Field, String)],
    report: &mut Report,
) -> Result<DocumentParts, DocumentError> {
    split_at(items, portal_fields, report, None)
}

/// As [`split`], for items whose line numbered `title_no` is the title the publisher gave (0:
/// a line put in for it).
pub fn split_titled(
    items: Vec<Item>,
    portal_fields: &[(Field, String)],
    report: &mut Report,
    title_no: usize,
) -> Result<DocumentParts, DocumentError> {
    split_at(items, portal_fields, report, Some(title_no))
}

fn split_at(
    items: Vec<Item>,
    portal_fields: &[(Field, String)],
    report: &mut Report,
    given_title: Option<usize>,
) -> Result<DocumentParts, DocumentError> {
    check_limits(&items, report)?;
    let mut meta = Meta::default();
    let mut portal_title = None;
    for (field, value) in portal_fields {
        if *field == Field::Title {
            portal_title.get_or_insert_with(|| value.clone());
        }
        meta.take_portal(*field, value);
    }
    let mut items = merge_label_pairs(items);
    drop_furniture(&mut items, &mut meta, &mut portal_title, report);
    // A title broken over two lines is joined first.
    let mut items = merge_pairs(items, |a, b| {
        broken_title(&a.text, &b.text).then(|| {
            report.repairs.joined.push((a.no, b.no, "title"));
            format!("{}{}", a.text, b.text)
        })
    });
    let given = given_title.and_then(|no| {
        items
            .iter()
            .position(|it| it.line().is_some_and(|l| l.no == no))
    });
    let t = match given {
        Some(t) => t,
        None => match title_at(&mut items, &mut meta, portal_title.as_deref(), report)? {
            TitleAt::Line(t) => t,
            TitleAt::NoticeIsPlan(parts) => return Ok(*parts),
        },
    };
    join_title_period(&mut items, t, report);
    meta.title = items[t]
        .line()
        .map(|l| title_text(&l.text))
        .unwrap_or_default();
    // `《X》(草案)`: the status written after the title.
    if meta.status.is_none()
        && let Some(l) = items[t].line()
    {
        let line = l.text.trim_end();
        let rest = line[without_status(line).len()..]
            .trim()
            .trim_matches(['（', '）', '(', ')']);
        meta.status = (!rest.is_empty()).then(|| rest.to_string());
    }
    if let Some(named) = named_by_notice(&items[..t], portal_title.as_deref(), &meta.title) {
        report.notes.push(tr!(
            "import.note.title_as_issued",
            heading = &meta.title,
            title = &named
        ));
        meta.title = named;
    }
    // `……重点工作任务（华政发〔2021〕2号）`: the number in the title's own bracket.
    if meta.doc_number.is_none()
        && let Some(l) = items[t].line()
        && l.text.ends_with(['）', ')'])
        && let Some(d) = find_doc_number(&l.text)
    {
        meta.doc_number = Some(d);
    }
    meta.kind = kind_of(&meta.title);
    let notice_issuer = items[..t]
        .iter()
        .filter_map(|it| it.line())
        .find_map(|l| issuer_in_notice_title(&l.text))
        // The page's 标题 field is the notice's own title.
        .or_else(|| portal_title.as_deref().and_then(issuer_in_notice_title));

    let mut rest = items.split_off(t + 1);
    items.pop();
    // The document's own issuer and date (版头, signature, cover) first; the page's are a
    // fallback and a cross-check.
    let page = PageValues::take(&mut meta);
    let notice = front(items, &mut meta, report);
    if meta.issuer.is_none() {
        meta.issuer = notice_issuer.or_else(|| issuer_in_title(&meta.title));
    }
    let skip = cover(&rest, &mut meta, report);
    page.merge_into(&mut meta, report);
    let mut body = rest.split_off(skip);
    let imprint = imprint(&mut body, &mut meta, report);
    Ok(DocumentParts {
        meta,
        notice,
        body,
        imprint,
    })
}

/// The issuer and 成文日期 a page's metadata block gave, held apart while the document's own
/// are read.
struct PageValues {
    issuer: Option<String>,
    written: Option<String>,
}

impl PageValues {
    fn take(meta: &mut Meta) -> PageValues {
        PageValues {
            issuer: meta.issuer.take(),
            written: meta.written.take(),
        }
    }

    /// The document's value stays; the page's fills what the document does not say. When both
    /// say it and differ (spaces aside), the report warns, naming both. A date of the document
    /// that is no real date (2024-02-30) is left out with a note, and the page's is taken.
    fn merge_into(self, meta: &mut Meta, report: &mut Report) {
        if let Some(d) = meta
            .written
            .take_if(|d| !gongkai_site::validate::is_date(d))
        {
            let field = tr!("import.field.written");
            report
                .notes
                .push(tr!("import.note.bad_date", field = field, date = d));
        }
        for (key, own, page) in [
            ("issuer", &mut meta.issuer, self.issuer),
            ("written", &mut meta.written, self.written),
        ] {
            match (own.as_deref(), page) {
                (Some(o), Some(p)) if !same_value(o, &p) => {
                    report.disagreements.push(tr!(
                        "import.warning.page_differs",
                        field = tr!(&format!("import.field.{key}")),
                        document = o,
                        page = p
                    ));
                }
                (None, page) => *own = page,
                _ => {}
            }
        }
    }
}

/// Two values of a field that say the same, spaces aside.
pub fn same_value(a: &str, b: &str) -> bool {
    let squash = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    squash(a) == squash(b)
}

/// A metadata block copied one cell per line: a bare label (`成文日期`) and its value on the
/// next line are one field.
fn merge_label_pairs(items: Vec<Item>) -> Vec<Item> {
    // (Into a new list: removing from the middle of the old one was quadratic.)
    merge_pairs(items, |a, b| {
        let field =
            portal::bare_label_field(&a.text).or_else(|| portal::ends_with_bare_label(&a.text))?;
        (!portal::bare_label(&b.text)
            && portal::fields(&b.text).is_none()
            && b.text.chars().count() <= 120
            && portal::fits(field, &b.text))
        .then(|| format!("{}：{}", a.text.trim_end_matches(['：', ':']), b.text))
    })
}

/// Page furniture and a portal's metadata block: left out, their values kept in `meta` (and
/// the portal's title in `portal_title`).
fn drop_furniture(
    items: &mut Vec<Item>,
    meta: &mut Meta,
    portal_title: &mut Option<String>,
    report: &mut Report,
) {
    let first_title = items
        .iter()
        .position(|it| it.line().is_some_and(|l| is_title(&l.text)));
    let mut k = 0;
    // A page's date line: the page's 发布日期 field, wherever it is, says it better.
    let mut loose_date = None;
    // The organisation a page's info line says the article comes from (`来源：示例市人民政府`):
    // the page's issuer when it has no 发布机构 field.
    let mut source_org = None;
    items.retain(|it| {
        k += 1;
        let Some(l) = it.line() else { return true };
        if k <= 12 && source_org.is_none() {
            source_org = portal::source_org(&l.text);
        }
        // A page's date line among the first lines (before the plan's title, or just after
        // the page repeats it).
        if k <= 12
            && portal::fields(&l.text).is_none()
            && let Some(date) = portal::page_date(&l.text)
        {
            loose_date.get_or_insert(date);
            report.drop_lines(l.no, l.no, tr!("import.dropped.web_info_line"));
            return false;
        }
        if let Some(why) = portal::furniture(&l.text) {
            let dated = [
                "发布时间",
                "发布日期",
                "日期:",
                "日期：",
                "时间:",
                "时间：",
                "发布:",
                "发布：",
            ];
            if dated.iter().any(|k| l.text.contains(k))
                && let Some((ymd, _)) = find_date(&l.text)
                && meta.published.is_none()
            {
                meta.published = iso(ymd);
            }
            report.drop_lines(l.no, l.no, tr!(&format!("import.dropped.{why}")));
            return false;
        }
        let before_title = first_title.is_none_or(|t| k - 1 < t);
        let fields = portal::fields(&l.text)
            .filter(|f| before_title || f.len() >= 2)
            .or_else(|| portal::strong_field(&l.text).map(|f| vec![f]));
        if let Some(fields) = fields {
            for (field, value) in &fields {
                if *field == Field::Title {
                    portal_title.get_or_insert_with(|| value.clone());
                }
                meta.take_portal(*field, value);
            }
            report.drop_lines(l.no, l.no, tr!("import.dropped.portal_metadata"));
            return false;
        }
        true
    });
    if meta.published.is_none() {
        meta.published = loose_date;
    }
    if meta.issuer.is_none() {
        meta.issuer = source_org;
    }
}

/// Where the plan's title is: a line of the items, or — when the document is a notice that is
/// itself the plan — the whole document already split.
enum TitleAt {
    Line(usize),
    NoticeIsPlan(Box<DocumentParts>),
}

/// Finds the title's line. When no line looks like a title, the one the notice's title or the
/// portal names is put in, where the notice ends.
fn title_at(
    items: &mut Vec<Item>,
    meta: &mut Meta,
    portal_title: Option<&str>,
    report: &mut Report,
) -> Result<TitleAt, DocumentError> {
    if let Some(t) = items
        .iter()
        .position(|it| it.line().is_some_and(|l| is_title(&l.text)))
    {
        // A line of the notice's list of attachments (`附件：1.…` / `2.2025年……分解`) is not where
        // the plan starts: its title is looked for as when no line is one.
        let in_annex_list = items[t.saturating_sub(3)..t].iter().any(|it| {
            it.line().is_some_and(|l| {
                let t = l.text.trim_start();
                // `附件：1.…` lists; `附件` or `附件1` alone heads the plan itself.
                t.starts_with("附件")
                    && t.split_once(['：', ':'])
                        .is_some_and(|(_, r)| !r.trim().is_empty())
            })
        });
        if !in_annex_list {
            return Ok(TitleAt::Line(t));
        }
    }
    // The notice's title names the plan (关于印发《X》的通知), or the portal's metadata does.
    let from_notice = items.iter().enumerate().find_map(|(i, it)| {
        let l = it.line()?;
        if l.text.chars().count() > 200 {
            // A notice run into one paragraph: its `现将《X》印发给你们` sentence.
            return l
                .text
                .split(['。', '；'])
                .filter(|s| s.chars().count() <= 200)
                .filter(|s| s.contains("现将") || s.contains("印发给"))
                .find_map(title_in_notice_title)
                .map(|t| (i, t));
        }
        // `关于印发2022年《政府工作报告》` + `重点任务分工的通知`: a notice's title on two lines.
        let joined = items
            .get(i + 1)
            .and_then(Item::line)
            .filter(|n| {
                l.text.contains("印发") && !l.text.ends_with("通知") && n.text.ends_with("通知")
            })
            .map(|n| format!("{}{}", l.text, n.text));
        joined
            .as_deref()
            .and_then(title_in_notice_title)
            .map(|t| (i + 1, t))
            .or_else(|| title_in_notice_title(&l.text).map(|t| (i, t)))
            .or_else(|| {
                (i < 10)
                    .then(|| plan_named_by_notice(&l.text))
                    .flatten()
                    .map(|t| (i, t))
            })
    });
    let from_annex = || {
        items.iter().enumerate().take(40).find_map(|(i, it)| {
            let t = title_in_annex_line(&it.line()?.text)?;
            Some((i, t))
        })
    };
    let from_portal = || {
        let t = portal_title?;
        let inner = title_in_notice_title(t).or_else(|| is_title(t).then(|| t.to_string()))?;
        Some((usize::MAX, inner))
    };
    let found = from_notice.or_else(from_portal).or_else(from_annex);
    if found.is_none()
        && let Some((i, title)) = notice_as_plan(items)
    {
        let parts = notice_is_plan(std::mem::take(items), i, title, meta, report);
        return Ok(TitleAt::NoticeIsPlan(Box::new(parts)));
    }
    let Some((i, title)) = found else {
        return last_resort_title(items, report).ok_or(DocumentError::NoTitle);
    };
    report
        .notes
        .push(tr!("import.note.title_from_notice", title = title));
    if i == usize::MAX {
        // No line to split at: the whole text is the plan.
        items.insert(0, Item::Line(Line::new(0, title)));
        return Ok(TitleAt::Line(0));
    }
    // The notice runs on to its signature date; the plan starts after it.
    let sig = (i + 1..items.len().min(i + 12)).find(|&j| {
        items[j]
            .line()
            .is_some_and(|l| date_line(&l.text).is_some() || org_and_date(&l.text).is_some())
    });
    let at = sig.unwrap_or(i);
    let no = items[at].line().map_or(0, |l| l.no);
    items.insert(at + 1, Item::Line(Line::new(no, title)));
    Ok(TitleAt::Line(at + 1))
}

/// A title where only a damaged copy leaves it, among the first lines: run into the first
/// paragraph (`关于……的实施意见江苏是……`, split off), or numbered as the first heading
/// (`一、10件民生实事任务分解表`). Each is reported.
fn last_resort_title(items: &mut Vec<Item>, report: &mut Report) -> Option<TitleAt> {
    let first = items.len().min(6);
    for i in 0..first {
        let Some(l) = items[i].line() else { continue };
        if let Some(at) = glued_title_end(&l.text) {
            let (no, text) = (l.no, l.text.clone());
            let (title, rest) = text.split_at(at);
            report.repairs.split_lines += 1;
            report
                .notes
                .push(tr!("import.note.title_run_in", line = no, title = title));
            items[i] = Item::Line(Line::new(no, title.to_string()));
            items.insert(i + 1, Item::Line(Line::new(no, rest.to_string())));
            return Some(TitleAt::Line(i));
        }
    }
    let i = (0..first).find(|&i| {
        items[i].line().is_some_and(|l| {
            parse_marker(&l.text).is_some_and(|m| is_title(l.text[m.len..].trim_start()))
        })
    })?;
    let Item::Line(l) = &mut items[i] else {
        return None;
    };
    let title = l.text[parse_marker(&l.text)?.len..]
        .trim_start()
        .to_string();
    report.notes.push(tr!(
        "import.note.title_from_heading",
        line = l.no,
        title = &title
    ));
    l.text = title;
    Some(TitleAt::Line(i))
}

/// Where a title run into the text after it ends: `关于……的意见` or `……的实施意见` closing its
/// first 60 characters, followed by a sentence.
fn glued_title_end(s: &str) -> Option<usize> {
    if !s.starts_with("关于") {
        return None;
    }
    let head: String = s.chars().take(60).collect();
    let end = head.find("意见")? + "意见".len();
    let rest = &s[end..];
    (rest.chars().count() >= 20 && is_prose(rest) && is_title(&s[..end])).then_some(end)
}

/// The name the notice issues the plan under (`关于印发《X（试行）》的通知`) when it is the
/// plan's own heading with the status or period the heading leaves out: the notice's is the
/// full name. (A heading worded otherwise — `南通开发区……` for `南通经济技术开发区……` — is the
/// plan's title as it calls itself.)
fn named_by_notice(before: &[Item], portal_title: Option<&str>, heading: &str) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    for l in before.iter().filter_map(Item::line) {
        for sentence in l.text.split(['。', '；']) {
            if let Some(x) = title_in_notice_title(sentence) {
                names.push(x);
            }
        }
    }
    names.extend(portal_title.and_then(title_in_notice_title));
    let bare_heading = without_period(without_status(heading));
    names.into_iter().find(|n| {
        n.chars().count() > heading.chars().count()
            && same_value(without_period(without_status(n)), bare_heading)
    })
}

/// A name without the period in brackets at its end: `……方案(2017-2020)` → `……方案`.
fn without_period(s: &str) -> &str {
    match s.rfind(['（', '(']) {
        Some(open) if s.ends_with(['）', ')']) && crate::period_in(&s[open..]).is_some() => {
            s[..open].trim_end()
        }
        _ => s,
    }
}

/// A notice that is itself the plan (`夏县人民政府关于做好2023年安全生产工作的通知`): its line
/// and text, among the first lines.
fn notice_as_plan(items: &[Item]) -> Option<(usize, String)> {
    items.iter().take(12).enumerate().find_map(|(i, it)| {
        let l = it.line()?;
        let n = l.text.chars().count();
        ((8..=60).contains(&n)
            && l.text.contains("关于")
            && ["通知", "决定", "意见"].iter().any(|k| l.text.ends_with(k))
            && !is_prose(&l.text))
        .then(|| (i, l.text.clone()))
    })
}

/// The parts of a notice that is the plan, its title at `i`: what is after the title is the
/// body, what is before it the header.
fn notice_is_plan(
    mut items: Vec<Item>,
    i: usize,
    title: String,
    meta: &mut Meta,
    report: &mut Report,
) -> DocumentParts {
    report
        .notes
        .push(tr!("import.note.notice_is_plan", title = &title));
    meta.title = title;
    meta.kind = Some("通知".into());
    let rest = items.split_off(i + 1);
    items.pop();
    let page = PageValues::take(meta);
    let _ = front(items, meta, report);
    if meta.issuer.is_none() {
        meta.issuer = issuer_in_title(&meta.title);
    }
    page.merge_into(meta, report);
    DocumentParts {
        meta: std::mem::take(meta),
        notice: vec![],
        body: rest,
        imprint: vec![],
    }
}

/// A title whose period is on the next line: `……三年行动方案` + `（2024—2026年）`.
fn join_title_period(items: &mut Vec<Item>, t: usize, report: &mut Report) {
    if let (Some(title), Some(next)) = (items[t].line(), items.get(t + 1).and_then(Item::line))
        && next.text.starts_with(['（', '('])
        && next.text.ends_with(['）', ')'])
        && next.text.chars().count() <= 16
        && crate::period_in(&next.text).is_some()
    {
        let joined = format!("{}{}", title.text, next.text);
        report.repairs.joined.push((title.no, next.no, "title"));
        if let Item::Line(l) = &mut items[t] {
            l.text = joined;
        }
        items.remove(t + 1);
    }
}

/// The cover under the title — status, a date, the table of contents, the title again — read
/// into `meta` and dropped: how many items it is.
fn cover(rest: &[Item], meta: &mut Meta, report: &mut Report) -> usize {
    let mut skip = 0;
    let mut toc: Option<(usize, usize)> = None;
    for it in rest {
        let Some(l) = it.line() else { break };
        if let Some(s) = status_of(&l.text) {
            meta.status = Some(s);
            report.drop_lines(l.no, l.no, tr!("import.dropped.status"));
        } else if let Some((d, ymd)) = number_and_date(&l.text) {
            // `（示政办字〔2009〕41号 2009年2月25日）` under the title, as gov.cn prints it.
            meta.doc_number.get_or_insert(d);
            if meta.written.is_none() {
                meta.written = iso(ymd);
            }
            report.drop_lines(l.no, l.no, tr!("import.dropped.doc_number"));
        } else if let Some(d) = doc_number_line(&l.text) {
            meta.doc_number.get_or_insert(d);
            report.drop_lines(l.no, l.no, tr!("import.dropped.doc_number"));
        } else if let Some(ymd) = date_line(&l.text).filter(|_| toc.is_none()) {
            if meta.written.is_none() {
                meta.written = iso(ymd);
            }
            report.drop_lines(l.no, l.no, tr!("import.dropped.cover_date"));
        } else if l.text == "目录" {
            toc = Some((l.no, l.no));
        } else if let Some((a, _)) = toc.filter(|_| is_toc_entry(&l.text)) {
            toc = Some((a, l.no));
        } else if l.text == meta.title {
            report.drop_lines(l.no, l.no, tr!("import.dropped.title_again"));
        } else {
            break;
        }
        skip += 1;
    }
    if let Some((a, b)) = toc {
        report.drop_lines(a, b, tr!("import.dropped.toc"));
    }
    skip
}

/// The imprint (版记) at the end of `body` — disclosure, issuer, 印发 date, 抄送, 共印 — taken
/// off it when it is one, its values read into `meta`.
fn imprint(body: &mut Vec<Item>, meta: &mut Meta, report: &mut Report) -> Vec<Line> {
    let tail = body
        .iter()
        .rev()
        .take_while(|it| it.line().is_some_and(|l| is_imprint(&l.text)))
        .count();
    let tail_lines: Vec<Line> = body[body.len() - tail..]
        .iter()
        .filter_map(|it| it.line().cloned())
        .collect();
    if !tail_lines
        .iter()
        .any(|l| disclosure_of(&l.text).is_some() || date_line(&l.text).is_some())
    {
        return Vec::new();
    }
    body.truncate(body.len() - tail);
    for l in &tail_lines {
        if let Some(d) = disclosure_of(&l.text) {
            meta.disclosure = Some(d);
        } else if let Some(ymd) = date_line(&l.text) {
            if meta.written.is_none() {
                meta.written = iso(ymd);
                report.notes.push(tr!(
                    "import.note.written_from_imprint",
                    date = &l.text,
                    line = l.no
                ));
            }
        } else if is_org(&l.text) && meta.issuer.is_none() {
            meta.issuer = Some(l.text.clone());
        }
    }
    tail_lines
}

/// The lines before the title: header lines become metadata, the rest is the notice.
fn front(items: Vec<Item>, meta: &mut Meta, report: &mut Report) -> Vec<Line> {
    let lines: Vec<Line> = items
        .into_iter()
        .filter_map(|it| it.line().cloned())
        .collect();
    let doc_number_at = lines
        .iter()
        .position(|l| doc_number_line(&l.text).is_some());
    // Organisations alone on the lines just above the title, with no notice before them
    // (`中共示例市委 示例市人民政府`), head it as a 版头 does, red or not; after a notice they
    // are its signature.
    let above_title = lines.len()
        - lines
            .iter()
            .rev()
            .take(3)
            .take_while(|l| orgs(&l.text).is_some())
            .count();
    let mut notice = Vec::new();
    // The 版头's issuers, in their order: one, or a joint header on one line or several.
    let mut header: Vec<String> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let text = l.text.as_str();
        let in_header = notice.is_empty()
            && (l.red || doc_number_at.is_some_and(|d| i < d) || i >= above_title);
        if text == "附件" {
            report.drop_lines(l.no, l.no, tr!("import.dropped.annex_label"));
        } else if let Some((d, ymd)) = number_and_date(text) {
            meta.doc_number.get_or_insert(d);
            if meta.written.is_none() {
                meta.written = iso(ymd);
            }
            report.drop_lines(l.no, l.no, tr!("import.dropped.doc_number"));
        } else if Some(i) == doc_number_at {
            if meta.doc_number.is_none() {
                meta.doc_number = find_doc_number(text);
            }
            report.drop_lines(l.no, l.no, tr!("import.dropped.doc_number"));
        } else if let Some(issuer) = text.strip_suffix("文件").and_then(orgs) {
            header.push(issuer);
            report.drop_lines(l.no, l.no, tr!("import.dropped.red_header"));
        } else if let Some(issuer) = orgs(text)
            .or_else(|| l.red.then(|| orgs(text.trim_end_matches("文件"))).flatten())
            .filter(|_| in_header)
        {
            header.push(issuer);
            report.drop_lines(l.no, l.no, tr!("import.dropped.red_header"));
        } else if text == "文件" && in_header && !header.is_empty() {
            report.drop_lines(l.no, l.no, tr!("import.dropped.red_header"));
        } else {
            notice.push(l.clone());
        }
    }
    header.dedup();
    if !header.is_empty() {
        meta.issuer = Some(header.join("、"));
    }
    // `金政发〔2021〕1号关于印发……的通知`: a page title that starts with the number.
    if meta.doc_number.is_none() {
        meta.doc_number = notice.iter().take(8).find_map(|l| {
            let d = find_doc_number(&l.text)?;
            let rest = l.text.strip_prefix(d.as_str())?.trim_start();
            (rest.starts_with("关于") || rest.starts_with('《') || rest.contains("印发"))
                .then_some(d)
        });
    }
    signature(&notice, meta);
    if meta.issuer.is_none() {
        meta.issuer = notice
            .iter()
            .rev()
            .find(|l| is_org(&l.text))
            .map(|l| l.text.clone());
    }
    notice
}

/// The notice's signature, into `meta` where it has nothing yet: an organisation and a date on
/// one line (`示例区人民政府办公室 2020年2月20日`), or organisations on the lines before a date —
/// several of them (side by side, or one a line) for a joint document, all kept.
fn signature(notice: &[Line], meta: &mut Meta) {
    // (A line run together with the one after it is split before an organisation and a date,
    // so `甲  乙  2010年3月5日` arrives as `甲` and `乙  2010年3月5日`.)
    for (j, l) in notice.iter().enumerate() {
        let (last, ymd) = match org_and_date(&l.text) {
            Some((org, ymd)) => (Some(org), ymd),
            None => match date_line(&l.text) {
                Some(ymd) => (None, ymd),
                None => continue,
            },
        };
        if meta.written.is_none() {
            meta.written = iso(ymd);
        }
        if meta.issuer.is_none() {
            let mut names: Vec<String> = notice[..j]
                .iter()
                .rev()
                // A joint document of many departments signs on many lines.
                .take(12)
                .map_while(|l| orgs(&l.text))
                .collect();
            names.reverse();
            names.extend(last);
            if !names.is_empty() {
                meta.issuer = Some(names.join("、"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The metadata of `text` read as a text file, with a page's `fields`, and the report.
    fn meta_of(text: &str, fields: &[(Field, &str)]) -> (Meta, Report) {
        let mut report = Report::default();
        let items = crate::layout::lay_out(text, &mut report);
        let fields: Vec<(Field, String)> =
            fields.iter().map(|(f, v)| (*f, (*v).to_string())).collect();
        let parts = split(items, &fields, &mut report).expect("the document splits");
        (parts.meta, report)
    }

    const PLAN: &str =
        "示例区2010年安全生产工作要点\n一、压实责任\n（一）落实领导责任。区领导带队检查。\n";

    #[test]
    fn issuers_and_numbers_where_pages_put_them() {
        // The title names its issuer; the notice's wording of the plan's name wins over the
        // plan's own heading when they differ a little.
        let (m, r) = meta_of(
            "示例省人民政府办公厅关于印发示例省2022年重点工作方案（试行）的通知\n各州、市：\n现印发给你们。\n2022年3月1日\n示例省2022年重点工作方案\n一、任务\n",
            &[],
        );
        assert_eq!(m.title, "示例省2022年重点工作方案（试行）");
        assert!(r.to_string().contains("示例省2022年重点工作方案"));
        assert_eq!(m.issuer.as_deref(), Some("示例省人民政府办公厅"));
        let (m, _) = meta_of(
            "中共示例省委 示例省人民政府关于加快发展养老服务业的实施意见\n各区县：\n为加快发展养老服务业，提出如下意见。\n",
            &[],
        );
        assert_eq!(m.issuer.as_deref(), Some("中共示例省委、示例省人民政府"));
        // A number run onto the notice's title, a label run onto a number.
        let (m, _) = meta_of(
            "示政发〔2021〕1号关于印发2021年示例县重要工作事项责任分工的通知\n各乡镇：\n现印发给你们。\n2021年2月1日\n2021年示例县重要工作事项责任分工\n一、任务\n",
            &[],
        );
        assert_eq!(m.doc_number.as_deref(), Some("示政发〔2021〕1号"));
        assert_eq!(
            find_doc_number("发布文号皖示〔2024〕1号").as_deref(),
            Some("皖示〔2024〕1号")
        );
        assert_eq!(
            doc_number_line("发布文号 皖示〔2024〕1号").as_deref(),
            Some("皖示〔2024〕1号")
        );
        // gov.cn's line under the title: the number and the date it was written.
        let (m, _) = meta_of(
            "示例市2009年活动实施方案\n（示政办字〔2009〕41号 2009年2月25日）\n一、目标\n",
            &[],
        );
        assert_eq!(m.doc_number.as_deref(), Some("示政办字〔2009〕41号"));
        assert_eq!(m.written.as_deref(), Some("2009-02-25"));
        // A notice's title that names the plan without 印发; not one about a plan.
        assert_eq!(
            plan_named_by_notice(
                "关于示例开发区2020年重点工作任务分工方案的通知(示经发〔2020〕3号)"
            )
            .as_deref(),
            Some("示例开发区2020年重点工作任务分工方案")
        );
        assert_eq!(
            plan_named_by_notice("关于调整示例区2020年工作方案的通知"),
            None
        );
        // Another document the notice quotes (`印发的《X》`) is not the plan.
        assert_eq!(
            title_in_notice_title(
                "为落实12部委印发的《关于支持示例县的实施意见》精神，现印发给你们"
            ),
            None
        );
    }

    #[test]
    fn titles_where_damaged_copies_leave_them() {
        // A spaced-out 标题 label in a page's table; the notice names the plan in a paragraph
        // that says more first, quoting another document before the one it issues.
        let (m, _) = meta_of(
            "标 题: | 示例区人民政府办公室关于印发2020年重点工作任务分解表的通知 |\n各部门：\n区长在会上所作的《政府工作报告》安排部署了全年工作任务，为明确职责，经区政府同意，现将《示例区2020年度重点工作任务分解表》印发给你们，请认真抓好落实。各单位要细化措施、压实责任、加强协作，确保各项任务按期完成，并及时报送进展情况，区政府将定期通报各项任务落实情况，对工作不力的单位予以督办。\n序号 | 任务 | 责任单位 |\n1 | 开展检查 | 区应急局 |\n",
            &[],
        );
        assert_eq!(m.title, "示例区2020年度重点工作任务分解表");
        assert_eq!(m.issuer.as_deref(), Some("示例区人民政府办公室"));
        // `……若干措施` is a plan's name when a notice issues it.
        let (m, _) = meta_of(
            "各乡镇：\n《示例县优化营商环境的具体措施》已经县政府同意，现印发给你们。\n2023年6月30日\n示例县优化营商环境的具体措施\n一、降低成本\n",
            &[],
        );
        assert_eq!(m.title, "示例县优化营商环境的具体措施");
        // A 关于……的实施意见 broken over two lines after a joint signature of many lines.
        let (m, _) = meta_of(
            "各市：\n现印发给你们，请认真贯彻执行。\n示例省乡村振兴局 中共示例省委组织部\n示例省财政厅 示例省教育厅\n示例省卫生健康委员会 中国人民银行示例分行\n2021年9月17日\n关于支持示例重点帮扶县的\n实施意见\n为深入贯彻落实有关精神，提出如下意见。\n",
            &[],
        );
        assert_eq!(m.title, "关于支持示例重点帮扶县的实施意见");
        assert_eq!(
            m.issuer.as_deref(),
            Some(
                "示例省乡村振兴局、中共示例省委组织部、示例省财政厅、示例省教育厅、示例省卫生健康委员会、中国人民银行示例分行"
            )
        );
        // Joint issuers alone above the title head it.
        let (m, _) = meta_of(
            "中共示例市委 示例市人民政府\n关于深化农村改革的实施意见\n做好今年“三农”工作，要坚持农业农村优先发展。\n",
            &[],
        );
        assert_eq!(m.issuer.as_deref(), Some("中共示例市委、示例市人民政府"));
        // A title run into the first paragraph is split off it.
        let (m, r) = meta_of(
            "关于做好二〇二三年示例重点工作的实施意见示例省是农业大省，必须坚持不懈把解决好“三农”问题作为重中之重。\n",
            &[],
        );
        assert_eq!(m.title, "关于做好二〇二三年示例重点工作的实施意见");
        assert_eq!(r.repairs.split_lines, 1);
        // No title line but the first heading's.
        let (m, _) = meta_of(
            "一、10件民生实事任务分解表\n序号 | 任务 | 责任单位 |\n1 | 建设学校 | 县教体局 |\n",
            &[],
        );
        assert_eq!(m.title, "10件民生实事任务分解表");
    }

    #[test]
    fn titles_named_where_real_pages_name_them() {
        // An attachment line of the notice names the plan.
        let (m, _) = meta_of(
            "区政府各部门：\n附件：1. 2019年示例区重点工作目标任务分解表\n2. 2019年民生实事分解表\n示例区人民政府办公室\n2019年2月15日\n序号 | 任务 | 责任单位 |\n1 | 开展检查 | 区应急局 |\n",
            &[],
        );
        assert_eq!(m.title, "2019年示例区重点工作目标任务分解表");
        // A later attachment that reads as a title is not where the plan starts: the notice
        // names the plan, and the issuer is the signature's.
        let (m, _) = meta_of(
            "各乡镇:\n现将《2025年示例县任务分解》印发给你们。\n附件:1.2025年示例县任务清单\n2.2025年十件实事任务分解\n示例县人民政府办公室\n2025年2月1日\n一、任务\n",
            &[],
        );
        assert_eq!(m.title, "2025年示例县任务分解");
        assert_eq!(m.issuer.as_deref(), Some("示例县人民政府办公室"));
        let (m, _) = meta_of(
            "附件:2023年度示例区联合抽查工作计划.doc\n示例区市场监督管理局\n2023年3月28日\n一、抽查\n",
            &[],
        );
        assert_eq!(m.title, "2023年度示例区联合抽查工作计划");
        // A notice's title broken over two lines.
        let (m, _) = meta_of(
            "示例旗人民政府办公室\n关于印发2022年《政府工作报告》\n重点任务责任落实分工的通知\n各部门：\n现印发给你们。\n2022年2月21日\n一、任务\n",
            &[],
        );
        assert_eq!(m.title, "2022年《政府工作报告》重点任务责任落实分工");
        // A status after the title, and an annex's own number before it.
        let (m, _) = meta_of("《示例区创建示范城市工作方案》(草案)\n一、目标\n", &[]);
        assert_eq!(m.title, "示例区创建示范城市工作方案");
        assert_eq!(m.status.as_deref(), Some("草案"));
        let (m, _) = meta_of("新闻详情示例省2022年乡村振兴实施意见\n一、任务\n", &[]);
        assert_eq!(m.title, "示例省2022年乡村振兴实施意见");
        let (m, _) = meta_of("2.2025年示例县十件实事任务分解\n一、实事\n", &[]);
        assert_eq!(m.title, "2025年示例县十件实事任务分解");
        // A portal's metadata block copied as a table.
        let (m, _) = meta_of(
            "| 索引号:000014349/2022-83299 | |\n| 发文机关:示例镇人民政府 | 发文时间:2023-01-05 |\n| 标题:示例镇人民政府2023年工作计划 | |\n(一)建设项目。推进建设。\n",
            &[],
        );
        assert_eq!(m.title, "示例镇人民政府2023年工作计划");
        assert_eq!(m.written.as_deref(), Some("2023-01-05"));
    }

    #[test]
    fn signature_dates_in_chinese_numerals() {
        for (date, iso) in [
            ("二〇一〇年三月五日", "2010-03-05"),
            ("二○一〇年十二月三十一日", "2010-12-31"),
            ("二O一O年三月二十日", "2010-03-20"),
            ("二〇一〇 年 三 月 十五 日", "2010-03-15"),
        ] {
            let text = format!(
                "关于印发《示例区2010年安全生产工作要点》的通知\n各街镇：\n现将《示例区2010年安全生产工作要点》印发给你们。\n示例区某某局\n{date}\n{PLAN}"
            );
            let (m, _) = meta_of(&text, &[]);
            assert_eq!(m.written.as_deref(), Some(iso), "{date}");
            assert_eq!(m.issuer.as_deref(), Some("示例区某某局"), "{date}");
            assert_eq!(m.title, "示例区2010年安全生产工作要点");
        }
    }

    #[test]
    fn a_date_under_the_title_is_not_joined_to_it() {
        for date in [
            "二〇一〇年三月五日",
            "二O一O年三月五日",
            "二〇一〇 年 三 月 五 日",
        ] {
            let text = format!(
                "示例区2010年安全生产工作要点\n{date}\n一、压实责任\n（一）落实领导责任。\n"
            );
            let (m, _) = meta_of(&text, &[]);
            assert_eq!(m.title, "示例区2010年安全生产工作要点", "{date}");
            assert_eq!(m.written.as_deref(), Some("2010-03-05"), "{date}");
        }
    }

    #[test]
    fn joint_issuers_are_all_kept() {
        let notice = "关于印发《示例区2010年安全生产工作要点》的通知\n各街镇：\n现将《示例区2010年安全生产工作要点》印发给你们。\n";
        let both = "中共示例区委办公室、示例区人民政府办公室";
        for signature in [
            "中共示例区委办公室    示例区人民政府办公室\n2010年3月5日",
            "中共示例区委办公室　　示例区人民政府办公室\n二〇一〇年三月五日",
            "中共示例区委办公室\n示例区人民政府办公室\n2010年3月5日",
            "中共示例区委办公室  示例区人民政府办公室  2010年3月5日",
        ] {
            let (m, _) = meta_of(&format!("{notice}{signature}\n{PLAN}"), &[]);
            assert_eq!(m.issuer.as_deref(), Some(both), "{signature}");
            assert_eq!(m.written.as_deref(), Some("2010-03-05"), "{signature}");
        }
        // A joint 版头.
        let text = format!(
            "中共示例县委  示例县人民政府 文件\n示委发〔2010〕3号\n{notice}中共示例县委\n2010年3月5日\n{PLAN}"
        );
        let (m, _) = meta_of(&text, &[]);
        assert_eq!(m.issuer.as_deref(), Some("中共示例县委、示例县人民政府"));
        assert_eq!(m.doc_number.as_deref(), Some("示委发〔2010〕3号"));
    }

    #[test]
    fn the_document_comes_before_the_page_and_a_disagreement_is_reported() {
        let text = format!(
            "关于印发《示例区2010年安全生产工作要点》的通知\n各街镇：\n现将《示例区2010年安全生产工作要点》印发给你们。\n示例开发区安全生产委员会\n2010年3月5日\n{PLAN}"
        );
        let page = [
            (Field::Issuer, "示例开发区"),
            (Field::Written, "2010-03-04"),
            (Field::Published, "2010-03-08"),
        ];
        let (m, report) = meta_of(&text, &page);
        assert_eq!(m.issuer.as_deref(), Some("示例开发区安全生产委员会"));
        assert_eq!(m.written.as_deref(), Some("2010-03-05"));
        assert_eq!(m.published.as_deref(), Some("2010-03-08"));
        assert_eq!(report.disagreements.len(), 2, "{:?}", report.disagreements);
        let all = report.disagreements.join("\n");
        for v in [
            "示例开发区安全生产委员会",
            "“示例开发区”",
            "2010-03-05",
            "2010-03-04",
        ] {
            assert!(all.contains(v), "{v}: {all}");
        }
        // Spaces aside, the same value is no disagreement; what the document does not say, the
        // page gives.
        let page = [(Field::Issuer, "示例开发区 安全生产委员会")];
        let (m, report) = meta_of(&text, &page);
        assert!(
            report.disagreements.is_empty(),
            "{:?}",
            report.disagreements
        );
        assert_eq!(m.issuer.as_deref(), Some("示例开发区安全生产委员会"));
        let page = [
            (Field::Issuer, "示例区某某局"),
            (Field::Written, "2010-03-04"),
        ];
        let (m, report) = meta_of(PLAN, &page);
        assert_eq!(m.issuer.as_deref(), Some("示例区某某局"));
        assert_eq!(m.written.as_deref(), Some("2010-03-04"));
        assert!(report.disagreements.is_empty());
    }

    #[test]
    fn an_impossible_signature_date_gives_way_to_the_page_with_a_note() {
        let text = format!(
            "关于印发《示例区2024年安全生产工作要点》的通知\n各街镇：\n现将《示例区2024年安全生产工作要点》印发给你们。\n示例区某某局\n二〇二四年二月三十日\n{PLAN}"
        );
        let (m, report) = meta_of(&text, &[]);
        assert_eq!(m.written, None);
        assert!(
            report.notes.iter().any(|n| n.contains("2024-02-30")),
            "{:?}",
            report.notes
        );
        let (m, _) = meta_of(&text, &[(Field::Written, "2024-02-20")]);
        assert_eq!(m.written.as_deref(), Some("2024-02-20"));
    }

    #[test]
    fn dates() {
        let d = |s: &str| find_date(s).map(|(ymd, _)| ymd);
        assert_eq!(d("2017年2月27日"), Some((2017, 2, Some(27))));
        assert_eq!(d("发布时间:2018-01-22 11:48"), Some((2018, 1, Some(22))));
        assert_eq!(d("二○一七年二月"), Some((2017, 2, None)));
        assert_eq!(d("二〇二一年四月八日"), Some((2021, 4, Some(8))));
        assert_eq!(d("2021年4月8日印发"), Some((2021, 4, Some(8))));
        assert_eq!(d("确保2名以上"), None);
        assert_eq!(date_line("2021年4月8日印发"), Some((2021, 4, Some(8))));
        assert_eq!(date_line("2017年是全面实施的一年"), None);
    }

    #[test]
    fn doc_numbers() {
        assert_eq!(
            find_doc_number("高政办发〔2017〕28号").as_deref(),
            Some("高政办发〔2017〕28号")
        );
        assert_eq!(
            find_doc_number("浦应急〔2021〕39号").as_deref(),
            Some("浦应急〔2021〕39号")
        );
        assert_eq!(
            find_doc_number("沪府办[2020]5号").as_deref(),
            Some("沪府办[2020]5号")
        );
        assert_eq!(find_doc_number("（沪崇府发〔2021〕82）号"), None);
    }

    #[test]
    fn titles_and_orgs() {
        assert!(is_title("静安区2017年安全生产工作意见"));
        assert!(is_title("高淳区安全生产“十三五”规划"));
        assert!(!is_title(
            "关于印发南通经济技术开发区2018年安全生产工作要点"
        ));
        assert!(!is_title(
            "现将《静安区2017年安全生产工作意见》印发给你们，请结合工作实际，认真贯彻执行。"
        ));
        assert!(is_org("南京市高淳区人民政府办公室"));
        assert!(is_org("上海市浦东新区应急管理局"));
        assert!(!is_org("区安委会各成员单位、各区管国有企业："));
        assert_eq!(status_of("（送审稿）").as_deref(), Some("送审稿"));
        assert_eq!(
            disclosure_of("信息公开选项: 主动公开").as_deref(),
            Some("主动公开")
        );
    }
}
