//! Open data: JSON and CSV exports of what the pages show, a sitemap and an Atom feed. URLs are
//! absolute — the base URL and the page's path — so a downloaded file still leads back to the
//! site. CSV is for spreadsheets: UTF-8 with a byte order mark, full text in every cell, several
//! units in one cell separated by [`LIST_SEPARATOR`], task numbers marked `'` so Excel keeps
//! `2.10` as text, and no cell a spreadsheet would run as a formula (those get a leading `'` too).

use serde::Serialize;

use crate::compare::{ComparisonScope, TargetChange, TaskChange};
use crate::escape::{csv_cell, xml};
use crate::render::view::{EvidenceLink, Goal, Outcome};
use crate::render::{Page, Parts};
use crate::track::Completion;
use gongkai_model::Date;
use gongkai_model::{Due, Evidence, Plan, PlanId, Status, TaskId};

/// Between the names of a CSV cell that holds several (lead units, …): unit names never hold it.
pub const LIST_SEPARATOR: &str = "；";

impl<'a> Parts<'a> {
    /// An absolute URL of a site-relative path.
    pub fn absolute(&self, rel: &str) -> String {
        format!("{}{rel}", self.site.config.base_url)
    }
}

#[derive(Serialize)]
pub struct IndicatorData<'a> {
    pub name: &'a str,
    /// Canonical registry name.
    pub canonical: &'a str,
    /// Its target, what it measures, its baseline, unit, direction and period, as on its page.
    #[serde(flatten)]
    pub goal: Goal<'a>,
    /// Results by year or period.
    pub results: Vec<ResultData<'a>>,
}

/// A result as its page shows it ([`Outcome`]); whether the publisher judged it is
/// `met_stated` here, beside `met`, where the page's view calls it `stated`.
#[derive(Serialize)]
pub struct ResultData<'a> {
    #[serde(flatten)]
    pub outcome: Outcome<'a>,
    /// The publisher said so, rather than gongkai judging it.
    pub met_stated: bool,
}

/// A task's progress report, as the progress page shows it, with the status's word and
/// absolute addresses.
#[derive(Serialize)]
pub struct ReportData<'a> {
    pub date: Date,
    /// Code: `not_started`, `in_progress`, `ongoing`, `delayed`, `done`, `cancelled`.
    pub status: Status,
    /// The word: 未启动, 推进中, 持续推进, 延期, 已完成, 已取消.
    pub status_label: &'static str,
    pub text: Option<&'a str>,
    pub reporter: Option<&'a str>,
    /// Absolute addresses: another site's page, or a file published with the plan.
    pub evidence: Vec<EvidenceLink<'a>>,
}

#[derive(Serialize)]
pub struct FileData<'a> {
    /// `original` (原文), `annex` (附件) or `evidence`.
    pub role: gongkai_model::FileRole,
    pub title: &'a str,
    pub file_name: &'a str,
    /// Lower-case extension: `pdf`, `ofd`, `docx` …
    #[serde(rename = "type")]
    pub ext: &'a str,
    /// Bytes.
    pub size: u64,
    pub url: String,
}

#[derive(Serialize)]
pub struct InterpretationData<'a> {
    pub title: Option<&'a str>,
    pub issuer: Option<&'a str>,
    pub published: Option<&'a str>,
    pub url: String,
}

/// Where a plan's tasks stand.
#[derive(Serialize)]
pub struct CompletionData {
    pub total: usize,
    /// Tasks by their latest status, by code (every status, 0 when none).
    pub by_status: std::collections::BTreeMap<&'static str, usize>,
    pub unreported: usize,
    pub overdue: usize,
}

impl From<&Completion> for CompletionData {
    fn from(c: &Completion) -> Self {
        CompletionData {
            total: c.total,
            by_status: Status::ALL
                .into_iter()
                .map(|s| (s.code(), c.count(s)))
                .collect(),
            unreported: c.unreported,
            overdue: c.overdue,
        }
    }
}

