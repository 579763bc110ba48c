//! Writing the plan file: Markdown that renders the document's text exactly (every character
//! Markdown would take as syntax is escaped) under YAML front matter.

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

/// A plan's front matter as the importer writes it, in the order a publisher reads it. Written
/// through the YAML serializer, so that any text — quotes, `: `, `#`, line separators — reads
/// back as itself.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct FrontMatter {
    pub title: String,
    pub district: String,
    pub year: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imprint: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<IndicatorOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<TaskOut>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct IndicatorOut {
    pub name: String,
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
}

/// Responsibility the importer states for a task in front matter (a notation written once
/// after a group of tasks).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TaskOut {
    pub number: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lead: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub support: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<String>,
}

impl FrontMatter {
    /// The YAML between the `---` lines.
    pub fn to_yaml(&self) -> String {
        // Serializing plain strings and lists into YAML cannot fail.
        serde_yaml_ng::to_string(self).unwrap_or_default()
    }

    /// The one-line fields, as the report lists them.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("title", self.title.clone()),
            ("district", self.district.clone()),
            ("year", self.year.clone()),
        ];
        for (k, v) in [
            ("kind", &self.kind),
            ("issuer", &self.issuer),
            ("doc_number", &self.doc_number),
            ("written", &self.written),
            ("published", &self.published),
            ("index_number", &self.index_number),
            ("topic", &self.topic),
            ("status", &self.status),
            ("validity", &self.validity),
            ("disclosure", &self.disclosure),
            ("source", &self.source),
        ] {
            if let Some(v) = v {
                out.push((k, v.clone()));
            }
        }
        out
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
                title: s.into(),
                year: "2017".into(),
                notice: Some(format!("{s}\n\n第二段")),
                ..FrontMatter::default()
            };
            let back: gongkai_model::FrontMatter = serde_yaml_ng::from_str(&f.to_yaml()).unwrap();
            assert_eq!(back.title.as_deref(), Some(s));
            assert_eq!(back.notice, Some(format!("{s}\n\n第二段")));
        }
    }
}
