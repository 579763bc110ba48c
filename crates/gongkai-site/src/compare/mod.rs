//! Compare: what changed between two plans. Tasks are matched by the similarity of their text
//! ([`similarity`]) as continued, changed, new or dropped, with the changed text as an inline
//! [`diff`]; indicators are matched through the registry; units gain and lose tasks; sections
//! appear in one plan only.
//!
//! Which plans are compared is decided here too: each plan with the one before it in its series
//! — the same district, issuer and kind of plan (annual plans, five-year plans and 方案 apart) —
//! and the pairs `site.yaml` names. Plans of different districts or issuers are not versions of
//! one another, so they are never chained; a region's page sets them side by side instead.

pub mod diff;
/// How alike two texts are: one module below the body parser (which links annex rows to the
/// tasks they repeat) and the comparison alike.
pub use crate::similarity;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::index::Index;
use crate::site::Site;
pub use gongkai_model::target::{MAX_TARGET, target_number};
use gongkai_model::{
    ComparisonId, DistrictId, Id, IdVec, Indicator, IndicatorId, Plan, PlanId, SectionId, TaskId,
    UnitId,
};

/// Why two plans are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ComparisonScope {
    /// A plan and the one before it in its series.
    Series,
    /// A pair named in `site.yaml`.
    Configured,
}

/// How a task of the later plan relates to its match in the earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskChange {
    /// The same words, punctuation and spacing aside.
    Continued,
    /// Reworded, but alike enough to be the same task.
    Changed,
}

/// A task of the earlier plan matched with one of the later plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaskMatch {
    pub from: TaskId,
    pub to: TaskId,
    pub similarity: f32,
    pub change: TaskChange,
    /// The lead units (责任单位) are not the same.
    pub lead_changed: bool,
    /// The supporting units (配合单位) are not the same.
    pub support_changed: bool,
}

/// How an indicator's target moved between the two plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetChange {
    Same,
    /// The number in the target went up (下降5% → 下降8%).
    Raised,
    Lowered,
    /// Different, but not two numbers of one measure (5% → 杜绝).
    Changed,
    /// Only in the later plan.
    New,
    /// Only in the earlier plan.
    Dropped,
}

/// One registered indicator in either plan or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorChange {
    pub def: IndicatorId,
    /// The indicator's place in the earlier plan's indicators.
    pub from: Option<usize>,
    pub to: Option<usize>,
    pub change: TargetChange,
}

/// A unit whose tasks differ between the two plans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitShift {
    pub unit: UnitId,
    /// Tasks it leads and supports in the earlier plan.
    pub before: (usize, usize),
    pub after: (usize, usize),
    /// Tasks of the later plan it takes on: new tasks, or matched tasks it had no part in.
    pub gained: Vec<TaskId>,
    /// Tasks of the earlier plan it no longer has: dropped, or handed to others.
    pub lost: Vec<TaskId>,
}

/// What changed from one plan to the other: it depends on the two plans alone, so the preview
/// keeps it while neither changes.
#[derive(Debug, Clone)]
pub struct Changes {
    /// Matched tasks, in the later plan's order.
    pub matches: Vec<TaskMatch>,
    /// Tasks of the later plan with no match.
    pub new_tasks: Vec<TaskId>,
    /// Tasks of the earlier plan with no match.
    pub dropped_tasks: Vec<TaskId>,
    pub indicators: Vec<IndicatorChange>,
    pub units: Vec<UnitShift>,
    /// Sections found in one plan only.
    pub sections_only_from: Vec<SectionId>,
    pub sections_only_to: Vec<SectionId>,
}

impl Changes {
    pub fn count(&self, change: TaskChange) -> usize {
        self.matches.iter().filter(|m| m.change == change).count()
    }
}

/// Two plans compared.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The earlier plan.
    pub from: PlanId,
    pub to: PlanId,
    pub scope: ComparisonScope,
    /// A title from `site.yaml`, if the publisher gave one.
    pub title: Option<String>,
    /// The page's folder, e.g. `compare/shili-2023--shili-2024/`.
    pub url: String,
    pub changes: Arc<Changes>,
}

/// Every comparison of the site and the ways to find them.
#[derive(Debug, Default)]
pub struct Comparisons {
    pub list: IdVec<ComparisonId, Comparison>,
    /// Comparisons each plan is part of.
    pub by_plan: IdVec<PlanId, Vec<ComparisonId>>,
    /// Series comparisons of each district, oldest first: its timeline.
    pub by_district: IdVec<DistrictId, Vec<ComparisonId>>,
}

/// Decides which plans to compare and compares them, in parallel.
pub fn build(site: &Site, ix: &Index) -> Comparisons {
    build_reusing(site, ix, &|_, _| None)
}

