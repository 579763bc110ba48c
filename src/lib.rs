//! gongkai (公开): a static site generator for the public disclosure of government plans.
//!
//! The pipeline, in the order it runs: [`load`] (files, front matter, [`body`]) → [`validate`]
//! (against the [`config`] registries) → [`index`] → [`compare`] → [`render`] (with a [`theme`]) → [`output`],
//! plus open [`data`]. [`build`] runs it end to end.

pub mod body;
pub mod build;
pub mod chart;
pub mod compare;
pub mod config;
pub mod data;
pub mod diagnostics;
pub mod escape;
pub mod i18n;
pub mod import;
pub mod index;
pub mod init;
pub mod load;
pub mod model;
pub mod notation;
pub mod numbering;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod slug;
pub mod theme;
pub mod validate;
pub mod yaml;

// Messages of locales/*.yml, compiled in; see `i18n`.
rust_i18n::i18n!("locales", fallback = "zh-CN");
