//! Pages of one thing: a district, a year, a unit, a person, an indicator; and a district's
//! units and persons.

use serde::Serialize;

use super::compare::{
    ComparisonSummary, IndicatorTable, district_charts, indicator_chart, indicator_table, summary,
};
use crate::index::Letters;
use crate::render::chart::Chart;
use crate::render::page::Parts;
use crate::render::view::{CompletionView, Link, Pager, PlanCard, PlanTasks};
use gongkai_model::{
    Direction, District, DistrictId, IndicatorDef, IndicatorId, Period, Person, PersonId, Scope,
    Unit, UnitId, UnitKind,
};

/// Comparisons listed on a district's page, the latest.
pub const TIMELINE_SHOWN: usize = 20;

#[derive(Serialize)]
pub struct DistrictView<'a> {
    pub district: &'a District,
    /// The district's first page, where its `tasks.csv` is too.
    pub url: String,
    /// This page's plans, newest first.
    pub plans: Vec<PlanCard<'a>>,
    pub pager: Pager,
    /// On the first page: each plan with the one before it in its series, in time order; the
    /// latest [`TIMELINE_SHOWN`] of them, so the page does not grow with the district.
    pub timeline: Vec<ComparisonSummary>,
    /// How many comparisons the district has in all (`timeline` may show fewer).
    pub timeline_total: usize,
    pub indicators: IndicatorTable<'a>,
    pub charts: Vec<Chart>,
    /// The region page, and the region's other districts.
    pub region: Option<Link>,
    pub neighbours: Vec<Link>,
    pub units_url: String,
}

pub fn district<'a>(parts: &Parts<'a>, d: DistrictId, page: usize) -> DistrictView<'a> {
    let site = parts.site;
    let c = &site.config;
    let newest_first: Vec<_> = parts.ix.by_district[d].iter().rev().copied().collect();
    let first = page == 1;
    let neighbours = c.districts[d]
        .region
        .as_ref()
        .map(|r| {
            c.districts
                .iter_ids()
                .filter(|(x, o)| *x != d && o.region.as_ref() == Some(r))
                .map(|(x, o)| Link {
                    name: o.name.clone(),
                    url: parts.district_url(x),
                })
                .collect()
        })
        .unwrap_or_default();
    DistrictView {
        district: &c.districts[d],
        url: parts.district_url(d),
        plans: parts.cards(parts.chunk(&newest_first, page).iter().copied()),
        pager: parts.pager(parts.district_url(d), page, newest_first.len()),
        timeline: if first {
            let all = &parts.cmp.by_district[d];
            all[all.len().saturating_sub(TIMELINE_SHOWN)..]
                .iter()
                .map(|&i| summary(parts, i))
                .collect()
        } else {
            Vec::new()
        },
        timeline_total: parts.cmp.by_district[d].len(),
        indicators: if first {
            indicator_table(parts, &parts.ix.by_district[d])
        } else {
            indicator_table(parts, &[])
        },
        charts: if first {
            district_charts(parts, d)
        } else {
            Vec::new()
        },
        region: parts.ix.region_of[d].map(|r| Link {
            name: parts.ix.regions[r].name.clone(),
            url: parts.region_url(r),
        }),
        neighbours,
        units_url: parts.units_of_url(d),
    }
}

#[derive(Serialize)]
pub struct YearView<'a> {
    pub year: u16,
    pub plans: Vec<PlanCard<'a>>,
    pub pager: Pager,
    pub prev_year: Option<Link>,
    pub next_year: Option<Link>,
}

pub fn year<'a>(parts: &Parts<'a>, y: u16, page: usize) -> YearView<'a> {
    let plans = parts
        .ix
        .by_year
        .get(&y)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let link = |y: &u16| Link {
        name: y.to_string(),
        url: Parts::year_url(*y),
    };
    YearView {
        year: y,
        plans: parts.cards(parts.chunk(plans, page).iter().copied()),
        pager: parts.pager(Parts::year_url(y), page, plans.len()),
        prev_year: parts
            .ix
            .by_year
            .range(..y)
            .next_back()
            .map(|(k, _)| link(k)),
        next_year: parts.ix.by_year.range(y + 1..).next().map(|(k, _)| link(k)),
    }
}

