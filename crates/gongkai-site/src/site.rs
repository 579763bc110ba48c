//! The site as the pipeline's stages hand it on: configuration, registries and plans, checked.
//! [`crate::validate`] makes it; every later stage reads it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use gongkai_model::{
    IdVec, IndicatorDef, IndicatorId, Person, PersonId, Plan, PlanId, Registry, Unit, UnitId,
};

/// A checked site: its configuration, its registries as content completes them, and its plans
/// ordered by district (as in the config), period and file name.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Arc<SiteConfig>,
    pub reg: Arc<Registries>,
    pub plans: IdVec<PlanId, Arc<Plan>>,
    /// The comparisons `site.yaml` asks for, as (from plan, to plan, title).
    pub extra_comparisons: Vec<(PlanId, PlanId, Option<String>)>,
    /// Warnings of each plan, by file, and of the site as a whole.
    pub plan_warnings: BTreeMap<PathBuf, Vec<Diagnostic>>,
    pub site_warnings: Vec<Diagnostic>,
}

impl Site {
    /// Every warning, sorted by file and line.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .plan_warnings
            .values()
            .flatten()
            .chain(&self.site_warnings)
            .cloned()
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// The plan whose page is at `url` (`jingan/2017/aqsc/`).
    pub fn plan_by_url(&self, url: &str) -> Option<PlanId> {
        self.plans
            .iter_ids()
            .find(|(_, p)| p.url == url)
            .map(|(i, _)| i)
    }
}

/// The units, persons and indicators of a site: those of `site.yaml` and those its content adds
/// (made by `validate`, see `Registries::complete`).
#[derive(Debug, Clone)]
pub struct Registries {
    pub units: Registry<UnitId, Unit>,
    pub persons: Registry<PersonId, Person>,
    pub indicators: Registry<IndicatorId, IndicatorDef>,
}

impl PartialEq for Registries {
    fn eq(&self, other: &Registries) -> bool {
        self.units.items == other.units.items
            && self.persons.items == other.persons.items
            && self.indicators.items == other.indicators.items
    }
}
