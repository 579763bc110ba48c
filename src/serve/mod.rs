//! `gongkai serve`: a local preview. It builds the site into memory, serves it over HTTP on
//! 127.0.0.1 (unless told otherwise), watches the sources and rebuilds when they change, and
//! tells open pages to reload. When an edit breaks the content, the last good build stays up
//! and every page shows the errors until they are fixed. Nothing is written to `output/`.

pub mod http;
pub mod watch;

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::build::{self, BuildError};
use crate::output::Files;

/// `gongkai serve` options.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeOptions {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on; the next free one is used if it is taken.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. Anything but 127.0.0.1 makes the preview visible to others.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    pub open: bool,
}

/// What the server shows: the last good build and the errors of the last rebuild, if it failed.
pub struct Snapshot {
    pub files: Arc<Files>,
    /// The errors, one per line, or empty.
    pub errors: Arc<String>,
    pub base_path: String,
}

/// Shared between the rebuild loop and the connections.
pub struct State {
    current: RwLock<(Arc<Files>, Arc<String>, String)>,
    /// Counts rebuilds; event streams wait on it.
    generation: Mutex<u64>,
    changed: Condvar,
}

impl State {
    fn new(files: Files, errors: String, base_path: String) -> State {
        State {
            current: RwLock::new((Arc::new(files), Arc::new(errors), base_path)),
            generation: Mutex::new(0),
            changed: Condvar::new(),
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        let c = self.current.read().unwrap_or_else(|e| e.into_inner());
        Snapshot {
            files: c.0.clone(),
            errors: c.1.clone(),
            base_path: c.2.clone(),
        }
    }

    pub fn generation(&self) -> u64 {
        *self.generation.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until the generation passes `seen`, at most `timeout`; returns the new one.
    pub fn wait_for_change(&self, seen: u64, timeout: Duration) -> Option<u64> {
        let g = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        let (g, _) = self
            .changed
            .wait_timeout_while(g, timeout, |g| *g <= seen)
            .unwrap_or_else(|e| e.into_inner());
        (*g > seen).then_some(*g)
    }

    /// Publishes a rebuild: new files if it succeeded, its errors if not.
    fn publish(&self, files: Option<Files>, errors: String, base_path: Option<String>) {
        {
            let mut c = self.current.write().unwrap_or_else(|e| e.into_inner());
            if let Some(f) = files {
                c.0 = Arc::new(f);
            }
            if let Some(b) = base_path {
                c.2 = b;
            }
            c.1 = Arc::new(errors);
        }
        let mut g = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        *g += 1;
        self.changed.notify_all();
    }
}

/// Binds `addr:port`, or the next free port above it.
pub fn bind(addr: IpAddr, port: u16) -> io::Result<TcpListener> {
    let mut last = None;
    for p in port..port.saturating_add(50) {
        match TcpListener::bind(SocketAddr::new(addr, p)) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free port")))
}

/// One rebuild into memory: the files, or the errors as lines of text.
fn rebuild(root: &Path) -> Result<Files, String> {
    match build::build_in_memory(root, None) {
        Ok((files, _)) => Ok(files),
        Err(BuildError::Content(d)) => Err(d
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n\n")),
        Err(BuildError::Io(e)) => Err(e),
    }
}

fn base_path_of(root: &Path) -> Option<String> {
    crate::config::load(root)
        .ok()
        .map(|c| c.base_path().to_string())
}

/// How long the sources must be quiet before a rebuild starts.
const SETTLE: Duration = Duration::from_millis(20);
/// The longest a burst of changes can delay a rebuild.
const SETTLE_LIMIT: Duration = Duration::from_millis(500);

/// Builds, serves and watches until the process is stopped. Only a failure to listen or to
/// watch ends it; content errors never do.
pub fn run(opts: &ServeOptions) -> io::Result<()> {
    let root = opts.root.clone();
    let t = Instant::now();
    let (files, errors) = match rebuild(&root) {
        Ok(f) => {
            println!("built {} files in {} ms", f.len(), t.elapsed().as_millis());
            (f, String::new())
        }
        Err(e) => {
            eprintln!("{e}\n\nthe preview shows these errors until they are fixed");
            (Files::new(), e)
        }
    };
    let base_path = base_path_of(&root).unwrap_or_else(|| "/".into());
    let state = Arc::new(State::new(files, errors, base_path.clone()));

    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other computers can see this preview",
            opts.bind
        );
    }
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}{base_path}");
    println!("serving {url} (Ctrl+C to stop)");
    if opts.open {
        open_browser(&url);
    }

    let watch = watch::SiteWatch::new(&root).map_err(io::Error::other)?;
    let rebuilding = state.clone();
    std::thread::spawn(move || {
        while let Some(paths) = watch.next_change(SETTLE, SETTLE_LIMIT) {
            if paths.is_empty() {
                continue;
            }
            let t = Instant::now();
            match rebuild(&root) {
                Ok(files) => {
                    let n = files.len();
                    rebuilding.publish(Some(files), String::new(), base_path_of(&root));
                    println!("rebuilt {n} files in {} ms", t.elapsed().as_millis());
                }
                Err(e) => {
                    eprintln!("{e}\n\nstill serving the last good build");
                    rebuilding.publish(None, e, None);
                }
            }
        }
    });

    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let state = state.clone();
        std::thread::spawn(move || {
            let _ = http::handle(stream, &state);
        });
    }
    Ok(())
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        eprintln!("could not open a browser; visit {url}");
    }
}
