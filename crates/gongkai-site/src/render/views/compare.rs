//! Comparison views: one comparison, the list of all, a region's plans side by side; and what
//! other pages show of comparisons and charts (a summary line, indicator charts).

use std::collections::BTreeMap;

use serde::Serialize;

use super::track::{ResultView, results_of};
use crate::compare::{Comparison, ComparisonScope, TargetChange, TaskChange, TaskMatch, diff};
use crate::render::chart::{self, Chart, Point, Series};
use crate::render::page::Parts;
use crate::render::view::{Link, Pager, PlanCard, TaskItem};
use gongkai_model::{ComparisonId, DistrictId, IndicatorId, Plan, PlanId, RegionId, SectionId};

/// A plan named by district, period and kind: 示例区2023年工作意见.
pub fn plan_label(parts: &Parts, p: PlanId) -> String {
    let plan = &parts.site.plans[p];
    format!(
        "{}{}年{}",
        parts.site.config.districts[plan.district].name,
        plan.period,
        plan.meta.kind.as_deref().unwrap_or("文件")
    )
}

/// What lists and links show of a comparison: its plans, title and counts.
#[derive(Serialize)]
pub struct ComparisonSummary {
    pub url: String,
    pub title: String,
    /// `series` (a plan and the one before it) or `configured` (named in `site.yaml`).
    pub scope: ComparisonScope,
    pub from_url: String,
    pub to_url: String,
    pub from_title: String,
    pub to_title: String,
    pub from_period: String,
    pub to_period: String,
    pub from_label: String,
    pub to_label: String,
    pub continued: usize,
    pub changed: usize,
    pub new: usize,
    pub dropped: usize,
    pub indicators_changed: usize,
}

impl Parts<'_> {
    /// A comparison's title: as `site.yaml` names it, else its plans' labels.
    pub fn comparison_title(&self, i: ComparisonId) -> String {
        let x = &self.cmp.list[i];
        x.title.clone().unwrap_or_else(|| {
            let (from, to) = (plan_label(self, x.from), plan_label(self, x.to));
            format!("{from}与{to}对比")
        })
    }
}

pub fn summary(parts: &Parts, i: ComparisonId) -> ComparisonSummary {
    let x = &parts.cmp.list[i];
    let ch = &x.changes;
    let (a, b) = (&parts.site.plans[x.from], &parts.site.plans[x.to]);
    let (from_label, to_label) = (plan_label(parts, x.from), plan_label(parts, x.to));
    ComparisonSummary {
        url: parts.comparison_url(i),
        title: parts.comparison_title(i),
        scope: x.scope,
        from_url: parts.plan_url(x.from).to_string(),
        to_url: parts.plan_url(x.to).to_string(),
        from_title: a.title().to_string(),
        to_title: b.title().to_string(),
        from_period: a.period.to_string(),
        to_period: b.period.to_string(),
        from_label,
        to_label,
        continued: ch.count(TaskChange::Continued),
        changed: ch.count(TaskChange::Changed),
        new: ch.new_tasks.len(),
        dropped: ch.dropped_tasks.len(),
        indicators_changed: ch
            .indicators
            .iter()
            .filter(|c| c.change != TargetChange::Same)
            .count(),
    }
}

#[derive(Serialize)]
pub struct MetaPair {
    /// The field (`title`, `district`, `period`, `kind`, `issuer`, `doc_number`, `written`,
    /// `published`, `status`, `validity`, `tasks`, `indicators`); the template labels it.
    pub key: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
    pub same: bool,
}

#[derive(Serialize)]
pub struct MatchView<'a> {
    pub from: TaskItem<'a>,
    pub to: TaskItem<'a>,
    /// How alike the two texts are, as a percentage.
    pub similarity: u32,
    /// The changed text: `same`, `deleted` and `inserted` runs.
    pub diff: Vec<diff::Edit>,
    pub lead_changed: bool,
    pub support_changed: bool,
}

#[derive(Serialize)]
pub struct IndicatorChangeView {
    pub name: String,
    pub url: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `same`, `raised`, `lowered`, `changed`, `new` or `dropped`.
    pub change: TargetChange,
}

#[derive(Serialize)]
pub struct UnitShiftView {
    pub name: String,
    pub url: String,
    pub before_lead: usize,
    pub before_support: usize,
    pub after_lead: usize,
    pub after_support: usize,
    pub gained: Vec<TaskLink>,
    pub lost: Vec<TaskLink>,
}

