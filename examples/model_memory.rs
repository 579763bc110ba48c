//! What a loaded plan holds in memory, part by part, for bench/README.md:
//!
//!     cargo run --release --example model_memory -- SITE_ROOT [PLANS]
//!
//! Reads the first PLANS plan files (300 by default) as `load` does, counting every byte
//! allocated, then takes the plans apart piece by piece and prints what each piece held, in
//! KiB a plan. The counting allocator replaces mimalloc here, so the figures are the bytes
//! asked for, not the pages resident.

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
    let b = live();
    for p in &mut plans {
        p.front_matter = String::new();
    }
    println!("  front_matter {:.1}", per(b - live()));
    let b = live();
    for p in &mut plans {
        p.meta = Default::default();
    }
    println!("  meta {:.1}", per(b - live()));
    let b = live();
    for p in &mut plans {
        for blk in &mut p.body.blocks {
            if let gongkai::model::Block::Task { html, .. } = blk {
                *html = String::new();
            }
        }
    }
    println!("  task html {:.1}", per(b - live()));
    let b = live();
    for p in &mut plans {
        p.body
            .blocks
            .retain(|x| !matches!(x, gongkai::model::Block::Html(_)));
    }
    println!("  html blocks {:.1}", per(b - live()));
    let b = live();
    for p in &mut plans {
        p.body.blocks.retain(|x| {
            !matches!(
                x,
                gongkai::model::Block::TaskTable { .. } | gongkai::model::Block::Table(_)
            )
        });
    }
    println!("  tables {:.1}", per(b - live()));
    let b = live();
    for p in &mut plans {
        p.body.blocks = Vec::new();
    }
    println!("  blocks rest {:.1}", per(b - live()));
    let b = live();
    for p in &mut plans {
        for t in p.body.tasks.iter_mut() {
            t.text = String::new();
        }
    }
    println!("  task text {:.1}", per(b - live()));
    let b = live();
    for p in &mut plans {
        for t in p.body.tasks.iter_mut() {
            t.lead = Vec::new();
            t.support = Vec::new();
            t.persons = Vec::new();
        }
    }
    println!("  task names {:.1}", per(b - live()));
    let b = live();
    for p in &mut plans {
        for t in p.body.tasks.iter_mut() {
            t.title = String::new();
            t.key = String::new();
            t.anchor = String::new();
            t.label = String::new();
        }
    }
    println!("  task title/key/anchor/label {:.1}", per(b - live()));
    let b = live();
    for p in &mut plans {
        p.body.tasks = Default::default();
    }
    println!("  tasks rest {:.1}", per(b - live()));
    let b = live();
    for p in &mut plans {
        p.body.sections = Default::default();
    }
    println!("  sections {:.1}", per(b - live()));
    let b = live();
    for p in &mut plans {
        p.body = Default::default();
    }
    println!("  body rest {:.1}", per(b - live()));
    let b = live();
    drop(plans);
    println!("  rest {:.1}", per(b - live()));
}
