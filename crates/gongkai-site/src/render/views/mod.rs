//! One typed view per page kind: what its template shows, borrowed from the model and
//! computed once here, so a template never recomputes an index. Every field is documented in
//! `docs/templates.md` (a test holds the two together).

mod compare;
mod entity;
mod lists;
mod plan;
mod track;

use serde::Serialize;

use super::page::{Page, Parts, root_of};
use super::view::Crumb;

/// What every page's template sees besides `site` (the site's identity, global): where the
/// page is and how to get back to the root.
#[derive(Serialize)]
pub struct Base {
    /// The way back to the site root, relative (`../../`), so the site works under any path.
    pub root: String,
    /// The page's own folder, site-relative (`jingan/2017/aqsc/`).
    pub path: String,
    /// The page's absolute address, from `base_url`.
    pub canonical: String,
    pub crumbs: Vec<Crumb>,
}

#[derive(Serialize)]
struct Full<V: Serialize> {
    #[serde(flatten)]
    base: Base,
    #[serde(flatten)]
    view: V,
}

fn value<V: Serialize>(base: Base, view: V) -> tera::Value {
    tera::Value::from_serializable(&Full { base, view })
}

/// The context of a page for its template.
pub fn context(parts: &Parts, page: &Page) -> tera::Value {
    let c = &parts.site.config;
    let path = parts.path(page);
    // The 404 page is served at any depth, so it links from the site's base path.
    let root = if *page == Page::NotFound {
        c.base_path().to_string()
    } else {
        root_of(&path)
    };
    let canonical = format!("{}{}", c.base_url, path);
    let base = |crumbs| Base {
        root: root.clone(),
        path: path.clone(),
        canonical: canonical.clone(),
        crumbs,
    };
    // A page of a plan's own (its progress, its 解读): home › district › plan › here.
    let under_plan = |p: gongkai_model::PlanId, here: Crumb| {
        let plan = &parts.site.plans[p];
        let d = plan.district;
        parts.crumbs(
            vec![
                Crumb::named(c.districts[d].name.clone(), parts.district_url(d)),
                Crumb::named(plan.title().to_string(), plan.url.clone()),
            ],
            here,
        )
    };
    match *page {
        Page::Home => value(base(Vec::new()), lists::home(parts)),
        Page::NotFound => value(base(Vec::new()), lists::Empty {}),
        Page::Search => value(
            base(parts.crumbs(vec![], Crumb::index("search", "search/"))),
            lists::search(parts),
        ),
        Page::SiteMap => value(
            base(parts.crumbs(vec![], Crumb::index("sitemap", "sitemap/"))),
            lists::sitemap(parts),
        ),
        Page::Districts => value(
            base(parts.crumbs(vec![], Crumb::index("districts", "districts/"))),
            lists::districts(parts),
        ),
        Page::Years => value(
            base(parts.crumbs(vec![], Crumb::index("years", "years/"))),
            lists::years(parts),
        ),
        Page::Units => value(
            base(parts.crumbs(vec![], Crumb::index("units", "units/"))),
            lists::units(parts),
        ),
        Page::Persons => value(
            base(parts.crumbs(vec![], Crumb::index("persons", "persons/"))),
            lists::persons(parts),
        ),
        Page::Indicators => value(
            base(parts.crumbs(vec![], Crumb::index("indicators", "indicators/"))),
            lists::indicators(parts),
        ),
        Page::Plan(p) => {
            let plan = &parts.site.plans[p];
            let d = plan.district;
            let crumbs = parts.crumbs(
                vec![Crumb::named(
                    c.districts[d].name.clone(),
                    parts.district_url(d),
                )],
                Crumb::named(plan.title().to_string(), path.clone()),
            );
            value(base(crumbs), plan::plan(parts, p))
        }
        Page::Progress(p, n) => {
            let crumbs = under_plan(p, Crumb::index("progress", &parts.progress_url(p)));
            value(base(crumbs), track::progress(parts, p, n))
        }
        Page::Interpretation(p) => {
            let crumbs = under_plan(p, Crumb::index("interpretation", &path));
            match track::interpretation(parts, p) {
                Some(v) => value(base(crumbs), v),
                None => value(base(crumbs), lists::Empty {}),
            }
        }
        Page::District(d, n) => {
            let crumbs = parts.crumbs(
                vec![Crumb::index("districts", "districts/")],
                Crumb::named(c.districts[d].name.clone(), parts.district_url(d)),
            );
            value(base(crumbs), entity::district(parts, d, n))
        }
        Page::Year(y, n) => {
            let crumbs = parts.crumbs(
                vec![Crumb::index("years", "years/")],
                Crumb::named(format!("{y}"), Parts::year_url(y)),
            );
            value(base(crumbs), entity::year(parts, y, n))
        }
        Page::UnitsOf(d) => {
            let crumbs = parts.crumbs(
                vec![Crumb::index("units", "units/")],
                Crumb::named(c.districts[d].name.clone(), path.clone()),
            );
            value(base(crumbs), entity::units_of(parts, d))
        }
        Page::Unit(u, n) => {
            let unit = &parts.site.reg.units[u];
            let mut trail = vec![Crumb::index("units", "units/")];
            if let gongkai_model::Scope::District(d) = unit.scope {
                trail.push(Crumb::named(
                    c.districts[d].name.clone(),
                    format!("units/{}/", c.districts[d].slug),
                ));
            }
            let crumbs = parts.crumbs(trail, Crumb::named(unit.name.clone(), parts.unit_url(u)));
            value(base(crumbs), entity::unit(parts, u, n))
        }
        Page::PersonsOf(d) => {
            let crumbs = parts.crumbs(
                vec![Crumb::index("persons", "persons/")],
                Crumb::named(c.districts[d].name.clone(), path.clone()),
            );
            value(base(crumbs), entity::persons_of(parts, d))
        }
        Page::Person(x, n) => {
            let person = &parts.site.reg.persons[x];
            let mut trail = vec![Crumb::index("persons", "persons/")];
            if let gongkai_model::Scope::District(d) = person.scope {
                trail.push(Crumb::named(
                    c.districts[d].name.clone(),
                    format!("persons/{}/", c.districts[d].slug),
                ));
            }
            let crumbs = parts.crumbs(
                trail,
                Crumb::named(person.name.clone(), parts.person_url(x)),
            );
            value(base(crumbs), entity::person(parts, x, n))
        }
        Page::Indicator(i, n) => {
            let def = &parts.site.reg.indicators.items[i];
            let crumbs = parts.crumbs(
                vec![Crumb::index("indicators", "indicators/")],
                Crumb::named(def.name.clone(), parts.indicator_url(i)),
            );
            value(base(crumbs), entity::indicator(parts, i, n))
        }
        Page::Comparisons(n) => value(
            base(parts.crumbs(vec![], Crumb::index("compare", "compare/"))),
            compare::comparisons(parts, n),
        ),
        Page::Comparison(i) => {
            let view = compare::comparison(parts, i);
            let crumbs = parts.crumbs(
                vec![Crumb::index("compare", "compare/")],
                Crumb::named(view.cmp.title.clone(), path.clone()),
            );
            value(base(crumbs), view)
        }
        Page::Region(r) => {
            let region = &parts.ix.regions[r];
            let crumbs = parts.crumbs(
                vec![Crumb::index("districts", "districts/")],
                Crumb::named(region.name.clone(), region.url()),
            );
            value(base(crumbs), compare::region(parts, r))
        }
    }
}