#[derive(Serialize)]
pub struct TaskLink {
    pub number: String,
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct ComparisonView<'a> {
    pub cmp: ComparisonSummary,
    pub meta: Vec<MetaPair>,
    pub indicators: Vec<IndicatorChangeView>,
    pub changed: Vec<MatchView<'a>>,
    pub continued: Vec<MatchView<'a>>,
    /// Matched tasks whose lead or supporting units changed.
    pub moved: Vec<MatchView<'a>>,
    pub new_tasks: Vec<TaskItem<'a>>,
    pub dropped_tasks: Vec<TaskItem<'a>>,
    pub units: Vec<UnitShiftView>,
    pub sections_only_from: Vec<Link>,
    pub sections_only_to: Vec<Link>,
    /// The district pages of both plans.
    pub districts: Vec<Link>,
    /// What became of the earlier plan's tasks, when it has progress reports.
    pub previous: Option<PreviousTasks<'a>>,
}

/// What became of the earlier plan's tasks: done (已完成), carried into the later plan
/// (延续到今年), or neither (未提及).
#[derive(Serialize)]
pub struct PreviousTasks<'a> {
    pub as_of: Option<gongkai_model::Date>,
    pub done: usize,
    pub continued: usize,
    pub not_mentioned: usize,
    pub tasks: Vec<PreviousTask<'a>>,
}

#[derive(Serialize)]
pub struct PreviousTask<'a> {
    /// The earlier plan's task, with where it stood.
    pub task: TaskItem<'a>,
    /// `done`, `continued` or `not_mentioned`.
    pub outcome: &'static str,
    /// The later plan's task it matches, when there is one.
    pub next: Option<TaskItem<'a>>,
}

/// Each task of the earlier plan: done when its last report says so; else continued when the
/// later plan has it (matched, changed or not); else not mentioned.
fn previous<'a>(parts: &Parts<'a>, i: ComparisonId) -> Option<PreviousTasks<'a>> {
    let x = &parts.cmp.list[i];
    parts.ix.track.plans[x.from].as_ref()?;
    let from = &parts.site.plans[x.from];
    let mut out = PreviousTasks {
        as_of: parts.ix.track.as_of,
        done: 0,
        continued: 0,
        not_mentioned: 0,
        tasks: Vec::new(),
    };
    for t in from.body.tasks.ids() {
        let next = x.changes.matches.iter().find(|m| m.from == t).map(|m| m.to);
        let done = parts.ix.track.state(x.from, t).status == Some(gongkai_model::Status::Done);
        let outcome = match (done, next) {
            (true, _) => {
                out.done += 1;
                "done"
            }
            (false, Some(_)) => {
                out.continued += 1;
                "continued"
            }
            (false, None) => {
                out.not_mentioned += 1;
                "not_mentioned"
            }
        };
        out.tasks.push(PreviousTask {
            task: parts.task_item(x.from, t, None),
            outcome,
            next: next.map(|n| parts.task_item(x.to, n, None)),
        });
    }
    Some(out)
}

/// The two plans' metadata side by side, the fields either has.
fn meta_pairs(parts: &Parts, a: &Plan, b: &Plan) -> Vec<MetaPair> {
    let c = &parts.site.config;
    let (ma, mb) = (&a.meta, &b.meta);
    let s = |v: Option<&str>| v.map(str::to_string);
    [
        ("title", s(Some(a.title())), s(Some(b.title()))),
        (
            "district",
            Some(c.districts[a.district].name.clone()),
            Some(c.districts[b.district].name.clone()),
        ),
        (
            "period",
            Some(a.period.to_string()),
            Some(b.period.to_string()),
        ),
        ("kind", s(ma.kind.as_deref()), s(mb.kind.as_deref())),
        ("issuer", s(ma.issuer.as_deref()), s(mb.issuer.as_deref())),
        (
            "doc_number",
            s(ma.doc_number.as_deref()),
            s(mb.doc_number.as_deref()),
        ),
        (
            "written",
            s(ma.written.as_deref()),
            s(mb.written.as_deref()),
        ),
        (
            "published",
            s(ma.published.as_deref()),
            s(mb.published.as_deref()),
        ),
        ("status", s(ma.status.as_deref()), s(mb.status.as_deref())),
        (
            "validity",
            s(ma.validity.as_deref()),
            s(mb.validity.as_deref()),
        ),
        (
            "tasks",
            Some(a.body.tasks.len().to_string()),
            Some(b.body.tasks.len().to_string()),
        ),
        (
            "indicators",
            Some(a.indicators.len().to_string()),
            Some(b.indicators.len().to_string()),
        ),
    ]
    .into_iter()
    .filter(|(_, f, t)| f.is_some() || t.is_some())
    .map(|(key, from, to)| MetaPair {
        key,
        same: from == to,
        from,
        to,
    })
    .collect()
}

