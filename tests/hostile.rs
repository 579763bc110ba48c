//! Hostile and careless input to the site's own files and commands, as an attacker or a tired
//! publisher would give it: `init` over a folder that holds things, links out of the site in
//! place of side files, attachments and plans, FIFOs and devices named like documents, an
//! output that is a link, dates no calendar has, control characters and bidi overrides in
//! progress tables, and unknown languages. Every run is bounded in time (a FIFO must not block)
//! and each case asserts a clear error naming the file, or the right result — and that nothing
//! the publisher had was changed.

#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs gongkai with `args` (in Chinese), killed and failed past `secs` seconds.
fn run(args: &[&str], secs: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("GONGKAI_LANG", "zh")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gongkai starts");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            panic!("gongkai {args:?} ran past {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(s(p)).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

/// `gongkai progress import TABLE --site SITE --plan PLAN`.
fn progress_import(table: &Path, site: &Path) -> Output {
    run(
        &[
            "progress",
            "import",
            s(table),
            "--site",
            s(site),
            "--plan",
            PLAN,
        ],
        60,
    )
}

/// A new site made by `gongkai init` in a temporary folder.
fn new_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let o = run(&["init", s(&site)], 30);
    assert!(o.status.success(), "{}", text(&o));
    (tmp, site)
}

const PLAN: &str = "content/shili/2024/aqsc-gongzuo-yaodian.md";
const PROGRESS: &str = "content/shili/2024/aqsc-gongzuo-yaodian.progress.yaml";
const JIEDU: &str = "content/shili/2024/aqsc-gongzuo-yaodian.jiedu.md";

#[test]
fn init_never_replaces_or_writes_through_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret"), "外部文件").unwrap();

    // A folder holding a plan of the publisher's and a .gitignore that is a link out.
    let dir = tmp.path().join("mine");
    std::fs::create_dir_all(dir.join("content/shili/2024")).unwrap();
    std::fs::write(dir.join(PLAN), "我自己的计划").unwrap();
    symlink(outside.join("secret"), dir.join(".gitignore")).unwrap();
    let o = run(&["init", s(&dir)], 30);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("aqsc-gongzuo-yaodian.md"), "{}", text(&o));
    assert!(text(&o).contains("--force"), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(dir.join(PLAN)).unwrap(),
        "我自己的计划"
    );
    assert!(
        !dir.join("site.yaml").exists(),
        "nothing written when refused"
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("secret")).unwrap(),
        "外部文件"
    );

    // --force replaces the plan, keeps the .gitignore link and never writes through it.
    let o = run(&["init", s(&dir), "--force"], 30);
    assert!(o.status.success(), "{}", text(&o));
    assert_ne!(
        std::fs::read_to_string(dir.join(PLAN)).unwrap(),
        "我自己的计划"
    );
    assert!(text(&o).contains(".gitignore"), "the kept file is named");
    assert_eq!(
        std::fs::read_to_string(outside.join("secret")).unwrap(),
        "外部文件"
    );

    // A dangling link where site.yaml goes: refused, and nothing made outside through it.
    let dir2 = tmp.path().join("dangling");
    std::fs::create_dir_all(&dir2).unwrap();
    symlink(outside.join("made-by-init.yaml"), dir2.join("site.yaml")).unwrap();
    let o = run(&["init", s(&dir2)], 30);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = run(&["init", s(&dir2), "--force"], 30);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!outside.join("made-by-init.yaml").exists());
    assert!(
        !std::fs::symlink_metadata(dir2.join("site.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );

    // A link where a folder goes stops everything, even with --force.
    let dir3 = tmp.path().join("linked-folder");
    std::fs::create_dir_all(&dir3).unwrap();
    symlink(&outside, dir3.join("content")).unwrap();
    let o = run(&["init", s(&dir3), "--force"], 30);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("content"), "{}", text(&o));
    assert!(
        !outside.join("shili").exists(),
        "nothing written through the link"
    );
    assert!(!dir3.join("site.yaml").exists());

    // A file given as the folder is named.
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let o = run(&["init", s(&file)], 30);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains(s(&file)), "{}", text(&o));
    assert!(text(&o).contains("不是文件夹"), "{}", text(&o));
}

