//! `gongkai serve`: builds the site and serves the output folder over HTTP for a local preview.
//! It binds 127.0.0.1 unless told otherwise and never serves a file outside the output folder.
//! (Watching, incremental rebuilds and live reload are still to come.)

use std::io::{self, BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};

/// What a request resolves to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    Redirect(String),
    Forbidden,
    NotFound,
    BadRequest,
}

/// Binds `addr:port`, or the next free port above it.
pub fn bind(addr: IpAddr, port: u16) -> io::Result<TcpListener> {
    let mut last = None;
    for p in port..port.saturating_add(50) {
        match TcpListener::bind(SocketAddr::new(addr, p)) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free port")))
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

/// Maps a request target to a file inside `root` (which must be canonical), refusing anything
/// that would leave it: `..` (also percent-encoded), backslashes, NUL, and symlinks pointing out.
pub fn resolve(root: &Path, base_path: &str, target: &str) -> Resolved {
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
    let mut file = root.join(rest);
    if file.is_dir() {
        if !path.ends_with('/') {
            return Resolved::Redirect(format!("{path}/"));
        }
        file = file.join("index.html");
    }
    match file.canonicalize() {
        Ok(real) if real.starts_with(root) && real.is_file() => Resolved::File(real),
        Ok(_) => Resolved::Forbidden,
        Err(_) => Resolved::NotFound,
    }
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
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

fn respond(
    stream: &mut TcpStream,
    status: &str,
    headers: &[(&str, String)],
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let mut h = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n",
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

/// Answers one request.
pub fn handle(mut stream: TcpStream, root: &Path, base_path: &str) -> io::Result<()> {
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
    let head = method == "HEAD";
    let text = |_: &str| ("Content-Type", String::from("text/plain; charset=utf-8"));
    match resolve(root, base_path, target) {
        Resolved::File(f) => {
            let body = std::fs::read(&f)?;
            respond(
                &mut stream,
                "200 OK",
                &[("Content-Type", content_type(&f).into())],
                &body,
                head,
            )
        }
        Resolved::Redirect(to) => respond(&mut stream, "302 Found", &[("Location", to)], b"", head),
        Resolved::Forbidden => respond(
            &mut stream,
            "403 Forbidden",
            &[text("")],
            "403 禁止访问".as_bytes(),
            head,
        ),
        Resolved::BadRequest => respond(
            &mut stream,
            "400 Bad Request",
            &[text("")],
            b"400 Bad Request",
            head,
        ),
        Resolved::NotFound => {
            let body = std::fs::read(root.join("404.html")).unwrap_or_else(|_| "404".into());
            respond(
                &mut stream,
                "404 Not Found",
                &[("Content-Type", "text/html; charset=utf-8".into())],
                &body,
                head,
            )
        }
    }
}

/// Serves `root` until the process is stopped.
pub fn run(listener: TcpListener, root: PathBuf, base_path: String) -> io::Result<()> {
    let root = root.canonicalize()?;
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let (root, base) = (root.clone(), base_path.clone());
        std::thread::spawn(move || {
            let _ = handle(stream, &root, &base);
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("out");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/index.html"), "x").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        let root = root.canonicalize().unwrap();
        assert_eq!(
            resolve(&root, "/", "/a/"),
            Resolved::File(root.join("a/index.html"))
        );
        assert_eq!(resolve(&root, "/", "/a"), Resolved::Redirect("/a/".into()));
        assert_eq!(resolve(&root, "/", "/../secret.txt"), Resolved::Forbidden);
        assert_eq!(
            resolve(&root, "/", "/a/%2e%2e/%2e%2e/secret.txt"),
            Resolved::Forbidden
        );
        assert_eq!(
            resolve(&root, "/", "/a/..%5c..%5csecret.txt"),
            Resolved::Forbidden
        );
        assert_eq!(resolve(&root, "/", "/nope"), Resolved::NotFound);
        assert_eq!(resolve(&root, "/", "/%ff"), Resolved::BadRequest);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("link.txt"))
                .unwrap();
            assert_eq!(resolve(&root, "/", "/link.txt"), Resolved::Forbidden);
        }
        // Under a base path, the site lives below it.
        assert_eq!(
            resolve(&root, "/zwgk/aqsc/", "/zwgk/aqsc/a/"),
            Resolved::File(root.join("a/index.html"))
        );
        assert_eq!(
            resolve(&root, "/zwgk/aqsc/", "/"),
            Resolved::Redirect("/zwgk/aqsc/".into())
        );
        assert_eq!(resolve(&root, "/zwgk/aqsc/", "/a/"), Resolved::NotFound);
    }
}
