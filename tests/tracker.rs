//! Tracking (issue 19) on `tests/sites/tracker` (fictional 示例区 and 样例区): due dates from the
//! text, a 完成时限 column and the front matter; progress across two years, in a progress file
//! and in a plan's front matter; overdue and finished tasks; results met and missed; a 解读 and
//! files for download. Pages are read with an HTML parser, data files with real parsers
//! (serde_json, csv, quick-xml). And the real content gets no progress invented.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use scraper::Html;
use serde_json::Value;

const BASE: &str = "https://www.example.gov.cn/zwgk/aqsc/";
const PLAN: &str = "shili/2024/aqsc-gongzuo-yijian/";
const PLAN_2025: &str = "shili/2025/aqsc-gongzuo-yijian/";

fn built() -> (tempfile::TempDir, PathBuf) {
    build_site(&fixture("tracker"), None)
}

fn json(out: &Path, rel: &str) -> Value {
    serde_json::from_slice(&std::fs::read(out.join(rel)).expect(rel)).expect("JSON")
}

/// The text of the element with `id`, and of the status words in the element after it (a
/// task's mark follows its paragraph).
fn mark_after(doc: &Html, id: &str) -> String {
    let p = doc
        .select(&sel(&format!("[id='{id}']")))
        .next()
        .unwrap_or_else(|| panic!("no #{id}"));
    let next = p
        .next_siblings()
        .find_map(scraper::ElementRef::wrap)
        .expect("an element after the task");
    assert!(
        next.value().classes().any(|c| c == "task-mark"),
        "#{id} is followed by its mark"
    );
    next.text().collect::<String>()
}

fn csv_rows(out: &Path, rel: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(out.join(rel)).expect(rel);
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM")).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).expect(name)
}

