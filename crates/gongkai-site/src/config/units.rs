//! `units:`, the bodies plans name as leading or supporting a task.

use serde::Deserialize;

use super::districts::{Entry, place};
use super::lines::Lines;
use super::slugs::SlugOf;
use crate::diagnostics::Diagnostics;
use gongkai_model::{District, DistrictId, IdVec, Registry, Unit, UnitId, UnitKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UnitEntry {
    name: String,
    /// The district (slug) whose body it is.
    #[serde(default)]
    district: Option<String>,
    /// Named by plans of every district (a city bureau).
    #[serde(default)]
    shared: bool,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    kind: UnitKind,
}

/// The declared units, each in its scope under its name and aliases.
pub(super) fn parse(
    entries: Vec<UnitEntry>,
    districts: &IdVec<DistrictId, District>,
    lines: Lines,
    diags: &mut Diagnostics,
) -> Registry<UnitId, Unit> {
    let mut units: Registry<UnitId, Unit> = Registry::default();
    for u in entries {
        let entry = Entry {
            name: &u.name,
            district: &u.district,
            shared: u.shared,
            slug: &u.slug,
        };
        let placed = place(entry, SlugOf::Unit, &units, districts, lines, diags);
        let Some((scope, slug)) = placed else {
            continue;
        };
        let unit = Unit {
            slug,
            name: u.name.clone(),
            aliases: u.aliases,
            kind: u.kind,
            scope,
            declared: true,
        };
        if let Err(taken) = units.insert(unit) {
            diags.push(
                lines
                    .entry_err(
                        "name",
                        &u.name,
                        gongkai_i18n::tr!("config.unit_name_twice", name = taken.0),
                    )
                    .hint(gongkai_i18n::tr!("config.unit_name_twice_hint")),
            );
        }
    }
    units
}
