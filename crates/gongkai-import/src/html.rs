//! A page saved from a government portal, parsed with scraper (html5ever): the 信息公开 metadata
//! block read into fields, the article body found and turned into lines and tables (with
//! `colspan`/`rowspan` kept), everything else — navigation, breadcrumbs, share bars, footers,
//! scripts — left out.

use std::collections::VecDeque;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use rustc_hash::{FxHashMap, FxHashSet};
use scraper::{ElementRef, Html, Node, Selector};

use super::layout::{Grid, GridCell, Item, Line};
use super::portal::{self, Field};
use super::report::Report;
use gongkai_i18n::tr;
use gongkai_site::limits::{
    HTML_FLATTEN_DEPTH, HTML_MAX_NESTING, IMPORT_MAX_TABLE_CELLS, IMPORT_MAX_TABLE_TEXT_BYTES,
};

pub struct SavedPage {
    pub items: Vec<Item>,
    pub fields: Vec<(Field, String)>,
}

/// Elements whose content is never article text.
const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "iframe", "nav", "footer", "header", "form", "button", "select",
    "input", "textarea", "svg", "object", "embed", "template", "head", "title",
];

/// Class or id words of page furniture.
const SKIP_WORDS: &[&str] = &[
    "share",
    "bdshare",
    "footer",
    "breadcrumb",
    "crumb",
    "position",
    "location",
    "print",
    "fontsize",
    "font-size",
    "toolbar",
    "nav",
    "menu",
    "sidebar",
    "related",
    "comment",
    "copyright",
];

/// Class or id words of an article body, as portals' content systems name it.
const BODY_WORDS: &[&str] = &[
    "trs_editor",
    "zoom",
    "article",
    "content",
    "detail",
    "zw",
    "zhengwen",
    "text",
    "main",
    "con",
    "view",
    "body",
];

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "blockquote",
    "center",
    "pre",
    "dd",
    "dt",
    "dl",
    "tr",
    "td",
    "th",
    "address",
    "figure",
    "figcaption",
    "main",
    "aside",
    "hr",
    "tbody",
    "thead",
];

fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

fn class_and_id(e: &ElementRef) -> String {
    let v = e.value();
    format!(
        "{} {}",
        v.attr("class").unwrap_or(""),
        v.attr("id").unwrap_or("")
    )
    .to_ascii_lowercase()
}

fn skipped(e: &ElementRef) -> bool {
    let name = e.value().name();
    if SKIP_TAGS.contains(&name) {
        return true;
    }
    let words = class_and_id(e);
    words
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_')
        .any(|w| {
            SKIP_WORDS.iter().any(|s| {
                w == *s || w.starts_with(&format!("{s}-")) || w.starts_with(&format!("{s}_"))
            })
        })
}

/// What one pass over the parsed page knows of each node, so that no later step walks the
/// ancestors of each text, or the subtree of each element, once per element: on a page of
/// nested elements that was quadratic or worse.
struct Facts {
    /// Depth of each node below the document.
    depth: FxHashMap<NodeId, usize>,
    /// Elements that are furniture ([`skipped`]).
    skipped: FxHashSet<NodeId>,
    /// Nodes inside furniture: below an element that is skipped.
    under_skipped: FxHashSet<NodeId>,
    /// Characters of the trimmed texts of each subtree, as `ElementRef::text` gives them.
    text_chars: FxHashMap<NodeId, usize>,
}

impl Facts {
    fn of(doc: &Html) -> Facts {
        let mut f = Facts {
            depth: FxHashMap::default(),
            skipped: FxHashSet::default(),
            under_skipped: FxHashSet::default(),
            text_chars: FxHashMap::default(),
        };
        // Open nodes, with the characters counted so far below each.
        let mut stack: Vec<(NodeId, usize)> = Vec::new();
        for edge in doc.tree.root().traverse() {
            match edge {
                Edge::Open(n) => {
                    f.depth.insert(n.id(), stack.len());
                    if let Some(&(parent, _)) = stack.last()
                        && (f.skipped.contains(&parent) || f.under_skipped.contains(&parent))
                    {
                        f.under_skipped.insert(n.id());
                    }
                    if let Some(e) = ElementRef::wrap(n)
                        && skipped(&e)
                    {
                        f.skipped.insert(n.id());
                    }
                    let own = match n.value() {
                        Node::Text(t) => t.trim().chars().count(),
                        _ => 0,
                    };
                    stack.push((n.id(), own));
                }
                Edge::Close(_) => {
                    if let Some((id, chars)) = stack.pop() {
                        f.text_chars.insert(id, chars);
                        if let Some(parent) = stack.last_mut() {
                            parent.1 += chars;
                        }
                    }
                }
            }
        }
        f
    }

