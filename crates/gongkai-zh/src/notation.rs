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
    "责任科室",
    "责任处室",
    "牵头科室",
    "牵头处室",
    "责任主体",
    "落实单位",
    "实施单位",
    "承办单位",
    "主办单位",
    "部门分工",
    "责任分工",
    "牵头责任单位",
];
const SUPPORT_KEYS: &[&str] = &[
    "配合单位",
    "配合部门",
    "协办单位",
    "参与单位",
    "参与部门",
    "协同单位",
    "协助单位",
    "配合科室",
    "配合处室",
    "参加单位",
];
const PERSON_KEYS: &[&str] = &["区领导", "责任领导", "分管领导", "牵头领导", "责任人"];

/// The role a key before a colon gives the names after it: the listed keys, and the forms
/// real plans vary them in (`分管省领导`, `联系市领导`, `牵头责任部门`).
fn key_role(key: &str) -> Option<KeyRole> {
    let key = key.trim();
    if key.chars().count() > 8 {
        return None;
    }
    // `责任单位及责任人：示例县政府主要领导`: units, each named by its head.
    if let Some((units, _)) = key.split_once(['及', '和'])
        && LEAD_KEYS.contains(&units)
    {
        return Some(KeyRole::Lead);
    }
    if PERSON_KEYS.contains(&key) || key.ends_with("领导") || key.ends_with("责任人") {
        Some(KeyRole::Person)
    } else if SUPPORT_KEYS.contains(&key) {
        Some(KeyRole::Support)
    } else if LEAD_KEYS.contains(&key) {
        Some(KeyRole::Lead)
    } else {
        None
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum KeyRole {
    Lead,
    Support,
    Person,
}

fn is_open(c: char) -> bool {
    matches!(c, '（' | '(' | '〔' | '［' | '[')
}
fn is_close(c: char) -> bool {
    matches!(c, '）' | ')' | '〕' | '］' | ']')
}

/// Finds the responsibility notation at the end of `text`, if there is one: the last bracket
/// group, and the groups just before it when they are notations too
/// (`（牵头单位：A）（张明同志牵头负责）`), merged.
pub fn parse_trailing(text: &str) -> Option<Notation> {
    let mut end = text.len();
    let mut found: Option<Notation> = None;
    while let Some((open_at, mut n)) = last_group(&text[..end]) {
        n.start = open_at;
        found = Some(match found {
            Some(later) => merge(n, later),
            None => n,
        });
        end = open_at;
    }
    match found {
        Some(n) => Some(n),
        None => parse_unbracketed(trim_end_stops(text)),
    }
}

fn trim_end_stops(text: &str) -> &str {
    text.trim_end_matches(|c: char| c.is_whitespace() || c == '。' || c == '；' || c == ';')
}

/// Two notations of one task as one: `first`'s names, then `later`'s.
fn merge(mut first: Notation, later: Notation) -> Notation {
    first.lead.extend(later.lead);
    first.support.extend(later.support);
    first.persons.extend(later.persons);
    first
}

/// The last bracket group of `text` (after trailing stops), where it opens, when it is a
/// notation. Names with their own brackets stay whole.
fn last_group(text: &str) -> Option<(usize, Notation)> {
    let trimmed = trim_end_stops(text);
    let last = trimmed.chars().next_back()?;
    if !is_close(last) {
        return None;
    }
    let mut depth = 0usize;
    let mut open_at = None;
    for (i, c) in trimmed.char_indices().rev() {
        if is_close(c) {
            depth += 1;
        } else if is_open(c) {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                open_at = Some(i);
                break;
            }
        }
    }
    // A bracket closed by the wrong kind (`〔…)〕`): the last opening of the closing kind.
    let open_at = open_at.or_else(|| {
        let opener = match last {
            '）' => '（',
            ')' => '(',
            '〕' => '〔',
            '］' => '［',
            _ => '[',
        };
        trimmed.rfind(opener)
    })?;
    let inner_start = open_at + trimmed[open_at..].chars().next()?.len_utf8();
    let inner_end = trimmed.len() - last.len_utf8();
    let inner = &trimmed[inner_start..inner_end];
    let n = parse_inner(inner, inner_start).or_else(|| bare_units(inner, inner_start))?;
    Some((open_at, n))
}

/// `（区应急局、区公安分局）` after a task: a bracket of nothing but unit names names the units
/// responsible for it.
fn bare_units(inner: &str, base: usize) -> Option<Notation> {
    let list = names(inner, base);
    // A place alone in brackets (`（示范区）`) is too often something else.
    let place_only = list.len() == 1
        && list[0]
            .name
            .ends_with(['区', '县', '市', '州', '旗', '省', '镇', '乡']);
    (!list.is_empty()
        && !place_only
        && list.len() <= 30
        && list.iter().all(|m| is_unit_name(&m.name)))
    .then(|| Notation {
        lead: list,
        ..Notation::default()
    })
}

/// The characters a unit's name ends with: 局, 委, 办 …, a place (区, 县, 市 …), 园 (an
/// industrial park), 股 (a township's section). One list for the notations, the importer's
/// text tables and its joining of a cell's lines.
pub const UNIT_ENDINGS: &[char] = &[
    '局', '委', '办', '室', '队', '部', '位', '镇', '乡', '团', '司', '心', '会', '院', '所', '站',
    '处', '科', '组', '厅', '府', '门', '社', '馆', '行', '庭', '联', '协', '关', '台', '区', '县',
    '州', '旗', '市', '省', '园', '股',
];

/// Whether a name reads as a unit's (a department, an office, a government, 各街道).
pub fn is_unit_name(name: &str) -> bool {
    let n = name.trim();
    let count = n.chars().count();
    (2..=40).contains(&count)
        && !n.contains(['。', '：', ':'])
        && !["均需", "需要", "不再", "以下", "各项", "完成", "年底"]
            .iter()
            .any(|w| n.contains(w))
        && (n.starts_with('各')
            || n.ends_with(UNIT_ENDINGS)
            || n.ends_with("街道")
            || n.ends_with("办事处")
            || n.ends_with(['）', ')']))
}

/// Every notation in brackets anywhere in `text`, in order: a task may state its units after
/// each of its sentences, or before more text.
pub fn all_bracketed(text: &str) -> Vec<Notation> {
    top_groups(text)
        .into_iter()
        .filter_map(|g| {
            let mut n = parse_inner(&text[g.inner.clone()], g.inner.start)?;
            n.start = g.open;
            Some(n)
        })
        .collect()
}

/// A bracket group at the top level of a text: where it opens, and its inside.
struct Group {
    open: usize,
    inner: Range<usize>,
    /// Just after the closing bracket.
    end: usize,
}

/// The bracket groups at the top level of `text`, in order (names with brackets of their own
/// stay inside their group).
fn top_groups(text: &str) -> Vec<Group> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut open = 0;
    for (i, c) in text.char_indices() {
        if is_open(c) {
            if depth == 0 {
                open = i;
            }
            depth += 1;
        } else if is_close(c) && depth > 0 {
            depth -= 1;
            if depth == 0 {
                let inner_start = open + text[open..].chars().next().map_or(1, char::len_utf8);
                out.push(Group {
                    open,
                    inner: inner_start..i,
                    end: i + c.len_utf8(),
                });
            }
        }
    }
    out
}

