//! Helpers for tests that build fixture sites and read the result as a browser would.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sites")
        .join(name)
}

/// Builds a site into a fresh temporary folder; returns the folder (kept alive) and the output.
pub fn build_site(root: &Path, base_url: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("output");
    let opts = gongkai::build::BuildOptions {
        root: root.to_path_buf(),
        output: out.clone(),
        base_url: base_url.map(str::to_string),
        progress: false,
        for_disk: false,
        force: false,
        deny_warnings: false,
        minify: false,
    };
    if let Err(e) = gongkai::build::build(&opts) {
        panic!("build of {} failed: {e:?}", root.display());
    }
    (tmp, out)
}

pub fn page(out: &Path, rel: &str) -> Html {
    let path = out.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

pub fn texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

pub fn attrs(doc: &Html, s: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(s))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

pub fn html_files(out: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect();
    v.sort();
    v
}

/// Resolves a relative href from a page file to a file in the output, with its fragment.
pub fn resolve(out: &Path, from: &Path, href: &str) -> Option<(PathBuf, Option<String>)> {
    if href.contains("://") || href.starts_with("mailto:") {
        return None;
    }
    let (path, frag) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    let base = if path.is_empty() {
        return Some((from.to_path_buf(), frag));
    } else if let Some(abs) = path.strip_prefix('/') {
        out.join(abs)
    } else {
        from.parent().unwrap_or(out).join(path)
    };
    let mut parts: Vec<std::ffi::OsString> = Vec::new();
    for c in base.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::CurDir => {}
            other => parts.push(other.as_os_str().to_owned()),
        }
    }
    let mut p: PathBuf = parts.iter().collect();
    if path.ends_with('/') || p.is_dir() {
        p = p.join("index.html");
    }
    Some((p, frag))
}

/// Every internal link and anchor of every page: returns the broken ones, as "page -> href".
pub fn broken_links(out: &Path) -> Vec<String> {
    let files = html_files(out);
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut docs = Vec::new();
    for f in &files {
        let doc = Html::parse_document(&std::fs::read_to_string(f).expect("read"));
        ids.insert(f.clone(), attrs(&doc, "[id]", "id").into_iter().collect());
        docs.push((f.clone(), doc));
    }
    let mut broken = Vec::new();
    for (f, doc) in &docs {
        if f.ends_with("404.html") {
            continue; // links from the site root path, checked separately
        }
        for href in attrs(doc, "a[href], link[href]", "href") {
            let Some((target, frag)) = resolve(out, f, &href) else {
                continue;
            };
            if !target.exists() {
                broken.push(format!("{} -> {href}", f.display()));
                continue;
            }
            if let Some(frag) = frag {
                let ok = ids.get(&target).is_some_and(|s| s.contains(&frag));
                if !ok {
                    broken.push(format!("{} -> {href} (no anchor)", f.display()));
                }
            }
        }
    }
    broken
}

/// Pages that cannot be reached by following links from the home page (the 404 page aside).
pub fn unreachable_pages(out: &Path) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![out.join("index.html")];
    while let Some(f) = todo.pop() {
        if !seen.insert(f.clone()) {
            continue;
        }
        let doc = Html::parse_document(&std::fs::read_to_string(&f).expect("read"));
        for h in attrs(&doc, "a[href]", "href") {
            if let Some((t, _)) = resolve(out, &f, &h)
                && t.extension().is_some_and(|x| x == "html")
                && t.exists()
            {
                todo.push(t);
            }
        }
    }
    html_files(out)
        .into_iter()
        .filter(|f| !f.ends_with("404.html") && !seen.contains(f))
        .map(|f| f.display().to_string())
        .collect()
}

/// Writes a generated site of `plans` plans at `root`: three fictional districts (样例一区 …) of
/// one region, annual plans over the years, each with sections, tasks and responsibility
/// notations naming the district's units. No real plan text; for tests that need volume.
pub fn generate_site(root: &Path, plans: usize) {
    let units = [
        "区应急局",
        "区消防救援支队",
        "区建设管理委",
        "区市场监管局",
        "区交通委",
        "各街镇",
    ];
    let mut yaml = String::from(
        "title: 样例安全生产规划公开\nbase_url: https://www.example.gov.cn/zwgk/aqsc/\ndistricts:\n",
    );
    for d in 0..3 {
        yaml.push_str(&format!(
            "  - slug: d{d}\n    name: 样例{d}区\n    region: 样例市\n"
        ));
    }
    yaml.push_str("units:\n");
    for d in 0..3 {
        for u in units {
            yaml.push_str(&format!("  - name: {u}\n    district: d{d}\n"));
        }
    }
    std::fs::create_dir_all(root).expect("mkdir");
    std::fs::write(root.join("site.yaml"), yaml).expect("site.yaml");
    for n in 0..plans {
        let d = n % 3;
        let year = 2018 + (n / 3) % 8;
        let dir = root.join(format!("content/d{d}/{year}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let mut text = format!(
            "---\ntitle: 样例{d}区{year}年安全生产工作意见（{n}）\ndistrict: d{d}\nyear: {year}\nkind: 工作意见\nissuer: 样例{d}区安全生产委员会\n---\n\n"
        );
        let mut k = 1;
        for s in ["一", "二", "三"] {
            text.push_str(&format!("## {s}、第{s}部分\n\n"));
            for _ in 0..4 {
                let (a, b) = (
                    units[(n + k) % units.len()],
                    units[(n + 2 * k) % units.len()],
                );
                text.push_str(&format!(
                    "{k}.落实第{k}项样例任务，开展检查和整治。（牵头单位：{a}；配合单位：{b}）\n\n"
                ));
                k += 1;
            }
        }
        std::fs::write(dir.join(format!("plan-{n}.md")), text).expect("plan");
    }
}

/// The `gongkai` binary run to the end with `args`, with no language in its environment (what
/// a Chinese publisher's machine gives), so its messages are the Chinese the tests expect.
pub fn gongkai(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .env_remove("GONGKAI_LANG")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("gongkai runs")
}

/// A new site made by `gongkai init` in a temporary folder (kept while the guard lives).
pub fn new_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    let o = gongkai(&["init", site.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (tmp, site)
}

/// `gongkai import FILE --site SITE` with more arguments after them.
pub fn import(file: &Path, site: &Path, more: &[&str]) -> std::process::Output {
    let mut args = vec![
        "import",
        file.to_str().unwrap(),
        "--site",
        site.to_str().unwrap(),
    ];
    args.extend_from_slice(more);
    gongkai(&args)
}
