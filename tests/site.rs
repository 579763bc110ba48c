//! The fixture site `tests/sites/valid` (fictional 示例区 and 样例区) built and read back: every
//! page kind, the cross-links between them, the open data, and the build's guarantees.

mod common;

use std::collections::BTreeSet;

use common::*;

/// The fixture's base URL, which the open data's URLs start with.
const BASE: &str = "https://www.example.gov.cn/zwgk/aqsc/";

/// A URL of the open data as a path in the output.
fn local(url: &serde_json::Value) -> String {
    let url = url.as_str().expect("a URL");
    url.strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} starts with the base URL"))
        .to_string()
}

const PLAN_2023: &str = "shili/2023/aqsc-gongzuo-yijian/index.html";
const PLAN_2024: &str = "shili/2024/aqsc-gongzuo-yijian/index.html";

#[test]
fn plan_page_has_metadata_contents_anchors_and_links() {
    let (_t, out) = build_site(&fixture("valid"), None);
    let doc = page(&out, PLAN_2023);
    assert_eq!(texts(&doc, "h1").len(), 1, "one h1");
    assert!(texts(&doc, "h1")[0].starts_with("示例区2023年安全生产工作意见"));
    assert_eq!(attrs(&doc, "html", "lang"), ["zh-CN"]);

    // 政府信息公开 metadata as a summary list.
    let labels = texts(&doc, "#meta dt");
    for l in [
        "索引号",
        "主题分类",
        "发文机关",
        "成文日期",
        "发文字号",
        "发布日期",
        "有效性",
        "公开方式",
    ] {
        assert!(labels.contains(&l.to_string()), "missing {l} in {labels:?}");
    }
    let values = texts(&doc, "#meta dd");
    assert!(values.contains(&"示安委〔2023〕1号".to_string()));
    assert!(
        values.contains(&"安全生产".to_string()),
        "default topic from config"
    );

    // 失效 plans carry a banner.
    let banner = texts(&doc, ".banner");
    assert_eq!(banner.len(), 1);
    assert!(banner[0].contains("失效"));
    assert!(texts(&page(&out, PLAN_2024), ".banner").is_empty());

    // Headings map to levels by numbering; contents link to them.
    assert_eq!(
        texts(&doc, "#text h2"),
        ["一、强化责任意识", "二、防范化解风险"]
    );
    assert_eq!(texts(&doc, "#text h3"), ["（一）全面履行领导责任"]);
    let ids: BTreeSet<String> = attrs(&doc, "[id]", "id").into_iter().collect();
    for href in attrs(&doc, "#contents a", "href") {
        assert!(
            ids.contains(href.trim_start_matches('#')),
            "toc target {href}"
        );
    }
    for a in [
        "task-1", "task-2", "task-3", "task-4", "s-1", "s-1-1", "s-2",
    ] {
        assert!(ids.contains(a), "anchor {a}");
    }

    // Soft line breaks between Chinese characters do not become spaces.
    let intro = texts(&doc, "#text p")[0].clone();
    assert!(intro.contains("这一段是虚构的说明文字"), "{intro}");

    // The notation's unit names link to unit pages; the text stays as written.
    let task3 = texts(&doc, "#task-3")[0].clone();
    assert_eq!(
        task3,
        "3.开展专项整治。（牵头单位：区建设管理委；配合单位：区消防救援支队、各街镇）"
    );
    let unit_links = attrs(&doc, "#task-4 .resp a", "href");
    assert_eq!(unit_links.len(), 2, "{unit_links:?}");
    assert!(unit_links[1].ends_with("units/shili/yingji/"));

    // Responsibility summary: unit → task numbers linking to anchors.
    let rows = texts(&doc, "#responsibility tbody th");
    assert_eq!(
        rows[0], "区应急局",
        "the unit with most tasks first: {rows:?}"
    );
    let resp_links = attrs(&doc, "#responsibility tbody tr:first-child td a", "href");
    assert_eq!(resp_links, ["#task-1", "#task-2", "#task-4"]);

    // Indicator table links to indicator pages.
    assert_eq!(
        texts(&doc, "#indicators tbody th"),
        ["生产安全事故起数", "较大事故起数"]
    );
    assert!(
        attrs(&doc, "#indicators tbody th a", "href")[0].ends_with("indicators/accident-count/")
    );

    // Same district's other plans and the same year's plans of other districts.
    let related = attrs(&doc, "#related a", "href");
    assert!(
        related
            .iter()
            .any(|h| h.ends_with("shili/2024/aqsc-gongzuo-yijian/")),
        "{related:?}"
    );
    assert!(
        related
            .iter()
            .any(|h| h.ends_with("shili/2021-2025/shisiwu-guihua/")),
        "{related:?}"
    );
    let doc24 = page(&out, PLAN_2024);
    assert!(
        attrs(&doc24, "#related a", "href")
            .iter()
            .any(|h| h.ends_with("yangli/2024/aqsc-gongzuo-yaodian/"))
    );

    // Downloads exist.
    for h in attrs(&doc, "#data a", "href") {
        let (p, _) = resolve(&out, &out.join(PLAN_2023), &h).unwrap();
        assert!(p.exists(), "{h}");
    }
}

