//! The pages of a site: what each shows, where it lives, which template draws it. Every list
//! that grows with the number of plans is paged, so no page grows without bound.

use crate::compare::Comparisons;
use crate::index::Index;
use crate::site::Site;
use gongkai_model::{
    Attachment, ComparisonId, DistrictId, IndicatorId, PersonId, PlanId, RegionId, Scope,
    SectionId, TaskId, UnitId,
};

/// A page to write. `usize` fields are page numbers, from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    Home,
    NotFound,
    Plan(PlanId),
    /// A plan's progress: each task's reports, one page of tasks (plans with reports only; a page
    /// holds a bounded number of tasks and reports).
    Progress(PlanId, usize),
    /// A plan's 政策解读.
    Interpretation(PlanId),
    Districts,
    /// A district's plans, one page of them, and its indicators and comparisons on the first.
    District(DistrictId, usize),
    Years,
    /// Plans in force in a year, one page of them.
    Year(u16, usize),
    /// Units by district, and the shared ones.
    Units,
    /// A district's units A–Z.
    UnitsOf(DistrictId),
    /// A unit's tasks, one page of them.
    Unit(UnitId, usize),
    Persons,
    PersonsOf(DistrictId),
    Person(PersonId, usize),
    Indicators,
    /// An indicator across plans, one page of them.
    Indicator(IndicatorId, usize),
    /// All comparisons, one page of them.
    Comparisons(usize),
    /// What changed between two plans.
    Comparison(ComparisonId),
    /// A region's districts' plans side by side, year by year.
    Region(RegionId),
    /// Full-text search.
    Search,
    /// The site map for people (网站地图).
    SiteMap,
}

/// What the pages are built from.
#[derive(Clone, Copy)]
pub struct Parts<'a> {
    pub site: &'a Site,
    pub ix: &'a Index,
    pub cmp: &'a Comparisons,
}

pub fn paged(base: String, page: usize) -> String {
    if page <= 1 {
        base
    } else {
        format!("{base}page/{page}/")
    }
}

impl<'a> Parts<'a> {
    pub fn per_page(&self) -> usize {
        self.site.config.page_size
    }

    /// How many pages a list of `n` items takes.
    pub fn pages_for(&self, n: usize) -> usize {
        n.div_ceil(self.per_page()).max(1)
    }

    // Where each kind of page lives, site-relative: the one place page addresses are made
    // (paged lists add `page/<n>/`, see [`paged`]).

    /// The home page: the site root.
    pub fn home_url() -> String {
        String::new()
    }

    pub fn search_url() -> String {
        "search/".into()
    }

    pub fn sitemap_url() -> String {
        "sitemap/".into()
    }

    pub fn districts_url() -> String {
        "districts/".into()
    }

    pub fn years_url() -> String {
        "years/".into()
    }

    pub fn units_url() -> String {
        "units/".into()
    }

    pub fn persons_url() -> String {
        "persons/".into()
    }

    pub fn indicators_url() -> String {
        "indicators/".into()
    }

    pub fn comparisons_url() -> String {
        "compare/".into()
    }

