//! The body of a plan: Markdown parsed with comrak into sections (numbered headings), tasks
//! (numbered paragraphs and rows of task tables, with their responsibility notations) and
//! pre-rendered HTML blocks. The text stays the document's own; only soft line breaks between
//! Chinese characters are dropped, since browsers would show them as spaces.

mod repeats;

use std::collections::{BTreeMap, HashMap};

use comrak::nodes::{AstNode, ListDelimType, ListType, NodeList, NodeValue};
use comrak::{Arena, Options, format_html, parse_document};

pub use gongkai_model::{Block, Body, InternalLink, LinkSpan, LinkedText, Role, TableRow};
use gongkai_model::{Id, NameRef, Section, SectionId, Task, TaskId, TaskSource};
use gongkai_zh::notation::{self, Mention};
use gongkai_zh::numbering::{Style, parse_marker};
use gongkai_zh::preamble;

/// Prefix that internal links use: `[静安区2017年](@/jingan/2017/aqsc.md#task-3)`.
pub const INTERNAL_LINK: &str = "@/";
/// Every plan page sits three folders deep (district/year/id/).
pub const PLAN_ROOT: &str = "../../../";

pub fn comrak_options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    // `**重点任务：**加强` is only bold with this on.
    o.extension.cjk_friendly_emphasis = true;
    o
}

/// True for characters of East Asian wide text, between which a line break is no space.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x2014..=0x2026 | 0x20000..=0x2FFFF)
}

/// Parses a body that starts at `first_line` of its file.
pub fn parse(markdown: &str, first_line: usize) -> Body {
    let arena = Arena::new();
    let options = comrak_options();
    let root = parse_document(&arena, markdown, &options);
    drop_cjk_soft_breaks(root);
    rewrite_internal_links(root, PLAN_ROOT);

    let mut b = Builder {
        body: Body::default(),
        counters: [0; 5],
        last_level: 1,
        first_line,
        raw_tasks: Vec::new(),
        preamble_heading: None,
        preamble_run_in: None,
        last_number: None,
        task_tables: 0,
    };
    b.body.links = collect_links(root, first_line, PLAN_ROOT);
    b.body.raw_html = root
        .descendants()
        .filter(|n| {
            matches!(
                n.data().value,
                NodeValue::HtmlInline(_) | NodeValue::HtmlBlock(_)
            )
        })
        .map(|n| n.data().sourcepos.start.line + first_line - 1)
        .collect();
    b.body.raw_html.dedup();
    for node in root.children() {
        b.block(node, &options);
    }
    b.assign_keys();
    repeats::link(&mut b.body);
    // A plan's lists grow by doubling while it is read; the unused room adds up over a large
    // site's plans, all held at once.
    b.body.tasks.shrink_to_fit();
    b.body.sections.shrink_to_fit();
    b.body.blocks = gongkai_model::id::exact(std::mem::take(&mut b.body.blocks));
    b.body
}

struct RawTask {
    style: Style,
    number: u32,
}

struct Builder {
    body: Body,
    counters: [u32; 5],
    last_level: u8,
    first_line: usize,
    /// Numbering of body tasks (`TaskSource::Body`).
    raw_tasks: Vec<(TaskId, RawTask)>,
    /// The level of the heading of the preamble part (指导思想, 工作目标 …) the text is in: its
    /// numbered paragraphs are no tasks, down to the next heading of that level or higher.
    preamble_heading: Option<u8>,
    /// The level of the numbering of a run-in preamble heading (`（一）指导思想。以…`): the
    /// numbered paragraphs after it at a deeper level are no tasks either.
    preamble_run_in: Option<u8>,
    /// The numbering of the last numbered paragraph since the last heading: `2.50个小区…`
    /// after `1.` is item 2, not the figure 2.50.
    last_number: Option<(Style, u32)>,
    /// Task tables so far: the rows of the second and later ones (a plan's annexes, each
    /// numbered from 1) are keyed by their table too (`a2.1`).
    task_tables: u32,
}

impl Builder {
    /// The heading the next task falls under.
    fn current_section(&self) -> Option<SectionId> {
        self.body.sections.len().checked_sub(1).map(SectionId::new)
    }

    fn line(&self, node: &AstNode) -> usize {
        node.data().sourcepos.start.line + self.first_line - 1
    }

