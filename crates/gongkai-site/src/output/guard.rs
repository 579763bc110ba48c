//! Which folder a build may replace. A build replaces its output folder whole, so a wrong
//! `--output` would delete what is there: the site's own sources, or any folder of the
//! publisher's. Only a folder a gongkai build wrote (it holds the marker file) or an empty or
//! new one is replaced; `--force` allows any other folder or a file, but never the site, a
//! folder that holds it, or one of its source folders.

use std::path::{Path, PathBuf};

use super::staging::MARKER;

/// The folders of a site that hold what a publisher wrote.
pub const SOURCE_DIRS: &[&str] = &["content", "themes", "templates", "static", "sources"];

/// Why a build will not write to the output it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputRefusal {
    /// The output is the site folder itself.
    IsRoot,
    /// The output holds the site folder (a parent of it).
    ContainsRoot,
    /// The output is, or lies inside, one of the site's source folders or files.
    InsideSources(String),
    /// An existing file, not a folder (allowed with `--force`).
    ExistingFile,
    /// A folder with files that no gongkai build wrote (allowed with `--force`).
    NotOurs,
}

impl OutputRefusal {
    /// Whether `--force` lets the build go on.
    pub fn forcible(&self) -> bool {
        matches!(self, OutputRefusal::ExistingFile | OutputRefusal::NotOurs)
    }

    /// What is wrong and what to do, in the publisher's language.
    pub fn message(&self, output: &Path) -> String {
        let out = output.display().to_string();
        match self {
            OutputRefusal::IsRoot => gongkai_i18n::tr!("output.is_root", output = out),
            OutputRefusal::ContainsRoot => gongkai_i18n::tr!("output.contains_root", output = out),
            OutputRefusal::InsideSources(what) => {
                gongkai_i18n::tr!("output.inside_sources", output = out, what = what)
            }
            OutputRefusal::ExistingFile => gongkai_i18n::tr!("output.existing_file", output = out),
            OutputRefusal::NotOurs => gongkai_i18n::tr!("output.not_ours", output = out),
        }
    }
}

/// The absolute form of a path that may not exist yet: its nearest existing ancestor resolved
/// (symbolic links included), the rest appended.
pub fn resolve(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut rest = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(real) = cur.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return normalize(&out);
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                cur = parent;
            }
            _ => return normalize(&abs),
        }
    }
}

/// Removes `.` and resolves `..` lexically (in the part that did not exist yet).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Where a build into `output` goes: `output` itself, or, when it is a symbolic link, the folder
/// it points to (a link to nothing is an error), so that the swap replaces that folder and the
/// link keeps pointing at the new build.
pub fn follow_link(output: &Path) -> std::io::Result<PathBuf> {
    match std::fs::symlink_metadata(output) {
        Ok(m) if m.file_type().is_symlink() => output.canonicalize().map_err(|e| {
            std::io::Error::new(
                e.kind(),
                gongkai_i18n::tr!("output.dangling_link", output = output.display(), error = e),
            )
        }),
        _ => Ok(output.to_path_buf()),
    }
}

/// Checks that a build of the site at `root` may replace `output`.
pub fn check_target(root: &Path, output: &Path, force: bool) -> Result<(), OutputRefusal> {
    let root = resolve(root);
    let out = resolve(output);
    if out == root {
        return Err(OutputRefusal::IsRoot);
    }
    if root.starts_with(&out) {
        return Err(OutputRefusal::ContainsRoot);
    }
    let sources = SOURCE_DIRS
        .iter()
        .copied()
        .chain([crate::config::CONFIG_FILE]);
    for name in sources {
        // As named and as resolved: `content` may be a link to another folder of the site.
        let protected = root.join(name);
        if out.starts_with(&protected) || out.starts_with(resolve(&protected)) {
            return Err(OutputRefusal::InsideSources(name.to_string()));
        }
    }
    let refusal = match std::fs::symlink_metadata(&out) {
        Err(_) => None,
        Ok(m) if !m.is_dir() => Some(OutputRefusal::ExistingFile),
        Ok(_) => {
            let empty = std::fs::read_dir(&out).map_or(true, |mut d| d.next().is_none());
            (!empty && !out.join(MARKER).is_file()).then_some(OutputRefusal::NotOurs)
        }
    };
    match refusal {
        Some(r) if !(force && r.forcible()) => Err(r),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn only_new_empty_or_earlier_outputs_are_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        fs::create_dir_all(site.join("content/a")).unwrap();
        fs::write(site.join("site.yaml"), "title: x\n").unwrap();
        let check = |out: &Path, force| check_target(&site, out, force);

        assert_eq!(check(&site, true), Err(OutputRefusal::IsRoot));
        assert_eq!(check(&site.join("."), true), Err(OutputRefusal::IsRoot));
        assert_eq!(check(tmp.path(), true), Err(OutputRefusal::ContainsRoot));
        assert_eq!(
            check(&site.join("content"), true),
            Err(OutputRefusal::InsideSources("content".into()))
        );
        assert_eq!(
            check(&site.join("content/a/out"), true),
            Err(OutputRefusal::InsideSources("content".into()))
        );
        assert_eq!(
            check(&site.join("site.yaml"), true),
            Err(OutputRefusal::InsideSources("site.yaml".into()))
        );
        assert_eq!(
            check(&site.join("output/../content"), true),
            Err(OutputRefusal::InsideSources("content".into()))
        );

        assert_eq!(check(&site.join("output"), false), Ok(()));
        let mine = tmp.path().join("mine");
        fs::create_dir_all(&mine).unwrap();
        assert_eq!(check(&mine, false), Ok(()), "an empty folder");
        fs::write(mine.join("notes.txt"), "x").unwrap();
        assert_eq!(check(&mine, false), Err(OutputRefusal::NotOurs));
        assert_eq!(check(&mine, true), Ok(()));
        fs::write(mine.join(MARKER), "").unwrap();
        assert_eq!(check(&mine, false), Ok(()), "an earlier output");
        let file = tmp.path().join("file.txt");
        fs::write(&file, "x").unwrap();
        assert_eq!(check(&file, false), Err(OutputRefusal::ExistingFile));
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_to_the_sources_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        fs::create_dir_all(site.join("content")).unwrap();
        std::os::unix::fs::symlink(site.join("content"), tmp.path().join("link")).unwrap();
        assert_eq!(
            check_target(&site, &tmp.path().join("link"), true),
            Err(OutputRefusal::InsideSources("content".into()))
        );
    }
}
