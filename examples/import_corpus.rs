//! Measures `gongkai import` on a corpus of real documents against hand-made ground truth.
//!
//! For each `NAME.truth.yaml` in the folders given, every document `NAME.<ext>` beside it
//! (`.txt`, `.html`, `.docx`, `.pdf`, …) is imported into a new site (`gongkai init`), which is
//! then built (`gongkai build`); the plan is read back from what the site publishes (its
//! `plan.json`) and compared with the truth:
//! - imported and built without edits;
//! - tasks found (a truth task is found when a published task has its label and starts with
//!   its words);
//! - responsibility exact (lead and supporting units, as sets, for the truth tasks that state
//!   them);
//! - metadata right: title, district, year, issuer, 文号, 成文日期, 发布日期 (a field the document
//!   does not state must stay empty).
//!
//! `bench/import-corpus DIR…` builds the binary and runs this; the corpus itself is not in the
//! repository (see README, “Importing a document”).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(serde::Deserialize, Default)]
struct Truth {
    /// Where the text was taken from, and what it is (for the tables by kind and by split).
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    province: Option<String>,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    form: Option<String>,
    /// `dev` (tuned on) or `held` (kept aside until the end).
    #[serde(default)]
    split: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    district: Option<String>,
    /// The slug the publisher gives with `--district` when the document names no place.
    #[serde(default)]
    district_arg: Option<String>,
    /// The year or period; a document that states none is imported with `--year` (the
    /// publisher knows it) and its year is not scored.
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    issuer: Option<OneOrMany>,
    #[serde(default)]
    doc_number: Option<String>,
    #[serde(default)]
    written: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    tasks: Vec<TruthTask>,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(serde::Deserialize)]
struct TruthTask {
    label: String,
    text: String,
    #[serde(default)]
    lead: Vec<String>,
    #[serde(default)]
    support: Vec<String>,
    #[serde(default)]
    persons: Vec<String>,
}

#[derive(Default, Clone, Copy)]
struct Score {
    docs: usize,
    ok: usize,
    tasks: usize,
    found: usize,
    extra: usize,
    resp: usize,
    resp_exact: usize,
    persons: usize,
    persons_exact: usize,
    fields: usize,
    fields_right: usize,
}

impl Score {
    fn add(&mut self, o: &Score) {
        self.docs += o.docs;
        self.ok += o.ok;
        self.tasks += o.tasks;
        self.found += o.found;
        self.extra += o.extra;
        self.resp += o.resp;
        self.resp_exact += o.resp_exact;
        self.persons += o.persons;
        self.persons_exact += o.persons_exact;
        self.fields += o.fields;
        self.fields_right += o.fields_right;
    }
}

/// Text compared without spaces, with full- and half-width punctuation alike.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '，' => ',',
            '：' => ':',
            '．' => '.',
            '〈' | '<' => '〈',
            _ => c,
        })
        .collect()
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "–".into()
    } else {
        format!("{:.0} %", 100.0 * a as f64 / b as f64)
    }
}

fn run(bin: &Path, args: &[&std::ffi::OsStr]) -> (bool, String) {
    match Command::new(bin)
        .args(args)
        .env("GONGKAI_LANG", "en")
        .output()
    {
        Ok(o) => (
            o.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
        ),
        Err(e) => (false, e.to_string()),
    }
}

