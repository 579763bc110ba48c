//! gongkai (公开): a static site generator for the public disclosure of government plans.
//!
//! The pipeline, in the order it runs: [`load`] (files, front matter, the [`body`] with its
//! [`numbering`] and responsibility [`notation`]) → [`validate`] (against the [`config`]
//! registries) → [`index`] → [`compare`] → [`render`] (pages, views, theme) → [`output`] (written
//! through a sink), with open [`data`] and the [`search`] index. The [`engine`] runs it for
//! [`build`], `check` and [`serve`]; [`import`] turns documents into plans. The [`model`] is at the
//! bottom; [`diagnostics`], [`i18n`], [`escape`], [`slug`] and [`yaml`] serve every stage.

pub mod body;
pub mod build;
pub mod compare;
pub mod config;
pub mod data;
pub mod diagnostics;
pub mod due;
pub mod engine;
pub mod error;
pub mod escape;
pub mod i18n;
pub mod import;
pub mod index;
pub mod init;
pub mod input;
pub mod limits;
pub mod load;
pub mod model;
pub mod notation;
pub mod numbering;
pub mod output;
pub mod progress;
pub mod render;
pub mod search;
pub mod serve;
pub mod slug;
pub mod track;
pub mod validate;
pub mod yaml;

// Messages of locales/*.yml, compiled in; see `i18n`.
rust_i18n::i18n!("locales", fallback = "zh-CN");
