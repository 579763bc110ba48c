//! `gongkai import` on each format a publisher holds a plan in, all fictional 示例区 documents
//! made by the project: a Word file written here (automatic numbering from numbering.xml, a
//! red header, a task table with merged cells and line breaks in cells), a page saved from a
//! portal (tests/fixtures/import/shili-portal.html: navigation, metadata table, share bar),
//! a PDF and an old Word file made from tests/fixtures/import/shili-plan.txt by
//! tests/fixtures/import/make-fixtures (LibreOffice). Each is imported into a new site, the
//! site is built, and the published plan is compared task by task.

use std::io::Write;
use std::path::{Path, PathBuf};

mod common;
use common::{gongkai, import, new_site};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// Imports `file` into `site`, builds it, and returns the import report and the published
/// plan (its plan.json) of the district `shili`'s year `year`.
fn import_and_build(site: &Path, file: &Path, plan_url: &str) -> (String, serde_json::Value) {
    let o = import(file, site, &[]);
    let report = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = site.join("output");
    let b = gongkai(&[
        "build",
        "--root",
        site.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let plan: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join(plan_url).join("plan.json"))
            .unwrap_or_else(|e| panic!("{plan_url}: {e}")),
    )
    .expect("plan.json");
    (report, plan)
}

/// (label, title, lead, support) of each published task.
type TaskRow = (String, String, Vec<String>, Vec<String>);

fn tasks(plan: &serde_json::Value) -> Vec<TaskRow> {
    let list = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    plan["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|t| {
            (
                t["label"].as_str().unwrap_or_default().to_string(),
                t["title"].as_str().unwrap_or_default().to_string(),
                list(&t["lead"]),
                list(&t["support"]),
            )
        })
        .collect()
}

fn row(label: &str, title: &str, lead: &[&str], support: &[&str]) -> TaskRow {
    (
        label.to_string(),
        title.to_string(),
        lead.iter().map(|s| s.to_string()).collect(),
        support.iter().map(|s| s.to_string()).collect(),
    )
}

// ---- a Word file, written here ----

fn run(text: &str) -> String {
    format!("<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>")
}

fn para(text: &str) -> String {
    format!("<w:p>{}</w:p>", run(text))
}

fn red(text: &str) -> String {
    format!(
        "<w:p><w:r><w:rPr><w:color w:val=\"FF0000\"/><w:sz w:val=\"72\"/></w:rPr><w:t>{text}</w:t></w:r></w:p>"
    )
}

/// A paragraph numbered by Word: the number is in numbering.xml, not in the text.
fn numbered(ilvl: u8, text: &str) -> String {
    format!(
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>{}</w:p>",
        run(text)
    )
}

fn styled(style: &str, text: &str) -> String {
    format!(
        "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{}</w:p>",
        run(text)
    )
}

/// A table cell: its lines (line breaks inside the cell), columns spanned, vertical merge.
fn cell(lines: &[&str], span: usize, vmerge: Option<&str>) -> String {
    let mut pr = String::new();
    if span > 1 {
        pr.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
    }
    match vmerge {
        Some("restart") => pr.push_str("<w:vMerge w:val=\"restart\"/>"),
        Some(_) => pr.push_str("<w:vMerge/>"),
        None => {}
    }
    let runs: Vec<String> = lines.iter().map(|l| run(l)).collect();
    format!(
        "<w:tc><w:tcPr>{pr}</w:tcPr><w:p>{}</w:p></w:tc>",
        runs.join("<w:r><w:br/></w:r>")
    )
}

fn table(rows: &[Vec<String>]) -> String {
    let rows: Vec<String> = rows
        .iter()
        .map(|r| format!("<w:tr>{}</w:tr>", r.concat()))
        .collect();
    format!("<w:tbl>{}</w:tbl>", rows.concat())
}

const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
</w:styles>"#;

/// A .docx file (a zip of the parts Word needs), written with the zip crate.
fn docx(body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        ("word/document.xml", document),
        ("word/numbering.xml", NUMBERING.to_string()),
        ("word/styles.xml", STYLES.to_string()),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, opts).expect("zip entry");
        zip.write_all(text.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip").into_inner()
}

