//! A Word file (.docx, Office Open XML) read from its structure with zip and quick-xml:
//! paragraphs with their style's outline level (标题 1 → 一级), Word's automatic numbering made
//! visible again (the `一、` or `1.` that `numbering.xml` draws, not the text), tables with their
//! real rows and cells (`gridSpan`, `vMerge` merged cells, line breaks inside a cell), and red
//! text (the 版头). What comes out is the same lines and tables plain text gives, so the rest of
//! the import treats every format alike.

use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;

use super::layout::{Grid, GridCell, Item, Line};
use super::report::Report;
use crate::error::DocumentError;
use gongkai_i18n::tr;

use gongkai_site::limits::{self, XmlDepth, ZipBudget};

/// One part of the file as text, read through the zip budget (a part over it is an error, never
/// cut); `Ok(None)` when the file has no such part or it is damaged or not UTF-8.
fn part(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    budget: &mut ZipBudget,
    name: &str,
) -> Result<Option<String>, DocumentError> {
    Ok(budget
        .read_name(zip, name)
        .map_err(DocumentError::Exceeded)?
        .and_then(|b| String::from_utf8(b).ok()))
}

/// One level of a numbering definition.
#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

#[derive(Debug, Default)]
struct Numbering {
    /// abstractNumId → levels by ilvl.
    abstracts: HashMap<String, HashMap<u8, Level>>,
    /// numId → (abstractNumId, start overrides by ilvl).
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
}

#[derive(Debug, Default, Clone)]
struct Style {
    based_on: Option<String>,
    num: Option<(String, u8)>,
    outline: Option<u8>,
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key: &str = a.key.as_ref();
        let local = key.rsplit(':').next().unwrap_or(key);
        (local == name)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

fn local(e: &BytesStart) -> String {
    let n = e.local_name();
    let s: &str = n.as_ref();
    s.to_string()
}

fn local_end(e: &quick_xml::events::BytesEnd) -> String {
    let n = e.local_name();
    let s: &str = n.as_ref();
    s.to_string()
}

/// A start value as Word stores it, clamped to [`limits::NUMBERING_START`]; a clamped one is
/// noted in `clamped` for the report.
fn start_value(v: &str, clamped: &mut Vec<String>) -> Option<u32> {
    let n: u64 = v.trim().parse().ok()?;
    if n > u64::from(limits::NUMBERING_START) {
        clamped.push(v.trim().to_string());
        return Some(limits::NUMBERING_START);
    }
    u32::try_from(n).ok()
}

/// `numbering.xml`: its definitions, and the start values that were clamped. Definitions,
/// level texts and nesting past their limits are errors.
fn parse_numbering(xml: &str) -> Result<(Numbering, Vec<String>), DocumentError> {
    const PART: &str = "word/numbering.xml";
    let mut n = Numbering::default();
    let mut clamped = Vec::new();
    let mut depth = XmlDepth::default();
    let mut definitions = 0usize;
    let mut r = quick_xml::Reader::from_str(xml);
    let mut abs: Option<String> = None;
    let mut lvl: Option<u8> = None;
    let mut num: Option<String> = None;
    let mut override_lvl: Option<u8> = None;
    loop {
        let (e, empty) = match r.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                depth.close();
                match local_end(&e).as_str() {
                    "abstractNum" => abs = None,
                    "lvl" => lvl = None,
                    "num" => num = None,
                    "lvlOverride" => override_lvl = None,
                    _ => {}
                }
                continue;
            }
            Ok(Event::DocType(_)) => return Err(DocumentError::Limit(limits::doctype_error(PART))),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        if !empty {
            depth.open(PART).map_err(DocumentError::Exceeded)?;
        }
        let name = local(&e);
        if matches!(name.as_str(), "abstractNum" | "num") {
            definitions += 1;
            if definitions > limits::NUMBERING_DEFINITIONS {
                return Err(DocumentError::Limit(tr!(
                    "limits.numbering_definitions",
                    limit = limits::NUMBERING_DEFINITIONS
                )));
            }
        }
        match name.as_str() {
            "abstractNum" if !empty => abs = attr(&e, "abstractNumId"),
            // Word has nine levels (0–8); a paragraph's level is read as at most 8, so others
            // are never shown.
            "lvl" if !empty => {
                lvl = attr(&e, "ilvl")
                    .and_then(|v| v.parse().ok())
                    .filter(|l| *l <= 8)
            }
            "num" if !empty => {
                num = attr(&e, "numId");
                if let Some(id) = &num {
                    n.nums.entry(id.clone()).or_default();
                }
            }
            "abstractNumId" => {
                if let (Some(id), Some(v)) = (&num, attr(&e, "val")) {
                    n.nums.entry(id.clone()).or_default().0 = v;
                }
            }
            "lvlOverride" if !empty => override_lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok()),
            "startOverride" => {
                if let (Some(id), Some(l), Some(v)) = (&num, override_lvl, attr(&e, "val"))
                    && let Some(v) = start_value(&v, &mut clamped)
                {
                    n.nums.entry(id.clone()).or_default().1.insert(l, v);
                }
            }
            "start" | "numFmt" | "lvlText" => {
                if let (Some(a), Some(l), Some(v)) = (&abs, lvl, attr(&e, "val")) {
                    let chars = v.chars().count();
                    if name != "start" && chars > limits::NUMBERING_TEXT_CHARS {
                        return Err(DocumentError::Limit(tr!(
                            "limits.numbering_text",
                            count = chars,
                            limit = limits::NUMBERING_TEXT_CHARS
                        )));
                    }
                    let level = n
                        .abstracts
                        .entry(a.clone())
                        .or_default()
                        .entry(l)
                        .or_default();
                    match name.as_str() {
                        "start" => level.start = start_value(&v, &mut clamped).unwrap_or(1),
                        "numFmt" => level.format = v,
                        _ => level.text = v,
                    }
                }
            }
            _ => {}
        }
    }
    Ok((n, clamped))
}

