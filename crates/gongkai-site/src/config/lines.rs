//! Where a problem of `site.yaml` is: the lines its diagnostics point at.

use super::CONFIG_FILE;
use crate::diagnostics::Diagnostic;
use crate::yaml;

/// The text of `site.yaml`, to find the lines of its fields and entries.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lines<'a>(pub &'a str);

impl Lines<'_> {
    fn at(self, needle: &str) -> usize {
        yaml::line_of(self.0, needle, 0)
    }

    /// A top-level field's line (a comment that mentions it is not it).
    fn field(self, key: &str) -> usize {
        self.0
            .lines()
            .position(|l| {
                l.strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
            .map_or_else(|| self.at(key), |i| i + 1)
    }

    /// A problem with the top-level field `key`.
    pub fn field_err(self, key: &str, msg: String) -> Diagnostic {
        Diagnostic::new(CONFIG_FILE, self.field(key), msg)
    }

    /// The line that sets `key` to `value`: the first such line, or the last (a repeated entry).
    pub fn entry(self, key: &str, value: &str, last: bool) -> usize {
        let lines = yaml::lines_of_entry(self.0, key, value);
        let found = if last { lines.last() } else { lines.first() };
        found.copied().unwrap_or_else(|| self.at(value))
    }

    /// A problem with the entry that sets `key` to `value`, on its last such line.
    pub fn entry_err(self, key: &str, value: &str, msg: String) -> Diagnostic {
        Diagnostic::new(CONFIG_FILE, self.entry(key, value, true), msg)
    }

    /// A slug's line: where it is written, or the entry's name when it was made from the name.
    pub fn slug(self, written: &Option<String>, name: &str) -> usize {
        match written {
            Some(s) => self.entry("slug", s, false),
            None => self.entry("name", name, false),
        }
    }

    /// Where a repeated slug is: its last `slug:` line, or the entry's name when it was made
    /// from it.
    pub fn repeated_slug(self, slug: &str, name: &str) -> usize {
        yaml::lines_of_entry(self.0, "slug", slug)
            .last()
            .copied()
            .unwrap_or_else(|| self.entry("name", name, true))
    }
}
