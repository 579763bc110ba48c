//! How alike two Chinese texts are, and which items of one list match which of another.
//!
//! Chinese has no spaces between words, so a text is taken as its character bigrams (安全 全生
//! 生产 …). Each bigram is weighted by how rare it is among the items being compared (an inverse
//! document frequency over both lists), so the words nearly every task of a safety plan shares
//! (安全生产, 加强, 落实) count for little and the words that say what the task is about count for
//! much. Two texts are as alike as the cosine of their weighted bigram vectors.

use rustc_hash::FxHashMap;

/// Items at least this alike are the same item, continued or changed. Tested in
/// `tests::threshold_separates_rewording_from_different_tasks` against a reworded task (above)
/// and tasks that only share boilerplate (below).
pub const THRESHOLD: f32 = 0.45;

/// The characters a text is compared on: letters, digits and ideographs. Punctuation, spaces and
/// brackets do not make two texts different.
pub fn normalize(text: &str) -> Vec<char> {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Sorted (bigram, count) pairs of a normalized text; a one-character text is its one
/// character.
fn grams(chars: &[char]) -> Vec<(u64, f32)> {
    let mut keys: Vec<u64> = if chars.len() < 2 {
        chars.iter().map(|&c| u64::from(c)).collect()
    } else {
        chars
            .windows(2)
            .map(|w| (u64::from(w[0]) << 32) | u64::from(w[1]))
            .collect()
    };
    keys.sort_unstable();
    let mut out: Vec<(u64, f32)> = Vec::with_capacity(keys.len());
    for k in keys {
        match out.last_mut() {
            Some((last, n)) if *last == k => *n += 1.0,
            _ => out.push((k, 1.0)),
        }
    }
    out
}

/// Weighted bigram vectors of two lists of texts, weighted over both lists together.
struct Vectors {
    from: Vec<Vec<(u64, f32)>>,
    to: Vec<Vec<(u64, f32)>>,
}

impl Vectors {
    fn new(from: &[&str], to: &[&str]) -> Vectors {
        let from: Vec<Vec<char>> = from.iter().map(|t| normalize(t)).collect();
        let to: Vec<Vec<char>> = to.iter().map(|t| normalize(t)).collect();
        Vectors::of_normalized(&from, &to)
    }

    fn of_normalized(from: &[Vec<char>], to: &[Vec<char>]) -> Vectors {
        let mut from: Vec<Vec<(u64, f32)>> = from.iter().map(|t| grams(t)).collect();
        let mut to: Vec<Vec<(u64, f32)>> = to.iter().map(|t| grams(t)).collect();
        let mut df: FxHashMap<u64, u32> = FxHashMap::default();
        for v in from.iter().chain(&to) {
            for (k, _) in v {
                *df.entry(*k).or_default() += 1;
            }
        }
        let n = (from.len() + to.len()) as f32;
        for v in from.iter_mut().chain(to.iter_mut()) {
            let mut norm = 0.0f32;
            for (k, w) in v.iter_mut() {
                let idf = (1.0 + n / df.get(k).copied().unwrap_or(1) as f32).ln();
                *w *= idf;
                norm += *w * *w;
            }
            let norm = norm.sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, w)| *w /= norm);
            }
        }
        Vectors { from, to }
    }

    fn cosine(&self, i: usize, j: usize) -> f32 {
        let (a, b) = (&self.from[i], &self.to[j]);
        let (mut x, mut y, mut dot) = (0, 0, 0.0f32);
        while x < a.len() && y < b.len() {
            match a[x].0.cmp(&b[y].0) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => {
                    dot += a[x].1 * b[y].1;
                    x += 1;
                    y += 1;
                }
            }
        }
        dot.min(1.0)
    }
}

