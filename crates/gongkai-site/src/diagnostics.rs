//! Problems found in a site's input, each tied to a file and line so a publisher can fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// An error stops the build; a warning is printed and, with `--deny-warnings`, stops it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

/// One problem in the input: where it is, what is wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path relative to the site root, as the publisher sees it.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
    pub severity: Severity,
}

impl Diagnostic {
    pub fn new(file: impl AsRef<Path>, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.as_ref().to_path_buf(),
            line,
            column: None,
            message: message.into(),
            hint: None,
            severity: Severity::Error,
        }
    }

    /// The same problem as a warning: reported, but the build goes on.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line:column`, the form editors and terminals make clickable.
    pub fn location(&self) -> String {
        let file = self.file.display();
        match (self.line, self.column) {
            (0, _) => format!("{file}"),
            (l, Some(c)) => format!("{file}:{l}:{c}"),
            (l, None) => format!("{file}:{l}"),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => gongkai_i18n::tr!("diag.error"),
            Severity::Warning => gongkai_i18n::tr!("diag.warning"),
        };
        write!(f, "{kind}{}\n  --> {}", self.message, self.location())?;
        if let Some(hint) = &self.hint {
            write!(f, "\n   = {}{hint}", gongkai_i18n::tr!("diag.hint"))?;
        }
        Ok(())
    }
}

/// Every problem of one run, collected so they are all reported at once.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// A run with this one problem.
    pub fn one(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Whether any problem is an error (warnings alone let a build go on).
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
    /// How many errors and how many warnings.
    pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
        let errors = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        (errors, diags.len() - errors)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Sorted by file and line, duplicates removed, so output is stable across runs.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort();
        self.0.dedup();
        self.0
    }
}

/// Closest candidate by character edit distance, for "did you mean" hints.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let name: Vec<char> = name.chars().collect();
    let mut best: Option<(usize, &str)> = None;
    for cand in candidates {
        let c: Vec<char> = cand.chars().collect();
        let d = edit_distance(&name, &c);
        // Accept when at most a third of the longer name differs, or when one contains the other.
        let limit = name.len().max(c.len()).div_ceil(3);
        let contains = cand.contains(&*name.iter().collect::<String>())
            || name.iter().collect::<String>().contains(cand);
        if (d <= limit || contains) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, c)| c)
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_alias_like_names() {
        let units = ["区应急局", "区委宣传部", "区建设管理委"];
        assert_eq!(closest("区应急管理局", units), Some("区应急局"));
        assert_eq!(closest("区委宣传", units), Some("区委宣传部"));
        assert_eq!(closest("市公安局交警支队", units), None);
    }

    #[test]
    fn display_has_location_and_hint() {
        let d = Diagnostic::new("content/a.md", 12, "unknown unit 区应急管理局")
            .column(5)
            .hint("did you mean 区应急局?");
        let s = d.to_string();
        assert!(s.starts_with("错误：unknown unit"), "{s}");
        assert!(s.contains("content/a.md:12:5"), "{s}");
        assert!(s.contains("提示：did you mean 区应急局?"), "{s}");
        let en = gongkai_i18n::with_lang(gongkai_i18n::Lang::En, || d.to_string());
        assert!(en.contains("hint: did you mean"), "{en}");
    }
}
