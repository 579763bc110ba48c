//! Slugs, which are URLs: each checked like every slug, and none given twice — two entities on
//! one URL would overwrite each other's page.

use std::collections::BTreeMap;
use std::path::Path;

use super::CONFIG_FILE;
use super::lines::Lines;
use crate::diagnostics::{Diagnostic, Diagnostics};
use gongkai_model::{
    District, DistrictId, Id, IdVec, IndicatorDef, IndicatorId, Named, Person, PersonId, Registry,
    Scope, Unit, UnitId,
};

/// What a slug names, for its error message.
#[derive(Debug, Clone, Copy)]
pub enum SlugOf {
    District,
    Unit,
    Person,
    Indicator,
    /// A plan's file name (`content/<district>/<year>/<slug>.md`).
    PlanFile,
}

/// The problem with a slug of `site.yaml` or a plan's file name, if any, as a diagnostic.
/// `line` is asked only for a bad slug: finding an entry's line reads the whole file.
pub fn slug_problem(
    of: SlugOf,
    slug: &str,
    file: &Path,
    line: impl FnOnce() -> usize,
) -> Option<Diagnostic> {
    let problem = gongkai_zh::slug::check(slug).err()?;
    let what = match of {
        SlugOf::District => gongkai_i18n::tr!("slug.district"),
        SlugOf::Unit => gongkai_i18n::tr!("slug.unit"),
        SlugOf::Person => gongkai_i18n::tr!("slug.person"),
        SlugOf::Indicator => gongkai_i18n::tr!("slug.indicator"),
        SlugOf::PlanFile => gongkai_i18n::tr!("slug.plan_file"),
    };
    let message = match problem {
        gongkai_zh::slug::Problem::Reserved => {
            gongkai_i18n::tr!("slug.reserved", what = what, slug = slug)
        }
        _ => gongkai_i18n::tr!("slug.bad", what = what, slug = slug),
    };
    let hint = match problem {
        gongkai_zh::slug::Problem::Reserved => gongkai_i18n::tr!(
            "slug.reserved_hint",
            reserved = gongkai_zh::slug::RESERVED.join(", ")
        ),
        gongkai_zh::slug::Problem::TooLong => {
            gongkai_i18n::tr!("slug.too_long_hint", max = gongkai_zh::slug::MAX_LEN)
        }
        _ => gongkai_i18n::tr!("slug.bad_hint"),
    };
    Some(Diagnostic::new(file, line(), message).hint(hint))
}

/// The slug of a new entity of `registry` named `name` in `scope`: its pinyin, unique in the
/// scope.
pub fn new_slug<I: Id, T: Named>(registry: &Registry<I, T>, scope: Scope, name: &str) -> String {
    gongkai_zh::slug::from_name(name, &registry.fallback_slug(), |s| {
        registry.slug_taken(scope, s)
    })
}

/// Reports two units, two persons or two indicators on one URL. Units and persons of one
/// district share its folder; shared ones sit beside the district folders.
pub(super) fn check_urls(
    districts: &IdVec<DistrictId, District>,
    units: &Registry<UnitId, Unit>,
    persons: &Registry<PersonId, Person>,
    indicators: &Registry<IndicatorId, IndicatorDef>,
    lines: Lines,
    diags: &mut Diagnostics,
) {
    check_unique(urls(units, districts), districts, "slug.unit", lines, diags);
    check_unique(
        urls(persons, districts),
        districts,
        "slug.person",
        lines,
        diags,
    );
    // Indicators have a folder of their own, beside no district's.
    let indicators = urls(indicators, districts);
    check_unique(indicators, &IdVec::new(), "slug.indicator", lines, diags);
}

/// Each entity's place under the site's root (`jingan/qu-ying-ji-ju`), with its name.
fn urls<'a, I: Id, T: Named>(
    registry: &'a Registry<I, T>,
    districts: &IdVec<DistrictId, District>,
) -> Vec<(String, &'a str)> {
    registry
        .items
        .iter()
        .map(|x| {
            let url = match x.scope() {
                Scope::District(d) => format!("{}/{}", districts[d].slug, x.slug()),
                Scope::Shared => x.slug().to_string(),
            };
            (url, x.name())
        })
        .collect()
}

fn check_unique(
    items: Vec<(String, &str)>,
    districts: &IdVec<DistrictId, District>,
    what: &str,
    lines: Lines,
    diags: &mut Diagnostics,
) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (key, name) in items {
        // A shared entity's folder must not be a district's.
        let clash = !key.contains('/') && districts.iter().any(|d| d.slug == key);
        if let Some(other) = seen.insert(key.clone(), name) {
            diags.push(
                Diagnostic::new(
                    CONFIG_FILE,
                    lines.repeated_slug(key.rsplit('/').next().unwrap_or(&key), name),
                    gongkai_i18n::tr!(
                        "config.same_slug",
                        what = gongkai_i18n::tr!(what),
                        a = other,
                        b = name,
                        slug = &key
                    ),
                )
                .hint(gongkai_i18n::tr!("config.same_slug_hint")),
            );
        } else if clash {
            diags.push(
                Diagnostic::new(
                    CONFIG_FILE,
                    lines.repeated_slug(&key, name),
                    gongkai_i18n::tr!(
                        "config.slug_is_district",
                        what = gongkai_i18n::tr!(what),
                        name = name,
                        slug = &key
                    ),
                )
                .hint(gongkai_i18n::tr!("config.same_slug_hint")),
            );
        }
    }
}