fn parse_styles(xml: &str) -> Result<HashMap<String, Style>, DocumentError> {
    const PART: &str = "word/styles.xml";
    let mut depth = XmlDepth::default();
    let mut styles = HashMap::new();
    let mut r = quick_xml::Reader::from_str(xml);
    let mut cur: Option<(String, Style)> = None;
    let mut num_id: Option<String> = None;
    let mut ilvl = 0u8;
    loop {
        let (e, empty) = match r.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                depth.close();
                if local_end(&e) == "style"
                    && let Some((id, s)) = cur.take()
                {
                    styles.insert(id, s);
                }
                if local_end(&e) == "numPr"
                    && let (Some((_, s)), Some(n)) = (&mut cur, num_id.take())
                {
                    s.num = Some((n, ilvl));
                    ilvl = 0;
                }
                continue;
            }
            Ok(Event::DocType(_)) => return Err(DocumentError::Limit(limits::doctype_error(PART))),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        if !empty {
            depth.open(PART).map_err(DocumentError::Exceeded)?;
        }
        match local(&e).as_str() {
            "style" if !empty => {
                cur = attr(&e, "styleId").map(|id| (id, Style::default()));
            }
            "basedOn" => {
                if let Some((_, s)) = &mut cur {
                    s.based_on = attr(&e, "val");
                }
            }
            "name" => {
                // Built-in heading styles: "heading 1" … "heading 9".
                if let (Some((_, s)), Some(v)) = (&mut cur, attr(&e, "val"))
                    && let Some(n) = v.to_ascii_lowercase().strip_prefix("heading ")
                    && let Ok(n) = n.trim().parse::<u8>()
                {
                    s.outline.get_or_insert(n.saturating_sub(1));
                }
            }
            "outlineLvl" => {
                if let (Some((_, s)), Some(v)) = (&mut cur, attr(&e, "val")) {
                    s.outline = v.parse().ok();
                }
            }
            "numId" => num_id = attr(&e, "val"),
            "ilvl" => ilvl = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(0),
            _ => {}
        }
    }
    Ok(styles)
}

