//! Dates and the names of organisations as a document's lines write them: what laying out its
//! lines ([`crate::layout`]) and telling its parts apart ([`crate::meta`]) both look for. A
//! module of its own so that both depend on it, not on each other.

/// Year, month and (when given) day.
pub type Ymd = (u16, u8, Option<u8>);

/// A date in `2017年2月27日`, `二○一七年二月二十七日` or `2018-01-22` form, as
/// (year, month, day), with the byte range it takes in `s`. A date in Chinese numerals may have
/// 〇 (U+3007), ○ (U+25CB) or what copies put for them (`二O一O年`, `二0一0年`), spaces between
/// its characters (`二〇一〇 年 三 月 五 日`), and 廿/卅 days; the numerals are
/// [`gongkai_zh::numbering`]'s.
pub fn find_date(s: &str) -> Option<(Ymd, std::ops::Range<usize>)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for start in 0..chars.len() {
        if let Some((ymd, end)) = date_at(&chars, start) {
            let end_byte = chars.get(end).map_or(s.len(), |c| c.0);
            return Some((ymd, chars[start].0..end_byte));
        }
    }
    None
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// The first character at or after `i` that is not a space.
fn skip_spaces(chars: &[(usize, char)], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| is_space(c.1)) {
        i += 1;
    }
    i
}

/// A month or day at `i`, in Arabic (one or two places) or Chinese numerals (二十七, 十二,
/// 廿五), and where it ends.
fn small_number(chars: &[(usize, char)], i: usize) -> Option<(u32, usize)> {
    let start = i;
    if chars.get(i)?.1.is_ascii_digit() {
        let mut n = 0;
        let mut i = i;
        while let Some(d) = chars.get(i).and_then(|c| c.1.to_digit(10)) {
            n = n * 10 + d;
            i += 1;
        }
        return (i - start <= 2).then_some((n, i));
    }
    let end = start
        + chars[start..]
            .iter()
            .take_while(|c| "〇○零一二三四五六七八九十廿卅".contains(c.1))
            .count();
    let text: String = chars[start..end].iter().map(|c| c.1).collect();
    gongkai_zh::numbering::date_number(&text).map(|n| (n, end))
}

/// A year of four digits at `start`: Arabic, or Chinese numerals (spaces between them allowed)
/// that start with a real numeral; and where it ends.
fn year_at(chars: &[(usize, char)], start: usize) -> Option<(u32, usize)> {
    let first = chars.get(start)?.1;
    if first.is_ascii_digit() {
        let digits = chars.get(start..start + 4)?;
        if !digits.iter().all(|c| c.1.is_ascii_digit())
            || chars.get(start + 4).is_some_and(|c| c.1.is_ascii_digit())
        {
            return None;
        }
        let year = digits
            .iter()
            .fold(0, |y, c| y * 10 + c.1.to_digit(10).unwrap_or(0));
        return Some((year, start + 4));
    }
    if !matches!(first, '一' | '二') {
        return None;
    }
    let mut year = 0;
    let mut i = start;
    for k in 0..4 {
        if k > 0 {
            i = skip_spaces(chars, i);
        }
        year = year * 10 + gongkai_zh::numbering::year_digit(chars.get(i)?.1)?;
        i += 1;
    }
    Some((year, i))
}

fn date_at(chars: &[(usize, char)], start: usize) -> Option<(Ymd, usize)> {
    let ascii = chars[start].1.is_ascii_digit();
    let (year, mut i) = year_at(chars, start)?;
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let sep = chars.get(i)?.1;
    if ascii && sep == '-' {
        let (m, j) = small_number(chars, i + 1)?;
        if chars.get(j)?.1 != '-' {
            return None;
        }
        let (d, k) = small_number(chars, j + 1)?;
        return valid(year, m, Some(d)).map(|ymd| (ymd, k));
    }
    i = skip_spaces(chars, i);
    if chars.get(i)?.1 != '年' {
        return None;
    }
    let (m, j) = small_number(chars, skip_spaces(chars, i + 1))?;
    let j = skip_spaces(chars, j);
    if chars.get(j)?.1 != '月' {
        return None;
    }
    i = j + 1;
    let at_day = skip_spaces(chars, i);
    if let Some((d, k)) = small_number(chars, at_day) {
        let k = skip_spaces(chars, k);
        if chars.get(k).is_some_and(|c| c.1 == '日') {
            return valid(year, m, Some(d)).map(|ymd| (ymd, k + 1));
        }
    }
    valid(year, m, None).map(|ymd| (ymd, i))
}

