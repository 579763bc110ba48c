//! The plan text as Markdown: lines broken by extraction joined again, numbered headings given
//! their level from the numbering (一、 ＞ （一） ＞ 1. ＞ (1), GB/T 9704), numbered paragraphs
//! kept as tasks, tables rebuilt.

use super::layout::{Item, Line};
use super::markdown::escape;
use super::repair::{self, is_heading_like, is_prose};
use super::report::Report;
use super::table::{self, IndicatorRow};
use gongkai_zh::numbering::{Style, parse_marker};

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
                gongkai_i18n::tr!("import.dropped.duplicate", text = &l.text, line = prev.no),
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

/// A name without the spaces a copy left beside its brackets.
fn tighten_brackets(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let bracket = |c: Option<&char>| c.is_some_and(|c| matches!(c, '(' | ')' | '（' | '）'));
    chars
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            !(c.is_whitespace()
                && (bracket(chars.get(i + 1))
                    || bracket(i.checked_sub(1).and_then(|p| chars.get(p)))))
        })
        .map(|(_, c)| *c)
        .collect()
}

/// Header words of a task table's columns.
const TASK_COLUMN: &[&str] = &["任务", "工作", "内容", "措施", "要求", "事项"];
const LEAD_COLUMN: &[&str] = &["责任单位", "牵头单位", "责任部门", "牵头部门", "主责单位"];
const SUPPORT_COLUMN: &[&str] = &["配合单位", "配合部门", "协办单位"];
const OTHER_COLUMN: &[&str] = &["序号", "时限", "时间", "进展", "备注", "目标", "领导"];

/// A task table copied one cell per line (`主要任务` / `重点工作和要求` / `责任单位` / … then each
/// row's cells on lines of their own): for each line that is a task's lead or supporting units,
/// the task's line and whether it leads. Found by the header's order: the cells after a numbered
/// task line fill the columns after the task column.
fn cell_roles(lines: &[Line]) -> std::collections::HashMap<usize, (usize, bool)> {
    let mut roles = std::collections::HashMap::new();
    let is_header = |s: &str| {
        s.chars().count() <= 12
            && parse_marker(s).is_none()
            && !s.contains(['。', '；', '，'])
            && TASK_COLUMN
                .iter()
                .chain(LEAD_COLUMN)
                .chain(SUPPORT_COLUMN)
                .chain(OTHER_COLUMN)
                .any(|k| s.contains(k))
    };
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        while i < lines.len() && is_header(&lines[i].text) {
            i += 1;
        }
        let header: Vec<&str> = lines[start..i].iter().map(|l| l.text.as_str()).collect();
        if header.len() < 3 {
            i = start + 1;
            continue;
        }
        let col = |keys: &[&str]| {
            header
                .iter()
                .position(|h| keys.iter().any(|k| h.contains(k)))
        };
        let Some(lead_col) = col(LEAD_COLUMN) else {
            continue;
        };
        let support_col = col(SUPPORT_COLUMN);
        let Some(task_col) = (0..lead_col)
            .rev()
            .find(|&c| TASK_COLUMN.iter().any(|k| header[c].contains(k)))
        else {
            continue;
        };
        // Rows run until the next header or the end; a cell is a short line without numbering.
        let cell = |j: usize| {
            lines.get(j).is_some_and(|l| {
                parse_marker(&l.text).is_none()
                    && l.text.chars().count() <= 40
                    && !l.text.contains(['。', '；'])
            })
        };
        let mut j = i;
        while j < lines.len() && !is_header(&lines[j].text) {
            let is_task = parse_marker(&lines[j].text).is_some_and(|m| {
                m.style == gongkai_zh::numbering::Style::Arabic && !is_heading_like(&lines[j].text)
            });
            if is_task {
                let lead_at = j + (lead_col - task_col);
                if (j + 1..=lead_at).all(&cell) {
                    roles.insert(lead_at, (j, true));
                    if let Some(s) = support_col.filter(|&s| s > lead_col) {
                        let at = j + (s - task_col);
                        if (j + 1..=at).all(&cell) {
                            roles.insert(at, (j, false));
                        }
                    }
                }
            }
            j += 1;
        }
        i = j.max(start + 1);
    }
    roles
}

