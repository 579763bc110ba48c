//! What a careless publisher or an attacker can do through the content: every value lands
//! escaped for where it lands, every slug is checked, absurd numbers are drawn safely, and
//! template mistakes are found by `check` in the file that has them. (What `--output` may
//! touch is in `tests/cli.rs`, what `import` may write in `tests/import_safety.rs`, the watcher
//! in `tests/serve.rs`, the cost of big plans and districts in `tests/cost.rs`.)

mod common;

use std::path::Path;
use std::process::Command;

use common::sel;
use gongkai::error::Error;
use gongkai::output::Files;

const HOSTILE_TITLE: &str = "示例区<!--<script>要点\"><img src=x onerror=alert(1)>";
const HOSTILE_DOC_NUMBER: &str = "</script><script>alert(1)</script>";
const HOSTILE_UNIT: &str = "=HYPERLINK(\"http://example.com/\",\"点我\")局";
const HOSTILE_OFFICE: &str = "\"><svg onload=alert(1)>";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// YAML double-quoted scalar of `s`.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn hostile_site(root: &Path) {
    write(
        root,
        "site.yaml",
        &format!(
            "title: 示例区安全生产规划公开\n\
             base_url: https://www.example.gov.cn/zwgk/\n\
             allow_new_units: true\n\
             districts:\n  - slug: shili\n    name: 示例区\n    region: 示例市\n\
             units:\n  - name: {}\n    district: shili\n  - name: \"@SUM(A1)办\"\n    district: shili\n\
             persons:\n  - name: 示甲\n    district: shili\n    office: {}\n",
            q(HOSTILE_UNIT),
            q(HOSTILE_OFFICE)
        ),
    );
    write(
        root,
        "content/shili/2024/yaodian.md",
        &format!(
            "---\ntitle: {}\ndistrict: shili\nyear: 2024\nkind: 工作要点\nissuer: {}\n\
             doc_number: {}\npublished: 2024-01-20\nkeywords: [\"<b>加粗</b>\", \"+1\"]\n\
             tasks:\n  - number: 2\n    title: \"-2+3 开展检查\"\n---\n\n\
             ## 一、<script>alert(1)</script>总体要求\n\n\
             1.=1+1 落实责任。<img src=x onerror=alert(1)>（责任单位：{}，@SUM(A1)办；责任领导：示甲）\n\n\
             2.开展检查，见[说明](javascript:alert(1))。（责任单位：@SUM(A1)办）\n",
            q(HOSTILE_TITLE),
            q("+区安委会"),
            q(HOSTILE_DOC_NUMBER),
            HOSTILE_UNIT
        ),
    );
}

fn built(root: &Path) -> Files {
    match gongkai::build::build_in_memory(root, None) {
        Ok((files, _)) => files,
        Err(e) => panic!("the site does not build: {e:?}"),
    }
}

fn text_of(files: &Files, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .clone(),
    )
    .unwrap()
}