/// `以下均需各乡镇（园区）负责落实，不再列出`: a unit named once in a task's notation for every
/// task after it. The names, when `text` says so.
pub fn carried_over(text: &str) -> Option<Vec<String>> {
    let start = text.find("以下")?;
    let rest = &text[start..];
    let end = rest.find("不再列出")?;
    let clause = &rest[..end];
    let after = ["均需由", "均需", "均由", "都由", "需由", "由", "需"]
        .iter()
        .find_map(|w| clause.find(w).map(|i| &clause[i + w.len()..]))?;
    let stop = ["负责落实", "落实", "负责", "承担"]
        .iter()
        .filter_map(|w| after.find(w))
        .min()?;
    let list = names(&after[..stop], 0);
    (!list.is_empty() && list.iter().all(|m| is_unit_name(&m.name)))
        .then(|| list.into_iter().map(|m| m.name).collect())
}

/// A heading that names who leads its items: `县示范区管委会牵头工作（8项）`,
/// `区应急局负责的任务`. The units, when it does.
pub fn heading_units(title: &str) -> Option<Notation> {
    let mut t = title.trim().trim_end_matches(['。', '：', ':']);
    // `（8项）`: how many items follow.
    if let Some(open) = t.rfind(['（', '(']) {
        let inner = t[open..]
            .trim_start_matches(['（', '('])
            .trim_end_matches(['）', ')']);
        if inner.ends_with('项')
            && inner[..inner.len() - '项'.len_utf8()]
                .chars()
                .all(|c| c.is_ascii_digit())
        {
            t = t[..open].trim_end();
        }
    }
    for tail in ["工作", "任务", "事项", "项目"] {
        t = t.strip_suffix(tail).unwrap_or(t);
    }
    let t = t.strip_suffix('的').unwrap_or(t);
    let (stem, lead) = ["牵头", "负责"]
        .iter()
        .find_map(|w| t.strip_suffix(w).map(|s| (s, true)))?;
    let list = names(stem, 0);
    (lead && !list.is_empty() && list.iter().all(|m| is_unit_name(&m.name))).then(|| Notation {
        lead: list,
        ..Notation::default()
    })
}

