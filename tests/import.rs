//! `gongkai import` on the five real seed plans and on synthetic documents (fictional 示例区)
//! that use the other notations, mixed numbering, GB18030 and extraction damage; and the
//! fidelity of the published seed plans in the repository's content/.

mod common;

use std::path::Path;

use common::*;
use gongkai::import::{self, Converted};
use gongkai::model::Task;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The five real seed plans, kept in the repository's sources/ folder (the originals of
/// content/), by their old numbers.
fn seed_path(prefix: &str) -> &'static str {
    match prefix {
        "000" => "sources/jingan/2017/aqsc-gongzuo-yijian.txt",
        "001" => "sources/chongming/2023/aqsc-gongzuo-yijian.txt",
        "002" => "sources/nantong-kfq/2018/aqsc-gongzuo-yaodian.txt",
        "003" => "sources/gaochun/2016-2020/aqsc-guihua.txt",
        "004" => "sources/pudong/2021/aqsc-gongzuo-yaodian.txt",
        _ => panic!("no seed {prefix}"),
    }
}

fn seed(prefix: &str) -> (String, String) {
    let rel = seed_path(prefix);
    let text = std::fs::read_to_string(repo().join(rel)).expect("seed is UTF-8");
    (rel.to_string(), text)
}

/// Imports a seed against the repository's site.yaml; nothing is written.
fn convert_seed(prefix: &str, district: &str) -> Converted {
    let (rel, text) = seed(prefix);
    let config = gongkai::config::load(repo()).expect("site.yaml loads");
    let settings = import::Settings {
        district: Some(district),
        source: Some(&rel),
        ..Default::default()
    };
    import::convert_text(&text, &rel, &config, &settings).expect("seed imports")
}

/// The front matter of a converted plan, read back as the site reads it.
fn front(conv: &Converted) -> gongkai::model::FrontMatter {
    let (fm, _, _) = gongkai::load::split_front_matter(&conv.text).expect("front matter");
    serde_yaml_ng::from_str(fm).expect("front matter reads back")
}

fn tasks_of(conv: &Converted) -> Vec<Task> {
    let (_, body, line) = gongkai::load::split_front_matter(&conv.text).expect("front matter");
    gongkai::body::parse(body, line).tasks.into_vec()
}

fn names(v: &[gongkai::model::NameRef]) -> Vec<&str> {
    v.iter().map(|n| n.name.as_str()).collect()
}

fn task<'a>(tasks: &'a [Task], key: &str) -> &'a Task {
    tasks
        .iter()
        .find(|t| t.key == key)
        .unwrap_or_else(|| panic!("no task {key}"))
}

/// Lines of a seed that start with a numbering, counted without the importer's code.
fn count_lines(text: &str, starts: impl Fn(&str) -> bool) -> usize {
    text.lines().filter(|l| starts(l.trim_start())).count()
}

fn starts_arabic(l: &str, sep: &str) -> bool {
    let d = l.bytes().take_while(u8::is_ascii_digit).count();
    d > 0 && l[d..].starts_with(sep)
}

#[test]
fn jingan_2017_mixed_numbering() {
    let c = convert_seed("000", "jingan");
    let (_, text) = seed("000");
    assert_eq!(c.meta.title, "静安区2017年安全生产工作意见");
    assert_eq!(c.meta.issuer.as_deref(), Some("静安区安全生产委员会"));
    assert_eq!(c.period.slug(), "2017");
    // 一、 then 2、 3、 then 四、: all four are first-level sections.
    let h2: Vec<&str> = c.text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(h2.len(), 4, "{h2:?}");
    assert!(h2[1].starts_with("## 2、") && h2[3].starts_with("## 四、"));
    let tasks = tasks_of(&c);
    let cn = |l: &str| {
        l.strip_prefix('（')
            .and_then(|r| r.split_once('）'))
            .is_some_and(|(n, _)| {
                !n.is_empty() && n.chars().all(|c| "一二三四五六七八九十".contains(c))
            })
    };
    assert_eq!(tasks.len(), count_lines(&text, cn));
    assert_eq!(tasks.len(), 14);
    // Numbering restarts in each section, so keys carry the section.
    assert_eq!(task(&tasks, "2.3").label, "（三）");
    assert!(
        front(&c)
            .notice
            .is_some_and(|n| n.starts_with("区安委会各成员单位、各区管国有企业："))
    );
    assert_eq!(
        front(&c).source.as_deref(),
        Some("sources/jingan/2017/aqsc-gongzuo-yijian.txt")
    );
}

