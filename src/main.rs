//! The `gongkai` command line.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gongkai::build::{self, BuildError, BuildOptions};

/// gongkai (公开): builds a website from government plans written as Markdown with YAML front
/// matter, for publishing on a government open-information portal.
#[derive(Parser)]
#[command(name = "gongkai", version, about, long_about = None, after_help = "\
Typical use:
  gongkai init mysite        create a new site with one example plan
  gongkai check --root mysite    check the content; nothing is written
  gongkai build --root mysite    build the site into mysite/output/

A site is a folder with site.yaml and content/<district>/<year>/<plan>.md.
See README.md for the content format.")]
struct Cli {
    /// Language of messages: zh (default) or en; also GONGKAI_LANG or an English LANG.
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new, minimal site that builds at once.
    Init {
        /// Folder to create the site in.
        dir: PathBuf,
    },
    /// Build the site into the output folder (by default <root>/output).
    Build {
        /// The site folder, holding site.yaml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; replaced only when the build succeeds.
        #[arg(long)]
        output: Option<PathBuf>,
        /// The address the site is published at, e.g. https://www.example.gov.cn/zwgk/aqsc/
        #[arg(long)]
        base_url: Option<String>,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
        /// Make links name index.html, so that the site also works opened from a disk (file://).
        #[arg(long)]
        for_disk: bool,
    },
    /// Build the site into memory and serve it for a local preview; rebuild and reload the
    /// browser whenever content, themes or site.yaml change.
    Serve(gongkai::serve::ServeOptions),
    /// Turn a plan document — Word (.docx; .doc/.wps through LibreOffice), a page saved from a
    /// portal (.html), a PDF with text, or plain text — or a folder of them into plan files,
    /// adding new districts, units and indicators to site.yaml, and report what was recognised.
    Import(gongkai::import::ImportOptions),
    /// Check the site's content and configuration; write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn report(diags: &[gongkai::diagnostics::Diagnostic]) {
    for d in diags {
        eprintln!("{d}\n");
    }
    eprintln!(
        "{}",
        gongkai::tr!("cli.problems_found", count = diags.len())
    );
}

/// The language asked for on the command line (`--lang en`, `--lang=en`), read before clap
/// parses it so that clap's own messages can be in that language too.
fn lang_arg() -> Option<gongkai::i18n::Lang> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().enumerate().find_map(|(i, a)| {
        let v = a.strip_prefix("--lang=").or_else(|| {
            (a == "--lang")
                .then(|| args.get(i + 1).map(String::as_str))
                .flatten()
        })?;
        gongkai::i18n::Lang::parse(v)
    })
}

fn main() -> ExitCode {
    gongkai::i18n::set(lang_arg().unwrap_or_else(gongkai::i18n::Lang::from_env));
    let cli = Cli::parse();
    match cli.command {
        Command::Init { dir } => match gongkai::init::init(&dir) {
            Ok(()) => {
                println!(
                    "Created a new site in {}.\nNext: gongkai build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Check { root } => match build::check(&root, None) {
            Ok((site, _)) => {
                let tasks: usize = site.plans.iter().map(|p| p.body.tasks.len()).sum();
                println!(
                    "ok: {} plans, {} tasks, {} units; no problems found",
                    site.plans.len(),
                    tasks,
                    site.config.units.items.len()
                );
                ExitCode::SUCCESS
            }
            Err(d) => {
                report(&d.sorted());
                ExitCode::FAILURE
            }
        },
        Command::Serve(opts) => match gongkai::serve::run(&opts) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(3)
            }
        },
        Command::Import(opts) => match gongkai::import::run(&opts) {
            Ok(batch) => {
                let _ = write!(std::io::stdout(), "{batch}");
                if batch.failures.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    // A single document that failed: its reason also goes to stderr.
                    if batch.reports.is_empty() && batch.failures.len() == 1 {
                        eprintln!("{}{}", gongkai::tr!("diag.error"), batch.failures[0].1);
                    }
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                eprintln!("{}{e}", gongkai::tr!("diag.error"));
                ExitCode::FAILURE
            }
        },
        Command::Build {
            root,
            output,
            base_url,
            timings,
            for_disk,
        } => {
            let output = output.unwrap_or_else(|| root.join("output"));
            let progress = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
            let opts = BuildOptions {
                root,
                output: output.clone(),
                base_url,
                progress,
                for_disk,
            };
            let start = std::time::Instant::now();
            match build::build(&opts) {
                Ok(r) => {
                    // Written with `let _ =` so that `gongkai build --timings | head` is no panic.
                    let mut out = std::io::stdout();
                    let _ = writeln!(
                        out,
                        "built {} pages ({} files, {:.1} MB) into {} in {:.2} s",
                        r.pages,
                        r.files,
                        r.bytes as f64 / 1e6,
                        output.display(),
                        start.elapsed().as_secs_f64()
                    );
                    if timings {
                        for (stage, d) in &r.timings {
                            let _ =
                                writeln!(out, "  {stage:<9} {:>9.1} ms", d.as_secs_f64() * 1000.0);
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(BuildError::Content(d)) => {
                    report(&d);
                    ExitCode::FAILURE
                }
                Err(BuildError::Io(e)) => {
                    eprintln!("error: {e}");
                    ExitCode::from(3)
                }
            }
        }
    }
}

// A faster allocator: a build allocates and frees many small strings on every core.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
