//! What search finds: each plan as a list of documents, one per place a result can link to —
//! the plan's metadata (the page itself), its covering notice, each section's own text, each
//! task, the indicators and the imprint, and its 解读 page — made from the validated model,
//! never from rendered pages. A document's text is the text the page shows there; its `names`
//! are the other names (registry names and aliases) of the units, persons and indicators it
//! names, so that 区应急管理局 finds the tasks of 区应急局.

use crate::site::Site;
use gongkai_model::{Block, Id, Plan, PlanId, Scope, UnitId};
use gongkai_search::{Corpus, Doc, PlanDocs};

/// The documents of every plan of a site (in the site's plan order) and the filter names.
pub fn corpus(site: &Site) -> Corpus {
    use rayon::prelude::*;
    Corpus {
        facets: super::facets(site),
        plans: (0..site.plans.len())
            .into_par_iter()
            .map(|p| plan_docs(site, p))
            .collect(),
    }
}

/// The documents of one plan. They depend on the plan and the registries alone, so a plan
/// that did not change has the same documents in every build.
pub fn plan_docs(site: &Site, p: usize) -> PlanDocs {
    let plan = &site.plans[PlanId::new(p)];
    let c = &site.config;
    let reg = &site.reg;
    let mut docs = Vec::new();
    docs.push(meta_doc(site, plan));
    if let Some(n) = &plan.meta.notice {
        docs.push(Doc {
            anchor: "notice".into(),
            title: "印发通知".into(),
            text: markdown_text(n),
            names: String::new(),
        });
    }
    body_docs(site, plan, &mut docs);
    if !plan.indicators.is_empty() {
        let mut text = Vec::new();
        let mut names = Vec::new();
        for i in &plan.indicators {
            let mut line = format!("{}：{}", i.name, i.target);
            if let Some(u) = &i.unit {
                line.push_str(u);
            }
            if let Some(m) = &i.measure {
                line.push_str(&format!("（{m}）"));
            }
            if let Some(b) = &i.baseline {
                line.push_str(&format!("，基数{b}"));
            }
            text.push(line);
            let def = &reg.indicators.items[i.def];
            names.extend(std::iter::once(&def.name).chain(&def.aliases).cloned());
        }
        let text = text.join("\n");
        docs.push(Doc {
            anchor: "indicators".into(),
            title: "主要指标".into(),
            names: other_names(&text, names),
            text,
        });
    }
    if let Some(i) = &plan.meta.imprint {
        docs.push(Doc {
            anchor: "imprint".into(),
            title: "版记".into(),
            text: markdown_text(i),
            names: String::new(),
        });
    }
    if let Some(i) = &plan.interpretation {
        // The page shows its title above the text.
        let title = i.meta.title.clone().unwrap_or_else(|| "政策解读".into());
        let mut text = format!("{title}\n");
        html_text(&i.html, &mut text);
        let text = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        docs.push(Doc {
            anchor: gongkai_model::track::INTERPRETATION_DIR.into(),
            title,
            text,
            names: String::new(),
        });
    }
    let mut units: Vec<UnitId> = plan
        .responsibility
        .iter()
        .flat_map(|r| r.lead.iter().chain(&r.support).copied())
        .collect();
    units.sort_unstable();
    units.dedup();
    PlanDocs {
        url: plan.url.clone(),
        title: plan.title().to_string(),
        district: c.districts[plan.district].name.clone(),
        years: plan.period.years().collect(),
        units: units.iter().map(|&u| unit_label(site, u)).collect(),
        docs,
    }
}

/// A unit as the 责任单位 filter names it: its name, and its district's when another unit of
/// the site has the same name (two districts' 区应急局 are two units).
pub fn unit_label(site: &Site, u: UnitId) -> String {
    let units = &site.reg.units.items;
    let unit = &units[u];
    let shared_name = units
        .iter()
        .filter(|x| x.name == unit.name)
        .nth(1)
        .is_some();
    match unit.scope {
        Scope::District(d) if shared_name => {
            format!("{}（{}）", unit.name, site.config.districts[d].name)
        }
        _ => unit.name.clone(),
    }
}

/// The page itself: title, metadata and keywords, a line each.
fn meta_doc(site: &Site, plan: &Plan) -> Doc {
    let m = &plan.meta;
    let district = &site.config.districts[plan.district].name;
    let lines: Vec<&str> = [
        Some(plan.title()),
        m.status.as_deref(),
        m.doc_number.as_deref(),
        m.issuer.as_deref(),
        m.index_number.as_deref(),
        m.written.as_deref(),
        m.published.as_deref(),
        m.kind.as_deref(),
        Some(district.as_str()),
    ]
    .into_iter()
    .flatten()
    .chain(m.keywords.iter().map(String::as_str))
    .collect();
    Doc {
        anchor: String::new(),
        title: plan.title().to_string(),
        text: lines.join("\n"),
        names: String::new(),
    }
}

