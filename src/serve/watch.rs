//! Watching the site's sources: content, themes, templates, static files and `site.yaml`. Events
//! come in bursts (an editor saves by writing a temporary file, renaming it and touching it), so
//! a burst is taken as one change once the files have been quiet for a moment.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// The folders whose every change can change the site.
pub const WATCHED: &[&str] = &["content", "themes", "templates", "static"];

/// A running watch of a site root.
pub struct SiteWatch {
    // Kept alive: dropping it stops the events.
    _watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
}

impl SiteWatch {
    pub fn new(root: &Path) -> notify::Result<SiteWatch> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })?;
        for dir in WATCHED {
            let path = root.join(dir);
            if path.is_dir() {
                watcher.watch(&path, RecursiveMode::Recursive)?;
            }
        }
        // The root itself, not its subfolders (output/ and target/ must not be watched): for
        // site.yaml.
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        Ok(SiteWatch {
            _watcher: watcher,
            rx,
            root: root.to_path_buf(),
        })
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

    /// Waits for the next change, then until no event has come for `settle` (at most `limit`
    /// in all); returns the paths that changed, or `None` when the watch has ended.
    pub fn next_change(&self, settle: Duration, limit: Duration) -> Option<Vec<PathBuf>> {
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut started: Option<Instant> = None;
        loop {
            let wait = match started {
                None => Duration::from_secs(3600),
                Some(t) if t.elapsed() >= limit => break,
                Some(_) => settle,
            };
            match self.rx.recv_timeout(wait) {
                Ok(Ok(event)) => {
                    if matches!(event.kind, EventKind::Access(_)) {
                        continue;
                    }
                    let before = paths.len();
                    paths.extend(event.paths.into_iter().filter(|p| self.relevant(p)));
                    if paths.len() > before && started.is_none() {
                        started = Some(Instant::now());
                    }
                }
                // A watch error (e.g. too many files) is a change of unknown extent.
                Ok(Err(_)) => {
                    started.get_or_insert_with(Instant::now);
                }
                Err(RecvTimeoutError::Timeout) if started.is_some() => break,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        paths.sort();
        paths.dedup();
        Some(paths)
    }
}