/// A copy of the tracker fixture, changed by `edit`, checked: its warnings, or its errors.
fn check_copy(edit: impl FnOnce(&Path)) -> Result<Vec<String>, Vec<String>> {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("tracker"), &root);
    edit(&root);
    match gongkai::build::check(&root, None) {
        Ok(engine) => Ok(engine
            .site
            .warnings()
            .iter()
            .map(|d| d.to_string())
            .collect()),
        Err(gongkai::error::Error::Content(d)) => Err(d.iter().map(|d| d.to_string()).collect()),
        Err(e) => panic!("{e}"),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn replace(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} holds {from}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn plan_page_shows_status_due_and_overdue_in_words() {
    let (_t, out) = built();
    let doc = page(&out, &format!("{PLAN}index.html"));
    // Overdue is judged on the newest report's date (site.yaml sets no as_of), never the clock.
    let section = texts(&doc, "#progress p")[0].clone();
    assert!(section.contains("最新进展日期 2025-03-20"), "{section}");
    assert!(
        section.contains("共 8 项") && section.contains("已完成 2") && section.contains("已逾期 3"),
        "{section}"
    );

    // Each task's state follows it in the text, in words.
    let m1 = mark_after(&doc, "task-1");
    assert!(m1.contains("已完成") && !m1.contains("已逾期"), "{m1}");
    assert!(m1.contains("完成时限：2024年6月底前（2024-06-30）"), "{m1}");
    let m2 = mark_after(&doc, "task-2");
    assert!(
        m2.contains("推进中") && m2.contains("已逾期") && m2.contains("2024-09-30"),
        "{m2}"
    );
    // 延期 is no excuse: past its due date (年内, from the front matter) it is overdue.
    let m3 = mark_after(&doc, "task-3");
    assert!(
        m3.contains("延期") && m3.contains("已逾期") && m3.contains("年内"),
        "{m3}"
    );
    // A standing task is never overdue.
    let m4 = mark_after(&doc, "task-4");
    assert!(m4.contains("持续推进") && !m4.contains("已逾期"), "{m4}");
    // Unreported and past due.
    let m5 = mark_after(&doc, "task-5");
    assert!(m5.contains("已逾期") && m5.contains("年内完成"), "{m5}");

    // Colour is never alone: every status box says its status in words, and its class names it.
    let statuses: Vec<_> = doc.select(&sel(".status")).collect();
    assert!(statuses.len() > 20);
    for s in &statuses {
        let words = s.text().collect::<String>();
        assert!(!words.trim().is_empty(), "{}", s.html());
        let class = s.value().attr("class").unwrap();
        let expect = [
            ("status-done", "已完成"),
            ("status-in_progress", "推进中"),
            ("status-delayed", "延期"),
            ("status-overdue", "已逾期"),
            ("status-ongoing", "持续推进"),
            ("status-not_started", "未启动"),
            ("status-none", "未报告"),
            ("status-cancelled", "已取消"),
        ];
        let (_, word) = expect
            .iter()
            .find(|(c, _)| class.contains(c))
            .unwrap_or_else(|| panic!("{class}"));
        assert!(words.contains(word), "{class}: {words}");
    }

    // The annex task list's 完成时限 column is the due date of its rows.
    let row = texts(&doc, "tr#task-a1 td").join("|");
    assert!(
        row.contains("已完成") && row.contains("2024-10-31"),
        "{row}"
    );
    // The section links to the progress page, where every task's state and reports are.
    let links = attrs(&doc, "#progress a", "href");
    assert_eq!(links, ["../../../shili/2024/aqsc-gongzuo-yijian/progress/"]);

    // Results against targets, in words.
    let ind = texts(&doc, "#indicators tbody tr");
    assert!(ind[0].contains("下降12%（达到目标）"), "{ind:?}");
    assert!(ind[1].contains("下降3%（未达到目标）"), "{ind:?}");
    assert!(ind[2].contains("2024年 0（达到目标）"), "{ind:?}");
}

#[test]
fn downloads_interpretation_and_progress_page() {
    let (_t, out) = built();
    let plan_file = out.join(format!("{PLAN}index.html"));
    let doc = page(&out, &format!("{PLAN}index.html"));

    // 原文下载: the source under sources/ is published, with its type and size, not its name.
    let dd = doc
        .select(&sel("#meta div"))
        .find(|d| d.text().collect::<String>().starts_with("原文下载"))
        .expect("原文下载");
    let a = dd.select(&sel("a")).next().unwrap();
    let source = fixture("tracker").join("sources/shili/2024/aqsc-gongzuo-yijian.txt");
    let (file, _) = resolve(&out, &plan_file, a.value().attr("href").unwrap()).unwrap();
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(&source).unwrap()
    );
    assert_eq!(a.value().attr("download"), Some("aqsc-gongzuo-yijian.txt"));
    let size = std::fs::metadata(&source).unwrap().len();
    let line = dd.text().collect::<String>();
    assert!(line.contains(&format!("（文本，{size} 字节）")), "{line}");
    assert!(!doc.html().contains("来源：sources/"));

    // The annex and the evidence PDF, with type and size.
    let files = texts(&doc, "#data .files li");
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("附件：附件1 重点任务分解表") && f.contains("（CSV，")),
        "{files:?}"
    );
    assert!(out.join(format!("{PLAN}files/zeren-qingdan.pdf")).exists());

    // The plan and its 解读 link both ways.
    let jiedu: Vec<String> = attrs(&doc, "#data .files a", "href")
        .into_iter()
        .filter(|h| h.ends_with("jiedu/"))
        .collect();
    assert_eq!(jiedu.len(), 1);
    let (jfile, _) = resolve(&out, &plan_file, &jiedu[0]).unwrap();
    let j = Html::parse_document(&std::fs::read_to_string(&jfile).unwrap());
    assert_eq!(texts(&j, "h1"), ["《示例区2024年安全生产工作意见》解读"]);
    let back: Vec<PathBuf> = attrs(&j, "#meta a", "href")
        .iter()
        .filter_map(|h| resolve(&out, &jfile, h).map(|x| x.0))
        .collect();
    assert!(back.contains(&plan_file), "{back:?}");
    // Its own link to a task of the plan, written @/…#task-2, reaches the task.
    let (t, frag) = resolve(&out, &jfile, &attrs(&j, "#text a", "href")[0]).unwrap();
    assert_eq!((t, frag.as_deref()), (plan_file.clone(), Some("task-2")));

    // The progress page: each task's reports, newest first, with evidence; paged so that a page
    // holds at most page_size (3) tasks and 3 reports: task 1 has two, task 2 one.
    let p = page(&out, &format!("{PLAN}progress/index.html"));
    assert_eq!(attrs(&p, "section.timeline", "id"), ["task-1", "task-2"]);
    let p2 = page(&out, &format!("{PLAN}progress/page/2/index.html"));
    assert_eq!(
        attrs(&p2, "section.timeline", "id"),
        ["task-3", "task-4", "task-5"]
    );
    let dates = texts(&p, "#task-1 .reports time");
    assert_eq!(dates, ["2024-06-20", "2024-03-15"]);
    let evidence = attrs(&p, "#task-1 .evidence a", "href");
    assert_eq!(
        evidence[0],
        "https://www.example.gov.cn/zwgk/tzgg/2024/zrqd.html"
    );
    let pdf = resolve(
        &out,
        &out.join(format!("{PLAN}progress/index.html")),
        &evidence[1],
    )
    .unwrap()
    .0;
    assert!(pdf.ends_with("files/zeren-qingdan.pdf") && pdf.exists());
    assert!(texts(&p, "#task-1 .evidence").concat().contains("（PDF，"));
    let pages = attrs(&p, ".pager a", "href");
    assert!(
        pages.iter().any(|h| h.ends_with("progress/page/3/")),
        "{pages:?}"
    );
    // A task's mark links to its reports: the page and anchor exist.
    let a1 = page(&out, &format!("{PLAN}progress/page/3/index.html"));
    assert_eq!(texts(&a1, "#task-a1 .reports time"), ["2024-11-05"]);

    // Nothing is broken or out of reach.
    assert_eq!(broken_links(&out), Vec::<String>::new());
    assert_eq!(unreachable_pages(&out), Vec::<String>::new());
}

