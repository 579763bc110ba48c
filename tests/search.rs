//! Search, end to end: the search page's own query logic (themes/default/static/search.js, run
//! in Node by tests/search/query.mjs) over a built site's index must find exactly what a plain
//! substring search of the plans' text finds — every plan and task, nothing else — on the real
//! content, a fixture with unit aliases and a generated corpus; highlights mark exactly the
//! terms; the exact phrase ranks first. Also: the documents searched hold the text the plan
//! pages show, and the search page is wired to the index.

mod common;
#[path = "../bench/gen_corpus.rs"]
mod gen_corpus;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;
use gongkai::fold::fold;
use serde_json::Value;

/// What the search page's logic found for one query.
#[derive(Debug)]
struct Found {
    plans: Vec<String>,
    docs: BTreeSet<String>,
    marks: Vec<String>,
}

fn run_queries(out: &Path, queries: &[String]) -> Vec<Found> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/query.mjs");
    let mut child = Command::new("node")
        .arg(&script)
        .arg(out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs tests/search/query.mjs");
    let input = serde_json::to_vec(queries).expect("queries");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&input)
        .expect("write queries");
    let done = child.wait_with_output().expect("node");
    assert!(
        done.status.success(),
        "query.mjs failed: {}",
        String::from_utf8_lossy(&done.stderr)
    );
    let answers: Vec<Value> = serde_json::from_slice(&done.stdout).expect("answers JSON");
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("list")
            .iter()
            .map(|s| s.as_str().expect("string").to_string())
            .collect()
    };
    answers
        .iter()
        .map(|a| Found {
            plans: strings(&a["plans"]),
            docs: strings(&a["docs"]).into_iter().collect(),
            marks: strings(&a["marks"]),
        })
        .collect()
}

/// A plan's documents as (link, folded text searched), by the plan's URL.
type Texts = BTreeMap<String, Vec<(String, String)>>;

/// The text each document of each plan is searched in, folded: its text and its other names.
fn plan_texts(root: &Path) -> Texts {
    let engine = gongkai::build::check(root, None).expect("site validates");
    gongkai::search::corpus(&engine.site)
        .plans
        .into_iter()
        .map(|p| {
            let docs = p
                .docs
                .iter()
                .map(|d| {
                    (
                        format!("{}#{}", p.url, d.anchor),
                        fold(&format!("{}\n{}", d.text, d.names)),
                    )
                })
                .collect();
            (p.url, docs)
        })
        .collect()
}

