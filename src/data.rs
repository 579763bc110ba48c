//! Open data: JSON and CSV exports of what the pages show, a sitemap and an Atom feed. URLs in the
//! data are site-relative (they resolve inside `output/`); the sitemap and feed, which must be
//! absolute, use the base URL.

use serde::Serialize;

use crate::compare::{Scope, TargetChange, TaskChange};
use crate::escape::{csv_cell, xml};
use crate::index::Index;
use crate::model::Plan;
use crate::render::{Page, unit_url};
use crate::validate::Site;

#[derive(Serialize)]
pub struct IndicatorData<'a> {
    pub name: &'a str,
    /// Canonical registry name.
    pub canonical: &'a str,
    pub target: &'a str,
    pub measure: Option<&'a str>,
    pub baseline: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub direction: Option<&'static str>,
    pub period: Option<String>,
}

#[derive(Serialize)]
pub struct TaskData<'a> {
    pub number: &'a str,
    pub label: &'a str,
    pub title: &'a str,
    pub section: Option<String>,
    pub text: &'a str,
    pub lead: Vec<&'a str>,
    pub support: Vec<&'a str>,
    pub persons: Vec<&'a str>,
    pub url: String,
}

#[derive(Serialize)]
pub struct PlanData<'a> {
    pub title: &'a str,
    /// District name (canonical).
    pub district: &'a str,
    pub district_slug: &'a str,
    pub region: Option<&'a str>,
    /// First year of the plan.
    pub year: u16,
    pub end_year: u16,
    pub period: String,
    pub kind: Option<&'a str>,
    pub issuer: Option<&'a str>,
    pub doc_number: Option<&'a str>,
    pub written: Option<&'a str>,
    pub published: Option<&'a str>,
    pub index_number: Option<&'a str>,
    pub status: Option<&'a str>,
    pub validity: Option<&'a str>,
    pub disclosure: Option<&'a str>,
    pub url: String,
    pub indicators: Vec<IndicatorData<'a>>,
    /// `None` in the catalogue, where tasks are left to each plan's own file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<TaskData<'a>>>,
}

pub fn plan_data<'a>(site: &'a Site, plan: &'a Plan) -> PlanData<'a> {
    let c = &site.config;
    let d = &c.districts[plan.district_idx];
    let m = &plan.meta;
    let url = plan.url();
    PlanData {
        title: plan.title(),
        district: &d.name,
        district_slug: &d.slug,
        region: d.region.as_deref(),
        year: plan.period().start,
        end_year: plan.period().end,
        period: plan.period().to_string(),
        kind: m.kind.as_deref(),
        issuer: m.issuer.as_deref(),
        doc_number: m.doc_number.as_deref(),
        written: m.written.as_deref(),
        published: m.published.as_deref(),
        index_number: m.index_number.as_deref(),
        status: m.status.as_deref(),
        validity: m.validity.as_deref(),
        disclosure: m.disclosure.as_deref(),
        indicators: plan
            .indicators
            .iter()
            .map(|i| IndicatorData {
                name: &i.name,
                canonical: &c.indicators.items[i.def].name,
                target: &i.target,
                measure: i.measure.as_deref(),
                baseline: i.baseline.as_deref(),
                unit: i.unit.as_deref(),
                direction: i.direction.map(|d| d.label()),
                period: i.period.map(|p| p.to_string()),
            })
            .collect(),
        tasks: Some(
            plan.body
                .tasks
                .iter()
                .zip(&plan.responsibility)
                .map(|(t, r)| TaskData {
                    number: &t.key,
                    label: &t.label,
                    title: &t.title,
                    section: t.section.map(|s| {
                        let s = &plan.body.sections[s];
                        format!("{}{}", s.label, s.title)
                    }),
                    text: &t.text,
                    lead: r
                        .lead
                        .iter()
                        .map(|&u| c.units.items[u].name.as_str())
                        .collect(),
                    support: r
                        .support
                        .iter()
                        .map(|&u| c.units.items[u].name.as_str())
                        .collect(),
                    persons: r
                        .persons
                        .iter()
                        .map(|&u| c.persons.items[u].name.as_str())
                        .collect(),
                    url: format!("{url}#{}", t.anchor),
                })
                .collect(),
        ),
        url,
    }
}

