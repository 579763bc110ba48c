//! Index: the cross-references between plans, districts, years, units, persons and indicators,
//! computed once so that pages and templates only look things up.

use std::collections::BTreeMap;

use crate::site::Site;
use crate::track::TaskRef;
pub use gongkai_model::Role;
use gongkai_model::{
    DistrictId, IdVec, IndicatorId, Period, PersonId, PlanId, RegionId, Scope, UnitId,
};
use gongkai_zh::slug::{filing_key, pinyin_key, region_slug};

/// A region (`region:` of its districts in `site.yaml`) with a page of its own.
#[derive(Debug, Clone)]
pub struct Region {
    pub name: String,
    /// From the pinyin of the name: 上海市 → `shanghaishi`.
    pub slug: String,
    pub districts: Vec<DistrictId>,
}

impl Region {
    pub fn url(&self) -> String {
        format!("regions/{}/", self.slug)
    }
}

/// Names filed A–Z by the pinyin of each (see [`filing_key`]), `#` last.
pub type Letters<I> = Vec<(char, Vec<I>)>;

#[derive(Debug, Default)]
pub struct Index {
    /// Plans of each district, oldest first.
    pub by_district: IdVec<DistrictId, Vec<PlanId>>,
    /// Plans in force in each year; a five-year plan is in each of its years.
    pub by_year: BTreeMap<u16, Vec<PlanId>>,
    /// Tasks of each unit, newest plan first.
    pub by_unit: IdVec<UnitId, Vec<TaskRef>>,
    pub by_person: IdVec<PersonId, Vec<TaskRef>>,
    /// How many tasks of each unit fall in each plan period, newest first (for its pages).
    pub unit_periods: IdVec<UnitId, Vec<(Period, usize)>>,
    pub person_periods: IdVec<PersonId, Vec<(Period, usize)>>,
    /// (plan, indicator of the plan) for each registered indicator, oldest first.
    pub by_indicator: IdVec<IndicatorId, Vec<(PlanId, usize)>>,
    /// Regions of two or more districts, by name, whose pages set their plans side by side.
    pub regions: IdVec<RegionId, Region>,
    /// The region each district belongs to, if it has a page.
    pub region_of: IdVec<DistrictId, Option<RegionId>>,
    /// Each district's own units, A–Z; and the shared ones.
    pub units_of: IdVec<DistrictId, Letters<UnitId>>,
    pub shared_units: Letters<UnitId>,
    /// Each district's persons and the shared ones, in pinyin order.
    pub persons_of: IdVec<DistrictId, Vec<PersonId>>,
    pub shared_persons: Vec<PersonId>,
    /// Where each task stands, and completion by plan, unit and person.
    pub track: crate::track::Tracking,
}

/// Files names A–Z, `#` last; ties keep a stable order by name.
fn by_letter<I: Copy>(items: impl Iterator<Item = (I, String)>) -> Letters<I> {
    let mut keyed: Vec<(char, String, String, I)> = items
        .map(|(i, name)| {
            let (letter, key) = filing_key(&name);
            (letter, key, name, i)
        })
        .collect();
    keyed.sort_by(|a, b| (a.0 == '#', a.0, &a.1, &a.2).cmp(&(b.0 == '#', b.0, &b.1, &b.2)));
    let mut out: Letters<I> = Vec::new();
    for (letter, _, _, i) in keyed {
        match out.last_mut() {
            Some((l, v)) if *l == letter => v.push(i),
            _ => out.push((letter, vec![i])),
        }
    }
    out
}