#[test]
fn completion_by_unit_person_district_and_home() {
    let (_t, out) = built();
    // 区应急局 leads tasks 1, 3, 5 of 2024 and 2, 4 of 2025.
    let unit = page(&out, "units/shili/yingji/index.html");
    let lead = texts(&unit, "main p")
        .into_iter()
        .find(|p| p.starts_with("落实情况"))
        .expect("completion");
    assert!(
        lead.contains("牵头 5 项：") && lead.contains("已完成 1") && lead.contains("延期 1"),
        "{lead}"
    );
    assert!(
        lead.contains("推进中 1") && lead.contains("未报告 2") && lead.contains("已逾期 3"),
        "{lead}"
    );
    // Each task of its list carries its status.
    let items = texts(&unit, ".tasks li");
    assert!(
        items
            .iter()
            .any(|t| t.contains("有限空间") && t.contains("已逾期")),
        "{items:?}"
    );

    // 示甲 is responsible for the two annex rows: one done, one unreported.
    let person = page(&out, "persons/shili/shi-jia/index.html");
    let c = texts(&person, "main p").join(" ");
    assert!(
        c.contains("负责 2 项：") && c.contains("已完成 1") && c.contains("未报告 1"),
        "{c}"
    );

    // The district lists each plan with its completion.
    let d = page(&out, "shili/index.html");
    let cards = texts(&d, ".plans li");
    assert!(
        cards.iter().any(|c| c.contains("2025年")
            && c.contains("落实情况：共 5 项：")
            && c.contains("已逾期 1")),
        "{cards:?}"
    );
    // 样例区 keeps its progress in the plan's front matter.
    let y = page(&out, "yangli/index.html");
    let card = texts(&y, ".plans li").concat();
    assert!(
        card.contains("已完成 1") && card.contains("已取消 1"),
        "{card}"
    );

    // The home page shows the newest reports, linking to their timelines.
    let home = page(&out, "index.html");
    let latest = texts(&home, "section[aria-labelledby=reports-h] li");
    assert!(
        latest[0].contains("推进工贸企业安全生产标准化建设") && latest[0].contains("2025-03-20"),
        "{latest:?}"
    );
}

#[test]
fn indicators_show_results_against_targets() {
    let (_t, out) = built();
    let doc = page(&out, "indicators/accident-count/index.html");
    let rows = texts(&doc, "table tbody tr");
    assert!(
        rows[0].contains("8%（下降幅度）") && rows[0].contains("下降12%（达到目标）"),
        "{rows:?}"
    );
    assert!(rows[1].contains("暂无"), "{rows:?}");
    // The chart draws the results beside the targets, and says them in words.
    let desc = texts(&doc, "svg.chart desc").concat();
    assert!(desc.contains("实际值）：2024年 下降12%"), "{desc}");
    assert!(
        texts(&doc, "svg.chart title")
            .concat()
            .contains("目标与实际值")
    );
    let missed = page(&out, "indicators/death-count/index.html");
    assert!(texts(&missed, "table tbody tr")[0].contains("未达到目标"));
    // The district's indicator table has them too.
    let d = page(&out, "shili/index.html");
    let t = texts(&d, "section[aria-labelledby=ind-h] tbody tr").join("\n");
    assert!(t.contains("实际：2024年 下降3%（未达到目标）"), "{t}");
}

