//! `persons:`, the people plans name as responsible for a task.

use std::path::Path;

use serde::Deserialize;

use super::CONFIG_FILE;
use super::districts::scope;
use super::lines::Lines;
use super::slugs::{SlugOf, new_slug, slug_problem};
use crate::diagnostics::Diagnostics;
use gongkai_model::{District, DistrictId, IdVec, Person, PersonId, Registry};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PersonEntry {
    name: String,
    #[serde(default)]
    district: Option<String>,
    #[serde(default)]
    shared: bool,
    #[serde(default)]
    slug: Option<String>,
    /// 职务, e.g. 副区长 (`title` is accepted too).
    #[serde(default, alias = "title")]
    office: Option<String>,
}

/// The declared persons, each in its scope under its name.
pub(super) fn parse(
    entries: Vec<PersonEntry>,
    districts: &IdVec<DistrictId, District>,
    lines: Lines,
    diags: &mut Diagnostics,
) -> Registry<PersonId, Person> {
    let mut persons: Registry<PersonId, Person> = Registry::default();
    for p in entries {
        let Some(scope) = scope(districts, &p.district, p.shared, &p.name, lines, diags) else {
            continue;
        };
        let slug = p
            .slug
            .clone()
            .unwrap_or_else(|| new_slug(&persons, scope, &p.name));
        if let Some(d) = slug_problem(SlugOf::Person, &slug, Path::new(CONFIG_FILE), || {
            lines.slug(&p.slug, &p.name)
        }) {
            diags.push(d);
        }
        let person = Person {
            slug,
            name: p.name.clone(),
            office: p.office,
            scope,
            declared: true,
        };
        if persons.insert(person).is_err() {
            diags.push(lines.entry_err(
                "name",
                &p.name,
                gongkai_i18n::tr!("config.person_twice", name = &p.name),
            ));
        }
    }
    persons
}