fn word_plan() -> Vec<u8> {
    let body = [
        red("示例区应急管理局文件"),
        para("示应急〔2025〕3号"),
        para("关于印发《示例区2025年安全生产工作要点》的通知"),
        para("各街镇，区安委会各成员单位："),
        para("现将《示例区2025年安全生产工作要点》印发给你们，请认真贯彻执行。"),
        para("示例区应急管理局"),
        para("2025年2月10日"),
        para("示例区2025年安全生产工作要点"),
        numbered(0, "压实安全生产责任"),
        numbered(1, "落实领导责任。区领导每季度带队开展安全检查。（责任单位：区应急局）"),
        numbered(
            1,
            "强化部门监管。各部门按照职责开展执法检查。（牵头单位：区住房城乡建设委；配合单位：各街镇）",
        ),
        numbered(0, "防范化解重大风险"),
        numbered(
            1,
            "开展隐患排查。聚焦重点领域开展排查整治。（区消防救援支队牵头，各街镇配合）",
        ),
        styled("Heading2", "重点任务分工"),
        table(&[
            vec![
                cell(&["序号"], 1, None),
                cell(&["重点任务"], 1, None),
                cell(&["责任单位"], 1, None),
                cell(&["配合单位"], 1, None),
            ],
            vec![cell(&["危险化学品和燃气"], 4, None)],
            vec![
                cell(&["1"], 1, None),
                cell(&["危险化学品", "专项整治"], 1, None),
                cell(&["区应急局"], 1, Some("restart")),
                cell(&["区生态环境局", "区公安分局"], 1, None),
            ],
            vec![
                cell(&["2"], 1, None),
                cell(&["燃气安全整治"], 1, None),
                cell(&[], 1, Some("continue")),
                cell(&["各街镇"], 1, None),
            ],
        ]),
    ]
    .concat();
    docx(&body)
}

