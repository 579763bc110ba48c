//! What an import recognised, repaired, dropped and could not place, for the publisher to check.
//! Printed in the publisher's language (Chinese by default) through `tr!`.

use std::fmt;

use gongkai_i18n::tr;

#[derive(Debug, Default)]
pub struct Repairs {
    /// Runs of spaces removed from inside Chinese text.
    pub cjk_spaces: usize,
    /// `- ` markers removed from the start of lines.
    pub list_markers: usize,
    /// Lines a web copy ran together, split again.
    pub split_lines: usize,
    /// Table bars left at the end of cells copied one per line.
    pub cell_bars: usize,
    /// Lines joined to the line before them: (first line, joined line, why: a key under
    /// `import.why.`).
    pub joined: Vec<(usize, usize, &'static str)>,
    /// Groups of tasks given the responsibility written once after them (their numbers).
    pub group_notes: Vec<String>,
    /// Task tables that arrived as text (one cell per line, or cells apart by spaces), rebuilt.
    pub text_tables: usize,
}

/// Lines left out of the plan file, because they are not plan text or are shown otherwise.
#[derive(Debug)]
pub struct Dropped {
    pub from: usize,
    pub to: usize,
    pub reason: String,
}

/// A line kept in the text whose role the importer could not tell.
#[derive(Debug)]
pub struct Unplaced {
    pub line: usize,
    pub text: String,
    pub why: String,
}

#[derive(Debug, Default)]
pub struct Counts {
    pub sections: usize,
    pub tasks: usize,
    pub tasks_with_responsibility: usize,
    pub table_tasks: usize,
    pub units: usize,
    pub persons: usize,
    pub indicators: usize,
}

#[derive(Debug, Default)]
pub struct Report {
    pub source: String,
    /// How the document was read: `docx`, `html`, `pdf`, or a text encoding.
    pub encoding: String,
    /// The files written (or, in a dry run, that would be).
    pub written: Vec<String>,
    pub dry_run: bool,
    /// Field name and value for each recognised metadata field.
    pub fields: Vec<(&'static str, String)>,
    pub notice_paragraphs: usize,
    pub imprint_lines: usize,
    pub counts: Counts,
    pub repairs: Repairs,
    pub dropped: Vec<Dropped>,
    pub unplaced: Vec<Unplaced>,
    /// Text that looks like a statement of who is responsible but was not read as one: (line
    /// of the original, the text).
    pub unread: Vec<(usize, String)>,
    pub new_units: Vec<String>,
    pub new_indicators: Vec<String>,
    pub new_district: Option<String>,
    /// (new name, known name it looks like).
    pub possible_aliases: Vec<(String, String)>,
    pub notes: Vec<String>,
    /// What `check` will warn about in the plan written, as `check` says it.
    pub warnings: Vec<String>,
    /// Where the document and the page's metadata block disagree (the document's value is
    /// written): each a message naming both values.
    pub disagreements: Vec<String>,
    /// Why a reader refused the document at a limit of `limits` (a page nested too
    /// deep, a table too large): readers that cannot return an error leave it here, and
    /// [`super::meta::split`] returns it before anything is converted.
    pub refused: Option<String>,
    /// Where the preview shows the review record written (`/_review/…/`).
    pub review: Option<String>,
}

impl Report {
    pub fn drop_lines(&mut self, from: usize, to: usize, reason: impl Into<String>) {
        self.dropped.push(Dropped {
            from,
            to,
            reason: reason.into(),
        });
    }

    pub fn unplaced(&mut self, line: usize, text: &str, why: String) {
        self.unplaced.push(Unplaced {
            line,
            text: text.chars().take(40).collect(),
            why,
        });
    }
}

fn lines(from: usize, to: usize) -> String {
    if from == to {
        tr!("import.report.line", n = from)
    } else {
        tr!("import.report.lines", from = from, to = to)
    }
}

/// The label of a front-matter field in the publisher's language.
fn field_label(k: &str) -> String {
    tr!(&format!("import.field.{k}"))
}

impl Report {
    /// What was repaired (spaces, markers, lines joined …) and left out.
    fn fmt_repairs(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.repairs;
        writeln!(
            f,
            "{}",
            tr!(
                "import.report.repaired",
                spaces = r.cjk_spaces,
                markers = r.list_markers,
                joined = r.joined.len(),
                split = r.split_lines,
                bars = r.cell_bars
            )
        )?;
        for (a, b, why) in &r.joined {
            let why = tr!(&format!("import.why.{why}"));
            writeln!(
                f,
                "  {}",
                tr!("import.report.joined", line = b, to = a, why = why)
            )?;
        }
        for g in &r.group_notes {
            writeln!(f, "  {}", tr!("import.report.group_note", tasks = g))?;
        }
        if !self.dropped.is_empty() {
            writeln!(f, "{}", tr!("import.report.left_out"))?;
            for d in &self.dropped {
                writeln!(f, "  {}：{}", lines(d.from, d.to), d.reason)?;
            }
        }
        Ok(())
    }