    fn block<'a>(&mut self, node: &'a AstNode<'a>, options: &Options) {
        let value = node.data().value.clone();
        match value {
            NodeValue::Heading(h) => self.heading(node, h.level),
            NodeValue::Paragraph => {
                let text = plain_text(node);
                let marker = parse_marker(&text).or_else(|| {
                    let (style, n) = self.last_number?;
                    gongkai_zh::numbering::next_before_figure(&text, style, n)
                });
                match marker {
                    Some(m) => {
                        self.last_number = Some((m.style, m.number));
                        self.numbered(node, &text, m, options, false)
                    }
                    None => {
                        if gongkai_zh::numbering::looks_numbered(&text) {
                            let line = self.line(node);
                            self.body.unrecognized.push(line);
                        }
                        self.body.blocks.push(Block::Html(render(node, options)))
                    }
                }
            }
            NodeValue::List(list) if list.list_type == ListType::Ordered => {
                self.ordered_list(node, &list, options)
            }
            NodeValue::Table(_) => self.table(node, options),
            _ => self.body.blocks.push(Block::Html(render(node, options))),
        }
    }

    fn heading<'a>(&mut self, node: &'a AstNode<'a>, md_level: u8) {
        self.last_number = None;
        let text = plain_text(node).trim().to_string();
        let marker = parse_marker(&text);
        // `##`–`######` are kept as written (the importer writes them from the numbering, and
        // knows when a document mixes 2、 into a 一、 sequence); a `#` heading takes its level
        // from its numbering (GB/T 9704). Never skip a level, so the outline stays valid.
        let wanted = match (&marker, md_level) {
            (Some(m), 1) => m.style.heading_level(),
            _ => md_level.max(2),
        };
        let level = wanted.min(self.last_level + 1).clamp(2, 6);
        self.last_level = level;
        let depth = usize::from(level - 2).min(4);
        self.counters[depth] += 1;
        for c in &mut self.counters[depth + 1..] {
            *c = 0;
        }
        let path: Vec<String> = self.counters[..=depth]
            .iter()
            .map(|c| c.max(&1).to_string())
            .collect();
        let (label, title) = match &marker {
            Some(m) => (m.label.clone(), text[m.len..].trim().to_string()),
            None => (String::new(), text.clone()),
        };
        self.enter_heading(level, &title);
        let section = self.body.sections.push(Section {
            anchor: format!("s-{}", path.join("-")),
            level,
            label,
            title,
            line: self.line(node),
        });
        self.body.blocks.push(Block::Heading { section });
    }

    /// A heading ends the preamble parts it is not inside of, and may open one.
    fn enter_heading(&mut self, level: u8, title: &str) {
        if self.preamble_heading.is_some_and(|l| level <= l) {
            self.preamble_heading = None;
        }
        if self.preamble_run_in.is_some_and(|l| level <= l) {
            self.preamble_run_in = None;
        }
        if self.preamble_heading.is_none() && preamble::is_part(title) {
            self.preamble_heading = Some(level);
        }
    }

    /// A numbered paragraph: a task, unless it is a preamble part's (under a 指导思想 heading, or
    /// a run-in `（一）指导思想。…` and the deeper items after it) and names no one responsible.
    fn numbered<'a>(
        &mut self,
        node: &'a AstNode<'a>,
        text: &str,
        m: gongkai_zh::numbering::Marker,
        options: &Options,
        from_list: bool,
    ) {
        let level = m.style.heading_level();
        if self.preamble_run_in.is_some_and(|l| level <= l) {
            self.preamble_run_in = None;
        }
        let run_in = preamble::is_run_in(&text[m.len..]);
        let in_part = run_in || self.preamble_heading.is_some() || self.preamble_run_in.is_some();
        if run_in {
            self.preamble_run_in = Some(self.preamble_run_in.map_or(level, |l| l.min(level)));
        }
        let names = |n: notation::Notation| {
            !(n.lead.is_empty() && n.support.is_empty() && n.persons.is_empty())
        };
        // Its own notation, or one on the line after it (`分管区领导：…`, `部门分工：…`).
        let next_names = node.next_sibling().is_some_and(|next| {
            let t = plain_text(next);
            let t = t.trim().trim_end_matches(['。', '；']);
            parse_marker(t).is_none()
                && t.contains(['：', ':'])
                && notation::parse_inner(t, 0).is_some_and(names)
        });
        let responsible = notation::parse_trailing(text).is_some_and(names) || next_names;
        if !in_part || responsible {
            return self.task_paragraph(node, text, m, options, from_list);
        }
        let html = render(node, options);
        let html = match html.strip_prefix("<p>") {
            Some(rest) if from_list => format!("<p>{} {rest}", crate::escape::esc(&m.label)),
            _ => html,
        };
        self.body.blocks.push(Block::Html(html));
    }

    /// `3. 加强…` typed at the start of a line is a Markdown ordered list; each of its items is
    /// a numbered task like a `3.加强…` paragraph. What else an item holds is shown after it.
    fn ordered_list<'a>(&mut self, node: &'a AstNode<'a>, list: &NodeList, options: &Options) {
        let delim = match list.delimiter {
            ListDelimType::Period => '.',
            ListDelimType::Paren => ')',
        };
        for (i, item) in node.children().enumerate() {
            let number = list.start + i;
            let mut children = item.children();
            match children.next() {
                Some(first) if matches!(first.data().value, NodeValue::Paragraph) => {
                    let label = format!("{number}{delim}");
                    let text = format!("{label} {}", plain_text(first));
                    match parse_marker(&text) {
                        Some(m) => self.numbered(first, &text, m, options, true),
                        None => self.body.blocks.push(Block::Html(render(first, options))),
                    }
                    for rest in children {
                        self.body.blocks.push(Block::Html(render(rest, options)));
                    }
                }
                _ => self.body.blocks.push(Block::Html(render(item, options))),
            }
        }
    }

    /// A numbered paragraph as a task. `from_list`: the paragraph is a list item's, whose number
    /// Markdown keeps apart, so the marker is shown before the paragraph's own HTML.
    fn task_paragraph<'a>(
        &mut self,
        node: &'a AstNode<'a>,
        text: &str,
        m: gongkai_zh::numbering::Marker,
        options: &Options,
        from_list: bool,
    ) {
        let line = self.line(node);
        let note = notation::parse_trailing(text);
        let mut note_text = None;
        if let Some(n) = &note
            && detach_tail(node, text.len() - n.start)
        {
            note_text = Some(linked(&text[n.start..], n, n.start));
        }
        let html = render(node, options);
        let mut inner = html
            .trim_end()
            .strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>"))
            .unwrap_or(html.trim_end())
            .to_string();
        if from_list {
            inner = format!("{} {inner}", crate::escape::esc(&m.label));
        }
        let content_end = note.as_ref().map_or(text.len(), |n| n.start);
        let title = task_title(&text[m.len..content_end]);
        let refs = |v: &[Mention]| names_at(v, text, line);
        // `1、区住建局。排查……`: a task that opens with the unit it falls to, a sentence alone.
        let note = note.or_else(|| leading_unit(text, m.len));
        let task = Task {
            key: String::new(),
            anchor: String::new(),
            label: m.label.clone(),
            title,
            text: text.trim().to_string(),
            statement: trimmed_range(text, m.len..content_end),
            section: self.current_section(),
            source: TaskSource::Body,
            line,
            lead: note.as_ref().map(|n| refs(&n.lead)).unwrap_or_default(),
            support: note.as_ref().map(|n| refs(&n.support)).unwrap_or_default(),
            persons: note.as_ref().map(|n| refs(&n.persons)).unwrap_or_default(),
            due_cell: None,
        };
        let idx = self.body.tasks.push(task);
        self.raw_tasks.push((
            idx,
            RawTask {
                style: m.style,
                number: m.number,
            },
        ));
        self.body.blocks.push(Block::Task {
            task: idx,
            html: inner,
            note: note_text,
        });
    }

    fn table<'a>(&mut self, node: &'a AstNode<'a>, options: &Options) {
        let rows: Vec<(usize, Vec<String>)> = node
            .children()
            .map(|row| {
                (
                    self.line(row),
                    row.children()
                        .map(|c| plain_text(c).trim().to_string())
                        .collect(),
                )
            })
            .collect();
        let Some((_, header)) = rows.first() else {
            return;
        };
        let Some(cols) = TaskColumns::of(header) else {
            let html = render(node, options);
            self.body.blocks.push(Block::Table(html));
            return;
        };
        self.task_tables += 1;
        let out_rows = rows
            .iter()
            .skip(1)
            .map(|(line, cells)| self.table_row(&cols, *line, cells))
            .collect();
        self.body.blocks.push(Block::TaskTable {
            header: header.clone(),
            number: cols.number,
            rows: out_rows,
        });
    }

    /// A row of a task table: its cells, with the names in responsibility columns linked, and a
    /// task when its number cell holds a number.
    fn table_row(&mut self, cols: &TaskColumns, line: usize, cells: &[String]) -> TableRow {
        let numbered = cells.get(cols.number).and_then(|c| row_number(c));
        let n = numbered.as_ref().map(|(n, _)| *n);
        let mut linked_cells: Vec<LinkedText> = Vec::new();
        let mut lists: [Vec<NameRef>; 3] = Default::default();
        for (i, cell) in cells.iter().enumerate() {
            match (cols.role(i), n) {
                (Some(role), Some(_)) => {
                    let mentions = notation::cell_names(cell);
                    let slot = role as usize;
                    lists[slot].extend(names_at(&mentions, cell, line));
                    let links = mentions
                        .into_iter()
                        .map(|m| LinkSpan {
                            range: m.range,
                            role,
                        })
                        .collect();
                    linked_cells.push(LinkedText {
                        text: cell.clone(),
                        links,
                    });
                }
                _ => linked_cells.push(LinkedText {
                    text: cell.clone(),
                    links: vec![],
                }),
            }
        }
        let task = n.map(|n| {
            let cell = |c: Option<usize>| c.and_then(|c| cells.get(c)).cloned().unwrap_or_default();
            let title = cell(cols.title);
            let text = [title.clone(), cell(cols.text)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("：");
            let [lead, support, persons] = lists;
            let label = numbered.map(|(_, l)| l).unwrap_or_default();
            let key = match self.task_tables {
                0 | 1 => format!("a{n}"),
                table => format!("a{table}.{n}"),
            };
            self.body.tasks.push(Task {
                anchor: format!("task-{}", key.replace('.', "-")),
                key,
                label,
                title: task_title(&title),
                statement: 0..text.len(),
                text,
                section: self.current_section(),
                source: TaskSource::Table,
                line,
                lead,
                support,
                persons,
                due_cell: Some(cell(cols.due)).filter(|c| !c.is_empty()),
            })
        });
        TableRow {
            task,
            repeats: None,
            cells: linked_cells,
        }
    }

    /// Gives body tasks their keys. The plan's main numbering style is numbered across the whole
    /// plan (`8`) unless it starts again at 1 in a later section; then, and for any other style,
    /// the key is qualified by the section (`2.3`).
    fn assign_keys(&mut self) {
        let mut counts: BTreeMap<Style, usize> = BTreeMap::new();
        for (_, r) in &self.raw_tasks {
            *counts.entry(r.style).or_default() += 1;
        }
        let primary = counts
            .iter()
            .max_by_key(|(s, c)| (**c, std::cmp::Reverse(**s)))
            .map(|(s, _)| *s);
        let mut seen_style: HashMap<Style, bool> = HashMap::new();
        let mut restarts: HashMap<Style, bool> = HashMap::new();
        for (_, r) in &self.raw_tasks {
            let seen = seen_style.insert(r.style, true).is_some();
            if seen && r.number == 1 {
                restarts.insert(r.style, true);
            }
        }
        for (idx, r) in &self.raw_tasks {
            let task = &mut self.body.tasks[*idx];
            let qualified =
                Some(r.style) != primary || restarts.get(&r.style).copied().unwrap_or(false);
            task.key = match (qualified, task.section) {
                (true, Some(s)) => {
                    let path = self.body.sections[s]
                        .anchor
                        .trim_start_matches("s-")
                        .replace('-', ".");
                    format!("{path}.{}", r.number)
                }
                _ => r.number.to_string(),
            };
            task.anchor = format!("task-{}", task.key.replace('.', "-"));
        }
        self.nest_colliding_keys();
    }

    /// `(一)预期性指标。` then `1.…`, `2.…` in one section: both numberings are keyed by the
    /// section, so `2.1` would name two tasks. Then each task of the deeper numbering is keyed
    /// under the task of a shallower one before it in its section (`2.1.1`). Plans whose keys
    /// are unique keep them.
    fn nest_colliding_keys(&mut self) {
        let mut seen = std::collections::HashSet::new();
        if self
            .raw_tasks
            .iter()
            .all(|(idx, _)| seen.insert(self.body.tasks[*idx].key.clone()))
        {
            return;
        }
        // The last task of each numbering in the current section: (section, style, key).
        let mut last: Vec<(Option<SectionId>, Style, String)> = Vec::new();
        for (idx, r) in &self.raw_tasks {
            let task = &mut self.body.tasks[*idx];
            last.retain(|(s, st, _)| *s == task.section && *st < r.style);
            if let Some((_, _, parent)) = last.last() {
                task.key = format!("{parent}.{}", r.number);
                task.anchor = format!("task-{}", task.key.replace('.', "-"));
            }
            last.push((task.section, r.style, task.key.clone()));
        }
    }
}

