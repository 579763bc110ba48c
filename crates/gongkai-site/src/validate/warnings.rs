//! Warnings: what would be published, but looks wrong or incomplete, so that nothing is lost in
//! silence. A plan's own ([`plan`]): fields a 政府信息公开 page needs, a draft about to be
//! published, dates out of order, no tasks at all. The site's ([`site`]): the footer's fields, and
//! a unit or person named once in the whole site whose name is one character away from
//! another's — most likely a typo that made a second person.

use std::collections::HashMap;

use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;
use crate::yaml::line_of;
use gongkai_model::{Id, LoadedPlan, PersonId, Scope, UnitId};

use super::Site;

/// Statuses that mean the text is not final.
pub const DRAFTS: &[&str] = &["送审稿", "征求意见稿", "草案", "讨论稿", "初稿", "修改稿"];

/// The warnings of one plan, as loaded.
pub fn plan(p: &LoadedPlan) -> Vec<Diagnostic> {
    let m = &p.meta;
    let mut out = Vec::new();
    let line = |field: &str| line_of(&p.front_matter, &format!("{field}:"), 1);
    let missing: Vec<String> = [
        ("issuer", m.issuer.is_none(), "field.issuer"),
        ("doc_number", m.doc_number.is_none(), "field.doc_number"),
        ("written", m.written.is_none(), "field.written"),
        ("published", m.published.is_none(), "field.published"),
        (
            "index_number",
            m.index_number.is_none(),
            "field.index_number",
        ),
    ]
    .into_iter()
    .filter(|(_, missing, _)| *missing)
    .map(|(key, _, label)| format!("{}（{key}）", gongkai_i18n::tr!(label)))
    .collect();
    if !missing.is_empty() {
        out.push(
            Diagnostic::new(
                &p.file,
                1,
                gongkai_i18n::tr!("warn.missing_fields", list = missing.join("、")),
            )
            .hint(gongkai_i18n::tr!("warn.missing_fields_hint"))
            .warning(),
        );
    }
    if let Some(s) = &m.status
        && DRAFTS.iter().any(|d| s.contains(d))
    {
        out.push(
            Diagnostic::new(
                &p.file,
                line("status"),
                gongkai_i18n::tr!("warn.draft", status = s),
            )
            .hint(gongkai_i18n::tr!("warn.draft_hint"))
            .warning(),
        );
    }
    if let (Some(w), Some(pb)) = (&m.written, &m.published)
        && super::is_date(w)
        && super::is_date(pb)
        && pb < w
    {
        out.push(
            Diagnostic::new(
                &p.file,
                line("published"),
                gongkai_i18n::tr!("warn.dates_order", published = pb, written = w),
            )
            .hint(gongkai_i18n::tr!("warn.dates_order_hint"))
            .warning(),
        );
    }
    if p.body.tasks.is_empty() {
        out.push(
            Diagnostic::new(&p.file, p.body_line, gongkai_i18n::tr!("warn.no_tasks"))
                .hint(gongkai_i18n::tr!("warn.no_tasks_hint"))
                .warning(),
        );
    }
    out
}

/// The site's warnings: its footer, and names that are likely typos.
pub fn site(site: &Site) -> Vec<Diagnostic> {
    let c = &site.config;
    let mut out = Vec::new();
    let missing: Vec<String> = [
        ("organizer", c.organizer.is_none(), "field.organizer"),
        (
            "site_id_code",
            c.site_id_code.is_none(),
            "field.site_id_code",
        ),
        ("icp", c.icp.is_none(), "field.icp"),
    ]
    .into_iter()
    .filter(|(_, missing, _)| *missing)
    .map(|(key, _, label)| format!("{}（{key}）", gongkai_i18n::tr!(label)))
    .collect();
    if !missing.is_empty() {
        out.push(
            Diagnostic::new(
                CONFIG_FILE,
                1,
                gongkai_i18n::tr!("warn.footer", list = missing.join("、")),
            )
            .hint(gongkai_i18n::tr!("warn.footer_hint"))
            .warning(),
        );
    }
    out.extend(near_names(site));
    out
}

/// A person or unit met once in the whole site, not in `site.yaml`, whose name differs by one
/// character from another's in the same district: 唐林芳 beside 唐林方.
fn near_names(site: &Site) -> Vec<Diagnostic> {
    // Every mention: (kind, id) → (count, first file and line).
    let mut seen: HashMap<(bool, usize), (usize, &std::path::Path, usize)> = HashMap::new();
    for plan in site.plans.iter() {
        for (t, r) in plan.body.tasks.iter().zip(plan.responsibility.iter()) {
            let units = r.lead.iter().chain(&r.support).map(|u| (false, u.index()));
            let persons = r.persons.iter().map(|p| (true, p.index()));
            for key in units.chain(persons) {
                let e = seen.entry(key).or_insert((0, &plan.file, t.line));
                e.0 += 1;
            }
        }
    }
    let mut out = Vec::new();
    let mut keys: Vec<_> = seen.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let (count, file, line) = seen[&key];
        if count != 1 {
            continue;
        }
        let (is_person, i) = key;
        let (name, scope, declared) = if is_person {
            let p = &site.reg.persons[PersonId::new(i)];
            (p.name.as_str(), p.scope, p.declared)
        } else {
            let u = &site.reg.units[UnitId::new(i)];
            (u.name.as_str(), u.scope, u.declared)
        };
        // Two-character names a character apart are often two people (张伟, 张军).
        if declared || name.chars().count() < 3 {
            continue;
        }
        let others: Vec<&str> = if is_person {
            site.reg
                .persons
                .items
                .iter()
                .filter(|p| p.name != name && same_scope(p.scope, scope))
                .map(|p| p.name.as_str())
                .collect()
        } else {
            site.reg
                .units
                .items
                .iter()
                .filter(|u| u.name != name && same_scope(u.scope, scope))
                .map(|u| u.name.as_str())
                .collect()
        };
        let mut near: Vec<&str> = others.into_iter().filter(|o| one_edit(name, o)).collect();
        near.sort_unstable();
        if let Some(other) = near.first() {
            out.push(
                Diagnostic::new(
                    file,
                    line,
                    gongkai_i18n::tr!("warn.near_name", name = name, other = other),
                )
                .hint(gongkai_i18n::tr!(
                    "warn.near_name_hint",
                    name = name,
                    other = other
                ))
                .warning(),
            );
        }
    }
    out
}

fn same_scope(a: Scope, b: Scope) -> bool {
    a == b || a == Scope::Shared || b == Scope::Shared
}

/// Whether two names differ by exactly one character replaced, added or removed.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    match long.len() - short.len() {
        0 => a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1,
        1 => {
            let i = short
                .iter()
                .zip(long.iter())
                .take_while(|(x, y)| x == y)
                .count();
            short[i..] == long[i + 1..]
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::one_edit;

    #[test]
    fn one_character_apart() {
        assert!(one_edit("唐林芳", "唐林方"));
        assert!(one_edit("区应急局", "区应急管局"));
        assert!(!one_edit("唐林芳", "唐林芳"));
        assert!(!one_edit("示甲", "样乙"));
        assert!(!one_edit("区应急局", "区应急管理局"));
    }
}
