//! The search index: what Pagefind was given to index (read back from the index itself), the
//! bundles and how the search page merges them, and that a build always makes the same index.
//! The search itself, in a browser, is checked by `tests/browser/run`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// Every fragment (one per indexed page) of every bundle under `pagefind/`, decompressed.
fn fragments(out: &Path) -> Vec<Value> {
    let mut v = Vec::new();
    for dir in bundle_dirs(out) {
        let Ok(entries) = std::fs::read_dir(dir.join("fragment")) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
        files.sort();
        for f in files {
            v.push(serde_json::from_slice(&pagefind_file(&f)).expect("fragment JSON"));
        }
    }
    v
}

/// A Pagefind data file: gzip of a `pagefind_dcd` signature and the data.
fn pagefind_file(f: &Path) -> Vec<u8> {
    let gz = std::fs::read(f).expect("read");
    let mut data = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut data)
        .expect("gzip");
    let body = data
        .strip_prefix(b"pagefind_dcd".as_slice())
        .unwrap_or_else(|| panic!("{} has no Pagefind signature", f.display()));
    body.to_vec()
}

/// `pagefind/` and its numbered bundles, in bundle order.
fn bundle_dirs(out: &Path) -> Vec<PathBuf> {
    let first = out.join("pagefind");
    let mut v = vec![first.clone()];
    for b in 1.. {
        let d = first.join(b.to_string());
        if !d.is_dir() {
            break;
        }
        v.push(d);
    }
    v
}

fn entry(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("pagefind-entry.json")).expect("entry file");
    serde_json::from_str(&text).expect("entry JSON")
}

/// The plan pages of a built site, as site-relative URLs (`/shili/2023/aqsc-gongzuo-yijian/`).
fn plan_urls(out: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(out.join("data/plans.json")).expect("plans.json");
    let plans: Value = serde_json::from_str(&text).expect("plans JSON");
    plans
        .as_array()
        .expect("list")
        .iter()
        .map(|p| {
            // The data's URLs are absolute; the index's are the pages' paths.
            let url = p["url"].as_str().expect("url");
            let path = url.split_once("://").map_or(url, |(_, r)| r);
            let path = &path[path.find('/').unwrap_or(0)..];
            path.strip_prefix("/zwgk/aqsc").unwrap_or(path).to_string()
        })
        .collect()
}

#[test]
fn every_plan_is_indexed_once_with_its_filters_and_task_anchors() {
    let (_tmp, out) = build_site(&fixture("compare"), None);
    let frags = fragments(&out);
    let urls: Vec<String> = frags
        .iter()
        .map(|f| f["url"].as_str().expect("url").to_string())
        .collect();
    let unique: BTreeSet<String> = urls.iter().cloned().collect();
    assert_eq!(urls.len(), unique.len(), "a page indexed twice: {urls:?}");
    assert_eq!(
        unique,
        plan_urls(&out),
        "only and all plan pages are indexed"
    );

    let plan = frags
        .iter()
        .find(|f| f["url"] == "/shili/2023/aqsc-gongzuo-yijian/")
        .expect("示例区 2023 indexed");
    assert_eq!(plan["meta"]["title"], "示例区2023年安全生产工作意见");
    assert_eq!(plan["filters"]["地区"], serde_json::json!(["示例区"]));
    assert_eq!(plan["filters"]["年度"], serde_json::json!(["2023"]));
    let units: Vec<&str> = plan["filters"]["责任单位"]
        .as_array()
        .expect("unit filter")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(units.contains(&"区应急局"), "unit filter: {units:?}");
    assert!(units.contains(&"区消防救援支队"), "unit filter: {units:?}");

    // Pagefind stores the text with a zero-width space between the words it found.
    let content = plan["content"]
        .as_str()
        .expect("content")
        .replace('\u{200B}', "");
    assert!(content.contains("危险化学品"), "the plan's text is indexed");
    // The contents list, the responsibility table and the related plans are not.
    assert!(
        !content.contains("责任分工"),
        "responsibility table indexed"
    );
    assert!(!content.contains("相关文件"), "related plans indexed");

    // Results link to sections (headings) and to tasks (named by number and title).
    let anchors = plan["anchors"].as_array().expect("anchors");
    let titled: BTreeMap<&str, &str> = anchors
        .iter()
        .filter_map(|a| Some((a["id"].as_str()?, a["title"].as_str()?)))
        .collect();
    assert!(
        titled.keys().any(|id| id.starts_with("task-")),
        "no task anchors: {anchors:?}"
    );
    for (id, title) in &titled {
        assert!(id.starts_with("task-"), "{id} titled {title}");
        assert!(!title.trim().is_empty(), "{id} has an empty title");
    }
    assert!(
        anchors
            .iter()
            .any(|a| a["element"] == "h2" && a["id"].as_str().is_some_and(|i| i.starts_with("s-"))),
        "no section anchors: {anchors:?}"
    );
    // Every anchor a result can link to is on the page.
    let doc = page(&out, "shili/2023/aqsc-gongzuo-yijian/index.html");
    let ids: BTreeSet<String> = attrs(&doc, "[id]", "id").into_iter().collect();
    for a in anchors {
        let id = a["id"].as_str().expect("id");
        assert!(ids.contains(id), "anchor #{id} is not on the page");
    }
}

