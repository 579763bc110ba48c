//! `gongkai progress import`: a department's progress table (Excel or CSV: 序号, 任务, 牵头单位,
//! 进展情况, 完成状态, 日期 …) written as progress reports of a plan, in its progress file beside
//! it, so nobody retypes them.
//!
//! Rows are matched to the plan's tasks by number, and by text with the comparison's similarity
//! ([`gongkai_site::compare::similarity`]); a row that fits no task, or two, is reported and not
//! written. What would be lost — a date that is no date, a status outside the fixed set, evidence
//! that is neither a web address nor a file of `sources/` — refuses the whole table, every such
//! row named, before anything is written. Reports already in the file are not written twice, so
//! a corrected table can be imported again.

pub mod cells;
pub mod columns;
pub mod error;
pub mod sheet;
pub mod write;
mod xls;

use std::fmt;
use std::path::{Path, PathBuf};

use columns::Columns;
pub use error::{ProgressError, RowProblem, SheetError, SheetProblem};
use gongkai_i18n::tr;
use gongkai_model::{
    EvidenceFull, EvidenceSpec, Id, Plan, PlanId, ProgressFile, ProgressSpec, Status, TaskId,
};
use gongkai_site::compare::similarity;
use gongkai_site::engine::Engine;
use sheet::{SheetCell, SheetTable};

/// `gongkai progress import` options.
#[derive(Debug, Clone, clap::Args)]
pub struct ProgressImportOptions {
    /// The progress table (.xlsx, .xls, .ods or .csv).
    pub file: PathBuf,
    /// The site folder, holding site.yaml and content/.
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
    /// The plan the table reports on (shili/2024/aqsc-gongzuo-yijian); found from the rows'
    /// tasks when not given.
    #[arg(long)]
    pub plan: Option<String>,
    /// The worksheet to read (default: the first with a progress table).
    #[arg(long)]
    pub sheet: Option<String>,
    /// The date of rows that give none (YYYY-MM-DD).
    #[arg(long)]
    pub date: Option<String>,
    /// Who reported rows that do not say.
    #[arg(long)]
    pub reporter: Option<String>,
    /// Write nothing; show what would be written.
    #[arg(long)]
    pub dry_run: bool,
}

/// Two candidate tasks whose scores are this close leave a row in doubt.
const MARGIN: f32 = 0.1;

/// A data row of the table, its cells by field.
#[derive(Debug, Clone, Default)]
pub struct ProgressRow {
    /// Its number in the spreadsheet (from 1).
    pub line: usize,
    pub number: String,
    pub task: String,
    pub text: String,
    pub status: String,
    pub date: Option<SheetCell>,
    pub reporter: String,
    pub evidence: String,
}

/// The rows under the header. Hostile characters in a cell (NUL, ESC, a bidi override such as
/// U+202E) are removed, each row that had some listed in `cleaned`.
fn rows(table: &SheetTable, c: &Columns, cleaned: &mut Vec<usize>) -> Vec<ProgressRow> {
    let get = |cells: &[SheetCell], i: Option<usize>| {
        i.and_then(|i| cells.get(i))
            .map(SheetCell::text)
            .unwrap_or_default()
    };
    let mut rows: Vec<ProgressRow> = table
        .rows
        .iter()
        .skip(c.header + 1)
        .map(|(line, cells)| ProgressRow {
            line: *line,
            number: get(cells, c.number),
            task: get(cells, c.task),
            text: get(cells, c.text),
            status: get(cells, c.status),
            date: c.date.and_then(|i| cells.get(i)).cloned(),
            reporter: get(cells, c.reporter),
            evidence: get(cells, c.evidence),
        })
        .collect();
    for r in &mut rows {
        let mut n = 0;
        for s in [
            &mut r.number,
            &mut r.task,
            &mut r.text,
            &mut r.status,
            &mut r.reporter,
            &mut r.evidence,
        ] {
            let (clean, removed) = gongkai_site::load::without_hostile_chars(s);
            if removed > 0 {
                *s = clean;
                n += removed;
            }
        }
        if let Some(SheetCell::Text(t)) = &mut r.date {
            let (clean, removed) = gongkai_site::load::without_hostile_chars(t);
            *t = clean;
            n += removed;
        }
        if n > 0 {
            cleaned.push(r.line);
        }
    }
    rows
}

