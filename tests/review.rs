//! The 核对 (review) record of an import and the preview's pages of it: `gongkai import` writes
//! the record with the plan (a dry run writes nothing, `--force` replaces it), `build` never
//! publishes it, and `gongkai serve` shows the list and each record — every line of the original
//! beside what it became, the lines to check marked in words, new units marked, a filter that
//! works without JavaScript — and a clear page for a record that is missing, damaged, or a link
//! out of `.gongkai/review/`. Hostile records: HTML and control characters in the text, and
//! 100,000 lines.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use gongkai::import::review::{Became, Review, ReviewLine, TaskView};
use scraper::{Html, Selector};

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

/// A running `gongkai serve`, killed when dropped.
struct Server {
    child: std::process::Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .env("GONGKAI_LANG", "zh")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start gongkai serve");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    while out.read_line(&mut line).unwrap_or(0) > 0 && !line.contains("预览地址") {
        line.clear();
    }
    assert!(line.contains(&format!("127.0.0.1:{port}")), "{line}");
    std::thread::spawn(move || for _ in out.lines() {});
    Server { child, port }
}

/// Status and body of one GET, the target sent as it is (not normalised).
fn get(port: u16, target: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (
        status,
        String::from_utf8_lossy(&raw[split + 4..]).into_owned(),
    )
}

fn line(no: usize, text: &str, became: Became) -> ReviewLine {
    ReviewLine {
        no,
        text: text.into(),
        became,
        unread: vec![],
    }
}

/// A record made by hand with one line of each kind, and text that tries to be markup.
fn hand_made() -> Review {
    let task = |key: &str, lead: &[&str]| {
        Became::Task(TaskView {
            key: key.into(),
            label: format!("{key}."),
            lead: lead.iter().map(|s| s.to_string()).collect(),
            support: vec!["各街镇".into()],
            persons: vec!["张明".into()],
            from_table: false,
        })
    };
    let mut unread = line(
        6,
        "3.开展演练。〔区某某局牵头，某某局参与〕",
        task("3", &[]),
    );
    unread.unread = vec!["〔区某某局牵头，某某局参与〕".into()];
    Review {
        plan: "content/shili/2025/shougong.md".into(),
        source: "sources/shili/2025/shougong.txt".into(),
        title: "示例区2025年手工核对<script>alert(1)</script>".into(),
        format: "UTF-8".into(),
        fields: vec![("doc_number".into(), "示应急〔2025〕1号".into())],
        lines: vec![
            line(1, "示例区2025年手工核对", Became::Metadata),
            line(2, "一、总体要求", Became::Heading { level: 2 }),
            line(
                3,
                "1.落实责任。（责任单位：区应急局）",
                task("1", &["区应急局"]),
            ),
            line(
                4,
                "2.新建队伍。（责任单位：区新设中心）",
                task("2", &["区新设中心"]),
            ),
            line(5, "续行文字", Became::JoinedTo { line: 4 }),
            unread,
            line(
                7,
                "- 3 -",
                Became::Dropped {
                    why: "页码".into()
                },
            ),
            line(
                8,
                "1,加强宣传<img src=x onerror=alert(2)>",
                Became::Unplaced {
                    why: "编号没有识别".into(),
                },
            ),
            line(
                9,
                "责任单位：区水务局",
                Became::Notation {
                    tasks: vec!["1".into(), "2".into()],
                },
            ),
            line(10, "文字\u{202E}反向\u{0007}铃", Became::Text),
        ],
        new_units: vec!["区新设中心".into()],
        notes: vec!["说明 <b>不是标签</b>".into()],
    }
}

fn write_record(site: &Path, rel: &str, bytes: &[u8]) {
    let path = site.join(".gongkai/review").join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn rows(doc: &Html) -> Vec<scraper::ElementRef<'_>> {
    doc.select(&sel(".review-table tbody tr")).collect()
}

