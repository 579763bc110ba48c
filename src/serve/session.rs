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

/// What a change touched. A rendered page that depends on none of it is kept; every other page
/// is rendered again when it is next asked for.
#[derive(Default)]
struct Affected {
    /// Changed plans, and plans whose list of comparisons changed.
    files: HashSet<PathBuf>,
    districts: HashSet<usize>,
    years: HashSet<u16>,
    units: HashSet<usize>,
    persons: HashSet<usize>,
    indicators: HashSet<usize>,
    /// The comparisons before the change, by the plans' files.
    old_pairs: HashSet<(PathBuf, PathBuf)>,
}

impl Affected {
    /// Adds what a plan (an old or a new version of a changed one) is part of.
    fn add(&mut self, plan: &crate::model::Plan) {
        self.files.insert(plan.file.clone());
        self.districts.insert(plan.district_idx);
        self.years.extend(plan.period().years());
        for r in &plan.responsibility {
            self.units.extend(r.lead.iter().chain(&r.support));
            self.persons.extend(&r.persons);
        }
        self.indicators
            .extend(plan.indicators.iter().map(|i| i.def));
    }
}

/// The pairs of a site's comparisons, by the plans' files.
fn pairs(site: &Site, ix: &Index) -> HashSet<(PathBuf, PathBuf)> {
    ix.comparisons
        .list
        .iter()
        .map(|c| {
            (
                site.plans[c.from].file.clone(),
                site.plans[c.to].file.clone(),
            )
        })
        .collect()
}

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
    /// Of the files rendered before the last change, how many were kept, of how many.
    pub last_kept: (usize, usize),
    /// The search index and its files, made when first asked for, then updated by each edit.
    search: Mutex<Option<SearchFiles>>,
}

