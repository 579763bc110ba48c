//! `indicators:`, the measures plans set targets for, under their names and aliases.

use std::path::Path;

use serde::Deserialize;

use super::CONFIG_FILE;
use super::lines::Lines;
use super::slugs::{SlugOf, slug_problem};
use crate::diagnostics::Diagnostics;
use gongkai_model::{Direction, IndicatorDef, IndicatorId, Registry};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct IndicatorEntry {
    slug: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    /// Unit of measure (起, 人, %).
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    direction: Option<Direction>,
}

/// The declared indicators.
pub(super) fn parse(
    entries: Vec<IndicatorEntry>,
    lines: Lines,
    diags: &mut Diagnostics,
) -> Registry<IndicatorId, IndicatorDef> {
    let mut indicators: Registry<IndicatorId, IndicatorDef> = Registry::default();
    for i in entries {
        if let Some(d) = slug_problem(SlugOf::Indicator, &i.slug, Path::new(CONFIG_FILE), || {
            lines.entry("slug", &i.slug, false)
        }) {
            diags.push(d);
        }
        let def = IndicatorDef {
            slug: i.slug,
            name: i.name.clone(),
            aliases: i.aliases,
            unit: i.unit,
            direction: i.direction,
        };
        if let Err(taken) = indicators.insert(def) {
            diags.push(lines.entry_err(
                "name",
                &i.name,
                gongkai_i18n::tr!("config.indicator_twice", name = taken.0),
            ));
        }
    }
    indicators
}
