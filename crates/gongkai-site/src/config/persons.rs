//! `persons:`, the people plans name as responsible for a task.

use serde::Deserialize;

use super::districts::{Entry, place};
use super::lines::Lines;
use super::slugs::SlugOf;
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
        let entry = Entry {
            name: &p.name,
            district: &p.district,
            shared: p.shared,
            slug: &p.slug,
        };
        let placed = place(entry, SlugOf::Person, &persons, districts, lines, diags);
        let Some((scope, slug)) = placed else {
            continue;
        };
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
