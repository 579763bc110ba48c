//! Write: pages and data go to a fresh folder beside `output/`, which replaces `output/` only once
//! everything is written. A failed build leaves the previous `output/` as it was.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Mutex;

mod guard;
mod staging;

pub use guard::{Refusal, check_target};
pub use staging::Staging;

/// Where a build writes: a staging folder that becomes `output/`, or memory for the preview.
pub trait Sink: Sync {
    /// Writes a whole file at a site-relative path.
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Writes a file as `fill` produces it; returns its size.
    fn stream(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<u64>;
}

/// Built files by site-relative path.
pub type Files = BTreeMap<String, Vec<u8>>;

/// A build kept in memory, for `serve`: nothing is written to disk, so a preview never leaves a
/// half-built `output/`.
#[derive(Default)]
pub struct Memory {
    files: Mutex<Files>,
}

impl Memory {
    pub fn into_files(self) -> Files {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Memory {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(rel.to_string(), bytes.to_vec());
        Ok(())
    }

    fn stream(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<u64> {
        let mut buf = Vec::new();
        fill(&mut buf)?;
        let n = buf.len() as u64;
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(rel.to_string(), buf);
        Ok(n)
    }
}

/// Elements around which whitespace never shows: between two of these tags, whitespace is
/// layout of the source, not text.
const BLOCK: &[&[u8]] = &[
    b"html",
    b"head",
    b"body",
    b"meta",
    b"link",
    b"title",
    b"script",
    b"style",
    b"header",
    b"footer",
    b"main",
    b"nav",
    b"section",
    b"article",
    b"aside",
    b"div",
    b"p",
    b"ul",
    b"ol",
    b"li",
    b"dl",
    b"dt",
    b"dd",
    b"table",
    b"thead",
    b"tbody",
    b"tfoot",
    b"tr",
    b"th",
    b"td",
    b"caption",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"figure",
    b"figcaption",
    b"hr",
    b"br",
    b"blockquote",
    b"!doctype",
    b"svg",
    b"g",
    b"desc",
    b"line",
    b"polyline",
    b"circle",
    b"rect",
    b"polygon",
    b"form",
    b"label",
    b"input",
    b"button",
];

/// Elements whose text is kept exactly as written.
const RAW: &[&[u8]] = &[b"pre", b"textarea", b"script", b"style"];

/// The lower-cased name of the tag that starts at `html[at]` (`<`), without a leading `/`.
fn tag_name(html: &[u8], at: usize) -> &[u8] {
    let start = at + 1 + usize::from(html.get(at + 1) == Some(&b'/'));
    let end = html[start.min(html.len())..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'!' || *b == b'-'))
        .map_or(html.len(), |n| start + n);
    &html[start.min(end)..end]
}

fn is_in(name: &[u8], set: &[&[u8]]) -> bool {
    set.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// Minifies a page by its whitespace, which is all our templates and Markdown leave to remove:
/// a run of whitespace next to a block-level tag goes, any other run becomes one space, and
/// `pre`, `textarea`, `script` and `style` keep theirs. Tags, attributes and quotes stay as
/// written, so the page stays valid HTML. (A full HTML minifier took a third of a build's time
/// for a few per cent fewer bytes.)
pub fn minify(html: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len());
    let mut i = 0;
    // The tag names on either side of the whitespace run being looked at.
    let mut last_tag_block = true;
    while i < html.len() {
        let b = html[i];
        if b == b'<' {
            let name = tag_name(html, i);
            let closing = html.get(i + 1) == Some(&b'/');
            let end = html[i..]
                .iter()
                .position(|&c| c == b'>')
                .map_or(html.len(), |n| i + n + 1);
            out.extend_from_slice(&html[i..end]);
            i = end;
            if !closing && is_in(name, RAW) {
                // Copy everything up to the matching end tag untouched.
                let mut close = b"</".to_vec();
                close.extend_from_slice(name);
                let rest = &html[i..];
                let stop = rest
                    .windows(close.len())
                    .position(|w| w.eq_ignore_ascii_case(&close))
                    .map_or(html.len(), |n| i + n);
                out.extend_from_slice(&html[i..stop]);
                i = stop;
            }
            last_tag_block = is_in(name, BLOCK);
        } else if b.is_ascii_whitespace() {
            let start = i;
            while i < html.len() && html[i].is_ascii_whitespace() {
                i += 1;
            }
            let next_block = html.get(i) == Some(&b'<') && is_in(tag_name(html, i), BLOCK);
            let at_edge = (start > 0 && html[start - 1] == b'>' && last_tag_block) || next_block;
            if !(at_edge || i == html.len() || out.is_empty()) {
                out.push(b' ');
            }
        } else {
            let next = html[i..]
                .iter()
                .position(|c| *c == b'<' || c.is_ascii_whitespace())
                .map_or(html.len(), |n| i + n);
            out.extend_from_slice(&html[i..next]);
            i = next;
        }
    }
    out
}

/// Makes each relative link to a folder name its `index.html` (`../` → `../index.html`,
/// `a/#x` → `a/index.html#x`): a browser opening files from a disk shows a folder's listing, not
/// its index page. Links to other hosts, absolute paths and fragments alone are left as they are.
pub fn link_index_files(html: &[u8]) -> Vec<u8> {
    const ATTR: &[u8] = b"href=\"";
    let mut out = Vec::with_capacity(html.len() + html.len() / 50);
    let mut i = 0;
    while let Some(n) = html[i..].windows(ATTR.len()).position(|w| w == ATTR) {
        let start = i + n + ATTR.len();
        out.extend_from_slice(&html[i..start]);
        let end = html[start..]
            .iter()
            .position(|&b| b == b'"')
            .map_or(html.len(), |k| start + k);
        let value = &html[start..end];
        let path_end = value.iter().position(|&b| b == b'#').unwrap_or(value.len());
        let (path, rest) = value.split_at(path_end);
        let relative = !path.is_empty() && !path.starts_with(b"/") && !path.contains(&b':');
        out.extend_from_slice(path);
        if relative && path.ends_with(b"/") {
            out.extend_from_slice(b"index.html");
        }
        out.extend_from_slice(rest);
        i = end;
    }
    out.extend_from_slice(&html[i..]);
    out
}

#[cfg(test)]
mod tests {
    use super::{link_index_files, minify};