    /// A plan's page (its folder, as loading the site gave it).
    pub fn plan_url(&self, p: PlanId) -> &'a str {
        &self.site.plans[p].url
    }

    /// A task on its plan's page.
    pub fn task_url(&self, p: PlanId, t: TaskId) -> String {
        format!(
            "{}#{}",
            self.plan_url(p),
            self.site.plans[p].body.tasks[t].anchor
        )
    }

    /// A section (numbered heading) on its plan's page.
    pub fn section_url(&self, p: PlanId, s: SectionId) -> String {
        format!(
            "{}#{}",
            self.plan_url(p),
            self.site.plans[p].body.sections[s].anchor
        )
    }

    /// A file published with a plan.
    pub fn file_url(&self, p: PlanId, a: &Attachment) -> String {
        format!("{}{}", self.plan_url(p), a.published)
    }

    /// A plan's progress page (its first page).
    pub fn progress_url(&self, p: PlanId) -> String {
        format!("{}progress/", self.plan_url(p))
    }

    /// A task's reports on its plan's progress page.
    pub fn timeline_url(&self, p: PlanId, t: TaskId) -> String {
        let plan = &self.site.plans[p];
        let page = self.ix.track.progress_page(p, t);
        format!(
            "{}#{}",
            paged(self.progress_url(p), page),
            plan.body.tasks[t].anchor
        )
    }

    /// A plan's 解读 page.
    pub fn interpretation_url(&self, p: PlanId) -> String {
        format!(
            "{}{}",
            self.plan_url(p),
            gongkai_model::track::INTERPRETATION_DIR
        )
    }

    pub fn district_url(&self, d: DistrictId) -> String {
        format!("{}/", self.site.config.districts[d].slug)
    }

    pub fn year_url(y: u16) -> String {
        format!("years/{y}/")
    }

    /// A district's units A–Z.
    pub fn units_of_url(&self, d: DistrictId) -> String {
        format!("units/{}/", self.site.config.districts[d].slug)
    }

    pub fn unit_url(&self, u: UnitId) -> String {
        let unit = &self.site.reg.units[u];
        match unit.scope {
            Scope::District(d) => format!("{}{}/", self.units_of_url(d), unit.slug),
            Scope::Shared => format!("units/{}/", unit.slug),
        }
    }

    /// A district's persons.
    pub fn persons_of_url(&self, d: DistrictId) -> String {
        format!("persons/{}/", self.site.config.districts[d].slug)
    }

    pub fn person_url(&self, p: PersonId) -> String {
        let person = &self.site.reg.persons[p];
        match person.scope {
            Scope::District(d) => format!("{}{}/", self.persons_of_url(d), person.slug),
            Scope::Shared => format!("persons/{}/", person.slug),
        }
    }

    pub fn indicator_url(&self, i: IndicatorId) -> String {
        format!("indicators/{}/", self.site.reg.indicators.items[i].slug)
    }

    /// What changed between two plans (as comparing the plans named it).
    pub fn comparison_url(&self, i: ComparisonId) -> String {
        self.cmp.list[i].url.clone()
    }

    /// A region's plans side by side.
    pub fn region_url(&self, r: RegionId) -> String {
        self.ix.regions[r].url()
    }

    /// Every page of the site, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        let (site, ix, cmp) = (self.site, self.ix, self.cmp);
        let c = &site.config;
        let n = |len: usize| 1..=self.pages_for(len);
        let mut v = vec![
            Page::Home,
            Page::NotFound,
            Page::Districts,
            Page::Years,
            Page::Units,
            Page::Persons,
            Page::Indicators,
            Page::Search,
            Page::SiteMap,
        ];
        v.extend(site.plans.ids().map(Page::Plan));
        for (p, plan) in site.plans.iter_ids() {
            let progress = ix.track.progress_pages[p].len();
            v.extend((1..=progress).map(|k| Page::Progress(p, k)));
            if plan.interpretation.is_some() {
                v.push(Page::Interpretation(p));
            }
        }
        for (d, plans) in ix.by_district.iter_ids() {
            v.extend(n(plans.len()).map(|k| Page::District(d, k)));
        }
        for (y, plans) in &ix.by_year {
            v.extend(n(plans.len()).map(|k| Page::Year(*y, k)));
        }
        v.extend(c.districts.ids().map(Page::UnitsOf));
        for (u, tasks) in ix.by_unit.iter_ids() {
            v.extend(n(tasks.len()).map(|k| Page::Unit(u, k)));
        }
        // A district's persons have a page when it has any (most districts name none).
        v.extend(
            c.districts
                .ids()
                .filter(|&d| !ix.persons_of[d].is_empty())
                .map(Page::PersonsOf),
        );
        for (p, tasks) in ix.by_person.iter_ids() {
            v.extend(n(tasks.len()).map(|k| Page::Person(p, k)));
        }
        for (i, rows) in ix.by_indicator.iter_ids() {
            v.extend(n(rows.len()).map(|k| Page::Indicator(i, k)));
        }
        v.extend(n(cmp.list.len()).map(Page::Comparisons));
        v.extend(cmp.list.ids().map(Page::Comparison));
        v.extend(ix.regions.ids().map(Page::Region));
        v
    }

    /// The page's folder relative to the site root (the 404 page is a file at the root).
    pub fn path(&self, page: &Page) -> String {
        match *page {
            Page::Home | Page::NotFound => Self::home_url(),
            Page::Plan(p) => self.plan_url(p).to_string(),
            Page::Progress(p, n) => paged(self.progress_url(p), n),
            Page::Interpretation(p) => self.interpretation_url(p),
            Page::Districts => Self::districts_url(),
            Page::District(d, n) => paged(self.district_url(d), n),
            Page::Years => Self::years_url(),
            Page::Year(y, n) => paged(Self::year_url(y), n),
            Page::Units => Self::units_url(),
            Page::UnitsOf(d) => self.units_of_url(d),
            Page::Unit(u, n) => paged(self.unit_url(u), n),
            Page::Persons => Self::persons_url(),
            Page::PersonsOf(d) => self.persons_of_url(d),
            Page::Person(p, n) => paged(self.person_url(p), n),
            Page::Indicators => Self::indicators_url(),
            Page::Indicator(i, n) => paged(self.indicator_url(i), n),
            Page::Comparisons(n) => paged(Self::comparisons_url(), n),
            Page::Comparison(i) => self.comparison_url(i),
            Page::Region(r) => self.region_url(r),
            Page::Search => Self::search_url(),
            Page::SiteMap => Self::sitemap_url(),
        }
    }

    /// The file written for the page.
    pub fn file(&self, page: &Page) -> String {
        match page {
            Page::NotFound => "404.html".into(),
            _ => format!("{}index.html", self.path(page)),
        }
    }
}

