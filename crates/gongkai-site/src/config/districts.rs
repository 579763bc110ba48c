//! `districts:`, and the scope of each unit and person: the district it says it belongs to,
//! or shared.

use std::path::Path;

use serde::Deserialize;

use super::CONFIG_FILE;
use super::lines::Lines;
use super::slugs::{SlugOf, new_slug, slug_problem};
use crate::diagnostics::Diagnostics;
use gongkai_model::{District, DistrictId, Id, IdVec, Named, Registry, Scope};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DistrictEntry {
    slug: String,
    name: String,
    #[serde(default)]
    region: Option<String>,
}

/// The districts, in the order `site.yaml` lists them.
pub(super) fn parse(
    entries: Vec<DistrictEntry>,
    lines: Lines,
    diags: &mut Diagnostics,
) -> IdVec<DistrictId, District> {
    let mut districts: IdVec<DistrictId, District> = IdVec::new();
    for d in entries {
        if let Some(p) = slug_problem(SlugOf::District, &d.slug, Path::new(CONFIG_FILE), || {
            lines.entry("slug", &d.slug, false)
        }) {
            diags.push(p);
        }
        if districts
            .iter()
            .any(|x| x.slug == d.slug || x.name == d.name)
        {
            diags.push(lines.entry_err(
                "slug",
                &d.slug,
                gongkai_i18n::tr!("config.district_twice", name = &d.name, slug = &d.slug),
            ));
        }
        districts.push(District {
            slug: d.slug,
            name: d.name,
            region: d.region,
        });
    }
    districts
}

/// The scope of the unit or person `name` from its `district:` and `shared:`; `None` once the
/// problem with them is reported.
pub(super) fn scope(
    districts: &IdVec<DistrictId, District>,
    district: &Option<String>,
    shared: bool,
    name: &str,
    lines: Lines,
    diags: &mut Diagnostics,
) -> Option<Scope> {
    match (district, shared) {
        (Some(slug), false) => match districts.iter_ids().find(|(_, d)| &d.slug == slug) {
            Some((id, _)) => Some(Scope::District(id)),
            None => {
                let known: Vec<&str> = districts.iter().map(|d| d.slug.as_str()).collect();
                diags.push(
                    lines
                        .entry_err(
                            "district",
                            slug,
                            gongkai_i18n::tr!("config.unknown_district", slug = slug, name = name),
                        )
                        .hint(gongkai_i18n::tr!(
                            "config.known_districts",
                            list = known.join(", ")
                        )),
                );
                None
            }
        },
        (None, true) => Some(Scope::Shared),
        (Some(_), true) => {
            diags.push(
                lines
                    .entry_err(
                        "name",
                        name,
                        gongkai_i18n::tr!("config.district_and_shared", name = name),
                    )
                    .hint(gongkai_i18n::tr!("config.district_and_shared_hint")),
            );
            None
        }
        // A site of one district: everything is that district's.
        (None, false) if districts.len() == 1 => Some(Scope::District(DistrictId::new(0))),
        (None, false) => {
            diags.push(
                lines
                    .entry_err(
                        "name",
                        name,
                        gongkai_i18n::tr!("config.no_scope", name = name),
                    )
                    .hint(gongkai_i18n::tr!("config.no_scope_hint")),
            );
            None
        }
    }
}

/// An entry of `units:` or `persons:` as written: where it goes, and under which slug.
pub(super) struct Entry<'a> {
    pub name: &'a str,
    pub district: &'a Option<String>,
    pub shared: bool,
    pub slug: &'a Option<String>,
}

/// An entry's scope and slug (its own, checked, or one made from its name that `registry` has
/// not taken); `None` when its scope is wrong, which is reported.
pub(super) fn place<I: Id, T: Named>(
    entry: Entry<'_>,
    kind: SlugOf,
    registry: &Registry<I, T>,
    districts: &IdVec<DistrictId, District>,
    lines: Lines,
    diags: &mut Diagnostics,
) -> Option<(Scope, String)> {
    let scope = scope(
        districts,
        entry.district,
        entry.shared,
        entry.name,
        lines,
        diags,
    )?;
    let slug = entry
        .slug
        .clone()
        .unwrap_or_else(|| new_slug(registry, scope, entry.name));
    if let Some(d) = slug_problem(kind, &slug, Path::new(CONFIG_FILE), || {
        lines.slug(entry.slug, entry.name)
    }) {
        diags.push(d);
    }
    Some((scope, slug))
}
