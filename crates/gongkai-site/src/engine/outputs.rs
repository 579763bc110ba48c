//! What a build writes, as outputs (as mdBook's renderers): the pages, the data file beside
//! each plan and district page, the site-wide data files and feeds, the theme's static files,
//! the files of `sources/` published with plans, and the search index. Each output lists and
//! writes its own files. `build` writes every output of [`Engine::outputs`], `check` checks
//! every one, and the preview finds a requested file in the same outputs' lists, so no second
//! list of names can fall out of step with them.

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::{Engine, Timings, WriteOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::output::{self, Sink};
use crate::render::Page;
use crate::{data, load};
use gongkai_model::PlanId;

/// What makes one file of the site; what the preview looks a requested path up by.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Page(Page),
    /// The data file beside a page: a plan's `plan.json`, a district's `tasks.csv`.
    Data(Page),
    Site(SiteFile),
    /// A file of the theme's `static/`, by its name there.
    Static(String),
    /// A file of `sources/` published with a plan, by the file it is copied from.
    Published(PathBuf),
}

/// The site-wide files: open data, the sitemap and the feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteFile {
    Plans,
    Units,
    Indicators,
    Sitemap,
    Feed,
    Tasks,
    Comparisons,
    Progress,
    ProgressFeed,
}

impl SiteFile {
    /// Every one, in the order a build writes them.
    pub const ALL: [SiteFile; 9] = [
        SiteFile::Plans,
        SiteFile::Units,
        SiteFile::Indicators,
        SiteFile::Sitemap,
        SiteFile::Feed,
        SiteFile::Tasks,
        SiteFile::Comparisons,
        SiteFile::Progress,
        SiteFile::ProgressFeed,
    ];

    /// Its site-relative path.
    pub fn path(self) -> &'static str {
        match self {
            SiteFile::Plans => "data/plans.json",
            SiteFile::Units => "data/units.json",
            SiteFile::Indicators => "data/indicators.csv",
            SiteFile::Sitemap => "sitemap.xml",
            SiteFile::Feed => "feed.xml",
            SiteFile::Tasks => "data/tasks.csv",
            SiteFile::Comparisons => "data/comparisons.json",
            SiteFile::Progress => "data/progress.csv",
            SiteFile::ProgressFeed => "progress.xml",
        }
    }
}

/// What an output wrote.
#[derive(Debug, Default)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
    /// Its stages, for `build --timings`.
    pub timings: Timings,
}

/// One kind of file a build writes.
pub trait Output: Sync {
    /// Its files by site-relative path, with what makes each. The search index lists none:
    /// its files are known once it is made, all under [`Output::folder`].
    fn files(&self, engine: &Engine) -> Vec<(String, Origin)>;

    /// The folder all of whose files it makes, when they cannot be listed beforehand.
    fn folder(&self) -> Option<&'static str> {
        None
    }

    /// What writing it would fail on, found without writing.
    fn check(&self, _engine: &Engine) -> Result<(), Diagnostics> {
        Ok(())
    }

    /// Writes all its files into `sink`.
    fn write(&self, engine: &Engine, sink: &dyn Sink, opts: WriteOptions)
    -> Result<Written, Error>;
}

/// Every page, rendered from its view.
pub struct Pages;
/// The data file beside each plan page and each district's first page.
pub struct PageData;
/// Open data, the sitemap and the feeds.
pub struct SiteData;
/// The theme's static files.
pub struct Statics;
/// The files of `sources/` that plans publish.
pub struct Published;
/// The search index.
pub struct SearchIndex;

/// The outputs of every site, in the order their files are listed.
pub const OUTPUTS: [&dyn Output; 6] = [
    &Pages,
    &PageData,
    &SiteData,
    &Statics,
    &Published,
    &SearchIndex,
];

fn write_error(engine: &Engine) -> impl Fn(std::io::Error) -> Error + '_ {
    |e| Error::Write {
        path: engine.root.join("output"),
        source: e,
    }
}

impl Output for Pages {
    fn files(&self, engine: &Engine) -> Vec<(String, Origin)> {
        let parts = engine.parts();
        engine
            .pages
            .iter()
            .map(|p| (parts.file(p), Origin::Page(*p)))
            .collect()
    }

