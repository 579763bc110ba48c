//! What `gongkai import` may write and how (issue 14): a `--district` that is not a slug is
//! refused before anything is written; `site.yaml` is edited without losing what the publisher
//! wrote (column-0 lists, comments, names with quotes, `: `, `#`, U+2028) and is parsed back;
//! dates are written only when real; an existing plan is kept unless `--force`; the plan, the
//! original and `site.yaml` are written together or not at all; nothing is written outside the
//! site unless `--out` says where.

use std::path::{Path, PathBuf};

mod common;
use common::{gongkai, import, new_site};

/// Every file under `dir` with its bytes, to see that nothing changed.
fn listing(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

const PLAN: &str = "样例区2025年安全生产工作要点\n一、压实责任\n1.落实领导责任。区领导每季度带队检查。（责任单位：区应急局、区“平安”办: 专班 #1）\n";

#[test]
fn district_that_is_not_a_slug_is_refused_and_nothing_is_written() {
    let (tmp, site) = new_site();
    let file = tmp.path().join("plan.txt");
    std::fs::write(&file, PLAN).unwrap();
    let before = listing(tmp.path());
    for bad in ["../../X", "Pu_Dong", "a\nb", "data", "静安"] {
        let o = import(&file, &site, &["--district", bad]);
        assert!(!o.status.success(), "{bad:?} accepted");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("不能作为地区标识") && err.contains("小写"),
            "{bad:?}: {err}"
        );
        assert_eq!(listing(tmp.path()), before, "{bad:?} wrote something");
    }
    // The check is the library's too, for programs that call it directly.
    let config = gongkai::config::load(&site).unwrap();
    let settings = gongkai::import::Settings {
        district: Some("../../X"),
        ..Default::default()
    };
    assert!(gongkai::import::convert_text(PLAN, "plan.txt", &config, &settings).is_err());
}

/// A valid site.yaml with its lists at column 0, comments, and names that need quoting.
const HOSTILE_YAML: &str = "# 站点配置（注释要保留）
title: 示例
base_url: https://www.example.gov.cn/zwgk/aqsc/
districts:
- slug: yangli
  name: 样例区
# 单位
units:
- name: \"区\\u2028应急局\"
  aliases: [区应急管理局]
- name: '区“安全”委: 办公室 #2'
  kind: department
indicators: []
";

