//! Search's index: documents in, the static files the search page fetches out.
//!
//! The index is of character bigrams with their positions (see [`index`]): a query's text is
//! cut into bigrams, only the files holding those bigrams are fetched, and positions prove the
//! whole term is there, so a result always contains every term as written, after folding
//! width, case and traditional characters (`gongkai_zh::fold`). One-character terms are looked
//! up by character, exactly. Plans come as [`docs`] — made by the site engine from its model —
//! so that a result links to the task or section it was found in; this crate knows nothing of
//! plans beyond them.

pub mod docs;
pub mod index;

pub use docs::{Corpus, Doc, PlanDocs};
pub use index::{DIR, Facets, Plans, SearchIndex, Update};
