//! HTTP for the preview, on hyper and axum: the files of the current [`Preview`] under the
//! site's base path, with the live-reload script and any build errors added to each HTML page as
//! it is sent; `HEAD`, `ETag`/`Last-Modified` with 304, single `Range` requests, MIME types from
//! mime_guess; the reload event stream. Nothing outside the build can be reached: there is no
//! file system behind it. Requests are answered from the last good build while a rebuild runs.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::SystemTime;

use arc_swap::ArcSwap;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::preview::{Lookup, Preview};

/// The path of the live-reload event stream, outside any site's base path.
pub const EVENTS: &str = "/__gongkai/events";

/// What is being served now: the last good build, and the errors of the last change if it
/// failed.
pub struct Current {
    pub preview: Option<Arc<Preview>>,
    pub errors: Arc<String>,
    pub generation: u64,
    /// When this build was made, for `Last-Modified`.
    pub built_at: SystemTime,
    pub base_path: String,
}

/// Shared by the connections and the rebuild loop.
pub struct State {
    pub current: ArcSwap<Current>,
    pub reload: broadcast::Sender<u64>,
    /// The site's folder, for the 核对 pages' records (`.gongkai/review/`), never published.
    pub root: std::path::PathBuf,
}

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

/// Maps a request path to a built file, refusing anything that tries to leave the site: `..`
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

/// The MIME type of a file, by its name; text in UTF-8.
pub fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    if mime.type_() == mime_guess::mime::TEXT
        || mime == mime_guess::mime::APPLICATION_JSON
        || mime.subtype() == "xml"
    {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
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
            "<div id=\"gongkai-errors\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:9999;background:#fff4e5;color:#1a1a1a;border-top:4px solid #8a4b00;padding:1rem;font:16px/1.6 sans-serif\"><strong>{}</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">{}</pre></div>",
            crate::escape::esc(&crate::tr!("serve.overlay")),
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

const BARE_PAGE: &[u8] = b"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>gongkai</title></head><body></body></html>";

fn etag_of(body: &[u8]) -> String {
    format!("\"{:016x}\"", crate::load::fingerprint(body))
}

/// Whether the client's copy is current: its `If-None-Match` holds the tag, or (without one)
/// its `If-Modified-Since` is not before the build.
fn not_modified(headers: &HeaderMap, etag: &str, built_at: SystemTime) -> bool {
    if let Some(inm) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return inm
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == etag || t == "*");
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    let built = httpdate::parse_http_date(&httpdate::fmt_http_date(built_at)).ok();
    matches!((since, built), (Some(s), Some(b)) if s >= b)
}

fn with_headers(mut r: Response, ct: &str) -> Response {
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(ct) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn text(status: StatusCode, body: String) -> Response {
    with_headers((status, body).into_response(), "text/plain; charset=utf-8")
}

/// What a file's answer carries: bytes in memory (pages, data), or a published file that is
/// read in pieces as it is sent, so a large attachment is never held whole.
enum Payload {
    Bytes(Vec<u8>),
    File(std::fs::File, u64),
}

impl Payload {
    fn len(&self) -> u64 {
        match self {
            Payload::Bytes(b) => b.len() as u64,
            Payload::File(_, len) => *len,
        }
    }

    /// A tag that changes with the content: a hash of the bytes, or a file's size and time.
    fn etag(&self) -> String {
        match self {
            Payload::Bytes(b) => etag_of(b),
            Payload::File(f, len) => {
                let modified = f
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("\"{len:x}-{modified:x}\"")
            }
        }
    }

    /// The bytes `start..=end` as a body.
    fn body(self, start: u64, end: u64) -> axum::body::Body {
        match self {
            Payload::Bytes(b) if start == 0 && end + 1 >= b.len() as u64 => b.into(),
            Payload::Bytes(b) => b[start as usize..=end as usize].to_vec().into(),
            Payload::File(mut f, _) => {
                use std::io::{Seek, SeekFrom};
                if let Err(e) = f.seek(SeekFrom::Start(start)) {
                    return axum::body::Body::from(e.to_string());
                }
                let part =
                    tokio::io::AsyncReadExt::take(tokio::fs::File::from_std(f), end + 1 - start);
                axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(part))
            }
        }
    }
}

