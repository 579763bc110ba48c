//! What was done about a plan: each task's due date (完成时限) and dated progress reports, each
//! indicator's results against its target, and the documents that go with the plan — its 政策解读
//! and the files published for download (原文, 附件, evidence). As written ([`ProgressFile`],
//! [`AttachmentSpec`], [`InterpretationMeta`]) and as validation resolves them.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::date::Date;
use super::id::TaskId;
use super::period::Period;
use super::scalar::string_or_number;

/// Where a task stands, from a fixed set so that pages, data and imports mean the same thing by
/// each word. The YAML says the word (推进中); data and templates get the code (`in_progress`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 未启动.
    NotStarted,
    /// 推进中.
    InProgress,
    /// 持续推进: a standing task (长期坚持) that is being done and has no end.
    Ongoing,
    /// 延期: late, by the reporter's own word.
    Delayed,
    /// 已完成.
    Done,
    /// 已取消.
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Ongoing,
        Status::Delayed,
        Status::Done,
        Status::Cancelled,
    ];

    /// The word a publisher writes and a reader sees.
    pub fn word(self) -> &'static str {
        match self {
            Status::NotStarted => "未启动",
            Status::InProgress => "推进中",
            Status::Ongoing => "持续推进",
            Status::Delayed => "延期",
            Status::Done => "已完成",
            Status::Cancelled => "已取消",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Ongoing => "ongoing",
            Status::Delayed => "delayed",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }

    /// The status a word or code names: exactly one of the set (what a progress file holds).
    pub fn parse(s: &str) -> Option<Status> {
        let s = s.trim();
        Status::ALL
            .into_iter()
            .find(|x| x.word() == s || x.code() == s)
    }

    /// The status a department's table means, in the words such tables use (进行中, 已办结, 滞后
    /// …). `None` for anything else: an unknown word is refused, never guessed.
    pub fn from_table(s: &str) -> Option<Status> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let s = s.trim_end_matches(['。', '.', '；', ';', '，', ',']);
        if let Some(x) = Status::parse(s) {
            return Some(x);
        }
        let x = match s {
            "未开始" | "尚未启动" | "未开展" | "尚未开展" => Status::NotStarted,
            "进行中" | "正在推进" | "推进" | "正在进行" | "在建" | "实施中" | "正在实施" => {
                Status::InProgress
            }
            "持续推进中" | "长期坚持" | "常态化推进" | "常态化" | "持续开展" => {
                Status::Ongoing
            }
            "滞后" | "逾期" | "推迟" | "延迟" | "进度滞后" | "已延期" => {
                Status::Delayed
            }
            "完成" | "已办结" | "办结" | "已落实" => Status::Done,
            "取消" | "已终止" | "终止" | "不再实施" => Status::Cancelled,
            _ => return None,
        };
        Some(x)
    }

    /// A task in this state needs no more work: it cannot be overdue.
    pub fn closed(self) -> bool {
        matches!(self, Status::Done | Status::Cancelled)
    }
}

/// A task's due date (完成时限) as the plan states it, and the day it means when it names one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    /// As written: `2024年6月底前`, `年内`, `长期坚持`, `2024-06-30`.
    pub text: String,
    /// The last day it allows; none for standing tasks and for phrases without a year in a plan
    /// of several years.
    pub date: Option<Date>,
    /// 长期坚持, 持续推进: a standing task, never overdue.
    pub long_term: bool,
    /// Where it was found: `front_matter` (`tasks:` of the plan), `table` (a 完成时限 column) or
    /// `text` (the task's own words).
    pub from: DueSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DueSource {
    FrontMatter,
    Table,
    Text,
}

/// Progress and results as written, in a plan's front matter or in its progress file
/// (`<plan>.progress.yaml` beside it).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProgressFile {
    #[serde(default)]
    pub progress: Vec<ProgressSpec>,
    #[serde(default)]
    pub results: Vec<ResultSpec>,
}