fn terms(q: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in fold(q).split_whitespace() {
        if !out.iter().any(|x| x == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// What a plain substring search finds: plans with every term somewhere, and the documents with
/// every term.
fn expected(texts: &Texts, q: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let ts = terms(q);
    let mut plans = BTreeSet::new();
    let mut docs = BTreeSet::new();
    for (url, ds) in texts {
        if ts
            .iter()
            .all(|t| ds.iter().any(|(_, text)| text.contains(t.as_str())))
        {
            plans.insert(url.clone());
            for (link, text) in ds {
                if ts.iter().all(|t| text.contains(t.as_str())) {
                    docs.insert(link.clone());
                }
            }
        }
    }
    (plans, docs)
}

/// Runs the queries over a built site and checks each against a substring search of `texts`.
/// Returns how many queries found something.
fn check_queries(out: &Path, texts: &Texts, queries: &[String]) -> usize {
    let found = run_queries(out, queries);
    let mut hits = 0;
    for (q, f) in queries.iter().zip(&found) {
        let (plans, docs) = expected(texts, q);
        let got: BTreeSet<String> = f.plans.iter().cloned().collect();
        assert_eq!(got.len(), f.plans.len(), "{q}: a plan listed twice");
        assert_eq!(got, plans, "{q}: the plans found");
        assert_eq!(f.docs, docs, "{q}: the tasks and sections found");
        let ts = terms(q);
        // Marks are exactly the terms (or terms run together), never a part of one.
        for m in &f.marks {
            let m = fold(m);
            assert!(
                ts.iter().any(|t| m.contains(t.as_str())),
                "{q}: marked “{m}”, which is no term"
            );
            let mut rest = m.clone();
            for t in &ts {
                rest = rest.replace(t.as_str(), "");
            }
            let single = ts.len() == 1 && ts[0].chars().count() > 1;
            assert!(
                !single || rest.is_empty() || m.contains(&ts[0]),
                "{q}: marked “{m}”"
            );
        }
        if ts.len() > 1 {
            // Plans with the exact phrase come first.
            let phrase = ts.concat();
            let has = |url: &String| {
                texts[url]
                    .iter()
                    .any(|(_, text)| text.contains(phrase.as_str()))
            };
            let first_without = f.plans.iter().position(|u| !has(u));
            if let Some(i) = first_without {
                assert!(
                    f.plans[i..].iter().all(|u| !has(u)),
                    "{q}: a plan with the phrase ranks below one without: {:?}",
                    f.plans
                );
            }
        }
        if !plans.is_empty() {
            hits += 1;
        }
    }
    hits
}

/// Deterministic pieces of the plans' own text, 1 to 6 characters long, from all kinds of
/// documents: the queries a plain substring search is sure to find.
fn samples(texts: &Texts, n: usize) -> Vec<String> {
    let docs: Vec<&String> = texts.values().flatten().map(|(_, t)| t).collect();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut out = Vec::new();
    while out.len() < n {
        let d: Vec<char> = docs[next() as usize % docs.len()].chars().collect();
        if d.is_empty() {
            continue;
        }
        let len = 1 + next() as usize % 6;
        let at = next() as usize % d.len();
        let q: String = d[at..(at + len).min(d.len())].iter().collect();
        let q = q.split_whitespace().next().unwrap_or_default().to_string();
        if !q.is_empty() {
            out.push(q);
        }
    }
    out
}

/// The samples of four characters or more, cut in two: plans with both halves apart and plans
/// with the phrase, which must rank first.
fn split(samples: &[String]) -> Vec<String> {
    samples
        .iter()
        .filter(|s| s.chars().count() >= 4)
        .map(|s| {
            let cut: String = s.chars().take(2).collect();
            let rest: String = s.chars().skip(2).collect();
            format!("{cut} {rest}")
        })
        .collect()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_real_content_finds_exactly_what_its_text_holds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_tmp, out) = build_site(root, None);
    let texts = plan_texts(root);
    let mut queries = strings(&[
        // single characters, two-character words, phrases
        "企",
        "鲸",
        "梯",
        "电梯",
        "消防",
        "危险化学品",
        "电梯安全",
        "安全生产责任制",
        // units, an alias and persons
        "区应急局",
        "区安委会各成员单位",
        "区安委会有关成员单位",
        "唐林芳",
        // 文号, dates and ASCII
        "浦应急〔2021〕39号",
        "〔2021〕",
        "2021",
        "yingji",
        "y",
        // traditional and full-width forms
        "危險化學品",
        "區應急局",
        "２０２１",
        // absent words
        "企鹅",
        "鲸鱼",
        "电梯企鹅",
        // several terms, and the phrase first
        "安全 生产",
        "电梯 消防",
        "区应急局 危险化学品",
        "电梯 企鹅",
    ]);
    let sampled = samples(&texts, 150);
    queries.extend(split(&sampled));
    queries.extend(sampled);
    let hits = check_queries(&out, &texts, &queries);
    assert!(hits > 150, "only {hits} queries found anything");

    // The cases of issue 18, plainly.
    let found = run_queries(
        &out,
        &strings(&["企鹅", "yingji", "电梯安全", "危險化學品"]),
    );
    assert!(found[0].plans.is_empty() && found[1].plans.is_empty());
    assert_eq!(found[2].marks, ["电梯安全"]);
    assert!(found[3].plans.len() >= 3, "{:?}", found[3].plans);
    assert_eq!(found[3].marks, ["危险化学品"]);
}

#[test]
fn unit_aliases_find_the_units_tasks() {
    let root = fixture("valid");
    let (_tmp, out) = build_site(&root, None);
    let texts = plan_texts(&root);
    let queries = strings(&["区应急管理局", "区应急局", "各乡镇", "各街镇", "示甲"]);
    check_queries(&out, &texts, &queries);
    // 区应急管理局 is an alias of 区应急局: tasks that name 区应急局 are found by it.
    let found = run_queries(&out, &strings(&["区应急管理局"]));
    let by_alias: Vec<&String> = found[0]
        .docs
        .iter()
        .filter(|link| {
            let (url, _) = link.split_once('#').expect("link");
            texts[url]
                .iter()
                .any(|(l, t)| l == *link && !t.contains("区应急管理局\n") && t.contains("区应急局"))
        })
        .collect();
    assert!(
        by_alias.iter().any(|l| l.contains("#task-")),
        "no task of 区应急局 found by its alias: {:?}",
        found[0].docs
    );
}

/// A plan's 解读 is searched with it: its words find the plan, and the place found is the
/// 解读's own page, which shows them.
#[test]
fn a_plans_interpretation_is_found_and_linked_to_its_page() {
    let root = fixture("tracker");
    let (_tmp, out) = build_site(&root, None);
    let texts = plan_texts(&root);
    // Words of the 解读 alone, of its title, and one in both it and the plan.
    let queries = strings(&[
        "出台背景",
        "解读",
        "主要内容",
        "城镇燃气",
        "出台背景 城镇燃气",
    ]);
    check_queries(&out, &texts, &queries);
    let found = run_queries(&out, &strings(&["出台背景"]));
    let plan = "shili/2024/aqsc-gongzuo-yijian/";
    assert_eq!(found[0].plans, [plan], "{found:?}");
    assert!(
        found[0].docs.contains(&format!("{plan}#jiedu/")),
        "the 解读 is not among the places found: {:?}",
        found[0].docs
    );
    // The result's link (the plan's folder and the anchor ending in "/") is a page that shows
    // the words.
    let page = std::fs::read_to_string(out.join(plan).join("jiedu/index.html")).expect("解读 page");
    let html = scraper::Html::parse_document(&page);
    assert!(texts_of(&html, "main").contains("出台背景"));
    // That the page's script links it there is checked in the browser (tests/browser/check.mjs).
}

#[test]
fn a_generated_corpus_finds_exactly_what_its_text_holds() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Err(e) = gen_corpus::generate(project, 60, 3, tmp.path()) {
        panic!("gen_corpus: {e}");
    }
    let root = tmp.path().join("gongkai");
    let (_out_tmp, out) = build_site(&root, None);
    let texts = plan_texts(&root);
    let mut queries = strings(&[
        "电梯",
        "危险化学品",
        "区应急局",
        "企鹅",
        "安全 生产",
        "示例0001区",
    ]);
    let sampled = samples(&texts, 150);
    queries.extend(split(&sampled));
    queries.extend(sampled);
    let hits = check_queries(&out, &texts, &queries);
    assert!(hits > 150, "only {hits} queries found anything");
}

/// Text of an element, whitespace removed.
fn bare(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_documents_hold_the_text_the_plan_pages_show() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_tmp, out) = build_site(root, None);
    let engine = gongkai::build::check(root, None).expect("site");
    let corpus = gongkai::search::corpus(&engine.site);
    let blocks = sel(
        "#text p, #text li, #text td, #text th, #text h2, #text h3, #text h4, #text h5, \
         #notice p, #imprint p, #meta dd, #indicators tbody th, h1",
    );
    let mut checked = 0;
    for plan in &corpus.plans {
        let all: String = plan
            .docs
            .iter()
            .map(|d| bare(&format!("{}{}", d.text, d.names)))
            .collect();
        let doc = page(&out, &format!("{}index.html", plan.url));
        for e in doc.select(&blocks) {
            let t = bare(&e.text().collect::<String>());
            // A few dd hold what the filters are (地区, 年度) or what search leaves out.
            if t.is_empty() || ["有效", "主动公开", "安全生产"].contains(&t.as_str()) {
                continue;
            }
            if e.value().name() == "dd" && t.chars().all(|c| c.is_ascii_digit() || c == '、') {
                continue;
            }
            // A download's name and size (原文下载) is a file, not text of the plan.
            if e.select(&sel("a[download]")).next().is_some() {
                continue;
            }
            assert!(all.contains(&t), "{}: “{t}” is not searched", plan.url);
            checked += 1;
        }
        // Every task of the page is a document of its own, under its anchor.
        let anchors: BTreeSet<&str> = plan.docs.iter().map(|d| d.anchor.as_str()).collect();
        for id in attrs(&doc, "[id^=task-]", "id") {
            assert!(
                anchors.contains(id.as_str()),
                "{}: #{id} is not a document",
                plan.url
            );
        }
        // And every document's anchor is on the page.
        let ids: BTreeSet<String> = attrs(&doc, "[id]", "id").into_iter().collect();
        for a in anchors.iter().filter(|a| !a.is_empty()) {
            assert!(ids.contains(*a), "{}: no #{a} on the page", plan.url);
        }
    }
    assert!(checked > 500, "only {checked} blocks checked");
}

