//! `gongkai init`: a new, minimal site that builds at once, with a fictional district (示例区)
//! so nothing in it can be mistaken for a real plan: a plan with its progress, an indicator
//! result, a 解读, its original and an annex for download.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::tr;

const SITE_YAML: &str = r#"# Site configuration. See README.md of gongkai for every field.
title: 示例区安全生产规划公开
base_url: https://www.example.gov.cn/zwgk/aqsc/
language: zh-CN
organizer: 示例区应急管理局
# site_id_code: 网站标识码, from the national registry
# icp: ICP备案号
column_name: 安全生产规划
allow_new_units: false
allow_new_indicators: false
districts:
  - slug: shili
    name: 示例区
    region: 示例市
# Each district's units are its own: another district's 区应急局 is another unit.
units:
  - name: 区应急局
    district: shili
    aliases: [区应急管理局]
    kind: department
  - name: 区消防救援支队
    district: shili
    kind: department
  - name: 各街镇
    district: shili
    kind: group
indicators:
  - slug: accident-count
    name: 生产安全事故起数
    unit: 起
    direction: decrease
"#;

const PLAN: &str = r#"---
title: 示例区2024年安全生产工作要点
district: shili
year: 2024
kind: 工作要点
issuer: 示例区安全生产委员会
doc_number: 示安委〔2024〕1号
written: 2024-01-15
published: 2024-01-20
disclosure: 主动公开
validity: 有效
# The original document, published as 原文下载 with its type and size.
source: sources/shili/2024/aqsc-gongzuo-yaodian.txt
attachments:
  - file: sources/shili/2024/fujian-1.csv
    title: 附件1 重点任务分解表
indicators:
  - name: 生产安全事故起数
    target: 10%
    measure: 下降幅度
---

（这是一个虚构的示例文件，用来说明内容格式。）

## 一、压实安全生产责任

1.落实属地管理责任。定期研判辖区安全形势。（责任单位：区应急局，各街镇）

2.开展消防安全检查，6月底前完成。（牵头单位：区消防救援支队；配合单位：各街镇）

3.建设安全生产风险监测平台。（完成时限：2024年12月底前；责任单位：区应急局）
"#;

/// Progress beside the plan: departments update it here, or with `gongkai progress import`.
const PROGRESS: &str = r#"# 示例区2024年安全生产工作要点的落实进展（虚构）。各部门在这里更新，不必改动文件正文。
# 状态只能是：未启动 / 推进中 / 持续推进 / 延期 / 已完成 / 已取消
progress:
  - task: 1
    date: 2024-03-31
    status: 持续推进
    text: 召开一季度安全形势研判会。
    reporter: 区应急局
  - task: 2
    date: 2024-06-25
    status: 已完成
    text: 检查高层建筑120栋，发现隐患全部整改。
    reporter: 区消防救援支队
    evidence:
      - title: 检查情况通报
        url: https://www.example.gov.cn/zwgk/tzgg/2024/xfjc.html
  - task: 3
    date: 2024-09-30
    status: 推进中
    text: 平台完成招标，进入建设。
    reporter: 区应急局
results:
  - indicator: 生产安全事故起数
    year: 2024
    value: 下降12%
    source: 区应急局统计
    date: 2025-01-15
"#;

/// The plan's 政策解读, a page of its own linked both ways.
const INTERPRETATION: &str = r#"---
title: 《示例区2024年安全生产工作要点》解读
issuer: 示例区应急管理局
kind: 文字解读
published: 2024-01-22
---

（这是一个虚构的示例解读。）

## 一、出台背景

为压实安全生产责任，区安委会印发了《示例区2024年安全生产工作要点》。

## 二、主要内容