    fn depth(&self, id: NodeId) -> usize {
        self.depth.get(&id).copied().unwrap_or(0)
    }

    fn text_chars(&self, id: NodeId) -> usize {
        self.text_chars.get(&id).copied().unwrap_or(0)
    }
}

/// The visible text of an element, cells and blocks apart by a space; `None` when it is
/// longer than `max` characters (found without reading further).
fn flat_text(e: &ElementRef, facts: &Facts, max: usize) -> Option<String> {
    let mut s = String::new();
    let mut visible = 0;
    for n in e.descendants() {
        if let Node::Text(t) = n.value() {
            if !facts.under_skipped.contains(&n.id()) {
                visible += t.chars().filter(|c| !c.is_whitespace()).count();
                if visible > max {
                    return None;
                }
                s.push_str(t);
            }
        } else if let Node::Element(el) = n.value()
            && matches!(
                el.name(),
                "td" | "th" | "br" | "p" | "div" | "li" | "dd" | "dt" | "span"
            )
        {
            s.push(' ');
        }
    }
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (s.chars().count() <= max).then_some(s)
}

/// An element of the page and the metadata fields it holds.
type Block<'a> = (ElementRef<'a>, Vec<(Field, String)>);

/// The smallest element holding three or more labelled metadata fields, and the fields.
fn metadata_block<'a>(doc: &'a Html, facts: &Facts) -> Option<Block<'a>> {
    let s = sel("table, dl, ul, div, section")?;
    let mut best: Option<(Block, usize)> = None;
    for e in doc.select(&s) {
        if facts.depth(e.id()) > HTML_FLATTEN_DEPTH {
            continue;
        }
        let Some(text) = flat_text(&e, facts, 1500) else {
            continue;
        };
        let Some(fields) = portal::fields(&text) else {
            continue;
        };
        let distinct: std::collections::BTreeSet<String> =
            fields.iter().map(|(f, _)| format!("{f:?}")).collect();
        if distinct.len() < 3 {
            continue;
        }
        let len = text.len();
        if best.as_ref().is_none_or(|b| len < b.1) {
            best = Some(((e, fields), len));
        }
    }
    best.map(|(b, _)| b)
}

/// How much paragraph text an element holds directly (in `p` children or text nodes).
fn paragraph_weight(e: &ElementRef, facts: &Facts) -> usize {
    let mut n = 0;
    for c in e.children() {
        match c.value() {
            Node::Text(t) => n += t.trim().chars().count(),
            Node::Element(el)
                if matches!(
                    el.name(),
                    "p" | "h1" | "h2" | "h3" | "h4" | "table" | "center" | "pre"
                ) =>
            {
                n += facts.text_chars(c.id());
            }
            // A div that is only a paragraph wrapper counts as one.
            Node::Element(el)
                if (el.name() == "div" || el.name() == "span" || el.name() == "font")
                    && c.children().filter(|x| x.value().is_element()).count() <= 2 =>
            {
                n += facts.text_chars(c.id());
            }
            _ => {}
        }
    }
    n
}