/// Words that make a bracket look like a statement of who is responsible.
const ROLE_WORDS: &[&str] = &[
    "牵头",
    "负责",
    "配合",
    "参与",
    "协同",
    "协助",
    "协办",
    "责任单位",
    "责任部门",
    "主责",
    "落实单位",
    "责任人",
    "领导",
];

/// The brackets of `text` that look like a responsibility notation (they name a role) but
/// read as none: what the importer and `check` warn about, so nothing is dropped in silence.
/// Each as its byte range, brackets included.
pub fn unread_brackets(text: &str) -> Vec<Range<usize>> {
    top_groups(text)
        .into_iter()
        .filter(|g| {
            let inner = &text[g.inner.clone()];
            inner.chars().count() <= 200
                && ROLE_WORDS.iter().any(|w| inner.contains(w))
                && parse_inner(inner, g.inner.start).is_none()
                && bare_units(inner, g.inner.start).is_none()
        })
        .map(|g| g.open..g.end)
        .collect()
}

/// A notation written as the last sentence, without brackets: `……落实行动。责任部门：区市场监管局`.
fn parse_unbracketed(text: &str) -> Option<Notation> {
    let start = text.rfind('。').map(|i| i + '。'.len_utf8())?;
    let tail = &text[start..];
    let keyed = split_key(tail).is_some_and(|(k, _, _)| key_role(k).is_some());
    if !keyed {
        return None;
    }
    let mut n = parse_inner(tail, start)?;
    n.start = start;
    Some(n)
}

/// Parses the inside of a notation; `base` is its offset in the whole text.
pub fn parse_inner(inner: &str, base: usize) -> Option<Notation> {
    if let Some(n) = keyed(inner, base) {
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
            let persons = names(names_part, base);
            return (!persons.is_empty()).then_some(Notation {
                persons,
                ..Notation::default()
            });
        }
    }
    role_suffixed_parts(inner, base)
}

