//! Tracking, checked: each task's due date read (the front matter's `due:`, a 完成时限 column, or
//! the task's own words), progress reports tied to their tasks, the files a plan publishes found
//! under `sources/`, indicator results tied to the plan's indicators and judged against their
//! targets, and the plan's 解读 checked like a plan's front matter.

use std::collections::HashMap;
use std::path::Path;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::yaml::{item_lines, line_of};
use gongkai_model::Date;
use gongkai_model::track::Life;
use gongkai_model::{
    Attachment, Direction, Due, DueSource, Evidence, FileProblem, FileRole, IdVec, Indicator,
    IndicatorResult, LoadedPlan, Period, Progress, ProgressSpec, ResultSpec, Status, TaskId,
};

use super::is_date;

/// File types published for download, by extension: documents, spreadsheets, images, archives.
/// A web page (`.html`) is not among them: opened from the site, its scripts would run as the
/// site's own.
pub const PUBLISHED_TYPES: &[&str] = &[
    "pdf", "ofd", "doc", "docx", "wps", "rtf", "txt", "xls", "xlsx", "et", "csv", "ods", "odt",
    "ppt", "pptx", "dps", "jpg", "jpeg", "png", "gif", "zip", "rar", "7z",
];

/// What tracking adds to a prepared plan.
pub struct Tracked {
    pub due: IdVec<TaskId, Option<Due>>,
    pub progress: Vec<Progress>,
    pub results: Vec<IndicatorResult>,
    pub files: Vec<Attachment>,
}

/// Reads a plan's due dates, progress, results and files. `period` is the plan's when it has
/// one (phrases without a year need it).
pub fn prepare(
    config: &SiteConfig,
    plan: &LoadedPlan,
    period: Option<Period>,
    diags: &mut Diagnostics,
) -> Tracked {
    let files = files(plan, diags);
    let due = dues(plan, period, diags);
    let life = period.map(|p| Life::new(p, plan.meta.written.as_deref().map(str::trim)));
    let progress = progress(config, plan, life.as_ref(), &files, diags);
    let results = results(config, plan, diags);
    if let Some(i) = &plan.interpretation {
        interpretation(i, diags);
    }
    Tracked {
        due,
        progress,
        results,
        files,
    }
}

fn dues(
    plan: &LoadedPlan,
    period: Option<Period>,
    diags: &mut Diagnostics,
) -> IdVec<TaskId, Option<Due>> {
    // `due:` under `tasks:`, by the task its number names (a repeating row's names its task).
    let mut stated_due: HashMap<TaskId, Option<&String>> = HashMap::new();
    for o in &plan.meta.tasks {
        if let Some(t) = plan.body.task_by_key(&o.number) {
            stated_due.entry(t).or_insert(o.due.as_ref());
        }
    }
    plan.body
        .tasks
        .iter_ids()
        .map(|(id, t)| {
            let stated = stated_due.get(&id).copied().flatten().cloned();
            let (text, from) = match (stated, &t.due_cell) {
                (Some(d), _) => (d, DueSource::FrontMatter),
                (None, Some(c)) => (c.clone(), DueSource::Table),
                (None, None) => (gongkai_zh::due::find(&t.text, period)?, DueSource::Text),
            };
            let (date, long_term) =
                period.map_or((None, false), |p| gongkai_zh::due::resolve(&text, p));
            if date.is_none() && !long_term && from != DueSource::Text {
                let line = match from {
                    DueSource::FrontMatter => {
                        line_of(&plan.front_matter, &format!("due: {text}"), 1)
                    }
                    _ => t.line,
                };
                diags.push(
                    Diagnostic::new(
                        &plan.file,
                        line,
                        gongkai_i18n::tr!("track.due_unread", task = &t.key, due = &text),
                    )
                    .hint(gongkai_i18n::tr!("track.due_unread_hint"))
                    .warning(),
                );
            }
            Some(Due {
                text,
                date,
                long_term,
                from,
            })
        })
        .collect()
}

/// The published name of a file: its name's pinyin as a slug, its extension lower-case, unique
/// in the plan's `files/` folder.
fn published_name(file_name: &str, ext: &str, taken: &[Attachment]) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let slug = gongkai_zh::slug::from_name(stem, "file", |s| {
        taken
            .iter()
            .any(|a| a.published == format!("files/{s}.{ext}"))
    });
    format!("files/{slug}.{ext}")
}