要点提出三项重点任务，其中消防安全检查（见[第2项](@/shili/2024/aqsc-gongzuo-yaodian.md#task-2)）要求6月底前完成。
"#;

const ORIGINAL: &str = "示例区安全生产委员会文件\n\n示安委〔2024〕1号\n\n示例区2024年安全生产工作要点\n\n（这是一个虚构的示例原文。）\n";

const ANNEX: &str = "\u{feff}序号,重点任务,责任单位,完成时限\n1,落实属地管理责任,区应急局,长期坚持\n2,开展消防安全检查,区消防救援支队,6月底前\n3,建设安全生产风险监测平台,区应急局,2024年12月底前\n";

/// The files of a new site, site-relative.
const FILES: &[(&str, &str)] = &[
    (crate::config::CONFIG_FILE, SITE_YAML),
    ("content/shili/2024/aqsc-gongzuo-yaodian.md", PLAN),
    (
        "content/shili/2024/aqsc-gongzuo-yaodian.progress.yaml",
        PROGRESS,
    ),
    (
        "content/shili/2024/aqsc-gongzuo-yaodian.jiedu.md",
        INTERPRETATION,
    ),
    ("sources/shili/2024/aqsc-gongzuo-yaodian.txt", ORIGINAL),
    ("sources/shili/2024/fujian-1.csv", ANNEX),
];

/// A convenience, not part of the site: one the folder already has is kept as it is.
const GITIGNORE: (&str, &str) = (".gitignore", "/output/\n");

/// What `init` did besides creating the site: files it left as they were.
#[derive(Debug, Default)]
pub struct Done {
    pub kept: Vec<PathBuf>,
}

/// Why `init` wrote nothing. Every path is named.
#[derive(Debug)]
pub enum InitError {
    /// `dir` is there and is not a folder.
    NotAFolder(PathBuf),
    /// Files of the site that are there already (replaced only with `--force`).
    Exists(Vec<PathBuf>),
    /// Links (or files where a folder must be) on the way to the site's files: never written
    /// through, even with `--force`.
    InTheWay(Vec<PathBuf>),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |v: &[PathBuf]| {
            v.iter()
                .map(|p| format!("\n  {}", p.display()))
                .collect::<String>()
        };
        match self {
            InitError::NotAFolder(p) => {
                write!(f, "{}", tr!("init.not_a_folder", dir = p.display()))
            }
            InitError::Exists(v) => write!(f, "{}{}", tr!("init.exists", count = v.len()), list(v)),
            InitError::InTheWay(v) => write!(f, "{}{}", tr!("init.in_the_way"), list(v)),
            InitError::Io(p, e) => write!(f, "{}", tr!("init.io", path = p.display(), error = e)),
        }
    }
}

impl std::error::Error for InitError {}

/// Creates a new site in `dir`. Nothing there is replaced: when any file of the site is there
/// already, each is named and nothing is written, unless `force` — and even then no link is
/// followed: a link where a file goes is removed and a file made in its place, and a link
/// where a folder goes stops everything, so nothing is ever written outside `dir`.
pub fn init(dir: &Path, force: bool) -> Result<Done, InitError> {
    match fs::symlink_metadata(dir) {
        // A link the publisher named as the folder is followed to it; nothing else is.
        Ok(m) if !(m.is_dir() || (m.file_type().is_symlink() && dir.is_dir())) => {
            return Err(InitError::NotAFolder(dir.to_path_buf()));
        }
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            return Err(InitError::Io(dir.to_path_buf(), e));
        }
        _ => {}
    }
    let (mut exists, mut in_the_way) = (Vec::new(), Vec::new());
    for (rel, _) in FILES {
        let path = dir.join(rel);
        in_the_way.extend(blocked_folders(dir, rel));
        match fs::symlink_metadata(&path) {
            // A folder where a file goes is never removed, even with --force.
            Ok(m) if m.is_dir() => in_the_way.push(path),
            Ok(_) => exists.push(path),
            Err(_) => {}
        }
    }
    in_the_way.sort();
    in_the_way.dedup();
    if !in_the_way.is_empty() {
        return Err(InitError::InTheWay(in_the_way));
    }
    if !exists.is_empty() && !force {
        return Err(InitError::Exists(exists));
    }
    let mut done = Done::default();
    for (rel, text) in FILES {
        write_new(&dir.join(rel), text, force)?;
    }
    let ignore = dir.join(GITIGNORE.0);
    if fs::symlink_metadata(&ignore).is_ok() {
        done.kept.push(ignore);
    } else {
        write_new(&ignore, GITIGNORE.1, false)?;
    }
    Ok(done)
}

/// The folders on the way from `dir` to `rel` that are links or not folders.
fn blocked_folders(dir: &Path, rel: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut cur = dir.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len() - 1] {
        cur.push(part);
        match fs::symlink_metadata(&cur) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => out.push(cur.clone()),
            Err(_) => break,
        }
    }
    out
}

/// Writes a file that must not be there (`O_EXCL`, which also refuses a dangling link); with
/// `replace`, whatever has the name — a file, a link — is removed first, never written through.
fn write_new(path: &Path, text: &str, replace: bool) -> Result<(), InitError> {
    let fail = |e| InitError::Io(path.to_path_buf(), e);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| InitError::Io(parent.to_path_buf(), e))?;
    }
    if replace && fs::symlink_metadata(path).is_ok() {
        fs::remove_file(path).map_err(fail)?;
    }
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(fail)?;
    f.write_all(text.as_bytes()).map_err(fail)
}
