//! The one place YAML is parsed (front matter and `site.yaml`), so the YAML crate can be swapped
//! without touching the rest, and so every YAML error becomes a located diagnostic.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;

/// Parses `text`, which starts at line `line_offset + 1` of `file`.
pub fn from_str<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    serde_yaml_ng::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((line_offset + 1, None), |l| {
            (l.line() + line_offset, Some(l.column()))
        });
        let raw = e.to_string();
        // The crate appends " at line X column Y"; we show the location ourselves.
        let message = raw.split(" at line ").next().unwrap_or(&raw).to_string();
        let mut d = Diagnostic::new(file, line, format!("YAML: {message}"));
        if let Some(c) = column {
            d = d.column(c);
        }
        d.hint(hint_for(&message))
    })
}

fn hint_for(message: &str) -> String {
    if message.contains("unknown field") {
        "check the spelling of the field name; the fields this place accepts are listed above"
            .into()
    } else if message.contains("invalid type") {
        "the value has the wrong type: quote text (\"…\"), write lists as `- item` lines or [a, b]"
            .into()
    } else if message.contains("mapping values are not allowed")
        || message.contains("did not find expected")
    {
        "a value containing `: ` must be quoted, and items at the same level need the same indentation".into()
    } else if message.contains("missing field") {
        "add the missing field".into()
    } else {
        "see the content format in README.md".into()
    }
}

/// The 1-based line (counted from the start of the file) of the first line of `text` that
/// contains `needle`, or the line after the offset when it is not found.
pub fn line_of(text: &str, needle: &str, line_offset: usize) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(line_offset + 1, |i| i + 1 + line_offset)
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
        assert!(err.message.contains("unknown field `yeer`"), "{err}");
    }

    #[test]
    fn line_of_counts_from_the_file_start() {
        assert_eq!(line_of("a: 1\nb: 区应急局\n", "区应急局", 1), 3);
        assert_eq!(line_of("a: 1\n", "zzz", 1), 2);
    }
}