fn measure(bin: &Path, doc: &Path, truth: &Truth, verbose: bool) -> (Score, Vec<String>) {
    let mut s = Score {
        docs: 1,
        tasks: truth.tasks.len(),
        resp: truth
            .tasks
            .iter()
            .filter(|t| !(t.lead.is_empty() && t.support.is_empty()))
            .count(),
        persons: truth.tasks.iter().filter(|t| !t.persons.is_empty()).count(),
        fields: 4
            + usize::from(truth.year.is_some())
            + usize::from(truth.title.is_some())
            + usize::from(truth.district.is_some() || truth.district_arg.is_some()),
        ..Score::default()
    };
    let mut notes = Vec::new();
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    let (ok, out) = run(bin, &["init".as_ref(), site.as_os_str()]);
    assert!(ok, "gongkai init failed: {out}");
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "import".as_ref(),
        doc.as_os_str(),
        "--site".as_ref(),
        site.as_os_str(),
    ];
    if let Some(d) = &truth.district_arg {
        args.push("--district".as_ref());
        args.push(d.as_ref());
    } else if truth.district.is_none() {
        // A document that names no place the collector could tell: the publisher gives one,
        // and the district is not scored.
        args.push("--district".as_ref());
        args.push("buming".as_ref());
    }
    // What the publisher gives for a document that does not state it.
    if truth.year.is_none() {
        args.push("--year".as_ref());
        args.push("2020".as_ref());
    }
    if truth.title.is_none() {
        args.push("--title".as_ref());
        args.push("（原文无标题）".as_ref());
    }
    let (imported, out) = run(bin, &args);
    if !imported {
        notes.push(format!(
            "import failed: {}",
            out.lines().last().unwrap_or("")
        ));
        return (s, notes);
    }
    let (built, out) = run(
        bin,
        &["build".as_ref(), "--root".as_ref(), site.as_os_str()],
    );
    if !built {
        notes.push(format!(
            "build failed: {}",
            out.lines().take(3).collect::<Vec<_>>().join(" | ")
        ));
        return (s, notes);
    }
    s.ok = 1;
    let output = site.join("output");
    let plans: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(output.join("data/plans.json")).unwrap_or_default(),
    )
    .unwrap_or_default();
    let Some(plan) = plans
        .iter()
        .find(|p| p["district_slug"].as_str() != Some("shili"))
    else {
        notes.push("no plan published".into());
        return (s, notes);
    };
    // Data URLs are absolute (made with base_url): the file is the part from the district on.
    let url = plan["data_url"].as_str().unwrap_or_default();
    let district = plan["district_slug"].as_str().unwrap_or_default();
    let url = url
        .find(&format!("/{district}/"))
        .map_or(url, |i| &url[i + 1..]);
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(output.join(url)).unwrap_or_default())
            .unwrap_or_default();
    let get = |k: &str| plan[k].as_str().map(str::to_string);

    // Metadata.
    let same = |a: Option<&str>, b: Option<&str>| a.map(norm) == b.map(norm);
    let issuer_ok = match (&truth.issuer, get("issuer")) {
        (None, None) => true,
        (Some(OneOrMany::One(t)), Some(i)) => norm(t) == norm(&i),
        // A joint document names every issuer.
        (Some(OneOrMany::Many(ts)), Some(i)) => {
            let got: BTreeSet<String> = i.split(['、', '，', ' ']).map(norm).collect();
            ts.iter().all(|t| got.contains(&norm(t)))
        }
        _ => false,
    };
    let district_ok = match &truth.district {
        Some(d) => same(Some(d), get("district").as_deref()),
        None => truth.district_arg.as_deref() == get("district_slug").as_deref(),
    };
    let title_ok = truth
        .title
        .as_deref()
        .map(|t| same(Some(t), get("title").as_deref()));
    let year_ok = truth
        .year
        .as_deref()
        .map(|y| get("period").map(|p| p.replace(['—', '–'], "-")).as_deref() == Some(y));
    for (name, right) in [
        ("title", title_ok),
        (
            "district",
            (truth.district.is_some() || truth.district_arg.is_some()).then_some(district_ok),
        ),
        ("year", year_ok),
        ("issuer", Some(issuer_ok)),
        (
            "doc_number",
            Some(same(
                truth.doc_number.as_deref(),
                get("doc_number").as_deref(),
            )),
        ),
        ("written", Some(truth.written == get("written"))),
        ("published", Some(truth.published == get("published"))),
    ] {
        let Some(right) = right else { continue };
        if right {
            s.fields_right += 1;
        } else if verbose {
            let shown = match name {
                "year" => get("period"),
                "district" => get("district"),
                _ => get(name),
            };
            notes.push(format!("{name}: got {shown:?}"));
        }
    }

    // Tasks and responsibility.
    let tasks = plan["tasks"].as_array().cloned().unwrap_or_default();
    let names = |v: &serde_json::Value| -> BTreeSet<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|x| x.as_str()).map(norm).collect())
            .unwrap_or_default()
    };
    let mut used = BTreeSet::new();
    for t in &truth.tasks {
        let hit = tasks.iter().enumerate().find(|(i, p)| {
            !used.contains(i)
                && norm(p["label"].as_str().unwrap_or("")) == norm(&t.label)
                && norm(p["text"].as_str().unwrap_or(""))
                    .trim_start_matches(&norm(&t.label))
                    .starts_with(&norm(&t.text))
        });
        let Some((i, p)) = hit else {
            if verbose {
                notes.push(format!("task {}{} not found", t.label, t.text));
            }
            continue;
        };
        used.insert(i);
        s.found += 1;
        if !t.persons.is_empty() {
            if same_names(&names(&p["persons"]), &t.persons) {
                s.persons_exact += 1;
            } else if verbose {
                notes.push(format!(
                    "task {}: persons {:?}",
                    t.label,
                    names(&p["persons"])
                ));
            }
        }
        if t.lead.is_empty() && t.support.is_empty() {
            continue;
        }
        if same_names(&names(&p["lead"]), &t.lead) && same_names(&names(&p["support"]), &t.support)
        {
            s.resp_exact += 1;
        } else if verbose {
            notes.push(format!(
                "task {}: lead {:?} support {:?}",
                t.label,
                names(&p["lead"]),
                names(&p["support"])
            ));
        }
    }
    s.extra = tasks.len().saturating_sub(used.len());
    if s.extra > 0 && verbose {
        notes.push(format!("{} tasks not in the truth", s.extra));
    }
    (s, notes)
}