#[test]
fn the_preview_lists_the_records_and_shows_each_line_beside_what_it_became() {
    let (_tmp, site) = new_site();
    let o = import(&import_fixture("shili-review.txt"), &site, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, imported) = the_record(&site);
    let hand = hand_made();
    write_record(
        &site,
        "shili/2024/shougong.json",
        &serde_json::to_vec(&hand).unwrap(),
    );
    let server = serve(&site);
    let port = server.port;

    // The list: each record, newest plan first, the plan's page linked when the site has it.
    let (status, body) = get(port, "/_review/");
    assert_eq!(status, 200, "{body}");
    let doc = Html::parse_document(&body);
    // The page brings its own styles; the published stylesheet carries none of them.
    let styles: String = doc
        .select(&Selector::parse("head style").unwrap())
        .map(|s| s.text().collect::<String>())
        .collect();
    assert!(styles.contains(".review-table"), "{styles}");
    let sheet = attrs(&doc, "link[rel=stylesheet]", "href");
    let (_, css) = get(port, &sheet[0]);
    assert!(
        css.contains(".task-table") && !css.contains("review"),
        "{css}"
    );
    let links = attrs(&doc, ".review-list a", "href");
    let id = imported
        .plan
        .trim_start_matches("content/shili/2025/")
        .trim_end_matches(".md");
    assert_eq!(
        links,
        [
            format!("/_review/shili/2025/{id}/"),
            "/_review/shili/2024/shougong/".into()
        ]
    );
    assert_eq!(texts(&doc, ".review-list .badge"), ["计划文件已不在站点中"]);
    assert_eq!(get(port, "/_review").0, 302);

    // The imported plan: every line of the original, each with what it became.
    let (status, body) = get(port, &links[0]);
    assert_eq!(status, 200, "{body}");
    let doc = Html::parse_document(&body);
    assert_eq!(texts(&doc, "h1"), ["核对 示例区2025年应急管理工作要点"]);
    let shown = rows(&doc);
    assert_eq!(shown.len(), imported.lines.len());
    for (tr, l) in shown.iter().zip(&imported.lines) {
        assert_eq!(tr.value().attr("id"), Some(format!("l-{}", l.no).as_str()));
        let cells: Vec<String> = tr.select(&sel("td")).map(|c| c.text().collect()).collect();
        assert_eq!(cells.len(), 2);
        assert!(cells[0].contains(&format!("第 {} 行", l.no)) && cells[0].contains(&l.text));
    }
    let became: Vec<String> = texts(&doc, ".rv-became");
    assert!(
        became.iter().any(|b| b.starts_with("标题（第 1 级）")),
        "{became:?}"
    );
    assert!(
        became
            .iter()
            .any(|b| b.contains("任务 2.") && b.contains("牵头：区应急局"))
    );
    assert!(
        became.iter().any(|b| b.contains("接上行：并入第")),
        "{became:?}"
    );
    assert!(
        became.iter().any(|b| b.contains("责任标注，用于任务 5")),
        "{became:?}"
    );
    assert!(
        became.iter().any(|b| b.contains("未放入正文")),
        "{became:?}"
    );
    // The counts, the fields written.
    let counts = texts(&doc, ".review-counts li").join(" ");
    assert!(
        counts.contains(&format!("原件 {} 行", imported.lines.len())),
        "{counts}"
    );
    assert!(counts.contains("任务 5 项"), "{counts}");
    assert!(texts(&doc, ".review-facts dd").contains(&"示应急〔2025〕12号".to_string()));
    // The site's pages never link to it.
    let (_, home) = get(port, "/");
    assert!(!home.contains("_review"), "{home}");
}