#[derive(Serialize)]
pub struct TaskData<'a> {
    pub number: &'a str,
    pub label: &'a str,
    /// The task's first sentence, whole.
    pub title: &'a str,
    pub section: Option<String>,
    pub text: &'a str,
    pub lead: Vec<&'a str>,
    pub support: Vec<&'a str>,
    pub persons: Vec<&'a str>,
    pub url: String,
    /// 完成时限: `text` as written, `date` (`YYYY-MM-DD`, or null), `long_term`, `from`.
    pub due: Option<&'a Due>,
    /// The latest report's status code; null when nothing was reported.
    pub status: Option<Status>,
    /// Past its due date on the as-of day and not done.
    pub overdue: bool,
    /// Its reports, oldest first.
    pub progress: Vec<ReportData<'a>>,
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
    /// `2017` or `2016-2020`, as in URLs.
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
    /// The day overdue is judged on (`as_of` of site.yaml, else the newest report's date).
    pub as_of: Option<gongkai_model::Date>,
    /// Where its tasks stand; null when it has no progress reports.
    pub completion: Option<CompletionData>,
    /// Its 政策解读.
    pub interpretation: Option<InterpretationData<'a>>,
    /// Files published with it: the original, annexes, evidence.
    pub files: Vec<FileData<'a>>,
    /// `None` in the catalogue, where tasks are left to each plan's own file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<TaskData<'a>>>,
}

/// A task's title as data: the whole first sentence (pages shorten long ones).
fn full_title(t: &gongkai_model::Task) -> &str {
    if t.title.ends_with('…') {
        crate::body::first_sentence(t.statement())
    } else {
        &t.title
    }
}

/// The absolute URL of a file published with a plan; empty when there is no such file.
fn file_url(parts: &Parts, p: PlanId, i: usize) -> String {
    parts.site.plans[p]
        .files
        .get(i)
        .map(|a| parts.absolute(&parts.file_url(p, a)))
        .unwrap_or_default()
}

fn files_data<'a>(parts: &Parts<'a>, p: PlanId) -> Vec<FileData<'a>> {
    parts.site.plans[p]
        .files
        .iter()
        .map(|a| FileData {
            role: a.role,
            title: &a.title,
            file_name: &a.file_name,
            ext: &a.ext,
            size: a.size,
            url: parts.absolute(&parts.file_url(p, a)),
        })
        .collect()
}

fn indicators_data<'a>(parts: &Parts<'a>, plan: &'a Plan) -> Vec<IndicatorData<'a>> {
    let reg = &parts.site.reg;
    plan.indicators
        .iter()
        .map(|i| IndicatorData {
            name: &i.name,
            canonical: &reg.indicators.items[i.def].name,
            goal: Goal::of(i),
            results: plan
                .results
                .iter()
                .filter(|r| r.indicator == i.spec)
                .map(|r| ResultData {
                    outcome: Outcome::of(r),
                    met_stated: r.stated,
                })
                .collect(),
        })
        .collect()
}

/// A plan's progress report at `i` (its place among the plan's reports).
fn report_data<'a>(parts: &Parts<'a>, p: PlanId, i: usize) -> ReportData<'a> {
    let plan = &parts.site.plans[p];
    let r = &plan.progress[i];
    ReportData {
        date: r.date,
        status: r.status,
        status_label: r.status.word(),
        text: r.text.as_deref(),
        reporter: r.reporter.as_deref(),
        evidence: r
            .evidence
            .iter()
            .map(|e| match e {
                Evidence::Link { title, url } => EvidenceLink {
                    title: title.as_deref(),
                    url: url.clone(),
                },
                Evidence::File { title, file } => EvidenceLink {
                    title: title
                        .as_deref()
                        .or(plan.files.get(*file).map(|a| a.title.as_str())),
                    url: file_url(parts, p, *file),
                },
            })
            .collect(),
    }
}

