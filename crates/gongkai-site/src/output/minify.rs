//! Minifying pages with minify-html, set to keep them valid HTML: closing tags and the `html`
//! and `head` opening tags stay, attribute values lose their quotes only where HTML allows it,
//! and CSS and JavaScript are left alone (the stylesheet is a static file; the inline scripts
//! are a few lines). The options that make output a validator refuses (minify-html #109) are
//! never turned on.

use std::sync::LazyLock;

static CFG: LazyLock<minify_html::Cfg> = LazyLock::new(|| minify_html::Cfg {
    keep_closing_tags: true,
    keep_html_and_head_opening_tags: true,
    minify_css: false,
    minify_js: false,
    ..minify_html::Cfg::default()
});

pub fn minify(html: &[u8]) -> Vec<u8> {
    minify_html::minify(html, &CFG)
}

#[cfg(test)]
mod tests {
    use super::minify;

    fn m(s: &str) -> String {
        String::from_utf8(minify(s.as_bytes())).unwrap()
    }

    #[test]
    fn whitespace_goes_where_it_cannot_show_and_stays_where_it_can() {
        assert_eq!(m("<p>a  \n b</p>"), "<p>a b</p>");
        // Spaces between inline elements show: around labels, inputs and buttons too.
        assert_eq!(
            m("<p><label for=x>甲</label> <input id=x> <button>乙</button></p>"),
            "<p><label for=x>甲</label> <input id=x> <button>乙</button></p>"
        );
        assert!(m("<pre>  keep\n  this </pre>").contains("  keep\n  this "));
    }

    #[test]
    fn pages_stay_valid_html() {
        let out = m(
            "<!DOCTYPE html>\n<html lang=\"zh\">\n<head><title>t</title></head><body><p>一</p><p title=\"a>b\">二</p></body></html>",
        );
        assert!(
            out.starts_with("<!doctype html><html lang=zh><head>"),
            "{out}"
        );
        assert!(
            out.contains("</p>") && out.contains("</body></html>"),
            "{out}"
        );
        // An attribute value with `>` keeps it.
        assert!(
            out.contains("title=a>b") || out.contains("title=\"a>b\""),
            "{out}"
        );
    }

    #[test]
    fn json_in_scripts_is_kept_as_written() {
        let s = "<script type=\"application/ld+json\">{\"a\": \"\\u003c\"}</script>";
        assert!(m(s).contains("{\"a\": \"\\u003c\"}"), "{}", m(s));
    }
}