/// The range of `text[range]` without its surrounding whitespace, relative to `text.trim()`.
fn trimmed_range(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let lead = text.len() - text.trim_start().len();
    let part = &text[range.clone()];
    let start = range.start + (part.len() - part.trim_start().len());
    let end = range.end - (part.len() - part.trim_end().len());
    start.saturating_sub(lead)..end.saturating_sub(lead).max(start.saturating_sub(lead))
}

/// The first sentence of a text (up to 。, ； or ：).
pub fn first_sentence(text: &str) -> &str {
    let t = text.trim();
    let end = t.find(['。', '；', '：']).unwrap_or(t.len());
    t[..end].trim()
}

/// The columns of a task table, by their headers: a table is one when it has a number column
/// and a column of lead units or of persons.
struct TaskColumns {
    number: usize,
    lead: Option<usize>,
    /// Supporting units: 配合/参与 columns, and a 责任单位 column beside a 牵头单位 one.
    support: Vec<usize>,
    person: Option<usize>,
    title: Option<usize>,
    text: Option<usize>,
    due: Option<usize>,
}

use gongkai_zh::columns::{
    DUE as DUE_HEADERS, DUTY as DUTY_HEADERS, LEAD as LEAD_HEADERS, PERSON as PERSON_HEADERS,
    SUPPORT as SUPPORT_HEADERS, TEXT as TEXT_HEADERS, TITLE as TITLE_HEADERS,
};

