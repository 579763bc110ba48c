//! The one place YAML is parsed (front matter and `site.yaml`), so the YAML crate can be swapped
//! without touching the rest, and so every YAML error becomes a located diagnostic.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;

/// Parses `text`, which starts at line `line_offset + 1` of `file`. A problem is said in the
/// publisher's language, with the field and a hint: a field written with a full-width colon
/// (`title：`), a field indented apart from its entry, a misspelt field with the fields that
/// place takes.
pub fn from_str<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    if text.contains('\\') {
        escaped_hostile_chars(text, file, line_offset)?;
    }
    serde_yaml_ng::from_str(text).map_err(|e| {
        let (mut line, mut column) = e.location().map_or((line_offset + 1, None), |l| {
            (l.line() + line_offset, Some(l.column()))
        });
        let raw = e.to_string();
        // The crate appends " at line X column Y"; we show the location ourselves.
        let raw = raw.split(" at line ").next().unwrap_or(&raw).to_string();
        let (message, hint) = if let Some((l, key)) = full_width_colon(text) {
            line = l + line_offset;
            column = None;
            (
                gongkai_i18n::tr!("yaml.full_width_colon", key = key),
                gongkai_i18n::tr!("yaml.full_width_colon_hint", key = key),
            )
        } else if let Some(field) = between(&raw, "missing field `", "`") {
            match misindented(text, field) {
                Some(l) => {
                    line = l + line_offset;
                    column = None;
                    (
                        gongkai_i18n::tr!("yaml.misindented", field = field),
                        gongkai_i18n::tr!("yaml.misindented_hint", field = field),
                    )
                }
                None => (
                    gongkai_i18n::tr!("yaml.missing_field", field = field),
                    gongkai_i18n::tr!("yaml.missing_field_hint", field = field),
                ),
            }
        } else if let Some(field) = between(&raw, "unknown field `", "`") {
            let expected = raw
                .split_once("expected ")
                .map_or(String::new(), |(_, x)| x.replace('`', ""));
            (
                gongkai_i18n::tr!("yaml.unknown_field", field = field),
                gongkai_i18n::tr!("yaml.unknown_field_hint", expected = expected),
            )
        } else if let Some((at, value)) = raw.split_once(gongkai_model::period::BAD_PERIOD) {
            let detail = format!(
                "{at}{}",
                gongkai_i18n::tr!("model.bad_period", value = value)
            );
            (
                gongkai_i18n::tr!("yaml.syntax", detail = detail),
                gongkai_i18n::tr!("yaml.syntax_hint"),
            )
        } else if raw.contains("invalid type") {
            (
                gongkai_i18n::tr!("yaml.invalid_type", detail = raw),
                gongkai_i18n::tr!("yaml.invalid_type_hint"),
            )
        } else {
            (
                gongkai_i18n::tr!("yaml.syntax", detail = raw),
                gongkai_i18n::tr!("yaml.syntax_hint"),
            )
        };
        let mut d = Diagnostic::new(file, line, message);
        if let Some(c) = column {
            d = d.column(c);
        }
        d.hint(hint)
    })
}

/// A double-quoted YAML string can write any character as an escape (`"\e"`, `"\u202E"`): the
/// file's text is clean, the value is not. Such values are refused like the characters
/// themselves, on the first line that writes an escape.
fn escaped_hostile_chars(text: &str, file: &Path, line_offset: usize) -> Result<(), Diagnostic> {
    fn find(v: &serde_yaml_ng::Value) -> Option<char> {
        use serde_yaml_ng::Value;
        match v {
            Value::String(s) => s.chars().find(|c| crate::input::is_hostile_char(*c)),
            Value::Sequence(items) => items.iter().find_map(find),
            Value::Mapping(m) => m.iter().find_map(|(k, v)| find(k).or_else(|| find(v))),
            Value::Tagged(t) => find(&t.value),
            _ => None,
        }
    }
    let Ok(value) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) else {
        return Ok(()); // the typed parse reports the syntax
    };
    let Some(c) = find(&value) else {
        return Ok(());
    };
    let line = text
        .lines()
        .position(|l| l.contains('\\') && l.contains('"'))
        .unwrap_or(0);
    Err(Diagnostic::new(
        file,
        line + 1 + line_offset,
        gongkai_i18n::tr!("load.control_char", code = format!("U+{:04X}", c as u32)),
    )
    .hint(gongkai_i18n::tr!("load.control_char_hint")))
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// The first line (1-based, within `text`) that writes a field with a full-width colon,
/// `title：…`, and the field.
fn full_width_colon(text: &str) -> Option<(usize, &str)> {
    text.lines().enumerate().find_map(|(i, l)| {
        let t = l.trim_start().trim_start_matches("- ");
        let (key, _) = t.split_once('：')?;
        let is_key = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        is_key.then_some((i + 1, key))
    })
}

