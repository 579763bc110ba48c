//! Comparison pages: the fictional `compare` fixture (示例区 in 2022, 2023 and 2024, a
//! five-year plan, and 样例区 in the same region) exercises every kind of change; the real
//! content must give the 上海市 region comparison.

mod common;

use std::path::Path;

use common::*;
use scraper::Html;
use serde_json::Value;

fn comparisons(out: &Path) -> Value {
    let text =
        std::fs::read_to_string(out.join("data/comparisons.json")).expect("comparisons.json");
    serde_json::from_str(&text).expect("valid JSON")
}

/// The comparison from one plan URL to another in comparisons.json.
fn find<'a>(data: &'a Value, from: &str, to: &str) -> &'a Value {
    data["comparisons"]
        .as_array()
        .expect("list")
        .iter()
        .find(|c| {
            let ends = |v: &Value, end: &str| v.as_str().is_some_and(|u| u.ends_with(end));
            ends(&c["from"]["url"], from) && ends(&c["to"]["url"], to)
        })
        .unwrap_or_else(|| panic!("no comparison {from} -> {to}"))
}

/// (from, to) task numbers of a list of matches.
fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .expect("list")
        .iter()
        .map(|m| {
            (
                m["from"].as_str().unwrap_or_default().to_string(),
                m["to"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("list")
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

const Y2022: &str = "shili/2022/aqsc-gongzuo-yijian/";
const Y2023: &str = "shili/2023/aqsc-gongzuo-yijian/";
const Y2024: &str = "shili/2024/aqsc-gongzuo-yijian/";
const FIVE_YEAR: &str = "shili/2021-2025/shisiwu-guihua/";
const YANGLI: &str = "yangli/2023/aqsc-gongzuo-yaodian/";

#[test]
fn tasks_are_matched_as_continued_changed_new_and_dropped() {
    let (_t, out) = build_site(&fixture("compare"), None);
    let data = comparisons(&out);
    let c = find(&data, Y2022, Y2023);
    assert_eq!(c["scope"], "series");
    assert_eq!(
        c["url"],
        "https://www.example.gov.cn/zwgk/aqsc/compare/shili-2022--shili-2023/"
    );
    let t = &c["tasks"];
    let own = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        pairs(&t["continued"]),
        own(&[("1", "1"), ("2", "2"), ("4", "4")])
    );
    // 推进危险化学品专项整治 → 推进危险化学品和燃气安全专项整治: reworded.
    assert_eq!(pairs(&t["changed"]), own(&[("3", "3")]));
    assert_eq!(strings(&t["new"]), ["5"]);
    assert_eq!(strings(&t["dropped"]), ["5"]);
    // Task 2 moved from 区委宣传部 to 区司法局: continued, with its lead changed.
    assert_eq!(t["continued"][1]["lead_changed"], true);
    assert_eq!(t["continued"][0]["lead_changed"], false);

    // The next year: a task renumbered (5 → 4) is still matched, and its support changed.
    let c = find(&data, Y2023, Y2024);
    let t = &c["tasks"];
    assert_eq!(
        pairs(&t["continued"]),
        own(&[("1", "1"), ("2", "2"), ("5", "4")])
    );
    assert_eq!(t["continued"][2]["support_changed"], true);
    assert_eq!(pairs(&t["changed"]), own(&[("4", "3")]));
    assert_eq!(strings(&t["new"]), ["5"]);
    assert_eq!(strings(&t["dropped"]), ["3"]);
}

#[test]
fn indicators_units_and_sections_changes() {
    let (_t, out) = build_site(&fixture("compare"), None);
    let data = comparisons(&out);
    let c = find(&data, Y2022, Y2023);
    let changes: Vec<(String, String)> = c["indicators"]
        .as_array()
        .expect("list")
        .iter()
        .map(|i| {
            (
                i["slug"].as_str().unwrap_or_default().to_string(),
                i["change"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let expect = [
        ("accident-count", "raised"),
        ("major-accidents", "same"),
        ("deaths-per-100m-gdp", "new"),
        ("death-count", "dropped"),
    ];
    assert_eq!(
        changes,
        expect
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    );
    // Units that gained or lost tasks, with the task numbers.
    let unit = |name: &str| -> (Vec<String>, Vec<String>) {
        let u = c["units"]
            .as_array()
            .expect("list")
            .iter()
            .find(|u| u["unit"] == name)
            .unwrap_or_else(|| panic!("{name} in units"));
        (strings(&u["gained"]), strings(&u["lost"]))
    };
    assert_eq!(unit("区委宣传部"), (vec![], vec!["2".to_string()]));
    assert_eq!(unit("区司法局"), (vec!["2".to_string()], vec![]));
    assert_eq!(unit("区公安分局"), (vec![], vec!["5".to_string()]));
    assert_eq!(unit("区大数据中心"), (vec!["5".to_string()], vec![]));
    // 区应急局 keeps all its tasks, so it is not listed.
    assert!(
        !c["units"]
            .as_array()
            .expect("list")
            .iter()
            .any(|u| u["unit"] == "区应急局")
    );
    assert_eq!(strings(&c["sections_only_to"]), ["三、推进数字治理"]);
    assert!(strings(&c["sections_only_from"]).is_empty());
}

#[test]
fn the_comparison_page_shows_every_change() {
    let (_t, out) = build_site(&fixture("compare"), None);
    let doc = page(&out, "compare/shili-2022--shili-2023/index.html");
    assert_eq!(
        texts(&doc, "h1"),
        ["示例区2022年工作意见与示例区2023年工作意见对比"]
    );
    // Indicators side by side, the raised target marked in words.
    let row = |name: &str| -> Vec<String> {
        doc.select(&sel("#indicators tbody tr"))
            .find(|r| r.text().collect::<String>().contains(name))
            .map(|r| {
                r.select(&sel("th, td"))
                    .map(|c| c.text().collect::<String>())
                    .collect()
            })
            .unwrap_or_else(|| panic!("row {name}"))
    };
    assert_eq!(
        row("生产安全事故起数"),
        [
            "生产安全事故起数",
            "5%（下降幅度）",
            "8%（下降幅度）",
            "目标值提高"
        ]
    );
    assert_eq!(row("亿元生产总值")[3], "新增指标");
    assert_eq!(row("生产安全事故死亡人数")[3], "不再列出");

    // The reworded task as an inline diff: insertions marked in text, not by colour alone.
    let ins: Vec<String> = doc
        .select(&sel("#changed .diff ins"))
        .map(|e| e.text().collect())
        .collect();
    assert!(ins.contains(&"［新增：和燃气安全］".to_string()), "{ins:?}");
    let hidden = texts(&doc, "#changed .diff ins .visually-hidden");
    assert!(
        hidden.iter().all(|h| h == "［新增：" || h == "］"),
        "{hidden:?}"
    );
    let diff_text: String = doc
        .select(&sel("#changed .diff"))
        .next()
        .expect("diff")
        .text()
        .collect();
    assert!(diff_text.starts_with("推进危险化学品"));

    // New and dropped tasks link to the tasks in their plans.
    assert_eq!(
        attrs(&doc, "#new a", "href"),
        [format!("../../{Y2023}#task-5")]
    );
    assert_eq!(
        attrs(&doc, "#dropped a", "href"),
        [format!("../../{Y2022}#task-5")]
    );
    // The task moved to another unit, named with both units.
    let moved = texts(&doc, "#responsibility ol li");
    assert_eq!(moved.len(), 1);
    assert!(
        moved[0].contains("区委宣传部") && moved[0].contains("区司法局"),
        "{moved:?}"
    );
    let sections = texts(&doc, "#sections li");
    assert_eq!(sections, ["三、推进数字治理"]);
}

#[test]
fn plans_districts_and_regions_link_their_comparisons() {
    let (_t, out) = build_site(&fixture("compare"), None);
    assert_eq!(broken_links(&out), Vec::<String>::new());
    assert_eq!(unreachable_pages(&out), Vec::<String>::new());

    // The 2023 plan is in two comparisons, after 2022 and before 2024, and on its region's
    // page; 样例区's plans are no versions of 示例区's, so they are not compared with them.
    let plan = page(&out, &format!("{Y2023}index.html"));
    let links = attrs(&plan, "#comparisons a", "href");
    assert_eq!(
        links,
        [
            "../../../compare/shili-2022--shili-2023/",
            "../../../compare/shili-2023--shili-2024/",
            "../../../regions/shilishi/"
        ]
    );
    let yangli = page(&out, &format!("{YANGLI}index.html"));
    assert_eq!(
        attrs(&yangli, "#comparisons a", "href"),
        ["../../../regions/shilishi/"]
    );
    // The five-year plan is compared only where site.yaml asks, not with annual plans.
    let five = page(&out, &format!("{FIVE_YEAR}index.html"));
    let links: Vec<String> = attrs(&five, "#comparisons ul a", "href");
    assert_eq!(links, ["../../../compare/shili-2021-2025--shili-2024/"]);
    let conf = page(&out, "compare/shili-2021-2025--shili-2024/index.html");
    assert_eq!(
        texts(&conf, "h1"),
        ["示例区“十四五”规划与2024年工作意见对比"]
    );

    // The district timeline: the consecutive annual plans, oldest first.
    let district = page(&out, "shili/index.html");
    assert_eq!(
        attrs(&district, "#timeline-h + p + ol a", "href"),
        [
            "../compare/shili-2022--shili-2023/",
            "../compare/shili-2023--shili-2024/"
        ]
    );
    // The region: a grid of years by districts, plans side by side, no before and after.
    let region = page(&out, "regions/shilishi/index.html");
    assert_eq!(
        texts(&region, ".grid thead th"),
        ["年度", "示例区", "样例区"]
    );
    assert_eq!(
        texts(&region, ".grid tbody th"),
        ["2021", "2022", "2023", "2024"]
    );
    let row_2023: Vec<String> = region
        .select(&sel(".grid tbody tr"))
        .nth(2)
        .expect("2023 row")
        .select(&sel("td a"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(row_2023, ["工作意见", "工作要点"]);
    assert!(
        region
            .select(&sel("main a[href*='compare/']"))
            .next()
            .is_none()
    );
    let data = comparisons(&out);
    let between = data["comparisons"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|c| c["from"]["district"] != c["to"]["district"])
        .count();
    assert_eq!(between, 0, "no comparison across districts");
}

fn chart_of(doc: &Html, id: &str) -> (String, String, Vec<String>) {
    let svg = doc
        .select(&sel(&format!(
            "figure.chart svg[aria-labelledby=\"{id}-t {id}-d\"]"
        )))
        .next()
        .unwrap_or_else(|| panic!("chart {id}"));
    assert_eq!(svg.value().attr("role"), Some("img"));
    let title = texts(doc, &format!("#{id}-t")).concat();
    let desc = texts(doc, &format!("#{id}-d")).concat();
    let lines = svg
        .select(&sel("polyline"))
        .filter_map(|p| p.value().attr("points").map(str::to_string))
        .collect();
    (title, desc, lines)
}

#[test]
fn indicator_charts_are_inline_svg_with_a_text_alternative_and_a_table() {
    let (_t, out) = build_site(&fixture("compare"), None);
    let district = page(&out, "shili/index.html");
    let (title, desc, lines) = chart_of(&district, "chart-accident-count");
    assert_eq!(title, "示例区生产安全事故起数历年目标");
    assert_eq!(desc, "下降幅度：2022年 5%，2023年 8%，2024年 10%。");
    assert_eq!(lines.len(), 1);
    // Three points, rising: later years are further right and higher up (smaller y).
    let pts: Vec<(f64, f64)> = lines[0]
        .split(' ')
        .map(|p| {
            let (x, y) = p.split_once(',').expect("x,y");
            (x.parse().expect("x"), y.parse().expect("y"))
        })
        .collect();
    assert_eq!(pts.len(), 3);
    assert!(pts[0].0 < pts[1].0 && pts[1].0 < pts[2].0);
    assert!(pts[0].1 > pts[1].1 && pts[1].1 > pts[2].1);
    // The same numbers in the table beside the chart.
    let table = texts(&district, "#ind-h ~ .table-wrap tbody tr");
    assert!(
        table
            .iter()
            .any(|r| r.contains("5%（下降幅度）") && r.contains("10%（下降幅度）")),
        "{table:?}"
    );
    // No line, no chart: 较大事故起数 is 杜绝 (no number); 死亡人数 has one annual target and one
    // five-year target, which measure different things.
    for id in ["chart-major-accidents-t", "chart-death-count-t"] {
        assert!(
            district.select(&sel(&format!("#{id}"))).next().is_none(),
            "{id}"
        );
    }
    // Drawn at build time: no script in or for the charts.
    assert!(
        district
            .select(&sel("figure script, svg script"))
            .next()
            .is_none()
    );

    // On the indicator page, a line per district.
    let ind = page(&out, "indicators/accident-count/index.html");
    let (_, desc, lines) = chart_of(&ind, "chart-accident-count");
    assert_eq!(lines.len(), 2);
    assert!(desc.contains("示例区（下降幅度）：2022年 5%"), "{desc}");
    assert!(desc.contains("样例区（下降幅度）：2023年 6%"), "{desc}");
    assert_eq!(texts(&ind, "figcaption .key").len(), 2);
}

#[test]
fn a_comparison_must_name_real_plans() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    for e in walkdir::WalkDir::new(fixture("compare")) {
        let e = e.expect("walk");
        let rel = e.path().strip_prefix(fixture("compare")).expect("prefix");
        let dest = root.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
    let config = std::fs::read_to_string(root.join("site.yaml")).expect("read");
    let config = config.replace(
        "to: shili/2024/aqsc-gongzuo-yijian",
        "to: shili/2026/aqsc-gongzuo-yijian",
    );
    std::fs::write(root.join("site.yaml"), &config).expect("write");
    let line = config
        .lines()
        .position(|l| l.contains("from: shili/2021-2025"))
        .expect("entry")
        + 1;
    let d = match gongkai::build::check(&root, None) {
        Err(gongkai::error::Error::Content(d)) => d,
        other => panic!("a missing plan is an error: {other:?}"),
    };
    let d: Vec<_> = d
        .into_iter()
        .filter(|d| d.severity == gongkai::diagnostics::Severity::Error)
        .collect();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].file, Path::new("site.yaml"));
    assert_eq!(d[0].line, line);
    assert!(d[0].message.contains("shili/2026/aqsc-gongzuo-yijian"));
}

#[test]
fn the_real_shanghai_plans_are_set_side_by_side_but_not_chained() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_t, out) = build_site(root, None);
    let region = page(&out, "regions/shanghaishi/index.html");
    assert_eq!(texts(&region, "h1"), ["上海市各地区文件逐年对照"]);
    assert_eq!(
        texts(&region, ".grid thead th"),
        ["年度", "静安区", "崇明区", "浦东新区"]
    );
    assert_eq!(texts(&region, ".grid tbody th"), ["2017", "2021", "2023"]);
    for plan in [
        "jingan/2017/aqsc-gongzuo-yijian/",
        "pudong/2021/aqsc-gongzuo-yaodian/",
        "chongming/2023/aqsc-gongzuo-yijian/",
    ] {
        let doc = page(&out, &format!("{plan}index.html"));
        let links = attrs(&doc, "#comparisons a", "href");
        // The region page, and no "前一文件" of another district or issuer.
        assert_eq!(links, ["../../../regions/shanghaishi/"], "{plan}");
    }
    // The plans outside 上海市 are in no comparison.
    let nantong = page(&out, "nantong-kfq/2018/aqsc-gongzuo-yaodian/index.html");
    assert!(nantong.select(&sel("#comparisons")).next().is_none());
    let data = comparisons(&out);
    assert_eq!(data["comparisons"].as_array().map(Vec::len), Some(0));
}
