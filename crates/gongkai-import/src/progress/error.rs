//! Why a progress table was not imported, as types, each showing the catalogue's message for
//! it in the language of the run (the same words as when these were strings).

use std::path::PathBuf;

use gongkai_i18n::tr;
use gongkai_model::Status;
use gongkai_site::diagnostics::Diagnostic;
use gongkai_site::limits::{self, SHEET_CELLS, SHEET_COLUMNS, SHEET_FILE_BYTES, SHEET_ROWS};

use crate::error::{DocumentError, WriteError, lines};

/// Why a table could not be read from its file.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    /// An extension no reader takes.
    #[error("{}", tr!("progress.error.format", file = .0.display()))]
    Format(PathBuf),
    #[error("{}", tr!("limits.sheet_file", file = .0.display(), limit = limits::mib(SHEET_FILE_BYTES)))]
    TooLarge(PathBuf),
    /// Refused by the reading policy (a FIFO, a device …) or unreadable: `reason` says which.
    #[error("{}", tr!("progress.error.read", file = .file.display(), error = .reason))]
    Read { file: PathBuf, reason: String },
    /// What is wrong inside the workbook or CSV file.
    #[error("{}", tr!("progress.error.workbook", file = .file.display(), error = .problem))]
    Workbook {
        file: PathBuf,
        problem: SheetProblem,
    },
    /// `--sheet` names no sheet of the workbook.
    #[error("{}", tr!("progress.error.no_sheet", sheet = .sheet, sheets = .sheets.join("、")))]
    NoSheet { sheet: String, sheets: Vec<String> },
    #[error("{}", tr!("progress.error.empty", file = .0.display()))]
    Empty(PathBuf),
}

/// What is wrong inside a workbook or CSV file; `row` and `column` count from 1.
#[derive(Debug, thiserror::Error)]
pub enum SheetProblem {
    #[error("{}", tr!("limits.sheet_rows", sheet = .sheet, row = .row, limit = SHEET_ROWS))]
    Rows { sheet: String, row: usize },
    #[error("{}", tr!("limits.sheet_columns", sheet = .sheet, column = .column, limit = SHEET_COLUMNS))]
    Columns { sheet: String, column: usize },
    #[error("{}", tr!("limits.sheet_cells", sheet = .sheet, limit = SHEET_CELLS))]
    Cells { sheet: String },
    /// More shared strings in `part` than a sheet may have cells.
    #[error("{}", tr!("limits.shared_strings", part = .part, limit = SHEET_CELLS))]
    SharedStrings { part: String },
    #[error("{}", tr!("limits.xls_rows", row = .row, limit = SHEET_ROWS))]
    XlsRows { row: u32 },
    #[error("{}", tr!("limits.xls_columns", column = .column, limit = SHEET_COLUMNS))]
    XlsColumns { column: u32 },
    #[error("{}", tr!("limits.xls_cells", limit = SHEET_CELLS))]
    XlsCells,
    /// A record the csv crate could not read (its message).
    #[error("{}", tr!("progress.error.csv", row = .row, error = .error))]
    Csv { row: usize, error: String },
    /// A CSV file's text that does not decode.
    #[error(transparent)]
    Encoding(#[from] DocumentError),
    /// Past a limit of `gongkai_site::limits` (zip entries, inflated size, nesting), in its
    /// words: it words them as text.
    #[error("{0}")]
    Limit(String),
    /// Past a limit of the workbook's container: zip entries, part sizes, XML depth.
    #[error("{0}")]
    Exceeded(#[from] gongkai_site::limits::Exceeded),
    /// What calamine or the zip reader said.
    #[error("{0}")]
    Format(String),
}

/// A row that would lose what it says; `row` is its number in the spreadsheet.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RowProblem {
    #[error("{}", tr!("progress.error.no_status", row = .row))]
    NoStatus { row: usize },
    #[error("{}", tr!("progress.error.bad_status", row = .row, value = .value, list = Status::ALL.map(Status::word).join("、")))]
    BadStatus { row: usize, value: String },
    #[error("{}", tr!("progress.error.bad_date", row = .row, value = .value))]
    BadDate { row: usize, value: String },
    #[error("{}", tr!("progress.error.no_date", row = .row))]
    NoDate { row: usize },
    /// Evidence that is neither a web address nor a file of `sources/`.
    #[error("{}", tr!("progress.error.bad_evidence", row = .row, value = .value))]
    BadEvidence { row: usize, value: String },
}

/// Why a progress table was not imported.
#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    /// `--date` is no date.
    #[error("{}", tr!("progress.error.bad_option_date", value = .0))]
    BadOptionDate(String),
    #[error(transparent)]
    Sheet(#[from] SheetError),
    /// More rows than a progress table may have.
    #[error("{}", tr!("linear.error.progress_rows", file = .file.display(), count = .count, limit = .limit))]
    TooManyRows {
        file: PathBuf,
        count: usize,
        limit: usize,
    },
    #[error("{}", tr!("progress.error.no_header", file = .0.display()))]
    NoHeader(PathBuf),
    /// No date column and no `--date`.
    #[error("{}", tr!("progress.error.no_date_column"))]
    NoDateColumn,
    /// The site does not load: its problems, sorted.
    #[error("{}{}", tr!("progress.error.site"), lines(.0, ""))]
    Site(Vec<Diagnostic>),
    /// `--plan` names no plan.
    #[error("{}", tr!("progress.error.no_plan", plan = .0))]
    NoPlan(String),
    /// The rows fit two plans' tasks as well.
    #[error("{}", tr!("progress.error.two_plans", first = .first, second = .second))]
    TwoPlans { first: String, second: String },
    #[error("{}", tr!("progress.error.which_plan"))]
    WhichPlan,
    /// Rows that would lose what they say: the whole table is refused.
    #[error("{}\n  {}", tr!("progress.error.refused", count = .0.len()), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  "))]
    Refused(Vec<RowProblem>),
    /// The plan's progress file as it is does not load.
    #[error("{0}")]
    ProgressFile(Diagnostic),
    /// The progress file could not be edited (yaml-edit's or the serializer's message).
    #[error("{}", tr!("progress.error.yaml", error = .0))]
    Yaml(String),
    #[error("{}", tr!("progress.error.not_mapping"))]
    NotMapping,
    #[error("{}", tr!("progress.error.not_list"))]
    NotList,
    /// The new text does not parse back.
    #[error("{}", tr!("progress.error.read_back", error = .0))]
    ReadBack(Diagnostic),
    /// The new text parses back to other reports than the old ones and the new.
    #[error("{}", tr!("progress.error.read_back", error = tr!("progress.error.differs")))]
    Differs,
    /// `check` would refuse the site with the new progress file: its errors, sorted.
    #[error("{}{}", tr!("progress.error.invalid_in_site"), lines(.0, "  "))]
    InvalidInSite(Vec<Diagnostic>),
    #[error(transparent)]
    Write(#[from] WriteError),
}
