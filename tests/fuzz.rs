//! Fuzzing (issue 14): plan files, `site.yaml` and import documents built from the fragments
//! real content and attacks are made of, mutated at random. Whatever comes in, gongkai must not
//! panic, must write only inside its output, and what it writes must stay well formed: every
//! HTML page parses with no injected element, JSON parses, CSV has no live formula.
//!
//! Each target runs for `GONGKAI_FUZZ_SECONDS` seconds (3 by default; CI runs it longer). An
//! input that fails is shrunk by proptest and saved under `tests/fuzz/regressions/<target>/`;
//! every saved input is replayed first, on every run, so a crash once found stays a test.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;

use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};

fn budget() -> Duration {
    let secs = std::env::var("GONGKAI_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    Duration::from_secs(secs)
}

fn regressions(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/regressions")
        .join(target)
}

/// Replays the saved inputs of a target, then runs new ones until the budget is spent. A new
/// failure is saved (shrunk) before the test fails with it.
fn fuzz(
    target: &str,
    strategy: impl Strategy<Value = String>,
    check: impl Fn(&str) -> Result<(), String>,
) {
    let dir = regressions(target);
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for f in files {
            let input = std::fs::read_to_string(&f).expect("regression input is UTF-8");
            if let Err(e) = check(&input) {
                panic!("{}: {e}", f.display());
            }
        }
    }
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let start = Instant::now();
    let mut cases = 0;
    while start.elapsed() < budget() {
        cases += 1;
        let tree = strategy
            .new_tree(&mut runner)
            .expect("the strategies never reject");
        let outcome = runner.run_one(tree, |input: String| {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&input)));
            match r {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(TestCaseError::fail(e)),
                Err(p) => {
                    let msg = p
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    Err(TestCaseError::fail(format!("panicked: {msg}")))
                }
            }
        });
        if let Err(TestError::Fail(why, input)) = outcome {
            std::fs::create_dir_all(&dir).expect("mkdir");
            let name = dir.join(format!("{:016x}.txt", fnv(&input)));
            std::fs::write(&name, &input).expect("save the failing input");
            panic!(
                "{target}: {why}\n(saved as {})\ninput:\n{input}",
                name.display()
            );
        }
    }
    eprintln!(
        "{target}: {cases} cases in {:.1} s",
        start.elapsed().as_secs_f64()
    );
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Text that attacks or breaks things: markup, script, formulas, paths, quotes, YAML syntax,
/// odd Unicode, huge numbers.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<script>alert(1)</script>".to_string()),
        Just("浦东<!--<script>要点".to_string()),
        Just("</script><img src=x onerror=alert(1)>".to_string()),
        Just("x\" onmouseover=\"alert(1)".to_string()),
        Just("=HYPERLINK(\"http://x\")".to_string()),
        Just("+1".to_string()),
        Just("-2".to_string()),
        Just("@SUM(A1)".to_string()),
        Just("../../../../tmp/x".to_string()),
        Just("\u{2028}\u{2029}".to_string()),
        Just("&amp;&lt;".to_string()),
        Just("'\"`".to_string()),
        Just("{{ site.title }}{% raw %}".to_string()),
        Just(": - [ ] { } # | > &a *a !tag".to_string()),
        Just("9".repeat(309)),
        Just("1e400".to_string()),
        Just("区应急局".to_string()),
        Just("各乡镇".to_string()),
        Just("示甲".to_string()),
        Just("\u{feff}\u{200b}".to_string()),
        Just("ｆｕｌｌ－ｗｉｄｔｈ　".to_string()),
        "\\PC{0,12}",
        "[\u{4e00}-\u{4e80}]{1,20}",
    ]
}

fn yaml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        nasty().prop_map(|s| format!("{s:?}")),
        nasty().prop_map(|s| format!("'{}'", s.replace('\'', "''"))),
        nasty(),
        Just("2024".to_string()),
        Just("2016-2020".to_string()),
        Just("2024-02-30".to_string()),
        Just("[a, b]".to_string()),
        Just("".to_string()),
        Just("null".to_string()),
    ]
}

fn front_matter_line() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("title"),
        Just("kind"),
        Just("issuer"),
        Just("doc_number"),
        Just("written"),
        Just("published"),
        Just("index_number"),
        Just("topic"),
        Just("status"),
        Just("validity"),
        Just("disclosure"),
        Just("source"),
        Just("notice"),
        Just("imprint"),
        Just("keywords"),
        Just("year"),
        Just("district"),
        Just("unknown_field"),
        Just("title："),
    ];
    prop_oneof![
        4 => (key, yaml_value()).prop_map(|(k, v)| format!("{k}: {v}")),
        1 => (nasty(), yaml_value()).prop_map(|(n, t)| format!("indicators:\n  - name: {n:?}\n    target: {t}")),
        1 => (yaml_value(), nasty(), nasty()).prop_map(|(n, l, p)| format!("tasks:\n  - number: {n}\n    lead: [{l:?}]\n    persons: [{p:?}]")),
        1 => nasty(),
    ]
}

