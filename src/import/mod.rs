//! `gongkai import`: a plan document as exported from Word or a PDF (plain text, UTF-8 or
//! GB18030) turned into a plan file that `gongkai build` accepts, with a report of what was
//! recognised, repaired, left out and could not be placed.
//!
//! The steps, in order: [`decode`] the bytes → [`layout`] lines and tables, repairing lines
//! ([`repair`]) → [`meta`]: header, notice, title, cover, imprint → [`structure`]: headings,
//! tasks, tables ([`table`]) as [`markdown`] → new units, indicators and districts into
//! `site.yaml` ([`registry`]).

pub mod decode;
pub mod layout;
pub mod markdown;
pub mod meta;
pub mod registry;
pub mod repair;
pub mod report;
pub mod structure;
pub mod table;

use std::collections::BTreeSet;
use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::model::{Period, TaskSource};
use crate::model::{Scope, UnitKind, pinyin_slug};
pub use report::Report;

use markdown::{escape, yaml_block, yaml_str};

/// What `gongkai import` was asked to do; also its command-line arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportOptions {
    /// The document to import.
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
    /// Where to write the plan file (default: content/<district>/<year>/<id>.md in the site).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the plan file if it exists.
    #[arg(long)]
    pub force: bool,
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
    pub units: Vec<String>,
    pub indicators: Vec<table::IndicatorRow>,
    pub report: Report,
}

