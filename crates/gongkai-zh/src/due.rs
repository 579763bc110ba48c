//! Due dates (完成时限) in the words plans use: found in a task's text (`（完成时限：2024年6月底前）`,
//! `2025年6月底前完成`, `年内完成`, `（长期坚持）`) and read as the last day they allow, given the
//! plan's year. Only phrases that name a deadline are taken: a date must be followed by 前 (before)
//! or 完成, a standing task must say 长期坚持 on its own, so that 一年内 or 持续推进… in a sentence is no
//! due date.

use std::sync::LazyLock;

use regex::Regex;

use gongkai_model::date::days_in_month;
use gongkai_model::{Date, Period};

/// A labelled time limit: 完成时限：X, 时间节点：X …, up to the end of its clause.
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:完成时限|完成时间|完成期限|时间节点|时限要求|时限)\s*[：:]\s*([^）)；;。，,\n]+)",
    )
    .expect("regex")
});

/// Unlabelled deadlines in running text.
static PHRASES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*(?:\d{1,2}\s*日|底|末|上旬|中旬|下旬)?\s*(?:之前|以前|前)",
        r"|\d{4}\s*年\s*(?:底|末)\s*(?:之前|以前|前)",
        r"|(?:\d{4}\s*年\s*)?年\s*(?:底|末)\s*(?:之前|以前|前)",
        r"|(?:\d{4}\s*年\s*)?(?:上半年|下半年|第?[一二三四]季度(?:末|底)?)\s*(?:之前|以前|前|完成)",
        r"|(?:\d{4}\s*年\s*)?年内(?:完成|[）)。；;，,]|$)",
        r"|长期坚持(?:[）)。；;，,]|$)",
    ))
    .expect("regex")
});

static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?")
        .expect("regex")
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d{4})\s*年").expect("regex"));
static MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|(上旬|中旬|下旬|底|末))?").expect("regex")
});

/// The due-date phrase of a task's text, as written: a labelled one, else the unlabelled
/// deadline that falls last (a task is done when all its steps are).
pub fn find(text: &str, period: Option<Period>) -> Option<String> {
    if let Some(c) = LABELLED.captures(text) {
        let v = c.get(1)?.as_str().trim();
        if !v.is_empty() {
            return Some(v.to_string());
        }
    }
    let mut best: Option<(Option<Date>, &str)> = None;
    for m in PHRASES.find_iter(text) {
        // 一年内, 两年内, 半年内 are spans of time, not deadlines.
        if m.as_str().starts_with("年内")
            && text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(|c| "一二两三四五六七八九十半数几个".contains(c))
        {
            continue;
        }
        let phrase = m
            .as_str()
            .trim_end_matches(['）', ')', '。', '；', ';', '，', ','])
            .trim();
        let date = period.and_then(|p| resolve(phrase, p).0);
        match &best {
            Some((d, _)) if d.is_some() && (date.is_none() || date < *d) => {}
            _ => best = Some((date, phrase)),
        }
    }
    best.map(|(_, p)| p.to_string())
}

