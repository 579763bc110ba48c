//! Every variable a template sees is documented in `docs/templates.md`, so a publisher can
//! override a template knowing what it may use: the views of every page of the fixture sites are
//! walked, and each key must be named in the section of its template (top-level keys) or in the
//! document (the fields of shared parts).

mod common;

use std::collections::{BTreeMap, BTreeSet};

fn keys(v: &tera::Value, prefix: &str, out: &mut BTreeSet<String>) {
    if let Some(m) = v.as_map() {
        for (k, x) in m {
            let k = k.to_string();
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            out.insert(path.clone());
            keys(x, &path, out);
        }
    } else if let Some(a) = v.as_array() {
        for x in a {
            keys(x, prefix, out);
        }
    }
}

/// Template → every key path its views have, over the pages of the fixture sites.
fn template_keys() -> BTreeMap<&'static str, BTreeSet<String>> {
    let mut out: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for site in ["valid", "compare", "tracker"] {
        let engine = gongkai::engine::Engine::open(&common::fixture(site), None).expect("open");
        let r = engine.renderer();
        for page in &engine.pages {
            let view = r.view(page);
            keys(&view.context, "", out.entry(page.template()).or_default());
        }
    }
    out
}

#[test]
fn every_template_variable_is_documented() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md"),
    )
    .expect("docs/templates.md");
    let common = doc
        .split("\n## ")
        .find(|s| s.starts_with("每个页面都有的变量"))
        .expect("a section of the variables every page has");
    let mut missing = Vec::new();
    for (template, keys) in template_keys() {
        let section = doc
            .split("\n## ")
            .find(|s| s.starts_with(&format!("`{template}`")))
            .unwrap_or_else(|| panic!("docs/templates.md has no section `{template}`"));
        for k in keys {
            let last = k.rsplit('.').next().unwrap_or(&k);
            let top = !k.contains('.');
            let named = if top {
                section.contains(&format!("`{k}`")) || common.contains(&format!("`{k}`"))
            } else {
                doc.contains(&format!("`{last}`"))
            };
            if !named {
                missing.push(format!("{template}: {k}"));
            }
        }
    }
    assert!(missing.is_empty(), "undocumented: {missing:#?}");
}
