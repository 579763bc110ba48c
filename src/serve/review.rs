//! The preview's 核对 (review) pages: what each line of an imported document became, read from
//! the record `gongkai import` wrote under `.gongkai/review/` and shown with the theme's
//! `review.html`. `/_review/` lists the records, newest plan first; `/_review/<district>/<year>/<id>/`
//! shows one (`?only=attention` only the lines to check, `&page=N` the next lines of a long
//! one). Only the preview serves them: a build never publishes a record, and nothing links to
//! them from the site.
//!
//! Paths are taken only as slugs (ASCII letters, digits, `-` and `_`: no `..`, no encoded
//! slash), and the file is read under the reading policy inside the site's own
//! `.gongkai/review/` (a link out of it is refused). A missing, refused or damaged record is a
//! page that says so and what to do, never a server error.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::http::{Current, State, inject, live_block};
use crate::import::review::{self as record, Became, Review, ReviewLine};
use crate::limits;

/// Where the pages are, outside any site's base path.
pub const PREFIX: &str = "/_review";

/// The routes of the review pages, merged with the preview's own ([`super::http::router`]).
/// Every method reaches [`answer`], which allows GET and HEAD.
pub fn router(state: Arc<State>) -> axum::Router {
    let handler = move |method: Method, uri: Uri| {
        let state = state.clone();
        async move {
            let cur = state.current.load_full();
            let root = state.root.clone();
            tokio::task::spawn_blocking(move || {
                let target = uri.path_and_query().map_or(PREFIX, |p| p.as_str());
                answer(&root, &cur, &method, target)
            })
            .await
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    };
    axum::Router::new()
        .route(PREFIX, axum::routing::any(handler.clone()))
        .route("/_review/", axum::routing::any(handler.clone()))
        .route("/_review/{*rest}", axum::routing::any(handler))
}

/// A record by where it lies: `.gongkai/review/<district>/<period>/<id>.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub district: String,
    pub period: String,
    pub id: String,
}

impl Key {
    fn url(&self) -> String {
        record::url(&self.district, &self.period, &self.id)
    }

    /// The site page of the plan (`<district>/<period>/<id>/`), site-relative.
    fn plan_url(&self) -> String {
        format!("{}/{}/{}/", self.district, self.period, self.id)
    }
}

/// What a request asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    List,
    Record(Key),
    Redirect(String),
    NotFound,
}

/// What a page of a record shows: every line or only those to check, and which page.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    pub only_attention: bool,
    pub page: usize,
}

/// A name that may be a path segment: a slug, never `.`, `..`, `%`, `/` or `\`.
fn slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Maps a request target to a page. The path is taken as it came, not decoded: a slug needs
/// no escape, so anything escaped (`%2e%2e`, `%2f`) is no page.
pub fn route(target: &str) -> (Route, Query) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut q = Query::default();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("only", "attention")) => q.only_attention = true,
            Some(("page", n)) => q.page = n.parse().unwrap_or(0),
            _ => {}
        }
    }
    let Some(rest) = path.strip_prefix(PREFIX) else {
        return (Route::NotFound, q);
    };
    if rest.is_empty() {
        return (Route::Redirect(format!("{PREFIX}/")), q);
    }
    let parts: Vec<&str> = rest[1..].split('/').collect();
    let route = match parts.as_slice() {
        [""] => Route::List,
        [d, p, id] | [d, p, id, ""] if slug(d) && slug(p) && slug(id) => {
            let key = Key {
                district: d.to_string(),
                period: p.to_string(),
                id: id.to_string(),
            };
            if parts.len() == 3 {
                let again = if query.is_empty() {
                    String::new()
                } else {
                    format!("?{query}")
                };
                Route::Redirect(format!("{}{again}", key.url()))
            } else {
                Route::Record(key)
            }
        }
        _ => Route::NotFound,
    };
    (route, q)
}

