//! The staging folder: a build writes into `.<name>.building-<pid>` beside the output, which
//! replaces the output only once everything is written, so a failed build leaves the previous
//! output as it was.
//!
//! Each staging folder is held by a lock on `.<name>.building-<pid>.lock`. The lock dies with
//! its process, so the next build can tell a folder left by an interrupted build (`kill -9`, a
//! power cut) from one another build is still filling, and removes only the former.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use super::Sink;

/// The file that marks a folder as a gongkai output, so that a later build may replace it.
pub const MARKER: &str = ".gongkai-output";

const MARKER_TEXT: &str = "This folder was written by `gongkai build` and is replaced by the next build.\n本文件夹由 gongkai build 生成，每次构建时整体替换。\n";

/// A folder being filled; dropped without `commit`, it is removed.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    lock_path: PathBuf,
    /// Held until the folder is committed or removed.
    lock: Option<fs::File>,
    committed: bool,
}

/// The sibling names of a target's staging and swapped-out folders: `.output.building-`,
/// `.output.old-`.
fn prefixes(target: &Path) -> (PathBuf, String) {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    (parent, name)
}

/// Removes the staging and swapped-out folders of builds of `target` that are no longer
/// running: those whose lock file can be locked (its owner is gone).
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let building = format!(".{name}.building-");
    let old = format!(".{name}.old-");
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(&building)
            .and_then(|r| r.strip_suffix(".lock"))
        else {
            continue;
        };
        let Ok(lock) = fs::OpenOptions::new().write(true).open(e.path()) else {
            continue;
        };
        if lock.try_lock().is_err() {
            continue; // another build is at work
        }
        let _ = fs::remove_dir_all(parent.join(format!("{building}{pid}")));
        let _ = fs::remove_dir_all(parent.join(format!("{old}{pid}")));
        let _ = fs::remove_file(e.path());
    }
}

/// An error that names the file it happened on (a disk full is met on one file, and the
/// publisher should see which).
fn named(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

impl Staging {
    /// Creates the staging folder of `target`, first removing what interrupted builds left.
    /// The caller has checked the target with [`super::check_target`].
    pub fn new(target: &Path) -> io::Result<Staging> {
        let (parent, name) = prefixes(target);
        fs::create_dir_all(&parent)?;
        remove_stale(&parent, &name);
        let pid = std::process::id();
        let lock_path = parent.join(format!(".{name}.building-{pid}.lock"));
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)?;
        lock.lock()?;
        let dir = parent.join(format!(".{name}.building-{pid}"));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        fs::write(dir.join(MARKER), MARKER_TEXT)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            lock_path,
            lock: Some(lock),
            committed: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of a site-relative file in the staging folder. A path that would leave it
    /// (`..`, an absolute path) is refused: no name a publisher writes can reach outside.
    fn path_of(&self, rel: &str) -> io::Result<PathBuf> {
        let rel_path = Path::new(rel);
        let inside = rel_path
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if rel.is_empty() || !inside {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output: {rel}"),
            ));
        }
        Ok(self.dir.join(rel_path))
    }

    /// Writes a file under the staging folder, creating its folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| named(p, e))?;
        }
        fs::write(&path, bytes).map_err(|e| named(&path, e))
    }

    /// Opens a file under the staging folder for writing as it goes.
    pub fn create(&self, rel: &str) -> io::Result<io::BufWriter<fs::File>> {
        let path = self.path_of(rel)?;
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| named(p, e))?;
        }
        let file = fs::File::create(&path).map_err(|e| named(&path, e))?;
        Ok(io::BufWriter::new(file))
    }

    /// Swaps the staging folder in for the target.
    pub fn commit(mut self) -> io::Result<()> {
        let (parent, name) = prefixes(&self.target);
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
        drop(self.lock.take());
        let _ = fs::remove_file(&self.lock_path);
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        Staging::write(self, rel, bytes)
    }

    fn stream(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<u64> {
        let mut w = self.create(rel)?;
        fill(&mut w)?;
        w.flush()?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        Ok(file.metadata()?.len())
    }

    /// In the staging folder, removed as soon as it is made, so it is never part of the output
    /// and goes with the process however the build ends.
    fn scratch(&self) -> io::Result<Option<fs::File>> {
        tempfile::tempfile_in(&self.dir).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_output_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::new(&tmp.path().join("output")).unwrap();
        for bad in ["../x", "/tmp/x", "a/../../x", ""] {
            assert!(s.write(bad, b"x").is_err(), "{bad}");
        }
        s.write("a/b/index.html", b"x").unwrap();
        s.commit().unwrap();
        assert!(tmp.path().join("output/a/b/index.html").exists());
        assert!(tmp.path().join("output").join(MARKER).exists());
        assert!(!tmp.path().join("x").exists());
    }

    #[test]
    fn what_an_interrupted_build_left_is_removed_but_not_a_running_one() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("output");
        // A build that died: its folders and an unlocked lock file.
        for d in [".output.building-999999", ".output.old-999999"] {
            fs::create_dir_all(tmp.path().join(d).join("x")).unwrap();
        }
        fs::write(tmp.path().join(".output.building-999999.lock"), "").unwrap();
        // A build still running holds its lock.
        let running = tmp.path().join(".output.building-888888.lock");
        let held = fs::File::create(&running).unwrap();
        held.lock().unwrap();
        fs::create_dir_all(tmp.path().join(".output.building-888888")).unwrap();

        let s = Staging::new(&target).unwrap();
        s.commit().unwrap();
        let left: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!left.iter().any(|n| n.contains("999999")), "{left:?}");
        assert!(
            left.iter().any(|n| n == ".output.building-888888"),
            "{left:?}"
        );
        assert!(
            !left
                .iter()
                .any(|n| n.ends_with(&format!("{}.lock", std::process::id())))
        );
    }
}