#[test]
fn chongming_2023_tasks_annex_and_units() {
    let c = convert_seed("001", "chongming");
    let (_, text) = seed("001");
    assert_eq!(c.meta.status.as_deref(), Some("送审稿"));
    let tasks = tasks_of(&c);
    let body = tasks
        .iter()
        .filter(|t| t.source == gongkai::model::TaskSource::Body)
        .count();
    assert_eq!(body, count_lines(&text, |l| starts_arabic(l, ".")));
    assert_eq!(body, 46);
    // Annex rows start with a tab and their 序号.
    let annex = text
        .lines()
        .filter(|l| {
            l.strip_prefix('\t')
                .is_some_and(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
        })
        .count();
    assert_eq!(annex, 21);
    // 17 of the rows repeat body tasks (the 区政府领导 list of the text's tasks): they are no
    // tasks of their own, and give the tasks their 区领导.
    let (_, md, line) = gongkai::load::split_front_matter(&c.text).expect("front matter");
    let parsed = gongkai::body::parse(md, line);
    let repeats = &parsed.repeats;
    assert_eq!(repeats.len(), 17);
    assert_eq!(tasks.len() - body + repeats.len(), annex);
    let repeat = |key: &str| {
        repeats
            .iter()
            .find(|r| r.key == key)
            .unwrap_or_else(|| panic!("row {key} repeats a task"))
    };
    // Every body task states its units; task 1 as the document writes them.
    assert!(tasks.iter().all(|t| !t.lead.is_empty()));
    assert_eq!(
        names(&task(&tasks, "1").lead),
        [
            "区委宣传部",
            "区委组织部",
            "区应急局",
            "区安委会各成员单位",
            "各乡镇",
            "区有关直属单位"
        ]
    );
    assert_eq!(
        names(&task(&tasks, "46").lead),
        [
            "区应急局",
            "区公安分局",
            "区交通委",
            "区消防救援支队",
            "崇明海事局",
            "各乡镇"
        ]
    );
    // Annex row 5: leaders, lead units and supporting units from their columns; it repeats
    // task 10, whose leaders it gives.
    let a5 = repeat("a5");
    let t10 = &parsed.tasks[a5.task];
    assert_eq!(t10.key, "10");
    assert_eq!(names(&t10.persons), ["黄晓霞", "胡柳强", "陈琦", "徐慧泉"]);
    assert_eq!(
        names(&a5.lead),
        [
            "区应急局",
            "区建设管理委",
            "区公安分局",
            "区消防救援支队",
            "区市场监管局",
            "崇明海事局"
        ]
    );
    assert_eq!(names(&a5.support), ["区安委会有关成员单位"]);
    // A name wrapped by Word over two lines is one unit; two run together are two.
    let a14 = repeat("a14");
    assert!(names(&a14.support).contains(&"区建筑施工安全专业委员会成员单位"));
    let a11 = repeat("a11");
    assert_eq!(
        names(&a11.support),
        ["各乡镇", "区安委会有关成员单位", "区有关直属单位"]
    );
    // Leaders' names padded to three characters (李  峻) are whole names.
    assert!(names(&task(&tasks, "a1").persons).contains(&"李峻"));
    // Names with brackets of their own stay whole.
    assert!(
        c.units
            .iter()
            .any(|u| u == "区安委会各专委会（办）牵头部门")
    );
}

#[test]
fn nantong_2018_half_width_and_web_chrome() {
    let c = convert_seed("002", "nantong-kfq");
    let (_, text) = seed("002");
    assert_eq!(c.meta.title, "南通开发区2018年安全生产工作要点");
    assert_eq!(c.meta.published.as_deref(), Some("2018-01-22"));
    assert_eq!(c.meta.written.as_deref(), Some("2018-01-22"));
    assert_eq!(
        c.meta.issuer.as_deref(),
        Some("南通市经济技术开发区管理委员会办公室")
    );
    let tasks = tasks_of(&c);
    assert_eq!(tasks.len(), count_lines(&text, |l| starts_arabic(l, " 、")));
    assert_eq!(tasks.len(), 25);
    assert!(
        !c.text.contains("累计次数"),
        "the web page header is left out"
    );
    // (一) headings under 二、 and 三、 are third-level sections.
    assert_eq!(c.text.lines().filter(|l| l.starts_with("### (")).count(), 9);
}

#[test]
fn gaochun_plan_indicators_toc_and_header() {
    let c = convert_seed("003", "gaochun");
    assert_eq!(c.period.slug(), "2016-2020");
    assert_eq!(c.meta.doc_number.as_deref(), Some("高政办发〔2017〕28号"));
    assert_eq!(c.meta.written.as_deref(), Some("2017-02-27"));
    assert_eq!(c.meta.issuer.as_deref(), Some("南京市高淳区人民政府办公室"));
    assert_eq!(c.meta.kind.as_deref(), Some("规划"));
    let ind: Vec<(&str, &str)> = c
        .indicators
        .iter()
        .map(|i| (i.name.as_str(), i.target.as_str()))
        .collect();
    assert_eq!(
        ind,
        [
            ("生产安全事故起数", "10%"),
            ("生产安全事故死亡人数", "10%"),
            ("较大事故起数", "力争不发生"),
            ("亿元国内生产总值生产安全事故死亡率", "30%"),
            ("工矿商贸就业人员十万人生产安全事故死亡率", "10%"),
            ("重特大事故起数", "杜绝"),
            ("重特大事故死亡人数", "杜绝"),
        ]
    );
    assert!(
        c.indicators
            .iter()
            .all(|i| i.measure.as_deref() == Some("累计降幅"))
    );
    // The table of contents is dropped: each heading text occurs once, as a heading.
    assert_eq!(c.text.matches("（三）存在问题和薄弱环节").count(), 1);
    assert!(!c.text.contains("……"));
    assert!(c.text.contains("\n## 前言\n"));
    assert!(
        c.text
            .contains("\n#### 1、逐步完善安全生产责任体系，落实企业主体责任\n")
    );
}

#[test]
fn pudong_2021_persons_markers_and_broken_lines() {
    let c = convert_seed("004", "pudong");
    assert_eq!(c.meta.doc_number.as_deref(), Some("浦应急〔2021〕39号"));
    assert_eq!(c.meta.disclosure.as_deref(), Some("主动公开"));
    assert_eq!(c.meta.issuer.as_deref(), Some("上海市浦东新区应急管理局"));
    assert_eq!(c.meta.written.as_deref(), Some("2021-04-08"));
    let tasks = tasks_of(&c);
    assert_eq!(tasks.len(), 25);
    assert!(
        tasks.iter().all(|t| !t.persons.is_empty()),
        "every task names who leads it"
    );
    let split = tasks
        .iter()
        .find(|t| t.persons.len() == 4)
        .expect("the 分别牵头负责 task");
    assert_eq!(
        names(&split.persons),
        ["邱继刚", "花梅", "蔡叶罡", "胡冬吉"]
    );
    // `- ` markers gone, spaces inside Chinese gone, broken lines joined, stray table dropped.
    assert!(!c.text.contains("\n- ") && !c.text.contains("\n\\- "));
    assert!(c.text.contains("全面落实《浦东新区落实"));
    assert!(
        c.text
            .contains("## 四、以执法检查为主要抓手,着力推进严格执法、规范执法、精准执法\n")
    );
    assert!(
        c.text
            .contains("根据《关于推进城市安全发展的意见》文件精神")
    );
    assert!(!c.text.contains("306_3"));
    assert_eq!(c.text.lines().filter(|l| l.starts_with("## ")).count(), 7);
    assert!(
        front(&c)
            .imprint
            .is_some_and(|i| i.starts_with("信息公开选项: 主动公开"))
    );
}

/// The published plans are the importer's output: body, notice and imprint as it writes them.
#[test]
fn content_bodies_are_the_importers_output() {
    for (prefix, district) in [
        ("000", "jingan"),
        ("001", "chongming"),
        ("002", "nantong-kfq"),
        ("003", "gaochun"),
        ("004", "pudong"),
    ] {
        let c = convert_seed(prefix, district);
        let path = import::default_path(repo(), &c);
        let published =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (fm, body, _) = gongkai::load::split_front_matter(&published).expect("front matter");
        let (cfm, cbody, _) = gongkai::load::split_front_matter(&c.text).expect("front matter");
        assert_eq!(
            body.trim(),
            cbody.trim(),
            "{} body differs from the importer's output",
            path.display()
        );
        let published: gongkai::model::FrontMatter = serde_yaml_ng::from_str(fm).expect("yaml");
        let converted: gongkai::model::FrontMatter = serde_yaml_ng::from_str(cfm).expect("yaml");
        assert_eq!(
            published.notice,
            converted.notice,
            "{} notice",
            path.display()
        );
        assert_eq!(
            published.imprint,
            converted.imprint,
            "{} imprint",
            path.display()
        );
        assert_eq!(
            published.source,
            converted.source,
            "{} source",
            path.display()
        );
    }
}

/// Text with whitespace removed: the comparison the fidelity check makes.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Seed lines that are not in the text flow of the page, and where they are shown instead
/// (`None`: left out as layout). Everything else must appear in order.
fn moved_lines(prefix: &str) -> Vec<(&'static str, Option<&'static str>)> {
    match prefix {
        "000" => vec![("静安区2017年安全生产工作意见", Some("h1"))],
        "001" => vec![
            ("附件", None),
            ("上海市崇明区2023年安全生产工作意见", Some("h1")),
            ("（送审稿）", Some("h1")),
        ],
        "002" => vec![
            ("来源:发布时间:2018-01-2211:48累计次数:字体:[]", None),
            ("南通开发区2018年安全生产工作要点", Some("h1")),
        ],
        "003" => vec![
            ("南京市高淳区人民政府办公室文件", Some("#meta")),
            ("高政办发〔2017〕28号", Some("#meta")),
            ("高淳区安全生产“十三五”规划", Some("h1")),
            ("二○一七年二月", None),
            ("目录", None),
        ],
        "004" => vec![
            ("|306_3|2021|8|", None),
            ("|-------|------|----|", None),
            ("||5|12|", None),
            ("上海市浦东新区应急管理局", Some("#meta")),
            ("浦应急〔2021〕39号", Some("#meta")),
            (
                "浦东新区应急管理局2021年安全生产监督管理工作要点",
                Some("h1"),
            ),
            ("制建设", None),
        ],
        _ => vec![],
    }
}

/// For each seed, the published page holds the seed's text in order, whitespace aside, with
/// only the repair rules applied (list markers gone) and header lines shown as metadata.
#[test]
fn published_plans_hold_the_seed_text_word_for_word() {
    let (_t, out) = build_site(repo(), None);
    for (prefix, rel) in [
        ("000", "jingan/2017/aqsc-gongzuo-yijian/index.html"),
        ("001", "chongming/2023/aqsc-gongzuo-yijian/index.html"),
        ("002", "nantong-kfq/2018/aqsc-gongzuo-yaodian/index.html"),
        ("003", "gaochun/2016-2020/aqsc-guihua/index.html"),
        ("004", "pudong/2021/aqsc-gongzuo-yaodian/index.html"),
    ] {
        let (_, text) = seed(prefix);
        let doc = page(&out, rel);
        let flow = squash(&texts(&doc, "#notice, #text, #imprint").join(""));
        let moved = moved_lines(prefix);
        let mut cursor = 0;
        let mut moved_seen = 0;
        let mut in_toc = false;
        for raw in text.lines() {
            let mut line = squash(raw);
            // Repair rule: a `-` list marker pasted in front of a line.
            if raw.trim_start().starts_with("- ") {
                line.remove(0);
            }
            // Layout, not text: separator rules and the table of contents' entries.
            if line.is_empty() || line.chars().all(|c| c == '—') {
                continue;
            }
            if line == "目录" {
                in_toc = true;
            }
            if in_toc && line.contains("……") {
                continue;
            }
            if let Some((_, place)) = moved.iter().find(|(l, _)| *l == line) {
                moved_seen += 1;
                if let Some(sel) = place {
                    let shown = squash(&texts(&doc, sel).join(""));
                    let bare = line.trim_end_matches("文件").trim_matches(['（', '）']);
                    assert!(
                        shown.contains(bare),
                        "{prefix}: “{line}” is not shown in {sel}"
                    );
                }
                continue;
            }
            match flow[cursor..].find(&line) {
                Some(at) => cursor += at + line.len(),
                None => panic!(
                    "{prefix}: “{}” is missing from {rel} (or out of order)",
                    line.chars().take(60).collect::<String>()
                ),
            }
        }
        assert!(
            moved_seen >= moved.len(),
            "{prefix}: every moved line was met"
        );
    }
}

#[test]
fn chongming_emergency_bureau_unit_page_lists_every_task_it_leads() {
    // Count from the seed, without the importer: numbered paragraphs whose 责任单位 name 区应急局,
    // and annex rows whose fourth cell (责任单位) has a line 区应急局.
    let (_, text) = seed("001");
    let body = text
        .lines()
        .filter(|l| starts_arabic(l, "."))
        .filter(|l| {
            l.rsplit_once("（责任单位：").is_some_and(|(_, n)| {
                n.trim_end_matches('）')
                    .split(['、', '，'])
                    .any(|u| u == "区应急局")
            })
        })
        .count();
    let mut annex = 0;
    let mut cell = usize::MAX;
    let mut row_has = false;
    for l in text.lines() {
        if let Some(c) = l.strip_prefix('\t') {
            if !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()) {
                annex += usize::from(row_has);
                row_has = false;
                cell = 0;
            } else {
                cell = cell.saturating_add(1);
            }
            if cell == 3 && c == "区应急局" {
                row_has = true;
            }
        } else if cell == 3 && l == "区应急局" {
            row_has = true;
        }
    }
    annex += usize::from(row_has);
    assert_eq!((body, annex), (33, 10));

    let (_t, out) = build_site(repo(), None);
    let units = page(&out, "units/chongming/index.html");
    let href = units
        .select(&sel("main a"))
        .find(|a| a.text().collect::<String>() == "区应急局")
        .and_then(|a| a.value().attr("href").map(str::to_string))
        .expect("区应急局 is in 崇明区's unit index");
    let unit_rel = href.trim_start_matches("../").to_string();
    let unit_rel = if unit_rel.ends_with('/') {
        format!("{unit_rel}index.html")
    } else {
        unit_rel
    };
    let mut listed = 0;
    let mut path = Some(unit_rel);
    while let Some(rel) = path.take() {
        let doc = page(&out, &rel);
        listed += texts(&doc, "main li")
            .iter()
            .filter(|t| t.ends_with("牵头"))
            .count();
        let next = attrs(&doc, "a[rel=next]", "href");
        if let Some(n) = next.first() {
            let dir = Path::new(&rel).parent().unwrap_or(Path::new(""));
            path = Some(normalize(&dir.join(n).join("index.html")));
        }
    }
    // Each of the annex rows naming it repeats a body task (tasks 5, 10, 15 …), listed once, as
    // the text's: the rows are no tasks of their own.
    assert_eq!(annex, 10);
    assert_eq!(listed, body);
}

fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts
        .join("/")
        .replace("/index.html/index.html", "/index.html")
}

// ---- synthetic documents (fictional 示例区) through the command line ----

const SYNTHETIC: &str = "示例区人民政府办公室文件

示政办发〔2025〕7号

关于印发《示例区2025年安全生产工作要点》的通知

各街镇，区政府各委、办、局：
现将《示例区2025年安全生产工作要点》印发给你们，请认真贯彻执行。

示例区人民政府办公室
2025年3月1日

示例区2025年安全生产工作要点
（征求意见稿）

一、压实安全 责任
1.落实领导责任。区领导每季度带队检查。（牵头单位：区应急局；配合单位：区消防救援支队、各街镇）
2.加强部门监管。各部门按职责开展检查。（区应急管理局牵头，各街镇配合）
- 2、 强化风险防控，推进隐患
排查治理
（一）开展专项整治。聚焦重点行业领域，开展为期一年的《示例区安全
生产专项整治方案》落实行动。责任部门：区市场监管局
（二）强化执法检查。组织联合执法。（责任单位：区安委会各专委会（办）牵头部门、示例街道）
三、加强应急 管理
（一）完善预案。修订总体应急预案。(张三、李四同志分别牵头负责)

信息公开选项：主动公开
";

#[test]
fn synthetic_gb18030_document_imports_and_builds() {
    let (tmp, site) = new_site();
    let file = tmp.path().join("示例区要点.txt");
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(SYNTHETIC);
    assert!(!unmappable);
    std::fs::write(&file, &bytes).unwrap();
    let o = import(&file, &site, &[]);
    let report = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(report.contains("（gb18030）"), "{report}");
    assert!(report.contains("5 项任务（5 项写明责任"), "{report}");
    // 区应急管理局 is a known alias in the init site; 示例街道 is new, and reported.
    assert!(report.contains("示例街道"), "{report}");
    assert!(report.contains("第 22 行接到第 21 行"), "{report}");

    let plan = site.join("content/shili/2025/aqsc-gongzuo-yaodian.md");
    let text = std::fs::read_to_string(&plan).expect("plan written where the site expects it");
    let (fm, _, _) = gongkai::load::split_front_matter(&text).expect("front matter");
    let fm: gongkai::model::FrontMatter = serde_yaml_ng::from_str(fm).expect("yaml");
    assert_eq!(fm.doc_number.as_deref(), Some("示政办发〔2025〕7号"));
    assert_eq!(fm.issuer.as_deref(), Some("示例区人民政府办公室"));
    assert_eq!(fm.written.as_deref(), Some("2025-03-01"));
    assert_eq!(fm.status.as_deref(), Some("征求意见稿"));
    assert_eq!(fm.disclosure.as_deref(), Some("主动公开"));
    // The original is kept in the site, and the plan names it.
    assert_eq!(
        fm.source.as_deref(),
        Some("sources/shili/2025/aqsc-gongzuo-yaodian.txt")
    );
    assert_eq!(
        std::fs::read(site.join("sources/shili/2025/aqsc-gongzuo-yaodian.txt")).unwrap(),
        bytes.to_vec()
    );
    for expected in [
        "## 一、压实安全责任\n",
        "## 2、强化风险防控，推进隐患排查治理\n",
        "《示例区安全生产专项整治方案》",
        "## 三、加强应急管理\n",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    // Importing again does not overwrite without --force.
    let again = import(&file, &site, &[]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));

    // The site builds at once, with responsibility from every notation.
    let (_t, out) = build_site(&site, None);
    let doc = page(&out, "shili/2025/aqsc-gongzuo-yaodian/index.html");
    let rows = texts(&doc, "#responsibility tbody tr");
    let row = |name: &str| {
        rows.iter()
            .find(|r| r.starts_with(name))
            .cloned()
            .unwrap_or_default()
    };
    assert!(
        row("区应急局").contains('1') && row("区应急局").contains('2'),
        "{rows:?}"
    );
    assert!(row("区市场监管局").contains("2.1"), "{rows:?}");
    assert!(
        row("区安委会各专委会（办）牵头部门").contains("2.2"),
        "{rows:?}"
    );
    assert!(row("各街镇").contains('1'), "{rows:?}");
    assert!(
        row("张三").contains("3.1") && row("李四").contains("3.1"),
        "{rows:?}"
    );
    assert_eq!(texts(&doc, "#notice h2"), ["印发通知"]);
    assert!(texts(&doc, "#imprint").join("").contains("信息公开选项"));
}