fn body_line() -> impl Strategy<Value = String> {
    let marker = prop_oneof![
        Just(""),
        Just("一、"),
        Just("（二）"),
        Just("(三)"),
        Just("1."),
        Just("3. "),
        Just("５．"),
        Just("1000."),
        Just("2）"),
        Just("①"),
        Just("## "),
        Just("# 一、"),
        Just("- "),
        Just("> "),
        Just("| 序号 | 重点任务 | 责任单位 |\n|---|---|---|\n| 1 | "),
    ];
    let tail = prop_oneof![
        Just(""),
        Just("（责任单位：区应急局、各乡镇）"),
        Just("（牵头单位：区应急局；配合单位：区消防救援支队）"),
        Just("（示甲同志牵头负责）"),
        Just(" | 区应急局 |"),
        Just("[链接](@/shili/2024/x.md#task-1)"),
        Just("[外链](javascript:alert(1))"),
        Just("<div onclick=x>"),
    ];
    (marker, nasty(), tail).prop_map(|(m, t, n)| format!("{m}{t}{n}"))
}

fn plan_file() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(front_matter_line(), 0..6),
        proptest::collection::vec(body_line(), 0..12),
        any::<bool>(),
    )
        .prop_map(|(fm, body, required)| {
            let mut s = String::from("---\n");
            if required {
                s.push_str("title: 示例区2024年安全生产工作要点\ndistrict: shili\nyear: 2024\n");
            }
            for l in fm {
                s.push_str(&l);
                s.push('\n');
            }
            s.push_str("---\n\n");
            for l in body {
                s.push_str(&l);
                s.push_str("\n\n");
            }
            s
        })
}

const SITE_YAML: &str = "title: 示例区安全生产规划公开\nbase_url: https://www.example.gov.cn/zwgk/aqsc/\ndistricts:\n  - slug: shili\n    name: 示例区\nunits:\n  - name: 区应急局\n  - name: 区消防救援支队\n  - name: 各街镇\n    aliases: [各乡镇]\n    kind: group\nindicators:\n  - slug: accident-count\n    name: 生产安全事故起数\n";

fn site_yaml() -> impl Strategy<Value = String> {
    let entry = prop_oneof![
        (yaml_value(), yaml_value()).prop_map(|(s, n)| format!("  - slug: {s}\n    name: {n}\n")),
        nasty().prop_map(|n| format!("  - name: {n:?}\n    aliases: [{n:?}]\n")),
        yaml_value().prop_map(|s| format!("  - name: 甲\n    slug: {s}\n")),
    ];
    let section = prop_oneof![
        Just("districts:\n"),
        Just("units:\n"),
        Just("persons:\n"),
        Just("indicators:\n"),
        Just("comparisons:\n"),
    ];
    (
        proptest::collection::vec((section, proptest::collection::vec(entry, 0..3)), 0..4),
        yaml_value(),
        yaml_value(),
    )
        .prop_map(|(sections, base, title)| {
            let mut s = SITE_YAML.replace("https://www.example.gov.cn/zwgk/aqsc/", &base);
            s = s.replacen("示例区安全生产规划公开", &title, 1);
            for (head, entries) in sections {
                s.push_str(head);
                for e in entries {
                    s.push_str(&e);
                }
            }
            s
        })
}

/// Checks everything a build wrote: paths stay inside, HTML parses without injected elements,
/// JSON parses, CSV cells are no formulas.
fn check_output(files: &gongkai::output::Files) -> Result<(), String> {
    for (path, bytes) in files {
        if path.starts_with('/')
            || path
                .split('/')
                .any(|p| p == ".." || p.is_empty() && !path.ends_with('/'))
        {
            return Err(format!("wrote outside its output: {path}"));
        }
        if path.ends_with(".html") {
            let text = String::from_utf8_lossy(bytes);
            let doc = scraper::Html::parse_document(&text);
            for sel in [
                "img[onerror]",
                "[onmouseover]",
                "[onclick]",
                "a[href^='javascript']",
            ] {
                let s = scraper::Selector::parse(sel).expect("selector");
                if doc.select(&s).next().is_some() {
                    return Err(format!("{path}: injected {sel}"));
                }
            }
            let scripts = scraper::Selector::parse("script").expect("selector");
            for s in doc.select(&scripts) {
                let body = s.inner_html();
                if s.value().attr("type") == Some("application/ld+json") {
                    serde_json::from_str::<serde_json::Value>(&body)
                        .map_err(|e| format!("{path}: JSON-LD does not parse: {e}"))?;
                } else if body.contains("alert(1)") {
                    return Err(format!("{path}: a script carries a value: {body}"));
                }
            }
        } else if path.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(bytes)
                .map_err(|e| format!("{path}: {e}"))?;
        } else if path.ends_with(".csv") {
            let mut r = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
            for rec in r.records() {
                let rec = rec.map_err(|e| format!("{path}: {e}"))?;
                if let Some(cell) = rec.iter().find(|c| c.starts_with(['=', '+', '-', '@'])) {
                    return Err(format!("{path}: a formula cell: {cell}"));
                }
            }
        }
    }
    Ok(())
}

