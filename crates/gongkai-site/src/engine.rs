//! The engine: the one driver that `check`, `build` and `serve` share. It runs the pipeline —
//! load → validate → index → compare → render → write — and keeps what it made, so the preview
//! can run it again on the plans an edit changed ([`Engine::update`]) and end where a clean run
//! would. Output goes through one [`Sink`]: a staging folder or memory.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::compare::{self, Changes, Comparisons};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::index::Index;
use crate::output::Sink;
use crate::render::{Page, Parts, Renderer, Theme};
use crate::validate::{self, Site};
use crate::{config, data, load, output};
use gongkai_model::{DistrictId, PlanId};

/// How long each stage took, in order.
pub type Timings = Vec<(&'static str, Duration)>;

/// A site run through the pipeline: everything its pages and files are made from.
pub struct Engine {
    pub root: PathBuf,
    pub base_url: Option<String>,
    pub theme: Arc<Theme>,
    pub site: Site,
    pub ix: Index,
    pub cmp: Comparisons,
    pub pages: Vec<Page>,
    pub timings: Timings,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("root", &self.root)
            .field("plans", &self.site.plans.len())
            .field("pages", &self.pages.len())
            .finish()
    }
}

/// How a build writes.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Show a progress bar (on a terminal, not in CI).
    pub progress: bool,
    /// Links name `index.html`, for a site opened from a disk rather than a web server.
    pub for_disk: bool,
    /// Minify pages with minify-html even when `site.yaml` does not ask for it.
    pub minify: bool,
}

#[derive(Debug, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub timings: Timings,
}

/// The site-wide files, by path: open data, sitemap and feed (static files aside).
pub const SITE_FILES: &[&str] = &[
    "data/plans.json",
    "data/units.json",
    "data/indicators.csv",
    "sitemap.xml",
    "feed.xml",
    "data/tasks.csv",
    "data/comparisons.json",
    "data/progress.csv",
    "progress.xml",
];

impl Engine {
    /// Loads, validates, indexes and compares the site at `root`: every problem of its config,
    /// theme and content in one run.
    pub fn open(root: &Path, base_url: Option<&str>) -> Result<Engine, Diagnostics> {
        let t = Instant::now();
        let mut diags = Diagnostics::default();
        let config = match config::load(root) {
            Ok(mut c) => {
                if let Some(b) = base_url {
                    match config::normalize_base_url(b) {
                        Some(b) => c.base_url = b,
                        None => diags.push(
                            Diagnostic::new(
                                "--base-url",
                                0,
                                gongkai_i18n::tr!("config.bad_base_url", value = b),
                            )
                            .hint(gongkai_i18n::tr!("config.bad_base_url_hint")),
                        ),
                    }
                }
                Some(c)
            }
            Err(d) => {
                diags.extend(d);
                None
            }
        };
        let theme = config
            .as_ref()
            .map(|c| Theme::load(root, c))
            .transpose()
            .unwrap_or_else(|d| {
                diags.push(d);
                None
            });
        let (loaded, load_diags) = load::load_all(root);
        diags.extend(load_diags);
        let t_load = t.elapsed();
        let t = Instant::now();
        let site = match config {
            Some(c) => match validate::site(c, loaded) {
                Ok(s) => Some(s),
                Err(d) => {
                    diags.extend(d);
                    None
                }
            },
            None => {
                diags.extend(validate::without_config(&loaded));
                None
            }
        };
        let t_validate = t.elapsed();
        let (Some(site), Some(theme)) = (site, theme) else {
            return Err(diags);
        };
        if diags.has_errors() {
            diags.0.extend(site.warnings());
            return Err(diags);
        }
        let mut engine = Engine::assemble(
            root,
            base_url,
            Arc::new(theme),
            site,
            &|_: &gongkai_model::Plan, _: &gongkai_model::Plan| None,
        );
        engine.timings.insert(0, ("load", t_load));
        engine.timings.insert(1, ("validate", t_validate));
        Ok(engine)
    }

    /// Index, comparisons and the list of pages of a validated site.
    fn assemble(
        root: &Path,
        base_url: Option<&str>,
        theme: Arc<Theme>,
        site: Site,
        reuse: &(dyn Fn(&gongkai_model::Plan, &gongkai_model::Plan) -> Option<Arc<Changes>> + Sync),
    ) -> Engine {
        let t = Instant::now();
        let ix = Index::build(&site);
        let t_index = t.elapsed();
        let t = Instant::now();
        let cmp = compare::build_reusing(&site, &ix, reuse);
        let pages = Parts {
            site: &site,
            ix: &ix,
            cmp: &cmp,
        }
        .pages();
        let t_compare = t.elapsed();
        Engine {
            root: root.to_path_buf(),
            base_url: base_url.map(str::to_string),
            theme,
            site,
            ix,
            cmp,
            pages,
            timings: vec![("index", t_index), ("compare", t_compare)],
        }
    }

