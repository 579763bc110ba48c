//! What every reader turns a document into: lines with their numbers in the original, and
//! tables — exported cell by cell, or with real rows and cells.

/// One line of text, with the line number it has in the source file (for a Word file or a web
/// page: the number of its paragraph).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub no: usize,
    pub text: String,
    /// The outline level Word gives the paragraph (0 = 一级标题), when it gives one.
    pub outline: Option<u8>,
    /// Printed in red: the red header (版头) of a Word file.
    pub red: bool,
}

impl Line {
    pub fn new(no: usize, text: impl Into<String>) -> Line {
        Line {
            no,
            text: text.into(),
            ..Line::default()
        }
    }
}

/// A cell of a table read with its structure (Word, HTML, `|` rows): its lines, and how many
/// grid columns it spans. A cell merged with the one above (Word's `vMerge`, HTML's `rowspan`)
/// has `merged` set and the text of the cell it continues.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GridCell {
    pub lines: Vec<String>,
    pub span: usize,
    pub merged: bool,
}

/// A table with real rows and cells.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub no: usize,
    /// For a table rebuilt from text: the lines each row was read from, and its label.
    pub row_lines: Vec<(Vec<usize>, String)>,
    pub rows: Vec<Vec<GridCell>>,
}

/// A cell of an exported table: its physical lines, repaired but not yet joined.
pub type Cell = Vec<String>;

/// A table exported by Word as one cell per tab-started line.
#[derive(Debug, Clone)]
pub struct RawTable {
    pub no: usize,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone)]
pub enum Item {
    Line(Line),
    Table(RawTable),
    Grid(Grid),
}

impl Item {
    pub fn line(&self) -> Option<&Line> {
        match self {
            Item::Line(l) => Some(l),
            Item::Table(_) | Item::Grid(_) => None,
        }
    }
}
