//! Validate: every loaded plan checked against the path it lives at and the site registries,
//! front-matter overrides applied, and unit, person and indicator names resolved. Every problem
//! is reported with file, line and a hint; nothing stops at the first. What is published but
//! looks wrong or incomplete is a warning.
//!
//! In three passes: each plan alone ([`plan::prepare`]); the registries over every plan's names
//! ([`Registries::complete`]); each plan's names resolved ([`plan::resolve`]); then what spans
//! plans (links between them, the comparisons `site.yaml` names, site-wide warnings).
//! [`site`] runs them over a whole site; [`update`] over the plans an edit changed, keeping the
//! rest, for the preview — and ends in the same site a clean run would.

mod plan;
mod registries;
pub mod track;
pub mod warnings;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

pub use crate::site::Registries;
pub use crate::site::Site;
pub use plan::{DISCLOSURE, PAGE_ANCHORS, VALIDITY, is_date};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, closest};
use gongkai_model::{IdVec, LoadedPlan, Plan, PlanId};

/// A plan file the preview saw change: its new version, or `None` when it was removed.
pub type PlanEdit = (PathBuf, Option<LoadedPlan>);

/// What can be checked of the plans when `site.yaml` itself is broken (so that a run still
/// reports every problem it can): their file names.
pub fn without_config(loaded: &[LoadedPlan]) -> Diagnostics {
    Diagnostics(loaded.iter().filter_map(plan::file_name_problem).collect())
}

/// Validates a whole site.
pub fn site(config: SiteConfig, loaded: Vec<LoadedPlan>) -> Result<Site, Diagnostics> {
    let config = Arc::new(config);
    let (prepared, mut diags) = prepare_all(&config, loaded);
    let reg = Arc::new(Registries::complete(
        &config,
        prepared.iter().map(|(p, _)| p),
    ));
    let plans = resolve_all(prepared, &reg, &mut diags);
    finish(config, reg, plans, diags)
}

/// Validates the plans an edit changed and puts them with the others, as [`site`] would have
/// validated the whole site after the edit. The other plans are kept; they are resolved again
/// only when the edit changed the registries (a person or unit named for the first or the last
/// time).
pub fn update(old: &Site, changes: Vec<PlanEdit>) -> Result<Site, Diagnostics> {
    let changed: HashMap<PathBuf, ()> = changes.iter().map(|(f, _)| (f.clone(), ())).collect();
    let fresh: Vec<LoadedPlan> = changes.into_iter().filter_map(|(_, p)| p).collect();
    let (prepared, mut diags) = prepare_all(&old.config, fresh);
    let kept: Vec<Arc<Plan>> = old
        .plans
        .iter()
        .filter(|p| !changed.contains_key(&p.file))
        .cloned()
        .collect();
    let reg = Registries::complete(
        &old.config,
        kept.iter()
            .map(|p| p.as_ref())
            .chain(prepared.iter().map(|(p, _)| p)),
    );
    let mut plans: Vec<(Arc<Plan>, Vec<Diagnostic>)> = Vec::new();
    let reg = if reg == *old.reg {
        // Names mean what they meant: the kept plans stand as they are.
        plans.extend(kept.into_iter().map(|p| {
            let w = kept_warnings(old, &p.file);
            (p, w)
        }));
        old.reg.clone()
    } else {
        let reg = Arc::new(reg);
        let again: Vec<(Plan, String)> = kept
            .into_iter()
            .map(|p| (Arc::unwrap_or_clone(p), String::new()))
            .collect();
        // Plans that were valid stay valid; only their IDs move.
        let mut none = Diagnostics::default();
        for (p, _) in resolve_all(again, &reg, &mut none) {
            let w = kept_warnings(old, &p.file);
            plans.push((p, w));
        }
        reg
    };
    plans.extend(resolve_all(prepared, &reg, &mut diags));
    finish(old.config.clone(), reg, plans, diags)
}

/// The warnings a kept plan had: found in its file, or in its progress file and 解读 beside it.
fn kept_warnings(old: &Site, plan: &std::path::Path) -> Vec<Diagnostic> {
    std::iter::once(plan.to_path_buf())
        .chain(crate::load::side_files(plan))
        .flat_map(|f| old.plan_warnings.get(&f).cloned().unwrap_or_default())
        .collect()
}

/// Prepares plans in parallel; keeps each one's front matter text for the lines of later
/// problems.
fn prepare_all(config: &SiteConfig, loaded: Vec<LoadedPlan>) -> (Vec<(Plan, String)>, Diagnostics) {
    let results: Vec<(Option<(Plan, String)>, Diagnostics)> = loaded
        .into_par_iter()
        .map(|p| {
            let mut d = Diagnostics::default();
            let fm = p.front_matter.clone();
            let plan = plan::prepare(config, p, &mut d).map(|p| (p, fm));
            (plan, d)
        })
        .collect();
    let mut diags = Diagnostics::default();
    let mut out = Vec::new();
    for (p, d) in results {
        diags.extend(d);
        out.extend(p);
    }
    (out, diags)
}