#[test]
fn comparison_notes_what_became_of_last_years_tasks() {
    let (_t, out) = built();
    let doc = page(&out, "compare/shili-2024--shili-2025/index.html");
    assert_eq!(
        texts(&doc, "#previous .summary li"),
        ["已完成 2 项", "延续到今年 3 项", "未提及 3 项"]
    );
    let outcome = |n: &str| {
        doc.select(&sel("#previous tbody tr"))
            .find(|tr| tr.text().collect::<String>().contains(n))
            .map(|tr| texts(&Html::parse_fragment(&tr.html()), ".outcome").concat())
            .unwrap_or_default()
    };
    assert_eq!(outcome("落实安全生产责任制"), "已完成");
    assert_eq!(outcome("开展城镇燃气安全专项整治"), "延续到今年");
    assert_eq!(outcome("建设安全生产风险监测预警平台"), "未提及");
    assert_eq!(outcome("电梯安全隐患排查"), "已完成");
    // The 2025 plan has no later plan: its page has no such section.
    let p = page(&out, &format!("{PLAN_2025}index.html"));
    assert!(texts(&p, "#previous").is_empty());
}

#[test]
fn open_data_carries_due_dates_status_progress_and_results() {
    let (_t, out) = built();
    let plan = json(&out, &format!("{PLAN}plan.json"));
    assert_eq!(plan["as_of"], "2025-03-20");
    assert_eq!(plan["completion"]["total"], 8);
    assert_eq!(plan["completion"]["by_status"]["done"], 2);
    assert_eq!(plan["completion"]["unreported"], 2);
    assert_eq!(plan["completion"]["overdue"], 3);
    let task = |n: &str| {
        plan["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["number"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(task("1")["status"], "done");
    assert_eq!(task("1")["due"]["date"], "2024-06-30");
    assert_eq!(task("1")["due"]["from"], "text");
    assert_eq!(task("3")["due"]["from"], "front_matter");
    assert_eq!(task("a1")["due"]["from"], "table");
    assert_eq!(task("a2")["due"]["long_term"], true);
    assert_eq!(task("2")["overdue"], true);
    assert_eq!(task("5")["status"], Value::Null);
    let p1 = task("1")["progress"].as_array().unwrap().clone();
    assert_eq!(p1.len(), 2);
    assert_eq!(p1[1]["status_label"], "已完成");
    assert_eq!(
        p1[1]["evidence"][1]["url"],
        format!("{BASE}{PLAN}files/zeren-qingdan.pdf")
    );
    let files = plan["files"].as_array().unwrap();
    assert_eq!(
        files
            .iter()
            .map(|f| f["role"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["original", "annex", "evidence"]
    );
    assert_eq!(files[0]["type"], "txt");
    assert_eq!(
        files[0]["size"],
        std::fs::metadata(fixture("tracker").join("sources/shili/2024/aqsc-gongzuo-yijian.txt"))
            .unwrap()
            .len()
    );
    assert_eq!(plan["interpretation"]["url"], format!("{BASE}{PLAN}jiedu/"));
    let ind = &plan["indicators"][1]["results"][0];
    assert_eq!(
        (ind["value"].as_str(), ind["met"].as_bool()),
        (Some("下降3%"), Some(false))
    );

    // tasks.csv: due date, status and overdue per task.
    let (h, rows) = csv_rows(&out, "data/tasks.csv");
    let row = rows
        .iter()
        .find(|r| r[col(&h, "url")].ends_with(&format!("{PLAN}#task-2")))
        .unwrap();
    assert_eq!(row[col(&h, "due_date")], "2024-09-30");
    assert_eq!(row[col(&h, "status")], "推进中");
    assert_eq!(row[col(&h, "overdue")], "是");
    assert_eq!(row[col(&h, "updated")], "2024-07-10");

    // progress.csv: every report, once.
    let (h, rows) = csv_rows(&out, "data/progress.csv");
    assert_eq!(rows.len(), 7 + 3 + 2);
    let done = rows
        .iter()
        .find(|r| r[col(&h, "date")] == "2024-06-20")
        .unwrap();
    assert_eq!(done[col(&h, "number")], "'1");
    assert_eq!(done[col(&h, "status")], "已完成");
    assert!(
        done[col(&h, "evidence")].contains("zrqd.html；"),
        "{done:?}"
    );

    // indicators.csv: a row per result, met in words.
    let (h, rows) = csv_rows(&out, "data/indicators.csv");
    let met: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r[col(&h, "period")] == "2024" && r[col(&h, "district")] == "示例区")
        .map(|r| {
            (
                r[col(&h, "result_value")].as_str(),
                r[col(&h, "met")].as_str(),
            )
        })
        .collect();
    assert_eq!(
        met,
        [("下降12%", "达到"), ("下降3%", "未达到"), ("0", "达到")]
    );

    // The catalogue carries completion and downloads, not tasks.
    let plans = json(&out, "data/plans.json");
    let p = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["url"] == format!("{BASE}{PLAN}"))
        .unwrap();
    assert_eq!(p["completion"]["overdue"], 3);
    assert!(p.get("tasks").is_none());
}

/// The entries of an Atom feed: (title, link, updated).
fn atom_entries(xml: &str) -> Vec<(String, String, String)> {
    use quick_xml::events::Event;
    let name = |n: quick_xml::name::QName| -> String {
        let s: &str = n.as_ref();
        s.to_string()
    };
    let mut r = quick_xml::Reader::from_str(xml);
    let (mut out, mut path, mut cur): (Vec<_>, Vec<String>, (String, String, String)) =
        (Vec::new(), Vec::new(), Default::default());
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) => path.push(name(e.name())),
            Event::Empty(e)
                if path.last().map(String::as_str) == Some("entry") && name(e.name()) == "link" =>
            {
                let href = e.try_get_attribute("href").unwrap().unwrap();
                cur.1 = href
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .unwrap()
                    .into_owned();
            }
            Event::Text(t) if path.len() == 3 && path[1] == "entry" => {
                let text = t.xml10_content().into_owned();
                match path[2].as_str() {
                    "title" => cur.0 = text,
                    "updated" => cur.2 = text,
                    _ => {}
                }
            }
            Event::End(e) => {
                if name(e.name()) == "entry" {
                    out.push(std::mem::take(&mut cur));
                }
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn a_feed_of_progress_reports() {
    let (_t, out) = built();
    let xml = std::fs::read_to_string(out.join("progress.xml")).unwrap();
    let entries = atom_entries(&xml);
    assert_eq!(entries.len(), 12);
    // Newest first, dated by the report.
    assert_eq!(entries[0].2, "2025-03-20T00:00:00Z");
    assert!(entries[0].0.contains("推进中"), "{:?}", entries[0]);
    let updated: Vec<&str> = entries.iter().map(|e| e.2.as_str()).collect();
    let mut sorted = updated.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(updated, sorted);
    // Every entry links to its task on a progress page that has it.
    for (_, link, _) in &entries {
        let rel = link.strip_prefix(BASE).expect("absolute");
        let (path, anchor) = rel.split_once('#').unwrap();
        let doc = page(&out, &format!("{path}index.html"));
        assert_eq!(
            attrs(&doc, &format!("section[id='{anchor}']"), "id").len(),
            1,
            "{link}"
        );
    }
    // Every page names the feed.
    let home = page(&out, "index.html");
    assert!(
        attrs(&home, "link[rel=alternate]", "href")
            .iter()
            .any(|h| h == "./progress.xml")
    );
}

#[test]
fn as_of_in_site_yaml_judges_overdue_and_newer_reports_are_warned_of() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("tracker"), &root);
    replace(
        &root.join("site.yaml"),
        "page_size: 3\n",
        "page_size: 3\nas_of: 2024-08-01\n",
    );
    let (_t, out) = build_site(&root, None);
    let plan = json(&out, &format!("{PLAN}plan.json"));
    assert_eq!(plan["as_of"], "2024-08-01");
    // On 1 August 2024 only task 1 (done) and a1 (not yet due) … none is overdue.
    assert_eq!(plan["completion"]["overdue"], 0);
    let doc = page(&out, &format!("{PLAN}index.html"));
    assert!(texts(&doc, "#progress p")[0].contains("截至 2024-08-01"));
    // The reports newer than as_of are each warned of.
    let warnings = gongkai::build::check(&root, None).unwrap().site.warnings();
    let newer: Vec<String> = warnings
        .iter()
        .map(ToString::to_string)
        .filter(|w| w.contains("晚于 site.yaml 的 as_of（2024-08-01）"))
        .collect();
    assert_eq!(newer.len(), 6, "{newer:?}");
    assert!(
        newer[0].starts_with("警告：进展日期 2024-10-08 晚于"),
        "{newer:?}"
    );
    assert!(
        newer[0].contains("content/shili/2024/aqsc-gongzuo-yijian.progress.yaml:23"),
        "{newer:?}"
    );
    // In the front matter, on the entry's line.
    assert!(
        newer[5].contains("content/yangli/2024/aqsc-gongzuo-yaodian.md:17"),
        "{newer:?}"
    );
}

#[test]
fn an_edit_of_another_plan_keeps_the_warnings_of_progress_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("tracker"), &root);
    replace(
        &root.join("site.yaml"),
        "page_size: 3\n",
        "page_size: 3\nas_of: 2024-08-01\n",
    );
    let engine = gongkai::engine::Engine::open(&root, None).unwrap();
    let before = engine.site.warnings();
    assert!(
        before
            .iter()
            .any(|w| w.file.ends_with("aqsc-gongzuo-yijian.progress.yaml"))
    );
    // The preview reads the edited plan again and keeps the others, with their warnings.
    let other = root.join("content/yangli/2024/aqsc-gongzuo-yaodian.md");
    replace(
        &other,
        "title: 样例区2024年安全生产工作要点",
        "title: 样例区2024年安全生产工作要点（修订）",
    );
    let updated = engine.update(std::slice::from_ref(&other)).unwrap();
    let fresh = gongkai::engine::Engine::open(&root, None).unwrap();
    assert_eq!(updated.site.warnings(), fresh.site.warnings());
    assert_eq!(updated.site.warnings().len(), before.len());
}

