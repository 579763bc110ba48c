//! The theme: templates and static files. The default theme is built into the binary, so any
//! site works without copying it; a site overrides any file by putting one of the same name in
//! its own `themes/default/` or `templates/` / `static/` folders. A template's error is reported
//! in the file it comes from, at its line.

use std::collections::BTreeMap;
use std::path::Path;

use tera::{Kwargs, State, Tera};

use crate::diagnostics::Diagnostic;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../../themes/default/templates/", $name)))),*]
    };
}

/// The default templates, by name.
pub const TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "components.html",
    "home.html",
    "plan.html",
    "progress.html",
    "interpretation.html",
    "district.html",
    "districts.html",
    "year.html",
    "years.html",
    "unit.html",
    "units.html",
    "units_of.html",
    "person.html",
    "persons.html",
    "persons_of.html",
    "indicator.html",
    "indicators.html",
    "404.html",
    "comparisons.html",
    "comparison.html",
    "region.html",
    "search.html",
    "sitemap.html",
    // The preview's 核对 page of an import (never built): `gongkai serve`, `/_review/`.
    "review.html",
);

/// The default static files, by path under `static/`.
pub const STATIC: &[(&str, &str)] = &[
    (
        "style.css",
        include_str!("../../../../themes/default/static/style.css"),
    ),
    // The search page's script (see `search`).
    (
        "search.js",
        include_str!("../../../../themes/default/static/search.js"),
    ),
];

/// Where a template's text came from: built in, or a file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub text: String,
    /// As problems name it: `templates/plan.html`, or `(默认主题) plan.html`.
    pub shown: String,
}

/// The compiled templates, with where each came from, and the static files.
pub struct Theme {
    pub tera: Tera,
    pub sources: BTreeMap<String, Source>,
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Reads the templates and static files of the site at `root` over the built-in ones, and
    /// compiles the templates. `site` becomes the global every template sees.
    pub fn load(root: &Path, site: &crate::config::SiteConfig) -> Result<Theme, Diagnostic> {
        let sources = templates(root)?;
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::escape::html_to);
        register_filters(&mut tera);
        let list: Vec<(&str, &str)> = sources
            .iter()
            .map(|(n, s)| (n.as_str(), s.text.as_str()))
            .collect();
        let theme_of = |tera| Theme {
            tera,
            sources: sources.clone(),
            statics: BTreeMap::new(),
        };
        if let Err(e) = tera.add_raw_templates(list) {
            return Err(theme_of(Tera::new()).error(&e, None));
        }
        let globals = serde_json::json!({
            "title": site.title, "base_url": site.base_url, "language": site.language,
            "description": site.description, "site_id_code": site.site_id_code,
            "column_name": site.column_name, "column_type": site.column_type,
            "organizer": site.organizer, "icp": site.icp, "police_record": site.police_record,
        });
        tera.global_context().insert("site", &globals);
        let mut theme = theme_of(tera);
        theme.statics = static_files(root)?;
        Ok(theme)
    }

    /// Renders `template` with `view` (a struct or map) as its whole context: a page made outside
    /// a build, such as the preview's 核对 page.
    pub fn render_serialized<V: serde::Serialize>(
        &self,
        template: &str,
        view: &V,
    ) -> Result<String, Diagnostic> {
        let error = |e: &tera::Error| self.error(e, Some(template));
        let ctx = tera::Context::from_serialize(view).map_err(|e| error(&e))?;
        self.tera.render(template, &ctx).map_err(|e| error(&e))
    }

    /// A template error as a problem in the file the template came from, at its line.
    pub fn error(&self, e: &tera::Error, page: Option<&str>) -> Diagnostic {
        let (name, line, column, message) = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => (
                r.filename().to_string(),
                r.span().start_line,
                Some(r.span().start_col + 1),
                r.message().to_string(),
            ),
            tera::ErrorKind::MissingParent { current, .. } => {
                (current.clone(), 0, None, error_chain(e))
            }
            tera::ErrorKind::CircularExtend { tpl, .. }
            | tera::ErrorKind::CircularInclude { tpl, .. } => {
                (tpl.clone(), 0, None, error_chain(e))
            }
            _ => (String::new(), 0, None, error_chain(e)),
        };
        let file = self
            .sources
            .get(&name)
            .map_or_else(|| format!("templates/{name}"), |s| s.shown.clone());
        let message = match page {
            Some(p) => gongkai_i18n::tr!("theme.error_on_page", page = p, error = message),
            None => gongkai_i18n::tr!("theme.error", error = message),
        };
        let mut d =
            Diagnostic::new(file, line, message).hint(gongkai_i18n::tr!("theme.error_hint"));
        if let Some(c) = column {
            d = d.column(c);
        }
        d
    }
}

/// `json_script`: a value as JSON for a `<script>` element, with `<`, `>`, `&` and U+2028/9
/// escaped and empty (null) fields left out — for JSON-LD written by a template.
fn json_script(value: &tera::Value, _: Kwargs, _: &State) -> tera::Value {
    let mut v: serde_json::Value = serde_json::to_value(value).unwrap_or_default();
    drop_nulls(&mut v);
    tera::Value::safe_string(&crate::escape::script_json(&v))
}

fn drop_nulls(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

fn register_filters(tera: &mut Tera) {
    tera.register_filter("json_script", json_script);
}

/// Template sources after overrides, and where each came from.
pub fn templates(root: &Path) -> Result<BTreeMap<String, Source>, Diagnostic> {
    let mut out: BTreeMap<String, Source> = TEMPLATES
        .iter()
        .map(|(n, s)| {
            (
                n.to_string(),
                Source {
                    text: s.to_string(),
                    shown: gongkai_i18n::tr!("theme.built_in", name = n),
                },
            )
        })
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
            // Links and special files are kept, to be refused by name by the reading policy (the
            // folder itself may be a link: it is the publisher's).
            if e.depth() > 0 && !e.file_type().is_dir() {
                let rel = e
                    .path()
                    .strip_prefix(&base)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes =
                    crate::input::read(e.path(), Some(&base), crate::limits::STATIC_FILE_BYTES)
                        .map_err(|err| {
                            Diagnostic::new(Path::new(dir).join(&rel), 0, err.reason())
                                .hint(err.hint())
                        })?;
                out.insert(rel, bytes);
            }
        }
    }
    Ok(out)
}

fn overlay(root: &Path, dir: &str, out: &mut BTreeMap<String, Source>) -> Result<(), Diagnostic> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Ok(());
    }
    for e in walkdir::WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.depth() > 0
            && !e.file_type().is_dir()
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
            let text = crate::load::read_text(root, &shown)?;
            out.insert(
                name,
                Source {
                    text,
                    shown: shown.display().to_string(),
                },
            );
        }
    }
    Ok(())
}

/// An error with its causes, one after the other, so the publisher sees the real reason.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(&format!(": {c}"));
        cur = c.source();
    }
    s
}