#[test]
fn site_yaml_with_column_zero_lists_and_hostile_names_survives_an_import() {
    let (tmp, site) = new_site();
    std::fs::write(site.join("site.yaml"), HOSTILE_YAML).unwrap();
    // The init site's example plan names units this site.yaml does not know.
    std::fs::remove_dir_all(site.join("content")).unwrap();
    let o = gongkai(&["check", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let file = tmp.path().join("plan.txt");
    std::fs::write(&file, PLAN).unwrap();
    let o = import(&file, &site, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    // What was there is still there, byte for byte, with the new units after it.
    let kept = HOSTILE_YAML.trim_end_matches("indicators: []\n");
    assert!(yaml.starts_with(kept), "{yaml}");
    assert!(yaml.contains("# 单位"));
    let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(&yaml).expect("still YAML");
    let names: Vec<&str> = v["units"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|u| u["name"].as_str())
        .collect();
    assert!(names.contains(&"区\u{2028}应急局"), "{names:?}");
    assert!(names.contains(&"区“安全”委: 办公室 #2"), "{names:?}");
    assert!(names.contains(&"区“平安”办: 专班 #1"), "{names:?}");
    assert!(names.contains(&"区应急局"), "{names:?}");
    // And the site checks and builds.
    let o = gongkai(&["check", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn impossible_dates_are_not_written() {
    let (tmp, site) = new_site();
    // The import replaces init's example plan (--force); the example's progress and 解读 beside
    // it name its tasks, so they go with it.
    for side in ["progress.yaml", "jiedu.md"] {
        std::fs::remove_file(site.join(format!("content/shili/2024/aqsc-gongzuo-yaodian.{side}")))
            .unwrap();
    }
    let file = tmp.path().join("plan.txt");
    std::fs::write(
        &file,
        "示例区人民政府办公室文件\n示政办〔2024〕9号\n关于印发《示例区2024年安全生产工作要点》的通知\n各街镇：\n现将《示例区2024年安全生产工作要点》印发给你们。\n示例区人民政府办公室\n2024年2月30日\n示例区2024年安全生产工作要点\n一、压实责任\n1.落实领导责任。（责任单位：区应急局）\n",
    )
    .unwrap();
    let o = import(&file, &site, &["--force"]);
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        report.contains("2024-02-30") && report.contains("未写入"),
        "{report}"
    );
    let md =
        std::fs::read_to_string(site.join("content/shili/2024/aqsc-gongzuo-yaodian.md")).unwrap();
    assert!(!md.contains("02-30") && !md.contains("written:"), "{md}");
    let o = gongkai(&["check", "--root", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn existing_plan_is_kept_unless_force_and_nothing_goes_outside_the_site() {
    let (tmp, site) = new_site();
    let file = tmp.path().join("plan.txt");
    std::fs::write(&file, PLAN).unwrap();
    let outside_before: Vec<PathBuf> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let o = import(&file, &site, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Everything written is inside the site.
    let outside_after: Vec<PathBuf> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(outside_before, outside_after);
    let plan = site.join("content/yangli/2025/aqsc-gongzuo-yaodian.md");
    let original = site.join("sources/yangli/2025/aqsc-gongzuo-yaodian.txt");
    assert_eq!(std::fs::read_to_string(&original).unwrap(), PLAN);

    // A plan edited by the publisher is not overwritten, and neither is anything else.
    std::fs::write(&plan, "edited by hand").unwrap();
    let before = listing(&site);
    let o = import(&file, &site, &[]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(listing(&site), before);
    let o = import(&file, &site, &["--force"]);
    assert!(o.status.success());
    assert_ne!(std::fs::read_to_string(&plan).unwrap(), "edited by hand");
}

#[test]
fn plan_original_and_site_yaml_are_written_together_or_not_at_all() {
    let (tmp, site) = new_site();
    let file = tmp.path().join("plan.txt");
    std::fs::write(&file, PLAN).unwrap();
    // The original's folder cannot be made (sources/yangli is a file), after the plan's folder
    // and its temporary file were: both must go again.
    std::fs::create_dir_all(site.join("sources")).unwrap();
    std::fs::write(site.join("sources/yangli"), "in the way").unwrap();
    let before = listing(&site);
    let o = import(&file, &site, &[]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("未写入任何文件"), "{err}");
    // site.yaml did not gain 样例区 or its units, and no plan or folder was left behind.
    assert_eq!(listing(&site), before);
    assert!(!site.join("content/yangli").exists());
}

#[test]
fn a_yaml_edit_that_would_break_site_yaml_is_refused() {
    // site.yaml whose `units:` is not a list cannot take new units: refused, file unchanged.
    let (tmp, site) = new_site();
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    let broken = format!("{yaml}\n");
    std::fs::write(site.join("site.yaml"), &broken).unwrap();
    let config = gongkai::config::load(&site).unwrap();
    let text =
        "示例区2025年安全生产工作要点\n一、压实责任\n1.落实领导责任。（责任单位：区新单位）\n";
    let mut conv = gongkai::import::convert_text(
        text,
        "plan.txt",
        &config,
        &gongkai::import::Settings::default(),
    )
    .unwrap();
    let not_a_list = "title: t\nbase_url: /\nunits: 3\n";
    assert!(gongkai::import::registry::additions(not_a_list, &config, &mut conv).is_err());
    // And the parse-back refuses what config::load refuses, whatever produced it.
    let dup = format!("{yaml}\nunits:\n  - name: 甲\n");
    assert!(gongkai::import::write::check_config(&dup).is_err());
    drop(tmp);
}
