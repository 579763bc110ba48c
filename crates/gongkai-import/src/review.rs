//! The 核对 (review) record of an import: each line of the original beside what it became —
//! metadata, notice, heading, task with its units and persons, table row, text, or left out —
//! so a webmaster checks a plan against the original in minutes. Written at import under
//! `.gongkai/review/<district>/<year>/<id>.json` and shown by the preview; the same types read
//! and write it.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::layout::{Item, Line};
use super::report::Report;

/// The folder of the review records, relative to the site. Never published, never checked.
pub const DIR: &str = ".gongkai/review";

/// The port `gongkai serve` listens on unless told another: the import report names it.
pub const PREVIEW_PORT: u16 = 1111;

/// Where a plan's review record is kept, relative to the site.
pub fn path(district: &str, period_slug: &str, id: &str) -> String {
    format!("{DIR}/{district}/{period_slug}/{id}.json")
}

/// Where the preview shows a plan's review record: `/_review/<district>/<year>/<id>/`.
pub fn url(district: &str, period_slug: &str, id: &str) -> String {
    format!("/_review/{district}/{period_slug}/{id}/")
}

/// The record of `conv` as a file written with its plan at `out` (all of them or none): its
/// `plan` (relative to the site `site` when the plan is in it) and `new_units` filled, and the
/// report told where the preview shows it.
pub fn planned(
    site: &Path,
    conv: &mut super::Converted,
    out: &Path,
) -> Result<super::write::Planned, super::WriteError> {
    let rel = path(&conv.district, &conv.period.slug(), &conv.id);
    conv.review.plan = out.strip_prefix(site).unwrap_or(out).display().to_string();
    conv.review.new_units = conv.report.new_units.clone();
    conv.report.review = Some(url(&conv.district, &conv.period.slug(), &conv.id));
    let file = site.join(&rel);
    let bytes = serde_json::to_vec_pretty(&conv.review).map_err(|e| super::WriteError::Io {
        file: file.clone(),
        source: std::io::Error::other(e),
    })?;
    Ok(super::write::Planned::new(&file, bytes))
}

impl Review {
    /// A record as [`planned`] wrote it; why not, in serde's words (line and column).
    pub fn from_json(bytes: &[u8]) -> Result<Review, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

/// The whole record of one import.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Review {
    /// The plan file written, relative to the site (`content/…/id.md`).
    pub plan: String,
    /// The original kept, relative to the site (`sources/…`).
    pub source: String,
    pub title: String,
    /// How the document was read (`docx`, `html`, `pdf`, a text encoding).
    pub format: String,
    /// Metadata written into the front matter: field label and value.
    pub fields: Vec<(String, String)>,
    /// Every line of the original as read, in order, with what it became.
    pub lines: Vec<ReviewLine>,
    /// Units the import adds to the site's registry (new to it).
    pub new_units: Vec<String>,
    /// Notes and warnings of the import, as its report says them.
    pub notes: Vec<String>,
}

/// One line of the original (a paragraph of a Word file or a page; a row of a table).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReviewLine {
    /// Its number in the original (a paragraph's number for Word and web pages).
    pub no: usize,
    pub text: String,
    pub became: Became,
    /// Brackets or lines in it that look like a responsibility notation and were not read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<String>,
}

/// What a line of the original became in the plan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Became {
    /// The red header, title, 文号, signature or date: shown as metadata.
    Metadata,
    /// The covering notice (印发通知).
    Notice,
    /// The imprint (版记).
    Imprint,
    /// A heading of the plan, at a level h2…h6.
    Heading { level: u8 },
    /// A task, with who is responsible as the plan states it.
    Task(TaskView),
    /// A line joined to the line before it (a sentence broken by the extraction).
    JoinedTo { line: usize },
    /// A responsibility line given to the tasks before it.
    Notation { tasks: Vec<String> },
    /// A row of a table that is no task (a header, an indicator).
    TableRow,
    /// Kept as text of the plan.
    Text,
    /// Kept as text, but the importer could not tell its role.
    Unplaced { why: String },
    /// Left out of the plan, and why.
    Dropped { why: String },
}