/// A plan in the catalogue `data/plans.json`: its metadata and indicators, and where its full
/// data (tasks with units and persons) is. The catalogue stays small enough to download for a
/// national site; the detail is one file per plan.
#[derive(Serialize)]
pub struct PlanSummary<'a> {
    #[serde(flatten)]
    pub plan: PlanData<'a>,
    pub task_count: usize,
    /// The plan's own `plan.json`, with its tasks.
    pub data_url: String,
}

pub fn plans_json(site: &Site) -> Vec<u8> {
    let all: Vec<PlanSummary> = site
        .plans
        .iter()
        .map(|p| {
            let mut plan = plan_data(site, p);
            plan.tasks = None;
            PlanSummary {
                data_url: format!("{}plan.json", plan.url),
                task_count: p.body.tasks.len(),
                plan,
            }
        })
        .collect();
    to_json(&all)
}

pub fn plan_json(site: &Site, plan: &Plan) -> Vec<u8> {
    to_json(&plan_data(site, plan))
}

/// Compact JSON and a final newline: these files are for programs, and the site-wide ones grow
/// with the number of plans.
fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec(v).unwrap_or_default();
    out.push(b'\n');
    out
}

/// `data/units.json`: every unit with its kind and how many tasks it leads and supports. Which
/// tasks those are is on the unit's page and in `data/tasks.csv` (columns lead, support).
pub fn units_json(site: &Site, ix: &Index) -> Vec<u8> {
    let c = &site.config;
    let units: Vec<serde_json::Value> = c
        .units
        .items
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let (lead, support) = ix.unit_counts(i);
            serde_json::json!({"name": u.name, "aliases": u.aliases, "kind": u.kind, "url": unit_url(c, i), "lead": lead, "support": support})
        })
        .collect();
    to_json(&units)
}

const TASK_HEADER: [&str; 12] = [
    "district", "year", "plan", "plan_url", "number", "label", "title", "section", "lead",
    "support", "persons", "url",
];

fn task_rows<W: std::io::Write>(site: &Site, plan: &Plan, w: &mut csv::Writer<W>) {
    let d = plan_data(site, plan);
    for t in d.tasks.iter().flatten() {
        let _ = record(
            w,
            [
                d.district,
                &d.period,
                d.title,
                &d.url,
                t.number,
                t.label,
                t.title,
                t.section.as_deref().unwrap_or(""),
                &t.lead.join("、"),
                &t.support.join("、"),
                &t.persons.join("、"),
                &t.url,
            ],
        );
    }
}

/// Writes one CSV record with every cell made safe by [`csv_cell`].
fn record<W: std::io::Write, S: AsRef<str>>(
    w: &mut csv::Writer<W>,
    cells: impl IntoIterator<Item = S>,
) -> csv::Result<()> {
    w.write_record(cells.into_iter().map(|c| csv_cell(c.as_ref()).into_owned()))
}

/// A BOM lets spreadsheet programs on Windows read the Chinese text as UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn csv_bytes(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    let mut out = BOM.to_vec();
    out.extend(w.into_inner().unwrap_or_default());
    out
}

/// The tasks of the given plans as CSV, written as it goes: `data/tasks.csv` of a national site
/// is large, and is never held in memory whole.
pub fn write_tasks_csv<W: std::io::Write>(
    site: &Site,
    plans: &[Plan],
    mut out: W,
) -> std::io::Result<()> {
    out.write_all(BOM)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(TASK_HEADER)?;
    for p in plans {
        task_rows(site, p, &mut w);
    }
    w.flush()
}

pub fn tasks_csv(site: &Site, plans: &[&Plan]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(TASK_HEADER);
    for p in plans {
        task_rows(site, p, &mut w);
    }
    csv_bytes(w)
}

pub fn indicators_csv(site: &Site) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "district",
        "year",
        "plan",
        "plan_url",
        "name",
        "canonical",
        "target",
        "measure",
        "baseline",
        "unit",
        "direction",
        "period",
    ]);
    for plan in &site.plans {
        let d = plan_data(site, plan);
        for i in &d.indicators {
            let _ = record(
                &mut w,
                [
                    d.district,
                    &d.period,
                    d.title,
                    &d.url,
                    i.name,
                    i.canonical,
                    i.target,
                    i.measure.unwrap_or(""),
                    i.baseline.unwrap_or(""),
                    i.unit.unwrap_or(""),
                    i.direction.unwrap_or(""),
                    i.period.as_deref().unwrap_or(""),
                ],
            );
        }
    }
    csv_bytes(w)
}

