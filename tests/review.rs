//! The 核对 (review) record of an import and the preview's pages of it: `gongkai import` writes
//! the record with the plan (a dry run writes nothing, `--force` replaces it), `build` never
//! publishes it, and `gongkai serve` shows the list and each record — every line of the original
//! beside what it became, the lines to check marked in words, new units marked, a filter that
//! works without JavaScript — and a clear page for a record that is missing, damaged, or a link
//! out of `.gongkai/review/`. Hostile records: HTML and control characters in the text, and
//! 100,000 lines.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use gongkai::import::review::Review;

fn import_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

/// The one record of a site: its path and what it holds.
fn the_record(site: &Path) -> (PathBuf, Review) {
    let dir = site.join(".gongkai/review");
    let all = files(&dir);
    assert_eq!(all.len(), 1, "{all:?}");
    let path = dir.join(&all[0]);
    let review = Review::from_json(&std::fs::read(&path).unwrap()).expect("a record");
    (path, review)
}

#[test]
fn import_writes_the_review_record_with_the_plan_and_a_dry_run_writes_nothing() {
    let (_tmp, site) = new_site();
    let doc = import_fixture("shili-review.txt");
    let o = import(&doc, &site, &["--dry-run"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = stdout(&o);
    assert!(!site.join(".gongkai").exists(), "a dry run wrote a record");
    assert!(report.contains(".gongkai/review/shili/2025/"), "{report}");
    assert!(!report.contains("核对页："), "{report}");

    let o = import(&doc, &site, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = stdout(&o);
    let (path, review) = the_record(&site);
    let rel = path
        .strip_prefix(&site)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(rel.starts_with(".gongkai/review/shili/2025/"), "{rel}");
    let id = rel
        .trim_start_matches(".gongkai/review/shili/2025/")
        .trim_end_matches(".json");
    assert_eq!(review.plan, format!("content/shili/2025/{id}.md"));
    assert!(site.join(&review.plan).is_file());
    assert_eq!(review.title, "示例区2025年应急管理工作要点");
    assert!(!review.lines.is_empty() && review.tasks().count() == 5);
    // The units this import added to site.yaml, as the report names them.
    assert!(!review.new_units.is_empty());
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    for u in &review.new_units {
        assert!(
            yaml.contains(u.as_str()) && report.contains(u.as_str()),
            "{u}"
        );
    }
    // The report names the file written and, after the files, the page that shows it.
    assert!(
        report.contains(&format!("已写入 {}", site.join(&rel).display())),
        "{report}"
    );
    let link =
        format!("核对页：gongkai serve 后打开 http://127.0.0.1:1111/_review/shili/2025/{id}/");
    let at = report.find(&link).unwrap_or_else(|| panic!("{report}"));
    assert!(report[..at].contains("已写入"), "{report}");

    // Without --force the plan is kept, and so is its record; --force replaces both.
    std::fs::write(&path, "{}").unwrap();
    let o = import(&doc, &site, &[]);
    assert!(!o.status.success());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}");
    let o = import(&doc, &site, &["--force"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let again = the_record(&site).1;
    assert_eq!((&again.plan, &again.lines), (&review.plan, &review.lines));
    // Its units are in site.yaml now: this import added none.
    assert!(again.new_units.is_empty(), "{:?}", again.new_units);

    // `check` does not look at it; `build` publishes no trace of it.
    let o = gongkai(&["check", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = site.join("output");
    let o = gongkai(&["build", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let record = std::fs::read(&path).unwrap();
    for f in files(&out) {
        assert!(!f.starts_with(".gongkai/") && !f.contains("review"), "{f}");
        let bytes = std::fs::read(out.join(&f)).unwrap();
        assert!(bytes != record, "{f} is the record");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("_review") && !text.contains(".gongkai/review"),
            "{f} names the record"
        );
    }
}