#[test]
fn plan_page_meta_tags_and_json_ld() {
    let (_t, out) = build_site(&fixture("valid"), None);
    let doc = page(&out, PLAN_2024);
    let meta = |name: &str| attrs(&doc, &format!("meta[name={name}]"), "content");
    assert_eq!(meta("SiteIDCode"), ["0000000000"]);
    assert_eq!(meta("ColumnName"), ["安全生产规划"]);
    assert_eq!(meta("ArticleTitle"), ["示例区2024年安全生产工作意见"]);
    assert_eq!(meta("PubDate"), ["2024-02-08"]);
    // A plan without a publication date gets no PubDate: dates are never invented.
    let g = page(&out, "shili/2021-2025/shisiwu-guihua/index.html");
    assert!(attrs(&g, "meta[name=PubDate]", "content").is_empty());

    let ld: Vec<String> = doc
        .select(&sel("script[type='application/ld+json']"))
        .map(|e| e.inner_html())
        .collect();
    assert_eq!(ld.len(), 1);
    let v: serde_json::Value = serde_json::from_str(&ld[0]).expect("valid JSON-LD");
    assert_eq!(v["@type"], "Legislation");
    assert_eq!(v["legislationIdentifier"], "示安委〔2024〕2号");
    assert_eq!(v["legislationDate"], "2024-02-01");
    assert_eq!(v["legislationPassedBy"]["name"], "示例区安全生产委员会");
    assert_eq!(v["legislationJurisdiction"], "示例区");
    assert_eq!(
        v["url"],
        "https://www.example.gov.cn/zwgk/aqsc/shili/2024/aqsc-gongzuo-yijian/"
    );
}

#[test]
fn front_matter_overrides_and_task_tables() {
    let (_t, out) = build_site(&fixture("valid"), None);
    let p24: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("shili/2024/aqsc-gongzuo-yijian/plan.json")).unwrap(),
    )
    .unwrap();
    let task = |n: &str| {
        p24["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["number"] == n)
            .unwrap()
            .clone()
    };
    // `tasks:` in front matter adds a supporting unit the body does not state.
    assert_eq!(task("3")["lead"], serde_json::json!(["区建设管理委"]));
    assert_eq!(
        task("3")["support"],
        serde_json::json!(["区消防救援支队", "示例市应急管理局"])
    );
    // （区应急局牵头，各街镇配合）
    assert_eq!(task("2")["support"], serde_json::json!(["各街镇"]));
    // Annex task table rows are tasks with leaders (区领导) and units; 各乡镇 is an alias of 各街镇.
    assert_eq!(task("a1")["persons"], serde_json::json!(["示甲", "示乙"]));
    assert_eq!(task("a1")["support"], serde_json::json!(["各街镇"]));
    assert_eq!(
        task("a1")["url"],
        format!("{BASE}shili/2024/aqsc-gongzuo-yijian/#task-a1")
    );
    let doc = page(&out, PLAN_2024);
    assert_eq!(texts(&doc, "tr#task-a2 td")[1], "学习有关论述");
    assert_eq!(texts(&doc, "table.task-table thead th").len(), 6);
    // An indicator names the task that states it.
    assert!(attrs(&doc, "#indicators a[href='#task-2']", "href").len() == 1);
}

