//! A table as read from a spreadsheet: rows of cells that keep what they are. Apart from the
//! readers ([`crate::progress::sheet`]) so that finding the header ([`crate::progress::columns`])
//! and reading the file both depend on it, not on each other.

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetCell {
    Empty,
    Text(String),
    Number(f64),
    /// A date the spreadsheet stores as one: `YYYY-MM-DD`.
    Date(String),
}

impl SheetCell {
    /// The cell as text, as a reader sees it.
    pub fn text(&self) -> String {
        match self {
            SheetCell::Empty => String::new(),
            SheetCell::Text(s) => s.trim().to_string(),
            SheetCell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            SheetCell::Number(n) => n.to_string(),
            SheetCell::Date(d) => d.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }
}

/// A table read from a file: its rows with their numbers as the spreadsheet shows them (from 1).
#[derive(Debug, Clone, Default)]
pub struct SheetTable {
    /// The worksheet read, for a workbook.
    pub sheet: Option<String>,
    /// The encoding of a CSV file.
    pub encoding: Option<&'static str>,
    pub rows: Vec<(usize, Vec<SheetCell>)>,
}
