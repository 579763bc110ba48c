//! Render: the list of pages of a site and, for each, a small context of pre-computed views for
//! its template. Contexts borrow from the site and the index; templates only present them.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, Tera};

use crate::body::{Block, LinkedText, PLAN_ROOT};
use crate::config::SiteConfig;
use crate::index::{Index, Role, TaskRef};
use crate::model::{Plan, Task};
use crate::search;
use crate::validate::Site;

mod compare;

/// How many plans of other districts in the same year a plan page lists.
const SAME_YEAR_SHOWN: usize = 20;

/// A page to write: its folder (site-relative, `""` for home) and what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Home,
    NotFound,
    Plan(usize),
    Districts,
    District(usize),
    Years,
    /// Plans in force in a year, one page of them (1-based).
    Year(u16, usize),
    Units,
    /// A unit's tasks, one page of them (1-based).
    Unit(usize, usize),
    Persons,
    Person(usize, usize),
    Indicators,
    /// An indicator across plans, one page of them (1-based).
    Indicator(usize, usize),
    /// All comparisons, by district and region.
    Comparisons,
    /// What changed between two plans (index into the index's comparisons).
    Comparison(usize),
    /// A region's plans year by year across its districts.
    Region(usize),
    /// Full-text search (our bigram index, searched in the browser).
    Search,
}

pub fn unit_url(c: &SiteConfig, u: usize) -> String {
    format!("units/{}/", c.units.items[u].slug)
}
pub fn person_url(c: &SiteConfig, p: usize) -> String {
    format!("persons/{}/", c.persons.items[p].slug)
}
pub fn indicator_url(c: &SiteConfig, i: usize) -> String {
    format!("indicators/{}/", c.indicators.items[i].slug)
}
pub fn district_url(c: &SiteConfig, d: usize) -> String {
    format!("{}/", c.districts[d].slug)
}
pub fn year_url(y: u16) -> String {
    format!("years/{y}/")
}
fn paged(base: String, page: usize) -> String {
    if page <= 1 {
        base
    } else {
        format!("{base}page/{page}/")
    }
}

/// Every page of the site, in a stable order.
pub fn pages(site: &Site, ix: &Index) -> Vec<Page> {
    let c = &site.config;
    let per = c.page_size;
    let npages = |n: usize| n.div_ceil(per).max(1);
    let mut v = vec![
        Page::Home,
        Page::NotFound,
        Page::Districts,
        Page::Years,
        Page::Units,
        Page::Persons,
        Page::Indicators,
    ];
    v.extend((0..site.plans.len()).map(Page::Plan));
    v.extend((0..c.districts.len()).map(Page::District));
    for (y, plans) in &ix.by_year {
        v.extend((1..=npages(plans.len())).map(|p| Page::Year(*y, p)));
    }
    for (u, tasks) in ix.by_unit.iter().enumerate() {
        v.extend((1..=npages(tasks.len())).map(|p| Page::Unit(u, p)));
    }
    for (u, tasks) in ix.by_person.iter().enumerate() {
        v.extend((1..=npages(tasks.len())).map(|p| Page::Person(u, p)));
    }
    for (i, rows) in ix.by_indicator.iter().enumerate() {
        v.extend((1..=npages(rows.len())).map(|p| Page::Indicator(i, p)));
    }
    v.push(Page::Search);
    v.push(Page::Comparisons);
    v.extend((0..ix.comparisons.list.len()).map(Page::Comparison));
    v.extend((0..ix.comparisons.regions.len()).map(Page::Region));
    v
}

impl Page {
    /// The page's folder relative to the site root (the 404 page is a file at the root).
    pub fn path(&self, site: &Site, ix: &Index) -> String {
        let c = &site.config;
        match self {
            Page::Home | Page::NotFound => String::new(),
            Page::Plan(p) => site.plans[*p].url(),
            Page::Districts => "districts/".into(),
            Page::District(d) => district_url(c, *d),
            Page::Years => "years/".into(),
            Page::Year(y, n) => paged(year_url(*y), *n),
            Page::Units => "units/".into(),
            Page::Unit(u, n) => paged(unit_url(c, *u), *n),
            Page::Persons => "persons/".into(),
            Page::Person(p, n) => paged(person_url(c, *p), *n),
            Page::Indicators => "indicators/".into(),
            Page::Indicator(i, n) => paged(indicator_url(c, *i), *n),
            Page::Comparisons => "compare/".into(),
            Page::Search => "search/".into(),
            Page::Comparison(i) => ix.comparisons.list[*i].url.clone(),
            Page::Region(r) => ix.comparisons.regions[*r].url(),
        }
    }

