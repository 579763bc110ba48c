//! Index: the cross-references between plans, districts, years, units, persons and indicators,
//! computed once so that pages and templates only look things up.

use std::collections::BTreeMap;

pub use crate::model::Role;
use crate::validate::Site;

/// One task of one plan, seen from an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskRef {
    pub plan: usize,
    pub task: usize,
    pub role: Role,
}

#[derive(Debug, Default)]
pub struct Index {
    /// Plans of each district (config order), oldest first.
    pub by_district: Vec<Vec<usize>>,
    /// Plans in force in each year; a five-year plan is in each of its years.
    pub by_year: BTreeMap<u16, Vec<usize>>,
    /// Tasks of each unit (registry order), newest plan first.
    pub by_unit: Vec<Vec<TaskRef>>,
    pub by_person: Vec<Vec<TaskRef>>,
    /// (plan, indicator index in the plan) for each registered indicator, oldest first.
    pub by_indicator: Vec<Vec<(usize, usize)>>,
    /// Districts of each region, by region name.
    pub regions: BTreeMap<String, Vec<usize>>,
}

impl Index {
    pub fn build(site: &Site) -> Index {
        let c = &site.config;
        let mut ix = Index {
            by_district: vec![Vec::new(); c.districts.len()],
            by_unit: vec![Vec::new(); c.units.items.len()],
            by_person: vec![Vec::new(); c.persons.items.len()],
            by_indicator: vec![Vec::new(); c.indicators.items.len()],
            ..Index::default()
        };
        for (i, d) in c.districts.iter().enumerate() {
            if let Some(r) = &d.region {
                ix.regions.entry(r.clone()).or_default().push(i);
            }
        }
        // Plans are sorted by district, period and id, so each list comes out in order.
        for (p, plan) in site.plans.iter().enumerate() {
            ix.by_district[plan.district_idx].push(p);
            for y in plan.period().years() {
                ix.by_year.entry(y).or_default().push(p);
            }
            for (t, r) in plan.responsibility.iter().enumerate() {
                for &u in &r.lead {
                    ix.by_unit[u].push(TaskRef {
                        plan: p,
                        task: t,
                        role: Role::Lead,
                    });
                }
                for &u in &r.support {
                    ix.by_unit[u].push(TaskRef {
                        plan: p,
                        task: t,
                        role: Role::Support,
                    });
                }
                for &u in &r.persons {
                    ix.by_person[u].push(TaskRef {
                        plan: p,
                        task: t,
                        role: Role::Person,
                    });
                }
            }
            for (k, ind) in plan.indicators.iter().enumerate() {
                ix.by_indicator[ind.def].push((p, k));
            }
        }
        // Index pages show the newest plans first.
        let newest_first = |v: &mut Vec<TaskRef>| {
            v.sort_by(|a, b| {
                let (pa, pb) = (&site.plans[a.plan], &site.plans[b.plan]);
                pb.period()
                    .cmp(&pa.period())
                    .then(a.plan.cmp(&b.plan))
                    .then(a.task.cmp(&b.task))
            })
        };
        ix.by_unit.iter_mut().for_each(newest_first);
        ix.by_person.iter_mut().for_each(newest_first);
        ix
    }

    /// Number of tasks a unit leads and supports.
    pub fn unit_counts(&self, unit: usize) -> (usize, usize) {
        let v = &self.by_unit[unit];
        let lead = v.iter().filter(|t| t.role == Role::Lead).count();
        (lead, v.len() - lead)
    }
}