/// The preview's search index, with every file it made by site-relative path.
struct SearchFiles {
    index: crate::search::Index,
    files: HashMap<String, Arc<Vec<u8>>>,
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
            last_kept: (0, 0),
            search: Mutex::new(None),
        };
        s.index(&HashMap::new(), None);
        s.render_all().map_err(build_error_text)?;
        Ok(s)
    }

    /// Rebuilds the index, the comparisons (reusing those in `keep`, by the plans' files) and
    /// the map from output files to pages; forgets every rendered page.
    fn index(
        &mut self,
        keep: &HashMap<(PathBuf, PathBuf), Comparison>,
        affected: Option<Affected>,
    ) {
        let site = &self.site;
        let mut ix = Index::build(site);
        ix.comparisons = crate::compare::build_reusing(site, &ix, &|a, b| {
            keep.get(&(site.plans[a].file.clone(), site.plans[b].file.clone()))
                .cloned()
        });
        let old = (
            std::mem::replace(&mut self.pages, crate::render::pages(site, &ix)),
            std::mem::take(&mut self.page_files),
            std::mem::take(&mut self.data_files),
        );
        std::thread::spawn(move || drop(old));
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
        let old_ix = std::mem::replace(&mut self.ix, ix);
        let mut old_pages =
            std::mem::take(&mut *self.rendered.lock().unwrap_or_else(|e| e.into_inner()));
        if let Some(mut a) = affected {
            // Plans whose comparisons came or went show a different list of them.
            let new_pairs = pairs(&self.site, &self.ix);
            let mut changed = Vec::new();
            for (x, y) in a.old_pairs.symmetric_difference(&new_pairs) {
                changed.push(x.clone());
                changed.push(y.clone());
            }
            a.files.extend(changed);
            let kept: HashMap<String, Arc<Vec<u8>>> = old_pages
                .extract_if(|path, _| self.unaffected(path, &a))
                .collect();
            self.last_kept = (kept.len(), kept.len() + old_pages.len());
            *self.rendered.lock().unwrap_or_else(|e| e.into_inner()) = kept;
        }
        // Freeing the last model's pages (a large site's whole rendered output) would delay
        // the reload; another thread does it.
        std::thread::spawn(move || drop((old_ix, old_pages)));
    }

    /// Whether a rendered file of the last model is still what this model renders.
    fn unaffected(&self, path: &str, a: &Affected) -> bool {
        let (site, ix) = (&self.site, &self.ix);
        let cmp = &ix.comparisons;
        let involves = |c: usize| {
            let x = &cmp.list[c];
            a.files.contains(&site.plans[x.from].file) || a.files.contains(&site.plans[x.to].file)
        };
        if let Some(&i) = self.data_files.get(path) {
            return match self.pages[i] {
                Page::Plan(q) => !a.files.contains(&site.plans[q].file),
                Page::District(d) => !a.districts.contains(&d),
                _ => false,
            };
        }
        let Some(&i) = self.page_files.get(path) else {
            return false;
        };
        match &self.pages[i] {
            Page::Plan(q) => {
                let p = &site.plans[*q];
                !a.files.contains(&p.file)
                    && !a.districts.contains(&p.district_idx)
                    && !p.period().years().any(|y| a.years.contains(&y))
                    && !cmp.by_plan[*q].iter().any(|&c| involves(c))
            }
            Page::District(d) => !a.districts.contains(d),
            Page::Year(y, _) => !a.years.contains(y),
            Page::Unit(u, _) => !a.units.contains(u),
            Page::Person(p, _) => !a.persons.contains(p),
            Page::Indicator(i, _) => !a.indicators.contains(i),
            Page::Comparison(c) => !involves(*c),
            Page::Region(r) => !cmp.regions[*r]
                .districts
                .iter()
                .any(|d| a.districts.contains(d)),
            Page::NotFound => true,
            // Home and the lists show counts of everything.
            _ => false,
        }
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
                // Anything else under content/ matters only if it is (or was) a folder of
                // plans, moved or removed, whose files are not named one by one. Editors' swap
                // files and sed's temporary files are not.
                (Ok(_), _) => {
                    let rel = p.strip_prefix(&self.root).unwrap_or(p);
                    let was_folder = self
                        .site
                        .plans
                        .iter()
                        .any(|plan| plan.file.starts_with(rel) && plan.file != rel);
                    reopen |= p.is_dir() || was_folder;
                }
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

        let old_pairs = pairs(&self.site, &self.ix);
        let old_persons: Vec<String> = self
            .site
            .config
            .persons
            .items
            .iter()
            .map(|p| p.name.clone())
            .collect();
        // The changed plans' search documents as they were, if the preview has an index.
        let old_docs: Option<Vec<crate::search::PlanDocs>> = self
            .search
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
            .then(|| search_docs(&self.site, &rels));
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
        // Persons are registered as validation meets them, so where there are any, every plan
        // is validated again, in the order a clean build loads them. Otherwise only the new.
        let has_persons = |p: &crate::model::Plan| {
            p.body.tasks.iter().any(|t| !t.persons.is_empty())
                || p.meta.tasks.iter().any(|o| o.persons.is_some())
        };
        let only_fresh = self.site.config.persons.items.is_empty()
            && self.config.persons.items.is_empty()
            && !plans
                .iter()
                .filter(|p| rels.contains(&p.file))
                .any(has_persons);
        let outcome = if !problems.is_empty() {
            Err((crate::diagnostics::Diagnostics(problems), plans))
        } else if only_fresh {
            validate::revalidate(self.site.config.clone(), plans, &rels)
        } else {
            plans.sort_by(|a, b| a.file.cmp(&b.file));
            validate::validate_keeping(self.config.clone(), plans)
        };
        match outcome {
            Ok(site) => {
                let mut affected = Affected {
                    old_pairs,
                    ..Affected::default()
                };
                for p in old
                    .iter()
                    .chain(site.plans.iter().filter(|p| rels.contains(&p.file)))
                {
                    affected.add(p);
                }
                // Persons registered anew (in a new order) change every person page's index.
                let same_persons = site
                    .config
                    .persons
                    .items
                    .iter()
                    .map(|p| &p.name)
                    .eq(old_persons.iter());
                self.site = site;
                self.index(&keep, same_persons.then_some(affected));
                if let (Some(old_docs), Some(search)) = (
                    old_docs,
                    self.search
                        .get_mut()
                        .unwrap_or_else(|e| e.into_inner())
                        .as_mut(),
                ) {
                    // Only the files the edit changed are made again.
                    let site = &self.site;
                    let new_docs = search_docs(site, &rels);
                    let docs = |p: usize| crate::search::plan_docs(site, p);
                    let plans = crate::search::Plans {
                        facets: crate::search::facets(site),
                        count: site.plans.len(),
                        docs: &docs,
                    };
                    let update = search.index.update(&old_docs, &new_docs, &plans);
                    for (path, bytes) in update.write {
                        search.files.insert(path, Arc::new(bytes));
                    }
                    for path in update.remove {
                        search.files.remove(&path);
                    }
                }
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
                // The site is as it was: every rendered page still holds.
                let nothing = Affected {
                    old_pairs,
                    ..Affected::default()
                };
                self.index(&keep, Some(nothing));
                Err(errors_text(&diags.sorted()))
            }
        }
    }

    /// A file of the search index, which is made the first time one is asked for.
    fn search_file(&self, rel: &str) -> Option<Arc<Vec<u8>>> {
        let mut search = self.search.lock().unwrap_or_else(|e| e.into_inner());
        let search = search.get_or_insert_with(|| {
            let mut files = HashMap::new();
            let index = crate::search::build(&self.site, &mut |path, bytes| {
                files.insert(path, Arc::new(bytes));
            });
            SearchFiles { index, files }
        });
        search.files.get(rel).cloned()
    }

    /// Whether the site has a file at this site-relative path.
    pub fn exists(&self, rel: &str) -> bool {
        if rel.starts_with(crate::search::DIR) {
            return self.search_file(rel).is_some();
        }
        self.page_files.contains_key(rel)
            || self.data_files.contains_key(rel)
            || SITE_FILES.contains(&rel)
            || rel
                .strip_prefix("static/")
                .is_some_and(|s| self.statics.contains_key(s))
    }

    /// The file at a site-relative path, rendered now if it was not yet.
    pub fn get(&self, rel: &str) -> Option<Result<Arc<Vec<u8>>, String>> {
        if rel.starts_with(crate::search::DIR) {
            return self.search_file(rel).map(Ok);
        }
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

/// The search documents of the plans of these files, ordered by URL.
fn search_docs(site: &Site, files: &HashSet<PathBuf>) -> Vec<crate::search::PlanDocs> {
    let mut docs: Vec<crate::search::PlanDocs> = site
        .plans
        .iter()
        .enumerate()
        .filter(|(_, p)| files.contains(&p.file))
        .map(|(i, _)| crate::search::plan_docs(site, i))
        .collect();
    docs.sort_by(|a, b| a.url.cmp(&b.url));
    docs
}
