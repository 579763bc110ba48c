//! Slugs: the ASCII names that become folders and URLs of the site (districts, units, persons,
//! indicators, plan files, `--district`). Every slug from any source is checked here, so none can
//! climb out of the output (`../`), break an attribute (`"`), or take a folder the site writes.
//! And the pinyin of Chinese names, which slugs are made of ([`from_name`], [`region_slug`]) and
//! names are sorted and filed A–Z by ([`pinyin_key`], [`filing_key`]).

/// The folders and files at the top of a built site. A district slug is a top-level folder, so
/// it must not be one of these; other slugs live under their own folder but are refused too, so
/// that one list serves every kind.
pub const RESERVED: &[&str] = &[
    "districts",
    "years",
    "units",
    "persons",
    "indicators",
    "data",
    "static",
    "search",
    "compare",
    "regions",
    "sources",
    "page",
    "feed.xml",
    "sitemap.xml",
    "sitemap",
    "index.html",
    "404.html",
    "robots.txt",
    "favicon.ico",
];

/// At most this many bytes: a slug is one path segment, and file systems limit those.
pub const MAX_LEN: usize = 64;

/// Why a text is not a slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Empty,
    TooLong,
    /// Anything but a–z, 0–9 and `-`, or a `-` at either end.
    Characters,
    /// A name the site itself uses at its top.
    Reserved,
}

/// Checks a slug: lower-case ASCII letters, digits and inner hyphens, not reserved.
pub fn check(s: &str) -> Result<(), Problem> {
    if s.is_empty() {
        return Err(Problem::Empty);
    }
    if s.len() > MAX_LEN {
        return Err(Problem::TooLong);
    }
    let ok = s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !ok || s.starts_with('-') || s.ends_with('-') {
        return Err(Problem::Characters);
    }
    if RESERVED.contains(&s) {
        return Err(Problem::Reserved);
    }
    Ok(())
}

pub fn is_slug(s: &str) -> bool {
    check(s).is_ok()
}

/// `base`, or `base-2`, `base-3` … the first that `taken` does not hold.
pub fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut candidate = base.to_string();
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// A readable ASCII slug for a Chinese name from its pinyin (区应急局 → `qu-ying-ji-ju`), or its
/// ASCII letters and digits; `fallback` when it has neither.
pub fn pinyin_slug(name: &str, fallback: &str) -> String {
    use pinyin::ToPinyin;
    let mut parts: Vec<String> = Vec::new();
    let mut ascii = String::new();
    let flush = |ascii: &mut String, parts: &mut Vec<String>| {
        if !ascii.is_empty() {
            parts.push(std::mem::take(ascii));
        }
    };
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        match p {
            Some(p) => {
                flush(&mut ascii, &mut parts);
                parts.push(p.plain().to_string());
            }
            None if c.is_ascii_alphanumeric() => ascii.push(c.to_ascii_lowercase()),
            None => flush(&mut ascii, &mut parts),
        }
    }
    flush(&mut ascii, &mut parts);
    let mut slug = String::new();
    for p in parts {
        if slug.len() + p.len() + 1 > MAX_LEN {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&p);
    }
    if is_slug(&slug) {
        slug
    } else {
        fallback.to_string()
    }
}

/// The slug of a new entity named `name`: its pinyin ([`pinyin_slug`], `fallback` when it has
/// none), made unique ([`unique`]) against the slugs `taken` holds.
pub fn from_name(name: &str, fallback: &str, taken: impl Fn(&str) -> bool) -> String {
    unique(&pinyin_slug(name, fallback), taken)
}

/// The toneless pinyin of a text, a space after each syllable, for sorting Chinese names as
/// readers expect: syllable by syllable, so 胡冬吉 (hu dong ji) comes before 花梅 (hua mei).
pub fn pinyin_key(text: &str) -> String {
    use pinyin::ToPinyin;
    let mut key = String::new();
    for (i, (c, p)) in text.chars().zip(text.to_pinyin()).enumerate() {
        if i > 0 && p.is_some() {
            key.push(' ');
        }
        // The commonest reading is wrong for these at the start of a place name (长兴, 重庆, 厦门).
        let place = match c {
            '长' => Some("chang"),
            '重' => Some("chong"),
            '厦' => Some("xia"),
            _ => None,
        };
        match (i, place, p) {
            (0, Some(r), _) => key.push_str(r),
            (_, _, Some(p)) => key.push_str(p.plain()),
            (_, _, None) => key.extend(c.to_lowercase()),
        }
    }
    key
}

/// Where a name is filed in an A–Z list: the pinyin of the name without a leading 区, 县, 市 or
/// 各 — nearly every district unit starts with 区, which would put them all under Q — so
/// 区应急局 is filed under Y as “ying ji ju”. Names with no pinyin go under `#`.
pub fn filing_key(name: &str) -> (char, String) {
    let core = name
        .strip_prefix(['区', '县', '市', '各'])
        .filter(|r| !r.is_empty())
        .unwrap_or(name);
    let key = pinyin_key(core);
    let letter = key
        .chars()
        .next()
        .filter(char::is_ascii_alphabetic)
        .map_or('#', |c| c.to_ascii_uppercase());
    (letter, key)
}

/// 上海市 → `shanghaishi`: the toneless pinyin, letters and digits only.
pub fn region_slug(name: &str) -> String {
    let slug: String = pinyin_key(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if slug.is_empty() {
        "region".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_pinyin() {
        assert_eq!(pinyin_slug("区应急局", "u"), "qu-ying-ji-ju");
        assert_eq!(pinyin_slug("各乡镇", "u"), "ge-xiang-zhen");
        assert_eq!(pinyin_slug("110指挥中心", "u"), "110-zhi-hui-zhong-xin");
        assert_eq!(pinyin_slug("（）", "unit-3"), "unit-3");
        assert!(pinyin_slug(&"很长的名字".repeat(20), "u").len() <= MAX_LEN);
    }

    #[test]
    fn slugs() {
        assert!(is_slug("jingan"));
        assert!(is_slug("nantong-kfq"));
        assert!(is_slug("2016-2020"));
        for bad in [
            "",
            "../x",
            "a/b",
            "Pu_Dong",
            "x\" onmouseover=\"a",
            "-a",
            "a-",
            "静安",
            "a\nb",
        ] {
            assert!(!is_slug(bad), "{bad:?}");
        }
        assert_eq!(check("data"), Err(Problem::Reserved));
        assert_eq!(check("search"), Err(Problem::Reserved));
        assert_eq!(check(&"a".repeat(65)), Err(Problem::TooLong));
        assert_eq!(unique("a", |s| s == "a" || s == "a-2"), "a-3");
        assert_eq!(
            from_name("区应急局", "u", |s| s == "qu-ying-ji-ju"),
            "qu-ying-ji-ju-2"
        );
    }

    #[test]
    fn region_slugs_are_pinyin() {
        assert_eq!(region_slug("上海市"), "shanghaishi");
        assert_eq!(region_slug("（）"), "region");
    }

    #[test]
    fn units_are_filed_without_their_district_prefix() {
        assert_eq!(filing_key("区应急局"), ('Y', "ying ji ju".into()));
        assert_eq!(filing_key("各乡镇").0, 'X');
        assert_eq!(filing_key("崇明海事局").0, 'C');
        assert_eq!(filing_key("长兴企业集团").0, 'C');
        assert_eq!(filing_key("区").0, 'Q');
        assert_eq!(filing_key("110指挥中心").0, '#');
    }
}
