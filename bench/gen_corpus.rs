//! The benchmark corpus: the same N plans as a gongkai site (`OUT/gongkai`) and a Hugo site
//! (`OUT/hugo`). Used by `examples/gen_corpus.rs` (what `bench/gen-corpus` runs) and by
//! `tests/bench.rs`, so neither needs anything but Rust.
//!
//! The text is assembled from the sentences and headings of the real plans in `content/` (real
//! Chinese sentence lengths, punctuation and vocabulary), shuffled by a seeded ChaCha8
//! generator: the same N and seed give the same files, byte for byte, on every machine. The
//! districts are fictional (示例0001区 …), about N/10 of them, each with one annual plan a year
//! from 2016 to 2025. Each plan has about 10 KB of body: five sections of two subsections, 40
//! numbered tasks each naming 1–4 units from a pool of 60 with a responsibility notation, a GFM
//! table, and 8 indicators. See bench/README.md for how the Hugo site maps onto gongkai's pages.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use rand::rngs::ChaCha8Rng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const TASKS_PER_SUBSECTION: usize = 4;
const FIRST_YEAR: u16 = 2016;
const YEARS: usize = 10;

const INDICATORS: [(&str, &str, Option<&str>); 8] = [
    ("accident-count", "生产安全事故起数", Some("起")),
    ("accident-deaths", "生产安全事故死亡人数", Some("人")),
    ("major-accident-count", "较大生产安全事故起数", Some("起")),
    (
        "deaths-per-100m-gdp",
        "亿元生产总值生产安全事故死亡率",
        None,
    ),
    (
        "deaths-per-100k-workers",
        "工矿商贸就业人员十万人生产安全事故死亡率",
        None,
    ),
    ("serious-accident-count", "重大生产安全事故起数", Some("起")),
    (
        "serious-accident-deaths",
        "重大生产安全事故死亡人数",
        Some("人"),
    ),
    ("fire-deaths", "火灾事故死亡人数", Some("人")),
];

/// Sentences and heading phrases of the real plans, in file order.
struct Harvest {
    sentences: Vec<String>,
    headings: Vec<String>,
}

fn without_number(line: &str) -> &str {
    match gongkai::numbering::parse_marker(line) {
        Some(m) => line[m.len..].trim_start(),
        None => line,
    }
}

/// The line without a responsibility notation at its end (（责任单位：…）).
fn without_note(line: &str) -> &str {
    let t = line.trim_end();
    if !(t.ends_with('）') || t.ends_with(')')) {
        return line;
    }
    match t.rfind(['（', '(']) {
        Some(i) if ["责任", "牵头", "配合"].iter().any(|w| t[i..].contains(w)) => &t[..i],
        _ => line,
    }
}

fn harvest(root: &Path) -> io::Result<Harvest> {
    let mut files: Vec<_> = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut h = Harvest {
        sentences: Vec::new(),
        headings: Vec::new(),
    };
    for f in files {
        let text = std::fs::read_to_string(&f)?;
        let body = gongkai::load::split_front_matter(&text).map_or(text.as_str(), |(_, b, _)| b);
        for line in body.lines() {
            let line = line.trim().replace('\\', "");
            if line.is_empty() || line.starts_with('|') {
                continue;
            }
            if let Some(heading) = line.strip_prefix('#') {
                let head = without_number(heading.trim_start_matches('#').trim()).trim();
                if (4..=30).contains(&head.chars().count()) {
                    h.headings.push(head.to_string());
                }
                continue;
            }
            let line = without_note(without_number(&line));
            let mut start = 0;
            for (i, c) in line.char_indices() {
                if !matches!(c, '。' | '！' | '？') {
                    continue;
                }
                let end = i + c.len_utf8();
                let s = line[start..end].trim();
                start = end;
                // Short sentences keep a plan near 10 KB; none may start like a number, or it
                // would be read as a task.
                let first = s.chars().next().unwrap_or('0');
                let numbered = gongkai::numbering::parse_marker(s).is_some()
                    || first.is_ascii_digit()
                    || first == '（'
                    || first == '(';
                if (10..=45).contains(&s.chars().count())
                    && !numbered
                    && !s.contains(['|', '*', '#'])
                {
                    h.sentences.push(s.to_string());
                }
            }
        }
    }
    Ok(h)
}