/// `牵头单位：A；配合单位：B`, `责任单位：A、B，C`, `责任单位：A牵头，B配合`, `分管领导：X，部门分工：Y`:
/// lists after keys. Within a clause, a part after a `，` without a key of its own continues
/// the list before it; a clause without a key (`以下均需各县落实`) is no list.
fn keyed(inner: &str, base: usize) -> Option<Notation> {
    let mut n = Notation::default();
    let mut any = false;
    // `牵头部门：A；责任单位：B`: beside a 牵头 key, a 责任 key names the units that take part.
    let has_lead_key = split_top(inner, &['；', ';', '。', '，', ','])
        .iter()
        .any(|(p, _)| split_key(p).is_some_and(|(k, _, _)| k.contains("牵头")));
    for (clause, c_off) in split_top(inner, &['；', ';', '。']) {
        for (role, from, to) in key_groups(clause) {
            let Some(mut r) = role else { continue };
            let key = clause[..from].rsplit(['，', ',']).next().unwrap_or("");
            if has_lead_key && r == KeyRole::Lead && key.contains("责任") && !key.contains("牵头")
            {
                r = KeyRole::Support;
            }
            any = true;
            let mut list = names(&clause[from..to], base + c_off + from);
            if r != KeyRole::Person {
                list = list.into_iter().map(unit_of_head).collect();
            }
            match r {
                KeyRole::Lead => match role_suffixed(&list) {
                    // 责任单位：A牵头，B、C配合 — the roles are in the list itself.
                    Some((lead, support)) => {
                        n.lead.extend(lead);
                        n.support.extend(support);
                    }
                    None => n.lead.extend(list),
                },
                KeyRole::Support => n.support.extend(list),
                KeyRole::Person => n.persons.extend(list),
            }
        }
    }
    any.then_some(n)
}

/// `示例县政府主要领导` in a list of units: the unit whose head answers for the task.
fn unit_of_head(m: Mention) -> Mention {
    for head in ["主要领导", "主要负责人", "主要负责同志"] {
        if let Some(unit) = m.name.strip_suffix(head)
            && is_unit_name(unit)
        {
            return Mention {
                name: unit.to_string(),
                range: m.range.start..m.range.end - head.len(),
            };
        }
    }
    m
}

/// The lists of a clause: (role of its key, where its names start and end), a part after a
/// `，` without a key joining the list before it.
fn key_groups(clause: &str) -> Vec<(Option<KeyRole>, usize, usize)> {
    let mut groups: Vec<(Option<KeyRole>, usize, usize)> = Vec::new();
    for (part, off) in split_top(clause, &['，', ',']) {
        match split_key(part) {
            Some((key, _, rest_off)) => {
                groups.push((key_role(key), off + rest_off, off + part.len()));
            }
            None => match groups.last_mut() {
                Some(g) => g.2 = off + part.len(),
                None => groups.push((None, off, off + part.len())),
            },
        }
    }
    groups
}

/// Words after a list of units that give them their role, longest first.
const LEAD_SUFFIXES: &[&str] = &[
    "牵头负责落实",
    "分别牵头负责",
    "分别牵头",
    "分别负责",
    "牵头督导",
    "总牵头",
    "牵头负责",
    "负责落实",
    "牵头",
    "负责",
    "主责",
    "主办",
    "落实",
];
const SHARED_SUFFIXES: &[&str] = &[
    "按职责分工负责",
    "按职责分工落实",
    "按职责负责",
    "分工负责",
    "各负其责",
];
const SUPPORT_WORDS: &[&str] = &[
    "配合落实",
    "协同配合",
    "配合",
    "参与",
    "参加",
    "协同",
    "协助",
    "协办",
];

