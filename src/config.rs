//! The site configuration (`site.yaml`): site identity for portal pages, and the registries of
//! districts, units, persons and indicators that make the same entity one thing across plans.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::yaml;

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
    #[serde(default)]
    districts: Vec<DistrictEntry>,
    #[serde(default)]
    units: Vec<UnitEntry>,
    #[serde(default)]
    persons: Vec<PersonEntry>,
    #[serde(default)]
    indicators: Vec<IndicatorEntry>,
    /// Pairs of plans to compare besides the consecutive ones.
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
    slug: Option<String>,
    /// Post, e.g. 副区长, when the publisher wants it shown.
    #[serde(default)]
    title: Option<String>,
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

/// What kind of body a unit is: a department, a township/street (乡镇/街道), or a group of
/// bodies named together (各乡镇, 区安委会各成员单位).
#[derive(
    Debug, Clone, Copy, Default, Deserialize, serde::Serialize, PartialEq, Eq, PartialOrd, Ord,
)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    #[default]
    Department,
    Township,
    Group,
    Other,
}

impl UnitKind {
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Department => "部门",
            UnitKind::Township => "乡镇街道",
            UnitKind::Group => "单位群体",
            UnitKind::Other => "其他",
        }
    }
}

/// Which way an indicator should move: down (事故起数), up, or to zero (杜绝).
#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Decrease,
    Increase,
    Eliminate,
    Maintain,
}