/// How alike each text of `queries` is to each of `items`, as rows of cosines: bigrams weighted
/// over both lists, as [`pair_up`] weighs them. For matching rows of a department's table to a
/// plan's tasks, where one row may fit two tasks and must be seen to.
pub fn scores(queries: &[&str], items: &[&str]) -> Vec<Vec<f32>> {
    let v = Vectors::new(queries, items);
    (0..queries.len())
        .map(|i| (0..items.len()).map(|j| v.cosine(i, j)).collect())
        .collect()
}

/// A bigram that more items than this hold says little about which item a text is: it does not
/// nominate candidates in [`nearest`].
const MAX_POSTINGS: usize = 64;

/// How many of a query's rarest bigrams nominate candidates in [`nearest`].
const NOMINATING_GRAMS: usize = 6;

/// For each of `queries`, the item most alike it, when at least `threshold` alike (the first
/// item of equals). Time is linear in the texts, not their product: a query is weighed only
/// against the items that share one of its [`NOMINATING_GRAMS`] rarest bigrams that some item
/// holds and at most [`MAX_POSTINGS`] items hold — texts alike enough to pass a threshold share
/// rare words.
pub fn nearest(queries: &[&str], items: &[&str], threshold: f32) -> Vec<Option<(usize, f32)>> {
    let v = Vectors::new(queries, items);
    let mut postings: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (j, grams) in v.to.iter().enumerate() {
        for (k, _) in grams {
            postings.entry(*k).or_default().push(j as u32);
        }
    }
    (0..queries.len())
        .map(|i| {
            let mut grams: Vec<(u64, f32)> = v.from[i].clone();
            grams.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut candidates: Vec<u32> = grams
                .iter()
                .filter_map(|(k, _)| postings.get(k))
                .filter(|p| p.len() <= MAX_POSTINGS)
                .take(NOMINATING_GRAMS)
                .flatten()
                .copied()
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            candidates
                .into_iter()
                .map(|j| (j as usize, v.cosine(i, j as usize)))
                .filter(|(_, s)| *s >= threshold)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        })
        .collect()
}

/// A pairing of item `from` of the first list with item `to` of the second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pairing {
    pub from: usize,
    pub to: usize,
    pub similarity: f32,
    /// The texts are the same but for punctuation and spacing.
    pub identical: bool,
}