    /// The engine after `changed` files changed. Plans alone: only they are read again, the
    /// others kept (see [`validate::update`]), and comparisons of unchanged pairs reused. Any
    /// other file (`site.yaml`, templates, static files): everything is read again.
    pub fn update(&self, changed: &[PathBuf]) -> Result<Engine, Diagnostics> {
        // The plans the changed files belong to: a progress file or 解读 is read again with its
        // plan. Anything else, or a side file left without its plan, reads everything again.
        let Some(plans) = self.changed_plans(changed) else {
            return Engine::open(&self.root, self.base_url.as_deref());
        };
        let mut diags = Diagnostics::default();
        let mut changes = Vec::new();
        for rel in plans {
            let abs = self.root.join(&rel);
            let hidden = rel
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if abs.is_file() && !hidden {
                match load::load_plan(&self.root, &rel) {
                    Ok(p) => changes.push((rel, Some(p))),
                    Err(d) => diags.extend(d),
                }
            } else {
                changes.push((rel, None));
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        let site = validate::update(&self.site, changes)?;
        // What changed between two plans depends on the two plans and the registries alone.
        let same_names = Arc::ptr_eq(&site.reg, &self.site.reg);
        let mut kept: HashMap<(&Path, u64, &Path, u64), Arc<Changes>> = HashMap::new();
        if same_names {
            for x in self.cmp.list.iter() {
                let (a, b) = (&self.site.plans[x.from], &self.site.plans[x.to]);
                kept.insert(
                    (&a.file, a.fingerprint, &b.file, b.fingerprint),
                    x.changes.clone(),
                );
            }
        }
        let reuse = |a: &gongkai_model::Plan, b: &gongkai_model::Plan| {
            kept.get(&(
                a.file.as_path(),
                a.fingerprint,
                b.file.as_path(),
                b.fingerprint,
            ))
            .cloned()
        };
        Ok(Engine::assemble(
            &self.root,
            self.base_url.as_deref(),
            self.theme.clone(),
            site,
            &reuse,
        ))
    }

    /// The plan files (site-relative) that `changed` (absolute) touch, or `None` when a change
    /// is not to plans and their side files alone.
    fn changed_plans(&self, changed: &[PathBuf]) -> Option<Vec<PathBuf>> {
        let mut plans: Vec<PathBuf> = Vec::new();
        for abs in changed {
            let rel = abs.strip_prefix(&self.root).ok()?;
            if !rel.starts_with(load::CONTENT_DIR) {
                return None;
            }
            let plan = match load::classify(rel) {
                load::ContentFile::Plan => {
                    // A plan removed with its side files still there: they are orphans now.
                    let orphaned = !abs.is_file()
                        && load::side_files(rel)
                            .iter()
                            .any(|f| self.root.join(f).is_file());
                    if orphaned {
                        return None;
                    }
                    rel.to_path_buf()
                }
                load::ContentFile::Progress(plan) | load::ContentFile::Interpretation(plan) => {
                    if !self.root.join(&plan).is_file() {
                        return None;
                    }
                    plan
                }
                // A file the site does not read (an image, a swap file) changes nothing; a
                // folder, or a path that is gone, may have held plans.
                load::ContentFile::Other if abs.is_file() => continue,
                load::ContentFile::Other => return None,
            };
            if !plans.contains(&plan) {
                plans.push(plan);
            }
        }
        Some(plans)
    }

    pub fn parts(&self) -> Parts<'_> {
        Parts {
            site: &self.site,
            ix: &self.ix,
            cmp: &self.cmp,
        }
    }

    pub fn renderer(&self) -> Renderer<'_> {
        Renderer {
            theme: &self.theme,
            parts: self.parts(),
        }
    }

