//! A department's progress table as rows of cells: Excel (.xlsx, .xls, .xlsb, .ods) through
//! calamine, CSV through the csv crate after its encoding is found (GB18030 as Excel on a Chinese
//! Windows saves it, or UTF-8). Cells keep what they are: text, a number, or a date Excel stored
//! as a date.

use std::path::Path;

use calamine::{Data, Reader};

use crate::tr;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A date the spreadsheet stores as one: `YYYY-MM-DD`.
    Date(String),
}

impl Cell {
    /// The cell as text, as a reader sees it.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }
}

/// A table read from a file: its rows with their numbers as the spreadsheet shows them (from 1).
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The worksheet read, for a workbook.
    pub sheet: Option<String>,
    /// The encoding of a CSV file.
    pub encoding: Option<&'static str>,
    pub rows: Vec<(usize, Vec<Cell>)>,
}

/// Reads a workbook's sheet (`sheet`, else the first with a header) or a CSV file.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Table, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let bytes = std::fs::read(path)
        .map_err(|e| tr!("progress.error.read", file = path.display(), error = e))?;
    match ext.as_str() {
        "csv" | "txt" => read_csv(&bytes),
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" | "et" => read_workbook(bytes, sheet, path),
        _ => Err(tr!("progress.error.format", file = path.display())),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Table, String> {
    let decoded = crate::import::decode::decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(decoded.text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| tr!("progress.error.csv", row = i + 1, error = e))?;
        let line = record.position().map_or(i + 1, |p| p.line() as usize);
        rows.push((
            line,
            record
                .iter()
                .map(|c| {
                    if c.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(c.to_string())
                    }
                })
                .collect(),
        ));
    }
    Ok(Table {
        sheet: None,
        encoding: Some(decoded.encoding),
        rows,
    })
}

fn read_workbook(bytes: Vec<u8>, sheet: Option<&str>, path: &Path) -> Result<Table, String> {
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| tr!("progress.error.workbook", file = path.display(), error = e))?;
    let names = book.sheet_names();
    let wanted: Vec<String> = match sheet {
        Some(s) if names.iter().any(|n| n == s) => vec![s.to_string()],
        Some(s) => {
            return Err(tr!(
                "progress.error.no_sheet",
                sheet = s,
                sheets = names.join("、")
            ));
        }
        None => names.clone(),
    };
    let mut first: Option<Table> = None;
    for name in wanted {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| tr!("progress.error.workbook", file = path.display(), error = e))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let rows: Vec<(usize, Vec<Cell>)> = range
            .rows()
            .enumerate()
            .map(|(i, r)| {
                // Cells before the used range are empty: columns keep their places.
                let mut cells = vec![Cell::Empty; col0 as usize];
                cells.extend(r.iter().map(cell));
                (row0 as usize + i + 1, cells)
            })
            .collect();
        let table = Table {
            sheet: Some(name),
            encoding: None,
            rows,
        };
        // The first sheet that has a progress table; else the first sheet, to say what it lacks.
        if super::columns::find_header(&table).is_some() {
            return Ok(table);
        }
        first.get_or_insert(table);
    }
    first.ok_or_else(|| tr!("progress.error.empty", file = path.display()))
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Cell::Date(format!("{y:04}-{m:02}-{d:02}"))
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}
