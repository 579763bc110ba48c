//! Compare: what changed between two plans. Tasks are matched by the similarity of their text
//! ([`similarity`]) as continued, changed, new or dropped, with the changed text as an inline
//! [`diff`]; indicators are matched through the registry; units gain and lose tasks; sections
//! appear in one plan only.
//!
//! Which plans are compared is decided here too: consecutive plans of a district (annual plans
//! in one series, five-year plans in another), consecutive plans of a region across its
//! districts, and the pairs `site.yaml` names.

pub mod diff;
pub mod similarity;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::index::Index;
use crate::model::{Indicator, Plan};
use crate::validate::Site;

/// Why two plans are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Consecutive plans of one district: a year and the next, a 规划 and the next 规划.
    District,
    /// Consecutive plans of a region, across its districts.
    Region,
    /// A pair named in `site.yaml`.
    Configured,
}

impl Scope {
    pub fn label(self) -> &'static str {
        match self {
            Scope::District => "本地区前后文件",
            Scope::Region => "同一区域相邻文件",
            Scope::Configured => "指定对比",
        }
    }
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
    /// Index into the earlier plan's tasks.
    pub from: usize,
    /// Index into the later plan's tasks.
    pub to: usize,
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

impl TargetChange {
    pub fn label(self) -> &'static str {
        match self {
            TargetChange::Same => "未变",
            TargetChange::Raised => "目标值提高",
            TargetChange::Lowered => "目标值降低",
            TargetChange::Changed => "目标调整",
            TargetChange::New => "新增指标",
            TargetChange::Dropped => "不再列出",
        }
    }
}

/// One registered indicator in either plan or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorChange {
    /// Index into the indicator registry.
    pub def: usize,
    /// Index into the earlier plan's indicators.
    pub from: Option<usize>,
    pub to: Option<usize>,
    pub change: TargetChange,
}

/// A unit whose tasks differ between the two plans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitShift {
    /// Index into the unit registry.
    pub unit: usize,
    /// Tasks it leads and supports in the earlier plan.
    pub before: (usize, usize),
    pub after: (usize, usize),
    /// Tasks of the later plan it takes on: new tasks, or matched tasks it had no part in.
    pub gained: Vec<usize>,
    /// Tasks of the earlier plan it no longer has: dropped, or handed to others.
    pub lost: Vec<usize>,
}

/// What changed from one plan to another.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Index into the site's plans; the earlier plan.
    pub from: usize,
    pub to: usize,
    pub scope: Scope,
    /// A title from `site.yaml`, if the publisher gave one.
    pub title: Option<String>,
    /// The page's folder, e.g. `compare/shili-2023--shili-2024/`.
    pub url: String,
    /// Matched tasks, in the later plan's order.
    pub matches: Vec<TaskMatch>,
    /// Tasks of the later plan with no match.
    pub new_tasks: Vec<usize>,
    /// Tasks of the earlier plan with no match.
    pub dropped_tasks: Vec<usize>,
    pub indicators: Vec<IndicatorChange>,
    pub units: Vec<UnitShift>,
    /// Sections (by index) found in one plan only.
    pub sections_only_from: Vec<usize>,
    pub sections_only_to: Vec<usize>,
}

impl Comparison {
    pub fn count(&self, change: TaskChange) -> usize {
        self.matches.iter().filter(|m| m.change == change).count()
    }
}

/// A region of the config with plans to compare across its districts.
#[derive(Debug, Clone)]
pub struct Region {
    pub name: String,
    /// URL segment, from the pinyin of the name: 上海市 → `shanghaishi`.
    pub slug: String,
    /// Indices into the config's districts, config order.
    pub districts: Vec<usize>,
    /// The region's plans, oldest first.
    pub plans: Vec<usize>,
    /// The comparisons of consecutive plans, in time order.
    pub comparisons: Vec<usize>,
}

impl Region {
    pub fn url(&self) -> String {
        format!("compare/regions/{}/", self.slug)
    }
}

/// Every comparison of the site and the ways to find them.
#[derive(Debug, Default)]
pub struct Comparisons {
    pub list: Vec<Comparison>,
    /// Comparisons each plan is part of.
    pub by_plan: Vec<Vec<usize>>,
    /// District comparisons of each district, oldest first: its timeline.
    pub by_district: Vec<Vec<usize>>,
    pub regions: Vec<Region>,
    /// The region page each district belongs to, if its region has one.
    pub region_of_district: Vec<Option<usize>>,
}

/// Decides which plans to compare and compares them, in parallel.
pub fn build(site: &Site, ix: &Index) -> Comparisons {
    build_reusing(site, ix, &|_, _| None)
}

