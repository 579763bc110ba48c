//! Writes the benchmark corpus (bench/gen_corpus.rs): the same N plans as a gongkai site
//! (OUT/gongkai) and a Hugo site (OUT/hugo).
//!
//!     cargo run --release --example gen_corpus -- --plans N [--seed S] --out DIR
//!
//! (`bench/gen-corpus` runs this.)

#[path = "../bench/gen_corpus.rs"]
mod gen_corpus;

use std::path::{Path, PathBuf};

fn main() {
    let mut plans = None;
    let mut seed = 1;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    let usage = "usage: gen_corpus --plans N [--seed S] --out DIR";
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| fail(usage));
        match a.as_str() {
            "--plans" => plans = Some(value().parse().unwrap_or_else(|_| fail(usage))),
            "--seed" => seed = value().parse().unwrap_or_else(|_| fail(usage)),
            "--out" => out = Some(PathBuf::from(value())),
            _ => fail(usage),
        }
    }
    let (Some(plans), Some(out)) = (plans, out) else {
        fail(usage)
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match gen_corpus::generate(root, plans, seed, &out) {
        Ok(districts) => println!(
            "wrote {plans} plans in {districts} districts to {} and {}",
            out.join("gongkai").display(),
            out.join("hugo").display()
        ),
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("{msg}");
    std::process::exit(2)
}