#[test]
fn the_search_page_loads_its_script_and_the_index_from_the_site() {
    let (_tmp, out) = build_site(&fixture("compare"), None);
    let search = out.join("search/index.html");
    let doc = page(&out, "search/index.html");
    let index = attrs(&doc, "#search", "data-index");
    assert_eq!(index.len(), 1);
    let (dir, _) = resolve(&out, &search, &index[0]).expect("inside the site");
    let dir = dir.parent().expect("folder").to_path_buf();
    let meta: Value =
        serde_json::from_slice(&std::fs::read(dir.join("meta.json")).expect("meta.json"))
            .expect("meta JSON");
    assert_eq!(meta["plans"], 5);
    assert!(dir.join("fold.json").is_file());
    let scripts = attrs(&doc, "script[src]", "src");
    assert_eq!(scripts.len(), 1, "{scripts:?}");
    let (script, _) = resolve(&out, &search, &scripts[0]).expect("inside the site");
    assert!(script.is_file(), "{}", script.display());
    // Nothing from another host.
    for src in attrs(&doc, "[src], link[href]", "src") {
        assert!(!src.contains("//"), "{src}");
    }
    // Without JavaScript the page says so, and points to the indexes.
    let noscript = texts_of(&doc, "noscript");
    assert!(noscript.contains("JavaScript"), "{noscript}");
    for index in ["units/", "years/", "districts/"] {
        assert!(noscript.contains(index), "noscript does not link {index}");
    }
    // Two builds make the same index.
    let (_again, second) = build_site(&fixture("compare"), None);
    let files = |o: &Path| -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(o.join("search"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(o).expect("in").display().to_string(),
                    std::fs::read(e.path()).expect("read"),
                )
            })
            .collect()
    };
    let (a, b) = (files(&out), files(&second));
    assert!(a.len() > 20, "{} files", a.len());
    assert!(a == b, "two builds made different indexes");
}