    /// The file written for the page.
    pub fn file(&self, site: &Site, ix: &Index) -> String {
        match self {
            Page::NotFound => "404.html".into(),
            _ => format!("{}index.html", self.path(site, ix)),
        }
    }

    pub fn template(&self) -> &'static str {
        match self {
            Page::Home => "home.html",
            Page::NotFound => "404.html",
            Page::Plan(_) => "plan.html",
            Page::Districts => "districts.html",
            Page::District(_) => "district.html",
            Page::Years => "years.html",
            Page::Year(..) => "year.html",
            Page::Units => "units.html",
            Page::Unit(..) => "unit.html",
            Page::Persons => "persons.html",
            Page::Person(..) => "person.html",
            Page::Indicators => "indicators.html",
            Page::Indicator(..) => "indicator.html",
            Page::Comparisons => "comparisons.html",
            Page::Search => "search.html",
            Page::Comparison(_) => "comparison.html",
            Page::Region(_) => "region.html",
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

#[derive(Serialize)]
struct Link {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct PlanCard<'a> {
    title: &'a str,
    url: String,
    district: &'a str,
    district_url: String,
    period: String,
    kind: Option<&'a str>,
    status: Option<&'a str>,
    validity: Option<&'a str>,
    withdrawn: bool,
    doc_number: Option<&'a str>,
    published: Option<&'a str>,
    tasks: usize,
    indicators: usize,
}

#[derive(Serialize)]
struct TaskItem<'a> {
    number: &'a str,
    label: &'a str,
    title: &'a str,
    url: String,
    role: Option<&'static str>,
    lead: Vec<Link>,
    support: Vec<Link>,
    persons: Vec<Link>,
}

#[derive(Serialize)]
struct PlanTasks<'a> {
    plan: PlanCard<'a>,
    tasks: Vec<TaskItem<'a>>,
}

#[derive(Serialize)]
struct Pager {
    number: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

/// A page number in a pager; no URL for the gap (…) between distant numbers.
#[derive(Serialize)]
struct PageLink {
    name: String,
    url: Option<String>,
    current: bool,
}

#[derive(Serialize)]
struct MetaRow<'a> {
    label: &'static str,
    value: &'a str,
}

/// Site-wide values every template sees as `site`.
pub fn site_globals(tera: &mut Tera, c: &SiteConfig) {
    let v = serde_json::json!({
        "title": c.title, "base_url": c.base_url, "language": c.language, "description": c.description,
        "site_id_code": c.site_id_code, "column_name": c.column_name, "column_type": c.column_type,
        "organizer": c.organizer, "icp": c.icp, "police_record": c.police_record,
    });
    tera.global_context().insert("site", &v);
}

/// Renders pages with a compiled theme.
pub struct Renderer<'a> {
    pub tera: &'a Tera,
    pub site: &'a Site,
    pub ix: &'a Index,
}

