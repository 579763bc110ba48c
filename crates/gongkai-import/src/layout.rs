//! The physical layout of an extracted document: its lines, with spaces and pasted list markers
//! repaired, its tables (cells that Word exports start with a tab), and the lines that are page
//! furniture rather than text (rules, web page chrome, stray tables of page numbers).

use super::repair;
use super::report::Report;

pub use super::items::{Cell, Grid, GridCell, Item, Line, RawTable};

/// A line of only dashes or box-drawing rules (the lines of a 版记).
fn is_rule(s: &str) -> bool {
    s.chars().count() >= 4
        && s.chars()
            .all(|c| matches!(c, '—' | '─' | '━' | '-' | '_' | '=' | '＿'))
}

/// The header a government web page prints above an article: 来源 / 发布时间 / 字体.
pub fn is_web_chrome(s: &str) -> bool {
    s.contains("发布时间")
        && ["来源", "字体", "次数", "浏览", "点击", "打印"]
            .iter()
            .any(|k| s.contains(k))
}

/// A line of only table bars and rules (`||||`, `|---|---|`): the frame of a table copied as text.
fn is_bar_rule(s: &str) -> bool {
    s.contains('|') && s.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// A cell of a table copied one cell per line keeps its bar: `重点工作和要求 |`.
fn strip_cell_bar(s: &str) -> Option<&str> {
    let t = s.trim_end();
    let rest = t.strip_suffix('|')?;
    (!rest.trim_start().starts_with('|')).then(|| rest.trim_end())
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}' | '\u{a0}' | '\t')
}

/// Paragraphs a web copy ran together on one line, apart only by spaces: the line is split at
/// a space after a salutation's colon, before a numbering (一、 (一) 1. 1.1), 附件, a
/// responsibility notation or a date, and after a date.
pub fn split_run_together(line: &str) -> Vec<&str> {
    // A portal's metadata line (`索引号: … 文号: …`) is split by the metadata reader instead.
    if line.chars().count() < 60 || super::portal::fields(line).is_some() {
        return vec![line];
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let bytes_len = line.len();
    while i < bytes_len {
        let Some(c) = line[i..].chars().next() else {
            break;
        };
        if !is_space(c) {
            i += c.len_utf8();
            continue;
        }
        let run_end = line[i..]
            .char_indices()
            .find(|(_, x)| !is_space(*x))
            .map_or(bytes_len, |(k, _)| i + k);
        let before = line[start..i].trim_end();
        let after = &line[run_end..];
        // `- (一)……`: a list marker pasted in front of the line is not a paragraph.
        let marker_only = before.chars().all(|c| matches!(c, '-' | '•' | '·'));
        if before.is_empty() || after.is_empty() || marker_only {
            i = run_end;
            continue;
        }
        let prev = before.chars().next_back().unwrap_or(' ');
        let after_date = super::words::find_date(before)
            .is_some_and(|(_, r)| r.end == before.len() && before.len() - r.start <= 20);
        let next_starts = gongkai_zh::numbering::parse_marker(after).is_some()
            || section_number(after)
            || after.starts_with("附件")
            || ["责任单位", "牵头单位", "配合单位", "责任部门", "牵头部门"]
                .iter()
                .any(|k| after.starts_with(k))
            || super::words::find_date(after).is_some_and(|(_, r)| r.start == 0)
            || signature_follows(after);
        // A colon ends a salutation (`各科室,各站所,各村:`), not a short label.
        let colon = matches!(prev, '：' | ':') && before.chars().count() > 8;
        // A sentence's end alone is no break: `1、落实责任。 按照……` is one paragraph.
        if colon || after_date || next_starts {
            pieces.push(before);
            start = run_end;
        }
        i = run_end;
    }
    pieces.push(line[start..].trim());
    pieces.retain(|p| !p.is_empty());
    if pieces.len() < 2 {
        return vec![line];
    }
    pieces
}

/// Items a copy ran together without even a space: a line that starts with a number (`(一)`)
/// is split after each `。` that the next number in sequence follows (`……内容。(二)完善……`).
/// A line of text that a first and a second item follow (`……基础。(一)压紧……。(二)健全……`)
/// is split too.
pub fn split_sequence(line: &str) -> Vec<&str> {
    use gongkai_zh::numbering::parse_marker;
    let (first, start) = match parse_marker(line) {
        Some(m) => (m, 0),
        None => match first_item_after_text(line) {
            Some(found) => found,
            None => return vec![line],
        },
    };
    let (style, mut number) = (first.style, first.number);
    let mut pieces = Vec::new();
    if start > 0 {
        pieces.push(&line[..start]);
    }
    let mut start = start;
    let mut from = start;
    while let Some(k) = line[from..].find('。') {
        let stop = from + k + '。'.len_utf8();
        from = stop;
        // `……。(省发改委负责)(二)……`: the notation after the sentence stays with its item.
        let cut = stop + notation_after(&line[stop..]);
        let next = parse_marker(&line[cut..]);
        if next.is_some_and(|m| m.style == style && m.number == number + 1) {
            pieces.push(&line[start..cut]);
            start = cut;
            number += 1;
        }
    }
    pieces.push(&line[start..]);
    pieces
}

/// The length of a bracket right at the start of `s` that is no number (`（省发改委负责）`),
/// or 0.
fn notation_after(s: &str) -> usize {
    if !s.starts_with(['（', '(']) || gongkai_zh::numbering::parse_marker(s).is_some() {
        return 0;
    }
    let mut depth = 0;
    for (i, c) in s.char_indices().take(200) {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => {
                depth -= 1;
                if depth == 0 {
                    return i + c.len_utf8();
                }
            }
            _ => {}
        }
    }
    0
}