#[test]
fn side_files_and_attachments_that_link_out_are_refused_not_published() {
    let (tmp, site) = new_site();
    let secret = tmp.path().join("secret.yaml");
    std::fs::write(
        &secret,
        "progress:\n  - task: 1\n    date: 2024-03-31\n    status: 推进中\n    text: 外部机密内容\n",
    )
    .unwrap();
    std::fs::remove_file(site.join(PROGRESS)).unwrap();
    symlink(&secret, site.join(PROGRESS)).unwrap();
    let jiedu = tmp.path().join("jiedu.md");
    std::fs::write(&jiedu, "---\ntitle: 外部解读\n---\n外部机密解读\n").unwrap();
    std::fs::remove_file(site.join(JIEDU)).unwrap();
    symlink(&jiedu, site.join(JIEDU)).unwrap();
    let o = run(&["check", "--root", s(&site)], 60);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    for f in [PROGRESS, JIEDU] {
        assert!(t.contains(f), "{f} named: {t}");
    }
    assert!(t.contains("之外") && t.contains("secret.yaml"), "{t}");
    let out = tmp.path().join("out");
    let o = run(&["build", "--root", s(&site), "--output", s(&out)], 60);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(!out.exists(), "nothing published");

    // An attachment of sources/ that links out.
    let (tmp, site) = new_site();
    std::fs::write(tmp.path().join("secret.csv"), "机密").unwrap();
    let annex = site.join("sources/shili/2024/fujian-1.csv");
    std::fs::remove_file(&annex).unwrap();
    symlink(tmp.path().join("secret.csv"), &annex).unwrap();
    let o = run(&["check", "--root", s(&site)], 60);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("sources/shili/2024/fujian-1.csv"),
        "{}",
        text(&o)
    );
    // A FIFO in its place is named as one.
    std::fs::remove_file(&annex).unwrap();
    mkfifo(&annex);
    let o = run(&["check", "--root", s(&site)], 60);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("命名管道"), "{}", text(&o));
}

#[test]
fn fifos_and_devices_named_like_plans_are_named_and_never_block() {
    let (tmp, site) = new_site();
    mkfifo(&site.join("content/shili/2024/fifo.md"));
    symlink("/dev/zero", site.join("content/shili/2024/zero.md")).unwrap();
    let o = run(&["check", "--root", s(&site)], 60);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("fifo.md") && t.contains("命名管道"), "{t}");
    // (A link to /dev/zero is a link out of the site first.)
    assert!(
        t.contains("zero.md") && t.contains("/dev/zero") && t.contains("之外"),
        "{t}"
    );

    // import: a FIFO or a device given as the document, and a folder holding them.
    let fifo = tmp.path().join("plan.txt");
    mkfifo(&fifo);
    let o = run(&["import", s(&fifo), "--site", s(&site)], 30);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("命名管道"), "{}", text(&o));
    let o = run(&["import", "/dev/zero", "--site", s(&site)], 30);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("设备"), "{}", text(&o));

    let folder = tmp.path().join("docs");
    std::fs::create_dir_all(&folder).unwrap();
    mkfifo(&folder.join("a.txt"));
    symlink("/dev/zero", folder.join("b.csv")).unwrap();
    std::fs::write(tmp.path().join("secret.txt"), "机密").unwrap();
    symlink(tmp.path().join("secret.txt"), folder.join("c.txt")).unwrap();
    let o = run(&["import", s(&folder), "--site", s(&site)], 30);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    for name in ["a.txt", "b.csv", "c.txt"] {
        assert!(t.contains(name), "{name} listed: {t}");
    }
    assert!(
        t.contains("命名管道") && t.contains("secret.txt") && t.contains("之外"),
        "{t}"
    );
    assert!(t.contains("没有可导入的文件"), "{t}");

    // An empty folder is said to be one.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = run(&["import", s(&empty), "--site", s(&site)], 30);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("没有可导入的文件"), "{}", text(&o));

    // progress import of a FIFO.
    let table = tmp.path().join("进展表.csv");
    mkfifo(&table);
    let o = run(&["progress", "import", s(&table), "--site", s(&site)], 30);
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("命名管道"), "{}", text(&o));
}

