//! What is no task: the numbered paragraphs of a plan's preamble parts (指导思想, 工作目标 …),
//! and the rows of an annex task list that repeat the body's tasks — linked to them, giving them
//! the units and due date the body does not state, and counted once everywhere (the plan page,
//! plan.json, tasks.csv, `check`, progress). A fictional site, built and read back with HTML, JSON
//! and CSV parsers; and the matching of rows timed on a hostile annex.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;

const PLAN: &str = "content/shili/2024/aqsc-gongzuo-yaodian.md";
const PAGE: &str = "shili/2024/aqsc-gongzuo-yaodian/index.html";
const JSON: &str = "shili/2024/aqsc-gongzuo-yaodian/plan.json";

/// A plan with a preamble (a run-in 指导思想 and a 工作目标 with its items), three body tasks, and
/// an annex whose rows 1 and 2 repeat tasks 1 and 2 (row 2 naming another lead unit than the
/// body) and whose row 3 is a task of its own.
const PLAN_TEXT: &str = "---\ntitle: 示例区2024年安全生产工作要点\ndistrict: shili\nyear: 2024\nkind: 工作要点\n---\n\n\
## 一、总体要求\n\n\
（一）指导思想。以习近平新时代中国特色社会主义思想为指导，统筹发展和安全。\n\n\
（二）工作目标。到2024年底：\n\n\
1.生产安全事故起数下降5%。\n\n\
2.较大以上事故不发生。\n\n\
## 二、主要任务\n\n\
1.建设安全生产风险监测预警平台。接入重点企业。\n\n\
2.开展城镇燃气安全专项整治。（责任单位：区建设管理委）\n\n\
3.推进危险化学品企业安全风险评估。（责任单位：区应急局）\n\n\
## 附件\n\n\
| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |\n\
|---|---|---|---|---|\n\
| 1 | 建设安全生产风险监测预警平台 | 区应急局 | 区大数据中心 | 2024年6月底前 |\n\
| 2 | 开展城镇燃气安全专项整治 | 区应急局 | | |\n\
| 3 | 开展高层建筑消防安全检查 | 区消防救援支队 | 各街镇 | 年底前 |\n";

/// The line of row 2 in the plan file.
const ROW_2_LINE: usize = 31;

fn site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "site.yaml",
        "title: 示例区安全生产规划公开\nbase_url: https://www.example.gov.cn/zwgk/aqsc/\n\
         organizer: 示例区应急管理局\nsite_id_code: \"0000000000\"\nicp: 示ICP备00000000号\n\
         districts:\n  - slug: shili\n    name: 示例区\n\
         units:\n  - name: 区建设管理委\n  - name: 区应急局\n  - name: 区消防救援支队\n\
         \x20 - name: 区大数据中心\n  - name: 各街镇\n    kind: group\n",
    );
    write(PLAN, PLAN_TEXT);
    // A report for row a1 reaches task 1, which row a1 repeats.
    write(
        "content/shili/2024/aqsc-gongzuo-yaodian.progress.yaml",
        "progress:\n  - task: a1\n    date: 2024-05-01\n    status: 已完成\n    text: 平台上线。\n",
    );
    (tmp, root)
}

fn plan_json(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join(JSON)).unwrap()).unwrap()
}

fn task<'a>(plan: &'a serde_json::Value, number: &str) -> &'a serde_json::Value {
    plan["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["number"] == number)
        .unwrap_or_else(|| panic!("task {number} in {}", plan["tasks"]))
}