/// Why a page shows no record: each says what happened and what to do.
#[derive(Debug)]
pub enum Problem {
    /// No page at this address.
    NoPage,
    /// No record for this plan.
    Missing(String),
    /// The record (or its folder) leads out of the site's `.gongkai/review/`, or is no file.
    Refused(String, String),
    /// The record is there but cannot be read as one (too large, damaged).
    Unreadable(String, String),
    /// The site has errors and no build to take the theme from.
    NoBuild,
}

impl Problem {
    fn status(&self) -> StatusCode {
        match self {
            Problem::NoPage | Problem::Missing(_) => StatusCode::NOT_FOUND,
            Problem::Refused(..) => StatusCode::FORBIDDEN,
            Problem::Unreadable(..) => StatusCode::UNPROCESSABLE_ENTITY,
            Problem::NoBuild => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn view(&self) -> ProblemView {
        let (title, message, hint) = match self {
            Problem::NoPage => (
                crate::tr!("review.no_page"),
                crate::tr!("review.no_page_why"),
                crate::tr!("review.no_page_hint"),
            ),
            Problem::Missing(file) => (
                crate::tr!("review.missing"),
                crate::tr!("review.missing_why", file = file),
                crate::tr!("review.missing_hint"),
            ),
            Problem::Refused(file, why) => (
                crate::tr!("review.refused"),
                crate::tr!("review.refused_why", file = file, why = why),
                crate::tr!("review.refused_hint"),
            ),
            Problem::Unreadable(file, why) => (
                crate::tr!("review.unreadable"),
                crate::tr!("review.unreadable_why", file = file, why = why),
                crate::tr!("review.missing_hint"),
            ),
            Problem::NoBuild => (
                crate::tr!("review.no_build"),
                crate::tr!("review.no_build_why"),
                crate::tr!("review.no_build_hint"),
            ),
        };
        ProblemView {
            title,
            message,
            hint,
        }
    }
}

/// The folder of the records, resolved: inside the site, never a link elsewhere. `None` when
/// there is none yet.
fn records_dir(root: &Path) -> Result<Option<PathBuf>, Problem> {
    let dir = root.join(record::DIR);
    if std::fs::symlink_metadata(&dir).is_err() {
        return Ok(None);
    }
    let refused = |why: String| Problem::Refused(record::DIR.to_string(), why);
    let real = dir.canonicalize().map_err(|e| refused(e.to_string()))?;
    let expected = root
        .canonicalize()
        .map_err(|e| refused(e.to_string()))?
        .join(record::DIR);
    if real != expected || !real.is_dir() {
        return Err(refused(crate::tr!(
            "review.dir_elsewhere",
            target = real.display()
        )));
    }
    Ok(Some(real))
}

/// Reads the record of `key` under the reading policy, inside the records' folder.
pub fn read(root: &Path, key: &Key) -> Result<Review, Problem> {
    let rel = record::path(&key.district, &key.period, &key.id);
    let Some(dir) = records_dir(root)? else {
        return Err(Problem::Missing(rel));
    };
    let file = dir
        .join(&key.district)
        .join(&key.period)
        .join(format!("{}.json", key.id));
    let bytes = crate::input::read(&file, Some(&dir), limits::REVIEW_BYTES).map_err(|e| match e
        .refusal
    {
        crate::input::Refusal::Missing => Problem::Missing(rel.clone()),
        crate::input::Refusal::TooLarge { .. } | crate::input::Refusal::Io(_) => {
            Problem::Unreadable(rel.clone(), e.reason())
        }
        _ => Problem::Refused(rel.clone(), e.reason()),
    })?;
    Review::from_json(&bytes).map_err(|e| Problem::Unreadable(rel, e.to_string()))
}

/// Answers a request for a review page.
pub fn answer(root: &Path, cur: &Current, method: &Method, target: &str) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = StatusCode::METHOD_NOT_ALLOWED.into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let (route, query) = route(target);
    let base = View::new(cur, target);
    let (status, view) = match route {
        Route::Redirect(to) => {
            let mut r = StatusCode::FOUND.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            return r;
        }
        Route::NotFound => problem(base, &Problem::NoPage),
        Route::List => match list(root, cur) {
            Ok(entries) => (StatusCode::OK, base.list(entries)),
            Err(p) => problem(base, &p),
        },
        Route::Record(key) => match read(root, &key) {
            Ok(review) => {
                let view = record_view(&review, &key, query, cur);
                (StatusCode::OK, base.record(view))
            }
            Err(p) => problem(base, &p),
        },
    };
    render(cur, status, &view)
}

fn problem(base: View, p: &Problem) -> (StatusCode, View) {
    (p.status(), base.problem(p.view()))
}

/// The page through the theme of the last good build; without one, a bare page saying why
/// (the build's errors follow it, as on every page of the preview).
fn render(cur: &Current, status: StatusCode, view: &View) -> Response {
    let rendered = match &cur.preview {
        Some(p) => p
            .engine
            .theme
            .render_serialized("review.html", view)
            .map_err(|d| (StatusCode::INTERNAL_SERVER_ERROR, d.to_string())),
        None => Err((StatusCode::SERVICE_UNAVAILABLE, {
            let p = Problem::NoBuild.view();
            format!("{}\n{}", p.message, p.hint)
        })),
    };
    let (status, html) = match rendered {
        Ok(html) => (status, html),
        Err((status, text)) => (
            status,
            format!(
                "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>核对</title></head><body><main><pre>{}</pre></main></body></html>",
                crate::escape::esc(&text)
            ),
        ),
    };
    let body = inject(html.as_bytes(), &live_block(&cur.errors));
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    r
}

/// What `review.html` is given. Besides `site` (global), what `base.html` reads of every page:
/// `root` (the site's base path: these pages are outside it), `path`, `canonical`, `crumbs`.
#[derive(Serialize)]
pub struct View {
    pub root: String,
    pub path: String,
    pub canonical: String,
    pub crumbs: Vec<()>,
    /// `record`, `list` or `problem`: which of the three below the page shows.
    pub mode: &'static str,
    /// The list of every record (`/_review/`).
    pub list_url: &'static str,
    pub record: Option<RecordView>,
    pub list: Vec<Entry>,
    pub problem: Option<ProblemView>,
}

impl View {
    fn new(cur: &Current, target: &str) -> View {
        let path = target.split('?').next().unwrap_or(target).to_string();
        View {
            root: cur.base_path.clone(),
            canonical: path.clone(),
            path,
            crumbs: Vec::new(),
            mode: "problem",
            list_url: "/_review/",
            record: None,
            list: Vec::new(),
            problem: None,
        }
    }