/// What a due phrase means: (the last day it allows, whether the task is a standing one). A
/// phrase without a year takes the plan's year when the plan is of one year, and means no date in
/// a plan of several.
pub fn resolve(text: &str, period: Period) -> (Option<Date>, bool) {
    let t = text.trim();
    if t.contains("长期") || t.contains("持续") || t.contains("常态") || t.contains("经常性")
    {
        return (None, true);
    }
    let fmt = Date::new;
    if let Some(c) = FULL_DATE.captures(t) {
        let n = |i| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        if let (Some(y), Some(m), Some(d)) = (n(1), n(2), n(3)) {
            return (fmt(y, m, d), false);
        }
    }
    let year = YEAR
        .captures(t)
        .and_then(|c| c.get(1))
        .and_then(|m| m.as_str().parse::<u32>().ok())
        .or_else(|| (period.start == period.end).then_some(u32::from(period.start)));
    let Some(y) = year else {
        return (None, false);
    };
    if let Some(c) = MONTH.captures(t) {
        let Some(m) = c.get(1).and_then(|m| m.as_str().parse::<u32>().ok()) else {
            return (None, false);
        };
        if !(1..=12).contains(&m) {
            return (None, false);
        }
        let d = match (c.get(2), c.get(3).map(|x| x.as_str())) {
            (Some(d), _) => d.as_str().parse().unwrap_or(0),
            (None, Some("上旬")) => 10,
            (None, Some("中旬")) => 20,
            _ => days_in_month(y, m),
        };
        return (fmt(y, m, d), false);
    }
    let quarter = ["一季度", "二季度", "三季度", "四季度"]
        .iter()
        .position(|q| t.contains(q));
    let (m, d) = if t.contains("上半年") {
        (6, 30)
    } else if let Some(q) = quarter {
        let m = (q as u32 + 1) * 3;
        (m, days_in_month(y, m))
    } else if ["年底", "年末", "年内", "下半年"]
        .iter()
        .any(|w| t.contains(w))
        || YEAR.is_match(t)
    {
        (12, 31)
    } else {
        // 3个工作日, 立即: no day of the calendar.
        return (None, false);
    };
    (fmt(y, m, d), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(y: u16) -> Period {
        Period { start: y, end: y }
    }

    #[test]
    fn deadlines_are_found_in_task_text() {
        let p = Some(year(2024));
        assert_eq!(
            find(
                "开展专项整治。（完成时限：2024年6月底前；责任单位：区应急局）",
                p
            )
            .as_deref(),
            Some("2024年6月底前")
        );
        assert_eq!(
            find("2025年6月底前完成全部改造。", p).as_deref(),
            Some("2025年6月底前")
        );
        assert_eq!(
            find("建成平台，年内完成验收。", p).as_deref(),
            Some("年内完成")
        );
        assert_eq!(
            find("落实责任制（长期坚持）。", p).as_deref(),
            Some("长期坚持")
        );
        assert_eq!(
            find("9月底前完成排查，12月底前完成整改。", p).as_deref(),
            Some("12月底前")
        );
        // Spans of time and verbs are no deadlines.
        assert_eq!(find("事故结案后一年内，组织开展评估。", p), None);
        assert_eq!(find("长期坚持不懈地开展宣传。", p), None);
        assert_eq!(find("持续推进隐患排查。", p), None);
        assert_eq!(find("2024年工作要点。", p), None);
    }

    #[test]
    fn phrases_mean_the_last_day_they_allow() {
        let y = year(2024);
        let d = |t: &str| resolve(t, y).0.map(|d| d.to_string());
        assert_eq!(d("2024年6月底前").as_deref(), Some("2024-06-30"));
        assert_eq!(d("6月底前").as_deref(), Some("2024-06-30"));
        assert_eq!(d("2月底前").as_deref(), Some("2024-02-29"));
        assert_eq!(d("2025年底前").as_deref(), Some("2025-12-31"));
        assert_eq!(d("年内完成").as_deref(), Some("2024-12-31"));
        assert_eq!(d("9月30日前").as_deref(), Some("2024-09-30"));
        assert_eq!(d("2024-10-15").as_deref(), Some("2024-10-15"));
        assert_eq!(d("上半年").as_deref(), Some("2024-06-30"));
        assert_eq!(d("三季度末前").as_deref(), Some("2024-09-30"));
        assert_eq!(d("10月中旬前").as_deref(), Some("2024-10-20"));
        assert_eq!(d("2024年2月30日前"), None);
        assert_eq!(d("3个工作日"), None);
        assert_eq!(resolve("长期坚持", y), (None, true));
        // Without a year, a five-year plan's phrase names no day.
        let five = Period {
            start: 2021,
            end: 2025,
        };
        assert_eq!(resolve("年底前", five).0, None);
        assert_eq!(
            resolve("2023年底前", five)
                .0
                .map(|d| d.to_string())
                .as_deref(),
            Some("2023-12-31")
        );
    }
}