/// `A牵头，B、C参与，D负责落实`, `A负责`, `由A负责`: parts each ending in a word that gives
/// the units before it their role. Every part must be such a list of unit names.
fn role_suffixed_parts(inner: &str, base: usize) -> Option<Notation> {
    let mut n = Notation::default();
    // The first sentence: a second one (`以下均需各县落实，不再列出`) says more, not who.
    let (first, _) = split_top(inner, &['。'])[0];
    for (part, off) in split_top(first, &['，', ',', '；', ';']) {
        let t = part.trim_end();
        if t.trim().is_empty() {
            continue;
        }
        let (role, stem) = if let Some(s) = SHARED_SUFFIXES.iter().find(|s| t.ends_with(*s)) {
            let r = if n.lead.is_empty() {
                KeyRole::Lead
            } else {
                KeyRole::Support
            };
            (r, &t[..t.len() - s.len()])
        } else if let Some(s) = SUPPORT_WORDS.iter().find(|s| t.ends_with(*s)) {
            (KeyRole::Support, &t[..t.len() - s.len()])
        } else if let Some(s) = LEAD_SUFFIXES.iter().find(|s| t.ends_with(*s)) {
            (KeyRole::Lead, &t[..t.len() - s.len()])
        } else {
            return None;
        };
        let lead_ws = stem.len() - stem.trim_start().len();
        let stem = stem.trim_start();
        let (stem, skip) = match stem.strip_prefix('由') {
            Some(r) => (r, '由'.len_utf8()),
            None => (stem, 0),
        };
        let list = shared_suffix(
            names(stem, base + off + lead_ws + skip),
            stem,
            base + off + lead_ws + skip,
        );
        if list.is_empty() || !list.iter().all(|m| is_unit_name(&m.name)) {
            return None;
        }
        match role {
            KeyRole::Lead => n.lead.extend(list),
            _ => n.support.extend(list),
        }
    }
    (!(n.lead.is_empty() && n.support.is_empty())).then_some(n)
}

/// `临汾、侯马、洪洞经济开发区管委会`: places that share the unit word of the last name are one
/// name, as written.
fn shared_suffix(list: Vec<Mention>, text: &str, base: usize) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::with_capacity(list.len());
    let mut pending: Option<usize> = None;
    for m in list {
        let bare = !is_unit_name(&m.name) && m.name.chars().count() <= 6;
        match (bare, pending) {
            (true, None) => pending = Some(m.range.start),
            (true, Some(_)) => {}
            (false, Some(start)) => {
                let range = start..m.range.end;
                out.push(Mention {
                    name: text[range.start - base..range.end - base].to_string(),
                    range,
                });
                pending = None;
            }
            (false, None) => out.push(m),
        }
    }
    if let Some(start) = pending {
        // Bare names at the end: kept as they are, so the list is refused as no units.
        out.push(Mention {
            name: text[start - base..].to_string(),
            range: start..base + text.len(),
        });
    }
    out
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

