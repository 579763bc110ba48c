//! A department's progress table as rows of cells: Excel (.xlsx, .xls, .xlsb, .ods) through
//! calamine, CSV through the csv crate after its encoding is found (GB18030 as Excel on a Chinese
//! Windows saves it, or UTF-8). Cells keep what they are: text, a number, or a date Excel stored
//! as a date.

use std::path::Path;

use calamine::{Data, Reader};

use gongkai_site::limits::{self, SHEET_CELLS, SHEET_COLUMNS, SHEET_FILE_BYTES, SHEET_ROWS};

pub use super::cells::{SheetCell, SheetTable};
use super::error::{SheetError, SheetProblem};

/// Reads a workbook's sheet (`sheet`, else the first with a header) or a CSV file. Every
/// reader has a budget (`gongkai_site::limits`): the file's size, what its zip parts inflate to, and
/// a sheet's rows, columns and cells; past one, an error naming the file and the limit.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<SheetTable, SheetError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" => read_csv(&read_file(path)?).map_err(workbook(path)),
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" | "et" => {
            read_workbook(read_file(path)?, sheet, path)
        }
        _ => Err(SheetError::Format(path.to_path_buf())),
    }
}

/// A problem inside the file at `path`, as the error that names the file.
fn workbook(path: &Path) -> impl Fn(SheetProblem) -> SheetError + '_ {
    move |problem| SheetError::Workbook {
        file: path.to_path_buf(),
        problem,
    }
}

/// The file's bytes, under the reading policy (`gongkai_site::input`): a regular file (never a FIFO or
/// a device) of at most [`SHEET_FILE_BYTES`].
fn read_file(path: &Path) -> Result<Vec<u8>, SheetError> {
    gongkai_site::input::read(path, None, SHEET_FILE_BYTES).map_err(|e| match e.refusal {
        gongkai_site::input::Refusal::TooLarge { .. } => SheetError::TooLarge(path.to_path_buf()),
        _ => SheetError::Read {
            file: path.to_path_buf(),
            reason: e.reason(),
        },
    })
}

/// Fails past [`SHEET_ROWS`], [`SHEET_COLUMNS`] or [`SHEET_CELLS`]; `row` and `column` from 0.
fn check_size(sheet: &str, row: usize, column: usize, cells: usize) -> Result<(), SheetProblem> {
    let sheet = sheet.to_string();
    if row >= SHEET_ROWS {
        return Err(SheetProblem::Rows {
            sheet,
            row: row + 1,
        });
    }
    if column >= SHEET_COLUMNS {
        return Err(SheetProblem::Columns {
            sheet,
            column: column + 1,
        });
    }
    if cells > SHEET_CELLS {
        return Err(SheetProblem::Cells { sheet });
    }
    Ok(())
}

fn read_csv(bytes: &[u8]) -> Result<SheetTable, SheetProblem> {
    let decoded = crate::decode::decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(decoded.text.as_bytes());
    let mut rows = Vec::new();
    let mut filled = 0usize;
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| SheetProblem::Csv {
            row: i + 1,
            error: e.to_string(),
        })?;
        let line = record.position().map_or(i + 1, |p| p.line() as usize);
        // Empty fields at the end of a record (a row of commas) are no columns.
        let fields: Vec<&str> = record.iter().collect();
        let width = fields
            .iter()
            .rposition(|c| !c.trim().is_empty())
            .map_or(0, |p| p + 1);
        filled += fields.iter().filter(|c| !c.trim().is_empty()).count();
        check_size("CSV", i, width.saturating_sub(1), filled)?;
        rows.push((
            line,
            fields
                .iter()
                .take(width)
                .map(|c| {
                    if c.trim().is_empty() {
                        SheetCell::Empty
                    } else {
                        SheetCell::Text(c.to_string())
                    }
                })
                .collect(),
        ));
    }
    Ok(SheetTable {
        sheet: None,
        encoding: Some(decoded.encoding),
        rows,
    })
}

