//! Index pages: home, districts, years, units, persons, indicators, the site map for people,
//! search and 404.

use serde::Serialize;

use super::entity::{LetterGroup, PersonRow, UnitRow, letter_groups, person_rows};
use crate::render::page::Parts;
use crate::render::view::PlanCard;
use gongkai_model::PlanId;

/// A page that needs nothing but the base (404).
#[derive(Serialize)]
pub struct Empty {}

/// A link with a count of what it leads to.
#[derive(Serialize)]
pub struct Counted {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// Districts grouped by region (`name` is empty for districts without one).
#[derive(Serialize)]
pub struct RegionGroup {
    pub name: String,
    /// The region's page, when it has two or more districts.
    pub url: Option<String>,
    pub districts: Vec<Counted>,
}

/// How much the site holds, for the home page.
#[derive(Serialize)]
pub struct SiteCounts {
    pub plans: usize,
    pub districts: usize,
    pub units: usize,
    pub tasks: usize,
}

#[derive(Serialize)]
pub struct HomeView<'a> {
    /// The newest plans (at most 20).
    pub latest: Vec<PlanCard<'a>>,
    /// The newest progress reports (at most 5), each with its plan and task.
    pub latest_reports: Vec<super::track::ReportLink<'a>>,
    pub regions: Vec<RegionGroup>,
    pub years: Vec<Counted>,
    pub counts: SiteCounts,
}

fn regions(parts: &Parts) -> Vec<RegionGroup> {
    let c = &parts.site.config;
    let mut groups: Vec<RegionGroup> = Vec::new();
    for (d, district) in c.districts.iter_ids() {
        let name = district.region.clone().unwrap_or_default();
        let entry = Counted {
            name: district.name.clone(),
            url: parts.district_url(d),
            count: parts.ix.by_district[d].len(),
        };
        match groups.iter_mut().find(|g| g.name == name) {
            Some(g) => g.districts.push(entry),
            None => groups.push(RegionGroup {
                url: parts.ix.region_of[d].map(|r| parts.region_url(r)),
                name,
                districts: vec![entry],
            }),
        }
    }
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    groups
}

fn year_links(parts: &Parts) -> Vec<Counted> {
    parts
        .ix
        .by_year
        .iter()
        .rev()
        .map(|(y, ps)| Counted {
            name: y.to_string(),
            url: Parts::year_url(*y),
            count: ps.len(),
        })
        .collect()
}

pub fn home<'a>(parts: &Parts<'a>) -> HomeView<'a> {
    let site = parts.site;
    let mut latest: Vec<PlanId> = site.plans.ids().collect();
    latest.sort_by(|a, b| {
        site.plans[*b]
            .period
            .cmp(&site.plans[*a].period)
            .then(a.cmp(b))
    });
    latest.truncate(parts.per_page().min(20));
    HomeView {
        latest: parts.cards(latest),
        latest_reports: super::track::latest_reports(parts, 5),
        regions: regions(parts),
        years: year_links(parts),
        counts: SiteCounts {
            plans: site.plans.len(),
            districts: site.config.districts.len(),
            units: site.reg.units.items.len(),
            tasks: site.plans.iter().map(|p| p.body.tasks.len()).sum(),
        },
    }
}

#[derive(Serialize)]
pub struct DistrictsView {
    pub regions: Vec<RegionGroup>,
}

pub fn districts(parts: &Parts) -> DistrictsView {
    DistrictsView {
        regions: regions(parts),
    }
}

#[derive(Serialize)]
pub struct YearsView {
    pub years: Vec<Counted>,
}

pub fn years(parts: &Parts) -> YearsView {
    YearsView {
        years: year_links(parts),
    }
}

#[derive(Serialize)]
pub struct UnitsView<'a> {
    /// Each district's unit list, with how many units it has.
    pub districts: Vec<Counted>,
    /// Units several districts name, A–Z.
    pub shared: Vec<LetterGroup<UnitRow<'a>>>,
}

pub fn units<'a>(parts: &Parts<'a>) -> UnitsView<'a> {
    let c = &parts.site.config;
    UnitsView {
        districts: c
            .districts
            .iter_ids()
            .map(|(d, district)| Counted {
                name: district.name.clone(),
                url: parts.units_of_url(d),
                count: parts.ix.units_of[d].iter().map(|(_, v)| v.len()).sum(),
            })
            .collect(),
        shared: letter_groups(parts, &parts.ix.shared_units),
    }
}

#[derive(Serialize)]
pub struct PersonsView<'a> {
    pub districts: Vec<Counted>,
    pub shared: Vec<PersonRow<'a>>,
}

pub fn persons<'a>(parts: &Parts<'a>) -> PersonsView<'a> {
    let c = &parts.site.config;
    PersonsView {
        districts: c
            .districts
            .iter_ids()
            .filter(|&(d, _)| !parts.ix.persons_of[d].is_empty())
            .map(|(d, district)| Counted {
                name: district.name.clone(),
                url: parts.persons_of_url(d),
                count: parts.ix.persons_of[d].len(),
            })
            .collect(),
        shared: person_rows(parts, &parts.ix.shared_persons),
    }
}

#[derive(Serialize)]
pub struct IndicatorsView {
    pub indicators: Vec<Counted>,
}

pub fn indicators(parts: &Parts) -> IndicatorsView {
    IndicatorsView {
        indicators: parts
            .site
            .reg
            .indicators
            .items
            .iter_ids()
            .map(|(i, d)| Counted {
                name: d.name.clone(),
                url: parts.indicator_url(i),
                count: parts.ix.by_indicator[i].len(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub struct SiteMapView {
    pub regions: Vec<RegionGroup>,
    pub years: Vec<Counted>,
    /// Each district's unit and person lists.
    pub unit_lists: Vec<Counted>,
    pub person_lists: Vec<Counted>,
    pub indicators: usize,
    pub comparisons: usize,
}

pub fn sitemap(parts: &Parts) -> SiteMapView {
    SiteMapView {
        regions: regions(parts),
        years: year_links(parts),
        unit_lists: units(parts).districts,
        person_lists: persons(parts).districts,
        indicators: parts.site.reg.indicators.items.len(),
        comparisons: parts.cmp.list.len(),
    }
}

#[derive(Serialize)]
pub struct SearchView {
    /// The folder of the search index (`search/ix/`), from the site root.
    pub search_index: &'static str,
}

pub fn search(_parts: &Parts) -> SearchView {
    SearchView {
        search_index: crate::search::DIR,
    }
}