    /// What the import adds to site.yaml: a district, units (with likely aliases), indicators.
    fn fmt_additions(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(d) = &self.new_district {
            writeln!(f, "{}", tr!("import.report.new_district", district = d))?;
        }
        if !self.new_units.is_empty() {
            writeln!(
                f,
                "{}",
                tr!(
                    "import.report.new_units",
                    count = self.new_units.len(),
                    units = self.new_units.join("、")
                )
            )?;
        }
        for (new, known) in &self.possible_aliases {
            writeln!(
                f,
                "  {}",
                tr!("import.report.alias", new = new, known = known)
            )?;
        }
        if !self.new_indicators.is_empty() {
            writeln!(
                f,
                "{}",
                tr!(
                    "import.report.new_indicators",
                    count = self.new_indicators.len(),
                    indicators = self.new_indicators.join("、")
                )
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}",
            tr!(
                "import.report.imported",
                file = &self.source,
                format = &self.encoding
            )
        )?;
        for w in &self.written {
            let key = if self.dry_run {
                "import.report.would_write"
            } else {
                "import.report.wrote"
            };
            writeln!(f, "  {}", tr!(key, file = w))?;
        }
        if let Some(url) = self.review.as_ref().filter(|_| !self.dry_run) {
            let url = format!("http://127.0.0.1:{}{url}", super::review::PREVIEW_PORT);
            writeln!(f, "{}", tr!("import.report.review", url = url))?;
        }
        writeln!(f, "{}", tr!("import.report.recognised"))?;
        for (k, v) in &self.fields {
            writeln!(f, "  {}：{v}", field_label(k))?;
        }
        let c = &self.counts;
        writeln!(
            f,
            "  {}",
            tr!(
                "import.report.counts",
                sections = c.sections,
                tasks = c.tasks,
                with = c.tasks_with_responsibility,
                table = c.table_tasks,
                units = c.units,
                persons = c.persons,
                indicators = c.indicators
            )
        )?;
        writeln!(
            f,
            "  {}",
            tr!(
                "import.report.notice",
                notice = self.notice_paragraphs,
                imprint = self.imprint_lines
            )
        )?;
        self.fmt_repairs(f)?;
        self.fmt_additions(f)?;
        for n in &self.notes {
            writeln!(f, "{}", tr!("import.report.note", note = n))?;
        }
        for w in &self.disagreements {
            writeln!(f, "{}{w}", tr!("diag.warning"))?;
        }
        for w in &self.warnings {
            writeln!(f, "{w}")?;
        }
        if !self.unread.is_empty() {
            writeln!(
                f,
                "{}",
                tr!("import.report.unread", count = self.unread.len())
            )?;
            for (line, text) in &self.unread {
                writeln!(f, "  {}：{text}", lines(*line, *line))?;
            }
        }
        if self.unplaced.is_empty() {
            writeln!(f, "{}", tr!("import.report.all_placed"))?;
        } else {
            writeln!(f, "{}", tr!("import.report.check_these"))?;
            for u in &self.unplaced {
                writeln!(f, "  {}：{}（{}）", lines(u.line, u.line), u.text, u.why)?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for super::Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(filled) = &self.filled {
            write!(f, "{filled}")?;
        }
        for (i, r) in self.reports.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{r}")?;
        }
        let total = self.reports.len() + self.failures.len();
        if !self.skipped.is_empty() {
            writeln!(f)?;
            writeln!(
                f,
                "{}",
                tr!("import.report.skipped", count = self.skipped.len())
            )?;
            for (file, why) in &self.skipped {
                writeln!(f, "  {}：{why}", file.display())?;
            }
        }
        if total > 1 || !self.failures.is_empty() {
            if !self.reports.is_empty() {
                writeln!(f)?;
            }
            for (file, e) in &self.failures {
                writeln!(
                    f,
                    "{}",
                    tr!("import.report.failed", file = file.display(), error = e)
                )?;
            }
            let key = if self.dry_run {
                "import.report.summary_dry"
            } else {
                "import.report.summary"
            };
            writeln!(
                f,
                "{}",
                tr!(
                    key,
                    ok = self.reports.len(),
                    failed = self.failures.len(),
                    total = total
                )
            )?;
        }
        Ok(())
    }
}
