//! What a government portal prints around an article: the 信息公开 metadata block (索引号,
//! 发布机构, 文号 …, as a table or as `label：value` lines, sometimes with the spaces between
//! labels and values lost: `公开方式主动公开文号临港安发〔2024〕4号`) and its furniture
//! (breadcrumbs, 浏览次数, share and print bars). Shared by the HTML reader and plain text, since
//! pages copied as text keep both.

/// A metadata field a portal names, and what the plan's front matter calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    IndexNumber,
    Topic,
    Issuer,
    Written,
    DocNumber,
    Published,
    Validity,
    Title,
    Disclosure,
    /// A label that is known but not kept (主题词, 体裁, 生效日期 …): it only ends the value before.
    Other,
}

/// Labels as portals write them, longest first where one contains another.
const LABELS: &[(&str, Field)] = &[
    ("索引号", Field::IndexNumber),
    ("信息索引号", Field::IndexNumber),
    ("信息索取号", Field::IndexNumber),
    ("信息类别", Field::Topic),
    ("组配分类", Field::Topic),
    ("文件名称", Field::Title),
    ("公开形式", Field::Disclosure),
    ("公开目录", Field::Other),
    ("公开责任部门", Field::Other),
    ("责任部门", Field::Other),
    ("内容分类", Field::Other),
    ("生成日期", Field::Other),
    ("发文日期", Field::Written),
    ("发文时间", Field::Written),
    ("发布单位", Field::Issuer),
    ("是否有效", Field::Validity),
    ("有效期", Field::Other),
    ("信息名称", Field::Title),
    ("公开发布日期", Field::Published),
    ("发布时间", Field::Published),
    ("发布文号", Field::DocNumber),
    ("发文文号", Field::DocNumber),
    ("发布机关", Field::Issuer),
    ("文件编号", Field::DocNumber),
    ("有效性状态", Field::Validity),
    ("公开类别", Field::Disclosure),
    ("重点领域", Field::Other),
    ("文件下载", Field::Other),
    ("内容概览", Field::Other),
    ("时效", Field::Other),
    ("文件类型", Field::Other),
    ("所属单位", Field::Other),
    ("作者", Field::Other),
    ("时间", Field::Published),
    ("主题分类", Field::Topic),
    ("信息分类", Field::Topic),
    ("分类", Field::Topic),
    ("发布机构", Field::Issuer),
    ("发文机关", Field::Issuer),
    ("发文单位", Field::Issuer),
    ("公开主体", Field::Issuer),
    ("成文日期", Field::Written),
    ("发文字号", Field::DocNumber),
    ("文号", Field::DocNumber),
    ("发布日期", Field::Published),
    ("公开日期", Field::Published),
    ("有效性", Field::Validity),
    ("名称", Field::Title),
    ("标题", Field::Title),
    ("公开方式", Field::Disclosure),
    ("公开属性", Field::Disclosure),
    ("主题词", Field::Other),
    ("关键词", Field::Other),
    ("体裁", Field::Other),
    ("生效日期", Field::Other),
    ("废止日期", Field::Other),
    ("失效日期", Field::Other),
    ("公开时限", Field::Other),
    ("公开范围", Field::Other),
    ("概述", Field::Other),
    ("内容概述", Field::Other),
];

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// How many bytes of `rest` the label takes when `rest` starts with it — its characters
/// perhaps spaced out as tables align them (`索 引 号`, `标  题`, `有 效 性`).
fn label_len(rest: &str, label: &str) -> Option<usize> {
    let mut at = 0;
    for (k, want) in label.chars().enumerate() {
        if k > 0 {
            let spaced = rest[at..].trim_start_matches(is_space);
            // At most a few spaces: a label is not spread over a line.
            if rest.len() - at - spaced.len() > 6 {
                return None;
            }
            at = rest.len() - spaced.len();
        }
        let c = rest[at..].chars().next()?;
        if c != want {
            return None;
        }
        at += c.len_utf8();
    }
    Some(at)
}