fn task_data<'a>(parts: &Parts<'a>, p: PlanId, id: TaskId) -> TaskData<'a> {
    let reg = &parts.site.reg;
    let plan = &parts.site.plans[p];
    let (t, r) = (&plan.body.tasks[id], &plan.responsibility[id]);
    let state = parts.ix.track.state(p, id);
    TaskData {
        number: &t.key,
        label: &t.label,
        title: full_title(t),
        section: t.section.map(|s| {
            let s = &plan.body.sections[s];
            format!("{}{}", s.label, s.title)
        }),
        text: &t.text,
        lead: r.lead.iter().map(|&u| reg.units[u].name.as_str()).collect(),
        support: r
            .support
            .iter()
            .map(|&u| reg.units[u].name.as_str())
            .collect(),
        persons: r
            .persons
            .iter()
            .map(|&u| reg.persons[u].name.as_str())
            .collect(),
        url: parts.absolute(&parts.task_url(p, id)),
        due: plan.due[id].as_ref(),
        status: state.status,
        overdue: state.overdue,
        progress: state
            .reports
            .iter()
            .map(|&i| report_data(parts, p, i))
            .collect(),
    }
}

pub fn plan_data<'a>(parts: &Parts<'a>, p: PlanId) -> PlanData<'a> {
    let site = parts.site;
    let plan = &site.plans[p];
    let d = &site.config.districts[plan.district];
    let m = &plan.meta;
    let track = &parts.ix.track;
    PlanData {
        title: plan.title(),
        district: &d.name,
        district_slug: &d.slug,
        region: d.region.as_deref(),
        year: plan.period.start,
        end_year: plan.period.end,
        period: plan.period.to_string(),
        kind: m.kind.as_deref(),
        issuer: m.issuer.as_deref(),
        doc_number: m.doc_number.as_deref(),
        written: m.written.as_deref(),
        published: m.published.as_deref(),
        index_number: m.index_number.as_deref(),
        status: m.status.as_deref(),
        validity: m.validity.as_deref(),
        disclosure: m.disclosure.as_deref(),
        as_of: track.as_of,
        completion: track.plans[p].as_ref().map(CompletionData::from),
        interpretation: plan.interpretation.as_ref().map(|i| InterpretationData {
            title: i.meta.title.as_deref(),
            issuer: i.meta.issuer.as_deref(),
            published: i.meta.published.as_deref(),
            url: parts.absolute(&parts.interpretation_url(p)),
        }),
        files: files_data(parts, p),
        indicators: indicators_data(parts, plan),
        tasks: Some(
            plan.body
                .tasks
                .ids()
                .map(|id| task_data(parts, p, id))
                .collect(),
        ),
        url: parts.absolute(parts.plan_url(p)),
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

pub fn plans_json(parts: &Parts) -> Vec<u8> {
    let all: Vec<PlanSummary> = parts
        .site
        .plans
        .ids()
        .map(|p| {
            let mut plan = plan_data(parts, p);
            plan.tasks = None;
            PlanSummary {
                data_url: parts.absolute(&format!("{}plan.json", parts.plan_url(p))),
                task_count: parts.site.plans[p].body.tasks.len(),
                plan,
            }
        })
        .collect();
    to_json(&all)
}

pub fn plan_json(parts: &Parts, p: PlanId) -> Vec<u8> {
    to_json(&plan_data(parts, p))
}

/// Compact JSON and a final newline: these files are for programs, and the site-wide ones grow
/// with the number of plans.
fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec(v).unwrap_or_default();
    out.push(b'\n');
    out
}

#[derive(Serialize)]
struct UnitData<'a> {
    name: &'a str,
    aliases: &'a [String],
    kind: gongkai_model::UnitKind,
    /// The district's slug; none for a unit several districts share.
    district: Option<&'a str>,
    url: String,
    lead: usize,
    support: usize,
}