/// In a line that does not start with a number, the first item of a list run into it (after a
/// `。`, numbered 1, the second item following it in the same line), and where it starts.
fn first_item_after_text(line: &str) -> Option<(gongkai_zh::numbering::Marker, usize)> {
    use gongkai_zh::numbering::parse_marker;
    let cut = line
        .match_indices('。')
        .map(|(k, _)| k + '。'.len_utf8())
        .find(|&cut| parse_marker(&line[cut..]).is_some_and(|m| m.number == 1))?;
    let first = parse_marker(&line[cut..])?;
    let second = line[cut..].match_indices('。').any(|(k, _)| {
        parse_marker(&line[cut + k + '。'.len_utf8()..])
            .is_some_and(|m| m.style == first.style && m.number == 2)
    });
    second.then_some((first, cut))
}

/// `永嘉县人民政府 2021年12月28日 ……`: an organisation and a date, the signature of a notice.
fn signature_follows(s: &str) -> bool {
    let mut words = s.split(is_space).filter(|w| !w.is_empty());
    let (Some(org), Some(date)) = (words.next(), words.next()) else {
        return false;
    };
    super::words::is_org(org) && super::words::find_date(date).is_some_and(|(_, r)| r.start == 0)
}

/// `1.1目的依据`: the numbering of a section of a contingency plan (预案).
fn section_number(s: &str) -> bool {
    let d = s.bytes().take_while(u8::is_ascii_digit).count();
    d > 0
        && s[d..].starts_with('.')
        && s[d + 1..]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit())
}

/// A page number line such as `— 3 —` or `- 12 -`.
fn is_page_number(s: &str) -> bool {
    let t = s.trim_matches(|c: char| matches!(c, '-' | '—' | '–' | ' '));
    t != s && !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit())
}

/// A Markdown table row `| 306_3 | 2021 | 8 |` or its `|---|` rule, as PDF converters leave at
/// the top of a page.
fn is_pipe_row(s: &str) -> bool {
    // Also `序号 | 任务 | 责任单位`: a copy that keeps the bars between cells only.
    s.len() >= 3 && ((s.starts_with('|') && s.ends_with('|')) || s.matches('|').count() >= 2)
}