impl TaskColumns {
    fn of(header: &[String]) -> Option<TaskColumns> {
        // `牵 头 部 门`: a header spaced out to the column's width reads as its words.
        let header: Vec<String> = header
            .iter()
            .map(|h| h.chars().filter(|c| !c.is_whitespace()).collect())
            .collect();
        let is = |h: &String, keys: &[&str]| keys.iter().any(|k| h.contains(k));
        let find = |keys: &[&str]| header.iter().position(|h| is(h, keys));
        let number = find(&["序号"]);
        let first_lead = find(LEAD_HEADERS);
        let duty = (0..header.len())
            .find(|&i| is(&header[i], DUTY_HEADERS) && !header[i].contains("牵头"));
        // 牵头单位 beside 责任单位: the 牵头 one leads, the other's units take part.
        let lead = first_lead.or(duty);
        let mut support: Vec<usize> = (0..header.len())
            .filter(|&i| is(&header[i], SUPPORT_HEADERS) && Some(i) != lead)
            .collect();
        if let (Some(_), Some(d)) = (first_lead, duty)
            && Some(d) != lead
        {
            support.push(d);
            support.sort_unstable();
        }
        let person = find(PERSON_HEADERS).filter(|c| Some(*c) != lead && !support.contains(c));
        let (Some(number), true) = (number, lead.is_some() || person.is_some()) else {
            return None;
        };
        let taken = |c: &usize| Some(*c) != lead && !support.contains(c) && Some(*c) != person;
        // The first column (from the left) that names the task; when none is headed with a
        // word for it (`2022年预期目标`), the first column that is not the number, a role or
        // the time limit.
        let due = find(DUE_HEADERS);
        let title = (0..header.len())
            .find(|c| taken(c) && *c != number && is(&header[*c], TITLE_HEADERS))
            .or_else(|| {
                (0..header.len()).find(|c| {
                    taken(c)
                        && *c != number
                        && Some(*c) != due
                        && !is(&header[*c], TEXT_HEADERS)
                        && !header[*c].is_empty()
                })
            });
        let text = find(TEXT_HEADERS).filter(|c| taken(c) && Some(*c) != title);
        Some(TaskColumns {
            number,
            lead,
            support,
            person,
            title,
            text,
            due,
        })
    }

    /// The responsibility a column names, if it is one of those columns.
    fn role(&self, i: usize) -> Option<Role> {
        if Some(i) == self.lead {
            Some(Role::Lead)
        } else if self.support.contains(&i) {
            Some(Role::Support)
        } else if Some(i) == self.person {
            Some(Role::Person)
        } else {
            None
        }
    }
}

/// The number in a task table's 序号 cell, and the label as written: `12`, or `(3)` for the
/// items of a table whose numbered rows group them (`1 主要预期目标` over `(1)`, `(2)` …).
fn row_number(cell: &str) -> Option<(u32, String)> {
    if let Ok(n) = cell.parse::<u32>() {
        return Some((n, n.to_string()));
    }
    let m = parse_marker(cell)?;
    (m.style == Style::ArabicParen && m.len == cell.len()).then_some((m.number, m.label))
}

/// The unit a task's text opens with as a sentence of its own (`区住建局。排查……`), as the
/// task's lead.
fn leading_unit(text: &str, from: usize) -> Option<notation::Notation> {
    let rest = &text[from..];
    let end = rest.find(['。', '：', ':'])?;
    let name = rest[..end].trim();
    let start = from + (rest.len() - rest.trim_start().len());
    // Only a name that is surely a unit: a level before it, or an office's ending (`优化产业
    // 布局。` and `……燃煤电站。` are no units).
    let sure = name.starts_with(['区', '市', '县', '省', '镇', '乡', '各'])
        || ["分局", "办事处", "管委会", "人民政府", "委员会"]
            .iter()
            .any(|e| name.ends_with(e));
    (name.chars().count() <= 12
        && sure
        && notation::is_unit_name(name)
        && !name.contains(['，', '、']))
    .then(|| notation::Notation {
        lead: vec![Mention {
            name: name.to_string(),
            range: start..start + name.len(),
        }],
        start: text.len(),
        ..notation::Notation::default()
    })
}

