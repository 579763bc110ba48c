//! The pieces of page views that several pages share: a plan's card, a task with who is
//! responsible for it, a pager, a breadcrumb. Views borrow from the model and say what a page
//! shows; the templates decide how it looks (labels included: roles and kinds are codes here).
//! Every field is documented in `docs/templates.md`.

use serde::Serialize;

use super::page::{Page, Parts, page_window, paged};
use crate::track::{Completion, TaskRef};
use gongkai_model::{
    Attachment, DistrictId, Due, Indicator, IndicatorResult, LinkedText, PlanId, Role, Scope,
    Status, TaskId,
};

/// A name that links to its page.
#[derive(Debug, Serialize)]
pub struct Link {
    pub name: String,
    /// Site-relative; templates put `root` in front.
    pub url: String,
}

/// One step of the breadcrumb trail. Index pages are named by a key the templates give a
/// label (`home`, `districts`, `years`, `units`, `persons`, `indicators`, `compare`); anything
/// else by its name. The last step is the page itself.
#[derive(Debug, Serialize)]
pub struct Crumb {
    pub key: &'static str,
    pub name: Option<String>,
    pub url: String,
    pub here: bool,
}

impl Crumb {
    /// An index page, by key.
    pub fn index(key: &'static str, url: impl Into<String>) -> Crumb {
        Crumb {
            key,
            name: None,
            url: url.into(),
            here: false,
        }
    }

    /// A page named by what it shows.
    pub fn named(name: impl Into<String>, url: impl Into<String>) -> Crumb {
        Crumb {
            key: "",
            name: Some(name.into()),
            url: url.into(),
            here: false,
        }
    }
}

/// A plan as lists show it.
#[derive(Debug, Serialize)]
pub struct PlanCard<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub district: &'a str,
    pub district_url: String,
    /// `2017` or `2016-2020`.
    pub period: String,
    pub kind: Option<&'a str>,
    pub status: Option<&'a str>,
    pub validity: Option<&'a str>,
    /// 失效 or 废止.
    pub withdrawn: bool,
    pub doc_number: Option<&'a str>,
    pub published: Option<&'a str>,
    pub tasks: usize,
    pub indicators: usize,
    /// Where its tasks stand, when it has progress reports.
    pub completion: Option<CompletionView>,
}

/// How many tasks stand where.
#[derive(Debug, Serialize)]
pub struct CompletionView {
    pub total: usize,
    /// The statuses some task has, in a fixed order (未启动 … 已取消): `status` and `count`.
    pub statuses: Vec<StatusCount>,
    /// Tasks with no report.
    pub unreported: usize,
    pub overdue: usize,
    /// Tasks done, in whole percent of all.
    pub done_percent: usize,
}

#[derive(Debug, Serialize)]
pub struct StatusCount {
    pub status: Status,
    pub count: usize,
}

impl From<&Completion> for CompletionView {
    fn from(c: &Completion) -> Self {
        CompletionView {
            total: c.total,
            statuses: Status::ALL
                .into_iter()
                .filter(|s| c.count(*s) > 0)
                .map(|status| StatusCount {
                    status,
                    count: c.count(status),
                })
                .collect(),
            unreported: c.unreported,
            overdue: c.overdue,
            done_percent: (c.count(Status::Done) * 100)
                .checked_div(c.total)
                .unwrap_or(0),
        }
    }
}

/// A file for download.
#[derive(Debug, Serialize)]
pub struct FileView<'a> {
    /// `original` (原文), `annex` (附件) or `evidence`.
    pub role: gongkai_model::FileRole,
    pub title: &'a str,
    /// The name the publisher gave it, offered as the download's name.
    pub file_name: &'a str,
    /// Lower-case extension (`pdf`, `docx` …); the template names the type.
    pub ext: &'a str,
    /// Bytes.
    pub size: u64,
    /// Site-relative.
    pub url: String,
}

/// What a plan sets for an indicator, as its page and its data file both give it.
#[derive(Debug, Serialize)]
pub struct Goal<'a> {
    pub target: &'a str,
    pub measure: Option<&'a str>,
    pub baseline: Option<&'a str>,
    pub unit: Option<&'a str>,
    /// `decrease`, `increase`, `eliminate` or `maintain`.
    pub direction: Option<gongkai_model::Direction>,
    /// `2024` or `2021-2025`, when the indicator names a period of its own.
    pub period: Option<String>,
}