/// A task as the review shows it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TaskView {
    /// `8`, `2.3`, `a5`.
    pub key: String,
    pub label: String,
    pub lead: Vec<String>,
    pub support: Vec<String>,
    pub persons: Vec<String>,
    /// A row of a task table rather than a numbered paragraph.
    pub from_table: bool,
}

impl Review {
    /// The record of a conversion: each of the `original` lines traced through `t`. Its `plan`
    /// and `new_units` are known only once the plan is placed in a site ([`planned`]).
    pub fn new(
        source: &str,
        title: &str,
        format: String,
        original: Vec<(usize, String)>,
        t: &Trace,
    ) -> Review {
        Review {
            plan: String::new(),
            source: source.to_string(),
            title: title.to_string(),
            format,
            fields: t
                .report
                .fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            lines: lines(original, t),
            new_units: vec![],
            notes: t.report.notes.clone(),
        }
    }

    /// How many lines became each thing, for the page's summary.
    pub fn tasks(&self) -> impl Iterator<Item = &TaskView> {
        self.lines.iter().filter_map(|l| match &l.became {
            Became::Task(t) => Some(t),
            _ => None,
        })
    }
}

/// The lines of a text as extracted (a text file's, a PDF's), blank ones left out, numbered as
/// the importer numbers them.
pub fn raw_lines(text: &str) -> Vec<(usize, String)> {
    text.split('\n')
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.trim().to_string()))
        .collect()
}

/// The original's lines as read, before anything is taken from them: a table's rows are
/// lines of their own, its cells joined by ` | `.
pub fn original_lines(items: &[Item]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for it in items {
        match it {
            Item::Line(l) => out.push((l.no, l.text.clone())),
            Item::Table(t) => {
                for (i, c) in t.cells.iter().enumerate() {
                    out.push((t.no + i, c.join(" ")));
                }
            }
            Item::Grid(g) => {
                for row in &g.rows {
                    let cells: Vec<String> = row
                        .iter()
                        .filter(|c| !c.merged)
                        .map(|c| c.lines.join(" "))
                        .collect();
                    out.push((g.no, cells.join(" | ")));
                }
            }
        }
    }
    out
}

/// What the import knows of each line once the plan is made.
pub struct Trace<'a> {
    pub notice: &'a [Line],
    pub imprint: &'a [Line],
    /// (line of the original, line of the body's Markdown, 1-based) for each block written.
    pub blocks: &'a [(usize, usize)],
    /// (first line of the original, Markdown lines from, to) for each table written.
    pub tables: &'a [(usize, usize, usize)],
    /// The body as the site parses it, and the file line its Markdown starts at.
    pub body: &'a gongkai_site::body::Body,
    pub body_line: usize,
    pub overrides: &'a [gongkai_model::TaskOverride],
    /// The lines of each row of a table that arrived as text, with the row's number.
    pub text_rows: &'a [(Vec<usize>, String)],
    /// (line, tasks it applies to) for notation lines that gave tasks their units.
    pub notations: &'a [(usize, Vec<String>)],
    /// Lines with notation-like text that was not read, and that text.
    pub unread: &'a [(usize, String)],
    pub report: &'a Report,
}

