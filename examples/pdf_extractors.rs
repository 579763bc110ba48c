//! Compares PDF text extractors on PDFs that have their source text beside them
//! (`NAME.pdf` and `NAME.txt`): how much of the source's Chinese text each gets back, in
//! order (the longest common subsequence of CJK characters and digits, over the source's), how
//! many files each fails on, and its time. The candidates: pdf-extract (what `import` uses),
//! lopdf's own `extract_text`, and poppler's pdftotext (a C++ program, the reference).
//!
//! `cargo run --release --example pdf_extractors -- DIR…`

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn wanted(c: char) -> bool {
    gongkai::body::is_wide(c) && !matches!(c, '，' | '。' | '、' | '：' | '；' | '（' | '）')
        || c.is_ascii_digit()
}

fn lcs(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn pdf_extract(bytes: &[u8]) -> Option<String> {
    std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes).ok())
        .ok()
        .flatten()
}

fn lopdf_text(bytes: &[u8]) -> Option<String> {
    std::panic::catch_unwind(|| {
        let doc = lopdf::Document::load_mem(bytes).ok()?;
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        doc.extract_text(&pages).ok()
    })
    .ok()
    .flatten()
}

fn pdftotext(path: &Path) -> Option<String> {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[derive(Default)]
struct Tally {
    got: usize,
    of: usize,
    /// Source lines (short enough not to wrap on the page) found whole as a line.
    lines: usize,
    lines_of: usize,
    failed: usize,
    time: Duration,
}

fn main() {
    let mut dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.first().is_some_and(|a| a == "--show") {
        // Show the first lines each extractor gives for one file.
        let path = PathBuf::from(dirs.get(1).cloned().unwrap_or_default());
        let bytes = std::fs::read(&path).unwrap_or_default();
        for (name, text) in [
            ("pdf-extract", pdf_extract(&bytes)),
            ("lopdf", lopdf_text(&bytes)),
            ("pdftotext", pdftotext(&path)),
        ] {
            println!("== {name}");
            for l in text
                .unwrap_or_default()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .take(12)
            {
                println!("{l}");
            }
        }
        dirs.clear();
        return;
    }
    let mut pdfs: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf") && p.with_extension("txt").exists())
        .collect();
    pdfs.sort();
    let mut tallies: [(&str, Tally); 3] = [
        ("pdf-extract", Tally::default()),
        ("lopdf", Tally::default()),
        ("pdftotext", Tally::default()),
    ];
    for pdf in &pdfs {
        let bytes = std::fs::read(pdf).unwrap_or_default();
        let source: Vec<char> = std::fs::read_to_string(pdf.with_extension("txt"))
            .unwrap_or_default()
            .chars()
            .filter(|c| wanted(*c))
            .collect();
        for (name, t) in tallies.iter_mut() {
            let start = Instant::now();
            let text = match *name {
                "pdf-extract" => pdf_extract(&bytes),
                "lopdf" => lopdf_text(&bytes),
                _ => pdftotext(pdf),
            };
            t.time += start.elapsed();
            t.of += source.len();
            let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let source_lines: Vec<String> = std::fs::read_to_string(pdf.with_extension("txt"))
                .unwrap_or_default()
                .lines()
                .map(squash)
                .filter(|l| (4..=30).contains(&l.chars().count()))
                .collect();
            t.lines_of += source_lines.len();
            match text {
                Some(text) => {
                    let got: Vec<char> = text.chars().filter(|c| wanted(*c)).collect();
                    t.got += lcs(&source, &got);
                    let lines: std::collections::HashSet<String> =
                        text.lines().map(squash).collect();
                    t.lines += source_lines.iter().filter(|l| lines.contains(*l)).count();
                }
                None => t.failed += 1,
            }
        }
    }
    println!("{} PDFs", pdfs.len());
    for (name, t) in &tallies {
        println!(
            "{name:<12} text recovered {:.1} % ({} of {} characters), short lines kept whole {:.1} % ({} of {}), failed on {}, {:.0} ms",
            100.0 * t.got as f64 / t.of.max(1) as f64,
            t.got,
            t.of,
            100.0 * t.lines as f64 / t.lines_of.max(1) as f64,
            t.lines,
            t.lines_of,
            t.failed,
            t.time.as_secs_f64() * 1000.0
        );
    }
}
