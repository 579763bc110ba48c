//! The architecture, checked: the crates depend on each other only downwards (Cargo already
//! refuses a cycle between crates; this says which way each may point), and within each crate
//! no module depends on another that depends back on it — at the top of the crate and among
//! the files of every folder. A module's dependencies are read from the `crate::`, `super::`
//! and `self::` paths of its code (comments and the tests at the foot of a file left out).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crates from the bottom up: each may use only crates before it.
const LAYERS: &[&str] = &[
    "gongkai-model",
    "gongkai-i18n",
    "gongkai-zh",
    "gongkai-search",
    "gongkai-site",
    "gongkai-import",
    "gongkai",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The source folders: the binary's and each crate's.
fn source_dirs() -> Vec<PathBuf> {
    let mut sources = vec![root().join("src")];
    for e in std::fs::read_dir(root().join("crates")).unwrap() {
        sources.push(e.unwrap().path().join("src"));
    }
    sources
}

/// Every Rust file of the sources, with its text.
fn rust_files() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for src in source_dirs() {
        for e in walkdir::WalkDir::new(&src) {
            let path = e.unwrap().into_path();
            if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out
}

#[test]
fn crates_depend_only_downwards() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut seen = BTreeSet::new();
    for package in meta["packages"].as_array().unwrap() {
        let name = package["name"].as_str().unwrap();
        let level = LAYERS.iter().position(|l| *l == name);
        let level = level.unwrap_or_else(|| panic!("{name} is not in LAYERS"));
        seen.insert(name.to_string());
        for dep in package["dependencies"].as_array().unwrap() {
            let dep = dep["name"].as_str().unwrap();
            if let Some(d) = LAYERS.iter().position(|l| *l == dep) {
                assert!(d < level, "{name} uses {dep}, which is above it");
            }
        }
        if name == "gongkai-model" {
            let ours: Vec<&str> = package["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|d| d["name"].as_str())
                .filter(|d| d.starts_with("gongkai"))
                .collect();
            assert!(ours.is_empty(), "the model uses {ours:?}");
        }
    }
    assert_eq!(seen.len(), LAYERS.len(), "crates: {seen:?}");
}

/// A module by its path from the crate root (`["validate", "track"]`).
type ModPath = Vec<String>;

/// Every module of the crate whose sources are in `src`, with its code.
fn modules(src: &Path) -> BTreeMap<ModPath, String> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(src) {
        let e = e.unwrap();
        let path = e.path();
        if path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src).unwrap().with_extension("");
        let mut m: ModPath = rel
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        if matches!(m.last().map(String::as_str), Some("mod" | "lib" | "main")) {
            m.pop();
        }
        let text = std::fs::read_to_string(path).unwrap();
        out.insert(m, code_of(&text));
    }
    out
}

/// The code of a file without its comments and without the tests at its foot.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a module's code names, resolved to the crate root: `crate::a::b`, `super::c`,
/// `self::d`, and each name of `crate::{a, b}`.
fn named_paths(module: &ModPath, code: &str) -> Vec<ModPath> {
    let mut out = Vec::new();
    let here = module;
    for (at, _) in code.match_indices("::") {
        let head_start = code[..at]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        if code[..head_start].ends_with("::") {
            // Not the head of its path (`gongkai_model::x`, `a::super::`).
            continue;
        }
        let mut base: ModPath = match &code[head_start..at] {
            "crate" => Vec::new(),
            "self" => here.clone(),
            "super" => here[..here.len().saturating_sub(1)].to_vec(),
            _ => continue,
        };
        let rest = &code[at + 2..];
        let mut rest = rest;
        // super::super::x
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or_default();
            for item in inner.split(',') {
                let mut p = base.clone();
                p.extend(segments(item.trim()));
                out.push(p);
            }
        } else {
            let mut p = base;
            p.extend(segments(rest));
            out.push(p);
        }
    }
    out
}

fn segments(path: &str) -> Vec<String> {
    let end = path
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(path.len());
    path[..end]
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The longest module that `path` starts with.
fn module_of<'a>(mods: &'a BTreeMap<ModPath, String>, path: &ModPath) -> Option<&'a ModPath> {
    (0..=path.len())
        .rev()
        .find_map(|n| mods.get_key_value(&path[..n]).map(|(k, _)| k))
}

/// The edges between the children of `folder`: child a → child b when code under a names a
/// module under b.
fn child_edges(mods: &BTreeMap<ModPath, String>, folder: &ModPath) -> BTreeSet<(String, String)> {
    let mut edges = BTreeSet::new();
    for (m, code) in mods {
        if m.len() <= folder.len() || !m.starts_with(folder) {
            continue;
        }
        let from = &m[folder.len()];
        for p in named_paths(m, code) {
            let Some(target) = module_of(mods, &p) else {
                continue;
            };
            if target.len() > folder.len() && target.starts_with(folder) {
                let to = &target[folder.len()];
                if to != from {
                    edges.insert((from.clone(), to.clone()));
                }
            }
        }
    }
    edges
}

