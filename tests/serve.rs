//! `gongkai serve` as a publisher uses it: started on a free loopback port against a copy of a
//! fixture site, then the site is edited, broken and fixed while a browser's event stream
//! listens for reloads; after edits, every file served is the file a clean build writes. And the
//! HTTP a browser and an attacker speak: HEAD, 304, Range, oversized and slow headers, many idle
//! connections, pages served while a rebuild runs.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

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
    start_with(Path::new("."), root, &[])
}

/// Starts the server from folder `cwd`, with `--root` as given (relative roots are common) and
/// the environment `env`.
fn start_with(cwd: &Path, root: &Path, env: &[(&str, &str)]) -> Server {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    cmd.current_dir(cwd)
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .env("GONGKAI_LANG", "zh")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start gongkai serve");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    let prefix = format!("预览地址：http://127.0.0.1:{port}");
    for _ in 0..50 {
        line.clear();
        if out.read_line(&mut line).unwrap_or(0) == 0 || line.starts_with(&prefix) {
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

    /// The value of a header, by its name in any case.
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// One request on its own connection, with extra header lines.
fn request(port: u16, method: &str, target: &str, headers: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{headers}\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        head,
        body: raw.get(split + 4..).unwrap_or_default().to_vec(),
    }
}

fn get(port: u16, target: &str) -> Response {
    request(port, "GET", target, "")
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
    std::thread::sleep(Duration::from_millis(300));
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
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("mkdir");
    }
    let tmp = path.with_extension("swp");
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
        .recv_timeout(Duration::from_secs(60))
        .expect("a reload event after the change");
}

/// Every file of a clean build of `root`, the search index included (which the preview made
/// once and has updated with each edit since), fetched from the server, equals the built file,
/// the preview's live block aside. Returns how many files were compared.
fn assert_same_as_clean_build(root: &Path, port: u16, base: &str) -> usize {
    let (files, _) = gongkai::build::build_in_memory(root, None).expect("clean build");
    let mut compared = 0;
    for (rel, expected) in &files {
        let target = if rel == "404.html" {
            format!("{base}no-such-page/")
        } else {
            format!("{base}{rel}")
        };
        let served = get(port, &target);
        assert!(
            without_live(&served.body) == *expected,
            "{rel} served differs from a clean build (status {})",
            served.status
        );
        compared += 1;
    }
    compared
}

const PLAN: &str = "content/shili/2024/aqsc-gongzuo-yijian.md";

#[test]
fn edits_rebuild_reload_and_show_errors_without_stopping() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_site(&fixture("valid"), &root);
    let server = start(&root);
    let (port, base) = (server.port, server.base.clone());
    assert_eq!(base, "/zwgk/aqsc/");
    let page = format!("{base}shili/2024/aqsc-gongzuo-yijian/");

    let first = get(port, &page);
    assert_eq!(first.status, 200);
    assert_eq!(
        first.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
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

    // The fix clears it, and what is served is what a clean build writes.
    save(&root.join(PLAN), &edited);
    wait_reload(&events);
    let doc = scraper::Html::parse_document(&get(port, &page).text());
    assert!(texts(&doc, "#gongkai-errors").is_empty());
    assert!(assert_same_as_clean_build(&root, port, &base) > 40);

    // A template made wrong: the error names the override file and its line.
    save(
        &root.join("templates/home.html"),
        "{% extends \"base.html\" %}{% block content %}{{ no_such_variable }}{% endblock content %}",
    );
    wait_reload(&events);
    let doc = scraper::Html::parse_document(&get(port, &base).text());
    let overlay = texts(&doc, "#gongkai-errors").concat();
    assert!(overlay.contains("templates/home.html:1"), "{overlay}");
    std::fs::remove_file(root.join("templates/home.html")).expect("remove");
    wait_reload(&events);
    assert!(assert_same_as_clean_build(&root, port, &base) > 40);
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
    assert_eq!(
        css.header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );
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
    assert_eq!(r.header("location"), Some(format!("{base}shili/")));
    // Other methods are refused.
    let r = request(port, "POST", &base, "Content-Length: 0\r\n");
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow").as_deref(), Some("GET, HEAD"));
}

#[test]
fn head_conditional_and_range_requests() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_site(&fixture("valid"), &root);
    let server = start(&root);
    let (port, base) = (server.port, server.base.clone());
    let url = format!("{base}data/tasks.csv");
    let full = get(port, &url);
    assert_eq!(full.status, 200);
    let len = full.body.len();
    assert_eq!(full.header("content-length"), Some(len.to_string()));
    assert_eq!(full.header("accept-ranges").as_deref(), Some("bytes"));

    // HEAD: the headers of GET, no body.
    let head = request(port, "HEAD", &url, "");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some(len.to_string()));
    assert!(head.body.is_empty());

    // A client with the current copy gets 304, by its tag or by its date.
    let etag = full.header("etag").expect("ETag");
    let r = request(port, "GET", &url, &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(r.status, 304);
    assert!(r.body.is_empty());
    let r = request(port, "GET", &url, "If-None-Match: \"other\"\r\n");
    assert_eq!(r.status, 200);
    let modified = full.header("last-modified").expect("Last-Modified");
    let r = request(
        port,
        "GET",
        &url,
        &format!("If-Modified-Since: {modified}\r\n"),
    );
    assert_eq!(r.status, 304);
    let r = request(
        port,
        "GET",
        &url,
        "If-Modified-Since: Mon, 01 Jan 1990 00:00:00 GMT\r\n",
    );
    assert_eq!(r.status, 200);

    // A range: those bytes only.
    let r = request(port, "GET", &url, "Range: bytes=3-12\r\n");
    assert_eq!(r.status, 206);
    assert_eq!(r.body, full.body[3..=12]);
    assert_eq!(r.header("content-range"), Some(format!("bytes 3-12/{len}")));
    let r = request(
        port,
        "GET",
        &url,
        &format!("Range: bytes={}-\r\n", len + 10),
    );
    assert_eq!(r.status, 416);
    assert_eq!(r.header("content-range"), Some(format!("bytes */{len}")));
}

