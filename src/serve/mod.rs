//! `gongkai serve`: a local preview. It runs the [`Engine`] into memory, serves it over HTTP on
//! 127.0.0.1 (unless told otherwise), watches the sources and runs the engine again on what
//! changed, and tells open pages to reload. When an edit breaks the content, the last good build
//! stays up and every page shows the errors until they are fixed. Nothing is written to disk.

pub mod http;
pub mod preview;
pub mod review;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use arc_swap::ArcSwap;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::{Semaphore, broadcast};

use crate::diagnostics::Diagnostic;
use crate::engine::Engine;
use crate::error::Error;
use http::{Current, State};
use preview::Preview;
use watch::{Change, SiteWatch};

/// `gongkai serve` options.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeOptions {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on; the next free one is used if it is taken.
    #[arg(long, default_value_t = crate::import::review::PREVIEW_PORT)]
    pub port: u16,
    /// Address to listen on. Anything but 127.0.0.1 makes the preview visible to others.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    pub open: bool,
    /// Look at the files every half second instead of waiting for the system's events (for
    /// network drives and folders where events do not arrive).
    #[arg(long)]
    pub poll: bool,
}

/// A request's headers must arrive within this, and an idle connection closes after it
/// (`GONGKAI_HEADER_TIMEOUT_MS` sets another, for tests).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

fn header_timeout() -> Duration {
    std::env::var("GONGKAI_HEADER_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(HEADER_TIMEOUT, Duration::from_millis)
}
/// At most this many bytes of request line and headers; more gets 431.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// At most this many connections at once; more wait to be accepted.
pub const MAX_CONNECTIONS: usize = 4096;
/// The pause after a failed accept (no file descriptor left): long enough not to spin, short
/// enough that nobody notices.
const ACCEPT_BACKOFF: std::time::Duration = std::time::Duration::from_millis(50);

/// Problems as the preview shows them: one block of text per problem.
pub fn errors_text(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn base_path(engine: Option<&Engine>) -> String {
    engine.map_or_else(
        || "/".to_string(),
        |e| e.site.config.base_path().to_string(),
    )
}

/// Runs the engine at first: a preview, or the errors that stop it.
fn first(root: &std::path::Path) -> Current {
    let t = Instant::now();
    let opened = Engine::open(root, None).and_then(|e| e.check().map(|_| e));
    match opened {
        Ok(engine) => {
            println!(
                "{}",
                crate::tr!("serve.built", ms = t.elapsed().as_millis())
            );
            let engine = Arc::new(engine);
            Current {
                base_path: base_path(Some(&engine)),
                preview: Some(Arc::new(Preview::new(engine, None))),
                errors: Arc::new(String::new()),
                generation: 0,
                built_at: SystemTime::now(),
            }
        }
        Err(d) => {
            let text = errors_text(&d.sorted());
            eprintln!("{text}\n\n{}", crate::tr!("serve.errors_shown"));
            Current {
                preview: None,
                errors: Arc::new(text),
                generation: 0,
                built_at: SystemTime::now(),
                base_path: "/".into(),
            }
        }
    }
}

/// Takes in a change: the next build, or the errors with the last good build kept.
pub fn apply(state: &State, root: &std::path::Path, change: &Change) {
    let t = Instant::now();
    let cur = state.current.load_full();
    let result = match (&cur.preview, change) {
        (Some(p), Change::Files(paths)) => p.engine.update(paths),
        _ => Engine::open(root, None),
    };
    // What build would fail on (a template variable a page needs), the preview shows too.
    let result = result.and_then(|e| {
        if matches!(change, Change::Files(_)) && cur.preview.is_some() {
            Ok(e)
        } else {
            e.check().map(|_| e)
        }
    });
    let next = match result {
        Ok(engine) => {
            let engine = Arc::new(engine);
            let same_theme = cur
                .preview
                .as_ref()
                .is_some_and(|p| Arc::ptr_eq(&p.engine.theme, &engine.theme));
            match change {
                Change::Files(paths) if same_theme => println!(
                    "{}",
                    crate::tr!(
                        "serve.updated",
                        files = paths.len(),
                        ms = t.elapsed().as_millis()
                    )
                ),
                _ => println!(
                    "{}",
                    crate::tr!("serve.rebuilt", ms = t.elapsed().as_millis())
                ),
            }
            Current {
                base_path: base_path(Some(&engine)),
                preview: Some(Arc::new(Preview::new(engine, cur.preview.as_deref()))),
                errors: Arc::new(String::new()),
                generation: cur.generation + 1,
                built_at: SystemTime::now(),
            }
        }
        Err(d) => {
            let text = errors_text(&d.sorted());
            eprintln!("{text}\n\n{}", crate::tr!("serve.kept"));
            Current {
                preview: cur.preview.clone(),
                errors: Arc::new(text),
                generation: cur.generation + 1,
                built_at: cur.built_at,
                base_path: cur.base_path.clone(),
            }
        }
    };
    let generation = next.generation;
    state.current.store(Arc::new(next));
    let _ = state.reload.send(generation);
}

/// Binds `addr:port`, or the next free port above it.
pub fn bind(addr: IpAddr, port: u16) -> std::io::Result<std::net::TcpListener> {
    let mut last = None;
    for p in port..port.saturating_add(50) {
        match std::net::TcpListener::bind(SocketAddr::new(addr, p)) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free port")))
}

/// Builds, serves and watches until the process is stopped. Only a failure to listen or to
/// watch ends it; content errors never do.
pub fn run(opts: &ServeOptions) -> Result<(), Error> {
    // Absolute, as the watcher reports the paths that change.
    let root = opts.root.canonicalize().map_err(Error::Serve)?;
    let (reload, _) = broadcast::channel(16);
    let state = Arc::new(State {
        current: ArcSwap::from_pointee(first(&root)),
        reload,
        root: root.clone(),
    });
    if !opts.bind.is_loopback() {
        eprintln!("{}", crate::tr!("serve.not_loopback", addr = opts.bind));
    }
    let listener = bind(opts.bind, opts.port).map_err(Error::Serve)?;
    let addr = listener.local_addr().map_err(Error::Serve)?;
    let url = format!("http://{addr}{}", state.current.load().base_path);
    println!("{}", crate::tr!("serve.serving", url = &url));
    if opts.open {
        open_browser(&url);
    }

    let mut watch =
        SiteWatch::new(&root, opts.poll).map_err(|e| Error::Serve(std::io::Error::other(e)))?;
    if watch.polling {
        println!("{}", crate::tr!("serve.polling"));
    }
    let rebuilding = state.clone();
    std::thread::spawn(move || {
        while let Some(change) = watch.next_change() {
            apply(&rebuilding, &root, &change);
        }
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(Error::Serve)?;
    runtime
        .block_on(serve(listener, state))
        .map_err(Error::Serve)
}

/// Accepts connections for ever: each is a task, not a thread, read with a time limit on its
/// headers and a size limit on them.
pub async fn serve(listener: std::net::TcpListener, state: Arc<State>) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let app = review::router(state.clone()).merge(http::router(state));
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let timeout = header_timeout();
    loop {
        let Ok(permit) = slots.clone().acquire_owned().await else {
            return Ok(());
        };
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            // Out of file descriptors (EMFILE) or another passing failure: retried at once, it
            // fails at once again and spins a core; a pause lets connections close.
            Err(_) => {
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(timeout)
                .max_buf_size(MAX_HEADER_BYTES.max(8192) * 2)
                .max_header_size(MAX_HEADER_BYTES)
                .keep_alive(true);
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
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
        eprintln!("{}", crate::tr!("serve.no_browser", url = url));
    }
}