#[test]
fn import_reports_likely_aliases_and_new_districts() {
    let (tmp, site) = new_site();
    let file = tmp.path().join("样例区.txt");
    std::fs::write(
        &file,
        "样例区2025年安全生产工作意见\n一、总体要求\n1.加强领导。（责任单位：区应急局、区消防支队）\n",
    )
    .unwrap();
    let o = import(&file, &site, &["--district", "yangli"]);
    let report = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        report.contains("已在 site.yaml 中添加地区 样例区 (yangli)"),
        "{report}"
    );
    // The new district's units are its own, registered under it.
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    assert!(yaml.contains("  - slug: yangli\n    name: 样例区\n"));
    assert!(
        yaml.contains("  - name: 区应急局\n    district: yangli\n"),
        "{yaml}"
    );
    // In a district that has 区消防救援支队, 区消防支队 looks like an alias of it.
    let file = tmp.path().join("示例区.txt");
    std::fs::write(
        &file,
        "示例区2025年安全生产工作意见\n一、总体要求\n1.加强领导。（责任单位：区应急局、区消防支队）\n",
    )
    .unwrap();
    let o = import(&file, &site, &["--district", "shili"]);
    let report = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        report.contains("“区消防支队”与“区消防救援支队”相似"),
        "{report}"
    );
    assert!(yaml.contains("# Site configuration."), "comments are kept");
    let (_t, out) = build_site(&site, None);
    assert!(
        out.join("yangli/2025/aqsc-gongzuo-yijian/index.html")
            .exists()
    );
}