#[test]
fn oversized_and_slow_headers_are_cut_off_and_idle_connections_cost_no_threads() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_site(&fixture("valid"), &root);
    let server = start_with(
        Path::new("."),
        &root,
        &[("GONGKAI_HEADER_TIMEOUT_MS", "1000")],
    );
    let (port, base) = (server.port, server.base.clone());

    // A header larger than the limit: 431, and the server goes on.
    let big = format!("X-Big: {}\r\n", "a".repeat(64 * 1024));
    let r = request(port, "GET", &base, &big);
    assert_eq!(r.status, 431, "{}", r.head);
    assert_eq!(get(port, &base).status, 200);

    // A client that starts a request and never finishes its headers is cut off.
    let mut slow = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .expect("send");
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let t = Instant::now();
    let mut buf = Vec::new();
    let _ = slow.read_to_end(&mut buf);
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());

    // A thousand idle connections hold no thread each, and the server still answers.
    let threads = |pid: u32| -> usize {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Threads:"))
                    .and_then(|n| n.trim().parse().ok())
            })
            .unwrap_or(0)
    };
    let before = threads(server.child.id());
    let idle: Vec<TcpStream> = (0..1000)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(get(port, &base).status, 200);
    let during = threads(server.child.id());
    assert!(
        during < before + 20,
        "threads: {before} before, {during} with 1000 idle connections"
    );
    drop(idle);
}

#[test]
fn pages_are_served_while_a_rebuild_runs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    generate_site(&root, 120);
    let server = start(&root);
    let (port, base) = (server.port, server.base.clone());
    let events = listen(port);
    let page = format!("{base}d0/2018/plan-0/");
    assert_eq!(get(port, &page).status, 200);
    // A template change rebuilds everything, checking every page; meanwhile, pages are served
    // from the last build.
    save(
        &root.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>找不到</h1>{% endblock content %}",
    );
    let t = Instant::now();
    let mut served = 0;
    let mut slowest = Duration::ZERO;
    loop {
        let r0 = Instant::now();
        let r = get(port, &page);
        slowest = slowest.max(r0.elapsed());
        assert_eq!(r.status, 200);
        served += 1;
        if events.try_recv().is_ok() {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(120), "no reload");
    }
    let rebuild = t.elapsed();
    assert!(
        served >= 3,
        "{served} requests during a {rebuild:?} rebuild"
    );
    assert!(
        slowest < rebuild / 2,
        "a request waited {slowest:?} during a {rebuild:?} rebuild"
    );
}

