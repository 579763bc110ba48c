//! `gongkai import` and `gongkai progress import` take time linear in their input, and refuse
//! what is past a limit of `gongkai::limits` with an error naming the file and the
//! limit, writing nothing. Inputs are generated at two sizes (N and 4N) and the binary is timed
//! by the CPU time it used (from `/proc`, as tests/cost.rs does), so that a busy machine does
//! not make linear look quadratic. Bounds are generous: linear is about 4 (less, with the fixed
//! cost of a run), and each quadratic step these tests were written against made 6 to 10.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use common::*;
use gongkai::limits::*;

/// The tests of this file take turns: the CPU time of children is counted per process, so two
/// runs at once would count each other's.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// CPU time (user + system) of the children this process has waited for, from
/// `/proc/self/stat` (cutime and cstime, in USER_HZ, which Linux fixes at 100 a second).
fn children_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Runs `gongkai` with `args`; its CPU time where the system tells it, else wall time.
fn timed(args: &[&str]) -> (Output, Duration) {
    let (t, cpu) = (std::time::Instant::now(), children_cpu());
    let out = gongkai(args);
    let took = match (cpu, children_cpu()) {
        (Some(a), Some(b)) => b - a,
        _ => t.elapsed(),
    };
    (out, took)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// Asserts that the time at 4N is well below the square of 4 times the time at N.
fn assert_linear(what: &str, small: Duration, big: Duration) {
    let ratio = big.as_secs_f64() / small.as_secs_f64().max(0.01);
    eprintln!("{what}: N {small:?}, 4N {big:?}, ratio {ratio:.2}");
    assert!(
        ratio < 5.5,
        "{what}: 4 times the input took {ratio:.1} times the time ({small:?} → {big:?})"
    );
}

/// A plan as text: numbered tasks under numbered sections, each with its units, and after
/// every second task a notation line (which the importer weighs as a group's notation).
fn text_plan(tasks: usize) -> String {
    let mut s = String::from("示例区2024年安全生产工作要点\n\n");
    for t in 1..=tasks {
        if t % 20 == 1 {
            let _ = writeln!(
                s,
                "{}、第{}部分工作",
                ["一", "二", "三"][t / 20 % 3],
                t / 20 + 1
            );
        }
        let _ = writeln!(
            s,
            "{t}.开展第{t}项示例检查，落实隐患排查治理和风险分级管控。（责任单位：区应急局）"
        );
        if t % 2 == 0 {
            s.push_str("责任单位：区应急局，各街镇\n");
        }
    }
    s
}

/// A saved page whose article nests `depth` `div`s, each holding ten numbered paragraphs.
fn nested_page(depth: usize) -> String {
    let mut s = String::from(
        "<html><head><title>示例区2024年安全生产工作要点</title></head><body>\
         <div class=\"TRS_Editor\"><p>示例区2024年安全生产工作要点</p>",
    );
    let mut t = 0;
    for _ in 0..depth {
        s.push_str("<div>");
        for _ in 0..10 {
            t += 1;
            let _ = write!(
                s,
                "<p>{t}.开展第{t}项示例检查，落实隐患排查治理。（责任单位：区应急局）</p>"
            );
        }
    }
    s.push_str(&"</div>".repeat(depth));
    s.push_str("</div></body></html>");
    s
}

/// Imports `file` into `site` without writing, twice; panics unless it succeeds. The lesser
/// time, since other work on the machine slows a run's CPU time too (caches, memory).
fn import_dry(file: &Path, site: &Path) -> Duration {
    (0..2)
        .map(|_| {
            let (o, t) = timed(&[
                "import",
                file.to_str().unwrap(),
                "--site",
                site.to_str().unwrap(),
                "--year",
                "2030",
                "--dry-run",
            ]);
            assert!(o.status.success(), "{}", text(&o));
            t
        })
        .min()
        .unwrap()
}

#[test]
fn text_import_is_linear_in_tasks() {
    let _turn = turn();
    let (tmp, site) = new_site();
    let time = |tasks: usize| {
        let f = tmp.path().join(format!("plan-{tasks}.txt"));
        std::fs::write(&f, text_plan(tasks)).unwrap();
        import_dry(&f, &site)
    };
    let (small, big) = (time(1_000), time(4_000));
    assert_linear("text import", small, big);
}

#[test]
fn html_import_is_linear_in_nesting() {
    let _turn = turn();
    let (tmp, site) = new_site();
    let time = |depth: usize| {
        let f = tmp.path().join(format!("page-{depth}.html"));
        std::fs::write(&f, nested_page(depth)).unwrap();
        import_dry(&f, &site)
    };
    let (small, big) = (time(60), time(240));
    assert_linear("HTML import", small, big);
}

#[test]
fn progress_import_is_linear_in_rows() {
    let _turn = turn();
    let time = |rows: usize| {
        // A fresh site each time: the example plan of `init` and its progress file, which the
        // rows are added to.
        let (tmp, site) = new_site();
        let f = tmp.path().join(format!("rows-{rows}.csv"));
        let mut csv = String::from("序号,任务,牵头单位,进展情况,完成状态,日期\n");
        for i in 1..=rows {
            let _ = writeln!(
                csv,
                "{},,区应急局,第{i}次检查已完成,推进中,2024-06-20",
                i % 3 + 1
            );
        }
        std::fs::write(&f, csv).unwrap();
        let (o, t) = timed(&[
            "progress",
            "import",
            f.to_str().unwrap(),
            "--site",
            site.to_str().unwrap(),
            "--plan",
            "shili/2024/aqsc-gongzuo-yaodian",
        ]);
        assert!(o.status.success(), "{}", text(&o));
        let written = std::fs::read_to_string(
            site.join("content/shili/2024/aqsc-gongzuo-yaodian.progress.yaml"),
        )
        .unwrap();
        assert_eq!(written.matches("次检查已完成").count(), rows);
        t
    };
    let (small, big) = (time(1_000), time(4_000));
    assert_linear("progress import", small, big);
}

/// `import FILE` of `content` (written to a file named `name`) is refused: exit code not 0, a
/// message naming the file and `limit`, and nothing in the site changed.
fn import_refused(name: &str, content: &[u8], limit: usize) {
    let (tmp, site) = new_site();
    let f = tmp.path().join(name);
    std::fs::write(&f, content).unwrap();
    let before = snapshot(&site);
    let (o, t) = timed(&[
        "import",
        f.to_str().unwrap(),
        "--site",
        site.to_str().unwrap(),
        "--year",
        "2030",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    eprintln!("{name}: {t:?}: {err}");
    assert!(!o.status.success(), "{name} was imported: {}", text(&o));
    assert!(err.contains(name), "the error does not name {name}: {err}");
    assert!(
        err.contains(&limit.to_string()),
        "the error does not name the limit {limit}: {err}"
    );
    assert!(err.contains("上限"), "not a limit's message: {err}");
    assert_eq!(before, snapshot(&site), "{name}: something was written");
}

#[test]
fn a_page_nested_too_deep_is_refused_before_it_is_parsed() {
    let _turn = turn();
    // 1,000,000 nested elements never finished parsing.
    let page = format!(
        "<html><body>{}1.开展检查。（责任单位：区应急局）{}</body></html>",
        "<div>".repeat(1_000_000),
        "</div>".repeat(1_000_000)
    );
    import_refused("deep.html", page.as_bytes(), HTML_MAX_NESTING);
    // End tags the parser ignores do not hide the nesting.
    let page = format!(
        "<html><body>{}x</body></html>",
        "<span><div></span>".repeat(HTML_MAX_NESTING)
    );
    import_refused("ignored-ends.html", page.as_bytes(), HTML_MAX_NESTING);
    // Formatting elements the parser opens again in every paragraph: elements with the square
    // of their number.
    let page: String = (0..4_000)
        .map(|k| format!("<p><b id=\"b{k}\">{k}</p>"))
        .collect();
    import_refused("reopened.html", page.as_bytes(), HTML_MAX_NESTING);
}

#[test]
fn a_page_nested_within_the_limit_is_read_whole() {
    let _turn = turn();
    // Deeper than the reader follows: the deep text is read into its ancestor's.
    let depth = HTML_FLATTEN_DEPTH + 100;
    let page = format!(
        "<html><head><title>示例区2024年安全生产工作要点</title></head><body>\
         <div class=\"TRS_Editor\"><p>示例区2024年安全生产工作要点</p>{}\
         <p>1.开展深层检查。（责任单位：区应急局）</p>{}</div></body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let (tmp, site) = new_site();
    let f = tmp.path().join("deep-but-fine.html");
    std::fs::write(&f, page).unwrap();
    let out = tmp.path().join("plan.md");
    let o = import(
        &f,
        &site,
        &["--year", "2030", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o));
    let plan = std::fs::read_to_string(&out).unwrap();
    assert!(plan.contains("开展深层检查"), "{plan}");
}

#[test]
fn documents_past_a_count_are_refused() {
    let _turn = turn();
    let title = "示例区2024年安全生产工作要点\n";
    // Lines.
    let lines = format!("{title}{}", "落实责任\n".repeat(IMPORT_MAX_LINES + 1));
    import_refused("lines.txt", lines.as_bytes(), IMPORT_MAX_LINES);
    // Numbered paragraphs.
    let mut numbered = String::from(title);
    for t in 1..=IMPORT_MAX_NUMBERED + 1 {
        let _ = writeln!(numbered, "{t}.检查");
    }
    import_refused("tasks.txt", numbered.as_bytes(), IMPORT_MAX_NUMBERED);
    // Table rows.
    let rows = format!(
        "{title}| 序号 | 任务 |\n|---|---|\n{}",
        "| 1 | 检查 |\n".repeat(IMPORT_MAX_TABLE_ROWS + 1)
    );
    import_refused("rows.txt", rows.as_bytes(), IMPORT_MAX_TABLE_ROWS);
    // A table laid out wider than it is written: one wide row over many narrow ones.
    let cells = format!(
        "{title}|{}\n{}",
        " 甲 |".repeat(1_001),
        "| 序号 | 任务 |\n".repeat(1_000)
    );
    import_refused("cells.txt", cells.as_bytes(), IMPORT_MAX_TABLE_CELLS);
    // Merged cells of a page, each repeated into the rows it covers.
    let mut page =
        String::from("<html><head><title>示例区2024年安全生产工作要点</title></head><body><table>");
    for _ in 0..200 {
        page.push_str("<tr>");
        page.push_str(&"<td rowspan=\"1000\">甲</td>".repeat(64));
        page.push_str("</tr>");
    }
    page.push_str("</table></body></html>");
    import_refused("merged.html", page.as_bytes(), IMPORT_MAX_TABLE_CELLS);
    // New units.
    let mut units = String::from(title);
    for t in 1..=IMPORT_MAX_NEW_UNITS + 1 {
        let _ = writeln!(units, "{t}.开展检查。（责任单位：第{t}检查组）");
    }
    import_refused("units.txt", units.as_bytes(), IMPORT_MAX_NEW_UNITS);
}

#[test]
fn a_progress_table_past_the_row_limit_is_refused() {
    let _turn = turn();
    let (tmp, site) = new_site();
    let f = tmp.path().join("rows.csv");
    let mut csv = String::from("序号,任务,牵头单位,进展情况,完成状态,日期\n");
    csv.push_str(&"1,,区应急局,检查已完成,推进中,2024-06-20\n".repeat(PROGRESS_MAX_ROWS + 1));
    std::fs::write(&f, csv).unwrap();
    let before = snapshot(&site);
    let (o, t) = timed(&[
        "progress",
        "import",
        f.to_str().unwrap(),
        "--site",
        site.to_str().unwrap(),
        "--plan",
        "shili/2024/aqsc-gongzuo-yaodian",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    eprintln!("rows.csv: {t:?}: {err}");
    assert!(!o.status.success(), "{}", text(&o));
    assert!(err.contains("rows.csv"), "{err}");
    assert!(err.contains(&PROGRESS_MAX_ROWS.to_string()), "{err}");
    assert_eq!(before, snapshot(&site), "something was written");
}
