//! The CPU time of making the search index alone, without writing it, for bench/README.md:
//!
//!     cargo run --release --example search_index -- SITE_ROOT
//!
//! Loads and validates the site, then makes the index's files as a build does (postings spilled
//! to a scratch file, nothing written) and prints the CPU time (user + system, all threads, from
//! /proc/self/stat) per plan, and the files and bytes made; then again as the preview does,
//! keeping the index in memory. Then it updates that index after an edit to one task of the
//! middle plan, and prints how long that took and what it rewrote.

use std::time::Instant;

/// CPU seconds this process has used so far.
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses: utime and stime are the 12th and
    // 13th of them, in clock ticks (100 a second on Linux).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let Ok(engine) = gongkai::build::check(std::path::Path::new(&root), None) else {
        eprintln!("{root} does not validate");
        std::process::exit(1);
    };
    let site = &engine.site;
    // The traditional → simplified table is made once a process; time it apart.
    let (c0, t0) = (cpu(), Instant::now());
    gongkai::fold::fold("體");
    let (table_cpu, table_wall) = (cpu() - c0, t0.elapsed());
    let n = site.plans.len().max(1);
    let report = |how: &str, c: f64, wall: std::time::Duration, files: usize, bytes: usize| {
        println!(
            "{} plans, {how}: index {:.2} s CPU ({:.3} ms a plan), {:.2} s wall; {files} files, \
             {bytes} bytes",
            site.plans.len(),
            c,
            c * 1000.0 / n as f64,
            wall.as_secs_f64(),
        )
    };
    let (c0, t0) = (cpu(), Instant::now());
    let (mut files, mut bytes) = (0usize, 0usize);
    let scratch = tempfile::tempfile().expect("a scratch file");
    gongkai::search::write(site, scratch, &mut |_, b| {
        files += 1;
        bytes += b.len();
    })
    .expect("the scratch file written");
    report(
        "as a build (not kept)",
        cpu() - c0,
        t0.elapsed(),
        files,
        bytes,
    );
    let (c0, t0) = (cpu(), Instant::now());
    let (mut files, mut bytes) = (0usize, 0usize);
    let mut index = gongkai::search::build(site, &mut |_, b| {
        files += 1;
        bytes += b.len();
    });
    report(
        "kept, as the preview",
        cpu() - c0,
        t0.elapsed(),
        files,
        bytes,
    );
    println!(
        "the folding table {:.2} s CPU, {:.2} s wall, once",
        table_cpu,
        table_wall.as_secs_f64()
    );

    // An edit: the middle plan's first task gets a word more.
    let p = site.plans.len() / 2;
    let old = gongkai::search::plan_docs(site, p);
    let mut new = old.clone();
    if let Some(d) = new.docs.iter_mut().find(|d| d.anchor.starts_with("task-")) {
        d.text.push_str("企鹅");
    }
    let docs = |i: usize| {
        if i == p {
            new.clone()
        } else {
            gongkai::search::plan_docs(site, i)
        }
    };
    let plans = gongkai::search::Plans {
        facets: gongkai::search::facets(site),
        count: site.plans.len(),
        docs: &docs,
    };
    let t0 = Instant::now();
    let update = index.update(&[old], std::slice::from_ref(&new), &plans);
    let written: usize = update.write.iter().map(|(_, b)| b.len()).sum();
    println!(
        "an edit to one task: {:.1} ms; {} files rewritten ({written} bytes), {} removed",
        t0.elapsed().as_secs_f64() * 1000.0,
        update.write.len(),
        update.remove.len()
    );
}
