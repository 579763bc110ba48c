//! Validate: check every loaded plan against the path it lives at and the site registries, apply
//! front-matter overrides, and resolve unit, person and indicator names. Every problem found is
//! reported with file, line and a hint; nothing stops at the first.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, closest};
use crate::model::{Indicator, NameRef, Plan, Responsibility};
use crate::yaml::line_of;

/// A checked site: its configuration (with any units added from content) and its plans,
/// ordered by district (as in the config), period and id.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub plans: Vec<Plan>,
    /// The comparisons `site.yaml` asks for, as (from plan, to plan, title).
    pub extra_comparisons: Vec<(usize, usize, Option<String>)>,
    /// What would be published but looks wrong or incomplete; the build goes on unless the
    /// publisher asks to stop on warnings.
    pub warnings: Vec<Diagnostic>,
}

pub const VALIDITY: &[&str] = &["有效", "失效", "废止"];
pub const DISCLOSURE: &[&str] = &["主动公开", "依申请公开", "不予公开"];

/// Checks and resolves the plans. Returns the site, or every problem found.
pub fn validate(config: SiteConfig, plans: Vec<Plan>) -> Result<Site, Diagnostics> {
    validate_keeping(config, plans).map_err(|(d, _)| d)
}

/// As [`validate`], but gives the plans back with the problems, so that the preview can put
/// the last good plan back and keep serving. Plans validated before can be validated again:
/// validation only reads what was loaded and overwrites what it resolves.
pub fn validate_keeping(
    mut config: SiteConfig,
    mut plans: Vec<Plan>,
) -> Result<Site, (Diagnostics, Vec<Plan>)> {
    let mut diags = Diagnostics::default();
    for plan in &mut plans {
        check_plan(&mut config, plan, &mut diags);
    }
    finish(config, plans, diags)
}

/// Validates only the `fresh` plans (by file) and puts them with the others, which were
/// validated before against the same registries. Only for a site whose validation adds nothing
/// to its registries: no new units or indicators allowed, no persons (who are registered in the
/// order they are met). The preview uses it for a one-plan edit of a large site.
pub fn revalidate(
    mut config: SiteConfig,
    mut plans: Vec<Plan>,
    fresh: &HashSet<std::path::PathBuf>,
) -> Result<Site, (Diagnostics, Vec<Plan>)> {
    let mut diags = Diagnostics::default();
    for plan in plans.iter_mut().filter(|p| fresh.contains(&p.file)) {
        check_plan(&mut config, plan, &mut diags);
    }
    finish(config, plans, diags)
}

/// Checks the links between plans, orders the plans and resolves the comparisons of the config.
fn finish(
    config: SiteConfig,
    mut plans: Vec<Plan>,
    mut diags: Diagnostics,
) -> Result<Site, (Diagnostics, Vec<Plan>)> {
    check_links(&plans, &mut diags);
    if diags.has_errors() {
        return Err((diags, plans));
    }
    plans.sort_by(|a, b| {
        (a.district_idx, a.period(), &a.id).cmp(&(b.district_idx, b.period(), &b.id))
    });
    let extra_comparisons = match resolve_comparisons(&config, &plans) {
        Ok(x) => x,
        Err(d) => return Err((d, plans)),
    };
    // Only diagnostics needed the raw front matter; a large site should not keep it.
    for plan in &mut plans {
        plan.front_matter = String::new();
    }
    Ok(Site {
        config,
        plans,
        extra_comparisons,
        warnings: diags.sorted(),
    })
}