#[test]
fn hostile_values_land_as_text_in_every_context() {
    let tmp = tempfile::tempdir().unwrap();
    hostile_site(tmp.path());
    let files = built(tmp.path());
    let plan = "shili/2024/yaodian/index.html";
    let mut pages = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let doc = scraper::Html::parse_document(std::str::from_utf8(bytes).unwrap());
        for el in doc.select(&sel("*")) {
            for (name, value) in el.value().attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{path}: <{} {name}={value:?}>",
                    el.value().name()
                );
                assert!(
                    !value
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("javascript:"),
                    "{path}: {name}={value:?}"
                );
            }
            assert!(
                !matches!(el.value().name(), "img" | "svg" | "b"),
                "{path}: a <{}> came from the content",
                el.value().name()
            );
        }
        for s in doc.select(&sel("script")) {
            let body = s.inner_html();
            if s.value().attr("type") != Some("application/ld+json") {
                assert!(!body.contains("alert(1)"), "{path}: {body}");
            } else {
                assert!(!body.contains('<'), "{path}: {body}");
                let v: serde_json::Value = serde_json::from_str(&body)
                    .unwrap_or_else(|e| panic!("{path}: JSON-LD: {e}: {body}"));
                if path == plan {
                    assert_eq!(v["name"], HOSTILE_TITLE, "{body}");
                }
            }
        }
    }
    assert!(pages > 10);

    // The values are shown as the publisher typed them.
    let doc = scraper::Html::parse_document(&text_of(&files, plan));
    let h1 = common::texts(&doc, "h1");
    assert_eq!(h1, [HOSTILE_TITLE]);
    let body = doc.root_element().text().collect::<String>();
    for v in [HOSTILE_DOC_NUMBER, HOSTILE_UNIT] {
        assert!(body.contains(v), "{v} is not shown as text");
    }
    // Tags typed into the body are not published, and not dropped in silence.
    let engine = gongkai::build::check(tmp.path(), None).unwrap_or_else(|e| panic!("{e:?}"));
    let tagged: Vec<usize> = engine
        .site
        .warnings()
        .iter()
        .filter(|w| w.message.contains("HTML"))
        .map(|w| w.line)
        .collect();
    assert_eq!(tagged, [15, 17]);

    // Data files parse, and hold the values whole.
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".json")) {
        serde_json::from_slice::<serde_json::Value>(bytes)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let plans: serde_json::Value =
        serde_json::from_str(&text_of(&files, "data/plans.json")).unwrap();
    assert!(
        plans
            .to_string()
            .contains(&q(HOSTILE_TITLE)[1..HOSTILE_TITLE.len()])
    );
    for path in ["feed.xml", "sitemap.xml"] {
        let text = text_of(&files, path);
        let mut r = quick_xml::Reader::from_str(&text);
        let mut titles = Vec::new();
        let mut in_title = false;
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(e)) => {
                    let n = e.local_name();
                    let n: &str = n.as_ref();
                    in_title = n == "title";
                }
                Ok(quick_xml::events::Event::Text(t)) if in_title => {
                    titles.push(t.xml10_content().to_string());
                }
                Ok(quick_xml::events::Event::GeneralRef(_)) if in_title => titles.push("&".into()),
                Ok(_) => {}
                Err(e) => panic!("{path} is not XML: {e}"),
            }
        }
        if path == "feed.xml" {
            let joined = titles.concat();
            assert!(
                joined.contains("示例区") && joined.contains("要点"),
                "{titles:?}"
            );
        }
    }

    // CSV: no cell is a formula; the value is kept after the quote that disarms it.
    let mut seen = Vec::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".csv")) {
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
        for rec in r.records() {
            for cell in rec.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{path}: formula cell {cell:?}"
                );
                seen.push(cell.to_string());
            }
        }
    }
    let all = seen.join("\n");
    assert!(all.contains(&format!("'{HOSTILE_UNIT}")), "{all}");
    assert!(all.contains("'@SUM(A1)办"), "{all}");
    assert!(all.contains("'-2+3 开展检查"), "{all}");
}

