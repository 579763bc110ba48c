//! The site configuration (`site.yaml`): the site's identity for portal pages, and the
//! registries of districts, units, persons and indicators that make the same entity one thing
//! across plans and years. Units and persons belong to a district unless declared shared.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::yaml;
use gongkai_model::{
    Direction, District, DistrictId, Id, IdVec, IndicatorDef, IndicatorId, Person, PersonId,
    Registry, Scope, Unit, UnitId, UnitKind,
};
use gongkai_zh::slug::pinyin_slug;

pub const CONFIG_FILE: &str = "site.yaml";

/// `site.yaml` as written by the publisher.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    title: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    description: Option<String>,
    /// 网站标识码, from the national website registry.
    #[serde(default)]
    site_id_code: Option<String>,
    /// 栏目名称 for the `ColumnName` meta tag.
    #[serde(default)]
    column_name: Option<String>,
    #[serde(default)]
    column_type: Option<String>,
    /// 主办单位.
    #[serde(default)]
    organizer: Option<String>,
    /// ICP备案号.
    #[serde(default)]
    icp: Option<String>,
    /// 公网安备 number.
    #[serde(default)]
    police_record: Option<String>,
    /// 主题分类 used when a plan does not state its own.
    #[serde(default)]
    default_topic: Option<String>,
    #[serde(default)]
    allow_new_units: bool,
    #[serde(default)]
    allow_new_indicators: bool,
    #[serde(default = "default_page_size")]
    page_size: usize,
    /// Minify pages with minify-html (see `output::minify`).
    #[serde(default)]
    minify: bool,
    /// The day progress is judged on (overdue tasks), `YYYY-MM-DD`; by default the newest
    /// progress report's date. Never the clock: builds stay reproducible.
    #[serde(
        default,
        deserialize_with = "gongkai_model::plan::opt_string_or_number"
    )]
    as_of: Option<String>,
    #[serde(default)]
    districts: Vec<DistrictEntry>,
    #[serde(default)]
    units: Vec<UnitEntry>,
    #[serde(default)]
    persons: Vec<PersonEntry>,
    #[serde(default)]
    indicators: Vec<IndicatorEntry>,
    /// Pairs of plans to compare besides each plan and the one before it in its series.
    #[serde(default)]
    comparisons: Vec<ComparisonEntry>,
}