#[test]
fn the_client_query_logic_passes_its_unit_tests() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/client.test.mjs");
    let out = Command::new("node")
        .arg("--test")
        .arg(&tests)
        .output()
        .expect("node runs its test runner");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("# pass 6"));
}

/// The search index files of a built site, by site-relative path.
fn index_files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out.join("search/ix"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).expect("inside");
            (
                rel.display().to_string(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

#[test]
fn the_preview_updates_its_index_to_what_a_clean_build_makes() {
    use gongkai::serve::preview::{Lookup, Preview};
    use std::sync::Arc;
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    let from = fixture("compare");
    for e in walkdir::WalkDir::new(&from) {
        let e = e.expect("walk");
        let dest = root.join(e.path().strip_prefix(&from).expect("inside"));
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
    let engine = gongkai::engine::Engine::open(&root, None).expect("site");
    let mut preview = Preview::new(Arc::new(engine), None);
    // Asked for now, the index is made now; every edit below then updates it.
    assert!(matches!(
        preview.get("search/ix/meta.json"),
        Lookup::Found(..)
    ));
    let plan = root.join("content/shili/2023/aqsc-gongzuo-yijian.md");
    let added = root.join("content/shili/2023/zengbu.md");
    let text = std::fs::read_to_string(&plan).expect("plan");
    let mut served_before: BTreeSet<String> = BTreeSet::new();
    type Edit<'a> = (&'static str, Box<dyn Fn() + 'a>);
    let edits: Vec<Edit> = vec![
        (
            "a task reworded",
            Box::new(|| {
                let t = text.replacen("普及安全知识", "普及安全知识和企鹅馆", 1);
                std::fs::write(&plan, t).expect("write");
            }),
        ),
        (
            "a plan added",
            Box::new(|| std::fs::copy(&plan, &added).map(|_| ()).expect("copy")),
        ),
        (
            "a plan removed",
            Box::new(|| std::fs::remove_file(&added).expect("remove")),
        ),
        (
            "the first edit undone",
            Box::new(|| std::fs::write(&plan, &text).expect("write")),
        ),
    ];
    for (what, edit) in &edits {
        let changed = [plan.clone(), added.clone()];
        edit();
        let next = preview.engine.update(&changed).expect("the edit is valid");
        preview = Preview::new(Arc::new(next), Some(&preview));
        let (_out_tmp, out) = build_site(&root, None);
        let clean = index_files(&out);
        for (rel, bytes) in &clean {
            let got = match preview.get(rel) {
                Lookup::Found(b, _) => Some(b.to_vec()),
                _ => None,
            };
            assert!(
                got.as_ref() == Some(bytes),
                "{what}: {rel} differs from a clean build"
            );
        }
        // Files the index had before and a clean build does not are gone.
        for rel in served_before.iter().filter(|r| !clean.contains_key(*r)) {
            assert!(
                matches!(preview.get(rel), Lookup::Missing),
                "{what}: {rel} is still served"
            );
        }
        served_before = clean.keys().cloned().collect();
    }
    assert!(served_before.len() > 20, "{served_before:?}");
}

fn texts_of(doc: &scraper::Html, s: &str) -> String {
    texts(doc, s).join("")
}
