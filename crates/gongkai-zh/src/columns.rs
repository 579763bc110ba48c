//! The words departments head the columns of a task table with (序号, 重点工作, 牵头单位, 责任单位,
//! 配合单位, 责任领导, 完成时限 …): one list for the site, which reads a table's roles from its
//! header, and for the importer, which finds a table that arrived as text by its header.

/// Columns of the units that lead (牵头).
pub const LEAD: &[&str] = &[
    "牵头单位",
    "牵头部门",
    "牵头责任单位",
    "牵头科室",
    "主责单位",
];
/// Columns of the units responsible (责任单位): leading, unless a 牵头 column is beside them.
pub const DUTY: &[&str] = &[
    "责任单位",
    "责任部门",
    "责任科室",
    "责任处室",
    "责任股室",
    "责任股",
    "实施单位",
    "负责单位",
    "负责部门",
    "负责科室",
    "责任主体",
    "承办单位",
    "主办单位",
];
/// Columns of the units that take part.
pub const SUPPORT: &[&str] = &[
    "配合单位",
    "配合部门",
    "协办单位",
    "参与单位",
    "参与部门",
    "协同单位",
    "协助单位",
    "协作单位",
    "协办部门",
];
/// Columns of responsible persons (区领导, 责任领导, 分管县领导, 责任人).
pub const PERSON: &[&str] = &["领导", "责任人"];
/// Columns that name the task, the first from the left.
pub const TITLE: &[&str] = &[
    "目标名称",
    "任务名称",
    "重点任务",
    "主要任务",
    "工作任务",
    "目标任务",
    "任务",
    "重点工作",
    "民生实事",
    "实事",
    "项目",
    "事项",
    "工作",
];
/// Columns with more of the task's words.
pub const TEXT: &[&str] = &[
    "工作内容",
    "具体内容",
    "任务内容",
    "主要内容",
    "细化措施",
    "具体措施",
    "工作措施",
    "主要措施",
    "工作标准",
    "工作要求",
    "目标要求",
    "具体要求",
];
/// Columns of the time limit.
pub const DUE: &[&str] = &[
    "完成时限",
    "完成时间",
    "完成期限",
    "时间节点",
    "计划节点",
    "进度安排",
    "时间进度",
    "时间要求",
    "时限",
];
