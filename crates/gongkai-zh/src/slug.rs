//! Slugs: the ASCII names that become folders and URLs of the site (districts, units, persons,
//! indicators, plan files, `--district`). Every slug from any source is checked here, so none can
//! climb out of the output (`../`), break an attribute (`"`), or take a folder the site writes.

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
    }
}