/// A number in one of Word's numbering formats.
fn format_number(n: u32, format: &str) -> String {
    const CN: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let chinese = |n: u32| -> String {
        match n {
            0..=9 => CN[n as usize].to_string(),
            10..=19 => format!("十{}", if n > 10 { CN[(n - 10) as usize] } else { "" }),
            20..=99 => format!(
                "{}十{}",
                CN[(n / 10) as usize],
                if !n.is_multiple_of(10) {
                    CN[(n % 10) as usize]
                } else {
                    ""
                }
            ),
            _ => n.to_string(),
        }
    };
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "ideographDigital"
        | "chineseLegalSimplified"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => chinese(n),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or(n.to_string(), String::from)
        }
        "ideographTraditional" if (1..=10).contains(&n) => {
            ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"][(n - 1) as usize].into()
        }
        "lowerLetter" if (1..=26).contains(&n) => char::from(b'a' + (n - 1) as u8).to_string(),
        "upperLetter" if (1..=26).contains(&n) => char::from(b'A' + (n - 1) as u8).to_string(),
        // Roman numerals stop at 3999 (MMMCMXCIX); past it Word counts in digits.
        "lowerRoman" | "upperRoman" if (1..=3999).contains(&n) => {
            let mut s = String::new();
            let mut v = n;
            for (value, numeral) in [
                (1000, "m"),
                (900, "cm"),
                (500, "d"),
                (400, "cd"),
                (100, "c"),
                (90, "xc"),
                (50, "l"),
                (40, "xl"),
                (10, "x"),
                (9, "ix"),
                (5, "v"),
                (4, "iv"),
                (1, "i"),
            ] {
                while v >= value {
                    s.push_str(numeral);
                    v -= value;
                }
            }
            if format == "upperRoman" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "none" | "bullet" => String::new(),
        _ => n.to_string(),
    }
}

/// Counts numbered paragraphs as Word does: per abstract numbering, a level's counter restarting
/// whenever a level above it moves on.
#[derive(Default)]
struct Counters {
    counts: HashMap<String, [u32; 9]>,
    started: HashMap<String, bool>,
}

impl Counters {
    fn label(&mut self, n: &Numbering, num_id: &str, ilvl: u8) -> Option<String> {
        let (abs_id, overrides) = n.nums.get(num_id)?;
        let levels = n.abstracts.get(abs_id)?;
        let ilvl = usize::from(ilvl.min(8));
        let level = levels.get(&(ilvl as u8))?;
        if level.format == "bullet" || level.format == "none" {
            return None;
        }
        let key = abs_id.clone();
        let counts = self.counts.entry(key.clone()).or_insert([0; 9]);
        // A numId with a start override starts again where it is first used.
        let first_use = !self.started.contains_key(num_id);
        if first_use {
            self.started.insert(num_id.to_string(), true);
            for (l, v) in overrides {
                let l = usize::from((*l).min(8));
                counts[l] = v.saturating_sub(1);
            }
        }
        let start = |l: usize| levels.get(&(l as u8)).map_or(1, |x| x.start);
        if counts[ilvl] == 0 && !overrides.contains_key(&(ilvl as u8)) {
            counts[ilvl] = start(ilvl).saturating_sub(1);
        }
        counts[ilvl] = counts[ilvl].saturating_add(1);
        for c in counts.iter_mut().skip(ilvl + 1) {
            *c = 0;
        }
        let mut text = level.text.clone();
        for l in (0..=ilvl).rev() {
            let pat = format!("%{}", l + 1);
            if text.contains(&pat) {
                let fmt = levels
                    .get(&(l as u8))
                    .map_or("decimal", |x| x.format.as_str());
                let value = if counts[l] == 0 { start(l) } else { counts[l] };
                // A lower level shown inside a higher one's label ("%1.%2") in legal style.
                text = text.replace(&pat, &format_number(value, fmt));
            }
        }
        Some(text)
    }
}

/// A paragraph being read.
#[derive(Default)]
struct Para {
    lines: Vec<String>,
    style: Option<String>,
    num: Option<(String, u8)>,
    outline: Option<u8>,
    red: bool,
    any_text: bool,
    all_red: bool,
}

impl Para {
    fn push(&mut self, s: &str) {
        if self.lines.is_empty() {
            self.lines.push(String::new());
        }
        if let Some(l) = self.lines.last_mut() {
            l.push_str(s);
        }
    }
    fn line_break(&mut self) {
        self.lines.push(String::new());
    }
}

/// A table cell being read.
#[derive(Default)]
struct CellBuild {
    lines: Vec<String>,
    span: usize,
    merged: bool,
}

