//! One plan: its front matter and file checked, front-matter overrides of responsibility
//! applied ([`prepare`]), then its names resolved against the registries ([`resolve`]).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::config::{SiteConfig, SlugOf, slug_problem};
use crate::diagnostics::{Diagnostic, Diagnostics, closest};
use crate::yaml::line_of;
use gongkai_model::{
    DistrictId, IdVec, Indicator, LoadedPlan, NameRef, Plan, Responsibility, TaskId,
};

pub use gongkai_model::period::is_date;

use super::Registries;

pub const VALIDITY: &[&str] = &["有效", "失效", "废止"];
pub const DISCLOSURE: &[&str] = &["主动公开", "依申请公开", "不予公开"];

/// Anchors every plan page has besides its sections and tasks.
pub const PAGE_ANCHORS: &[&str] = &[
    "meta",
    "contents",
    "notice",
    "text",
    "imprint",
    "indicators",
    "responsibility",
    "comparisons",
    "related",
    "progress",
    "data",
];

fn fm_line(plan: &LoadedPlan, needle: &str) -> usize {
    line_of(&plan.front_matter, needle, 1)
}

/// A file name that cannot be a URL.
pub fn file_name_problem(plan: &LoadedPlan) -> Option<Diagnostic> {
    slug_problem(SlugOf::PlanFile, &plan.slug, &plan.file, || 0)
}

/// Checks what a plan says of itself and where it lies, and applies the front matter's `tasks:`
/// overrides to its body. Returns the plan with its names still unresolved, or `None` when it
/// cannot be placed (no district or year). Problems go to `diags`.
pub fn prepare(config: &SiteConfig, mut plan: LoadedPlan, diags: &mut Diagnostics) -> Option<Plan> {
    diags.0.extend(super::warnings::plan(&plan));
    check_body(&plan, diags);
    check_required(&plan, diags);
    let folders = check_path(&plan, diags);
    let district = district(config, &plan, diags);
    check_fields(&plan, diags);
    check_task_numbers(&plan, diags);
    apply_overrides(&mut plan, diags);
    let tracked = super::track::prepare(config, &plan, plan.meta.year, diags);

    let (Some(district), Some(period), Some(folders)) = (district, plan.meta.year, folders) else {
        return None;
    };
    let url = format!("{}/{}/{}/", folders, period.slug(), plan.slug);
    Some(Plan {
        slug: plan.slug,
        file: plan.file,
        meta: plan.meta,
        body_line: plan.body_line,
        fingerprint: plan.fingerprint,
        district,
        period,
        url,
        responsibility: IdVec::new(),
        indicators: Vec::new(),
        body: plan.body,
        due: tracked.due,
        progress: tracked.progress,
        results: tracked.results,
        files: tracked.files,
        interpretation: plan.interpretation,
    })
}

/// What the body has that is published but not read as the parser understands it.
fn check_body(plan: &LoadedPlan, diags: &mut Diagnostics) {
    let err = |line: usize, msg: String| Diagnostic::new(&plan.file, line, msg);
    for &line in &plan.body.unrecognized {
        diags.push(
            err(line, gongkai_i18n::tr!("validate.unrecognized_numbering"))
                .hint(gongkai_i18n::tr!("validate.unrecognized_numbering_hint"))
                .warning(),
        );
    }
    for &line in &plan.body.raw_html {
        diags.push(
            err(line, gongkai_i18n::tr!("validate.raw_html"))
                .hint(gongkai_i18n::tr!("validate.raw_html_hint"))
                .warning(),
        );
    }
}

/// The fields every plan must have.
fn check_required(plan: &LoadedPlan, diags: &mut Diagnostics) {
    let m = &plan.meta;
    for (missing, field, example) in [
        (
            m.title.is_none(),
            "title",
            "title: 静安区2017年安全生产工作意见",
        ),
        (m.district.is_none(), "district", "district: jingan"),
        (m.year.is_none(), "year", "year: 2017"),
    ] {
        if missing {
            diags.push(
                Diagnostic::new(
                    &plan.file,
                    1,
                    gongkai_i18n::tr!("validate.missing_field", field = field),
                )
                .hint(gongkai_i18n::tr!(
                    "validate.missing_field_hint",
                    example = example
                )),
            );
        }
    }
}