#[test]
fn an_output_that_is_a_link_is_updated_where_it_points() {
    let (tmp, site) = new_site();
    let webroot = tmp.path().join("webroot");
    let out = tmp.path().join("current");
    let o = run(&["build", "--root", s(&site), "--output", s(&webroot)], 120);
    assert!(o.status.success(), "{}", text(&o));
    std::fs::remove_file(webroot.join("index.html")).unwrap();
    symlink(&webroot, &out).unwrap();
    let o = run(&["build", "--root", s(&site), "--output", s(&out)], 120);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        std::fs::symlink_metadata(&out)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert!(
        webroot.join("index.html").is_file(),
        "the web root has the new build"
    );

    // A link to nothing is refused with its name.
    let dangling = tmp.path().join("dangling");
    symlink(tmp.path().join("nowhere"), &dangling).unwrap();
    let o = run(
        &["build", "--root", s(&site), "--output", s(&dangling)],
        120,
    );
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("dangling"), "{}", text(&o));
    assert!(!tmp.path().join("nowhere").exists());
}

#[test]
fn report_dates_no_calendar_has_or_far_from_the_plan_are_caught() {
    let (tmp, site) = new_site();
    let before = std::fs::read_to_string(site.join(PROGRESS)).unwrap();
    // An Excel date 1900-02-29 (Excel's serial 60, a day that never was).
    let xlsx = tmp.path().join("进展表.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["序号", "进展情况", "完成状态", "日期"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_number(1, 0, 1).unwrap();
    sheet.write_string(1, 1, "召开研判会").unwrap();
    sheet.write_string(1, 2, "推进中").unwrap();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_number_with_format(1, 3, 60, &date).unwrap();
    book.save(&xlsx).unwrap();
    let o = progress_import(&xlsx, &site);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("1900-02-29"), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(site.join(PROGRESS)).unwrap(),
        before
    );

    // 9999-12-31: written with a warning, and the site's as-of day is not moved by it.
    let csv = tmp.path().join("进展表.csv");
    std::fs::write(
        &csv,
        "序号,进展情况,完成状态,日期\n1,年份写错的报告,推进中,9999-12-31\n",
    )
    .unwrap();
    let o = progress_import(&csv, &site);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("9999-12-31") && text(&o).contains("警告"),
        "{}",
        text(&o)
    );
    let o = run(&["check", "--root", s(&site)], 60);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("9999-12-31"),
        "check warns too: {}",
        text(&o)
    );
    let out = tmp.path().join("out");
    let o = run(&["build", "--root", s(&site), "--output", s(&out)], 120);
    assert!(o.status.success(), "{}", text(&o));
    let plan: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("shili/2024/aqsc-gongzuo-yaodian/plan.json")).unwrap(),
    )
    .unwrap();
    // The newest plausible report of init's example is of 2024-09-30.
    assert_eq!(plan["as_of"].as_str(), Some("2024-09-30"), "{plan}");
    assert!(
        serde_json::to_string(&plan).unwrap().contains("9999-12-31"),
        "the report itself is published as written"
    );
}

