//! Dates and the names of organisations as a document's lines write them: what laying out its
//! lines ([`crate::layout`]) and telling its parts apart ([`crate::meta`]) both look for. A
//! module of its own so that both depend on it, not on each other.

/// Year, month and (when given) day.
pub type Ymd = (u16, u8, Option<u8>);

/// A date in `2017年2月27日`, `二○一七年二月二十七日` or `2018-01-22` form, as
/// (year, month, day), with the byte range it takes in `s`.
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

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '〇' | '○' | '零' | 'О' | 'Ｏ' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// A number of one or two places in Arabic or Chinese (二十七, 十二, 27).
fn small_number(chars: &[(usize, char)], mut i: usize) -> Option<(u32, usize)> {
    let start = i;
    if chars.get(i)?.1.is_ascii_digit() {
        let mut n = 0;
        while let Some(d) = chars.get(i).and_then(|c| c.1.to_digit(10)) {
            n = n * 10 + d;
            i += 1;
        }
        return (i - start <= 2).then_some((n, i));
    }
    let mut n = 0;
    let mut tens = false;
    while let Some(&(_, c)) = chars.get(i) {
        if c == '十' {
            n = if n == 0 { 10 } else { n * 10 };
            tens = true;
        } else if let Some(d) = digit(c).filter(|_| !c.is_ascii_digit()) {
            n = if tens { n + d } else { n * 10 + d };
        } else {
            break;
        }
        i += 1;
    }
    (i > start && n > 0).then_some((n, i))
}

fn date_at(chars: &[(usize, char)], start: usize) -> Option<(Ymd, usize)> {
    let ascii = chars[start].1.is_ascii_digit();
    let mut year = 0u32;
    for k in 0..4 {
        let c = chars.get(start + k)?.1;
        if c.is_ascii_digit() != ascii {
            return None;
        }
        year = year * 10 + digit(c)?;
    }
    let mut i = start + 4;
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
    if sep != '年' {
        return None;
    }
    i += 1;
    let (m, j) = small_number(chars, i)?;
    if chars.get(j)?.1 != '月' {
        return None;
    }
    i = j + 1;
    if let Some((d, k)) = small_number(chars, i)
        && chars.get(k).is_some_and(|c| c.1 == '日')
    {
        return valid(year, m, Some(d)).map(|ymd| (ymd, k + 1));
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
        ]
        .iter()
        .any(|e| s.ends_with(e))
}