    fn list(self, list: Vec<Entry>) -> View {
        View {
            mode: "list",
            list,
            ..self
        }
    }

    fn record(self, record: RecordView) -> View {
        View {
            mode: "record",
            record: Some(record),
            ..self
        }
    }

    fn problem(self, problem: ProblemView) -> View {
        View {
            mode: "problem",
            problem: Some(problem),
            ..self
        }
    }
}

#[derive(Serialize)]
pub struct ProblemView {
    pub title: String,
    pub message: String,
    pub hint: String,
}

/// A record in the list.
#[derive(Serialize)]
pub struct Entry {
    pub title: String,
    pub district: String,
    pub period: String,
    pub id: String,
    pub url: String,
    /// The plan's page in the preview, when the site has the plan.
    pub plan_url: Option<String>,
}

/// The records of the site, newest plan first (by the last year of its period, then the
/// record's time), at most `limits::REVIEW_LIST`.
pub fn list(root: &Path, cur: &Current) -> Result<Vec<Entry>, Problem> {
    let Some(dir) = records_dir(root)? else {
        return Ok(Vec::new());
    };
    let mut found: Vec<(u32, std::time::SystemTime, Key)> = Vec::new();
    for e in walkdir::WalkDir::new(&dir)
        .min_depth(3)
        .max_depth(3)
        .follow_links(false)
        .into_iter()
        .take(limits::FOLDER_ENTRIES)
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let rel = e.path().strip_prefix(&dir).unwrap_or(e.path());
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let [district, period, file] = parts.as_slice() else {
            continue;
        };
        let Some(id) = file.strip_suffix(".json") else {
            continue;
        };
        if !(slug(district) && slug(period) && slug(id)) {
            continue;
        }
        let year = period.rsplit('-').next().and_then(|y| y.parse().ok());
        let time = e.metadata().ok().and_then(|m| m.modified().ok());
        let key = Key {
            district: district.clone(),
            period: period.clone(),
            id: id.to_string(),
        };
        found.push((
            year.unwrap_or(0),
            time.unwrap_or(std::time::UNIX_EPOCH),
            key,
        ));
    }
    found.sort_by(|a, b| {
        (b.0, b.1)
            .cmp(&(a.0, a.1))
            .then_with(|| a.2.url().cmp(&b.2.url()))
    });
    found.truncate(limits::REVIEW_LIST);
    Ok(found
        .into_iter()
        .map(|(_, _, key)| entry(root, cur, key))
        .collect())
}

