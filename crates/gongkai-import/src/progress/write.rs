//! Adding progress reports to a plan's progress file (`<plan>.progress.yaml`): made when there
//! is none; else edited with yaml-edit, which keeps the publisher's comments, order and quoting.
//! The result is parsed back and must hold exactly the reports it held plus the new ones, or
//! nothing is written.

use std::path::Path;
use std::str::FromStr;

use yaml_edit::{Document, Mapping, Sequence, SequenceBuilder};

use gongkai_i18n::tr;
use gongkai_model::{ProgressFile, ProgressSpec};

use super::error::ProgressError;

/// The progress file's new text: `existing` (if any) with `entries` added at the end of its
/// `progress:` list. `title` and `from` name the plan and the table in a new file's comment.
pub fn merged(
    existing: Option<&str>,
    title: &str,
    from: &str,
    entries: &[ProgressSpec],
) -> Result<String, ProgressError> {
    let yaml_err = |e: &dyn std::fmt::Display| ProgressError::Yaml(e.to_string());
    let existing = existing.filter(|t| !t.trim().is_empty());
    let Some(text) = existing else {
        #[derive(serde::Serialize)]
        struct New<'a> {
            progress: &'a [ProgressSpec],
        }
        let body =
            serde_yaml_ng::to_string(&New { progress: entries }).map_err(|e| yaml_err(&e))?;
        // Comments are ours; the title and file name are the publisher's, on lines of their own.
        let one_line = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    // Anything a YAML reader might take for a line end would end the comment.
                    if c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}') {
                        ' '
                    } else {
                        c
                    }
                })
                .collect()
        };
        return Ok(format!(
            "# {}\n# {}\n{body}",
            tr!("progress.file_comment", title = one_line(title)),
            tr!("progress.file_comment_from", file = one_line(from)),
        ));
    };
    let doc = Document::from_str(text).map_err(|e| yaml_err(&e))?;
    let root = doc.as_mapping().ok_or(ProgressError::NotMapping)?;
    let built: Vec<Document> = entries
        .iter()
        .map(|e| {
            let yaml = serde_yaml_ng::to_string(e).map_err(|x| yaml_err(&x))?;
            Document::from_str(&yaml).map_err(|x| yaml_err(&x))
        })
        .collect::<Result<_, ProgressError>>()?;
    let mappings = built
        .iter()
        .map(|d| d.as_mapping().ok_or(ProgressError::NotMapping))
        .collect::<Result<Vec<_>, ProgressError>>()?;
    match root.get_sequence("progress") {
        Some(seq) => {
            if let Some(t) = appended(text, &seq, &mappings) {
                return Ok(t);
            }
            for m in &mappings {
                seq.push(m);
            }
        }
        None if root
            .get("progress")
            .is_some_and(|v| !matches!(v.to_string().trim(), "" | "~" | "null")) =>
        {
            return Err(ProgressError::NotList);
        }
        None => {
            let mut b = SequenceBuilder::new();
            for m in &mappings {
                b = b.item(m);
            }
            let seq = b.build_document();
            let s = seq.as_sequence().ok_or(ProgressError::NotMapping)?;
            root.set("progress", s);
        }
    }
    Ok(doc.to_string())
}