/// A site edited by a seeded sequence of random edits — plans added, removed, renamed, moved to
/// another year, edited, tasks moved between units, a region changed in site.yaml, a template
/// changed — serves after each edit what a clean build writes.
#[test]
fn random_edits_always_match_a_clean_build() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_site(&fixture("compare"), &root);
    let server = start(&root);
    let (port, base) = (server.port, server.base.clone());
    let events = listen(port);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let plans = |root: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.path().to_path_buf())
            .collect();
        v.sort();
        v
    };
    // The two edits that once went wrong come first: a plan in a new year (the year before it
    // must link to it), and a region reaching two plans (the district page links to it).
    // Progress edits come early too: a progress file written, edited and removed, a 解读.
    let mut steps = vec![0usize, 6, 8, 9, 8];
    steps.extend((0..10).map(|_| rng.below(10)));
    for (n, step) in steps.into_iter().enumerate() {
        let all = plans(&root);
        let pick = all[rng.below(all.len())].clone();
        let text = std::fs::read_to_string(&pick).expect("read");
        let year_of = |p: &Path| -> String {
            p.parent()
                .and_then(|y| y.file_name())
                .map(|y| y.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let what = match step {
            // A plan in a new year, copied from one of the district's annual plans.
            0 => {
                let from = root.join("content/shili/2024/aqsc-gongzuo-yijian.md");
                let year = 2025 + n;
                let text = std::fs::read_to_string(&from)
                    .unwrap_or_else(|_| text.clone())
                    .replace("year: 2024", &format!("year: {year}"))
                    .replace("2024年", &format!("{year}年"));
                save(
                    &root.join(format!("content/shili/{year}/aqsc-gongzuo-yijian.md")),
                    &text,
                );
                "add"
            }
            // Remove a plan (keep at least three, and the ones site.yaml names).
            1 if all.len() > 3
                && !text.contains("十四五")
                && !pick.ends_with("2024/aqsc-gongzuo-yijian.md") =>
            {
                std::fs::remove_file(&pick).expect("remove");
                "remove"
            }
            // Rename a plan's file.
            2 if !pick.ends_with("2024/aqsc-gongzuo-yijian.md") && !text.contains("十四五") => {
                let to = pick.with_file_name(format!("renamed-{n}.md"));
                std::fs::rename(&pick, &to).expect("rename");
                "rename"
            }
            // Hand a task to another unit.
            3 => {
                save(
                    &pick,
                    &text.replacen("（责任单位：区应急局", "（责任单位：区消防救援支队", 1),
                );
                "move a task"
            }
            // Reword a task.
            4 => {
                save(
                    &pick,
                    &text.replacen("。", &format!("（第{n}次修订）。"), 1),
                );
                "edit"
            }
            // Move an annual plan to the next free year.
            5 if year_of(&pick).len() == 4 && !pick.ends_with("2024/aqsc-gongzuo-yijian.md") => {
                let year: u32 = year_of(&pick).parse().expect("year");
                let to_year = 2040 + n as u32;
                let to = root.join(format!(
                    "content/{}/{to_year}/{}",
                    pick.parent()
                        .and_then(|p| p.parent())
                        .and_then(|d| d.file_name())
                        .map(|d| d.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    pick.file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default()
                ));
                save(
                    &to,
                    &text.replace(&format!("year: {year}"), &format!("year: {to_year}")),
                );
                std::fs::remove_file(&pick).expect("remove");
                "change year"
            }
            // A region: put 样例区 in another region, or back.
            6 => {
                let cfg = root.join("site.yaml");
                let yaml = std::fs::read_to_string(&cfg).expect("read");
                let yaml = if yaml.contains("region: 样例市") {
                    yaml.replace("region: 样例市", "region: 示例市")
                } else {
                    yaml.replacen(
                        "    name: 样例区\n    region: 示例市",
                        "    name: 样例区\n    region: 样例市",
                        1,
                    )
                };
                save(&cfg, &yaml);
                "region"
            }
            // Progress beside the 2024 plan (kept by every other step): written or edited.
            8 => {
                let statuses = ["推进中", "已完成", "延期", "未启动"];
                save(
                    &root.join("content/shili/2024/aqsc-gongzuo-yijian.progress.yaml"),
                    &format!(
                        "progress:\n  - task: 1\n    date: 2024-0{}-1{n}\n    status: {}\n    text: 第{n}次报告。\n  - task: 3\n    date: 2024-06-30\n    status: {}\nresults:\n  - indicator: 生产安全事故起数\n    year: 2024\n    value: 下降{n}%\n",
                        1 + n % 9,
                        statuses[n % 4],
                        statuses[(n + 1) % 4]
                    ),
                );
                "progress"
            }
            // The progress file removed, or a 解读 written.
            9 => {
                let progress = root.join("content/shili/2024/aqsc-gongzuo-yijian.progress.yaml");
                if progress.exists() {
                    std::fs::remove_file(&progress).expect("remove");
                    "progress removed"
                } else {
                    save(
                        &root.join("content/shili/2024/aqsc-gongzuo-yijian.jiedu.md"),
                        &format!(
                            "---\ntitle: 解读（第{n}版）\npublished: 2024-02-10\n---\n\n见[第1项](@/shili/2024/aqsc-gongzuo-yijian.md#task-1)。\n"
                        ),
                    );
                    "解读"
                }
            }
            // A template override.
            _ => {
                save(
                    &root.join("templates/404.html"),
                    &format!(
                        "{{% extends \"base.html\" %}}{{% block content %}}<h1>第{n}版</h1>{{% endblock content %}}"
                    ),
                );
                "template"
            }
        };
        wait_reload(&events);
        // Bursts of events may come as two reloads; settle before comparing.
        std::thread::sleep(Duration::from_millis(400));
        while events.try_recv().is_ok() {}
        let compared = assert_same_as_clean_build(&root, port, &base);
        assert!(compared > 30, "step {n} ({what}): {compared} files");
    }
    drop(server);
}

/// A small deterministic generator, so that a failing sequence can be run again.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// The watcher follows its folders: a `templates/` made after the start is watched, and
/// `content/` deleted and made again is watched again.
#[test]
fn the_watcher_survives_its_folders_coming_and_going() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_site(&fixture("valid"), &root);
    let server = start(&root);
    let (port, base) = (server.port, server.base.clone());
    let events = listen(port);
    assert!(!root.join("templates").exists());
    save(
        &root.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>新建的模板</h1>{% endblock content %}",
    );
    wait_reload(&events);
    let doc = scraper::Html::parse_document(&get(port, &format!("{base}nothing/")).text());
    assert_eq!(texts(&doc, "h1"), ["新建的模板"]);

    // content/ away (a publisher moves it to make a copy) and back.
    let aside = tmp.path().join("content-aside");
    std::fs::rename(root.join("content"), &aside).expect("move away");
    wait_reload(&events);
    std::fs::rename(&aside, root.join("content")).expect("move back");
    wait_reload(&events);
    std::thread::sleep(Duration::from_millis(300));
    while events.try_recv().is_ok() {}
    // Edits inside it are seen again.
    let plan = root.join(PLAN);
    let text = std::fs::read_to_string(&plan).expect("read");
    save(
        &plan,
        &text.replace(
            "示例区2024年安全生产工作意见",
            "示例区2024年安全生产工作意见（又改）",
        ),
    );
    wait_reload(&events);
    let doc = scraper::Html::parse_document(
        &get(port, &format!("{base}shili/2024/aqsc-gongzuo-yijian/")).text(),
    );
    assert_eq!(texts(&doc, "h1"), ["示例区2024年安全生产工作意见（又改）"]);
    assert_same_as_clean_build(&root, port, &base);
}

/// Progress is updated beside a plan while serving: only that plan is read again, and what is
/// served is what a clean build writes — the plan page, its progress page, the unit pages, the
/// feed. A progress file left without its plan shows the error on every page.
#[test]
fn a_progress_edit_reads_one_plan_and_matches_a_clean_build() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_site(&fixture("tracker"), &root);
    let server = start(&root);
    let (port, base) = (server.port, server.base.clone());
    assert!(assert_same_as_clean_build(&root, port, &base) > 40);
    let events = listen(port);
    let progress = root.join("content/shili/2025/aqsc-gongzuo-yijian.progress.yaml");
    let text = std::fs::read_to_string(&progress).expect("read");
    save(
        &progress,
        &format!(
            "{text}  - task: 4\n    date: 2025-03-25\n    status: 已完成\n    text: 排查完毕。\n"
        ),
    );
    wait_reload(&events);
    std::thread::sleep(Duration::from_millis(300));
    let log = server.log.lock().expect("log").clone();
    assert!(
        log.iter()
            .any(|l| l.starts_with("重新读取了 1 个改动的文件")),
        "{log:?}"
    );
    let page = get(port, &format!("{base}shili/2025/aqsc-gongzuo-yijian/")).text();
    let doc = scraper::Html::parse_document(&page);
    let marks = texts(&doc, "#text .task-mark").join("\n");
    assert!(
        marks.contains("已完成 完成时限：2025年3月15日前"),
        "{marks}"
    );
    // The as-of day moved to the new report: the 2024 plan's page changed too.
    let p24 = get(port, &format!("{base}shili/2024/aqsc-gongzuo-yijian/")).text();
    assert!(
        p24.contains("2025-03-25"),
        "the as-of day reaches other plans"
    );
    assert_same_as_clean_build(&root, port, &base);

    // The plan removed, its progress file left: an error, shown on the pages kept.
    let plan = root.join("content/shili/2025/aqsc-gongzuo-yijian.md");
    let plan_text = std::fs::read_to_string(&plan).expect("read");
    std::fs::remove_file(&plan).expect("remove");
    wait_reload(&events);
    let doc = scraper::Html::parse_document(&get(port, &base).text());
    let overlay = texts(&doc, "#gongkai-errors").concat();
    assert!(overlay.contains("旁边没有对应的计划文件"), "{overlay}");
    save(&plan, &plan_text);
    wait_reload(&events);
    std::thread::sleep(Duration::from_millis(300));
    while events.try_recv().is_ok() {}
    assert!(assert_same_as_clean_build(&root, port, &base) > 40);
}