/// One dated report on a task, as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ProgressSpec {
    /// The task's number in the plan (`3`, `2.1`, `a5`).
    #[serde(deserialize_with = "string_or_number")]
    pub task: String,
    /// `YYYY-MM-DD`.
    #[serde(deserialize_with = "string_or_number")]
    pub date: String,
    /// One of [`Status`]'s words.
    pub status: String,
    /// What was done (进展情况).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Links and files that show it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceSpec>,
    /// Who reported it (填报单位).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter: Option<String>,
}

/// Evidence: a bare link or file (`https://…`, `sources/…`), or one with a title.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum EvidenceSpec {
    Plain(String),
    Full(EvidenceFull),
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct EvidenceFull {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl EvidenceSpec {
    /// (title, url, file) as written.
    pub fn parts(&self) -> (Option<&str>, Option<&str>, Option<&str>) {
        match self {
            EvidenceSpec::Plain(s) if is_url(s) => (None, Some(s), None),
            EvidenceSpec::Plain(s) => (None, None, Some(s)),
            EvidenceSpec::Full(f) => (f.title.as_deref(), f.url.as_deref(), f.file.as_deref()),
        }
    }
}

/// An http(s) address: the only links a page may carry from what a publisher writes.
pub fn is_url(s: &str) -> bool {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && s.len() > 8
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>`".contains(c))
}

/// An indicator's result for a year or period, as written.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ResultSpec {
    /// The indicator's name or alias, as the plan lists it.
    pub indicator: String,
    /// The year or period the result is for.
    #[serde(alias = "period", serialize_with = "super::period::as_text")]
    pub year: Period,
    /// 实际值, in the terms of the target (`下降12%`, `6`).
    #[serde(deserialize_with = "string_or_number")]
    pub value: String,
    /// Where the figure comes from (统计公报 …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// When it was published, `YYYY-MM-DD`.
    #[serde(
        default,
        deserialize_with = "super::scalar::opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub date: Option<String>,
    /// Whether the target was met, when the publisher says so; else judged (see
    /// `track::judge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub met: Option<bool>,
}

/// A file to publish with the plan, as its front matter lists it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AttachmentSpec {
    /// Under the site's `sources/`: `sources/shili/2024/fujian-1.pdf`.
    pub file: String,
    /// What it is: 附件1 重点任务分解表.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// 原文 (the document itself, in another format) or 附件 (an annex); 附件 by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// What a published file is to the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRole {
    /// The document itself (原文): the plan's `source:`, or an attachment of kind 原文.
    Original,
    /// 附件.
    Annex,
    /// Evidence of a progress report.
    Evidence,
}

/// A file of the site's `sources/` as the loader found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStat {
    /// As written: `sources/shili/2024/x.pdf`.
    pub path: String,
    /// Its size, or why it cannot be published.
    pub state: Result<u64, FileProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// Not under `sources/`, or climbing out of it (`..`, an absolute path, a link elsewhere).
    Outside,
    Missing,
    /// There, but not a file that may be published: a FIFO, a device, too large (the reason).
    Unreadable(String),
}

/// A file published with a plan, for download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub role: FileRole,
    pub title: String,
    /// Site-relative path of the source file: `sources/shili/2024/x.pdf`.
    pub source: String,
    /// Its file name as the publisher has it (the download's suggested name).
    pub file_name: String,
    /// Lower-case extension: `pdf`, `ofd`, `docx` …
    pub ext: String,
    pub size: u64,
    /// Where it is published, under the plan's folder: `files/fu-jian-1.pdf`.
    pub published: String,
}

/// A dated report on one task, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub task: TaskId,
    pub date: Date,
    pub status: Status,
    pub text: Option<String>,
    pub evidence: Vec<Evidence>,
    pub reporter: Option<String>,
    /// Where it is written, for problems and for the feed's stable ids.
    pub file: PathBuf,
    pub line: usize,
    /// Dated within the plan's life (see [`Life`]): only such a report may fix the site's
    /// as-of day, so one mistyped year (9999) cannot make every other plan overdue.
    pub plausible: bool,
}

/// The days a report on a plan can plausibly carry: from the day it was written (else, or when
/// that is later still, the start of the year before its period) to the end of the year after
/// its period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Life {
    pub from: Date,
    pub until: Date,
}

