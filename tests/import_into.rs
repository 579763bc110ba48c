//! `gongkai import PAGE.html --into PLAN` (issue 26): a saved page fills the metadata a plan
//! imported from its Word file lacks — only the missing fields, the body and everything else
//! kept byte for byte, a different value reported and not written, the result checked before it
//! is written, nothing written in a dry run — and a path that is not a plan of the site's
//! content/ is refused with the file named. Fictional names only (样例区, 某某局).

use std::path::{Path, PathBuf};

mod common;
use common::{gongkai, import, new_site};

/// The plan as the publisher has it, imported first (from its text).
const PLAN: &str = "样例区2025年安全生产工作要点\n一、压实责任\n1.落实领导责任。区领导每季度带队检查。（责任单位：区应急局）\n";

/// Where the import of `PLAN` writes it, site-relative.
const REL: &str = "content/yangli/2025/aqsc-gongzuo-yaodian.md";

/// The portal's page of the same plan, with its metadata block.
fn page(rows: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>样例区某某局关于印发《样例区2025年安全生产工作要点》的通知</title></head><body>
<table class="xxgk-meta">{rows}</table>
<h1>样例区某某局关于印发《样例区2025年安全生产工作要点》的通知</h1>
<div class="TRS_Editor" id="zoom">
<p>各街镇：</p>
<p>现将《样例区2025年安全生产工作要点》印发给你们，请认真贯彻执行。</p>
<p>样例区某某局</p>
<p>2025年2月10日</p>
<p>样例区2025年安全生产工作要点</p>
<p>一、压实责任</p>
<p>1.落实领导责任。区领导每季度带队检查。（责任单位：区应急局）</p>
</div></body></html>"#
    )
}

const ROWS: &str =
    "<tr><th>索引号：</th><td>000000000/2025-00007</td><th>主题分类：</th><td>安全生产</td></tr>
<tr><th>发布机构：</th><td>样例区某某局</td><th>成文日期：</th><td>2025-02-10</td></tr>
<tr><th>文号：</th><td>样应急〔2025〕3号</td><th>发布日期：</th><td>2025-02-12</td></tr>
<tr><th>有效性：</th><td>有效</td></tr>";

/// A new site with `PLAN` imported, the page saved beside it, and the plan's path.
fn site_with_plan() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let (tmp, site) = new_site();
    let text = tmp.path().join("要点.txt");
    std::fs::write(&text, PLAN).unwrap();
    let o = import(&text, &site, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = tmp.path().join("要点.html");
    std::fs::write(&html, page(ROWS)).unwrap();
    let plan = site.join(REL);
    assert!(plan.is_file());
    (tmp, site, html, plan)
}