/// 60 unit names: the real site's district units (区…, 各…), then fictional ones.
fn units_pool(root: &Path) -> io::Result<Vec<String>> {
    let cfg = gongkai::config::load(root)
        .map_err(|d| io::Error::other(format!("{}: {:?}", root.display(), d.0.first())))?;
    let mut names: Vec<String> = cfg
        .units
        .items
        .iter()
        .map(|u| u.name.clone())
        .filter(|n| n.starts_with('区') || n.starts_with('各'))
        .collect();
    names.sort();
    names.dedup();
    let mut i = 1;
    while names.len() < 60 {
        names.push(format!("区示例办{i:02}"));
        i += 1;
    }
    names.truncate(60);
    Ok(names)
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

#[derive(Clone)]
struct Item {
    title: String,
    sentence: String,
    lead: Vec<String>,
    support: Vec<String>,
}

/// One plan. A district's plan carries most of the year before's tasks over, as real annual
/// plans do: most word for word, some reworded or given to other units, the rest new.
struct Plan {
    district: String,
    slug: String,
    year: u16,
    title: String,
    doc_number: String,
    published: String,
    validity: &'static str,
    indicators: Vec<(&'static str, String, Option<&'static str>)>,
    heads: Vec<String>,
    items: Vec<Item>,
    body: String,
}

impl Plan {
    fn new(
        rng: &mut ChaCha8Rng,
        h: &Harvest,
        units: &[String],
        (slug, district): (&str, &str),
        year: u16,
        prev: Option<&Plan>,
    ) -> Plan {
        let pick = |rng: &mut ChaCha8Rng| h.sentences.choose(rng).expect("sentences").clone();
        let heading = |rng: &mut ChaCha8Rng| h.headings.choose(rng).expect("headings").clone();
        let new_units = |rng: &mut ChaCha8Rng| {
            let n = rng.random_range(1..=4);
            let named: Vec<String> = units.sample(rng, n).cloned().collect();
            if named.len() > 1 && rng.random_bool(0.5) {
                let half = named.len() / 2;
                (named[..half].to_vec(), named[half..].to_vec())
            } else {
                (named, Vec::new())
            }
        };
        let indicators = INDICATORS
            .iter()
            .map(|&(_, name, _)| {
                if name.contains("重大") {
                    (name, "杜绝".to_string(), None)
                } else {
                    (
                        name,
                        format!("{}%", rng.random_range(2..=15)),
                        Some("下降幅度"),
                    )
                }
            })
            .collect();
        let n_tasks = 10 * TASKS_PER_SUBSECTION;
        let (heads, items): (Vec<String>, Vec<Item>) = match prev {
            None => {
                let heads = (0..15).map(|_| heading(rng)).collect();
                let items = (0..n_tasks)
                    .map(|_| {
                        let title = pick(rng).trim_end_matches('。').to_string();
                        let sentence = pick(rng);
                        let (lead, support) = new_units(rng);
                        Item {
                            title,
                            sentence,
                            lead,
                            support,
                        }
                    })
                    .collect();
                (heads, items)
            }
            Some(p) => {
                let heads = p
                    .heads
                    .iter()
                    .map(|x| {
                        if rng.random_bool(0.8) {
                            x.clone()
                        } else {
                            heading(rng)
                        }
                    })
                    .collect();
                let items = p
                    .items
                    .iter()
                    .map(|it| {
                        let r: f64 = rng.random();
                        if r < 0.6 {
                            it.clone()
                        } else if r < 0.75 {
                            Item {
                                sentence: pick(rng),
                                ..it.clone()
                            }
                        } else if r < 0.85 {
                            let (lead, support) = new_units(rng);
                            Item {
                                lead,
                                support,
                                ..it.clone()
                            }
                        } else {
                            let title = pick(rng).trim_end_matches('。').to_string();
                            let sentence = pick(rng);
                            let (lead, support) = new_units(rng);
                            Item {
                                title,
                                sentence,
                                lead,
                                support,
                            }
                        }
                    })
                    .collect();
                (heads, items)
            }
        };
        let mut out = vec![format!("{}{}", pick(rng), pick(rng))];
        let mut n = 0;
        for s in 0..5 {
            out.push(format!("## {}、{}", NUMERALS[s], heads[s * 3]));
            out.push(pick(rng));
            for sub in 0..2 {
                out.push(format!(
                    "### （{}）{}",
                    NUMERALS[sub],
                    heads[s * 3 + 1 + sub]
                ));
                for _ in 0..TASKS_PER_SUBSECTION {
                    let it = &items[n];
                    n += 1;
                    let note = if it.support.is_empty() {
                        format!("（责任单位：{}）", it.lead.join("、"))
                    } else {
                        format!(
                            "（牵头单位：{}；配合单位：{}）",
                            it.lead.join("、"),
                            it.support.join("、")
                        )
                    };
                    out.push(format!("{n}.{}。{}{note}", it.title, it.sentence));
                }
            }
            if s == 2 {
                let mut t = String::from("| 项目 | 工作内容 | 完成时限 |\n|---|---|---|");
                for r in 0..4 {
                    let _ = write!(
                        t,
                        "\n| {} | {} | {year}年{}月 |",
                        r + 1,
                        pick(rng),
                        rng.random_range(3..=12)
                    );
                }
                out.push(t);
            }
        }
        Plan {
            district: district.to_string(),
            slug: slug.to_string(),
            year,
            title: format!("{district}{year}年安全生产工作意见"),
            doc_number: format!("示安委〔{year}〕{}号", rng.random_range(1..=9)),
            published: format!("{year}-02-{:02}", rng.random_range(1..=28)),
            validity: if usize::from(year - FIRST_YEAR) == YEARS - 1 {
                "有效"
            } else {
                "失效"
            },
            indicators,
            heads,
            items,
            body: out.join("\n\n") + "\n",
        }
    }

    fn units(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for it in &self.items {
            for u in it.lead.iter().chain(&it.support) {
                if !seen.contains(&u.as_str()) {
                    seen.push(u);
                }
            }
        }
        seen
    }

    fn gongkai(&self) -> String {
        let mut fm = format!(
            "---\ntitle: {}\ndistrict: {}\nyear: {}\nkind: 工作意见\nissuer: {}安全生产委员会\n\
             doc_number: {}\npublished: {}\nvalidity: {}\ndisclosure: 主动公开\nindicators:\n",
            self.title,
            self.slug,
            self.year,
            self.district,
            self.doc_number,
            self.published,
            self.validity
        );
        for (name, target, measure) in &self.indicators {
            let _ = writeln!(fm, "  - name: {name}\n    target: {}", json_str(target));
            if let Some(m) = measure {
                let _ = writeln!(fm, "    measure: {m}");
            }
        }
        fm + "---\n\n" + &self.body
    }

    fn hugo(&self) -> String {
        let tasks: Vec<serde_json::Value> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                serde_json::json!({
                    "number": i + 1, "title": it.title, "lead": it.lead, "support": it.support
                })
            })
            .collect();
        let params = serde_json::json!({
            "title": self.title,
            "date": self.published,
            "districts": [self.district],
            "years": [self.year.to_string()],
            "units": self.units(),
            "kind": "工作意见",
            "issuer": format!("{}安全生产委员会", self.district),
            "doc_number": self.doc_number,
            "validity": self.validity,
            "disclosure": "主动公开",
            "indicators": self.indicators.iter().map(|(n, t, m)| {
                serde_json::json!({"name": n, "target": t, "measure": m})
            }).collect::<Vec<_>>(),
            "tasks": tasks,
        });
        // JSON front matter: Hugo reads it natively and it needs no YAML quoting rules.
        serde_json::to_string_pretty(&params).expect("JSON") + "\n\n" + &self.body
    }
}

