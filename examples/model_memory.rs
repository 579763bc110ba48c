//! What a loaded plan holds in memory, part by part, for bench/README.md:
//!
//!     cargo run --release --example model_memory -- SITE_ROOT [PLANS]
//!
//! Reads the first PLANS plan files (300 by default) as `load` does, counting every byte
//! allocated, then takes the plans apart piece by piece and prints what each piece held, in
//! KiB a plan. The counting allocator replaces mimalloc here, so the figures are the bytes
//! asked for, not the pages resident.

use gongkai::model::{Block, LoadedPlan};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n as isize - l.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static G: Counting = Counting;
fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}
fn main() {
    println!(
        "Task {} Block {} NameRef {} LinkedText {} Section {}",
        std::mem::size_of::<gongkai::model::Task>(),
        std::mem::size_of::<gongkai::model::Block>(),
        std::mem::size_of::<gongkai::model::NameRef>(),
        std::mem::size_of::<gongkai::model::LinkedText>(),
        std::mem::size_of::<gongkai::model::Section>()
    );
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let n: usize = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(300);
    let files: Vec<_> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .take(n)
        .map(|e| e.path().strip_prefix(&root).unwrap().to_path_buf())
        .collect();
    let mut text_bytes = 0;
    let mut plans = Vec::new();
    let a0 = live();
    for f in &files {
        let t = std::fs::read_to_string(root.join(f)).unwrap();
        text_bytes += t.len();
        plans.push(gongkai::load::parse_plan(&t, f).unwrap());
    }
    let a1 = live();
    let per = |x: isize| x as f64 / files.len() as f64 / 1024.0;
    let mut cap = (0usize, 0usize, 0usize, 0usize);
    for p in &plans {
        cap.0 += p.body.blocks.len();
        cap.1 += p.body.blocks.capacity();
        cap.2 += p.body.tasks.iter().count();
    }
    println!(
        "blocks len {} cap {} tasks {}",
        cap.0 / files.len(),
        cap.1 / files.len(),
        cap.2 / files.len()
    );
    println!(
        "{} plans, text {:.1} KiB/plan, loaded {:.1} KiB/plan",
        files.len(),
        text_bytes as f64 / files.len() as f64 / 1024.0,
        per(a1 - a0)
    );
    // Each piece taken out of every plan, in turn: what it held is what the count fell by.
    let n = files.len();
    let mut part = |label: &str, take: &dyn Fn(&mut LoadedPlan)| {
        let before = live();
        plans.iter_mut().for_each(take);
        println!(
            "  {label} {:.1}",
            (before - live()) as f64 / n as f64 / 1024.0
        );
    };
    part("front_matter", &|p| p.front_matter = String::new());
    part("meta", &|p| p.meta = Default::default());
    part("task html", &|p| {
        for blk in &mut p.body.blocks {
            if let Block::Task { html, .. } = blk {
                *html = String::new();
            }
        }
    });
    part("html blocks", &|p| {
        p.body.blocks.retain(|x| !matches!(x, Block::Html(_)))
    });
    part("tables", &|p| {
        p.body
            .blocks
            .retain(|x| !matches!(x, Block::TaskTable { .. } | Block::Table(_)))
    });
    part("blocks rest", &|p| p.body.blocks = Vec::new());
    part("task text", &|p| {
        p.body.tasks.iter_mut().for_each(|t| t.text = String::new())
    });
    part("task names", &|p| {
        for t in p.body.tasks.iter_mut() {
            t.lead = Vec::new();
            t.support = Vec::new();
            t.persons = Vec::new();
        }
    });
    part("task title/key/anchor/label", &|p| {
        for t in p.body.tasks.iter_mut() {
            t.title = String::new();
            t.key = String::new();
            t.anchor = String::new();
            t.label = String::new();
        }
    });
    part("tasks rest", &|p| p.body.tasks = Default::default());
    part("sections", &|p| p.body.sections = Default::default());
    part("body rest", &|p| p.body = Default::default());
    let b = live();
    drop(plans);
    println!("  rest {:.1}", per(b - live()));
}
