//! Responsibility notations written at the end of a task, in the forms real plans use:
//! （责任单位：A、B，C）, （牵头单位：A；配合单位：B）, （责任部门：A）, （A牵头，B配合）,
//! (某某同志牵头负责), (某某、某某同志分别牵头负责). Shared by the body parser and the importer.

use std::ops::Range;

/// A name found in a notation, with its byte range in the text it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub name: String,
    pub range: Range<usize>,
}

/// Who a notation makes responsible. 责任单位 and 牵头单位 are lead units; 配合单位 supporting units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notation {
    /// Byte offset where the bracketed notation starts in the text.
    pub start: usize,
    pub lead: Vec<Mention>,
    pub support: Vec<Mention>,
    pub persons: Vec<Mention>,
}

const LEAD_KEYS: &[&str] = &[
    "责任单位",
    "责任部门",
    "牵头单位",
    "牵头部门",
    "主责单位",
    "负责单位",
];
const SUPPORT_KEYS: &[&str] = &["配合单位", "配合部门", "协办单位", "参与单位"];
const PERSON_KEYS: &[&str] = &["区领导", "责任领导", "分管领导", "牵头领导", "责任人"];

fn is_open(c: char) -> bool {
    c == '（' || c == '('
}
fn is_close(c: char) -> bool {
    c == '）' || c == ')'
}

/// Finds a responsibility notation in the last bracket group of `text`, if there is one.
pub fn parse_trailing(text: &str) -> Option<Notation> {
    let trimmed =
        text.trim_end_matches(|c: char| c.is_whitespace() || c == '。' || c == '；' || c == ';');
    let last = trimmed.chars().next_back()?;
    if !is_close(last) {
        return parse_unbracketed(trimmed);
    }
    // Walk back to the matching open bracket, so names with their own brackets stay whole.
    let mut depth = 0usize;
    let mut open_at = None;
    for (i, c) in trimmed.char_indices().rev() {
        if is_close(c) {
            depth += 1;
        } else if is_open(c) {
            depth -= 1;
            if depth == 0 {
                open_at = Some(i);
                break;
            }
        }
    }
    let open_at = open_at?;
    let inner_start = open_at + trimmed[open_at..].chars().next()?.len_utf8();
    let inner_end = trimmed.len() - last.len_utf8();
    let mut n = parse_inner(&trimmed[inner_start..inner_end], inner_start)?;
    n.start = open_at;
    Some(n)
}

/// Every notation in brackets anywhere in `text`, in order: a task may state its units after
/// each of its sentences, or before more text.
pub fn all_bracketed(text: &str) -> Vec<Notation> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut open_at = 0;
    for (i, c) in text.char_indices() {
        if is_open(c) {
            if depth == 0 {
                open_at = i;
            }
            depth += 1;
        } else if is_close(c) && depth > 0 {
            depth -= 1;
            if depth == 0 {
                let inner_start =
                    open_at + text[open_at..].chars().next().map_or(1, char::len_utf8);
                if let Some(mut n) = parse_inner(&text[inner_start..i], inner_start) {
                    n.start = open_at;
                    out.push(n);
                }
            }
        }
    }
    out
}

/// A notation written as the last sentence, without brackets: `……落实行动。责任部门：区市场监管局`.
fn parse_unbracketed(text: &str) -> Option<Notation> {
    let start = text.rfind('。').map(|i| i + '。'.len_utf8())?;
    let tail = &text[start..];
    let keyed = LEAD_KEYS
        .iter()
        .chain(SUPPORT_KEYS)
        .chain(PERSON_KEYS)
        .any(|k| tail.trim_start().starts_with(k));
    if !keyed {
        return None;
    }
    let mut n = parse_inner(tail, start)?;
    n.start = start;
    Some(n)
}

/// Parses the inside of a notation; `base` is its offset in the whole text.
pub fn parse_inner(inner: &str, base: usize) -> Option<Notation> {
    let mut n = Notation::default();
    let mut keyed = false;
    for (seg, seg_start) in split_top(inner, &['；', ';']) {
        let seg_base = base + seg_start;
        let Some((key, rest, rest_off)) = split_key(seg) else {
            continue;
        };
        let list = names(rest, seg_base + rest_off);
        if LEAD_KEYS.contains(&key) {
            // 责任单位：A牵头，B、C配合 (or 协同, 分工负责): the roles are in the list itself.
            let roles = role_suffixed(&list);
            if let Some((lead, support)) = roles {
                n.lead.extend(lead);
                n.support.extend(support);
                keyed = true;
                continue;
            }
            n.lead.extend(list);
        } else if SUPPORT_KEYS.contains(&key) {
            n.support.extend(list);
        } else if PERSON_KEYS.contains(&key) {
            n.persons.extend(list);
        } else {
            continue;
        }
        keyed = true;
    }
    if keyed {
        return Some(n);
    }
    // 某某同志牵头负责 / 某某、某某同志分别牵头负责 / 某某同志负责
    for suffix in [
        "同志分别牵头负责",
        "同志牵头负责",
        "同志分别负责",
        "同志负责",
    ] {
        if let Some(names_part) = inner.strip_suffix(suffix) {
            n.persons = names(names_part, base);
            return (!n.persons.is_empty()).then_some(n);
        }
    }
    // A牵头，B配合 / A牵头、B配合
    if let Some(pos) = inner.find("牵头") {
        let lead_part = &inner[..pos];
        let after = inner[pos + "牵头".len()..].trim_start_matches(['，', ',', '、']);
        let after_off = inner.len() - after.len();
        if lead_part.is_empty() {
            return None;
        }
        n.lead = names(lead_part, base);
        if let Some(support_part) = after.strip_suffix("配合") {
            n.support = names(support_part, base + after_off);
        } else if !after.is_empty() {
            return None;
        }
        return Some(n);
    }
    None
}