/// What a plan's series is: its district, its issuer and the kind of plan it is.
fn series_key(plan: &Plan) -> (DistrictId, u8, String) {
    let family = if plan.period.start != plan.period.end {
        0 // five-year (and other multi-year) plans
    } else if plan
        .meta
        .kind
        .as_deref()
        .is_some_and(|k| k.contains("方案"))
    {
        1 // 实施方案: a programme, not a year's work
    } else {
        2 // the year's 工作意见, 工作要点, 工作计划 …
    };
    let issuer: String = plan
        .meta
        .issuer
        .as_deref()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    (plan.district, family, issuer)
}

/// As [`build`], taking what changed between two plans from `reuse` when it has it (the
/// preview keeps the comparisons of plans that did not change).
pub fn build_reusing(
    site: &Site,
    ix: &Index,
    reuse: &(dyn Fn(&Plan, &Plan) -> Option<Arc<Changes>> + Sync),
) -> Comparisons {
    let c = &site.config;
    let mut pairs: Vec<(PlanId, PlanId, ComparisonScope, Option<String>)> = Vec::new();
    let mut seen: HashMap<(PlanId, PlanId), usize> = HashMap::new();
    let mut add = |pairs: &mut Vec<_>, from: PlanId, to: PlanId, scope: ComparisonScope| -> usize {
        *seen.entry((from, to)).or_insert_with(|| {
            pairs.push((from, to, scope, None));
            pairs.len() - 1
        })
    };

    let mut by_district: IdVec<DistrictId, Vec<usize>> =
        c.districts.iter().map(|_| Vec::new()).collect();
    for (d, plans) in ix.by_district.iter_ids() {
        // Each district's plans are in time order; a series keeps that order.
        let mut series: BTreeMap<(DistrictId, u8, String), Vec<PlanId>> = BTreeMap::new();
        for &p in plans {
            series
                .entry(series_key(&site.plans[p]))
                .or_default()
                .push(p);
        }
        let mut steps = Vec::new();
        for list in series.values() {
            for w in list.windows(2) {
                steps.push((
                    site.plans[w[1]].period,
                    add(&mut pairs, w[0], w[1], ComparisonScope::Series),
                ));
            }
        }
        steps.sort();
        by_district[d] = steps.into_iter().map(|(_, i)| i).collect();
    }

    for (from, to, title) in &site.extra_comparisons {
        let i = add(&mut pairs, *from, *to, ComparisonScope::Configured);
        if title.is_some() {
            pairs[i].3 = title.clone();
        }
    }

    let list: IdVec<ComparisonId, Comparison> = pairs
        .into_par_iter()
        .map(|(from, to, scope, title)| {
            let url = format!(
                "compare/{}--{}/",
                plan_ref(site, ix, from),
                plan_ref(site, ix, to)
            );
            let (a, b) = (&site.plans[from], &site.plans[to]);
            let changes = reuse(a, b).unwrap_or_else(|| Arc::new(compare(a, b)));
            Comparison {
                from,
                to,
                scope,
                title,
                url,
                changes,
            }
        })
        .collect::<Vec<_>>()
        .into();
    let mut by_plan: IdVec<PlanId, Vec<ComparisonId>> =
        site.plans.iter().map(|_| Vec::new()).collect();
    for (i, cmp) in list.iter_ids() {
        by_plan[cmp.from].push(i);
        by_plan[cmp.to].push(i);
    }
    Comparisons {
        list,
        by_plan,
        by_district: by_district
            .into_vec()
            .into_iter()
            .map(|v| v.into_iter().map(ComparisonId::new).collect())
            .collect(),
    }
}

/// How a plan is named in a comparison URL: `shili-2024`, or `shili-2024-aqsc` when the district
/// has more than one plan for that period.
fn plan_ref(site: &Site, ix: &Index, p: PlanId) -> String {
    let plan = &site.plans[p];
    let shared = ix.by_district[plan.district]
        .iter()
        .filter(|&&q| site.plans[q].period == plan.period)
        .count()
        > 1;
    let base = format!(
        "{}-{}",
        site.config.districts[plan.district].slug,
        plan.period.slug()
    );
    if shared {
        format!("{base}-{}", plan.slug)
    } else {
        base
    }
}

