//! Tables exported as tab-started cells: rebuilt into rows under their header, with cells that
//! Word wrapped joined again, then written as Markdown tables. An indicator table (指标 with a
//! target column) also yields the plan's structured indicators.

use super::layout::{Cell, Grid, RawTable};
use super::markdown::escape_cell;

/// A row of a rebuilt table.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Cells(Vec<String>),
    /// A row of one cell that heads a group of rows (一、强化责任意识……（小计4项）).
    Group(String),
}

#[derive(Debug, Clone)]
pub struct Table {
    pub line: usize,
    /// Single cells above the header: the table's own title lines.
    pub captions: Vec<String>,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

/// An indicator read from an indicator table.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRow {
    pub name: String,
    pub target: String,
    pub measure: Option<String>,
}

impl IndicatorRow {
    /// Which way the indicator should go, as `site.yaml` spells it, when the table says.
    pub fn direction(&self) -> Option<&'static str> {
        let m = self.measure.as_deref().unwrap_or("");
        if ["杜绝", "不发生", "零"]
            .iter()
            .any(|k| self.target.contains(k))
        {
            Some("eliminate")
        } else if ["降幅", "下降", "减少"].iter().any(|k| m.contains(k)) {
            Some("decrease")
        } else if ["增幅", "提高", "增长"].iter().any(|k| m.contains(k)) {
            Some("increase")
        } else {
            None
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Join {
    /// Each line is a name (区领导): keep them apart with a space.
    Names,
    /// Lines are unit names, some wrapped by Word mid-name.
    Units,
    /// Running text wrapped by Word.
    Text,
}

fn join_kind(header: &str) -> Join {
    if ["领导", "责任人", "联系人"]
        .iter()
        .any(|k| header.contains(k))
    {
        Join::Names
    } else if ["单位", "部门"].iter().any(|k| header.contains(k)) {
        Join::Units
    } else {
        Join::Text
    }
}

/// Characters a unit name ends with; a line ending otherwise was wrapped mid-name.
fn ends_unit(s: &str) -> bool {
    s.ends_with(gongkai_zh::notation::UNIT_ENDINGS) || s.ends_with(['道', '）', ')'])
}

fn join_cell(lines: &Cell, kind: Join) -> String {
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            let apart = match kind {
                Join::Names => true,
                Join::Units => ends_unit(&lines[i - 1]),
                Join::Text => false,
            };
            if apart {
                out.push(' ');
            }
        }
        out.push_str(l);
    }
    out
}

fn is_number(cell: &Cell) -> bool {
    cell.len() == 1
        && !cell[0].is_empty()
        && cell[0].len() <= 3
        && cell[0].bytes().all(|b| b.is_ascii_digit())
}

/// Rebuilds the rows of a tab-cell table. Without a 序号 header the cells are kept one per row.
pub fn rebuild(raw: &RawTable) -> Table {
    let cells = &raw.cells;
    let header_at = cells.iter().position(|c| c.len() == 1 && c[0] == "序号");
    let Some(h) = header_at else {
        return Table {
            line: raw.no,
            captions: vec![],
            header: vec![],
            rows: cells
                .iter()
                .map(|c| Row::Group(join_cell(c, Join::Text)))
                .collect(),
        };
    };
    let captions = cells[..h]
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| join_cell(c, Join::Text))
        .collect();
    let width = cells[h..]
        .iter()
        .position(is_number)
        .unwrap_or(cells.len() - h)
        .max(1);
    let header: Vec<String> = cells[h..h + width]
        .iter()
        .map(|c| join_cell(c, Join::Text))
        .collect();
    let kinds: Vec<Join> = header.iter().map(|s| join_kind(s)).collect();
    let mut rows = Vec::new();
    let mut i = h + width;
    while i < cells.len() {
        if !is_number(&cells[i]) {
            if !cells[i].is_empty() {
                rows.push(Row::Group(join_cell(&cells[i], Join::Text)));
            }
            i += 1;
            continue;
        }
        let end = (i + width).min(cells.len());
        let mut row: Vec<String> = cells[i..end]
            .iter()
            .enumerate()
            .map(|(k, c)| join_cell(c, kinds[k]))
            .collect();
        row.resize(width, String::new());
        rows.push(Row::Cells(row));
        i = end;
    }
    Table {
        line: raw.no,
        captions,
        header,
        rows,
    }
}

/// Whether a cell is the header cell 序号 (spaces aside).
fn is_number_header(lines: &[String]) -> bool {
    let s: String = lines
        .concat()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    s == "序号" || s == "编号"
}