/// A record as the list names it: the plan's title from the site, else from the record.
fn entry(root: &Path, cur: &Current, key: Key) -> Entry {
    let plan = site_plan(cur, &key);
    let title = plan
        .as_ref()
        .and_then(|p| p.0.clone())
        .or_else(|| read(root, &key).ok().map(|r| r.title))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| key.id.clone());
    let district = cur
        .preview
        .as_ref()
        .and_then(|p| {
            let c = &p.engine.site.config;
            c.district_by_slug(&key.district)
                .map(|d| c.districts[d].name.clone())
        })
        .unwrap_or_else(|| key.district.clone());
    Entry {
        title: visible(&title, limits::REVIEW_LINE_CHARS).0,
        district,
        period: key.period.clone(),
        url: key.url(),
        plan_url: plan.map(|p| p.1),
        id: key.id,
    }
}

/// The plan of `key` in the last good build: its title and its page's address.
fn site_plan(cur: &Current, key: &Key) -> Option<(Option<String>, String)> {
    let p = cur.preview.as_ref()?;
    let url = key.plan_url();
    let plan = p.engine.site.plans.iter().find(|pl| pl.url == url)?;
    Some((plan.meta.title.clone(), format!("{}{url}", cur.base_path)))
}

/// A record as its page shows it.
#[derive(Serialize)]
pub struct RecordView {
    pub title: String,
    /// The plan file, relative to the site.
    pub plan: String,
    /// The plan's page in the preview, when the site has the plan.
    pub plan_url: Option<String>,
    pub source: String,
    pub format: String,
    pub district: String,
    pub period: String,
    /// Metadata written into the front matter: `key`, `label` and `value`.
    pub fields: Vec<Field>,
    pub counts: Counts,
    pub new_units: Vec<String>,
    pub notes: Vec<String>,
    /// The lines this page shows.
    pub rows: Vec<Row>,
    pub only_attention: bool,
    pub url_all: String,
    pub url_attention: String,
    /// The pages of a long record (empty when it fits on one).
    pub pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub struct Field {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// How many lines became what.
#[derive(Serialize, Default, Debug, PartialEq, Eq)]
pub struct Counts {
    pub lines: usize,
    pub tasks: usize,
    pub tasks_with_units: usize,
    pub new_units: usize,
    pub unplaced: usize,
    /// Notation-like texts not read (a line may hold several).
    pub unread: usize,
    pub dropped: usize,
    /// Lines to check: unplaced, with unread notations, left out, or naming a new unit.
    pub attention: usize,
}

/// A page of a long record.
#[derive(Serialize)]
pub struct PageLink {
    pub n: usize,
    pub url: String,
    pub here: bool,
    /// The first and last line of the original it shows.
    pub first: usize,
    pub last: usize,
}

/// One line of the original beside what it became.
#[derive(Serialize)]
pub struct Row {
    pub no: usize,
    /// The line as read, invisible characters shown as `⟨U+202E⟩`, cut at
    /// `limits::REVIEW_LINE_CHARS`.
    pub text: String,
    /// Characters of the line past the cut.
    pub more: usize,
    /// It held invisible control or direction characters.
    pub hidden: bool,
    /// `metadata`, `notice`, `imprint`, `heading`, `task`, `joined`, `notation`, `table_row`,
    /// `text`, `unplaced` or `dropped`.
    pub kind: &'static str,
    pub level: Option<u8>,
    pub task: Option<TaskRow>,
    pub joined_to: Option<usize>,
    /// The tasks a notation line was given to.
    pub tasks: Vec<String>,
    /// Why a line is unplaced or left out.
    pub why: Option<String>,
    pub unread: Vec<String>,
    pub new_unit: bool,
    pub attention: bool,
}

#[derive(Serialize)]
pub struct TaskRow {
    pub key: String,
    pub label: String,
    pub lead: Vec<Name>,
    pub support: Vec<Name>,
    pub persons: Vec<String>,
    pub from_table: bool,
}

/// A unit, and whether this import added it to the site.
#[derive(Serialize)]
pub struct Name {
    pub name: String,
    pub new: bool,
}

/// `s` with every invisible control or direction character shown as its code point, cut at
/// `max` characters: the text, how many characters were cut, whether any was shown so.
pub fn visible(s: &str, max: usize) -> (String, usize, bool) {
    let mut out = String::with_capacity(s.len().min(max * 4));
    let (mut shown, mut more, mut hidden) = (0, 0, false);
    for c in s.chars() {
        if shown >= max {
            more += 1;
        } else if crate::input::is_hostile_char(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
            hidden = true;
            shown += 1;
        } else {
            out.push(c);
            shown += 1;
        }
    }
    (out, more, hidden)
}

fn clean(s: &str) -> String {
    visible(s, limits::REVIEW_LINE_CHARS).0
}

/// Whether a line is one to check, given the units new to the site.
fn attention(l: &ReviewLine, new: &HashSet<&str>) -> bool {
    matches!(l.became, Became::Unplaced { .. } | Became::Dropped { .. })
        || !l.unread.is_empty()
        || names_new(l, new)
}

fn names_new(l: &ReviewLine, new: &HashSet<&str>) -> bool {
    match &l.became {
        Became::Task(t) => t
            .lead
            .iter()
            .chain(&t.support)
            .any(|u| new.contains(u.as_str())),
        _ => false,
    }
}

/// The counts of a record.
pub fn counts(r: &Review) -> Counts {
    let new: HashSet<&str> = r.new_units.iter().map(String::as_str).collect();
    let mut c = Counts {
        lines: r.lines.len(),
        new_units: r.new_units.len(),
        ..Counts::default()
    };
    for l in &r.lines {
        match &l.became {
            Became::Task(t) => {
                c.tasks += 1;
                if !t.lead.is_empty() || !t.support.is_empty() {
                    c.tasks_with_units += 1;
                }
            }
            Became::Unplaced { .. } => c.unplaced += 1,
            Became::Dropped { .. } => c.dropped += 1,
            _ => {}
        }
        c.unread += l.unread.len();
        if attention(l, &new) {
            c.attention += 1;
        }
    }
    c
}

/// The lines `lines` cut into pages of at most `limits::REVIEW_PAGE_LINES` lines and
/// `limits::REVIEW_PAGE_CHARS` characters of text (one line at least).
pub fn pages(lines: &[&ReviewLine]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut chars) = (0, 0);
    for (i, l) in lines.iter().enumerate() {
        let n = l
            .text
            .chars()
            .take(limits::REVIEW_LINE_CHARS)
            .count()
            .max(1);
        if i > start
            && (i - start >= limits::REVIEW_PAGE_LINES || chars + n > limits::REVIEW_PAGE_CHARS)
        {
            out.push(start..i);
            start = i;
            chars = 0;
        }
        chars += n;
    }
    if start < lines.len() || out.is_empty() {
        out.push(start..lines.len());
    }
    out
}

fn record_view(r: &Review, key: &Key, q: Query, cur: &Current) -> RecordView {
    let new: HashSet<&str> = r.new_units.iter().map(String::as_str).collect();
    let shown: Vec<&ReviewLine> = r
        .lines
        .iter()
        .filter(|l| !q.only_attention || attention(l, &new))
        .collect();
    let cut = pages(&shown);
    let here = q.page.clamp(1, cut.len()) - 1;
    let base = key.url();
    let url_of = |n: usize| {
        let mut params = Vec::new();
        if q.only_attention {
            params.push("only=attention".to_string());
        }
        if n > 1 {
            params.push(format!("page={n}"));
        }
        if params.is_empty() {
            base.clone()
        } else {
            format!("{base}?{}", params.join("&"))
        }
    };
    let links = if cut.len() > 1 {
        cut.iter()
            .enumerate()
            .map(|(i, range)| PageLink {
                n: i + 1,
                url: url_of(i + 1),
                here: i == here,
                first: shown.get(range.start).map_or(0, |l| l.no),
                last: shown.get(range.end.saturating_sub(1)).map_or(0, |l| l.no),
            })
            .collect()
    } else {
        Vec::new()
    };
    let rows = cut
        .get(here)
        .map(|range| shown[range.clone()].iter().map(|l| row(l, &new)).collect())
        .unwrap_or_default();
    let plan = site_plan(cur, key);
    RecordView {
        title: clean(&r.title),
        plan: clean(&r.plan),
        plan_url: plan.map(|p| p.1),
        source: clean(&r.source),
        format: clean(&r.format),
        district: key.district.clone(),
        period: key.period.clone(),
        fields: r
            .fields
            .iter()
            .map(|(k, v)| Field {
                key: clean(k),
                label: crate::tr!(&format!("import.field.{k}")),
                value: clean(v),
            })
            .collect(),
        counts: counts(r),
        new_units: r.new_units.iter().map(|u| clean(u)).collect(),
        notes: r.notes.iter().map(|n| clean(n)).collect(),
        rows,
        only_attention: q.only_attention,
        url_all: base.clone(),
        url_attention: format!("{base}?only=attention"),
        pages: links,
    }
}

/// A line as a row of the table.
fn row(l: &ReviewLine, new: &HashSet<&str>) -> Row {
    let (text, more, hidden) = visible(&l.text, limits::REVIEW_LINE_CHARS);
    let mut r = Row {
        no: l.no,
        text,
        more,
        hidden,
        kind: "text",
        level: None,
        task: None,
        joined_to: None,
        tasks: Vec::new(),
        why: None,
        unread: l.unread.iter().map(|u| clean(u)).collect(),
        new_unit: names_new(l, new),
        attention: attention(l, new),
    };
    let names = |v: &[String]| {
        v.iter()
            .map(|n| Name {
                name: clean(n),
                new: new.contains(n.as_str()),
            })
            .collect()
    };
    r.kind = match &l.became {
        Became::Metadata => "metadata",
        Became::Notice => "notice",
        Became::Imprint => "imprint",
        Became::Heading { level } => {
            r.level = Some(level.saturating_sub(1));
            "heading"
        }
        Became::Task(t) => {
            r.task = Some(TaskRow {
                key: clean(&t.key),
                label: clean(&t.label),
                lead: names(&t.lead),
                support: names(&t.support),
                persons: t.persons.iter().map(|p| clean(p)).collect(),
                from_table: t.from_table,
            });
            "task"
        }
        Became::JoinedTo { line } => {
            r.joined_to = Some(*line);
            "joined"
        }
        Became::Notation { tasks } => {
            r.tasks = tasks.iter().map(|t| clean(t)).collect();
            "notation"
        }
        Became::TableRow => "table_row",
        Became::Text => "text",
        Became::Unplaced { why } => {
            r.why = Some(clean(why));
            "unplaced"
        }
        Became::Dropped { why } => {
            r.why = Some(clean(why));
            "dropped"
        }
    };
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(d: &str, p: &str, id: &str) -> Key {
        Key {
            district: d.into(),
            period: p.into(),
            id: id.into(),
        }
    }

    #[test]
    fn only_slugs_make_a_record_address() {
        let r = |t: &str| route(t).0;
        assert_eq!(r("/_review/"), Route::List);
        assert_eq!(r("/_review"), Route::Redirect("/_review/".into()));
        assert_eq!(
            r("/_review/shili/2025/plan/"),
            Route::Record(key("shili", "2025", "plan"))
        );
        assert_eq!(
            r("/_review/shili/2016-2020/plan?only=attention"),
            Route::Redirect("/_review/shili/2016-2020/plan/?only=attention".into())
        );
        for bad in [
            "/_review/../../etc/passwd/",
            "/_review/shili/../plan/",
            "/_review/shili/2025/%2e%2e/",
            "/_review/shili%2f2025/plan/x/",
            "/_review/shili/2025%2Fplan/x/",
            "/_review/shili/2025/..%5cplan/",
            "/_review/shili/2025/plan.json",
            "/_review/shili/2025/plan/extra/",
            "/_review/shili/2025/.hidden/",
            "/_review/shili/2025//",
            "/_reviewx/",
        ] {
            assert_eq!(r(bad), Route::NotFound, "{bad}");
        }
        let q = route("/_review/a/2025/b/?page=3&only=attention").1;
        assert_eq!(
            q,
            Query {
                only_attention: true,
                page: 3
            }
        );
        assert_eq!(route("/_review/a/2025/b/?page=-1").1.page, 0);
    }

    #[test]
    fn invisible_characters_are_shown_and_long_lines_cut() {
        let (t, more, hidden) = visible("示例\u{202E}区\u{0007}", 100);
        assert_eq!(t, "示例⟨U+202E⟩区⟨U+0007⟩");
        assert!(hidden && more == 0);
        let (t, more, hidden) = visible(&"字".repeat(10), 4);
        assert_eq!((t.as_str(), more, hidden), ("字字字字", 6, false));
    }

    #[test]
    fn long_records_are_paged_by_lines_and_characters() {
        let line = |no, n| ReviewLine {
            no,
            text: "字".repeat(n),
            became: Became::Text,
            unread: vec![],
        };
        let many: Vec<ReviewLine> = (1..=limits::REVIEW_PAGE_LINES * 2 + 1)
            .map(|i| line(i, 3))
            .collect();
        let refs: Vec<&ReviewLine> = many.iter().collect();
        let p = pages(&refs);
        assert_eq!(p.len(), 3);
        assert!(p.iter().all(|r| r.len() <= limits::REVIEW_PAGE_LINES));
        let wide: Vec<ReviewLine> = (1..=200).map(|i| line(i, 100_000)).collect();
        let refs: Vec<&ReviewLine> = wide.iter().collect();
        let p = pages(&refs);
        let per = limits::REVIEW_PAGE_CHARS / limits::REVIEW_LINE_CHARS;
        assert!(p.iter().all(|r| !r.is_empty() && r.len() <= per), "{p:?}");
        assert_eq!(p.iter().map(ExactSizeIterator::len).sum::<usize>(), 200);
        assert_eq!(pages(&[]), vec![0..0]);
    }
}
