//! Saving an import: what will be written is parsed back first (site.yaml through the same
//! loader `check` and `build` use; the plan through front matter and body parsing), then every
//! file is written to a temporary file beside it and renamed into place — all of them, or, when
//! one fails, none: files already renamed are put back as they were.

use std::path::{Path, PathBuf};

use gongkai_i18n::tr;
use gongkai_model::LoadedPlan;
use gongkai_site::config::SiteConfig;

use crate::error::{ImportError, LibreOfficeError, WriteError};

/// site.yaml as `text` would load: the checks `check` and `build` run on it.
pub fn check_config(text: &str) -> Result<SiteConfig, ImportError> {
    gongkai_site::config::parse(text.to_string())
        .map_err(|d| ImportError::ConfigInvalid(d.sorted()))
}

/// The plan file `text`, at `rel` of the site, read back as `check` reads it (front matter of
/// known fields, body): the plan as loaded, or what it could not read. What `check` then says of
/// the plan — dates that are no dates among the rest — is [`check_in_site`]'s to find.
pub fn check_plan(text: &str, rel: &Path) -> Result<LoadedPlan, ImportError> {
    gongkai_site::load::parse_plan(text, rel).map_err(ImportError::PlanInvalid)
}

/// The plan `text`, at `rel` of the site at `site` (as [`check_plan`] read it: `plan`), validated
/// as `check` would validate the site once it is written: with `config` (site.yaml as it will be) and the site's other plans,
/// `original` (the original's path under `sources/`, about to be written) counted as there.
/// Problems of the new plan refuse it, listed; its warnings come back. Problems the site had
/// already, in other files, are not the import's to report.
pub fn check_in_site(
    site: &Path,
    rel: &Path,
    text: &str,
    plan: LoadedPlan,
    config: SiteConfig,
    others: &[LoadedPlan],
    original: Option<(&str, u64)>,
) -> Result<Vec<gongkai_site::diagnostics::Diagnostic>, ImportError> {
    // As `check` reads the file: its characters, then its front matter and body, with the
    // progress file and 解读 that are beside it already (an import with --force over a plan
    // keeps them, and they must still fit the new text).
    let plan = gongkai_site::load::check_characters(text, rel).map(|()| plan);
    let mut plan = gongkai_site::load::with_side_files(site, plan)
        .map_err(|d| ImportError::InvalidInSite(d.sorted()))?;
    if let Some((path, len)) = original {
        for f in plan.files.iter_mut().filter(|f| f.path == path) {
            f.state = Ok(len);
        }
    }
    let mut all: Vec<LoadedPlan> = others.iter().filter(|p| p.file != rel).cloned().collect();
    all.push(plan);
    let [progress, jiedu] = gongkai_site::load::side_files(rel);
    let mine = |d: &gongkai_site::diagnostics::Diagnostic| {
        d.file.as_path() == rel || d.file == progress || d.file == jiedu
    };
    let diags = match gongkai_site::validate::site(config, all) {
        Ok(site) => site.warnings(),
        Err(d) => d.sorted(),
    };
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| mine(d) && d.severity == gongkai_site::diagnostics::Severity::Error)
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(ImportError::InvalidInSite(errors));
    }
    Ok(diags.into_iter().filter(|d| mine(d)).collect())
}

/// Refuses, naming it, a file of the site at `site` that would land outside it once the links
/// on its way are followed (a folder of `content/` or `sources/` that is a link elsewhere):
/// nothing is written through a link out of the site.
pub fn check_inside(plan: &[Planned], site: &Path) -> Result<(), WriteError> {
    let base = gongkai_site::output::resolve(site);
    for p in plan.iter().filter(|p| p.path.starts_with(site)) {
        let real = gongkai_site::output::resolve(&p.path);
        if !real.starts_with(&base) {
            return Err(WriteError::OutsideSite {
                file: p.path.clone(),
                target: real,
            });
        }
    }
    Ok(())
}