#[test]
fn bundles_are_merged_by_the_search_page() {
    // The fixture asks for at most two plans a bundle: five plans make three bundles.
    let (_tmp, out) = build_site(&fixture("compare"), None);
    let dirs = bundle_dirs(&out);
    assert_eq!(dirs.len(), 3, "{dirs:?}");
    let mut pages = 0;
    for (b, dir) in dirs.iter().enumerate() {
        let e = entry(dir);
        let lang = &e["languages"]["zh-cn"];
        assert!(
            lang.is_object(),
            "bundle {b} is not indexed as Chinese: {e}"
        );
        let n = lang["page_count"].as_u64().expect("page_count");
        assert!(n >= 1, "bundle {b} is empty");
        pages += n;
        // Only the first bundle has the scripts; the others share them.
        let scripts = std::fs::read_dir(dir)
            .expect("bundle")
            .filter_map(|e| e.ok())
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.ends_with(".js") || n.ends_with(".css") || n.starts_with("wasm.")
            })
            .count();
        if b == 0 {
            assert!(dir.join("pagefind-ui.js").is_file());
            assert!(scripts > 0);
        } else {
            assert_eq!(scripts, 0, "bundle {b} repeats the scripts");
        }
    }
    assert_eq!(pages as usize, plan_urls(&out).len());

    // The search page names the first bundle, the rest to merge, and the site root, all as
    // paths that resolve to those folders.
    let search = out.join("search/index.html");
    let doc = page(&out, "search/index.html");
    let one = |a: &str| {
        let v = attrs(&doc, "#search", a);
        assert_eq!(v.len(), 1, "#search[{a}]");
        v[0].clone()
    };
    // A folder's path resolves to its index.html.
    let dir_of = |href: &str| {
        let (target, _) = resolve(&out, &search, href).expect("a path inside the site");
        target.parent().expect("a folder").to_path_buf()
    };
    assert_eq!(dir_of(&one("data-bundle")), dir_of("../pagefind/"));
    assert!(
        dir_of(&one("data-bundle"))
            .join("pagefind-entry.json")
            .is_file()
    );
    let more: Vec<PathBuf> = one("data-more-bundles").split(' ').map(&dir_of).collect();
    assert_eq!(more.len(), 2);
    for (m, d) in more.iter().zip(&dirs[1..]) {
        assert!(m.join("pagefind-entry.json").is_file(), "{}", m.display());
        assert_eq!(m.canonicalize().ok(), d.canonicalize().ok());
    }
    assert!(dir_of(&one("data-root")).join("index.html").is_file());
    // Without JavaScript the page says so, and points to the indexes.
    let noscript = texts(&doc, "noscript").join("");
    assert!(noscript.contains("JavaScript"), "{noscript}");
    for index in ["units/", "years/", "districts/"] {
        assert!(
            noscript.contains(index),
            "noscript does not link {index}: {noscript}"
        );
    }
}

#[test]
fn the_index_is_the_same_on_every_build() {
    let (_a, first) = build_site(&fixture("compare"), None);
    let (_b, second) = build_site(&fixture("compare"), None);
    let files = |out: &Path| -> BTreeMap<String, Vec<u8>> {
        let mut m = BTreeMap::new();
        let mut todo = vec![out.join("pagefind")];
        while let Some(d) = todo.pop() {
            for e in std::fs::read_dir(&d).expect("dir").filter_map(|e| e.ok()) {
                let p = e.path();
                if p.is_dir() {
                    todo.push(p);
                } else {
                    let rel = p.strip_prefix(out).expect("inside").display().to_string();
                    m.insert(rel, std::fs::read(&p).expect("read"));
                }
            }
        }
        m
    };
    let (a, b) = (files(&first), files(&second));
    assert!(a.len() > 10, "{} files", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(b[k] == *v, "{k} differs between two builds");
    }
}

#[test]
fn the_real_content_is_searchable_by_unit_and_person() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_tmp, out) = build_site(root, None);
    let frags = fragments(&out);
    let plans = plan_urls(&out);
    assert_eq!(frags.len(), plans.len());
    let text = |f: &Value| {
        f["content"]
            .as_str()
            .unwrap_or_default()
            .replace('\u{200B}', "")
    };
    let with = |needle: &str| -> Vec<String> {
        frags
            .iter()
            .filter(|f| text(f).contains(needle))
            .map(|f| f["url"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert!(with("危险化学品").len() >= 3, "{:?}", with("危险化学品"));
    assert!(with("区应急局").iter().any(|u| u.contains("/chongming/")));
    assert!(with("唐林芳").iter().any(|u| u.contains("/pudong/")));
    assert!(with("鲸鱼").is_empty());
}