/// A short title for a task: its first sentence, shortened when it is long.
pub fn task_title(text: &str) -> String {
    let first = first_sentence(text);
    let chars: Vec<char> = first.chars().collect();
    if chars.len() > 40 {
        format!("{}…", chars[..38].iter().collect::<String>())
    } else {
        first.to_string()
    }
}

fn linked(text: &str, n: &notation::Notation, base: usize) -> LinkedText {
    let mut links = Vec::new();
    for (list, role) in [
        (&n.lead, Role::Lead),
        (&n.support, Role::Support),
        (&n.persons, Role::Person),
    ] {
        for m in list {
            links.push(LinkSpan {
                range: m.range.start - base..m.range.end - base,
                role,
            });
        }
    }
    links.sort_by_key(|l| l.range.start);
    LinkedText {
        text: text.to_string(),
        links,
    }
}

fn names_at(mentions: &[Mention], text: &str, line: usize) -> Vec<NameRef> {
    mentions
        .iter()
        .map(|m| NameRef {
            name: m.name.clone(),
            line,
            column: text[..m.range.start].chars().count() + 1,
        })
        .collect()
}

fn render<'a>(node: &'a AstNode<'a>, options: &Options) -> String {
    let mut html = String::new();
    // Writing to a String cannot fail.
    let _ = format_html(node, options, &mut html);
    html
}

/// The text of a node as a reader sees it.
pub fn plain_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut s = String::new();
    collect_text(node, &mut s);
    s
}

fn collect_text<'a>(node: &'a AstNode<'a>, out: &mut String) {
    match &node.data().value {
        NodeValue::Text(t) => out.push_str(t),
        NodeValue::Code(c) => out.push_str(&c.literal),
        NodeValue::SoftBreak => out.push(' '),
        NodeValue::LineBreak => out.push('\n'),
        _ => {}
    }
    for child in node.children() {
        collect_text(child, out);
    }
}

/// Removes the last `len` bytes of a paragraph's text when they lie in its trailing text nodes
/// (trailing spaces included). Returns false, changing nothing, when they do not.
fn detach_tail<'a>(para: &'a AstNode<'a>, len: usize) -> bool {
    let mut remaining = len;
    let mut nodes = Vec::new();
    let mut child = para.last_child();
    while let Some(c) = child {
        let l = match &c.data().value {
            NodeValue::Text(t) => t.len(),
            NodeValue::SoftBreak => 1,
            _ => return false,
        };
        nodes.push((c, l));
        if l >= remaining {
            break;
        }
        remaining -= l;
        child = c.previous_sibling();
    }
    if nodes.iter().map(|(_, l)| l).sum::<usize>() < len {
        return false;
    }
    let mut remaining = len;
    for (c, l) in nodes {
        if l <= remaining {
            c.detach();
            remaining -= l;
        } else {
            if let NodeValue::Text(t) = &mut c.data_mut().value {
                let keep = t.len() - remaining;
                *t = std::borrow::Cow::Owned(t[..keep].trim_end().to_string());
            }
            break;
        }
    }
    true
}

fn drop_cjk_soft_breaks<'a>(root: &'a AstNode<'a>) {
    let breaks: Vec<_> = root
        .descendants()
        .filter(|n| matches!(n.data().value, NodeValue::SoftBreak))
        .collect();
    for br in breaks {
        let before = br.previous_sibling().and_then(|n| last_char(n));
        let after = br.next_sibling().and_then(|n| first_char(n));
        if let (Some(a), Some(b)) = (before, after)
            && is_wide(a)
            && is_wide(b)
        {
            br.detach();
        }
    }
}

fn last_char<'a>(n: &'a AstNode<'a>) -> Option<char> {
    plain_text(n).chars().next_back()
}
fn first_char<'a>(n: &'a AstNode<'a>) -> Option<char> {
    plain_text(n).chars().next()
}

/// `@/jingan/2017/aqsc.md#task-3` → `../../../jingan/2017/aqsc/#task-3`.
pub fn internal_url(target: &str) -> Option<(String, Option<String>)> {
    let rest = target.strip_prefix(INTERNAL_LINK)?;
    let (file, anchor) = match rest.split_once('#') {
        Some((f, a)) => (f, Some(a.to_string())),
        None => (rest, None),
    };
    Some((file.to_string(), anchor))
}

/// A document that is not a plan (a 政策解读) as HTML, for a page whose way back to the site root
/// is `site_root` (`../../../../`): its links to plans made relative and returned for checking.
/// Numbered paragraphs are its own words, not tasks.
pub fn document_html(
    markdown: &str,
    first_line: usize,
    site_root: &str,
) -> (String, Vec<InternalLink>) {
    let arena = Arena::new();
    let options = comrak_options();
    let root = parse_document(&arena, markdown, &options);
    drop_cjk_soft_breaks(root);
    rewrite_internal_links(root, site_root);
    let links = collect_links(root, first_line, site_root);
    (render(root, &options), links)
}

fn rewrite_internal_links<'a>(root: &'a AstNode<'a>, site_root: &str) {
    for n in root.descendants() {
        if let NodeValue::Link(link) = &mut n.data_mut().value
            && let Some((file, anchor)) = internal_url(&link.url)
        {
            let page = file.strip_suffix(".md").unwrap_or(&file);
            let frag = anchor.map(|a| format!("#{a}")).unwrap_or_default();
            link.url = format!("{site_root}{page}/{frag}");
        }
    }
}

