//! The plan page: the metadata block of a 政府信息公开 page, the contents, the text with an
//! anchor on every heading and task, the indicators, who is responsible for what, comparisons,
//! related plans and downloads.

use std::collections::BTreeMap;

use serde::Serialize;

use super::compare::{ComparisonSummary, summary};
use super::track::{ResultView, downloads, results_of};
use crate::render::page::Parts;
use crate::render::view::{CompletionView, FileView, Goal, Link, PlanCard, Segment, TaskMark};
use gongkai_model::{Block, PersonId, PlanId, Section, TableRow, TaskId, UnitId};

/// How many plans of the same district, and of other districts in the same year, a plan page
/// lists; the district and year pages list them all.
const NEARBY_SHOWN: usize = 20;

#[derive(Serialize)]
pub struct PlanView<'a> {
    pub plan: PlanCard<'a>,
    /// The metadata block, in the order portals show it: `key` names the field (the template
    /// gives the label), `value` is as written.
    pub meta: Vec<MetaRow<'a>>,
    pub issuer: Option<&'a str>,
    pub written: Option<&'a str>,
    pub language: &'a str,
    /// Where the text was taken from, in words, when it is neither a file of the site nor a web
    /// address.
    pub source: Option<&'a str>,
    /// The web address the text was taken from, when `source:` is one.
    pub source_url: Option<&'a str>,
    /// The original (原文) and annexes (附件), for download.
    pub downloads: Vec<FileView<'a>>,
    /// The plan's 政策解读, when it has one.
    pub interpretation: Option<InterpretationLink<'a>>,
    /// Where its tasks stand, when it has progress reports or due dates.
    pub tracking: Option<PlanTracking>,
    pub keywords: &'a [String],
    /// Numbered headings, for the contents.
    pub toc: Vec<&'a Section>,
    /// The covering notice and the imprint, as HTML.
    pub notice: Option<String>,
    pub imprint: Option<String>,
    /// The text, block by block.
    pub blocks: Vec<BlockView<'a>>,
    pub indicators: Vec<PlanIndicatorRow<'a>>,
    pub responsibility: Vec<ResponsibleRow>,
    /// Years the plan is in force.
    pub years: Vec<Link>,
    /// Other plans of the district, nearest in time first, and how many there are in all.
    pub same_district: Vec<PlanCard<'a>>,
    pub same_district_total: usize,
    pub same_year: Vec<PlanCard<'a>>,
    pub same_year_total: usize,
    pub comparisons: Vec<PlanComparison>,
    /// The region page of the plan's district, if there is one.
    pub region: Option<Link>,
}

/// A link to a plan's 解读.
#[derive(Serialize)]
pub struct InterpretationLink<'a> {
    pub title: &'a str,
    pub url: String,
    pub kind: Option<&'a str>,
    pub published: Option<&'a str>,
}

/// What a plan page shows of progress.
#[derive(Serialize)]
pub struct PlanTracking {
    /// The day overdue is judged on, and whether `site.yaml` set it.
    pub as_of: Option<gongkai_model::Date>,
    pub as_of_stated: bool,
    /// Where its tasks stand, when it has reports.
    pub completion: Option<CompletionView>,
    /// Its progress page, when it has reports.
    pub progress_url: Option<String>,
}

#[derive(Serialize)]
pub struct MetaRow<'a> {
    pub key: &'static str,
    pub value: &'a str,
}

/// A block of the text.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockView<'a> {
    Heading {
        level: u8,
        id: &'a str,
        label: &'a str,
        text: &'a str,
    },
    /// A numbered task: its paragraph as HTML, then its responsibility notation with the names
    /// linked.
    Task {
        id: &'a str,
        /// Number and title, naming the task among search results.
        name: String,
        html: &'a str,
        note: Option<Vec<Segment<'a>>>,
        /// Where it stands.
        mark: TaskMark<'a>,
    },
    /// An annex task list: one row per task (a group row heads several).
    TaskTable {
        header: &'a [String],
        rows: Vec<RowView<'a>>,
        /// Some row's task has a status or a due date: the table gets a column for them.
        tracked: bool,
    },
    Table {
        html: &'a str,
    },
    Html {
        html: &'a str,
    },
}

