//! The benchmark corpus generator (bench/gen_corpus.rs, which `bench/gen-corpus` runs) on a
//! small N: it must write the same plans for gongkai and Hugo, deterministically, and the
//! gongkai site must build. This keeps the benchmark from rotting; the benchmark itself is
//! bench/run.

mod common;
#[path = "../bench/gen_corpus.rs"]
mod gen_corpus;

use std::path::Path;

use common::*;

fn generate(n: usize, out: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Err(e) = gen_corpus::generate(root, n, 7, out) {
        panic!("gen_corpus: {e}");
    }
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn the_generated_corpus_builds_and_matches_its_hugo_twin() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    generate(25, &a);
    generate(25, &b);
    // The same N and seed give the same files, byte for byte.
    assert!(files(&a) == files(&b), "gen-corpus is not deterministic");

    let g = a.join("gongkai");
    let plans: Vec<_> = files(&g.join("content"));
    assert_eq!(plans.len(), 25);
    let hugo_plans = files(&a.join("hugo/content/plans"));
    assert_eq!(hugo_plans.len(), 25);
    // Same plans on both sides, at the same paths.
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&plans), names(&hugo_plans));
    for f in [
        "hugo.toml",
        "layouts/baseof.html",
        "layouts/page.html",
        "layouts/term.html",
    ] {
        assert!(a.join("hugo").join(f).exists(), "{f}");
    }

    let (_t, out) = build_site(&g, None);
    // 25 plans: 3 districts (10 + 10 + 5 years), each plan with about 40 tasks.
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/plans.json")).expect("plans.json"))
            .expect("json");
    let list = data.as_array().expect("list");
    assert_eq!(list.len(), 25);
    assert!(list.iter().all(|p| p["task_count"] == 40), "40 tasks each");
    assert!(
        list.iter()
            .all(|p| p["indicators"].as_array().map(Vec::len) == Some(8))
    );
    let districts: std::collections::BTreeSet<_> = list
        .iter()
        .map(|p| p["district_slug"].to_string())
        .collect();
    assert_eq!(districts.len(), 3);
    // A plan's body is about 10 KB, as the benchmark promises.
    let text = String::from_utf8_lossy(&plans[0].1);
    let body = text.split("\n---\n").nth(1).expect("body");
    assert!(
        (8_000..16_000).contains(&body.len()),
        "{} bytes",
        body.len()
    );
    // Consecutive years carry tasks over, so comparisons find continued tasks.
    let cmp: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("data/comparisons.json")).expect("comparisons.json"),
    )
    .expect("json");
    let first = &cmp["comparisons"][0]["tasks"];
    assert!(first["continued"].as_array().map(Vec::len).unwrap_or(0) >= 10);
    assert_eq!(broken_links(&out), Vec::<String>::new());
}