#[test]
fn tracking_warnings_say_what_is_not_shown() {
    let warnings = check_copy(|root| {
        let plan = root.join("content/shili/2024/aqsc-gongzuo-yijian.md");
        // A due date that names no day.
        replace(&plan, "    due: 年内", "    due: 尽快");
        // A web page is no download.
        std::fs::write(root.join("sources/shili/2024/yuanwen.html"), "<p>x</p>").unwrap();
        replace(
            &plan,
            "attachments:\n",
            "attachments:\n  - file: sources/shili/2024/yuanwen.html\n",
        );
        // Two reports of one day that disagree.
        let progress = root.join("content/shili/2024/aqsc-gongzuo-yijian.progress.yaml");
        replace(
            &progress,
            "  - task: 6\n    date: 2024-04-01\n    status: 未启动\n",
            "  - task: 6\n    date: 2024-04-01\n    status: 未启动\n  - task: 6\n    date: 2024-04-01\n    status: 推进中\n",
        );
    })
    .expect("warnings only");
    let find = |needle: &str| {
        warnings
            .iter()
            .find(|w| w.contains(needle))
            .unwrap_or_else(|| panic!("no warning with {needle}: {warnings:#?}"))
            .clone()
    };
    let due = find("看不出是哪一天");
    assert!(
        due.starts_with("警告：第 3 项任务的完成时限“尽快”"),
        "{due}"
    );
    assert!(due.contains("aqsc-gongzuo-yijian.md:"), "{due}");
    let html = find("的类型不作为下载发布");
    assert!(html.contains("sources/shili/2024/yuanwen.html"), "{html}");
    let day = find("有两条状态不同的进展（未启动、推进中）");
    assert!(
        day.contains("aqsc-gongzuo-yijian.progress.yaml:35"),
        "{day}"
    );
}

