//! What the preview serves: the files of an [`Engine`], made when they are asked for. A page is
//! rendered from its view; the view of every page is what its template reads, so a page whose
//! view hashes as before is sent as rendered before (the cache outlives the engine across edits
//! of plans, and is emptied when the theme changes). Every file served is thus the file a clean
//! build writes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::engine::{Engine, SITE_FILES};
use crate::output::Memory;
use crate::render::Page;

/// What makes a file of the site.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    Page(Page),
    /// The data file beside a page.
    Data(Page),
    /// A site-wide file (open data, sitemap, feed).
    Site(&'static str),
    Static(String),
    /// A file of `sources/` published with a plan.
    Published(std::path::PathBuf),
}

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
    files: HashMap<String, Source>,
    cache: Arc<PageCache>,
    /// The search index files, made when first asked for.
    search: Mutex<Option<Arc<crate::output::Files>>>,
    /// How many pages were rendered again, and how many came from the cache, since it was made.
    pub counts: Mutex<(usize, usize)>,
}

/// A file to send, or why there is none.
pub enum Lookup {
    /// The file, and whether it is a page kept from before (its view unchanged).
    Found(Arc<Vec<u8>>, bool),
    Missing,
    /// The page could not be made (a template error met on this page only).
    Failed(String),
}

impl Preview {
    /// The preview of `engine`, keeping the rendered pages of `cache` where their views are
    /// unchanged; a new theme starts an empty cache.
    pub fn new(engine: Arc<Engine>, cache: Option<(&Arc<PageCache>, bool)>) -> Preview {
        let parts = engine.parts();
        let mut files: HashMap<String, Source> = engine
            .pages
            .iter()
            .map(|p| (parts.file(p), Source::Page(*p)))
            .collect();
        files.extend(engine.data_file_names().map(|(f, p)| (f, Source::Data(p))));
        files.extend(SITE_FILES.iter().map(|f| (f.to_string(), Source::Site(f))));
        files.extend(
            engine
                .published_files()
                .map(|(f, src)| (f, Source::Published(src))),
        );
        files.extend(
            engine
                .theme
                .statics
                .keys()
                .map(|k| (format!("static/{k}"), Source::Static(k.clone()))),
        );
        let cache = match cache {
            Some((c, same_theme)) if same_theme => c.clone(),
            _ => Arc::new(PageCache::default()),
        };
        Preview {
            engine,
            files,
            cache,
            search: Mutex::new(None),
            counts: Mutex::new((0, 0)),
        }
    }

    pub fn cache(&self) -> &Arc<PageCache> {
        &self.cache
    }

    fn is_search(rel: &str) -> bool {
        rel.strip_prefix(crate::search::DIR)
            .is_some_and(|r| r.starts_with('/'))
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
            Source::Page(page) => self.page(rel, page),
            Source::Data(page) => match engine.page_data(page) {
                Some((_, body)) => Lookup::Found(Arc::new(body), false),
                None => Lookup::Missing,
            },
            Source::Site(name) => {
                let memory = Memory::default();
                match engine.write_site_file(&memory, name) {
                    Ok(_) => memory
                        .into_files()
                        .remove(*name)
                        .map_or(Lookup::Missing, |b| Lookup::Found(Arc::new(b), false)),
                    Err(e) => Lookup::Failed(e.to_string()),
                }
            }
            Source::Static(name) => engine.theme.statics.get(name).map_or(Lookup::Missing, |b| {
                Lookup::Found(Arc::new(b.clone()), false)
            }),
            Source::Published(path) => match std::fs::read(path) {
                Ok(b) => Lookup::Found(Arc::new(b), false),
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
        match renderer.render_view(page, &view.context) {
            Ok(html) => {
                let bytes = Arc::new(crate::output::minify(html.as_bytes()));
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

    /// A file of the search index, which is made from every plan page the first time one is
    /// asked for, as a build makes it.
    fn search_file(&self, rel: &str) -> Option<Arc<Vec<u8>>> {
        let mut search = self.search.lock().ok()?;
        if search.is_none() {
            let memory = Memory::default();
            let engine = &self.engine;
            let renderer = engine.renderer();
            let parts = engine.parts();
            let plans: Vec<(String, Vec<u8>)> = engine
                .pages
                .iter()
                .filter(|p| matches!(p, Page::Plan(_)))
                .filter_map(|p| {
                    engine
                        .page_bytes(&renderer, p, false)
                        .ok()
                        .map(|b| (parts.file(p), b))
                })
                .collect();
            let bundles =
                crate::search::bundles(plans.len(), engine.site.config.search_bundle_plans);
            let mut plans = plans.into_iter();
            for (b, range) in bundles.iter().enumerate() {
                let bundle: Vec<_> = plans.by_ref().take(range.len()).collect();
                crate::search::index_bundle(b, bundle, &memory).ok()?;
            }
            *search = Some(Arc::new(memory.into_files()));
        }
        search
            .as_ref()
            .and_then(|s| s.get(rel))
            .map(|b| Arc::new(b.clone()))
    }
}