/// As [`build`], taking the comparison of two plans from `reuse` when it has one (the preview
/// keeps the comparisons of plans that did not change). `reuse` gets the two plans' indices;
/// what it returns has its plan indices, scope, title and URL set anew here.
pub fn build_reusing(
    site: &Site,
    ix: &Index,
    reuse: &(dyn Fn(usize, usize) -> Option<Comparison> + Sync),
) -> Comparisons {
    let c = &site.config;
    let mut pairs: Vec<(usize, usize, Scope, Option<String>)> = Vec::new();
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    let mut add = |pairs: &mut Vec<_>, from: usize, to: usize, scope: Scope| -> usize {
        *seen.entry((from, to)).or_insert_with(|| {
            pairs.push((from, to, scope, None));
            pairs.len() - 1
        })
    };

    let mut by_district = vec![Vec::new(); c.districts.len()];
    for (d, plans) in ix.by_district.iter().enumerate() {
        for series in series(site, plans) {
            for w in series.windows(2) {
                let i = add(&mut pairs, w[0], w[1], Scope::District);
                by_district[d].push(i);
            }
        }
    }

    let mut regions = Vec::new();
    let mut region_of_district = vec![None; c.districts.len()];
    let mut slugs = BTreeSet::new();
    for (name, districts) in &ix.regions {
        let mut plans: Vec<usize> = districts
            .iter()
            .flat_map(|&d| ix.by_district[d].iter().copied())
            .collect();
        if plans.len() < 2 {
            continue;
        }
        plans.sort_by_key(|&p| {
            let plan = &site.plans[p];
            (plan.period(), plan.district_idx, plan.id.clone())
        });
        let mut comparisons = Vec::new();
        for series in series(site, &plans) {
            for w in series.windows(2) {
                comparisons.push(add(&mut pairs, w[0], w[1], Scope::Region));
            }
        }
        let slug = unique_slug(region_slug(name), &mut slugs);
        for &d in districts {
            region_of_district[d] = Some(regions.len());
        }
        regions.push(Region {
            name: name.clone(),
            slug,
            districts: districts.clone(),
            plans,
            comparisons,
        });
    }

    for (from, to, title) in &site.extra_comparisons {
        let i = add(&mut pairs, *from, *to, Scope::Configured);
        if title.is_some() {
            pairs[i].3 = title.clone();
        }
    }

    let list: Vec<Comparison> = pairs
        .into_par_iter()
        .map(|(from, to, scope, title)| {
            let url = format!(
                "compare/{}--{}/",
                plan_ref(site, ix, from),
                plan_ref(site, ix, to)
            );
            match reuse(from, to) {
                Some(old) => Comparison {
                    from,
                    to,
                    scope,
                    title,
                    url,
                    ..old
                },
                None => compare(site, from, to, scope, title, url),
            }
        })
        .collect();
    let mut by_plan = vec![Vec::new(); site.plans.len()];
    for (i, cmp) in list.iter().enumerate() {
        by_plan[cmp.from].push(i);
        by_plan[cmp.to].push(i);
    }
    Comparisons {
        list,
        by_plan,
        by_district,
        regions,
        region_of_district,
    }
}

/// Plans split into annual plans and plans over several years, each in time order: an annual
/// 工作意见 follows the year before, a 规划 the 规划 before it.
fn series(site: &Site, plans: &[usize]) -> [Vec<usize>; 2] {
    let (annual, multi): (Vec<usize>, Vec<usize>) = plans.iter().partition(|&&p| {
        let period = site.plans[p].period();
        period.start == period.end
    });
    [annual, multi]
}

/// How a plan is named in a comparison URL: `shili-2024`, or `shili-2024-aqsc` when the district
/// has more than one plan for that period.
fn plan_ref(site: &Site, ix: &Index, p: usize) -> String {
    let plan = &site.plans[p];
    let shared = ix.by_district[plan.district_idx]
        .iter()
        .filter(|&&q| site.plans[q].period() == plan.period())
        .count()
        > 1;
    let base = format!("{}-{}", plan.district(), plan.period().slug());
    if shared {
        format!("{base}-{}", plan.id)
    } else {
        base
    }
}

/// 上海市 → `shanghaishi`: the toneless pinyin, letters and digits only.
pub fn region_slug(name: &str) -> String {
    let slug: String = crate::index::pinyin_key(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if slug.is_empty() {
        crate::config::hashed_slug("r", name)
    } else {
        slug
    }
}

fn unique_slug(slug: String, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = slug.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{slug}-{n}");
        n += 1;
    }
    candidate
}