#[test]
fn what_would_be_lost_is_an_error_with_its_line() {
    let errors = check_copy(|root| {
        let progress = root.join("content/shili/2024/aqsc-gongzuo-yijian.progress.yaml");
        replace(&progress, "  - task: 2\n", "  - task: 9\n");
        replace(&progress, "status: 延期", "status: 差不多");
        replace(&progress, "date: 2024-05-01", "date: 2024-13-01");
        replace(
            &progress,
            "  - indicator: 较大事故起数",
            "  - indicator: 道路交通事故起数",
        );
        let plan = root.join("content/shili/2024/aqsc-gongzuo-yijian.md");
        replace(&plan, "fujian-1-renwu-fenjie.csv", "../../site.yaml");
        replace(
            &plan,
            "attachments:\n",
            "attachments:\n  - file: sources/shili/2024/meiyou.pdf\n",
        );
        // A progress file whose plan is not there.
        std::fs::write(
            root.join("content/shili/2024/gongzuo-yaodian.progress.yaml"),
            "progress: []\n",
        )
        .unwrap();
    })
    .expect_err("errors");
    let find = |needle: &str| {
        errors
            .iter()
            .find(|w| w.contains(needle))
            .unwrap_or_else(|| panic!("no error with {needle}: {errors:#?}"))
            .clone()
    };
    let p = "content/shili/2024/aqsc-gongzuo-yijian.progress.yaml";
    assert!(find("进展写的任务“9”在文件中找不到").contains(&format!("{p}:18")));
    let status = find("进展状态“差不多”不认识");
    assert!(
        status.contains("未启动 / 推进中 / 持续推进 / 延期 / 已完成 / 已取消"),
        "{status}"
    );
    assert!(find("进展状态“差不多”").contains(&format!("{p}:23")));
    assert!(find("日期“2024-13-01”不对").contains(&format!("{p}:28")));
    assert!(
        find("实际值写的指标“道路交通事故起数”不是本文件的指标").contains("生产安全事故起数、")
    );
    assert!(find("不在站点的 sources/ 文件夹里").contains("sources/shili/2024/../../site.yaml"));
    find("找不到文件 sources/shili/2024/meiyou.pdf");
    assert!(
        find("旁边没有对应的计划文件").contains("content/shili/2024/gongzuo-yaodian.progress.yaml")
    );
}