/// A short numbered line ending in 。 (`（一）强化责任落实。`) that is a heading: deeper-numbered
/// items follow it, and it is a single short sentence.
fn short_heading_with_stop(
    text: &str,
    m: &gongkai_zh::numbering::Marker,
    next: Option<&gongkai_zh::numbering::Marker>,
) -> bool {
    let body = &text[m.len..];
    let Some(stem) = body.strip_suffix('。') else {
        return false;
    };
    let n = stem.chars().count();
    (2..=20).contains(&n)
        && !stem.contains(['。', '；', '！', '？', '，'])
        && next.is_some_and(|x| x.style.heading_level() > m.style.heading_level())
}

/// Joins broken lines across a whole document (its runs of lines between tables): for a PDF,
/// whose lines are the page's, a sentence wrapped at the margin must be whole before the title
/// and the notice are looked for.
pub fn join_items(items: Vec<Item>, report: &mut Report) -> Vec<Item> {
    let mut out = Vec::with_capacity(items.len());
    let mut run: Vec<Line> = Vec::new();
    for it in items {
        match it {
            // A title is never the start of a broken sentence (`……“十四五“规划` is no open quote).
            Item::Line(l) if super::meta::is_title(&l.text) => {
                out.extend(
                    join_lines(std::mem::take(&mut run), report)
                        .into_iter()
                        .map(Item::Line),
                );
                out.push(Item::Line(l));
            }
            Item::Line(l) => run.push(l),
            other => {
                out.extend(
                    join_lines(std::mem::take(&mut run), report)
                        .into_iter()
                        .map(Item::Line),
                );
                out.push(other);
            }
        }
    }
    out.extend(join_lines(run, report).into_iter().map(Item::Line));
    out
}

/// Unnumbered headings a plan may have.
const PLAIN_HEADINGS: &[&str] = &["前言", "附件", "结束语", "结语", "附表", "附录"];

/// The body's Markdown and the indicators found in its tables.
pub struct Outline {
    pub markdown: String,
    pub indicators: Vec<IndicatorRow>,
    /// Responsibility written once on its own line after a group of tasks.
    pub group_notes: Vec<GroupNote>,
    /// (line of the original, line of the Markdown) for each block written: the review's trace.
    pub blocks: Vec<(usize, usize)>,
    /// (first line of the original, Markdown lines from, to) for each table written.
    pub tables: Vec<(usize, usize, usize)>,
}

/// A notation on its own line after two or more tasks: it applies to each of them.
#[derive(Debug, Clone)]
pub struct GroupNote {
    /// Line of the notation in the original.
    pub no: usize,
    /// Line of the notation in the body's Markdown (1-based).
    pub md_line: usize,
    /// Line of the heading the group is under, or of the notation before it (0: none).
    pub from_md_line: usize,
    pub lead: Vec<String>,
    pub support: Vec<String>,
    pub persons: Vec<String>,
}

/// A line that is a responsibility notation and nothing else: `责任单位：区应急局`,
/// `（牵头单位：区应急局；配合单位：各街镇）`.
pub fn notation_line(text: &str) -> Option<gongkai_zh::notation::Notation> {
    if parse_marker(text).is_some() {
        return None;
    }
    let t = text.trim().trim_end_matches(['。', '；', ';']);
    let inner = t
        .strip_prefix(['（', '('])
        .and_then(|r| r.strip_suffix(['）', ')']))
        .unwrap_or(t);
    let n = gongkai_zh::notation::parse_inner(inner, 0)?;
    // Only keyed forms: a bare `（区应急局牵头）` line is too likely to be something else.
    let keyed = inner.contains(['：', ':'])
        && ["单位", "部门", "领导", "责任人"].iter().any(|k| {
            inner
                .split(['：', ':'])
                .next()
                .is_some_and(|h| h.contains(k))
        });
    (keyed && !(n.lead.is_empty() && n.support.is_empty() && n.persons.is_empty())).then_some(n)
}