#[test]
fn word_file_with_automatic_numbering_merged_cells_and_a_red_header() {
    let (tmp, site) = new_site();
    let file = tmp.path().join("示例区要点.docx");
    std::fs::write(&file, word_plan()).unwrap();
    let (report, plan) = import_and_build(&site, &file, "shili/2025/aqsc-gongzuo-yaodian");
    assert!(report.contains("（docx）"), "{report}");
    assert!(report.contains("Word 自动编号"), "{report}");
    assert!(report.contains("合并单元格"), "{report}");
    assert_eq!(plan["title"], "示例区2025年安全生产工作要点");
    assert_eq!(plan["issuer"], "示例区应急管理局");
    assert_eq!(plan["doc_number"], "示应急〔2025〕3号");
    assert_eq!(plan["written"], "2025-02-10");
    assert_eq!(
        tasks(&plan),
        [
            row("1.", "落实领导责任", &["区应急局"], &[]),
            row("2.", "强化部门监管", &["区住房城乡建设委"], &["各街镇"]),
            row("1.", "开展隐患排查", &["区消防救援支队"], &["各街镇"]),
            row(
                "1",
                "危险化学品专项整治",
                &["区应急局"],
                &["区生态环境局", "区公安分局"]
            ),
            // The merged 责任单位 cell applies to the row it covers.
            row("2", "燃气安全整治", &["区应急局"], &["各街镇"]),
        ]
    );
    // The numbers Word draws are in the published headings; a paragraph in the 标题 2 style
    // (outline level 2) is a heading one level below 一、.
    let page =
        std::fs::read_to_string(site.join("output/shili/2025/aqsc-gongzuo-yaodian/index.html"))
            .unwrap();
    let doc = scraper::Html::parse_document(&page);
    let h2: Vec<String> = doc
        .select(&scraper::Selector::parse("#text h2").unwrap())
        .map(|h| h.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(h2, ["一、压实安全生产责任", "二、防范化解重大风险"]);
    let h3: Vec<String> = doc
        .select(&scraper::Selector::parse("#text h3").unwrap())
        .map(|h| h.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(h3, ["重点任务分工"]);
    // The original is kept beside the content, under its own extension.
    assert!(
        site.join("sources/shili/2025/aqsc-gongzuo-yaodian.docx")
            .exists()
    );
}

#[test]
fn portal_page_metadata_into_front_matter_and_only_the_article() {
    let (_tmp, site) = new_site();
    let (report, plan) = import_and_build(
        &site,
        &fixture("shili-portal.html"),
        "shili/2025/aqsc-gongzuo-yaodian",
    );
    assert!(report.contains("信息公开元数据"), "{report}");
    assert_eq!(plan["title"], "示例区2025年安全生产工作要点");
    assert_eq!(plan["index_number"], "000000000/2025-00007");
    assert_eq!(plan["doc_number"], "示应急〔2025〕3号");
    assert_eq!(plan["written"], "2025-02-10");
    assert_eq!(plan["published"], "2025-02-12");
    assert_eq!(plan["validity"], "有效");
    assert_eq!(plan["issuer"], "示例区应急管理局");
    assert_eq!(
        tasks(&plan),
        [
            row("（一）", "落实领导责任", &["区应急局"], &[]),
            row("（二）", "强化部门监管", &["区住房城乡建设委"], &["各街镇"]),
            row(
                "1",
                "危险化学品专项整治",
                &["区应急局"],
                &["区生态环境局", "区公安分局"]
            ),
            row("2", "燃气安全整治", &["区应急局"], &["各街镇"]),
        ]
    );
    // Navigation, breadcrumb, counters, share bar, footer and scripts are not in the plan.
    let md =
        std::fs::read_to_string(site.join("content/shili/2025/aqsc-gongzuo-yaodian.md")).unwrap();
    for furniture in [
        "政务公开",
        "当前位置",
        "浏览次数",
        "分享到",
        "打印",
        "主办单位",
        "这不是正文",
        "document.write",
    ] {
        assert!(!md.contains(furniture), "{furniture} in\n{md}");
    }
}

/// The PDF fixture (LibreOffice's rendering of shili-plan.txt) holds the same plan as the text.
#[test]
fn pdf_with_a_text_layer_imports_like_its_text() {
    let expected = [
        row("1.", "落实领导责任", &["区应急局"], &[]),
        row("2.", "强化部门监管", &["区住房城乡建设委"], &["各街镇"]),
        row("3.", "开展隐患排查", &["区消防救援支队"], &["各街镇"]),
        row("4.", "加强应急演练", &["区应急局", "示例街道"], &[]),
    ];
    for name in ["shili-plan.txt", "shili-plan.pdf"] {
        let (_tmp, site) = new_site();
        let (report, plan) =
            import_and_build(&site, &fixture(name), "shili/2025/aqsc-gongzuo-jihua");
        assert_eq!(plan["title"], "示例区2025年安全生产工作计划", "{name}");
        assert_eq!(plan["doc_number"], "示安委〔2025〕5号", "{name}\n{report}");
        assert_eq!(plan["issuer"], "示例区安全生产委员会", "{name}");
        assert_eq!(plan["written"], "2025-03-18", "{name}");
        assert_eq!(tasks(&plan), expected, "{name}\n{report}");
    }
}

/// An old Word file goes through LibreOffice when it is installed; without it, the message says
/// how to get it. Either way nothing half-done is left.
#[test]
fn old_word_file_is_converted_or_explained() {
    let (_tmp, site) = new_site();
    let file = fixture("shili-plan.doc");
    let o = import(&file, &site, &[]);
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let has_soffice = std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if has_soffice {
        assert!(o.status.success(), "{out}");
        assert!(out.contains("LibreOffice"), "{out}");
        let md = std::fs::read_to_string(site.join("content/shili/2025/aqsc-gongzuo-jihua.md"))
            .expect("plan written");
        assert!(md.contains("（责任单位：区应急局、示例街道）"), "{md}");
        // The original kept is the .doc, not the converted copy.
        assert!(
            site.join("sources/shili/2025/aqsc-gongzuo-jihua.doc")
                .exists()
        );
    } else {
        assert!(!o.status.success());
        assert!(
            out.contains("LibreOffice") && out.contains("apt-get install"),
            "{out}"
        );
        assert!(!site.join("content/shili/2025").exists());
    }
}

/// What is not a plan document says what it is and what to do, in Chinese (and in English
/// with --lang en); a scanned PDF says it is one.
#[test]
fn other_files_say_what_they_are() {
    let (tmp, site) = new_site();
    let cases: [(&str, &[u8], &str, &str); 4] = [
        (
            "scan.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            "PNG 图片",
            "a PNG image",
        ),
        (
            "table.xlsx",
            &xlsx_like(),
            "Excel 表格",
            "an Excel workbook",
        ),
        (
            "scan.pdf",
            b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
            "PDF",
            "PDF",
        ),
        (
            "prog.bin",
            b"\x7fELF\x02\x01\x01\0\0\0",
            "二进制文件",
            "a binary file",
        ),
    ];
    for (name, bytes, zh, en) in cases {
        let file = tmp.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let o = import(&file, &site, &[]);
        assert!(!o.status.success(), "{name}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(name) && err.contains(zh), "{name}: {err}");
        let o = gongkai(&[
            "--lang",
            "en",
            "import",
            file.to_str().unwrap(),
            "--site",
            site.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(en), "{name}: {err}");
    }
}

fn xlsx_like() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("xl/workbook.xml", opts).unwrap();
    zip.write_all(b"<workbook/>").unwrap();
    zip.finish().unwrap().into_inner()
}

/// A folder is imported in one run with one report: every document it can, and for each one it
/// cannot, why; `--dry-run` writes nothing.
#[test]
fn a_folder_in_one_batch_and_dry_run() {
    let (tmp, site) = new_site();
    let dir = tmp.path().join("documents");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a-要点.docx"), word_plan()).unwrap();
    std::fs::copy(fixture("shili-plan.txt"), dir.join("b-计划.txt")).unwrap();
    std::fs::write(dir.join("c-scan.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    // A browser's folder of page assets is not a document.
    std::fs::create_dir(dir.join("page_files")).unwrap();
    std::fs::write(dir.join("page_files/style.css"), "body{}").unwrap();

    let before = listing(&site);
    let o = import(&dir, &site, &["--dry-run"]);
    let report = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(listing(&site), before, "a dry run writes nothing");
    assert!(report.contains("试运行"), "{report}");
    assert!(report.contains("可导入 2 个，失败 1 个"), "{report}");
    assert!(report.contains("c-scan.png") && report.contains("PNG 图片"));
    assert!(!report.contains("style.css"), "{report}");

    let o = import(&dir, &site, &[]);
    let report = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(!o.status.success(), "a failure is an error exit");
    assert!(report.contains("导入 2 个，失败 1 个"), "{report}");
    assert!(
        site.join("content/shili/2025/aqsc-gongzuo-yaodian.md")
            .exists()
    );
    assert!(
        site.join("content/shili/2025/aqsc-gongzuo-jihua.md")
            .exists()
    );
    let b = gongkai(&["build", "--root", site.to_str().unwrap()]);
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
}

fn listing(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

/// `convert_bytes` never panics, whatever the bytes: random bytes, and each fixture cut short
/// or with bytes flipped.
#[test]
fn conversion_never_panics_on_damaged_documents() {
    let config = gongkai::config::load(&common_site()).expect("config");
    let mut seeds: Vec<(String, Vec<u8>)> = vec![
        ("a.docx".into(), word_plan()),
        (
            "b.html".into(),
            std::fs::read(fixture("shili-portal.html")).unwrap(),
        ),
        (
            "c.pdf".into(),
            std::fs::read(fixture("shili-plan.pdf")).unwrap(),
        ),
        (
            "d.txt".into(),
            std::fs::read(fixture("shili-plan.txt")).unwrap(),
        ),
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..200 {
        let len = (next() % 600) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        seeds.push((format!("r{i}.bin"), bytes));
    }
    let settings = gongkai::import::Settings::default();
    for (name, bytes) in &seeds {
        for round in 0..12 {
            let mut b = bytes.clone();
            if round > 0 && !b.is_empty() {
                let cut = (next() as usize) % b.len();
                if round % 2 == 0 {
                    b.truncate(cut.max(1));
                } else {
                    for _ in 0..8 {
                        let at = (next() as usize) % b.len();
                        b[at] = next() as u8;
                    }
                }
            }
            let r = std::panic::catch_unwind(|| {
                gongkai::import::convert_bytes(&b, name, &config, &settings).map(|_| ())
            });
            assert!(r.is_ok(), "{name} round {round} panicked");
        }
    }
}

fn common_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/valid")
}