#[test]
fn a_relative_root_and_a_one_plan_edit_keep_the_other_pages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    generate_site(&root, 30);
    // Started as a publisher would, from the folder above, with a relative --root.
    let server = start_with(tmp.path(), Path::new("site"), &[]);
    let (port, base) = (server.port, server.base.clone());
    // Every page served once, so the preview holds them.
    let before = assert_same_as_clean_build(&root, port, &base);
    let events = listen(port);
    let plan = root.join("content/d1/2020/plan-7.md");
    let text = std::fs::read_to_string(&plan).expect("read");
    save(&plan, &text.replacen("。", "（修订）。", 1));
    wait_reload(&events);
    let log = server.log.lock().expect("log").clone();
    assert!(
        log.iter()
            .any(|l| l.starts_with("重新读取了 1 个改动的文件")),
        "{log:?}"
    );
    // The other plans' pages are kept: their views did not change.
    let (files, _) = gongkai::build::build_in_memory(&root, None).expect("build");
    let pages: Vec<&String> = files
        .keys()
        .filter(|f| f.ends_with("index.html") && f.contains("/plan-"))
        .collect();
    let kept = pages
        .iter()
        .filter(|f| {
            get(port, &format!("{base}{f}"))
                .header("x-gongkai-kept")
                .as_deref()
                == Some("yes")
        })
        .count();
    assert!(
        kept + 5 >= pages.len(),
        "{kept} of {} plan pages kept",
        pages.len()
    );
    assert_eq!(assert_same_as_clean_build(&root, port, &base), before);
}

