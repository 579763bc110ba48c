//! Search: Pagefind indexes of the plan pages, built with the site and served as static files
//! under `pagefind/`. Pagefind's `extended` build segments Chinese (icu_segmenter), so 危险化学品
//! is found inside 加强危险化学品安全监管. The browser loads only the index chunks and fragments a
//! query needs.
//!
//! Plan pages mark what is indexed (`data-pagefind-body`), the title (`data-pagefind-meta`), the
//! filters (地区, 年度, 责任单位) and the anchors results link to: section headings, and tasks
//! through `data-pagefind-title`.
//!
//! The plans are indexed in *bundles* of at most `search_bundle_plans` plans, in plan order.
//! Pagefind indexes one page at a time and keeps every page in memory until the index is
//! written, about 1 MB a plan; bundles let several indexers run at once on separate threads and
//! bound the memory a build needs. The search page merges the bundles (Pagefind's
//! `mergeIndex`), which share the first bundle's scripts and WebAssembly. Each bundle is made
//! from its pages in plan order, so a build is byte for byte the same however many cores ran it.

use std::collections::VecDeque;
use std::ops::Range;
use std::thread::{Scope, ScopedJoinHandle};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::output::Sink;

/// Where the first bundle, with Pagefind's scripts, goes in the site; bundle `i > 0` goes in
/// `pagefind/<i>/`.
pub const DIR: &str = "pagefind";

/// At most this many plans a bundle unless `site.yaml` says otherwise (`search_bundle_plans`).
/// Every bundle a query touches sends at least one index chunk of about 20,000 word positions,
/// so fewer bundles make a rare word cheaper; more bundles hold less in memory. At 10,000 plans,
/// 1,000 a bundle against 500 took a phone's search for 电梯 from 13.3 s to 8.4 s (slow 4G) for
/// 1.1 GB more at build time (`bench/search-query.mjs`, README "Speed").
pub const DEFAULT_BUNDLE_PLANS: usize = 1_000;

/// Up to this many bundles even for a small site, so that its indexers share the cores ...
const SMALL_SITE_BUNDLES: usize = 4;
/// ... as long as each bundle has this many plans.
const MIN_BUNDLE_PLANS: usize = 50;

/// The plans (by position in plan order) of each bundle: at most `max_per_bundle` plans each,
/// as even as can be, and a few bundles even for a small site. The bundles depend on the plans
/// alone, never on the machine, so every build of a site has the same index.
pub fn bundles(plans: usize, max_per_bundle: usize) -> Vec<Range<usize>> {
    let k = plans
        .div_ceil(max_per_bundle.max(1))
        .max(SMALL_SITE_BUNDLES.min(plans.div_ceil(MIN_BUNDLE_PLANS)));
    (0..k).map(|i| i * plans / k..(i + 1) * plans / k).collect()
}

/// Plans that Pagefind may hold at once across the indexers running together: at about 1 MB
/// a plan, this bounds the memory of a build on a machine with many cores.
const MAX_PLANS_IN_FLIGHT: usize = 4_000;

/// How many bundles to index at once: one per core, as long as their plans, held in memory
/// together, stay under `MAX_PLANS_IN_FLIGHT`.
pub fn indexers_at_once(bundles: &[Range<usize>]) -> usize {
    let largest = bundles.iter().map(Range::len).max().unwrap_or(1).max(1);
    rayon::current_num_threads()
        .min(MAX_PLANS_IN_FLIGHT / largest)
        .max(1)
}

/// The site-relative folder of bundle `b`.
pub fn bundle_dir(b: usize) -> String {
    if b == 0 {
        format!("{DIR}/")
    } else {
        format!("{DIR}/{b}/")
    }
}

/// Indexes one bundle's pages, given as (site-relative file, HTML) in plan order, and writes
/// the bundle through `sink`. Bundles after the first get only their index files, not another
/// copy of the scripts. Returns the bytes written.
pub fn index_bundle(
    b: usize,
    pages: Vec<(String, Vec<u8>)>,
    sink: &dyn Sink,
) -> Result<u64, String> {
    let fail = |e: &dyn std::fmt::Display| format!("search index (bundle {b}): {e}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| fail(&e))?;
    let files = runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(false)
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| fail(&e))?;
        for (file, html) in pages {
            let html = String::from_utf8(html)
                .map_err(|_| format!("search index: {file} is not UTF-8"))?;
            index
                .add_html_file(Some(file.clone()), None, html)
                .await
                .map_err(|e| format!("search index of {file}: {e}"))?;
        }
        index.get_files().await.map_err(|e| fail(&e))
    })?;
    let dir = bundle_dir(b);
    let mut bytes = 0;
    for f in files {
        let name = f.filename.to_string_lossy().replace('\\', "/");
        if b > 0 && !is_index_file(&name) {
            continue;
        }
        let rel = format!("{dir}{name}");
        sink.write(&rel, &f.contents)
            .map_err(|e| format!("cannot write {rel}: {e}"))?;
        bytes += f.contents.len() as u64;
    }
    Ok(bytes)
}

