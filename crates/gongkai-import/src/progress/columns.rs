//! Which column of a progress table holds what, from the names departments give them: 序号,
//! 任务, 牵头单位, 进展情况, 完成状态, 日期, 填报单位, 佐证材料 and their variants. The header is
//! the first row (of the first ten) that names a status column and a number or task column; a
//! title row above it is passed over.

use super::cells::SheetTable;
use super::error::ProgressError;
use gongkai_site::limits::PROGRESS_MAX_ROWS;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Number,
    Task,
    Lead,
    Text,
    Status,
    Date,
    Reporter,
    Evidence,
}

/// Header names of each field, exact names first; a header that contains one of them counts
/// too (进展情况（截至6月底）).
const NAMES: &[(ColumnKind, &[&str])] = &[
    (
        ColumnKind::Number,
        &["序号", "编号", "任务编号", "任务序号", "项目编号"],
    ),
    (
        ColumnKind::Status,
        &["完成状态", "推进状态", "落实状态", "状态", "进度"],
    ),
    // Not 时间 alone: 完成时间 is a due date, not the report's.
    (
        ColumnKind::Date,
        &[
            "填报日期",
            "报送日期",
            "更新日期",
            "进展日期",
            "截至日期",
            "填报时间",
            "日期",
        ],
    ),
    (
        ColumnKind::Reporter,
        &["填报单位", "报送单位", "填报人", "报送人", "填报部门"],
    ),
    (
        ColumnKind::Evidence,
        &["佐证材料", "证明材料", "佐证链接", "佐证", "链接"],
    ),
    (
        ColumnKind::Text,
        &[
            "进展情况",
            "工作进展",
            "落实情况",
            "完成情况",
            "推进情况",
            "进展说明",
            "进展",
        ],
    ),
    (
        ColumnKind::Lead,
        &["牵头单位", "责任单位", "牵头部门", "责任部门"],
    ),
    (
        ColumnKind::Task,
        &[
            "重点任务",
            "工作任务",
            "主要任务",
            "任务内容",
            "任务名称",
            "工作内容",
            "任务",
            "事项",
        ],
    ),
];

/// The columns found, by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    /// Index in `SheetTable::rows` of the header row.
    pub header: usize,
    pub number: Option<usize>,
    pub task: Option<usize>,
    pub lead: Option<usize>,
    pub text: Option<usize>,
    pub status: Option<usize>,
    pub date: Option<usize>,
    pub reporter: Option<usize>,
    pub evidence: Option<usize>,
}

impl Columns {
    fn slot(&mut self, f: ColumnKind) -> &mut Option<usize> {
        match f {
            ColumnKind::Number => &mut self.number,
            ColumnKind::Task => &mut self.task,
            ColumnKind::Lead => &mut self.lead,
            ColumnKind::Text => &mut self.text,
            ColumnKind::Status => &mut self.status,
            ColumnKind::Date => &mut self.date,
            ColumnKind::Reporter => &mut self.reporter,
            ColumnKind::Evidence => &mut self.evidence,
        }
    }
}

/// The columns of one header row: each header cell names at most one field, each field takes
/// the first column that names it — exactly, else by containing its name.
pub fn columns_of(cells: &[String]) -> Columns {
    let mut c = Columns::default();
    let norm: Vec<String> = cells
        .iter()
        .map(|s| s.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    let mut taken = vec![false; norm.len()];
    for exact in [true, false] {
        for (field, names) in NAMES {
            if c.slot(*field).is_some() {
                continue;
            }
            let found = names.iter().find_map(|n| {
                norm.iter().enumerate().position(|(i, h)| {
                    !taken[i] && !h.is_empty() && if exact { h == n } else { h.contains(n) }
                })
            });
            if let Some(i) = found {
                taken[i] = true;
                *c.slot(*field) = Some(i);
            }
        }
    }
    c
}

/// Refuses a table of more rows than [`PROGRESS_MAX_ROWS`], naming the file and the limit.
pub fn check_size(table: &SheetTable, file: &std::path::Path) -> Result<(), ProgressError> {
    if table.rows.len() > PROGRESS_MAX_ROWS {
        return Err(ProgressError::TooManyRows {
            file: file.to_path_buf(),
            count: table.rows.len(),
            limit: PROGRESS_MAX_ROWS,
        });
    }
    Ok(())
}

/// The header row of a progress table and its columns, if it has one.
pub fn find_header(table: &SheetTable) -> Option<Columns> {
    table
        .rows
        .iter()
        .take(10)
        .enumerate()
        .find_map(|(i, (_, cells))| {
            let texts: Vec<String> = cells.iter().map(|c| c.text()).collect();
            let mut c = columns_of(&texts);
            c.header = i;
            (c.status.is_some() && (c.number.is_some() || c.task.is_some())).then_some(c)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(h: &[&str]) -> Columns {
        columns_of(&h.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn headers_departments_write() {
        let c = cols(&["序号", "任务", "牵头单位", "进展情况", "完成状态", "日期"]);
        assert_eq!(
            (c.number, c.task, c.lead, c.text, c.status, c.date),
            (Some(0), Some(1), Some(2), Some(3), Some(4), Some(5))
        );
        // Variants, with spaces and notes in the header.
        let c = cols(&[
            "编 号",
            "重点任务",
            "责任单位",
            "进展情况（截至6月底）",
            "状态",
            "填报日期",
            "佐证材料",
        ]);
        assert_eq!(
            (
                c.number, c.task, c.lead, c.text, c.status, c.date, c.evidence
            ),
            (
                Some(0),
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6)
            )
        );
        // 任务编号 is the number, not the task.
        let c = cols(&["任务编号", "任务内容", "推进状态"]);
        assert_eq!((c.number, c.task, c.status), (Some(0), Some(1), Some(2)));
    }
}
