//! The pipeline, start to end: load → validate → index → render → write.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::index::Index;
use crate::render::{Page, Renderer};
use crate::validate::Site;
use crate::{config, data, load, output, theme, validate};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
    /// Show a progress bar (on a terminal, not in CI).
    pub progress: bool,
    /// Links name `index.html`, for a site opened from a disk rather than a web server.
    pub for_disk: bool,
}

#[derive(Debug, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub timings: Timings,
}

#[derive(Debug)]
pub enum BuildError {
    /// Problems in the publisher's input, all of them.
    Content(Vec<Diagnostic>),
    /// The output could not be written.
    Io(String),
}

impl From<Diagnostics> for BuildError {
    fn from(d: Diagnostics) -> Self {
        BuildError::Content(d.sorted())
    }
}

/// How long each stage took, in order.
pub type Timings = Vec<(&'static str, Duration)>;

/// Loads and validates a site: every problem of config and content, in one run.
pub fn check(root: &Path, base_url: Option<&str>) -> Result<(Site, Timings), Diagnostics> {
    let t = Instant::now();
    let cfg = config::load(root);
    let (plans, mut diags) = load::load_all(root);
    let t_load = t.elapsed();
    let t = Instant::now();
    let site = match cfg {
        Ok(mut cfg) => {
            if let Some(b) = base_url {
                cfg.base_url = if b.ends_with('/') {
                    b.to_string()
                } else {
                    format!("{b}/")
                };
            }
            match validate::validate(cfg, plans) {
                Ok(site) => Some(site),
                Err(d) => {
                    diags.extend(d);
                    None
                }
            }
        }
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    if let Err(d) = theme::compile(root) {
        diags.push(d);
    }
    match site {
        Some(site) if diags.is_empty() => {
            Ok((site, vec![("load", t_load), ("validate", t.elapsed())]))
        }
        _ => Err(diags),
    }
}

/// Builds the site into `opts.output`, replacing it only when everything succeeded.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let io =
        |e: std::io::Error| BuildError::Io(format!("cannot write {}: {e}", opts.output.display()));
    let staging = output::Staging::new(&opts.output).map_err(io)?;
    let mut report = build_into(
        &opts.root,
        opts.base_url.as_deref(),
        opts.progress,
        opts.for_disk,
        &staging,
    )?;
    let t = Instant::now();
    staging.commit().map_err(io)?;
    report.timings.push(("commit", t.elapsed()));
    Ok(report)
}

/// Builds the site into memory, for the preview server: every file by its site-relative path.
pub fn build_in_memory(
    root: &Path,
    base_url: Option<&str>,
) -> Result<(output::Files, BuildReport), BuildError> {
    let memory = output::Memory::default();
    let report = build_into(root, base_url, false, false, &memory)?;
    Ok((memory.into_files(), report))
}

/// Builds the site into a sink: a staging folder or memory.
fn build_into(
    root: &Path,
    base_url: Option<&str>,
    progress: bool,
    for_disk: bool,
    staging: &dyn output::Sink,
) -> Result<BuildReport, BuildError> {
    let (site, mut timings) = check(root, base_url)?;
    let mut tera = theme::compile(root).map_err(|d| BuildError::Content(vec![d]))?;
    crate::render::site_globals(&mut tera, &site.config);
    let statics = theme::static_files(root).map_err(|d| BuildError::Content(vec![d]))?;

    let t = Instant::now();
    let mut ix = Index::build(&site);
    timings.push(("index", t.elapsed()));
    let t = Instant::now();
    ix.comparisons = crate::compare::build(&site, &ix);
    let pages = crate::render::pages(&site, &ix);
    timings.push(("compare", t.elapsed()));

    let io = |e: std::io::Error| BuildError::Io(format!("cannot write: {e}"));
    let renderer = Renderer {
        tera: &tera,
        site: &site,
        ix: &ix,
    };
    let bytes = AtomicU64::new(0);
    let render_ns = AtomicU64::new(0);
    let minify_ns = AtomicU64::new(0);
    let write_ns = AtomicU64::new(0);
    let bar = progress_bar(progress, pages.len());

    let t = Instant::now();
    // Each page is rendered, minified and written by one worker, so memory holds only the
    // pages in flight, never the whole site. The site-wide data files are written meanwhile, on
    // one more worker.
    // Renders, minifies and writes one page (and its data file).
    let one = |page: &Page| -> Result<(), BuildError> {
        let t0 = Instant::now();
        let html = render_html(&renderer, page)?;
        let t1 = Instant::now();
        let mut min = output::minify(&html);
        if for_disk {
            min = output::link_index_files(&min);
        }
        let t2 = Instant::now();
        let file = page.file(&site, &ix);
        staging.write(&file, &min).map_err(io)?;
        let mut n = min.len();
        if let Some((name, body)) = page_data(&site, &ix, page) {
            staging.write(&name, &body).map_err(io)?;
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
    // The search index is made from the model, on a thread of its own, while the pages render;
    // the site-wide data files are written meanwhile, on another.
    let (results, data, search) = std::thread::scope(|scope| {
        let data = scope.spawn(|| {
            let t = Instant::now();
            let written = write_site_files(staging, &site, &ix, &pages, statics);
            (written, t.elapsed())
        });
        let search = scope.spawn(|| {
            let t = Instant::now();
            let mut written: Result<u64, String> = Ok(0);
            let index = crate::search::build(&site, &mut |path, bytes| {
                if let Ok(n) = &mut written {
                    match staging.write(&path, &bytes) {
                        Ok(()) => *n += bytes.len() as u64,
                        Err(e) => {
                            written = Err(crate::tr!("search.write_failed", path = path, error = e))
                        }
                    }
                }
            });
            (written, t.elapsed(), index.work())
        });
        let results: Vec<Result<(), BuildError>> = pages.par_iter().map(one).collect();
        let search = search.join().unwrap_or_else(|_| {
            let stopped = "the search indexer stopped".to_string();
            (Err(stopped), Duration::ZERO, Duration::ZERO)
        });
        let data = data
            .join()
            .unwrap_or_else(|_| (Err(std::io::Error::other("stopped")), Duration::ZERO));
        (results, data, search)
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(()) => {}
            Err(BuildError::Content(d)) => errors.extend(d),
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        errors.sort();
        errors.dedup();
        return Err(BuildError::Content(errors));
    }
    let (site_files, data_time) = data;
    let site_files = site_files.map_err(io)?;
    bytes.fetch_add(site_files.1, Ordering::Relaxed);
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
    bytes.fetch_add(search.map_err(BuildError::Io)?, Ordering::Relaxed);
    timings.push(("search index (alongside)", search_time));
    timings.push(("search index, work on all threads", search_work));

    let files = pages.len() + site.plans.len() + site.config.districts.len() + site_files.0;
    Ok(BuildReport {
        pages: pages.len(),
        files,
        bytes: bytes.load(Ordering::Relaxed),
        timings,
    })
}

/// A page's HTML before minifying; a template error names the template and the page.
pub fn render_html(renderer: &Renderer, page: &Page) -> Result<Vec<u8>, BuildError> {
    let ctx = renderer.context(page);
    let (site, ix) = (renderer.site, renderer.ix);
    renderer
        .tera
        .render(page.template(), &ctx)
        .map(String::into_bytes)
        .map_err(|e| {
            BuildError::Content(vec![
                Diagnostic::new(
                    format!("templates/{}", page.template()),
                    0,
                    format!(
                        "template error while rendering {}: {}",
                        page.file(site, ix),
                        crate::render::error_chain(&e)
                    ),
                )
                .hint("fix the template, or delete the override to use the built-in one"),
            ])
        })
}

/// The data file that goes beside a page: a plan's `plan.json`, a district's `tasks.csv`.
pub fn page_data(site: &Site, ix: &Index, page: &Page) -> Option<(String, Vec<u8>)> {
    match page {
        Page::Plan(p) => {
            let plan = &site.plans[*p];
            Some((
                format!("{}plan.json", plan.url()),
                data::plan_json(site, plan),
            ))
        }
        Page::District(d) => {
            let plans: Vec<_> = ix.by_district[*d].iter().map(|&p| &site.plans[p]).collect();
            Some((
                format!("{}tasks.csv", crate::render::district_url(&site.config, *d)),
                data::tasks_csv(site, &plans),
            ))
        }
        _ => None,
    }
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
];

/// Writes one site-wide file; the large ones as they are made. Returns its size.
pub fn write_site_file(
    sink: &dyn output::Sink,
    name: &str,
    site: &Site,
    ix: &Index,
    pages: &[Page],
) -> std::io::Result<u64> {
    let whole = |body: Vec<u8>| -> std::io::Result<u64> {
        sink.write(name, &body)?;
        Ok(body.len() as u64)
    };
    match name {
        "data/plans.json" => whole(data::plans_json(site)),
        "data/units.json" => whole(data::units_json(site, ix)),
        "data/indicators.csv" => whole(data::indicators_csv(site)),
        "sitemap.xml" => whole(data::sitemap(site, ix, pages)),
        "feed.xml" => whole(data::atom(site)),
        "data/tasks.csv" => sink.stream(name, &mut |w| data::write_tasks_csv(site, &site.plans, w)),
        "data/comparisons.json" => {
            sink.stream(name, &mut |w| data::write_comparisons_json(site, ix, w))
        }
        _ => Ok(0),
    }
}

/// The site-wide files and the static files. Returns how many files and bytes were written.
fn write_site_files(
    staging: &dyn output::Sink,
    site: &Site,
    ix: &Index,
    pages: &[Page],
    statics: std::collections::BTreeMap<String, Vec<u8>>,
) -> std::io::Result<(usize, u64)> {
    let mut bytes = 0;
    for name in SITE_FILES {
        bytes += write_site_file(staging, name, site, ix, pages)?;
    }
    for (name, body) in &statics {
        staging.write(&format!("static/{name}"), body)?;
        bytes += body.len() as u64;
    }
    Ok((SITE_FILES.len() + statics.len(), bytes))
}

fn progress_bar(enabled: bool, len: usize) -> Option<indicatif::ProgressBar> {
    if !enabled || len < 200 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} pages")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("rendering");
    Some(bar)
}
