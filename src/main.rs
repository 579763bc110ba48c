//! The `gongkai` command line. Messages, `--help` included, are in Chinese unless `--lang en`,
//! `GONGKAI_LANG=en` or an English locale asks for English. Exit codes: 0 success, 1 problems in
//! the content or config, 2 a bad command line, 3 the output could not be written (or served).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};
use gongkai::build::{self, BuildOptions};
use gongkai::diagnostics::Diagnostic;
use gongkai::error::Error;
use gongkai::tr;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
struct Cli {
    /// Language of messages: zh (default) or en.
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<String>,
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Init {
        dir: PathBuf,
        #[arg(long)]
        force: bool,
    },
    Build {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        output: Option<PathBuf>,
        #[arg(long)]
        base_url: Option<String>,
        #[arg(long)]
        timings: bool,
        #[arg(long)]
        for_disk: bool,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        deny_warnings: bool,
        #[arg(long)]
        minify: bool,
    },
    Serve(gongkai::serve::ServeOptions),
    Import(gongkai::import::ImportOptions),
    #[command(disable_help_subcommand = true)]
    Progress {
        #[command(subcommand)]
        command: ProgressCommand,
    },
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        deny_warnings: bool,
        #[arg(long)]
        all_warnings: bool,
    },
}

#[derive(Subcommand)]
enum ProgressCommand {
    Import(gongkai::progress::ProgressImportOptions),
}

/// The message of `key`, if the catalogue has one.
fn message(key: &str) -> Option<String> {
    let m = tr!(key);
    (!m.is_empty() && !m.ends_with(key)).then_some(m)
}

/// The command line with its help in the current language: the text of each command and
/// option comes from `locales/cli.yml` (`cli.help.<command>` and `cli.help.<command>.<option>`),
/// so the help of every subcommand, wherever its options are declared, is translated in one place.
fn command() -> clap::Command {
    let mut cmd = Cli::command()
        .about(tr!("cli.about"))
        .after_help(tr!("cli.after_help"))
        .help_template(tr!("cli.help_template"))
        .subcommand_help_heading(tr!("cli.commands"))
        .next_help_heading(tr!("cli.options"));
    cmd = cmd
        .mut_arg("lang", |a| {
            a.help(tr!("cli.help.lang"))
                .help_heading(tr!("cli.options"))
        })
        .mut_arg("help", |a| {
            a.help(tr!("cli.help.help"))
                .help_heading(tr!("cli.options"))
        })
        .mut_arg("version", |a| {
            a.help(tr!("cli.help.version"))
                .help_heading(tr!("cli.options"))
        });
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |sub| localize(sub, &name));
    }
    cmd
}

/// A subcommand's help in the current language: `cli.help.<key>` for it, `cli.help.<key>.<id>`
/// for its options; a nested one (`progress import`) is `<key>-<name>`.
fn localize(mut sub: clap::Command, key: &str) -> clap::Command {
    if let Some(about) = message(&format!("cli.help.{key}")) {
        sub = sub.about(about);
    }
    sub = sub
        .help_template(tr!("cli.help_template"))
        .subcommand_help_heading(tr!("cli.commands"))
        .next_help_heading(tr!("cli.options"));
    let args: Vec<String> = sub
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in args {
        let help = message(&format!("cli.help.{key}.{id}"));
        sub = sub.mut_arg(&id, |a| {
            let a = a.help_heading(tr!("cli.options"));
            // clap writes "[default: .]" in English; the default goes into the help text in
            // the current language instead.
            let default: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            match help {
                Some(h) if !default.is_empty() && !a.is_hide_default_value_set() => {
                    a.hide_default_value(true).help(tr!(
                        "cli.with_default",
                        help = h,
                        default = default.join(", ")
                    ))
                }
                Some(h) => a.help(h),
                None => a,
            }
        });
    }
    let nested: Vec<String> = sub
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in nested {
        sub = sub.mut_subcommand(&name, |s| localize(s, &format!("{key}-{name}")));
    }
    sub
}