/// What a row was matched to.
#[derive(Debug, Clone, PartialEq)]
pub enum Match {
    Task(usize),
    /// Two tasks it may be: by number and by text, or two by text.
    Doubtful(usize, usize, Doubt),
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt {
    /// Its number names one task, its text fits another better.
    NumberAndText,
    /// Its text fits two tasks about as well.
    TwoTexts,
}

/// The key of the task a number cell names: `3`, `3.`, `（三）`, `３`, `a5` as the plan writes
/// its keys or labels.
fn by_number(plan: &Plan, number: &str) -> Option<usize> {
    let n: String = number
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    let bare = n.trim_end_matches(['.', '．', '、', ' ']);
    let tasks = &plan.body.tasks;
    // `a5`, a row of the plan's task table that repeats a body task, is that task.
    plan.body
        .task_by_key(bare)
        .map(|t| t.index())
        .or_else(|| tasks.iter().position(|t| t.label.trim() == number.trim()))
        .or_else(|| {
            // （三） or 三、 as the plan numbers its tasks.
            let inner = bare
                .trim_start_matches(['（', '('])
                .trim_end_matches(['）', ')']);
            let v = gongkai_zh::numbering::chinese_number(inner)?;
            tasks.iter().position(|t| t.key == v.to_string())
        })
}

/// Matches each row to one of the plan's tasks, or says why not.
pub fn match_rows(plan: &Plan, rows: &[&ProgressRow]) -> Vec<Match> {
    let statements: Vec<&str> = plan.body.tasks.iter().map(|t| t.statement()).collect();
    let texts: Vec<&str> = rows.iter().map(|r| r.task.as_str()).collect();
    let scores = similarity::scores(&texts, &statements);
    rows.iter()
        .zip(scores)
        .map(|(r, s)| {
            let mut ranked: Vec<(usize, f32)> = s.into_iter().enumerate().collect();
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let best = ranked
                .first()
                .copied()
                .filter(|(_, x)| *x >= similarity::THRESHOLD);
            let second = ranked
                .get(1)
                .copied()
                .filter(|(_, x)| *x >= similarity::THRESHOLD);
            let numbered = (!r.number.is_empty())
                .then(|| by_number(plan, &r.number))
                .flatten();
            match (numbered, best) {
                (Some(n), _) if r.task.is_empty() => Match::Task(n),
                (Some(n), Some((b, score))) if b != n => {
                    let own = ranked.iter().find(|(i, _)| *i == n).map_or(0.0, |x| x.1);
                    if own >= similarity::THRESHOLD && score - own < MARGIN {
                        Match::Task(n)
                    } else {
                        Match::Doubtful(n, b, Doubt::NumberAndText)
                    }
                }
                (Some(n), _) => Match::Task(n),
                (None, Some((b, score))) => match second {
                    Some((s, x)) if score - x < MARGIN => Match::Doubtful(b, s, Doubt::TwoTexts),
                    _ => Match::Task(b),
                },
                (None, None) => Match::None,
            }
        })
        .collect()
}

/// A date as departments write it: 2024-06-30, 2024/6/30, 2024.6.30, 2024年6月30日, 20240630.
pub fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    let digits: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let (y, m, d) = match digits.as_slice() {
        [ymd] if ymd.len() == 8 => (&ymd[..4], &ymd[4..6], &ymd[6..]),
        [y, m, d] => (*y, *m, *d),
        _ => return None,
    };
    // Only separators between the parts: no words that would change the day meant.
    let rest: String = s.chars().filter(|c| !c.is_ascii_digit()).collect();
    if !rest
        .chars()
        .all(|c| matches!(c, '-' | '/' | '.' | '年' | '月' | '日' | ' '))
    {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let date = format!("{y:04}-{m:02}-{d:02}");
    gongkai_model::period::is_date(&date).then_some(date)
}

/// What an import did, or would do.
#[derive(Debug, Default)]
pub struct Summary {
    pub file: String,
    pub sheet: Option<String>,
    pub encoding: Option<&'static str>,
    /// The header's row number.
    pub header: usize,
    pub plan_title: String,
    pub plan_file: PathBuf,
    /// The plan was found from the rows' tasks (no `--plan`).
    pub plan_guessed: bool,
    /// The progress file written (site-relative).
    pub target: PathBuf,
    /// Rows written: (row, task key).
    pub written: Vec<(usize, String)>,
    /// Rows whose report is in the file already.
    pub already: Vec<usize>,
    /// Rows that fit no task: (row, its task text).
    pub unmatched: Vec<(usize, String)>,
    /// Rows that fit two tasks: (row, first, second, why).
    pub doubtful: Vec<(usize, String, String, Doubt)>,
    /// Rows with no status and no progress: headings, blank lines.
    pub skipped: Vec<usize>,
    /// Rows from whose cells hostile characters (control, bidi override) were removed.
    pub cleaned: Vec<usize>,
    /// Warnings `check` will give on the progress file written (a date outside the plan's life).
    pub warnings: Vec<String>,
    pub dry_run: bool,
}

impl Summary {
    /// Every row with a report was written (or was there already).
    pub fn complete(&self) -> bool {
        self.unmatched.is_empty() && self.doubtful.is_empty()
    }
}

fn rows_list(rows: &[usize]) -> String {
    rows.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join("、")
}

impl Summary {
    /// The rows not written: those that fit no task, those that fit two.
    fn fmt_not_written(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", tr!("progress.report.not_written"))?;
        for (row, text) in &self.unmatched {
            writeln!(
                f,
                "  {}",
                tr!("progress.report.unmatched", row = row, text = text)
            )?;
        }
        for (row, a, b, why) in &self.doubtful {
            let key = match why {
                Doubt::NumberAndText => "progress.report.doubt_number",
                Doubt::TwoTexts => "progress.report.doubt_texts",
            };
            writeln!(f, "  {}", tr!(key, row = row, first = a, second = b))?;
        }
        writeln!(f, "  {}", tr!("progress.report.doubt_hint"))
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sheet = match (&self.sheet, self.encoding) {
            (Some(s), _) => tr!("progress.report.sheet", sheet = s),
            (None, Some(e)) => tr!(
                "progress.report.encoding",
                encoding = e.to_ascii_uppercase()
            ),
            _ => String::new(),
        };
        writeln!(
            f,
            "{}",
            tr!(
                "progress.report.read",
                file = &self.file,
                sheet = sheet,
                header = self.header
            )
        )?;
        let how = if self.plan_guessed {
            tr!("progress.report.plan_guessed")
        } else {
            String::new()
        };
        writeln!(
            f,
            "{}",
            tr!(
                "progress.report.plan",
                title = &self.plan_title,
                file = self.plan_file.display(),
                how = how
            )
        )?;
        if !self.cleaned.is_empty() {
            writeln!(
                f,
                "{}",
                tr!("progress.report.cleaned", rows = rows_list(&self.cleaned))
            )?;
        }
        for w in &self.warnings {
            writeln!(f, "{w}")?;
        }
        let key = if self.written.is_empty() {
            "progress.report.nothing_new"
        } else if self.dry_run {
            "progress.report.would_write"
        } else {
            "progress.report.wrote"
        };
        writeln!(
            f,
            "{}",
            tr!(
                key,
                file = self.target.display(),
                count = self.written.len(),
                already = self.already.len()
            )
        )?;
        for (row, task) in &self.written {
            writeln!(
                f,
                "  {}",
                tr!("progress.report.row_task", row = row, task = task)
            )?;
        }
        if !self.complete() {
            self.fmt_not_written(f)?;
        }
        if !self.already.is_empty() {
            writeln!(
                f,
                "{}",
                tr!("progress.report.already", rows = rows_list(&self.already))
            )?;
        }
        if !self.skipped.is_empty() {
            writeln!(
                f,
                "{}",
                tr!("progress.report.skipped", rows = rows_list(&self.skipped))
            )?;
        }
        Ok(())
    }
}

/// The plan `--plan` names: its path under `content/`, with or without `content/`, `.md` or a
/// trailing `/`.
fn named_plan(engine: &Engine, name: &str) -> Result<PlanId, ProgressError> {
    let key = name.trim().trim_start_matches("content/");
    let key = key.strip_suffix(".md").unwrap_or(key).trim_end_matches('/');
    engine
        .site
        .plans
        .iter_ids()
        .find(|(_, p)| p.url.trim_end_matches('/') == key)
        .map(|(i, _)| i)
        .ok_or_else(|| ProgressError::NoPlan(name.to_string()))
}

/// The plan whose tasks most rows fit, when one stands out.
fn guessed_plan(engine: &Engine, rows: &[&ProgressRow]) -> Result<PlanId, ProgressError> {
    let mut counts: Vec<(usize, PlanId)> = engine
        .site
        .plans
        .iter_ids()
        .map(|(i, p)| {
            let n = match_rows(p, rows)
                .iter()
                .zip(rows)
                .filter(|(m, r)| !r.task.is_empty() && matches!(m, Match::Task(_)))
                .count();
            (n, i)
        })
        .collect();
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    match counts.as_slice() {
        [(n, p), rest @ ..] if *n > 0 && rest.first().is_none_or(|(m, _)| m < n) => Ok(*p),
        [(n, a), (m, b), ..] if n == m && *n > 0 => Err(ProgressError::TwoPlans {
            first: engine.site.plans[*a].url.trim_end_matches('/').to_string(),
            second: engine.site.plans[*b].url.trim_end_matches('/').to_string(),
        }),
        _ => Err(ProgressError::WhichPlan),
    }
}

/// Runs an import: reads the table and the site, matches, checks, and writes the progress file
/// (unless `dry_run`). Refuses with every problem when a row would lose what it says.
pub fn run(opts: &ProgressImportOptions) -> Result<Summary, ProgressError> {
    let root = &opts.site;
    if let Some(d) = &opts.date
        && parse_date(d).is_none()
    {
        return Err(ProgressError::BadOptionDate(d.to_string()));
    }
    let table = sheet::read(&opts.file, opts.sheet.as_deref())?;
    columns::check_size(&table, &opts.file)?;
    let cols =
        columns::find_header(&table).ok_or_else(|| ProgressError::NoHeader(opts.file.clone()))?;
    let mut cleaned = Vec::new();
    let all = rows(&table, &cols, &mut cleaned);
    if cols.date.is_none() && opts.date.is_none() {
        return Err(ProgressError::NoDateColumn);
    }
    let engine = Engine::open(root, None).map_err(|d| ProgressError::Site(d.sorted()))?;
    let mut report = Summary {
        file: opts.file.display().to_string(),
        sheet: table.sheet.clone(),
        encoding: table.encoding,
        header: table.rows[cols.header].0,
        dry_run: opts.dry_run,
        cleaned,
        ..Summary::default()
    };
    // Rows with neither a status nor progress are headings or blank: nothing to write.
    let (data, skipped): (Vec<&ProgressRow>, Vec<&ProgressRow>) = all
        .iter()
        .partition(|r| !r.status.is_empty() || !r.text.is_empty());
    report.skipped = skipped
        .iter()
        .filter(|r| !(r.number.is_empty() && r.task.is_empty()))
        .map(|r| r.line)
        .collect();
    let p = match &opts.plan {
        Some(name) => named_plan(&engine, name)?,
        None => {
            report.plan_guessed = true;
            guessed_plan(&engine, &data)?
        }
    };
    let plan = engine.site.plans[p].clone();
    report.plan_title = plan.title().to_string();
    report.plan_file = plan.file.clone();

    // Every row's values first: a row that would lose what it says refuses the table.
    let specs = specs(&data, opts)?;
    let (target, existing, old) = progress_file(root, &plan)?;
    report.target = target.clone();
    let new = new_reports(&plan, &old, &data, specs, &mut report);
    if new.is_empty() {
        return Ok(report);
    }
    let text = write::merged(
        existing.as_deref(),
        plan.title(),
        &opts
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        &new,
    )?;
    write::check(&old, &new, &text, &target)?;
    report.warnings = check_in_site(&engine, root, &plan, &target, &text)?;
    if opts.dry_run {
        return Ok(report);
    }
    let plan = [crate::write::Planned::new(
        &root.join(&target),
        text.into_bytes(),
    )];
    crate::write::check_inside(&plan, root)?;
    crate::write::all_or_nothing(&plan)?;
    Ok(report)
}

/// Each data row's report, its task still to find: `None` for a row whose status or date is
/// missing. Every row that would lose what it says refuses the table, all of them listed.
fn specs(
    data: &[&ProgressRow],
    opts: &ProgressImportOptions,
) -> Result<Vec<Option<ProgressSpec>>, ProgressError> {
    let mut problems: Vec<RowProblem> = Vec::new();
    let mut specs: Vec<Option<ProgressSpec>> = Vec::new();
    for r in data {
        let status = row_status(r, &mut problems);
        let date = row_date(r, opts.date.as_deref(), &mut problems);
        let evidence = row_evidence(r, &opts.site, &mut problems);
        let reporter = Some(r.reporter.clone())
            .filter(|s| !s.is_empty())
            .or_else(|| opts.reporter.clone());
        specs.push(match (status, date) {
            (Some(status), Some(date)) => Some(ProgressSpec {
                task: String::new(),
                date,
                status: status.word().to_string(),
                text: Some(r.text.clone()).filter(|t| !t.is_empty()),
                evidence,
                reporter,
            }),
            _ => None,
        });
    }
    if !problems.is_empty() {
        return Err(ProgressError::Refused(problems));
    }
    Ok(specs)
}

/// A row's status, one of the fixed set.
fn row_status(r: &ProgressRow, problems: &mut Vec<RowProblem>) -> Option<Status> {
    let status = Status::from_table(&r.status);
    if status.is_none() {
        problems.push(if r.status.is_empty() {
            RowProblem::NoStatus { row: r.line }
        } else {
            RowProblem::BadStatus {
                row: r.line,
                value: r.status.clone(),
            }
        });
    }
    status
}

/// A row's date: its cell's, else `--date`.
fn row_date(
    r: &ProgressRow,
    default: Option<&str>,
    problems: &mut Vec<RowProblem>,
) -> Option<String> {
    match &r.date {
        // A date cell is checked like typed text: Excel's 1900-02-29, which never was, is
        // refused, not written for `check` to reject.
        Some(SheetCell::Date(d)) if gongkai_site::validate::is_date(d) => Some(d.clone()),
        Some(SheetCell::Date(d)) => {
            problems.push(RowProblem::BadDate {
                row: r.line,
                value: d.clone(),
            });
            None
        }
        Some(c) if !c.is_empty() => {
            let d = parse_date(&c.text());
            if d.is_none() {
                problems.push(RowProblem::BadDate {
                    row: r.line,
                    value: c.text(),
                });
            }
            d
        }
        _ => match default {
            Some(d) => parse_date(d),
            None => {
                problems.push(RowProblem::NoDate { row: r.line });
                None
            }
        },
    }
}

/// A row's evidence: web addresses and files of the site's `sources/`, each checked.
fn row_evidence(r: &ProgressRow, root: &Path, problems: &mut Vec<RowProblem>) -> Vec<EvidenceSpec> {
    let mut evidence = Vec::new();
    for item in r
        .evidence
        .split(|c: char| c.is_whitespace() || "；;，,、".contains(c))
        .filter(|s| !s.is_empty())
    {
        if gongkai_model::track::is_url(item) {
            evidence.push(EvidenceSpec::Plain(item.to_string()));
        } else if gongkai_site::load::stat_source(root, item).state.is_ok() {
            evidence.push(EvidenceSpec::Full(EvidenceFull {
                title: None,
                url: None,
                file: Some(item.to_string()),
            }));
        } else {
            problems.push(RowProblem::BadEvidence {
                row: r.line,
                value: item.to_string(),
            });
        }
    }
    evidence
}

/// The reports to add: each row's matched to its task, unless the plan or its progress file
/// (`old`) has it already. Rows that fit no task or two go to the report.
fn new_reports(
    plan: &Plan,
    old: &ProgressFile,
    data: &[&ProgressRow],
    specs: Vec<Option<ProgressSpec>>,
    report: &mut Summary,
) -> Vec<ProgressSpec> {
    // Reports in the plan's front matter and in its progress file.
    let mut known: Vec<ProgressSpec> = plan.meta.progress.clone();
    known.extend(old.progress.iter().cloned());
    let task = |i: usize| &plan.body.tasks[TaskId::new(i)];
    let label = |i: usize| {
        tr!(
            "progress.report.task",
            key = &task(i).key,
            title = &task(i).title
        )
    };
    let mut new: Vec<ProgressSpec> = Vec::new();
    // Reports there already, as a set: looking through them (and the new ones) for each row
    // was quadratic in the rows.
    let same = |x: &ProgressSpec| {
        (
            x.task.trim().to_string(),
            x.date.trim().to_string(),
            Status::parse(&x.status),
            x.text.as_deref().map(|t| t.trim().to_string()),
        )
    };
    let mut seen: std::collections::HashSet<_> = known.iter().map(same).collect();
    for ((r, m), spec) in data.iter().zip(match_rows(plan, data)).zip(specs) {
        let Some(mut spec) = spec else { continue };
        match m {
            Match::Task(i) => {
                spec.task = task(i).key.clone();
                // The new report's task and date as they are (the old ones trimmed).
                let key = (
                    spec.task.clone(),
                    spec.date.clone(),
                    Status::parse(&spec.status),
                    spec.text.as_deref().map(|t| t.trim().to_string()),
                );
                if seen.contains(&key) {
                    report.already.push(r.line);
                } else {
                    report.written.push((r.line, label(i)));
                    seen.insert(same(&spec));
                    new.push(spec);
                }
            }
            Match::Doubtful(a, b, why) => report.doubtful.push((r.line, label(a), label(b), why)),
            Match::None => report.unmatched.push((
                r.line,
                if r.task.is_empty() {
                    r.number.clone()
                } else {
                    r.task.clone()
                },
            )),
        }
    }
    new
}

/// The site as `check` would validate it once the plan's progress file holds `text`: errors in
/// that file refuse the import (listed); its warnings (a date outside the plan's life …) come
/// back for the report.
fn check_in_site(
    engine: &Engine,
    root: &Path,
    plan: &Plan,
    target: &Path,
    text: &str,
) -> Result<Vec<String>, ProgressError> {
    let as_error =
        |d: gongkai_site::diagnostics::Diagnostics| ProgressError::InvalidInSite(d.sorted());
    let mut loaded = gongkai_site::load::load_plan(root, &plan.file).map_err(as_error)?;
    let parsed: ProgressFile = gongkai_site::yaml::from_str(text, target, 0)
        .map_err(|d| as_error(gongkai_site::diagnostics::Diagnostics::one(d)))?;
    loaded.progress_file = Some(gongkai_model::LoadedProgress {
        file: target.to_path_buf(),
        text: text.to_string(),
        parsed,
    });
    let mine = |d: &gongkai_site::diagnostics::Diagnostic| d.file.as_path() == target;
    match gongkai_site::validate::update(&engine.site, vec![(plan.file.clone(), Some(loaded))]) {
        Ok(site) => Ok(site
            .warnings()
            .iter()
            .filter(|d| mine(d))
            .map(ToString::to_string)
            .collect()),
        Err(d) => Err(as_error(gongkai_site::diagnostics::Diagnostics(
            d.sorted()
                .into_iter()
                .filter(|d| d.severity == gongkai_site::diagnostics::Severity::Error)
                .collect(),
        ))),
    }
}

/// The plan's progress file: its path, its text when it exists, and what it holds.
fn progress_file(
    root: &Path,
    plan: &Plan,
) -> Result<(PathBuf, Option<String>, ProgressFile), ProgressError> {
    let [rel, _] = gongkai_site::load::side_files(&plan.file);
    // Anything with the name (a link, a FIFO) is read under the policy and refused there.
    if std::fs::symlink_metadata(root.join(&rel)).is_err() {
        return Ok((rel, None, ProgressFile::default()));
    }
    let loaded =
        gongkai_site::load::load_progress(root, &rel).map_err(ProgressError::ProgressFile)?;
    Ok((rel, Some(loaded.text), loaded.parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_departments_write_them() {
        for (s, want) in [
            ("2024-06-30", Some("2024-06-30")),
            ("2024/6/3", Some("2024-06-03")),
            ("2024.6.30", Some("2024-06-30")),
            ("2024年6月30日", Some("2024-06-30")),
            ("20240630", Some("2024-06-30")),
            ("2024-02-30", None),
            ("6月底", None),
            ("2024年6月底前", None),
            ("45473", None),
        ] {
            assert_eq!(parse_date(s).as_deref(), want, "{s}");
        }
    }
}