struct Reader<'a> {
    numbering: &'a Numbering,
    styles: &'a HashMap<String, Style>,
    counters: Counters,
    items: Vec<Item>,
    no: usize,
    /// Tables being read, innermost last: rows of cells.
    tables: Vec<Vec<Vec<CellBuild>>>,
    paras: Vec<Para>,
    /// Run properties: inside `w:rPr` and its colour.
    run_red: bool,
    in_run: bool,
    /// Inside `w:t`: only there is character data text.
    in_t: bool,
    skip_depth: usize,
    numbered: usize,
    merged: usize,
    /// Bytes of text in the tables so far, merged cells' copies included; past the limit the
    /// document is refused.
    table_text: usize,
}

impl Reader<'_> {
    fn style_chain(&self, id: Option<&str>) -> (Option<(String, u8)>, Option<u8>) {
        let mut num = None;
        let mut outline = None;
        let mut cur = id.map(str::to_string);
        for _ in 0..16 {
            let Some(s) = cur.as_ref().and_then(|i| self.styles.get(i)) else {
                break;
            };
            if num.is_none() {
                num = s.num.clone();
            }
            if outline.is_none() {
                outline = s.outline;
            }
            cur = s.based_on.clone();
        }
        (num, outline)
    }

    fn end_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else { return };
        let (style_num, style_outline) = self.style_chain(p.style.as_deref());
        let num = p.num.clone().or(style_num);
        let outline = p.outline.or(style_outline).filter(|l| *l < 9);
        let mut lines: Vec<String> = p.lines.iter().map(|l| l.trim().to_string()).collect();
        let has_text = lines.iter().any(|l| !l.is_empty());
        if let Some((id, ilvl)) = num.filter(|(id, _)| id != "0")
            && has_text
            && let Some(label) = self.counters.label(self.numbering, &id, ilvl)
            && let Some(first) = lines.iter_mut().find(|l| !l.is_empty())
        {
            *first = format!("{label}{first}");
            self.numbered += 1;
        }
        let red = p.red && p.all_red;
        if let Some(cell) = self
            .tables
            .last_mut()
            .and_then(|t| t.last_mut())
            .and_then(|r| r.last_mut())
        {
            cell.lines
                .extend(lines.into_iter().filter(|l| !l.is_empty()));
            return;
        }
        if let Some(outer) = self.paras.last_mut() {
            // A paragraph inside a text box: its text joins the paragraph around it.
            for l in lines.into_iter().filter(|l| !l.is_empty()) {
                outer.line_break();
                outer.push(&l);
            }
            return;
        }
        self.no += 1;
        for l in lines.into_iter().filter(|l| !l.is_empty()) {
            self.items.push(Item::Line(Line {
                no: self.no,
                text: l,
                outline,
                red,
            }));
        }
    }

    fn end_table(&mut self) {
        let Some(rows) = self.tables.pop() else {
            return;
        };
        // Fill merged cells with the text of the cell they continue, column by column.
        let mut grid_rows: Vec<Vec<GridCell>> = Vec::new();
        for row in rows {
            let mut out = Vec::new();
            let mut col = 0;
            for c in row {
                let span = c.span.max(1);
                let mut lines = c.lines;
                if c.merged {
                    self.merged += 1;
                    let above = grid_rows.last().and_then(|r: &Vec<GridCell>| {
                        let mut at = 0;
                        r.iter()
                            .find(|x| {
                                let hit = at == col;
                                at += x.span.max(1);
                                hit
                            })
                            .map(|x| x.lines.clone())
                    });
                    lines = above.unwrap_or_default();
                }
                self.table_text += lines.iter().map(String::len).sum::<usize>();
                if self.table_text > limits::IMPORT_MAX_TABLE_TEXT_BYTES {
                    // Stop copying: the caller refuses the document.
                    lines = Vec::new();
                }
                out.push(GridCell {
                    lines,
                    span,
                    merged: c.merged,
                });
                col += span;
            }
            grid_rows.push(out);
        }
        if let Some(outer) = self.tables.last_mut() {
            // A table inside a cell: its text goes into that cell, row by row.
            if let Some(cell) = outer.last_mut().and_then(|r| r.last_mut()) {
                for r in grid_rows {
                    let text: Vec<String> = r.into_iter().map(|c| c.lines.join(" ")).collect();
                    cell.lines.push(text.join(" "));
                }
            }
            return;
        }
        self.no += 1;
        self.items.push(Item::Grid(Grid {
            no: self.no,
            rows: grid_rows,
            ..Grid::default()
        }));
    }

    fn start(&mut self, e: &BytesStart, empty: bool) {
        let name = local(e);
        match name.as_str() {
            "p" if !empty => self.paras.push(Para {
                all_red: true,
                ..Para::default()
            }),
            "pStyle" => {
                if let Some(p) = self.paras.last_mut() {
                    p.style = attr(e, "val");
                }
            }
            "numId" => {
                if let Some(p) = self.paras.last_mut() {
                    let ilvl = p.num.as_ref().map_or(0, |n| n.1);
                    p.num = attr(e, "val").map(|v| (v, ilvl));
                }
            }
            "ilvl" => {
                if let Some(p) = self.paras.last_mut() {
                    let ilvl = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                    let id = p.num.as_ref().map_or_else(String::new, |n| n.0.clone());
                    p.num = Some((id, ilvl));
                }
            }
            "outlineLvl" => {
                if let Some(p) = self.paras.last_mut() {
                    p.outline = attr(e, "val").and_then(|v| v.parse().ok());
                }
            }
            "t" if !empty => self.in_t = true,
            "r" if !empty => {
                self.in_run = true;
                self.run_red = false;
            }
            "color" if self.in_run => {
                self.run_red = attr(e, "val").is_some_and(|v| is_red(&v));
            }
            "tab" if self.in_run => {
                if let Some(p) = self.paras.last_mut() {
                    p.push(" ");
                }
            }
            "br" | "cr" if self.in_run => {
                if let Some(p) = self.paras.last_mut() {
                    p.line_break();
                }
            }
            "tbl" if !empty => self.tables.push(Vec::new()),
            "tr" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.push(Vec::new());
                }
            }
            "tc" if !empty => {
                if let Some(r) = self.tables.last_mut().and_then(|t| t.last_mut()) {
                    r.push(CellBuild {
                        span: 1,
                        ..CellBuild::default()
                    });
                }
            }
            "gridSpan" => {
                if let Some(c) = self
                    .tables
                    .last_mut()
                    .and_then(|t| t.last_mut())
                    .and_then(|r| r.last_mut())
                {
                    c.span = attr(e, "val")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, 64);
                }
            }
            "vMerge" => {
                // `<w:vMerge/>` or val="continue" continues the cell above; "restart" starts one.
                let restart = attr(e, "val").is_some_and(|v| v == "restart");
                if let Some(c) = self
                    .tables
                    .last_mut()
                    .and_then(|t| t.last_mut())
                    .and_then(|r| r.last_mut())
                {
                    c.merged = !restart;
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "p" => self.end_paragraph(),
            "r" => self.in_run = false,
            "t" => self.in_t = false,
            "tbl" => self.end_table(),
            _ => {}
        }
    }

    fn text(&mut self, s: &str) {
        if let Some(p) = self.paras.last_mut() {
            p.push(s);
            if !s.trim().is_empty() {
                p.any_text = true;
                p.red |= self.run_red;
                p.all_red &= self.run_red;
            }
        }
    }
}