/// The language asked for on the command line (`--lang en`, `--lang=en`), read before clap
/// parses it so that the help and clap's own messages are in that language too; else by
/// `GONGKAI_LANG`. A value that names no language we speak is an error (with where it came
/// from and what it was), never silently Chinese.
fn lang_arg() -> Result<Option<gongkai::i18n::Lang>, (String, String)> {
    let args: Vec<String> = std::env::args().collect();
    let given = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--lang=")
            .map(str::to_string)
            .or_else(|| (a == "--lang").then(|| args.get(i + 1).cloned().unwrap_or_default()))
    });
    let (from, value) = match given {
        Some(v) => ("--lang".to_string(), v),
        None => match std::env::var("GONGKAI_LANG") {
            Ok(v) if !v.is_empty() => ("GONGKAI_LANG".to_string(), v),
            _ => return Ok(None),
        },
    };
    gongkai::i18n::Lang::parse(&value)
        .map(Some)
        .ok_or((from, value))
}

/// Prints problems, each with its place and hint, then how many there were.
/// Warnings of one kind (one hint) listed before the rest are only counted: a site of
/// thousands of plans that all lack 索引号 would otherwise print thousands of the same warning.
const WARNINGS_OF_A_KIND: usize = 10;

fn report(diags: &[Diagnostic], failed: bool) {
    report_all(diags, failed, false)
}

fn report_all(diags: &[Diagnostic], failed: bool, all_warnings: bool) {
    let mut shown: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut hidden: Vec<(&str, usize)> = Vec::new();
    for d in diags {
        if d.severity == gongkai::diagnostics::Severity::Warning
            && !all_warnings
            && let Some(hint) = d.hint.as_deref()
        {
            let n = shown.entry(hint).or_default();
            *n += 1;
            if *n > WARNINGS_OF_A_KIND {
                match hidden.iter_mut().find(|(h, _)| *h == hint) {
                    Some((_, k)) => *k += 1,
                    None => hidden.push((hint, 1)),
                }
                continue;
            }
        }
        eprintln!("{d}\n");
    }
    for (hint, n) in hidden {
        eprintln!(
            "{}\n",
            tr!(
                "cli.more_warnings",
                count = n,
                shown = WARNINGS_OF_A_KIND,
                hint = hint
            )
        );
    }
    let (errors, warnings) = gongkai::diagnostics::Diagnostics::counts(diags);
    if failed {
        eprintln!(
            "{}",
            tr!("cli.problems_found", errors = errors, warnings = warnings)
        );
    } else if warnings > 0 {
        eprintln!("{}", tr!("cli.warnings_found", warnings = warnings));
    }
}

/// Reports why a command failed; returns its exit code.
fn fail(e: Error) -> ExitCode {
    match &e {
        Error::Content(d) => report(d, true),
        other => eprintln!("{}{other}", tr!("diag.error")),
    }
    ExitCode::from(e.exit_code())
}

fn main() -> ExitCode {
    return_freed_memory();
    if let Err(code) = set_language() {
        return code;
    }
    let cli = match parse_command_line() {
        Ok(c) => c,
        Err(code) => return code,
    };
    match cli.command {
        Command::Init { dir, force } => init(&dir, force),
        Command::Check {
            root,
            deny_warnings,
            all_warnings,
        } => check(&root, deny_warnings, all_warnings),
        Command::Serve(opts) => match gongkai::serve::run(&opts) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        },
        Command::Import(opts) => import(&opts),
        Command::Progress {
            command: ProgressCommand::Import(opts),
        } => progress_import(&opts),
        Command::Build {
            root,
            output,
            base_url,
            timings,
            for_disk,
            force,
            deny_warnings,
            minify,
        } => {
            let output = output.unwrap_or_else(|| root.join("output"));
            let progress = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
            let opts = BuildOptions {
                root,
                output,
                base_url,
                progress,
                for_disk,
                force,
                deny_warnings,
                minify,
            };
            build(&opts, timings)
        }
    }
}

/// Sets the language of messages from `--lang` or the environment; a value that names no
/// language we speak ends the run (exit code 2, as a bad command line).
fn set_language() -> Result<(), ExitCode> {
    match lang_arg() {
        Ok(lang) => {
            gongkai::i18n::set(lang.unwrap_or_else(gongkai::i18n::Lang::from_env));
            Ok(())
        }
        Err((from, value)) => {
            eprintln!(
                "{}{}",
                tr!("diag.error"),
                tr!("cli.bad_lang", from = from, value = value)
            );
            Err(ExitCode::from(2))
        }
    }
}

/// The command line, or the exit code of a run that ends here: 0 after `--help` or
/// `--version`, 2 for a bad command line.
fn parse_command_line() -> Result<Cli, ExitCode> {
    let matches = match command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            use clap::error::ErrorKind;
            if !matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                eprintln!("{}", tr!("cli.bad_command_line"));
            }
            let _ = e.print();
            return Err(ExitCode::from(if e.use_stderr() { 2 } else { 0 }));
        }
    };
    Cli::from_arg_matches(&matches).map_err(|e| {
        let _ = e.print();
        ExitCode::from(2)
    })
}

