//! Watching the site's sources — content, themes, templates, static files and `site.yaml` —
//! with notify-debouncer-full, which turns an editor's burst of events (write a temporary file,
//! rename it, touch it) into one change per file. Native events by default; polling when they
//! cannot be had (or with `--poll`), as mdBook offers.
//!
//! A source folder created after the start, or deleted and made again, is watched (again) as
//! soon as the root sees it appear; a watcher error is a change of unknown extent, which
//! rebuilds everything.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, FileIdMap, RecommendedCache, new_debouncer_opt,
};

/// The folders whose every change can change the site.
pub const WATCHED: &[&str] = &["content", "themes", "templates", "static", "sources"];

/// How long a file must be quiet before its change counts.
const SETTLE: Duration = Duration::from_millis(20);
/// How often the polling watcher looks at the files.
const POLL: Duration = Duration::from_millis(500);

enum Backend {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, FileIdMap>),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.watch(path, mode),
            Backend::Poll(d) => d.watch(path, mode),
        }
    }
    fn unwatch(&mut self, path: &Path) {
        let _ = match self {
            Backend::Native(d) => d.unwatch(path),
            Backend::Poll(d) => d.unwatch(path),
        };
    }
}

/// What changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// These files (absolute paths).
    Files(Vec<PathBuf>),
    /// Something, but the watcher cannot say what: read everything again.
    Unknown,
}

/// A running watch of a site root.
pub struct SiteWatch {
    backend: Backend,
    rx: Receiver<DebounceEventResult>,
    root: PathBuf,
    /// The source folders being watched now.
    watched: BTreeSet<&'static str>,
    pub polling: bool,
}

impl SiteWatch {
    /// Watches `root` (absolute): natively unless `poll`, or when native events fail.
    pub fn new(root: &Path, poll: bool) -> notify::Result<SiteWatch> {
        let (tx, rx) = channel();
        let backend = if poll {
            None
        } else {
            new_debouncer_opt::<_, RecommendedWatcher, _>(
                SETTLE,
                None,
                tx.clone(),
                RecommendedCache::new(),
                notify::Config::default(),
            )
            .ok()
            .map(Backend::Native)
        };
        let (backend, polling) = match backend {
            Some(b) => (b, false),
            None => (
                Backend::Poll(new_debouncer_opt::<_, PollWatcher, _>(
                    SETTLE.max(POLL / 4),
                    None,
                    tx,
                    FileIdMap::new(),
                    notify::Config::default().with_poll_interval(POLL),
                )?),
                true,
            ),
        };
        let mut w = SiteWatch {
            backend,
            rx,
            root: root.to_path_buf(),
            watched: BTreeSet::new(),
            polling,
        };
        // The root itself, not its subfolders (output/ and target/ must not be watched): for
        // site.yaml, and for source folders that appear or come back.
        w.backend.watch(root, RecursiveMode::NonRecursive)?;
        w.rewatch(&[]);
        Ok(w)
    }

    /// Watches each source folder that exists and is not watched, and again each one whose own
    /// path changed (deleted, made again, renamed).
    fn rewatch(&mut self, changed: &[PathBuf]) {
        for dir in WATCHED {
            let path = self.root.join(dir);
            if changed.iter().any(|c| c == &path) && self.watched.remove(dir) {
                self.backend.unwatch(&path);
            }
            if path.is_dir() && !self.watched.contains(dir) {
                if self.backend.watch(&path, RecursiveMode::Recursive).is_ok() {
                    self.watched.insert(dir);
                }
            } else if !path.is_dir() && self.watched.remove(dir) {
                self.backend.unwatch(&path);
            }
        }
    }

    /// Whether a changed path can change the site.
    fn relevant(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        let mut parts = rel.components();
        match parts.next().and_then(|c| c.as_os_str().to_str()) {
            Some(first) if WATCHED.contains(&first) => true,
            Some(crate::config::CONFIG_FILE) => parts.next().is_none(),
            _ => false,
        }
    }

    /// Waits for the next change; `None` when the watch has ended.
    pub fn next_change(&mut self) -> Option<Change> {
        loop {
            let batch = self.rx.recv().ok()?;
            match batch {
                Ok(events) => {
                    let mut paths: Vec<PathBuf> = events
                        .into_iter()
                        .filter(|e| !matches!(e.event.kind, notify::EventKind::Access(_)))
                        .flat_map(|e| e.event.paths)
                        .collect();
                    paths.sort();
                    paths.dedup();
                    self.rewatch(&paths);
                    paths.retain(|p| self.relevant(p));
                    // A source folder itself came or went: what is in it is not listed.
                    let whole_folder = paths
                        .iter()
                        .any(|p| WATCHED.iter().any(|d| p == &self.root.join(d)));
                    if whole_folder {
                        return Some(Change::Unknown);
                    }
                    if !paths.is_empty() {
                        return Some(Change::Files(paths));
                    }
                }
                Err(_) => {
                    self.rewatch(&[]);
                    return Some(Change::Unknown);
                }
            }
        }
    }
}