#[derive(Serialize)]
struct PlanRef<'a> {
    title: &'a str,
    district: &'a str,
    period: String,
    url: String,
}

#[derive(Serialize)]
struct MatchData<'a> {
    from: &'a str,
    to: &'a str,
    /// Rounded to two places.
    similarity: f64,
    lead_changed: bool,
    support_changed: bool,
}

#[derive(Serialize)]
struct TaskLists<'a> {
    continued: Vec<MatchData<'a>>,
    changed: Vec<MatchData<'a>>,
    new: Vec<&'a str>,
    dropped: Vec<&'a str>,
}

#[derive(Serialize)]
struct IndicatorChangeData<'a> {
    indicator: &'a str,
    slug: &'a str,
    from: Option<&'a str>,
    to: Option<&'a str>,
    change: TargetChange,
}

#[derive(Serialize)]
struct UnitShiftData<'a> {
    unit: &'a str,
    url: String,
    /// Tasks led and supported in the earlier plan.
    before: [usize; 2],
    after: [usize; 2],
    gained: Vec<&'a str>,
    lost: Vec<&'a str>,
}

#[derive(Serialize)]
struct ComparisonData<'a> {
    url: &'a str,
    scope: Scope,
    title: Option<&'a str>,
    from_url: String,
    to_url: String,
    from: PlanRef<'a>,
    to: PlanRef<'a>,
    tasks: TaskLists<'a>,
    indicators: Vec<IndicatorChangeData<'a>>,
    units: Vec<UnitShiftData<'a>>,
    sections_only_from: Vec<String>,
    sections_only_to: Vec<String>,
}

#[derive(Serialize)]
struct RegionData<'a> {
    name: &'a str,
    url: String,
    plans: Vec<String>,
    comparisons: Vec<&'a str>,
}

/// `data/comparisons.json`: every comparison with the task numbers in each list, and the
/// region pages.
/// Writes `data/comparisons.json` as it goes, one comparison at a time: every comparison with
/// the task numbers in each list, and the region pages.
pub fn write_comparisons_json<W: std::io::Write>(
    site: &Site,
    ix: &Index,
    mut out: W,
) -> std::io::Result<()> {
    let c = &site.config;
    let cmp = &ix.comparisons;
    let plan_ref = |p: usize| {
        let plan = &site.plans[p];
        PlanRef {
            title: plan.title(),
            district: &c.districts[plan.district_idx].name,
            period: plan.period().to_string(),
            url: plan.url(),
        }
    };
    let list = cmp.list.iter().map(|x| {
        let (a, b) = (&site.plans[x.from], &site.plans[x.to]);
        let key_a = |t: usize| a.body.tasks[t].key.as_str();
        let key_b = |t: usize| b.body.tasks[t].key.as_str();
        let matches = |change: TaskChange| {
            x.matches
                .iter()
                .filter(|m| m.change == change)
                .map(|m| MatchData {
                    from: key_a(m.from),
                    to: key_b(m.to),
                    similarity: (f64::from(m.similarity) * 100.0).round() / 100.0,
                    lead_changed: m.lead_changed,
                    support_changed: m.support_changed,
                })
                .collect()
        };
        let section = |p: &Plan, s: usize| {
            let s = &p.body.sections[s];
            format!("{}{}", s.label, s.title)
        };
        ComparisonData {
            url: &x.url,
            scope: x.scope,
            title: x.title.as_deref(),
            from_url: a.url(),
            to_url: b.url(),
            from: plan_ref(x.from),
            to: plan_ref(x.to),
            tasks: TaskLists {
                continued: matches(TaskChange::Continued),
                changed: matches(TaskChange::Changed),
                new: x.new_tasks.iter().map(|&t| key_b(t)).collect(),
                dropped: x.dropped_tasks.iter().map(|&t| key_a(t)).collect(),
            },
            indicators: x
                .indicators
                .iter()
                .map(|i| IndicatorChangeData {
                    indicator: &c.indicators.items[i.def].name,
                    slug: &c.indicators.items[i.def].slug,
                    from: i.from.map(|k| a.indicators[k].target.as_str()),
                    to: i.to.map(|k| b.indicators[k].target.as_str()),
                    change: i.change,
                })
                .collect(),
            units: x
                .units
                .iter()
                .map(|u| UnitShiftData {
                    unit: &c.units.items[u.unit].name,
                    url: unit_url(c, u.unit),
                    before: [u.before.0, u.before.1],
                    after: [u.after.0, u.after.1],
                    gained: u.gained.iter().map(|&t| key_b(t)).collect(),
                    lost: u.lost.iter().map(|&t| key_a(t)).collect(),
                })
                .collect(),
            sections_only_from: x
                .sections_only_from
                .iter()
                .map(|&s| section(a, s))
                .collect(),
            sections_only_to: x.sections_only_to.iter().map(|&s| section(b, s)).collect(),
        }
    });
    let regions: Vec<RegionData> = cmp
        .regions
        .iter()
        .map(|r| RegionData {
            name: &r.name,
            url: r.url(),
            plans: r.plans.iter().map(|&p| site.plans[p].url()).collect(),
            comparisons: r
                .comparisons
                .iter()
                .map(|&i| cmp.list[i].url.as_str())
                .collect(),
        })
        .collect();
    out.write_all(b"{\"comparisons\":[")?;
    for (i, item) in list.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut out, &item)?;
    }
    out.write_all(b"],\"regions\":")?;
    serde_json::to_writer(&mut out, &regions)?;
    out.write_all(b"}\n")?;
    out.flush()
}