/// The parts of a zip workbook (.xlsx, .xlsm, .xlsb, .ods) each streamed through the zip
/// budget before calamine opens it, which reads the shared strings whole and trusts every
/// size; the shared strings are counted, and an .ods's repeated rows and columns measured.
fn prescan_zip(bytes: &[u8]) -> Result<(), SheetProblem> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| SheetProblem::Format(e.to_string()))?;
    limits::check_entries(zip.len()).map_err(SheetProblem::Exceeded)?;
    let mut budget = limits::ZipBudget::default();
    for i in 0..zip.len() {
        let name = zip
            .by_index_raw(i)
            .ok()
            .and_then(|f| f.name().ok().map(|n| n.into_owned()))
            .unwrap_or_default();
        let keep = name.ends_with("sharedStrings.xml") || name == "content.xml";
        if keep {
            // What was inflated is checked even when the part turns out damaged (a bad CRC is
            // only seen at its end, and calamine may never read that far).
            let mut xml = Vec::new();
            budget.stream_index(&mut zip, i, |chunk| {
                xml.extend_from_slice(chunk);
                Ok::<(), SheetProblem>(())
            })?;
            if name == "content.xml" {
                ods_extent(&xml)?;
            } else {
                shared_strings(&xml, &name)?;
            }
        } else {
            budget.stream_index(&mut zip, i, |_| Ok::<(), SheetProblem>(()))?;
        }
    }
    Ok(())
}

/// Counts an .xlsx's shared strings against [`SHEET_CELLS`]: more distinct strings than a
/// sheet may have cells is no progress table (calamine keeps them all, 24 bytes each at least).
fn shared_strings(xml: &[u8], part: &str) -> Result<(), SheetProblem> {
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut depth = limits::XmlDepth::default();
    let mut count = 0usize;
    loop {
        buf.clear();
        match r.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e)) => {
                depth.open(part).map_err(SheetProblem::Exceeded)?;
                if e.local_name().as_ref() == "si" {
                    count += 1;
                }
            }
            Ok(quick_xml::events::Event::Empty(e)) if e.local_name().as_ref() == "si" => {
                count += 1;
            }
            Ok(quick_xml::events::Event::End(_)) => depth.close(),
            Ok(quick_xml::events::Event::DocType(_)) => {
                return Err(SheetProblem::Limit(limits::doctype_error(part)));
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        if count > SHEET_CELLS {
            return Err(SheetProblem::SharedStrings {
                part: part.to_string(),
            });
        }
    }
    Ok(())
}

