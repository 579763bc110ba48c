//! `gongkai serve` as a publisher uses it: started on a free loopback port against a copy of a
//! fixture site, then the site is edited, broken and fixed while a browser's event stream
//! listens for reloads.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use common::*;

/// A running `gongkai serve`, killed when dropped (also when a test fails).
struct Server {
    child: std::process::Child,
    port: u16,
    base: String,
    /// What the server has printed since it started serving.
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn start(root: &Path) -> Server {
    start_in(Path::new("."), root)
}

/// Starts the server from folder `cwd`, with `--root` as given (relative roots are common).
fn start_in(cwd: &Path, root: &Path) -> Server {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(cwd)
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start gongkai serve");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    for _ in 0..50 {
        line.clear();
        if out.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        if line.starts_with("serving") {
            break;
        }
    }
    // Keep reading stdout so the server never blocks on a full pipe.
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = log.clone();
    std::thread::spawn(move || {
        for l in out.lines().map_while(Result::ok) {
            sink.lock().expect("log").push(l);
        }
    });
    let prefix = format!("serving http://127.0.0.1:{port}");
    assert!(line.starts_with(&prefix), "{line}");
    let base = line[prefix.len()..]
        .split_whitespace()
        .next()
        .unwrap_or("/")
        .to_string();
    Server {
        child,
        port,
        base,
        log,
    }
}

struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn get(port: u16, target: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(s, "GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    Response {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    }
}

/// Listens to the event stream as a browser would; each `reload` event arrives on the channel.
fn listen(port: u16) -> Receiver<String> {
    let (tx, rx) = channel();
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET /__gongkai/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .expect("send");
    let reader = BufReader::new(s);
    std::thread::spawn(move || {
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if let Some(data) = line.strip_prefix("data: ")
                && tx.send(data.to_string()).is_err()
            {
                break;
            }
        }
    });
    // Wait until the stream is connected before anything changes.
    std::thread::sleep(Duration::from_millis(200));
    rx
}

fn copy_site(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk");
        let dest = to.join(e.path().strip_prefix(from).expect("inside"));
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// Writes a file the way editors do: a new file renamed over the old one.
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("md.swp");
    std::fs::write(&tmp, text).expect("write");
    std::fs::rename(&tmp, path).expect("rename");
}

/// A page as the build made it: the preview's live block taken out.
fn without_live(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match (
        text.find("<!--gongkai-live-->"),
        text.find("<!--/gongkai-live-->"),
    ) {
        (Some(a), Some(b)) => {
            let mut out = text[..a].to_string();
            out.push_str(&text[b + "<!--/gongkai-live-->".len()..]);
            out.into_bytes()
        }
        _ => html.to_vec(),
    }
}

fn wait_reload(events: &Receiver<String>) {
    events
        .recv_timeout(Duration::from_secs(20))
        .expect("a reload event after the change");
}

/// Every file of a clean build of `root`, fetched from the server, equals the built file (the
/// preview's live block aside).
fn assert_same_as_clean_build(root: &Path, port: u16, base: &str) {
    let (_t, clean) = build_site(root, None);
    let mut compared = 0;
    for f in walkdir::WalkDir::new(&clean)
        .into_iter()
        .filter_map(Result::ok)
    {
        // The marker says the folder is a gongkai output; it is no file of the site.
        if !f.file_type().is_file() || f.file_name() == ".gongkai-output" {
            continue;
        }
        let rel = f
            .path()
            .strip_prefix(&clean)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        let target = if rel == "404.html" {
            format!("{base}no-such-page/")
        } else {
            format!("{base}{rel}")
        };
        let served = get(port, &target);
        let expected = std::fs::read(f.path()).expect("read");
        assert!(
            without_live(&served.body) == expected,
            "{rel} served differs from a clean build"
        );
        compared += 1;
    }
    assert!(compared > 40, "{compared} files compared");
}

const PLAN: &str = "content/shili/2024/aqsc-gongzuo-yijian.md";