/// A bracket that says something about a list rather than naming a unit: `（列第一位者为牵头
/// 单位，下同）`, `（排名第一的为牵头单位）`.
fn is_list_note(bracket: &str) -> bool {
    [
        "下同",
        "第一位",
        "排名第一",
        "列第一",
        "排在第一",
        "为牵头",
        "为主责",
    ]
    .iter()
    .any(|w| bracket.contains(w))
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
    let mut parts = split_top(list, separators);
    // `各县、区人民政府`: 各县 and 区 share the words after them — one name.
    let mut k = 0;
    while k + 1 < parts.len() {
        let (a, a_off) = parts[k];
        let (b, b_off) = parts[k + 1];
        let short = |s: &str| {
            let t = s.trim();
            t.starts_with('各')
                && t.chars().count() == 2
                && t.ends_with(['县', '区', '市', '乡', '镇'])
        };
        if short(a) && b.trim_start().starts_with(['县', '区', '市', '乡', '镇']) {
            parts[k] = (&list[a_off..b_off + b.len()], a_off);
            parts.remove(k + 1);
        }
        k += 1;
    }
    parts
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
            // `市税务局（列第一位者为牵头单位，下同）`: a note on the list, not part of the name.
            if let Some(open) = name.rfind(['（', '('])
                && name.ends_with(['）', ')'])
                && is_list_note(&name[open..])
            {
                name = name[..open].trim_end();
            }
            // A single character is no name (a cell cut short: `…示范区、高`).
            (name.chars().count() >= 2).then(|| Mention {
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
    fn roles_written_as_host_and_helpers() {
        // 主办 leads, 协办 takes part; 分别负责 makes each one named lead.
        let n = parse_trailing("增长13%左右。(示例省财政厅主办,示例省税务局、统计局协办)").unwrap();
        assert_eq!(names_of(&n.lead), ["示例省财政厅"]);
        assert_eq!(names_of(&n.support), ["示例省税务局", "统计局"]);
        let n = parse_trailing("推进改革。（区甲局、区乙局分别负责）").unwrap();
        assert_eq!(names_of(&n.lead), ["区甲局", "区乙局"]);
    }

    #[test]
    fn a_note_on_the_list_is_no_part_of_a_name() {
        let n = parse_inner("责任单位：市甲局、市乙局(列第一位者为工作牵头单位,下同)", 0).unwrap();
        assert_eq!(names_of(&n.lead), ["市甲局", "市乙局"]);
        // A bracket that is part of the name stays.
        let n = parse_inner(
            "责任单位：区安委会各专委会（办）牵头部门、应急管理局（安委办）",
            0,
        )
        .unwrap();
        assert_eq!(
            names_of(&n.lead),
            ["区安委会各专委会（办）牵头部门", "应急管理局（安委办）"]
        );
    }

    #[test]
    fn units_named_by_their_heads() {
        // `责任单位及责任人`: the units answer, each named by its head.
        let n = parse_inner("责任单位及责任人：示例县政府主要领导、市财政局", 0).unwrap();
        assert_eq!(names_of(&n.lead), ["示例县政府", "市财政局"]);
        assert!(n.persons.is_empty());
        // The range still points at the unit's name in the text.
        let t = "责任单位：示例区政府主要负责人";
        let n = parse_inner(t, 0).unwrap();
        assert_eq!(&t[n.lead[0].range.clone()], "示例区政府");
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
    fn roles_inside_one_bracket_of_any_shape() {
        let t = "制定清单。〔市某某局牵头，市甲局、乙局、丙局参与，各县（区）人民政府负责落实〕";
        let n = parse_trailing(t).unwrap();
        assert_eq!(names_of(&n.lead), ["市某某局", "各县（区）人民政府"]);
        assert_eq!(names_of(&n.support), ["市甲局", "乙局", "丙局"]);
        for m in n.lead.iter().chain(&n.support) {
            assert_eq!(&t[m.range.clone()], m.name);
        }
        let n = parse_trailing("组建支队。(市某某支队负责)").unwrap();
        assert_eq!(names_of(&n.lead), ["市某某支队"]);
        let n = parse_trailing("学习。（机关党委牵头，各科室、直属单位按职责分工负责）").unwrap();
        assert_eq!(names_of(&n.lead), ["机关党委"]);
        assert_eq!(names_of(&n.support), ["各科室", "直属单位"]);
        let n = parse_trailing("武装。（责任科室：组干科、机关党委）").unwrap();
        assert_eq!(names_of(&n.lead), ["组干科", "机关党委"]);
        let n = parse_trailing("整治。（区应急局、区公安分局）").unwrap();
        assert_eq!(names_of(&n.lead), ["区应急局", "区公安分局"]);
    }

    #[test]
    fn a_unit_named_once_for_every_task_after() {
        let t = "遏制。(市甲委牵头，各乡镇(园区)负责落实。以下均需各乡镇(园区)负责落实,不再列出)";
        assert_eq!(carried_over(t), Some(vec!["各乡镇(园区)".to_string()]));
        assert_eq!(
            carried_over("以下各项工作均需各县、区人民政府(管委会)落实,不再列出"),
            Some(vec!["各县、区人民政府(管委会)".to_string()])
        );
        assert_eq!(carried_over("以下简称领导小组"), None);
    }

    #[test]
    fn a_heading_that_names_who_leads() {
        let n = heading_units("县示范区管委会牵头工作(8项)").unwrap();
        assert_eq!(names_of(&n.lead), ["县示范区管委会"]);
        assert_eq!(
            names_of(&heading_units("区应急局、区住建局负责的任务").unwrap().lead),
            ["区应急局", "区住建局"]
        );
        assert!(heading_units("强化牵头抓总作用").is_none());
        assert!(heading_units("加强组织领导").is_none());
    }

    #[test]
    fn places_sharing_their_words_are_one_name() {
        let n = parse_trailing("落实。〔市甲局牵头，各县、区人民政府（管委会）负责落实〕").unwrap();
        assert_eq!(names_of(&n.lead), ["市甲局", "各县、区人民政府（管委会）"]);
        assert_eq!(
            names_of(&cell_names("市甲局、各县、区政府、高")),
            ["市甲局", "各县、区政府"]
        );
    }

    #[test]
    fn brackets_that_look_like_notations_but_are_not_read_are_found() {
        let t = "推进。（由各级部门按照谁主管谁负责的原则抓好）（区某某局牵头，区乙局配合）";
        let unread = unread_brackets(t);
        assert_eq!(unread.len(), 1);
        assert_eq!(
            &t[unread[0].clone()],
            "（由各级部门按照谁主管谁负责的原则抓好）"
        );
        assert!(unread_brackets("落实《条例》（2017版）").is_empty());
    }

    #[test]
    fn several_brackets_after_one_task() {
        let t = "推进建设。（牵头单位：区某某局；配合单位：各街道）（张示同志牵头负责）";
        let n = parse_trailing(t).unwrap();
        assert_eq!(names_of(&n.lead), ["区某某局"]);
        assert_eq!(names_of(&n.support), ["各街道"]);
        assert_eq!(names_of(&n.persons), ["张示"]);
        assert_eq!(
            &t[n.start..],
            "（牵头单位：区某某局；配合单位：各街道）（张示同志牵头负责）"
        );
        // One combined bracket keeps the person too.
        let n = parse_trailing("推进。（牵头单位：区某某局；责任领导：张示）").unwrap();
        assert_eq!(names_of(&n.persons), ["张示"]);
        let n =
            parse_trailing("目标。（分管省领导：张示；部门分工：省某某委牵头，各地、各部门配合）")
                .unwrap();
        assert_eq!(names_of(&n.lead), ["省某某委"]);
        assert_eq!(names_of(&n.support), ["各地", "各部门"]);
        assert_eq!(names_of(&n.persons), ["张示"]);
    }

    #[test]
    fn ordinary_brackets_are_not_notations() {
        assert_eq!(parse_trailing("建设（示范区）"), None);
        assert_eq!(parse_trailing("完成（2024年底前完成）"), None);
        assert_eq!(
            parse_trailing("整治〔以下各项工作均需各县落实，不再列出〕"),
            None
        );
        let n =
            parse_trailing("增收。(牵头部门:州某某局;责任单位:州甲小组各成员单位,10县市人民政府)")
                .unwrap();
        assert_eq!(names_of(&n.lead), ["州某某局"]);
        assert_eq!(
            names_of(&n.support),
            ["州甲小组各成员单位", "10县市人民政府"]
        );
        // A second sentence in the bracket says more, not who.
        let n = parse_trailing(
            "控制总量。[市甲局牵头，市乙委配合，各县（市）区政府负责落实。以下均需各县落实，不再列出)]",
        );
        let n = n.unwrap();
        assert_eq!(names_of(&n.lead), ["市甲局", "各县（市）区政府"]);
        let t = "加强监管。(市甲局牵头，市乙委配合，临汾、侯马、洪洞经济开发区管委会负责落实)";
        let n = parse_trailing(t).unwrap();
        assert_eq!(
            names_of(&n.lead),
            ["市甲局", "临汾、侯马、洪洞经济开发区管委会"]
        );
        for m in n.lead.iter().chain(&n.support) {
            assert_eq!(&t[m.range.clone()], m.name);
        }
        assert_eq!(parse_trailing("落实《条例》（2017版）"), None);
        assert_eq!(parse_trailing("压减事故总量（减量防大）"), None);
        assert_eq!(parse_trailing("没有括号"), None);
    }
}