#[test]
fn the_real_content_gets_no_progress_and_offers_its_originals() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let side: Vec<_> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy();
            n.ends_with(".progress.yaml") || n.ends_with(".jiedu.md")
        })
        .collect();
    assert!(side.is_empty(), "{side:?}");
    let (_t, out) = build_site(root, None);
    let plans = json(&out, "data/plans.json");
    assert_eq!(plans.as_array().unwrap().len(), 5);
    for p in plans.as_array().unwrap() {
        let rel = p["url"].as_str().unwrap().strip_prefix("https://").unwrap();
        let rel = &rel[rel.find("/zwgk/aqsc/").unwrap() + "/zwgk/aqsc/".len()..];
        let data = json(&out, &format!("{rel}plan.json"));
        assert_eq!(data["completion"], Value::Null, "{rel}");
        assert!(
            data["tasks"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["progress"].as_array().unwrap().is_empty() && t["status"].is_null()),
            "{rel}"
        );
        assert!(!out.join(format!("{rel}progress")).exists(), "{rel}");
        // Each plan's original is offered for download, the same bytes as sources/.
        let original = &data["files"][0];
        assert_eq!(original["role"], "original", "{rel}");
        let name = original["file_name"].as_str().unwrap();
        let published = out.join(rel).join("files").join(name);
        // content/<district>/<year>/<id>.md has its original in sources/<district>/<year>/.
        let parts: Vec<&str> = rel.split('/').collect();
        let source = root
            .join("sources")
            .join(parts[0])
            .join(parts[1])
            .join(name);
        assert_eq!(
            std::fs::read(&published).unwrap(),
            std::fs::read(&source).unwrap(),
            "{rel}"
        );
        let doc = page(&out, &format!("{rel}index.html"));
        let meta = texts(&doc, "#meta div").join("\n");
        assert!(
            meta.contains("原文下载") && meta.contains("（文本，"),
            "{meta}"
        );
    }
}

#[test]
fn init_makes_an_example_with_progress_results_a_jiedu_and_an_attachment() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    gongkai::init::init(&site, false).unwrap();
    let (_t, out) = build_site(&site, None);
    let plan = json(&out, "shili/2024/aqsc-gongzuo-yaodian/plan.json");
    assert_eq!(plan["completion"]["total"], 3);
    assert_eq!(plan["indicators"][0]["results"][0]["met"], true);
    assert_eq!(
        plan["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["role"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["original", "annex"]
    );
    assert!(
        out.join("shili/2024/aqsc-gongzuo-yaodian/jiedu/index.html")
            .exists()
    );
    assert!(
        out.join("shili/2024/aqsc-gongzuo-yaodian/progress/index.html")
            .exists()
    );
    assert_eq!(broken_links(&out), Vec::<String>::new());
}
