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
    /// （1）, (1), 1） or 1) — fourth level, h5.
    ArabicParen,
    /// ① ② … — fifth level, h6.
    Circled,
}

impl Style {
    /// The HTML heading level GB/T 9704 gives this numbering.
    pub fn heading_level(self) -> u8 {
        match self {
            Style::ChineseComma => 2,
            Style::ChineseParen => 3,
            Style::Arabic => 4,
            Style::ArabicParen => 5,
            Style::Circled => 6,
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

/// A digit of a year written in Chinese numerals (二〇二四): 一 to 九, 〇 (U+3007), ○ (U+25CB)
/// and 零, and what copies put for the zero — the letter O or o (ASCII, full-width, Cyrillic),
/// the digit 0, the circle ◯.
pub fn year_digit(c: char) -> Option<u32> {
    match c {
        '〇' | '○' | '◯' | '零' | 'O' | 'o' | 'Ｏ' | 'ｏ' | 'О' | 'о' | '0' | '０' => {
            Some(0)
        }
        _ => "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32 + 1),
    }
}

/// The month or day of a date in Chinese numerals: 三, 十二, 二十, 三十一, the old 廿 (twenty)
/// and 卅 (thirty) forms — 廿五, 卅一 — and two digits written one by one (一〇, 〇五).
pub fn date_number(s: &str) -> Option<u32> {
    let mut chars = s.chars();
    let tens = match chars.next()? {
        '廿' => Some(20),
        '卅' => Some(30),
        _ => None,
    };
    if let Some(t) = tens {
        let rest = chars.as_str();
        return if rest.is_empty() {
            Some(t)
        } else {
            chinese_number(rest).filter(|u| *u < 10).map(|u| t + u)
        };
    }
    chinese_number(s).or_else(|| {
        let digits: Vec<u32> = s.chars().map(year_digit).collect::<Option<_>>()?;
        match digits.as_slice() {
            [t, u] => Some(t * 10 + u).filter(|n| *n > 0),
            _ => None,
        }
    })
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

/// The value of a digit, ASCII or full-width (`５`, as Word and PDF tools often write them).
fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// At most this many digits in a number that starts a task: `10000.` is a task number, a
/// longer run is a figure.
const MAX_DIGITS: usize = 5;

/// The leading number of `t` (ASCII or full-width digits) and its byte length.
fn leading_number(t: &str) -> Option<(u32, usize)> {
    let mut n: u32 = 0;
    let mut len = 0;
    let mut count = 0;
    for c in t.chars() {
        let Some(d) = digit_value(c) else { break };
        count += 1;
        if count > MAX_DIGITS {
            return None;
        }
        n = n * 10 + d;
        len += c.len_utf8();
    }
    (count > 0).then_some((n, len))
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
        return match leading_number(inner) {
            Some((n, len)) if len == inner.len() && inner.chars().count() <= 3 => {
                Some((Style::ArabicParen, n, close + close_len))
            }
            _ => None,
        };
    }
    if let Some(n) = circled_number(first) {
        return Some((Style::Circled, n, first.len_utf8()));
    }
    if CN_DIGITS.contains(first) {
        let end = t.find(|c: char| !CN_DIGITS.contains(c))?;
        let n = chinese_number(&t[..end])?;
        let sep = t[end..].chars().next()?;
        // 一、 as the standard writes it; 一. and 一． as hurried documents do.
        return matches!(sep, '、' | '.' | '．').then_some((
            Style::ChineseComma,
            n,
            end + sep.len_utf8(),
        ));
    }
    if digit_value(first).is_some() {
        let (n, end) = leading_number(t)?;
        let rest = &t[end..];
        let spaced = rest.trim_start_matches(' ');
        let gap = rest.len() - spaced.len();
        let sep = spaced.chars().next()?;
        // `1.5` is a number, not a marker; a year such as `2017年` has no separator at all.
        // `1.2009年底前` is item 1 starting with a year: no figure has four decimals and 年.
        let after_sep = &spaced[sep.len_utf8()..];
        let next_is_digit = after_sep.starts_with(|c: char| digit_value(c).is_some())
            && !starts_with_year(after_sep);
        let after = end + gap + sep.len_utf8();
        // `1 . 严格管控`: a copy that spaced out the number, its dot and the words.
        let spaced_dot = after_sep
            .trim_start()
            .starts_with(|c: char| ('\u{4e00}'..='\u{9fff}').contains(&c));
        return match sep {
            '.' | '．' | '、' if !next_is_digit && (gap == 0 || sep == '、' || spaced_dot) => {
                Some((Style::Arabic, n, after))
            }
            ')' | '）' if gap == 0 => Some((Style::ArabicParen, n, after)),
            _ => None,
        };
    }
    None
}

/// `2.50个小区新增充电设施` right after item 1.: the next item of an Arabic list whose text
/// starts with a figure, which [`parse_marker`] alone reads as the decimal 2.50.
pub fn next_before_figure(text: &str, style: Style, previous: u32) -> Option<Marker> {
    if style != Style::Arabic {
        return None;
    }
    let trimmed = text.trim_start();
    let lead = text.len() - trimmed.len();
    let (n, end) = leading_number(trimmed)?;
    let sep = trimmed[end..].chars().next()?;
    let after = &trimmed[end + sep.len_utf8()..];
    (n == previous + 1
        && matches!(sep, '.' | '．')
        && after.starts_with(|c: char| c.is_ascii_digit()))
    .then(|| Marker {
        style,
        number: n,
        label: trimmed[..end + sep.len_utf8()].to_string(),
        len: lead + end + sep.len_utf8(),
    })
}

/// `2009年`, `2010 年`: a year of four digits (1900–2099) and 年.
fn starts_with_year(s: &str) -> bool {
    let digits = s.chars().take_while(|c| c.is_ascii_digit()).count();
    digits == 4
        && (s.starts_with("19") || s.starts_with("20"))
        && s[4..].trim_start().starts_with('年')
}

/// ① … ⑳ (U+2460–2473) and ㉑ … ㊿.
fn circled_number(c: char) -> Option<u32> {
    match c as u32 {
        x @ 0x2460..=0x2473 => Some(x - 0x2460 + 1),
        x @ 0x3251..=0x325F => Some(x - 0x3251 + 21),
        x @ 0x32B1..=0x32BF => Some(x - 0x32B1 + 36),
        _ => None,
    }
}

/// Whether `text` starts like a numbered item that [`parse_marker`] does not take: a number or
/// numeral followed closely by punctuation (`1,`, `一，`, `第一条`…). Such a paragraph is
/// reported, since a task the parser does not see vanishes from unit pages and data.
pub fn looks_numbered(text: &str) -> bool {
    let t = text.trim_start();
    if parse_marker(t).is_some() {
        return false;
    }
    let mut chars = t.chars().peekable();
    let mut numerals = 0;
    if t.starts_with('第') {
        chars.next();
    }
    while let Some(&c) = chars.peek() {
        if digit_value(c).is_some() || CN_DIGITS.contains(c) {
            numerals += 1;
            chars.next();
        } else {
            break;
        }
    }
    // Up to nine: `123456.` is past what a task number may be, but a reader would still take
    // it for one, so it is reported rather than left a paragraph in silence.
    if numerals == 0 || numerals > 9 {
        return false;
    }
    let rest: String = chars.take(2).collect();
    let next = rest.trim_start().chars().next();
    t.starts_with('第') && matches!(next, Some('条' | '项' | '点'))
        || matches!(
            next,
            Some(',' | '，' | ':' | '：' | ';' | '；' | '．' | '.' | '、' | ')' | '）')
        )
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
    fn date_numbers() {
        for (s, n) in [
            ("三", 3),
            ("十二", 12),
            ("二十", 20),
            ("三十一", 31),
            ("十五", 15),
            ("廿", 20),
            ("廿五", 25),
            ("卅", 30),
            ("卅一", 31),
            ("一〇", 10),
            ("〇五", 5),
        ] {
            assert_eq!(date_number(s), Some(n), "{s}");
        }
        for s in ["", "〇", "廿十", "卅十一", "安", "一二三"] {
            assert_eq!(date_number(s), None, "{s}");
        }
        assert_eq!(year_digit('〇'), Some(0));
        assert_eq!(year_digit('○'), Some(0));
        assert_eq!(year_digit('O'), Some(0));
        assert_eq!(year_digit('二'), Some(2));
        assert_eq!(year_digit('十'), None);
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
        assert_eq!(parse_marker("1.20095倍"), None);
        assert_eq!(parse_marker("1.2009亿元"), None);
        assert_eq!(parse_marker("（责任单位：区应急局）"), None);
        assert_eq!(parse_marker("一法一条例"), None);
        assert_eq!(parse_marker("123456、"), None);
    }

    #[test]
    fn the_next_item_before_a_figure() {
        let m = next_before_figure("2.50个小区新增充电设施", Style::Arabic, 1).unwrap();
        assert_eq!((m.number, m.label.as_str(), m.len), (2, "2.", 2));
        // Not the next number, or not in an Arabic list: a figure.
        assert!(next_before_figure("3.50个小区", Style::Arabic, 1).is_none());
        assert!(next_before_figure("2.50个小区", Style::ChineseParen, 1).is_none());
    }

    #[test]
    fn an_item_that_starts_with_a_year() {
        let m = parse_marker("1.2009年底前，完成示例中队建设").unwrap();
        assert_eq!(
            (m.style, m.number, m.label.as_str()),
            (Style::Arabic, 1, "1.")
        );
        assert_eq!(parse_marker("12.2010 年底前").map(|m| m.number), Some(12));
        assert_eq!(parse_marker("1 . 严格管控债务").map(|m| m.number), Some(1));
        assert_eq!(parse_marker("1 . 5倍"), None);
    }

    #[test]
    fn markers_real_documents_use_besides_the_seeds() {
        let m = parse_marker("３. 加强").unwrap();
        assert_eq!(
            (m.style, m.number, m.label.as_str()),
            (Style::Arabic, 3, "３.")
        );
        let m = parse_marker("５．开展").unwrap();
        assert_eq!((m.style, m.number), (Style::Arabic, 5));
        let m = parse_marker("１、落实").unwrap();
        assert_eq!((m.style, m.number), (Style::Arabic, 1));
        let m = parse_marker("1000.建立").unwrap();
        assert_eq!((m.style, m.number), (Style::Arabic, 1000));
        let m = parse_marker("12345、推进").unwrap();
        assert_eq!(m.number, 12345);
        let m = parse_marker("3. 加强").unwrap();
        assert_eq!(&"3. 加强"[m.len..], "加强");
        let m = parse_marker("2）开展").unwrap();
        assert_eq!((m.style, m.number), (Style::ArabicParen, 2));
        let m = parse_marker("（１２）开展").unwrap();
        assert_eq!((m.style, m.number), (Style::ArabicParen, 12));
        let m = parse_marker("③严格").unwrap();
        assert_eq!((m.style, m.number), (Style::Circled, 3));
        let m = parse_marker("二.加强").unwrap();
        assert_eq!((m.style, m.number), (Style::ChineseComma, 2));
    }

    #[test]
    fn near_misses_are_noticed() {
        for t in ["1,加强", "一，加强", "第一条 加强", "十二：开展"] {
            assert!(looks_numbered(t), "{t}");
        }
        for t in [
            "3.加强",
            "2017年",
            "一法一条例",
            "加强1,2",
            "100多家企业",
            "第一次",
        ] {
            assert!(!looks_numbered(t), "{t}");
        }
    }
}