fn write(path: &Path, text: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

fn gongkai_config(districts: &[(String, String)], units: &[String]) -> String {
    let mut s = String::from(
        "# Benchmark corpus written by bench/gen-corpus. Fictional districts; text assembled from\n\
         # the sentences of the real plans.\ntitle: 示例安全生产规划公开（基准测试）\n\
         base_url: https://www.example.gov.cn/zwgk/aqsc/\ndefault_topic: 安全生产\ndistricts:\n",
    );
    for (slug, name) in districts {
        let _ = writeln!(s, "  - slug: {slug}\n    name: {name}");
    }
    // One pool of units that every district names (shared: true), so that the Hugo twin's
    // taxonomy of units is the same set and the two sides do the same work.
    s.push_str("units:\n");
    for u in units {
        let _ = writeln!(s, "  - name: {u}\n    shared: true");
    }
    s.push_str("indicators:\n");
    for (slug, name, unit) in INDICATORS {
        let _ = writeln!(s, "  - slug: {slug}\n    name: {name}");
        if let Some(u) = unit {
            let _ = writeln!(s, "    unit: {u}");
        }
    }
    s
}

/// Copies the Hugo site's config and templates from bench/hugo-theme/.
fn hugo_files(root: &Path, hugo: &Path) -> io::Result<()> {
    let src = root.join("bench/hugo-theme");
    for e in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&src).expect("inside");
            let dest = hugo.join(rel);
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::copy(e.path(), dest)?;
        }
    }
    Ok(())
}