/// Checks the plan's path against what it says: it is content/<district>/<year>/<slug>.md, so
/// URLs follow from it. Returns its district folder when the path has that shape.
fn check_path(plan: &LoadedPlan, diags: &mut Diagnostics) -> Option<String> {
    let m = &plan.meta;
    let err = |line: usize, msg: String| Diagnostic::new(&plan.file, line, msg);
    let parts: Vec<String> = plan
        .file
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let placed = parts.len() == 4;
    if !placed {
        diags.push(
            err(0, gongkai_i18n::tr!("validate.bad_path"))
                .hint(gongkai_i18n::tr!("validate.bad_path_hint")),
        );
    } else {
        if let Some(d) = &m.district
            && &parts[1] != d
        {
            diags.push(
                err(
                    fm_line(plan, "district"),
                    gongkai_i18n::tr!("validate.district_folder", district = d, folder = &parts[1]),
                )
                .hint(gongkai_i18n::tr!(
                    "validate.district_folder_hint",
                    district = d,
                    folder = &parts[1]
                )),
            );
        }
        if let Some(y) = &m.year
            && parts[2] != y.slug()
        {
            diags.push(
                err(
                    fm_line(plan, "year"),
                    gongkai_i18n::tr!("validate.year_folder", year = y, folder = &parts[2]),
                )
                .hint(gongkai_i18n::tr!(
                    "validate.year_folder_hint",
                    path = format!("content/{}/{}/", parts[1], y.slug())
                )),
            );
        }
    }
    if let Some(d) = file_name_problem(plan) {
        diags.push(d);
    }
    placed.then(|| parts.into_iter().nth(1)).flatten()
}

/// The district the plan says it belongs to, when `site.yaml` has it.
fn district(config: &SiteConfig, plan: &LoadedPlan, diags: &mut Diagnostics) -> Option<DistrictId> {
    let d = plan.meta.district.as_deref()?;
    if let Some(id) = config.district_by_slug(d) {
        return Some(id);
    }
    let mut e = Diagnostic::new(
        &plan.file,
        fm_line(plan, "district"),
        gongkai_i18n::tr!("validate.unknown_district", district = d),
    );
    let slugs: Vec<&str> = config.districts.iter().map(|x| x.slug.as_str()).collect();
    e = match closest(d, slugs) {
        Some(c) => e.hint(gongkai_i18n::tr!(
            "validate.did_you_mean_district",
            slug = c
        )),
        None => e.hint(gongkai_i18n::tr!("validate.add_district")),
    };
    diags.push(e);
    None
}

/// Dates, validity and disclosure, each of the values it may take.
fn check_fields(plan: &LoadedPlan, diags: &mut Diagnostics) {
    let m = &plan.meta;
    let err = |line: usize, msg: String| Diagnostic::new(&plan.file, line, msg);
    for (field, value) in [("written", &m.written), ("published", &m.published)] {
        if let Some(v) = value
            && !is_date(v)
        {
            diags.push(
                err(
                    fm_line(plan, field),
                    gongkai_i18n::tr!("validate.not_a_date", field = field, value = v),
                )
                .hint(gongkai_i18n::tr!("validate.not_a_date_hint")),
            );
        }
    }
    for (field, value, allowed, key) in [
        ("validity", &m.validity, VALIDITY, "validate.validity"),
        (
            "disclosure",
            &m.disclosure,
            DISCLOSURE,
            "validate.disclosure",
        ),
    ] {
        if let Some(v) = value
            && !allowed.contains(&v.as_str())
        {
            diags.push(
                err(fm_line(plan, field), gongkai_i18n::tr!(key, value = v)).hint(
                    gongkai_i18n::tr!("validate.one_of", list = allowed.join(" / ")),
                ),
            );
        }
    }
}

/// Task numbers must be unique, or anchors and data would mix two tasks up.
fn check_task_numbers(plan: &LoadedPlan, diags: &mut Diagnostics) {
    let mut keys: HashMap<&str, usize> = HashMap::new();
    for t in plan.body.tasks.iter() {
        if let Some(first) = keys.insert(t.key.as_str(), t.line) {
            diags.push(
                Diagnostic::new(
                    &plan.file,
                    t.line,
                    gongkai_i18n::tr!("validate.duplicate_task", label = &t.label, first = first),
                )
                .hint(gongkai_i18n::tr!("validate.duplicate_task_hint")),
            );
        }
    }
}