fn valid(y: u32, m: u32, d: Option<u32>) -> Option<Ymd> {
    let ok = (1..=12).contains(&m) && d.is_none_or(|d| (1..=31).contains(&d));
    ok.then(|| (y as u16, m as u8, d.map(|d| d as u8)))
}

pub fn iso((y, m, d): Ymd) -> Option<String> {
    d.map(|d| format!("{y:04}-{m:02}-{d:02}"))
}

/// A line naming an organisation: an issuer or the signature of a notice.
pub fn is_org(s: &str) -> bool {
    let n = s.chars().count();
    (4..=30).contains(&n)
        && !s.contains(['，', '。', '、', '：', ':', ',', ' '])
        && [
            "委员会",
            "办公室",
            "政府",
            "局",
            "委",
            "办",
            "中心",
            "支队",
            "大队",
            "指挥部",
            "管委会",
            "办公厅",
            "厅",
            "人民政府",
            "街道办事处",
            "办事处",
            "总队",
            "部",
            "工委",
            "党组",
            "分行",
            "法院",
            "检察院",
            "工会",
            "联合会",
            "工商联",
            "残联",
            "妇联",
            "科协",
        ]
        .iter()
        .any(|e| s.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<Ymd> {
        find_date(s).map(|(ymd, _)| ymd)
    }

    #[test]
    fn dates_in_chinese_numerals() {
        for (s, ymd) in [
            ("二〇一〇年三月五日", (2010, 3, Some(5))),
            ("二○一一年十二月三十一日", (2011, 12, Some(31))),
            ("二O一O年三月五日", (2010, 3, Some(5))),
            ("二o一o年三月五日", (2010, 3, Some(5))),
            ("二0一0年三月五日", (2010, 3, Some(5))),
            ("二〇一〇 年 三 月 五 日", (2010, 3, Some(5))),
            ("二 〇 一 〇 年三月二十日", (2010, 3, Some(20))),
            ("二〇二四年一月十五日", (2024, 1, Some(15))),
            ("二〇二四年一月廿五日", (2024, 1, Some(25))),
            ("二〇二四年十月卅一日", (2024, 10, Some(31))),
            ("2024 年 3 月 5 日", (2024, 3, Some(5))),
            (
                "示例区应急管理局　二〇一〇年三月五日印发",
                (2010, 3, Some(5)),
            ),
        ] {
            assert_eq!(d(s), Some(ymd), "{s}");
        }
        // Not real, but a date as written: `keep_real_dates` leaves it out with a note.
        assert_eq!(d("二〇二四年二月三十日"), Some((2024, 2, Some(30))));
        assert_eq!(iso((2024, 2, Some(30))).as_deref(), Some("2024-02-30"));
        // The range covers the spaces inside, so the rest of the line is what is left.
        let s = "示例区人民政府 二〇一〇 年 三 月 五 日";
        let (_, r) = find_date(s).unwrap();
        assert_eq!(&s[r], "二〇一〇 年 三 月 五 日");
        for s in [
            "O一O年",
            "二O一O",
            "二〇一〇年十三月",
            "一二三四五六",
            "2O1O年3月",
            "二〇一〇年",
            "确保2名以上",
            "12345年6月",
        ] {
            assert_eq!(d(s), None, "{s}");
        }
    }
}