#[derive(Serialize)]
pub struct RowView<'a> {
    /// The task's anchor, when the row is a task.
    pub id: Option<&'a str>,
    pub name: Option<String>,
    /// A row that heads a group of tasks, shown across the table.
    pub group: bool,
    pub cells: Vec<Vec<Segment<'a>>>,
    /// Where the row's task stands (for a row that repeats a body task, where that task
    /// stands); none for other rows.
    pub mark: Option<TaskMark<'a>>,
    /// The body task the row repeats, linked from its number cell.
    pub repeat: Option<RepeatView>,
}

/// A link from an annex row to the body task it repeats: 见正文第N项.
#[derive(Serialize)]
pub struct RepeatView {
    /// The cell the link is shown in (the row's number).
    pub cell: usize,
    pub url: String,
    /// The task's number, as its key (`2`, `2.3`).
    pub number: String,
}

/// One of the plan's indicators, on its page (an indicator's page lists plans as
/// [`IndicatorPlanRow`](super::entity::IndicatorPlanRow)).
#[derive(Serialize)]
pub struct PlanIndicatorRow<'a> {
    pub name: &'a str,
    pub url: String,
    /// Its target, what it measures, its baseline, unit, direction and period.
    #[serde(flatten)]
    pub goal: Goal<'a>,
    /// The task that states it, on this page (`#task-3`).
    pub task_url: Option<String>,
    /// Its results by year or period.
    pub results: Vec<ResultView<'a>>,
}

/// A unit or person and the plan's tasks it leads (or is responsible for) and supports.
#[derive(Serialize)]
pub struct ResponsibleRow {
    pub name: String,
    pub url: String,
    /// `unit` or `person`.
    pub kind: &'static str,
    pub lead: Vec<TaskNumber>,
    pub support: Vec<TaskNumber>,
}

#[derive(Serialize)]
pub struct TaskNumber {
    pub number: String,
    pub label: String,
    /// `#task-3`, on this page.
    pub url: String,
}

/// A comparison the plan is part of.
#[derive(Serialize)]
pub struct PlanComparison {
    #[serde(flatten)]
    pub summary: ComparisonSummary,
    /// `previous`: compared with the plan before it; `next`: with the one after.
    pub role: &'static str,
    pub other_label: String,
}

/// The metadata block, in the order portals show it, the fields the plan has.
fn meta_rows<'a>(parts: &Parts<'a>, p: PlanId) -> Vec<MetaRow<'a>> {
    let c = &parts.site.config;
    let plan = &parts.site.plans[p];
    let m = &plan.meta;
    let topic = m.topic.as_deref().or(c.default_topic.as_deref());
    [
        ("index_number", m.index_number.as_deref()),
        ("topic", topic),
        ("issuer", m.issuer.as_deref()),
        ("written", m.written.as_deref()),
        ("title", Some(plan.title())),
        ("doc_number", m.doc_number.as_deref()),
        ("published", m.published.as_deref()),
        ("validity", m.validity.as_deref()),
        ("disclosure", m.disclosure.as_deref()),
        ("status", m.status.as_deref()),
    ]
    .into_iter()
    .filter_map(|(key, v)| v.map(|value| MetaRow { key, value }))
    .collect()
}

fn indicator_rows<'a>(parts: &Parts<'a>, p: PlanId) -> Vec<PlanIndicatorRow<'a>> {
    let plan = &parts.site.plans[p];
    plan.indicators
        .iter()
        .enumerate()
        .map(|(k, i)| PlanIndicatorRow {
            name: &i.name,
            url: parts.indicator_url(i.def),
            goal: Goal::of(i),
            task_url: i.task.map(|t| format!("#{}", plan.body.tasks[t].anchor)),
            results: results_of(parts, p, k),
        })
        .collect()
}

/// Other plans of the district, and of other districts in the plan's years: the first
/// [`NEARBY_SHOWN`] of each, and how many there are in all.
struct Nearby {
    same_district: Vec<PlanId>,
    same_district_total: usize,
    same_year: Vec<PlanId>,
    same_year_total: usize,
}