/// Front matter states or overrides responsibility by task number; the body's tasks take it, so
/// every later stage sees one set of names.
fn apply_overrides(plan: &mut LoadedPlan, diags: &mut Diagnostics) {
    let overrides = std::mem::take(&mut plan.meta.tasks);
    for o in &overrides {
        let line = line_of(&plan.front_matter, &format!("number: {}", o.number), 1);
        // A row of a task table that repeats a body task stands for it.
        let Some(t) = plan
            .body
            .task_by_key(&o.number)
            .map(|id| &mut plan.body.tasks[id])
        else {
            let known: Vec<&str> = plan.body.tasks.iter().map(|t| t.key.as_str()).collect();
            let hint = if known.is_empty() {
                gongkai_i18n::tr!("validate.no_tasks_in_body")
            } else {
                gongkai_i18n::tr!(
                    "validate.task_numbers",
                    list = super::track::summarize(&known)
                )
            };
            diags.push(
                Diagnostic::new(
                    &plan.file,
                    line,
                    gongkai_i18n::tr!("validate.override_no_task", number = &o.number),
                )
                .hint(hint),
            );
            continue;
        };
        let refs = |v: &Vec<String>| {
            v.iter()
                .map(|n| NameRef {
                    name: n.clone(),
                    line,
                    column: 1,
                })
                .collect::<Vec<_>>()
        };
        if let Some(title) = &o.title {
            t.title = title.clone();
        }
        if let Some(v) = &o.lead {
            t.lead = refs(v);
        }
        if let Some(v) = &o.support {
            t.support = refs(v);
        }
        if let Some(v) = &o.persons {
            t.persons = refs(v);
        }
    }
    plan.meta.tasks = overrides;
}

/// Resolves a prepared plan's unit, person and indicator names against the registries, which
/// hold every name the site's plans use (see [`Registries::complete`]); problems with names that
/// are not registered go to `diags`. `front_matter` places indicator problems on their lines.
pub fn resolve(plan: &mut Plan, reg: &Registries, front_matter: &str, diags: &mut Diagnostics) {
    plan.responsibility = responsibility(plan, reg, diags);
    repeats_disagree(plan, reg, diags);
    let indicators = indicators(plan, reg, front_matter, diags);
    super::track::judge_all(&mut plan.results, &indicators);
    plan.indicators = indicators;
}

/// Warns where a row of a task table that repeats a body task names a unit the task names in
/// neither of its lists (its body text, the front matter's `tasks:`, or what the rows gave where
/// the text states none): which is right, the plan cannot tell. A unit the text names as
/// 责任单位 and the table as 配合单位 is the same answer, split differently, and passes.
fn repeats_disagree(plan: &Plan, reg: &Registries, diags: &mut Diagnostics) {
    let d = plan.district;
    for r in &plan.body.repeats {
        let t = &plan.body.tasks[r.task];
        let resp = &plan.responsibility[r.task];
        let own: Vec<&NameRef> = t.lead.iter().chain(&t.support).collect();
        let missing: Vec<&str> = r
            .lead
            .iter()
            .chain(&r.support)
            .filter(|n| {
                // A name the registry does not know is no unit of the task either.
                reg.units
                    .find(d, &n.name)
                    .is_none_or(|u| !resp.lead.contains(&u) && !resp.support.contains(&u))
            })
            .map(|n| n.name.as_str())
            .collect();
        if own.is_empty() || missing.is_empty() {
            continue;
        }
        let names = |v: &[&str]| v.join("、");
        let mut shown: Vec<&str> = Vec::new();
        for n in &own {
            if !shown.contains(&n.name.as_str()) {
                shown.push(&n.name);
            }
        }
        diags.push(
            Diagnostic::new(
                &plan.file,
                r.line,
                gongkai_i18n::tr!(
                    "validate.repeat_units_differ",
                    row = &r.key,
                    task = &t.key,
                    row_units = names(&missing),
                    task_units = names(&shown)
                ),
            )
            .hint(gongkai_i18n::tr!(
                "validate.repeat_units_differ_hint",
                task = &t.key
            ))
            .warning(),
        );
    }
}

