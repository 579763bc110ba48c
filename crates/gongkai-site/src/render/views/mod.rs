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

/// Where a page is: its root, path, address and breadcrumb trail.
fn base(parts: &Parts, page: &Page) -> Base {
    let c = &parts.site.config;
    let path = parts.path(page);
    // The 404 page is served at any depth, so it links from the site's base path.
    let root = if *page == Page::NotFound {
        c.base_path().to_string()
    } else {
        root_of(&path)
    };
    Base {
        root,
        canonical: format!("{}{}", c.base_url, path),
        crumbs: parts.trail(page),
        path,
    }
}

/// The context of a page for its template.
pub fn context(parts: &Parts, page: &Page) -> tera::Value {
    let base = base(parts, page);
    match *page {
        Page::Home => value(base, lists::home(parts)),
        Page::NotFound => value(base, lists::Empty {}),
        Page::Search => value(base, lists::search(parts)),
        Page::SiteMap => value(base, lists::sitemap(parts)),
        Page::Districts => value(base, lists::districts(parts)),
        Page::Years => value(base, lists::years(parts)),
        Page::Units => value(base, lists::units(parts)),
        Page::Persons => value(base, lists::persons(parts)),
        Page::Indicators => value(base, lists::indicators(parts)),
        Page::Plan(p) => value(base, plan::plan(parts, p)),
        Page::Progress(p, n) => value(base, track::progress(parts, p, n)),
        Page::Interpretation(p) => match track::interpretation(parts, p) {
            Some(v) => value(base, v),
            None => value(base, lists::Empty {}),
        },
        Page::District(d, n) => value(base, entity::district(parts, d, n)),
        Page::Year(y, n) => value(base, entity::year(parts, y, n)),
        Page::UnitsOf(d) => value(base, entity::units_of(parts, d)),
        Page::Unit(u, n) => value(base, entity::unit(parts, u, n)),
        Page::PersonsOf(d) => value(base, entity::persons_of(parts, d)),
        Page::Person(x, n) => value(base, entity::person(parts, x, n)),
        Page::Indicator(i, n) => value(base, entity::indicator(parts, i, n)),
        Page::Comparisons(n) => value(base, compare::comparisons(parts, n)),
        Page::Comparison(i) => value(base, compare::comparison(parts, i)),
        Page::Region(r) => value(base, compare::region(parts, r)),
    }
}
