//! Writing the plan file: Markdown that renders the document's text exactly (every character
//! Markdown would take as syntax is escaped) under YAML front matter.

use gongkai_model::{FrontMatter, TaskOverride};

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

/// The YAML between the `---` lines of a plan file: the model's front matter, the one the site
/// reads, in its order (title, district, year … the order a publisher reads them), through the
/// YAML serializer, so that any text — quotes, `: `, `#`, line separators — reads back as
/// itself.
///
/// A thin writer around the derived `Serialize`, for one field: the model serializes a
/// [`Period`](gongkai_model::Period) as `{start, end}` (the site's data files want it so), while
/// a plan file writes it as it is read, `2017` or `2016-2020`. The serialized mapping gets that
/// one value replaced, in its place; everything else is written as derived.
pub fn front_matter_yaml(front: &FrontMatter) -> String {
    // Serializing plain strings and lists into YAML cannot fail.
    let Ok(mut value) = serde_yaml_ng::to_value(front) else {
        return String::new();
    };
    if let (Some(map), Some(year)) = (value.as_mapping_mut(), &front.year)
        && let Some(v) = map.get_mut("year")
    {
        *v = serde_yaml_ng::Value::String(year.slug());
    }
    serde_yaml_ng::to_string(&value).unwrap_or_default()
}

/// The one-line fields of the front matter, as the report lists them.
pub fn report_fields(front: &FrontMatter) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("title", front.title.clone().unwrap_or_default()),
        ("district", front.district.clone().unwrap_or_default()),
        ("year", front.year.map(|p| p.slug()).unwrap_or_default()),
    ];
    for (k, v) in [
        ("kind", &front.kind),
        ("issuer", &front.issuer),
        ("doc_number", &front.doc_number),
        ("written", &front.written),
        ("published", &front.published),
        ("index_number", &front.index_number),
        ("topic", &front.topic),
        ("status", &front.status),
        ("validity", &front.validity),
        ("disclosure", &front.disclosure),
        ("source", &front.source),
    ] {
        if let Some(v) = v {
            out.push((k, v.clone()));
        }
    }
    out
}

/// Responsibility the importer states for a task in front matter (a notation written once
/// after a group of tasks, units named inside its text): a list it has no names for is left
/// out, not written empty.
pub fn task_override(
    number: String,
    lead: Vec<String>,
    support: Vec<String>,
    persons: Vec<String>,
) -> TaskOverride {
    let given = |v: Vec<String>| (!v.is_empty()).then_some(v);
    TaskOverride {
        number,
        lead: given(lead),
        support: given(support),
        persons: given(persons),
        ..TaskOverride::default()
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
    fn front_matter_reads_back_whatever_the_text() {
        for s in [
            "静安区2017年安全生产工作意见",
            "2017",
            "a: b # c",
            "- x",
            "“十三五”规划",
            "true",
            "区\u{2028}应急局",
            "'\"",
        ] {
            let f = FrontMatter {
                title: Some(s.into()),
                year: gongkai_model::Period::parse("2017"),
                notice: Some(format!("{s}\n\n第二段")),
                ..FrontMatter::default()
            };
            let back: gongkai_model::FrontMatter =
                serde_yaml_ng::from_str(&front_matter_yaml(&f)).unwrap();
            assert_eq!(back.title.as_deref(), Some(s));
            assert_eq!(back.notice, Some(format!("{s}\n\n第二段")));
        }
    }
}