fn default_language() -> String {
    "zh-CN".into()
}
fn default_page_size() -> usize {
    100
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DistrictEntry {
    slug: String,
    name: String,
    #[serde(default)]
    region: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitEntry {
    name: String,
    /// The district (slug) whose body it is.
    #[serde(default)]
    district: Option<String>,
    /// Named by plans of every district (a city bureau).
    #[serde(default)]
    shared: bool,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    kind: UnitKind,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonEntry {
    name: String,
    #[serde(default)]
    district: Option<String>,
    #[serde(default)]
    shared: bool,
    #[serde(default)]
    slug: Option<String>,
    /// 职务, e.g. 副区长 (`title` is accepted too).
    #[serde(default, alias = "title")]
    office: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorEntry {
    slug: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    /// Unit of measure (起, 人, %).
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    direction: Option<Direction>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComparisonEntry {
    from: String,
    to: String,
    #[serde(default)]
    title: Option<String>,
}

/// A comparison the publisher asked for in `site.yaml`, by the paths of its two plans
/// (`shili/2024/aqsc-gongzuo-yijian`), resolved against the plans by validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparisonSpec {
    pub from: String,
    pub to: String,
    pub title: Option<String>,
    /// Line of the entry in `site.yaml`.
    pub line: usize,
}

/// The indicator registry: names and aliases to indicators.
#[derive(Debug, Clone, Default)]
pub struct Indicators {
    pub items: IdVec<IndicatorId, IndicatorDef>,
    by_name: HashMap<String, IndicatorId>,
}

impl Indicators {
    /// Adds an indicator under its name and aliases; returns a name already taken, if any.
    pub fn insert(&mut self, def: IndicatorDef) -> Result<IndicatorId, String> {
        let names: Vec<String> = std::iter::once(def.name.clone())
            .chain(def.aliases.iter().cloned())
            .collect();
        if let Some(taken) = names.iter().find(|n| self.by_name.contains_key(*n)) {
            return Err(taken.clone());
        }
        let id = self.items.push(def);
        for n in names {
            self.by_name.insert(n, id);
        }
        Ok(id)
    }

    pub fn find(&self, name: &str) -> Option<IndicatorId> {
        self.by_name.get(name).copied()
    }

    /// Every name and alias, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }
}

/// The loaded and checked site configuration.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
    pub description: Option<String>,
    pub site_id_code: Option<String>,
    pub column_name: Option<String>,
    pub column_type: Option<String>,
    pub organizer: Option<String>,
    pub icp: Option<String>,
    pub police_record: Option<String>,
    pub default_topic: Option<String>,
    pub allow_new_units: bool,
    pub allow_new_indicators: bool,
    pub page_size: usize,
    /// Pages are minified with minify-html (`minify: true`; `build --minify` for one build).
    pub minify: bool,
    /// The day progress is judged on, when `site.yaml` sets it.
    pub as_of: Option<String>,
    pub districts: IdVec<DistrictId, District>,
    /// The units `site.yaml` declares; validation adds those met in content when allowed.
    pub units: Registry<UnitId, Unit>,
    /// The persons `site.yaml` declares; persons met in content are added by validation.
    pub persons: Registry<PersonId, Person>,
    pub indicators: Indicators,
    pub comparisons: Vec<ComparisonSpec>,
    /// The text of `site.yaml`, to place later problems (warnings) on their lines.
    pub text: String,
}

impl SiteConfig {
    pub fn district_by_slug(&self, slug: &str) -> Option<DistrictId> {
        self.districts
            .iter_ids()
            .find(|(_, d)| d.slug == slug)
            .map(|(i, _)| i)
    }

    /// The path part of the base URL (`/zwgk/aqsc/`), for pages that must link absolutely (404).
    pub fn base_path(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        rest.find('/').map_or("/", |i| &rest[i..])
    }

    /// The line of `site.yaml` that first holds `needle` (0 when none does).
    pub fn line_of(&self, needle: &str) -> usize {
        self.text
            .lines()
            .position(|l| l.contains(needle))
            .map_or(0, |i| i + 1)
    }
}

/// The base URL as pages use it, ending in `/`: an `http(s)://host/…` address or a path from
/// the server's root (`/zwgk/aqsc/`). Anything else — `javascript:`, `//other.host/`, spaces,
/// quotes or angle brackets — is refused, since every link of the site starts with it.
pub fn normalize_base_url(raw: &str) -> Option<String> {
    let b = raw.trim();
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || "\"'<>`\\".contains(c);
    if b.is_empty() || b.chars().any(bad_char) {
        return None;
    }
    let ok = match b.split_once("://") {
        Some((scheme, rest)) => {
            matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https")
                && !rest.is_empty()
                && !rest.starts_with('/')
        }
        None => b.starts_with('/') && !b.starts_with("//"),
    };
    ok.then(|| {
        if b.ends_with('/') {
            b.to_string()
        } else {
            format!("{b}/")
        }
    })
}

/// What a slug names, for its error message.
#[derive(Debug, Clone, Copy)]
pub enum SlugOf {
    District,
    Unit,
    Person,
    Indicator,
    /// A plan's file name (`content/<district>/<year>/<slug>.md`).
    PlanFile,
}

/// The problem with a slug of `site.yaml` or a plan's file name, if any, as a diagnostic.
/// `line` is asked only for a bad slug: finding an entry's line reads the whole file.
pub fn slug_problem(
    of: SlugOf,
    slug: &str,
    file: &Path,
    line: impl FnOnce() -> usize,
) -> Option<Diagnostic> {
    let problem = gongkai_zh::slug::check(slug).err()?;
    let what = match of {
        SlugOf::District => gongkai_i18n::tr!("slug.district"),
        SlugOf::Unit => gongkai_i18n::tr!("slug.unit"),
        SlugOf::Person => gongkai_i18n::tr!("slug.person"),
        SlugOf::Indicator => gongkai_i18n::tr!("slug.indicator"),
        SlugOf::PlanFile => gongkai_i18n::tr!("slug.plan_file"),
    };
    let message = match problem {
        gongkai_zh::slug::Problem::Reserved => {
            gongkai_i18n::tr!("slug.reserved", what = what, slug = slug)
        }
        _ => gongkai_i18n::tr!("slug.bad", what = what, slug = slug),
    };
    let hint = match problem {
        gongkai_zh::slug::Problem::Reserved => gongkai_i18n::tr!(
            "slug.reserved_hint",
            reserved = gongkai_zh::slug::RESERVED.join(", ")
        ),
        gongkai_zh::slug::Problem::TooLong => {
            gongkai_i18n::tr!("slug.too_long_hint", max = gongkai_zh::slug::MAX_LEN)
        }
        _ => gongkai_i18n::tr!("slug.bad_hint"),
    };
    Some(Diagnostic::new(file, line(), message).hint(hint))
}

/// Reads and checks `site.yaml` under `root`.
pub fn load(root: &Path) -> Result<SiteConfig, Diagnostics> {
    let text = crate::load::read_text(root, Path::new(CONFIG_FILE)).map_err(Diagnostics::one)?;
    parse(text)
}

/// Checks the text of `site.yaml`.
pub fn parse(text: String) -> Result<SiteConfig, Diagnostics> {
    let mut diags = Diagnostics::default();
    let file: ConfigFile =
        yaml::from_str(&text, Path::new(CONFIG_FILE), 0).map_err(Diagnostics::one)?;
    let at = |needle: &str| yaml::line_of(&text, needle, 0);
    // A top-level field's line (a comment that mentions it is not it).
    let err = |key: &str, msg: String| {
        let line = text
            .lines()
            .position(|l| {
                l.strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
            .map_or_else(|| at(key), |i| i + 1);
        Diagnostic::new(CONFIG_FILE, line, msg)
    };
    // The line that sets `key` to `value`: the first such line, or the last (a repeated entry).
    let entry = |key: &str, value: &str, last: bool| {
        let lines = yaml::lines_of_entry(&text, key, value);
        let found = if last { lines.last() } else { lines.first() };
        found.copied().unwrap_or_else(|| at(value))
    };
    // A slug's line: where it is written, or the entry's name when it was made from the name.
    let slug_at = |written: &Option<String>, name: &str| match written {
        Some(s) => entry("slug", s, false),
        None => entry("name", name, false),
    };
    let entry_err = |key: &str, value: &str, msg: String| {
        Diagnostic::new(CONFIG_FILE, entry(key, value, true), msg)
    };

    let base_url = match normalize_base_url(&file.base_url) {
        Some(b) => b,
        None => {
            diags.push(
                err(
                    "base_url",
                    gongkai_i18n::tr!("config.bad_base_url", value = &file.base_url),
                )
                .hint(gongkai_i18n::tr!("config.bad_base_url_hint")),
            );
            String::from("/")
        }
    };

    let mut districts: IdVec<DistrictId, District> = IdVec::new();
    for d in file.districts {
        if let Some(p) = slug_problem(SlugOf::District, &d.slug, Path::new(CONFIG_FILE), || {
            entry("slug", &d.slug, false)
        }) {
            diags.push(p);
        }
        if districts
            .iter()
            .any(|x| x.slug == d.slug || x.name == d.name)
        {
            diags.push(entry_err(
                "slug",
                &d.slug,
                gongkai_i18n::tr!("config.district_twice", name = &d.name, slug = &d.slug),
            ));
        }
        districts.push(District {
            slug: d.slug,
            name: d.name,
            region: d.region,
        });
    }
    let scope_of = |district: &Option<String>,
                    shared: bool,
                    name: &str,
                    diags: &mut Diagnostics| {
        match (district, shared) {
            (Some(slug), false) => match districts.iter_ids().find(|(_, d)| &d.slug == slug) {
                Some((id, _)) => Some(Scope::District(id)),
                None => {
                    let known: Vec<&str> = districts.iter().map(|d| d.slug.as_str()).collect();
                    diags.push(
                        entry_err(
                            "district",
                            slug,
                            gongkai_i18n::tr!("config.unknown_district", slug = slug, name = name),
                        )
                        .hint(gongkai_i18n::tr!(
                            "config.known_districts",
                            list = known.join(", ")
                        )),
                    );
                    None
                }
            },
            (None, true) => Some(Scope::Shared),
            (Some(_), true) => {
                diags.push(
                    entry_err(
                        "name",
                        name,
                        gongkai_i18n::tr!("config.district_and_shared", name = name),
                    )
                    .hint(gongkai_i18n::tr!("config.district_and_shared_hint")),
                );
                None
            }
            // A site of one district: everything is that district's.
            (None, false) if districts.len() == 1 => Some(Scope::District(DistrictId::new(0))),
            (None, false) => {
                diags.push(
                    entry_err(
                        "name",
                        name,
                        gongkai_i18n::tr!("config.no_scope", name = name),
                    )
                    .hint(gongkai_i18n::tr!("config.no_scope_hint")),
                );
                None
            }
        }
    };

    let mut units: Registry<UnitId, Unit> = Registry::default();
    for u in file.units {
        let Some(scope) = scope_of(&u.district, u.shared, &u.name, &mut diags) else {
            continue;
        };
        let slug = u.slug.clone().unwrap_or_else(|| {
            unique_slug(
                pinyin_slug(&u.name, &format!("unit-{}", units.items.len() + 1)),
                units
                    .items
                    .iter()
                    .filter(|x| x.scope == scope)
                    .map(|x| x.slug.as_str()),
            )
        });
        if let Some(p) = slug_problem(SlugOf::Unit, &slug, Path::new(CONFIG_FILE), || {
            slug_at(&u.slug, &u.name)
        }) {
            diags.push(p);
        }
        let unit = Unit {
            slug,
            name: u.name.clone(),
            aliases: u.aliases,
            kind: u.kind,
            scope,
            declared: true,
        };
        if let Err(taken) = units.insert(unit) {
            diags.push(
                entry_err(
                    "name",
                    &u.name,
                    gongkai_i18n::tr!("config.unit_name_twice", name = taken),
                )
                .hint(gongkai_i18n::tr!("config.unit_name_twice_hint")),
            );
        }
    }

    let mut persons: Registry<PersonId, Person> = Registry::default();
    for p in file.persons {
        let Some(scope) = scope_of(&p.district, p.shared, &p.name, &mut diags) else {
            continue;
        };
        let slug = p.slug.clone().unwrap_or_else(|| {
            unique_slug(
                pinyin_slug(&p.name, &format!("person-{}", persons.items.len() + 1)),
                persons
                    .items
                    .iter()
                    .filter(|x| x.scope == scope)
                    .map(|x| x.slug.as_str()),
            )
        });
        if let Some(d) = slug_problem(SlugOf::Person, &slug, Path::new(CONFIG_FILE), || {
            slug_at(&p.slug, &p.name)
        }) {
            diags.push(d);
        }
        let person = Person {
            slug,
            name: p.name.clone(),
            office: p.office,
            scope,
            declared: true,
        };
        if persons.insert(person).is_err() {
            diags.push(entry_err(
                "name",
                &p.name,
                gongkai_i18n::tr!("config.person_twice", name = &p.name),
            ));
        }
    }

    let mut indicators = Indicators::default();
    for i in file.indicators {
        if let Some(d) = slug_problem(SlugOf::Indicator, &i.slug, Path::new(CONFIG_FILE), || {
            entry("slug", &i.slug, false)
        }) {
            diags.push(d);
        }
        let def = IndicatorDef {
            slug: i.slug,
            name: i.name.clone(),
            aliases: i.aliases,
            unit: i.unit,
            direction: i.direction,
        };
        if let Err(taken) = indicators.insert(def) {
            diags.push(entry_err(
                "name",
                &i.name,
                gongkai_i18n::tr!("config.indicator_twice", name = taken),
            ));
        }
    }

    // Slugs are URLs: two entities on one URL would overwrite each other's page. Units and
    // persons of one district share its folder; shared ones sit beside the district folders.
    // Where a repeated slug is: its `slug:` line, or the entry's name when it was made from it.
    let slug_line = |slug: &str, name: &str| {
        yaml::lines_of_entry(&text, "slug", slug)
            .last()
            .copied()
            .unwrap_or_else(|| entry("name", name, true))
    };
    let slug_key = |scope: Scope, slug: &str| match scope {
        Scope::District(d) => format!("{}/{slug}", districts[d].slug),
        Scope::Shared => slug.to_string(),
    };
    check_unique(
        units
            .items
            .iter()
            .map(|u| (slug_key(u.scope, &u.slug), &u.name)),
        &districts,
        "slug.unit",
        &slug_line,
        &mut diags,
    );
    check_unique(
        persons
            .items
            .iter()
            .map(|p| (slug_key(p.scope, &p.slug), &p.name)),
        &districts,
        "slug.person",
        &slug_line,
        &mut diags,
    );
    check_unique(
        indicators.items.iter().map(|i| (i.slug.clone(), &i.name)),
        &IdVec::new(),
        "slug.indicator",
        &slug_line,
        &mut diags,
    );

    let list_line = yaml::line_of(&text, "comparisons:", 0);
    let mut after = list_line;
    let comparisons = file
        .comparisons
        .into_iter()
        .map(|c| {
            // Entries are in file order, so each is found after the one before it.
            let line = text
                .lines()
                .enumerate()
                .skip(after)
                .find(|(_, l)| l.contains(c.from.as_str()))
                .map_or(list_line, |(i, _)| i + 1);
            after = line;
            ComparisonSpec {
                from: c.from,
                to: c.to,
                title: c.title,
                line,
            }
        })
        .collect();

    if file.page_size == 0 || file.page_size > 10_000 {
        diags.push(err("page_size", gongkai_i18n::tr!("config.page_size")));
    }
    if let Some(d) = &file.as_of
        && !gongkai_model::period::is_date(d)
    {
        diags.push(
            err("as_of", gongkai_i18n::tr!("track.bad_as_of", value = d))
                .hint(gongkai_i18n::tr!("validate.not_a_date_hint")),
        );
    }

    if diags.has_errors() {
        return Err(diags);
    }
    Ok(SiteConfig {
        title: file.title,
        base_url,
        language: file.language,
        description: file.description,
        site_id_code: file.site_id_code,
        column_name: file.column_name,
        column_type: file.column_type,
        organizer: file.organizer,
        icp: file.icp,
        police_record: file.police_record,
        default_topic: file.default_topic,
        allow_new_units: file.allow_new_units,
        allow_new_indicators: file.allow_new_indicators,
        page_size: file.page_size,
        minify: file.minify,
        as_of: file.as_of,
        districts,
        units,
        persons,
        indicators,
        comparisons,
        text,
    })
}

/// `slug`, or `slug-2`, `slug-3` … when one of `taken` has it.
pub fn unique_slug<'a>(slug: String, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    gongkai_zh::slug::unique(&slug, |c| taken.clone().any(|t| t == c))
}

fn check_unique<'a>(
    items: impl Iterator<Item = (String, &'a String)>,
    districts: &IdVec<DistrictId, District>,
    what: &str,
    at: &dyn Fn(&str, &str) -> usize,
    diags: &mut Diagnostics,
) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (key, name) in items {
        // A shared entity's folder must not be a district's.
        let clash = !key.contains('/') && districts.iter().any(|d| d.slug == key);
        if let Some(other) = seen.insert(key.clone(), name) {
            diags.push(
                Diagnostic::new(
                    CONFIG_FILE,
                    at(key.rsplit('/').next().unwrap_or(&key), name),
                    gongkai_i18n::tr!(
                        "config.same_slug",
                        what = gongkai_i18n::tr!(what),
                        a = other,
                        b = name,
                        slug = &key
                    ),
                )
                .hint(gongkai_i18n::tr!("config.same_slug_hint")),
            );
        } else if clash {
            diags.push(
                Diagnostic::new(
                    CONFIG_FILE,
                    at(&key, name),
                    gongkai_i18n::tr!(
                        "config.slug_is_district",
                        what = gongkai_i18n::tr!(what),
                        name = name,
                        slug = &key
                    ),
                )
                .hint(gongkai_i18n::tr!("config.same_slug_hint")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(extra: &str) -> Result<SiteConfig, Diagnostics> {
        parse(format!(
            "title: t\nbase_url: https://example.gov.cn/zwgk/aqsc/\ndistricts:\n  - slug: a\n    name: 甲区\n  - slug: b\n    name: 乙区\n{extra}"
        ))
    }

    #[test]
    fn base_urls_are_addresses_or_root_paths() {
        assert_eq!(
            normalize_base_url(" https://www.example.gov.cn/zwgk/aqsc "),
            Some("https://www.example.gov.cn/zwgk/aqsc/".into())
        );
        assert_eq!(normalize_base_url("/zwgk/"), Some("/zwgk/".into()));
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT://x",
            "//evil.example/",
            "https:///x",
            "data:text/html,x",
            "/a\"onmouseover=\"x",
            "/a b/",
            "",
            "zwgk/",
        ] {
            assert_eq!(normalize_base_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn base_path_of_sub_path_site() {
        let c = cfg("").unwrap();
        assert_eq!(c.base_path(), "/zwgk/aqsc/");
    }

    #[test]
    fn units_of_two_districts_are_two_units_with_readable_slugs() {
        let c = cfg(
            "units:\n  - name: 区应急局\n    district: a\n  - name: 区应急局\n    district: b\n  - name: 市应急局\n    shared: true\n",
        )
        .unwrap();
        let (a, b) = (DistrictId::new(0), DistrictId::new(1));
        let (ua, ub) = (
            c.units.find(a, "区应急局").unwrap(),
            c.units.find(b, "区应急局").unwrap(),
        );
        assert_ne!(ua, ub);
        assert_eq!(c.units[ua].slug, "qu-ying-ji-ju");
        assert_eq!(c.units.find(a, "市应急局"), c.units.find(b, "市应急局"));
    }

    #[test]
    fn a_unit_of_a_site_with_several_districts_must_say_whose_it_is() {
        let e = cfg("units:\n  - name: 区应急局\n").unwrap_err();
        assert!(e.0[0].message.contains("区应急局"), "{:?}", e.0);
        let e = cfg("units:\n  - name: 区应急局\n    district: c\n").unwrap_err();
        assert_eq!(e.0[0].line, 10, "{:?}", e.0);
    }

    #[test]
    fn person_slugs_are_checked_like_every_slug() {
        for bad in ["../../../../tmp/x", "'x\" onmouseover=\"alert(1)'", "data"] {
            let e = cfg(&format!(
                "persons:\n  - name: 示甲\n    district: a\n    slug: {bad}\n"
            ))
            .unwrap_err();
            assert!(!e.0.is_empty(), "{bad}");
        }
        assert!(cfg("districts2: x\n").is_err());
    }

    #[test]
    fn district_slugs_cannot_take_the_site_s_own_folders() {
        let e =
            parse("title: t\nbase_url: /x/\ndistricts:\n  - slug: search\n    name: 甲区\n".into())
                .unwrap_err();
        assert!(e.0[0].message.contains("search"), "{:?}", e.0);
    }
}