/// The element that holds the article: the best-named body container with enough text, else
/// the element holding the most paragraph text directly.
fn article<'a>(doc: &'a Html, meta: Option<&ElementRef<'a>>, facts: &Facts) -> ElementRef<'a> {
    let all = sel("div, td, article, section, main, body").and_then(|s| {
        let meta_id = meta.map(|m| m.id());
        doc.select(&s)
            .filter(|e| facts.depth(e.id()) <= HTML_FLATTEN_DEPTH)
            .filter(|e| !facts.skipped.contains(&e.id()))
            .filter(|e| meta_id.is_none_or(|m| e.id() != m))
            .map(|e| {
                let named = {
                    let w = class_and_id(&e);
                    BODY_WORDS.iter().any(|b| {
                        w.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                            .any(|x| x == *b || x.starts_with(b))
                    })
                };
                let weight = paragraph_weight(&e, facts);
                // A named container gets a bonus, so that it wins over a wrapper of similar size.
                (e, weight + if named { weight / 4 + 50 } else { 0 })
            })
            .filter(|(_, w)| *w >= 80)
            .max_by_key(|(_, w)| *w)
            .map(|(e, _)| e)
    });
    all.or_else(|| sel("body").and_then(|s| doc.select(&s).next()))
        .unwrap_or_else(|| doc.root_element())
}

struct Walker<'r> {
    items: Vec<Item>,
    line: String,
    no: usize,
    skip: Option<ego_tree::NodeId>,
    /// Depth of `<pre>` elements around the text being read.
    pre: usize,
    /// Elements walked into from the container: past [`HTML_FLATTEN_DEPTH`] their content is
    /// read as text, without recursing further.
    depth: usize,
    facts: &'r Facts,
    /// Table cells read so far in the whole page, merged copies included, and the bytes of
    /// their text.
    cells: &'r mut (usize, usize),
    report: &'r mut Report,
}

