//! Write: where a build's files go — a staging folder beside `output/` that replaces it only once
//! everything is written ([`Staging`], checked by [`check_target`]), or memory for the preview
//! ([`Memory`]) — and what is done to a page on its way there: minified ([`minify`]), and for a
//! site opened from a disk, links made to name `index.html` ([`for_disk`]).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Mutex;

mod disk;
mod guard;
mod minify;
mod staging;

pub use disk::for_disk;
pub use guard::{OutputRefusal, check_target, follow_link, resolve};
pub use minify::minify;
pub use staging::{MARKER, Staging};

/// Where a build writes: a staging folder that becomes `output/`, or memory for the preview.
pub trait Sink: Sync {
    /// Writes a whole file at a site-relative path.
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Writes a file as `fill` produces it; returns its size.
    fn stream(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<u64>;
    /// A file with no name for a build's scratch work, on the disk the output goes to; `None`
    /// where the output is kept in memory.
    fn scratch(&self) -> io::Result<Option<std::fs::File>> {
        Ok(None)
    }
}

/// Built files by site-relative path.
pub type Files = BTreeMap<String, Vec<u8>>;

/// A build kept in memory, for `serve`: nothing is written to disk, so a preview never leaves a
/// half-built `output/`.
#[derive(Default)]
pub struct Memory {
    files: Mutex<Files>,
}

impl Memory {
    pub fn into_files(self) -> Files {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Memory {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(rel.to_string(), bytes.to_vec());
        Ok(())
    }

    fn stream(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<u64> {
        let mut buf = Vec::new();
        fill(&mut buf)?;
        let n = buf.len() as u64;
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(rel.to_string(), buf);
        Ok(n)
    }
}