/// Writes `plans` plans made with `seed` from the real content of the project at `root` into
/// `out/gongkai` and `out/hugo` (both replaced). Returns the number of districts.
pub fn generate(root: &Path, plans: usize, seed: u64, out: &Path) -> io::Result<usize> {
    if plans == 0 {
        return Err(io::Error::other("--plans must be at least 1"));
    }
    let h = harvest(root)?;
    if h.sentences.len() < 100 || h.headings.len() < 20 {
        return Err(io::Error::other(format!(
            "too few sentences in {}/content: {}, {}",
            root.display(),
            h.sentences.len(),
            h.headings.len()
        )));
    }
    let units = units_pool(root)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n_districts = plans.div_ceil(YEARS);
    let districts: Vec<(String, String)> = (1..=n_districts)
        .map(|i| (format!("d{i:04}"), format!("示例{i:04}区")))
        .collect();
    let (g, hugo) = (out.join("gongkai"), out.join("hugo"));
    for d in [&g, &hugo] {
        if d.exists() {
            std::fs::remove_dir_all(d)?;
        }
    }
    write(&g.join("site.yaml"), &gongkai_config(&districts, &units))?;
    hugo_files(root, &hugo)?;
    let mut prev: Option<Plan> = None;
    for i in 0..plans {
        let (slug, name) = &districts[i / YEARS];
        let year = FIRST_YEAR + (i % YEARS) as u16;
        if year == FIRST_YEAR {
            prev = None;
        }
        let plan = Plan::new(&mut rng, &h, &units, (slug, name), year, prev.as_ref());
        let rel = format!("{slug}/{year}/aqsc-gongzuo-yijian.md");
        write(&g.join("content").join(&rel), &plan.gongkai())?;
        write(&hugo.join("content/plans").join(&rel), &plan.hugo())?;
        prev = Some(plan);
    }
    Ok(n_districts)
}