impl<'a> Goal<'a> {
    pub fn of(i: &'a Indicator) -> Goal<'a> {
        Goal {
            target: &i.target,
            measure: i.measure.as_deref(),
            baseline: i.baseline.as_deref(),
            unit: i.unit.as_deref(),
            direction: i.direction,
            period: i.period.map(|x| x.to_string()),
        }
    }
}

/// An indicator's result for a year or period, as pages and data files both give it (each
/// adds, by a name of its own, whether the publisher judged it).
#[derive(Debug, Serialize)]
pub struct Outcome<'a> {
    /// `2024` or `2021-2025`.
    pub period: String,
    /// 实际值, as written.
    pub value: &'a str,
    pub source: Option<&'a str>,
    pub date: Option<&'a str>,
    /// Met (true), missed (false), or not judged (none).
    pub met: Option<bool>,
}

impl<'a> Outcome<'a> {
    pub fn of(r: &'a IndicatorResult) -> Outcome<'a> {
        Outcome {
            period: r.period.to_string(),
            value: &r.value,
            source: r.source.as_deref(),
            date: r.date.as_deref(),
            met: r.met,
        }
    }
}

/// Evidence of a progress report: a page of another site, or a file published with the plan.
#[derive(Debug, Serialize)]
pub struct EvidenceLink<'a> {
    pub title: Option<&'a str>,
    /// The other site's address, or the file's (site-relative on pages, absolute in data).
    pub url: String,
}

/// A task as lists show it, with who is responsible.
#[derive(Debug, Serialize)]
pub struct TaskItem<'a> {
    /// The task's key in its plan (`8`, `2.3`, `a5`).
    pub number: &'a str,
    /// The number as written (`8.`, `（三）`).
    pub label: &'a str,
    pub title: &'a str,
    /// The task on its plan's page: `jingan/2017/aqsc/#task-8`.
    pub url: String,
    /// What the unit or person of the list does for it: `lead`, `support` or `person`.
    pub role: Option<Role>,
    pub lead: Vec<Link>,
    pub support: Vec<Link>,
    pub persons: Vec<Link>,
    /// Where it stands.
    pub mark: TaskMark<'a>,
}

/// Where a task stands: beside it in the text and in every list of tasks.
#[derive(Debug, Serialize)]
pub struct TaskMark<'a> {
    /// Its latest reported status (`not_started`, `in_progress`, `ongoing`, `delayed`, `done`,
    /// `cancelled`); none when nothing was reported.
    pub status: Option<Status>,
    /// 完成时限: `text` as written, `date` it means (or none), `long_term`, `from`.
    pub due: Option<&'a Due>,
    /// Past its due date on the as-of day and not done.
    pub overdue: bool,
    /// The date of its latest report.
    pub updated: Option<gongkai_model::Date>,
    /// Its reports on the plan's progress page, when it has any.
    pub timeline_url: Option<String>,
}

/// A plan's tasks in a list grouped by plan.
#[derive(Debug, Serialize)]
pub struct PlanTasks<'a> {
    pub plan: PlanCard<'a>,
    pub tasks: Vec<TaskItem<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Pager {
    pub number: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

/// A page number in a pager; no URL for the gap (…) between distant numbers.
#[derive(Debug, Serialize)]
pub struct PageLink {
    pub name: String,
    pub url: Option<String>,
    pub current: bool,
}

/// A piece of text, linked when it names a unit or person.
#[derive(Debug, Serialize)]
pub struct Segment<'a> {
    pub text: &'a str,
    pub url: Option<String>,
}

impl<'a> Parts<'a> {
    /// The trail from the home page through `trail` to the page itself, `here`.
    pub fn crumbs(&self, trail: Vec<Crumb>, mut here: Crumb) -> Vec<Crumb> {
        here.here = true;
        let mut v = vec![Crumb::index("home", Self::home_url())];
        v.extend(trail);
        v.push(here);
        v
    }

