//! The documents search indexes: each plan as a list of places a result can link to. The site
//! engine makes them from its validated model (`gongkai_site::search_docs`); this crate only
//! reads their text.

use serde::Serialize;

/// One place on a plan page that a result links to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Doc {
    /// The anchor on the plan page (`task-8`, `s-2-1`, `notice`); empty for the page itself;
    /// the folder of the plan's 解读 page for it (`jiedu/`: `search.js` links an anchor ending in
    /// `/` as a page below the plan's, not a place on it).
    pub anchor: String,
    /// What a result calls it: `8.加强…`, `二、强化责任`, `印发通知`.
    pub title: String,
    /// The text as the page shows it, a line per paragraph, cell or value.
    pub text: String,
    /// Other names of what the text names, a line each; not shown on the page.
    pub names: String,
}

/// A plan's documents, with what the search page shows and filters by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanDocs {
    /// Site-relative URL of the plan page (`jingan/2017/aqsc-gongzuo-yijian/`): the plan's
    /// identity in the index, which orders plans by it.
    pub url: String,
    pub title: String,
    /// Filters: the district's name, the years in force, the units named (canonical names).
    pub district: String,
    pub years: Vec<u16>,
    pub units: Vec<String>,
    pub docs: Vec<Doc>,
}

/// Every plan's documents, in the site's plan order, and the names the filters offer.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub facets: crate::Facets,
    pub plans: Vec<PlanDocs>,
}
