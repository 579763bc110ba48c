//! Track: where each task stands on the site's as-of day — its latest reported status, whether it
//! is overdue — and how many tasks of each plan, unit and person stand where. Computed once with
//! the index, so pages and data only look it up.
//!
//! The as-of day is `as_of:` of `site.yaml`, else the newest progress report's date; never the
//! clock, so the same input gives the same site. A task is overdue when its due date is before
//! that day and no report says it is done or cancelled; a standing task (长期坚持) never is.

use std::ops::Range;

use serde::Serialize;

use crate::site::Site;
use gongkai_model::{Date, Id, IdVec, PersonId, PlanId, Role, Status, TaskId, UnitId};

/// One task of one plan, seen from an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskRef {
    pub plan: PlanId,
    pub task: TaskId,
    pub role: Role,
}

/// Where one task stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskState {
    /// The latest report's status; none when nothing was reported.
    pub status: Option<Status>,
    /// Its reports (indices into the plan's progress), oldest first.
    pub reports: Vec<usize>,
    pub overdue: bool,
}

/// How many tasks stand where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Completion {
    pub total: usize,
    /// Tasks by their latest status, in the order of [`Status::ALL`].
    pub by_status: [usize; 6],
    /// Tasks with no report.
    pub unreported: usize,
    pub overdue: usize,
}

impl Completion {
    pub fn add(&mut self, s: &TaskState) {
        self.total += 1;
        match s.status {
            Some(x) => self.by_status[status_index(x)] += 1,
            None => self.unreported += 1,
        }
        if s.overdue {
            self.overdue += 1;
        }
    }

    pub fn count(&self, s: Status) -> usize {
        self.by_status[status_index(s)]
    }
}

fn status_index(s: Status) -> usize {
    Status::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

/// Tracking of a whole site.
#[derive(Debug, Default)]
pub struct Tracking {
    /// The day overdue is judged on, `YYYY-MM-DD`; none when nothing fixes one.
    pub as_of: Option<Date>,
    /// Set by `site.yaml` (rather than taken from the newest report).
    pub as_of_stated: bool,
    pub tasks: IdVec<PlanId, IdVec<TaskId, TaskState>>,
    /// Each plan's tasks, for plans with progress reports.
    pub plans: IdVec<PlanId, Option<Completion>>,
    /// Each unit's tasks it leads and supports, in plans with progress reports.
    pub units: IdVec<UnitId, [Completion; 2]>,
    pub persons: IdVec<PersonId, Completion>,
    /// Every progress report, newest first: (plan, index in its progress).
    pub feed: Vec<(PlanId, usize)>,
    /// Each plan's progress pages, as the tasks each shows (none for a plan without reports):
    /// at most `page_size` tasks a page, and at most `page_size` reports, but for a task that
    /// alone has more. Reports grow every month; no page grows without bound with them.
    pub progress_pages: IdVec<PlanId, Vec<ProgressPage>>,
}

/// One progress page: a run of tasks with all their reports, or one task with many reports and
/// a part of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressPage {
    pub tasks: Range<usize>,
    /// For a task whose reports fill several pages: which of them (newest first) this page shows.
    pub reports: Option<Range<usize>>,
}

/// Tasks cut into pages of at most `per` tasks and `per` reports, given each task's number of
/// reports. A task with more reports than a page holds has pages of its own, `per` reports each,
/// so no page grows with the reports of one task either.
pub fn cut_pages(reports: &[usize], per: usize) -> Vec<ProgressPage> {
    let per = per.max(1);
    let mut pages = Vec::new();
    let whole = |tasks: Range<usize>| ProgressPage {
        tasks,
        reports: None,
    };
    let (mut start, mut n) = (0, 0);
    for (t, &r) in reports.iter().enumerate() {
        if r > per {
            if t > start {
                pages.push(whole(start..t));
            }
            pages.extend((0..r).step_by(per).map(|from| ProgressPage {
                tasks: t..t + 1,
                reports: Some(from..(from + per).min(r)),
            }));
            (start, n) = (t + 1, 0);
            continue;
        }
        if t > start && (t - start + 1 > per || n + r > per) {
            pages.push(whole(start..t));
            start = t;
            n = 0;
        }
        n += r;
    }
    if start < reports.len() {
        pages.push(whole(start..reports.len()));
    }
    pages
}

