//! The site engine: a site folder in, a site out.
//!
//! The pipeline, in the order it runs: [`load`] (files, front matter, the [`body`] with the
//! numbering and notations of `gongkai_zh`) → [`validate`] (against the [`config`] registries)
//! → [`index`] (with [`track`]ing) → [`compare`] → [`render`] (pages, views, theme) → [`output`]
//! (written through a sink), with open [`data`] and the [`search`] index. The [`engine`] runs
//! it for [`build`], `check` and the preview. The model (`gongkai_model`) is below it;
//! [`diagnostics`], [`escape`], [`input`], [`limits`], [`similarity`] and [`yaml`] serve every
//! stage.

pub mod body;
pub mod build;
pub mod compare;
pub mod config;
pub mod data;
pub mod diagnostics;
pub mod engine;
pub mod error;
pub mod escape;
pub mod index;
pub mod input;
pub mod limits;
pub mod load;
pub mod output;
pub mod render;
pub mod search;
pub mod similarity;
pub mod site;
pub mod track;
pub mod validate;
pub mod yaml;