impl Walker<'_> {
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.line);
        let text = text.trim();
        if !text.is_empty() {
            self.no += 1;
            self.items.push(Item::Line(Line::new(self.no, text)));
        }
    }

    fn walk(&mut self, e: ElementRef) {
        if self.depth >= HTML_FLATTEN_DEPTH {
            self.flatten(e);
            return;
        }
        self.depth += 1;
        self.walk_children(e);
        self.depth -= 1;
    }

    /// The text below an element nested too deep to walk, as one run of text: no line breaks,
    /// tables read as text; furniture is still left out.
    fn flatten(&mut self, e: ElementRef) {
        let mut skipping: Option<NodeId> = None;
        for edge in e.traverse() {
            match edge {
                Edge::Open(n) if skipping.is_none() && n.id() != e.id() => match n.value() {
                    Node::Text(t) => {
                        self.line.push_str(&t.replace(['\n', '\r', '\t'], " "));
                    }
                    Node::Element(el)
                        if Some(n.id()) == self.skip
                            || self.facts.skipped.contains(&n.id())
                            || el.name() == "img" =>
                    {
                        skipping = Some(n.id());
                    }
                    _ => {}
                },
                Edge::Close(n) if skipping == Some(n.id()) => skipping = None,
                _ => {}
            }
        }
    }

    fn walk_children(&mut self, e: ElementRef) {
        for child in e.children() {
            match child.value() {
                Node::Text(t) if self.pre > 0 => {
                    // Inside <pre>, a line break is a line break.
                    let mut parts = t.split('\n');
                    if let Some(first) = parts.next() {
                        self.line.push_str(first);
                    }
                    for p in parts {
                        self.flush();
                        self.line.push_str(p);
                    }
                }
                Node::Text(t) => {
                    // Line breaks in the HTML source are spaces to a browser.
                    let t = t.replace(['\n', '\r', '\t'], " ");
                    self.line.push_str(&t);
                }
                Node::Element(el) => {
                    let Some(ce) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if Some(ce.id()) == self.skip || self.facts.skipped.contains(&ce.id()) {
                        continue;
                    }
                    let name = el.name();
                    if name == "br" {
                        self.flush();
                    } else if name == "table" {
                        self.flush();
                        self.table(ce);
                    } else if name == "img" {
                        // An image's alt text is shown when the image is not; keep it out of text.
                    } else if name == "pre" || name == "listing" || name == "xmp" {
                        self.flush();
                        self.pre += 1;
                        self.walk(ce);
                        self.pre -= 1;
                        self.flush();
                    } else if BLOCK_TAGS.contains(&name) {
                        self.flush();
                        self.walk(ce);
                        self.flush();
                    } else {
                        self.walk(ce);
                    }
                }
                _ => {}
            }
        }
    }

    /// A table with real rows and cells; `rowspan` cells are repeated into the rows they cover.
    fn table(&mut self, t: ElementRef) {
        let mut rows: Vec<Vec<GridCell>> = Vec::new();
        // Cells still to repeat from a rowspan above, by column, first given first: (rows
        // left, cell). Looked up by column, not searched, and spent ones dropped when met.
        let mut pending: Pending = FxHashMap::default();
        for row in rows_of(t) {
            if self.report.refused.is_some() {
                return;
            }
            let mut out: Vec<GridCell> = Vec::new();
            let mut col = 0;
            let cells = row
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| matches!(c.value().name(), "td" | "th"));
            for cell in cells {
                place_pending(&mut pending, &mut out, &mut col);
                let rowspan = span_attr(cell, "rowspan", 1000);
                let gc = self.grid_cell(cell);
                if rowspan > 1 {
                    pending
                        .entry(col)
                        .or_default()
                        .push_back((rowspan - 1, gc.clone()));
                }
                col += gc.span;
                out.push(gc);
            }
            place_pending(&mut pending, &mut out, &mut col);
            if !self.count_cells(&out) {
                return;
            }
            if !out.is_empty() {
                rows.push(out);
            }
        }
        self.push_table(rows);
    }

    /// A `td` or `th` as a cell of the grid: its lines of text, and its `colspan`.
    fn grid_cell(&mut self, cell: ElementRef) -> GridCell {
        let mut sub = Walker {
            items: Vec::new(),
            line: String::new(),
            no: 0,
            skip: None,
            pre: 0,
            depth: self.depth + 1,
            facts: self.facts,
            cells: &mut *self.cells,
            report: &mut *self.report,
        };
        sub.walk(cell);
        sub.flush();
        let lines: Vec<String> = sub
            .items
            .into_iter()
            .filter_map(|i| match i {
                Item::Line(l) => Some(l.text),
                _ => None,
            })
            .collect();
        GridCell {
            lines,
            span: span_attr(cell, "colspan", 64),
            merged: false,
        }
    }

    /// Counts a row's cells and their text against the page's limits: merged cells repeat, so a
    /// few cells of the page can make many of the table. False (the page refused) past one.
    fn count_cells(&mut self, out: &[GridCell]) -> bool {
        self.cells.0 += out.len();
        self.cells.1 += out
            .iter()
            .flat_map(|c| &c.lines)
            .map(String::len)
            .sum::<usize>();
        if self.cells.1 > IMPORT_MAX_TABLE_TEXT_BYTES {
            self.report.refused = Some(tr!(
                "limits.table_text",
                limit = gongkai_site::limits::mib(IMPORT_MAX_TABLE_TEXT_BYTES as u64)
            ));
            return false;
        }
        if self.cells.0 > IMPORT_MAX_TABLE_CELLS {
            self.report.refused = Some(tr!(
                "linear.error.html_cells",
                limit = IMPORT_MAX_TABLE_CELLS
            ));
            return false;
        }
        true
    }

    /// The rows as a grid; a layout table (one cell, or no row with two cells of text) is
    /// text, not a table: its lines.
    fn push_table(&mut self, rows: Vec<Vec<GridCell>>) {
        let real = rows
            .iter()
            .any(|r| r.iter().filter(|c| !c.lines.is_empty()).count() >= 2);
        if !real {
            for r in rows {
                for c in r {
                    for l in c.lines {
                        self.no += 1;
                        self.items.push(Item::Line(Line::new(self.no, l)));
                    }
                }
            }
            return;
        }
        self.no += 1;
        self.items.push(Item::Grid(Grid {
            no: self.no,
            rows,
            ..Grid::default()
        }));
    }
}

/// Cells still to repeat from a rowspan above, by column: (rows left, cell), first given first.
type Pending = FxHashMap<usize, VecDeque<(usize, GridCell)>>;

/// Puts the cells a rowspan above repeats into this row at `col`, as many as meet there.
fn place_pending(pending: &mut Pending, out: &mut Vec<GridCell>, col: &mut usize) {
    while let Some(q) = pending.get_mut(col) {
        while q.front().is_some_and(|p| p.0 == 0) {
            q.pop_front();
        }
        let Some(p) = q.front_mut() else { break };
        p.0 -= 1;
        let mut c = p.1.clone();
        c.merged = true;
        *col += c.span.max(1);
        out.push(c);
    }
}

