//! Search for a site: the validated model cut into documents ([`docs`]), indexed by
//! `gongkai_search` into the static files that the search page's own small script
//! (`static/search.js`) queries in the browser.
//!
//! What the engine calls:
//! - [`docs::corpus`] / [`docs::plan_docs`]: the site model → each plan's documents;
//! - [`build`] / [`write`]: the documents → index files (kept, or streamed for a build);
//! - `SearchIndex::update`: for the preview, the documents of changed plans → the files that
//!   changed.

pub mod docs;

pub use docs::{corpus, plan_docs};
pub use gongkai_search::{Corpus, DIR, Doc, Facets, PlanDocs, Plans, SearchIndex, Update};

use crate::site::Site;

/// The filter names of a site, in its registries' order.
pub fn facets(site: &Site) -> Facets {
    Facets {
        districts: site
            .config
            .districts
            .iter()
            .map(|d| d.name.clone())
            .collect(),
        units: site
            .reg
            .units
            .items
            .ids()
            .map(|u| docs::unit_label(site, u))
            .collect(),
    }
}

/// Indexes a site's plans, giving each index file to `emit` as it is made. Documents are made
/// from the model a few hundred plans at a time.
pub fn build(site: &Site, emit: &mut dyn FnMut(String, Vec<u8>)) -> SearchIndex {
    let docs = |p: usize| plan_docs(site, p);
    let plans = Plans {
        facets: facets(site),
        count: site.plans.len(),
        docs: &docs,
    };
    SearchIndex::build(&plans, emit)
}

/// Indexes a site's plans as [`build`] does, keeping nothing: the postings wait in `scratch`
/// rather than in memory (see [`Index::write`]). Returns the time spent.
pub fn write(
    site: &Site,
    scratch: std::fs::File,
    emit: &mut dyn FnMut(String, Vec<u8>),
) -> std::io::Result<std::time::Duration> {
    let docs = |p: usize| plan_docs(site, p);
    let plans = Plans {
        facets: facets(site),
        count: site.plans.len(),
        docs: &docs,
    };
    SearchIndex::write(&plans, emit, scratch)
}