/// A cycle among `edges`, if there is one.
fn find_cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeSet<(String, String)>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut c = stack[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.to_string());
        for (_, to) in edges.iter().filter(|(f, _)| f == n) {
            if let Some(c) = visit(to, edges, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .iter()
        .find_map(|(f, _)| visit(f, edges, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_cycle_within_a_crate() {
    let sources = source_dirs();
    let mut cycles = Vec::new();
    for src in sources {
        let mods = modules(&src);
        let folders: BTreeSet<ModPath> = mods
            .keys()
            .filter(|m| {
                mods.keys()
                    .any(|n| n.len() == m.len() + 1 && n.starts_with(m))
            })
            .cloned()
            .collect();
        for folder in &folders {
            if let Some(c) = find_cycle(&child_edges(&mods, folder)) {
                cycles.push(format!(
                    "{}: {}/{}",
                    src.display(),
                    folder.join("/"),
                    c.join(" → ")
                ));
            }
        }
    }
    assert!(cycles.is_empty(), "module cycles:\n{}", cycles.join("\n"));
}

/// The checker finds what it is for: a cycle of two modules, and one through `super::`.
#[test]
fn the_checker_sees_cycles() {
    let mut mods = BTreeMap::new();
    let m = |s: &str| s.split('/').map(str::to_string).collect::<ModPath>();
    mods.insert(vec![], String::new());
    mods.insert(m("a"), "use crate::b::X;".to_string());
    mods.insert(m("b"), "fn f() { crate::a::y() }".to_string());
    mods.insert(m("c"), String::new());
    mods.insert(m("c/d"), "use super::e::Z;".to_string());
    mods.insert(m("c/e"), "use crate::{c::d, a};".to_string());
    let top = find_cycle(&child_edges(&mods, &vec![])).unwrap();
    assert!(top.contains(&"a".to_string()) && top.contains(&"b".to_string()));
    assert!(find_cycle(&child_edges(&mods, &m("c"))).is_some());
    mods.insert(m("c/e"), "use crate::a;".to_string());
    assert!(find_cycle(&child_edges(&mods, &m("c"))).is_none());
}

/// The longest a function may be, in lines, outside tests: it fits on a screen.
const MAX_FUNCTION_LINES: usize = 120;

/// Each function of `code` (its name, first line and length in lines), found by `fn` and
/// counted to its closing brace; strings and comments do not count as braces.
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let t = t
            .strip_prefix("pub ")
            .or_else(|| t.strip_prefix("pub(crate) "))
            .unwrap_or(t);
        let t = t.strip_prefix("const ").unwrap_or(t);
        let t = t.strip_prefix("async ").unwrap_or(t);
        let Some(rest) = t.strip_prefix("fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let mut depth = 0i32;
        let mut opened = false;
        for (j, l) in lines.iter().enumerate().skip(i) {
            for c in braces(l) {
                depth += if c == '{' { 1 } else { -1 };
                opened = true;
            }
            if !opened && l.trim_end().ends_with(';') {
                break;
            }
            if opened && depth == 0 {
                out.push((name.clone(), i + 1, j - i + 1));
                break;
            }
        }
    }
    out
}

/// The braces of a line of code, outside strings, characters and comments.
fn braces(line: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    let mut in_str = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_str => {
                chars.next();
            }
            '"' => in_str = !in_str,
            '/' if !in_str && chars.peek() == Some(&'/') => break,
            '\'' if !in_str => {
                // A character literal ('{'), not a lifetime ('a).
                let rest: String = chars.clone().take(3).collect();
                if rest.chars().nth(1) == Some('\'') || rest.starts_with('\\') {
                    while let Some(x) = chars.next() {
                        if x == '\\' {
                            chars.next();
                        } else if x == '\'' {
                            break;
                        }
                    }
                }
            }
            '{' | '}' if !in_str => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn no_function_is_longer_than_a_screen() {
    let mut long = Vec::new();
    for (path, text) in rust_files() {
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (name, line, len) in functions(code) {
            if len > MAX_FUNCTION_LINES {
                long.push(format!("{}:{line} {name}: {len} lines", path.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn functions_are_measured_to_their_closing_brace() {
    let code = "fn a() {\n    let s = \"}\";\n    let c = '{';\n    if x { y }\n}\nfn b<'a>(x: &'a str) {\n}\n";
    assert_eq!(
        functions(code),
        vec![("a".to_string(), 1, 5), ("b".to_string(), 6, 2)]
    );
    let trait_fn = "trait T {\n    fn f(&self);\n}\n";
    assert!(functions(trait_fn).is_empty());
}

/// The signatures of `code`'s functions, whitespace folded: from `fn` to the body or `;`.
fn signatures(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("fn ") {
        if code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let end = code[at..].find(['{', ';']).map_or(code.len(), |e| at + e);
        out.push(
            code[at..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    out
}

/// Errors are types at the edges: no function (outside tests) returns `Result<_, String>`.
#[test]
fn no_function_returns_an_error_as_a_string() {
    let mut found = Vec::new();
    for (path, text) in rust_files() {
        for s in signatures(&code_of(&text)) {
            if s.contains("Result<") && s.contains(", String>") {
                found.push(format!("{}: {s}", path.display()));
            }
        }
    }
    assert!(found.is_empty(), "errors as strings:\n{}", found.join("\n"));
    let example = "pub fn parse(\n    text: &str,\n) -> Result<Plan, String> {";
    assert!(signatures(example)[0].contains(", String>"));
}