impl Direction {
    pub fn label(self) -> &'static str {
        match self {
            Direction::Decrease => "下降",
            Direction::Increase => "上升",
            Direction::Eliminate => "杜绝",
            Direction::Maintain => "保持",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct District {
    pub slug: String,
    pub name: String,
    pub region: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Unit {
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: UnitKind,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Person {
    pub slug: String,
    pub name: String,
    pub title: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct IndicatorDef {
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub unit: Option<String>,
    pub direction: Option<Direction>,
}

/// A comparison the publisher asked for in `site.yaml`, by the paths of its two plans
/// (`shili/2024/aqsc-gongzuo-yijian`), resolved against the plans by validation.
#[derive(Debug, Clone)]
pub struct ComparisonSpec {
    pub from: String,
    pub to: String,
    pub title: Option<String>,
    /// Line of the entry in `site.yaml`.
    pub line: usize,
}

/// Names to entries, with aliases; indices point into `items`.
#[derive(Debug, Clone)]
pub struct Registry<T> {
    pub items: Vec<T>,
    by_name: HashMap<String, usize>,
}

impl<T> Default for Registry<T> {
    fn default() -> Self {
        Registry {
            items: Vec::new(),
            by_name: HashMap::new(),
        }
    }
}

impl<T> Registry<T> {
    pub fn get(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }
    /// Adds an entry under its names; returns the name already taken, if any.
    fn insert(&mut self, item: T, names: &[&str]) -> Result<usize, String> {
        for n in names {
            if self.by_name.contains_key(*n) {
                return Err((*n).to_string());
            }
        }
        let idx = self.items.len();
        self.items.push(item);
        for n in names {
            self.by_name.insert((*n).to_string(), idx);
        }
        Ok(idx)
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
    pub districts: Vec<District>,
    pub units: Registry<Unit>,
    pub persons: Registry<Person>,
    pub indicators: Registry<IndicatorDef>,
    pub comparisons: Vec<ComparisonSpec>,
}

impl SiteConfig {
    pub fn district(&self, slug: &str) -> Option<&District> {
        self.districts.iter().find(|d| d.slug == slug)
    }

    /// The path part of the base URL (`/zwgk/aqsc/`), for pages that must link absolutely (404).
    pub fn base_path(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        rest.find('/').map_or("/", |i| &rest[i..])
    }

    /// Registers a unit met in content when the config allows new units.
    pub fn add_unit(&mut self, name: &str) -> usize {
        let unit = Unit {
            slug: hashed_slug("u", name),
            name: name.into(),
            aliases: vec![],
            kind: guess_kind(name),
        };
        self.units
            .insert(unit, &[name])
            .unwrap_or_else(|_| self.units.get(name).unwrap_or(0))
    }

    pub fn add_indicator(&mut self, name: &str) -> usize {
        let def = IndicatorDef {
            slug: hashed_slug("i", name),
            name: name.into(),
            aliases: vec![],
            unit: None,
            direction: None,
        };
        self.indicators
            .insert(def, &[name])
            .unwrap_or_else(|_| self.indicators.get(name).unwrap_or(0))
    }

    /// Persons need no registration: a name met in content gets a stable slug.
    pub fn person(&mut self, name: &str) -> usize {
        if let Some(i) = self.persons.get(name) {
            return i;
        }
        let p = Person {
            slug: hashed_slug("p", name),
            name: name.into(),
            title: None,
        };
        self.persons.insert(p, &[name]).unwrap_or(0)
    }
}

/// A best guess of a unit's kind from its name, for units added without registration.
pub fn guess_kind(name: &str) -> UnitKind {
    let group = name.starts_with('各')
        || name.contains("成员单位")
        || name.contains("有关")
        || name.contains("各专")
        || name.ends_with("牵头部门");
    if group {
        UnitKind::Group
    } else if name.ends_with('镇') || name.ends_with("街道") || name.ends_with('乡') {
        UnitKind::Township
    } else {
        UnitKind::Department
    }
}

/// A stable ASCII slug for a Chinese name: a prefix and a hash of the name (FNV-1a), so URLs do
/// not change between builds and need no pinyin.
pub fn hashed_slug(prefix: &str, name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{prefix}-{:010x}", h & 0xff_ffff_ffff)
}

/// Top-level folders of the output that a district slug must not take.
pub const RESERVED: &[&str] = &[
    "districts",
    "years",
    "units",
    "persons",
    "indicators",
    "data",
    "static",
    "search",
    "compare",
];

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// Reads and checks `site.yaml` under `root`.
pub fn load(root: &Path) -> Result<SiteConfig, Diagnostics> {
    let path = root.join(CONFIG_FILE);
    let mut diags = Diagnostics::default();
    let text = match crate::load::read_text(&path, Path::new(CONFIG_FILE)) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let file: ConfigFile = match yaml::from_str(&text, Path::new(CONFIG_FILE), 0) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let at = |needle: &str| yaml::line_of(&text, needle, 0);
    let err = |needle: &str, msg: String| {
        Diagnostic::new(CONFIG_FILE, yaml::line_of(&text, needle, 0), msg)
    };

    let mut base_url = file.base_url.trim().to_string();
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    if !(base_url.starts_with("http://")
        || base_url.starts_with("https://")
        || base_url.starts_with('/'))
    {
        diags.push(err("base_url", format!("base_url “{}” is not a URL", file.base_url))
            .hint("write the address the site will be published at, e.g. https://www.example.gov.cn/zwgk/aqsc/"));
    }

    let mut districts: Vec<District> = Vec::new();
    for d in file.districts {
        if !is_slug(&d.slug) {
            diags.push(
                err(
                    &d.slug,
                    format!(
                        "district slug “{}” must be lower-case ASCII letters, digits and -",
                        d.slug
                    ),
                )
                .hint("slugs become URLs; use e.g. jingan for 静安区"),
            );
        }
        if districts
            .iter()
            .any(|x| x.slug == d.slug || x.name == d.name)
        {
            diags.push(err(
                &d.slug,
                format!("district “{}” ({}) is listed twice", d.name, d.slug),
            ));
        }
        districts.push(District {
            slug: d.slug,
            name: d.name,
            region: d.region,
        });
    }

    let mut units = Registry::default();
    for u in file.units {
        let slug = u.slug.clone().unwrap_or_else(|| hashed_slug("u", &u.name));
        if !is_slug(&slug) {
            diags.push(err(
                &slug,
                format!("unit slug “{slug}” must be lower-case ASCII letters, digits and -"),
            ));
        }
        let mut names = vec![u.name.as_str()];
        names.extend(u.aliases.iter().map(String::as_str));
        let unit = Unit {
            slug,
            name: u.name.clone(),
            aliases: u.aliases.clone(),
            kind: u.kind,
        };
        if let Err(taken) = units.insert(unit, &names) {
            diags.push(
                err(
                    &u.name,
                    format!("unit name or alias “{taken}” is used by two units"),
                )
                .hint("each name may belong to one unit only; remove the duplicate alias"),
            );
        }
    }

    let mut persons = Registry::default();
    for p in file.persons {
        let slug = p.slug.clone().unwrap_or_else(|| hashed_slug("p", &p.name));
        let person = Person {
            slug,
            name: p.name.clone(),
            title: p.title,
        };
        if persons.insert(person, &[p.name.as_str()]).is_err() {
            diags.push(err(&p.name, format!("person “{}” is listed twice", p.name)));
        }
    }

    let mut indicators = Registry::default();
    for i in file.indicators {
        if !is_slug(&i.slug) {
            diags.push(err(
                &i.slug,
                format!(
                    "indicator slug “{}” must be lower-case ASCII letters, digits and -",
                    i.slug
                ),
            ));
        }
        let mut names = vec![i.name.as_str()];
        names.extend(i.aliases.iter().map(String::as_str));
        let def = IndicatorDef {
            slug: i.slug,
            name: i.name.clone(),
            aliases: i.aliases.clone(),
            unit: i.unit,
            direction: i.direction,
        };
        if let Err(taken) = indicators.insert(def, &names) {
            diags.push(err(
                &i.name,
                format!("indicator name or alias “{taken}” is used twice"),
            ));
        }
    }

    // Slugs are URLs: two entities on one URL would overwrite each other's page.
    check_unique_slugs(
        units.items.iter().map(|u| (&u.slug, &u.name)),
        "unit",
        &at,
        &mut diags,
    );
    check_unique_slugs(
        persons.items.iter().map(|p| (&p.slug, &p.name)),
        "person",
        &at,
        &mut diags,
    );
    check_unique_slugs(
        indicators.items.iter().map(|i| (&i.slug, &i.name)),
        "indicator",
        &at,
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

    if file.page_size == 0 {
        diags.push(err("page_size", "page_size must be at least 1".into()));
    }

    if !diags.is_empty() {
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
        districts,
        units,
        persons,
        indicators,
        comparisons,
    })
}

fn check_unique_slugs<'a>(
    items: impl Iterator<Item = (&'a String, &'a String)>,
    what: &str,
    at: &dyn Fn(&str) -> usize,
    diags: &mut Diagnostics,
) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (slug, name) in items {
        if let Some(other) = seen.insert(slug, name) {
            diags.push(
                Diagnostic::new(
                    CONFIG_FILE,
                    at(slug),
                    format!("{what}s “{other}” and “{name}” have the same slug “{slug}”"),
                )
                .hint("give one of them a different slug"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_slugs_are_stable_ascii() {
        let a = hashed_slug("u", "区应急局");
        assert_eq!(a, hashed_slug("u", "区应急局"));
        assert_ne!(a, hashed_slug("u", "区委宣传部"));
        assert!(is_slug(&a), "{a}");
        assert_eq!(a.len(), 12);
    }

    #[test]
    fn base_path_of_sub_path_site() {
        let mut c = test_config();
        c.base_url = "https://example.gov.cn/zwgk/aqsc/".into();
        assert_eq!(c.base_path(), "/zwgk/aqsc/");
        c.base_url = "https://example.gov.cn/".into();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn kinds_are_guessed_from_names() {
        assert_eq!(guess_kind("各乡镇"), UnitKind::Group);
        assert_eq!(guess_kind("区安委会各成员单位"), UnitKind::Group);
        assert_eq!(guess_kind("庙镇"), UnitKind::Township);
        assert_eq!(guess_kind("区应急局"), UnitKind::Department);
    }

    fn test_config() -> SiteConfig {
        SiteConfig {
            title: "t".into(),
            base_url: "/".into(),
            language: "zh-CN".into(),
            description: None,
            site_id_code: None,
            column_name: None,
            column_type: None,
            organizer: None,
            icp: None,
            police_record: None,
            default_topic: None,
            allow_new_units: false,
            allow_new_indicators: false,
            page_size: 100,
            districts: vec![],
            units: Registry::default(),
            persons: Registry::default(),
            indicators: Registry::default(),
            comparisons: vec![],
        }
    }
}