impl Index {
    pub fn build(site: &Site) -> Index {
        let c = &site.config;
        let reg = &site.reg;
        let mut ix = Index {
            by_district: c.districts.iter().map(|_| Vec::new()).collect(),
            by_unit: reg.units.items.iter().map(|_| Vec::new()).collect(),
            by_person: reg.persons.items.iter().map(|_| Vec::new()).collect(),
            by_indicator: reg.indicators.items.iter().map(|_| Vec::new()).collect(),
            ..Index::default()
        };
        let mut regions: BTreeMap<&str, Vec<DistrictId>> = BTreeMap::new();
        for (i, d) in c.districts.iter_ids() {
            if let Some(r) = &d.region {
                regions.entry(r).or_default().push(i);
            }
        }
        ix.region_of = c.districts.iter().map(|_| None).collect();
        for (name, districts) in regions {
            if districts.len() < 2 {
                continue;
            }
            let slug = gongkai_zh::slug::unique(&region_slug(name), |s| {
                ix.regions.iter().any(|r| r.slug == s)
            });
            let id = ix.regions.push(Region {
                name: name.to_string(),
                slug,
                districts: districts.clone(),
            });
            for d in districts {
                ix.region_of[d] = Some(id);
            }
        }
        // Plans are sorted by district, period and file, so each list comes out in order.
        for (p, plan) in site.plans.iter_ids() {
            ix.by_district[plan.district].push(p);
            for y in plan.period.years() {
                ix.by_year.entry(y).or_default().push(p);
            }
            for (k, ind) in plan.indicators.iter().enumerate() {
                ix.by_indicator[ind.def].push((p, k));
            }
        }
        // Unit and person pages show the newest plans first: walking the plans in that order
        // fills each list in order, with no sort (a national site has 400,000 task references).
        let mut newest_first: Vec<PlanId> = site.plans.ids().collect();
        newest_first.sort_by_key(|&p| (std::cmp::Reverse(site.plans[p].period), p));
        for p in newest_first {
            for (t, r) in site.plans[p].responsibility.iter_ids() {
                let at = |role| TaskRef {
                    plan: p,
                    task: t,
                    role,
                };
                for &u in &r.lead {
                    ix.by_unit[u].push(at(Role::Lead));
                }
                for &u in &r.support {
                    ix.by_unit[u].push(at(Role::Support));
                }
                for &u in &r.persons {
                    ix.by_person[u].push(at(Role::Person));
                }
            }
        }
        // Counted once here: every page of a unit shows them, and a unit of a national site has
        // hundreds of pages.
        let periods = |refs: &Vec<TaskRef>| {
            let mut out: Vec<(Period, usize)> = Vec::new();
            for r in refs {
                let p = site.plans[r.plan].period;
                match out.last_mut() {
                    Some((last, n)) if *last == p => *n += 1,
                    _ => out.push((p, 1)),
                }
            }
            out
        };
        ix.unit_periods = ix.by_unit.iter().map(periods).collect();
        ix.person_periods = ix.by_person.iter().map(periods).collect();

        let units_in = |scope: Scope| {
            by_letter(
                reg.units
                    .items
                    .iter_ids()
                    .filter(|(_, u)| u.scope == scope)
                    .map(|(i, u)| (i, u.name.clone())),
            )
        };
        ix.units_of = c
            .districts
            .ids()
            .map(|d| units_in(Scope::District(d)))
            .collect();
        ix.shared_units = units_in(Scope::Shared);
        let persons_in = |scope: Scope| {
            let mut v: Vec<(String, &str, PersonId)> = reg
                .persons
                .items
                .iter_ids()
                .filter(|(_, p)| p.scope == scope)
                .map(|(i, p)| (pinyin_key(&p.name), p.name.as_str(), i))
                .collect();
            v.sort();
            v.into_iter().map(|(_, _, i)| i).collect::<Vec<_>>()
        };
        ix.persons_of = c
            .districts
            .ids()
            .map(|d| persons_in(Scope::District(d)))
            .collect();
        ix.shared_persons = persons_in(Scope::Shared);
        ix.track = crate::track::Tracking::build(site, &ix.by_unit, &ix.by_person);
        ix
    }

    /// Number of tasks a unit leads and supports.
    pub fn unit_counts(&self, unit: UnitId) -> (usize, usize) {
        let v = &self.by_unit[unit];
        let lead = v.iter().filter(|t| t.role == Role::Lead).count();
        (lead, v.len() - lead)
    }
}