/// The comparison's indicators, each with its target in both plans (and what it measures).
fn indicator_changes(parts: &Parts, x: &Comparison) -> Vec<IndicatorChangeView> {
    let (a, b) = (&parts.site.plans[x.from], &parts.site.plans[x.to]);
    let target = |p: &Plan, k: Option<usize>| {
        k.map(|k| {
            let ind = &p.indicators[k];
            match &ind.measure {
                Some(m) => format!("{}（{m}）", ind.target),
                None => ind.target.clone(),
            }
        })
    };
    x.changes
        .indicators
        .iter()
        .map(|ic| IndicatorChangeView {
            name: parts.site.reg.indicators.items[ic.def].name.clone(),
            url: parts.indicator_url(ic.def),
            from: target(a, ic.from),
            to: target(b, ic.to),
            change: ic.change,
        })
        .collect()
}

/// A matched pair of tasks, with the changed text when it changed.
fn match_view<'a>(parts: &Parts<'a>, x: &Comparison, m: &TaskMatch) -> MatchView<'a> {
    let (a, b) = (&parts.site.plans[x.from], &parts.site.plans[x.to]);
    MatchView {
        from: parts.task_item(x.from, m.from, None),
        to: parts.task_item(x.to, m.to, None),
        similarity: (m.similarity * 100.0).round() as u32,
        diff: if m.change == TaskChange::Changed {
            diff::inline(
                a.body.tasks[m.from].statement(),
                b.body.tasks[m.to].statement(),
            )
        } else {
            Vec::new()
        },
        lead_changed: m.lead_changed,
        support_changed: m.support_changed,
    }
}

/// The units whose tasks changed between the plans: how many they lead and support before and
/// after, and the tasks gained and lost.
fn unit_shifts(parts: &Parts, x: &Comparison) -> Vec<UnitShiftView> {
    let task_link = |p: PlanId, t: gongkai_model::TaskId| {
        let task = &parts.site.plans[p].body.tasks[t];
        TaskLink {
            number: task.key.clone(),
            title: task.title.clone(),
            url: parts.task_url(p, t),
        }
    };
    x.changes
        .units
        .iter()
        .map(|u| UnitShiftView {
            name: parts.site.reg.units[u.unit].name.clone(),
            url: parts.unit_url(u.unit),
            before_lead: u.before.0,
            before_support: u.before.1,
            after_lead: u.after.0,
            after_support: u.after.1,
            gained: u.gained.iter().map(|&t| task_link(x.to, t)).collect(),
            lost: u.lost.iter().map(|&t| task_link(x.from, t)).collect(),
        })
        .collect()
}

/// Sections of a plan, linked by their label and title.
fn section_links(parts: &Parts, p: PlanId, v: &[SectionId]) -> Vec<Link> {
    v.iter()
        .map(|&s| {
            let section = &parts.site.plans[p].body.sections[s];
            Link {
                name: format!("{}{}", section.label, section.title),
                url: parts.section_url(p, s),
            }
        })
        .collect()
}

