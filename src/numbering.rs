//! Numbering markers of Chinese official documents (GB/T 9704-2012): 一、 / （一） / 1. / （1）.
//! Shared by the body parser and the importer, so both read numbering the same way.

/// The kinds of marker, in the order of the heading levels they stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Style {
    /// 一、 — first level, h2.
    ChineseComma,
    /// （一） or (一) — second level, h3.
    ChineseParen,
    /// 1. 1． 1、 1 、 — third level, h4.
    Arabic,
    /// （1） or (1) — fourth level, h5.
    ArabicParen,
}

impl Style {
    /// The HTML heading level GB/T 9704 gives this numbering.
    pub fn heading_level(self) -> u8 {
        match self {
            Style::ChineseComma => 2,
            Style::ChineseParen => 3,
            Style::Arabic => 4,
            Style::ArabicParen => 5,
        }
    }
}

/// A marker found at the start of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub style: Style,
    pub number: u32,
    /// The marker as written, e.g. `（十二）` or `1 、`.
    pub label: String,
    /// Byte length of the marker (and the spaces after it) in the text.
    pub len: usize,
}

/// Value of a Chinese numeral from 一 to 九十九 (also 〇/零 in dates is not needed here).
pub fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c).filter(|d| *d > 0),
        ['十', u] => digit(*u).filter(|d| *d > 0).map(|d| 10 + d),
        [t, '十'] => digit(*t).filter(|d| *d > 1).map(|d| d * 10),
        [t, '十', u] => Some(digit(*t).filter(|d| *d > 1)? * 10 + digit(*u).filter(|d| *d > 0)?),
        _ => None,
    }
}

const CN_DIGITS: &str = "一二三四五六七八九十";

/// Recognises a numbering marker at the start of `text` (after leading spaces).
pub fn parse_marker(text: &str) -> Option<Marker> {
    let trimmed = text.trim_start();
    let lead = text.len() - trimmed.len();
    let (style, number, body_len) = marker_core(trimmed)?;
    let label = trimmed[..body_len].trim_end().to_string();
    let after = &trimmed[body_len..];
    let spaces = after.len() - after.trim_start().len();
    Some(Marker {
        style,
        number,
        label,
        len: lead + body_len + spaces,
    })
}

fn marker_core(t: &str) -> Option<(Style, u32, usize)> {
    let first = t.chars().next()?;
    if first == '（' || first == '(' {
        let inner_start = first.len_utf8();
        let close = t[inner_start..].find(['）', ')'])? + inner_start;
        let inner = t[inner_start..close].trim();
        let close_len = t[close..].chars().next()?.len_utf8();
        if let Some(n) = chinese_number(inner) {
            return Some((Style::ChineseParen, n, close + close_len));
        }
        if !inner.is_empty() && inner.len() <= 3 && inner.bytes().all(|b| b.is_ascii_digit()) {
            return Some((Style::ArabicParen, inner.parse().ok()?, close + close_len));
        }
        return None;
    }
    if CN_DIGITS.contains(first) {
        let end = t.find(|c: char| !CN_DIGITS.contains(c))?;
        let n = chinese_number(&t[..end])?;
        return t[end..].starts_with('、').then_some((
            Style::ChineseComma,
            n,
            end + '、'.len_utf8(),
        ));
    }
    if first.is_ascii_digit() {
        let end = t.find(|c: char| !c.is_ascii_digit())?;
        if end > 3 {
            return None;
        }
        let n: u32 = t[..end].parse().ok()?;
        let rest = &t[end..];
        let spaced = rest.trim_start_matches(' ');
        let gap = rest.len() - spaced.len();
        let sep = spaced.chars().next()?;
        // `1.5` is a number, not a marker; a year such as `2017年` has no separator at all.
        let next_is_digit = spaced[sep.len_utf8()..].starts_with(|c: char| c.is_ascii_digit());
        if matches!(sep, '.' | '．' | '、') && !next_is_digit && (gap == 0 || sep == '、') {
            return Some((Style::Arabic, n, end + gap + sep.len_utf8()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number("一"), Some(1));
        assert_eq!(chinese_number("十"), Some(10));
        assert_eq!(chinese_number("十一"), Some(11));
        assert_eq!(chinese_number("二十"), Some(20));
        assert_eq!(chinese_number("二十五"), Some(25));
        assert_eq!(chinese_number("一十"), None);
        assert_eq!(chinese_number("十〇"), None);
        assert_eq!(chinese_number("安全"), None);
    }

    #[test]
    fn markers_in_the_seed_forms() {
        let m = parse_marker("一、完善责任体系").unwrap();
        assert_eq!(
            (m.style, m.number, m.label.as_str()),
            (Style::ChineseComma, 1, "一、")
        );
        let m = parse_marker("（十二）加强").unwrap();
        assert_eq!((m.style, m.number), (Style::ChineseParen, 12));
        assert_eq!(&"（十二）加强"[m.len..], "加强");
        let m = parse_marker("(二十一)推进").unwrap();
        assert_eq!((m.style, m.number), (Style::ChineseParen, 21));
        let m = parse_marker("1 、严格落实").unwrap();
        assert_eq!(
            (m.style, m.number, m.label.as_str()),
            (Style::Arabic, 1, "1 、")
        );
        let m = parse_marker("46.建立事故复盘").unwrap();
        assert_eq!((m.style, m.number), (Style::Arabic, 46));
        let m = parse_marker("（3）开展").unwrap();
        assert_eq!((m.style, m.number), (Style::ArabicParen, 3));
    }

    #[test]
    fn non_markers() {
        assert_eq!(parse_marker("2017年是全面实施"), None);
        assert_eq!(parse_marker("1.5倍"), None);
        assert_eq!(parse_marker("（责任单位：区应急局）"), None);
        assert_eq!(parse_marker("一法一条例"), None);
        assert_eq!(parse_marker("12345、"), None);
    }
}