fn out(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every file under `dir` with its bytes, to see that nothing changed.
fn listing(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    v.sort();
    v
}

fn front(plan: &Path) -> gongkai::model::FrontMatter {
    let text = std::fs::read_to_string(plan).unwrap();
    let (fm, _, _) = gongkai::load::split_front_matter(&text).expect("front matter");
    serde_yaml_ng::from_str(fm).expect("front matter reads back")
}

fn body(plan: &Path) -> String {
    let text = std::fs::read_to_string(plan).unwrap();
    let (_, body, _) = gongkai::load::split_front_matter(&text).expect("front matter");
    body.to_string()
}

fn check(site: &Path) {
    let o = gongkai(&["check", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
}

#[test]
fn a_saved_page_after_the_word_file_is_refused_with_a_pointer_to_into() {
    let (_tmp, site, html, _) = site_with_plan();
    let before = listing(&site);
    let o = import(&html, &site, &[]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--into") && err.contains(REL), "{err}");
    assert_eq!(listing(&site), before);
}

#[test]
fn into_fills_only_the_missing_fields_and_keeps_the_rest_byte_for_byte() {
    let (_tmp, site, html, plan) = site_with_plan();
    // The publisher's own touches: a comment, a quoted title, a field of theirs.
    let text = std::fs::read_to_string(&plan).unwrap();
    let text = text.replacen("---\n", "---\n# 手写的注释，要保留\ntopic: '应急管理'\n", 1);
    std::fs::write(&plan, &text).unwrap();
    let body_before = body(&plan);
    let fm_before = front(&plan);
    assert_eq!(fm_before.index_number, None);

    // A dry run writes nothing and says what it would do.
    let before = listing(&site);
    let o = import(&html, &site, &["--into", REL, "--dry-run"]);
    assert!(o.status.success(), "{}", out(&o));
    assert_eq!(listing(&site), before);
    let said = out(&o);
    assert!(
        said.contains("试运行") && said.contains("000000000/2025-00007"),
        "{said}"
    );

    let o = import(&html, &site, &["--into", REL]);
    assert!(o.status.success(), "{}", out(&o));
    let said = out(&o);
    let fm = front(&plan);
    assert_eq!(fm.index_number.as_deref(), Some("000000000/2025-00007"));
    assert_eq!(fm.issuer.as_deref(), Some("样例区某某局"));
    assert_eq!(fm.doc_number.as_deref(), Some("样应急〔2025〕3号"));
    assert_eq!(fm.written.as_deref(), Some("2025-02-10"));
    assert_eq!(fm.published.as_deref(), Some("2025-02-12"));
    assert_eq!(fm.validity.as_deref(), Some("有效"));
    // A field the plan has is kept, and the other value reported.
    assert_eq!(fm.topic.as_deref(), Some("应急管理"));
    assert!(
        said.contains("应急管理") && said.contains("安全生产") && said.contains("未写入"),
        "{said}"
    );
    // Everything else as it was: title, district, tasks, body, the comment and the quoting.
    assert_eq!(fm.title, fm_before.title);
    assert_eq!(fm.district, fm_before.district);
    assert_eq!(fm.tasks.len(), fm_before.tasks.len());
    assert_eq!(body(&plan), body_before);
    let new_text = std::fs::read_to_string(&plan).unwrap();
    assert!(
        new_text.starts_with("---\n# 手写的注释，要保留\ntopic: '应急管理'\n"),
        "{new_text}"
    );
    check(&site);

    // Again: nothing to add, nothing changed.
    let before = listing(&site);
    let o = import(&html, &site, &["--into", REL]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("没有要补充的字段"), "{}", out(&o));
    assert_eq!(listing(&site), before);

    // In English too.
    let o = import(&html, &site, &["--into", REL, "--lang", "en", "--dry-run"]);
    assert!(out(&o).contains("nothing to add"), "{}", out(&o));
}

#[test]
fn into_keeps_a_byte_order_mark_and_crlf_line_ends() {
    let (_tmp, site, html, plan) = site_with_plan();
    let text = std::fs::read_to_string(&plan).unwrap();
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    std::fs::write(&plan, &crlf).unwrap();
    let o = import(&html, &site, &["--into", REL]);
    assert!(o.status.success(), "{}", out(&o));
    let new_text = std::fs::read_to_string(&plan).unwrap();
    assert!(new_text.starts_with("\u{feff}---\r\n"), "{new_text:?}");
    assert!(!new_text.replace("\r\n", "").contains('\n'), "{new_text:?}");
    let old_body = crlf.split("\r\n---\r\n").nth(1).unwrap();
    assert!(new_text.ends_with(old_body));
    assert!(
        new_text.contains("index_number: 000000000/2025-00007\r\n"),
        "{new_text}"
    );
    check(&site);
}

#[test]
fn the_page_must_lead_to_a_plan_file_in_the_sites_content() {
    let (tmp, site, html, _) = site_with_plan();
    let outside = tmp.path().join("outside.md");
    std::fs::write(&outside, "---\ntitle: 外面的文件\n---\n\n正文\n").unwrap();
    std::fs::create_dir_all(tmp.path().join("elsewhere")).unwrap();
    let elsewhere_plan = tmp.path().join("elsewhere/plan.md");
    std::fs::write(&elsewhere_plan, "---\ntitle: 外面的文件\n---\n\n正文\n").unwrap();
    let dir = site.join("content/yangli/2025");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, dir.join("link.md")).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("elsewhere"), dir.join("linked-dir")).unwrap();
    }
    std::fs::write(dir.join("broken.md"), "---\ntitle: [未闭合\n---\n\n正文\n").unwrap();
    std::fs::write(dir.join("nofront.md"), "没有前置元数据\n").unwrap();
    std::fs::write(
        dir.join("aqsc-gongzuo-yaodian.progress.yaml"),
        "tasks: []\n",
    )
    .unwrap();
    let outside_abs = outside.to_str().unwrap().to_string();
    let mut cases: Vec<(String, &str)> = vec![
        ("content/yangli/2025/../../../outside.md".into(), ".."),
        ("../outside.md".into(), ".."),
        (outside_abs, "不在站点"),
        ("content/yangli/2025".into(), "不是普通文件"),
        ("content/yangli".into(), "不是普通文件"),
        ("content/yangli/2025/broken.md".into(), "读不出来"),
        ("content/yangli/2025/nofront.md".into(), "读不出来"),
        (
            "content/yangli/2025/aqsc-gongzuo-yaodian.progress.yaml".into(),
            "不是计划文件",
        ),
        ("content/yangli/2025/none.md".into(), "找不到"),
        ("site.yaml".into(), "不在站点"),
    ];
    #[cfg(unix)]
    {
        cases.push(("content/yangli/2025/link.md".into(), "是一个链接"));
        cases.push(("content/yangli/2025/linked-dir/plan.md".into(), "不在站点"));
    }
    let before = listing(tmp.path());
    for (into, says) in &cases {
        let o = import(&html, &site, &["--into", into]);
        assert!(!o.status.success(), "{into} accepted: {}", out(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says) && err.contains("提示"), "{into}: {err}");
        assert_eq!(listing(tmp.path()), before, "{into} changed something");
    }
    // A folder of documents does not fill one plan.
    let o = import(tmp.path(), &site, &["--into", REL]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("文件夹"));
    // --into goes with neither --force nor --out.
    let o = import(&html, &site, &["--into", REL, "--force"]);
    assert!(!o.status.success());
    assert_eq!(listing(tmp.path()), before);
}

#[test]
fn hostile_metadata_values_are_cleaned_or_left_out() {
    let (_tmp, site, html, plan) = site_with_plan();
    // Control characters and bidi marks inside values, an impossible date, a value that is not
    // one of the allowed ones.
    let rows = "<tr><th>索引号：</th><td>000000000/\u{202E}2025-00007\u{7}</td></tr>
<tr><th>发布机构：</th><td>样例区\u{200F}某某局\u{1b}[31m</td></tr>
<tr><th>成文日期：</th><td>二〇二四年二月三十日</td></tr>
<tr><th>发布日期：</th><td>2025-02-12</td></tr>
<tr><th>有效性：</th><td>长期</td></tr>";
    std::fs::write(&html, page(rows)).unwrap();
    let o = import(&html, &site, &["--into", REL]);
    assert!(o.status.success(), "{}", out(&o));
    let said = out(&o);
    let fm = front(&plan);
    let index = fm.index_number.unwrap_or_default();
    assert!(
        !index.chars().any(|c| c.is_control() || c == '\u{202E}'),
        "{index:?}"
    );
    let issuer = fm.issuer.unwrap_or_default();
    assert!(
        !issuer.chars().any(|c| c.is_control() || c == '\u{200F}'),
        "{issuer:?}"
    );
    // The document's own date (its signature: 2025-02-10) is written, never 2024-02-30.
    assert_eq!(fm.written.as_deref(), Some("2025-02-10"));
    assert_eq!(fm.validity, None);
    assert!(said.contains("长期"), "{said}");
    check(&site);
}

#[test]
fn an_impossible_date_is_left_out_with_a_note() {
    let (_tmp, site, html, plan) = site_with_plan();
    // The page's 成文日期 is impossible and the document has no signature date.
    let page_text = page(
        "<tr><th>索引号：</th><td>000000000/2025-00007</td></tr><tr><th>成文日期：</th><td>二〇二四年二月三十日</td></tr><tr><th>发布日期：</th><td>2025-02-12</td></tr>",
    )
    .replace("<p>2025年2月10日</p>", "");
    std::fs::write(&html, page_text).unwrap();
    let o = import(&html, &site, &["--into", REL]);
    assert!(o.status.success(), "{}", out(&o));
    let said = out(&o);
    assert!(
        said.contains("2024-02-30") && said.contains("未写入"),
        "{said}"
    );
    let fm = front(&plan);
    assert_eq!(fm.written, None);
    assert_eq!(fm.published.as_deref(), Some("2025-02-12"));
    check(&site);
}

#[test]
fn a_huge_or_deeply_nested_metadata_block_does_not_hang_or_break_the_plan() {
    let (_tmp, site, html, plan) = site_with_plan();
    let before = std::fs::read(&plan).unwrap();
    // Deeply nested: past the reader's nesting limit, refused; nothing written.
    let nested = format!(
        "{}<table><tr><th>索引号：</th><td>1</td></tr></table>{}",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    std::fs::write(&html, page(&nested)).unwrap();
    let start = std::time::Instant::now();
    let o = import(&html, &site, &["--into", REL]);
    assert!(start.elapsed().as_secs() < 60);
    if o.status.success() {
        check(&site);
    } else {
        assert_eq!(std::fs::read(&plan).unwrap(), before);
    }
    // Huge: thousands of metadata rows, a block no portal has (not read as its metadata); the
    // plan gets what the document itself says, and stays valid.
    std::fs::write(&plan, &before).unwrap();
    let rows: String = (0..20_000)
        .map(|i| {
            format!(
                "<tr><th>索引号：</th><td>000000000/2025-{i:05}</td><th>发布机构：</th><td>{}</td><th>发布日期：</th><td>2025-02-12</td></tr>",
                "某".repeat(i % 300)
            )
        })
        .collect();
    std::fs::write(&html, page(&rows)).unwrap();
    let start = std::time::Instant::now();
    let o = import(&html, &site, &["--into", REL]);
    assert!(start.elapsed().as_secs() < 60);
    assert!(o.status.success(), "{}", out(&o));
    let fm = front(&plan);
    for v in [&fm.index_number, &fm.issuer, &fm.published] {
        assert!(v.as_ref().is_none_or(|v| v.chars().count() < 100), "{v:?}");
    }
    assert_eq!(fm.written.as_deref(), Some("2025-02-10"));
    check(&site);
}

#[test]
fn the_page_and_the_document_disagree_the_document_wins_with_a_warning() {
    let (tmp, site, _, _) = site_with_plan();
    // A new plan: the page says the zone's short name, the signature the committee.
    let html = tmp.path().join("开发区.html");
    let text = page(
        "<tr><th>索引号：</th><td>000000000/2025-00008</td></tr><tr><th>发布机构：</th><td>样例开发区</td></tr><tr><th>成文日期：</th><td>2025-02-10</td></tr>",
    )
    .replace("样例区某某局", "样例开发区安全生产委员会")
    .replace("样例区2025年安全生产工作要点", "样例开发区2025年安全生产工作要点");
    std::fs::write(&html, text).unwrap();
    let o = import(&html, &site, &["--dry-run"]);
    assert!(o.status.success(), "{}", out(&o));
    let said = out(&o);
    assert!(
        said.contains("发文机关：样例开发区安全生产委员会"),
        "{said}"
    );
    assert!(
        said.contains("警告")
            && said.contains("“样例开发区”")
            && said.contains("“样例开发区安全生产委员会”"),
        "{said}"
    );
    let o = import(&html, &site, &["--dry-run", "--lang", "en"]);
    assert!(out(&o).contains("the page's metadata"), "{}", out(&o));
}

#[test]
fn a_text_file_fills_a_plan_too_with_its_chinese_numeral_date_and_joint_issuers() {
    let (tmp, site, _, plan) = site_with_plan();
    let text = tmp.path().join("通知.txt");
    std::fs::write(
        &text,
        format!(
            "关于印发《样例区2025年安全生产工作要点》的通知\n各街镇：\n现将《样例区2025年安全生产工作要点》印发给你们。\n中共样例区委办公室　　样例区人民政府办公室\n二O二五年二月十日\n{PLAN}"
        ),
    )
    .unwrap();
    let o = import(&text, &site, &["--into", REL]);
    assert!(o.status.success(), "{}", out(&o));
    let fm = front(&plan);
    assert_eq!(
        fm.issuer.as_deref(),
        Some("中共样例区委办公室、样例区人民政府办公室")
    );
    assert_eq!(fm.written.as_deref(), Some("2025-02-10"));
    check(&site);
}