/// Front-matter responsibility for each task of a group that states its units once, after
/// the group. Tasks with a notation of their own keep it.
pub fn group_overrides(
    body: &gongkai_site::body::Body,
    notes: &[GroupNote],
    body_line: usize,
    report: &mut Report,
) -> (Vec<gongkai_model::TaskOverride>, Vec<(usize, Vec<String>)>) {
    let mut out: Vec<gongkai_model::TaskOverride> = Vec::new();
    let mut applied = Vec::new();
    let tasks: Vec<&gongkai_model::Task> = body.tasks.iter().collect();
    let md_line = |t: &gongkai_model::Task| (t.line + 1).saturating_sub(body_line);
    // Tasks by their Markdown line, so that each note looks only at the tasks inside its lines
    // (looking at every task for every note was quadratic).
    let mut by_line: Vec<usize> = (0..tasks.len()).collect();
    by_line.sort_by_key(|&i| (md_line(tasks[i]), i));
    // Tasks given units by a note, with the note's first line and their entry in `out`: notes
    // of one run (consecutive lines) add to the same entries.
    let mut given: std::collections::HashMap<&str, (usize, usize)> = Default::default();
    for n in notes {
        let first = by_line.partition_point(|&i| md_line(tasks[i]) <= n.from_md_line);
        let mut inside: Vec<usize> = by_line[first..]
            .iter()
            .copied()
            .take_while(|&i| md_line(tasks[i]) < n.md_line)
            .collect();
        // In the order of the body, as before.
        inside.sort_unstable();
        inside.retain(|&i| {
            let t = tasks[i];
            t.lead.is_empty()
                && t.support.is_empty()
                && given
                    .get(t.key.as_str())
                    .is_none_or(|(from, _)| *from == n.from_md_line)
        });
        let keys: Vec<String> = inside.iter().map(|&i| tasks[i].key.clone()).collect();
        if keys.is_empty() {
            continue;
        }
        report.repairs.group_notes.push(keys.join("、"));
        applied.push((n.no, keys.clone()));
        for &i in &inside {
            let key = tasks[i].key.as_str();
            match given.get(key) {
                Some(&(_, at)) => add_names(&mut out[at], n),
                None => {
                    given.insert(key, (n.from_md_line, out.len()));
                    out.push(super::markdown::task_override(
                        key.to_string(),
                        n.lead.clone(),
                        n.support.clone(),
                        n.persons.clone(),
                    ));
                }
            }
        }
    }
    (out, applied)
}

/// Adds a note's names to a task's override, list by list.
fn add_names(o: &mut gongkai_model::TaskOverride, n: &GroupNote) {
    for (list, names) in [
        (&mut o.lead, &n.lead),
        (&mut o.support, &n.support),
        (&mut o.persons, &n.persons),
    ] {
        if names.is_empty() {
            continue;
        }
        let l = list.get_or_insert_with(Vec::new);
        l.extend(
            names
                .iter()
                .filter(|x| !l.contains(x))
                .cloned()
                .collect::<Vec<_>>(),
        );
    }
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
    /// Line breaks in `md`, kept as it grows: counting them again for each block was
    /// quadratic in the number of blocks.
    breaks: usize,
    indicators: Vec<IndicatorRow>,
    levels: Levels,
    /// The last block was the 附件 heading, so an annex title may follow.
    after_annex: bool,
    /// Markdown offsets of the task paragraphs since the last heading or notation line.
    open_tasks: Vec<(usize, usize)>,
    /// Markdown line of the last heading or notation line.
    group_start: usize,
    group_notes: Vec<GroupNote>,
    /// Headings with a notation, with their level and Markdown line, until their section ends.
    heading_notes: Vec<(u8, usize, gongkai_zh::notation::Notation)>,
    /// The tasks' first line and the Markdown line after the last notation line that gave them
    /// units, so that a notation line right after it gives them more.
    note_run: Option<(usize, usize)>,
    /// A line of the run so far was keyed 牵头 (`牵头单位：…`): a `责任单位：…` line after it names
    /// the units that take part.
    run_has_lead_key: bool,
    /// The lines being laid out are the body's last: its last line heads nothing.
    at_end: bool,
    blocks: Vec<(usize, usize)>,
    tables: Vec<(usize, usize, usize)>,
    report: &'r mut Report,
}

