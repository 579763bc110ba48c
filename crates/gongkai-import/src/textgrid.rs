//! Task tables that arrive as text. Copying a portal's table or extracting a PDF gives one
//! cell per line (`序号` / `重点工作` / `责任单位` / `完成时限`, then `1` / the task / its units,
//! perhaps on several lines / `12月底前` …), or a row per line with its cells separated by
//! spaces. Rows have different heights and some cells are empty, so a row's cells are not
//! taken by position: each is classed (task text, units, persons, a time limit, a number) and
//! the row is aligned with the header's columns by least cost, in order. The result is a
//! [`Grid`], read from then on like a Word or HTML table.

use super::items::{Grid, GridCell, Item, Line};
use super::report::Report;
use gongkai_zh::numbering::parse_marker;

/// At most this many lines are looked at as one table's header.
const MAX_HEADER: usize = 16;
/// A table's cells are aligned in rows of at most this many lines; a longer "row" is text.
const MAX_ROW_LINES: usize = 40;
/// At most this many columns: a longer "header" is no task table's.
const MAX_COLUMNS: usize = 30;
/// A row's pieces beyond this many are kept in its last cell, not aligned one by one (the
/// alignment's cost grows with the pieces).
const MAX_ROW_CELLS: usize = 120;

/// What a column of the header holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Number,
    /// The task (重点工作, 主要任务, 民生实事, 项目名称).
    Task,
    /// More of the task's words (工作内容, 具体措施, 目标).
    Content,
    Lead,
    Support,
    Person,
    Due,
    /// Anything else (备注, 完成情况, 类别).
    Other,
}

/// What a cell of a row looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// An empty cell, seen as two spaces in a row whose cells are apart by spaces.
    Empty,
    /// A few words (a category, a short task name, a piece of a cell broken by a space).
    Fragment,
    Text,
    Units,
    Persons,
    Due,
    Number,
}

const TASK_WORDS: &[&str] = &[
    "任务",
    "重点工作",
    "工作",
    "事项",
    "项目",
    "民生实事",
    "实事",
    "措施",
    "目标",
];
const CONTENT_WORDS: &[&str] = &["内容", "措施", "要求", "目标", "安排", "标准"];
const OTHER_WORDS: &[&str] = &[
    "备注", "情况", "进展", "类别", "领域", "类型", "投资", "资金", "地点", "序号", "指标",
];

/// The kind of a header cell, or none when the text is no column name.
fn column_of(text: &str) -> Option<Col> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() || t.chars().count() > 12 || t.contains(['。', '；', '，']) {
        return None;
    }
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    use gongkai_zh::columns::{DUE, DUTY, LEAD, PERSON, SUPPORT};
    Some(if t == "序号" || t == "编号" {
        Col::Number
    } else if has(PERSON) {
        Col::Person
    } else if has(SUPPORT) || t.contains("配合") {
        Col::Support
    } else if has(LEAD) || has(DUTY) || t.contains("牵头") {
        Col::Lead
    } else if has(DUE) || has(&["期限"]) {
        Col::Due
    } else if has(&["情况", "备注", "进展"]) {
        Col::Other
    } else if has(TASK_WORDS) {
        Col::Task
    } else if has(CONTENT_WORDS) {
        Col::Content
    } else if has(OTHER_WORDS) {
        Col::Other
    } else {
        return None;
    })
}

/// A header's columns from its lines: a name broken over two lines (`责任` / `领导`) is joined
/// when the parts are no column names alone.
fn header_columns(parts: &[&str]) -> Vec<(String, Col)> {
    let mut out: Vec<(String, Col)> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let p = parts[i];
        // `责任股室` + `(单位)`: a bracket alone ends the name before it.
        if p.starts_with(['（', '('])
            && p.ends_with(['）', ')'])
            && let Some((name, _)) = out.last_mut()
        {
            name.push_str(p);
            i += 1;
            continue;
        }
        let joined = parts.get(i + 1).map(|n| format!("{p}{n}"));
        match (column_of(p), joined.as_deref().and_then(column_of)) {
            (None, Some(c)) => {
                out.push((joined.unwrap_or_default(), c));
                i += 2;
            }
            (Some(c), _) => {
                out.push((p.to_string(), c));
                i += 1;
            }
            (None, None) => {
                out.push((p.to_string(), Col::Other));
                i += 1;
            }
        }
    }
    // The first task column is the task; later ones add to it.
    let mut seen_task = false;
    for (_, c) in &mut out {
        if *c == Col::Task {
            if seen_task {
                *c = Col::Content;
            }
            seen_task = true;
        }
    }
    if !seen_task && let Some((_, c)) = out.iter_mut().find(|(_, c)| *c == Col::Content) {
        *c = Col::Task;
    }
    out
}