impl<'a> Renderer<'a> {
    fn c(&self) -> &'a SiteConfig {
        &self.site.config
    }

    fn card(&self, p: usize) -> PlanCard<'a> {
        let plan = &self.site.plans[p];
        let c = self.c();
        let m = &plan.meta;
        PlanCard {
            title: plan.title(),
            url: plan.url(),
            district: &c.districts[plan.district_idx].name,
            district_url: district_url(c, plan.district_idx),
            period: plan.period().to_string(),
            kind: m.kind.as_deref(),
            status: m.status.as_deref(),
            validity: m.validity.as_deref(),
            withdrawn: plan.is_withdrawn(),
            doc_number: m.doc_number.as_deref(),
            published: m.published.as_deref(),
            tasks: plan.body.tasks.len(),
            indicators: plan.indicators.len(),
        }
    }

    fn task_item(&self, p: usize, t: usize, role: Option<Role>) -> TaskItem<'a> {
        let plan = &self.site.plans[p];
        let task: &'a Task = &plan.body.tasks[t];
        let r = &plan.responsibility[t];
        let c = self.c();
        let units = |v: &[usize]| {
            v.iter()
                .map(|&u| Link {
                    name: c.units.items[u].name.clone(),
                    url: unit_url(c, u),
                })
                .collect()
        };
        TaskItem {
            number: &task.key,
            label: &task.label,
            title: &task.title,
            url: format!("{}#{}", plan.url(), task.anchor),
            role: role.map(Role::label),
            lead: units(&r.lead),
            support: units(&r.support),
            persons: r
                .persons
                .iter()
                .map(|&u| Link {
                    name: c.persons.items[u].name.clone(),
                    url: person_url(c, u),
                })
                .collect(),
        }
    }

    /// Task references grouped by plan, keeping their order.
    fn grouped(&self, refs: &[TaskRef]) -> Vec<PlanTasks<'a>> {
        let mut out: Vec<PlanTasks> = Vec::new();
        let mut last = None;
        for r in refs {
            if last != Some(r.plan) {
                out.push(PlanTasks {
                    plan: self.card(r.plan),
                    tasks: Vec::new(),
                });
                last = Some(r.plan);
            }
            if let Some(g) = out.last_mut() {
                g.tasks.push(self.task_item(r.plan, r.task, Some(r.role)));
            }
        }
        out
    }

    /// Prev and next, and the page numbers near this one: the first, the last, and two either
    /// side, with gaps between. A unit of a national site has hundreds of pages; listing every
    /// number on every page would make the pager most of the page.
    fn pager(&self, base: String, page: usize, total_items: usize) -> Pager {
        let total = total_items.div_ceil(self.c().page_size).max(1);
        let pages = page_window(page, total)
            .into_iter()
            .map(|n| match n {
                Some(n) => PageLink {
                    name: n.to_string(),
                    url: Some(paged(base.clone(), n)),
                    current: n == page,
                },
                None => PageLink {
                    name: "…".into(),
                    url: None,
                    current: false,
                },
            })
            .collect();
        Pager {
            number: page,
            total,
            prev: (page > 1).then(|| paged(base.clone(), page - 1)),
            next: (page < total).then(|| paged(base.clone(), page + 1)),
            pages,
        }
    }

    fn chunk<'b, T>(&self, v: &'b [T], page: usize) -> &'b [T] {
        let per = self.c().page_size;
        let start = ((page - 1) * per).min(v.len());
        &v[start..(start + per).min(v.len())]
    }

    /// The template context of one page.
    pub fn context(&self, page: &Page) -> Context {
        let site = self.site;
        let c = self.c();
        let ix = self.ix;
        let path = page.path(site, ix);
        let mut ctx = Context::new();
        // The 404 page is served at any depth, so it links from the site's base path.
        let root = if *page == Page::NotFound {
            c.base_path().to_string()
        } else {
            root_of(&path)
        };
        ctx.insert("root", &root);
        ctx.insert("path", &path);
        ctx.insert("canonical", &format!("{}{}", c.base_url, path));
        match page {
            Page::Home => {
                let mut latest: Vec<usize> = (0..site.plans.len()).collect();
                latest.sort_by(|a, b| {
                    site.plans[*b]
                        .period()
                        .cmp(&site.plans[*a].period())
                        .then(a.cmp(b))
                });
                latest.truncate(c.page_size.min(20));
                ctx.insert(
                    "latest",
                    &latest.iter().map(|&p| self.card(p)).collect::<Vec<_>>(),
                );
                ctx.insert("regions", &self.regions());
                ctx.insert("years", &self.year_links());
                ctx.insert(
                    "counts",
                    &BTreeMap::from([
                        ("plans", site.plans.len()),
                        ("districts", c.districts.len()),
                        ("units", c.units.items.len()),
                        ("tasks", site.plans.iter().map(|p| p.body.tasks.len()).sum()),
                    ]),
                );
            }
            Page::NotFound => {}
            Page::Plan(p) => self.plan_context(*p, &mut ctx),
            Page::Districts => ctx.insert("regions", &self.regions()),
            Page::District(d) => {
                ctx.insert("district", &c.districts[*d]);
                let plans = &ix.by_district[*d];
                ctx.insert(
                    "plans",
                    &plans
                        .iter()
                        .rev()
                        .map(|&p| self.card(p))
                        .collect::<Vec<_>>(),
                );
                ctx.insert("indicators", &self.indicator_rows(plans.iter().copied()));
                let neighbours: Vec<Link> = c.districts[*d]
                    .region
                    .as_ref()
                    .and_then(|r| ix.regions.get(r))
                    .map(|ds| {
                        ds.iter()
                            .filter(|x| *x != d)
                            .map(|&x| Link {
                                name: c.districts[x].name.clone(),
                                url: district_url(c, x),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                ctx.insert("neighbours", &neighbours);
                self.district_comparisons(*d, &mut ctx);
            }
            Page::Years => ctx.insert("years", &self.year_links()),
            Page::Year(y, n) => {
                ctx.insert("year", y);
                let plans = ix.by_year.get(y).map(Vec::as_slice).unwrap_or_default();
                ctx.insert(
                    "plans",
                    &self
                        .chunk(plans, *n)
                        .iter()
                        .map(|&p| self.card(p))
                        .collect::<Vec<_>>(),
                );
                ctx.insert("pager", &self.pager(year_url(*y), *n, plans.len()));
                let years: Vec<u16> = ix.by_year.keys().copied().collect();
                let pos = years.iter().position(|x| x == y);
                ctx.insert(
                    "prev_year",
                    &pos.and_then(|i| i.checked_sub(1)).map(|i| years[i]),
                );
                ctx.insert("next_year", &pos.and_then(|i| years.get(i + 1)).copied());
            }
            Page::Units => ctx.insert("groups", &self.unit_groups()),
            Page::Unit(u, n) => {
                let unit = &c.units.items[*u];
                let refs = &ix.by_unit[*u];
                let (lead, support) = ix.unit_counts(*u);
                ctx.insert("unit", unit);
                ctx.insert("kind", unit.kind.label());
                ctx.insert("lead_count", &lead);
                ctx.insert("support_count", &support);
                ctx.insert("by_year", &Self::year_counts(&ix.unit_periods[*u]));
                ctx.insert("groups", &self.grouped(self.chunk(refs, *n)));
                ctx.insert("pager", &self.pager(unit_url(c, *u), *n, refs.len()));
            }
            Page::Persons => {
                let mut people: Vec<(usize, &str, usize)> = c
                    .persons
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (i, p.name.as_str(), ix.by_person[i].len()))
                    .collect();
                people.sort_by_cached_key(|p| (crate::index::pinyin_key(p.1), p.1));
                let list: Vec<BTreeMap<&str, String>> = people
                    .iter()
                    .map(|(i, n, k)| {
                        BTreeMap::from([
                            ("name", n.to_string()),
                            ("url", person_url(c, *i)),
                            ("count", k.to_string()),
                        ])
                    })
                    .collect();
                ctx.insert("persons", &list);
            }
            Page::Person(pi, n) => {
                let refs = &ix.by_person[*pi];
                ctx.insert("person", &c.persons.items[*pi]);
                ctx.insert("count", &refs.len());
                ctx.insert("by_year", &Self::year_counts(&ix.person_periods[*pi]));
                ctx.insert("groups", &self.grouped(self.chunk(refs, *n)));
                ctx.insert("pager", &self.pager(person_url(c, *pi), *n, refs.len()));
            }
            Page::Indicators => {
                let list: Vec<BTreeMap<&str, String>> = c
                    .indicators
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, d)| {
                        BTreeMap::from([
                            ("name", d.name.clone()),
                            ("url", indicator_url(c, i)),
                            ("count", ix.by_indicator[i].len().to_string()),
                        ])
                    })
                    .collect();
                ctx.insert("indicators", &list);
            }
            Page::Indicator(i, n) => {
                let def = &c.indicators.items[*i];
                ctx.insert("indicator", def);
                ctx.insert("direction", &def.direction.map(|d| d.label()));
                ctx.insert(
                    "pager",
                    &self.pager(indicator_url(c, *i), *n, ix.by_indicator[*i].len()),
                );
                let rows: Vec<BTreeMap<&str, serde_json::Value>> = self
                    .chunk(&ix.by_indicator[*i], *n)
                    .iter()
                    .map(|&(p, k)| {
                        let ind = &site.plans[p].indicators[k];
                        BTreeMap::from([
                            (
                                "plan",
                                serde_json::to_value(self.card(p)).unwrap_or_default(),
                            ),
                            ("name", ind.name.clone().into()),
                            ("target", ind.target.clone().into()),
                            ("measure", ind.measure.clone().into()),
                            ("baseline", ind.baseline.clone().into()),
                            ("unit", ind.unit.clone().into()),
                            ("period", ind.period.map(|x| x.to_string()).into()),
                            (
                                "task_url",
                                ind.task
                                    .map(|t| {
                                        format!(
                                            "{}#{}",
                                            site.plans[p].url(),
                                            site.plans[p].body.tasks[t].anchor
                                        )
                                    })
                                    .into(),
                            ),
                        ])
                    })
                    .collect();
                ctx.insert("rows", &rows);
                // The chart covers every plan, so the first page shows it.
                let chart = if *n == 1 {
                    self.indicator_chart(*i)
                } else {
                    None
                };
                ctx.insert("chart", &chart);
            }
            Page::Comparisons => self.comparisons_context(&mut ctx),
            Page::Search => ctx.insert("search_index", search::DIR),
            Page::Comparison(i) => self.comparison_context(*i, &mut ctx),
            Page::Region(r) => self.region_context(*r, &mut ctx),
        }
        ctx
    }

    fn regions(&self) -> Vec<BTreeMap<&'static str, serde_json::Value>> {
        let c = self.c();
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, d) in c.districts.iter().enumerate() {
            groups
                .entry(d.region.clone().unwrap_or_default())
                .or_default()
                .push(i);
        }
        groups
            .into_iter()
            .map(|(region, ds)| {
                let districts: Vec<serde_json::Value> = ds
                    .iter()
                    .map(|&d| serde_json::json!({"name": c.districts[d].name, "url": district_url(c, d), "count": self.ix.by_district[d].len()}))
                    .collect();
                BTreeMap::from([("name", region.into()), ("districts", districts.into())])
            })
            .collect()
    }

    fn year_links(&self) -> Vec<serde_json::Value> {
        self.ix.by_year.iter().rev().map(|(y, ps)| serde_json::json!({"name": y.to_string(), "url": year_url(*y), "count": ps.len()})).collect()
    }

    fn year_counts(periods: &[(crate::model::Period, usize)]) -> Vec<serde_json::Value> {
        periods
            .iter()
            .map(
                |(period, count)| serde_json::json!({"period": period.to_string(), "count": count}),
            )
            .collect()
    }

    /// Units A–Z by the index's filing letter, each with its kind and task counts.
    fn unit_groups(&self) -> Vec<serde_json::Value> {
        let c = self.c();
        self.ix
            .units_by_letter
            .iter()
            .map(|(letter, us)| {
                let units: Vec<serde_json::Value> = us
                    .iter()
                    .map(|&u| {
                        let (lead, support) = self.ix.unit_counts(u);
                        let unit = &c.units.items[u];
                        serde_json::json!({"name": unit.name, "url": unit_url(c, u), "kind": unit.kind.label(), "lead": lead, "support": support, "aliases": unit.aliases})
                    })
                    .collect();
                let anchor = if *letter == '#' { "letter-other".to_string() } else { format!("letter-{letter}") };
                serde_json::json!({"letter": letter.to_string(), "anchor": anchor, "units": units})
            })
            .collect()
    }

    /// A district's indicators over its plans: one row per indicator, one column per plan.
    fn indicator_rows(&self, plans: impl Iterator<Item = usize>) -> serde_json::Value {
        let site = self.site;
        let c = self.c();
        let plans: Vec<usize> = plans
            .filter(|&p| !site.plans[p].indicators.is_empty())
            .collect();
        let mut rows: BTreeMap<usize, Vec<Option<String>>> = BTreeMap::new();
        for (col, &p) in plans.iter().enumerate() {
            for ind in &site.plans[p].indicators {
                let row = rows
                    .entry(ind.def)
                    .or_insert_with(|| vec![None; plans.len()]);
                let measure = ind
                    .measure
                    .as_deref()
                    .map(|m| format!("（{m}）"))
                    .unwrap_or_default();
                row[col] = Some(format!("{}{}", ind.target, measure));
            }
        }
        serde_json::json!({
            "columns": plans.iter().map(|&p| serde_json::json!({"period": site.plans[p].period().to_string(), "district": c.districts[site.plans[p].district_idx].name, "url": site.plans[p].url(), "title": site.plans[p].title()})).collect::<Vec<_>>(),
            "rows": rows.into_iter().map(|(d, vals)| serde_json::json!({"name": c.indicators.items[d].name, "url": indicator_url(c, d), "values": vals})).collect::<Vec<_>>(),
        })
    }

    fn plan_context(&self, p: usize, ctx: &mut Context) {
        let site = self.site;
        let c = self.c();
        let plan = &site.plans[p];
        let m = &plan.meta;
        let card = self.card(p);
        let topic = m.topic.as_deref().or(c.default_topic.as_deref());
        let rows: Vec<MetaRow> = [
            ("索引号", m.index_number.as_deref()),
            ("主题分类", topic),
            ("发文机关", m.issuer.as_deref()),
            ("成文日期", m.written.as_deref()),
            ("标题", Some(plan.title())),
            ("发文字号", m.doc_number.as_deref()),
            ("发布日期", m.published.as_deref()),
            ("有效性", m.validity.as_deref()),
            ("公开方式", m.disclosure.as_deref()),
            ("文件状态", m.status.as_deref()),
        ]
        .into_iter()
        .filter_map(|(label, v)| v.map(|value| MetaRow { label, value }))
        .collect();
        ctx.insert("meta_rows", &rows);
        ctx.insert("plan", &card);
        ctx.insert("source", &m.source);
        ctx.insert("keywords", &m.keywords);
        ctx.insert("toc", &plan.body.sections);
        ctx.insert("body", &self.body_html(plan));
        let md = |t: &Option<String>| {
            t.as_deref()
                .map(|t| comrak::markdown_to_html(t, &crate::body::comrak_options()))
        };
        ctx.insert("notice", &md(&m.notice));
        ctx.insert("imprint", &md(&m.imprint));
        let tasks: Vec<TaskItem> = (0..plan.body.tasks.len())
            .map(|t| self.task_item(p, t, None))
            .collect();
        ctx.insert("tasks", &tasks);
        let indicators: Vec<serde_json::Value> = plan
            .indicators
            .iter()
            .map(|i| {
                serde_json::json!({
                    "name": i.name, "url": indicator_url(c, i.def), "target": i.target, "measure": i.measure,
                    "baseline": i.baseline, "unit": i.unit, "direction": i.direction.map(|d| d.label()),
                    "period": i.period.map(|x| x.to_string()),
                    "task_url": i.task.map(|t| format!("#{}", plan.body.tasks[t].anchor)),
                })
            })
            .collect();
        ctx.insert("indicators", &indicators);
        ctx.insert("responsibility", &self.responsibility(p));
        let others = |list: &[usize]| {
            list.iter()
                .filter(|&&x| x != p)
                .map(|&x| self.card(x))
                .collect::<Vec<_>>()
        };
        ctx.insert(
            "same_district",
            &others(&self.ix.by_district[plan.district_idx]),
        );
        let mut same_year: Vec<usize> = plan
            .period()
            .years()
            .flat_map(|y| self.ix.by_year.get(&y).cloned().unwrap_or_default())
            .collect();
        same_year.sort_unstable();
        same_year.dedup();
        same_year.retain(|&x| site.plans[x].district_idx != plan.district_idx);
        // A national site has thousands of plans a year: list a few, link the year pages.
        ctx.insert("same_year_total", &same_year.len());
        same_year.truncate(SAME_YEAR_SHOWN);
        ctx.insert("same_year", &others(&same_year));
        ctx.insert(
            "years",
            &plan
                .period()
                .years()
                .map(|y| Link {
                    name: y.to_string(),
                    url: year_url(y),
                })
                .collect::<Vec<_>>(),
        );
        ctx.insert("jsonld", &self.json_ld(plan));
        self.plan_comparisons(p, ctx);
    }

    /// Unit → tasks, then person → tasks, for the plan's responsibility summary.
    fn responsibility(&self, p: usize) -> Vec<serde_json::Value> {
        let c = self.c();
        let plan = &self.site.plans[p];
        let mut units: BTreeMap<usize, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        let mut persons: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (t, r) in plan.responsibility.iter().enumerate() {
            r.lead
                .iter()
                .for_each(|&u| units.entry(u).or_default().0.push(t));
            r.support
                .iter()
                .for_each(|&u| units.entry(u).or_default().1.push(t));
            r.persons
                .iter()
                .for_each(|&u| persons.entry(u).or_default().push(t));
        }
        let links = |ts: &[usize]| {
            ts.iter()
                .map(|&t| {
                    let task = &plan.body.tasks[t];
                    serde_json::json!({"number": task.key, "label": task.label, "url": format!("#{}", task.anchor)})
                })
                .collect::<Vec<_>>()
        };
        let mut rows: Vec<(usize, String, serde_json::Value)> = units
            .iter()
            .map(|(&u, (lead, support))| {
                let name = c.units.items[u].name.clone();
                (lead.len() + support.len(), name.clone(), serde_json::json!({"name": name, "url": unit_url(c, u), "kind": "unit", "lead": links(lead), "support": links(support)}))
            })
            .collect();
        rows.extend(persons.iter().map(|(&u, ts)| {
            let name = c.persons.items[u].name.clone();
            (ts.len(), name.clone(), serde_json::json!({"name": name, "url": person_url(c, u), "kind": "person", "lead": links(ts), "support": []}))
        }));
        // Most tasks first; names break ties so the order is stable.
        rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        rows.into_iter().map(|(_, _, v)| v).collect()
    }

    fn json_ld(&self, plan: &Plan) -> String {
        let c = self.c();
        let m = &plan.meta;
        let mut v = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Legislation",
            "name": plan.title(),
            "url": format!("{}{}", c.base_url, plan.url()),
            "inLanguage": c.language,
            "legislationJurisdiction": c.districts[plan.district_idx].name,
        });
        let o = v.as_object_mut().expect("json object");
        if let Some(x) = &m.doc_number {
            o.insert("legislationIdentifier".into(), x.clone().into());
        }
        if let Some(x) = &m.written {
            o.insert("legislationDate".into(), x.clone().into());
        }
        if let Some(x) = &m.published {
            o.insert("datePublished".into(), x.clone().into());
        }
        if let Some(x) = &m.issuer {
            o.insert(
                "legislationPassedBy".into(),
                serde_json::json!({"@type": "GovernmentOrganization", "name": x}),
            );
        }
        if let Some(x) = &m.validity {
            let force = if x == "有效" {
                "https://schema.org/InForce"
            } else {
                "https://schema.org/NotInForce"
            };
            o.insert("legislationLegalForce".into(), force.into());
        }
        if let Some(x) = &m.kind {
            o.insert("legislationType".into(), x.clone().into());
        }
        // `</` inside a script element would end it early.
        serde_json::to_string(&v)
            .unwrap_or_default()
            .replace("</", "<\\/")
    }

    /// The plan's text as HTML: headings and tasks with anchors, names linked to index pages.
    fn body_html(&self, plan: &Plan) -> String {
        let mut out = String::new();
        for block in &plan.body.blocks {
            match block {
                Block::Heading { section } => {
                    let s = &plan.body.sections[*section];
                    out.push_str(&format!(
                        "<h{l} id=\"{a}\">{t}</h{l}>\n",
                        l = s.level,
                        a = s.anchor,
                        t = esc(&format!("{}{}", s.label, s.title))
                    ));
                }
                Block::Task { task, html, note } => {
                    let t = &plan.body.tasks[*task];
                    out.push_str(&format!("<p class=\"task\" {}>{html}", task_anchor(t)));
                    if let Some(n) = note {
                        out.push_str(&format!("<span class=\"resp\">{}</span>", self.linkify(n)));
                    }
                    out.push_str("</p>\n");
                }
                Block::TaskTable { header, rows } => {
                    out.push_str("<div class=\"table-wrap\" role=\"region\" aria-label=\"任务清单\" tabindex=\"0\"><table class=\"task-table\"><thead><tr>");
                    for h in header {
                        out.push_str(&format!("<th scope=\"col\">{}</th>", esc(h)));
                    }
                    out.push_str("</tr></thead><tbody>");
                    for row in rows {
                        let group = row.task.is_none()
                            && row.cells.iter().skip(1).all(|c| c.text.is_empty());
                        if let (true, Some(first)) = (group, row.cells.first()) {
                            // A row that heads a group of tasks spans the table.
                            out.push_str(&format!(
                                "<tr class=\"group\"><th scope=\"colgroup\" colspan=\"{}\">{}</th></tr>",
                                header.len(),
                                self.linkify(first)
                            ));
                            continue;
                        }
                        match row.task {
                            Some(t) => {
                                out.push_str(&format!("<tr {}>", task_anchor(&plan.body.tasks[t])))
                            }
                            None => out.push_str("<tr class=\"group\">"),
                        }
                        for cell in &row.cells {
                            out.push_str(&format!("<td>{}</td>", self.linkify(cell)));
                        }
                        out.push_str("</tr>");
                    }
                    out.push_str("</tbody></table></div>\n");
                }
                Block::Table(html) => {
                    out.push_str("<div class=\"table-wrap\" role=\"region\" aria-label=\"表格\" tabindex=\"0\">");
                    out.push_str(html);
                    out.push_str("</div>\n");
                }
                Block::Html(html) => out.push_str(html),
            }
        }
        out
    }

    /// Escapes text and turns the unit and person names in it into links.
    fn linkify(&self, t: &LinkedText) -> String {
        let c = self.c();
        let mut out = String::new();
        let mut pos = 0;
        for l in &t.links {
            if l.range.start < pos || l.range.end > t.text.len() {
                continue;
            }
            let url = match l.role {
                Role::Person => c.persons.get(&l.name).map(|i| person_url(c, i)),
                _ => c.units.get(&l.name).map(|i| unit_url(c, i)),
            };
            out.push_str(&esc(&t.text[pos..l.range.start]));
            let name = esc(&t.text[l.range.clone()]);
            match url {
                Some(u) => out.push_str(&format!("<a href=\"{PLAN_ROOT}{u}\">{name}</a>")),
                None => out.push_str(&name),
            }
            pos = l.range.end;
        }
        out.push_str(&esc(&t.text[pos..]));
        out
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

/// The attribute that makes a task an anchor: its id.
fn task_anchor(t: &Task) -> String {
    format!("id=\"{}\"", t.anchor)
}

/// HTML-escapes text for element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A template error with its causes, one line each, so the publisher sees the real reason.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(&format!(": {c}"));
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagers_show_a_window() {
        let w = |p, t| page_window(p, t);
        assert_eq!(w(1, 4), [Some(1), Some(2), Some(3), Some(4)]);
        assert_eq!(
            w(50, 168),
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
        assert_eq!(w(1, 1), [Some(1)]);
    }

    #[test]
    fn roots() {
        assert_eq!(root_of(""), "./");
        assert_eq!(root_of("units/"), "../");
        assert_eq!(root_of("jingan/2017/aqsc/"), "../../../");
    }
}
