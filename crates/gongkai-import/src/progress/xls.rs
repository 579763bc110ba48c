//! A pre-scan of an old Excel file (.xls, BIFF) before calamine opens it. calamine builds every
//! sheet's whole rectangle — from its first to its farthest cell, 32 bytes a cell — as it opens
//! the file, so one cell in A1 and one in IV65536 on each of ten sheets asks for 5 GiB. The scan
//! reads only the record headers and the position of each cell, and refuses a workbook whose
//! rectangles, added up, pass the cell limit (or whose last row or column passes its own).

use std::io::Read;

use super::error::SheetProblem;
use gongkai_site::limits::{SHEET_CELLS, SHEET_COLUMNS, SHEET_ROWS};

/// Records that hold one cell and start with its row and column (MS-XLS 2.4): Number, Label,
/// RString, BoolErr, RK, LabelSst, Formula.
const CELL_RECORDS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];
const MUL_RK: u16 = 0x00BD;
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;

/// The rectangle the cells of one sheet span.
#[derive(Default)]
struct Span {
    rows: Option<(u16, u16)>,
    cols: Option<(u16, u16)>,
}

impl Span {
    fn add(&mut self, row: u16, first: u16, last: u16) {
        let widen = |s: Option<(u16, u16)>, a: u16, b: u16| {
            Some(s.map_or((a, b), |(lo, hi)| (lo.min(a), hi.max(b))))
        };
        self.rows = widen(self.rows, row, row);
        self.cols = widen(self.cols, first, last);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1),
            _ => 0,
        }
    }
}

/// Checks the workbook stream of an .xls file. A file that is not one (no compound file, no
/// `Workbook` stream) passes: calamine says what is wrong with it.
pub fn prescan(bytes: &[u8]) -> Result<(), SheetProblem> {
    let Ok(mut cfb) = cfb::CompoundFile::open(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n));
    let Some(name) = name else { return Ok(()) };
    let mut stream = Vec::new();
    // The stream is no larger than the file, which the reading policy bounded.
    if cfb
        .open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .is_err()
    {
        return Ok(());
    }
    check_records(&stream)
}

/// Walks BIFF records (`type`, `length`, data), one span per substream with cells.
fn check_records(stream: &[u8]) -> Result<(), SheetProblem> {
    let u16_at = |d: &[u8], i: usize| d.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let mut total: u64 = 0;
    let mut span = Span::default();
    let mut at = 0;
    while let (Some(kind), Some(len)) = (u16_at(stream, at), u16_at(stream, at + 2)) {
        let data = stream.get(at + 4..at + 4 + usize::from(len)).unwrap_or(&[]);
        at += 4 + usize::from(len);
        match kind {
            BOF | EOF => {
                total += span.cells();
                span = Span::default();
            }
            k if CELL_RECORDS.contains(&k) => {
                if let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) {
                    span.add(row, col, col);
                }
            }
            MUL_RK => {
                let last = data.len().checked_sub(2).and_then(|i| u16_at(data, i));
                if let (Some(row), Some(first), Some(last)) =
                    (u16_at(data, 0), u16_at(data, 2), last)
                {
                    span.add(row, first, last.max(first));
                }
            }
            _ => {}
        }
        if let (Some((_, r)), Some((_, c))) = (span.rows, span.cols) {
            if usize::from(r) >= SHEET_ROWS {
                return Err(SheetProblem::XlsRows {
                    row: u32::from(r) + 1,
                });
            }
            if usize::from(c) >= SHEET_COLUMNS {
                return Err(SheetProblem::XlsColumns {
                    column: u32::from(c) + 1,
                });
            }
        }
        if total + span.cells() > SHEET_CELLS as u64 {
            return Err(SheetProblem::XlsCells);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0u8; 10]);
        record(0x0203, &d)
    }

    #[test]
    fn spans_are_added_up_over_sheets() {
        let sheet = |cells: &[(u16, u16)]| {
            let mut s = record(BOF, &[0, 6, 0x10, 0]);
            for &(r, c) in cells {
                s.extend(number(r, c));
            }
            s.extend(record(EOF, &[]));
            s
        };
        // A1 to J1000 on two sheets: 20,000 cells.
        let small = [sheet(&[(0, 0), (999, 9)]), sheet(&[(0, 0), (999, 9)])].concat();
        assert!(check_records(&small).is_ok());
        // A1 and IV60000 on one sheet: past the columns.
        assert!(check_records(&sheet(&[(0, 0), (60_000, 199)])).is_err());
        // 199 columns × 20,000 rows on each of two sheets: 7.96 million cells, past the limit.
        let wide = [
            sheet(&[(0, 0), (19_999, 198)]),
            sheet(&[(0, 0), (19_999, 198)]),
        ]
        .concat();
        assert!(check_records(&wide).is_err());
        // A MulRk record spans its columns.
        let mut d = 5u16.to_le_bytes().to_vec();
        d.extend(0u16.to_le_bytes());
        d.extend([0u8; 12]);
        d.extend(250u16.to_le_bytes());
        assert!(check_records(&record(MUL_RK, &d)).is_err());
        // A cut or empty stream is no error of ours.
        assert!(check_records(&[0x03, 0x02, 0xFF]).is_ok());
        assert!(check_records(&[]).is_ok());
    }
}
