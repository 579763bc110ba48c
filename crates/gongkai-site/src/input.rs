//! What gongkai may read: one policy for every file it takes in — plans and their side files,
//! `site.yaml`, templates, the attachments it publishes, documents to import and progress tables.
//!
//! A file is read only when it is a regular file (never a FIFO, which would block for ever, a
//! device such as `/dev/zero`, which never ends, or a socket), when it lies inside the folder it
//! must lie in once every link on its path is resolved (a link out of the site is refused, so
//! nothing from elsewhere is ever published), and when it is no larger than the limit for its
//! kind (`crate::limits`). The checks are made on the file actually opened, not on its name, so a file swapped
//! for a link between the check and the read is caught too.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use gongkai_i18n::tr;

/// Why a file was not read.
#[derive(Debug)]
pub enum Refusal {
    Missing,
    /// The file resolves to `target`, outside the folder it must stay in.
    Outside {
        target: PathBuf,
        inside: PathBuf,
    },
    /// Not a regular file: what it is instead.
    NotFile(&'static str),
    TooLarge {
        size: u64,
        limit: u64,
    },
    Io(io::Error),
}

/// A file that was not read, and why.
#[derive(Debug)]
pub struct ReadError {
    pub path: PathBuf,
    pub refusal: Refusal,
}

impl ReadError {
    fn new(path: &Path, refusal: Refusal) -> ReadError {
        ReadError {
            path: path.to_path_buf(),
            refusal,
        }
    }

    /// What the publisher can do about it.
    pub fn hint(&self) -> String {
        match &self.refusal {
            Refusal::Missing => tr!("input.hint.missing"),
            Refusal::Outside { .. } => tr!("input.hint.outside"),
            Refusal::NotFile(_) => tr!("input.hint.not_file"),
            Refusal::TooLarge { .. } => tr!("input.hint.too_large"),
            Refusal::Io(_) => tr!("load.cannot_read_hint"),
        }
    }

    /// The reason alone, without the path (for messages that name the file elsewhere).
    pub fn reason(&self) -> String {
        match &self.refusal {
            Refusal::Missing => tr!("input.missing"),
            Refusal::Outside { target, inside } => tr!(
                "input.outside",
                target = target.display(),
                inside = inside.display()
            ),
            Refusal::NotFile(kind) => tr!("input.not_file", kind = tr!(kind)),
            Refusal::TooLarge { size, limit } => {
                tr!(
                    "input.too_large",
                    size = crate::limits::mib(*size),
                    limit = crate::limits::mib(*limit)
                )
            }
            Refusal::Io(e) => tr!("load.cannot_read", error = e),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason())
    }
}

impl std::error::Error for ReadError {}

/// A file opened for reading under the policy, with its size when opened.
#[derive(Debug)]
pub struct Opened {
    pub file: File,
    pub len: u64,
    pub path: PathBuf,
    limit: u64,
}

impl Opened {
    /// The whole file, refused past the limit it was opened with, even when it grew since.
    pub fn read_all(self) -> Result<Vec<u8>, ReadError> {
        let mut bytes = Vec::with_capacity(self.len.min(self.limit) as usize);
        let limit = self.limit;
        let path = self.path;
        self.file
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::new(&path, Refusal::Io(e)))?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::new(
                &path,
                Refusal::TooLarge {
                    size: bytes.len() as u64,
                    limit,
                },
            ));
        }
        Ok(bytes)
    }
}

/// What a file system entry is, in words (a key of the message catalogue).
fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "input.kind.fifo";
        }
        if t.is_char_device() || t.is_block_device() {
            return "input.kind.device";
        }
        if t.is_socket() {
            return "input.kind.socket";
        }
    }
    if t.is_dir() {
        "input.kind.dir"
    } else {
        "input.kind.other"
    }
}

fn io_refusal(e: io::Error) -> Refusal {
    if e.kind() == io::ErrorKind::NotFound {
        Refusal::Missing
    } else {
        Refusal::Io(e)
    }
}

/// Opens `path` for reading when it is a regular file of at most `limit` bytes and, when
/// `inside` is given, lies inside that folder once links are resolved.
pub fn open(path: &Path, inside: Option<&Path>, limit: u64) -> Result<Opened, ReadError> {
    let fail = |r| ReadError::new(path, r);
    let real = path.canonicalize().map_err(|e| fail(io_refusal(e)))?;
    if let Some(base) = inside {
        let base = base.canonicalize().map_err(|e| fail(io_refusal(e)))?;
        if !real.starts_with(&base) {
            return Err(fail(Refusal::Outside {
                target: real,
                inside: base,
            }));
        }
    }
    // Looked at before opening: opening a FIFO waits for a writer, a socket cannot be opened.
    let meta = std::fs::metadata(&real).map_err(|e| fail(io_refusal(e)))?;
    if !meta.is_file() {
        return Err(fail(Refusal::NotFile(kind_of(meta.file_type()))));
    }
    // The resolved path has no link left in it; one that appears now (the file swapped for a
    // link since it was resolved) is not followed.
    let file = open_nonblocking(&real).map_err(|e| fail(io_refusal(e)))?;
    // And again on what was opened: the name may have been swapped for something else since.
    let meta = file.metadata().map_err(|e| fail(Refusal::Io(e)))?;
    if !meta.is_file() {
        return Err(fail(Refusal::NotFile(kind_of(meta.file_type()))));
    }
    if let (Some(base), Some(opened)) = (inside, opened_path(&file)) {
        let base = base.canonicalize().map_err(|e| fail(io_refusal(e)))?;
        if !opened.starts_with(&base) {
            return Err(fail(Refusal::Outside {
                target: opened,
                inside: base,
            }));
        }
    }
    if meta.len() > limit {
        return Err(fail(Refusal::TooLarge {
            size: meta.len(),
            limit,
        }));
    }
    Ok(Opened {
        file,
        len: meta.len(),
        path: path.to_path_buf(),
        limit,
    })
}

