//! A plan's body as parsed: its blocks in order, its numbered headings (sections) and tasks, the
//! names in it that link to unit and person pages, and its links to other plans.

use std::ops::Range;

use super::id::{IdVec, SectionId, TaskId};
use super::plan::{Role, Section, Task};

/// A name in rendered text that becomes a link to its index page. The name is the text at
/// `range`, not a copy of it: a plan names about a hundred units, and a copy of each cost 60 MiB
/// at 10,000 plans.
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
    pub cells: Vec<LinkedText>,
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
}
