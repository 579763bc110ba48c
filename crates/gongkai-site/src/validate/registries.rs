//! The registries of a site as its plans use them: the units, persons and indicators of
//! `site.yaml`, and those met in content — persons always (they need no registration), units and
//! indicators when `site.yaml` allows new ones. Built in a pass of its own over every plan's
//! names, before any plan is resolved, so the IDs do not depend on the order plans are read in:
//! a one-plan edit that names nobody new leaves them as they were.

use std::collections::BTreeSet;

use crate::config::{Indicators, SiteConfig, unique_slug};
use gongkai_model::{
    DistrictId, IndicatorDef, Person, PersonId, Plan, Registry, Scope, Unit, UnitId, UnitKind,
};
use gongkai_zh::slug::pinyin_slug;

#[derive(Debug, Clone)]
pub struct Registries {
    pub units: Registry<UnitId, Unit>,
    pub persons: Registry<PersonId, Person>,
    pub indicators: Indicators,
}

impl PartialEq for Registries {
    fn eq(&self, other: &Registries) -> bool {
        self.units.items == other.units.items
            && self.persons.items == other.persons.items
            && self.indicators.items == other.indicators.items
    }
}

impl Registries {
    /// The registries of `config` with every name the plans use that `config` allows to add.
    pub fn complete<'a>(config: &SiteConfig, plans: impl Iterator<Item = &'a Plan>) -> Registries {
        let mut units = config.units.clone();
        let mut persons = config.persons.clone();
        let mut indicators = config.indicators.clone();
        // Sorted sets, so the IDs of what content adds follow its names, not file order.
        let mut new_units: BTreeSet<(DistrictId, &str)> = BTreeSet::new();
        let mut new_persons: BTreeSet<(DistrictId, &str)> = BTreeSet::new();
        let mut new_indicators: BTreeSet<&str> = BTreeSet::new();
        for plan in plans {
            let d = plan.district;
            for t in plan.body.tasks.iter() {
                if config.allow_new_units {
                    for n in t.lead.iter().chain(&t.support) {
                        if units.find(d, &n.name).is_none() {
                            new_units.insert((d, n.name.as_str()));
                        }
                    }
                }
                for n in &t.persons {
                    if persons.find(d, &n.name).is_none() {
                        new_persons.insert((d, n.name.as_str()));
                    }
                }
            }
            if config.allow_new_indicators {
                for i in &plan.meta.indicators {
                    if indicators.find(&i.name).is_none() {
                        new_indicators.insert(i.name.as_str());
                    }
                }
            }
        }
        for (d, name) in new_units {
            let scope = Scope::District(d);
            let slug = unique_slug(
                pinyin_slug(name, &format!("unit-{}", units.items.len() + 1)),
                units
                    .items
                    .iter()
                    .filter(|u| u.scope == scope)
                    .map(|u| u.slug.as_str()),
            );
            let _ = units.insert(Unit {
                slug,
                name: name.to_string(),
                aliases: vec![],
                kind: UnitKind::guess(name),
                scope,
                declared: false,
            });
        }
        for (d, name) in new_persons {
            let scope = Scope::District(d);
            let slug = unique_slug(
                pinyin_slug(name, &format!("person-{}", persons.items.len() + 1)),
                persons
                    .items
                    .iter()
                    .filter(|p| p.scope == scope)
                    .map(|p| p.slug.as_str()),
            );
            let _ = persons.insert(Person {
                slug,
                name: name.to_string(),
                office: None,
                scope,
                declared: false,
            });
        }
        for name in new_indicators {
            let slug = unique_slug(
                pinyin_slug(name, &format!("indicator-{}", indicators.items.len() + 1)),
                indicators.items.iter().map(|i| i.slug.as_str()),
            );
            let _ = indicators.insert(IndicatorDef {
                slug,
                name: name.to_string(),
                aliases: vec![],
                unit: None,
                direction: None,
            });
        }
        Registries {
            units,
            persons,
            indicators,
        }
    }
}