/// A file a plan names, and where it names it.
struct Wanted<'a> {
    path: String,
    role: FileRole,
    title: Option<String>,
    file: &'a Path,
    line: usize,
}

/// The files a plan publishes: its `source:` (when a file of `sources/`), its `attachments:`,
/// and the evidence files of its progress — each once. A file that is missing or outside
/// `sources/` is an error; a web page is not published, and says so.
fn files(plan: &LoadedPlan, diags: &mut Diagnostics) -> Vec<Attachment> {
    let mut out: Vec<Attachment> = Vec::new();
    for w in wanted(plan, diags) {
        if out.iter().any(|a| a.source == w.path) {
            continue;
        }
        if let Some(a) = attachment(plan, w, &out, diags) {
            out.push(a);
        }
    }
    // The original first, then annexes, then evidence, each in the order written.
    out.sort_by_key(|a| a.role);
    out
}

/// Every file the plan names, in the order written: `source:`, `attachments:`, evidence.
fn wanted<'a>(plan: &'a LoadedPlan, diags: &mut Diagnostics) -> Vec<Wanted<'a>> {
    let m = &plan.meta;
    let mut wanted: Vec<Wanted> = Vec::new();
    let fm_line = |needle: &str| line_of(&plan.front_matter, needle, 1);
    if let Some(s) = &m.source
        && crate::load::is_source_path(s)
    {
        // The original is named by the plan's title.
        wanted.push(Wanted {
            path: s.trim().to_string(),
            role: FileRole::Original,
            title: m.title.clone(),
            file: &plan.file,
            line: fm_line("source:"),
        });
    }
    for a in &m.attachments {
        let role = match a.kind.as_deref().map(str::trim) {
            None | Some("附件") => FileRole::Annex,
            Some("原文") => FileRole::Original,
            Some(other) => {
                diags.push(
                    Diagnostic::new(
                        &plan.file,
                        fm_line(&a.file),
                        gongkai_i18n::tr!("track.attachment_kind", kind = other),
                    )
                    .hint(gongkai_i18n::tr!("track.attachment_kind_hint")),
                );
                FileRole::Annex
            }
        };
        wanted.push(Wanted {
            path: a.file.trim().to_string(),
            role,
            title: a.title.clone(),
            file: &plan.file,
            line: fm_line(&a.file),
        });
    }
    for (spec, file, line) in progress_specs(plan) {
        for e in &spec.evidence {
            if let (title, None, Some(f)) = e.parts() {
                wanted.push(Wanted {
                    path: f.trim().to_string(),
                    role: FileRole::Evidence,
                    title: title.map(str::to_string),
                    file,
                    line,
                });
            }
        }
    }
    wanted
}

/// The file `w` names as published beside those already `taken`, or `None` once its problem
/// is reported (a file the loader did not look at is not published either).
fn attachment(
    plan: &LoadedPlan,
    w: Wanted,
    taken: &[Attachment],
    diags: &mut Diagnostics,
) -> Option<Attachment> {
    let Wanted {
        path,
        role,
        title,
        file,
        line,
    } = w;
    let stat = plan.files.iter().find(|f| f.path == path)?;
    let size = match &stat.state {
        Ok(size) => *size,
        Err(problem) => {
            let (msg, hint) = match problem {
                FileProblem::Outside => ("track.file_outside", "track.file_outside_hint"),
                FileProblem::Missing => ("track.file_missing", "track.file_missing_hint"),
                FileProblem::Unreadable(why) => {
                    diags.push(
                        Diagnostic::new(file, line, format!("{path}: {why}"))
                            .hint(gongkai_i18n::tr!("input.hint.not_file")),
                    );
                    return None;
                }
            };
            diags.push(
                Diagnostic::new(file, line, gongkai_i18n::tr!(msg, file = &path))
                    .hint(gongkai_i18n::tr!(hint)),
            );
            return None;
        }
    };
    let file_name = path.rsplit('/').next().unwrap_or(&path).to_string();
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !PUBLISHED_TYPES.contains(&ext.as_str()) {
        diags.push(
            Diagnostic::new(
                file,
                line,
                gongkai_i18n::tr!("track.not_published", file = &path),
            )
            .hint(gongkai_i18n::tr!(
                "track.not_published_hint",
                types = PUBLISHED_TYPES.join(" ")
            ))
            .warning(),
        );
        return None;
    }
    let published = published_name(&file_name, &ext, taken);
    Some(Attachment {
        role,
        title: title.unwrap_or_else(|| {
            file_name
                .rsplit_once('.')
                .map_or(file_name.clone(), |(s, _)| s.to_string())
        }),
        source: path,
        file_name,
        ext,
        size,
        published,
    })
}

