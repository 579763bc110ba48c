//! The plan text as Markdown: lines broken by extraction joined again, numbered headings given
//! their level from the numbering (一、 ＞ （一） ＞ 1. ＞ (1), GB/T 9704), numbered paragraphs
//! kept as tasks, tables rebuilt.

use super::layout::{Item, Line};
use super::markdown::escape;
use super::repair::{self, is_heading_like, is_prose};
use super::report::Report;
use super::table::{self, IndicatorRow};
use crate::numbering::{Style, parse_marker};

/// Joins each line that continues the one before it (see [`repair::continues`]).
pub fn join_lines(lines: Vec<Line>, report: &mut Report) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for l in lines {
        if let Some(prev) = out.last()
            && repair::repeats_tail(&prev.text, &l.text)
        {
            report.drop_lines(
                l.no,
                l.no,
                format!(
                    "“{}” repeats the end of line {} (an extraction duplicate)",
                    l.text, prev.no
                ),
            );
            continue;
        }
        if let Some(prev) = out.last_mut()
            && let Some(why) = repair::continues(&prev.text, &l.text)
        {
            report.repairs.joined.push((prev.no, l.no, why));
            prev.text = repair::join(&prev.text, &l.text);
            continue;
        }
        out.push(l);
    }
    out
}

/// Unnumbered headings a plan may have.
const PLAIN_HEADINGS: &[&str] = &["前言", "附件", "结束语", "结语", "附表", "附录"];

/// The body's Markdown and the indicators found in its tables.
pub struct Outline {
    pub markdown: String,
    pub indicators: Vec<IndicatorRow>,
}

struct Levels {
    /// Number of the last level-2 heading.
    top: u32,
    /// The last heading's level, so that none is skipped.
    last: u8,
    /// Style and number of the last heading at each level (index = level).
    at: [Option<(Style, u32)>; 7],
}

impl Levels {
    /// The level of a numbered heading. A document may continue its first-level sequence in
    /// another style (000: 一、 then 2、 3、 then 四、): a number that follows the last
    /// first-level one, where no sequence of its own style is running, is first-level too.
    fn of(&mut self, style: Style, number: u32) -> u8 {
        let base = style.heading_level();
        let own_running =
            (3..=6).any(|l| self.at[l].is_some_and(|(s, n)| s == style && n + 1 == number));
        let level = if base == 2 || (number == self.top + 1 && !own_running && self.top > 0) {
            2
        } else {
            base.min(self.last + 1).max(3)
        };
        if level == 2 {
            self.top = number;
        }
        self.at[usize::from(level)] = Some((style, number));
        for l in &mut self.at[usize::from(level) + 1..] {
            *l = None;
        }
        self.last = level;
        level
    }
}

/// Writes the body items as Markdown, one block at a time.
struct Outliner<'r> {
    md: String,
    indicators: Vec<IndicatorRow>,
    levels: Levels,
    /// The last block was the 附件 heading, so an annex title may follow.
    after_annex: bool,
    report: &'r mut Report,
}

impl Outliner<'_> {
    fn heading(&mut self, level: u8, text: &str) {
        self.levels.last = level;
        self.report.counts.sections += 1;
        self.md.push_str(&format!(
            "{} {}\n\n",
            "#".repeat(level.into()),
            escape(text)
        ));
    }

    fn lines(&mut self, lines: Vec<Line>) {
        for l in join_lines(lines, self.report) {
            let text = l.text.as_str();
            let marker = parse_marker(text);
            let after_annex = std::mem::take(&mut self.after_annex);
            if let Some(m) = marker.as_ref().filter(|_| is_heading_like(text)) {
                let level = self.levels.of(m.style, m.number);
                self.heading(level, text);
            } else if marker.is_none() && PLAIN_HEADINGS.contains(&text) {
                self.heading(2, text);
                self.after_annex = text == "附件";
            } else if after_annex
                && marker.is_none()
                && is_heading_like(text)
                && !text.starts_with(['（', '('])
            {
                self.heading(3, text);
            } else {
                if marker.is_none()
                    && !is_prose(text)
                    && is_heading_like(text)
                    && !text.ends_with(['）', ')'])
                {
                    self.report.unplaced(
                        l.no,
                        text,
                        "a short line without numbering: a heading or a caption?",
                    );
                }
                self.md.push_str(&escape(text));
                self.md.push_str("\n\n");
            }
        }
    }

    fn table(&mut self, raw: &super::layout::RawTable) {
        let t = table::rebuild(raw);
        self.indicators.extend(t.indicators());
        if t.header.is_empty() {
            self.report.unplaced(
                raw.no,
                "",
                "a table without a 序号 header, kept as paragraphs",
            );
        }
        self.md.push_str(&t.to_markdown());
    }
}

/// Writes the body items as Markdown.
pub fn outline(items: Vec<Item>, report: &mut Report) -> Outline {
    let mut o = Outliner {
        md: String::new(),
        indicators: Vec::new(),
        levels: Levels {
            top: 0,
            last: 1,
            at: [None; 7],
        },
        after_annex: false,
        report,
    };
    let mut pending: Vec<Line> = Vec::new();
    for it in items {
        match it {
            Item::Line(l) => pending.push(l),
            Item::Table(raw) => {
                o.lines(std::mem::take(&mut pending));
                o.table(&raw);
            }
        }
    }
    o.lines(pending);
    Outline {
        markdown: o.md,
        indicators: o.indicators,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<Item> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                Item::Line(Line {
                    no: i + 1,
                    text: t.to_string(),
                })
            })
            .collect()
    }

    fn headings(md: &str) -> Vec<&str> {
        md.lines().filter(|l| l.starts_with('#')).collect()
    }

    #[test]
    fn mixed_first_level_numbering() {
        let mut r = Report::default();
        let o = outline(
            lines(&[
                "一、完善责任体系",
                "（一）明确领导责任。坚持党政同责。",
                "2、适应改革发展要求",
                "（一）规范执法。制定计划。",
                "3、加强风险管控",
                "四、夯实基础工作",
            ]),
            &mut r,
        );
        assert_eq!(
            headings(&o.markdown),
            [
                "## 一、完善责任体系",
                "## 2、适应改革发展要求",
                "## 3、加强风险管控",
                "## 四、夯实基础工作"
            ]
        );
    }

    #[test]
    fn arabic_headings_under_a_subsection_stay_deep() {
        let mut r = Report::default();
        let o = outline(
            lines(&[
                "一、回顾",
                "（一）基本情况",
                "1、完善责任体系",
                "推进落实。",
                "2、推进专项整治",
                "推进整治。",
                "二、形势",
            ]),
            &mut r,
        );
        assert_eq!(
            headings(&o.markdown),
            [
                "## 一、回顾",
                "### （一）基本情况",
                "#### 1、完善责任体系",
                "#### 2、推进专项整治",
                "## 二、形势"
            ]
        );
    }

    #[test]
    fn broken_heading_is_joined() {
        let mut r = Report::default();
        let o = outline(
            lines(&[
                "五、以依法行政为要求,着力推进法制",
                "制建设",
                "(十六)加强研究。结合修订。",
            ]),
            &mut r,
        );
        assert_eq!(
            headings(&o.markdown),
            ["## 五、以依法行政为要求,着力推进法制制建设"]
        );
        assert_eq!(r.repairs.joined.len(), 1);
    }
}
