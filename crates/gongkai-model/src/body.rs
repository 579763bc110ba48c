//! A plan's body as parsed: its blocks in order, its numbered headings (sections) and tasks, the
//! names in it that link to unit and person pages, and its links to other plans.

use std::ops::Range;

use serde::Serialize;

use super::id::{Id, IdVec, SectionId, TaskId};

/// A name in rendered text that becomes a link to its index page. The name is the text at
/// `range`, not a copy of it: a plan names about a hundred units, and copies of them all weigh
/// on a large site's memory (bench/README.md).
#[derive(Debug, Clone)]
pub struct LinkSpan {
    pub range: Range<usize>,
    pub role: Role,
}

/// Plain text with the names in it that should link to unit or person pages.
#[derive(Debug, Clone, Default)]
pub struct LinkedText {
    pub text: String,
    pub links: Vec<LinkSpan>,
}

#[derive(Debug, Clone)]
pub struct TableRow {
    /// The task the row is, if it is one.
    pub task: Option<TaskId>,
    /// When the row repeats a body task (an annex task list that lists the body's tasks
    /// again), its place in [`Body::repeats`]: the row is then no task of its own, and links to
    /// that one.
    pub repeats: Option<usize>,
    pub cells: Vec<LinkedText>,
}

/// A row of a task table that repeats a body task (see [`TableRow::repeats`]): what it said of
/// the task, so that validation can warn where the row and the body name different units, and
/// progress written for the row's own number reaches the body task.
#[derive(Debug, Clone)]
pub struct Repeat {
    /// The key the row would have had as a task of its own, e.g. `a5`.
    pub key: String,
    /// The row's anchor, `task-a5`, kept so that links made to it still land on it.
    pub anchor: String,
    /// The body task it repeats.
    pub task: TaskId,
    /// The row's line.
    pub line: usize,
    /// The units the row names, as written.
    pub lead: Vec<NameRef>,
    pub support: Vec<NameRef>,
}

/// A piece of the body, in document order.
#[derive(Debug, Clone)]
pub enum Block {
    Heading {
        section: SectionId,
    },
    /// A numbered task paragraph: its HTML without the `<p>` wrapper and without the trailing
    /// notation, which is kept apart so its names can become links.
    Task {
        task: TaskId,
        html: String,
        note: Option<LinkedText>,
    },
    TaskTable {
        header: Vec<String>,
        /// The column of the row numbers (序号).
        number: usize,
        rows: Vec<TableRow>,
    },
    /// A plain table, wrapped so it can scroll on a phone.
    Table(String),
    Html(String),
}

/// An internal link found in the body, to be checked.
#[derive(Debug, Clone)]
pub struct InternalLink {
    /// Content-relative file, e.g. `jingan/2017/aqsc.md`.
    pub file: String,
    pub anchor: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Body {
    pub blocks: Vec<Block>,
    pub sections: IdVec<SectionId, Section>,
    pub tasks: IdVec<TaskId, Task>,
    pub links: Vec<InternalLink>,
    /// Lines of paragraphs that start like a numbered item but are no task (`1,加强`,
    /// `第一条`): validation warns about them, since a task missed is lost in silence.
    pub unrecognized: Vec<usize>,
    /// Lines with HTML tags, which are not published (a page never carries markup the
    /// publisher typed): validation warns, since the words inside them are lost.
    pub raw_html: Vec<usize>,
    /// Rows of task tables that repeat body tasks, in document order.
    pub repeats: Vec<Repeat>,
}

impl Body {
    /// The task a number of a progress report or table names: a task's key (`3`, `2.1`, `a5`),
    /// or the key of a table row that repeats a body task, which stands for that task.
    pub fn task_by_key(&self, key: &str) -> Option<TaskId> {
        let key = key.trim();
        self.tasks
            .iter()
            .position(|t| t.key == key)
            .map(TaskId::new)
            .or_else(|| self.repeats.iter().find(|r| r.key == key).map(|r| r.task))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Anchor id, e.g. `s-1-2` for 一、 → （二）.
    pub anchor: String,
    /// h2…h5, from the numbering as in GB/T 9704.
    pub level: u8,
    /// The marker as written (`一、`), empty for unnumbered headings.
    pub label: String,
    /// The heading text after the marker.
    pub title: String,
    pub line: usize,
}

/// What a unit or person does for a task; also what a name in a notation or table cell
/// stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 牵头 / 责任单位.
    Lead,
    /// 配合单位.
    Support,
    /// A responsible person (区领导, 某某同志牵头负责).
    Person,
}

/// Where a task was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskSource {
    /// A numbered paragraph of the body.
    Body,
    /// A row of a task table (an annex 任务清单).
    Table,
}

/// A name as written in the content, with its place, before it is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRef {
    pub name: String,
    pub line: usize,
    pub column: usize,
}

/// A numbered task (重点任务) with who is responsible for it.
#[derive(Debug, Clone)]
pub struct Task {
    /// Unique within the plan: `8`, `2.3` (section 二, item 3) or `a5` (row 5 of a task table).
    pub key: String,
    /// Anchor id, e.g. `task-8`.
    pub anchor: String,
    /// The number as written, e.g. `8.` or `（三）`.
    pub label: String,
    pub title: String,
    /// Plain text of the task.
    pub text: String,
    /// Where in `text` the task's own words are, without its number and responsibility
    /// notation: what comparisons between plans match and diff (see [`Task::statement`]).
    pub statement: std::ops::Range<usize>,
    /// The nearest heading above.
    pub section: Option<SectionId>,
    pub source: TaskSource,
    pub line: usize,
    /// 责任单位 / 牵头单位 — lead units.
    pub lead: Vec<NameRef>,
    /// 配合单位 — supporting units.
    pub support: Vec<NameRef>,
    /// 区领导, 某某同志牵头负责 — responsible persons.
    pub persons: Vec<NameRef>,
    /// The cell of a 完成时限 column, for a row of a task table.
    pub due_cell: Option<String>,
}

impl Task {
    /// The task's own words, without its number and responsibility notation.
    pub fn statement(&self) -> &str {
        self.text.get(self.statement.clone()).unwrap_or(&self.text)
    }
}