#[test]
fn a_document_without_a_title_is_refused_with_a_reason() {
    let (tmp, site) = new_site();
    let file = tmp.path().join("x.txt");
    std::fs::write(&file, "这是一段没有标题的文字。\n").unwrap();
    let o = import(&file, &site, &[]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("x.txt") && err.contains("未找到标题"), "{err}");
    assert!(!site.join("content/shili/2024/x.md").exists());
}

#[test]
fn real_plan_pages_show_outline_annex_indicators_and_imprint() {
    let (_t, out) = build_site(repo(), None);
    // 静安: 一、 2、 3、 四、 are the four top sections, each in the contents.
    let jingan = page(&out, "jingan/2017/aqsc-gongzuo-yijian/index.html");
    let h2 = texts(&jingan, "#text h2");
    assert_eq!(h2.len(), 4, "{h2:?}");
    assert!(h2[1].starts_with("2、适应改革发展要求"));
    assert_eq!(texts(&jingan, "#text h3").len(), 0);
    // 崇明: the annex is a task table; group rows span it; leaders link to person pages.
    let cm = page(&out, "chongming/2023/aqsc-gongzuo-yijian/index.html");
    assert_eq!(
        cm.select(&sel("table.task-table tbody tr[id^=task-a]"))
            .count(),
        21
    );
    let groups = texts(&cm, "table.task-table tr.group th[colspan='7']");
    assert!(
        groups.iter().any(|g| g.starts_with("一、强化责任意识")),
        "{groups:?}"
    );
    let a1_people = texts(&cm, "#task-a1 a[href*='persons/']");
    assert_eq!(a1_people.len(), 8, "{a1_people:?}");
    assert_eq!(texts(&cm, ".badge"), ["送审稿"]);
    // 高淳: the 十三五 indicator table is the plan's indicator table.
    let gc = page(&out, "gaochun/2016-2020/aqsc-guihua/index.html");
    let rows = texts(&gc, "#indicators tbody tr th");
    assert_eq!(rows.len(), 7, "{rows:?}");
    assert_eq!(rows[0], "生产安全事故起数");
    assert!(
        texts(&gc, "#meta dd")
            .iter()
            .any(|d| d == "高政办发〔2017〕28号")
    );
    // 浦东: the imprint closes the page; the notice opens it.
    let pd = page(&out, "pudong/2021/aqsc-gongzuo-yaodian/index.html");
    assert!(
        texts(&pd, "#imprint p")
            .iter()
            .any(|p| p == "2021年4月8日印发")
    );
    assert!(texts(&pd, "#notice p").iter().any(|p| p == "特此通知。"));
    assert!(attrs(&pd, "#contents a", "href").contains(&"#notice".to_string()));
    // Each district's persons are in pinyin order (cai, chen, hu dong, hu liu, hua, huang, …).
    let mut people = Vec::new();
    for d in ["chongming", "pudong"] {
        let list = texts(&page(&out, &format!("persons/{d}/index.html")), "main li a");
        let mut sorted = list.clone();
        sorted.sort_by_key(|n| gongkai::slug::pinyin_key(n));
        assert_eq!(list, sorted, "{d}");
        people.extend(list);
    }
    people.sort_by_key(|n| gongkai::slug::pinyin_key(n));
    assert_eq!(
        people,
        [
            "蔡叶罡",
            "陈琦",
            "胡冬吉",
            "胡柳强",
            "花梅",
            "黄晓霞",
            "贾德荣",
            "李峻",
            "邱继刚",
            "施蕾",
            "宋学梅",
            "唐林芳",
            "徐慧泉",
            "张秩通"
        ]
    );
}

