//! Repairs of PDF- and web-extraction damage, each a rule that changes nothing else: spaces
//! inside Chinese text, list markers pasted in front of lines, and lines broken in two.

use gongkai_site::body::is_wide;
use gongkai_zh::numbering::parse_marker;

/// Spaces that extraction leaves: ASCII, ideographic (U+3000) and no-break (U+00A0).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}' | '\u{a0}')
}

/// Removes runs of spaces between two wide (Chinese) characters: `浦东新 区` → `浦东新区`,
/// `李  峻` → `李峻`. Returns the text and how many runs were removed.
pub fn drop_cjk_spaces(s: &str) -> (String, usize) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut removed = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_space(c) && i > 0 && is_wide(chars[i - 1]) {
            let end = (i..chars.len())
                .find(|&j| !is_space(chars[j]))
                .unwrap_or(chars.len());
            if end < chars.len() && is_wide(chars[end]) && !between_names(&chars, i, end) {
                removed += 1;
                i = end;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    (out, removed)
}

/// Characters an organisation's name ends with.
const ORG_END: &[char] = &[
    '委', '府', '局', '办', '室', '会', '队', '站', '所', '院', '心', '部', '厅', '行', '联', '股',
    '馆',
];

/// A space that separates two names rather than one broken word: the text before it ends an
/// organisation's name and the word after it, up to the next space, ends one too
/// (`安监站 安监所`, `中共赣州市委    赣州市人民政府`).
fn between_names(chars: &[char], space: usize, next: usize) -> bool {
    let word_end = (next..chars.len())
        .find(|&j| is_space(chars[j]))
        .unwrap_or(chars.len());
    let word = &chars[next..word_end];
    // `中共示例省委 示例省人民政府关于……`: the second name runs into a title.
    let named = |w: &[char]| w.len() >= 2 && w.last().is_some_and(|c| ORG_END.contains(c));
    let before_about = word
        .windows(2)
        .position(|p| p == ['关', '于'])
        .is_some_and(|p| named(&word[..p]));
    space > 1 && ORG_END.contains(&chars[space - 1]) && (named(word) || before_about)
}

/// A `- ` or `• ` pasted in front of a line by a PDF-to-Markdown tool: returns the line without
/// it. Only a marker followed by Chinese text or a numbering counts, so `-5℃` stays.
pub fn strip_list_marker(s: &str) -> Option<&str> {
    let t = s.trim_start_matches(is_space);
    let rest = t
        .strip_prefix('-')
        .or_else(|| t.strip_prefix('•'))
        .or_else(|| t.strip_prefix('·'))?;
    if !rest.starts_with(is_space) {
        return None;
    }
    let rest = rest.trim_start_matches(is_space);
    let first = rest.chars().next()?;
    (is_wide(first) || parse_marker(rest).is_some()).then_some(rest)
}

/// Characters a paragraph may end with.
const TERMINAL: &[char] = &[
    '。', '！', '？', '；', '：', '”', '’', '」', '』', '）', ')', '】', '…', '.', '!', '?', ';',
    ':', '"', '》',
];
/// Characters after which a line cannot have ended.
const CONTINUING: &[char] = &['、', '，', ',', '（', '(', '《', '“', '【', '—'];

fn unclosed(s: &str) -> bool {
    let mut depth: i32 = 0;
    for c in s.chars() {
        match c {
            '（' | '(' | '《' | '“' | '【' | '「' => depth += 1,
            '）' | ')' | '》' | '”' | '】' | '」' => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

/// A line that reads as running text rather than a heading or a signature.
pub fn is_prose(s: &str) -> bool {
    s.contains(['。', '；', '！', '？']) || s.chars().count() >= 60
}

/// A short line without sentence punctuation: a heading, a caption or a signature. A
/// first-level heading (一、) may end in 。, as some drafters write them.
pub fn is_heading_like(s: &str) -> bool {
    let marker = parse_marker(s);
    let mut body = marker.as_ref().map_or(s, |m| &s[m.len..]);
    if marker.is_some_and(|m| m.style == gongkai_zh::numbering::Style::ChineseComma) {
        body = body.strip_suffix('。').unwrap_or(body);
    }
    let n = body.chars().count();
    n > 0 && n <= 45 && !body.contains(['。', '；', '！', '？']) && !body.ends_with(['：', ':'])
}

/// A short line that repeats the end of the line before it, as PDF extraction leaves when a
/// heading wraps: `……法制建设。` then `制建设`.
pub fn repeats_tail(a: &str, b: &str) -> bool {
    let a = a.trim_end_matches(TERMINAL);
    let n = b.chars().count();
    (1..=8).contains(&n) && parse_marker(b).is_none() && a.ends_with(b) && a != b
}

/// Why line `b` continues line `a`, if it does: the two were one line before extraction.
pub fn continues(a: &str, b: &str) -> Option<&'static str> {
    if parse_marker(b).is_some() || b.is_empty() {
        return None;
    }
    let last = a.chars().last()?;
    if unclosed(a) {
        return Some("unclosed");
    }
    if CONTINUING.contains(&last) {
        return Some("comma");
    }
    if is_prose(a) && !TERMINAL.contains(&last) {
        return Some("sentence");
    }
    // A sentence broken mid-word before its last short piece: `……区人武` + `部，区群团。`.
    if parse_marker(a).is_none()
        && a.contains(['，', '、'])
        && is_wide(last)
        && !TERMINAL.contains(&last)
        && b.chars().count() <= 12
        && b.ends_with(['。', '；'])
    {
        return Some("sentence");
    }
    // A numbered heading broken before its last words: `五、……法制` + `制建设`.
    if parse_marker(a).is_some()
        && is_heading_like(a)
        && b.chars().count() <= 8
        && is_heading_like(b)
        && !b.contains(['：', ':'])
        && !b.ends_with(TERMINAL)
    {
        return Some("heading");
    }
    None
}

/// Joins two pieces of one broken line: no space between Chinese text, one between Latin words.
pub fn join(a: &str, b: &str) -> String {
    let ascii_edge = a.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
        && b.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if ascii_edge {
        format!("{a} {b}")
    } else {
        format!("{a}{b}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_inside_chinese_go_and_others_stay() {
        assert_eq!(drop_cjk_spaces("浦东新 区落实"), ("浦东新区落实".into(), 1));
        assert_eq!(drop_cjk_spaces("李  峻"), ("李峻".into(), 1));
        assert_eq!(drop_cjk_spaces("前\u{3000}言"), ("前言".into(), 1));
        assert_eq!(
            drop_cjk_spaces("应急管理局 2021 年安全"),
            ("应急管理局 2021 年安全".into(), 0)
        );
        assert_eq!(drop_cjk_spaces("1 、严格"), ("1 、严格".into(), 0));
        // Two names side by side keep the space between them.
        assert_eq!(
            drop_cjk_spaces("安监站 安监所"),
            ("安监站 安监所".into(), 0)
        );
        assert_eq!(drop_cjk_spaces("中共赣州市委    赣州市人民政府").1, 0);
    }

    #[test]
    fn list_markers() {
        assert_eq!(strip_list_marker("- 一、以安全"), Some("一、以安全"));
        assert_eq!(strip_list_marker(" - (四)推进"), Some("(四)推进"));
        assert_eq!(strip_list_marker("-5℃以下"), None);
        assert_eq!(strip_list_marker("- abc"), None);
    }

    #[test]
    fn broken_lines() {
        assert!(
            continues(
                "(四)推进城市安全发展。根据《关于推进城市安全发展的",
                "意见》文件精神"
            )
            .is_some()
        );
        assert!(
            continues(
                "四、以执法检查为主要抓手,着力推进严格执法、规范执法、",
                "精准执法"
            )
            .is_some()
        );
        assert!(
            continues(
                "五、以依法行政为要求,着力推进法治思维、法制方式、法制",
                "制建设"
            )
            .is_some()
        );
        assert!(
            continues(
                "（一）指导思想",
                "以党的十八大和十八届三中全会精神为指导，坚持安全发展。"
            )
            .is_none()
        );
        assert!(continues("加强领导。", "（二）强化监管").is_none());
        assert!(continues("抄送：区委各部门，区法院、检察院，区人武", "部，区群团。").is_some());
        assert!(continues("南京市高淳区人民政府办公室", "2017年2月27日").is_none());
        assert!(repeats_tail(
            "五、着力推进法治思维、法制方式、法制建设。",
            "制建设"
        ));
        assert!(!repeats_tail("五、着力推进法制建设。", "（一）法制建设"));
        assert!(continues("现将通知印发给你们，请认真贯彻执行。", "示例区应急管理局").is_none());
    }
}