/// A pipe table that holds nothing but numbers and codes is page furniture, not plan text.
fn is_furniture_table(rows: &[&str]) -> bool {
    rows.iter().all(|r| {
        r.split('|').all(|c| {
            c.trim()
                .chars()
                .all(|ch| ch.is_ascii_digit() || matches!(ch, '_' | '-' | ':' | '.' | '/'))
        })
    })
}

/// One physical line as items: a rule or page number left out; paragraphs a copy ran together
/// split again; a cell bar removed; spaces and list markers repaired.
fn line_items(items: &mut Vec<Item>, line: &Line, report: &mut Report) {
    let (no, trimmed) = (line.no, line.text.trim());
    if trimmed.is_empty() {
        return;
    }
    if is_rule(trimmed) || is_bar_rule(trimmed) {
        report.drop_lines(no, no, gongkai_i18n::tr!("import.dropped.rule"));
        return;
    }
    if is_page_number(trimmed) {
        report.drop_lines(no, no, gongkai_i18n::tr!("import.dropped.page_number"));
        return;
    }
    let mut pieces: Vec<&str> = Vec::new();
    for p in split_run_together(trimmed) {
        pieces.extend(split_sequence(p));
    }
    if pieces.len() > 1 {
        report.repairs.split_lines += 1;
    }
    for piece in pieces {
        let piece = match strip_cell_bar(piece) {
            Some(p) => {
                report.repairs.cell_bars += 1;
                p
            }
            None => piece,
        };
        let text = repair_line(piece, report);
        if !text.is_empty() {
            items.push(Item::Line(Line {
                no,
                text,
                ..line.clone()
            }));
        }
    }
}

/// The same line repairs for lines read from a Word file or a web page: a document pasted
/// into Word or a portal's editor from a copy carries the same damage as a text export.
pub fn repair_items(items: Vec<Item>, report: &mut Report) -> Vec<Item> {
    let mut out = Vec::with_capacity(items.len());
    let mut items = items.into_iter().peekable();
    while let Some(it) = items.next() {
        match it {
            // A task table whose cells are apart by spaces, read before spaces are repaired.
            Item::Line(l) if l.text.trim_start().starts_with(['序', '编']) => {
                let mut run = vec![l];
                while let Some(Item::Line(_)) = items.peek() {
                    if let Some(Item::Line(n)) = items.next() {
                        run.push(n);
                    }
                }
                out.extend(spaced_run(run, report));
            }
            Item::Line(l) => line_items(&mut out, &l, report),
            other => out.push(other),
        }
    }
    out
}

/// A run of lines that may hold task tables whose cells are apart by spaces: each table as a
/// grid, the other lines repaired.
fn spaced_run(run: Vec<Line>, report: &mut Report) -> Vec<Item> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < run.len() {
        if run[i].text.trim_start().starts_with(['序', '编'])
            && let Some((grid, used)) = super::textgrid::spaced_lines(&run[i..])
        {
            out.push(Item::Grid(grid));
            i += used.max(1);
            continue;
        }
        line_items(&mut out, &run[i], report);
        i += 1;
    }
    out
}