/// The names published are the names the truth states: as sets, a name written without its
/// level (`财政局`) being the same unit as the name the plan gives with it (`市财政局`).
fn same_names(got: &BTreeSet<String>, want: &[String]) -> bool {
    let want: BTreeSet<String> = want.iter().map(|x| norm(x)).collect();
    let levels = ["市", "区", "县", "省", "州", "镇", "乡", "旗"];
    let strip = |n: &str| -> String {
        levels
            .iter()
            .find_map(|l| n.strip_prefix(l).filter(|r| r.chars().count() >= 2))
            .unwrap_or(n)
            .to_string()
    };
    got.len() == want.len()
        && got
            .iter()
            .all(|g| want.contains(g) || want.iter().any(|w| strip(g) == strip(w)))
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    args.retain(|a| a != "-v");
    let bin = match args.iter().position(|a| a == "--bin") {
        Some(i) if i + 1 < args.len() => {
            let b = PathBuf::from(args.remove(i + 1));
            args.remove(i);
            b
        }
        _ => PathBuf::from("target/debug/gongkai"),
    };
    let mut option = |name: &str| match args.iter().position(|a| a == name) {
        Some(i) if i + 1 < args.len() => {
            let v = args.remove(i + 1);
            args.remove(i);
            Some(v)
        }
        _ => None,
    };
    let texts = option("--texts").map(PathBuf::from);
    let split = option("--split");
    if args.is_empty() {
        eprintln!(
            "usage: import_corpus [--bin target/debug/gongkai] [-v] [--texts DIR] [--split dev|held] TRUTH_DIR…"
        );
        std::process::exit(2);
    }
    let mut by_format: std::collections::BTreeMap<String, Score> = Default::default();
    let mut by_kind: std::collections::BTreeMap<String, Score> = Default::default();
    let mut by_form: std::collections::BTreeMap<String, Score> = Default::default();
    let mut by_level: std::collections::BTreeMap<String, Score> = Default::default();
    let mut provinces: std::collections::BTreeSet<String> = Default::default();
    let mut total = Score::default();
    for dir in &args {
        let mut set = Score::default();
        let mut truths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .filter(|p| p.to_string_lossy().ends_with(".truth.yaml"))
            .collect();
        truths.sort();
        println!("## {dir}");
        for tp in truths {
            let truth: Truth =
                match serde_yaml_ng::from_str(&std::fs::read_to_string(&tp).unwrap_or_default()) {
                    Ok(t) => t,
                    Err(e) => {
                        eprintln!("{}: {e}", tp.display());
                        continue;
                    }
                };
            let stem = tp
                .to_string_lossy()
                .trim_end_matches(".truth.yaml")
                .to_string();
            // The texts are beside the truth, or in the folder `--texts` names.
            let (parent, stem) = match &texts {
                Some(t) => {
                    let name = Path::new(&stem)
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    (t.as_path(), t.join(name).to_string_lossy().into_owned())
                }
                None => (tp.parent().unwrap_or(Path::new(".")), stem),
            };
            if split
                .as_deref()
                .is_some_and(|s| truth.split.as_deref() != Some(s))
            {
                continue;
            }
            let mut docs: Vec<PathBuf> = std::fs::read_dir(parent)
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    let s = p.to_string_lossy();
                    s.starts_with(&format!("{stem}."))
                        && !s.ends_with(".truth.yaml")
                        && s[stem.len() + 1..]
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric())
                })
                .collect();
            docs.sort();
            for doc in docs {
                let ext = doc
                    .extension()
                    .map(|e| e.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let (s, notes) = measure(&bin, &doc, &truth, verbose);
                println!(
                    "{:<32} {:<5} {} tasks {}/{} (+{}) resp {}/{} fields {}/{} {}",
                    doc.file_stem()
                        .map(|s| s.to_string_lossy())
                        .unwrap_or_default(),
                    ext,
                    if s.ok == 1 { "ok  " } else { "FAIL" },
                    s.found,
                    s.tasks,
                    s.extra,
                    s.resp_exact,
                    s.resp,
                    s.fields_right,
                    s.fields,
                    notes.join("; ")
                );
                set.add(&s);
                provinces.extend(truth.province.clone());
                if verbose && s.ok == 0 {
                    println!("    {}", truth.url.as_deref().unwrap_or("(no url)"));
                }
                by_format.entry(ext).or_default().add(&s);
                let split = truth.split.clone().unwrap_or_default();
                for (map, key) in [
                    (&mut by_kind, truth.kind.clone()),
                    (&mut by_form, truth.form.clone()),
                    (&mut by_level, truth.level.clone()),
                ] {
                    map.entry(format!("{split} {}", key.unwrap_or_default()))
                        .or_default()
                        .add(&s);
                }
            }
        }
        print_score(&format!("total {dir}"), &set);
        total.add(&set);
    }
    for (title, map) in [
        ("format", &by_format),
        ("split and kind", &by_kind),
        ("split and form", &by_form),
        ("split and level", &by_level),
    ] {
        println!("## by {title}");
        for (f, s) in map {
            print_score(f, s);
        }
    }
    print_score("all", &total);
    println!("{} provinces", provinces.len());
}

fn print_score(name: &str, s: &Score) {
    println!(
        "{name}: documents imported and built {}/{} ({}), tasks found {}/{} ({}; {} extra), responsibility exact {}/{} ({}), persons exact {}/{}, metadata right {}/{} ({})",
        s.ok,
        s.docs,
        pct(s.ok, s.docs),
        s.found,
        s.tasks,
        pct(s.found, s.tasks),
        s.extra,
        s.resp_exact,
        s.resp,
        pct(s.resp_exact, s.resp),
        s.persons_exact,
        s.persons,
        s.fields_right,
        s.fields,
        pct(s.fields_right, s.fields)
    );
}
