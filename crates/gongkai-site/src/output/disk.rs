//! A site opened from a disk (`file://`): a browser shows a folder's listing, not its
//! `index.html`, so every relative link to a folder is made to name the file (`../` →
//! `../index.html`, `a/#x` → `a/index.html#x`). Done on the parsed page with lol_html, so only
//! links are touched — in any quoting, any case — and never text that looks like one.

use lol_html::{RewriteStrSettings, element, rewrite_str};

/// The link to a folder's index file, for a relative link that ends in `/`.
fn index_link(value: &str) -> Option<String> {
    let (path, rest) = match value.find(['#', '?']) {
        Some(i) => value.split_at(i),
        None => (value, ""),
    };
    let relative = !path.is_empty() && !path.starts_with('/') && !path.contains(':');
    (relative && path.ends_with('/')).then(|| format!("{path}index.html{rest}"))
}

/// Rewrites the links of a page for a site opened from a disk.
pub fn for_disk(html: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(html) else {
        return html.to_vec();
    };
    let rewrite = |attr: &'static str| {
        move |el: &mut lol_html::html_content::Element| {
            if let Some(v) = el.get_attribute(attr)
                && let Some(new) = index_link(&v)
            {
                el.set_attribute(attr, &new)?;
            }
            Ok(())
        }
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("[href]", rewrite("href")))
        .append_element_content_handler(element!("form[action]", rewrite("action")));
    match rewrite_str(text, settings) {
        Ok(s) => s.into_bytes(),
        Err(_) => html.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::for_disk;

    fn f(s: &str) -> String {
        String::from_utf8(for_disk(s.as_bytes())).unwrap()
    }

    #[test]
    fn folder_links_name_their_index_file() {
        assert_eq!(
            f(r#"<a href="../">x</a>"#),
            r#"<a href="../index.html">x</a>"#
        );
        assert_eq!(
            f(r#"<a href="../../shili/2024/a/#task-3">x</a>"#),
            r#"<a href="../../shili/2024/a/index.html#task-3">x</a>"#
        );
        // Any quoting and case of the attribute.
        assert!(f("<a href='../'>x</a>").contains("../index.html"));
        assert!(f("<A HREF=\"./\">x</A>").contains("./index.html"));
        assert!(f("<form action=\"../search/\"></form>").contains("../search/index.html"));
    }

    #[test]
    fn other_links_and_text_stay() {
        for same in [
            r##"<a href="#task-3">x</a>"##,
            r#"<a href="https://e.gov.cn/a/">x</a>"#,
            r#"<a href="/zwgk/aqsc/">x</a>"#,
            r#"<a href="plan.json">x</a>"#,
            r#"<link rel="stylesheet" href="../static/style.css">"#,
            "<p>见 ?q=a/ 和 href=\"../\" 的写法</p>",
        ] {
            assert_eq!(f(same), same);
        }
    }
}