/// An .ods's `content.xml`: each table's cells with something in them, where they lie once
/// `table:number-rows-repeated` and `table:number-columns-repeated` are applied. calamine
/// builds the rectangle from the first to the last of them whole; it must stay in the sheet
/// limits.
fn ods_extent(xml: &[u8]) -> Result<(), SheetProblem> {
    use quick_xml::events::Event;
    const PART: &str = "content.xml";
    let repeat = |e: &quick_xml::events::BytesStart, key: &str| -> usize {
        e.attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == key)
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1usize)
            .max(1)
    };
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut depth = limits::XmlDepth::default();
    let mut table = String::new();
    let (mut row, mut row_repeat, mut col) = (0usize, 1usize, 0usize);
    // First and last row, last column with something, and the cells calamine keeps per row.
    let mut first_row: Option<usize> = None;
    let (mut last_row, mut last_col, mut kept) = (0usize, 0usize, 0usize);
    loop {
        buf.clear();
        let (e, empty) = match r.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                depth.open(PART).map_err(SheetProblem::Exceeded)?;
                (e, false)
            }
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                depth.close();
                if e.local_name().as_ref() == "table-row" {
                    row = row.saturating_add(row_repeat);
                }
                continue;
            }
            Ok(Event::DocType(_)) => return Err(SheetProblem::Limit(limits::doctype_error(PART))),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        match e.local_name().as_ref() {
            "table" => {
                table = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "name")
                    .map(|a| a.value.to_string())
                    .unwrap_or_default();
                (row, first_row, last_row, last_col, kept) = (0, None, 0, 0, 0);
            }
            "table-row" => {
                row_repeat = repeat(&e, "number-rows-repeated");
                col = 0;
                if empty {
                    row = row.saturating_add(row_repeat);
                }
            }
            "table-cell" | "covered-table-cell" => {
                let n = repeat(&e, "number-columns-repeated");
                let filled = !empty
                    || e.attributes()
                        .flatten()
                        .any(|a| a.key.local_name().as_ref() == "value-type");
                if filled {
                    let end_row = row.saturating_add(row_repeat - 1);
                    let end_col = col.saturating_add(n - 1);
                    let first = *first_row.get_or_insert(row);
                    last_row = last_row.max(end_row);
                    last_col = last_col.max(end_col);
                    kept = kept.saturating_add(end_col + 1);
                    let area = (last_row - first + 1).saturating_mul(last_col + 1);
                    check_size(&table, last_row, last_col, area.max(kept))?;
                }
                col = col.saturating_add(n);
            }
            _ => {}
        }
    }
    Ok(())
}

fn read_workbook(
    bytes: Vec<u8>,
    sheet: Option<&str>,
    path: &Path,
) -> Result<SheetTable, SheetError> {
    let err = workbook(path);
    let format = |e: &dyn std::fmt::Display| SheetError::Workbook {
        file: path.to_path_buf(),
        problem: SheetProblem::Format(e.to_string()),
    };
    let zipped = bytes.starts_with(b"PK\x03\x04");
    if zipped {
        prescan_zip(&bytes).map_err(&err)?;
    }
    let has = |part: &str| {
        zipped
            && zip::ZipArchive::new(std::io::Cursor::new(&bytes[..]))
                .is_ok_and(|z| z.index_for_name(part).is_some())
    };
    // The sheet's cells one by one, kept sparsely: calamine's Range would be the whole
    // rectangle from A1 to the farthest cell.
    if has("xl/workbook.xml") {
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| format(&e))?;
        let names = book.sheet_names();
        return first_table(&names, sheet, path, |name| {
            let mut reader = book.worksheet_cells_reader(name).map_err(|e| format(&e))?;
            sparse_cells(name, || {
                reader
                    .next_cell()
                    .map_err(|e| SheetProblem::Format(e.to_string()))
            })
            .map_err(&err)
        });
    }
    if has("xl/workbook.bin") {
        let mut book = calamine::Xlsb::new(std::io::Cursor::new(bytes)).map_err(|e| format(&e))?;
        let names = book.sheet_names();
        return first_table(&names, sheet, path, |name| {
            let mut reader = book.worksheet_cells_reader(name).map_err(|e| format(&e))?;
            sparse_cells(name, || {
                reader
                    .next_cell()
                    .map_err(|e| SheetProblem::Format(e.to_string()))
            })
            .map_err(&err)
        });
    }
    // An .xls is opened whole by calamine (every sheet's rectangle): its cells are counted first.
    if !zipped {
        super::xls::prescan(&bytes).map_err(&err)?;
    }
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| format(&e))?;
    let names = book.sheet_names();
    first_table(&names, sheet, path, |name| {
        let range = book.worksheet_range(name).map_err(|e| format(&e))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let (row1, col1) = range.end().unwrap_or((0, 0));
        // An .xls is at most 65,536 × 256 and an .ods was measured before: what calamine
        // built is within reach, but a table that large is still refused, not cut.
        check_size(name, row1 as usize, col1 as usize, 0).map_err(&err)?;
        Ok(range
            .rows()
            .enumerate()
            .map(|(i, r)| {
                // Cells before the used range are empty: columns keep their places.
                let mut cells = vec![SheetCell::Empty; col0 as usize];
                cells.extend(r.iter().map(cell));
                (row0 as usize + i + 1, cells)
            })
            .collect())
    })
}

