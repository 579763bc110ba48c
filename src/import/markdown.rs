//! Writing the plan file: Markdown that renders the document's text exactly (every character
//! Markdown would take as syntax is escaped) under YAML front matter.

use std::fmt::Write;

/// Escapes text so that Markdown shows it as written.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.chars().enumerate() {
        let at_start = i == 0;
        let special = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '$'
        ) || (at_start && matches!(c, '#' | '+' | '-' | '=' | ':'));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    // `1. text` and `1) text` would start an ordered list.
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && digits < 10
        && matches!(out.as_bytes().get(digits), Some(b'.' | b')'))
        && matches!(out.as_bytes().get(digits + 1), None | Some(b' ' | b'\t'))
    {
        out.insert(digits, '\\');
    }
    out
}

/// Escapes text for a cell of a pipe table (no line breaks, `|` escaped).
pub fn escape_cell(text: &str) -> String {
    escape(text).replace('\n', " ")
}

/// A YAML scalar: plain when that reads back as the same string, else double-quoted.
pub fn yaml_str(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit() || " -?:,[]{}#&*!|>'\"%@`~".contains(c))
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with([' ', ':'])
        && !matches!(
            s,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
    }
}

/// A multi-line field as a YAML literal block.
pub fn yaml_block(out: &mut String, key: &str, paragraphs: &[String]) {
    if paragraphs.is_empty() {
        return;
    }
    let _ = writeln!(out, "{key}: |-");
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "  {p}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_is_escaped() {
        assert_eq!(escape("1. 加强"), "1\\. 加强");
        assert_eq!(escape("1.加强"), "1.加强");
        assert_eq!(escape("“5+2”重点"), "“5+2”重点");
        assert_eq!(escape("- 列表"), "\\- 列表");
        assert_eq!(escape("字体:[ ]"), "字体:\\[ \\]");
        assert_eq!(escape("a*b*c"), "a\\*b\\*c");
        assert_eq!(escape_cell("甲|乙"), "甲\\|乙");
    }

    #[test]
    fn yaml_scalars_read_back() {
        for s in [
            "静安区2017年安全生产工作意见",
            "10%",
            "2017-02-27",
            "a: b",
            "- x",
            "“十三五”规划",
            "true",
        ] {
            let y = format!("v: {}", yaml_str(s));
            let v: std::collections::BTreeMap<String, String> =
                serde_yaml_ng::from_str(&y).unwrap();
            assert_eq!(v["v"], s, "{y}");
        }
    }
}