/// A file's answer: whole, or the one range asked for; 304 when the client has it.
fn file_response(headers: &HeaderMap, body: Payload, ct: &str, built_at: SystemTime) -> Response {
    let etag = body.etag();
    let last_modified = httpdate::fmt_http_date(built_at);
    let len = body.len();
    // A file sent in pieces has no length of its own: it is given, so the client sees the size
    // (and no chunked encoding).
    let sized = |status: StatusCode, body: axum::body::Body, n: u64| {
        let mut r = (status, body).into_response();
        r.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(n));
        r
    };
    let whole = |body: Payload| {
        let end = len.saturating_sub(1);
        sized(StatusCode::OK, body.body(0, end), len)
    };
    let mut r = if not_modified(headers, &etag, built_at) {
        StatusCode::NOT_MODIFIED.into_response()
    } else if let Some(range) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        match http_range_header::parse_range_header(range).and_then(|r| r.validate(len)) {
            Ok(ranges) if ranges.len() == 1 => {
                let (start, end) = (*ranges[0].start(), *ranges[0].end());
                let mut r = sized(
                    StatusCode::PARTIAL_CONTENT,
                    body.body(start, end),
                    end + 1 - start,
                );
                if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}")) {
                    r.headers_mut().insert(header::CONTENT_RANGE, v);
                }
                r
            }
            // Several ranges: the whole file is a valid answer.
            Ok(_) => whole(body),
            Err(_) => {
                let mut r = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                    r.headers_mut().insert(header::CONTENT_RANGE, v);
                }
                r
            }
        }
    } else {
        whole(body)
    };
    let h = r.headers_mut();
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&last_modified) {
        h.insert(header::LAST_MODIFIED, v);
    }
    with_headers(r, ct)
}

/// Answers one request (other than the event stream). Runs off the async threads: a page may
/// have to be rendered.
pub fn answer(cur: &Current, method: &Method, uri: &Uri, headers: &HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, String::new());
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let live = live_block(&cur.errors);
    let html = |body: &[u8]| inject(body, &live);
    let target = uri.path_and_query().map_or("/", |p| p.as_str());
    let exists = |p: &str| cur.preview.as_ref().is_some_and(|s| s.exists(p));
    let get = |p: &str| match &cur.preview {
        Some(s) => s.get(p),
        None => Lookup::Missing,
    };
    let not_found = || {
        let body = match get("404.html") {
            Lookup::Found(b, _) => html(&b),
            // No good build yet: the errors are the page.
            _ => html(BARE_PAGE),
        };
        with_headers(
            (StatusCode::NOT_FOUND, body).into_response(),
            "text/html; charset=utf-8",
        )
    };
    match resolve(&exists, &cur.base_path, target) {
        Resolved::File(f) => match get(&f) {
            Lookup::Found(body, kept) => {
                let ct = content_type(&f);
                let body = if ct.starts_with("text/html") {
                    html(&body)
                } else {
                    body.to_vec()
                };
                let mut r = file_response(headers, Payload::Bytes(body), &ct, cur.built_at);
                // Whether the page was kept from before an edit: for the tests, and for the
                // curious.
                r.headers_mut().insert(
                    "x-gongkai-kept",
                    HeaderValue::from_static(if kept { "yes" } else { "no" }),
                );
                r
            }
            Lookup::File(file, len) => file_response(
                headers,
                Payload::File(file, len),
                &content_type(&f),
                cur.built_at,
            ),
            Lookup::Failed(e) => with_headers(
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    inject(BARE_PAGE, &live_block(&e)),
                )
                    .into_response(),
                "text/html; charset=utf-8",
            ),
            Lookup::Missing => not_found(),
        },
        Resolved::Redirect(to) => {
            let mut r = StatusCode::FOUND.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Resolved::Forbidden => text(StatusCode::FORBIDDEN, "403 禁止访问".into()),
        Resolved::BadRequest => text(StatusCode::BAD_REQUEST, "400 Bad Request".into()),
        Resolved::NotFound => not_found(),
    }
}

/// The axum service: the event stream, and every other path through [`answer`].
pub fn router(state: Arc<State>) -> axum::Router {
    let events_state = state.clone();
    axum::Router::new()
        .route(
            EVENTS,
            axum::routing::get(move || {
                let rx = events_state.reload.subscribe();
                async move {
                    let stream = BroadcastStream::new(rx).filter_map(|g| {
                        g.ok().map(|g| {
                            Ok::<_, Infallible>(
                                Event::default().event("reload").data(g.to_string()),
                            )
                        })
                    });
                    Sse::new(stream).keep_alive(KeepAlive::default())
                }
            }),
        )
        .fallback(move |method: Method, uri: Uri, headers: HeaderMap| {
            let state = state.clone();
            async move {
                let cur = state.current.load_full();
                tokio::task::spawn_blocking(move || answer(&cur, &method, &uri, &headers))
                    .await
                    .unwrap_or_else(|_| text(StatusCode::INTERNAL_SERVER_ERROR, "500".into()))
            }
        })
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
        assert_eq!(
            r("/zwgk/aqsc/", "/zwgk/aqsc/a/"),
            Resolved::File("a/index.html".into())
        );
        assert_eq!(
            r("/zwgk/aqsc/", "/"),
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

    #[test]
    fn types_come_from_names() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("data/plans.json"),
            "application/json; charset=utf-8"
        );
        assert!(content_type("feed.xml").ends_with("xml; charset=utf-8"));
        assert!(content_type("static/x.woff2").starts_with("font/"));
        assert_eq!(content_type("x.unknown"), "application/octet-stream");
    }
}