/// Splits the text into lines and tables, repairing lines as it goes.
pub fn lay_out(text: &str, report: &mut Report) -> Vec<Item> {
    let raw: Vec<&str> = text.split('\n').collect();
    let mut items = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let no = i + 1;
        let line = raw[i];
        if line.starts_with('\t') {
            let (table, next) = read_table(&raw, i, report);
            items.push(Item::Table(table));
            i = next;
            continue;
        }
        let trimmed = line.trim();
        // A task table whose rows are lines and cells are apart by spaces: read before the
        // spaces inside Chinese text are repaired.
        if let Some((grid, next)) = super::textgrid::spaced_table(&raw, i) {
            items.push(Item::Grid(grid));
            i = next;
            continue;
        }
        if is_pipe_row(trimmed) {
            let start = i;
            while i < raw.len() && is_pipe_row(raw[i].trim()) {
                i += 1;
            }
            let rows: Vec<&str> = raw[start..i].iter().map(|r| r.trim()).collect();
            // A portal's metadata block copied as a table (`| 索引号 | … | 发文日期 | 2022-07-14 |`)
            // is lines, for the metadata reader; a table may follow it at once.
            let unbar = |r: &str| r.trim_start_matches('|').trim().to_string();
            let bare_bar = |r: &str| {
                r.trim_matches(|c: char| c == '|' || c.is_whitespace())
                    .is_empty()
            };
            let meta_rows = rows
                .iter()
                .take_while(|r| bare_bar(r) || super::portal::fields(&unbar(r)).is_some())
                .count();
            let meta_rows = if rows[..meta_rows].iter().all(|r| bare_bar(r)) {
                0
            } else {
                meta_rows
            };
            for (k, r) in rows[..meta_rows].iter().enumerate() {
                if !bare_bar(r) {
                    items.push(Item::Line(Line::new(start + k + 1, unbar(r))));
                }
            }
            let (start, rows) = (start + meta_rows, &rows[meta_rows..]);
            if rows.is_empty() {
                continue;
            }
            if is_furniture_table(rows) {
                report.drop_lines(start + 1, i, gongkai_i18n::tr!("import.dropped.page_table"));
            } else {
                items.push(Item::Grid(pipe_grid(start + 1, rows, report)));
            }
            continue;
        }
        i += 1;
        if trimmed.is_empty() {
            continue;
        }
        line_items(&mut items, &Line::new(no, trimmed), report);
    }
    items
}

pub fn repair_line(text: &str, report: &mut Report) -> String {
    let text = match repair::strip_list_marker(text) {
        Some(rest) => {
            report.repairs.list_markers += 1;
            rest
        }
        None => text,
    };
    let (text, n) = repair::drop_cjk_spaces(text.trim());
    report.repairs.cjk_spaces += n;
    text
}

/// A table written as `| a | b |` rows: cells split at unescaped bars, the `|---|` rule left out.
fn pipe_grid(no: usize, rows: &[&str], report: &mut Report) -> Grid {
    let mut grid = Grid {
        no,
        rows: Vec::new(),
        ..Grid::default()
    };
    for r in rows {
        let inner = r.trim().trim_start_matches('|').trim_end_matches('|');
        let cells: Vec<&str> = inner.split('|').collect();
        if cells.iter().all(|c| {
            !c.trim().is_empty() && c.trim().chars().all(|ch| matches!(ch, '-' | ':' | ' '))
        }) {
            continue;
        }
        grid.rows.push(
            cells
                .iter()
                .map(|c| {
                    let text = repair_line(c, report);
                    GridCell {
                        lines: if text.is_empty() { vec![] } else { vec![text] },
                        span: 1,
                        merged: false,
                    }
                })
                .collect(),
        );
    }
    grid
}

