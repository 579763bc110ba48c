//! `gongkai progress import` on tables the tests make: an Excel workbook written with
//! rust_xlsxwriter (a title row, a note sheet before the table, a date stored as an Excel date)
//! and CSV files in UTF-8 and GB18030. Rows that match by number and by text are written; rows
//! that match nothing or two tasks are reported and not written; bad dates, unknown statuses and
//! evidence that is nowhere refuse the table with nothing written. The file is read back with a
//! YAML parser and the site built.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const PLAN: &str = "content/shili/2024/aqsc-gongzuo-yijian.md";
const PROGRESS: &str = "content/shili/2024/aqsc-gongzuo-yijian.progress.yaml";

/// A fictional site whose plan has two tasks that open alike (1 and 2), and a progress file
/// with a comment and one report.
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
         units:\n  - name: 区建设管理委\n  - name: 区应急局\n  - name: 区消防救援支队\n",
    );
    write(
        PLAN,
        "---\ntitle: 示例区2024年安全生产工作意见\ndistrict: shili\nyear: 2024\n---\n\n\
         1.开展城镇燃气安全专项整治，排查餐饮场所燃气隐患。（责任单位：区建设管理委）\n\n\
         2.开展城镇燃气安全专项整治，排查老旧小区燃气隐患。（责任单位：区建设管理委）\n\n\
         3.推进危险化学品企业安全风险评估。（责任单位：区应急局）\n\n\
         4.建设安全生产风险监测预警平台。（责任单位：区应急局）\n\n\
         5.开展高层建筑消防安全检查。（责任单位：区消防救援支队）\n",
    );
    write(
        PROGRESS,
        "# 各部门在这里更新（手写的注释）\nprogress:\n  # 第一季度\n  - task: 5\n    date: 2024-03-01\n    status: 未启动\n",
    );
    write("sources/shili/2024/pinggu.pdf", "%PDF-1.4 示例\n");
    (tmp, root)
}

fn gongkai(args: &[&str], file: &Path, root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["progress", "import"])
        .arg(file)
        .arg("--site")
        .arg(root)
        .args(args)
        .env("GONGKAI_LANG", "zh")
        .output()
        .unwrap()
}

fn out_text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn progress(root: &Path) -> serde_yaml_ng::Value {
    serde_yaml_ng::from_str(&std::fs::read_to_string(root.join(PROGRESS)).unwrap()).unwrap()
}

/// The progress table as a department keeps it: a note sheet first, then the table under a
/// title row, one date stored as an Excel date and one typed as text.
fn workbook(path: &Path) {
    let mut book = Workbook::new();
    let note = book.add_worksheet();
    note.set_name("填表说明").unwrap();
    note.write_string(0, 0, "请各牵头单位于每季度末填报。")
        .unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("进展").unwrap();
    sheet
        .merge_range(
            0,
            0,
            0,
            6,
            "示例区2024年安全生产工作意见落实情况表（虚构）",
            &Format::new(),
        )
        .unwrap();
    let header = [
        "序号",
        "任务",
        "牵头单位",
        "进展情况",
        "完成状态",
        "日期",
        "佐证材料",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let rows: [[&str; 7]; 7] = [
        [
            "4",
            "",
            "区应急局",
            "平台完成招标",
            "推进中",
            "",
            "https://www.example.gov.cn/zwgk/pt.html",
        ],
        [
            "",
            "推进危险化学品企业安全风险评估",
            "区应急局",
            "完成12家企业评估",
            "进行中",
            "2024年6月30日",
            "sources/shili/2024/pinggu.pdf",
        ],
        [
            "",
            "开展城镇燃气安全专项整治",
            "区建设管理委",
            "排查燃气隐患",
            "推进中",
            "2024-06-30",
            "",
        ],
        [
            "3",
            "开展高层建筑消防安全检查",
            "区消防救援支队",
            "检查80栋",
            "已完成",
            "2024-06-30",
            "",
        ],
        [
            "",
            "开展无人机巡查",
            "区应急局",
            "采购无人机",
            "已完成",
            "2024-06-30",
            "",
        ],
        ["二、其他", "", "", "", "", "", ""],
        [
            "5",
            "开展高层建筑消防安全检查",
            "区消防救援支队",
            "检查120栋",
            "已办结",
            "2024/7/1",
            "",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 2;
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r, c as u16, *v).unwrap();
            }
        }
    }
    // Row 3's date as Excel stores a date: a number formatted as one.
    sheet
        .write_datetime_with_format(2, 5, ExcelDateTime::from_ymd(2024, 6, 30).unwrap(), &date)
        .unwrap();
    book.save(path).unwrap();
}