/// Sections (a heading and the text under it that is not a task), tasks and task-table rows,
/// in page order; text before the first heading is the document `text`.
fn body_docs(site: &Site, plan: &Plan, docs: &mut Vec<Doc>) {
    let reg = &site.reg;
    let mut section = Doc {
        anchor: "text".into(),
        title: "正文".into(),
        text: String::new(),
        names: String::new(),
    };
    let mut tasks: Vec<Doc> = Vec::new();
    let push_line = |d: &mut Doc, line: &str| {
        let line = line.trim();
        if !line.is_empty() {
            if !d.text.is_empty() {
                d.text.push('\n');
            }
            d.text.push_str(line);
        }
    };
    let task_doc = |t: gongkai_model::TaskId, text: String| {
        let task = &plan.body.tasks[t];
        let mut names = Vec::new();
        if let Some(r) = plan.responsibility.get(t) {
            for &u in r.lead.iter().chain(&r.support) {
                let unit = &reg.units.items[u];
                names.extend(std::iter::once(&unit.name).chain(&unit.aliases).cloned());
            }
            for &p in &r.persons {
                names.push(reg.persons.items[p].name.clone());
            }
        }
        Doc {
            anchor: task.anchor.clone(),
            title: format!("{}{}", task.label, task.title),
            names: other_names(&text, names),
            text,
        }
    };
    let mut flush = |section: &mut Doc, tasks: &mut Vec<Doc>, next: Doc| {
        let done = std::mem::replace(section, next);
        if !done.text.is_empty() {
            docs.push(done);
        }
        docs.append(tasks);
    };
    for block in &plan.body.blocks {
        match block {
            Block::Heading { section: s } => {
                let s = &plan.body.sections[*s];
                let title = format!("{}{}", s.label, s.title);
                let next = Doc {
                    anchor: s.anchor.clone(),
                    title: title.clone(),
                    text: title,
                    names: String::new(),
                };
                flush(&mut section, &mut tasks, next);
            }
            Block::Task { task, .. } => {
                tasks.push(task_doc(*task, plan.body.tasks[*task].text.clone()));
            }
            Block::TaskTable {
                header,
                number,
                rows,
            } => {
                for h in header {
                    push_line(&mut section, h);
                }
                for row in rows {
                    let (cells, repeat) = row_cells(plan, *number, row);
                    match (row.task, repeat) {
                        (Some(t), _) => tasks.push(task_doc(t, cells.join("\n"))),
                        // A row that repeats a task is found under its own anchor, which links
                        // to the task.
                        (None, Some(r)) => {
                            let t = &plan.body.tasks[r.task];
                            tasks.push(Doc {
                                anchor: r.anchor.clone(),
                                title: format!("{}{}", t.label, t.title),
                                text: cells.join("\n"),
                                names: String::new(),
                            })
                        }
                        (None, None) => {
                            for cell in cells {
                                push_line(&mut section, &cell);
                            }
                        }
                    }
                }
            }
            Block::Table(html) | Block::Html(html) => {
                let mut text = String::new();
                html_text(html, &mut text);
                for line in text.lines() {
                    push_line(&mut section, line);
                }
            }
        }
    }
    let end = Doc {
        anchor: String::new(),
        title: String::new(),
        text: String::new(),
        names: String::new(),
    };
    flush(&mut section, &mut tasks, end);
}

/// The texts of a task table's row that are not empty, and the repeat the row is, if any: its
/// number cell then shows the link to the task it repeats, as the page does.
fn row_cells<'a>(
    plan: &'a Plan,
    number: usize,
    row: &gongkai_model::TableRow,
) -> (Vec<String>, Option<&'a gongkai_model::Repeat>) {
    let repeat = row.repeats.and_then(|i| plan.body.repeats.get(i));
    let cells = row
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| match repeat {
            Some(r) if i == number => format!(
                "{} 见正文第{}项",
                c.text.trim(),
                plan.body.tasks[r.task].key
            ),
            _ => c.text.trim().to_string(),
        })
        .filter(|t| !t.is_empty())
        .collect();
    (cells, repeat)
}

/// The names, a line each, that the text does not already show, without repeats.
fn other_names(text: &str, names: Vec<String>) -> String {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !n.is_empty() && !text.contains(&n) && !out.contains(&n) {
            out.push(n);
        }
    }
    out.join("\n")
}

/// The text of Markdown as a reader sees it, a line per block.
fn markdown_text(md: &str) -> String {
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, md, &crate::body::comrak_options());
    let mut lines = Vec::new();
    for block in root.children() {
        let t = crate::body::plain_text(block);
        lines.extend(
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string),
        );
    }
    lines.join("\n")
}

/// The text of an HTML fragment that comrak rendered from a plan's Markdown (raw HTML is never
/// passed through, and comrak escapes `&<>"` in text), a line per block or cell. This reads the
/// model's pre-rendered blocks, which keep no other copy of their text; it is not a general
/// HTML parser and is never given a page.
fn html_text(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        unescape(&rest[..i], out);
        let Some(j) = rest[i..].find('>') else {
            return;
        };
        let tag = rest[i + 1..i + j].trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if matches!(
            name.as_str(),
            "p" | "li"
                | "tr"
                | "td"
                | "th"
                | "br"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "blockquote"
                | "pre"
                | "div"
                | "ul"
                | "ol"
                | "table"
        ) {
            out.push('\n');
        }
        rest = &rest[i + j + 1..];
    }
    unescape(rest, out);
}

fn unescape(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let (c, n) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
        ]
        .iter()
        .find(|(e, _)| tail.starts_with(e))
        .map_or(('&', 1), |(e, c)| (*c, e.len()));
        out.push(c);
        rest = &tail[n..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_blocks_read_as_lines_of_text() {
        let mut s = String::new();
        html_text(
            "<p>加强<strong>危险化学品</strong>管理 &amp; A&lt;B</p>\n<ul>\n<li>一</li>\n<li>二</li>\n</ul>\n",
            &mut s,
        );
        let lines: Vec<&str> = s.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines, ["加强危险化学品管理 & A<B", "一", "二"]);
    }

    #[test]
    fn names_already_in_the_text_are_not_repeated() {
        let n = other_names(
            "（责任单位：区应急局）",
            vec![
                "区应急局".into(),
                "区应急管理局".into(),
                "区应急管理局".into(),
            ],
        );
        assert_eq!(n, "区应急管理局");
    }
}