/// Rebuilds a table read with real rows and cells (Word, a web page, `|` rows). A row whose only
/// text spans the table (or stands alone in it) is a caption above the header and a group row
/// below it; the header is the row with 序号, else the first row with two cells of text.
pub fn from_grid(grid: &Grid) -> Table {
    // Lay each row out on the grid's columns: a spanning cell gives its text to its first column.
    let width = grid
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.span.max(1)).sum::<usize>())
        .max()
        .unwrap_or(0);
    let rows: Vec<Vec<Cell>> = grid
        .rows
        .iter()
        .map(|r| {
            let mut out: Vec<Cell> = Vec::with_capacity(width);
            for c in r {
                out.push(c.lines.clone());
                for _ in 1..c.span.max(1) {
                    out.push(Vec::new());
                }
            }
            out.resize(width, Vec::new());
            out
        })
        .collect();
    let filled = |r: &Vec<Cell>| r.iter().filter(|c| !c.is_empty()).count();
    let header_at = rows
        .iter()
        .position(|r| r.iter().any(|c| is_number_header(c)))
        .or_else(|| rows.iter().position(|r| filled(r) >= 2));
    let Some(h) = header_at else {
        return Table {
            line: grid.no,
            captions: vec![],
            header: vec![],
            rows: rows
                .iter()
                .flat_map(|r| r.iter().filter(|c| !c.is_empty()))
                .map(|c| Row::Group(join_cell(c, Join::Text)))
                .collect(),
        };
    };
    let captions = rows[..h]
        .iter()
        .flat_map(|r| r.iter().filter(|c| !c.is_empty()))
        .map(|c| join_cell(c, Join::Text))
        .collect();
    let header: Vec<String> = rows[h].iter().map(|c| join_cell(c, Join::Text)).collect();
    let kinds: Vec<Join> = header.iter().map(|s| join_kind(s)).collect();
    let mut out_rows = Vec::new();
    for r in &rows[h + 1..] {
        match filled(r) {
            0 => {}
            1 if r.len() > 2 => {
                let c = r
                    .iter()
                    .find(|c| !c.is_empty())
                    .cloned()
                    .unwrap_or_default();
                out_rows.push(Row::Group(join_cell(&c, Join::Text)));
            }
            _ => out_rows.push(Row::Cells(
                r.iter()
                    .enumerate()
                    .map(|(k, c)| join_cell(c, kinds.get(k).copied().unwrap_or(Join::Text)))
                    .collect(),
            )),
        }
    }
    Table {
        line: grid.no,
        captions,
        header,
        rows: out_rows,
    }
}

impl Table {
    /// The table as Markdown: captions as paragraphs, then a pipe table. A group row puts its
    /// text in the first cell and leaves the others empty.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        for c in &self.captions {
            out.push_str(&super::markdown::escape(c));
            out.push_str("\n\n");
        }
        if self.header.is_empty() {
            for r in &self.rows {
                if let Row::Group(t) = r {
                    out.push_str(&super::markdown::escape(t));
                    out.push_str("\n\n");
                }
            }
            return out;
        }
        let line = |cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(|c| escape_cell(c)).collect();
            format!("| {} |\n", cells.join(" | "))
        };
        out.push_str(&line(&self.header));
        out.push_str(&format!("|{}\n", "---|".repeat(self.header.len())));
        for r in &self.rows {
            match r {
                Row::Cells(c) => out.push_str(&line(c)),
                Row::Group(t) => {
                    let mut c = vec![String::new(); self.header.len()];
                    c[0] = t.clone();
                    out.push_str(&line(&c));
                }
            }
        }
        out.push('\n');
        out
    }

    /// Indicators, when this is an indicator table: a 指标 column and a target column.
    pub fn indicators(&self) -> Vec<IndicatorRow> {
        let find = |keys: &[&str]| {
            self.header
                .iter()
                .position(|h| keys.iter().any(|k| h.contains(k)))
        };
        let Some(name_col) = find(&["指标名称", "指标内容", "指标"]) else {
            return vec![];
        };
        let Some(target_col) = (0..self.header.len()).find(|&c| {
            c != name_col
                && ["目标", "降幅", "升幅", "增幅", "指标值", "预期", "约束"]
                    .iter()
                    .any(|k| self.header[c].contains(k))
        }) else {
            return vec![];
        };
        let measure = Some(self.header[target_col].clone());
        self.rows
            .iter()
            .filter_map(|r| match r {
                Row::Cells(c) if !c[name_col].is_empty() && !c[target_col].is_empty() => {
                    Some(IndicatorRow {
                        name: c[name_col].clone(),
                        target: c[target_col].clone(),
                        measure: measure.clone(),
                    })
                }
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[&[&str]]) -> Vec<Cell> {
        v.iter()
            .map(|c| c.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn annex_rows_and_wrapped_cells() {
        let raw = RawTable {
            no: 1,
            cells: cells(&[
                &["总体目标（小计1项）"],
                &["序号"],
                &["重点任务"],
                &["区领导"],
                &["责任单位"],
                &["配合单位"],
                &["1"],
                &["示例任务"],
                &["张三", "李四"],
                &["区应急局", "区建设管理委"],
                &["各乡镇", "区建筑施工安全专业", "委员会成员单位"],
                &["一、强化责任意识（小计1项）"],
                &["2"],
                &["另一任务"],
                &["张三"],
                &["区应急局"],
            ]),
        };
        let t = rebuild(&raw);
        assert_eq!(t.captions, ["总体目标（小计1项）"]);
        assert_eq!(t.header.len(), 5);
        assert_eq!(
            t.rows[0],
            Row::Cells(vec![
                "1".into(),
                "示例任务".into(),
                "张三 李四".into(),
                "区应急局 区建设管理委".into(),
                "各乡镇 区建筑施工安全专业委员会成员单位".into()
            ])
        );
        assert_eq!(t.rows[1], Row::Group("一、强化责任意识（小计1项）".into()));
        assert_eq!(
            t.rows[2],
            Row::Cells(vec![
                "2".into(),
                "另一任务".into(),
                "张三".into(),
                "区应急局".into(),
                String::new()
            ])
        );
    }

    #[test]
    fn indicator_table() {
        let raw = RawTable {
            no: 1,
            cells: cells(&[
                &["序号"],
                &["指标内容"],
                &["累计降幅"],
                &["1"],
                &["生产安全事故起数"],
                &["10%"],
                &["2"],
                &["较大事故起数"],
                &["力争不发生"],
            ]),
        };
        let ind = rebuild(&raw).indicators();
        assert_eq!(ind.len(), 2);
        assert_eq!(ind[1].target, "力争不发生");
        assert_eq!(ind[0].measure.as_deref(), Some("累计降幅"));
    }
}