/// Says what each original line became.
pub fn lines(original: Vec<(usize, String)>, t: &Trace) -> Vec<ReviewLine> {
    let md_of: HashMap<usize, usize> = t.blocks.iter().copied().collect();
    let mut file_line_task: HashMap<usize, Vec<TaskView>> = HashMap::new();
    for task in &t.body.tasks {
        file_line_task
            .entry(task.line)
            .or_default()
            .push(task_view(task, t.overrides));
    }
    let heading_at: HashMap<usize, u8> =
        t.body.sections.iter().map(|s| (s.line, s.level)).collect();
    let notice: BTreeSet<usize> = t.notice.iter().map(|l| l.no).collect();
    let imprint: BTreeSet<usize> = t.imprint.iter().map(|l| l.no).collect();
    let joined: HashMap<usize, usize> = t
        .report
        .repairs
        .joined
        .iter()
        .map(|(first, next, _)| (*next, *first))
        .collect();
    let notation_at: HashMap<usize, &Vec<String>> =
        t.notations.iter().map(|(l, k)| (*l, k)).collect();
    let mut used_rows: BTreeSet<String> = BTreeSet::new();
    // A row of a text table: its first line is the task, the others are joined to it.
    let mut row_of: HashMap<usize, (usize, &str)> = HashMap::new();
    for (lines, label) in t.text_rows {
        for l in lines {
            row_of.insert(*l, (lines[0], label.as_str()));
        }
    }
    let table_task = |label: &str| {
        t.body
            .tasks
            .iter()
            .find(|k| k.source == gongkai_model::TaskSource::Table && k.label == label)
            .map(|k| task_view(k, t.overrides))
    };
    let mut out = Vec::with_capacity(original.len());
    for (no, text) in original {
        let became = if let Some(d) = t
            .report
            .dropped
            .iter()
            .find(|d| (d.from..=d.to).contains(&no))
        {
            Became::Dropped {
                why: d.reason.clone(),
            }
        } else if let Some(u) = t.report.unplaced.iter().find(|u| u.line == no) {
            Became::Unplaced { why: u.why.clone() }
        } else if notice.contains(&no) {
            Became::Notice
        } else if imprint.contains(&no) {
            Became::Imprint
        } else if let Some(&first) = joined.get(&no) {
            Became::JoinedTo { line: first }
        } else if let Some(&(first, number)) = row_of.get(&no) {
            match (first == no, table_task(number)) {
                (true, Some(task)) => Became::Task(task),
                (true, None) => Became::TableRow,
                (false, _) => Became::JoinedTo { line: first },
            }
        } else if let Some(tasks) = notation_at.get(&no) {
            Became::Notation {
                tasks: (*tasks).clone(),
            }
        } else if let Some(&(_, from, to)) = t.tables.iter().find(|(n, _, _)| *n == no) {
            table_row(
                &text,
                from + t.body_line - 1,
                to + t.body_line - 1,
                t,
                &mut used_rows,
            )
        } else if let Some(&md) = md_of.get(&no) {
            let file_line = md + t.body_line - 1;
            match (
                file_line_task.get(&file_line).and_then(|v| v.first()),
                heading_at.get(&file_line),
            ) {
                (Some(task), _) => Became::Task(task.clone()),
                (None, Some(&level)) => Became::Heading { level },
                (None, None) => Became::Text,
            }
        } else {
            Became::Metadata
        };
        let unread = t
            .unread
            .iter()
            .filter(|(l, _)| *l == no)
            .map(|(_, s)| s.clone())
            .collect();
        out.push(ReviewLine {
            no,
            text,
            became,
            unread,
        });
    }
    out
}

/// A row of a table written at file lines `from..=to`: the table task whose number is the
/// row's first cell and whose words the row holds, else a row that is no task.
fn table_row(text: &str, from: usize, to: usize, t: &Trace, used: &mut BTreeSet<String>) -> Became {
    let first = text.split(" | ").next().unwrap_or("").trim();
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let hit = t.body.tasks.iter().find(|task| {
        (from..=to).contains(&task.line)
            && !used.contains(&task.key)
            && task.label == first
            && squeezed.contains(
                &task
                    .text
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .take(6)
                    .collect::<String>(),
            )
    });
    match hit {
        Some(task) => {
            used.insert(task.key.clone());
            Became::Task(task_view(task, t.overrides))
        }
        None => Became::TableRow,
    }
}

/// A task with the responsibility the plan states for it: the front matter's, list by list,
/// over the body's.
fn task_view(task: &gongkai_model::Task, overrides: &[gongkai_model::TaskOverride]) -> TaskView {
    let names = |v: &[gongkai_model::NameRef]| v.iter().map(|n| n.name.clone()).collect();
    let o = overrides.iter().find(|o| o.number == task.key);
    let pick = |over: Option<&Vec<String>>, body: &[gongkai_model::NameRef]| {
        over.cloned().unwrap_or_else(|| names(body))
    };
    TaskView {
        key: task.key.clone(),
        label: task.label.clone(),
        lead: pick(o.and_then(|o| o.lead.as_ref()), &task.lead),
        support: pick(o.and_then(|o| o.support.as_ref()), &task.support),
        persons: pick(o.and_then(|o| o.persons.as_ref()), &task.persons),
        from_table: task.source == gongkai_model::TaskSource::Table,
    }
}