    #[test]
    fn links_for_disk_name_index_files() {
        let f = |s: &str| String::from_utf8(link_index_files(s.as_bytes())).unwrap();
        assert_eq!(
            f(r#"<a href="../">x</a>"#),
            r#"<a href="../index.html">x</a>"#
        );
        assert_eq!(
            f(r#"<a href="./">x</a>"#),
            r#"<a href="./index.html">x</a>"#
        );
        assert_eq!(
            f(r#"<a href="../../shili/2024/a/#task-3">x</a>"#),
            r#"<a href="../../shili/2024/a/index.html#task-3">x</a>"#
        );
        for same in [
            r##"<a href="#task-3">x</a>"##,
            r#"<a href="https://e.gov.cn/a/">x</a>"#,
            r#"<a href="/zwgk/aqsc/">x</a>"#,
            r#"<a href="plan.json">x</a>"#,
            r#"<link rel="stylesheet" href="../static/style.css">"#,
        ] {
            assert_eq!(f(same), same);
        }
    }

    fn m(s: &str) -> String {
        String::from_utf8(minify(s.as_bytes())).unwrap()
    }

    #[test]
    fn whitespace_goes_only_where_it_cannot_show() {
        assert_eq!(
            m("<ul>\n<li><a href=\"x\">甲</a>\n<span>乙</span></li>\n</ul>\n"),
            "<ul><li><a href=\"x\">甲</a> <span>乙</span></li></ul>"
        );
        assert_eq!(m("<p>a  \n b</p>"), "<p>a b</p>");
        assert_eq!(
            m("<p>一\n<strong>二</strong> 三</p>"),
            "<p>一 <strong>二</strong> 三</p>"
        );
        assert_eq!(
            m("<pre>  keep\n  this </pre>\n<p> x </p>"),
            "<pre>  keep\n  this </pre><p>x</p>"
        );
        assert_eq!(
            m("<script type=\"application/ld+json\">{\"a\": 1}</script>"),
            "<script type=\"application/ld+json\">{\"a\": 1}</script>"
        );
        assert_eq!(
            m("<!DOCTYPE html>\n<html lang=\"zh\">\n<head>"),
            "<!DOCTYPE html><html lang=\"zh\"><head>"
        );
    }
}