/// Every progress report of a plan as written, with the file and line it is on: the front
/// matter's first, then the progress file's.
pub fn progress_specs(plan: &LoadedPlan) -> Vec<(&ProgressSpec, &Path, usize)> {
    let fm_lines = item_lines(&plan.front_matter, "progress", 1);
    let mut out: Vec<(&ProgressSpec, &Path, usize)> = plan
        .meta
        .progress
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                p,
                plan.file.as_path(),
                fm_lines.get(i).copied().unwrap_or(1),
            )
        })
        .collect();
    if let Some(pf) = &plan.progress_file {
        let lines = item_lines(&pf.text, "progress", 0);
        out.extend(
            pf.parsed
                .progress
                .iter()
                .enumerate()
                .map(|(i, p)| (p, pf.file.as_path(), lines.get(i).copied().unwrap_or(1))),
        );
    }
    out
}

fn result_specs(plan: &LoadedPlan) -> Vec<(&ResultSpec, &Path, usize)> {
    let fm_lines = item_lines(&plan.front_matter, "results", 1);
    let mut out: Vec<(&ResultSpec, &Path, usize)> = plan
        .meta
        .results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                r,
                plan.file.as_path(),
                fm_lines.get(i).copied().unwrap_or(1),
            )
        })
        .collect();
    if let Some(pf) = &plan.progress_file {
        let lines = item_lines(&pf.text, "results", 0);
        out.extend(
            pf.parsed
                .results
                .iter()
                .enumerate()
                .map(|(i, r)| (r, pf.file.as_path(), lines.get(i).copied().unwrap_or(1))),
        );
    }
    out
}

/// The progress reports of a plan, oldest first, each tied to its task; those without a task,
/// a status or a date are reported and left out.
fn progress(
    config: &SiteConfig,
    plan: &LoadedPlan,
    life: Option<&Life>,
    files: &[Attachment],
    diags: &mut Diagnostics,
) -> Vec<Progress> {
    let mut out = Vec::new();
    for (spec, file, line) in progress_specs(plan) {
        let err = |msg: String| Diagnostic::new(file, line, msg);
        // A row of a task table that repeats a body task stands for it.
        let task = plan.body.task_by_key(&spec.task);
        if task.is_none() {
            let keys: Vec<&str> = plan.body.tasks.iter().map(|t| t.key.as_str()).collect();
            diags.push(
                err(gongkai_i18n::tr!("track.no_task", task = &spec.task)).hint(gongkai_i18n::tr!(
                    "validate.task_numbers",
                    list = summarize(&keys)
                )),
            );
        }
        let (date, plausible) = check_date(config, spec, life, &err, diags);
        let status = Status::parse(&spec.status);
        if status.is_none() {
            diags.push(
                err(gongkai_i18n::tr!("track.bad_status", value = &spec.status)).hint(
                    gongkai_i18n::tr!(
                        "track.status_hint",
                        list = Status::ALL.map(Status::word).join(" / ")
                    ),
                ),
            );
        }
        let evidence = evidence(spec, files, &err, diags);
        if let (Some(task), Some(status), Some(date)) = (task, status, date) {
            out.push(Progress {
                task,
                date,
                status,
                text: spec.text.clone().filter(|t| !t.trim().is_empty()),
                evidence,
                reporter: spec.reporter.clone(),
                file: file.to_path_buf(),
                line,
                plausible,
            });
        }
    }
    // Oldest first; reports of one day keep the order they are written in.
    out.sort_by_key(|r| r.date);
    same_day(plan, &out, diags);
    out
}

