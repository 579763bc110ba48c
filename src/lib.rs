//! gongkai (公开): a static site generator for the public disclosure of government plans.
//!
//! The crates, from the bottom up (the README's *Source layout* says what each may use):
//! `gongkai_model` (the plan model), `gongkai_i18n` (messages), `gongkai_zh` (Chinese text
//! rules), `gongkai_search` (the search index), `gongkai_site` (the engine: load → validate →
//! index → compare → render → write) and `gongkai_import` (documents and progress tables into
//! plan files). This crate is the command line: [`init`], the preview ([`serve`]) and `main`;
//! it names the crates below under short paths (`gongkai::model`, `gongkai::engine` …) for its
//! own modules, the tests and the examples.

pub use gongkai_i18n as i18n;
pub use gongkai_i18n::tr;
pub use gongkai_import as import;
pub use gongkai_import::progress;
pub use gongkai_model as model;
pub use gongkai_site::{
    body, build, compare, config, data, diagnostics, engine, error, escape, index, input, limits,
    load, output, render, search, site, track, validate, yaml,
};
pub use gongkai_zh::{due, fold, notation, numbering, slug};

pub mod init;
pub mod serve;