/// Bundles being indexed, each on a thread of its own. Never start one from a rayon worker:
/// Pagefind uses rayon's pool itself, and a pool worker waiting for an indexer could leave it
/// no worker to run on.
pub struct Indexers<'scope, 'env> {
    scope: &'scope Scope<'scope, 'env>,
    limit: usize,
    running: VecDeque<ScopedJoinHandle<'scope, Result<u64, String>>>,
    done: Result<u64, String>,
}

impl<'scope, 'env> Indexers<'scope, 'env> {
    /// At most `limit` indexers run at once; each holds its bundle's pages until it is done.
    pub fn new(scope: &'scope Scope<'scope, 'env>, limit: usize) -> Self {
        Indexers {
            scope,
            limit: limit.max(1),
            running: VecDeque::new(),
            done: Ok(0),
        }
    }

    /// Starts indexing bundle `b`, first waiting for the oldest indexer if `limit` are running.
    pub fn start(&mut self, b: usize, pages: Vec<(String, Vec<u8>)>, sink: &'env dyn Sink) {
        if self.running.len() >= self.limit {
            self.wait_oldest();
        }
        let h = self.scope.spawn(move || index_bundle(b, pages, sink));
        self.running.push_back(h);
    }

    fn wait_oldest(&mut self) {
        if let Some(h) = self.running.pop_front() {
            let r = h
                .join()
                .unwrap_or_else(|_| Err("the search indexer stopped".into()));
            self.done = match (std::mem::replace(&mut self.done, Ok(0)), r) {
                (Ok(a), Ok(b)) => Ok(a + b),
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
        }
    }

    /// Waits for every indexer; returns the bytes written, or the first error.
    pub fn finish(mut self) -> Result<u64, String> {
        while !self.running.is_empty() {
            self.wait_oldest();
        }
        self.done
    }
}

/// Whether a file of a Pagefind bundle holds index data, rather than a script, style sheet or
/// WebAssembly module that the first bundle already has.
fn is_index_file(name: &str) -> bool {
    name == "pagefind-entry.json" || name.ends_with(".pf_meta") || name.contains('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_cover_the_plans_in_order() {
        assert_eq!(bundles(0, 500), Vec::<Range<usize>>::new());
        assert_eq!(bundles(5, 500), vec![0..5]);
        assert_eq!(bundles(120, 500), vec![0..40, 40..80, 80..120]);
        assert_eq!(
            bundles(1000, 500),
            vec![0..250, 250..500, 500..750, 750..1000]
        );
        assert_eq!(bundles(1001, 250).len(), 5);
        assert_eq!(bundles(10_000, 500).len(), 20);
        assert_eq!(bundles(7, 2), vec![0..1, 1..3, 3..5, 5..7]);
        for (n, per) in [(1, 1), (999, 7), (10_000, 500), (12_345, 500)] {
            let b = bundles(n, per);
            assert_eq!(b.first().map(|r| r.start), Some(0));
            assert_eq!(b.last().map(|r| r.end), Some(n));
            assert!(b.windows(2).all(|w| w[0].end == w[1].start));
            assert!(b.iter().all(|r| !r.is_empty() && r.len() <= per));
        }
        assert_eq!(bundle_dir(0), "pagefind/");
        assert_eq!(bundle_dir(2), "pagefind/2/");
    }

    #[test]
    fn later_bundles_keep_only_index_files() {
        assert!(is_index_file("pagefind-entry.json"));
        assert!(is_index_file("pagefind.zh-cn_8e638b3f010d2.pf_meta"));
        assert!(is_index_file("fragment/zh-cn_1a2b.pf_fragment"));
        assert!(is_index_file("index/zh-cn_1a2b.pf_index"));
        assert!(!is_index_file("pagefind-ui.js"));
        assert!(!is_index_file("wasm.unknown.pagefind"));
    }
}