/// The period a title names: `2017年`, `2021—2025年`, or a five-year plan (“十三五”).
pub fn period_in(title: &str) -> Option<Period> {
    for (name, start) in [
        ("十一五", 2006),
        ("十二五", 2011),
        ("十三五", 2016),
        ("十四五", 2021),
        ("十五五", 2026),
    ] {
        if title.contains(name) {
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

/// The district a title names: `上海市崇明区2023年…` → 崇明区.
pub fn district_in(title: &str) -> Option<String> {
    let end = title
        .find(|c: char| c.is_ascii_digit() || c == '“' || c == '"')
        .or_else(|| title.find("安全"))
        .unwrap_or(title.len());
    let head = title[..end].trim();
    let suffix_end = ["新区", "开发区", "区", "县", "市", "旗"]
        .iter()
        .filter_map(|s| head.rfind(s).map(|i| i + s.len()))
        .max()?;
    let mut name = &head[..suffix_end];
    // Drop the province or city in front of a district: 上海市崇明区 → 崇明区.
    for p in ["省", "市"] {
        if let Some(i) = name.find(p) {
            let rest = &name[i + p.len()..];
            if rest.chars().count() >= 2 && (rest.ends_with('区') || rest.ends_with('县')) {
                name = rest;
            }
        }
    }
    (name.chars().count() >= 2).then(|| name.to_string())
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

/// Converts a document's text. Nothing is written.
pub fn convert(
    text: &str,
    source: &str,
    config: &SiteConfig,
    district: Option<&str>,
    year: Option<&str>,
) -> Result<Converted, String> {
    let mut report = Report {
        source: source.to_string(),
        ..Report::default()
    };
    let items = layout::lay_out(text, &mut report);
    let parts = meta::split(items, &mut report)?;
    let m = parts.meta.clone();

    let period = match year {
        Some(y) => Period::parse(y)
            .ok_or_else(|| format!("--year {y} is not a year (2017) or a period (2016-2020)"))?,
        None => period_in(&m.title)
            .or_else(|| {
                let d = m.written.as_deref().or(m.published.as_deref())?;
                Period::parse(&d[..4])
            })
            .ok_or_else(|| {
                format!(
                    "the title “{}” names no year; give one with --year",
                    m.title
                )
            })?,
    };

    let (district, new_district) = match district {
        Some(slug) => match config.district_by_slug(slug) {
            Some(_) => (slug.to_string(), None),
            None => (
                slug.to_string(),
                Some(district_in(&m.title).unwrap_or_else(|| slug.to_string())),
            ),
        },
        None => {
            let hay = format!("{}{}", m.title, m.issuer.clone().unwrap_or_default());
            match config.districts.iter().find(|d| hay.contains(&d.name)) {
                Some(d) => (d.slug.clone(), None),
                None => {
                    let name = district_in(&m.title).ok_or_else(|| {
                        format!(
                            "the title “{}” names no district; give its slug with --district",
                            m.title
                        )
                    })?;
                    report.notes.push(format!(
                        "district {name} is new; its slug is a hash. Pass --district with a readable slug (e.g. its pinyin) to choose one"
                    ));
                    (pinyin_slug(&name, "district"), Some(name))
                }
            }
        }
    };

    // Notice and imprint: the notice's broken lines are joined like the body's.
    let notice: Vec<String> = structure::join_lines(parts.notice, &mut report)
        .iter()
        .map(|l| escape(&l.text))
        .collect();
    let imprint: Vec<String> = parts.imprint.iter().map(|l| escape(&l.text)).collect();
    report.notice_paragraphs = notice.len();
    report.imprint_lines = imprint.len();

    let outline = structure::outline(parts.body, &mut report);
    let id = plan_id(&m.title, m.kind.as_deref());

    // Front matter, in the order a publisher reads it.
    let mut fm = String::from("---\n");
    let mut field = |k: &'static str, v: Option<&str>| {
        if let Some(v) = v {
            let _ = writeln!(fm, "{k}: {}", yaml_str(v));
            report.fields.push((k, v.to_string()));
        }
    };
    field("title", Some(&m.title));
    field("district", Some(&district));
    field("year", Some(&period.slug()));
    field("kind", m.kind.as_deref());
    field("issuer", m.issuer.as_deref());
    field("doc_number", m.doc_number.as_deref());
    field("written", m.written.as_deref());
    field("published", m.published.as_deref());
    field("status", m.status.as_deref());
    field("disclosure", m.disclosure.as_deref());
    field("source", Some(source));
    yaml_block(&mut fm, "notice", &notice);
    yaml_block(&mut fm, "imprint", &imprint);
    if !outline.indicators.is_empty() {
        fm.push_str("indicators:\n");
        for i in &outline.indicators {
            let _ = writeln!(fm, "  - name: {}", yaml_str(&i.name));
            let _ = writeln!(fm, "    target: {}", yaml_str(&i.target));
            if let Some(ms) = &i.measure {
                let _ = writeln!(fm, "    measure: {}", yaml_str(ms));
            }
        }
    }
    fm.push_str("---\n\n");
    let body_line = fm.lines().count() + 1;

    // What the site will make of it: tasks and the names in their responsibility.
    let mut markdown = outline.markdown;
    let mut body = crate::body::parse(&markdown, body_line);
    let split = split_run_together(&mut markdown, &body, &mut report);
    if split {
        body = crate::body::parse(&markdown, body_line);
    }
    let mut units = BTreeSet::new();
    let mut persons = BTreeSet::new();
    let c = &mut report.counts;
    c.tasks = body.tasks.len();
    for t in &body.tasks {
        if !(t.lead.is_empty() && t.support.is_empty() && t.persons.is_empty()) {
            c.tasks_with_responsibility += 1;
        }
        if t.source == TaskSource::Table {
            c.table_tasks += 1;
        }
        units.extend(t.lead.iter().chain(&t.support).map(|n| n.name.clone()));
        persons.extend(t.persons.iter().map(|n| n.name.clone()));
    }
    c.units = units.len();
    let text = format!("{fm}{}\n", markdown.trim_end());
    c.persons = persons.len();
    c.indicators = outline.indicators.len();
    if report.counts.tasks == 0 {
        report.notes.push("no numbered tasks found".into());
    }
    Ok(Converted {
        meta: m,
        district,
        new_district,
        period,
        id,
        text,
        units: units.into_iter().collect(),
        indicators: outline.indicators,
        report,
    })
}

/// Table cells where extraction ran two unit names together (`区安委会有关成员单位区有关直属单位`)
/// get a space between them, when both names occur on their own elsewhere in the plan.
fn split_run_together(
    markdown: &mut String,
    body: &crate::body::Body,
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
            .push(format!("table cells: “{from}” read as two units, “{to}”"));
    }
    *markdown = out;
    true
}

/// Reads, converts and writes: the plan file, and site.yaml when something new was met.
pub fn run(opts: &ImportOptions) -> Result<Report, String> {
    let bytes =
        fs::read(&opts.file).map_err(|e| format!("{}: cannot read: {e}", opts.file.display()))?;
    let decoded = decode::decode(&bytes).map_err(|e| format!("{}: {e}", opts.file.display()))?;
    let config = crate::config::load(&opts.site).map_err(|d| {
        let mut s = format!(
            "{}: site.yaml has problems; fix them before importing:\n",
            opts.site.display()
        );
        for x in d.sorted() {
            let _ = writeln!(s, "{x}");
        }
        s
    })?;
    let source = opts.file.file_name().map_or_else(
        || opts.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut conv = convert(
        &decoded.text,
        &source,
        &config,
        opts.district.as_deref(),
        opts.year.as_deref(),
    )
    .map_err(|e| format!("{}: {e}", opts.file.display()))?;
    conv.report.encoding = decoded.encoding.to_string();

    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| default_path(&opts.site, &conv));
    if out.exists() && !opts.force {
        return Err(format!(
            "{} exists already; pass --force to replace it, or --out to write elsewhere",
            out.display()
        ));
    }

    let yaml_path = opts.site.join(crate::config::CONFIG_FILE);
    let yaml =
        fs::read_to_string(&yaml_path).map_err(|e| format!("{}: {e}", yaml_path.display()))?;
    let new_yaml = registry_additions(&yaml, &config, &mut conv)?;

    if let Some(dir) = out.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(&out, &conv.text).map_err(|e| format!("{}: {e}", out.display()))?;
    if new_yaml != yaml {
        fs::write(&yaml_path, new_yaml).map_err(|e| format!("{}: {e}", yaml_path.display()))?;
    }
    conv.report.written_to = out.display().to_string();
    Ok(conv.report)
}

/// site.yaml with the district, units and indicators the document brings, reporting each.
fn registry_additions(
    yaml: &str,
    config: &SiteConfig,
    conv: &mut Converted,
) -> Result<String, String> {
    let mut yaml = yaml.to_string();
    if let Some(name) = &conv.new_district {
        let entry = format!(
            "  - slug: {}\n    name: {}\n",
            conv.district,
            yaml_str(name)
        );
        yaml = registry::append_entries(&yaml, "districts", &[entry])?;
        conv.report.new_district = Some(format!("{name} ({})", conv.district));
    }
    // Units are the district's own: its 区应急局 is not another district's.
    let district_id = config.district_by_slug(&conv.district);
    let known: Vec<&str> = match district_id {
        Some(d) => config.units.names_for(d),
        None => config
            .units
            .items
            .iter()
            .filter(|u| u.scope == Scope::Shared)
            .map(|u| u.name.as_str())
            .collect(),
    };
    let mut entries = Vec::new();
    for u in &conv.units {
        if known.contains(&u.as_str()) {
            continue;
        }
        let other = known
            .iter()
            .map(|k| k.to_string())
            .chain(conv.units.iter().filter(|o| *o != u).cloned())
            .find(|k| looks_like_alias(u, k));
        if let Some(k) = other
            && !conv
                .report
                .possible_aliases
                .iter()
                .any(|(a, b)| *a == k && b == u)
        {
            conv.report.possible_aliases.push((u.clone(), k));
        }
        let kind = match UnitKind::guess(u) {
            UnitKind::Department => "department",
            UnitKind::Township => "township",
            UnitKind::Group => "group",
            UnitKind::Other => "other",
        };
        entries.push(format!(
            "  - name: {}\n    district: {}\n    kind: {kind}\n",
            yaml_str(u),
            conv.district
        ));
        conv.report.new_units.push(u.clone());
    }
    yaml = registry::append_entries(&yaml, "units", &entries)?;
    let mut entries = Vec::new();
    for i in &conv.indicators {
        if config.indicators.find(&i.name).is_some() {
            continue;
        }
        entries.push(format!(
            "  - slug: {}\n    name: {}{}\n",
            pinyin_slug(&i.name, "indicator"),
            yaml_str(&i.name),
            i.direction()
                .map_or(String::new(), |d| format!("\n    direction: {d}"))
        ));
        conv.report.new_indicators.push(i.name.clone());
    }
    registry::append_entries(&yaml, "indicators", &entries)
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
    site.join(crate::load::CONTENT_DIR)
        .join(&conv.district)
        .join(conv.period.slug())
        .join(format!("{}.md", conv.id))
}

#[cfg(test)]
mod tests {
    use super::*;

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