#[test]
fn an_excel_table_is_written_as_progress_and_the_rest_reported() {
    let (tmp, root) = site();
    let xlsx = tmp.path().join("进展表.xlsx");
    workbook(&xlsx);
    let o = gongkai(&[], &xlsx, &root);
    let said = out_text(&o);
    // Some rows were not written: the exit code says so.
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("工作表“进展”，第 2 行是表头"), "{said}");
    assert!(said.contains("按表中的任务内容找到"), "{said}");
    assert!(said.contains("新增 3 条进展"), "{said}");
    for line in [
        "第 3 行 → 第 4 项（建设安全生产风险监测预警平台）",
        "第 4 行 → 第 3 项（推进危险化学品企业安全风险评估）",
        "第 9 行 → 第 5 项（开展高层建筑消防安全检查）",
        "第 5 行：可能是第 1 项（开展城镇燃气安全专项整治，排查餐饮场所燃气隐患），也可能是第 2 项（开展城镇燃气安全专项整治，排查老旧小区燃气隐患）",
        "第 6 行：按序号是第 3 项（推进危险化学品企业安全风险评估），按任务内容更像第 5 项（开展高层建筑消防安全检查）",
        "第 7 行：找不到对应的任务（“开展无人机巡查”）",
        "跳过的行：第 8 行",
    ] {
        assert!(said.contains(line), "missing {line} in\n{said}");
    }

    // The progress file keeps its comments and first report, and reads back with the new ones.
    let text = std::fs::read_to_string(root.join(PROGRESS)).unwrap();
    assert!(
        text.starts_with("# 各部门在这里更新（手写的注释）\nprogress:\n  # 第一季度\n"),
        "{text}"
    );
    let p = progress(&root);
    let entries = p["progress"].as_sequence().unwrap();
    let get = |i: usize, k: &str| {
        entries[i][k]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| {
                entries[i][k]
                    .as_i64()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            })
    };
    assert_eq!(entries.len(), 4);
    assert_eq!(
        (get(0, "task"), get(0, "status")),
        ("5".into(), "未启动".into())
    );
    assert_eq!(
        (get(1, "task"), get(1, "date"), get(1, "status")),
        ("4".into(), "2024-06-30".into(), "推进中".into())
    );
    assert_eq!(
        entries[1]["evidence"][0],
        "https://www.example.gov.cn/zwgk/pt.html"
    );
    // 进行中 is 推进中; a date typed as text is read; a file of sources/ is evidence.
    assert_eq!(
        (get(2, "task"), get(2, "status")),
        ("3".into(), "推进中".into())
    );
    assert_eq!(
        entries[2]["evidence"][0]["file"],
        "sources/shili/2024/pinggu.pdf"
    );
    assert_eq!(
        (
            get(3, "task"),
            get(3, "date"),
            get(3, "status"),
            get(3, "text")
        ),
        (
            "5".into(),
            "2024-07-01".into(),
            "已完成".into(),
            "检查120栋".into()
        )
    );

    // The site builds with it: task 5 is done, the evidence file published.
    let (_t, out) = build_site(&root, None);
    let plan: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("shili/2024/aqsc-gongzuo-yijian/plan.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(plan["tasks"][4]["status"], "done");
    assert_eq!(plan["tasks"][3]["status"], "in_progress");
    assert!(
        out.join("shili/2024/aqsc-gongzuo-yijian/files/pinggu.pdf")
            .exists()
    );

    // Imported again, nothing is written twice.
    let before = std::fs::read(root.join(PROGRESS)).unwrap();
    let again = out_text(&gongkai(&[], &xlsx, &root));
    assert!(again.contains("没有新的进展要写入"), "{again}");
    assert!(
        again.contains("已有、未重复写入的行：第 3、4、9 行"),
        "{again}"
    );
    assert_eq!(std::fs::read(root.join(PROGRESS)).unwrap(), before);
}

