//! `check` and `build` as the command line runs them: the [`Engine`] over a site, into the
//! output folder (checked first, replaced only when everything was written) or into memory.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::engine::{BuildReport, Engine, WriteOptions};
use crate::error::Error;
use crate::output;

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
    /// Replace an output that no gongkai build wrote (never the site or its sources).
    pub force: bool,
    /// Treat warnings as errors: report them and write nothing.
    pub deny_warnings: bool,
    /// Minify pages (as `minify: true` in site.yaml does).
    pub minify: bool,
}

impl BuildOptions {
    /// Building `root` into its `output/`, as `gongkai build` does by default.
    pub fn new(root: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            output: root.join("output"),
            base_url: None,
            progress: false,
            for_disk: false,
            force: false,
            deny_warnings: false,
            minify: false,
        }
    }
}

/// Loads and validates a site and renders every page, writing nothing: every problem of config,
/// content and templates in one run. The engine comes back with the site's warnings.
pub fn check(root: &Path, base_url: Option<&str>) -> Result<Engine, Error> {
    let engine = Engine::open(root, base_url)?;
    engine.check()?;
    Ok(engine)
}

/// Builds the site into `opts.output`, replacing it only when everything succeeded. Returns the
/// engine (for its warnings) and what was written.
pub fn build(opts: &BuildOptions) -> Result<(Engine, BuildReport), Error> {
    // An output that is a link (a web root linked to the last build) is updated where it points;
    // the link stays a link.
    let target = output::follow_link(&opts.output).map_err(|e| Error::Write {
        path: opts.output.clone(),
        source: e,
    })?;
    output::check_target(&opts.root, &target, opts.force).map_err(|refusal| Error::Refused {
        path: opts.output.clone(),
        refusal,
    })?;
    let engine = Engine::open(&opts.root, opts.base_url.as_deref())?;
    if opts.deny_warnings {
        let warnings = engine.site.warnings();
        if !warnings.is_empty() {
            return Err(Error::Content(warnings));
        }
    }
    let write_err = |e| Error::Write {
        path: opts.output.clone(),
        source: e,
    };
    let staging = output::Staging::new(&target).map_err(write_err)?;
    let mut report = engine.build(
        &staging,
        WriteOptions {
            progress: opts.progress,
            for_disk: opts.for_disk,
            minify: opts.minify,
        },
    )?;
    let t = Instant::now();
    staging.commit().map_err(write_err)?;
    report.timings.push(("commit", t.elapsed()));
    Ok((engine, report))
}

/// Builds the site into memory: every file by its site-relative path.
pub fn build_in_memory(
    root: &Path,
    base_url: Option<&str>,
) -> Result<(output::Files, BuildReport), Error> {
    let engine = Engine::open(root, base_url)?;
    let memory = output::Memory::default();
    let report = engine.build(&memory, WriteOptions::default())?;
    Ok((memory.into_files(), report))
}
