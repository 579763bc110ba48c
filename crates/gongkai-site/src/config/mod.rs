//! The site configuration (`site.yaml`): the site's identity for portal pages, and the
//! registries of districts, units, persons and indicators that make the same entity one thing
//! across plans and years. Units and persons belong to a district unless declared shared.
//!
//! Read section by section, as [`parse`] lists them: `base_url`, `districts` (with the scope of
//! each unit and person), `units`, `persons`, `indicators`, the slugs of all of them as URLs
//! (`slugs`), `comparisons`; each module checks its own and reports on the lines of `site.yaml`
//! (`lines`).

mod base_url;
mod comparisons;
mod districts;
mod indicators;
mod lines;
mod persons;
mod slugs;
mod units;

use gongkai_model::Date;
use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::Diagnostics;
use crate::yaml;
use gongkai_model::{
    District, DistrictId, IdVec, IndicatorDef, IndicatorId, Person, PersonId, Registry, Unit,
    UnitId,
};
use lines::Lines;

pub use base_url::normalize_base_url;
pub use comparisons::ComparisonSpec;
pub use slugs::{SlugOf, new_slug, slug_problem};

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
    districts: Vec<districts::DistrictEntry>,
    #[serde(default)]
    units: Vec<units::UnitEntry>,
    #[serde(default)]
    persons: Vec<persons::PersonEntry>,
    #[serde(default)]
    indicators: Vec<indicators::IndicatorEntry>,
    /// Pairs of plans to compare besides each plan and the one before it in its series.
    #[serde(default)]
    comparisons: Vec<comparisons::ComparisonEntry>,
}

fn default_language() -> String {
    "zh-CN".into()
}
fn default_page_size() -> usize {
    100
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
    pub as_of: Option<Date>,
    pub districts: IdVec<DistrictId, District>,
    /// The units `site.yaml` declares; validation adds those met in content when allowed.
    pub units: Registry<UnitId, Unit>,
    /// The persons `site.yaml` declares; persons met in content are added by validation.
    pub persons: Registry<PersonId, Person>,
    /// The indicators `site.yaml` declares, all shared; validation adds those met in content
    /// when allowed.
    pub indicators: Registry<IndicatorId, IndicatorDef>,
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
    let lines = Lines(&text);
    let base_url = base_url::parse(&file.base_url, lines, &mut diags);
    let districts = districts::parse(file.districts, lines, &mut diags);
    let units = units::parse(file.units, &districts, lines, &mut diags);
    let persons = persons::parse(file.persons, &districts, lines, &mut diags);
    let indicators = indicators::parse(file.indicators, lines, &mut diags);
    slugs::check_urls(&districts, &units, &persons, &indicators, lines, &mut diags);
    let comparisons = comparisons::parse(file.comparisons, &text);
    check_settings(file.page_size, file.as_of.as_deref(), lines, &mut diags);
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
        as_of: file.as_of.as_deref().and_then(Date::parse),
        districts,
        units,
        persons,
        indicators,
        comparisons,
        text,
    })
}

/// `page_size:` and `as_of:`.
fn check_settings(page_size: usize, as_of: Option<&str>, lines: Lines, diags: &mut Diagnostics) {
    if page_size == 0 || page_size > 10_000 {
        diags.push(lines.field_err("page_size", gongkai_i18n::tr!("config.page_size")));
    }
    if let Some(d) = as_of
        && Date::parse(d).is_none()
    {
        diags.push(
            lines
                .field_err("as_of", gongkai_i18n::tr!("track.bad_as_of", value = d))
                .hint(gongkai_i18n::tr!("validate.not_a_date_hint")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::Id;

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