/// Opens without waiting and without following a link at the end: should the entry have
/// become a FIFO since it was looked at, the open returns at once and the check on the opened
/// file refuses it; should it have become a link, the open fails.
fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_NOFOLLOW);
    }
    o.open(path)
}

/// Where the opened file really is, as the kernel says (Linux: `/proc/self/fd`), so that a
/// folder on its path swapped for a link since it was resolved is caught too.
fn opened_path(file: &File) -> Option<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::io::AsRawFd;
        std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())).ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = file;
        None
    }
}

/// The folder a site-relative file must stay in: its top folder (`content/`, `themes/`,
/// `static/`, `sources/` …), which may itself be a link to a folder the publisher shares
/// between sites; a file at the top (`site.yaml`) stays in the site.
pub fn fence(root: &Path, rel: &Path) -> PathBuf {
    let mut parts = rel.components();
    match (parts.next(), parts.next()) {
        (Some(top), Some(_)) => root.join(top),
        _ => root.to_path_buf(),
    }
}

/// The whole of a file under the policy (see [`open`]).
pub fn read(path: &Path, inside: Option<&Path>, limit: u64) -> Result<Vec<u8>, ReadError> {
    open(path, inside, limit)?.read_all()
}

/// Whether `path` may be read as a file of its folder: for a listing of a folder, where an entry
/// that is a link, a FIFO or a device is named and skipped rather than silently left out.
pub fn check(path: &Path, inside: Option<&Path>, limit: u64) -> Result<u64, ReadError> {
    open(path, inside, limit).map(|o| o.len)
}

/// A character no published text may carry: an invisible control character (but a line break
/// or a tab), which makes pages and feeds invalid, or a bidirectional override or isolate
/// (U+202A–U+202E, U+2066–U+2069), which makes text read in another order than it is written.
pub fn is_hostile_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t'))
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
        // Direction marks and tag characters: invisible, and never part of a Chinese plan.
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
        || ('\u{E0000}'..='\u{E007F}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_inside_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.md");
        std::fs::write(&f, "正文").unwrap();
        assert_eq!(read(&f, Some(dir.path()), 100).unwrap(), "正文".as_bytes());
        let e = read(&f, Some(dir.path()), 3).unwrap_err();
        assert!(matches!(e.refusal, Refusal::TooLarge { size: 6, limit: 3 }));
        let e = read(&dir.path().join("none"), None, 100).unwrap_err();
        assert!(matches!(e.refusal, Refusal::Missing));
        let e = read(dir.path(), None, 100).unwrap_err();
        assert!(matches!(e.refusal, Refusal::NotFile("input.kind.dir")));
    }

    #[cfg(unix)]
    #[test]
    fn links_out_fifos_and_devices_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.txt");
        std::fs::write(&secret, "机密").unwrap();
        let site = tempfile::tempdir().unwrap();
        let link = site.path().join("a.md");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        let e = read(&link, Some(site.path()), 100).unwrap_err();
        assert!(matches!(e.refusal, Refusal::Outside { .. }), "{e}");
        // Without a fence (a document named on the command line), a link is followed.
        assert_eq!(read(&link, None, 100).unwrap(), "机密".as_bytes());
        // A link that stays inside is fine.
        let inner = site.path().join("b.md");
        std::fs::write(&inner, "b").unwrap();
        let link2 = site.path().join("c.md");
        std::os::unix::fs::symlink(&inner, &link2).unwrap();
        assert_eq!(read(&link2, Some(site.path()), 100).unwrap(), b"b");

        let fifo = site.path().join("fifo.md");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let e = read(&fifo, Some(site.path()), 100).unwrap_err();
        assert!(matches!(e.refusal, Refusal::NotFile("input.kind.fifo")));
        let e = read(Path::new("/dev/zero"), None, 100).unwrap_err();
        assert!(matches!(e.refusal, Refusal::NotFile("input.kind.device")));
        let zero = site.path().join("zero.csv");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let e = read(&zero, None, 100).unwrap_err();
        assert!(matches!(e.refusal, Refusal::NotFile("input.kind.device")));
    }
}