    /// Renders every page, writing nothing: what `build` would fail on, `check` reports. A
    /// template error met on many pages is reported once, at its place in the template.
    pub fn check(&self) -> Result<(), Diagnostics> {
        let renderer = self.renderer();
        let mut errors: Vec<Diagnostic> = self
            .pages
            .par_iter()
            .filter_map(|p| renderer.render(p).err())
            .collect();
        errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        errors.dedup_by(|a, b| (&a.file, a.line, a.column) == (&b.file, b.line, b.column));
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Diagnostics(errors))
        }
    }

    /// The data file that goes beside a page: a plan's `plan.json`, a district's `tasks.csv`.
    pub fn page_data(&self, page: &Page) -> Option<(String, Vec<u8>)> {
        let parts = self.parts();
        match *page {
            Page::Plan(p) => Some((
                format!("{}plan.json", self.site.plans[p].url),
                data::plan_json(&parts, p),
            )),
            Page::District(d, 1) => Some((
                format!("{}tasks.csv", parts.district_url(d)),
                data::tasks_csv(&parts, &self.ix.by_district[d]),
            )),
            _ => None,
        }
    }

    /// The data files beside pages, by path, with the page that makes each.
    pub fn data_file_names(&self) -> impl Iterator<Item = (String, Page)> + '_ {
        let plans = self
            .site
            .plans
            .iter_ids()
            .map(|(p, plan)| (format!("{}plan.json", plan.url), Page::Plan(p)));
        let districts = self.site.config.districts.ids().map(|d: DistrictId| {
            (
                format!("{}tasks.csv", self.parts().district_url(d)),
                Page::District(d, 1),
            )
        });
        plans.chain(districts)
    }

    /// Writes one site-wide file; the large ones as they are made. Returns its size.
    pub fn write_site_file(&self, sink: &dyn Sink, name: &str) -> std::io::Result<u64> {
        let parts = self.parts();
        let whole = |body: Vec<u8>| -> std::io::Result<u64> {
            sink.write(name, &body)?;
            Ok(body.len() as u64)
        };
        match name {
            "data/plans.json" => whole(data::plans_json(&parts)),
            "data/units.json" => whole(data::units_json(&parts)),
            "data/indicators.csv" => whole(data::indicators_csv(&parts)),
            "sitemap.xml" => whole(data::sitemap(&parts, &self.pages)),
            "feed.xml" => whole(data::atom(&parts)),
            "data/tasks.csv" => {
                let all: Vec<PlanId> = self.site.plans.ids().collect();
                sink.stream(name, &mut |w| data::write_tasks_csv(&parts, &all, w))
            }
            "data/comparisons.json" => {
                sink.stream(name, &mut |w| data::write_comparisons_json(&parts, w))
            }
            "data/progress.csv" => sink.stream(name, &mut |w| data::write_progress_csv(&parts, w)),
            "progress.xml" => whole(data::progress_atom(&parts)),
            _ => Ok(0),
        }
    }

    /// The files of `sources/` published with the plans, by their path in the site, with the
    /// file each is copied from.
    pub fn published_files(&self) -> impl Iterator<Item = (String, PathBuf)> + '_ {
        self.site.plans.iter().flat_map(|plan| {
            plan.files.iter().map(|a| {
                (
                    format!("{}{}", plan.url, a.published),
                    self.root.join(&a.source),
                )
            })
        })
    }

    /// A rendered page as it is written: minified when asked (the templates already emit
    /// compact HTML; see the README's Speed section), and for a disk with links that name
    /// `index.html`.
    pub fn finish_page(html: String, minify: bool, for_disk: bool) -> Vec<u8> {
        let bytes = if minify {
            output::minify(html.as_bytes())
        } else {
            html.into_bytes()
        };
        if for_disk {
            output::for_disk(&bytes)
        } else {
            bytes
        }
    }

    /// Builds the site into a sink.
    pub fn build(&self, sink: &dyn Sink, opts: WriteOptions) -> Result<BuildReport, Error> {
        let mut timings = self.timings.clone();
        let renderer = self.renderer();
        let parts = self.parts();
        let write_err = |e: std::io::Error| Error::Write {
            path: self.root.join("output"),
            source: e,
        };
        let bytes = AtomicU64::new(0);
        let render_ns = AtomicU64::new(0);
        let minify_ns = AtomicU64::new(0);
        let write_ns = AtomicU64::new(0);
        let bar = progress_bar(opts.progress, self.pages.len());
        let minify = opts.minify || self.site.config.minify;

        // Each page is rendered, minified and written by one worker, so memory holds only the
        // pages in flight, never the whole site.
        let one = |page: &Page| -> Result<(), Error> {
            let t0 = Instant::now();
            let html = renderer.render(page).map_err(|d| Error::Content(vec![d]))?;
            let t1 = Instant::now();
            let min = Engine::finish_page(html, minify, opts.for_disk);
            let t2 = Instant::now();
            sink.write(&parts.file(page), &min).map_err(write_err)?;
            let mut n = min.len();
            if let Some((name, body)) = self.page_data(page) {
                sink.write(&name, &body).map_err(write_err)?;
                n += body.len();
            }
            let t3 = Instant::now();
            render_ns.fetch_add((t1 - t0).as_nanos() as u64, Ordering::Relaxed);
            minify_ns.fetch_add((t2 - t1).as_nanos() as u64, Ordering::Relaxed);
            write_ns.fetch_add((t3 - t2).as_nanos() as u64, Ordering::Relaxed);
            bytes.fetch_add(n as u64, Ordering::Relaxed);
            if let Some(b) = &bar {
                b.inc(1);
            }
            Ok(())
        };
        // The search index is made from the model, on a thread of its own, while the pages
        // render; the site-wide data files are written meanwhile, on another.
        let t = Instant::now();
        let (results, site_files, search) = std::thread::scope(|scope| {
            let files = scope.spawn(|| {
                let t = Instant::now();
                let written = self.write_site_files(sink);
                (written, t.elapsed())
            });
            let search = scope.spawn(|| {
                let t = Instant::now();
                let mut written: std::io::Result<u64> = Ok(0);
                let mut emit = |path: String, body: Vec<u8>| {
                    if let Ok(n) = &mut written {
                        match sink.write(&path, &body) {
                            Ok(()) => *n += body.len() as u64,
                            Err(e) => written = Err(e),
                        }
                    }
                };
                // On disk, the postings wait in a scratch file rather than in memory (at
                // 10,000 plans they are about 200 MB, held until the last plan is read).
                let work = match sink.scratch() {
                    Ok(Some(scratch)) => crate::search::write(&self.site, scratch, &mut emit),
                    Ok(None) => Ok(crate::search::build(&self.site, &mut emit).work()),
                    Err(e) => Err(e),
                };
                let (written, work) = match (written, work) {
                    (Ok(n), Ok(w)) => (Ok(n), w),
                    (Err(e), _) | (_, Err(e)) => (Err(e), Duration::ZERO),
                };
                (written, t.elapsed(), work)
            });
            let results: Vec<Result<(), Error>> = self.pages.par_iter().map(one).collect();
            let search = search.join().unwrap_or_else(|_| {
                let stopped = std::io::Error::other("the search indexer stopped");
                (Err(stopped), Duration::ZERO, Duration::ZERO)
            });
            let files = files
                .join()
                .unwrap_or_else(|_| (Err(std::io::Error::other("stopped")), Duration::ZERO));
            (results, files, search)
        });
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(()) => {}
                Err(Error::Content(d)) => errors.extend(d),
                Err(e) => return Err(e),
            }
        }
        if !errors.is_empty() {
            errors.sort();
            errors.dedup();
            return Err(Error::Content(errors));
        }
        let (site_files, data_time) = site_files;
        let (site_count, site_bytes) = site_files.map_err(write_err)?;
        bytes.fetch_add(site_bytes, Ordering::Relaxed);
        let wall = t.elapsed();
        let busy = render_ns.load(Ordering::Relaxed)
            + minify_ns.load(Ordering::Relaxed)
            + write_ns.load(Ordering::Relaxed);
        // Workers overlap: share the wall time of the parallel stage in proportion to busy time.
        let share = |ns: &AtomicU64| {
            if busy == 0 {
                Duration::ZERO
            } else {
                wall.mul_f64(ns.load(Ordering::Relaxed) as f64 / busy as f64)
            }
        };
        timings.push(("render", share(&render_ns)));
        timings.push(("minify", share(&minify_ns)));
        timings.push(("write", share(&write_ns)));
        timings.push(("data (alongside)", data_time));
        let (search, search_time, search_work) = search;
        bytes.fetch_add(search.map_err(write_err)?, Ordering::Relaxed);
        timings.push(("search index (alongside)", search_time));
        timings.push(("search index, work on all threads", search_work));
        let data_files = self.site.plans.len() + self.site.config.districts.len();
        Ok(BuildReport {
            pages: self.pages.len(),
            files: self.pages.len() + data_files + site_count,
            bytes: bytes.load(Ordering::Relaxed),
            timings,
        })
    }

    /// The site-wide files and the static files. Returns how many files and bytes were written.
    fn write_site_files(&self, sink: &dyn Sink) -> std::io::Result<(usize, u64)> {
        let mut bytes = 0;
        for name in SITE_FILES {
            bytes += self.write_site_file(sink, name)?;
        }
        for (name, body) in &self.theme.statics {
            sink.write(&format!("static/{name}"), body)?;
            bytes += body.len() as u64;
        }
        let mut published = 0;
        let sources = self.root.join(load::SOURCES_DIR);
        for (name, source) in self.published_files() {
            // Opened again under the policy and copied in pieces: a file swapped for a link
            // since it was checked is refused, and a large one is never held whole.
            let opened =
                crate::input::open(&source, Some(&sources), crate::limits::ATTACHMENT_BYTES)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
            let limit = opened.len;
            let mut file = opened.file.take(limit);
            bytes += sink.stream(&name, &mut |w| std::io::copy(&mut file, w).map(|_| ()))?;
            published += 1;
        }
        Ok((
            SITE_FILES.len() + self.theme.statics.len() + published,
            bytes,
        ))
    }
}

fn progress_bar(enabled: bool, len: usize) -> Option<indicatif::ProgressBar> {
    if !enabled || len < 200 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(gongkai_i18n::tr!("build.rendering"));
    Some(bar)
}