/// Compares two plans.
pub fn compare(
    site: &Site,
    from: usize,
    to: usize,
    scope: Scope,
    title: Option<String>,
    url: String,
) -> Comparison {
    let (a, b) = (&site.plans[from], &site.plans[to]);
    let sa: Vec<&str> = a.body.tasks.iter().map(|t| t.statement()).collect();
    let sb: Vec<&str> = b.body.tasks.iter().map(|t| t.statement()).collect();
    let matches: Vec<TaskMatch> = similarity::pair_up(&sa, &sb)
        .into_iter()
        .map(|p| {
            let (ra, rb) = (&a.responsibility[p.from], &b.responsibility[p.to]);
            TaskMatch {
                from: p.from,
                to: p.to,
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
    let mut matched_from = vec![None; a.body.tasks.len()];
    let mut matched_to = vec![None; b.body.tasks.len()];
    for m in &matches {
        matched_from[m.from] = Some(m.to);
        matched_to[m.to] = Some(m.from);
    }
    let new_tasks = (0..b.body.tasks.len())
        .filter(|&t| matched_to[t].is_none())
        .collect();
    let dropped_tasks = (0..a.body.tasks.len())
        .filter(|&t| matched_from[t].is_none())
        .collect();

    let (ta, tb) = (section_titles(a), section_titles(b));
    let section_pairs = similarity::pair_up(&ta, &tb);
    let only = |n: usize, side: &dyn Fn(&similarity::Pairing) -> usize| -> Vec<usize> {
        (0..n)
            .filter(|i| !section_pairs.iter().any(|p| side(p) == *i))
            .collect()
    };

    Comparison {
        from,
        to,
        scope,
        title,
        url,
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

fn same_set(a: &[usize], b: &[usize]) -> bool {
    let sa: BTreeSet<usize> = a.iter().copied().collect();
    let sb: BTreeSet<usize> = b.iter().copied().collect();
    sa == sb
}

/// Targets above this are no quantity a plan sets (a typo, or 309 digits); they are neither
/// charted nor compared as numbers.
pub const MAX_TARGET: f64 = 1e15;

/// The first number in a target (`下降8%` → 8), for telling a raised target from a lowered one
/// and for charts. `None` when there is none, or it is beyond [`MAX_TARGET`].
pub fn target_number(target: &str) -> Option<f64> {
    let start = target.find(|c: char| c.is_ascii_digit())?;
    let rest = &target[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let v: f64 = rest[..end].trim_end_matches('.').parse().ok()?;
    (v.is_finite() && v <= MAX_TARGET).then_some(v)
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
    let pos = |p: &Plan, def: usize| p.indicators.iter().position(|i| i.def == def);
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
    matched_from: &[Option<usize>],
    matched_to: &[Option<usize>],
) -> Vec<UnitShift> {
    let involved = |p: &Plan, t: usize, u: usize| {
        let r = &p.responsibility[t];
        r.lead.contains(&u) || r.support.contains(&u)
    };
    let counts = |p: &Plan, u: usize| {
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
    let units: BTreeSet<usize> = a
        .responsibility
        .iter()
        .chain(&b.responsibility)
        .flat_map(|r| r.lead.iter().chain(&r.support).copied())
        .collect();
    let mut out: Vec<UnitShift> = units
        .into_iter()
        .map(|u| {
            let gained = (0..b.body.tasks.len())
                .filter(|&t| involved(b, t, u) && !matched_to[t].is_some_and(|f| involved(a, f, u)))
                .collect();
            let lost = (0..a.body.tasks.len())
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

/// Summary counts by region and year for a region page: which district has a plan in which year.
pub fn region_years(site: &Site, region: &Region) -> BTreeMap<u16, Vec<usize>> {
    let mut years: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
    for &p in &region.plans {
        years
            .entry(site.plans[p].period().start)
            .or_default()
            .push(p);
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_targets_are_no_numbers() {
        assert_eq!(target_number(&"9".repeat(309)), None);
        assert_eq!(target_number("1e400"), Some(1.0));
        assert_eq!(target_number("下降1000000000000000000%"), None);
    }

    #[test]
    fn target_numbers() {
        assert_eq!(target_number("8%"), Some(8.0));
        assert_eq!(target_number("下降10.5%"), Some(10.5));
        assert_eq!(target_number("控制在5起以内"), Some(5.0));
        assert_eq!(target_number("杜绝"), None);
    }

    #[test]
    fn region_slugs_are_pinyin() {
        assert_eq!(region_slug("上海市"), "shanghaishi");
        let mut taken = BTreeSet::new();
        assert_eq!(unique_slug("a".into(), &mut taken), "a");
        assert_eq!(unique_slug("a".into(), &mut taken), "a-2");
    }
}