impl Outliner<'_> {
    fn md_line(&self) -> usize {
        self.breaks + 1
    }

    fn push(&mut self, s: &str) {
        self.breaks += s.bytes().filter(|&b| b == b'\n').count();
        self.md.push_str(s);
    }

    fn heading(&mut self, level: u8, text: &str) {
        self.close_heading_notes(level);
        // `（一）强化责任（区应急局牵头）`: who the heading names is responsible for each task under
        // it that names no one.
        let title = parse_marker(text).map_or(text, |m| &text[m.len..]);
        if let Some(n) = gongkai_zh::notation::parse_trailing(text)
            .or_else(|| gongkai_zh::notation::heading_units(title))
        {
            self.heading_notes.push((level, self.md_line(), n));
        }
        self.open_tasks.clear();
        self.group_start = self.md_line();
        self.levels.last = level;
        self.report.counts.sections += 1;
        self.push(&format!(
            "{} {}\n\n",
            "#".repeat(level.into()),
            escape(text)
        ));
    }

    /// Ends the sections at `level` and deeper: their headings' notations go to their tasks.
    fn close_heading_notes(&mut self, level: u8) {
        while let Some((l, from, n)) = self.heading_notes.last()
            && *l >= level
        {
            self.group_notes.push(GroupNote {
                no: 0,
                md_line: self.md_line(),
                from_md_line: *from,
                lead: n.lead.iter().map(|m| m.name.clone()).collect(),
                support: n.support.iter().map(|m| m.name.clone()).collect(),
                persons: n.persons.iter().map(|m| m.name.clone()).collect(),
            });
            self.heading_notes.pop();
        }
    }

    fn lines(&mut self, lines: Vec<Line>) {
        let lines = join_lines(lines, self.report);
        let cells = cell_roles(&lines);
        let mut task_md_line: std::collections::HashMap<usize, usize> = Default::default();
        for (i, l) in lines.iter().enumerate() {
            if let Some((task, lead)) = cells.get(&i)
                && let Some(&from) = task_md_line.get(task)
            {
                // A cell of a task table copied one cell per line: its units are the task's.
                // A web copy's cell separates names with 、 and may space out a bracket:
                // `市安委办 (工作专班办公室)` is one name.
                let names: Vec<String> = gongkai_zh::notation::names(&l.text, 0)
                    .into_iter()
                    .map(|m| tighten_brackets(&m.name))
                    .collect();
                let (lead, support) = if *lead {
                    (names, vec![])
                } else {
                    (vec![], names)
                };
                self.blocks.push((l.no, self.md_line()));
                self.push(&escape(&l.text));
                self.push("\n\n");
                self.group_notes.push(GroupNote {
                    no: l.no,
                    md_line: self.md_line(),
                    from_md_line: from.saturating_sub(1),
                    lead,
                    support,
                    persons: vec![],
                });
                continue;
            }
            let text = l.text.as_str();
            self.blocks.push((l.no, self.md_line()));
            let marker = parse_marker(text);
            let after_annex = std::mem::take(&mut self.after_annex);
            let next_marker = lines.get(i + 1).and_then(|n| parse_marker(&n.text));
            // `（一）地区生产总值增长7%以上` + `责任单位：……`: a short target with its units is a
            // task, not a heading.
            let next_is_notation = lines
                .get(i + 1)
                .is_some_and(|n| notation_line(&n.text).is_some());
            // An item numbered `1.` or `(1)` as the body's last line heads nothing: a copy cut
            // off after a task's first words. (`二、形势` may end a copy as a heading.)
            let cut_off_item = |m: &gongkai_zh::numbering::Marker| {
                i + 1 == lines.len()
                    && self.at_end
                    && matches!(
                        m.style,
                        gongkai_zh::numbering::Style::Arabic
                            | gongkai_zh::numbering::Style::ArabicParen
                    )
            };
            if let Some(m) = marker.as_ref().filter(|m| {
                (is_heading_like(text) || short_heading_with_stop(text, m, next_marker.as_ref()))
                    && !next_is_notation
                    && !cut_off_item(m)
            }) {
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
            } else if let Some(level) = l
                .outline
                .filter(|_| marker.is_none() && is_heading_like(text))
            {
                // Word says this paragraph is a heading (an outline level or a 标题 style).
                let level = (level + 2).min(self.levels.last + 1).clamp(2, 6);
                self.heading(level, text);
            } else if let Some(n) = notation_line(text).filter(|_| marker.is_none()) {
                self.notation(l, n);
            } else {
                if marker.is_none()
                    && !is_prose(text)
                    && is_heading_like(text)
                    && !text.ends_with(['）', ')'])
                {
                    self.report.unplaced(
                        l.no,
                        text,
                        gongkai_i18n::tr!("import.unplaced.short_line"),
                    );
                }
                let start = self.md.len();
                if marker.is_some() {
                    task_md_line.insert(i, self.md_line());
                }
                self.push(&escape(text));
                if marker.is_some() {
                    self.open_tasks.push((start, self.md.len()));
                }
                self.push("\n\n");
            }
        }
    }

    /// A notation on its own line: it belongs to each task since the last heading or notation
    /// line. The line stays in the text as written; the responsibility goes into front matter.
    fn notation(&mut self, l: &Line, mut n: gongkai_zh::notation::Notation) {
        // Lines right after such a line (`分管领导：…` then `部门分工：…`) belong to the same tasks.
        let run_on = self.note_run.filter(|(_, end)| *end == self.md_line());
        let key = l.text.split(['：', ':']).next().unwrap_or("");
        let lead_key = key.contains("牵头");
        if run_on.is_some() && self.run_has_lead_key && key.contains("责任") && !lead_key {
            let lead = std::mem::take(&mut n.lead);
            n.support.splice(0..0, lead);
        }
        self.run_has_lead_key = lead_key || (run_on.is_some() && self.run_has_lead_key);
        if !self.open_tasks.is_empty() || run_on.is_some() {
            let from = run_on.map_or(self.group_start, |(from, _)| from);
            self.group_notes.push(GroupNote {
                no: l.no,
                md_line: self.md_line(),
                from_md_line: from,
                lead: n.lead.iter().map(|m| m.name.clone()).collect(),
                support: n.support.iter().map(|m| m.name.clone()).collect(),
                persons: n.persons.iter().map(|m| m.name.clone()).collect(),
            });
        }
        let from = self.group_notes.last().map(|g| g.from_md_line);
        self.push(&escape(&l.text));
        self.push("\n\n");
        if let Some(from) = from.filter(|_| self.group_notes.last().is_some_and(|g| g.no == l.no)) {
            self.note_run = Some((from, self.md_line()));
        }
        self.open_tasks.clear();
        self.group_start = self.md_line().saturating_sub(2);
    }

    fn grid(&mut self, g: &super::layout::Grid) {
        self.open_tasks.clear();
        let t = table::from_grid(g);
        self.indicators.extend(t.indicators());
        let from = self.md_line();
        self.push(&t.to_markdown());
        self.tables.push((g.no, from, self.md_line()));
    }

    fn table(&mut self, raw: &super::layout::RawTable) {
        let t = table::rebuild(raw);
        self.indicators.extend(t.indicators());
        if t.header.is_empty() {
            self.report.unplaced(
                raw.no,
                "",
                gongkai_i18n::tr!("import.unplaced.table_without_header"),
            );
        }
        let from = self.md_line();
        self.push(&t.to_markdown());
        self.tables.push((raw.no, from, self.md_line()));
    }
}