/// Red as the 版头 is printed: FF0000 and the reds near it.
fn is_red(hex: &str) -> bool {
    if hex.len() != 6 {
        return false;
    }
    let c = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
    let (r, g, b) = (c(0), c(2), c(4));
    r >= 0xC0 && g <= 0x40 && b <= 0x40
}

fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// Reads the paragraphs and tables of a .docx file.
pub fn read(bytes: &[u8], report: &mut Report) -> Result<Vec<Item>, DocumentError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| DocumentError::Docx(e.to_string()))?;
    limits::check_entries(zip.len()).map_err(DocumentError::Exceeded)?;
    let mut budget = ZipBudget::default();
    let document = part(&mut zip, &mut budget, DOCUMENT)?
        .ok_or_else(|| DocumentError::Docx(DOCUMENT.into()))?;
    let (numbering, clamped) = match part(&mut zip, &mut budget, "word/numbering.xml")? {
        Some(x) => parse_numbering(&x)?,
        None => Default::default(),
    };
    for v in clamped {
        report.notes.push(tr!(
            "limits.numbering_start",
            value = v,
            limit = limits::NUMBERING_START
        ));
    }
    let styles = match part(&mut zip, &mut budget, "word/styles.xml")? {
        Some(x) => parse_styles(&x)?,
        None => HashMap::new(),
    };
    let mut rd = Reader {
        numbering: &numbering,
        styles: &styles,
        counters: Counters::default(),
        items: Vec::new(),
        no: 0,
        tables: Vec::new(),
        paras: Vec::new(),
        run_red: false,
        in_run: false,
        in_t: false,
        skip_depth: 0,
        numbered: 0,
        merged: 0,
        table_text: 0,
    };
    rd.read_document(&document)?;
    if rd.numbered > 0 {
        report
            .notes
            .push(tr!("import.note.docx_numbering", count = rd.numbered));
    }
    if rd.merged > 0 {
        report
            .notes
            .push(tr!("import.note.merged_cells", count = rd.merged));
    }
    Ok(rd.items)
}