pub fn comparison<'a>(parts: &Parts<'a>, i: ComparisonId) -> ComparisonView<'a> {
    let site = parts.site;
    let x = &parts.cmp.list[i];
    let ch = &x.changes;
    let (a, b) = (&site.plans[x.from], &site.plans[x.to]);
    let of = |change: TaskChange| -> Vec<MatchView> {
        ch.matches
            .iter()
            .filter(|m| m.change == change)
            .map(|m| match_view(parts, x, m))
            .collect()
    };
    let mut districts = vec![a.district];
    if b.district != a.district {
        districts.push(b.district);
    }
    ComparisonView {
        cmp: summary(parts, i),
        meta: meta_pairs(parts, a, b),
        indicators: indicator_changes(parts, x),
        changed: of(TaskChange::Changed),
        continued: of(TaskChange::Continued),
        moved: ch
            .matches
            .iter()
            .filter(|m| m.lead_changed || m.support_changed)
            .map(|m| match_view(parts, x, m))
            .collect(),
        new_tasks: ch
            .new_tasks
            .iter()
            .map(|&t| parts.task_item(x.to, t, None))
            .collect(),
        dropped_tasks: ch
            .dropped_tasks
            .iter()
            .map(|&t| parts.task_item(x.from, t, None))
            .collect(),
        units: unit_shifts(parts, x),
        sections_only_from: section_links(parts, x.from, &ch.sections_only_from),
        sections_only_to: section_links(parts, x.to, &ch.sections_only_to),
        districts: districts
            .into_iter()
            .map(|d| Link {
                name: site.config.districts[d].name.clone(),
                url: parts.district_url(d),
            })
            .collect(),
        previous: previous(parts, i),
    }
}

#[derive(Serialize)]
pub struct DistrictComparisons {
    pub district: Link,
    pub comparisons: Vec<ComparisonSummary>,
}

#[derive(Serialize)]
pub struct ComparisonsView {
    /// This page's comparisons, by district, in time order; pairs `site.yaml` names apart.
    pub districts: Vec<DistrictComparisons>,
    pub configured: Vec<ComparisonSummary>,
    pub regions: Vec<Link>,
    pub pager: Pager,
}

pub fn comparisons(parts: &Parts, page: usize) -> ComparisonsView {
    let cmp = parts.cmp;
    // Series comparisons district by district, then the configured ones: one list, paged.
    let mut all: Vec<ComparisonId> = cmp.by_district.iter().flatten().copied().collect();
    all.extend(
        cmp.list
            .iter_ids()
            .filter(|(_, x)| x.scope == ComparisonScope::Configured)
            .map(|(i, _)| i),
    );
    let mut districts: Vec<DistrictComparisons> = Vec::new();
    let mut configured = Vec::new();
    for &i in parts.chunk(&all, page) {
        let x = &cmp.list[i];
        if x.scope == ComparisonScope::Configured {
            configured.push(summary(parts, i));
            continue;
        }
        let d = parts.site.plans[x.to].district;
        let name = parts.site.config.districts[d].name.clone();
        match districts.last_mut() {
            Some(g) if g.district.name == name => g.comparisons.push(summary(parts, i)),
            _ => districts.push(DistrictComparisons {
                district: Link {
                    name,
                    url: parts.district_url(d),
                },
                comparisons: vec![summary(parts, i)],
            }),
        }
    }
    ComparisonsView {
        districts,
        configured,
        regions: parts
            .ix
            .regions
            .iter_ids()
            .map(|(r, region)| Link {
                name: region.name.clone(),
                url: parts.region_url(r),
            })
            .collect(),
        pager: parts.pager(Parts::comparisons_url(), page, all.len()),
    }
}

/// A region's plans year by year, its districts side by side: what each plan covers, never a
/// before and after, since different districts' plans are no versions of each other.
#[derive(Serialize)]
pub struct RegionView<'a> {
    pub region: Link,
    pub districts: Vec<Link>,
    pub rows: Vec<RegionRow<'a>>,
    pub indicators: IndicatorTable<'a>,
}

#[derive(Serialize)]
pub struct RegionRow<'a> {
    /// The year (or first year of a period) the plans start.
    pub year: u16,
    /// One cell per district, in the order of `districts`: its plans of that year.
    pub cells: Vec<RegionCell<'a>>,
}

/// A district's plans of one year: the first [`REGION_CELL_PLANS`], and how many more.
#[derive(Serialize)]
pub struct RegionCell<'a> {
    pub plans: Vec<RegionPlan<'a>>,
    pub more: usize,
}

/// Plans shown in one cell of a region's grid; the district page lists the rest.
pub const REGION_CELL_PLANS: usize = 5;

#[derive(Serialize)]
pub struct RegionPlan<'a> {
    pub plan: PlanCard<'a>,
    /// How many units it gives tasks to.
    pub units: usize,
}

/// How many units a plan gives tasks to.
fn unit_count(plan: &gongkai_model::Plan) -> usize {
    let mut units: Vec<_> = plan
        .responsibility
        .iter()
        .flat_map(|r| r.lead.iter().chain(&r.support))
        .collect();
    units.sort_unstable();
    units.dedup();
    units.len()
}