/// The units and persons of each task, each once, in the order named.
fn responsibility(
    plan: &Plan,
    reg: &Registries,
    diags: &mut Diagnostics,
) -> IdVec<TaskId, Responsibility> {
    let d = plan.district;
    let file = &plan.file;
    let mut resp: IdVec<TaskId, Responsibility> = IdVec::new();
    for t in plan.body.tasks.iter() {
        let mut r = Responsibility::default();
        for (names, out) in [(&t.lead, &mut r.lead), (&t.support, &mut r.support)] {
            for n in names {
                match reg.units.find(d, &n.name) {
                    Some(u) if !out.contains(&u) => out.push(u),
                    Some(_) => {}
                    None => diags.push(unknown_unit(reg, d, n, file)),
                }
            }
        }
        for n in &t.persons {
            if let Some(p) = reg.persons.find(d, &n.name)
                && !r.persons.contains(&p)
            {
                r.persons.push(p);
            }
        }
        resp.push(r);
    }
    resp
}

/// The plan's indicators that the registry knows, each tied to its task.
fn indicators(
    plan: &Plan,
    reg: &Registries,
    front_matter: &str,
    diags: &mut Diagnostics,
) -> Vec<Indicator> {
    let file = &plan.file;
    let mut indicators = Vec::new();
    let mut seen = HashSet::new();
    for (k, spec) in plan.meta.indicators.iter().enumerate() {
        let line = line_of(front_matter, &spec.name, 1);
        let def = reg.indicators.find_shared(&spec.name);
        if def.is_none() {
            diags.push(unknown_indicator(reg, &spec.name, file, line));
        }
        let task = spec.task.as_ref().and_then(|k| {
            let t = plan.body.task_by_key(k);
            if t.is_none() {
                diags.push(Diagnostic::new(
                    file,
                    field_after(front_matter, line, "task"),
                    gongkai_i18n::tr!("validate.indicator_no_task", name = &spec.name, task = k),
                ));
            }
            t
        });
        if spec.target.chars().count() > 200 {
            diags.push(
                Diagnostic::new(
                    file,
                    field_after(front_matter, line, "target"),
                    gongkai_i18n::tr!("validate.long_target", name = &spec.name),
                )
                .hint(gongkai_i18n::tr!("validate.long_target_hint")),
            );
        }
        if let Some(def) = def {
            if !seen.insert(def) {
                diags.push(
                    Diagnostic::new(
                        file,
                        line,
                        gongkai_i18n::tr!("validate.indicator_twice", name = &spec.name),
                    )
                    .hint(gongkai_i18n::tr!("validate.indicator_twice_hint")),
                );
            }
            let registered = &reg.indicators.items[def];
            indicators.push(Indicator {
                def,
                spec: k,
                name: spec.name.clone(),
                target: spec.target.clone(),
                measure: spec.measure.clone(),
                baseline: spec.baseline.clone(),
                unit: spec.unit.clone().or_else(|| registered.unit.clone()),
                direction: spec.direction.or(registered.direction),
                period: spec.period,
                task,
            });
        }
    }
    indicators
}

fn unknown_indicator(reg: &Registries, name: &str, file: &Path, line: usize) -> Diagnostic {
    let e = Diagnostic::new(
        file,
        line,
        gongkai_i18n::tr!("validate.unknown_indicator", name = name),
    );
    match closest(name, reg.indicators.shared_names()) {
        Some(c) => e.hint(gongkai_i18n::tr!(
            "validate.did_you_mean_indicator",
            name = c
        )),
        None => e.hint(gongkai_i18n::tr!("validate.add_indicator")),
    }
}

/// The file line of the first `key:` at or after the list entry that starts at file line
/// `entry` (the front matter starts on line 2); `entry` when there is none.
fn field_after(front_matter: &str, entry: usize, key: &str) -> usize {
    front_matter
        .lines()
        .enumerate()
        .skip(entry.saturating_sub(2))
        .find(|(_, l)| {
            l.trim_start()
                .trim_start_matches("- ")
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map_or(entry, |(i, _)| i + 2)
}

fn unknown_unit(reg: &Registries, d: DistrictId, n: &NameRef, file: &Path) -> Diagnostic {
    let e = Diagnostic::new(
        file,
        n.line,
        gongkai_i18n::tr!("validate.unknown_unit", name = &n.name),
    )
    .column(n.column);
    match closest(&n.name, reg.units.names_for(d)) {
        Some(c) => e.hint(gongkai_i18n::tr!(
            "validate.did_you_mean_unit",
            name = c,
            unknown = &n.name
        )),
        None => e.hint(gongkai_i18n::tr!("validate.add_unit", unknown = &n.name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2017-02-27"));
        assert!(is_date("2020-02-29"));
        assert!(!is_date("2019-02-29"));
        assert!(!is_date("2017-2-27"));
        assert!(!is_date("2017年2月27日"));
    }
}