fn build_site(site_yaml: &str, plan: Option<&str>) -> Result<(), String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    std::fs::write(tmp.path().join("site.yaml"), site_yaml).map_err(|e| e.to_string())?;
    let dir = tmp.path().join("content/shili/2024");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if let Some(p) = plan {
        std::fs::write(dir.join("fuzz.md"), p).map_err(|e| e.to_string())?;
    }
    match gongkai::build::build_in_memory(tmp.path(), None) {
        Ok((files, _)) => check_output(&files),
        // Problems in the content are fine; each must be located in a file.
        Err(gongkai::error::Error::Content(d)) => {
            match d
                .iter()
                .find(|d| d.file.as_os_str().is_empty() || d.message.is_empty())
            {
                Some(bad) => Err(format!("a problem without a file or message: {bad:?}")),
                None => Ok(()),
            }
        }
        Err(e) => Err(format!("{e:?}")),
    }
}

#[test]
fn fuzz_plan_files() {
    fuzz("plan", plan_file(), |plan| {
        build_site(SITE_YAML, Some(plan))
    });
}

#[test]
fn fuzz_site_yaml() {
    const PLAN: &str = "---\ntitle: 示例区2024年安全生产工作要点\ndistrict: shili\nyear: 2024\n---\n\n1.加强隐患排查。（责任单位：区应急局）\n";
    fuzz("site", site_yaml(), |yaml| build_site(yaml, Some(PLAN)));
}

#[test]
fn fuzz_import_documents() {
    let config = {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::write(tmp.path().join("site.yaml"), SITE_YAML).expect("write");
        gongkai::config::load(tmp.path()).expect("the fuzz site.yaml loads")
    };
    let doc = (
        proptest::collection::vec(body_line(), 0..20),
        prop_oneof![
            Just("示例区安全生产委员会文件\n示安委〔2024〕1号\n关于印发《示例区2024年安全生产工作要点》的通知\n".to_string()),
            Just("当前位置：首页 > 政府信息公开\n索引号：SL-2024-1\n".to_string()),
            Just(String::new()),
            nasty(),
        ],
    )
        .prop_map(|(lines, head)| format!("{head}\n{}", lines.join("\n")));
    let settings = gongkai::import::Settings {
        district: Some("shili"),
        ..Default::default()
    };
    fuzz("import", doc, |text| {
        // Any document gives a plan or a reason; never a panic: as text, as a portal page, and
        // as the damaged bytes of a Word file and a PDF.
        let html = format!(
            "<html><body><div class=\"article\">{}</div></body></html>",
            text.replace('\n', "<br>")
        );
        let zip = [b"PK\x03\x04".as_slice(), text.as_bytes()].concat();
        let pdf = [b"%PDF-1.4\n".as_slice(), text.as_bytes()].concat();
        for (bytes, name) in [
            (text.as_bytes(), "fuzz.txt"),
            (html.as_bytes(), "fuzz.html"),
            (zip.as_slice(), "fuzz.docx"),
            (pdf.as_slice(), "fuzz.pdf"),
        ] {
            let _ = gongkai::import::convert_bytes(bytes, name, &config, &settings);
        }
        Ok(())
    });
}

#[test]
fn fuzz_progress_tables() {
    // Rows of nasty cells, as CSV text and as the damaged bytes of a workbook: a table or a
    // reason, never a panic; a table read holds no more rows than the file has lines.
    let table = proptest::collection::vec(proptest::collection::vec(nasty(), 0..6), 0..12)
        .prop_map(|rows| {
            rows.iter()
                .map(|r| r.join(","))
                .collect::<Vec<_>>()
                .join("\n")
        });
    let dir = tempfile::tempdir().expect("tmp");
    fuzz("progress", table, |text| {
        let zip = [b"PK\x03\x04".as_slice(), text.as_bytes()].concat();
        for (bytes, name) in [
            (text.as_bytes(), "t.csv"),
            (zip.as_slice(), "t.xlsx"),
            (zip.as_slice(), "t.ods"),
            (text.as_bytes(), "t.xls"),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
            match gongkai::progress::sheet::read(&path, None) {
                Ok(t) if t.rows.len() > text.lines().count() + 1 => {
                    return Err(format!(
                        "{name}: {} rows from {} lines",
                        t.rows.len(),
                        text.lines().count()
                    ));
                }
                Err(e) if e.to_string().trim().is_empty() => {
                    return Err(format!("{name}: an empty error"));
                }
                _ => {}
            }
        }
        Ok(())
    });
}