/// A unit in a list: its kind and how many tasks it leads and supports.
#[derive(Serialize)]
pub struct UnitRow<'a> {
    pub name: &'a str,
    pub url: String,
    pub aliases: &'a [String],
    /// `department`, `township`, `group` or `other`.
    pub kind: UnitKind,
    pub lead: usize,
    pub support: usize,
}

/// Units filed under a letter of the A–Z list.
#[derive(Serialize)]
pub struct LetterGroup<T> {
    pub letter: String,
    /// `letter-Y`, or `letter-other` for `#`.
    pub anchor: String,
    pub items: Vec<T>,
}

pub fn unit_row<'a>(parts: &Parts<'a>, u: UnitId) -> UnitRow<'a> {
    let unit = &parts.site.reg.units[u];
    let (lead, support) = parts.ix.unit_counts(u);
    UnitRow {
        name: &unit.name,
        url: parts.unit_url(u),
        aliases: &unit.aliases,
        kind: unit.kind,
        lead,
        support,
    }
}

pub fn letter_groups<'a>(
    parts: &Parts<'a>,
    letters: &Letters<UnitId>,
) -> Vec<LetterGroup<UnitRow<'a>>> {
    letters
        .iter()
        .map(|(letter, units)| LetterGroup {
            letter: letter.to_string(),
            anchor: if *letter == '#' {
                "letter-other".to_string()
            } else {
                format!("letter-{letter}")
            },
            items: units.iter().map(|&u| unit_row(parts, u)).collect(),
        })
        .collect()
}

#[derive(Serialize)]
pub struct UnitsOfView<'a> {
    pub district: Link,
    pub groups: Vec<LetterGroup<UnitRow<'a>>>,
}

pub fn units_of<'a>(parts: &Parts<'a>, d: DistrictId) -> UnitsOfView<'a> {
    UnitsOfView {
        district: Link {
            name: parts.site.config.districts[d].name.clone(),
            url: parts.district_url(d),
        },
        groups: letter_groups(parts, &parts.ix.units_of[d]),
    }
}

/// A count of tasks in one plan period.
#[derive(Serialize)]
pub struct PeriodCount {
    pub period: String,
    pub count: usize,
}

fn period_counts(v: &[(Period, usize)]) -> Vec<PeriodCount> {
    v.iter()
        .map(|(p, n)| PeriodCount {
            period: p.to_string(),
            count: *n,
        })
        .collect()
}

#[derive(Serialize)]
pub struct UnitView<'a> {
    pub unit: &'a Unit,
    /// The district it belongs to; none for a shared unit.
    pub district: Option<Link>,
    pub lead_count: usize,
    pub support_count: usize,
    /// Where the tasks it leads and supports stand, over plans with progress reports (none when
    /// no such plan gives it a task of that role).
    pub lead_completion: Option<CompletionView>,
    pub support_completion: Option<CompletionView>,
    pub by_year: Vec<PeriodCount>,
    /// This page's tasks, grouped by plan, newest first.
    pub groups: Vec<PlanTasks<'a>>,
    pub pager: Pager,
}

fn completion(c: &crate::track::Completion) -> Option<CompletionView> {
    (c.total > 0).then(|| CompletionView::from(c))
}

fn scope_link(parts: &Parts, scope: Scope) -> Option<Link> {
    match scope {
        Scope::District(d) => Some(Link {
            name: parts.site.config.districts[d].name.clone(),
            url: parts.district_url(d),
        }),
        Scope::Shared => None,
    }
}

pub fn unit<'a>(parts: &Parts<'a>, u: UnitId, page: usize) -> UnitView<'a> {
    let unit = &parts.site.reg.units[u];
    let refs = &parts.ix.by_unit[u];
    let (lead, support) = parts.ix.unit_counts(u);
    UnitView {
        unit,
        district: scope_link(parts, unit.scope),
        lead_count: lead,
        support_count: support,
        lead_completion: completion(&parts.ix.track.units[u][0]),
        support_completion: completion(&parts.ix.track.units[u][1]),
        by_year: period_counts(&parts.ix.unit_periods[u]),
        groups: parts.grouped(parts.chunk(refs, page)),
        pager: parts.pager(parts.unit_url(u), page, refs.len()),
    }
}