/// `data/units.json`: every unit with its district, kind and how many tasks it leads and
/// supports. Which tasks those are is on the unit's page and in `data/tasks.csv`.
pub fn units_json(parts: &Parts) -> Vec<u8> {
    let site = parts.site;
    let units: Vec<UnitData> = site
        .reg
        .units
        .items
        .iter_ids()
        .map(|(i, u)| {
            let (lead, support) = parts.ix.unit_counts(i);
            UnitData {
                name: &u.name,
                aliases: &u.aliases,
                kind: u.kind,
                district: match u.scope {
                    gongkai_model::Scope::District(d) => Some(&site.config.districts[d].slug),
                    gongkai_model::Scope::Shared => None,
                },
                url: parts.absolute(&parts.unit_url(i)),
                lead,
                support,
            }
        })
        .collect();
    to_json(&units)
}

const TASK_HEADER: [&str; 18] = [
    "district", "period", "plan", "plan_url", "number", "label", "title", "section", "text",
    "lead", "support", "persons", "url", "due", "due_date", "status", "overdue", "updated",
];

/// A task number as a spreadsheet keeps it: `'2.10` is the text 2.10 (the leading `'` is the
/// spreadsheet's own mark for text, and is not shown), where a bare 2.10 would become the
/// number 2.1. Programs reading the CSV strip the `'`.
fn as_text(key: &str) -> String {
    if key.starts_with(|c: char| c.is_ascii_digit()) {
        format!("'{key}")
    } else {
        csv_cell(key).into_owned()
    }
}

fn task_rows<W: std::io::Write>(
    parts: &Parts,
    p: PlanId,
    w: &mut csv::Writer<W>,
) -> csv::Result<()> {
    let d = plan_data(parts, p);
    for t in d.tasks.iter().flatten() {
        let due_date = t.due.and_then(|x| x.date).map(|d| d.to_string());
        let reported = t.progress.last().map(|r| r.date.to_string());
        let cells: [&str; 18] = [
            d.district,
            &d.period,
            d.title,
            &d.url,
            "",
            t.label,
            t.title,
            t.section.as_deref().unwrap_or(""),
            t.text,
            &t.lead.join(LIST_SEPARATOR),
            &t.support.join(LIST_SEPARATOR),
            &t.persons.join(LIST_SEPARATOR),
            &t.url,
            t.due.map_or("", |x| x.text.as_str()),
            due_date.as_deref().unwrap_or(""),
            t.status.map_or("", Status::word),
            if t.overdue { "是" } else { "" },
            reported.as_deref().unwrap_or(""),
        ];
        let mut row: Vec<String> = cells.iter().map(|c| csv_cell(c).into_owned()).collect();
        row[4] = as_text(t.number);
        w.write_record(&row)?;
    }
    Ok(())
}

/// A BOM lets spreadsheet programs on Windows read the Chinese text as UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The tasks of the given plans as CSV, written as it goes: `data/tasks.csv` of a national site
/// is large, and is never held in memory whole.
pub fn write_tasks_csv<W: std::io::Write>(
    parts: &Parts,
    plans: &[PlanId],
    mut out: W,
) -> std::io::Result<()> {
    out.write_all(BOM)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(TASK_HEADER)?;
    for &p in plans {
        task_rows(parts, p, &mut w)?;
    }
    w.flush()
}

pub fn tasks_csv(parts: &Parts, plans: &[PlanId]) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = write_tasks_csv(parts, plans, &mut out);
    out
}

