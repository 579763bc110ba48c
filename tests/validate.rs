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
    gongkai::init::init(tmp.path(), false).unwrap();
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
    gongkai::init::init(tmp.path(), false).unwrap();
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
    gongkai::init::init(tmp.path(), false).unwrap();
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

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Each kind of warning, with its file, line and words: what would be published, but looks
/// wrong or incomplete.
#[test]
fn every_kind_of_warning_is_reported_where_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // No organizer, 网站标识码 or ICP number: the footer lacks them.
    write(
        root,
        "site.yaml",
        "title: 示例\nbase_url: https://www.example.gov.cn/\nallow_new_units: true\n\
         districts:\n  - slug: shili\n    name: 示例区\n\
         units:\n  - name: 区应急局\n    district: shili\n",
    );
    write(
        root,
        "content/shili/2024/a.md",
        "---\ntitle: 示例区2024年工作要点\ndistrict: shili\nyear: 2024\nissuer: 示例区安委会\n\
         doc_number: 示安委〔2024〕1号\nwritten: 2024-03-01\npublished: 2024-02-01\n\
         index_number: SL-1\nstatus: 征求意见稿\n---\n\n\
         1.落实责任。（责任单位：区应急局）\n\n\
         2,开展检查。（责任单位：区应急局）\n\n\
         3.开展宣传。<u>重点</u>（责任单位：示例区消防救援支队）\n\n\
         4.开展演练。（责任单位：示例区消防救援支对）\n",
    );
    write(
        root,
        "content/shili/2023/b.md",
        "---\ntitle: 示例区2023年工作要点\ndistrict: shili\nyear: 2023\n---\n\n\
         这一年的文件没有编号的任务。\n",
    );
    write(
        root,
        "content/shili/2022/c.md",
        "---\ntitle: 示例区2022年工作要点\ndistrict: shili\nyear: 2022\n---\n\n\
         1.开展检查。（责任单位：示例区消防救援支队）\n",
    );
    let all = all_problems(root);
    assert!(
        all.iter().all(|d| d.severity == Severity::Warning),
        "{all:#?}"
    );
    let at = |file: &str, line: usize, words: &str| {
        let found = all.iter().any(|d| {
            d.file == Path::new(file)
                && d.line == line
                && d.message.contains(words)
                && d.hint.is_some()
        });
        assert!(found, "no warning “{words}” at {file}:{line}: {all:#?}");
    };
    at(
        "content/shili/2024/a.md",
        8,
        "发布日期 2024-02-01 早于成文日期 2024-03-01",
    );
    at("content/shili/2024/a.md", 10, "征求意见稿");
    at("content/shili/2024/a.md", 15, "编号的写法无法识别");
    at("content/shili/2024/a.md", 17, "HTML 标签");
    at(
        "content/shili/2023/b.md",
        1,
        "发文机关（issuer）、发文字号（doc_number）",
    );
    at("content/shili/2023/b.md", 6, "没有识别出任何任务");
    at(
        "site.yaml",
        1,
        "主办单位（organizer）、网站标识码（site_id_code）、ICP备案号（icp）",
    );
    assert!(
        all.iter().any(|d| d.message.contains("示例区消防救援支对")
            && d.message.contains("示例区消防救援支队")),
        "{all:#?}"
    );
}
