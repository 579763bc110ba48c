//! Index: the cross-references between plans, districts, years, units, persons and indicators,
//! computed once so that pages and templates only look things up.

use std::collections::BTreeMap;

use crate::track::TaskRef;
use crate::validate::Site;
pub use gongkai_model::Role;
use gongkai_model::{
    DistrictId, IdVec, IndicatorId, Period, PersonId, PlanId, RegionId, Scope, UnitId,
};

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

/// 上海市 → `shanghaishi`: the toneless pinyin, letters and digits only.
pub fn region_slug(name: &str) -> String {
    let slug: String = pinyin_key(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if slug.is_empty() {
        "region".to_string()
    } else {
        slug
    }
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

#[cfg(test)]
mod tests {
    use super::filing_key;

    #[test]
    fn region_slugs_are_pinyin() {
        assert_eq!(super::region_slug("上海市"), "shanghaishi");
        assert_eq!(super::region_slug("（）"), "region");
    }

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