#[derive(Serialize)]
pub struct PersonRow<'a> {
    pub name: &'a str,
    pub office: Option<&'a str>,
    pub url: String,
    pub count: usize,
}

pub fn person_rows<'a>(parts: &Parts<'a>, list: &[PersonId]) -> Vec<PersonRow<'a>> {
    list.iter()
        .map(|&x| {
            let p = &parts.site.reg.persons[x];
            PersonRow {
                name: &p.name,
                office: p.office.as_deref(),
                url: parts.person_url(x),
                count: parts.ix.by_person[x].len(),
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct PersonsOfView<'a> {
    pub district: Link,
    pub persons: Vec<PersonRow<'a>>,
}

pub fn persons_of<'a>(parts: &Parts<'a>, d: DistrictId) -> PersonsOfView<'a> {
    PersonsOfView {
        district: Link {
            name: parts.site.config.districts[d].name.clone(),
            url: parts.district_url(d),
        },
        persons: person_rows(parts, &parts.ix.persons_of[d]),
    }
}

#[derive(Serialize)]
pub struct PersonView<'a> {
    pub person: &'a Person,
    pub district: Option<Link>,
    pub count: usize,
    /// Where the tasks they are responsible for stand, over plans with progress reports.
    pub completion: Option<CompletionView>,
    pub by_year: Vec<PeriodCount>,
    pub groups: Vec<PlanTasks<'a>>,
    pub pager: Pager,
}

pub fn person<'a>(parts: &Parts<'a>, x: PersonId, page: usize) -> PersonView<'a> {
    let person = &parts.site.reg.persons[x];
    let refs = &parts.ix.by_person[x];
    PersonView {
        person,
        district: scope_link(parts, person.scope),
        count: refs.len(),
        completion: completion(&parts.ix.track.persons[x]),
        by_year: period_counts(&parts.ix.person_periods[x]),
        groups: parts.grouped(parts.chunk(refs, page)),
        pager: parts.pager(parts.person_url(x), page, refs.len()),
    }
}

#[derive(Serialize)]
pub struct IndicatorView<'a> {
    pub indicator: &'a IndicatorDef,
    pub direction: Option<Direction>,
    pub rows: Vec<IndicatorPlanRow<'a>>,
    pub pager: Pager,
    /// On the first page: the targets over the years.
    pub chart: Option<Chart>,
}

#[derive(Serialize)]
pub struct IndicatorPlanRow<'a> {
    pub plan: PlanCard<'a>,
    pub name: &'a str,
    pub target: &'a str,
    pub measure: Option<&'a str>,
    pub baseline: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub period: Option<String>,
    pub task_url: Option<String>,
    /// Its results by year or period.
    pub results: Vec<super::track::ResultView<'a>>,
}

pub fn indicator<'a>(parts: &Parts<'a>, i: IndicatorId, page: usize) -> IndicatorView<'a> {
    let site = parts.site;
    let def = &site.reg.indicators.items[i];
    let all = &parts.ix.by_indicator[i];
    IndicatorView {
        indicator: def,
        direction: def.direction,
        rows: parts
            .chunk(all, page)
            .iter()
            .map(|&(p, k)| {
                let plan = &site.plans[p];
                let ind = &plan.indicators[k];
                IndicatorPlanRow {
                    plan: parts.card(p),
                    name: &ind.name,
                    target: &ind.target,
                    measure: ind.measure.as_deref(),
                    baseline: ind.baseline.as_deref(),
                    unit: ind.unit.as_deref(),
                    period: ind.period.map(|x| x.to_string()),
                    task_url: ind.task.map(|t| parts.task_url(p, t)),
                    results: super::track::results_of(parts, p, k),
                }
            })
            .collect(),
        pager: parts.pager(parts.indicator_url(i), page, all.len()),
        chart: if page == 1 {
            indicator_chart(parts, i)
        } else {
            None
        },
    }
}