/// A report's date, when it is one, and whether it is plausible: within the plan's life, and
/// not after the day progress is judged on (a warning each, when not).
fn check_date(
    config: &SiteConfig,
    spec: &ProgressSpec,
    life: Option<&Life>,
    err: &dyn Fn(String) -> Diagnostic,
    diags: &mut Diagnostics,
) -> (Option<Date>, bool) {
    let date = Date::parse(spec.date.trim());
    let plausible = date.is_some_and(|d| life.is_none_or(|l| l.contains(d)));
    if date.is_none() {
        diags.push(
            err(gongkai_i18n::tr!("track.bad_date", value = &spec.date))
                .hint(gongkai_i18n::tr!("validate.not_a_date_hint")),
        );
    } else if let Some(l) = life
        && !plausible
    {
        diags.push(
            err(gongkai_i18n::tr!(
                "track.implausible_date",
                date = spec.date.trim(),
                from = &l.from,
                until = &l.until
            ))
            .hint(gongkai_i18n::tr!("track.implausible_date_hint"))
            .warning(),
        );
    } else if let Some(as_of) = config.as_of
        && date.is_some_and(|d| d > as_of)
    {
        diags.push(
            err(gongkai_i18n::tr!(
                "track.after_as_of",
                date = spec.date.trim(),
                as_of = as_of
            ))
            .hint(gongkai_i18n::tr!("track.after_as_of_hint"))
            .warning(),
        );
    }
    (date, plausible)
}

/// A report's evidence: links, and files among the plan's published `files`.
fn evidence(
    spec: &ProgressSpec,
    files: &[Attachment],
    err: &dyn Fn(String) -> Diagnostic,
    diags: &mut Diagnostics,
) -> Vec<Evidence> {
    let mut evidence = Vec::new();
    for e in &spec.evidence {
        match e.parts() {
            (title, Some(url), None) if gongkai_model::track::is_url(url) => {
                evidence.push(Evidence::Link {
                    title: title.map(str::to_string),
                    url: url.trim().to_string(),
                })
            }
            (title, None, Some(f)) => {
                // Missing or unpublished files were reported with the plan's files.
                if let Some(i) = files.iter().position(|a| a.source == f.trim()) {
                    evidence.push(Evidence::File {
                        title: title.map(str::to_string),
                        file: i,
                    });
                }
            }
            (_, url, file) => diags.push(
                err(gongkai_i18n::tr!(
                    "track.bad_evidence",
                    value = url.or(file).unwrap_or_default()
                ))
                .hint(gongkai_i18n::tr!("track.bad_evidence_hint")),
            ),
        }
    }
    evidence
}

/// Two reports of one task on one day that disagree leave its state to the order of lines.
fn same_day(plan: &LoadedPlan, sorted: &[Progress], diags: &mut Diagnostics) {
    for w in sorted.windows(2) {
        if w[0].task == w[1].task && w[0].date == w[1].date && w[0].status != w[1].status {
            let key = &plan.body.tasks[w[1].task].key;
            diags.push(
                Diagnostic::new(
                    &w[1].file,
                    w[1].line,
                    gongkai_i18n::tr!(
                        "track.same_day",
                        task = key,
                        date = &w[1].date,
                        first = w[0].status.word(),
                        second = w[1].status.word()
                    ),
                )
                .hint(gongkai_i18n::tr!("track.same_day_hint"))
                .warning(),
            );
        }
    }
}

/// Results tied to the indicator of the plan they name (by the name the plan gives it, or by a
/// name the registry knows for it). `indicator` is its place in the front matter's list until
/// [`judge_all`] reads it against the resolved indicators.
fn results(
    config: &SiteConfig,
    plan: &LoadedPlan,
    diags: &mut Diagnostics,
) -> Vec<IndicatorResult> {
    let specs = &plan.meta.indicators;
    let mut out = Vec::new();
    for (r, file, line) in result_specs(plan) {
        let name = r.indicator.trim();
        let registered = config.indicators.find_shared(name);
        let k = specs.iter().position(|s| {
            s.name == name
                || (registered.is_some() && config.indicators.find_shared(&s.name) == registered)
        });
        let Some(k) = k else {
            let names: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
            diags.push(
                Diagnostic::new(
                    file,
                    line,
                    gongkai_i18n::tr!("track.no_indicator", name = name),
                )
                .hint(if names.is_empty() {
                    gongkai_i18n::tr!("track.no_indicators_hint")
                } else {
                    gongkai_i18n::tr!("track.indicators_hint", list = names.join("、"))
                }),
            );
            continue;
        };
        if let Some(d) = &r.date
            && !is_date(d)
        {
            diags.push(
                Diagnostic::new(file, line, gongkai_i18n::tr!("track.bad_date", value = d))
                    .hint(gongkai_i18n::tr!("validate.not_a_date_hint")),
            );
            continue;
        }
        out.push(IndicatorResult {
            indicator: k,
            period: r.year,
            value: r.value.trim().to_string(),
            source: r.source.clone(),
            date: r.date.clone(),
            met: r.met,
            stated: r.met.is_some(),
        });
    }
    out.sort_by_key(|r| (r.indicator, r.period));
    out
}