pub fn indicators_csv(parts: &Parts) -> Vec<u8> {
    let mut out = BOM.to_vec();
    let mut w = csv::Writer::from_writer(&mut out);
    let _ = w.write_record([
        "district",
        "period",
        "plan",
        "plan_url",
        "name",
        "canonical",
        "target",
        "measure",
        "baseline",
        "unit",
        "direction",
        "indicator_period",
        "result_period",
        "result_value",
        "result_source",
        "result_date",
        "met",
    ]);
    for p in parts.site.plans.ids() {
        let d = plan_data(parts, p);
        for i in &d.indicators {
            let direction = i
                .goal
                .direction
                .and_then(|x| serde_json::to_value(x).ok())
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            // One row per result; an indicator without results has one row with them empty.
            let none = [None];
            let results: Vec<Option<&ResultData>> = if i.results.is_empty() {
                none.to_vec()
            } else {
                i.results.iter().map(Some).collect()
            };
            for r in results {
                let r = r.map(|r| &r.outcome);
                let met = match r.and_then(|r| r.met) {
                    Some(true) => "达到",
                    Some(false) => "未达到",
                    None => "",
                };
                let cells = [
                    d.district,
                    &d.period,
                    d.title,
                    &d.url,
                    i.name,
                    i.canonical,
                    i.goal.target,
                    i.goal.measure.unwrap_or(""),
                    i.goal.baseline.unwrap_or(""),
                    i.goal.unit.unwrap_or(""),
                    &direction,
                    i.goal.period.as_deref().unwrap_or(""),
                    r.map_or("", |r| r.period.as_str()),
                    r.map_or("", |r| r.value),
                    r.and_then(|r| r.source).unwrap_or(""),
                    r.and_then(|r| r.date).unwrap_or(""),
                    met,
                ];
                let _ = w.write_record(cells.iter().map(|c| csv_cell(c).into_owned()));
            }
        }
    }
    drop(w);
    out
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
    url: String,
    scope: ComparisonScope,
    title: Option<&'a str>,
    from: PlanRef<'a>,
    to: PlanRef<'a>,
    tasks: TaskLists<'a>,
    indicators: Vec<IndicatorChangeData<'a>>,
    units: Vec<UnitShiftData<'a>>,
    sections_only_from: Vec<String>,
    sections_only_to: Vec<String>,
}

/// Writes `data/comparisons.json` as it goes, one comparison at a time: every comparison with
/// the task numbers in each list.
pub fn write_comparisons_json<W: std::io::Write>(parts: &Parts, mut out: W) -> std::io::Result<()> {
    let site = parts.site;
    let plan_ref = |p: PlanId| {
        let plan = &site.plans[p];
        PlanRef {
            title: plan.title(),
            district: &site.config.districts[plan.district].name,
            period: plan.period.to_string(),
            url: parts.absolute(parts.plan_url(p)),
        }
    };
    out.write_all(b"{\"comparisons\":[")?;
    for (n, (i, x)) in parts.cmp.list.iter_ids().enumerate() {
        let (a, b) = (&site.plans[x.from], &site.plans[x.to]);
        let ch = &x.changes;
        let key_a = |t: TaskId| a.body.tasks[t].key.as_str();
        let key_b = |t: TaskId| b.body.tasks[t].key.as_str();
        let matches = |change: TaskChange| {
            ch.matches
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
        let section = |p: &Plan, s: gongkai_model::SectionId| {
            let s = &p.body.sections[s];
            format!("{}{}", s.label, s.title)
        };
        let item = ComparisonData {
            url: parts.absolute(&parts.comparison_url(i)),
            scope: x.scope,
            title: x.title.as_deref(),
            from: plan_ref(x.from),
            to: plan_ref(x.to),
            tasks: TaskLists {
                continued: matches(TaskChange::Continued),
                changed: matches(TaskChange::Changed),
                new: ch.new_tasks.iter().map(|&t| key_b(t)).collect(),
                dropped: ch.dropped_tasks.iter().map(|&t| key_a(t)).collect(),
            },
            indicators: ch
                .indicators
                .iter()
                .map(|i| IndicatorChangeData {
                    indicator: &site.reg.indicators.items[i.def].name,
                    slug: &site.reg.indicators.items[i.def].slug,
                    from: i.from.map(|k| a.indicators[k].target.as_str()),
                    to: i.to.map(|k| b.indicators[k].target.as_str()),
                    change: i.change,
                })
                .collect(),
            units: ch
                .units
                .iter()
                .map(|u| UnitShiftData {
                    unit: &site.reg.units[u.unit].name,
                    url: parts.absolute(&parts.unit_url(u.unit)),
                    before: [u.before.0, u.before.1],
                    after: [u.after.0, u.after.1],
                    gained: u.gained.iter().map(|&t| key_b(t)).collect(),
                    lost: u.lost.iter().map(|&t| key_a(t)).collect(),
                })
                .collect(),
            sections_only_from: ch
                .sections_only_from
                .iter()
                .map(|&s| section(a, s))
                .collect(),
            sections_only_to: ch.sections_only_to.iter().map(|&s| section(b, s)).collect(),
        };
        if n > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut out, &item)?;
    }
    out.write_all(b"]}\n")?;
    out.flush()
}

