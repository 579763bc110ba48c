//! The registries' entities: districts, units, persons and indicators, and how a name written in
//! a plan finds its entity. Units and persons belong to a district — every district has its own
//! 区应急局 — unless they are declared shared (a city bureau several districts name).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::id::{DistrictId, Id, IdVec};

/// What kind of body a unit is: a department, a township/street (乡镇/街道), or a group of
/// bodies named together (各乡镇, 区安委会各成员单位).
#[derive(
    Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash,
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
    /// A best guess from a unit's name, for units met in content without registration.
    pub fn guess(name: &str) -> UnitKind {
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
}

/// Which way an indicator should move: down (事故起数), up, or to zero (杜绝).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Decrease,
    Increase,
    Eliminate,
    Maintain,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct District {
    pub slug: String,
    pub name: String,
    /// The region it belongs to (上海市 holds 静安区, 浦东新区, 崇明区).
    pub region: Option<String>,
}

/// Where a unit or person belongs.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase", tag = "kind", content = "district")]
pub enum Scope {
    /// One district's own body: its 区应急局 is not another district's.
    District(DistrictId),
    /// Named by plans of any district (a city bureau, a region-wide group).
    Shared,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct Unit {
    /// Unique within its scope; with the district's slug, its URL.
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: UnitKind,
    pub scope: Scope,
    /// Listed in `site.yaml` (not only met in content).
    pub declared: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct Person {
    pub slug: String,
    pub name: String,
    /// 职务, e.g. 副区长, when `site.yaml` gives it.
    pub office: Option<String>,
    pub scope: Scope,
    pub declared: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct IndicatorDef {
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// Unit of measure (起, 人, %).
    pub unit: Option<String>,
    pub direction: Option<Direction>,
}

/// What a registry holds: an entity with a scope, a slug and names (a unit: its name and
/// aliases; a person: the name; an indicator: its name and aliases, shared by every district).
pub trait Named {
    /// What it is, for the slug of a name with no pinyin (`unit-3`).
    const KIND: &'static str;
    fn scope(&self) -> Scope;
    fn slug(&self) -> &str;
    fn name(&self) -> &str;
    /// The other names it goes by.
    fn aliases(&self) -> &[String] {
        &[]
    }
}

impl Named for Unit {
    const KIND: &'static str = "unit";
    fn scope(&self) -> Scope {
        self.scope
    }
    fn slug(&self) -> &str {
        &self.slug
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
}

impl Named for Person {
    const KIND: &'static str = "person";
    fn scope(&self) -> Scope {
        self.scope
    }
    fn slug(&self) -> &str {
        &self.slug
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for IndicatorDef {
    const KIND: &'static str = "indicator";
    /// An indicator means the same in every district's plans.
    fn scope(&self) -> Scope {
        Scope::Shared
    }
    fn slug(&self) -> &str {
        &self.slug
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
}

/// Entities of one kind with their names, looked up for the district a plan belongs to: the
/// district's own entity first, then a shared one. Units, persons and indicators are each one.
#[derive(Debug, Clone)]
pub struct Registry<I, T> {
    pub items: IdVec<I, T>,
    by_name: HashMap<(Scope, String), I>,
}

impl<I: Id, T> Default for Registry<I, T> {
    fn default() -> Self {
        Registry {
            items: IdVec::new(),
            by_name: HashMap::new(),
        }
    }
}

/// A name already taken in its scope, by another entity of the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameTaken(pub String);

impl<I: Id, T: Named> Registry<I, T> {
    /// Adds an entity under its names in its scope; the name already taken there, if any (the
    /// entity is not added then).
    pub fn insert(&mut self, item: T) -> Result<I, NameTaken> {
        let scope = item.scope();
        let names: Vec<String> = std::iter::once(item.name())
            .chain(item.aliases().iter().map(String::as_str))
            .map(str::to_string)
            .collect();
        for n in &names {
            if self.by_name.contains_key(&(scope, n.clone())) {
                return Err(NameTaken(n.clone()));
            }
        }
        let id = self.items.push(item);
        for n in names {
            self.by_name.insert((scope, n), id);
        }
        Ok(id)
    }

    /// The entity a plan of `district` means by `name`.
    pub fn find(&self, district: DistrictId, name: &str) -> Option<I> {
        self.by_name
            .get(&(Scope::District(district), name.to_string()))
            .or_else(|| self.by_name.get(&(Scope::Shared, name.to_string())))
            .copied()
    }

    /// The shared entity named `name` (every indicator is shared).
    pub fn find_shared(&self, name: &str) -> Option<I> {
        self.by_name
            .get(&(Scope::Shared, name.to_string()))
            .copied()
    }

    /// The names a plan of `district` can use, sorted (for "did you mean" hints that do not
    /// change from run to run).
    pub fn names_for(&self, district: DistrictId) -> Vec<&str> {
        self.names_where(|s| s == Scope::District(district) || s == Scope::Shared)
    }

    /// The names of the shared entities, sorted.
    pub fn shared_names(&self) -> Vec<&str> {
        self.names_where(|s| s == Scope::Shared)
    }

    fn names_where(&self, keep: impl Fn(Scope) -> bool) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .by_name
            .keys()
            .filter(|(s, _)| keep(*s))
            .map(|(_, n)| n.as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Whether an entity of `scope` has `slug`: slugs are URLs, unique within their scope.
    pub fn slug_taken(&self, scope: Scope, slug: &str) -> bool {
        self.items
            .iter()
            .any(|x| x.scope() == scope && x.slug() == slug)
    }

    /// The slug for the next entity when its name has none of its own (`unit-4`).
    pub fn fallback_slug(&self) -> String {
        format!("{}-{}", T::KIND, self.items.len() + 1)
    }
}

impl<I: Id, T> std::ops::Index<I> for Registry<I, T> {
    type Output = T;
    fn index(&self, id: I) -> &T {
        &self.items[id]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_guessed_from_names() {
        assert_eq!(UnitKind::guess("各乡镇"), UnitKind::Group);
        assert_eq!(UnitKind::guess("区安委会各成员单位"), UnitKind::Group);
        assert_eq!(UnitKind::guess("庙镇"), UnitKind::Township);
        assert_eq!(UnitKind::guess("区应急局"), UnitKind::Department);
    }

    fn unit(name: &str, scope: Scope) -> Unit {
        Unit {
            // The slugs pinyin would give (`gongkai_zh::slug::pinyin_slug`).
            slug: if name.starts_with("市") {
                "shi-ying-ji-ju"
            } else {
                "qu-ying-ji-ju"
            }
            .into(),
            name: name.into(),
            aliases: vec![],
            kind: UnitKind::Department,
            scope,
            declared: true,
        }
    }

    #[test]
    fn a_district_finds_its_own_unit_before_a_shared_one() {
        let (a, b) = (DistrictId::new(0), DistrictId::new(1));
        let mut r: Registry<crate::UnitId, Unit> = Registry::default();
        let ua = r.insert(unit("区应急局", Scope::District(a))).unwrap();
        let ub = r.insert(unit("区应急局", Scope::District(b))).unwrap();
        let shared = r.insert(unit("市应急局", Scope::Shared)).unwrap();
        assert_ne!(ua, ub);
        assert_eq!(r.find(a, "区应急局"), Some(ua));
        assert_eq!(r.find(b, "区应急局"), Some(ub));
        assert_eq!(r.find(b, "市应急局"), Some(shared));
        assert!(r.insert(unit("区应急局", Scope::District(a))).is_err());
        assert_eq!(r.names_for(a), ["区应急局", "市应急局"]);
    }

    #[test]
    fn indicators_are_shared_under_their_names_and_aliases() {
        let def = |slug: &str, name: &str, aliases: &[&str]| IndicatorDef {
            slug: slug.into(),
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            unit: None,
            direction: None,
        };
        let mut r: Registry<crate::IndicatorId, IndicatorDef> = Registry::default();
        let deaths = r.insert(def("siwang", "死亡人数", &["死亡数"])).unwrap();
        assert_eq!(r.find_shared("死亡数"), Some(deaths));
        assert_eq!(r.find(DistrictId::new(3), "死亡人数"), Some(deaths));
        assert_eq!(
            r.insert(def("x", "事故起数", &["死亡数"])),
            Err(NameTaken("死亡数".into()))
        );
        assert_eq!(r.shared_names(), ["死亡人数", "死亡数"]);
        assert!(r.slug_taken(Scope::Shared, "siwang"));
        assert_eq!(r.fallback_slug(), "indicator-2");
    }
}