#[test]
fn lines_to_check_are_marked_in_words_new_units_too_and_the_filter_needs_no_script() {
    let (_tmp, site) = new_site();
    let hand = hand_made();
    write_record(
        &site,
        "shili/2025/shougong.json",
        &serde_json::to_vec(&hand).unwrap(),
    );
    let server = serve(&site);
    let (status, body) = get(server.port, "/_review/shili/2025/shougong/");
    assert_eq!(status, 200, "{body}");
    let doc = Html::parse_document(&body);
    let shown = rows(&doc);
    assert_eq!(shown.len(), 10);
    let marked: Vec<&str> = doc
        .select(&sel("tr.attention"))
        .filter_map(|tr| tr.value().attr("id"))
        .collect();
    // The task naming a new unit, the unread notation, the line left out, the unplaced line.
    assert_eq!(marked, ["l-4", "l-6", "l-7", "l-8"]);
    for tr in doc.select(&sel("tr.attention")) {
        let words: String = tr.text().collect();
        assert!(words.contains("⚠ 需核对"), "{words}");
    }
    assert_eq!(texts(&doc, "#l-4 .new-unit"), ["新单位"]);
    assert!(texts(&doc, "#l-3 .new-unit").is_empty());
    assert_eq!(
        texts(&doc, "#l-6 .rv-unread"),
        ["⚠ 没有识别的责任标注：“〔区某某局牵头，某某局参与〕”"]
    );
    assert!(texts(&doc, "#l-8 .rv-became")[0].contains("未能归类，作为正文保留：编号没有识别"));
    let counts = texts(&doc, ".review-counts li").join(" ");
    for c in [
        "未能归类 1 行",
        "未识别的责任标注 1 处",
        "未放入正文 1 行",
        "新单位 1 个",
        "写明责任单位的任务 3 项",
    ] {
        assert!(counts.contains(c), "{c}: {counts}");
    }
    // Markup in the record is text; invisible characters are shown by their code.
    assert_eq!(doc.select(&sel("main script, main img, main b")).count(), 0);
    assert!(texts(&doc, "h1")[0].contains("<script>alert(1)</script>"));
    assert!(texts(&doc, "#l-8 .line-text")[0].contains("<img src=x onerror=alert(2)>"));
    let bidi = texts(&doc, "#l-10 .line-text");
    assert_eq!(bidi, ["文字⟨U+202E⟩反向⟨U+0007⟩铃"]);
    assert!(!body.contains('\u{202E}') && !body.contains('\u{7}'));
    // The filter is a link: only the marked lines, and a way back.
    let only = attrs(&doc, ".review-filter a", "href");
    assert_eq!(only, ["/_review/shili/2025/shougong/?only=attention"]);
    let (_, body) = get(server.port, &only[0]);
    let doc = Html::parse_document(&body);
    let ids: Vec<&str> = rows(&doc)
        .iter()
        .filter_map(|tr| tr.value().attr("id"))
        .collect();
    assert_eq!(ids, ["l-4", "l-6", "l-7", "l-8"]);
    assert_eq!(
        attrs(&doc, ".review-filter a", "href"),
        ["/_review/shili/2025/shougong/"]
    );
    // The line to sign, for the printed copy.
    assert!(texts(&doc, ".signoff").join(" ").contains("核对人"));
}