/// Suffixes that make the units before them supporting, in a list under 责任单位.
const SUPPORT_SUFFIXES: &[&str] = &[
    "分工负责",
    "配合落实",
    "按职责分工负责",
    "配合",
    "协同",
    "协助",
    "参与",
];

/// A list such as `A牵头，B、C配合`: the names up to the one ending in 牵头 lead, the rest up to
/// one ending in a support word support. `None` when the list has no 牵头 in it.
fn role_suffixed(list: &[Mention]) -> Option<(Vec<Mention>, Vec<Mention>)> {
    let strip = |m: &Mention, suffix: &str| Mention {
        name: m.name[..m.name.len() - suffix.len()].to_string(),
        range: m.range.start..m.range.end - suffix.len(),
    };
    let lead_end = list.iter().position(|m| m.name.ends_with("牵头"))?;
    let mut lead: Vec<Mention> = list[..lead_end].to_vec();
    lead.push(strip(&list[lead_end], "牵头"));
    let mut support = Vec::new();
    for m in &list[lead_end + 1..] {
        match SUPPORT_SUFFIXES.iter().find(|s| m.name.ends_with(*s)) {
            Some(s) => support.push(strip(m, s)),
            None => support.push(m.clone()),
        }
    }
    lead.retain(|m| !m.name.is_empty());
    support.retain(|m| !m.name.is_empty());
    Some((lead, support))
}

/// `责任单位：A、B` → ("责任单位", "A、B", offset of "A").
fn split_key(seg: &str) -> Option<(&str, &str, usize)> {
    let pos = seg.find(['：', ':'])?;
    let key = seg[..pos].trim();
    let colon_len = seg[pos..].chars().next()?.len_utf8();
    let rest = &seg[pos + colon_len..];
    let lead_ws = rest.len() - rest.trim_start().len();
    Some((key, rest.trim(), pos + colon_len + lead_ws))
}

/// Splits at separators outside brackets; yields each part with its offset.
fn split_top<'a>(s: &'a str, seps: &[char]) -> Vec<(&'a str, usize)> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if is_open(c) {
            depth += 1;
        } else if is_close(c) {
            depth -= 1;
        } else if depth == 0 && seps.contains(&c) {
            parts.push((&s[start..i], start));
            start = i + c.len_utf8();
        }
    }
    parts.push((&s[start..], start));
    parts
}

/// The names in a list such as `区应急局、区消防救援支队，各乡镇`, with their ranges.
pub fn names(list: &str, base: usize) -> Vec<Mention> {
    names_split(list, base, &['、', '，', ',', '；', ';'])
}

/// The names in a table cell, where one name per line (joined by a space on import) is as
/// common as a list: `李峻 黄晓霞`, `各乡镇 区有关直属单位`.
pub fn cell_names(cell: &str) -> Vec<Mention> {
    names_split(cell, 0, &['、', '，', ',', '；', ';', ' ', '\u{3000}'])
}

