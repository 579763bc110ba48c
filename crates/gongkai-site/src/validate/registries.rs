//! The registries of a site as its plans use them: the units, persons and indicators of
//! `site.yaml`, and those met in content — persons always (they need no registration), units and
//! indicators when `site.yaml` allows new ones. Built in a pass of its own over every plan's
//! names, before any plan is resolved, so the IDs do not depend on the order plans are read in:
//! a one-plan edit that names nobody new leaves them as they were.

use std::collections::BTreeSet;

use crate::config::{SiteConfig, new_slug};
use crate::site::Registries;
use gongkai_model::{Id, IndicatorDef, Named, Person, Plan, Registry, Scope, Unit, UnitKind};

impl Registries {
    /// The registries of `config` with every name the plans use that `config` allows to add.
    pub fn complete<'a>(config: &SiteConfig, plans: impl Iterator<Item = &'a Plan>) -> Registries {
        let mut units = config.units.clone();
        let mut persons = config.persons.clone();
        let mut indicators = config.indicators.clone();
        // Sorted sets, so the IDs of what content adds follow its names, not file order.
        let mut new_units: BTreeSet<(Scope, &str)> = BTreeSet::new();
        let mut new_persons: BTreeSet<(Scope, &str)> = BTreeSet::new();
        let mut new_indicators: BTreeSet<(Scope, &str)> = BTreeSet::new();
        for plan in plans {
            let d = plan.district;
            for t in plan.body.tasks.iter() {
                if config.allow_new_units {
                    for n in t.lead.iter().chain(&t.support) {
                        if units.find(d, &n.name).is_none() {
                            new_units.insert((Scope::District(d), n.name.as_str()));
                        }
                    }
                }
                for n in &t.persons {
                    if persons.find(d, &n.name).is_none() {
                        new_persons.insert((Scope::District(d), n.name.as_str()));
                    }
                }
            }
            if config.allow_new_indicators {
                for i in &plan.meta.indicators {
                    if indicators.find_shared(&i.name).is_none() {
                        new_indicators.insert((Scope::Shared, i.name.as_str()));
                    }
                }
            }
        }
        add(&mut units, new_units, |slug, name, scope| Unit {
            slug,
            name: name.to_string(),
            aliases: vec![],
            kind: UnitKind::guess(name),
            scope,
            declared: false,
        });
        add(&mut persons, new_persons, |slug, name, scope| Person {
            slug,
            name: name.to_string(),
            office: None,
            scope,
            declared: false,
        });
        add(&mut indicators, new_indicators, |slug, name, _| {
            IndicatorDef {
                slug,
                name: name.to_string(),
                aliases: vec![],
                unit: None,
                direction: None,
            }
        });
        Registries {
            units,
            persons,
            indicators,
        }
    }
}

/// Adds what content names, in the order of `names`, each with a slug of its own in its scope.
fn add<I: Id, T: Named>(
    registry: &mut Registry<I, T>,
    names: BTreeSet<(Scope, &str)>,
    make: impl Fn(String, &str, Scope) -> T,
) {
    for (scope, name) in names {
        let slug = new_slug(registry, scope, name);
        let _ = registry.insert(make(slug, name, scope));
    }
}