/// The line of a `field:` that is indented differently from the lines around it — a field
/// that belongs to a list entry but fell out of it.
fn misindented(text: &str, field: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    lines.iter().enumerate().find_map(|(i, l)| {
        let t = l.trim_start();
        if !t.starts_with(&format!("{field}:")) {
            return None;
        }
        let prev = lines[..i].iter().rev().find(|p| !p.trim().is_empty())?;
        let prev_indent = indent(prev)
            + if prev.trim_start().starts_with("- ") {
                2
            } else {
                0
            };
        (indent(l) != prev_indent).then_some(i + 1)
    })
}

/// The 1-based line (counted from the start of the file) of the first line of `text` that
/// contains `needle`, or the line after the offset when it is not found.
pub fn line_of(text: &str, needle: &str, line_offset: usize) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(line_offset + 1, |i| i + 1 + line_offset)
}

/// The 1-based lines of `text` that set `key` to `value` (`key: value`, `- key: value`, the
/// value plain or quoted, a comment after it), first to last. Finding the value by its text
/// alone would miss a quoted value with escapes and hit the first line that merely mentions it.
pub fn lines_of_entry(text: &str, key: &str, value: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let rest = l.trim_start().trim_start_matches("- ").trim_start();
            let rest = rest.strip_prefix(key)?.trim_start().strip_prefix(':')?;
            let scalar: String = serde_yaml_ng::from_str(rest).ok()?;
            (scalar == value).then_some(i + 1)
        })
        .collect()
}

/// The 1-based lines (counted from the start of `text`, plus `line_offset`) where the entries of
/// the top-level list `key` start, so that a problem with its n-th entry is placed on its line.
pub fn item_lines(text: &str, key: &str, line_offset: usize) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines
        .iter()
        .position(|l| l.trim_end() == format!("{key}:") || l.starts_with(&format!("{key}: ")))
    else {
        return Vec::new();
    };
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut item_indent = None;
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate().skip(start + 1) {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        // The next top-level key ends the list (a list at column 0 starts with `-`).
        if indent(l) == 0 && !t.starts_with('-') {
            break;
        }
        if t.starts_with("- ") || t == "-" {
            let at = indent(l);
            match item_indent {
                None => item_indent = Some(at),
                Some(x) if x != at => continue,
                _ => {}
            }
            out.push(i + 1 + line_offset);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        year: u32,
    }

    #[test]
    fn errors_carry_file_line_and_column() {
        let err = from_str::<T>("title: a\nyear: [1\n", Path::new("c/x.md"), 1).unwrap_err();
        assert_eq!(err.file, Path::new("c/x.md"));
        assert!(err.line >= 3, "{err}");
        let err = from_str::<T>("title: a\nyeer: 2017\n", Path::new("c/x.md"), 1).unwrap_err();
        assert_eq!(err.line, 3, "{err}");
        assert!(err.message.contains("yeer"), "{err}");
        assert!(err.hint.unwrap_or_default().contains("title"));
    }

    #[test]
    fn a_full_width_colon_is_named() {
        let err = from_str::<T>("title：示例\nyear: 2017\n", Path::new("c/x.md"), 1).unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        assert!(
            err.message.contains("title") && err.message.contains("："),
            "{err}"
        );
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct L {
        items: Vec<I>,
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct I {
        name: String,
        target: String,
    }

    #[test]
    fn a_field_out_of_its_entry_is_named() {
        let text = "items:\n  - name: 事故起数\n  target: 10%\n";
        let err = from_str::<L>(text, Path::new("c/x.md"), 1).unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        assert!(
            err.message.contains("target") && err.message.contains("缩进"),
            "{err}"
        );
    }

    #[test]
    fn entries_are_found_by_their_parsed_value() {
        let text = "title: data\nunits:\n  - slug: data # note\n  - slug: \"x\\\" on\"\n    slug: 'a''b'\n";
        assert_eq!(lines_of_entry(text, "slug", "data"), [3]);
        assert_eq!(lines_of_entry(text, "slug", "x\" on"), [4]);
        assert_eq!(lines_of_entry(text, "slug", "a'b"), [5]);
        assert!(lines_of_entry(text, "slug", "b").is_empty());
    }

    #[test]
    fn list_entries_are_placed_on_their_lines() {
        let text = "title: t\nprogress:\n  # a comment\n  - task: 1\n    evidence:\n      - a\n  - task: 2\nresults:\n- x\n";
        assert_eq!(item_lines(text, "progress", 1), [5, 8]);
        assert_eq!(item_lines(text, "results", 0), [9]);
        assert!(item_lines(text, "tasks", 0).is_empty());
    }

    #[test]
    fn line_of_counts_from_the_file_start() {
        assert_eq!(line_of("a: 1\nb: 区应急局\n", "区应急局", 1), 3);
        assert_eq!(line_of("a: 1\n", "zzz", 1), 2);
    }
}