pub fn sitemap(site: &Site, ix: &Index, pages: &[Page]) -> Vec<u8> {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        if *p == Page::NotFound {
            continue;
        }
        s.push_str(&format!(
            "  <url><loc>{}</loc>",
            xml(&format!("{}{}", site.config.base_url, p.path(site, ix)))
        ));
        if let Page::Plan(i) = p
            && let Some(d) = site.plans[*i]
                .meta
                .published
                .as_deref()
                .or(site.plans[*i].meta.written.as_deref())
        {
            s.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s.into_bytes()
}

/// An Atom feed of plans that carry a date. Dates come from front matter, never from the clock;
/// plans without a date are left out, since a feed entry must have one.
pub fn atom(site: &Site) -> Vec<u8> {
    let c = &site.config;
    let mut dated: Vec<(&str, &Plan)> = site
        .plans
        .iter()
        .filter_map(|p| {
            p.meta
                .published
                .as_deref()
                .or(p.meta.written.as_deref())
                .map(|d| (d, p))
        })
        .collect();
    dated.sort_by(|a, b| b.0.cmp(a.0).then(a.1.url().cmp(&b.1.url())));
    let updated = dated.first().map_or("1970-01-01", |d| d.0);
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n",
    );
    s.push_str(&format!(
        "  <title>{}</title>\n  <id>{}</id>\n",
        xml(&c.title),
        xml(&c.base_url)
    ));
    s.push_str(&format!(
        "  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}feed.xml\"/>\n",
        xml(&c.base_url),
        xml(&c.base_url)
    ));
    s.push_str(&format!("  <updated>{updated}T00:00:00Z</updated>\n"));
    if let Some(o) = &c.organizer {
        s.push_str(&format!("  <author><name>{}</name></author>\n", xml(o)));
    }
    for (date, p) in dated.iter().take(50) {
        let url = format!("{}{}", c.base_url, p.url());
        s.push_str(&format!("  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{date}T00:00:00Z</updated>\n", xml(p.title()), xml(&url), xml(&url)));
        let issuer = p
            .meta
            .issuer
            .as_deref()
            .unwrap_or(&c.districts[p.district_idx].name);
        s.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            xml(issuer)
        ));
        let summary = format!(
            "{} {} {}",
            c.districts[p.district_idx].name,
            p.period(),
            p.meta.doc_number.as_deref().unwrap_or("")
        );
        s.push_str(&format!(
            "    <summary>{}</summary>\n  </entry>\n",
            xml(summary.trim())
        ));
    }
    s.push_str("</feed>\n");
    s.into_bytes()
}