#[test]
fn control_characters_and_bidi_overrides_never_reach_the_site() {
    let (tmp, site) = new_site();
    // From a progress table: removed, with a warning naming the row.
    let csv = tmp.path().join("进展表.csv");
    std::fs::write(
        &csv,
        "序号,进展情况,完成状态,日期\n1,检查\u{0}完成\u{1b}[31m,推进中,2024-06-30\n2,\u{202e}整改到位,已完成,2024-06-30\n",
    )
    .unwrap();
    let o = progress_import(&csv, &site);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("U+202E") || text(&o).contains("控制"),
        "{}",
        text(&o)
    );
    let written = std::fs::read_to_string(site.join(PROGRESS)).unwrap();
    assert!(
        !written.contains('\u{0}') && !written.contains('\u{1b}') && !written.contains('\u{202e}')
    );
    assert!(
        written.contains("检查完成[31m") && written.contains("整改到位"),
        "{written}"
    );
    let o = run(&["check", "--root", s(&site)], 60);
    assert!(o.status.success(), "{}", text(&o));

    // Typed into a progress file, as a character or as a YAML escape: an error on its line.
    let base = std::fs::read_to_string(site.join(PROGRESS)).unwrap();
    let at = base.find("results:").expect("init's progress has results");
    for (value, code) in [
        ("\u{202e}整改", "U+202E"),
        ("\\u202E整改", "U+202E"),
        ("\\e[31m", "U+001B"),
    ] {
        let report = format!(
            "  - task: 3\n    date: 2024-10-01\n    status: 推进中\n    text: \"{value}\"\n"
        );
        std::fs::write(
            site.join(PROGRESS),
            format!("{}{report}{}", &base[..at], &base[at..]),
        )
        .unwrap();
        let o = run(&["check", "--root", s(&site)], 60);
        assert_eq!(o.status.code(), Some(1), "{value}: {}", text(&o));
        assert!(text(&o).contains(code), "{value}: {}", text(&o));
        assert!(text(&o).contains("progress.yaml"), "{}", text(&o));
    }
}

#[test]
fn unknown_languages_are_refused_with_the_accepted_ones() {
    for args in [&["--lang", "fr", "check"][..], &["--lang=", "check"]] {
        let o = run(args, 30);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            text(&o).contains("zh") && text(&o).contains("en"),
            "{}",
            text(&o)
        );
    }
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["check", "--root", "/nonexistent"])
        .env("GONGKAI_LANG", "xx")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("GONGKAI_LANG"));
}

#[test]
fn an_import_that_check_would_reject_writes_nothing() {
    let (tmp, site) = new_site();
    // Two tasks numbered 1 in one section: `check` rejects duplicate task numbers.
    let doc = tmp.path().join("要点.txt");
    std::fs::write(
        &doc,
        "示例区2025年安全生产工作要点\n\n一、压实责任\n\n1.落实属地管理责任。（责任单位：区应急局）\n\n\
         2.开展消防检查。（责任单位：区消防救援支队）\n\n1.建设监测平台。（责任单位：区应急局）\n",
    )
    .unwrap();
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    let o = run(
        &["import", s(&doc), "--site", s(&site), "--district", "shili"],
        60,
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("gongkai check") && t.contains("重复"), "{t}");
    assert!(!site.join("content/shili/2025").exists(), "nothing written");
    assert!(
        !site.join("sources/shili/2025").exists(),
        "no original kept"
    );
    assert_eq!(
        std::fs::read_to_string(site.join("site.yaml")).unwrap(),
        yaml
    );
}

#[test]
fn an_imported_document_loses_its_control_characters_and_passes_check() {
    let (tmp, site) = new_site();
    let doc = tmp.path().join("要点.txt");
    std::fs::write(
        &doc,
        "示例区2025年安全生产工作要点\r\n\r\n一、压实责任\r\n\r\n\
         1.落实属地\u{202e}管理责任\u{1b}。（责任单位：区应急局）\r\n",
    )
    .unwrap();
    let o = run(
        &["import", s(&doc), "--site", s(&site), "--district", "shili"],
        60,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("删去了 2 个"), "{}", text(&o));
    let plan =
        std::fs::read_to_string(site.join("content/shili/2025/aqsc-gongzuo-yaodian.md")).unwrap();
    assert!(plan.contains("落实属地管理责任。"), "{plan}");
    let o = run(&["check", "--root", s(&site)], 60);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn nothing_is_written_through_a_folder_that_links_out_of_the_site() {
    let (tmp, site) = new_site();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    // The site's sources/shili is a link to a folder elsewhere.
    std::fs::remove_dir_all(site.join("sources/shili")).unwrap();
    symlink(&outside, site.join("sources/shili")).unwrap();
    let doc = tmp.path().join("要点.txt");
    std::fs::write(
        &doc,
        "示例区2025年安全生产工作要点\n\n一、压实责任\n\n1.落实属地管理责任。（责任单位：区应急局）\n",
    )
    .unwrap();
    let o = run(
        &["import", s(&doc), "--site", s(&site), "--district", "shili"],
        60,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("经过链接写到站点以外"), "{}", text(&o));
    assert_eq!(
        std::fs::read_dir(&outside).unwrap().count(),
        0,
        "nothing outside"
    );
    assert!(
        !site.join("content/shili/2025").exists(),
        "nothing inside either"
    );
}

#[test]
fn a_folder_of_content_that_is_a_link_is_named_not_silently_skipped() {
    let (tmp, site) = new_site();
    let other = tmp.path().join("other");
    std::fs::create_dir_all(other.join("2024")).unwrap();
    std::fs::write(
        other.join("2024/plan.md"),
        "---\ntitle: 外部计划\ndistrict: shili\nyear: 2024\n---\n正文\n",
    )
    .unwrap();
    symlink(&other, site.join("content/waibu")).unwrap();
    let o = run(&["check", "--root", s(&site)], 60);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("content/waibu"), "{}", text(&o));
    assert!(text(&o).contains("文件夹的链接"), "{}", text(&o));
}