pub fn region<'a>(parts: &Parts<'a>, r: RegionId) -> RegionView<'a> {
    let site = parts.site;
    let region = &parts.ix.regions[r];
    let districts: Vec<DistrictId> = region
        .districts
        .iter()
        .copied()
        .filter(|&d| !parts.ix.by_district[d].is_empty())
        .collect();
    let mut years: BTreeMap<u16, Vec<PlanId>> = BTreeMap::new();
    for &d in &districts {
        for &p in &parts.ix.by_district[d] {
            years.entry(site.plans[p].period.start).or_default().push(p);
        }
    }
    let rows = years
        .iter()
        .map(|(&year, plans)| RegionRow {
            year,
            cells: districts
                .iter()
                .map(|&d| {
                    let mine: Vec<PlanId> = plans
                        .iter()
                        .copied()
                        .filter(|&p| site.plans[p].district == d)
                        .collect();
                    RegionCell {
                        more: mine.len().saturating_sub(REGION_CELL_PLANS),
                        plans: mine
                            .into_iter()
                            .take(REGION_CELL_PLANS)
                            .map(|p| RegionPlan {
                                plan: parts.card(p),
                                units: unit_count(&site.plans[p]),
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let all: Vec<PlanId> = districts
        .iter()
        .flat_map(|&d| parts.ix.by_district[d].iter().copied())
        .collect();
    RegionView {
        region: Link {
            name: region.name.clone(),
            url: parts.region_url(r),
        },
        districts: districts
            .iter()
            .map(|&d| Link {
                name: site.config.districts[d].name.clone(),
                url: parts.district_url(d),
            })
            .collect(),
        rows,
        indicators: indicator_table(parts, &all),
    }
}

/// Plans shown as columns of an indicator table, the latest.
pub const INDICATOR_COLUMNS: usize = 20;

/// Indicators over plans: one row per indicator, one column per plan that has any — the
/// latest [`INDICATOR_COLUMNS`] such plans, so a page does not grow with its district or region.
#[derive(Serialize)]
pub struct IndicatorTable<'a> {
    pub columns: Vec<IndicatorColumn>,
    pub rows: Vec<IndicatorTableRow<'a>>,
    /// Earlier plans with indicators that are not shown (each indicator's page has them all).
    pub more: usize,
}

#[derive(Serialize)]
pub struct IndicatorColumn {
    pub period: String,
    pub district: String,
    pub url: String,
    pub title: String,
}

#[derive(Serialize)]
pub struct IndicatorTableRow<'a> {
    pub name: String,
    pub url: String,
    /// One per column: the target (with what it measures), or nothing.
    pub values: Vec<Option<String>>,
    /// One per column: the plan's results for it.
    pub results: Vec<Vec<ResultView<'a>>>,
}

pub fn indicator_table<'a>(parts: &Parts<'a>, plans: &[PlanId]) -> IndicatorTable<'a> {
    let site = parts.site;
    let mut plans: Vec<PlanId> = plans
        .iter()
        .copied()
        .filter(|&p| !site.plans[p].indicators.is_empty())
        .collect();
    let more = plans.len().saturating_sub(INDICATOR_COLUMNS);
    plans.drain(..more);
    // Per indicator: each column's target, and its results.
    type Row<'r> = (Vec<Option<String>>, Vec<Vec<ResultView<'r>>>);
    let mut rows: BTreeMap<IndicatorId, Row> = BTreeMap::new();
    for (col, &p) in plans.iter().enumerate() {
        for (k, ind) in site.plans[p].indicators.iter().enumerate() {
            let row = rows.entry(ind.def).or_insert_with(|| {
                (
                    vec![None; plans.len()],
                    (0..plans.len()).map(|_| Vec::new()).collect(),
                )
            });
            let measure = ind
                .measure
                .as_deref()
                .map(|m| format!("（{m}）"))
                .unwrap_or_default();
            row.0[col] = Some(format!("{}{}", ind.target, measure));
            row.1[col] = results_of(parts, p, k);
        }
    }
    IndicatorTable {
        columns: plans
            .iter()
            .map(|&p| {
                let plan = &site.plans[p];
                IndicatorColumn {
                    period: plan.period.to_string(),
                    district: site.config.districts[plan.district].name.clone(),
                    url: parts.plan_url(p).to_string(),
                    title: plan.title().to_string(),
                }
            })
            .collect(),
        rows: rows
            .into_iter()
            .map(|(d, (values, results))| IndicatorTableRow {
                name: site.reg.indicators.items[d].name.clone(),
                url: parts.indicator_url(d),
                values,
                results,
            })
            .collect(),
        more,
    }
}

/// Numeric targets of one indicator in the given plans, a series per district and measure. A
/// target is drawn at the last year it is for; a five-year plan's targets form their own series,
/// as they measure over five years.
fn series(parts: &Parts, plans: &[PlanId], def: IndicatorId, with_district: bool) -> Vec<Series> {
    let site = parts.site;
    // Per district: each measure's targets, then what was achieved.
    let mut by_key: BTreeMap<(DistrictId, bool, String), Series> = BTreeMap::new();
    for &p in plans {
        let plan = &site.plans[p];
        for ind in plan.indicators.iter().filter(|i| i.def == def) {
            let Some(value) = crate::compare::target_number(&ind.target) else {
                continue;
            };
            let period = ind.period.unwrap_or(plan.period);
            let mut label = ind.measure.clone().unwrap_or_default();
            if period.start != period.end {
                label = if label.is_empty() {
                    "五年规划".into()
                } else {
                    format!("{label}，五年规划")
                };
            }
            let name = if with_district {
                let district = &site.config.districts[plan.district].name;
                if label.is_empty() {
                    district.clone()
                } else {
                    format!("{district}（{label}）")
                }
            } else {
                label.clone()
            };
            by_key
                .entry((plan.district, false, label))
                .or_insert_with(|| Series {
                    label: name,
                    points: Vec::new(),
                })
                .points
                .push(Point {
                    year: period.end,
                    value,
                    text: ind.target.clone(),
                });
        }
        // What was achieved, a line of its own beside the targets.
        for ind in plan.indicators.iter().filter(|i| i.def == def) {
            for r in plan.results.iter().filter(|r| r.indicator == ind.spec) {
                let Some(value) = crate::compare::target_number(&r.value) else {
                    continue;
                };
                let name = if with_district {
                    format!("{}（实际值）", site.config.districts[plan.district].name)
                } else {
                    "实际值".to_string()
                };
                by_key
                    .entry((plan.district, true, String::new()))
                    .or_insert_with(|| Series {
                        label: name,
                        points: Vec::new(),
                    })
                    .points
                    .push(Point {
                        year: r.period.end,
                        value,
                        text: r.value.clone(),
                    });
            }
        }
    }
    by_key.into_values().collect()
}

/// A district's charts: one per indicator its plans set.
pub fn district_charts(parts: &Parts, d: DistrictId) -> Vec<Chart> {
    let site = parts.site;
    let plans = &parts.ix.by_district[d];
    let mut defs: Vec<IndicatorId> = plans
        .iter()
        .flat_map(|&p| site.plans[p].indicators.iter().map(|i| i.def))
        .collect();
    defs.sort_unstable();
    defs.dedup();
    defs.into_iter()
        .filter_map(|def| {
            let mut s = series(parts, plans, def, false);
            // Targets of no particular measure are just the targets.
            for x in s.iter_mut().filter(|x| x.label.is_empty()) {
                x.label = "目标".into();
            }
            let ind = &site.reg.indicators.items[def];
            let what = if s.iter().any(|x| x.label == "实际值") {
                "历年目标与实际值"
            } else {
                "历年目标"
            };
            chart::line_chart(
                &format!("chart-{}", ind.slug),
                &format!("{}{}{what}", site.config.districts[d].name, ind.name),
                &s,
            )
        })
        .collect()
}

/// An indicator's chart on its page: a line per district (and measure), the districts with the
/// most values first.
pub fn indicator_chart(parts: &Parts, def: IndicatorId) -> Option<Chart> {
    let mut plans: Vec<PlanId> = parts.ix.by_indicator[def].iter().map(|r| r.0).collect();
    plans.sort_unstable();
    plans.dedup();
    let mut s = series(parts, &plans, def, true);
    s.sort_by_key(|x| std::cmp::Reverse(x.points.len()));
    let ind = &parts.site.reg.indicators.items[def];
    let what = if s.iter().any(|x| x.label.ends_with("（实际值）")) {
        "目标与实际值的变化"
    } else {
        "目标的变化"
    };
    chart::line_chart(
        &format!("chart-{}", ind.slug),
        &format!("{}{what}", ind.name),
        &s,
    )
}