/// Writes the body items as Markdown.
pub fn outline(items: Vec<Item>, report: &mut Report) -> Outline {
    let mut o = Outliner {
        md: String::new(),
        breaks: 0,
        indicators: Vec::new(),
        levels: Levels {
            top: 0,
            last: 1,
            at: [None; 7],
        },
        after_annex: false,
        open_tasks: Vec::new(),
        group_start: 0,
        group_notes: Vec::new(),
        note_run: None,
        run_has_lead_key: false,
        at_end: false,
        heading_notes: Vec::new(),
        blocks: Vec::new(),
        tables: Vec::new(),
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
            Item::Grid(g) => {
                o.lines(std::mem::take(&mut pending));
                o.grid(&g);
            }
        }
    }
    o.at_end = true;
    o.lines(pending);
    o.close_heading_notes(0);
    Outline {
        markdown: o.md,
        indicators: o.indicators,
        group_notes: o.group_notes,
        blocks: o.blocks,
        tables: o.tables,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<Item> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Item::Line(Line::new(i + 1, *t)))
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
    fn a_heading_names_who_is_responsible_for_its_tasks() {
        let mut r = Report::default();
        let o = outline(
            lines(&[
                "一、强化责任（区某某局牵头，各街道配合）",
                "1.落实制度。",
                "2.开展检查。（区乙局负责）",
                "二、加强宣传",
                "3.开展宣传。",
            ]),
            &mut r,
        );
        assert_eq!(o.group_notes.len(), 1);
        let n = &o.group_notes[0];
        assert_eq!(n.lead, ["区某某局"]);
        assert_eq!(n.support, ["各街道"]);
        // The note covers the tasks of its section only.
        let md: Vec<&str> = o.markdown.lines().collect();
        let covered: Vec<&str> = md[n.from_md_line..n.md_line - 1]
            .iter()
            .filter(|l| l.starts_with(['1', '2', '3']))
            .copied()
            .collect();
        assert_eq!(covered, ["1.落实制度。", "2.开展检查。（区乙局负责）"]);
    }

    #[test]
    fn a_responsible_line_after_a_lead_line_names_who_takes_part() {
        let mut r = Report::default();
        let o = outline(
            lines(&[
                "1.地区生产总值增长6%左右。",
                "牵头单位：区发改局",
                "责任单位：示例开发区，各街道",
                "2.规模以上工业增加值增长5%左右。",
                "责任单位：区工信局",
            ]),
            &mut r,
        );
        let notes: Vec<(&[String], &[String])> = o
            .group_notes
            .iter()
            .map(|n| (n.lead.as_slice(), n.support.as_slice()))
            .collect();
        assert_eq!(notes[0].0, ["区发改局"]);
        assert_eq!(notes[1].1, ["示例开发区", "各街道"]);
        assert!(notes[1].0.is_empty());
        // A 责任单位 line of a new run, with no 牵头 line before it, leads.
        assert_eq!(notes[2].0, ["区工信局"]);
    }

    #[test]
    fn a_numbered_item_cut_off_at_the_end_is_no_heading() {
        let mut r = Report::default();
        let o = outline(
            lines(&["一、重点任务", "1.开展检查。内容。", "2.加大"]),
            &mut r,
        );
        assert_eq!(headings(&o.markdown), ["## 一、重点任务"]);
        assert!(o.markdown.contains("\n\n2.加大"));
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