const PROGRESS_HEADER: [&str; 14] = [
    "district", "period", "plan", "plan_url", "number", "task", "lead", "date", "status", "text",
    "reporter", "evidence", "due", "url",
];

/// Every progress report of the site, plan by plan, each task's oldest first: `data/progress.csv`.
/// Evidence is its addresses, separated by [`LIST_SEPARATOR`].
pub fn write_progress_csv<W: std::io::Write>(parts: &Parts, mut out: W) -> std::io::Result<()> {
    out.write_all(BOM)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(PROGRESS_HEADER)?;
    for p in parts.site.plans.ids() {
        if parts.site.plans[p].progress.is_empty() {
            continue;
        }
        let d = plan_data(parts, p);
        for t in d.tasks.iter().flatten() {
            for r in &t.progress {
                let evidence: Vec<&str> = r.evidence.iter().map(|e| e.url.as_str()).collect();
                let cells: [&str; 14] = [
                    d.district,
                    &d.period,
                    d.title,
                    &d.url,
                    "",
                    t.title,
                    &t.lead.join(LIST_SEPARATOR),
                    &r.date.to_string(),
                    r.status_label,
                    r.text.unwrap_or(""),
                    r.reporter.unwrap_or(""),
                    &evidence.join(LIST_SEPARATOR),
                    t.due.map_or("", |x| x.text.as_str()),
                    &t.url,
                ];
                let mut row: Vec<String> = cells.iter().map(|c| csv_cell(c).into_owned()).collect();
                row[4] = as_text(t.number);
                w.write_record(&row)?;
            }
        }
    }
    w.flush()
}

pub fn progress_csv(parts: &Parts) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = write_progress_csv(parts, &mut out);
    out
}

/// The start of an Atom feed, up to its first entry: its title, id, links to the site and to
/// itself (`path`, under `base_url`), when it was last updated and by whom.
fn atom_head(
    c: &crate::config::SiteConfig,
    title: &str,
    id: &str,
    path: &str,
    updated: &str,
) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml(&c.language)
    );
    s.push_str(&format!(
        "  <title>{}</title>\n  <id>{}</id>\n",
        xml(title),
        xml(id)
    ));
    s.push_str(&format!(
        "  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}{path}\"/>\n",
        xml(&c.base_url),
        xml(&c.base_url)
    ));
    s.push_str(&format!(
        "  <updated>{}T00:00:00Z</updated>\n",
        xml(updated)
    ));
    if let Some(o) = &c.organizer {
        s.push_str(&format!("  <author><name>{}</name></author>\n", xml(o)));
    }
    s
}

/// How many reports the progress feed holds: the newest. Unlike plans, reports come every
/// month for every task; the plan's progress page has them all.
const PROGRESS_FEED_ENTRIES: usize = 100;