#[cfg(unix)]
#[test]
fn published_files_are_streamed_and_not_served_once_they_link_out() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    let o = gongkai(&["init", root.to_str().unwrap()]);
    assert!(o.status.success());
    // A 1 GiB original (sparse on disk): the preview must never hold it whole.
    let original = root.join("sources/shili/2024/aqsc-gongzuo-yaodian.txt");
    let head = std::fs::read(&original).expect("original");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&original)
        .and_then(|f| f.set_len(1 << 30))
        .expect("grow");
    let server = start(&root);
    let (port, base) = (server.port, server.base.clone());
    let plan = format!("{base}shili/2024/aqsc-gongzuo-yaodian/");
    let page = get(port, &plan).text();
    let (txt, csv) = (
        format!("{plan}files/aqsc-gongzuo-yaodian.txt"),
        format!("{plan}files/fujian-1.csv"),
    );
    assert!(page.contains("aqsc-gongzuo-yaodian/files/aqsc-gongzuo-yaodian.txt"));
    assert!(page.contains("aqsc-gongzuo-yaodian/files/fujian-1.csv"));
    let r = request(port, "GET", &txt, "Range: bytes=0-99\r\n");
    assert_eq!(r.status, 206);
    assert_eq!(r.body, head[..100]);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes 0-99/{}", 1u64 << 30))
    );
    let r = request(port, "HEAD", &txt, "");
    assert_eq!(r.header("content-length"), Some((1u64 << 30).to_string()));
    let r = request(port, "GET", &txt, "Range: bytes=1073741000-1073741823\r\n");
    assert_eq!(r.status, 206);
    assert_eq!(r.body.len(), 824);
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).expect("/proc");
    let rss_kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("VmHWM");
    assert!(rss_kib < 512 * 1024, "the server's peak was {rss_kib} KiB");

    // The annex swapped for a link out of the site while the preview runs: not served.
    assert_eq!(get(port, &csv).status, 200);
    let secret = tmp.path().join("secret.csv");
    std::fs::write(&secret, "机密,内容\n").expect("secret");
    let annex = root.join("sources/shili/2024/fujian-1.csv");
    std::fs::remove_file(&annex).expect("remove");
    std::os::unix::fs::symlink(&secret, &annex).expect("link");
    // (A rebuild may follow the change; either way the outside file is never sent.)
    for _ in 0..20 {
        let r = get(port, &csv);
        assert!(!r.text().contains("机密"), "{}", r.text());
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(unix)]
#[test]
fn a_published_file_swapped_for_a_link_while_served_never_leaks_the_outside_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    let o = gongkai(&["init", root.to_str().unwrap()]);
    assert!(o.status.success());
    let annex = root.join("sources/shili/2024/fujian-1.csv");
    let real = root.join("sources/shili/2024/real.csv");
    std::fs::copy(&annex, &real).expect("copy");
    let secret = tmp.path().join("secret.csv");
    std::fs::write(&secret, "SECRET").expect("secret");
    let link = root.join("sources/shili/2024/link.csv");
    std::os::unix::fs::symlink(&secret, &link).expect("link");
    let server = start(&root);
    let url = format!(
        "{}shili/2024/aqsc-gongzuo-yaodian/files/fujian-1.csv",
        server.base
    );
    assert_eq!(get(server.port, &url).status, 200);
    // The annex is swapped, by rename, between a real file and a link out, as fast as can be.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let stop = stop.clone();
        let (annex, real, link) = (annex.clone(), real.clone(), link.clone());
        std::thread::spawn(move || {
            let (a, b) = (root_hardlink(&real), root_hardlink(&link));
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::fs::rename(&a, &annex);
                let _ = std::fs::hard_link(&real, &a);
                let _ = std::fs::rename(&b, &annex);
                let _ = std::fs::remove_file(&b);
                let _ = std::os::unix::fs::symlink(std::fs::read_link(&link).unwrap(), &b);
            }
        })
    };
    let mut served = 0;
    for _ in 0..1500 {
        let r = request(server.port, "GET", &url, "Range: bytes=0-5\r\n");
        assert_ne!(r.text(), "SECRET", "the outside file was served");
        if r.status == 206 {
            served += 1;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    swapper.join().expect("swapper");
    assert!(served > 0, "the real file was served at times");
}

/// A second name for a file (or a link) in its folder, to rename over another name.
#[cfg(unix)]
fn root_hardlink(p: &Path) -> PathBuf {
    let second = p.with_extension("swap");
    let _ = std::fs::remove_file(&second);
    match std::fs::read_link(p) {
        Ok(target) => std::os::unix::fs::symlink(target, &second).expect("link"),
        Err(_) => std::fs::hard_link(p, &second).expect("hard link"),
    }
    second
}

/// CPU time (user + system, in clock ticks) a process has used, from /proc.
#[cfg(target_os = "linux")]
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc stat");
    // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
    let rest = &stat[stat.rfind(')').expect("stat") + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    f[11].parse::<u64>().expect("utime") + f[12].parse::<u64>().expect("stime")
}

#[cfg(target_os = "linux")]
#[test]
fn out_of_file_descriptors_the_preview_waits_instead_of_spinning() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    let o = gongkai(&["init", root.to_str().unwrap()]);
    assert!(o.status.success());
    let server = start(&root);
    let pid = server.child.id();
    // 64 file descriptors, then 120 idle connections: accept fails with EMFILE.
    let limited = Command::new("prlimit")
        .args(["--pid", &pid.to_string(), "--nofile=64:64"])
        .status()
        .expect("prlimit");
    assert!(limited.success());
    let held: Vec<TcpStream> = (0..120)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", server.port)).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(2));
    let used = cpu_ticks(pid) - before;
    drop(held);
    // A spinning accept loop uses the whole 2 s of a core (about 200 ticks).
    assert!(
        used < 60,
        "the server used {used} ticks of CPU in 2 s while out of descriptors"
    );
    // Once the connections close, it serves again.
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(get(server.port, &server.base).status, 200);
}