/// Resolves plans in parallel; returns each with its warnings (errors go to `diags`).
fn resolve_all(
    prepared: Vec<(Plan, String)>,
    reg: &Registries,
    diags: &mut Diagnostics,
) -> Vec<(Arc<Plan>, Vec<Diagnostic>)> {
    let results: Vec<(Arc<Plan>, Diagnostics)> = prepared
        .into_par_iter()
        .map(|(mut p, fm)| {
            let mut d = Diagnostics::default();
            plan::resolve(&mut p, reg, &fm, &mut d);
            (Arc::new(p), d)
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for (p, d) in results {
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            d.0.into_iter().partition(|x| x.severity == Severity::Error);
        diags.0.extend(errors);
        out.push((p, warnings));
    }
    out
}

/// What spans plans: their order, the links between them, the comparisons `site.yaml` names
/// and the site-wide warnings.
fn finish(
    config: Arc<SiteConfig>,
    reg: Arc<Registries>,
    mut plans: Vec<(Arc<Plan>, Vec<Diagnostic>)>,
    mut diags: Diagnostics,
) -> Result<Site, Diagnostics> {
    // Warnings found while preparing a plan belong to that plan.
    let mut plan_warnings: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = diags
        .0
        .drain(..)
        .partition(|x| x.severity == Severity::Error);
    diags.0 = errors;
    for w in warnings {
        plan_warnings.entry(w.file.clone()).or_default().push(w);
    }
    for (p, w) in &mut plans {
        plan_warnings.entry(p.file.clone()).or_default().append(w);
    }
    plan_warnings.retain(|_, v| !v.is_empty());
    for v in plan_warnings.values_mut() {
        v.sort();
        v.dedup();
    }

    let mut plans: Vec<Arc<Plan>> = plans.into_iter().map(|(p, _)| p).collect();
    plans.sort_by(|a, b| (a.district, a.period, &a.slug).cmp(&(b.district, b.period, &b.slug)));
    let plans: IdVec<PlanId, Arc<Plan>> = plans.into();
    check_links(&plans, &mut diags);
    let extra_comparisons = resolve_comparisons(&config, &plans, &mut diags);
    let mut site = Site {
        config,
        reg,
        plans,
        extra_comparisons,
        plan_warnings,
        site_warnings: Vec::new(),
    };
    site.site_warnings = warnings::site(&site);
    if diags.has_errors() {
        diags.0.extend(site.warnings());
        return Err(diags);
    }
    Ok(site)
}

/// Finds the plans of each comparison `site.yaml` asks for. A plan is named by its path under
/// `content/`, with or without `content/`, `.md` or a trailing `/`.
fn resolve_comparisons(
    config: &SiteConfig,
    plans: &IdVec<PlanId, Arc<Plan>>,
    diags: &mut Diagnostics,
) -> Vec<(PlanId, PlanId, Option<String>)> {
    let by_url: HashMap<&str, PlanId> = plans
        .iter_ids()
        .map(|(i, p)| (p.url.trim_end_matches('/'), i))
        .collect();
    let find = |name: &str| {
        let key = name.trim().trim_start_matches("content/");
        let key = key.strip_suffix(".md").unwrap_or(key).trim_end_matches('/');
        by_url.get(key).copied()
    };
    let mut out = Vec::new();
    for spec in &config.comparisons {
        let mut ends = [None, None];
        for (slot, name) in [&spec.from, &spec.to].into_iter().enumerate() {
            ends[slot] = find(name);
            if ends[slot].is_none() {
                diags.push(
                    Diagnostic::new(
                        crate::config::CONFIG_FILE,
                        spec.line,
                        gongkai_i18n::tr!("validate.comparison_no_plan", name = name),
                    )
                    .hint(gongkai_i18n::tr!("validate.comparison_no_plan_hint")),
                );
            }
        }
        match ends {
            [Some(a), Some(b)] if a == b => diags.push(
                Diagnostic::new(
                    crate::config::CONFIG_FILE,
                    spec.line,
                    gongkai_i18n::tr!("validate.comparison_self", name = &spec.from),
                )
                .hint(gongkai_i18n::tr!("validate.comparison_self_hint")),
            ),
            [Some(a), Some(b)] => out.push((a, b, spec.title.clone())),
            _ => {}
        }
    }
    out
}

/// Links between plans (`@/jingan/2017/aqsc.md#task-3`) must reach a plan and, when they name
/// one, a task, section or part of its page.
fn check_links(plans: &IdVec<PlanId, Arc<Plan>>, diags: &mut Diagnostics) {
    let by_file: BTreeMap<String, &Plan> = plans
        .iter()
        .map(|p| {
            (
                p.file
                    .strip_prefix(crate::load::CONTENT_DIR)
                    .unwrap_or(&p.file)
                    .to_string_lossy()
                    .replace('\\', "/"),
                p.as_ref(),
            )
        })
        .collect();
    for plan in plans.iter() {
        let own = plan.body.links.iter().map(|l| (&plan.file, l));
        let interpretation = plan
            .interpretation
            .iter()
            .flat_map(|i| i.links.iter().map(move |l| (&i.file, l)));
        for (file, link) in own.chain(interpretation) {
            match by_file.get(&link.file) {
                None => {
                    let mut e = Diagnostic::new(
                        file,
                        link.line,
                        gongkai_i18n::tr!("validate.link_no_plan", file = &link.file),
                    );
                    e = match closest(&link.file, by_file.keys().map(String::as_str)) {
                        Some(c) => {
                            e.hint(gongkai_i18n::tr!("validate.did_you_mean_link", file = c))
                        }
                        None => e.hint(gongkai_i18n::tr!("validate.link_hint")),
                    };
                    diags.push(e);
                }
                Some(target) => {
                    if let Some(a) = &link.anchor {
                        let ok = target.body.tasks.iter().any(|t| &t.anchor == a)
                            || target.body.repeats.iter().any(|r| &r.anchor == a)
                            || target.body.sections.iter().any(|s| &s.anchor == a)
                            || PAGE_ANCHORS.contains(&a.as_str());
                        if !ok {
                            diags.push(
                                Diagnostic::new(
                                    file,
                                    link.line,
                                    gongkai_i18n::tr!(
                                        "validate.link_no_anchor",
                                        file = &link.file,
                                        anchor = a
                                    ),
                                )
                                .hint(gongkai_i18n::tr!("validate.link_anchor_hint")),
                            );
                        }
                    }
                }
            }
        }
    }
}