/// A cell's `colspan` or `rowspan`: 1 when absent or unreadable, at most `max`.
fn span_attr(cell: ElementRef, name: &str, max: usize) -> usize {
    cell.value()
        .attr(name)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, max)
}

/// The page's title: its `ArticleTitle` meta, its first `h1`, or its `<title>`.
fn page_title(doc: &Html) -> Option<String> {
    let meta = sel("meta[name=ArticleTitle], meta[name=articletitle]")
        .and_then(|s| doc.select(&s).next())
        .and_then(|m| m.value().attr("content").map(str::to_string));
    let h1 = || {
        sel("h1").and_then(|s| {
            doc.select(&s)
                .map(|h| h.text().collect::<String>().trim().to_string())
                .find(|t| !t.is_empty())
        })
    };
    let title = || {
        sel("title").and_then(|s| doc.select(&s).next()).map(|t| {
            let t: String = t.text().collect();
            // `标题_栏目_网站` or `标题-网站`: the first part is the article's.
            t.split(['_', '|']).next().unwrap_or("").trim().to_string()
        })
    };
    meta.or_else(h1)
        .or_else(title)
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(""))
        .filter(|t| !t.is_empty())
}

/// The rows of a table, in order: its `tr` elements, not those of tables nested in it.
fn rows_of(t: ElementRef) -> Vec<ElementRef> {
    let mut rows = Vec::new();
    let mut inside_nested: Option<NodeId> = None;
    for edge in t.traverse() {
        match edge {
            Edge::Open(n) if inside_nested.is_none() && n.id() != t.id() => {
                if let Some(e) = ElementRef::wrap(n) {
                    match e.value().name() {
                        "table" => inside_nested = Some(n.id()),
                        "tr" => rows.push(e),
                        _ => {}
                    }
                }
            }
            Edge::Close(n) if inside_nested == Some(n.id()) => inside_nested = None,
            _ => {}
        }
    }
    rows
}

/// Elements without content (never on the parser's stack of open elements).
const VOID_TAGS: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose end tag may be left out: the parser closes them when a sibling or the parent
/// ends, so they do not nest by themselves (`p` is followed, see [`nesting`]).
const OPTIONAL_END_TAGS: &[&str] = &[
    "html", "head", "body", "li", "dt", "dd", "rb", "rt", "rtc", "rp", "optgroup", "option",
    "colgroup", "caption", "thead", "tbody", "tfoot", "tr", "td", "th",
];

/// Elements whose content is text to the parser: tags inside them are not tags.
const RAW_TEXT_TAGS: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// Formatting elements: closed by the end of a paragraph or block, the parser opens them again
/// at the next text, one element for each still unclosed.
const FORMATTING_TAGS: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Blocks whose start closes an open paragraph.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
];

fn is_special(name: &str) -> bool {
    CLOSES_P.contains(&name) || matches!(name, "select" | "button")
}

/// Elements an end tag of another element does not close past: `</div>` inside a table
/// leaves the `div` outside open, and `</span>` leaves an open `div` above it.
fn stops_end_tag(open: &str, closing: &str) -> bool {
    let boundary = matches!(open, "table" | "applet" | "marquee" | "object" | "template");
    boundary || (is_special(open) && !is_special(closing))
}

/// The parser's open elements as [`nesting`] follows them: the stack, and the formatting
/// elements closed by another element's end, which the parser opens again at the next text.
#[derive(Default)]
struct Nesting {
    /// Name and whole tag (name and attributes) of each open element.
    open: Vec<(String, String)>,
    by_name: FxHashMap<String, usize>,
    /// Formatting elements to be opened again, by whole tag.
    reopened: Vec<String>,
    reopened_by_tag: FxHashMap<String, usize>,
}

impl Nesting {
    fn depth(&self) -> usize {
        self.open.len() + self.reopened.len()
    }

    fn push(&mut self, name: String, tag: String) {
        *self.by_name.entry(name.clone()).or_default() += 1;
        self.open.push((name, tag));
    }

