//! The difference between two versions of a text, character by character as Chinese is read,
//! tidied so that it reads as a few changed phrases rather than a scatter of single characters.

use similar::{Algorithm, ChangeTag};

/// A piece of an inline diff.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum Edit {
    Same(String),
    Deleted(String),
    Inserted(String),
}

/// A run of unchanged characters this short, between two changes, is taken into the change: a
/// lone shared 的 or 和 inside a rewritten phrase is noise to a reader.
const SHORT_SAME: usize = 2;

/// The edits that turn `old` into `new`: runs of same text, and each changed stretch as its
/// deletion followed by its insertion.
pub fn inline(old: &str, new: &str) -> Vec<Edit> {
    let ops = similar::utils::diff_chars(Algorithm::Myers, old, new);
    let is_change = |i: usize| ops.get(i).is_some_and(|(t, _)| *t != ChangeTag::Equal);
    let mut out = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |out: &mut Vec<Edit>, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            out.push(Edit::Deleted(std::mem::take(del)));
        }
        if !ins.is_empty() {
            out.push(Edit::Inserted(std::mem::take(ins)));
        }
    };
    for (i, (tag, text)) in ops.iter().enumerate() {
        match tag {
            ChangeTag::Delete => del.push_str(text),
            ChangeTag::Insert => ins.push_str(text),
            ChangeTag::Equal => {
                let absorbed = i > 0
                    && is_change(i - 1)
                    && is_change(i + 1)
                    && text.chars().count() <= SHORT_SAME;
                if absorbed {
                    del.push_str(text);
                    ins.push_str(text);
                } else {
                    flush(&mut out, &mut del, &mut ins);
                    match out.last_mut() {
                        Some(Edit::Same(s)) => s.push_str(text),
                        _ => out.push(Edit::Same(text.to_string())),
                    }
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuild(edits: &[Edit]) -> (String, String) {
        let (mut old, mut new) = (String::new(), String::new());
        for e in edits {
            match e {
                Edit::Same(s) => {
                    old.push_str(s);
                    new.push_str(s);
                }
                Edit::Deleted(s) => old.push_str(s),
                Edit::Inserted(s) => new.push_str(s),
            }
        }
        (old, new)
    }

    #[test]
    fn edits_rebuild_both_texts() {
        let old = "推进危险化学品专项整治，消除重大隐患。";
        let new = "推进危险化学品和燃气安全专项整治，全面消除重大事故隐患。";
        let edits = inline(old, new);
        assert_eq!(rebuild(&edits), (old.to_string(), new.to_string()));
        assert_eq!(edits[0], Edit::Same("推进危险化学品".into()));
        assert_eq!(edits[1], Edit::Inserted("和燃气安全".into()));
        assert!(edits.contains(&Edit::Inserted("事故".into())));
    }

    #[test]
    fn a_lone_shared_character_joins_the_change() {
        // Only 的 is shared between the two rewritten phrases.
        let edits = inline("甲乙的丙丁。", "戊己的庚辛。");
        assert_eq!(
            edits,
            vec![
                Edit::Deleted("甲乙的丙丁".into()),
                Edit::Inserted("戊己的庚辛".into()),
                Edit::Same("。".into()),
            ]
        );
        assert_eq!(inline("相同", "相同"), vec![Edit::Same("相同".into())]);
    }
}
