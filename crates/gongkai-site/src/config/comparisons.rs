//! `comparisons:`, the pairs of plans to compare besides each plan and the one before it in its
//! series.

use serde::Deserialize;

use crate::yaml;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ComparisonEntry {
    from: String,
    to: String,
    #[serde(default)]
    title: Option<String>,
}

/// A comparison the publisher asked for in `site.yaml`, by the paths of its two plans
/// (`shili/2024/aqsc-gongzuo-yijian`), resolved against the plans by validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparisonSpec {
    pub from: String,
    pub to: String,
    pub title: Option<String>,
    /// Line of the entry in `site.yaml`.
    pub line: usize,
}

/// The comparisons, each with its line in `text` (the text of `site.yaml`).
pub(super) fn parse(entries: Vec<ComparisonEntry>, text: &str) -> Vec<ComparisonSpec> {
    let list_line = yaml::line_of(text, "comparisons:", 0);
    let mut after = list_line;
    entries
        .into_iter()
        .map(|c| {
            // Entries are in file order, so each is found after the one before it.
            let line = text
                .lines()
                .enumerate()
                .skip(after)
                .find(|(_, l)| l.contains(c.from.as_str()))
                .map_or(list_line, |(i, _)| i + 1);
            after = line;
            ComparisonSpec {
                from: c.from,
                to: c.to,
                title: c.title,
                line,
            }
        })
        .collect()
}
