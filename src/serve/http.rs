//! HTTP for the preview: files from the in-memory build, under the site's base path, with the
//! live-reload script and any build errors added to each HTML page as it is sent. Nothing
//! outside the build can be reached: there is no file system behind it.

use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::State;

/// The path of the live-reload event stream, outside any site's base path.
pub const EVENTS: &str = "/__gongkai/events";

/// What a request resolves to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A built file, by its site-relative path.
    File(String),
    Redirect(String),
    Forbidden,
    NotFound,
    BadRequest,
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Maps a request target to a built file, refusing anything that tries to leave the site: `..`
/// (also percent-encoded), backslashes and NUL.
pub fn resolve(exists: &dyn Fn(&str) -> bool, base_path: &str, target: &str) -> Resolved {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    let Some(path) = percent_decode(raw) else {
        return Resolved::BadRequest;
    };
    if !path.starts_with('/') {
        return Resolved::BadRequest;
    }
    if path.contains('\\') || path.contains('\0') || path.split('/').any(|seg| seg == "..") {
        return Resolved::Forbidden;
    }
    let Some(rest) = path.strip_prefix(base_path) else {
        if path == "/" || format!("{path}/") == base_path {
            return Resolved::Redirect(base_path.to_string());
        }
        return Resolved::NotFound;
    };
    if rest.is_empty() || rest.ends_with('/') {
        let index = format!("{rest}index.html");
        return if exists(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if exists(rest) {
        Resolved::File(rest.to_string())
    } else if exists(&format!("{rest}/index.html")) {
        Resolved::Redirect(format!("{path}/"))
    } else {
        Resolved::NotFound
    }
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map_or("", |(_, e)| e) {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Marks the part of a page that only the preview adds, so it can be told from the build.
pub const LIVE_START: &str = "<!--gongkai-live-->";
pub const LIVE_END: &str = "<!--/gongkai-live-->";

/// What the preview adds before `</body>`: the reload script, and the build errors if the last
/// rebuild failed (in the HTML itself, so they show without JavaScript too).
pub fn live_block(errors: &str) -> String {
    let overlay = if errors.is_empty() {
        String::new()
    } else {
        format!(
            "<div id=\"gongkai-errors\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:9999;background:#fff4e5;color:#1a1a1a;border-top:4px solid #8a4b00;padding:1rem;font:16px/1.6 sans-serif\"><strong>内容有错误，以下是上一次成功构建的页面。改正后页面会自动刷新。</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">{}</pre></div>",
            crate::escape::esc(errors)
        )
    };
    format!(
        "{LIVE_START}{overlay}<script>new EventSource(\"{EVENTS}\").addEventListener(\"reload\",function(){{location.reload()}});</script>{LIVE_END}"
    )
}

/// Adds the live block to an HTML page, before its last `</body>`.
pub fn inject(html: &[u8], block: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + block.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(block.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    headers: &[(&str, String)],
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let mut h = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n",
        body.len()
    );
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    stream.write_all(h.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Holds an event stream open and sends `reload` after each rebuild, good or bad.
fn events(mut stream: TcpStream, state: &State) -> io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n",
    )?;
    stream.flush()?;
    let mut seen = state.generation();
    loop {
        match state.wait_for_change(seen, Duration::from_secs(15)) {
            Some(g) => {
                seen = g;
                stream.write_all(format!("event: reload\ndata: {g}\n\n").as_bytes())?;
            }
            // A comment now and then, so a dead connection is noticed and its thread ends.
            None => stream.write_all(b": keep-alive\n\n")?,
        }
        stream.flush()?;
    }
}

/// Answers one request.
pub fn handle(mut stream: TcpStream, state: &State) -> io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // Skip the headers: nothing in them changes the answer.
    let mut h = String::new();
    while reader.read_line(&mut h)? > 2 {
        h.clear();
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            &[("Allow", "GET, HEAD".into())],
            b"",
            false,
        );
    }
    if target.split('?').next() == Some(EVENTS) {
        return events(stream, state);
    }
    let head = method == "HEAD";
    let text = || ("Content-Type", String::from("text/plain; charset=utf-8"));
    let errors = state.errors();
    let base_path = state.base_path();
    let exists = |p: &str| state.exists(p);
    let html = |body: &[u8]| inject(body, &live_block(&errors));
    let not_found = |stream: &mut TcpStream| {
        let body = match state.get("404.html") {
            super::Lookup::Found(b) => html(&b),
            // No good build yet: the errors are the page.
            _ => html(b"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>gongkai</title></head><body><p>404</p></body></html>"),
        };
        respond(
            stream,
            "404 Not Found",
            &[("Content-Type", "text/html; charset=utf-8".into())],
            &body,
            head,
        )
    };
    match resolve(&exists, &base_path, target) {
        Resolved::File(f) => match state.get(&f) {
            super::Lookup::Found(body) => {
                let ct = content_type(&f);
                let body = if ct.starts_with("text/html") {
                    html(&body)
                } else {
                    body.to_vec()
                };
                respond(&mut stream, "200 OK", &[("Content-Type", ct.into())], &body, head)
            }
            super::Lookup::Failed(e) => respond(
                &mut stream,
                "500 Internal Server Error",
                &[("Content-Type", "text/html; charset=utf-8".into())],
                &inject(b"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>gongkai</title></head><body></body></html>", &live_block(&e)),
                head,
            ),
            super::Lookup::Missing => not_found(&mut stream),
        },
        Resolved::Redirect(to) => respond(&mut stream, "302 Found", &[("Location", to)], b"", head),
        Resolved::Forbidden => respond(
            &mut stream,
            "403 Forbidden",
            &[text()],
            "403 禁止访问".as_bytes(),
            head,
        ),
        Resolved::BadRequest => respond(
            &mut stream,
            "400 Bad Request",
            &[text()],
            b"400 Bad Request",
            head,
        ),
        Resolved::NotFound => not_found(&mut stream),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused_and_paths_map_to_built_files() {
        let built = ["index.html", "a/index.html", "static/style.css"];
        let exists = |p: &str| built.contains(&p);
        let r = |base: &str, t: &str| resolve(&exists, base, t);
        assert_eq!(r("/", "/a/"), Resolved::File("a/index.html".into()));
        assert_eq!(r("/", "/"), Resolved::File("index.html".into()));
        assert_eq!(r("/", "/a"), Resolved::Redirect("/a/".into()));
        assert_eq!(
            r("/", "/static/style.css?v=1"),
            Resolved::File("static/style.css".into())
        );
        assert_eq!(r("/", "/../secret.txt"), Resolved::Forbidden);
        assert_eq!(r("/", "/a/%2e%2e/%2e%2e/secret.txt"), Resolved::Forbidden);
        assert_eq!(r("/", "/a/..%5c..%5csecret.txt"), Resolved::Forbidden);
        assert_eq!(r("/", "/a/%00"), Resolved::Forbidden);
        assert_eq!(r("/", "/nope"), Resolved::NotFound);
        assert_eq!(r("/", "/%ff"), Resolved::BadRequest);
        assert_eq!(r("/", "relative"), Resolved::BadRequest);
        // Under a base path, the site lives below it.
        assert_eq!(
            r("/zwgk/aqsc/", "/zwgk/aqsc/a/"),
            Resolved::File("a/index.html".into())
        );
        assert_eq!(
            r("/zwgk/aqsc/", "/"),
            Resolved::Redirect("/zwgk/aqsc/".into())
        );
        assert_eq!(
            r("/zwgk/aqsc/", "/zwgk/aqsc"),
            Resolved::Redirect("/zwgk/aqsc/".into())
        );
        assert_eq!(r("/zwgk/aqsc/", "/a/"), Resolved::NotFound);
    }

    #[test]
    fn the_live_block_goes_before_the_end_of_the_body() {
        let page = b"<html><body><p>x</p></body></html>";
        let out = String::from_utf8(inject(page, &live_block(""))).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><!--gongkai-live--><script>"));
        assert!(out.ends_with("<!--/gongkai-live--></body></html>"));
        assert!(!out.contains("gongkai-errors"));
        let bad = live_block("content/a.md:3: <bad>");
        assert!(bad.contains("role=\"alert\"") && bad.contains("content/a.md:3: &lt;bad&gt;"));
    }
}