#[test]
fn a_gb18030_csv_with_numbers_only_and_a_date_for_the_whole_table() {
    let (tmp, root) = site();
    std::fs::remove_file(root.join(PROGRESS)).unwrap();
    let csv = tmp.path().join("进展.csv");
    let text =
        "序号,进展情况,完成状态,填报单位\n1,完成餐饮场所排查,已完成,区建设管理委\n2,,推进中,\n";
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    std::fs::write(&csv, bytes).unwrap();
    let args = [
        "--plan",
        "shili/2024/aqsc-gongzuo-yijian",
        "--date",
        "2024-09-30",
        "--reporter",
        "区住建委",
    ];
    let o = gongkai(&args, &csv, &root);
    let said = out_text(&o);
    assert!(o.status.success(), "{said}");
    assert!(said.contains("GB18030 编码"), "{said}");
    let p = progress(&root);
    let e = p["progress"].as_sequence().unwrap();
    assert_eq!(e.len(), 2);
    assert_eq!(e[0]["date"], "2024-09-30");
    assert_eq!(e[0]["reporter"], "区建设管理委");
    // A row without its own reporter takes --reporter.
    assert_eq!(e[1]["reporter"], "区住建委");
    assert!(e[1].get("text").is_none());
    // A new file says where it came from.
    let text = std::fs::read_to_string(root.join(PROGRESS)).unwrap();
    assert!(
        text.contains("由 gongkai progress import 从 进展.csv 写入"),
        "{text}"
    );
}

#[test]
fn rows_that_would_lose_what_they_say_refuse_the_table() {
    let (tmp, root) = site();
    let csv = tmp.path().join("bad.csv");
    std::fs::write(
        &csv,
        "序号,任务,进展情况,完成状态,日期,佐证材料\n\
         1,,已排查,推进中,2024-06-30,\n\
         2,,已排查,推进中,2024-02-30,\n\
         3,,完成评估,差不多,2024-06-30,\n\
         4,,平台招标,推进中,,\n\
         5,,检查完成,已完成,2024-06-30,见附件\n\
         1,,,,2024-06-30,\n\
         2,,有进展,,2024-06-30,\n",
    )
    .unwrap();
    let before = std::fs::read(root.join(PROGRESS)).unwrap();
    let o = gongkai(&["--plan", "shili/2024/aqsc-gongzuo-yijian"], &csv, &root);
    let said = out_text(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    for line in [
        "进展表有 5 处问题，导入会丢失内容，所以什么都没有写入",
        "第 3 行的日期“2024-02-30”不是日期",
        "第 4 行的完成状态“差不多”不认识；请写：未启动、推进中、持续推进、延期、已完成、已取消",
        "第 5 行没有日期",
        "第 6 行的佐证材料“见附件”既不是网址，也不是站点 sources/ 里的文件",
        "第 8 行有进展情况，但没有完成状态",
    ] {
        assert!(said.contains(line), "missing {line} in\n{said}");
    }
    // Row 2 was fine, but nothing at all was written.
    assert_eq!(std::fs::read(root.join(PROGRESS)).unwrap(), before);
}

#[test]
fn a_dry_run_writes_nothing_and_the_plan_must_exist() {
    let (tmp, root) = site();
    std::fs::remove_file(root.join(PROGRESS)).unwrap();
    let csv = tmp.path().join("t.csv");
    std::fs::write(&csv, "序号,完成状态,日期\n4,推进中,2024-06-30\n").unwrap();
    let o = gongkai(
        &["--plan", "shili/2024/aqsc-gongzuo-yijian", "--dry-run"],
        &csv,
        &root,
    );
    let said = out_text(&o);
    assert!(o.status.success(), "{said}");
    assert!(
        said.contains("试运行，未写入") && said.contains("新增 1 条进展"),
        "{said}"
    );
    assert!(!root.join(PROGRESS).exists());
    // Numbers alone cannot say which plan; a plan that is not there is named.
    let o = gongkai(&[], &csv, &root);
    assert!(
        out_text(&o).contains("请用 --plan 指明"),
        "{}",
        out_text(&o)
    );
    let o = gongkai(&["--plan", "shili/2023/aqsc"], &csv, &root);
    assert!(
        out_text(&o).contains("找不到文件 shili/2023/aqsc"),
        "{}",
        out_text(&o)
    );
    assert!(!root.join(PROGRESS).exists());
    // English when asked.
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["--lang", "en", "progress", "import"])
        .arg(&csv)
        .arg("--site")
        .arg(&root)
        .args(["--plan", "shili/2024/aqsc-gongzuo-yijian", "--dry-run"])
        .output()
        .unwrap();
    assert!(out_text(&o).contains("would write"), "{}", out_text(&o));
}