/// A header good enough to read rows under: a number column first, a task column, and a
/// column of units or persons.
fn usable(cols: &[(String, Col)]) -> bool {
    cols.first().is_some_and(|(_, c)| *c == Col::Number)
        && cols.len() >= 3
        && cols.iter().any(|(_, c)| *c == Col::Task)
        && cols
            .iter()
            .any(|(_, c)| matches!(c, Col::Lead | Col::Person))
}

/// The text of a cell line without the bar a copy leaves at its end.
fn cell_text(s: &str) -> &str {
    s.trim().trim_end_matches(['|', '｜']).trim()
}

/// A row number: `1`, `12`, `1.`, alone on its line.
fn row_number(s: &str) -> Option<u32> {
    let t = cell_text(s).trim_end_matches(['.', '．', '、']);
    (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

fn is_unit_name(n: &str) -> bool {
    gongkai_zh::notation::is_unit_name(n.trim().trim_end_matches('等'))
}

/// What a cell line looks like.
fn class(text: &str) -> Cell {
    let t = cell_text(text);
    if t.is_empty() {
        return Cell::Empty;
    }
    if t.bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'%')
    {
        return Cell::Number;
    }
    let n = t.chars().count();
    let due_words = [
        "底前",
        "月前",
        "日前",
        "年底",
        "月底",
        "全年",
        "长期",
        "持续",
        "年内",
        "季度",
        "半年",
        "常态",
        "前完成",
        "完成",
        "每月",
        "每季",
        "每年",
    ];
    if n <= 20 && !t.contains('。') && due_words.iter().any(|w| t.contains(w)) {
        return Cell::Due;
    }
    if n <= 80 && !t.contains('。') {
        let parts: Vec<&str> = t
            .split(['、', '，', ',', '；', ';', ' ', '\u{3000}'])
            .filter(|p| !p.is_empty())
            .collect();
        let units = parts.iter().filter(|p| is_unit_name(p)).count();
        if units > 0 && units * 2 >= parts.len() {
            return Cell::Units;
        }
        let person = |p: &&str| {
            let c = p.chars().count();
            (2..=4).contains(&c) && p.chars().all(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch))
        };
        // `俞 悦`: a two-character name spaced out to the width of a three-character one.
        let squeezed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        if n <= 24
            && (parts.iter().all(person)
                || (squeezed.chars().count() <= 3 && person(&squeezed.as_str())))
        {
            return Cell::Persons;
        }
    }
    if t.chars().count() <= 8 {
        Cell::Fragment
    } else {
        Cell::Text
    }
}

/// The cost of putting a cell of a kind in a column; `None` where it can never go.
fn cost(cell: Cell, col: Col) -> f32 {
    match (cell, col) {
        (Cell::Empty, _) => 0.0,
        (Cell::Fragment, Col::Task) => 0.0,
        (Cell::Fragment, Col::Other) => 0.3,
        (Cell::Fragment, Col::Content) => 0.8,
        (Cell::Fragment, Col::Due) => 3.0,
        (Cell::Fragment, _) => 4.0,
        (Cell::Text, Col::Task | Col::Content) => 0.0,
        (Cell::Text, Col::Other) => 1.0,
        (Cell::Text, Col::Due) => 4.0,
        (Cell::Text, _) => 6.0,
        (Cell::Units, Col::Lead | Col::Support) => 0.0,
        (Cell::Units, Col::Other) => 2.0,
        (Cell::Units, Col::Task | Col::Content) => 3.0,
        (Cell::Units, _) => 5.0,
        (Cell::Persons, Col::Person) => 0.0,
        (Cell::Persons, Col::Lead | Col::Support) => 2.5,
        (Cell::Persons, Col::Task | Col::Content | Col::Other) => 3.0,
        (Cell::Persons, _) => 5.0,
        (Cell::Due, Col::Due) => 0.0,
        (Cell::Due, Col::Other | Col::Content) => 1.5,
        (Cell::Due, _) => 4.0,
        (Cell::Number, Col::Other | Col::Content | Col::Due) => 0.5,
        (Cell::Number, _) => 3.0,
    }
}