    /// Closes the `k + 1` innermost elements; the formatting ones among the first `k` are
    /// opened again later. The parser keeps at most three alike (its "Noah's Ark" rule).
    fn close(&mut self, k: usize) {
        let from = self.open.len().saturating_sub(k + 1);
        let closed: Vec<(String, String)> = self.open.drain(from..).collect();
        for (n, (name, tag)) in closed.into_iter().rev().enumerate() {
            if let Some(c) = self.by_name.get_mut(&name) {
                *c = c.saturating_sub(1);
            }
            if n < k && FORMATTING_TAGS.contains(&name.as_str()) {
                let alike = self.reopened_by_tag.entry(tag.clone()).or_default();
                if *alike < 3 {
                    *alike += 1;
                    self.reopened.push(tag);
                }
            }
        }
    }

    /// Closes the innermost open element named `name`, if an end tag would reach it (looking
    /// at most 64 elements deep: an estimate that errs high).
    fn end(&mut self, name: &str) {
        if self.by_name.get(name).is_some_and(|&n| n > 0) {
            let found = self
                .open
                .iter()
                .rev()
                .take(64)
                .take_while(|(o, _)| o == name || !stops_end_tag(o, name))
                .position(|(o, _)| o == name);
            if let Some(k) = found {
                self.close(k);
            }
        } else if FORMATTING_TAGS.contains(&name)
            && let Some(at) = self.reopened.iter().rposition(|t| tag_name(t) == name)
        {
            // The end tag of a formatting element to be opened again: it will not be.
            let tag = self.reopened.remove(at);
            if let Some(c) = self.reopened_by_tag.get_mut(&tag) {
                *c = c.saturating_sub(1);
            }
        }
    }
}

fn tag_name(tag: &str) -> &str {
    tag.split(|c: char| c.is_ascii_whitespace() || c == '/')
        .next()
        .unwrap_or("")
}