impl Page {
    pub fn template(&self) -> &'static str {
        match self {
            Page::Home => "home.html",
            Page::NotFound => "404.html",
            Page::Plan(_) => "plan.html",
            Page::Progress(..) => "progress.html",
            Page::Interpretation(_) => "interpretation.html",
            Page::Districts => "districts.html",
            Page::District(..) => "district.html",
            Page::Years => "years.html",
            Page::Year(..) => "year.html",
            Page::Units => "units.html",
            Page::UnitsOf(_) => "units_of.html",
            Page::Unit(..) => "unit.html",
            Page::Persons => "persons.html",
            Page::PersonsOf(_) => "persons_of.html",
            Page::Person(..) => "person.html",
            Page::Indicators => "indicators.html",
            Page::Indicator(..) => "indicator.html",
            Page::Comparisons(_) => "comparisons.html",
            Page::Comparison(_) => "comparison.html",
            Page::Region(_) => "region.html",
            Page::Search => "search.html",
            Page::SiteMap => "sitemap.html",
        }
    }
}

/// The relative way back to the site root from a page folder: `../../` for `a/b/`.
pub fn root_of(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".into()
    } else {
        "../".repeat(depth)
    }
}

/// The page numbers a pager shows: the first, the last and two either side of `page`, with
/// `None` for each gap.
pub fn page_window(page: usize, total: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    for n in 1..=total {
        if n == 1 || n == total || n.abs_diff(page) <= 2 {
            out.push(Some(n));
        } else if out.last().is_some_and(Option::is_some) {
            out.push(None);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagers_show_a_window() {
        assert_eq!(page_window(1, 4), [Some(1), Some(2), Some(3), Some(4)]);
        assert_eq!(
            page_window(50, 168),
            [
                Some(1),
                None,
                Some(48),
                Some(49),
                Some(50),
                Some(51),
                Some(52),
                None,
                Some(168)
            ]
        );
        assert_eq!(page_window(1, 1), [Some(1)]);
    }

    #[test]
    fn roots() {
        assert_eq!(root_of(""), "./");
        assert_eq!(root_of("units/"), "../");
        assert_eq!(root_of("jingan/2017/aqsc/"), "../../../");
    }
}