/// Compares two plans.
pub fn compare(a: &Plan, b: &Plan) -> Changes {
    let sa: Vec<&str> = a.body.tasks.iter().map(|t| t.statement()).collect();
    let sb: Vec<&str> = b.body.tasks.iter().map(|t| t.statement()).collect();
    let matches: Vec<TaskMatch> = similarity::pair_up(&sa, &sb)
        .into_iter()
        .map(|p| {
            let (from, to) = (TaskId::new(p.from), TaskId::new(p.to));
            let (ra, rb) = (&a.responsibility[from], &b.responsibility[to]);
            TaskMatch {
                from,
                to,
                similarity: p.similarity,
                change: if p.identical {
                    TaskChange::Continued
                } else {
                    TaskChange::Changed
                },
                lead_changed: !same_set(&ra.lead, &rb.lead),
                support_changed: !same_set(&ra.support, &rb.support),
            }
        })
        .collect();
    let mut matched_from: IdVec<TaskId, Option<TaskId>> =
        a.body.tasks.iter().map(|_| None).collect();
    let mut matched_to: IdVec<TaskId, Option<TaskId>> = b.body.tasks.iter().map(|_| None).collect();
    for m in &matches {
        matched_from[m.from] = Some(m.to);
        matched_to[m.to] = Some(m.from);
    }
    let new_tasks = matched_to
        .iter_ids()
        .filter(|(_, m)| m.is_none())
        .map(|(t, _)| t)
        .collect();
    let dropped_tasks = matched_from
        .iter_ids()
        .filter(|(_, m)| m.is_none())
        .map(|(t, _)| t)
        .collect();

    let (ta, tb) = (section_titles(a), section_titles(b));
    let section_pairs = similarity::pair_up(&ta, &tb);
    let only = |n: usize, side: &dyn Fn(&similarity::Pairing) -> usize| -> Vec<SectionId> {
        (0..n)
            .filter(|i| !section_pairs.iter().any(|p| side(p) == *i))
            .map(SectionId::new)
            .collect()
    };

    Changes {
        indicators: indicator_changes(a, b),
        units: unit_shifts(a, b, &matched_from, &matched_to),
        sections_only_from: only(ta.len(), &|p| p.from),
        sections_only_to: only(tb.len(), &|p| p.to),
        matches,
        new_tasks,
        dropped_tasks,
    }
}

fn section_titles(p: &Plan) -> Vec<&str> {
    p.body
        .sections
        .iter()
        .map(|s| {
            if s.title.is_empty() {
                s.label.as_str()
            } else {
                s.title.as_str()
            }
        })
        .collect()
}

fn same_set(a: &[UnitId], b: &[UnitId]) -> bool {
    let sa: BTreeSet<UnitId> = a.iter().copied().collect();
    let sb: BTreeSet<UnitId> = b.iter().copied().collect();
    sa == sb
}

fn target_change(a: &Indicator, b: &Indicator) -> TargetChange {
    if a.target == b.target && a.measure == b.measure {
        return TargetChange::Same;
    }
    match (target_number(&a.target), target_number(&b.target)) {
        (Some(x), Some(y)) if a.measure == b.measure && x < y => TargetChange::Raised,
        (Some(x), Some(y)) if a.measure == b.measure && x > y => TargetChange::Lowered,
        _ => TargetChange::Changed,
    }
}

/// Indicators of the later plan in its order, then those only the earlier plan had.
fn indicator_changes(a: &Plan, b: &Plan) -> Vec<IndicatorChange> {
    let pos = |p: &Plan, def: IndicatorId| p.indicators.iter().position(|i| i.def == def);
    let mut out: Vec<IndicatorChange> = b
        .indicators
        .iter()
        .enumerate()
        .map(|(k, ind)| {
            let from = pos(a, ind.def);
            IndicatorChange {
                def: ind.def,
                from,
                to: Some(k),
                change: from.map_or(TargetChange::New, |f| target_change(&a.indicators[f], ind)),
            }
        })
        .collect();
    for (k, ind) in a.indicators.iter().enumerate() {
        if pos(b, ind.def).is_none() {
            out.push(IndicatorChange {
                def: ind.def,
                from: Some(k),
                to: None,
                change: TargetChange::Dropped,
            });
        }
    }
    out
}

/// Units whose tasks differ: for each, the tasks it leads and supports before and after, and
/// which tasks it took on or gave up. Most changed first.
fn unit_shifts(
    a: &Plan,
    b: &Plan,
    matched_from: &IdVec<TaskId, Option<TaskId>>,
    matched_to: &IdVec<TaskId, Option<TaskId>>,
) -> Vec<UnitShift> {
    let involved = |p: &Plan, t: TaskId, u: UnitId| {
        let r = &p.responsibility[t];
        r.lead.contains(&u) || r.support.contains(&u)
    };
    let counts = |p: &Plan, u: UnitId| {
        let lead = p
            .responsibility
            .iter()
            .filter(|r| r.lead.contains(&u))
            .count();
        let support = p
            .responsibility
            .iter()
            .filter(|r| r.support.contains(&u))
            .count();
        (lead, support)
    };
    let units: BTreeSet<UnitId> = a
        .responsibility
        .iter()
        .chain(b.responsibility.iter())
        .flat_map(|r| r.lead.iter().chain(&r.support).copied())
        .collect();
    let mut out: Vec<UnitShift> = units
        .into_iter()
        .map(|u| {
            let gained = b
                .responsibility
                .ids()
                .filter(|&t| involved(b, t, u) && !matched_to[t].is_some_and(|f| involved(a, f, u)))
                .collect();
            let lost = a
                .responsibility
                .ids()
                .filter(|&t| {
                    involved(a, t, u) && !matched_from[t].is_some_and(|n| involved(b, n, u))
                })
                .collect();
            UnitShift {
                unit: u,
                before: counts(a, u),
                after: counts(b, u),
                gained,
                lost,
            }
        })
        .filter(|s| !s.gained.is_empty() || !s.lost.is_empty())
        .collect();
    out.sort_by_key(|s| std::cmp::Reverse(s.gained.len() + s.lost.len()));
    out
}