    /// Renders every page: a template error met on many pages is reported once, at its place
    /// in the template.
    fn check(&self, engine: &Engine) -> Result<(), Diagnostics> {
        let renderer = engine.renderer();
        let mut errors: Vec<Diagnostic> = engine
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

    /// Each page is rendered, minified and written by one worker, so memory holds only the
    /// pages in flight, never the whole site.
    fn write(
        &self,
        engine: &Engine,
        sink: &dyn Sink,
        opts: WriteOptions,
    ) -> Result<Written, Error> {
        let renderer = engine.renderer();
        let parts = engine.parts();
        let minify = opts.minify || engine.site.config.minify;
        let ns = [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)];
        let bytes = AtomicU64::new(0);
        let bar = progress_bar(opts.progress, engine.pages.len());
        let t = Instant::now();
        let one = |page: &Page| -> Result<(), Error> {
            let t0 = Instant::now();
            let html = renderer.render(page).map_err(|d| Error::Content(vec![d]))?;
            let t1 = Instant::now();
            let min = finish_page(html, minify, opts.for_disk);
            let t2 = Instant::now();
            sink.write(&parts.file(page), &min)
                .map_err(write_error(engine))?;
            for (n, d) in ns.iter().zip([t1 - t0, t2 - t1, t2.elapsed()]) {
                n.fetch_add(d.as_nanos() as u64, Ordering::Relaxed);
            }
            bytes.fetch_add(min.len() as u64, Ordering::Relaxed);
            if let Some(b) = &bar {
                b.inc(1);
            }
            Ok(())
        };
        let results: Vec<Result<(), Error>> = engine.pages.par_iter().map(one).collect();
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        content_errors(results)?;
        // Workers overlap: share the wall time in proportion to busy time.
        let wall = t.elapsed();
        let busy: u64 = ns.iter().map(|n| n.load(Ordering::Relaxed)).sum();
        let share = |n: &AtomicU64| match busy {
            0 => Duration::ZERO,
            _ => wall.mul_f64(n.load(Ordering::Relaxed) as f64 / busy as f64),
        };
        Ok(Written {
            files: engine.pages.len(),
            bytes: bytes.load(Ordering::Relaxed),
            timings: vec![
                ("render", share(&ns[0])),
                ("minify", share(&ns[1])),
                ("write", share(&ns[2])),
            ],
        })
    }
}

/// Every error of the content met by the workers, sorted; the first other error as it is.
fn content_errors(results: Vec<Result<(), Error>>) -> Result<(), Error> {
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(()) => {}
            Err(Error::Content(d)) => errors.extend(d),
            Err(e) => return Err(e),
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    errors.sort();
    errors.dedup();
    Err(Error::Content(errors))
}

/// A rendered page as it is written: minified when asked (the templates already emit compact
/// HTML; see the README's Speed section), and for a disk with links that name `index.html`.
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

impl PageData {
    /// The data file beside `page`, by its path, if the page has one.
    pub fn make(engine: &Engine, page: &Page) -> Option<Vec<u8>> {
        let parts = engine.parts();
        match *page {
            Page::Plan(p) => Some(data::plan_json(&parts, p)),
            Page::District(d, 1) => Some(data::tasks_csv(&parts, &engine.ix.by_district[d])),
            _ => None,
        }
    }
}

impl Output for PageData {
    fn files(&self, engine: &Engine) -> Vec<(String, Origin)> {
        let parts = engine.parts();
        let plans = engine.site.plans.iter_ids().map(|(p, plan)| {
            (
                format!("{}plan.json", plan.url),
                Origin::Data(Page::Plan(p)),
            )
        });
        let districts = engine.site.config.districts.ids().map(|d| {
            let page = Page::District(d, 1);
            (
                format!("{}tasks.csv", parts.district_url(d)),
                Origin::Data(page),
            )
        });
        plans.chain(districts).collect()
    }

    fn write(&self, engine: &Engine, sink: &dyn Sink, _: WriteOptions) -> Result<Written, Error> {
        let t = Instant::now();
        let files = self.files(engine);
        let bytes = AtomicU64::new(0);
        files
            .par_iter()
            .try_for_each(|(path, source)| {
                let Origin::Data(page) = source else {
                    return Ok(());
                };
                if let Some(body) = PageData::make(engine, page) {
                    sink.write(path, &body)?;
                    bytes.fetch_add(body.len() as u64, Ordering::Relaxed);
                }
                Ok(())
            })
            .map_err(write_error(engine))?;
        Ok(Written {
            files: files.len(),
            bytes: bytes.into_inner(),
            timings: vec![("data beside pages", t.elapsed())],
        })
    }
}

impl SiteData {
    /// Writes one site-wide file; the large ones as they are made. Returns its size.
    pub fn write_one(engine: &Engine, sink: &dyn Sink, file: SiteFile) -> std::io::Result<u64> {
        let parts = engine.parts();
        let name = file.path();
        let whole = |body: Vec<u8>| -> std::io::Result<u64> {
            sink.write(name, &body)?;
            Ok(body.len() as u64)
        };
        match file {
            SiteFile::Plans => whole(data::plans_json(&parts)),
            SiteFile::Units => whole(data::units_json(&parts)),
            SiteFile::Indicators => whole(data::indicators_csv(&parts)),
            SiteFile::Sitemap => whole(data::sitemap(&parts, &engine.pages)),
            SiteFile::Feed => whole(data::atom(&parts)),
            SiteFile::Tasks => {
                let all: Vec<PlanId> = engine.site.plans.ids().collect();
                sink.stream(name, &mut |w| data::write_tasks_csv(&parts, &all, w))
            }
            SiteFile::Comparisons => {
                sink.stream(name, &mut |w| data::write_comparisons_json(&parts, w))
            }
            SiteFile::Progress => sink.stream(name, &mut |w| data::write_progress_csv(&parts, w)),
            SiteFile::ProgressFeed => whole(data::progress_atom(&parts)),
        }
    }
}

