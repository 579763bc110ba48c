//! What an import recognised, repaired, dropped and could not place, for the publisher to check.

use std::fmt;

#[derive(Debug, Default)]
pub struct Repairs {
    /// Runs of spaces removed from inside Chinese text.
    pub cjk_spaces: usize,
    /// `- ` markers removed from the start of lines.
    pub list_markers: usize,
    /// Lines joined to the line before them: (first line, joined line, why).
    pub joined: Vec<(usize, usize, &'static str)>,
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
    pub why: &'static str,
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
    pub encoding: String,
    pub written_to: String,
    /// Field name and value for each recognised metadata field.
    pub fields: Vec<(&'static str, String)>,
    pub notice_paragraphs: usize,
    pub imprint_lines: usize,
    pub counts: Counts,
    pub repairs: Repairs,
    pub dropped: Vec<Dropped>,
    pub unplaced: Vec<Unplaced>,
    pub new_units: Vec<String>,
    pub new_indicators: Vec<String>,
    pub new_district: Option<String>,
    /// (new name, known name it looks like).
    pub possible_aliases: Vec<(String, String)>,
    pub notes: Vec<String>,
}

impl Report {
    pub fn drop_lines(&mut self, from: usize, to: usize, reason: impl Into<String>) {
        self.dropped.push(Dropped {
            from,
            to,
            reason: reason.into(),
        });
    }

    pub fn unplaced(&mut self, line: usize, text: &str, why: &'static str) {
        self.unplaced.push(Unplaced {
            line,
            text: text.chars().take(40).collect(),
            why,
        });
    }
}

fn lines(from: usize, to: usize) -> String {
    if from == to {
        format!("line {from}")
    } else {
        format!("lines {from}–{to}")
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "imported {} ({})", self.source, self.encoding)?;
        if !self.written_to.is_empty() {
            writeln!(f, "  wrote {}", self.written_to)?;
        }
        writeln!(f, "recognised:")?;
        for (k, v) in &self.fields {
            writeln!(f, "  {k:<12} {v}")?;
        }
        let c = &self.counts;
        writeln!(
            f,
            "  {} sections, {} tasks ({} with responsibility, {} from annex tables), {} units, {} persons, {} indicators",
            c.sections,
            c.tasks,
            c.tasks_with_responsibility,
            c.table_tasks,
            c.units,
            c.persons,
            c.indicators
        )?;
        writeln!(
            f,
            "  covering notice: {} paragraphs; imprint (版记): {} lines",
            self.notice_paragraphs, self.imprint_lines
        )?;
        let r = &self.repairs;
        writeln!(
            f,
            "repaired: {} spaces inside Chinese text, {} list markers, {} broken lines joined",
            r.cjk_spaces,
            r.list_markers,
            r.joined.len()
        )?;
        for (a, b, why) in &r.joined {
            writeln!(f, "  line {b} joined to line {a} ({why})")?;
        }
        if !self.dropped.is_empty() {
            writeln!(f, "left out (not plan text, or shown as metadata):")?;
            for d in &self.dropped {
                writeln!(f, "  {}: {}", lines(d.from, d.to), d.reason)?;
            }
        }
        if let Some(d) = &self.new_district {
            writeln!(f, "added district {d} to site.yaml")?;
        }
        if !self.new_units.is_empty() {
            writeln!(
                f,
                "added {} units to site.yaml: {}",
                self.new_units.len(),
                self.new_units.join("、")
            )?;
        }
        for (new, known) in &self.possible_aliases {
            writeln!(
                f,
                "  “{new}” looks like “{known}”: if they are one unit, move it under `aliases:` of “{known}”"
            )?;
        }
        if !self.new_indicators.is_empty() {
            writeln!(
                f,
                "added {} indicators to site.yaml: {}",
                self.new_indicators.len(),
                self.new_indicators.join("、")
            )?;
        }
        for n in &self.notes {
            writeln!(f, "note: {n}")?;
        }
        if self.unplaced.is_empty() {
            writeln!(f, "every line was placed.")?;
        } else {
            writeln!(f, "check these lines, kept as plain paragraphs:")?;
            for u in &self.unplaced {
                writeln!(f, "  line {}: {} ({})", u.line, u.text, u.why)?;
            }
        }
        Ok(())
    }
}