#[test]
fn year_and_output_path_can_be_given() {
    let (tmp, site) = new_site();
    let file = tmp.path().join("doc.txt");
    std::fs::write(
        &file,
        "示例区安全生产工作要点\n一、总体要求\n1.加强领导。（责任单位：区应急局）\n",
    )
    .unwrap();
    let out = tmp.path().join("review/plan.md");
    let o = import(
        &file,
        &site,
        &["--year", "2026", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).expect("written to --out");
    let (fm, _, _) = gongkai::load::split_front_matter(&text).expect("front matter");
    let fm: gongkai::model::FrontMatter = serde_yaml_ng::from_str(fm).expect("yaml");
    assert_eq!(fm.year.map(|y| y.slug()).as_deref(), Some("2026"), "{text}");
    assert_eq!(fm.district.as_deref(), Some("shili"), "{text}");
    // Without --year, a title with no year is refused, naming the option.
    let o = import(&file, &site, &[]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--year"));
}

/// The 核对 record says what every line of the original became: each line once, in order; the
/// tasks it shows are the plan's, with their units; lines left out say why.
#[test]
fn review_traces_every_line_of_the_original() {
    use gongkai::import::review::Became;
    let (_, text) = seed("004");
    let conv = convert_seed("004", "pudong");
    let r = &conv.review;
    let read: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    // Every line, those left out at once (page numbers, rules) too.
    assert_eq!(r.lines.len(), read.len());
    let numbers: Vec<usize> = r.lines.iter().map(|l| l.no).collect();
    assert!(numbers.windows(2).all(|w| w[0] <= w[1]), "not in order");
    let tasks: Vec<_> = r.tasks().collect();
    assert_eq!(tasks.len(), tasks_of(&conv).len());
    assert!(tasks.iter().any(|t| !t.persons.is_empty()));
    let count = |f: &dyn Fn(&Became) -> bool| r.lines.iter().filter(|l| f(&l.became)).count();
    assert!(count(&|b| matches!(b, Became::Heading { .. })) >= 5);
    assert!(count(&|b| matches!(b, Became::Metadata)) >= 1);
    assert!(count(&|b| matches!(b, Became::Dropped { why } if !why.is_empty())) >= 1);
    // The same types read back what they write.
    let json = serde_json::to_string(r).unwrap();
    let back: gongkai::import::review::Review = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, r);
}

/// Imports a fictional document against the repository's site.yaml; nothing is written.
fn convert_fiction(text: &str) -> Converted {
    let config = gongkai::config::load(repo()).expect("site.yaml loads");
    let settings = import::Settings {
        district: Some("shili"),
        ..Default::default()
    };
    import::convert_text(text, "plan.txt", &config, &settings).expect("imports")
}

/// A task's label, lead units, supporting units and persons.
type Responsible = (String, Vec<String>, Vec<String>, Vec<String>);

fn names_by_key(conv: &Converted) -> Vec<Responsible> {
    conv.review
        .tasks()
        .map(|t| {
            (
                t.label.clone(),
                t.lead.clone(),
                t.support.clone(),
                t.persons.clone(),
            )
        })
        .collect()
}

/// Task tables as a portal copy or a PDF gives them — one cell per line, rows of any height,
/// or rows whose cells are apart by spaces — become tasks with their units and persons.
#[test]
fn task_tables_that_arrive_as_text() {
    let per_line = "示例区2025年民生实事项目责任清单\n序号 |\n民生实事 |\n责任领导 |\n牵头单位 |\n配合单位 |\n完成时限 |\n\
        1 |\n新建口袋公园10个。 |\n张示 |\n区城管委 |\n区住建局 |\n各街道 |\n12月底前 |\n\
        2 |\n为辖区老人免费体检。 |\n李样 |\n区卫健委 |\n全年 |\n";
    let conv = convert_fiction(per_line);
    let tasks = names_by_key(&conv);
    assert_eq!(tasks.len(), 2, "{}", conv.text);
    assert_eq!(tasks[0].1, ["区城管委"]);
    assert_eq!(tasks[0].2, ["区住建局", "各街道"]);
    assert_eq!(tasks[0].3, ["张示"]);
    assert_eq!(tasks[1].1, ["区卫健委"]);
    assert!(tasks[1].2.is_empty());
    let t = tasks_of(&conv);
    assert!(t[0].text.starts_with("新建口袋公园"), "{}", t[0].text);
    assert!(conv.report.to_string().contains('1'));

    let spaced = "示例区2025年任务分解表\n序号 类别 主要任务 牵头单位 参与单位\n\
        1 节水 严守用水总量红线 区水务局 区发改委、区住建局\n\
        2  抓好工业节水 区工信局 区发改委\n";
    let conv = convert_fiction(spaced);
    let tasks = names_by_key(&conv);
    assert_eq!(tasks.len(), 2, "{}", conv.text);
    assert_eq!(tasks[0].1, ["区水务局"]);
    assert_eq!(tasks[0].2, ["区发改委", "区住建局"]);
    assert!(tasks_of(&conv)[1].text.starts_with("抓好工业节水"));
}

/// Every notation of the wild is read, and what looks like one but is not read is reported.
#[test]
fn notations_of_every_shape_and_the_unread_ones_reported() {
    let text = "示例区2025年安全生产工作要点\n一、压实责任（区安委办牵头，各街道配合）\n\
        1.落实制度。\n\
        2.开展检查。〔区某某局牵头，区甲局、乙局参与〕\n\
        二、重点工作\n\
        3.推进建设。（牵头单位：区丙局；配合单位：各街道）（张示同志牵头负责）\n\
        4.加强宣传。（由各单位按照谁主管谁负责的要求抓好）\n\
        三、主要目标\n\
        5.完成目标。\n\
        分管区领导：李样\n\
        部门分工：区丁局牵头，各有关单位配合。\n";
    let conv = convert_fiction(text);
    let tasks = names_by_key(&conv);
    assert_eq!(tasks.len(), 5, "{}", conv.text);
    assert_eq!(tasks[0].1, ["区安委办"], "a heading's notation");
    assert_eq!(tasks[0].2, ["各街道"]);
    assert_eq!(tasks[1].1, ["区某某局"]);
    assert_eq!(tasks[1].2, ["区甲局", "乙局"]);
    assert_eq!(tasks[2].1, ["区丙局"]);
    assert_eq!(tasks[2].3, ["张示"]);
    assert!(tasks[3].1.is_empty());
    assert_eq!(tasks[4].1, ["区丁局"], "two notation lines in a run");
    assert_eq!(tasks[4].2, ["各有关单位"]);
    assert_eq!(tasks[4].3, ["李样"]);
    let report = conv.report.to_string();
    assert!(
        report.contains("看起来是责任分工") && report.contains("谁主管谁负责"),
        "{report}"
    );
    assert_eq!(conv.report.unread.len(), 1);
    let flagged: Vec<_> = conv
        .review
        .lines
        .iter()
        .filter(|l| !l.unread.is_empty())
        .collect();
    assert_eq!(flagged.len(), 1);
}

/// A document that states no title the importer finds is refused with a hint, and imports
/// with the title the publisher gives.
#[test]
fn a_title_the_publisher_gives() {
    let text = "序号 |\n重点任务 |\n责任单位 |\n1 |\n开展示例检查。 |\n示例区应急局 |\n";
    let config = gongkai::config::load(repo()).expect("site.yaml loads");
    let mut settings = import::Settings {
        district: Some("shili"),
        year: Some("2025"),
        ..Default::default()
    };
    let err = import::convert_text(text, "t.txt", &config, &settings)
        .err()
        .expect("no title");
    assert!(err.to_string().contains("--title"), "{err}");
    settings.title = Some("示例区2025年重点任务清单");
    let conv = import::convert_text(text, "t.txt", &config, &settings).expect("imports");
    assert_eq!(
        front(&conv).title.as_deref(),
        Some("示例区2025年重点任务清单")
    );
    assert_eq!(tasks_of(&conv).len(), 1);
    assert!(conv.report.to_string().contains("--title"));
}

/// The publisher's title wins over a line that only looks like one (a table cell naming a 规划),
/// and the year is read from the table when nothing else states it.
#[test]
fn the_publishers_title_wins_and_a_table_gives_the_year() {
    let text = "|\n序号\n|\n工作任务\n|\n负责部门\n|\n时间进度\n|\n|\n1\n|\n开展环境卫生设施规划编制工作\n|\n示例市住建局\n|\n2016 年 6 月底前\n|\n|\n2\n|\n加快设施建设\n|\n示例市住建局、示例市财政局\n|\n常态工作\n|\n";
    let config = gongkai::config::load(repo()).expect("site.yaml loads");
    let settings = import::Settings {
        district: Some("shili"),
        title: Some("示例市环境卫生工作任务分工"),
        ..Default::default()
    };
    let conv = import::convert_text(text, "t.txt", &config, &settings).expect("imports");
    let front = front(&conv);
    assert_eq!(front.title.as_deref(), Some("示例市环境卫生工作任务分工"));
    assert_eq!(front.year.map(|p| p.slug()).as_deref(), Some("2016"));
    let tasks = names_by_key(&conv);
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[1].1, ["示例市住建局", "示例市财政局"]);
}