#[test]
fn an_import_over_a_plan_must_still_fit_its_progress_and_jiedu() {
    let (tmp, site) = new_site();
    // The same plan again, with one task: the progress file beside it reports on tasks 2 and 3.
    let doc = tmp.path().join("要点.txt");
    std::fs::write(
        &doc,
        "示例区2024年安全生产工作要点\n\n一、压实责任\n\n1.落实属地管理责任。（责任单位：区应急局）\n",
    )
    .unwrap();
    let before = std::fs::read_to_string(site.join(PLAN)).unwrap();
    let o = run(
        &[
            "import",
            s(&doc),
            "--site",
            s(&site),
            "--district",
            "shili",
            "--force",
        ],
        60,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("progress.yaml"), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(site.join(PLAN)).unwrap(), before);
    let o = run(&["check", "--root", s(&site)], 60);
    assert!(o.status.success(), "the site still passes: {}", text(&o));

    // A page's 公开方式 that is none of ours is left out with a note, not written for check to
    // reject.
    let page = tmp.path().join("page.txt");
    std::fs::write(
        &page,
        "公开方式：政府网站\n\n示例区2026年安全生产工作要点\n\n一、压实责任\n\n1.落实属地管理责任。（责任单位：区应急局）\n",
    )
    .unwrap();
    let o = run(
        &[
            "import",
            s(&page),
            "--site",
            s(&site),
            "--district",
            "shili",
        ],
        60,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("公开方式（disclosure）写作“政府网站”"),
        "{}",
        text(&o)
    );
    let plan =
        std::fs::read_to_string(site.join("content/shili/2026/aqsc-gongzuo-yaodian.md")).unwrap();
    assert!(!plan.contains("disclosure"), "{plan}");
}

#[test]
fn links_within_the_site_reach_only_their_own_folder_and_shared_top_folders_work() {
    // A 解读 and a static file that link to another file of the site (not of their folder).
    let (_tmp, site) = new_site();
    std::fs::write(
        site.join(".deploy-secrets.md"),
        "---\ntitle: x\n---\nDB_PASSWORD=1\n",
    )
    .unwrap();
    std::fs::remove_file(site.join(JIEDU)).unwrap();
    symlink(site.join(".deploy-secrets.md"), site.join(JIEDU)).unwrap();
    let o = run(&["check", "--root", s(&site)], 60);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("jiedu.md") && text(&o).contains("之外"),
        "{}",
        text(&o)
    );

    let (_tmp, site) = new_site();
    std::fs::write(site.join(".deploy-secrets.md"), "DB_PASSWORD=1").unwrap();
    std::fs::create_dir_all(site.join("static")).unwrap();
    symlink(site.join(".deploy-secrets.md"), site.join("static/x.txt")).unwrap();
    let o = run(&["check", "--root", s(&site)], 60);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("static/x.txt"), "{}", text(&o));

    // content/ and static/ as links to folders the publisher shares: followed, and they build.
    let (tmp, site) = new_site();
    let shared = tmp.path().join("shared");
    std::fs::rename(site.join("content"), &shared).unwrap();
    symlink(&shared, site.join("content")).unwrap();
    let assets = tmp.path().join("assets");
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::write(assets.join("logo.txt"), "徽标").unwrap();
    symlink(&assets, site.join("static")).unwrap();
    let out = tmp.path().join("out");
    let o = run(&["build", "--root", s(&site), "--output", s(&out)], 120);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        out.join("shili/2024/aqsc-gongzuo-yaodian/index.html")
            .is_file()
    );
    assert_eq!(
        std::fs::read_to_string(out.join("static/logo.txt")).unwrap(),
        "徽标"
    );
}