/// `text` with `entries` added at the end of its block sequence `seq`, as `Sequence::push`
/// adds them, in time linear in their number: a push rebuilds the whole sequence, so a push
/// for each row of a large table was quadratic. Each entry is pushed into a small document of
/// one entry at the sequence's column, and the texts are put in after the sequence at once.
/// `None` (the caller pushes one by one) when that does not give what a push gives for the
/// first entry: a flow sequence, a file without a final line break, another layout.
fn appended(text: &str, seq: &Sequence, entries: &[Mapping]) -> Option<String> {
    let first = entries.first()?;
    if seq.is_flow_style() {
        return None;
    }
    let column = seq.start_position(text).column.checked_sub(1)?;
    let base = format!("progress:\n{}- x: 1\n", " ".repeat(column));
    let render = |m: &Mapping| -> Option<String> {
        let doc = Document::from_str(&base).ok()?;
        doc.as_mapping()?.get_sequence("progress")?.push(m);
        doc.to_string()
            .strip_prefix(base.as_str())
            .map(str::to_string)
    };
    // Where the entries go: the end of the sequence, at the start of a line.
    let end = usize::try_from(seq.byte_range().end).ok()?;
    let at = if text.get(..end)?.ends_with('\n') {
        end
    } else if text.get(end..)?.starts_with('\n') {
        end + 1
    } else {
        return None;
    };
    // What one push gives, to compare with.
    let pushed = {
        let doc = Document::from_str(text).ok()?;
        doc.as_mapping()?.get_sequence("progress")?.push(first);
        doc.to_string()
    };
    let one = render(first)?;
    if format!("{}{one}{}", &text[..at], &text[at..]) != pushed {
        return None;
    }
    let mut out = String::with_capacity(text.len() + one.len() * entries.len());
    out.push_str(&text[..at]);
    out.push_str(&one);
    for m in &entries[1..] {
        out.push_str(&render(m)?);
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// Checks that `new_text` reads back as `old` with `entries` added, and nothing else changed.
pub fn check(
    old: &ProgressFile,
    entries: &[ProgressSpec],
    new_text: &str,
    rel: &Path,
) -> Result<(), ProgressError> {
    let parsed: ProgressFile =
        gongkai_site::yaml::from_str(new_text, rel, 0).map_err(ProgressError::ReadBack)?;
    let mut want = old.progress.clone();
    want.extend(entries.iter().cloned());
    if parsed.progress != want || parsed.results != old.results {
        return Err(ProgressError::Differs);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::{EvidenceFull, EvidenceSpec};

    fn entry(task: &str, text: &str) -> ProgressSpec {
        ProgressSpec {
            task: task.into(),
            date: "2024-06-30".into(),
            status: "推进中".into(),
            text: Some(text.into()),
            evidence: vec![
                EvidenceSpec::Plain("https://www.example.gov.cn/a.html".into()),
                EvidenceSpec::Full(EvidenceFull {
                    title: Some("材料".into()),
                    url: None,
                    file: Some("sources/x.pdf".into()),
                }),
            ],
            reporter: Some("区应急局".into()),
        }
    }

    #[test]
    fn comments_and_order_are_kept_and_entries_read_back() {
        let old = "# 各部门在这里更新\nprogress:\n  # 第一季度\n  - task: 1\n    date: 2024-03-01\n    status: 推进中\nresults: []\n";
        let parsed: ProgressFile = serde_yaml_ng::from_str(old).unwrap();
        let new = [entry("2", "排查隐患: 1200处 #1 \"引号\"\n第二行")];
        let text = merged(Some(old), "标题", "表.xlsx", &new).unwrap();
        assert!(
            text.starts_with("# 各部门在这里更新\nprogress:\n  # 第一季度\n"),
            "{text}"
        );
        check(&parsed, &new, &text, Path::new("x.progress.yaml")).unwrap();
        // A check that a lost entry fails.
        assert!(check(&parsed, &[], &text, Path::new("x")).is_err());
    }

    #[test]
    fn a_new_file_reads_back() {
        let new = [entry("a1", "完成"), entry("3", "- 列表符号开头")];
        let text = merged(None, "示例区\n2024\u{2028}x: 1\u{85}", "表.csv", &new).unwrap();
        assert!(text.starts_with("# "), "{text}");
        check(&ProgressFile::default(), &new, &text, Path::new("x")).unwrap();
        // A file with results but no progress list gets one.
        let old = "results:\n  - indicator: 生产安全事故起数\n    year: 2024\n    value: 3\n";
        let parsed: ProgressFile = serde_yaml_ng::from_str(old).unwrap();
        let text = merged(Some(old), "t", "f", &new).unwrap();
        check(&parsed, &new, &text, Path::new("x")).unwrap();
        assert!(merged(Some("progress: 3\n"), "t", "f", &new).is_err());
    }
}