#[test]
fn preamble_paragraphs_are_text_not_tasks() {
    let (_t, root) = site();
    let (_o, out) = build_site(&root, None);
    let plan = plan_json(&out);
    let numbers: Vec<&str> = plan["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["1", "2", "3", "a3"]);
    let doc = page(&out, PAGE);
    // The preamble's paragraphs are shown as written, with no task anchor.
    let paragraphs = texts(&doc, "#text p");
    for words in ["（一）指导思想。以习近平", "1.生产安全事故起数下降5%。"] {
        assert!(
            paragraphs.iter().any(|p| p.starts_with(words)),
            "{words} in {paragraphs:?}"
        );
    }
    let tasks = texts(&doc, "#text [id^='task-']");
    assert!(
        tasks
            .iter()
            .all(|t| !t.contains("指导思想") && !t.contains("事故起数下降")),
        "{tasks:?}"
    );
}

#[test]
fn annex_rows_that_repeat_tasks_link_to_them_and_give_their_units() {
    let (_t, root) = site();
    let (_o, out) = build_site(&root, None);
    let plan = plan_json(&out);
    // Task 1 states no unit: the annex row gives its units and due date.
    let t1 = task(&plan, "1");
    assert_eq!(t1["lead"], serde_json::json!(["区应急局"]));
    assert_eq!(t1["support"], serde_json::json!(["区大数据中心"]));
    assert_eq!(t1["due"]["text"], "2024年6月底前");
    // The report written for row a1 is task 1's.
    assert_eq!(t1["status"], "done");
    // Task 2 states its unit; the row's other unit is not added.
    assert_eq!(
        task(&plan, "2")["lead"],
        serde_json::json!(["区建设管理委"])
    );
    assert_eq!(task(&plan, "a3")["support"], serde_json::json!(["各街镇"]));

    let doc = page(&out, PAGE);
    assert_eq!(
        attrs(&doc, "tr#task-a1.repeat a.repeat-of", "href"),
        ["#task-1"]
    );
    assert_eq!(texts(&doc, "tr#task-a2 a.repeat-of"), ["见正文第2项"]);
    assert!(attrs(&doc, "tr#task-a3 a.repeat-of", "href").is_empty());
    // Task 1 is listed once on its lead unit's page.
    let unit = page(&out, "units/shili/qu-ying-ji-ju/index.html");
    let listed = attrs(&unit, "a[href*='aqsc-gongzuo-yaodian/#task-']", "href");
    let mut once = listed.clone();
    once.dedup();
    assert_eq!(listed, once);
    assert!(listed.iter().any(|h| h.ends_with("#task-1")), "{listed:?}");
    assert!(
        !listed.iter().any(|h| h.ends_with("#task-a1")),
        "{listed:?}"
    );

    let mut csv = csv::Reader::from_path(out.join("data/tasks.csv")).unwrap();
    assert_eq!(csv.records().count(), 4);
}

#[test]
fn check_counts_tasks_once_and_warns_where_units_differ() {
    let (_t, root) = site();
    let o = gongkai(&["check", "--root", root.to_str().unwrap()]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{text}");
    assert!(text.contains("4 项任务"), "{text}");
    assert!(
        text.contains(
            "任务表第 a2 行重复了正文第 2 项，但写的单位不同：表中的“区应急局”正文没有写"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!("aqsc-gongzuo-yaodian.md:{ROW_2_LINE}")),
        "{text}"
    );
    // Row 1 gives what task 1 lacks: no warning.
    assert!(!text.contains("第 a1 行"), "{text}");
}

#[test]
fn progress_import_writes_a_repeated_task_by_its_number() {
    let (_t, root) = site();
    let table = root.join("进展.csv");
    std::fs::write(
        &table,
        "序号,任务,进展情况,完成状态,日期\n\
         1,建设安全生产风险监测预警平台,平台上线运行,已完成,2024-06-20\n\
         2,开展城镇燃气安全专项整治,完成排查,推进中,2024-06-20\n",
    )
    .unwrap();
    let o = gongkai(&[
        "progress",
        "import",
        table.to_str().unwrap(),
        "--site",
        root.to_str().unwrap(),
    ]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{text}");
    assert!(!text.contains("更像"), "{text}");
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(
        &std::fs::read_to_string(
            root.join("content/shili/2024/aqsc-gongzuo-yaodian.progress.yaml"),
        )
        .unwrap(),
    )
    .unwrap();
    let tasks: Vec<String> = yaml["progress"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|p| match &p["task"] {
            serde_yaml_ng::Value::String(s) => s.clone(),
            v => serde_yaml_ng::to_string(v).unwrap().trim().to_string(),
        })
        .collect();
    assert_eq!(tasks, ["a1", "1", "2"]);
}

/// CPU time of this thread, from `/proc/thread-self/stat` (utime and stime, in USER_HZ, which
/// Linux fixes at 100 a second), so that other tests running at once do not count.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Three characters naming task `k`: rare bigrams, as the words that tell real tasks apart.
fn code(k: usize) -> String {
    let c = |n: usize| char::from_u32(0x4E00 + 0x200 + (n % 97) as u32).unwrap_or('甲');
    [c(k), c(k / 97), c(k / (97 * 97) + 11)].iter().collect()
}

/// `n` body tasks that all start alike (one bucket of first characters), then an annex of `n`
/// rows: a third repeats tasks word for word, a third rewords them (left to the similarity), a
/// third repeats nothing; rows with empty cells between.
fn hostile(n: usize) -> String {
    let mut s = String::from("## 一、主要任务\n\n");
    for k in 1..=n {
        s.push_str(&format!(
            "{k}.加强安全生产监督管理，整治{}隐患。\n\n",
            code(k)
        ));
    }
    s.push_str("## 附件\n\n| 序号 | 重点任务 | 牵头单位 |\n|---|---|---|\n");
    for k in 1..=n {
        let text = match k % 3 {
            0 => format!("加强安全生产监督管理，整治{}隐患", code(k)),
            1 => format!("加强安全生产监督管理，全面整治{}重大隐患", code(k)),
            _ => format!("开展{}专项检查", code(k + n)),
        };
        s.push_str(&format!("| {k} | {text} | 区应急局 |\n"));
        if k % 100 == 0 {
            s.push_str("| | | |\n");
        }
    }
    s
}

fn timed_parse(n: usize) -> (usize, usize, Duration) {
    let md = hostile(n);
    let (wall, cpu) = (std::time::Instant::now(), thread_cpu());
    let body = gongkai::body::parse(&md, 1);
    let took = match (cpu, thread_cpu()) {
        (Some(a), Some(b)) => b - a,
        _ => wall.elapsed(),
    };
    (body.tasks.len(), body.repeats.len(), took)
}

#[test]
fn matching_annex_rows_is_linear() {
    let (tasks, repeats, small) = timed_parse(5_000);
    assert!(repeats >= 2 * 5_000 / 3 - 2, "{repeats} repeats of 5000");
    assert_eq!(tasks + repeats, 10_000);
    let (tasks, repeats, big) = timed_parse(20_000);
    assert_eq!(tasks + repeats, 40_000);
    let ratio = big.as_secs_f64() / small.as_secs_f64().max(0.01);
    eprintln!("20,000 rows × 20,000 tasks: N {small:?}, 4N {big:?}, ratio {ratio:.2}");
    assert!(
        ratio < 5.5,
        "4 times the input took {ratio:.1} times the time"
    );
    assert!(big < Duration::from_secs(60), "{big:?}");
}