fn names_split(list: &str, base: usize, separators: &[char]) -> Vec<Mention> {
    split_top(list, separators)
        .into_iter()
        .filter_map(|(part, off)| {
            let lead = part.len() - part.trim_start().len();
            let mut name = part.trim();
            // A list that ends in 等 ("and others") names the units before it, and so does
            // one that sums them up after 等: `区发改局等区安委会有关成员单位`.
            if let Some(n) = name.strip_suffix('等')
                && !n.is_empty()
            {
                name = n;
            } else if let Some((n, summary)) = name.split_once('等')
                && !n.is_empty()
                && (summary.contains("有关")
                    || summary.contains("成员单位")
                    || summary.ends_with("部门")
                    || summary.ends_with("单位"))
            {
                name = n;
            }
            (!name.is_empty()).then(|| Mention {
                name: name.to_string(),
                range: base + off + lead..base + off + lead + name.len(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_of(v: &[Mention]) -> Vec<&str> {
        v.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn unbracketed_last_sentence() {
        let t = "开展专项整治。责任部门：区市场监管局、各街镇";
        let n = parse_trailing(t).unwrap();
        assert_eq!(names_of(&n.lead), ["区市场监管局", "各街镇"]);
        assert_eq!(&t[n.start..], "责任部门：区市场监管局、各街镇");
        assert!(parse_trailing("开展专项整治。加强检查").is_none());
    }

    #[test]
    fn chongming_form_with_commas() {
        let t = "加强领导。（责任单位：区委宣传部、区应急局、区安委会各成员单位，各乡镇，区有关直属单位）";
        let n = parse_trailing(t).unwrap();
        assert_eq!(
            names_of(&n.lead),
            [
                "区委宣传部",
                "区应急局",
                "区安委会各成员单位",
                "各乡镇",
                "区有关直属单位"
            ]
        );
        assert!(n.support.is_empty());
        assert_eq!(
            &t[n.start..],
            "（责任单位：区委宣传部、区应急局、区安委会各成员单位，各乡镇，区有关直属单位）"
        );
        for m in &n.lead {
            assert_eq!(&t[m.range.clone()], m.name);
        }
    }

    #[test]
    fn names_with_their_own_brackets() {
        let t = "开展整治。（责任单位：区安委会各专委会（办）牵头部门、区应急局）";
        let n = parse_trailing(t).unwrap();
        assert_eq!(
            names_of(&n.lead),
            ["区安委会各专委会（办）牵头部门", "区应急局"]
        );
    }

    #[test]
    fn pudong_person_forms() {
        let n = parse_trailing("出台。(唐林芳同志牵头负责)").unwrap();
        assert_eq!(names_of(&n.persons), ["唐林芳"]);
        let n = parse_trailing("推进。(邱继刚、唐林芳同志分别牵头负责)").unwrap();
        assert_eq!(names_of(&n.persons), ["邱继刚", "唐林芳"]);
    }

    #[test]
    fn lead_and_support_forms() {
        let n =
            parse_trailing("做好。（牵头单位：区应急局；配合单位：区公安分局、各街镇）").unwrap();
        assert_eq!(names_of(&n.lead), ["区应急局"]);
        assert_eq!(names_of(&n.support), ["区公安分局", "各街镇"]);
        let n = parse_trailing("做好。（区应急局牵头，各街镇配合）").unwrap();
        assert_eq!(names_of(&n.lead), ["区应急局"]);
        assert_eq!(names_of(&n.support), ["各街镇"]);
        let n = parse_trailing("做好。（责任部门：区住建局等）").unwrap();
        assert_eq!(names_of(&n.lead), ["区住建局"]);
        let t = "做好。（配合单位：区发改局、区绩效办等区安委会有关成员单位）";
        let n = parse_trailing(t).unwrap();
        assert_eq!(names_of(&n.support), ["区发改局", "区绩效办"]);
        for m in &n.support {
            assert_eq!(&t[m.range.clone()], m.name);
        }
    }

    #[test]
    fn roles_written_inside_a_keyed_list() {
        let t = "做好。（责任单位：区安委办牵头，区委组织部、区安委会各成员单位分工负责）";
        let n = parse_trailing(t).unwrap();
        assert_eq!(names_of(&n.lead), ["区安委办"]);
        assert_eq!(names_of(&n.support), ["区委组织部", "区安委会各成员单位"]);
        for m in n.lead.iter().chain(&n.support) {
            assert_eq!(&t[m.range.clone()], m.name);
        }
        let n =
            parse_trailing("做好。（责任单位：区安委办牵头，区安委会有关成员单位协同）").unwrap();
        assert_eq!(names_of(&n.support), ["区安委会有关成员单位"]);
    }

    #[test]
    fn a_cell_names_the_text_at_its_ranges() {
        // Pages link the text at a name's range (a table cell's names are not kept apart).
        let cell = " 李峻　黄晓霞、区发改局等区安委会有关成员单位";
        let names = cell_names(cell);
        assert_eq!(names_of(&names), ["李峻", "黄晓霞", "区发改局"]);
        for m in &names {
            assert_eq!(&cell[m.range.clone()], m.name);
        }
    }

    #[test]
    fn notations_inside_the_text() {
        let t = "学习论述。（责任单位：区委宣传部）纳入培训。（责任单位：区委组织部）加强引导。";
        let all = all_bracketed(t);
        assert_eq!(all.len(), 2);
        assert_eq!(names_of(&all[1].lead), ["区委组织部"]);
        assert!(all_bracketed("落实《条例》（2017版）").is_empty());
    }

    #[test]
    fn ordinary_brackets_are_not_notations() {
        assert_eq!(parse_trailing("落实《条例》（2017版）"), None);
        assert_eq!(parse_trailing("压减事故总量（减量防大）"), None);
        assert_eq!(parse_trailing("没有括号"), None);
    }
}
