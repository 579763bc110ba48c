//! A plan: its front matter as written, its parsed body, and — once validated — who is
//! responsible for each task and which registered indicators it sets. A [`LoadedPlan`] is what
//! was read; a [`Plan`] is what validation made of it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::body::Body;
use super::id::{DistrictId, IdVec, IndicatorId, PersonId, TaskId, UnitId};
use super::period::Period;
use super::registry::Direction;
use super::track::{
    Attachment, AttachmentSpec, Due, FileStat, IndicatorResult, Interpretation, Progress,
    ProgressFile, ProgressSpec, ResultSpec,
};

pub use crate::scalar::{opt_string_or_number, string_or_number};

/// Plan front matter as the publisher writes it. Required fields are options here so that all
/// missing ones can be reported together.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// District slug from `site.yaml`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// Year or period; `period` is accepted as a synonym for five-year plans.
    #[serde(
        default,
        alias = "period",
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::period::opt_as_text"
    )]
    pub year: Option<Period>,
    /// 工作意见 / 工作要点 / 规划 …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// 发文机关.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// 发文字号 (文号), e.g. 浦应急〔2021〕39号.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    /// 成文日期, YYYY-MM-DD.
    #[serde(
        default,
        deserialize_with = "opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub written: Option<String>,
    /// 发布日期, YYYY-MM-DD.
    #[serde(
        default,
        deserialize_with = "opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<String>,
    /// 索引号.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_number: Option<String>,
    /// 主题分类.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// 送审稿, 征求意见稿, 正式稿 …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// 有效性: 有效 / 失效 / 废止.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validity: Option<String>,
    /// 公开方式: 主动公开 / 依申请公开.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<String>,
    /// Where the text was taken from (a URL or a description).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The covering notice (印发通知) the plan was issued with, as Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// The imprint (版记) after the text: disclosure, 印发 date, 抄送, as Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imprint: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<IndicatorSpec>,
    /// Responsibility stated or overridden by task number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<TaskOverride>,
    /// Files published with the plan for download (附件, the original in other formats).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentSpec>,
    /// Progress reports, when they are kept in the plan file rather than beside it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub progress: Vec<ProgressSpec>,
    /// Indicator results, likewise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<ResultSpec>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSpec {
    /// Registry name or alias.
    pub name: String,
    #[serde(deserialize_with = "string_or_number")]
    pub target: String,
    /// What the target measures, e.g. 累计降幅 (cumulative reduction).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
    #[serde(
        default,
        deserialize_with = "opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub baseline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::period::opt_as_text"
    )]
    pub period: Option<Period>,
    /// Key of the task that states this target, if any.
    #[serde(
        default,
        deserialize_with = "opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub task: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaskOverride {
    #[serde(deserialize_with = "string_or_number")]
    pub number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persons: Option<Vec<String>>,
    /// 完成时限, as written: `2024年6月底前`, `年内`, `长期坚持`, `2024-06-30`.
    #[serde(
        default,
        deserialize_with = "opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub due: Option<String>,
}

/// A numbered heading of the body.
/// A plan as read from its file, before validation.
#[derive(Debug, Clone)]
pub struct LoadedPlan {
    /// The file name without `.md`: the plan's stable id in its district and year.
    pub slug: String,
    /// Path relative to the site root.
    pub file: PathBuf,
    pub meta: FrontMatter,
    /// Line where the body starts in the file.
    pub body_line: usize,
    pub body: Body,
    /// The front matter as written, to place problems on their lines.
    pub front_matter: String,
    /// A hash of the file's bytes: what the preview compares to tell an edit from a touch.
    pub fingerprint: u64,
    /// Its progress file (`<plan>.progress.yaml` beside it), if it has one.
    pub progress_file: Option<LoadedProgress>,
    /// Its 政策解读 (`<plan>.jiedu.md` beside it), if it has one.
    pub interpretation: Option<Interpretation>,
    /// Every file of `sources/` it names (source, attachments, evidence), as found.
    pub files: Vec<FileStat>,
}

/// A progress file as read.
#[derive(Debug, Clone)]
pub struct LoadedProgress {
    /// Site-relative: `content/shili/2024/aqsc.progress.yaml`.
    pub file: PathBuf,
    pub text: String,
    pub parsed: ProgressFile,
}

/// A validated plan: in a registered district, every name resolved.
#[derive(Debug, Clone)]
pub struct Plan {
    pub slug: String,
    pub file: PathBuf,
    pub meta: FrontMatter,
    pub body_line: usize,
    pub body: Body,
    pub fingerprint: u64,
    pub district: DistrictId,
    pub period: Period,
    /// Site-relative folder of its page, from its file: `jingan/2017/aqsc-gongzuo-yijian/`.
    pub url: String,
    /// Who is responsible for each task.
    pub responsibility: IdVec<TaskId, Responsibility>,
    /// The plan's indicators, resolved against the registry.
    pub indicators: Vec<Indicator>,
    /// Each task's due date, when the plan states one.
    pub due: IdVec<TaskId, Option<Due>>,
    /// Progress reports, oldest first (by date, then as written).
    pub progress: Vec<Progress>,
    /// Indicator results, by indicator then period.
    pub results: Vec<IndicatorResult>,
    /// Files published with it: the original first, then annexes, then evidence.
    pub files: Vec<Attachment>,
    pub interpretation: Option<Interpretation>,
}

/// Who is responsible for one task.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Responsibility {
    pub lead: Vec<UnitId>,
    pub support: Vec<UnitId>,
    pub persons: Vec<PersonId>,
}

/// An indicator of a plan, resolved against the indicator registry.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub def: IndicatorId,
    /// Its place in the front matter's `indicators:` (what results name it by).
    pub spec: usize,
    /// The name as the plan writes it.
    pub name: String,
    pub target: String,
    pub measure: Option<String>,
    pub baseline: Option<String>,
    pub unit: Option<String>,
    pub direction: Option<Direction>,
    pub period: Option<Period>,
    /// The task that states this target.
    pub task: Option<TaskId>,
}

impl Plan {
    pub fn title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or(&self.slug)
    }

    /// 失效 or 废止: the plan is no longer in force and the page must say so.
    pub fn is_withdrawn(&self) -> bool {
        matches!(self.meta.validity.as_deref(), Some("失效" | "废止"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The front matter is one schema, read and written by the same type: what is written
    /// reads back the same, attachments and results included (a field skipped when written
    /// would be lost in silence).
    #[test]
    fn front_matter_reads_back_what_it_writes() {
        let text = "title: 示例区2024年安全生产工作要点\n\
            year: 2024\n\
            attachments:\n- file: sources/shili/2024/fujian-1.pdf\n  title: 附件1\n\
            results:\n- indicator: 事故起数\n  year: 2024\n  value: 下降12%\n  met: true\n";
        let read: FrontMatter = serde_yaml_ng::from_str(text).unwrap();
        let written = serde_yaml_ng::to_string(&read).unwrap();
        let again: FrontMatter = serde_yaml_ng::from_str(&written).unwrap();
        assert_eq!(again.title, read.title);
        assert_eq!(again.attachments, read.attachments);
        assert_eq!(again.results, read.results);
        assert_eq!(again.results[0].year.to_string(), "2024");
    }
}
