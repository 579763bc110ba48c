//! What the preview serves: the files of an [`Engine`], made when they are asked for. A page is
//! rendered from its view; the view of every page is what its template reads, so a page whose
//! view hashes as before is sent as rendered before (the cache outlives the engine across edits
//! of plans, and is emptied when the theme changes). Every file served is thus the file a clean
//! build writes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::engine::outputs::{PageData, Published, SiteData, finish_page};
use crate::engine::{Engine, OUTPUTS, Origin};
use crate::output::Memory;
use crate::render::Page;

/// A rendered page and the hash of the view it was rendered from.
type Kept = (u64, Arc<Vec<u8>>);

/// Rendered pages by file.
#[derive(Default)]
pub struct PageCache {
    pages: Mutex<HashMap<String, Kept>>,
}

impl PageCache {
    /// How many pages it holds.
    pub fn len(&self) -> usize {
        self.pages.lock().map(|p| p.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An engine as the preview serves it.
pub struct Preview {
    pub engine: Arc<Engine>,
    files: HashMap<String, Origin>,
    cache: Arc<PageCache>,
    /// The search index and its files: made when first asked for, then carried to the next
    /// preview and updated with each edit of plans.
    search: Mutex<Option<SearchFiles>>,
    /// How many pages were rendered again, and how many came from the cache, since it was made.
    pub counts: Mutex<(usize, usize)>,
}

/// The preview's search index, with every file it made by site-relative path.
struct SearchFiles {
    index: crate::search::SearchIndex,
    files: HashMap<String, Arc<Vec<u8>>>,
}

impl SearchFiles {
    fn build(site: &crate::site::Site) -> SearchFiles {
        let mut files = HashMap::new();
        let index = crate::search::build(site, &mut |path, bytes| {
            files.insert(path, Arc::new(bytes));
        });
        SearchFiles { index, files }
    }

    /// The index of `new`, from this index of `old`: only the files the edit changed are made
    /// again. Plans are the changed ones when their file or text changed; when the registries
    /// changed (a name or alias a plan's documents carry), every plan's documents may have, and
    /// the index is made anew.
    fn update(mut self, old: &crate::site::Site, new: &crate::site::Site) -> SearchFiles {
        if !Arc::ptr_eq(&old.reg, &new.reg) || !Arc::ptr_eq(&old.config, &new.config) {
            return SearchFiles::build(new);
        }
        let fingerprints = |site: &crate::site::Site| -> HashMap<String, u64> {
            site.plans
                .iter()
                .map(|p| (p.url.clone(), p.fingerprint))
                .collect()
        };
        let (before, after) = (fingerprints(old), fingerprints(new));
        let changed = |site: &crate::site::Site, other: &HashMap<String, u64>| {
            let mut docs: Vec<crate::search::PlanDocs> = site
                .plans
                .iter()
                .enumerate()
                .filter(|(_, p)| other.get(&p.url) != Some(&p.fingerprint))
                .map(|(i, _)| crate::search::plan_docs(site, i))
                .collect();
            docs.sort_by(|a, b| a.url.cmp(&b.url));
            docs
        };
        let (old_docs, new_docs) = (changed(old, &after), changed(new, &before));
        if old_docs.is_empty() && new_docs.is_empty() {
            return self;
        }
        let docs = |p: usize| crate::search::plan_docs(new, p);
        let plans = crate::search::Plans {
            facets: crate::search::facets(new),
            count: new.plans.len(),
            docs: &docs,
        };
        let update = self.index.update(&old_docs, &new_docs, &plans);
        for (path, bytes) in update.write {
            self.files.insert(path, Arc::new(bytes));
        }
        for path in update.remove {
            self.files.remove(&path);
        }
        self
    }
}

/// A file to send, or why there is none.
pub enum Lookup {
    /// The file, and whether it is a page kept from before (its view unchanged).
    Found(Arc<Vec<u8>>, bool),
    /// A published file of `sources/`, opened under the reading policy when asked for, with
    /// its size: sent in pieces.
    File(std::fs::File, u64),
    Missing,
    /// The page could not be made (a template error met on this page only).
    Failed(String),
}

impl Preview {
    /// The preview of `engine`, keeping the rendered pages of `before` where their views are
    /// unchanged (a new theme starts an empty cache), and its search index, updated.
    pub fn new(engine: Arc<Engine>, before: Option<&Preview>) -> Preview {
        let files: HashMap<String, Origin> = engine.files().collect();
        let cache = match before {
            Some(b) if Arc::ptr_eq(&b.engine.theme, &engine.theme) => b.cache.clone(),
            _ => Arc::new(PageCache::default()),
        };
        // The index moves to the new preview; the old one, about to be dropped, would make its
        // own again if still asked.
        let search = before.and_then(|b| {
            let index = b.search.lock().ok()?.take()?;
            Some(index.update(&b.engine.site, &engine.site))
        });
        Preview {
            engine,
            files,
            cache,
            search: Mutex::new(search),
            counts: Mutex::new((0, 0)),
        }
    }

    pub fn cache(&self) -> &Arc<PageCache> {
        &self.cache
    }

    /// A file of an output that is made whole, not listed (the search index).
    fn is_search(rel: &str) -> bool {
        OUTPUTS
            .iter()
            .filter_map(|o| o.folder())
            .any(|dir| rel.starts_with(dir))
    }

    /// Whether the site has a file at `rel` (site-relative).
    pub fn exists(&self, rel: &str) -> bool {
        self.files.contains_key(rel) || (Self::is_search(rel) && self.search_file(rel).is_some())
    }

    /// The file at `rel`, made now if it is not made yet.
    pub fn get(&self, rel: &str) -> Lookup {
        if Self::is_search(rel) {
            return match self.search_file(rel) {
                Some(b) => Lookup::Found(b, false),
                None => Lookup::Missing,
            };
        }
        let Some(source) = self.files.get(rel) else {
            return Lookup::Missing;
        };
        let engine = &self.engine;
        match source {
            Origin::Page(page) => self.page(rel, page),
            Origin::Data(page) => match PageData::make(engine, page) {
                Some(body) => Lookup::Found(Arc::new(body), false),
                None => Lookup::Missing,
            },
            Origin::Site(file) => {
                let memory = Memory::default();
                match SiteData::write_one(engine, &memory, *file) {
                    Ok(_) => memory
                        .into_files()
                        .remove(file.path())
                        .map_or(Lookup::Missing, |b| Lookup::Found(Arc::new(b), false)),
                    Err(e) => Lookup::Failed(e.to_string()),
                }
            }
            Origin::Static(name) => engine.theme.statics.get(name).map_or(Lookup::Missing, |b| {
                Lookup::Found(Arc::new(b.clone()), false)
            }),
            // Checked again on every request: a file that became a link out of `sources/`
            // since the build is not served.
            Origin::Published(path) => match Published::open(engine, path) {
                Ok(o) => Lookup::File(o.file, o.len),
                Err(_) => Lookup::Missing,
            },
        }
    }

    fn page(&self, file: &str, page: &Page) -> Lookup {
        let renderer = self.engine.renderer();
        let view = renderer.view(page);
        if let Ok(cache) = self.cache.pages.lock()
            && let Some((hash, bytes)) = cache.get(file)
            && *hash == view.hash
        {
            if let Ok(mut c) = self.counts.lock() {
                c.1 += 1;
            }
            return Lookup::Found(bytes.clone(), true);
        }
        match renderer.render_view(page, view.context) {
            Ok(html) => {
                let minify = self.engine.site.config.minify;
                let bytes = Arc::new(finish_page(html, minify, false));
                if let Ok(mut cache) = self.cache.pages.lock() {
                    cache.insert(file.to_string(), (view.hash, bytes.clone()));
                }
                if let Ok(mut c) = self.counts.lock() {
                    c.0 += 1;
                }
                Lookup::Found(bytes, false)
            }
            Err(d) => Lookup::Failed(d.to_string()),
        }
    }

    /// A file of the search index, which is made the first time one is asked for.
    fn search_file(&self, rel: &str) -> Option<Arc<Vec<u8>>> {
        let mut search = self.search.lock().ok()?;
        search
            .get_or_insert_with(|| SearchFiles::build(&self.engine.site))
            .files
            .get(rel)
            .cloned()
    }
}
