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
    let mut out = Vec::with_capacity(s.len());
    // Writing to a Vec cannot fail.
    let _ = html_to(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// What [`esc`] writes, written to `out`: Tera's autoescape (`Tera::set_escape_fn`). The same
/// five characters as Tera's own `escape_html`, but the text between them is written in one
/// piece, not a byte at a time through `dyn Write` (what that cost: bench/README.md).
pub fn html_to(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[from..i])?;
        out.write_all(entity)?;
        from = i + 1;
    }
    out.write_all(&bytes[from..])
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

    /// Our autoescape writes exactly what Tera's own would, in one piece or many.
    #[test]
    fn html_escape_matches_teras() {
        for s in [
            "",
            "安全生产",
            "&",
            "<script>alert('x')</script>",
            "\"><img src=x onerror=alert(1)>",
            "a&&b<<c>>d\"\"e''f",
            "区应急局&区消防救援支队（\"牵头\"）'",
            "末尾是<",
        ] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            html_to(s, &mut ours).unwrap();
            tera::escape_html(s, &mut teras).unwrap();
            assert_eq!(ours, teras, "{s}");
            assert_eq!(esc(s).as_bytes(), teras.as_slice());
        }
    }

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
