//! Which column of a progress table holds what, from the names departments give them: 序号,
//! 任务, 牵头单位, 进展情况, 完成状态, 日期, 填报单位, 佐证材料 and their variants. The header is
//! the first row (of the first ten) that names a status column and a number or task column; a
//! title row above it is passed over.

use super::cells::Table;
use super::error::ProgressError;
use gongkai_site::limits::PROGRESS_MAX_ROWS;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
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
const NAMES: &[(Field, &[&str])] = &[
    (
        Field::Number,
        &["序号", "编号", "任务编号", "任务序号", "项目编号"],
    ),
    (
        Field::Status,
        &["完成状态", "推进状态", "落实状态", "状态", "进度"],
    ),
    // Not 时间 alone: 完成时间 is a due date, not the report's.
    (
        Field::Date,
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
        Field::Reporter,
        &["填报单位", "报送单位", "填报人", "报送人", "填报部门"],
    ),
    (
        Field::Evidence,
        &["佐证材料", "证明材料", "佐证链接", "佐证", "链接"],
    ),
    (
        Field::Text,
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
        Field::Lead,
        &["牵头单位", "责任单位", "牵头部门", "责任部门"],
    ),
    (
        Field::Task,
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
    /// Index in `Table::rows` of the header row.
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
    fn slot(&mut self, f: Field) -> &mut Option<usize> {
        match f {
            Field::Number => &mut self.number,
            Field::Task => &mut self.task,
            Field::Lead => &mut self.lead,
            Field::Text => &mut self.text,
            Field::Status => &mut self.status,
            Field::Date => &mut self.date,
            Field::Reporter => &mut self.reporter,
            Field::Evidence => &mut self.evidence,
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
pub fn check_size(table: &Table, file: &std::path::Path) -> Result<(), ProgressError> {
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
pub fn find_header(table: &Table) -> Option<Columns> {
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