#[test]
fn missing_damaged_and_escaping_records_give_clear_pages() {
    let (tmp, site) = new_site();
    let good = serde_json::to_vec(&hand_made()).unwrap();
    write_record(&site, "shili/2025/damaged.json", b"{\"plan\": [1, 2");
    // A record that is a link to a file outside the site, and a district folder that is one.
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(outside.join("2025")).unwrap();
    let mut secret = hand_made();
    secret.title = "机密文件".into();
    let secret = serde_json::to_vec(&secret).unwrap();
    std::fs::write(outside.join("secret.json"), &secret).unwrap();
    std::fs::write(outside.join("2025/secret.json"), &secret).unwrap();
    write_record(&site, "shili/2025/good.json", &good);
    std::os::unix::fs::symlink(
        outside.join("secret.json"),
        site.join(".gongkai/review/shili/2025/link.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, site.join(".gongkai/review/away")).unwrap();
    let server = serve(&site);
    let port = server.port;
    let page = |target: &str| {
        let (status, body) = get(port, target);
        assert!(!body.contains("机密文件"), "{target} leaked: {body}");
        let doc = Html::parse_document(&body);
        (
            status,
            texts(&doc, "h1").join(""),
            texts(&doc, ".banner").join(""),
        )
    };
    let (status, h1, why) = page("/_review/shili/2025/nope/");
    assert_eq!((status, h1.as_str()), (404, "这份计划没有核对记录"));
    assert!(
        why.contains(".gongkai/review/shili/2025/nope.json") && why.contains("--force"),
        "{why}"
    );
    let (status, h1, why) = page("/_review/shili/2025/damaged/");
    assert_eq!((status, h1.as_str()), (422, "核对记录已损坏"));
    assert!(why.contains("damaged.json"), "{why}");
    for target in ["/_review/shili/2025/link/", "/_review/away/2025/secret/"] {
        let (status, h1, _) = page(target);
        assert_eq!((status, h1.as_str()), (403, "核对记录不能读取"), "{target}");
    }
    for target in [
        "/_review/shili/2025/../../../outside/secret/",
        "/_review/shili/2025/%2e%2e/good/",
        "/_review/shili%2f2025/good/x/",
        "/_review/shili/2025%2Fgood/x/",
        "/_review/shili/2025/good.json",
        "/_review/%2e%2e/%2e%2e/etc/passwd/",
    ] {
        let (status, h1, _) = page(target);
        assert_eq!((status, h1.as_str()), (404, "没有这个核对页"), "{target}");
    }
    // The list names neither the link nor what lies behind the folder that is a link.
    let (status, body) = get(port, "/_review/");
    assert_eq!(status, 200);
    let doc = Html::parse_document(&body);
    let mut links = attrs(&doc, ".review-list a", "href");
    links.sort();
    assert_eq!(
        links,
        ["/_review/shili/2025/damaged/", "/_review/shili/2025/good/"]
    );
    assert_eq!(page("/_review/shili/2025/good/").0, 200);

    // The whole folder a link out of the site: refused, for the list as for a record.
    std::fs::remove_dir_all(site.join(".gongkai")).unwrap();
    std::fs::create_dir_all(site.join(".gongkai")).unwrap();
    std::os::unix::fs::symlink(&outside, site.join(".gongkai/review")).unwrap();
    assert_eq!(page("/_review/").0, 403);
    assert_eq!(page("/_review/2025/x/secret/").0, 403);
}

#[test]
fn a_record_of_100000_lines_is_paged_in_bounded_time_and_size() {
    let (_tmp, site) = new_site();
    let mut big = hand_made();
    big.lines = (1..=100_000)
        .map(|i| {
            let mut l = line(
                i,
                &format!("第{i}行：<b>加强</b>安全\u{202E}生产工作，落实责任。"),
                Became::Text,
            );
            if i % 1000 == 0 {
                l.became = Became::Unplaced {
                    why: "未识别".into(),
                };
            }
            l
        })
        .collect();
    let bytes = serde_json::to_vec(&big).unwrap();
    write_record(&site, "shili/2025/big.json", &bytes);
    let server = serve(&site);
    let limit = gongkai::limits::REVIEW_PAGE_LINES;
    let t = Instant::now();
    let (status, body) = get(server.port, "/_review/shili/2025/big/");
    let took = t.elapsed();
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(30), "{took:?}");
    assert!(body.len() < 4 << 20, "{} bytes", body.len());
    let doc = Html::parse_document(&body);
    assert_eq!(rows(&doc).len(), limit);
    let pages = attrs(&doc, ".review-pages a", "href");
    assert_eq!(pages.len(), 100_000 / limit - 1);
    assert_eq!(
        texts(&doc, ".review-pages [aria-current]"),
        [format!("第 1–{limit} 行")]
    );
    assert_eq!(doc.select(&sel("main b")).count(), 0);
    // The last page, and only the lines to check: 100 of them, on one page.
    let (_, body) = get(server.port, &pages[pages.len() - 1]);
    let doc = Html::parse_document(&body);
    assert_eq!(
        rows(&doc).last().and_then(|tr| tr.value().attr("id")),
        Some("l-100000")
    );
    let (_, body) = get(server.port, "/_review/shili/2025/big/?only=attention");
    let doc = Html::parse_document(&body);
    assert_eq!(rows(&doc).len(), 100);
    assert!(attrs(&doc, ".review-pages a", "href").is_empty());
}