#[test]
fn edits_rebuild_reload_and_show_errors_without_stopping() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root: PathBuf = tmp.path().join("site");
    copy_site(&fixture("valid"), &root);
    // Made now, so that adding a plan to it later is a change of one file.
    std::fs::create_dir_all(root.join("content/shili/2025")).expect("mkdir");
    let server = start(&root);
    let (port, base) = (server.port, server.base.clone());
    assert_eq!(base, "/zwgk/aqsc/");
    let page = format!("{base}shili/2024/aqsc-gongzuo-yijian/");

    let first = get(port, &page);
    assert_eq!(first.status, 200);
    assert!(
        first
            .head
            .contains("Content-Type: text/html; charset=utf-8")
    );
    let doc = scraper::Html::parse_document(&first.text());
    assert_eq!(texts(&doc, "h1"), ["示例区2024年安全生产工作意见"]);
    // The reload script is added to pages in the preview only.
    assert!(first.text().contains("/__gongkai/events"));
    assert!(texts(&doc, "#gongkai-errors").is_empty());

    // An edit: the page shows it, and the browser is told to reload.
    let events = listen(port);
    let source = std::fs::read_to_string(root.join(PLAN)).expect("read");
    let edited = source.replace(
        "title: 示例区2024年安全生产工作意见",
        "title: 示例区2024年安全生产工作意见（修订）",
    );
    save(&root.join(PLAN), &edited);
    wait_reload(&events);
    let doc = scraper::Html::parse_document(&get(port, &page).text());
    assert_eq!(texts(&doc, "h1"), ["示例区2024年安全生产工作意见（修订）"]);

    // A broken edit: the last good page stays, with the errors over it.
    save(
        &root.join(PLAN),
        &edited.replace("year: 2024", "year: [2024"),
    );
    wait_reload(&events);
    let broken = get(port, &page);
    assert_eq!(broken.status, 200);
    let doc = scraper::Html::parse_document(&broken.text());
    assert_eq!(texts(&doc, "h1"), ["示例区2024年安全生产工作意见（修订）"]);
    let overlay = texts(&doc, "#gongkai-errors[role=alert]").concat();
    assert!(
        overlay.contains("content/shili/2024/aqsc-gongzuo-yijian.md:"),
        "{overlay}"
    );
    // Every page carries it, not only the one edited.
    let home = scraper::Html::parse_document(&get(port, &base).text());
    assert_eq!(texts(&home, "#gongkai-errors").len(), 1);

    // The fix clears it.
    save(&root.join(PLAN), &edited);
    wait_reload(&events);
    let doc = scraper::Html::parse_document(&get(port, &page).text());
    assert!(texts(&doc, "#gongkai-errors").is_empty());

    // Edits that move responsibility and add a plan: only the changed plan is read again, and
    // the pages that depend on it are rendered from the new model.
    save(
        &root.join(PLAN),
        &edited.replace(
            "3.开展专项整治。（责任单位：区建设管理委）",
            "3.开展专项整治。（责任单位：区应急局）",
        ),
    );
    wait_reload(&events);
    let older = std::fs::read_to_string(root.join("content/shili/2023/aqsc-gongzuo-yijian.md"))
        .expect("read");
    save(
        &root.join("content/shili/2025/aqsc-gongzuo-yijian.md"),
        &older
            .replace("year: 2023", "year: 2025")
            .replace("2023年安全生产工作意见", "2025年安全生产工作意见"),
    );
    wait_reload(&events);
    assert_eq!(
        get(port, &format!("{base}shili/2025/aqsc-gongzuo-yijian/")).status,
        200
    );
    // Each content change so far read one plan again, not the whole site.
    let log = server.log.lock().expect("log").clone();
    let partial = log
        .iter()
        .filter(|l| l.starts_with("read 1 changed plan"))
        .count();
    assert!(partial >= 4, "{log:?}");
    assert!(
        !log.iter().any(|l| l.starts_with("rebuilt everything")),
        "{log:?}"
    );
    assert_same_as_clean_build(&root, port, &base);

    // A template change rebuilds too.
    std::fs::create_dir_all(root.join("templates/partials")).expect("mkdir");
    let footer = gongkai::theme::TEMPLATES
        .iter()
        .find(|(n, _)| *n == "base.html")
        .map(|(_, s)| s.replace("开放数据（JSON）", "开放数据下载（JSON）"))
        .expect("base.html");
    std::fs::write(root.join("templates/base.html"), footer).expect("write");
    wait_reload(&events);
    assert!(get(port, &base).text().contains("开放数据下载（JSON）"));

    // After all that, the served site is exactly a clean build of the same sources.
    assert_same_as_clean_build(&root, port, &base);
    // The preview never wrote an output folder.
    assert!(!root.join("output").exists());
}