/// The part of a .docx that holds its text.
const DOCUMENT: &str = "word/document.xml";

impl Reader<'_> {
    /// Reads `document.xml`'s events into paragraphs and tables.
    fn read_document(&mut self, document: &str) -> Result<(), DocumentError> {
        let mut depth = XmlDepth::default();
        let mut xml = quick_xml::Reader::from_str(document);
        loop {
            match xml.read_event() {
                Ok(Event::Start(e)) => {
                    depth.open(DOCUMENT).map_err(DocumentError::Exceeded)?;
                    let name = local(&e);
                    // Deleted text, field codes and the fallback copy of a text box are not text.
                    if self.skip_depth > 0
                        || matches!(name.as_str(), "del" | "instrText" | "Fallback" | "delText")
                    {
                        self.skip_depth += 1;
                        continue;
                    }
                    self.start(&e, false);
                }
                Ok(Event::Empty(e)) => {
                    if self.skip_depth == 0 {
                        self.start(&e, true);
                    }
                }
                Ok(Event::End(e)) => {
                    depth.close();
                    if self.skip_depth > 0 {
                        self.skip_depth -= 1;
                        continue;
                    }
                    self.end(&local_end(&e));
                    if self.table_text > limits::IMPORT_MAX_TABLE_TEXT_BYTES {
                        return Err(DocumentError::Limit(tr!(
                            "limits.table_text",
                            limit = limits::mib(limits::IMPORT_MAX_TABLE_TEXT_BYTES as u64)
                        )));
                    }
                }
                Ok(Event::Text(t)) => {
                    if self.skip_depth == 0 && self.in_t {
                        let s = t.xml10_content();
                        self.text(&s);
                    }
                }
                Ok(Event::CData(t)) => {
                    if self.skip_depth == 0 && self.in_t {
                        let s: &str = t.as_ref();
                        let s = s.to_string();
                        self.text(&s);
                    }
                }
                Ok(Event::GeneralRef(r)) => {
                    if self.skip_depth == 0 && self.in_t {
                        let name = r.xml10_content();
                        let c = r
                            .resolve_char_ref()
                            .ok()
                            .flatten()
                            .or_else(|| entity(&name));
                        if let Some(c) = c {
                            self.text(&c.to_string());
                        }
                    }
                }
                Ok(Event::DocType(_)) => {
                    return Err(DocumentError::Limit(limits::doctype_error(DOCUMENT)));
                }
                Ok(Event::Eof) => return Ok(()),
                Err(e) => return Err(DocumentError::Docx(e.to_string())),
                Ok(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_number_formats() {
        assert_eq!(format_number(1, "chineseCounting"), "一");
        assert_eq!(format_number(12, "chineseCountingThousand"), "十二");
        assert_eq!(format_number(21, "chineseCounting"), "二十一");
        assert_eq!(format_number(3, "decimal"), "3");
        assert_eq!(format_number(5, "decimalFullWidth"), "５");
        assert_eq!(format_number(2, "decimalEnclosedCircle"), "②");
        assert_eq!(format_number(4, "upperRoman"), "IV");
    }

    #[test]
    fn numbering_counts_per_level_and_restarts_below() {
        let xml = r#"<w:numbering xmlns:w="w">
          <w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
          </w:abstractNum>
          <w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>
        </w:numbering>"#;
        let (n, _) = parse_numbering(xml).unwrap();
        let mut c = Counters::default();
        let labels: Vec<String> = [(0, 0), (1, 0), (1, 0), (0, 0), (1, 0)]
            .iter()
            .map(|&(l, _)| c.label(&n, "3", l).unwrap())
            .collect();
        assert_eq!(labels, ["一、", "1.", "2.", "二、", "1."]);
    }
}