/// Finds the plans of each comparison `site.yaml` asks for. A plan is named by its path under
/// `content/`, with or without `content/`, `.md` or a trailing `/`.
fn resolve_comparisons(
    config: &SiteConfig,
    plans: &[Plan],
) -> Result<Vec<(usize, usize, Option<String>)>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let find = |name: &str| {
        let key = name.trim().trim_start_matches("content/");
        let key = key.strip_suffix(".md").unwrap_or(key).trim_end_matches('/');
        plans
            .iter()
            .position(|p| p.url().trim_end_matches('/') == key)
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
                        format!("comparison names “{name}”, which is not a plan"),
                    )
                    .hint("name a plan by its path under content/ without .md, e.g. shili/2024/aqsc-gongzuo-yijian"),
                );
            }
        }
        match ends {
            [Some(a), Some(b)] if a == b => diags.push(
                Diagnostic::new(
                    crate::config::CONFIG_FILE,
                    spec.line,
                    format!("comparison of “{}” with itself", spec.from),
                )
                .hint("`from` and `to` must be two different plans"),
            ),
            [Some(a), Some(b)] => out.push((a, b, spec.title.clone())),
            _ => {}
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

fn fm_line(plan: &Plan, needle: &str) -> usize {
    line_of(&plan.front_matter, needle, 1)
}

fn check_plan(config: &mut SiteConfig, plan: &mut Plan, diags: &mut Diagnostics) {
    let file = plan.file.clone();
    let err = |line: usize, msg: String| Diagnostic::new(&file, line, msg);
    let m = &plan.meta;
    for &line in &plan.body.unrecognized {
        diags.push(
            err(line, crate::tr!("validate.unrecognized_numbering"))
                .hint(crate::tr!("validate.unrecognized_numbering_hint"))
                .warning(),
        );
    }

    for (value, field, example) in [
        (
            m.title.is_none(),
            "title",
            "title: 静安区2017年安全生产工作意见",
        ),
        (m.district.is_none(), "district", "district: jingan"),
        (
            m.year.is_none(),
            "year",
            "year: 2017   (or year: 2016-2020 for a five-year plan)",
        ),
    ] {
        if value {
            diags.push(
                err(1, format!("missing required field `{field}`"))
                    .hint(format!("add a line `{example}` to the front matter")),
            );
        }
    }

    // The path is content/<district>/<year>/<id>.md, so URLs follow from it.
    let parts: Vec<String> = plan
        .file
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.len() != 4 {
        diags.push(
            err(
                0,
                "a plan file must be at content/<district>/<year>/<id>.md".into(),
            )
            .hint("move it, e.g. to content/jingan/2017/aqsc-gongzuo-yijian.md"),
        );
    } else {
        if let Some(d) = &m.district
            && &parts[1] != d
        {
            diags.push(
                err(
                    fm_line(plan, "district"),
                    format!("district `{d}` does not match the folder `{}`", parts[1]),
                )
                .hint(format!(
                    "move the file to content/{d}/… or set `district: {}`",
                    parts[1]
                )),
            );
        }
        if let Some(y) = &m.year
            && parts[2] != y.slug()
        {
            diags.push(
                err(
                    fm_line(plan, "year"),
                    format!("year {y} does not match the folder `{}`", parts[2]),
                )
                .hint(format!(
                    "move the file to content/{}/{}/ or correct the year",
                    parts[1],
                    y.slug()
                )),
            );
        }
    }
    if let Some(mut d) = crate::config::slug_problem(crate::config::SlugOf::PlanFile, &plan.id, 0) {
        d.file = file.clone();
        diags.push(d);
    }

    if let Some(d) = m.district.clone() {
        match config.districts.iter().position(|x| x.slug == d) {
            Some(i) => plan.district_idx = i,
            None => {
                let mut e = err(fm_line(plan, "district"), format!("unknown district `{d}`"));
                let slugs: Vec<&str> = config.districts.iter().map(|x| x.slug.as_str()).collect();
                e = match closest(&d, slugs) {
                    Some(c) => e.hint(format!(
                        "did you mean `{c}`? Districts are listed in site.yaml"
                    )),
                    None => {
                        e.hint("add it to `districts:` in site.yaml with its slug, name and region")
                    }
                };
                diags.push(e);
            }
        }
    }

    for (field, value) in [("written", &m.written), ("published", &m.published)] {
        if let Some(v) = value
            && !is_date(v)
        {
            diags.push(
                err(
                    fm_line(plan, field),
                    format!("`{field}: {v}` is not a date"),
                )
                .hint("write dates as YYYY-MM-DD, e.g. 2017-02-27"),
            );
        }
    }
    if let Some(v) = &m.validity
        && !VALIDITY.contains(&v.as_str())
    {
        diags.push(
            err(fm_line(plan, "validity"), format!("unknown validity “{v}”"))
                .hint(format!("use one of {}", VALIDITY.join(" / "))),
        );
    }
    if let Some(v) = &m.disclosure
        && !DISCLOSURE.contains(&v.as_str())
    {
        diags.push(
            err(
                fm_line(plan, "disclosure"),
                format!("unknown disclosure “{v}”"),
            )
            .hint(format!("use one of {}", DISCLOSURE.join(" / "))),
        );
    }

    // Task numbers must be unique, or anchors and data would mix two tasks up.
    let mut keys: HashMap<String, usize> = HashMap::new();
    for t in &plan.body.tasks {
        if let Some(first) = keys.insert(t.key.clone(), t.line) {
            diags.push(
                err(
                    t.line,
                    format!(
                        "duplicate task number {} (first used on line {first})",
                        t.label
                    ),
                )
                .hint("renumber the task, or check whether it was pasted twice"),
            );
        }
    }

    // Front matter states or overrides responsibility by task number.
    let overrides = plan.meta.tasks.clone();
    for o in &overrides {
        let line = line_of(&plan.front_matter, &format!("number: {}", o.number), 1);
        let Some(t) = plan.body.tasks.iter_mut().find(|t| t.key == o.number) else {
            let known: Vec<&str> = plan.body.tasks.iter().map(|t| t.key.as_str()).collect();
            let hint = if known.is_empty() {
                "the body has no numbered tasks".to_string()
            } else {
                format!("task numbers in this plan: {}", summarize(&known))
            };
            diags.push(
                err(
                    line,
                    format!(
                        "`tasks:` refers to task {} which is not in the body",
                        o.number
                    ),
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

    let mut resp = Vec::with_capacity(plan.body.tasks.len());
    for t in &plan.body.tasks {
        let mut r = Responsibility::default();
        for (names, out) in [(&t.lead, &mut r.lead), (&t.support, &mut r.support)] {
            for n in names {
                if let Some(i) = resolve_unit(config, n, &file, diags)
                    && !out.contains(&i)
                {
                    out.push(i);
                }
            }
        }
        for n in &t.persons {
            let i = config.person(&n.name);
            if !r.persons.contains(&i) {
                r.persons.push(i);
            }
        }
        resp.push(r);
    }
    plan.responsibility = resp;

    let mut indicators = Vec::new();
    let mut seen = HashSet::new();
    for spec in plan.meta.indicators.clone() {
        let line = line_of(&plan.front_matter, &spec.name, 1);
        let def = match config.indicators.get(&spec.name) {
            Some(i) => Some(i),
            None if config.allow_new_indicators => Some(config.add_indicator(&spec.name)),
            None => {
                let mut e = err(line, format!("unknown indicator “{}”", spec.name));
                e = match closest(&spec.name, config.indicators.names()) {
                    Some(c) => e.hint(format!("did you mean “{c}”? Or add it to `indicators:` in site.yaml")),
                    None => e.hint("add it to `indicators:` in site.yaml (slug, name, aliases), or set `allow_new_indicators: true`"),
                };
                diags.push(e);
                None
            }
        };
        let task = match &spec.task {
            Some(k) => {
                let t = plan.body.tasks.iter().position(|t| &t.key == k);
                if t.is_none() {
                    diags.push(err(
                        line_of(&plan.front_matter, &format!("task: {k}"), 1),
                        format!(
                            "indicator “{}” refers to task {k} which is not in the body",
                            spec.name
                        ),
                    ));
                }
                t
            }
            None => None,
        };
        if let Some(def) = def {
            if !seen.insert(def) {
                diags.push(
                    err(line, format!("indicator “{}” is listed twice", spec.name))
                        .hint("keep one entry per indicator"),
                );
            }
            let reg = &config.indicators.items[def];
            indicators.push(Indicator {
                def,
                name: spec.name.clone(),
                target: spec.target,
                measure: spec.measure,
                baseline: spec.baseline,
                unit: spec.unit.or_else(|| reg.unit.clone()),
                direction: spec.direction.or(reg.direction),
                period: spec.period,
                task,
            });
        }
    }
    plan.indicators = indicators;
}

fn resolve_unit(
    config: &mut SiteConfig,
    n: &NameRef,
    file: &Path,
    diags: &mut Diagnostics,
) -> Option<usize> {
    if let Some(i) = config.units.get(&n.name) {
        return Some(i);
    }
    if config.allow_new_units {
        return Some(config.add_unit(&n.name));
    }
    let mut e = Diagnostic::new(file, n.line, format!("unknown unit {}", n.name)).column(n.column);
    e = match closest(&n.name, config.units.names()) {
        Some(c) => e.hint(format!(
            "did you mean {c}? Or add “{}” to `units:` in site.yaml (as a unit or an alias)",
            n.name
        )),
        None => e.hint(format!(
            "add “{}” to `units:` in site.yaml, or set `allow_new_units: true`",
            n.name
        )),
    };
    diags.push(e);
    None
}

fn check_links(plans: &[Plan], diags: &mut Diagnostics) {
    let by_file: BTreeMap<String, &Plan> = plans
        .iter()
        .map(|p| {
            (
                p.file
                    .strip_prefix(crate::load::CONTENT_DIR)
                    .unwrap_or(&p.file)
                    .to_string_lossy()
                    .replace('\\', "/"),
                p,
            )
        })
        .collect();
    for plan in plans {
        for link in &plan.body.links {
            match by_file.get(&link.file) {
                None => {
                    let mut e = Diagnostic::new(
                        &plan.file,
                        link.line,
                        format!("link to @/{} which does not exist", link.file),
                    );
                    e = match closest(&link.file, by_file.keys().map(String::as_str)) {
                        Some(c) => e.hint(format!("did you mean @/{c}?")),
                        None => e.hint(
                            "internal links name a file under content/, e.g. @/jingan/2017/aqsc.md",
                        ),
                    };
                    diags.push(e);
                }
                Some(target) => {
                    if let Some(a) = &link.anchor {
                        let ok = target.body.tasks.iter().any(|t| &t.anchor == a)
                            || target.body.sections.iter().any(|s| &s.anchor == a)
                            || PAGE_ANCHORS.contains(&a.as_str());
                        if !ok {
                            diags.push(Diagnostic::new(&plan.file, link.line, format!("link to @/{}#{a}: no such task or section", link.file))
                                .hint("tasks are #task-<number> (e.g. #task-3), sections #s-<n> (e.g. #s-1-2)"));
                        }
                    }
                }
            }
        }
    }
}

/// Anchors every plan page has besides its sections and tasks.
pub const PAGE_ANCHORS: &[&str] = &[
    "meta",
    "contents",
    "indicators",
    "responsibility",
    "related",
    "data",
    "text",
];

fn summarize(keys: &[&str]) -> String {
    if keys.len() <= 12 {
        keys.join(", ")
    } else {
        format!(
            "{} … {}",
            keys[..6].join(", "),
            keys[keys.len() - 3..].join(", ")
        )
    }
}

/// `YYYY-MM-DD` with a real month and day.
pub fn is_date(s: &str) -> bool {
    let p: Vec<&str> = s.split('-').collect();
    if p.len() != 3 || p[0].len() != 4 || p[1].len() != 2 || p[2].len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        p[0].parse::<u32>(),
        p[1].parse::<u32>(),
        p[2].parse::<u32>(),
    ) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize]
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