/// How deep a page nests its elements, estimated from its tags in one pass without parsing it,
/// following what the parser does that makes nesting: elements left open, and formatting
/// elements it opens again (`<p><b id=1></p><p><b id=2></p>…` nests every `b` in the next
/// paragraph). The estimate errs high. Stops counting past `limit`.
pub fn nesting(html: &str, limit: usize) -> usize {
    let b = html.as_bytes();
    let mut n = Nesting::default();
    let mut deepest = 0;
    let mut i = 0;
    // The position of `needle` (ASCII, compared without case) at or after `from`.
    let find = |from: usize, needle: &[u8]| -> Option<usize> {
        b.get(from..)?
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map(|p| from + p)
    };
    while let Some(p) = b.get(i..).and_then(|r| r.iter().position(|&c| c == b'<')) {
        i += p + 1;
        if b[i..].starts_with(b"!--") {
            i = find(i + 3, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        if matches!(b.get(i), Some(b'!' | b'?')) {
            i = find(i, b">").map_or(b.len(), |e| e + 1);
            continue;
        }
        let end_tag = b.get(i) == Some(&b'/');
        let start = if end_tag { i + 1 } else { i };
        if !b.get(start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        // Past the attributes: a `>` inside quotes does not end the tag.
        let mut j = start;
        let mut quote = None;
        while let Some(&c) = b.get(j) {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == b'"' || c == b'\'' => quote = Some(c),
                None if c == b'>' => break,
                None => {}
            }
            j += 1;
        }
        let tag = String::from_utf8_lossy(&b[start..j]).to_ascii_lowercase();
        i = (j + 1).min(b.len());
        let name = tag_name(&tag).to_string();
        if VOID_TAGS.contains(&name.as_str()) || OPTIONAL_END_TAGS.contains(&name.as_str()) {
            continue;
        }
        if end_tag {
            n.end(&name);
            continue;
        }
        if RAW_TEXT_TAGS.contains(&name.as_str()) {
            // Its text runs to its end tag.
            let close = format!("</{name}");
            i = find(i, close.as_bytes()).unwrap_or(b.len());
            continue;
        }
        if name == "plaintext" {
            break;
        }
        if CLOSES_P.contains(&name.as_str()) {
            n.end("p");
        }
        n.push(name, tag);
        deepest = deepest.max(n.depth());
        if deepest > limit {
            break;
        }
    }
    deepest
}

pub fn read(html: &str, report: &mut Report) -> SavedPage {
    // The parser checks its stack of open elements at every tag: nesting must be bounded
    // before it starts, or a page of nested elements takes time with the square of its size.
    if nesting(html, HTML_MAX_NESTING) > HTML_MAX_NESTING {
        report.refused = Some(tr!("linear.error.html_nesting", limit = HTML_MAX_NESTING));
        return SavedPage {
            items: vec![],
            fields: vec![],
        };
    }
    let doc = Html::parse_document(html);
    let facts = Facts::of(&doc);
    let meta = metadata_block(&doc, &facts);
    let container = article(&doc, meta.as_ref().map(|(e, _)| e), &facts);
    let mut cells = (0, 0);
    let mut w = Walker {
        items: Vec::new(),
        line: String::new(),
        no: 0,
        skip: meta.as_ref().map(|(e, _)| e.id()),
        pre: 0,
        depth: 0,
        facts: &facts,
        cells: &mut cells,
        report,
    };
    w.walk(container);
    w.flush();
    let mut items = w.items;
    let fields = meta.map(|(_, f)| f).unwrap_or_default();
    if !fields.is_empty() {
        report
            .notes
            .push(tr!("import.note.portal_metadata", count = fields.len()));
    }
    // The article body often starts below the title; the page's title then opens the text.
    if let Some(title) = page_title(&doc) {
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let t = squash(&title);
        let present = items.iter().take(30).any(|i| {
            i.line().is_some_and(|l| {
                let s = squash(&l.text);
                s == t || (s.len() > 6 && t.contains(&s) && s.len() * 2 > t.len())
            })
        });
        if !present {
            items.insert(0, Item::Line(Line::new(0, title)));
        }
    }
    SavedPage { items, fields }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_metadata_and_furniture() {
        let html = r#"<html><head><title>示例区2024年安全生产工作要点_示例区人民政府</title></head><body>
<div class="nav"><a href="/">首页</a> 政务公开</div>
<div class="crumb">当前位置：首页 &gt; 政府信息公开</div>
<table class="xxgk"><tr><td>索引号：</td><td>000000/2024-001</td><td>主题分类：</td><td>安全生产</td></tr>
<tr><td>发布机构：</td><td>示例区应急管理局</td><td>成文日期：</td><td>2024-02-30</td></tr>
<tr><td>文号：</td><td>示应急〔2024〕1号</td><td>发布日期：</td><td>2024-03-01</td></tr></table>
<div class="TRS_Editor"><p>示例区2024年安全生产工作要点</p><p>一、压实责任</p>
<p>1.落实领导责任。（责任单位：区应急局）</p>
<table><tr><td>序号</td><td>任务</td><td>责任单位</td></tr>
<tr><td>1</td><td>检查<br>督导</td><td rowspan="2">区应急局</td></tr>
<tr><td>2</td><td>培训</td></tr></table></div>
<div class="share">分享到：微信</div><div class="footer">主办单位：示例区</div>
<script>var x = "一、不是正文";</script></body></html>"#;
        let mut r = Report::default();
        let page = read(html, &mut r);
        let texts: Vec<String> = page
            .items
            .iter()
            .filter_map(|i| i.line().map(|l| l.text.clone()))
            .collect();
        assert_eq!(
            texts,
            [
                "示例区2024年安全生产工作要点",
                "一、压实责任",
                "1.落实领导责任。（责任单位：区应急局）"
            ]
        );
        let grid = page
            .items
            .iter()
            .find_map(|i| match i {
                Item::Grid(g) => Some(g),
                _ => None,
            })
            .expect("the task table");
        assert_eq!(grid.rows[1][1].lines, ["检查", "督导"]);
        assert_eq!(grid.rows[2][2].lines, ["区应急局"]);
        assert!(grid.rows[2][2].merged);
        assert!(
            page.fields
                .contains(&(Field::IndexNumber, "000000/2024-001".into()))
        );
        assert!(
            page.fields
                .contains(&(Field::DocNumber, "示应急〔2024〕1号".into()))
        );
    }
}
