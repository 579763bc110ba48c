//! What a build costs grows with what it is given, not faster: one plan four times the size
//! takes about four times as long, and a page never grows with the number of plans beside it.
//! Bounds are generous (a debug build, a busy machine); a cost that grows with the square of
//! the size fails them by far.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const SITE: &str = "title: 示例区安全生产规划公开\nbase_url: https://www.example.gov.cn/\n\
    organizer: 示例区应急管理局\nsite_id_code: \"0000000000\"\nicp: 示ICP备00000000号\n\
    page_size: 20\nallow_new_units: true\n\
    districts:\n  - slug: shili\n    name: 示例区\n    region: 示例市\n  - slug: yangli\n    name: 样例区\n    region: 示例市\n\
    units:\n  - name: 区应急局\n    district: shili\n  - name: 区应急局\n    district: yangli\n\
    indicators:\n  - slug: accident-count\n    name: 生产安全事故起数\n    unit: 起\n";

/// A fictional plan of about `bytes` bytes: sections of numbered tasks, each with its units.
fn plan(district: &str, year: u16, id: usize, bytes: usize) -> String {
    let mut s = format!(
        "---\ntitle: 示例区{year}年安全生产工作要点（第{id}号）\ndistrict: {district}\nyear: {year}\n\
         issuer: 示例区安全生产委员会\ndoc_number: 示安委〔{year}〕{id}号\nwritten: {year}-01-10\n\
         published: {year}-01-15\nindex_number: SL-{year}-{id:05}\n\
         indicators:\n  - name: 生产安全事故起数\n    target: 下降{}%\n---\n\n",
        id % 30
    );
    let mut task = 0;
    let mut section = 0;
    while s.len() < bytes {
        section += 1;
        let _ = write!(s, "## 第{section}部分\n\n");
        for _ in 0..20 {
            task += 1;
            let _ = write!(
                s,
                "{task}.开展第{task}项示例检查，落实示例区第{section}部分的隐患排查治理和风险分级管控，\
                 健全责任体系，加强宣传教育与应急演练。（责任单位：区应急局，示例第{}街道）\n\n",
                task % 37
            );
        }
    }
    s
}

/// CPU time (user + system) this process has used, from `/proc/self/stat` (in USER_HZ, which
/// Linux fixes at 100 a second for that file); `None` where there is no `/proc`.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which may hold spaces, so skip past its ')').
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// The least of three builds of the site at `root`, in memory: CPU time where the system tells
/// it (so another job on the machine does not count), else wall time.
fn build_time(root: &Path) -> Duration {
    (0..3)
        .map(|_| {
            let (t, cpu) = (Instant::now(), cpu_time());
            if let Err(e) = gongkai::build::build_in_memory(root, None) {
                panic!("{e:?}");
            }
            match (cpu, cpu_time()) {
                (Some(a), Some(b)) => b - a,
                _ => t.elapsed(),
            }
        })
        .min()
        .unwrap()
}

fn one_plan_site(bytes: usize) -> (tempfile::TempDir, Duration) {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "site.yaml", SITE);
    write(
        tmp.path(),
        "content/shili/2024/big.md",
        &plan("shili", 2024, 1, bytes),
    );
    let t = build_time(tmp.path());
    (tmp, t)
}

/// The tests of this file take turns, so that neither times the other's work.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn one_plan_costs_time_in_proportion_to_its_size() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // One plan: 1 MB and 4 MB (the 4 MB plan took 6.4 s in a release build when indexing was
    // quadratic; 8 MB took 27 s).
    let (_a, small) = one_plan_site(1 << 20);
    let (_b, big) = one_plan_site(4 << 20);
    let ratio = big.as_secs_f64() / small.as_secs_f64();
    eprintln!("1 MB plan: {small:?}, 4 MB plan: {big:?}, ratio {ratio:.2}");
    // Linear is 4; the Pagefind index this replaced measured 6.3 here (and 16 is quadratic).
    assert!(ratio < 5.5, "4× the text took {ratio:.1}× the time");
}

#[test]
fn no_page_grows_with_the_plans_beside_it() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Many plans in one district and year.
    let largest_page = |plans: usize| {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "site.yaml", SITE);
        for i in 0..plans {
            write(
                tmp.path(),
                &format!("content/shili/2024/p{i:04}.md"),
                &plan("shili", 2024, i + 1, 600),
            );
        }
        // A second district, so that the region has a page.
        write(
            tmp.path(),
            "content/yangli/2024/p.md",
            &plan("yangli", 2024, 1, 600),
        );
        let (files, _) =
            gongkai::build::build_in_memory(tmp.path(), None).unwrap_or_else(|e| panic!("{e:?}"));
        files
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .map(|(p, b)| (b.len(), p.clone()))
            .max()
            .unwrap()
    };
    let (few, few_page) = largest_page(30);
    let (many, many_page) = largest_page(400);
    eprintln!("largest page: {few} B ({few_page}) with 30 plans, {many} B ({many_page}) with 400");
    assert!(
        (many as f64) < few as f64 * 1.5,
        "{many_page} is {many} bytes with 400 plans, the largest page was {few} with 30"
    );
}