/// The cost of leaving a column empty in a row.
fn skip_cost(col: Col) -> f32 {
    match col {
        Col::Task => 6.0,
        Col::Lead => 2.0,
        Col::Other => 0.5,
        _ => 1.0,
    }
}

/// The cost of a second line in the same column (a cell of several lines).
fn more_cost(cell: Cell, col: Col) -> f32 {
    match (cell, col) {
        (Cell::Empty, _) => 100.0,
        (Cell::Fragment, Col::Task) => 0.2,
        (Cell::Fragment, Col::Content | Col::Other) => 0.5,
        (Cell::Text, Col::Task) => 1.0,
        (Cell::Text, Col::Content | Col::Other) => 0.5,
        // A 牵头 cell names one unit more often than a 配合 cell does.
        (Cell::Units, Col::Lead) => 0.6,
        (Cell::Units, Col::Support) => 0.5,
        (Cell::Persons, Col::Person) => 0.5,
        _ => 3.0 + cost(cell, col),
    }
}

/// Puts a row's cell lines into the columns after the number, in order, by least cost:
/// returns the column index (into `cols`) of each line.
fn align(cells: &[Cell], cols: &[Col]) -> Vec<usize> {
    let (n, m) = (cells.len(), cols.len());
    if n == 0 || m == 0 {
        return vec![];
    }
    // best[i][j]: least cost with cell i in column j; from[i][j]: column of cell i-1.
    let mut best = vec![vec![f32::INFINITY; m]; n];
    let mut from = vec![vec![0usize; m]; n];
    let skipped = |a: usize, b: usize| -> f32 { cols[a..b].iter().map(|c| skip_cost(*c)).sum() };
    for j in 0..m {
        best[0][j] = skipped(0, j) + cost(cells[0], cols[j]);
    }
    for i in 1..n {
        for j in 0..m {
            for k in 0..=j {
                let step = if k == j {
                    more_cost(cells[i], cols[j])
                } else {
                    skipped(k + 1, j) + cost(cells[i], cols[j])
                };
                let c = best[i - 1][k] + step;
                if c < best[i][j] {
                    best[i][j] = c;
                    from[i][j] = k;
                }
            }
        }
    }
    let (mut j, _) = (0..m)
        .map(|j| (j, best[n - 1][j] + skipped(j + 1, m)))
        .fold((0, f32::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
    let mut out = vec![0; n];
    for i in (0..n).rev() {
        out[i] = j;
        j = from[i][j];
    }
    out
}

/// One row of a text table: its number, and its cells (a line each, or the pieces of a line
/// between spaces), with the lines it was read from.
struct TextRow {
    number: u32,
    /// The 序号 cell as the rebuilt table writes it: the number, `(3)` for an item of a group,
    /// or the group's number and name together (a row the site shows across the table).
    label: String,
    cells: Vec<String>,
    lines: Vec<usize>,
}

/// A row's cells in the header's columns (the number column included).
fn grid_row(row: &TextRow, cols: &[(String, Col)]) -> Vec<GridCell> {
    let kinds: Vec<Col> = cols[1..].iter().map(|(_, c)| *c).collect();
    // `应急管理局` + `(安委办)`: a bracket alone on a line ends the name on the line before.
    let mut pieces: Vec<String> = Vec::with_capacity(row.cells.len());
    for c in &row.cells {
        let t = cell_text(c);
        let bracket_only = t.starts_with(['（', '('])
            && t.ends_with(['）', ')'])
            && t.chars().count() <= 12
            && parse_marker(t).is_none();
        match pieces.last_mut() {
            Some(prev) if bracket_only && class(prev) == Cell::Units => prev.push_str(t),
            _ => pieces.push(c.clone()),
        }
    }
    if pieces.len() > MAX_ROW_CELLS {
        let rest = pieces.split_off(MAX_ROW_CELLS - 1).join(" ");
        pieces.push(rest);
    }
    let row = &TextRow {
        number: row.number,
        label: row.label.clone(),
        cells: pieces,
        lines: vec![],
    };
    let classes: Vec<Cell> = row.cells.iter().map(|c| class(c)).collect();
    let at = align(&classes, &kinds);
    let mut cells: Vec<Vec<String>> = vec![vec![]; cols.len()];
    cells[0].push(row.label.clone());
    for (c, j) in row.cells.iter().zip(at) {
        let t = cell_text(c);
        if t.is_empty() {
            continue;
        }
        // `俞 悦`: a two-character name spaced out to the width of three.
        let spaced_name = cols[j + 1].1 == Col::Person
            && t.split_whitespace().count() > 1
            && t.split_whitespace().all(|p| p.chars().count() == 1);
        if spaced_name {
            cells[j + 1].push(t.split_whitespace().collect());
        } else {
            cells[j + 1].push(t.to_string());
        }
    }
    cells
        .into_iter()
        .map(|lines| GridCell {
            lines,
            span: 1,
            merged: false,
        })
        .collect()
}

/// How a table's cells are laid out in the text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One cell per line.
    LinePerCell,
    /// A row per line, cells apart by spaces.
    Spaced,
}

/// The pieces of a row written on one line with its cells apart by spaces: two spaces or more
/// stand for an empty cell between; a piece of one or two characters is the end of the piece
/// before it, broken by the extraction (`加强水资源保 护`).
fn spaced_cells(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Spaces before the first piece follow the row's number: one separates, more are empty
    // cells.
    let mut spaces = 0;
    let mut cur = String::new();
    for c in text.trim_end().chars() {
        if c.is_whitespace() {
            spaces += 1;
            continue;
        }
        if spaces > 0 {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if spaces >= 2 {
                out.extend(std::iter::repeat_n(String::new(), (spaces - 1).min(8)));
            }
        }
        spaces = 0;
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    let mut joined: Vec<String> = Vec::with_capacity(out.len());
    for p in out {
        match joined.last_mut() {
            Some(prev)
                if !prev.is_empty()
                    && !p.is_empty()
                    && p.chars().count() <= 2
                    && class(prev) != Cell::Units =>
            {
                prev.push_str(&p)
            }
            _ => joined.push(p),
        }
    }
    joined
}

/// A line that starts a spaced row: its number, then the rest.
fn spaced_row_start(text: &str) -> Option<(u32, &str)> {
    let t = text.trim_start();
    let end = t.find(char::is_whitespace)?;
    let n = row_number(&t[..end])?;
    Some((n, &t[end..]))
}

/// Where a header starts at `i` (its first line holds 序号), its columns and the index after it.
/// A header's columns, the index of the line after it, and how its rows are laid out.
type Header = (Vec<(String, Col)>, usize, Shape);

fn header_at(lines: &[Line], i: usize) -> Option<Header> {
    let first = cell_text(&lines.get(i)?.text);
    let words: Vec<&str> = first.split_whitespace().collect();
    if (3..=MAX_COLUMNS).contains(&words.len()) && matches!(words[0], "序号" | "编号") {
        let cols = header_columns(&words);
        return (usable(&cols) && words.iter().all(|w| column_of(w).is_some())).then_some((
            cols,
            i + 1,
            Shape::Spaced,
        ));
    }
    if first != "序号" && first != "编号" {
        return None;
    }
    let mut parts = vec![first];
    let mut j = i + 1;
    while j < lines.len() && j - i < MAX_HEADER {
        let t = cell_text(&lines[j].text);
        if row_number(t).is_some() || t.chars().count() > 12 || t.contains(['。', '；', '，']) {
            break;
        }
        if !t.is_empty() {
            parts.push(t);
        }
        j += 1;
    }
    let cols = header_columns(&parts);
    (usable(&cols) && cols.len() <= MAX_COLUMNS).then_some((cols, j, Shape::LinePerCell))
}

/// The rows under a header starting at `start`: each begins at the next number in sequence
/// and runs to the line before the following one, or to a line that ends the table (a
/// heading such as `二、`, 附件). Returns the rows and the index after the table.
fn rows_from(lines: &[Line], start: usize, shape: Shape) -> (Vec<TextRow>, usize) {
    let mut rows: Vec<TextRow> = Vec::new();
    let mut j = start;
    while j < lines.len() {
        let text = &lines[j].text;
        let want = rows.last().map(|r| r.number + 1);
        let begins = match shape {
            Shape::LinePerCell => row_number(text).map(|n| (n, "")),
            Shape::Spaced => spaced_row_start(text),
        };
        match begins.filter(|(n, _)| want.map_or(*n <= 9999, |w| *n == w)) {
            Some((number, rest)) => rows.push(TextRow {
                number,
                label: number.to_string(),
                cells: spaced_cells(rest),
                lines: vec![lines[j].no],
            }),
            None if ends_table(text) => break,
            None => match rows.last_mut() {
                Some(r) if r.lines.len() < MAX_ROW_LINES => {
                    r.lines.push(lines[j].no);
                    match shape {
                        Shape::LinePerCell => r.cells.push(text.clone()),
                        Shape::Spaced => r.cells.extend(spaced_cells(text)),
                    }
                }
                Some(_) => break,
                // Lines between the header and the first row (a group name, a rule).
                None if j - start < 4 => {}
                None => break,
            },
        }
        j += 1;
    }
    (rows, j)
}

/// A table whose numbered rows group numbered items (`1` · `主要预期目标` · `(1)地区生产总值增长
/// 6%左右。` · `王某` · `发改局` · `(2)……`, merged cells copied once): each item, numbered
/// `(1)`, `(2)` … on through the table, is a row of its own, and each group a row across the
/// table with its number and name. Rows without such items stay as they are.
fn split_items(rows: Vec<TextRow>) -> Vec<TextRow> {
    use gongkai_zh::numbering::Style;
    let mut next = 1;
    let mut starts: Vec<Vec<(usize, gongkai_zh::numbering::Marker)>> = Vec::new();
    for r in &rows {
        let mut at = Vec::new();
        for (k, c) in r.cells.iter().enumerate() {
            if let Some(m) = parse_marker(cell_text(c))
                .filter(|m| m.style == Style::ArabicParen && m.number == next)
            {
                next += 1;
                at.push((k, m));
            }
        }
        starts.push(at);
    }
    if next <= 2 {
        return rows;
    }
    let mut out = Vec::with_capacity(next as usize + rows.len());
    for (r, at) in rows.into_iter().zip(starts) {
        let Some(&(first, _)) = at.first() else {
            out.push(r);
            continue;
        };
        // The cells of a row are its lines after the number's.
        let line_of = |k: usize| r.lines.get(k + 1).copied();
        let mut name = vec![r.label.clone()];
        name.extend(r.cells[..first].iter().map(|c| cell_text(c).to_string()));
        out.push(TextRow {
            number: r.number,
            label: name.join(" "),
            cells: vec![],
            lines: r.lines[..(first + 1).min(r.lines.len())].to_vec(),
        });
        for (i, (k, m)) in at.iter().enumerate() {
            let end = at.get(i + 1).map_or(r.cells.len(), |(e, _)| *e);
            let mut cells = vec![cell_text(&r.cells[*k])[m.len..].to_string()];
            cells.extend(r.cells[k + 1..end].iter().cloned());
            out.push(TextRow {
                number: m.number,
                label: m.label.clone(),
                cells,
                lines: (*k..end).filter_map(line_of).collect(),
            });
        }
    }
    out
}

/// A line no table cell is: a first- or second-level numbered heading, 附件.
fn ends_table(text: &str) -> bool {
    let t = cell_text(text);
    t.starts_with("附件")
        || parse_marker(t)
            .is_some_and(|m| matches!(m.style, gongkai_zh::numbering::Style::ChineseComma))
}

/// Finds the tables written one cell per line in a run of lines, and returns the run with each
/// such table as a [`Grid`]. Lines of the table that fit no column are kept in the grid's cells,
/// never dropped.
pub fn rebuild_lines(lines: Vec<Line>, report: &mut Report) -> Vec<Item> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut plain_from = 0;
    while i < lines.len() {
        let Some((cols, body, shape)) = header_at(&lines, i) else {
            i += 1;
            continue;
        };
        let (rows, end) = rows_from(&lines, body, shape);
        let rows = match shape {
            Shape::LinePerCell => split_items(rows),
            Shape::Spaced => rows,
        };
        if rows.is_empty() {
            i += 1;
            continue;
        }
        out.extend(lines[plain_from..i].iter().cloned().map(Item::Line));
        let header: Vec<GridCell> = cols
            .iter()
            .map(|(name, _)| GridCell {
                lines: vec![name.clone()],
                span: 1,
                merged: false,
            })
            .collect();
        let mut grid = Grid {
            no: lines[i].no,
            rows: vec![header],
            row_lines: rows
                .iter()
                .map(|r| (r.lines.clone(), r.label.clone()))
                .collect(),
        };
        // Lines between the header and the first row stay text of their own, after the table.
        let before: Vec<Line> = lines[body..]
            .iter()
            .take_while(|l| l.no != rows[0].lines[0])
            .cloned()
            .collect();
        grid.rows.extend(rows.iter().map(|r| grid_row(r, &cols)));
        report.repairs.text_tables += 1;
        out.push(Item::Grid(grid));
        out.extend(before.into_iter().map(Item::Line));
        i = end;
        plain_from = end;
    }
    out.extend(lines[plain_from..].iter().cloned().map(Item::Line));
    out
}

/// Every run of lines of the document with its text tables rebuilt.
pub fn rebuild(items: Vec<Item>, report: &mut Report) -> Vec<Item> {
    let mut out = Vec::with_capacity(items.len());
    let mut run: Vec<Line> = Vec::new();
    for it in items {
        match it {
            Item::Line(l) => run.push(l),
            other => {
                out.extend(rebuild_lines(std::mem::take(&mut run), report));
                out.push(other);
            }
        }
    }
    out.extend(rebuild_lines(run, report));
    out
}

/// The lines each row of the tables rebuilt from text was read from, with the row's label.
pub fn row_lines(items: &[Item]) -> Vec<(Vec<usize>, String)> {
    items
        .iter()
        .filter_map(|it| match it {
            Item::Grid(g) => Some(g.row_lines.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// A task table at `raw[start]` whose header and rows are lines with their cells apart by
/// spaces (`序号 类别 主要任务 牵头单位` then `1 … 市水利局 …`), read from the raw text before
/// its spaces are repaired; the grid and the index after it.
pub fn spaced_table(raw: &[&str], start: usize) -> Option<(Grid, usize)> {
    let head = raw.get(start)?.trim();
    if !(head.starts_with("序号") || head.starts_with("编号")) {
        return None;
    }
    let lines: Vec<Line> = raw[start..raw.len().min(start + 4000)]
        .iter()
        .enumerate()
        .map(|(k, t)| Line::new(start + k + 1, t.trim()))
        .filter(|l| !l.text.is_empty())
        .collect();
    let (grid, used) = spaced_lines(&lines)?;
    let next = lines.get(used).map_or(raw.len(), |l| l.no - 1);
    Some((grid, next))
}

/// As [`spaced_table`], for lines read already (a Word file's or a page's paragraphs, their
/// spaces not yet repaired): the grid and how many of the lines it took.
pub fn spaced_lines(lines: &[Line]) -> Option<(Grid, usize)> {
    let (cols, body, shape) = header_at(lines, 0)?;
    if shape != Shape::Spaced {
        return None;
    }
    let (rows, end) = rows_from(lines, body, shape);
    // Lines between the header and the first row would be no part of the table: not taken.
    if rows.first()?.lines[0] != lines.get(body)?.no {
        return None;
    }
    let mut grid = Grid {
        no: lines[0].no,
        rows: vec![header_row(&cols)],
        row_lines: rows
            .iter()
            .map(|r| (r.lines.clone(), r.label.clone()))
            .collect(),
    };
    grid.rows.extend(rows.iter().map(|r| grid_row(r, &cols)));
    Some((grid, end))
}

fn header_row(cols: &[(String, Col)]) -> Vec<GridCell> {
    cols.iter()
        .map(|(name, _)| GridCell {
            lines: vec![name.clone()],
            span: 1,
            merged: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<Line> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Line::new(i + 1, *t))
            .collect()
    }

    fn cells(item: &Item) -> Vec<Vec<String>> {
        match item {
            Item::Grid(g) => g
                .rows
                .iter()
                .map(|r| r.iter().map(|c| c.lines.join("/")).collect())
                .collect(),
            _ => panic!("not a grid: {item:?}"),
        }
    }

    #[test]
    fn numbered_rows_that_group_numbered_items() {
        let mut r = Report::default();
        let items = rebuild_lines(
            lines(&[
                "序号",
                "目标名称",
                "工 作 标 准",
                "区政府",
                "分管领导",
                "牵头单位",
                "配合单位",
                "1",
                "主要预期目标",
                "(1)地区生产总值增长6%左右。",
                "王示例",
                "发改局",
                "经开区",
                "高新园",
                "(样例镇)",
                "统计局",
                "(2)一般公共预算收入增长3%以上。",
                "财政局",
                "(3)安全生产形势平稳向好。",
                "应急管理局",
                "(安委办)",
                "区安委会各成员单位",
                "2",
                "聚焦产业强区",
                "(4)健全驻点招商机制。",
                "商务局",
            ]),
            &mut r,
        );
        let rows = cells(&items[0]);
        assert_eq!(rows[1][0], "1 主要预期目标");
        assert!(rows[1][1..].iter().all(String::is_empty), "{:?}", rows[1]);
        assert_eq!(
            rows[2],
            [
                "(1)",
                "地区生产总值增长6%左右。",
                "",
                "王示例",
                "发改局",
                "经开区/高新园(样例镇)/统计局"
            ]
        );
        assert_eq!(rows[3][4], "财政局");
        assert_eq!(rows[4][4..], ["应急管理局(安委办)", "区安委会各成员单位"]);
        assert_eq!(rows[5][0], "2 聚焦产业强区");
        assert_eq!(rows[6][0], "(4)");
        // The lines each row came from, for the 核对 page.
        let Item::Grid(g) = &items[0] else { panic!() };
        assert_eq!(
            g.row_lines[1],
            (vec![10, 11, 12, 13, 14, 15, 16], "(1)".to_string())
        );
    }

    #[test]
    fn one_cell_per_line_with_rows_of_any_height() {
        let mut r = Report::default();
        let items = rebuild_lines(
            lines(&[
                "2025年示例区民生实事",
                "序号 |",
                "民生实事 |",
                "责任单位 |",
                "完成时限 |",
                "1 |",
                "新建口袋公园10个，改造提升街头绿地。 |",
                "区城管委 |",
                "区住建局 |",
                "各街道 |",
                "12月底前 |",
                "2 |",
                "为辖区老人免费体检。 |",
                "区卫健委 |",
                "全年 |",
            ]),
            &mut r,
        );
        assert_eq!(items.len(), 2);
        let c = cells(&items[1]);
        assert_eq!(c[0], ["序号", "民生实事", "责任单位", "完成时限"]);
        assert_eq!(
            c[1],
            [
                "1",
                "新建口袋公园10个，改造提升街头绿地。",
                "区城管委/区住建局/各街道",
                "12月底前"
            ]
        );
        assert_eq!(c[2], ["2", "为辖区老人免费体检。", "区卫健委", "全年"]);
    }

    #[test]
    fn header_broken_over_lines_and_persons() {
        let mut r = Report::default();
        let items = rebuild_lines(
            lines(&[
                "序号",
                "重点工作",
                "责任",
                "领导",
                "责任",
                "科室",
                "1",
                "示例水库政策处理",
                "张示",
                "示例水库工作领导小组",
                "2",
                "美丽城镇创建",
                "李样",
                "乡村振兴办",
            ]),
            &mut r,
        );
        let c = cells(&items[0]);
        assert_eq!(c[0], ["序号", "重点工作", "责任领导", "责任科室"]);
        assert_eq!(
            c[1],
            ["1", "示例水库政策处理", "张示", "示例水库工作领导小组"]
        );
        // A task whose words end like a place (城镇) is still the task.
        assert_eq!(c[2], ["2", "美丽城镇创建", "李样", "乡村振兴办"]);
    }

    #[test]
    fn an_empty_cell_does_not_shift_the_row() {
        let mut r = Report::default();
        let items = rebuild_lines(
            lines(&[
                "序号",
                "工作任务",
                "牵头单位",
                "配合单位",
                "完成时限",
                "1",
                "开展排查。",
                "区应急局",
                "6月底前",
                "2",
                "加强宣传。",
                "区委宣传部",
                "区教育局、各街道",
                "年内",
            ]),
            &mut r,
        );
        let c = cells(&items[0]);
        assert_eq!(c[1], ["1", "开展排查。", "区应急局", "", "6月底前"]);
        assert_eq!(
            c[2],
            ["2", "加强宣传。", "区委宣传部", "区教育局、各街道", "年内"]
        );
    }

    #[test]
    fn numbers_out_of_sequence_are_cells_and_headings_end_the_table() {
        let mut r = Report::default();
        let items = rebuild_lines(
            lines(&[
                "序号",
                "重点任务",
                "责任单位",
                "1",
                "建设示范点",
                "5",
                "区农业农村局",
                "2",
                "培训农民",
                "区人社局",
                "二、保障措施",
                "加强领导。",
            ]),
            &mut r,
        );
        let c = cells(&items[0]);
        assert_eq!(c.len(), 3);
        assert_eq!(c[1][0], "1");
        assert!(c[1].join("|").contains('5'), "{c:?}");
        assert_eq!(c[2], ["2", "培训农民", "区人社局"]);
        assert!(matches!(&items[1], Item::Line(l) if l.text == "二、保障措施"));
    }

    #[test]
    fn rows_with_cells_apart_by_spaces() {
        let raw = [
            "示例市任务分解表",
            "序号 类别 主要任务 细化措施 牵头单位 参与单位",
            "1 节约用 水 严守用水红线 实施总量和强度双控行动。 市水利局 市发改委、市住建局等",
            "2  严守用水 效率控制 红线 落实用水效率评估体系。 市水利局 市发改委",
            "3   抓好工业节水。加快技术改造。 市工信委 市发改委",
            "二、保障措施",
        ];
        let (grid, next) = spaced_table(&raw, 1).unwrap();
        assert_eq!(next, 5);
        let c = cells(&Item::Grid(grid));
        assert_eq!(
            c[0],
            [
                "序号",
                "类别",
                "主要任务",
                "细化措施",
                "牵头单位",
                "参与单位"
            ]
        );
        assert_eq!(
            c[1],
            [
                "1",
                "节约用水",
                "严守用水红线",
                "实施总量和强度双控行动。",
                "市水利局",
                "市发改委、市住建局等"
            ]
        );
        assert_eq!(c[2][1], "");
        assert_eq!(c[2][2], "严守用水/效率控制红线");
        assert_eq!(c[2][4], "市水利局");
        assert_eq!(c[3][1..4], ["", "", "抓好工业节水。加快技术改造。"]);
        // Not a header of column names: no table.
        assert!(spaced_table(&["序号 是 文件的编号"], 0).is_none());
    }

    #[test]
    fn hostile_tables_stay_fast_and_lose_nothing() {
        let start = std::time::Instant::now();
        // A row of 200,000 pieces, a header of 10,000 words, 9,999 rows (the most a number cell holds).
        let wide = format!("1 {}", vec!["区某局"; 200_000].join(" "));
        let raw = ["序号 重点任务 牵头单位", wide.as_str()];
        let (grid, _) = spaced_table(&raw, 0).unwrap();
        let kept: usize = grid.rows[1]
            .iter()
            .map(|c| c.lines.join(" ").matches("区某局").count())
            .sum();
        assert_eq!(kept, 200_000, "no piece is lost");
        let header = format!("序号 {}", vec!["任务"; 10_000].join(" "));
        assert!(spaced_table(&[header.as_str(), "1 a b"], 0).is_none());
        let mut lines = vec!["序号".to_string(), "重点任务".into(), "责任单位".into()];
        for n in 1..=9_999 {
            lines.extend([n.to_string(), "开展示例检查工作。".into(), "区某局".into()]);
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let mut r = Report::default();
        let items = rebuild_lines(super::tests::lines(&refs), &mut r);
        match &items[0] {
            Item::Grid(g) => assert_eq!(g.rows.len(), 10_000),
            other => panic!("{other:?}"),
        }
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }

    #[test]
    fn prose_is_left_alone() {
        let mut r = Report::default();
        let text = ["序号是文件的编号。", "一、总体要求", "1", "加强领导。"];
        let items = rebuild_lines(lines(&text), &mut r);
        assert!(items.iter().all(|i| matches!(i, Item::Line(_))));
        assert_eq!(items.len(), text.len());
    }
}
