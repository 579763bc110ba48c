//! Index: the cross-references between plans, districts, years, units, persons and indicators,
//! computed once so that pages and templates only look things up.

use std::collections::BTreeMap;

use crate::model::Period;
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
    /// How many tasks of each unit fall in each plan period, newest first (for its pages).
    pub unit_periods: Vec<Vec<(Period, usize)>>,
    pub person_periods: Vec<Vec<(Period, usize)>>,
    /// (plan, indicator index in the plan) for each registered indicator, oldest first.
    pub by_indicator: Vec<Vec<(usize, usize)>>,
    /// Districts of each region, by region name.
    pub regions: BTreeMap<String, Vec<usize>>,
    /// Units filed A–Z by the pinyin of their name (see [`filing_key`]), `#` last.
    pub units_by_letter: Vec<(char, Vec<usize>)>,
    /// What changed between plans; filled in by the compare stage ([`crate::compare::build`]).
    pub comparisons: crate::compare::Comparisons,
}

/// The toneless pinyin of a text, a space after each syllable, for sorting Chinese names as
/// readers expect: syllable by syllable, so 胡冬吉 (hu dong ji) comes before 花梅 (hua mei).
pub fn pinyin_key(text: &str) -> String {
    use pinyin::ToPinyin;
    let mut key = String::new();
    for (i, (c, p)) in text.chars().zip(text.to_pinyin()).enumerate() {
        if i > 0 && p.is_some() {
            key.push(' ');
        }
        // The commonest reading is wrong for these at the start of a place name (长兴, 重庆, 厦门).
        let place = match c {
            '长' => Some("chang"),
            '重' => Some("chong"),
            '厦' => Some("xia"),
            _ => None,
        };
        match (i, place, p) {
            (0, Some(r), _) => key.push_str(r),
            (_, _, Some(p)) => key.push_str(p.plain()),
            (_, _, None) => key.extend(c.to_lowercase()),
        }
    }
    key
}

/// Where a name is filed in an A–Z list: the pinyin of the name without a leading 区, 县, 市 or
/// 各 — nearly every district unit starts with 区, which would put them all under Q — so
/// 区应急局 is filed under Y as “ying ji ju”. Names with no pinyin go under `#`.
pub fn filing_key(name: &str) -> (char, String) {
    let core = name
        .strip_prefix(['区', '县', '市', '各'])
        .filter(|r| !r.is_empty())
        .unwrap_or(name);
    let key = pinyin_key(core);
    let letter = key
        .chars()
        .next()
        .filter(char::is_ascii_alphabetic)
        .map_or('#', |c| c.to_ascii_uppercase());
    (letter, key)
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
            for (k, ind) in plan.indicators.iter().enumerate() {
                ix.by_indicator[ind.def].push((p, k));
            }
        }
        // Unit and person pages show the newest plans first: walking the plans in that order
        // fills each list in order, with no sort (a national site has 400,000 task references).
        let mut newest_first: Vec<usize> = (0..site.plans.len()).collect();
        newest_first.sort_by_key(|&p| (std::cmp::Reverse(site.plans[p].period()), p));
        for p in newest_first {
            for (t, r) in site.plans[p].responsibility.iter().enumerate() {
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
                let p = site.plans[r.plan].period();
                match out.last_mut() {
                    Some((last, n)) if *last == p => *n += 1,
                    _ => out.push((p, 1)),
                }
            }
            out
        };
        ix.unit_periods = ix.by_unit.iter().map(periods).collect();
        ix.person_periods = ix.by_person.iter().map(periods).collect();

        let mut keyed: Vec<(char, String, usize)> = c
            .units
            .items
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let (letter, key) = filing_key(&u.name);
                (letter, key, i)
            })
            .collect();
        // `#` sorts after Z; ties keep a stable order by name.
        keyed.sort_by(|a, b| {
            (a.0 == '#', a.0, &a.1, &c.units.items[a.2].name).cmp(&(
                b.0 == '#',
                b.0,
                &b.1,
                &c.units.items[b.2].name,
            ))
        });
        for (letter, _, u) in keyed {
            match ix.units_by_letter.last_mut() {
                Some((l, v)) if *l == letter => v.push(u),
                _ => ix.units_by_letter.push((letter, vec![u])),
            }
        }
        ix
    }

    /// Number of tasks a unit leads and supports.
    pub fn unit_counts(&self, unit: usize) -> (usize, usize) {
        let v = &self.by_unit[unit];
        let lead = v.iter().filter(|t| t.role == Role::Lead).count();
        (lead, v.len() - lead)
    }
}

#[cfg(test)]
mod tests {
    use super::filing_key;

    #[test]
    fn units_are_filed_without_their_district_prefix() {
        assert_eq!(filing_key("区应急局"), ('Y', "ying ji ju".into()));
        assert_eq!(filing_key("各乡镇").0, 'X');
        assert_eq!(filing_key("崇明海事局").0, 'C');
        assert_eq!(filing_key("长兴企业集团").0, 'C');
        assert_eq!(filing_key("区").0, 'Q');
        assert_eq!(filing_key("110指挥中心").0, '#');
    }
}