/// Reads a tab-cell table starting at `start`: a tab starts a cell, a line without one goes on
/// the cell before it, and the table ends at a line without a tab after an empty line.
fn read_table(raw: &[&str], start: usize, report: &mut Report) -> (RawTable, usize) {
    let mut cells: Vec<Cell> = Vec::new();
    let mut i = start;
    let mut after_blank = false;
    while i < raw.len() {
        let line = raw[i];
        if let Some(cell) = line.strip_prefix('\t') {
            let text = repair_line(cell, report);
            cells.push(if text.is_empty() { vec![] } else { vec![text] });
            after_blank = false;
        } else if line.trim().is_empty() {
            after_blank = true;
        } else if after_blank {
            break;
        } else {
            let text = repair_line(line, report);
            if let Some(last) = cells.last_mut() {
                last.push(text);
            }
        }
        i += 1;
    }
    (
        RawTable {
            no: start + 1,
            cells,
        },
        i,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_between_cells_only_and_a_metadata_block_before_the_table() {
        let mut r = Report::default();
        let items = lay_out(
            "索引号 | 000001/2022-1 | 公开方式 | 主动公开 |\n序号 | 实事项目 | 责任单位 |\n1 | 新建学校 | 区教育局 |\n",
            &mut r,
        );
        assert!(matches!(&items[0], Item::Line(l) if l.text.starts_with("索引号")));
        match &items[1] {
            Item::Grid(g) => assert_eq!(g.rows.len(), 2),
            other => panic!("not a grid: {other:?}"),
        }
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn items_run_together_without_a_space_are_split_in_sequence() {
        assert_eq!(
            split_sequence("(一)推动落实。抓好解读。(二)完善机制。推动调整。(四)不在序列。"),
            [
                "(一)推动落实。抓好解读。",
                "(二)完善机制。推动调整。(四)不在序列。"
            ]
        );
        assert_eq!(
            split_sequence("1.完成2.5亿元。2.5亿元用于"),
            ["1.完成2.5亿元。2.5亿元用于"]
        );
        assert_eq!(split_sequence("没有编号。(二)完善"), ["没有编号。(二)完善"]);
        // A list run into the text before it, from its first item on.
        assert_eq!(
            split_sequence("总体要求在此。(一)压紧责任。(二)健全机制。"),
            ["总体要求在此。", "(一)压紧责任。", "(二)健全机制。"]
        );
        // A notation after the sentence stays with its item.
        assert_eq!(
            split_sequence("(一)增长11%。(区发改委负责)(二)增长13%。(区财政局主办,区税务局协办)"),
            [
                "(一)增长11%。(区发改委负责)",
                "(二)增长13%。(区财政局主办,区税务局协办)"
            ]
        );
        // One numbered item in a paragraph is not a list.
        assert_eq!(
            split_sequence("总体要求在此。(一)压紧责任。"),
            ["总体要求在此。(一)压紧责任。"]
        );
    }

    #[test]
    fn tables_rules_and_furniture() {
        let text = "| 306_3 | 2021 | 8 |\n|---|---|---|\n\n标题\n————————\n\t序号\n\t名称\n\n\t1\n\t区建筑施工安全专业\n委员会成员单位\n\n\n正文。";
        let mut r = Report::default();
        let items = lay_out(text, &mut r);
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].line().unwrap().text, "标题");
        match &items[1] {
            Item::Table(t) => {
                assert_eq!(t.cells.len(), 4);
                assert_eq!(t.cells[3], ["区建筑施工安全专业", "委员会成员单位"]);
            }
            _ => panic!("expected a table"),
        }
        assert_eq!(items[2].line().unwrap().no, 14);
        assert_eq!(r.dropped.len(), 2);
    }

    #[test]
    fn lines_run_together_by_a_web_copy_are_split() {
        let line = "各科室,各站所,各村: 为提高能力,制定本预案,现印发给你们。 附件:示例镇应急预案 示例镇人民政府 2020年10月22日 示例镇应急预案 1.总则 1.1目的依据 提高政府保障公共安全的能力。";
        assert_eq!(
            split_run_together(line),
            [
                "各科室,各站所,各村:",
                "为提高能力,制定本预案,现印发给你们。",
                "附件:示例镇应急预案",
                "示例镇人民政府",
                "2020年10月22日",
                "示例镇应急预案",
                "1.总则",
                "1.1目的依据 提高政府保障公共安全的能力。"
            ]
        );
        // A sentence's end alone is no paragraph break.
        let one = "1 、严格落实党政领导责任。 按照“党政同责、一岗双责、齐抓共管、失职追责”要求，统筹同步推进安全生产工作，加强问题调研和对策研究。";
        assert_eq!(split_run_together(one), [one]);
        let listed = "- (一)推进新体系和新机制出台。协调推进新调整的安全生产委员会组织领导机构和相关专业委员会相关文件出台。";
        assert_eq!(split_run_together(listed), [listed]);
        // Spaces inside a short line, or between words, are left to the space repair.
        assert_eq!(split_run_together("浦东新 区落实"), ["浦东新 区落实"]);
        assert_eq!(strip_cell_bar("重点工作和要求 |"), Some("重点工作和要求"));
        assert!(is_bar_rule("||||"));
    }
}