#[test]
fn unit_pages_link_back_to_exact_tasks_and_are_paginated() {
    let (_t, out) = build_site(&fixture("valid"), None);
    // 示例区's 区应急局 leads 6 tasks; page_size is 2 in the fixture, so 3 pages.
    let p1 = page(&out, "units/shili/yingji/index.html");
    assert_eq!(texts(&p1, "h1"), ["区应急局"]);
    assert!(
        texts(&p1, ".lead")[0].contains("牵头 6 项任务"),
        "{:?}",
        texts(&p1, ".lead")
    );
    assert!(out.join("units/shili/yingji/page/3/index.html").exists());
    assert!(!out.join("units/shili/yingji/page/4/index.html").exists());
    assert_eq!(p1.select(&sel(".tasks li")).count(), 2);
    // Newest plan first; each entry links to the task anchor of the plan page.
    let links = attrs(&p1, ".tasks a", "href");
    assert!(
        links[0].ends_with("shili/2024/aqsc-gongzuo-yijian/#task-1"),
        "{links:?}"
    );
    // Every task of every page together is the full set: 示例区's own, none of 样例区's.
    let mut all = Vec::new();
    for f in [
        "units/shili/yingji/index.html",
        "units/shili/yingji/page/2/index.html",
        "units/shili/yingji/page/3/index.html",
    ] {
        all.extend(attrs(&page(&out, f), ".tasks a", "href"));
    }
    let tasks = |hrefs: Vec<String>| -> BTreeSet<String> {
        hrefs
            .into_iter()
            .map(|h| h.trim_start_matches("../").to_string())
            .collect()
    };
    let want: BTreeSet<String> = [
        "shili/2023/aqsc-gongzuo-yijian/#task-1",
        "shili/2023/aqsc-gongzuo-yijian/#task-2",
        "shili/2023/aqsc-gongzuo-yijian/#task-4",
        "shili/2024/aqsc-gongzuo-yijian/#task-1",
        "shili/2024/aqsc-gongzuo-yijian/#task-2",
        "shili/2024/aqsc-gongzuo-yijian/#task-a2",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(tasks(all), want);
    // 样例区's 区应急局 (written 区应急管理局, its alias there) is another unit, on its own page.
    let yangli = page(&out, "units/yangli/qu-ying-ji-ju/index.html");
    assert_eq!(texts(&yangli, "h1"), ["区应急局"]);
    assert_eq!(
        tasks(attrs(&yangli, ".tasks a", "href")),
        BTreeSet::from(["yangli/2024/aqsc-gongzuo-yaodian/#task-3".to_string()])
    );
    assert!(texts(&yangli, ".lead")[0].contains("样例区"));
    // The city bureau both districts name is one unit, with both districts' tasks.
    let city = page(&out, "units/shi-li-shi-ying-ji-guan-li-ju/index.html");
    assert_eq!(
        tasks(attrs(&city, ".tasks a", "href")),
        BTreeSet::from([
            "shili/2024/aqsc-gongzuo-yijian/#task-3".to_string(),
            "yangli/2024/aqsc-gongzuo-yaodian/#task-3".to_string()
        ])
    );
    assert!(texts(&city, ".lead")[0].contains("多个地区共同"));
    // Roles are marked.
    let roles = texts(&page(&out, "units/shili/ge-jie-zhen/index.html"), ".role");
    assert!(
        roles.iter().all(|r| r == "牵头" || r == "配合"),
        "{roles:?}"
    );

    // The unit index: each district's list, and the shared units.
    let index = page(&out, "units/index.html");
    assert_eq!(
        attrs(&index, "main section:first-of-type ul a", "href"),
        ["../units/shili/", "../units/yangli/"]
    );
    assert_eq!(texts(&index, "main table tbody th a"), ["示例市应急管理局"]);
    // A district's list: A–Z with counts.
    let list = page(&out, "units/shili/index.html");
    let names = texts(&list, "tbody th a");
    assert!(names.contains(&"区应急局".to_string()));
    assert_eq!(names.len(), 7);
    // A–Z by pinyin without the leading 区: letters in order, each a jump target.
    let letters = texts(&list, "main section h2");
    let mut sorted = letters.clone();
    sorted.sort();
    assert_eq!(letters, sorted);
    let y = list
        .select(&sel("section#letter-Y tbody th a"))
        .map(|a| a.text().collect::<String>())
        .collect::<Vec<_>>();
    assert!(y.contains(&"区应急局".to_string()), "{y:?}");
    let jumps = attrs(&list, "nav.letters a", "href");
    assert_eq!(jumps.len(), letters.len());
    for j in jumps {
        assert_eq!(list.select(&sel(&j)).count(), 1, "{j}");
    }
}

#[test]
fn district_year_person_indicator_and_404_pages() {
    let (_t, out) = build_site(
        &fixture("valid"),
        Some("https://www.example.gov.cn/zwgk/aqsc/"),
    );
    let d = page(&out, "shili/index.html");
    assert_eq!(texts(&d, "h1"), ["示例区"]);
    // The district's plans are paged like every list (page_size 2): 3 plans, 2 pages.
    assert_eq!(d.select(&sel(".plans li")).count(), 2);
    let d2 = page(&out, "shili/page/2/index.html");
    assert_eq!(d2.select(&sel(".plans li")).count(), 1);
    // Indicators over the years, one column per plan that has indicators.
    assert_eq!(texts(&d, "#ind-h ~ div thead th").len(), 4);
    let row = texts(&d, "#ind-h ~ div tbody tr:first-child td");
    assert_eq!(row, ["10%（累计降幅）", "5%（下降幅度）", "8%（下降幅度）"]);
    assert_eq!(attrs(&d, "#nb-h ~ ul a", "href"), ["../yangli/"]);

    // A five-year plan appears in every year it covers.
    for y in 2021..=2025 {
        let yp = page(&out, &format!("years/{y}/index.html"));
        assert!(
            attrs(&yp, ".plans a", "href")
                .iter()
                .any(|h| h.contains("2021-2025")),
            "year {y}"
        );
    }
    // Year pages are paged too (page_size is 2 in the fixture): 3 plans in 2024.
    let y1 = page(&out, "years/2024/index.html");
    assert_eq!(y1.select(&sel(".plans > li")).count(), 2);
    let y2 = page(&out, "years/2024/page/2/index.html");
    assert_eq!(y2.select(&sel(".plans > li")).count(), 1);

    // Each district's persons, in pinyin order: shi bing, shi ding; shi jia, shi yi.
    let persons = page(&out, "persons/yangli/index.html");
    assert_eq!(texts(&persons, ".inline a"), ["示丙", "示丁"]);
    // 示例区 has a 示丙 too: another person, on another page.
    let persons = page(&out, "persons/shili/index.html");
    assert_eq!(texts(&persons, ".inline a"), ["示丙", "示甲", "示乙"]);
    assert_ne!(
        attrs(&persons, ".inline a", "href")[0],
        "../../persons/yangli/shi-bing/"
    );

    let ind = page(&out, "indicators/accident-count/index.html");
    assert_eq!(ind.select(&sel("tbody tr")).count(), 2);
    let ind2 = page(&out, "indicators/accident-count/page/2/index.html");
    assert_eq!(ind2.select(&sel("tbody tr")).count(), 1);

    // The 404 page links from the base path, since it is served at any depth.
    let nf = page(&out, "404.html");
    assert!(
        attrs(&nf, "main a", "href")
            .iter()
            .all(|h| h.starts_with("/zwgk/aqsc/"))
    );
    assert_eq!(
        attrs(&nf, "link[rel=stylesheet]", "href"),
        ["/zwgk/aqsc/static/style.css"]
    );
}

#[test]
fn person_pages_list_their_tasks() {
    let (_t, out) = build_site(&fixture("valid"), None);
    let persons = page(&out, "persons/yangli/index.html");
    let href = persons
        .select(&sel(".inline a"))
        .find(|a| a.text().collect::<String>() == "示丙")
        .and_then(|a| a.value().attr("href").map(str::to_string))
        .expect("示丙 listed");
    let (file, _) = resolve(&out, &out.join("persons/yangli/index.html"), &href).unwrap();
    let doc = scraper::Html::parse_document(&std::fs::read_to_string(&file).unwrap());
    let links = attrs(&doc, ".tasks a", "href");
    // 样例区's 示丙 leads two tasks; 示例区's 示丙 (in its 规划) is another person.
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(
        links.iter().all(|l| l.contains("yangli/2024/")),
        "{links:?}"
    );
    assert!(texts(&doc, ".lead")[0].contains("共 2 项"));
}

#[test]
fn no_internal_link_is_broken_and_every_page_is_reachable() {
    let (_t, out) = build_site(
        &fixture("valid"),
        Some("https://www.example.gov.cn/zwgk/aqsc/"),
    );
    assert_eq!(broken_links(&out), Vec::<String>::new());
    assert_eq!(unreachable_pages(&out), Vec::<String>::new());
}

#[test]
fn open_data_files() {
    let (_t, out) = build_site(&fixture("valid"), None);
    let plans: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/plans.json")).unwrap()).unwrap();
    let plans = plans.as_array().unwrap();
    assert_eq!(plans.len(), 4);
    for p in plans {
        for k in [
            "title",
            "district",
            "year",
            "url",
            "indicators",
            "task_count",
        ] {
            assert!(p.get(k).is_some(), "plan field {k}");
        }
        // The catalogue leaves tasks to each plan's own file.
        assert!(p.get("tasks").is_none());
        // URLs in the data are absolute, so a downloaded file leads back to the site.
        assert!(out.join(local(&p["url"])).join("index.html").exists());
        let own: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(local(&p["data_url"]))).unwrap())
                .unwrap();
        assert_eq!(
            own["tasks"].as_array().unwrap().len() as u64,
            p["task_count"].as_u64().unwrap()
        );
        for t in own["tasks"].as_array().unwrap() {
            for k in ["number", "title", "lead", "support", "persons", "url"] {
                assert!(t.get(k).is_some(), "task field {k}");
            }
        }
        for i in p["indicators"].as_array().unwrap() {
            assert!(i["name"].is_string() && i["target"].is_string());
        }
    }
    let units: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/units.json")).unwrap()).unwrap();
    let yj = units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "区应急局")
        .unwrap();
    assert_eq!(yj["url"], format!("{BASE}units/shili/yingji/"));
    assert_eq!(yj["district"], "shili");
    assert_eq!(
        yj["lead"].as_u64().unwrap() + yj["support"].as_u64().unwrap(),
        6
    );

    let mut rdr = csv::Reader::from_path(out.join("data/tasks.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    assert!(headers.iter().any(|h| h.ends_with("district")));
    assert_eq!(rdr.records().count(), 14);
    // A district's tasks over all its plans, linked from its page and its plans' pages.
    let mut rdr = csv::Reader::from_path(out.join("shili/tasks.csv")).unwrap();
    let shili: u64 = plans
        .iter()
        .filter(|p| p["district_slug"] == "shili")
        .map(|p| p["task_count"].as_u64().unwrap())
        .sum();
    assert_eq!(rdr.records().count() as u64, shili);
    assert!(shili > 0);
    let mut rdr = csv::Reader::from_path(out.join("data/indicators.csv")).unwrap();
    assert_eq!(rdr.records().count(), 5);

    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(
        "<loc>https://www.example.gov.cn/zwgk/aqsc/shili/2024/aqsc-gongzuo-yijian/</loc>"
    ));
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(
        feed.contains("<updated>2024-03-01T00:00:00Z</updated>"),
        "latest date from content"
    );
    assert_eq!(feed.matches("<entry>").count(), 4);
}