    /// A page's breadcrumb trail: home, the pages above it, the page itself; none on the home
    /// and 404 pages.
    pub fn trail(&self, page: &Page) -> Vec<Crumb> {
        let c = &self.site.config;
        let district =
            |d: DistrictId| Crumb::named(c.districts[d].name.clone(), self.district_url(d));
        let top = |key: &'static str, url: String| (vec![], Crumb::index(key, url));
        let (above, here) = match *page {
            Page::Home | Page::NotFound => return Vec::new(),
            Page::Search => top("search", Self::search_url()),
            Page::SiteMap => top("sitemap", Self::sitemap_url()),
            Page::Districts => top("districts", Self::districts_url()),
            Page::Years => top("years", Self::years_url()),
            Page::Units => top("units", Self::units_url()),
            Page::Persons => top("persons", Self::persons_url()),
            Page::Indicators => top("indicators", Self::indicators_url()),
            Page::Comparisons(_) => top("compare", Self::comparisons_url()),
            Page::Plan(p) => {
                let plan = &self.site.plans[p];
                let here = Crumb::named(plan.title(), self.plan_url(p));
                (vec![district(plan.district)], here)
            }
            Page::Progress(p, _) => (
                self.under_plan(p),
                Crumb::index("progress", self.progress_url(p)),
            ),
            Page::Interpretation(p) => (
                self.under_plan(p),
                Crumb::index("interpretation", self.interpretation_url(p)),
            ),
            Page::District(d, _) => (vec![Self::districts_crumb()], district(d)),
            Page::Year(y, _) => (
                vec![Crumb::index("years", Self::years_url())],
                Crumb::named(format!("{y}"), Self::year_url(y)),
            ),
            Page::UnitsOf(d) => (
                vec![Crumb::index("units", Self::units_url())],
                Crumb::named(c.districts[d].name.clone(), self.units_of_url(d)),
            ),
            Page::Unit(u, _) => {
                let unit = &self.site.reg.units[u];
                let mut above = vec![Crumb::index("units", Self::units_url())];
                if let Scope::District(d) = unit.scope {
                    above.push(Crumb::named(
                        c.districts[d].name.clone(),
                        self.units_of_url(d),
                    ));
                }
                (above, Crumb::named(unit.name.clone(), self.unit_url(u)))
            }
            Page::PersonsOf(d) => (
                vec![Crumb::index("persons", Self::persons_url())],
                Crumb::named(c.districts[d].name.clone(), self.persons_of_url(d)),
            ),
            Page::Person(x, _) => {
                let person = &self.site.reg.persons[x];
                let mut above = vec![Crumb::index("persons", Self::persons_url())];
                if let Scope::District(d) = person.scope {
                    above.push(Crumb::named(
                        c.districts[d].name.clone(),
                        self.persons_of_url(d),
                    ));
                }
                (above, Crumb::named(person.name.clone(), self.person_url(x)))
            }
            Page::Indicator(i, _) => (
                vec![Crumb::index("indicators", Self::indicators_url())],
                Crumb::named(
                    self.site.reg.indicators.items[i].name.clone(),
                    self.indicator_url(i),
                ),
            ),
            Page::Comparison(i) => (
                vec![Crumb::index("compare", Self::comparisons_url())],
                Crumb::named(self.comparison_title(i), self.comparison_url(i)),
            ),
            Page::Region(r) => (
                vec![Self::districts_crumb()],
                Crumb::named(self.ix.regions[r].name.clone(), self.region_url(r)),
            ),
        };
        self.crumbs(above, here)
    }

    fn districts_crumb() -> Crumb {
        Crumb::index("districts", Self::districts_url())
    }

    /// The trail down to a page of a plan's own (its progress, its 解读): its district and the
    /// plan.
    fn under_plan(&self, p: PlanId) -> Vec<Crumb> {
        let plan = &self.site.plans[p];
        let d = plan.district;
        vec![
            Crumb::named(
                self.site.config.districts[d].name.clone(),
                self.district_url(d),
            ),
            Crumb::named(plan.title(), self.plan_url(p)),
        ]
    }