#[test]
fn the_output_guard_sees_through_a_linked_content_folder() {
    let (tmp, site) = new_site();
    let data = site.join("data/plans");
    std::fs::create_dir_all(site.join("data")).unwrap();
    std::fs::rename(site.join("content"), &data).unwrap();
    symlink(&data, site.join("content")).unwrap();
    for out in [site.join("data/plans"), site.join("data/plans/out")] {
        let o = run(
            &["build", "--root", s(&site), "--output", s(&out), "--force"],
            120,
        );
        assert_eq!(o.status.code(), Some(3), "{}: {}", out.display(), text(&o));
    }
    assert!(
        data.join("shili/2024/aqsc-gongzuo-yaodian.md").is_file(),
        "the plans are there"
    );
    drop(tmp);
}

#[test]
fn init_force_stops_before_writing_when_a_folder_stands_where_a_file_goes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mine");
    std::fs::create_dir_all(dir.join(PLAN)).unwrap();
    std::fs::write(dir.join("site.yaml"), "title: 我的\n").unwrap();
    let o = run(&["init", s(&dir), "--force"], 30);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("aqsc-gongzuo-yaodian.md"), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(dir.join("site.yaml")).unwrap(),
        "title: 我的\n"
    );
}

#[test]
fn import_force_over_a_fifo_neither_blocks_nor_reads_it() {
    let (tmp, site) = new_site();
    let doc = tmp.path().join("要点.txt");
    std::fs::write(
        &doc,
        "示例区2025年安全生产工作要点\n\n一、压实责任\n\n1.落实属地管理责任。（责任单位：区应急局）\n",
    )
    .unwrap();
    std::fs::create_dir_all(site.join("content/shili/2025")).unwrap();
    mkfifo(&site.join("content/shili/2025/aqsc-gongzuo-yaodian.md"));
    let o = run(
        &[
            "import",
            s(&doc),
            "--site",
            s(&site),
            "--district",
            "shili",
            "--force",
        ],
        30,
    );
    // The FIFO is no plan of the site (check names it); import replaces it, never reads it.
    assert!(o.status.success(), "{}", text(&o));
    let plan = site.join("content/shili/2025/aqsc-gongzuo-yaodian.md");
    assert!(std::fs::symlink_metadata(&plan).unwrap().is_file());
}

#[test]
fn import_out_does_not_move_the_originals_copy_and_says_so() {
    let (tmp, site) = new_site();
    let write_doc = |name: &str, task: &str| {
        let p = tmp.path().join(name);
        std::fs::write(
            &p,
            format!(
                "示例区2025年安全生产工作要点\n\n一、压实责任\n\n1.{task}。（责任单位：区应急局）\n"
            ),
        )
        .unwrap();
        p
    };
    let first = write_doc("a.txt", "落实属地管理责任");
    let o = run(
        &[
            "import",
            s(&first),
            "--site",
            s(&site),
            "--district",
            "shili",
        ],
        60,
    );
    assert!(o.status.success(), "{}", text(&o));
    // Another document of the same name and year, its plan sent elsewhere with --out: the
    // original's copy would still go to sources/, where the first one's is.
    let second = write_doc("b.txt", "开展消防检查");
    let elsewhere = tmp.path().join("elsewhere.md");
    let o = run(
        &[
            "import",
            s(&second),
            "--site",
            s(&site),
            "--district",
            "shili",
            "--out",
            s(&elsewhere),
        ],
        60,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("原件副本") && t.contains("--force"), "{t}");
    assert!(
        !t.contains("用 --out 写到别处"),
        "no advice to use --out: {t}"
    );
    assert!(!elsewhere.exists());
}