#[test]
fn only_the_build_is_served() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_site(&fixture("valid"), &root);
    std::fs::write(tmp.path().join("secret.txt"), "secret").expect("write");
    let server = start(&root);
    let (port, base) = (server.port, server.base.clone());
    assert_eq!(get(port, "/").status, 302);
    let css = get(port, &format!("{base}static/style.css"));
    assert!(css.head.contains("Content-Type: text/css; charset=utf-8"));
    for bad in [
        format!("{base}../../site.yaml"),
        format!("{base}%2e%2e/%2e%2e/secret.txt"),
        format!("{base}..%2f..%2fsecret.txt"),
        format!("{base}shili/..%5c..%5csite.yaml"),
    ] {
        let r = get(port, &bad);
        assert!(r.status == 403 || r.status == 404, "{bad}: {}", r.status);
        assert!(!r.text().contains("secret") && !r.text().contains("base_url"));
    }
    // Sources are not part of the site.
    assert_eq!(get(port, &format!("{base}site.yaml")).status, 404);
    assert_eq!(
        get(port, &format!("{base}content/{}", &PLAN[8..])).status,
        404
    );
    let missing = get(port, &format!("{base}no-such-page/"));
    assert_eq!(missing.status, 404);
    let doc = scraper::Html::parse_document(&missing.text());
    assert!(!texts(&doc, "h1").is_empty(), "the theme's 404 page");
    // A folder without its slash is redirected to it.
    let r = get(port, &format!("{base}shili"));
    assert_eq!(r.status, 302);
    assert!(r.head.contains(&format!("Location: {base}shili/")));
}

#[test]
fn a_one_plan_edit_of_a_site_without_persons_matches_a_clean_build() {
    // The compare fixture names no persons, so only the edited plan is validated again.
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_site(&fixture("compare"), &root);
    // Started as a publisher would, from the folder above, with a relative --root.
    let server = start_in(tmp.path(), Path::new("site"));
    let (port, base) = (server.port, server.base.clone());
    let events = listen(port);
    let plan = root.join("content/shili/2023/aqsc-gongzuo-yijian.md");
    let text = std::fs::read_to_string(&plan).expect("read");
    save(
        &plan,
        &text
            .replace("全面消除重大事故隐患", "全面消除重大事故隐患和风险")
            .replace("（责任单位：区大数据中心）", "（责任单位：区应急局）")
            .replace("target: 8%", "target: 9%"),
    );
    wait_reload(&events);
    let cmp = scraper::Html::parse_document(
        &get(port, &format!("{base}compare/shili-2022--shili-2023/")).text(),
    );
    assert!(
        texts(&cmp, "#changed ins")
            .iter()
            .any(|t| t.contains("和风险"))
    );
    let log = server.log.lock().expect("log").clone();
    assert!(
        log.iter().any(|l| l.starts_with("read 1 changed plan")),
        "{log:?}"
    );
    assert_same_as_clean_build(&root, port, &base);
}

#[test]
fn pages_that_do_not_depend_on_an_edit_are_kept_and_still_match_a_clean_build() {
    // The benchmark's corpus: 30 plans in 3 districts over 10 years, 60 units, no persons.
    let tmp = tempfile::tempdir().expect("tempdir");
    let status = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen-corpus"))
        .args(["--plans", "30", "--out"])
        .arg(tmp.path())
        .status()
        .expect("python3 runs bench/gen-corpus");
    assert!(status.success());
    let root = tmp.path().join("gongkai");
    let server = start(&root);
    let (port, base) = (server.port, server.base.clone());
    let events = listen(port);
    // Reword a task, hand another to a different unit, change a target.
    let plan = root.join("content/d0002/2019/aqsc-gongzuo-yijian.md");
    let text = std::fs::read_to_string(&plan).expect("read");
    let text = text.replacen("。", "（修订）。", 1).replacen(
        "（责任单位：",
        "（责任单位：区示例办01、",
        1,
    );
    save(&plan, &text.replacen("target: \"", "target: \"1", 1));
    wait_reload(&events);
    let log = server.log.lock().expect("log").clone();
    let kept = log
        .iter()
        .find_map(|l| l.strip_prefix("kept "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    assert!(kept > 20, "pages kept: {log:?}");
    assert_same_as_clean_build(&root, port, &base);
}