/// `以下均需……落实，不再列出`: the unit named once is every later task's too.
#[test]
fn a_unit_named_once_for_the_tasks_after() {
    let text = "示例区2025年大气污染防治工作方案\n一、调整结构\n\
        1.遏制高耗能项目。（区甲局牵头，区乙局配合，各街道负责落实。以下均需各街道负责落实，不再列出）\n\
        2.淘汰落后产能。（区丙局牵头）\n\
        3.推进绿色转型。\n";
    let conv = convert_fiction(text);
    let tasks = names_by_key(&conv);
    assert_eq!(tasks[0].1, ["区甲局", "各街道"]);
    assert_eq!(tasks[0].2, ["区乙局"]);
    assert_eq!(tasks[1].1, ["区丙局", "各街道"]);
    assert_eq!(tasks[2].1, ["各街道"]);
    assert!(conv.report.to_string().contains("不再列出"));
}

/// A name written without its level (`乙局` after `区甲局、`) is read as the unit the plan names
/// with it; the text stays as written.
#[test]
fn names_without_their_level_are_read_as_the_unit() {
    let text = "示例区2025年安全生产工作要点\n一、重点工作\n\
        1.开展检查。（区乙局负责）\n\
        2.加强宣传。〔区甲局牵头，区丙局、乙局参与〕\n";
    let conv = convert_fiction(text);
    let tasks = names_by_key(&conv);
    assert_eq!(tasks[1].2, ["区丙局", "区乙局"]);
    assert!(
        conv.text.contains("区丙局、乙局参与"),
        "the text is as written"
    );
    assert!(conv.report.to_string().contains("区乙局"));
}