fn problems(root: &Path) -> Vec<gongkai::diagnostics::Diagnostic> {
    match gongkai::build::check(root, None) {
        Ok(_) => panic!("check passed"),
        Err(Error::Content(d)) => d,
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn every_slug_is_checked_and_reserved_names_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let escape = tmp.path().join("escaped");
    let traversal = format!("../../../..{}", escape.display());
    write(
        &root,
        "site.yaml",
        &format!(
            "title: 示例\nbase_url: https://www.example.gov.cn/\n\
             districts:\n  - slug: shili\n    name: 示例区\n  - slug: data\n    name: 样例区\n  - slug: search\n    name: 另一区\n\
             units:\n  - name: 区应急局\n    district: shili\n    slug: Pu_Dong\n\
             persons:\n  - name: 示甲\n    district: shili\n    slug: {}\n  - name: 示乙\n    district: shili\n    slug: {}\n\
             indicators:\n  - slug: feed.xml\n    name: 事故起数\n",
            q(&traversal),
            q("x\" onmouseover=\"alert(1)")
        ),
    );
    write(
        &root,
        "content/shili/2024/Bad Name.md",
        "---\ntitle: 示例区2024年工作要点\ndistrict: shili\nyear: 2024\n---\n\n1.落实责任。（责任单位：区应急局）\n",
    );
    let all = problems(&root);
    let errors: Vec<_> = all
        .iter()
        .filter(|d| d.severity == gongkai::diagnostics::Severity::Error)
        .collect();
    let in_yaml = |needle: &str| {
        errors
            .iter()
            .find(|d| {
                d.file == Path::new("site.yaml") && d.message.contains(&format!("“{needle}”"))
            })
            .unwrap_or_else(|| panic!("no located problem about {needle}: {errors:#?}"))
    };
    // Each bad slug is reported on the line that sets it, in one run.
    assert_eq!(in_yaml("data").line, 6);
    assert_eq!(in_yaml("search").line, 8);
    assert_eq!(in_yaml("Pu_Dong").line, 13);
    assert_eq!(in_yaml(&traversal).line, 17);
    assert_eq!(in_yaml("x\" onmouseover=\"alert(1)").line, 20);
    assert_eq!(in_yaml("feed.xml").line, 22);
    assert!(
        errors
            .iter()
            .any(|d| d.file.to_string_lossy().contains("Bad Name.md")),
        "{errors:#?}"
    );
    // The messages are Chinese and carry a hint.
    assert!(errors.iter().all(|d| {
        d.message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }));
    // The build refuses too, and writes nothing anywhere.
    let out = tmp.path().join("output");
    let mut opts = gongkai::build::BuildOptions::new(&root);
    opts.output = out.clone();
    assert!(gongkai::build::build(&opts).is_err());
    assert!(!out.exists() && !escape.exists());
}

#[test]
fn absurd_numbers_are_drawn_safely_and_big_task_numbers_are_tasks() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // Past what a chart can place (1e15) but short enough to be a target.
    let huge = format!("1{}", "0".repeat(190));
    write(
        root,
        "site.yaml",
        "title: 示例\nbase_url: https://www.example.gov.cn/\n\
         districts:\n  - slug: shili\n    name: 示例区\n\
         units:\n  - name: 区应急局\n    district: shili\n\
         indicators:\n  - slug: accident-count\n    name: 生产安全事故起数\n    unit: 起\n",
    );
    for (year, target) in [
        (2023, huge.as_str()),
        (2024, "999999999999999"),
        (2025, "0.000000001"),
    ] {
        write(
            root,
            &format!("content/shili/{year}/yaodian.md"),
            &format!(
                "---\ntitle: 示例区{year}年工作要点\ndistrict: shili\nyear: {year}\n\
                 indicators:\n  - name: 生产安全事故起数\n    target: \"{target}\"\n---\n\n\
                 1000.落实责任。（责任单位：区应急局）\n\n\
                 １００１．开展检查。（责任单位：区应急局）\n\n\
                 123456.这一段看起来像编号。\n"
            ),
        );
    }
    let started = std::time::Instant::now();
    let (files, _) =
        gongkai::build::build_in_memory(root, None).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let doc = scraper::Html::parse_document(&text_of(&files, "shili/index.html"));
    for svg in doc.select(&sel("svg")) {
        let parts = svg.select(&sel("line, path, circle, text, rect")).count();
        assert!(parts < 200, "a chart of {parts} parts");
    }
    let plan = scraper::Html::parse_document(&text_of(&files, "shili/2024/yaodian/index.html"));
    let ids = common::attrs(&plan, "[id^=task-]", "id");
    assert!(ids.contains(&"task-1000".to_string()), "{ids:?}");
    assert!(ids.contains(&"task-1001".to_string()), "{ids:?}");
    // A target of 309 digits (infinity as a float) is refused where it is written.
    write(
        root,
        "content/shili/2025/yaodian.md",
        &format!(
            "---\ntitle: 示例区2025年工作要点\ndistrict: shili\nyear: 2025\n\
             indicators:\n  - name: 生产安全事故起数\n    target: \"1{}\"\n---\n\n1.落实。\n",
            "0".repeat(308)
        ),
    );
    let all = problems(root);
    assert!(
        all.iter()
            .any(|d| d.severity == gongkai::diagnostics::Severity::Error
                && d.file == Path::new("content/shili/2025/yaodian.md")
                && d.line == 7),
        "{all:#?}"
    );
    write(
        root,
        "content/shili/2025/yaodian.md",
        "---\ntitle: 示例区2025年工作要点\ndistrict: shili\nyear: 2025\n---\n\n1.落实。\n",
    );
    // Six digits is no task number, but it is not passed over in silence.
    let engine = gongkai::build::check(root, None).unwrap_or_else(|e| panic!("{e:?}"));
    let warnings = engine.site.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.file == Path::new("content/shili/2024/yaodian.md")
                && w.line == 14
                && w.message.contains("编号")),
        "{warnings:#?}"
    );
}

fn gongkai_cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("GONGKAI_LANG");
    c
}

#[test]
fn template_mistakes_are_found_by_check_in_the_file_that_has_them() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    assert!(
        gongkai_cmd()
            .arg("init")
            .arg(&root)
            .status()
            .unwrap()
            .success()
    );
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .unwrap();
    let with_line_6 = |extra: &str| {
        let mut lines: Vec<&str> = base.lines().collect();
        lines.insert(5, extra);
        lines.join("\n")
    };
    for (extra, says) in [
        ("{% if %}", "模板错误"),
        ("{{ nothing_here.x }}", "nothing_here"),
    ] {
        write(&root, "templates/base.html", &with_line_6(extra));
        let out = gongkai_cmd()
            .args(["check", "--root"])
            .arg(&root)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("templates/base.html:6"), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(
            !err.contains("(built-in)") && !err.contains("内置"),
            "{err}"
        );
    }
}

#[test]
fn a_utf16_plan_is_named_as_utf16() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    assert!(
        gongkai_cmd()
            .arg("init")
            .arg(&root)
            .status()
            .unwrap()
            .success()
    );
    let plan = root.join("content/shili/2024/aqsc-gongzuo-yaodian.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&plan, bytes).unwrap();
    let out = gongkai_cmd()
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("UTF-16"), "{err}");
    assert!(!err.contains("GB18030"), "{err}");
}