/// An Atom feed of the newest progress reports (`progress.xml`): each links to its task's
/// reports on the plan's progress page, dated by the report, never by the clock.
pub fn progress_atom(parts: &Parts) -> Vec<u8> {
    let site = parts.site;
    let c = &site.config;
    let feed: Vec<(PlanId, usize)> = parts
        .ix
        .track
        .feed
        .iter()
        .take(PROGRESS_FEED_ENTRIES)
        .copied()
        .collect();
    let updated = feed.first().map_or_else(
        || "1970-01-01".to_string(),
        |&(p, i)| site.plans[p].progress[i].date.to_string(),
    );
    let title = format!("{}（落实进展）", c.title);
    let id = format!("{}progress.xml", c.base_url);
    let mut s = atom_head(c, &title, &id, "progress.xml", &updated);
    for (p, i) in feed {
        let plan = &site.plans[p];
        let r = &plan.progress[i];
        let task = &plan.body.tasks[r.task];
        let url = parts.absolute(&parts.timeline_url(p, r.task));
        // Stable: the plan, the task and the report's place among the plan's reports.
        let id = format!(
            "{}#progress-{}-{i}",
            parts.absolute(parts.plan_url(p)),
            task.key
        );
        let title = format!(
            "{} 第{}项 {}：{}",
            plan.title(),
            task.key,
            task.title,
            r.status.word()
        );
        let author = r
            .reporter
            .as_deref()
            .or(plan.meta.issuer.as_deref())
            .unwrap_or(&c.districts[plan.district].name);
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{}T00:00:00Z</updated>\n    <author><name>{}</name></author>\n",
            xml(&title),
            xml(&id),
            xml(&url),
            xml(&r.date.to_string()),
            xml(author)
        ));
        let summary = r.text.as_deref().unwrap_or(r.status.word());
        s.push_str(&format!(
            "    <summary>{}</summary>\n  </entry>\n",
            xml(summary)
        ));
    }
    s.push_str("</feed>\n");
    s.into_bytes()
}

/// The date a plan carries: when it was published, else written.
fn date_of(plan: &Plan) -> Option<&str> {
    plan.meta
        .published
        .as_deref()
        .or(plan.meta.written.as_deref())
}

pub fn sitemap(parts: &Parts, pages: &[Page]) -> Vec<u8> {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        if *p == Page::NotFound {
            continue;
        }
        s.push_str(&format!(
            "  <url><loc>{}</loc>",
            xml(&parts.absolute(&parts.path(p)))
        ));
        if let Page::Plan(i) = p
            && let Some(d) = date_of(&parts.site.plans[*i])
        {
            s.push_str(&format!("<lastmod>{}</lastmod>", xml(d)));
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s.into_bytes()
}

/// An Atom feed of every plan, newest first. Dates come from front matter, never from the clock; a plan
/// without one is dated by the first day of its year, and its entry says the document gives no
/// date.
pub fn atom(parts: &Parts) -> Vec<u8> {
    let site = parts.site;
    let c = &site.config;
    let mut entries: Vec<(String, bool, PlanId)> = site
        .plans
        .iter_ids()
        .map(|(i, p)| match date_of(p) {
            Some(d) => (d.to_string(), true, i),
            None => (format!("{}-01-01", p.period.start), false, i),
        })
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    let updated = entries.first().map_or("1970-01-01", |d| d.0.as_str());
    let mut s = atom_head(c, &c.title, &c.base_url, "feed.xml", updated);
    for (date, dated, p) in &entries {
        let plan = &site.plans[*p];
        let url = parts.absolute(parts.plan_url(*p));
        let district = &c.districts[plan.district].name;
        s.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{}T00:00:00Z</updated>\n",
            xml(plan.title()),
            xml(&url),
            xml(&url),
            xml(date)
        ));
        let issuer = plan.meta.issuer.as_deref().unwrap_or(district);
        s.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            xml(issuer)
        ));
        let mut summary = format!(
            "{} {} {}",
            district,
            plan.period,
            plan.meta.doc_number.as_deref().unwrap_or("")
        )
        .trim()
        .to_string();
        if !dated {
            // The feed is the site's own text, in its language, whatever the publisher's.
            summary.push_str("（原文未注明日期，按年度排列）");
        }
        s.push_str(&format!(
            "    <summary>{}</summary>\n  </entry>\n",
            xml(&summary)
        ));
    }
    s.push_str("</feed>\n");
    s.into_bytes()
}
