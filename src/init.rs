//! `gongkai init`: a new, minimal site that builds at once, with a fictional district (示例区)
//! so nothing in it can be mistaken for a real plan.

use std::fs;
use std::io;
use std::path::Path;

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
indicators:
  - name: 生产安全事故起数
    target: 10%
    measure: 下降幅度
---

（这是一个虚构的示例文件，用来说明内容格式。）

## 一、压实安全生产责任

1.落实属地管理责任。定期研判辖区安全形势。（责任单位：区应急局，各街镇）

2.开展消防安全检查。（牵头单位：区消防救援支队；配合单位：各街镇）
"#;

/// Creates a new site in `dir`, which must not already hold one.
pub fn init(dir: &Path) -> io::Result<()> {
    if dir.join(crate::config::CONFIG_FILE).exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            crate::tr!("init.exists", dir = dir.display()),
        ));
    }
    fs::create_dir_all(dir.join("content/shili/2024"))?;
    fs::write(dir.join(crate::config::CONFIG_FILE), SITE_YAML)?;
    fs::write(dir.join("content/shili/2024/aqsc-gongzuo-yaodian.md"), PLAN)?;
    fs::write(dir.join(".gitignore"), "/output/\n")?;
    Ok(())
}
