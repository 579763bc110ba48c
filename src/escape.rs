//! Escaping by context: every value a publisher wrote or a visitor sent is written through one
//! of these, for the context it lands in — HTML text and attributes, JSON inside `<script>`,
//! XML (sitemap, feed) and CSV cells (against formulas). Templates escape HTML themselves
//! (Tera's autoescape); these serve what Rust writes.

use serde::Serialize;

/// JSON to put inside a `<script>` element: `<`, `>` and `&` written as `\u003c` … so that no
/// value can end the element (`</script>`) or start a comment (`<!--`) that swallows the page,
/// and U+2028/U+2029 escaped for old JavaScript parsers. The JSON means the same.
pub fn script_json(v: &impl Serialize) -> String {
    let json = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(json.len());
    for ch in json.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// HTML-escapes text for element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for XML: escaped, and without the characters XML 1.0 forbids (C0 controls but tab
/// and line ends), which would make the whole feed unreadable to a feed reader.
pub fn xml(s: &str) -> String {
    let allowed = |c: &char| {
        (!c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            && !matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    esc(&s.chars().filter(allowed).collect::<String>())
}

/// A CSV cell that a spreadsheet would take as a formula (`=`, `+`, `-`, `@`, a tab or a carriage
/// return first) gets a leading `'`, as OWASP recommends against CSV injection: Excel shows the
/// text and runs nothing. Other cells are written as they are.
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_script_cannot_end_it() {
        let v = serde_json::json!({"name": "浦东<!--<script>要点</script>&\u{2028}"});
        let s = script_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        assert!(!s.contains('\u{2028}'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn html_escapes_attributes_and_text() {
        assert_eq!(
            esc("x\" onmouseover=\"a<b>&'"),
            "x&quot; onmouseover=&quot;a&lt;b&gt;&amp;&#39;"
        );
    }

    #[test]
    fn xml_drops_what_xml_forbids() {
        assert_eq!(xml("a\u{1}b<\u{c}"), "ab&lt;");
        assert_eq!(xml("a\tb\n"), "a\tb\n");
    }

    #[test]
    fn csv_cells_cannot_be_formulas() {
        for f in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_cell(f).starts_with('\''), "{f}");
        }
        assert_eq!(csv_cell("区应急局"), "区应急局");
    }
}
