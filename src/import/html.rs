//! A page saved from a government portal, parsed with scraper (html5ever): the 信息公开 metadata
//! block read into fields, the article body found and turned into lines and tables (with
//! `colspan`/`rowspan` kept), everything else — navigation, breadcrumbs, share bars, footers,
//! scripts — left out.

use scraper::{ElementRef, Html, Node, Selector};

use super::layout::{Grid, GridCell, Item, Line};
use super::portal::{self, Field};
use super::report::Report;
use crate::tr;

pub struct Page {
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

/// The visible text of an element, cells and blocks apart by a space.
fn flat_text(e: &ElementRef) -> String {
    let mut s = String::new();
    for n in e.descendants() {
        if let Node::Text(t) = n.value() {
            let skip = n
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| skipped(&a));
            if !skip {
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
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An element of the page and the metadata fields it holds.
type Block<'a> = (ElementRef<'a>, Vec<(Field, String)>);

/// The smallest element holding three or more labelled metadata fields, and the fields.
fn metadata_block<'a>(doc: &'a Html) -> Option<Block<'a>> {
    let s = sel("table, dl, ul, div, section")?;
    let mut best: Option<(Block, usize)> = None;
    for e in doc.select(&s) {
        let text = flat_text(&e);
        if text.chars().count() > 1500 {
            continue;
        }
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
fn paragraph_weight(e: &ElementRef) -> usize {
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
                if let Some(ce) = ElementRef::wrap(c) {
                    n += ce.text().map(|t| t.trim().chars().count()).sum::<usize>();
                }
            }
            Node::Element(el)
                if el.name() == "div" || el.name() == "span" || el.name() == "font" =>
            {
                if let Some(ce) = ElementRef::wrap(c) {
                    // A div that is only a paragraph wrapper counts as one.
                    let inner: usize = ce.text().map(|t| t.trim().chars().count()).sum();
                    if ce.children().filter(|x| x.value().is_element()).count() <= 2 {
                        n += inner;
                    }
                }
            }
            _ => {}
        }
    }
    n
}

/// The element that holds the article: the best-named body container with enough text, else
/// the element holding the most paragraph text directly.
fn article<'a>(doc: &'a Html, meta: Option<&ElementRef<'a>>) -> ElementRef<'a> {
    let all = sel("div, td, article, section, main, body").and_then(|s| {
        let meta_id = meta.map(|m| m.id());
        doc.select(&s)
            .filter(|e| !skipped(e))
            .filter(|e| meta_id.is_none_or(|m| e.id() != m))
            .map(|e| {
                let named = {
                    let w = class_and_id(&e);
                    BODY_WORDS.iter().any(|b| {
                        w.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                            .any(|x| x == *b || x.starts_with(b))
                    })
                };
                let weight = paragraph_weight(&e);
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
                    if Some(ce.id()) == self.skip || skipped(&ce) {
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
        let (Some(tr), Some(cells)) = (sel("tr"), sel("td, th")) else {
            return;
        };
        let mut rows: Vec<Vec<GridCell>> = Vec::new();
        // Columns still covered by a rowspan from above: (column, rows left, cell).
        let mut pending: Vec<(usize, usize, GridCell)> = Vec::new();
        for row in t.select(&tr) {
            // Rows of a table nested in this one belong to it, not to us.
            if row
                .ancestors()
                .filter_map(ElementRef::wrap)
                .find(|a| a.value().name() == "table")
                .map(|a| a.id())
                != Some(t.id())
            {
                continue;
            }
            let mut out: Vec<GridCell> = Vec::new();
            let mut col = 0;
            fn place_pending(
                pending: &mut [(usize, usize, GridCell)],
                out: &mut Vec<GridCell>,
                col: &mut usize,
            ) {
                while let Some(p) = pending.iter_mut().find(|p| p.0 == *col && p.1 > 0) {
                    p.1 -= 1;
                    let mut c = p.2.clone();
                    c.merged = true;
                    *col += c.span.max(1);
                    out.push(c);
                }
            }
            for cell in row.select(&cells) {
                if cell.parent().and_then(ElementRef::wrap).map(|p| p.id()) != Some(row.id()) {
                    continue;
                }
                place_pending(&mut pending, &mut out, &mut col);
                let span = cell
                    .value()
                    .attr("colspan")
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let rowspan = cell
                    .value()
                    .attr("rowspan")
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 1000);
                let mut sub = Walker {
                    items: Vec::new(),
                    line: String::new(),
                    no: 0,
                    skip: None,
                    pre: 0,
                    report: self.report,
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
                let gc = GridCell {
                    lines,
                    span,
                    merged: false,
                };
                if rowspan > 1 {
                    pending.push((col, rowspan - 1, gc.clone()));
                }
                col += span;
                out.push(gc);
            }
            place_pending(&mut pending, &mut out, &mut col);
            pending.retain(|p| p.1 > 0);
            if !out.is_empty() {
                rows.push(out);
            }
        }
        // A layout table (one cell, or no row with two cells of text) is text, not a table.
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
        self.items.push(Item::Grid(Grid { no: self.no, rows }));
    }
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

pub fn read(html: &str, report: &mut Report) -> Page {
    let doc = Html::parse_document(html);
    let meta = metadata_block(&doc);
    let container = article(&doc, meta.as_ref().map(|(e, _)| e));
    let mut w = Walker {
        items: Vec::new(),
        line: String::new(),
        no: 0,
        skip: meta.as_ref().map(|(e, _)| e.id()),
        pre: 0,
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
    Page { items, fields }
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