fn nearby(parts: &Parts, p: PlanId) -> Nearby {
    let site = parts.site;
    let plan = &site.plans[p];
    // Nearest in time first: a district with thousands of plans lists a few and links the rest.
    let district_plans = &parts.ix.by_district[plan.district];
    let mut same_district: Vec<PlanId> =
        district_plans.iter().copied().filter(|&x| x != p).collect();
    same_district.sort_by_key(|&x| {
        let other = site.plans[x].period;
        (
            other.start.abs_diff(plan.period.start),
            std::cmp::Reverse(other),
            x,
        )
    });
    let same_district_total = same_district.len();
    same_district.truncate(NEARBY_SHOWN);
    let mut same_year: Vec<PlanId> = plan
        .period
        .years()
        .flat_map(|y| parts.ix.by_year.get(&y).cloned().unwrap_or_default())
        .collect();
    same_year.sort_unstable();
    same_year.dedup();
    same_year.retain(|&x| site.plans[x].district != plan.district);
    let same_year_total = same_year.len();
    same_year.truncate(NEARBY_SHOWN);
    Nearby {
        same_district,
        same_district_total,
        same_year,
        same_year_total,
    }
}

/// The comparisons the plan is part of, with the other plan's label.
fn plan_comparisons(parts: &Parts, p: PlanId) -> Vec<PlanComparison> {
    parts.cmp.by_plan[p]
        .iter()
        .map(|&i| {
            let x = &parts.cmp.list[i];
            let (other, role) = if x.from == p {
                (x.to, "next")
            } else {
                (x.from, "previous")
            };
            PlanComparison {
                summary: summary(parts, i),
                role,
                other_label: super::compare::plan_label(parts, other),
            }
        })
        .collect()
}

pub fn plan<'a>(parts: &Parts<'a>, p: PlanId) -> PlanView<'a> {
    let site = parts.site;
    let plan = &site.plans[p];
    let m = &plan.meta;
    let md = |t: &Option<String>| {
        t.as_deref()
            .map(|t| comrak::markdown_to_html(t, &crate::body::comrak_options()))
    };
    let near = nearby(parts, p);
    PlanView {
        plan: parts.card(p),
        meta: meta_rows(parts, p),
        issuer: m.issuer.as_deref(),
        written: m.written.as_deref(),
        language: &site.config.language,
        source: m
            .source
            .as_deref()
            .filter(|s| !crate::load::is_source_path(s) && !gongkai_model::track::is_url(s)),
        source_url: m
            .source
            .as_deref()
            .map(str::trim)
            .filter(|s| gongkai_model::track::is_url(s)),
        downloads: downloads(parts, p),
        interpretation: plan.interpretation.as_ref().map(|i| InterpretationLink {
            title: i.meta.title.as_deref().unwrap_or_default(),
            url: parts.interpretation_url(p),
            kind: i.meta.kind.as_deref(),
            published: i.meta.published.as_deref(),
        }),
        tracking: tracking(parts, p),
        keywords: &m.keywords,
        toc: plan.body.sections.iter().collect(),
        notice: md(&m.notice),
        imprint: md(&m.imprint),
        blocks: blocks(parts, p),
        indicators: indicator_rows(parts, p),
        responsibility: responsibility(parts, p),
        years: plan
            .period
            .years()
            .map(|y| Link {
                name: y.to_string(),
                url: Parts::year_url(y),
            })
            .collect(),
        same_district: parts.cards(near.same_district),
        same_district_total: near.same_district_total,
        same_year: parts.cards(near.same_year),
        same_year_total: near.same_year_total,
        comparisons: plan_comparisons(parts, p),
        region: parts.ix.region_of[plan.district].map(|r| Link {
            name: parts.ix.regions[r].name.clone(),
            url: parts.region_url(r),
        }),
    }
}

/// The text, block by block, with the names in notations and task tables linked.
fn blocks<'a>(parts: &Parts<'a>, p: PlanId) -> Vec<BlockView<'a>> {
    let plan = &parts.site.plans[p];
    let body = &plan.body;
    body.blocks
        .iter()
        .map(|block| match block {
            Block::Heading { section } => {
                let s = &body.sections[*section];
                BlockView::Heading {
                    level: s.level,
                    id: &s.anchor,
                    label: &s.label,
                    text: &s.title,
                }
            }
            Block::Task { task, html, note } => {
                let t = &body.tasks[*task];
                BlockView::Task {
                    id: &t.anchor,
                    name: format!("{}{}", t.label, t.title),
                    html,
                    note: note.as_ref().map(|n| parts.segments(p, n)),
                    mark: parts.mark(p, *task),
                }
            }
            Block::TaskTable {
                header,
                number,
                rows,
            } => {
                let rows: Vec<RowView> = rows.iter().map(|r| row(parts, p, *number, r)).collect();
                let tracked = rows
                    .iter()
                    .filter_map(|r| r.mark.as_ref())
                    .any(|m| m.status.is_some() || m.due.is_some());
                BlockView::TaskTable {
                    header,
                    rows,
                    tracked,
                }
            }
            Block::Table(html) => BlockView::Table { html },
            Block::Html(html) => BlockView::Html { html },
        })
        .collect()
}

