//! The validator on `tests/sites/invalid`: one file per kind of mistake, all reported in one
//! run, each with its file, line and a hint.

mod common;

use std::path::Path;

use gongkai::diagnostics::{Diagnostic, Severity};
use gongkai::error::Error;

/// Every problem `check` finds in a site, errors and warnings.
fn all_problems(root: &Path) -> Vec<Diagnostic> {
    match gongkai::build::check(root, None) {
        Ok(e) => e.site.warnings(),
        Err(Error::Content(d)) => d,
        Err(e) => panic!("{e:?}"),
    }
}

/// The errors of the invalid fixture (its plans also have warnings: they lack 文号 …).
fn problems() -> Vec<Diagnostic> {
    let all = all_problems(&common::fixture("invalid"));
    assert!(
        all.iter().any(|d| d.severity == Severity::Error),
        "the invalid fixture must not pass"
    );
    all.into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

fn find<'a>(all: &'a [Diagnostic], file: &str) -> Vec<&'a Diagnostic> {
    all.iter()
        .filter(|d| d.file == Path::new("content").join(file))
        .collect()
}

fn one<'a>(all: &'a [Diagnostic], file: &str) -> &'a Diagnostic {
    let v = find(all, file);
    assert_eq!(v.len(), 1, "{file}: {v:?}");
    v[0]
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let all = problems();
    assert_eq!(all.len(), 12, "{all:#?}");
    assert!(
        all.iter().all(|d| d.hint.is_some()),
        "every problem has a hint"
    );
}

#[test]
fn malformed_yaml() {
    let d = one(&problems(), "shili/2024/bad-yaml.md").clone();
    assert!(d.message.starts_with("YAML 格式错误"), "{d}");
    assert!(d.line >= 5 && d.line <= 6, "{d}");
    assert!(d.column.is_some());
}

#[test]
fn missing_required_field() {
    let d = one(&problems(), "shili/2024/missing-title.md").clone();
    assert_eq!(d.line, 1);
    assert_eq!(d.message, "缺少必填字段 title");
    assert!(d.hint.as_deref().unwrap().contains("title:"));
}

#[test]
fn wrong_type() {
    let d = one(&problems(), "shili/2024/wrong-type.md").clone();
    assert_eq!(d.line, 5);
    assert!(d.message.starts_with("值的类型不对"), "{d}");
}

#[test]
fn unknown_field() {
    let d = one(&problems(), "shili/2024/unknown-field.md").clone();
    assert_eq!(d.line, 3);
    assert_eq!(d.message, "不认识的字段 titel");
    assert!(d.hint.as_deref().unwrap().contains("title"), "{d}");
}

#[test]
fn duplicate_task_number() {
    let d = one(&problems(), "shili/2024/dup-task.md").clone();
    assert_eq!(d.line, 11);
    assert!(
        d.message.contains("重复") && d.message.contains("第 9 行"),
        "{d}"
    );
}

#[test]
fn year_not_matching_the_path() {
    let d = one(&problems(), "shili/2023/year-mismatch.md").clone();
    assert_eq!(d.line, 4);
    assert!(d.message.contains("与所在文件夹 2023 不一致"), "{d}");
}

#[test]
fn district_not_matching_the_path() {
    let d = one(&problems(), "yangli/2024/district-mismatch.md").clone();
    assert_eq!(d.line, 3);
    assert!(d.message.contains("与所在文件夹 yangli 不一致"), "{d}");
}

#[test]
fn unknown_unit_with_did_you_mean() {
    let d = one(&problems(), "shili/2024/unknown-unit.md").clone();
    assert_eq!((d.line, d.column), (9, Some(14)));
    assert_eq!(d.message, "单位“区应急管理局”不在 site.yaml 中");
    assert!(
        d.hint.as_deref().unwrap().starts_with("是不是“区应急局”？"),
        "{d}"
    );
}

#[test]
fn unknown_indicator_with_did_you_mean() {
    let d = one(&problems(), "shili/2024/unknown-indicator.md").clone();
    assert_eq!(d.line, 6);
    assert!(
        d.hint.as_deref().unwrap().contains("生产安全事故起数"),
        "{d}"
    );
}

#[test]
fn broken_cross_reference() {
    let all = problems();
    let d = one(&all, "shili/2024/broken-link.md");
    assert_eq!(d.line, 9);
    assert!(d.message.contains("@/shili/2022/none.md"), "{d}");
    let d = one(&all, "shili/2024/missing-task.md");
    assert_eq!(d.line, 6);
    assert!(d.message.contains("任务 9"), "{d}");
}

#[test]
fn bad_date() {
    let d = one(&problems(), "shili/2024/bad-date.md").clone();
    assert_eq!(d.line, 5);
    assert!(d.hint.as_deref().unwrap().contains("2017-02-27"));
}

#[test]
fn file_that_is_not_utf8_names_its_encoding() {
    let tmp = tempfile::tempdir().unwrap();
    gongkai::init::init(tmp.path()).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 示例区2024年安全生产工作要点\ndistrict: shili\nyear: 2024\n---\n\n加强安全生产责任落实，深入开展隐患排查治理。\n");
    std::fs::write(tmp.path().join("content/shili/2024/gbk.md"), &gbk).unwrap();
    let all: Vec<Diagnostic> = all_problems(tmp.path())
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].file, Path::new("content/shili/2024/gbk.md"));
    assert_eq!(all[0].line, 2);
    assert!(
        all[0].message.contains("不是 UTF-8") && all[0].message.contains("GB18030"),
        "{}",
        all[0]
    );
}

#[test]
fn unknown_units_are_accepted_when_the_config_allows_them() {
    let tmp = tempfile::tempdir().unwrap();
    gongkai::init::init(tmp.path()).unwrap();
    let cfg = std::fs::read_to_string(tmp.path().join("site.yaml"))
        .unwrap()
        .replace("allow_new_units: false", "allow_new_units: true");
    std::fs::write(tmp.path().join("site.yaml"), cfg).unwrap();
    std::fs::write(
        tmp.path().join("content/shili/2024/new.md"),
        "---\ntitle: 示例\ndistrict: shili\nyear: 2024\n---\n\n1.开展检查。（责任单位：区新设机构）\n",
    )
    .unwrap();
    let engine = gongkai::build::check(tmp.path(), None).expect("accepted");
    let d = engine.site.config.district_by_slug("shili").unwrap();
    assert!(engine.site.reg.units.find(d, "区新设机构").is_some());
}

#[test]
fn config_problems_are_reported_with_content_problems() {
    let tmp = tempfile::tempdir().unwrap();
    gongkai::init::init(tmp.path()).unwrap();
    let cfg = std::fs::read_to_string(tmp.path().join("site.yaml"))
        .unwrap()
        .replace("slug: shili", "slug: Shi Li");
    std::fs::write(tmp.path().join("site.yaml"), cfg).unwrap();
    std::fs::write(
        tmp.path().join("content/shili/2024/bad.md"),
        "no front matter\n",
    )
    .unwrap();
    let all = all_problems(tmp.path());
    assert!(
        all.iter().any(|d| d.file == Path::new("site.yaml")
            && d.message.contains("Shi Li")
            && d.line == 12),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .any(|d| d.file == Path::new("content/shili/2024/bad.md") && d.line == 1),
        "{all:#?}"
    );
}