impl Life {
    pub fn new(period: super::Period, written: Option<&str>) -> Life {
        // Years past 9999 are no dates; the window then ends with the last one.
        let year = |y: u16| u32::from(y).min(9999);
        let until = Date::new(year(period.end.saturating_add(1)), 12, 31);
        let until = until.unwrap_or(Date::MAX);
        // A written date past the window (a 2024 plan written in 2026) would leave no day
        // plausible: then the window opens the year before the period, as without one.
        let from = written
            .and_then(Date::parse)
            .filter(|w| *w <= until)
            .or_else(|| Date::new(year(period.start.saturating_sub(1)), 1, 1))
            .unwrap_or(Date::MIN);
        Life { from, until }
    }

    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.until
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    Link {
        title: Option<String>,
        url: String,
    },
    /// A file published with the plan: its index in the plan's files.
    File {
        title: Option<String>,
        file: usize,
    },
}

/// An indicator's result, resolved: for the plan's indicator at `indicator`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorResult {
    /// Index in the plan's indicators.
    pub indicator: usize,
    pub period: Period,
    pub value: String,
    pub source: Option<String>,
    pub date: Option<String>,
    /// Met, missed, or not judged (no number to compare, no direction).
    pub met: Option<bool>,
    /// The publisher said so (`met:`), rather than gongkai judging it.
    pub stated: bool,
}

/// A 政策解读's front matter.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct InterpretationMeta {
    pub title: Option<String>,
    /// Who wrote it (解读机关 / 发布机构).
    #[serde(default)]
    pub issuer: Option<String>,
    /// 文字解读, 图文解读, 专家解读 …
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "super::scalar::opt_string_or_number")]
    pub published: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// The folder of a plan's 解读 page, below the plan's own (`…/aqsc-gongzuo-yijian/jiedu/`).
pub const INTERPRETATION_DIR: &str = "jiedu/";

/// A plan's 政策解读: `<plan>.jiedu.md` beside the plan, a page of its own.
#[derive(Debug, Clone)]
pub struct Interpretation {
    pub file: PathBuf,
    pub meta: InterpretationMeta,
    /// The front matter as written, to place problems on their lines.
    pub front_matter: String,
    /// The text as HTML.
    pub html: String,
    /// Links to plans in the text, to be checked like a plan's.
    pub links: Vec<super::body::InternalLink>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plans_life_opens_when_it_was_written() {
        let p = crate::Period {
            start: 2024,
            end: 2024,
        };
        let d = |s| Date::parse(s).unwrap();
        let l = Life::new(p, Some("2024-01-15"));
        assert!(
            !l.contains(d("2024-01-14"))
                && l.contains(d("2024-01-15"))
                && l.contains(d("2025-12-31"))
        );
        assert!(!l.contains(d("2026-01-01")) && !l.contains(d("9999-12-31")));
        let l = Life::new(p, None);
        assert!(l.contains(d("2023-01-01")) && !l.contains(d("2022-12-31")));
        // Written after its window: the window is as without a date, never empty.
        let l = Life::new(p, Some("2026-03-01"));
        assert!(l.contains(d("2024-06-30")));
        let l = Life::new(p, Some("2024-02-30"));
        assert!(l.contains(d("2023-06-30")), "an impossible date is no date");
    }

    #[test]
    fn statuses_are_one_fixed_set() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.word()), Some(s));
            assert_eq!(Status::parse(s.code()), Some(s));
        }
        assert_eq!(Status::parse("进行中"), None);
        assert_eq!(Status::from_table("进行中"), Some(Status::InProgress));
        assert_eq!(Status::from_table(" 已 完成 "), Some(Status::Done));
        assert_eq!(Status::from_table("已办结。"), Some(Status::Done));
        assert_eq!(Status::from_table("差不多了"), None);
        assert!(Status::Done.closed() && !Status::Delayed.closed());
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert!(is_url("https://www.example.gov.cn/a.html"));
        assert!(!is_url("javascript:alert(1)"));
        assert!(!is_url("https://a b"));
        assert!(!is_url("sources/x.pdf"));
    }
}