impl Output for SiteData {
    fn files(&self, _: &Engine) -> Vec<(String, Origin)> {
        SiteFile::ALL
            .iter()
            .map(|f| (f.path().to_string(), Origin::Site(*f)))
            .collect()
    }

    fn write(&self, engine: &Engine, sink: &dyn Sink, _: WriteOptions) -> Result<Written, Error> {
        let t = Instant::now();
        let mut bytes = 0;
        for file in SiteFile::ALL {
            bytes += SiteData::write_one(engine, sink, file).map_err(write_error(engine))?;
        }
        Ok(Written {
            files: SiteFile::ALL.len(),
            bytes,
            timings: vec![("data (alongside)", t.elapsed())],
        })
    }
}

impl Output for Statics {
    fn files(&self, engine: &Engine) -> Vec<(String, Origin)> {
        engine
            .theme
            .statics
            .keys()
            .map(|k| (format!("static/{k}"), Origin::Static(k.clone())))
            .collect()
    }

    fn write(&self, engine: &Engine, sink: &dyn Sink, _: WriteOptions) -> Result<Written, Error> {
        let mut bytes = 0;
        for (name, body) in &engine.theme.statics {
            sink.write(&format!("static/{name}"), body)
                .map_err(write_error(engine))?;
            bytes += body.len() as u64;
        }
        Ok(Written {
            files: engine.theme.statics.len(),
            bytes,
            timings: Vec::new(),
        })
    }
}

impl Published {
    /// Opens a published file again under the reading policy: a file swapped for a link since
    /// it was checked is refused.
    pub fn open(
        engine: &Engine,
        source: &std::path::Path,
    ) -> Result<crate::input::Opened, crate::input::ReadError> {
        let sources = engine.root.join(load::SOURCES_DIR);
        crate::input::open(source, Some(&sources), crate::limits::ATTACHMENT_BYTES)
    }
}

impl Output for Published {
    fn files(&self, engine: &Engine) -> Vec<(String, Origin)> {
        engine
            .site
            .plans
            .iter()
            .flat_map(|plan| {
                plan.files.iter().map(|a| {
                    let path = format!("{}{}", plan.url, a.published);
                    (path, Origin::Published(engine.root.join(&a.source)))
                })
            })
            .collect()
    }

    /// Copied in pieces: a large file is never held whole.
    fn write(&self, engine: &Engine, sink: &dyn Sink, _: WriteOptions) -> Result<Written, Error> {
        let files = self.files(engine);
        let mut bytes = 0;
        for (name, source) in &files {
            let Origin::Published(source) = source else {
                continue;
            };
            let opened = Published::open(engine, source)
                .map_err(|e| write_error(engine)(std::io::Error::other(e.to_string())))?;
            let mut file = opened.file.take(opened.len);
            bytes += sink
                .stream(name, &mut |w| std::io::copy(&mut file, w).map(|_| ()))
                .map_err(write_error(engine))?;
        }
        Ok(Written {
            files: files.len(),
            bytes,
            timings: Vec::new(),
        })
    }
}

impl Output for SearchIndex {
    fn files(&self, _: &Engine) -> Vec<(String, Origin)> {
        Vec::new()
    }

    fn folder(&self) -> Option<&'static str> {
        Some(crate::search::DIR)
    }

    /// Made from the model; on disk, the postings wait in a scratch file rather than in memory
    /// (see bench/README.md for what they weigh).
    fn write(&self, engine: &Engine, sink: &dyn Sink, _: WriteOptions) -> Result<Written, Error> {
        let t = Instant::now();
        let mut written: std::io::Result<(usize, u64)> = Ok((0, 0));
        let mut emit = |path: String, body: Vec<u8>| {
            if let Ok((files, bytes)) = &mut written {
                match sink.write(&path, &body) {
                    Ok(()) => {
                        *files += 1;
                        *bytes += body.len() as u64;
                    }
                    Err(e) => written = Err(e),
                }
            }
        };
        let work = match sink.scratch() {
            Ok(Some(scratch)) => crate::search::write(&engine.site, scratch, &mut emit),
            Ok(None) => Ok(crate::search::build(&engine.site, &mut emit).work()),
            Err(e) => Err(e),
        };
        let (files, bytes) = written.map_err(write_error(engine))?;
        let work = work.map_err(write_error(engine))?;
        Ok(Written {
            files,
            bytes,
            timings: vec![
                ("search index (alongside)", t.elapsed()),
                ("search index, work on all threads", work),
            ],
        })
    }
}