/// Matches the items of two lists one to one: the most alike pairs first, each item at most
/// once, and only pairs at least [`THRESHOLD`] alike. Among equally alike pairs, the one whose
/// items sit at nearer places in their lists wins, so repeated texts pair in order.
pub fn pair_up(from: &[&str], to: &[&str]) -> Vec<Pairing> {
    let norm_from: Vec<Vec<char>> = from.iter().map(|t| normalize(t)).collect();
    let norm_to: Vec<Vec<char>> = to.iter().map(|t| normalize(t)).collect();
    let mut used_from = vec![false; from.len()];
    let mut used_to = vec![false; to.len()];
    let mut out = Vec::new();
    // Identical texts first, in order: most tasks of a plan carry over word for word, and this
    // leaves only the rest to weigh pair by pair.
    let mut by_text: FxHashMap<&[char], Vec<usize>> = FxHashMap::default();
    for (i, t) in norm_from.iter().enumerate().rev() {
        by_text.entry(t.as_slice()).or_default().push(i);
    }
    for (j, t) in norm_to.iter().enumerate() {
        if let Some(i) = by_text.get_mut(t.as_slice()).and_then(Vec::pop) {
            used_from[i] = true;
            used_to[j] = true;
            out.push(Pairing {
                from: i,
                to: j,
                similarity: 1.0,
                identical: true,
            });
        }
    }
    // Most plans of a series carry every task over: nothing is left to weigh.
    if used_from.iter().all(|&u| u) || used_to.iter().all(|&u| u) {
        out.sort_by_key(|p| (p.to, p.from));
        return out;
    }
    let v = Vectors::of_normalized(&norm_from, &norm_to);
    let mut candidates: Vec<Pairing> = Vec::new();
    for i in (0..from.len()).filter(|&i| !used_from[i]) {
        for j in (0..to.len()).filter(|&j| !used_to[j]) {
            let similarity = v.cosine(i, j);
            if similarity >= THRESHOLD {
                candidates.push(Pairing {
                    from: i,
                    to: j,
                    similarity,
                    identical: false,
                });
            }
        }
    }
    let place = |p: &Pairing| {
        (p.from as f32 / from.len().max(1) as f32 - p.to as f32 / to.len().max(1) as f32).abs()
    };
    candidates.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(place(a).total_cmp(&place(b)))
            .then((a.from, a.to).cmp(&(b.from, b.to)))
    });
    for c in candidates {
        if !used_from[c.from] && !used_to[c.to] {
            used_from[c.from] = true;
            used_to[c.to] = true;
            out.push(c);
        }
    }
    out.sort_by_key(|p| (p.to, p.from));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tasks of two fictional plans: the first three reworded or continued, the rest different
    /// tasks that share only the boilerplate of safety plans.
    const FROM: &[&str] = &[
        "推进危险化学品专项整治，消除重大隐患。",
        "落实安全生产责任制，明确各级责任。",
        "开展安全生产宣传教育，普及安全知识。",
        "加强安全生产执法检查。",
        "完善应急预案体系，组织应急演练。",
    ];
    const TO: &[&str] = &[
        "落实安全生产责任制，明确各级责任",
        "推进危险化学品和燃气安全专项整治，全面消除重大事故隐患。",
        "开展安全生产宣传教育活动，普及安全常识。",
        "加强安全生产信息化建设。",
        "建设安全生产风险监测预警平台。",
    ];

    #[test]
    fn threshold_separates_rewording_from_different_tasks() {
        let v = Vectors::new(FROM, TO);
        // Reworded: above the threshold.
        assert!(v.cosine(0, 1) >= THRESHOLD, "reworded {}", v.cosine(0, 1));
        assert!(v.cosine(2, 2) >= THRESHOLD, "reworded {}", v.cosine(2, 2));
        // Only boilerplate in common (加强安全生产…): below it.
        assert!(v.cosine(3, 3) < THRESHOLD, "boilerplate {}", v.cosine(3, 3));
        assert!(v.cosine(1, 4) < THRESHOLD, "boilerplate {}", v.cosine(1, 4));
        assert!(v.cosine(4, 4) < THRESHOLD, "unrelated {}", v.cosine(4, 4));
    }

    #[test]
    fn pairs_are_one_to_one_and_best_first() {
        let p = pair_up(FROM, TO);
        let pairs: Vec<(usize, usize, bool)> =
            p.iter().map(|p| (p.from, p.to, p.identical)).collect();
        assert_eq!(pairs, vec![(1, 0, true), (0, 1, false), (2, 2, false)]);
    }

    #[test]
    fn punctuation_and_spacing_do_not_count() {
        let p = pair_up(&["加强 安全， 生产。"], &["加强安全生产"]);
        assert!(p.len() == 1 && p[0].identical && p[0].similarity == 1.0);
        assert!(Vectors::new(&["电梯"], &["燃气"]).cosine(0, 0) < 0.01);
        // Repeated identical texts pair in order, not crosswise.
        let p = pair_up(&["同一任务", "同一任务"], &["同一任务", "同一任务"]);
        assert_eq!(
            p.iter().map(|p| (p.from, p.to)).collect::<Vec<_>>(),
            vec![(0, 0), (1, 1)]
        );
    }

    #[test]
    fn nearest_finds_what_weighing_every_pair_finds() {
        let near = nearest(TO, FROM, THRESHOLD);
        let all = scores(TO, FROM);
        for (i, n) in near.iter().enumerate() {
            let best = all[i]
                .iter()
                .enumerate()
                .filter(|(_, s)| **s >= THRESHOLD)
                .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
                .map(|(j, _)| j);
            assert_eq!(n.map(|x| x.0), best, "{}", TO[i]);
        }
        assert_eq!(near.iter().flatten().count(), 3);
    }
}
