//! `gongkai serve`: a local preview. It builds the site into memory, serves it over HTTP on
//! 127.0.0.1 (unless told otherwise), watches the sources and rebuilds when they change, and
//! tells open pages to reload. When an edit breaks the content, the last good build stays up
//! and every page shows the errors until they are fixed. Nothing is written to `output/`.

pub mod http;
pub mod session;
pub mod watch;

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

use session::{Session, Updated};

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

/// Shared between the rebuild loop and the connections: the site (its last good state) and
/// the errors of the last change, if it failed.
pub struct State {
    session: RwLock<Option<Session>>,
    errors: RwLock<Arc<String>>,
    /// Counts changes; event streams wait on it.
    generation: Mutex<u64>,
    changed: Condvar,
}

/// A file to send, or why there is none.
pub enum Lookup {
    Found(Arc<Vec<u8>>),
    Missing,
    /// The page could not be rendered (a template error met on this page only).
    Failed(String),
}

impl State {
    fn new(session: Option<Session>, errors: String) -> State {
        State {
            session: RwLock::new(session),
            errors: RwLock::new(Arc::new(errors)),
            generation: Mutex::new(0),
            changed: Condvar::new(),
        }
    }

    pub fn base_path(&self) -> String {
        self.session
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map_or_else(|| "/".to_string(), |s| s.base_path.clone())
    }

    pub fn errors(&self) -> Arc<String> {
        self.errors
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.session
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .is_some_and(|s| s.exists(rel))
    }

    pub fn get(&self, rel: &str) -> Lookup {
        let session = self.session.read().unwrap_or_else(|e| e.into_inner());
        match session.as_ref().and_then(|s| s.get(rel)) {
            Some(Ok(b)) => Lookup::Found(b),
            Some(Err(e)) => Lookup::Failed(e),
            None => Lookup::Missing,
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

    /// Takes in a change of the sources; returns the errors, if the site did not take it.
    fn apply(&self, root: &Path, paths: &[PathBuf]) -> Result<Updated, String> {
        let result = {
            let mut session = self.session.write().unwrap_or_else(|e| e.into_inner());
            match session.as_mut() {
                Some(s) => s.update(paths).inspect(|u| {
                    if let Updated::Plans(n) = u
                        && *n > 0
                    {
                        println!(
                            "kept {} of {} rendered files; the rest render when asked for",
                            s.last_kept.0, s.last_kept.1
                        );
                    }
                }),
                None => Session::open(root).map(|s| {
                    *session = Some(s);
                    Updated::Everything
                }),
            }
        };
        *self.errors.write().unwrap_or_else(|e| e.into_inner()) =
            Arc::new(result.clone().err().unwrap_or_default());
        let mut g = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        *g += 1;
        self.changed.notify_all();
        result
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

/// How long the sources must be quiet before a rebuild starts.
const SETTLE: Duration = Duration::from_millis(10);
/// The longest a burst of changes can delay a rebuild.
const SETTLE_LIMIT: Duration = Duration::from_millis(500);

/// Builds, serves and watches until the process is stopped. Only a failure to listen or to
/// watch ends it; content errors never do.
pub fn run(opts: &ServeOptions) -> io::Result<()> {
    // Absolute, as the watcher reports the paths that change.
    let root = opts.root.canonicalize()?;
    let t = Instant::now();
    let state = Arc::new(match Session::open(&root) {
        Ok(s) => {
            println!("built the site in {} ms", t.elapsed().as_millis());
            State::new(Some(s), String::new())
        }
        Err(e) => {
            eprintln!("{e}\n\nthe preview shows these errors until they are fixed");
            State::new(None, e)
        }
    });
    let base_path = state.base_path();

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
            match rebuilding.apply(&root, &paths) {
                Ok(Updated::Plans(n)) => {
                    println!(
                        "read {n} changed plan(s) again in {} ms",
                        t.elapsed().as_millis()
                    )
                }
                Ok(Updated::Everything) => {
                    println!("rebuilt everything in {} ms", t.elapsed().as_millis())
                }
                Err(e) => eprintln!("{e}\n\nstill serving the last good build"),
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
