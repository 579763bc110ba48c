//! The preview's model of the site, kept from one edit to the next.
//!
//! A change to a plan re-reads only that file. Then it:
//! - validates the plans again with the site's registries (cheap: validation only resolves
//!   names), so the site is exactly what a clean build would load;
//! - rebuilds the index;
//! - compares again only the pairs that involve the changed plan.
//!
//! Pages are rendered when they are asked for and kept until the next change. A page is never
//! rendered from a stale model, so every file served is the file a clean build would write.
//! A change to templates, themes, static files or `site.yaml` renders everything at once,
//! which also catches template errors.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use tera::Tera;

use crate::build::{self, BuildError, SITE_FILES};
use crate::compare::Comparison;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::index::Index;
use crate::output::{self, Memory};
use crate::render::{Page, Renderer};
use crate::validate::{self, Site};
use crate::{config, load, theme};

/// What a change made the preview do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Updated {
    /// Read these many plans again; everything else was kept.
    Plans(usize),
    /// Loaded and rendered the whole site (templates, themes, static files or config changed).
    Everything,
}

pub struct Session {
    root: PathBuf,
    /// The registries as `site.yaml` gives them, before validation adds persons met in content.
    config: SiteConfig,
    tera: Tera,
    statics: BTreeMap<String, Vec<u8>>,
    site: Site,
    ix: Index,
    pages: Vec<Page>,
    /// Output file → the page that makes it, and the data files beside pages.
    page_files: HashMap<String, usize>,
    data_files: HashMap<String, usize>,
    rendered: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    pub base_path: String,
}