    pub fn card(&self, p: PlanId) -> PlanCard<'a> {
        let plan = &self.site.plans[p];
        let m = &plan.meta;
        PlanCard {
            title: plan.title(),
            url: self.plan_url(p),
            district: &self.site.config.districts[plan.district].name,
            district_url: self.district_url(plan.district),
            period: plan.period.to_string(),
            kind: m.kind.as_deref(),
            status: m.status.as_deref(),
            validity: m.validity.as_deref(),
            withdrawn: plan.is_withdrawn(),
            doc_number: m.doc_number.as_deref(),
            published: m.published.as_deref(),
            tasks: plan.body.tasks.len(),
            indicators: plan.indicators.len(),
            completion: self.ix.track.plans[p].as_ref().map(CompletionView::from),
        }
    }

    /// Where a task stands.
    pub fn mark(&self, p: PlanId, t: TaskId) -> TaskMark<'a> {
        let plan = &self.site.plans[p];
        let state = self.ix.track.state(p, t);
        TaskMark {
            status: state.status,
            due: plan.due[t].as_ref(),
            overdue: state.overdue,
            updated: state.reports.last().map(|&i| plan.progress[i].date),
            timeline_url: (!state.reports.is_empty()).then(|| self.timeline_url(p, t)),
        }
    }

    /// A file published with a plan, for download.
    pub fn file_view(&self, p: PlanId, a: &'a Attachment) -> FileView<'a> {
        FileView {
            role: a.role,
            title: &a.title,
            file_name: &a.file_name,
            ext: &a.ext,
            size: a.size,
            url: self.file_url(p, a),
        }
    }

    pub fn cards(&self, plans: impl IntoIterator<Item = PlanId>) -> Vec<PlanCard<'a>> {
        plans.into_iter().map(|p| self.card(p)).collect()
    }

    pub fn task_item(&self, p: PlanId, t: TaskId, role: Option<Role>) -> TaskItem<'a> {
        let plan = &self.site.plans[p];
        let task = &plan.body.tasks[t];
        let r = &plan.responsibility[t];
        let reg = &self.site.reg;
        TaskItem {
            number: &task.key,
            label: &task.label,
            title: &task.title,
            url: self.task_url(p, t),
            role,
            lead: r
                .lead
                .iter()
                .map(|&u| Link {
                    name: reg.units[u].name.clone(),
                    url: self.unit_url(u),
                })
                .collect(),
            support: r
                .support
                .iter()
                .map(|&u| Link {
                    name: reg.units[u].name.clone(),
                    url: self.unit_url(u),
                })
                .collect(),
            persons: r
                .persons
                .iter()
                .map(|&x| Link {
                    name: reg.persons[x].name.clone(),
                    url: self.person_url(x),
                })
                .collect(),
            mark: self.mark(p, t),
        }
    }

    /// Task references grouped by plan, keeping their order.
    pub fn grouped(&self, refs: &[TaskRef]) -> Vec<PlanTasks<'a>> {
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

    /// Prev and next, and the page numbers near this one. A unit of a national site has
    /// hundreds of pages; listing every number on every page would make the pager most of it.
    pub fn pager(&self, base: String, page: usize, items: usize) -> Pager {
        self.pager_of(base, page, self.pages_for(items))
    }

    /// A pager over `total` pages that are not cut by a number of items.
    pub fn pager_of(&self, base: String, page: usize, total: usize) -> Pager {
        let total = total.max(1);
        Pager {
            number: page,
            total,
            prev: (page > 1).then(|| paged(base.clone(), page - 1)),
            next: (page < total).then(|| paged(base.clone(), page + 1)),
            pages: page_window(page, total)
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
                .collect(),
        }
    }

    /// The items of page `page` (from 1).
    pub fn chunk<'b, T>(&self, v: &'b [T], page: usize) -> &'b [T] {
        let per = self.per_page();
        let start = (page.saturating_sub(1) * per).min(v.len());
        &v[start..(start + per).min(v.len())]
    }

    /// Text with the unit and person names in it linked, for a plan of `plan`'s district.
    pub fn segments<'t>(&self, plan: PlanId, t: &'t LinkedText) -> Vec<Segment<'t>> {
        let d = self.site.plans[plan].district;
        let reg = &self.site.reg;
        let mut out = Vec::new();
        let mut pos = 0;
        for l in &t.links {
            if l.range.start < pos
                || l.range.end > t.text.len()
                || !t.text.is_char_boundary(l.range.start)
                || !t.text.is_char_boundary(l.range.end)
            {
                continue;
            }
            let name = &t.text[l.range.clone()];
            let url = match l.role {
                Role::Person => reg.persons.find(d, name).map(|i| self.person_url(i)),
                _ => reg.units.find(d, name).map(|i| self.unit_url(i)),
            };
            if l.range.start > pos {
                out.push(Segment {
                    text: &t.text[pos..l.range.start],
                    url: None,
                });
            }
            out.push(Segment {
                text: &t.text[l.range.clone()],
                url,
            });
            pos = l.range.end;
        }
        if pos < t.text.len() {
            out.push(Segment {
                text: &t.text[pos..],
                url: None,
            });
        }
        out
    }
}
