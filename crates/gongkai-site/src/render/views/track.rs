//! What was done: a plan's progress page (each task's dated reports with their evidence), its
//! 政策解读, and the parts other pages show of tracking (results against targets, the reports on
//! the home page).

use serde::Serialize;

use crate::render::page::Parts;
use crate::render::view::{
    CompletionView, EvidenceLink, FileView, Link, Outcome, Pager, PlanCard, TaskItem,
};
use gongkai_model::{Evidence, Id, IndicatorResult, InterpretationMeta, PlanId, Status, TaskId};

/// A plan's progress page.
#[derive(Serialize)]
pub struct ProgressView<'a> {
    pub plan: PlanCard<'a>,
    /// The day overdue is judged on, and whether `site.yaml` set it (else it is the newest
    /// report's date).
    pub as_of: Option<gongkai_model::Date>,
    pub as_of_stated: bool,
    pub completion: Option<CompletionView>,
    /// This page's tasks, each with its reports.
    pub tasks: Vec<TaskTimeline<'a>>,
    pub pager: Pager,
    pub interpretation: Option<Link>,
}

/// A task and its reports, newest first.
#[derive(Serialize)]
pub struct TaskTimeline<'a> {
    pub task: TaskItem<'a>,
    /// Its anchor on this page (`task-8`).
    pub id: &'a str,
    pub reports: Vec<ReportView<'a>>,
}

/// One dated report.
#[derive(Serialize)]
pub struct ReportView<'a> {
    pub date: gongkai_model::Date,
    pub status: Status,
    /// What was done.
    pub text: Option<&'a str>,
    pub reporter: Option<&'a str>,
    pub evidence: Vec<EvidenceView<'a>>,
}

/// Evidence of a report: a link to another site (`external`) or a file published with the plan.
#[derive(Serialize)]
pub struct EvidenceView<'a> {
    /// Its title, and an address of another site or a site-relative file.
    #[serde(flatten)]
    pub link: EvidenceLink<'a>,
    pub external: bool,
    /// For a file: what it is and its size.
    pub file: Option<FileView<'a>>,
}

pub fn report<'a>(parts: &Parts<'a>, p: PlanId, i: usize) -> ReportView<'a> {
    let plan = &parts.site.plans[p];
    let r = &plan.progress[i];
    ReportView {
        date: r.date,
        status: r.status,
        text: r.text.as_deref(),
        reporter: r.reporter.as_deref(),
        evidence: r
            .evidence
            .iter()
            .filter_map(|e| match e {
                Evidence::Link { title, url } => Some(EvidenceView {
                    link: EvidenceLink {
                        title: title.as_deref(),
                        url: url.clone(),
                    },
                    external: true,
                    file: None,
                }),
                Evidence::File { title, file } => plan.files.get(*file).map(|a| {
                    let f = parts.file_view(p, a);
                    EvidenceView {
                        link: EvidenceLink {
                            title: title.as_deref().or(Some(&a.title)),
                            url: f.url.clone(),
                        },
                        external: false,
                        file: Some(f),
                    }
                }),
            })
            .collect(),
    }
}

pub fn progress<'a>(parts: &Parts<'a>, p: PlanId, page: usize) -> ProgressView<'a> {
    let plan = &parts.site.plans[p];
    let track = &parts.ix.track;
    let pages = &track.progress_pages[p];
    let this = pages.get(page.saturating_sub(1));
    let ids: Vec<TaskId> = this
        .map(|pg| pg.tasks.clone())
        .unwrap_or_default()
        .map(TaskId::new)
        .collect();
    // A task whose reports fill several pages shows this page's part of them.
    let part = this.and_then(|pg| pg.reports.clone());
    ProgressView {
        plan: parts.card(p),
        as_of: track.as_of,
        as_of_stated: track.as_of_stated,
        completion: track.plans[p].as_ref().map(CompletionView::from),
        tasks: ids
            .iter()
            .map(|&t| TaskTimeline {
                task: parts.task_item(p, t, None),
                id: &plan.body.tasks[t].anchor,
                reports: {
                    let all = &track.state(p, t).reports;
                    let newest_first = all.iter().rev();
                    match &part {
                        Some(r) => newest_first
                            .skip(r.start)
                            .take(r.len())
                            .map(|&i| report(parts, p, i))
                            .collect(),
                        None => newest_first.map(|&i| report(parts, p, i)).collect(),
                    }
                },
            })
            .collect(),
        pager: parts.pager_of(parts.progress_url(p), page, pages.len()),
        interpretation: plan.interpretation.as_ref().map(|i| Link {
            name: i.meta.title.clone().unwrap_or_default(),
            url: parts.interpretation_url(p),
        }),
    }
}

/// A plan's 解读 page.
#[derive(Serialize)]
pub struct InterpretationView<'a> {
    /// Its front matter: `title`, `issuer`, `kind`, `published`, `source`.
    pub doc: &'a InterpretationMeta,
    /// Its text, as HTML.
    pub html: &'a str,
    /// The plan it explains.
    pub plan: PlanCard<'a>,
    pub downloads: Vec<FileView<'a>>,
}

pub fn interpretation<'a>(parts: &Parts<'a>, p: PlanId) -> Option<InterpretationView<'a>> {
    let plan = &parts.site.plans[p];
    let i = plan.interpretation.as_ref()?;
    Some(InterpretationView {
        doc: &i.meta,
        html: &i.html,
        plan: parts.card(p),
        downloads: downloads(parts, p),
    })
}

/// The plan's original and annexes, for download (evidence is shown with its report).
pub fn downloads<'a>(parts: &Parts<'a>, p: PlanId) -> Vec<FileView<'a>> {
    parts.site.plans[p]
        .files
        .iter()
        .filter(|a| a.role != gongkai_model::FileRole::Evidence)
        .map(|a| parts.file_view(p, a))
        .collect()
}

/// An indicator's result for a year or period.
#[derive(Serialize)]
pub struct ResultView<'a> {
    #[serde(flatten)]
    pub outcome: Outcome<'a>,
    /// The publisher judged it (`met:`), rather than gongkai.
    pub stated: bool,
}

pub fn result_view(r: &IndicatorResult) -> ResultView<'_> {
    ResultView {
        outcome: Outcome::of(r),
        stated: r.stated,
    }
}

/// The results a plan gives for its indicator at `k` (its place in the plan's indicators).
pub fn results_of<'a>(parts: &Parts<'a>, p: PlanId, k: usize) -> Vec<ResultView<'a>> {
    let plan = &parts.site.plans[p];
    let spec = plan.indicators[k].spec;
    plan.results
        .iter()
        .filter(|r| r.indicator == spec)
        .map(result_view)
        .collect()
}

/// A report as the home page and the feed list it: the plan, the task and what was reported.
#[derive(Serialize)]
pub struct ReportLink<'a> {
    pub plan: PlanCard<'a>,
    pub task: TaskItem<'a>,
    pub report: ReportView<'a>,
}

/// The newest reports of the site, at most `n`.
pub fn latest_reports<'a>(parts: &Parts<'a>, n: usize) -> Vec<ReportLink<'a>> {
    parts
        .ix
        .track
        .feed
        .iter()
        .take(n)
        .map(|&(p, i)| {
            let t = parts.site.plans[p].progress[i].task;
            ReportLink {
                plan: parts.card(p),
                task: parts.task_item(p, t, None),
                report: report(parts, p, i),
            }
        })
        .collect()
}