fn collect_links<'a>(
    root: &'a AstNode<'a>,
    first_line: usize,
    site_root: &str,
) -> Vec<InternalLink> {
    // Links were rewritten already; recover the targets from the rewritten form.
    root.descendants()
        .filter_map(|n| {
            let data = n.data();
            let NodeValue::Link(link) = &data.value else {
                return None;
            };
            let rest = link.url.strip_prefix(site_root)?;
            let (page, anchor) = match rest.split_once('#') {
                Some((p, a)) => (p, Some(a.to_string())),
                None => (rest, None),
            };
            Some(InternalLink {
                file: format!("{}.md", page.trim_end_matches('/')),
                anchor,
                line: data.sourcepos.start.line + first_line - 1,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_tasks_and_notations() {
        let md = "## 一、强化责任意识\n\n### （一）全面履行党委政府领导责任\n\n推动落实。\n\n1.加强党对安全发展的全面领导。将论述纳入学习内容。（责任单位：区委宣传部、区应急局，各乡镇）\n\n2.以“重责任担当保一方平安”为主题。（责任单位：区应急局）\n";
        let b = parse(md, 5);
        assert_eq!(b.sections.len(), 2);
        assert_eq!(
            (
                b.sections[SectionId::new(0)].level,
                b.sections[SectionId::new(0)].anchor.as_str(),
                b.sections[SectionId::new(0)].label.as_str()
            ),
            (2, "s-1", "一、")
        );
        assert_eq!(
            (
                b.sections[SectionId::new(1)].level,
                b.sections[SectionId::new(1)].anchor.as_str()
            ),
            (3, "s-1-1")
        );
        assert_eq!(b.tasks.len(), 2);
        let t = &b.tasks[TaskId::new(0)];
        assert_eq!(
            (t.key.as_str(), t.anchor.as_str(), t.title.as_str()),
            ("1", "task-1", "加强党对安全发展的全面领导")
        );
        assert_eq!(
            t.lead.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
            ["区委宣传部", "区应急局", "各乡镇"]
        );
        assert_eq!(t.line, 11);
        let Block::Task { html, note, .. } = &b.blocks[3] else {
            panic!("{:?}", b.blocks[3])
        };
        assert!(!html.contains("责任单位"), "{html}");
        assert_eq!(
            note.as_ref().unwrap().text,
            "（责任单位：区委宣传部、区应急局，各乡镇）"
        );
    }

    #[test]
    fn every_numbering_form_is_a_task() {
        let md = "## 一、重点任务\n\n3. 加强隐患排查。（责任单位：区应急局）\n\n４．开展专项整治。（责任单位：区应急局）\n\n1000.建立台账。\n\n2）落实责任。\n";
        let b = parse(md, 1);
        let labels: Vec<&str> = b.tasks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["3.", "４．", "1000.", "2）"], "{:?}", b.tasks);
        let first = &b.tasks[TaskId::new(0)];
        assert_eq!(first.title, "加强隐患排查");
        assert_eq!(first.lead[0].name, "区应急局");
        // The list item's number is shown, as the document wrote it.
        let Block::Task { html, .. } = &b.blocks[1] else {
            panic!("{:?}", b.blocks[1]);
        };
        assert!(html.starts_with("3. 加强隐患排查"), "{html}");
        assert!(b.unrecognized.is_empty());
    }

    #[test]
    fn numbered_paragraphs_that_are_no_task_are_noted() {
        let b = parse("正文。\n\n1,加强隐患排查。\n\n第一条 总则\n", 5);
        assert!(b.tasks.is_empty());
        assert_eq!(b.unrecognized, [7, 9]);
    }

    #[test]
    fn per_section_numbering_is_qualified() {
        let md = "## 一、甲\n\n（一）明确责任。内容。\n\n（二）强化监管。内容。\n\n## 二、乙\n\n（一）落实。内容。\n";
        let b = parse(md, 1);
        let keys: Vec<_> = b.tasks.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["1.1", "1.2", "2.1"]);
        assert_eq!(b.tasks[TaskId::new(2)].anchor, "task-2-1");
    }

    #[test]
    fn continuous_numbering_across_sections() {
        let md = "## 一、甲\n\n(一)推进。(唐林芳同志牵头负责)\n\n## 二、乙\n\n(二)坚持。(邱继刚同志牵头负责)\n";
        let b = parse(md, 1);
        let keys: Vec<_> = b.tasks.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["1", "2"]);
        assert_eq!(b.tasks[TaskId::new(1)].persons[0].name, "邱继刚");
    }

    #[test]
    fn soft_breaks_between_chinese_are_dropped() {
        let b = parse("安全生产\n责任落实\n\nSafety\nfirst\n", 1);
        let Block::Html(h) = &b.blocks[0] else {
            panic!()
        };
        assert_eq!(h.trim(), "<p>安全生产责任落实</p>");
        let Block::Html(h) = &b.blocks[1] else {
            panic!()
        };
        assert!(h.contains("Safety\nfirst"), "{h}");
    }

    #[test]
    fn bold_before_fullwidth_colon() {
        let b = parse("**重点任务：**加强监管\n", 1);
        let Block::Html(h) = &b.blocks[0] else {
            panic!()
        };
        assert!(h.contains("<strong>重点任务：</strong>加强监管"), "{h}");
    }

    #[test]
    fn task_tables_become_tasks() {
        let md = "| 序号 | 重点任务 | 区领导 | 责任单位 | 配合单位 | 工作内容 |\n|---|---|---|---|---|---|\n| 一、强化责任意识 | | | | | |\n| 2 | 深入学习 | 李峻、黄晓霞 | 区安委会各成员单位 | 各乡镇、区有关直属单位 | 将论述纳入 |\n";
        let b = parse(md, 1);
        assert_eq!(b.tasks.len(), 1);
        let t = &b.tasks[TaskId::new(0)];
        assert_eq!(
            (t.key.as_str(), t.anchor.as_str(), t.title.as_str()),
            ("a2", "task-a2", "深入学习")
        );
        assert_eq!(t.persons.len(), 2);
        assert_eq!(t.support[1].name, "区有关直属单位");
        assert_eq!(t.line, 4);
        let Block::TaskTable { rows, .. } = &b.blocks[0] else {
            panic!()
        };
        assert_eq!(rows.len(), 2);
        assert!(rows[0].task.is_none() && rows[1].task == Some(TaskId::new(0)));
    }

    #[test]
    fn items_grouped_under_numbered_rows_are_the_tasks() {
        let md = "| 序号 | 目标名称 | 工作标准 | 牵头单位 |\n|---|---|---|---|\n| 1 主要预期目标 | | | |\n| (1) | 地区生产总值增长6%左右。 | | 区发改局 |\n| （2） | 财政收入增长3%以上。 | | 区财政局 |\n";
        let b = parse(md, 1);
        let got: Vec<(&str, &str, &str)> = b
            .tasks
            .iter()
            .map(|t| (t.key.as_str(), t.label.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a1", "(1)", "地区生产总值增长6%左右。"),
                ("a2", "（2）", "财政收入增长3%以上。")
            ]
        );
        assert_eq!(b.tasks[TaskId::new(1)].lead[0].name, "区财政局");
        let Block::TaskTable { rows, .. } = &b.blocks[0] else {
            panic!()
        };
        // The group's row is no task.
        assert!(rows[0].task.is_none());
    }

    #[test]
    fn a_deeper_numbering_in_the_same_section_is_keyed_under_its_item() {
        let md = "## 一、原则\n\n（一）明确目标。内容。\n\n## 二、指标\n\n（一）预期性指标。内容。\n\n1.地区生产总值增长9%。\n\n2.城镇化率达到90%。\n\n（二）约束性指标。内容。\n\n1.单位能耗下降。\n";
        let b = parse(md, 1);
        let keys: Vec<&str> = b.tasks.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["1.1", "2.1", "2.1.1", "2.1.2", "2.2", "2.2.1"]);
        assert_eq!(b.tasks[TaskId::new(2)].anchor, "task-2-1-1");
        // Without headings: items numbered again under each (一), (二).
        let md = "（一）压实责任。内容。\n\n1.落实制度。\n\n2.开展检查。\n\n（二）加强宣传。内容。\n\n1.开展宣传。\n";
        let keys: Vec<String> = parse(md, 1).tasks.iter().map(|t| t.key.clone()).collect();
        assert_eq!(keys, ["1", "1.1", "1.2", "2", "2.1"]);
    }

    #[test]
    fn a_task_that_opens_with_its_unit() {
        let md = "1、区住建局。排查生活污水直排污染源。\n\n2、示例街道办事处。加强宣传。\n\n3、优化产业布局。推进集聚。\n\n4、新建项目禁止配套建设自备燃煤电站。\n";
        let b = parse(md, 1);
        let leads: Vec<Vec<&str>> = b
            .tasks
            .iter()
            .map(|t| t.lead.iter().map(|n| n.name.as_str()).collect())
            .collect();
        assert_eq!(
            leads,
            [vec!["区住建局"], vec!["示例街道办事处"], vec![], vec![]]
        );
    }

    #[test]
    fn each_annex_table_numbered_from_one_keys_its_own_rows() {
        let table = |task: &str| {
            format!("| 序号 | 重点任务 | 责任单位 |\n|---|---|---|\n| 1 | {task} | 区发改委 |\n\n")
        };
        let md = format!(
            "{}附件2\n\n{}",
            table("增长5.5%左右"),
            table("建设示例园区")
        );
        let b = parse(&md, 1);
        let keys: Vec<(&str, &str, &str)> = b
            .tasks
            .iter()
            .map(|t| (t.key.as_str(), t.anchor.as_str(), t.label.as_str()))
            .collect();
        assert_eq!(keys, [("a1", "task-a1", "1"), ("a2.1", "task-a2-1", "1")]);
    }

    #[test]
    fn internal_links_are_rewritten_and_recorded() {
        let b = parse("见[上年](@/jingan/2017/aqsc.md#task-3)。\n", 4);
        let Block::Html(h) = &b.blocks[0] else {
            panic!()
        };
        assert!(
            h.contains("href=\"../../../jingan/2017/aqsc/#task-3\""),
            "{h}"
        );
        assert_eq!(b.links[0].file, "jingan/2017/aqsc.md");
        assert_eq!(b.links[0].anchor.as_deref(), Some("task-3"));
        assert_eq!(b.links[0].line, 4);
    }

    fn keys(b: &Body) -> Vec<&str> {
        b.tasks.iter().map(|t| t.key.as_str()).collect()
    }

    fn html(b: &Body) -> String {
        b.blocks
            .iter()
            .filter_map(|x| match x {
                Block::Html(h) => Some(h.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn preamble_headings_hold_no_tasks() {
        let md = "## 一、指导思想和工作目标\n\n### （一）指导思想\n\n1.以新思想为指导。\n\n### （二）工作目标。\n\n1.事故起数下降5%。\n\n2.杜绝重特大事故。（责任单位：区应急局）\n\n## 二、主要任务\n\n1.加强隐患排查。\n\n2.开展专项整治。\n";
        let b = parse(md, 1);
        // The target with its 责任单位 stays a task; the others under the preamble are text.
        assert_eq!(
            b.tasks.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(),
            ["杜绝重特大事故", "加强隐患排查", "开展专项整治"]
        );
        let h = html(&b);
        assert!(h.contains("<p>1.以新思想为指导。</p>"), "{h}");
        assert!(h.contains("<p>1.事故起数下降5%。</p>"), "{h}");
        assert!(b.unrecognized.is_empty());
    }

    #[test]
    fn a_list_item_in_a_preamble_keeps_its_number() {
        let b = parse(
            "## 一、基本原则\n\n1. 坚持人民至上。\n\n2. 坚持依法治理。\n",
            1,
        );
        assert!(b.tasks.is_empty(), "{:?}", keys(&b));
        let h = html(&b);
        assert!(h.contains("<p>1. 坚持人民至上。</p>"), "{h}");
        assert!(h.contains("<p>2. 坚持依法治理。</p>"), "{h}");
    }

    #[test]
    fn run_in_preamble_headings_and_their_items_are_no_tasks() {
        let md = "## 一、总体安排\n\n（一）指导思想。以习近平新时代中国特色社会主义思想为指导。\n\n（二）工作目标。到年底：\n\n1.事故起数下降。\n\n2.较大事故不发生。\n\n（三）加强隐患排查。全面开展。\n\n1.排查燃气隐患。\n\n## 二、保障\n\n1.发展基础。已有基础。\n\n2.加强组织领导。\n";
        let b = parse(md, 1);
        assert_eq!(
            b.tasks.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(),
            ["加强隐患排查", "排查燃气隐患", "加强组织领导"]
        );
        // The run-in heading's notation keeps it a task.
        let b = parse("（一）工作目标。事故下降5%。（责任单位：区应急局）\n", 1);
        assert_eq!(b.tasks.len(), 1);
    }

    #[test]
    fn a_preamble_ends_at_the_next_heading_of_its_level() {
        let md = "## 一、总体要求\n\n### （一）加强领导\n\n1.甲。\n\n## 二、重点工作\n\n### （一）现状\n\n1.乙。\n\n### （二）整治\n\n1.丙。\n";
        let b = parse(md, 1);
        assert_eq!(
            b.tasks.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(),
            ["丙"]
        );
    }

    const ANNEX: &str =
        "## 附件\n\n| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |\n|---|---|---|---|---|\n";

    fn row(b: &Body, n: usize) -> &TableRow {
        b.blocks
            .iter()
            .find_map(|x| match x {
                Block::TaskTable { rows, .. } => rows.get(n),
                _ => None,
            })
            .expect("a task table")
    }

    #[test]
    fn annex_rows_that_repeat_body_tasks_are_linked_not_counted() {
        let md = format!(
            "1.建设安全生产风险监测预警平台。接入重点企业。\n\n2.开展城镇燃气安全专项整治。（责任单位：区建设管理委）\n\n3.推进危险化学品企业安全风险评估，消除重大隐患。\n\n{ANNEX}| 1 | 建设安全生产风险监测预警平台 | 区应急局 | 区大数据中心 | 2024年6月底前 |\n| 2 | 开展城镇燃气安全专项整治 | 区应急局 | | |\n| 3 | 推进危险化学品企业和园区安全风险评估，消除重大事故隐患 | 区应急局 | | |\n| 4 | 开展无人机巡查 | 区应急局 | | |\n"
        );
        let b = parse(&md, 1);
        assert_eq!(keys(&b), ["1", "2", "3", "a4"]);
        let t1 = &b.tasks[TaskId::new(0)];
        // The annex gives the units and the due date the body does not state.
        assert_eq!(t1.lead[0].name, "区应急局");
        assert_eq!(t1.lead[0].line, 11);
        assert_eq!(t1.support[0].name, "区大数据中心");
        assert_eq!(t1.due_cell.as_deref(), Some("2024年6月底前"));
        // The body's own units stay; the row's are kept for the warning.
        let t2 = &b.tasks[TaskId::new(1)];
        assert_eq!(t2.lead.len(), 1);
        assert_eq!(t2.lead[0].name, "区建设管理委");
        assert_eq!(b.repeats[1].lead[0].name, "区应急局");
        // Row 3 is reworded: alike by the similarity.
        assert_eq!(b.repeats.len(), 3);
        assert_eq!(b.repeats[2].task, TaskId::new(2));
        assert_eq!(
            (b.repeats[0].key.as_str(), b.repeats[0].anchor.as_str()),
            ("a1", "task-a1")
        );
        assert_eq!((row(&b, 0).task, row(&b, 0).repeats), (None, Some(0)));
        assert_eq!(
            (row(&b, 3).task, row(&b, 3).repeats),
            (Some(TaskId::new(3)), None)
        );
        assert_eq!(b.task_by_key("a1"), Some(TaskId::new(0)));
        assert_eq!(b.task_by_key("a4"), Some(TaskId::new(3)));
    }

    #[test]
    fn repeats_by_first_sentence_twice_and_empty_cells() {
        let md = format!(
            "1.落实安全生产责任制。明确各级责任。\n\n2.落实安全生产责任制。明确各级责任。\n\n3.加强监管。\n\n{ANNEX}| 1 | 落实安全生产责任制：层层签订责任书 | 区应急局 | | |\n| 2 | 落实安全生产责任制 | 各街镇 | | 年底前 |\n| 3 | | | | |\n| 4 | 加强监管 | | | |\n| 5 | | 区应急局 | | |\n"
        );
        let b = parse(&md, 1);
        // Rows 1 and 2 both repeat the first of the two identical tasks; row 4 equals task 3;
        // rows 3 and 5, with no task text, repeat nothing and stay tasks.
        assert_eq!(keys(&b), ["1", "2", "3", "a3", "a5"]);
        assert_eq!(
            b.repeats.iter().map(|r| r.task.index()).collect::<Vec<_>>(),
            [0, 0, 2]
        );
        let t1 = &b.tasks[TaskId::new(0)];
        assert_eq!(
            t1.lead.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
            ["区应急局", "各街镇"]
        );
        assert_eq!(t1.due_cell.as_deref(), Some("年底前"));
        assert!(b.tasks[TaskId::new(1)].lead.is_empty());
    }

    #[test]
    fn a_due_date_in_the_body_is_kept() {
        let md = format!(
            "1.完成应急预案修订工作，2024年6月底前完成。\n\n{ANNEX}| 1 | 完成应急预案修订工作 | 区应急局 | | 年底前 |\n"
        );
        let b = parse(&md, 1);
        assert_eq!(keys(&b), ["1"]);
        assert_eq!(b.tasks[TaskId::new(0)].due_cell, None);
        assert_eq!(b.tasks[TaskId::new(0)].lead[0].name, "区应急局");
    }
}