/// A file to write and its new contents.
pub struct Planned {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl Planned {
    pub fn new(path: &Path, bytes: Vec<u8>) -> Planned {
        Planned {
            path: path.to_path_buf(),
            bytes,
        }
    }
}

/// Writes every planned file, or none. Each is first written in full to a temporary file in
/// its own folder; only when all are written are they renamed into place, and a failed rename
/// puts back the files renamed before it.
pub fn all_or_nothing(plan: &[Planned]) -> Result<(), WriteError> {
    let err = |p: &Path, source: std::io::Error| WriteError::Io {
        file: p.to_path_buf(),
        source,
    };
    let mut created_dirs = Vec::new();
    let mut temps = Vec::new();
    for p in plan {
        let dir = p
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dir.exists() {
            // Remember the first missing ancestor, to remove it again on failure.
            let mut top = dir.to_path_buf();
            while let Some(parent) = top.parent() {
                if parent.as_os_str().is_empty() || parent.exists() {
                    break;
                }
                top = parent.to_path_buf();
            }
            if let Err(e) = std::fs::create_dir_all(dir) {
                for d in created_dirs.iter().rev() {
                    let _ = std::fs::remove_dir_all(d);
                }
                return Err(err(dir, e));
            }
            created_dirs.push(top);
        }
        let result = (|| {
            let mut t = tempfile::NamedTempFile::new_in(dir)?;
            std::io::Write::write_all(&mut t, &p.bytes)?;
            t.as_file().sync_all()?;
            Ok::<_, std::io::Error>(t)
        })();
        match result {
            Ok(t) => temps.push(t),
            Err(e) => {
                drop(temps);
                for d in created_dirs.iter().rev() {
                    let _ = std::fs::remove_dir_all(d);
                }
                return Err(err(&p.path, e));
            }
        }
    }
    // Old contents, to put back if a later rename fails.
    let mut done: Vec<(PathBuf, Option<Vec<u8>>)> = Vec::new();
    for (t, p) in temps.into_iter().zip(plan) {
        // Under the reading policy: what has the name may be a FIFO or a link to a device.
        let old =
            gongkai_site::input::read(&p.path, None, gongkai_site::limits::DOCUMENT_BYTES).ok();
        if let Err(e) = t.persist(&p.path) {
            for (path, old) in done.into_iter().rev() {
                let _ = match old {
                    Some(bytes) => std::fs::write(&path, bytes),
                    None => std::fs::remove_file(&path),
                };
            }
            for d in created_dirs.iter().rev() {
                let _ = std::fs::remove_dir_all(d);
            }
            return Err(err(&p.path, e.error));
        }
        done.push((p.path.clone(), old));
    }
    Ok(())
}

/// Converts an old Word (.doc) or WPS file to .docx with LibreOffice, in a temporary folder,
/// and returns the .docx bytes; without LibreOffice, says how to get it. LibreOffice runs in a
/// process group of its own for at most [`limits::libreoffice_timeout`], after which the whole
/// group is killed; its output is read as it comes (so it never blocks on a full pipe) and only
/// its last [`limits::LIBREOFFICE_OUTPUT_BYTES`] are kept for the message; the .docx it writes
/// is read up to [`limits::LIBREOFFICE_DOCX_BYTES`].
pub fn convert_with_libreoffice(
    file: &Path,
    bytes: &[u8],
    ext: &str,
) -> Result<Vec<u8>, LibreOfficeError> {
    let dir = tempfile::tempdir().map_err(LibreOfficeError::Temp)?;
    // LibreOffice names its output after the input; a copy with a plain name avoids surprises.
    let input = dir.path().join(format!("input.{ext}"));
    // The bytes already read under the policy, not the file again by its name (which may have
    // become a FIFO since).
    std::fs::write(&input, bytes).map_err(LibreOfficeError::Temp)?;
    for program in ["soffice", "libreoffice"] {
        if let Some(done) = run_libreoffice(program, file, dir.path(), &input) {
            return done;
        }
    }
    Err(LibreOfficeError::NotInstalled {
        ext: ext.to_string(),
    })
}

/// Runs `program` to convert `input` into `dir`; `None` when there is no such program.
fn run_libreoffice(
    program: &str,
    file: &Path,
    dir: &Path,
    input: &Path,
) -> Option<Result<Vec<u8>, LibreOfficeError>> {
    use gongkai_site::limits;
    use std::io::Read;

    let timeout = limits::libreoffice_timeout();
    let mut command = std::process::Command::new(program);
    command
        .arg("--headless")
        .arg("--convert-to")
        .arg("docx")
        .arg("--outdir")
        .arg(dir)
        .arg(input)
        // LibreOffice keeps a profile; a fresh one in the temporary folder keeps runs apart.
        .env("HOME", dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    // Its own group: soffice starts soffice.bin, and a timeout must end both.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().ok()?;
    let stdout = keep_tail(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = keep_tail(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = std::time::Instant::now();
    let timed_out = loop {
        match child.try_wait() {
            Ok(Some(_)) => break false,
            Ok(None) if start.elapsed() >= timeout => break true,
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(50)),
            Err(_) => break false,
        }
    };
    // Whatever it left running (and holding the pipes open) goes with it.
    kill_group(&mut child);
    let _ = child.wait();
    let out = stdout.join().unwrap_or_default();
    let err = stderr.join().unwrap_or_default();
    if timed_out {
        return Some(Err(LibreOfficeError::Timeout {
            file: file.to_path_buf(),
            timeout,
        }));
    }
    let docx = dir.join("input.docx");
    let Ok(f) = std::fs::File::open(&docx) else {
        let said = if err.total > 0 { err } else { out };
        return Some(Err(LibreOfficeError::Failed {
            file: file.to_path_buf(),
            output: said.summary(),
        }));
    };
    let mut bytes = Vec::new();
    if let Err(source) = f
        .take(limits::LIBREOFFICE_DOCX_BYTES + 1)
        .read_to_end(&mut bytes)
    {
        return Some(Err(LibreOfficeError::ReadOutput { docx, source }));
    }
    if bytes.len() as u64 > limits::LIBREOFFICE_DOCX_BYTES {
        return Some(Err(LibreOfficeError::TooLarge {
            file: file.to_path_buf(),
        }));
    }
    Some(Ok(bytes))
}

/// Reads a program's output as it comes, on a thread of its own (so that it never blocks on a
/// full pipe), keeping its end.
fn keep_tail(pipe: Option<Box<dyn std::io::Read + Send>>) -> std::thread::JoinHandle<OutputTail> {
    std::thread::spawn(move || {
        let mut kept = OutputTail::default();
        if let Some(mut p) = pipe {
            let mut buf = [0u8; 8192];
            while let Ok(n) = p.read(&mut buf) {
                if n == 0 {
                    break;
                }
                kept.push(&buf[..n]);
            }
        }
        kept
    })
}

/// Ends a child and, on Unix, the process group it leads (nothing happens when it is gone
/// already).
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals that group; it touches no memory of ours.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
}

/// The last bytes of a program's output, and how many it wrote in all.
#[derive(Default)]
struct OutputTail {
    last: std::collections::VecDeque<u8>,
    total: u64,
}

impl OutputTail {
    fn push(&mut self, bytes: &[u8]) {
        self.total += bytes.len() as u64;
        self.last.extend(bytes);
        let max = gongkai_site::limits::LIBREOFFICE_OUTPUT_BYTES;
        if self.last.len() > max {
            self.last.drain(..self.last.len() - max);
        }
    }

    /// The output as a message: all of it when short, else its end with how much came before.
    fn summary(&self) -> String {
        let (a, b) = self.last.as_slices();
        let text = String::from_utf8_lossy(&[a, b].concat()).trim().to_string();
        if self.total as usize > self.last.len() {
            tr!(
                "limits.output_tail",
                total = self.total,
                kept = self.last.len(),
                text = text
            )
        } else {
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_files_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "old").unwrap();
        // The second target is a folder: its rename fails, and a.txt keeps its old text.
        let b = dir.path().join("b");
        std::fs::create_dir(&b).unwrap();
        std::fs::write(b.join("x"), "keep").unwrap();
        let plan = [
            Planned::new(&a, b"new".to_vec()),
            Planned::new(&b, b"file".to_vec()),
        ];
        assert!(all_or_nothing(&plan).is_err());
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old");
        assert_eq!(std::fs::read_to_string(b.join("x")).unwrap(), "keep");
        // A new file in a new folder is removed with its folder.
        let c = dir.path().join("new/deeper/c.txt");
        let plan = [
            Planned::new(&c, b"c".to_vec()),
            Planned::new(&b, b"file".to_vec()),
        ];
        assert!(all_or_nothing(&plan).is_err());
        assert!(!dir.path().join("new").exists());
        // And when nothing fails, everything is written.
        let plan = [
            Planned::new(&a, b"new".to_vec()),
            Planned::new(&c, b"c".to_vec()),
        ];
        all_or_nothing(&plan).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(&c).unwrap(), "c");
    }

    #[test]
    fn plans_with_impossible_dates_are_refused() {
        // Read back as `check` reads it, then validated as `check` validates it, in a site.
        let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/sites/valid");
        let rel = Path::new("content/shili/2024/t.md");
        let in_site = |text: &str| {
            let plan = check_plan(text, rel)?;
            let config = gongkai_site::config::load(&site).expect("the fixture site loads");
            check_in_site(&site, rel, text, plan, config, &[], None)
        };
        let plan = |date: &str| {
            format!("---\ntitle: t\ndistrict: shili\nyear: 2024\nwritten: '{date}'\n---\n\n正文\n")
        };
        assert!(in_site(&plan("2024-02-30")).is_err());
        assert!(in_site(&plan("2024-02-29")).is_ok());
        assert!(check_plan("---\ntitle: t\nbogus: 1\n---\n", rel).is_err());
    }
}