/// Problems as the preview shows them: one block of text per problem.
pub fn errors_text(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn build_error_text(e: BuildError) -> String {
    match e {
        BuildError::Content(d) => errors_text(&d),
        BuildError::Io(e) => e,
    }
}

impl Session {
    /// Loads, validates, indexes and renders the whole site.
    pub fn open(root: &Path) -> Result<Session, String> {
        let (site, _) = build::check(root, None).map_err(|d| errors_text(&d.sorted()))?;
        let config = config::load(root).map_err(|d| errors_text(&d.sorted()))?;
        let mut tera = theme::compile(root).map_err(|d| errors_text(&[d]))?;
        crate::render::site_globals(&mut tera, &site.config);
        let statics = theme::static_files(root).map_err(|d| errors_text(&[d]))?;
        let base_path = site.config.base_path().to_string();
        let mut s = Session {
            root: root.to_path_buf(),
            config,
            tera,
            statics,
            site,
            ix: Index::default(),
            pages: Vec::new(),
            page_files: HashMap::new(),
            data_files: HashMap::new(),
            rendered: Mutex::new(HashMap::new()),
            base_path,
        };
        s.index(&HashMap::new());
        s.render_all().map_err(build_error_text)?;
        Ok(s)
    }

    /// Rebuilds the index, the comparisons (reusing those in `keep`, by the plans' files) and
    /// the map from output files to pages; forgets every rendered page.
    fn index(&mut self, keep: &HashMap<(PathBuf, PathBuf), Comparison>) {
        let site = &self.site;
        let mut ix = Index::build(site);
        ix.comparisons = crate::compare::build_reusing(site, &ix, &|a, b| {
            keep.get(&(site.plans[a].file.clone(), site.plans[b].file.clone()))
                .cloned()
        });
        self.pages = crate::render::pages(site, &ix);
        self.page_files = self
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.file(site, &ix), i))
            .collect();
        self.data_files = self
            .pages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match p {
                Page::Plan(k) => Some((format!("{}plan.json", site.plans[*k].url()), i)),
                Page::District(d) => Some((
                    format!("{}tasks.csv", crate::render::district_url(&site.config, *d)),
                    i,
                )),
                _ => None,
            })
            .collect();
        self.ix = ix;
        self.rendered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Renders every page and file now: the first build, and after a template change, so that
    /// a template error is found at once.
    fn render_all(&self) -> Result<(), BuildError> {
        let renderer = self.renderer();
        let done: Vec<(String, Vec<u8>)> = self
            .pages
            .par_iter()
            .map(|p| {
                let html = build::render_html(&renderer, p)?;
                Ok((p.file(&self.site, &self.ix), output::minify(&html)))
            })
            .collect::<Result<_, BuildError>>()?;
        let mut rendered = self.rendered.lock().unwrap_or_else(|e| e.into_inner());
        for (name, body) in done {
            rendered.insert(name, Arc::new(body));
        }
        Ok(())
    }

    fn renderer(&self) -> Renderer<'_> {
        Renderer {
            tera: &self.tera,
            site: &self.site,
            ix: &self.ix,
        }
    }

    /// Takes in changed files. A change outside `content/` reopens the whole site; changed
    /// plans are re-read alone. On a problem the site stays as it was and the problems are
    /// returned.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Updated, String> {
        let content = self.root.join(load::CONTENT_DIR);
        let mut rels: HashSet<PathBuf> = HashSet::new();
        let mut reopen = self.config.allow_new_units || self.config.allow_new_indicators;
        for p in changed {
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            match (p.strip_prefix(&content), p.extension()) {
                (Ok(_), Some(x)) if x == "md" => {
                    if !hidden && let Ok(rel) = p.strip_prefix(&self.root) {
                        rels.insert(rel.to_path_buf());
                    }
                }
                // A folder of plans moved or removed: its files are not named one by one.
                (Ok(_), None) => reopen = true,
                // An editor's swap or backup file, an image: not content.
                (Ok(_), Some(_)) => {}
                // Templates, themes, static files, site.yaml.
                (Err(_), _) => reopen = true,
            }
        }
        if reopen {
            *self = Session::open(&self.root)?;
            return Ok(Updated::Everything);
        }
        if rels.is_empty() {
            return Ok(Updated::Plans(0));
        }
        let keep: HashMap<(PathBuf, PathBuf), Comparison> = self
            .ix
            .comparisons
            .list
            .iter()
            .filter(|c| {
                !rels.contains(&self.site.plans[c.from].file)
                    && !rels.contains(&self.site.plans[c.to].file)
            })
            .map(|c| {
                (
                    (
                        self.site.plans[c.from].file.clone(),
                        self.site.plans[c.to].file.clone(),
                    ),
                    c.clone(),
                )
            })
            .collect();

        let mut plans = std::mem::take(&mut self.site.plans);
        let (old, rest): (Vec<_>, Vec<_>) = plans.drain(..).partition(|p| rels.contains(&p.file));
        plans = rest;
        let mut problems = Vec::new();
        for rel in &rels {
            let abs = self.root.join(rel);
            if abs.is_file() {
                match load::load_plan(&abs, rel) {
                    Ok(p) => plans.push(p),
                    Err(d) => problems.push(d),
                }
            }
        }
        // Validation sees the plans in the order a clean build loads them, so persons met in
        // content are registered in the same order.
        plans.sort_by(|a, b| a.file.cmp(&b.file));
        let outcome = if problems.is_empty() {
            validate::validate_keeping(self.config.clone(), plans)
        } else {
            Err((crate::diagnostics::Diagnostics(problems), plans))
        };
        match outcome {
            Ok(site) => {
                self.site = site;
                self.index(&keep);
                Ok(Updated::Plans(rels.len()))
            }
            Err((diags, mut plans)) => {
                // Put the last good versions back.
                plans.retain(|p| !rels.contains(&p.file));
                plans.extend(old);
                plans.sort_by(|a, b| a.file.cmp(&b.file));
                let site = validate::validate_keeping(self.config.clone(), plans)
                    .map_err(|(d, _)| errors_text(&d.sorted()))?;
                self.site = site;
                self.index(&keep);
                Err(errors_text(&diags.sorted()))
            }
        }
    }

    /// Whether the site has a file at this site-relative path.
    pub fn exists(&self, rel: &str) -> bool {
        self.page_files.contains_key(rel)
            || self.data_files.contains_key(rel)
            || SITE_FILES.contains(&rel)
            || rel
                .strip_prefix("static/")
                .is_some_and(|s| self.statics.contains_key(s))
    }

    /// The file at a site-relative path, rendered now if it was not yet.
    pub fn get(&self, rel: &str) -> Option<Result<Arc<Vec<u8>>, String>> {
        if let Some(b) = self
            .rendered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(rel)
        {
            return Some(Ok(b.clone()));
        }
        let made: Result<Vec<u8>, String> = if let Some(&i) = self.page_files.get(rel) {
            build::render_html(&self.renderer(), &self.pages[i])
                .map(|h| output::minify(&h))
                .map_err(build_error_text)
        } else if let Some(&i) = self.data_files.get(rel) {
            build::page_data(&self.site, &self.ix, &self.pages[i])
                .map(|(_, b)| b)
                .ok_or_else(|| "no data".to_string())
        } else if SITE_FILES.contains(&rel) {
            let memory = Memory::default();
            build::write_site_file(&memory, rel, &self.site, &self.ix, &self.pages)
                .map_err(|e| e.to_string())
                .map(|_| memory.into_files().remove(rel).unwrap_or_default())
        } else {
            return rel
                .strip_prefix("static/")
                .and_then(|s| self.statics.get(s))
                .map(|b| Ok(Arc::new(b.clone())));
        };
        Some(made.map(|b| {
            let b = Arc::new(b);
            self.rendered
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(rel.to_string(), b.clone());
            b
        }))
    }
}
