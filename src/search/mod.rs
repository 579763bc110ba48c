//! Search: a static index of the plans, made from the validated model with the site, and a
//! search page whose own small script (`static/search.js`) queries it in the browser.
//!
//! The index is of character bigrams with their positions (see [`index`]): a query's text is
//! cut into bigrams, only the files holding those bigrams are fetched, and positions prove the
//! whole term is there, so a result always contains every term as written, after folding
//! width, case and traditional characters ([`fold`]). One-character terms are looked up by
//! character, exactly. Plans are cut into documents ([`docs`]) so that a result links to the
//! task or section it was found in.
//!
//! What the core calls:
//! - [`docs::corpus`] / [`docs::plan_docs`]: the site model → each plan's documents;
//! - [`Index::build`] / [`Index::files`]: documents → files (site-relative path, bytes);
//! - [`Index::write`]: the same files, for a build, keeping no index and little memory;
//! - [`Index::update`]: for the preview, the documents of changed plans → the files that
//!   changed.

pub mod docs;
pub mod fold;
pub mod index;

pub use docs::{Corpus, Doc, PlanDocs, corpus, plan_docs};
pub use index::{DIR, Facets, Index, Plans, Update};

use crate::validate::Site;

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
pub fn build(site: &Site, emit: &mut dyn FnMut(String, Vec<u8>)) -> Index {
    let docs = |p: usize| plan_docs(site, p);
    let plans = Plans {
        facets: facets(site),
        count: site.plans.len(),
        docs: &docs,
    };
    Index::build(&plans, emit)
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
    Index::write(&plans, emit, scratch)
}