fn row<'a>(parts: &Parts<'a>, p: PlanId, number: usize, r: &'a TableRow) -> RowView<'a> {
    let body = &parts.site.plans[p].body;
    let tasks = &body.tasks;
    let repeat = r.repeats.and_then(|i| body.repeats.get(i));
    let group =
        r.task.is_none() && repeat.is_none() && r.cells.iter().skip(1).all(|c| c.text.is_empty());
    let cells = if group {
        r.cells
            .iter()
            .take(1)
            .map(|c| parts.segments(p, c))
            .collect()
    } else {
        r.cells.iter().map(|c| parts.segments(p, c)).collect()
    };
    RowView {
        id: r
            .task
            .map(|t| tasks[t].anchor.as_str())
            .or(repeat.map(|x| x.anchor.as_str())),
        name: r
            .task
            .map(|t| format!("{}{}", tasks[t].label, tasks[t].title)),
        group,
        cells,
        mark: r.task.or(repeat.map(|x| x.task)).map(|t| parts.mark(p, t)),
        repeat: repeat.map(|x| RepeatView {
            cell: number,
            url: format!("#{}", tasks[x.task].anchor),
            number: tasks[x.task].key.clone(),
        }),
    }
}

/// Where a plan's tasks stand: shown when it has progress reports, or due dates to watch. Each
/// task's own state is beside it in the text; the whole list is on the progress page.
fn tracking(parts: &Parts<'_>, p: PlanId) -> Option<PlanTracking> {
    let plan = &parts.site.plans[p];
    let track = &parts.ix.track;
    let reported = !plan.progress.is_empty();
    if !reported && plan.due.iter().all(Option::is_none) {
        return None;
    }
    Some(PlanTracking {
        as_of: track.as_of,
        as_of_stated: track.as_of_stated,
        completion: track.plans[p].as_ref().map(CompletionView::from),
        progress_url: reported.then(|| parts.progress_url(p)),
    })
}

/// Unit → tasks, then person → tasks; most tasks first, names breaking ties.
fn responsibility(parts: &Parts, p: PlanId) -> Vec<ResponsibleRow> {
    let site = parts.site;
    let plan = &site.plans[p];
    let mut units: BTreeMap<UnitId, (Vec<TaskId>, Vec<TaskId>)> = BTreeMap::new();
    let mut persons: BTreeMap<PersonId, Vec<TaskId>> = BTreeMap::new();
    for (t, r) in plan.responsibility.iter_ids() {
        r.lead
            .iter()
            .for_each(|&u| units.entry(u).or_default().0.push(t));
        r.support
            .iter()
            .for_each(|&u| units.entry(u).or_default().1.push(t));
        r.persons
            .iter()
            .for_each(|&u| persons.entry(u).or_default().push(t));
    }
    let numbers = |ts: &[TaskId]| {
        ts.iter()
            .map(|&t| {
                let task = &plan.body.tasks[t];
                TaskNumber {
                    number: task.key.clone(),
                    label: task.label.clone(),
                    url: format!("#{}", task.anchor),
                }
            })
            .collect::<Vec<_>>()
    };
    let mut rows: Vec<(usize, ResponsibleRow)> = units
        .iter()
        .map(|(&u, (lead, support))| {
            (
                lead.len() + support.len(),
                ResponsibleRow {
                    name: site.reg.units[u].name.clone(),
                    url: parts.unit_url(u),
                    kind: "unit",
                    lead: numbers(lead),
                    support: numbers(support),
                },
            )
        })
        .collect();
    rows.extend(persons.iter().map(|(&x, ts)| {
        (
            ts.len(),
            ResponsibleRow {
                name: site.reg.persons[x].name.clone(),
                url: parts.person_url(x),
                kind: "person",
                lead: numbers(ts),
                support: Vec::new(),
            },
        )
    }));
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.name.cmp(&b.1.name)));
    rows.into_iter().map(|(_, r)| r).collect()
}