/// The labels found in `s`, as (byte start, byte end after the label and its colon, field).
fn labels_in(s: &str) -> Vec<(usize, usize, Field)> {
    let mut found: Vec<(usize, usize, Field)> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        // A label starts a line or follows a space, a colon-less value or a separator.
        let hit = LABELS
            .iter()
            .filter_map(|(l, f)| label_len(rest, l).map(|n| (l, f, n)))
            .max_by_key(|(l, _, _)| l.len());
        if let Some((label, field, len)) = hit {
            let mut end = i + len;
            let after = &s[end..];
            let trimmed = after.trim_start_matches(is_space);
            end += after.len() - trimmed.len();
            // A colon, or the bar of a table cell (`文号 | 示政〔2020〕7号 |`).
            let colon = trimmed.starts_with(['：', ':', '|']);
            if colon {
                end += trimmed.chars().next().map_or(0, char::len_utf8);
                let t2 = &s[end..];
                end += t2.len() - t2.trim_start_matches(is_space).len();
            }
            // `分类` and `名称` are ordinary words too: only with a colon, or at the very start;
            // `时间` and `作者` only among other labels.
            let weak = matches!(*label, "分类" | "名称" | "标题" | "文号");
            let inner_only = matches!(*label, "时间" | "作者");
            let ok = if inner_only {
                colon && !found.is_empty()
            } else {
                !weak || colon || i == 0 || !found.is_empty()
            };
            if ok {
                found.push((i, end, *field));
                i = end;
                continue;
            }
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// The metadata fields of a line, when the line is metadata: it starts with a label and holds
/// two labels, or one label with a colon and a short value. Values are trimmed; empty ones are
/// left out.
pub fn fields(line: &str) -> Option<Vec<(Field, String)>> {
    // `• 发布时间：2018-09-03`: a list bullet before the label.
    let s = line
        .trim()
        .trim_start_matches(['•', '·', '●', '▪'])
        .trim_start();
    let found = labels_in(s);
    let first = found.first()?;
    if first.0 != 0 {
        return None;
    }
    let colon_after = s[..first.1].trim_end().ends_with(['：', ':', '|']);
    if found.len() < 2 && !(colon_after && s.chars().count() <= 60) {
        return None;
    }
    let mut out = Vec::new();
    for (k, (_, end, field)) in found.iter().enumerate() {
        let stop = found.get(k + 1).map_or(s.len(), |n| n.0);
        let value = s[*end..stop]
            .trim_matches(|c: char| is_space(c) || matches!(c, '|' | '：' | ':'))
            .to_string();
        // `文号：无` — the field is there, empty.
        let none = matches!(value.as_str(), "无" | "无号" | "暂无" | "-" | "—");
        if !value.is_empty() && !none && *field != Field::Other {
            out.push((*field, value));
        }
    }
    Some(out)
}

/// A metadata line whose last label waits for its value on the next line (`… 成文日期:`):
/// that label's field.
pub fn ends_with_bare_label(line: &str) -> Option<Field> {
    let s = line.trim();
    let (_, end, field) = *labels_in(s).last()?;
    (end >= s.len() && fields(s).is_some()).then_some(field)
}

/// The field a bare label names (`成文日期`, `文 号：`).
pub fn bare_label_field(line: &str) -> Option<Field> {
    let s: String = line
        .trim()
        .trim_end_matches(['：', ':'])
        .chars()
        .filter(|c| !is_space(*c))
        .collect();
    LABELS.iter().find(|(l, _)| *l == s).map(|(_, f)| *f)
}

/// Whether `value` can be what a field holds: a document number has its 〔year〕 or 号, a date
/// is a date. (A portal's empty 文号 cell must not take the addressee line after it.)
pub fn fits(field: Field, value: &str) -> bool {
    match field {
        Field::DocNumber => {
            value.contains(['〔', '[', '［', '【', '号']) && value.chars().count() <= 40
        }
        Field::Written | Field::Published => crate::words::find_date(value).is_some(),
        _ => true,
    }
}

/// A label alone on its line (`成文日期`, `文号：`), as a metadata table copied one cell per
/// line leaves it; its value is on the next line.
pub fn bare_label(line: &str) -> bool {
    bare_label_field(line).is_some()
}

/// A single labelled field on its own line anywhere in the text (`发布日期：2022-11-02`):
/// a label that never begins ordinary text, with a short value.
pub fn strong_field(line: &str) -> Option<(Field, String)> {
    let f = fields(line)?;
    let [(field, value)] = f.as_slice() else {
        return None;
    };
    let s = line.trim();
    let strong = [
        "索引号",
        "信息索引号",
        "发布机构",
        "成文日期",
        "发文字号",
        "发布日期",
        "公开日期",
        "发文日期",
    ]
    .iter()
    .any(|l| label_len(s, l).is_some());
    (strong && value.chars().count() <= 40 && !value.contains(['。', '；', '，']))
        .then(|| (*field, value.clone()))
}

/// The date a page line states it was put up: a short line near the top that holds a date
/// with dashes (`2022-05-19 14:17`, `来源：示例区政府 时间：2023-11-28`), or a date in any form
/// beside the words of a page's info line (`2018年08月16日 来源：…`). Not a document's own
/// date, which is written 年月日 in a sentence or under a signature.
pub fn page_date(line: &str) -> Option<String> {
    let s = line.trim().trim_start_matches(['•', '·', '●', '▪']).trim();
    if s.chars().count() > 60 || s.contains(['。', '，', '；']) {
        return None;
    }
    let (ymd, range) = crate::words::find_date(s)?;
    let dashed = s[range.clone()].contains('-');
    let info = ["来源", "发布", "时间", "点击", "浏览", "作者"]
        .iter()
        .any(|k| s.contains(k));
    let after = s[range.end..].trim_start();
    // `10:00`: the time of day a page states.
    let clock = after.len() >= 5
        && after.as_bytes()[..2].iter().all(u8::is_ascii_digit)
        && after.as_bytes()[2] == b':';
    ((dashed && (range.start == 0 || info || clock)) || (info && (range.start == 0 || clock)))
        .then(|| crate::words::iso(ymd))
        .flatten()
}

/// The organisation a page's info line names as the article's source: `来源：示例市人民政府`,
/// `信息来源: 示例区教育局 阅读次数:…` — only a name that is an organisation's (not
/// `来源：新华社`, not a sentence).
pub fn source_org(line: &str) -> Option<String> {
    let at = line.find("来源")?;
    let rest = line[at + "来源".len()..].trim_start_matches([' ', '\u{3000}']);
    let rest = rest
        .strip_prefix(['：', ':'])?
        .trim_start_matches([' ', '\u{3000}']);
    let end = rest
        .find(|c: char| c.is_whitespace() || c.is_ascii_digit() || "|｜【[".contains(c))
        .unwrap_or(rest.len());
    let mut name = &rest[..end];
    // `市文旅局发布时间:…`: the next label run onto the name.
    for label in [
        "发布时间",
        "发布日期",
        "浏览次数",
        "阅读次数",
        "点击",
        "作者",
        "编辑",
        "时间",
    ] {
        if let Some(i) = name.find(label) {
            name = &name[..i];
        }
    }
    (crate::words::is_org(name)).then(|| name.to_string())
}

/// Why a line is page furniture rather than plan text, if it is.
pub fn furniture(line: &str) -> Option<&'static str> {
    let s: String = line.chars().filter(|c| !is_space(*c)).collect();
    let starts = |p: &[&str]| p.iter().any(|k| s.starts_with(k));
    if starts(&[
        "当前位置",
        "您当前的位置",
        "您的位置",
        "您现在的位置",
        "您当前所在位置",
        "当前所在位置",
        "位置：",
    ]) || (s.starts_with("首页") && s.contains(['>', '›', '»', '＞']))
    {
        return Some("web_breadcrumb");
    }
    if s.contains("浏览次数")
        || s.contains("阅读次数")
        || s.contains("访问次数")
        || s.contains("点击数")
        || s.contains("浏览量")
        || s.contains("累计次数")
        || s.contains("点击:")
        || s.contains("点击：")
    {
        return Some("web_counter");
    }
    if starts(&["分享到", "分享：", "分享:"]) || s.contains("【打印】") || s.contains("【关闭")
    {
        return Some("web_share");
    }
    if (s.contains("发布时间") || s.contains("发布日期"))
        && ["来源", "字体", "字号", "打印", "作者", "信息来源"]
            .iter()
            .any(|k| s.contains(k))
    {
        return Some("web_info_line");
    }
    // `字体：【大 中 小】`, `字体:【 默认 超大 |`: the page's text-size switch.
    if (s.starts_with("字体") || s.starts_with("字号") || s.starts_with("【字体"))
        && ((s.contains('大') && s.contains('小'))
            || (s.chars().count() <= 16 && (s.contains("默认") || s.contains("超大"))))
    {
        return Some("web_share");
    }
    let only = |words: &[&str]| {
        let mut rest = s.as_str();
        while !rest.is_empty() {
            let t = rest.trim_start_matches(['[', ']', '【', '】', '|', '丨', '/', '｜']);
            if t.is_empty() {
                break;
            }
            let Some(w) = words.iter().find(|w| t.starts_with(**w)) else {
                return false;
            };
            rest = &t[w.len()..];
        }
        true
    };
    if !s.is_empty()
        && only(&[
            "打印本页",
            "打印",
            "关闭窗口",
            "关闭本页",
            "关闭",
            "返回顶部",
            "返回",
            "收藏",
            "保存",
            "分享",
            "扫一扫",
            "在手机上查看",
            "朗读",
            "视力保护色",
            "字号",
            "大中小",
            "上一篇",
            "下一篇",
        ])
    {
        return Some("web_share");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(line: &str) -> Vec<(Field, String)> {
        fields(line).unwrap_or_default()
    }

    #[test]
    fn dates_a_page_states() {
        for (line, date) in [
            ("2022-05-19 14:17", Some("2022-05-19")),
            ("来源：示例区政府 时间：2023-11-28", Some("2023-11-28")),
            ("2017-02-14    点击:8次", Some("2017-02-14")),
            ("2018年08月16日 来源：示例区各相关部门", Some("2018-08-16")),
            ("2023-01-05 10:00 区人民政府办公室", Some("2023-01-05")),
            // A document's own dates: a signature, a sentence.
            ("2019年4月16日", None),
            ("示例区人民政府办公室 2018年8月9日印发", None),
            ("2023年1月起，全面推行河长制。", None),
        ] {
            assert_eq!(page_date(line).as_deref(), date, "{line}");
        }
    }

    #[test]
    fn the_source_a_page_names() {
        for (line, org) in [
            (
                "2021-06-25 16:57 来源:示例市生态环境局",
                Some("示例市生态环境局"),
            ),
            (
                "发布时间:2024-03-28 09:33信息来源: 示例市教育局阅读次数:编辑:某某",
                Some("示例市教育局"),
            ),
            (
                "浏览次数:信息来源:示例市文旅局发布时间:2024-02-28 08:47",
                Some("示例市文旅局"),
            ),
            ("来源：新华社", None),
            ("资金来源：区财政安排。", None),
        ] {
            assert_eq!(source_org(line).as_deref(), org, "{line}");
        }
    }

    #[test]
    fn a_bare_label_takes_only_a_value_that_fits() {
        assert_eq!(
            ends_with_bare_label("主题词: 教育 发布机构: 示例局 文  号:"),
            Some(Field::DocNumber)
        );
        assert!(!fits(Field::DocNumber, "各县、区人民政府，市直各部门"));
        assert!(fits(Field::DocNumber, "示政发〔2024〕3号"));
        assert!(!fits(Field::Written, "示例区人民政府"));
    }

    #[test]
    fn labels_spaced_out_to_a_column() {
        let f = fields("标 题: | 示例区政府办公室关于印发示例方案的通知 | |").unwrap();
        assert_eq!(
            f,
            [(
                Field::Title,
                "示例区政府办公室关于印发示例方案的通知".into()
            )]
        );
        let f = fields("有  效  性: 有效 发 布 机 构: 示例区政府").unwrap();
        assert_eq!(
            f,
            [
                (Field::Validity, "有效".into()),
                (Field::Issuer, "示例区政府".into())
            ]
        );
        // A label is not read across a line of words.
        assert!(fields("标        题写在这里也不算").is_none());
    }

    #[test]
    fn labels_of_more_portals() {
        let f = fields("发布单位 | 示例区政府 | 发文日期 | 2022-07-14 |").unwrap();
        assert_eq!(
            f,
            [
                (Field::Issuer, "示例区政府".into()),
                (Field::Written, "2022-07-14".into())
            ]
        );
        let f = fields("发文机关:示例镇人民政府 | 发文时间:2023-01-05").unwrap();
        assert_eq!(f[1], (Field::Written, "2023-01-05".into()));
    }

    #[test]
    fn metadata_lines() {
        assert_eq!(
            f("索引号: 01420686X/2020-00372 分类: 城乡建设"),
            [
                (Field::IndexNumber, "01420686X/2020-00372".into()),
                (Field::Topic, "城乡建设".into())
            ]
        );
        assert_eq!(
            f("发布机构: 崇川人民政府办公室 文号: 崇川政办发〔2020〕11号"),
            [
                (Field::Issuer, "崇川人民政府办公室".into()),
                (Field::DocNumber, "崇川政办发〔2020〕11号".into())
            ]
        );
        // Labels glued to their values when spaces were lost.
        assert_eq!(
            f("公开方式主动公开文号临港安发〔2024〕4号"),
            [
                (Field::Disclosure, "主动公开".into()),
                (Field::DocNumber, "临港安发〔2024〕4号".into())
            ]
        );
        assert_eq!(
            f("成文日期: 2020-03-07 发布日期: 2020-03-07 有效性:"),
            [
                (Field::Written, "2020-03-07".into()),
                (Field::Published, "2020-03-07".into())
            ]
        );
        assert_eq!(f("有效性: 有效"), [(Field::Validity, "有效".into())]);
        assert_eq!(
            f(
                "索 引 号: 11150621MB1688871X/2024-3653124 发文字号: 达安委会发〔2024〕8号 成文日期: 2024-06-13"
            ),
            [
                (Field::IndexNumber, "11150621MB1688871X/2024-3653124".into()),
                (Field::DocNumber, "达安委会发〔2024〕8号".into()),
                (Field::Written, "2024-06-13".into())
            ]
        );
        assert!(bare_label("公开目录") && bare_label("文号：") && bare_label("索 引 号"));
        assert!(!bare_label("安康市"));
        assert!(fields("名称就是这样的一段正文，不是元数据。").is_none());
        assert!(fields("一、加强安全生产领导").is_none());
        assert!(fields("各乡镇要加强分类指导。").is_none());
    }

    #[test]
    fn furniture_lines() {
        assert!(furniture("当前位置：首页 > 政府信息公开 > 通知").is_some());
        assert!(furniture("字体:【 默认 超大 |").is_some());
        assert!(furniture("首页 > 政务公开 > 政策法规").is_some());
        assert!(furniture("来源:发布时间:2018-01-22 11:48 累计次数: 字体:[ ]").is_some());
        assert!(furniture("【打印本页】【关闭窗口】").is_some());
        assert!(furniture("分享到：").is_some());
        assert!(furniture("浏览次数：128").is_some());
        assert!(furniture("打印 关闭").is_some());
        assert!(furniture("一、加强组织领导，打印宣传材料。").is_none());
        assert!(furniture("首页").is_none());
    }
}