/// `gongkai init`.
fn init(dir: &std::path::Path, force: bool) -> ExitCode {
    match gongkai::init::init(dir, force) {
        Ok(done) => {
            for f in done.kept {
                println!("{}", tr!("init.kept", file = f.display()));
            }
            println!("{}", tr!("cli.init_done", dir = dir.display()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}{e}", tr!("diag.error"));
            ExitCode::FAILURE
        }
    }
}

/// `gongkai check`: the site's warnings (each kind counted past a few unless `all_warnings`),
/// then what it holds; with `deny_warnings`, a warning fails it.
fn check(root: &std::path::Path, deny_warnings: bool, all_warnings: bool) -> ExitCode {
    let engine = match build::check(root, None) {
        Ok(engine) => engine,
        Err(e) => return fail(e),
    };
    let warnings = engine.site.warnings();
    if deny_warnings && !warnings.is_empty() {
        report_all(&warnings, true, all_warnings);
        return ExitCode::FAILURE;
    }
    report_all(&warnings, false, all_warnings);
    let site = &engine.site;
    let tasks: usize = site.plans.iter().map(|p| p.body.tasks.len()).sum();
    println!(
        "{}",
        tr!(
            "cli.check_ok",
            plans = site.plans.len(),
            tasks = tasks,
            units = site.reg.units.items.len()
        )
    );
    ExitCode::SUCCESS
}

/// Reports why an import or a progress import could not run; exit code 1, as for problems in
/// the content (see the README's exit codes).
fn fail_import(e: &dyn std::error::Error) -> ExitCode {
    eprintln!("{}{e}", tr!("diag.error"));
    ExitCode::FAILURE
}

/// `gongkai import`: what it did; exit code 1 when a document could not be imported.
fn import(opts: &gongkai::import::ImportOptions) -> ExitCode {
    let batch = match gongkai::import::run(opts) {
        Ok(batch) => batch,
        Err(e) => return fail_import(&e),
    };
    let _ = write!(std::io::stdout(), "{batch}");
    if batch.failures.is_empty() {
        return ExitCode::SUCCESS;
    }
    // A single document that failed: its reason also goes to stderr.
    if let ([], [(_, e)]) = (batch.reports.as_slice(), batch.failures.as_slice()) {
        eprintln!("{}{e}", tr!("diag.error"));
    }
    ExitCode::FAILURE
}

/// `gongkai progress import`: what it did; exit code 1 when some rows were not written.
fn progress_import(opts: &gongkai::progress::ProgressImportOptions) -> ExitCode {
    match gongkai::progress::run(opts) {
        Ok(report) => {
            let _ = write!(std::io::stdout(), "{report}");
            if report.complete() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => fail_import(&e),
    }
}

/// `gongkai build`: the warnings, then what was written and how long it took (by stage with
/// `timings`).
fn build(opts: &BuildOptions, timings: bool) -> ExitCode {
    let start = std::time::Instant::now();
    let (engine, r) = match build::build(opts) {
        Ok(done) => done,
        Err(e) => return fail(e),
    };
    report(&engine.site.warnings(), false);
    // Written with `let _ =` so that `gongkai build --timings | head` is no panic.
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "{}",
        tr!(
            "cli.built",
            pages = r.pages,
            files = r.files,
            mb = format!("{:.1}", r.bytes as f64 / 1e6),
            output = opts.output.display(),
            seconds = format!("{:.2}", start.elapsed().as_secs_f64())
        )
    );
    if timings {
        for (stage, d) in &r.timings {
            let _ = writeln!(out, "  {stage:<9} {:>9.1} ms", d.as_secs_f64() * 1000.0);
        }
    }
    ExitCode::SUCCESS
}

// A faster allocator: a build allocates and frees many small strings on every core.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (the same in its v2 and v3), which the crate does not
/// name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Has mimalloc give memory it no longer uses back to the system after 50 ms rather than a
/// second (its v3 default): the search index's postings grow to the end of a build, and each
/// vector they outgrow would otherwise stay resident beside the new one. Not at once (0), as
/// before: every page given back is faulted in again when reused, which costs system time
/// (bench/README.md has the figures).
fn return_freed_memory() {
    // SAFETY: sets a plain integer option; mimalloc reads options at each purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 50) };
}
