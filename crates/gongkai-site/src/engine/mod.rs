//! The engine: the one driver that `check`, `build` and `serve` share. It runs the pipeline —
//! load → validate → index → compare → render → write — and keeps what it made, so the preview
//! can run it again on the plans an edit changed ([`Engine::update`]) and end where a clean run
//! would. What it writes are its [`outputs`], each through one [`Sink`]: a staging folder or
//! memory.

pub mod outputs;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::compare::{self, Changes, Comparisons};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::index::Index;
use crate::output::Sink;
use crate::render::{Page, Parts, Renderer, Theme};
use crate::site::Site;
use crate::validate;
use crate::{config, load};
pub use outputs::{OUTPUTS, Origin, Output, SiteFile, Written};

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

    /// What `build` would fail on, found by every output without writing.
    pub fn check(&self) -> Result<(), Diagnostics> {
        let mut diags = Diagnostics::default();
        for output in OUTPUTS {
            if let Err(d) = output.check(self) {
                diags.extend(d);
            }
        }
        if diags.0.is_empty() {
            Ok(())
        } else {
            Err(diags)
        }
    }

    /// Every file of the site by its path, with what makes it (the search index's aside: see
    /// [`Output::folder`]).
    pub fn files(&self) -> impl Iterator<Item = (String, Origin)> + '_ {
        OUTPUTS.iter().flat_map(|o| o.files(self))
    }

    /// Builds the site into a sink: every output at once, each on a thread of its own (pages
    /// and the data beside them on all threads).
    pub fn build(&self, sink: &dyn Sink, opts: WriteOptions) -> Result<BuildReport, Error> {
        let results: Vec<Result<Written, Error>> = std::thread::scope(|scope| {
            let workers: Vec<_> = OUTPUTS
                .iter()
                .map(|o| scope.spawn(move || o.write(self, sink, opts)))
                .collect();
            workers
                .into_iter()
                .map(|w| {
                    w.join().unwrap_or_else(|_| {
                        Err(Error::Write {
                            path: self.root.join("output"),
                            source: std::io::Error::other("an output stopped"),
                        })
                    })
                })
                .collect()
        });
        let mut report = BuildReport {
            timings: self.timings.clone(),
            ..BuildReport::default()
        };
        // Problems of the content first: they are the publisher's to fix.
        if let Some(e) = results
            .iter()
            .position(|r| matches!(r, Err(Error::Content(_))))
        {
            return Err(results
                .into_iter()
                .nth(e)
                .and_then(Result::err)
                .unwrap_or_else(|| Error::Content(Vec::new())));
        }
        for r in results {
            let w = r?;
            report.files += w.files;
            report.bytes += w.bytes;
            report.timings.extend(w.timings);
        }
        report.pages = self.pages.len();
        Ok(report)
    }
}