impl Tracking {
    pub fn build(
        site: &Site,
        by_unit: &IdVec<UnitId, Vec<TaskRef>>,
        by_person: &IdVec<PersonId, Vec<TaskRef>>,
    ) -> Tracking {
        let newest = site
            .plans
            .iter()
            .flat_map(|p| p.progress.iter().filter(|r| r.plausible))
            .map(|r| r.date)
            .max();
        let (as_of, as_of_stated) = match site.config.as_of {
            Some(d) => (Some(d), true),
            None => (newest, false),
        };
        let tasks: IdVec<PlanId, IdVec<TaskId, TaskState>> = site
            .plans
            .iter()
            .map(|plan| {
                let mut states: IdVec<TaskId, TaskState> = plan
                    .body
                    .tasks
                    .iter()
                    .map(|_| TaskState::default())
                    .collect();
                for (i, r) in plan.progress.iter().enumerate() {
                    let s = &mut states[r.task];
                    s.reports.push(i);
                    s.status = Some(r.status);
                }
                for (t, s) in states.iter_mut().enumerate() {
                    let due = plan.due[TaskId::new(t)].as_ref();
                    s.overdue = match (due.and_then(|d| d.date), as_of) {
                        (Some(d), Some(a)) => d < a && !s.status.is_some_and(Status::closed),
                        _ => false,
                    };
                }
                states
            })
            .collect();
        let plans: IdVec<PlanId, Option<Completion>> = site
            .plans
            .iter_ids()
            .map(|(p, plan)| {
                (!plan.progress.is_empty()).then(|| {
                    let mut c = Completion::default();
                    tasks[p].iter().for_each(|s| c.add(s));
                    c
                })
            })
            .collect();
        let units = by_unit
            .iter()
            .map(|refs| {
                let mut c: [Completion; 2] = Default::default();
                for r in refs.iter().filter(|r| plans[r.plan].is_some()) {
                    let slot = usize::from(r.role != Role::Lead);
                    c[slot].add(&tasks[r.plan][r.task]);
                }
                c
            })
            .collect();
        let persons = by_person
            .iter()
            .map(|refs| {
                let mut c = Completion::default();
                for r in refs.iter().filter(|r| plans[r.plan].is_some()) {
                    c.add(&tasks[r.plan][r.task]);
                }
                c
            })
            .collect();
        let mut feed: Vec<(PlanId, usize)> = site
            .plans
            .iter_ids()
            .flat_map(|(p, plan)| (0..plan.progress.len()).map(move |i| (p, i)))
            .collect();
        feed.sort_by(|a, b| {
            let da = &site.plans[a.0].progress[a.1].date;
            let db = &site.plans[b.0].progress[b.1].date;
            db.cmp(da).then(a.cmp(b))
        });
        let progress_pages = site
            .plans
            .iter_ids()
            .map(|(p, plan)| {
                if plan.progress.is_empty() {
                    return Vec::new();
                }
                let counts: Vec<usize> = tasks[p].iter().map(|s| s.reports.len()).collect();
                cut_pages(&counts, site.config.page_size)
            })
            .collect();
        Tracking {
            as_of,
            as_of_stated,
            tasks,
            plans,
            units,
            persons,
            feed,
            progress_pages,
        }
    }

    pub fn state(&self, p: PlanId, t: TaskId) -> &TaskState {
        &self.tasks[p][t]
    }

    /// The progress page (from 1) that shows task `t` of plan `p`.
    pub fn progress_page(&self, p: PlanId, t: TaskId) -> usize {
        self.progress_pages[p]
            .iter()
            .position(|r| r.tasks.contains(&t.index()))
            .map_or(1, |i| i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::{ProgressPage, cut_pages};

    #[test]
    fn pages_hold_a_bounded_number_of_tasks_and_reports() {
        let tasks = |pages: Vec<ProgressPage>| -> Vec<std::ops::Range<usize>> {
            pages.into_iter().map(|p| p.tasks).collect()
        };
        // Three tasks a page when reports are few.
        assert_eq!(tasks(cut_pages(&[1, 0, 2, 1, 0], 3)), [0..3, 3..5]);
        // A task with many reports has pages of its own; the others fill pages around it.
        let pages = cut_pages(&[1, 7, 1, 1, 2], 3);
        assert_eq!(tasks(pages.clone()), [0..1, 1..2, 1..2, 1..2, 2..4, 4..5]);
        assert_eq!(
            pages.iter().map(|p| p.reports.clone()).collect::<Vec<_>>(),
            [None, Some(0..3), Some(3..6), Some(6..7), None, None]
        );
        assert_eq!(cut_pages(&[], 3), Vec::<ProgressPage>::new());
        assert_eq!(tasks(cut_pages(&[0; 4], 100)), vec![(0..4)]);
        // 100,000 reports of one task: every page holds at most `per`.
        let pages = cut_pages(&[100_000], 50);
        assert_eq!(pages.len(), 2_000);
        assert!(
            pages
                .iter()
                .all(|p| p.reports.as_ref().unwrap().len() <= 50)
        );
    }
}