#[test]
fn builds_are_byte_identical() {
    let (_a, out1) = build_site(&fixture("valid"), None);
    let (_b, out2) = build_site(&fixture("valid"), None);
    let list = |o: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = walkdir::WalkDir::new(o)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(o).unwrap().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let (a, b) = (list(&out1), list(&out2));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.0, y.0);
        assert!(x.1 == y.1, "{} differs between builds", x.0);
    }
}

/// `--minify` (or `minify: true`) runs every page through minify-html: smaller, the same
/// document to a parser (every element, attribute and word), and no page left as it was.
#[test]
fn minified_pages_are_smaller_and_read_the_same() {
    let (_a, plain) = build_site(&fixture("valid"), None);
    let tmp = tempfile::tempdir().unwrap();
    let mut opts = gongkai::build::BuildOptions::new(&fixture("valid"));
    opts.output = tmp.path().join("min");
    opts.minify = true;
    gongkai::build::build(&opts).expect("minified build");
    let (mut before, mut after) = (0, 0);
    for file in html_files(&plain) {
        let rel = file.strip_prefix(&plain).unwrap();
        let a = std::fs::read_to_string(&file).unwrap();
        let b = std::fs::read_to_string(opts.output.join(rel)).unwrap();
        assert!(b.len() < a.len(), "{} was not minified", rel.display());
        before += a.len();
        after += b.len();
        // The same tree: element names, attributes and text (whitespace runs aside).
        let shape = |html: &str| -> Vec<String> {
            let doc = scraper::Html::parse_document(html);
            doc.root_element()
                .descendants()
                .filter_map(|n| match n.value() {
                    scraper::Node::Element(e) => {
                        let mut attrs: Vec<String> =
                            e.attrs().map(|(k, v)| format!("{k}={v}")).collect();
                        attrs.sort();
                        Some(format!("<{} {}>", e.name(), attrs.join(" ")))
                    }
                    // (A parser that runs scripts reads <noscript> as text: its markup loses
                    // its quotes too.)
                    scraper::Node::Text(t) => {
                        let t = t.replace('"', "");
                        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
                        (!t.is_empty()).then_some(t)
                    }
                    _ => None,
                })
                .collect()
        };
        assert_eq!(shape(&a), shape(&b), "{}", rel.display());
    }
    assert!(after < before, "{after} of {before} bytes");
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let (_t, out) = build_site(&fixture("valid"), None);
    let before = std::fs::read(out.join("index.html")).unwrap();
    let opts = gongkai::build::BuildOptions {
        root: fixture("invalid"),
        output: out.clone(),
        base_url: None,
        progress: false,
        for_disk: false,
        force: false,
        deny_warnings: false,
        minify: false,
    };
    assert!(gongkai::build::build(&opts).is_err());
    assert_eq!(std::fs::read(out.join("index.html")).unwrap(), before);
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_template_override_replaces_the_built_in_one() {
    let tmp = tempfile::tempdir().unwrap();
    gongkai::init::init(tmp.path(), false).unwrap();
    std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
    std::fs::write(
        tmp.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>找不到页面</h1>{% endblock content %}",
    )
    .unwrap();
    let (_t, out) = build_site(tmp.path(), None);
    assert_eq!(texts(&page(&out, "404.html"), "h1"), ["找不到页面"]);
    // The others are still the built-in ones.
    assert_eq!(
        texts(&page(&out, "districts/index.html"), "h1"),
        ["按地区浏览"]
    );
}

#[test]
fn the_real_site_builds_with_no_broken_link() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_t, out) = build_site(root, None);
    assert_eq!(broken_links(&out), Vec::<String>::new());
    // Every district of the registry has its page, linked from the districts list.
    let list = page(&out, "districts/index.html");
    let names = texts(&list, "main li a");
    for d in [
        "静安区",
        "崇明区",
        "浦东新区",
        "南通经济技术开发区",
        "高淳区",
    ] {
        assert!(names.contains(&d.to_string()), "{d} in {names:?}");
    }
}
