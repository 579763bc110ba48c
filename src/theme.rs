//! The theme: templates and static files. The default theme is built into the binary, so any
//! site works without copying it; a site overrides any file by putting one of the same name in
//! its own `themes/default/` or `templates/` / `static/` folders.

use std::collections::BTreeMap;
use std::path::Path;

use tera::Tera;

use crate::diagnostics::Diagnostic;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}

/// The default templates, by name.
pub const TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "home.html",
    "plan.html",
    "district.html",
    "districts.html",
    "year.html",
    "years.html",
    "unit.html",
    "units.html",
    "person.html",
    "persons.html",
    "indicator.html",
    "indicators.html",
    "404.html",
    "comparisons.html",
    "comparison.html",
    "region.html",
    "search.html",
    "partials/pagination.html",
    "partials/chart.html",
    "partials/comparison_list.html",
    "partials/indicator_table.html",
    "partials/resp_change.html",
    "partials/plan_list.html",
    "partials/task_list.html",
);

/// The default static files, by path under `static/`.
pub const STATIC: &[(&str, &str)] = &[
    (
        "style.css",
        include_str!("../themes/default/static/style.css"),
    ),
    // The search page's script (see `search`).
    (
        "search.js",
        include_str!("../themes/default/static/search.js"),
    ),
];

/// Template sources after overrides, and where each came from.
pub fn templates(root: &Path) -> Result<BTreeMap<String, (String, String)>, Diagnostic> {
    let mut out: BTreeMap<String, (String, String)> = TEMPLATES
        .iter()
        .map(|(n, s)| (n.to_string(), (s.to_string(), format!("(built-in) {n}"))))
        .collect();
    for dir in ["themes/default/templates", "templates"] {
        overlay(root, dir, &mut out)?;
    }
    Ok(out)
}

/// Static files after overrides: path under `static/` → bytes.
pub fn static_files(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, Diagnostic> {
    let mut out: BTreeMap<String, Vec<u8>> = STATIC
        .iter()
        .map(|(n, s)| (n.to_string(), s.as_bytes().to_vec()))
        .collect();
    for dir in ["themes/default/static", "static"] {
        let base = root.join(dir);
        if !base.is_dir() {
            continue;
        }
        for e in walkdir::WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if e.file_type().is_file() {
                let rel = e
                    .path()
                    .strip_prefix(&base)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(e.path())
                    .map_err(|err| Diagnostic::new(e.path(), 0, format!("cannot read: {err}")))?;
                out.insert(rel, bytes);
            }
        }
    }
    Ok(out)
}

fn overlay(
    root: &Path,
    dir: &str,
    out: &mut BTreeMap<String, (String, String)>,
) -> Result<(), Diagnostic> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Ok(());
    }
    for e in walkdir::WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file()
            && e.path()
                .extension()
                .is_some_and(|x| x == "html" || x == "xml")
        {
            let name = e
                .path()
                .strip_prefix(&base)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/");
            let shown = Path::new(dir).join(&name);
            let text = crate::load::read_text(e.path(), &shown)?;
            out.insert(name, (text, shown.display().to_string()));
        }
    }
    Ok(())
}

/// Compiles the templates; a template error names the file it is in.
pub fn compile(root: &Path) -> Result<Tera, Diagnostic> {
    let sources = templates(root)?;
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let list: Vec<(&str, &str)> = sources
        .iter()
        .map(|(n, (s, _))| (n.as_str(), s.as_str()))
        .collect();
    tera.add_raw_templates(list).map_err(|e| {
        let text = crate::render::error_chain(&e);
        let file = sources
            .keys()
            .find(|n| text.contains(n.as_str()))
            .map(|n| sources[n].1.clone())
            .unwrap_or_else(|| "templates".into());
        Diagnostic::new(file, 0, format!("template error: {text}"))
            .hint("fix the template, or delete the override to use the built-in one")
    })?;
    Ok(tera)
}