/// Task numbers for a hint: all of them, or the first and the last few of a long list.
pub(super) fn summarize(keys: &[&str]) -> String {
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

/// Judges each result the publisher did not judge, against the plan's resolved indicators; and
/// ties each to its indicator's place among them. Runs again whenever the plan is resolved again.
pub fn judge_all(results: &mut [IndicatorResult], indicators: &[Indicator]) {
    for r in results {
        if r.stated {
            continue;
        }
        r.met = indicators
            .iter()
            .find(|i| i.spec == r.indicator)
            .and_then(|i| judge(i, &r.value));
    }
}

/// Whether a result meets its indicator's target, when numbers can say so:
/// - to eliminate (杜绝): met when the result is 0;
/// - a change (the target or what it measures speaks of 下降, 降幅, 减少, 提高, 增长 …): met when
///   the result changed at least as much;
/// - a level to stay under (下降 indicators: 控制在5起以内): met when the result is at most the
///   target; a level to reach (上升 indicators: 达到95%): at least the target.
///
/// `None` when the target or the result has no number, or the direction is unknown or 保持.
pub fn judge(ind: &Indicator, value: &str) -> Option<bool> {
    let v = gongkai_model::target::target_number(value)?;
    let direction = ind.direction?;
    if direction == Direction::Eliminate {
        return Some(v == 0.0);
    }
    let t = gongkai_model::target::target_number(&ind.target)?;
    let words = format!("{}{}", ind.target, ind.measure.as_deref().unwrap_or(""));
    let change = [
        "下降", "降低", "减少", "降幅", "增长", "提高", "提升", "增幅", "幅度",
    ]
    .iter()
    .any(|w| words.contains(w));
    match direction {
        _ if change => Some(v >= t),
        Direction::Decrease => Some(v <= t),
        Direction::Increase => Some(v >= t),
        _ => None,
    }
}

fn interpretation(i: &gongkai_model::Interpretation, diags: &mut Diagnostics) {
    let line = |needle: &str| line_of(&i.front_matter, needle, 1);
    if i.meta.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        diags.push(
            Diagnostic::new(
                &i.file,
                1,
                gongkai_i18n::tr!("validate.missing_field", field = "title"),
            )
            .hint(gongkai_i18n::tr!(
                "validate.missing_field_hint",
                example = "title: 《示例区2024年安全生产工作意见》解读"
            )),
        );
    }
    if let Some(d) = &i.meta.published
        && !is_date(d)
    {
        diags.push(
            Diagnostic::new(
                &i.file,
                line("published"),
                gongkai_i18n::tr!("validate.not_a_date", field = "published", value = d),
            )
            .hint(gongkai_i18n::tr!("validate.not_a_date_hint")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::{Id, IndicatorId};

    fn ind(target: &str, measure: Option<&str>, direction: Direction) -> Indicator {
        Indicator {
            def: IndicatorId::new(0),
            spec: 0,
            name: "x".into(),
            target: target.into(),
            measure: measure.map(str::to_string),
            baseline: None,
            unit: None,
            direction: Some(direction),
            period: None,
            task: None,
        }
    }

    #[test]
    fn results_are_judged_in_the_terms_of_their_target() {
        // A decline of at least 8%.
        let fall = ind("8%", Some("下降幅度"), Direction::Decrease);
        assert_eq!(judge(&fall, "下降12%"), Some(true));
        assert_eq!(judge(&fall, "5%"), Some(false));
        // A level to stay under.
        let cap = ind("控制在5起以内", None, Direction::Decrease);
        assert_eq!(judge(&cap, "4"), Some(true));
        assert_eq!(judge(&cap, "6起"), Some(false));
        // A level to reach.
        let reach = ind("95%", None, Direction::Increase);
        assert_eq!(judge(&reach, "96.5%"), Some(true));
        // Zero.
        let zero = ind("杜绝", None, Direction::Eliminate);
        assert_eq!(judge(&zero, "0"), Some(true));
        assert_eq!(judge(&zero, "1起"), Some(false));
        // No number: not judged.
        assert_eq!(judge(&fall, "明显下降"), None);
        assert_eq!(judge(&ind("100%", None, Direction::Maintain), "100%"), None);
    }
}