/// The first of the sheets wanted whose rows (`rows_of` a sheet's name) have a progress table's
/// header; else the first sheet, to say what it lacks.
fn first_table(
    names: &[String],
    sheet: Option<&str>,
    path: &Path,
    mut rows_of: impl FnMut(&str) -> Result<Vec<(usize, Vec<SheetCell>)>, SheetError>,
) -> Result<SheetTable, SheetError> {
    let mut first: Option<SheetTable> = None;
    for name in wanted_sheets(names, sheet)? {
        let rows = rows_of(&name)?;
        let table = SheetTable {
            sheet: Some(name),
            encoding: None,
            rows,
        };
        if super::columns::find_header(&table).is_some() {
            return Ok(table);
        }
        first.get_or_insert(table);
    }
    first.ok_or_else(|| SheetError::Empty(path.to_path_buf()))
}

/// A sheet's rows from its cells given one by one (`next`), the empty ones left out, each
/// checked against the sheet limits as it comes.
fn sparse_cells<'a>(
    sheet: &str,
    mut next: impl FnMut() -> Result<Option<calamine::Cell<calamine::DataRef<'a>>>, SheetProblem>,
) -> Result<Vec<(usize, Vec<SheetCell>)>, SheetProblem> {
    let mut cells = Vec::new();
    while let Some(c) = next()? {
        let value = cell(&Data::from(c.get_value().clone()));
        if value == SheetCell::Empty {
            continue;
        }
        let (r, col) = c.get_position();
        check_size(sheet, r as usize, col as usize, cells.len() + 1)?;
        cells.push((r as usize, col as usize, value));
    }
    Ok(sparse_rows(cells))
}

/// The sheets to look at: the one asked for, else all in order.
fn wanted_sheets(names: &[String], sheet: Option<&str>) -> Result<Vec<String>, SheetError> {
    match sheet {
        Some(s) if names.iter().any(|n| n == s) => Ok(vec![s.to_string()]),
        Some(s) => Err(SheetError::NoSheet {
            sheet: s.to_string(),
            sheets: names.to_vec(),
        }),
        None => Ok(names.to_vec()),
    }
}

/// Rows from cells given sparsely (row and column from 0): from the first row with a cell to
/// the last, each as long as its last cell, numbered as the spreadsheet shows them.
fn sparse_rows(mut cells: Vec<(usize, usize, SheetCell)>) -> Vec<(usize, Vec<SheetCell>)> {
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let Some(first) = cells.first().map(|(r, ..)| *r) else {
        return vec![];
    };
    let mut rows: Vec<(usize, Vec<SheetCell>)> = Vec::new();
    for (r, c, value) in cells {
        while rows.len() <= r - first {
            rows.push((first + rows.len() + 1, Vec::new()));
        }
        if let Some((_, row)) = rows.last_mut() {
            if row.len() <= c {
                row.resize(c + 1, SheetCell::Empty);
            }
            row[c] = value;
        }
    }
    rows
}

fn cell(d: &Data) -> SheetCell {
    match d {
        Data::Empty => SheetCell::Empty,
        Data::String(s) if s.trim().is_empty() => SheetCell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => SheetCell::Text(s.clone()),
        Data::Int(i) => SheetCell::Number(*i as f64),
        Data::Float(f) => SheetCell::Number(*f),
        Data::Bool(b) => SheetCell::Text(b.to_string()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            SheetCell::Date(format!("{y:04}-{m:02}-{d:02}"))
        }
        Data::DateTime(dt) => SheetCell::Number(dt.as_f64()),
        Data::Error(e) => SheetCell::Text(format!("#{e:?}")),
    }
}
