//! Adding what an import met for the first time — a district, units, indicators — to
//! `site.yaml`, with yaml-edit, which edits the YAML's syntax tree losslessly: the publisher's
//! comments, order, quoting and list indentation (indented or at column 0) stay as they are.
//! The result is parsed back by the caller before anything is saved.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use yaml_edit::{Document, MappingBuilder, SequenceBuilder};

use super::{Converted, looks_like_alias};
use crate::error::RegistryError;
use gongkai_model::{Scope, UnitKind};
use gongkai_site::config::SiteConfig;
use gongkai_site::limits::{IMPORT_MAX_NEW_INDICATORS, IMPORT_MAX_NEW_UNITS};
use gongkai_zh::slug::pinyin_slug;

/// One entry to add to a top-level list: its fields in order.
type Entry = Vec<(&'static str, String)>;

/// `yaml` with `entries` appended to the top-level list `key` (made when missing).
pub fn append(yaml: &str, key: &str, entries: &[Entry]) -> Result<String, RegistryError> {
    if entries.is_empty() {
        return Ok(yaml.to_string());
    }
    let doc = Document::from_str(yaml).map_err(|e| RegistryError::Edit(e.to_string()))?;
    let root = doc.as_mapping().ok_or(RegistryError::NotMapping)?;
    let built: Vec<Document> = entries
        .iter()
        .map(|fields| {
            fields
                .iter()
                .fold(MappingBuilder::new(), |b, (k, v)| b.pair(*k, v.as_str()))
                .build_document()
        })
        .collect();
    match root.get_sequence(key) {
        Some(seq) => {
            for d in &built {
                let m = d.as_mapping().ok_or(RegistryError::NotMapping)?;
                seq.push(m);
            }
        }
        None if root.get(key).is_some_and(|v| !is_null(&v.to_string())) => {
            return Err(RegistryError::NotList(key.to_string()));
        }
        None => {
            let mut b = SequenceBuilder::new();
            for d in &built {
                let m = d.as_mapping().ok_or(RegistryError::NotMapping)?;
                b = b.item(m);
            }
            let seq = b.build_document();
            let s = seq.as_sequence().ok_or(RegistryError::NotMapping)?;
            root.set(key, s);
        }
    }
    Ok(doc.to_string())
}

/// A site of one district writes its units and persons without `district:` (they are that
/// district's). Before a second district is added, each such entry is given the first
/// district's slug, so that `site.yaml` stays valid and every unit stays where it was.
pub fn scope_unscoped(yaml: &str, district: &str) -> Result<String, RegistryError> {
    let doc = Document::from_str(yaml).map_err(|e| RegistryError::Edit(e.to_string()))?;
    let root = doc.as_mapping().ok_or(RegistryError::NotMapping)?;
    for key in ["units", "persons"] {
        let Some(seq) = root.get_sequence(key) else {
            continue;
        };
        for item in seq.values() {
            if let Some(m) = item.as_mapping()
                && !m.contains_key("district")
                && !m.contains_key("shared")
            {
                m.set("district", district);
            }
        }
    }
    Ok(doc.to_string())
}

fn is_null(v: &str) -> bool {
    matches!(v.trim(), "" | "~" | "null")
}

fn kind_name(k: UnitKind) -> &'static str {
    match k {
        UnitKind::Department => "department",
        UnitKind::Township => "township",
        UnitKind::Group => "group",
        UnitKind::Other => "other",
    }
}

/// site.yaml with the district, units and indicators the document brings, reporting each.
pub fn additions(
    yaml: &str,
    config: &SiteConfig,
    conv: &mut Converted,
) -> Result<String, RegistryError> {
    let mut yaml = yaml.to_string();
    if let Some(name) = &conv.new_district {
        if let [only] = config.districts.as_ref() {
            yaml = scope_unscoped(&yaml, &only.slug)?;
        }
        yaml = append(
            &yaml,
            "districts",
            &[vec![
                ("slug", conv.district.clone()),
                ("name", name.clone()),
            ]],
        )?;
        conv.report.new_district = Some(format!("{name} ({})", conv.district));
    }
    let entries = unit_entries(config, conv)?;
    yaml = append(&yaml, "units", &entries)?;
    let entries = indicator_entries(config, conv)?;
    append(&yaml, "indicators", &entries)
}

/// The entries of the units the document names that the site does not know, each reported
/// (with a known name it is likely an alias of).
fn unit_entries(config: &SiteConfig, conv: &mut Converted) -> Result<Vec<Entry>, RegistryError> {
    // Units are the district's own: its 区应急局 is not another district's.
    let known: Vec<&str> = match config.district_by_slug(&conv.district) {
        Some(d) => config.units.names_for(d),
        None => config
            .units
            .items
            .iter()
            .filter(|u| u.scope == Scope::Shared)
            .map(|u| u.name.as_str())
            .collect(),
    };
    let known_set: HashSet<&str> = known.iter().copied().collect();
    let new_units: Vec<String> = conv
        .units
        .iter()
        .filter(|u| !known_set.contains(u.as_str()))
        .cloned()
        .collect();
    // Each new unit is compared with every other name for likely aliases, and each is a
    // yaml-edit push that is linear in the list it joins: the count must be bounded.
    if new_units.len() > IMPORT_MAX_NEW_UNITS {
        return Err(RegistryError::TooManyUnits {
            file: conv.report.source.clone(),
            count: new_units.len(),
            limit: IMPORT_MAX_NEW_UNITS,
        });
    }
    // An alias shares its first and last character with the name (see `looks_like_alias`):
    // only names of the same pair are compared, in the order the search went before
    // (known names first, then the document's).
    let chain: Vec<&str> = known
        .iter()
        .copied()
        .chain(conv.units.iter().map(String::as_str))
        .collect();
    let mut by_ends: HashMap<(char, char), Vec<usize>> = HashMap::new();
    for (i, k) in chain.iter().enumerate() {
        if let (Some(a), Some(b)) = (k.chars().next(), k.chars().next_back()) {
            by_ends.entry((a, b)).or_default().push(i);
        }
    }
    let mut reported: HashSet<(String, String)> = HashSet::new();
    let mut entries = Vec::new();
    for u in new_units {
        let ends = u.chars().next().zip(u.chars().next_back());
        let other = ends
            .and_then(|e| by_ends.get(&e))
            .into_iter()
            .flatten()
            .map(|&i| chain[i])
            .find(|&k| k != u.as_str() && looks_like_alias(&u, k))
            .map(str::to_string);
        if let Some(k) = other
            && !reported.contains(&(k.clone(), u.clone()))
        {
            reported.insert((u.clone(), k.clone()));
            conv.report.possible_aliases.push((u.clone(), k));
        }
        entries.push(vec![
            ("name", u.clone()),
            ("district", conv.district.clone()),
            ("kind", kind_name(UnitKind::guess(&u)).to_string()),
        ]);
        conv.report.new_units.push(u);
    }
    Ok(entries)
}

/// The entries of the indicators the document sets that the site does not know, each with a
/// slug of its own, each reported.
fn indicator_entries(
    config: &SiteConfig,
    conv: &mut Converted,
) -> Result<Vec<Entry>, RegistryError> {
    let new_indicators = conv
        .indicators
        .iter()
        .filter(|i| config.indicators.find_shared(&i.name).is_none())
        .count();
    if new_indicators > IMPORT_MAX_NEW_INDICATORS {
        return Err(RegistryError::TooManyIndicators {
            file: conv.report.source.clone(),
            count: new_indicators,
            limit: IMPORT_MAX_NEW_INDICATORS,
        });
    }
    let mut entries = Vec::new();
    let mut slugs: HashSet<String> = config
        .indicators
        .items
        .iter()
        .map(|i| i.slug.clone())
        .collect();
    for i in &conv.indicators {
        if config.indicators.find_shared(&i.name).is_some() {
            continue;
        }
        let slug =
            gongkai_zh::slug::unique(&pinyin_slug(&i.name, "indicator"), |s| slugs.contains(s));
        slugs.insert(slug.clone());
        let mut e = vec![("slug", slug), ("name", i.name.clone())];
        if let Some(d) = i.direction() {
            e.push(("direction", d.to_string()));
        }
        entries.push(e);
        conv.report.new_indicators.push(i.name.clone());
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    #[test]
    fn units_of_a_one_district_site_are_given_its_district_before_a_second_comes() {
        let yaml = "# mine\ndistricts:\n- slug: shili\n  name: 示例区\nunits:\n- name: 区应急局\n- name: 市应急局\n  shared: true\n- name: 各街镇\n  district: shili\n";
        let out = super::scope_unscoped(yaml, "shili").unwrap();
        assert!(out.starts_with("# mine\n"), "{out}");
        let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(&out).unwrap();
        let units = v["units"].as_sequence().unwrap();
        assert_eq!(units[0]["district"], "shili");
        assert!(units[1].get("district").is_none());
        assert_eq!(units[2]["district"], "shili");
    }

    use super::*;

    fn read(y: &str) -> serde_yaml_ng::Value {
        serde_yaml_ng::from_str(y).unwrap()
    }

    #[test]
    fn comments_order_and_column_zero_lists_survive() {
        let y = "title: t\n# units below\nunits:\n- name: 区应急局\n  kind: department\n# end of units\nindicators: []\n";
        let out = append(
            y,
            "units",
            &[vec![
                ("name", "区交通委".into()),
                ("kind", "department".into()),
            ]],
        )
        .unwrap();
        assert!(out.starts_with("title: t\n# units below\nunits:\n- name: 区应急局\n"));
        assert!(out.contains("# end of units"));
        let v = read(&out);
        assert_eq!(v["units"][1]["name"].as_str(), Some("区交通委"));
        assert_eq!(v["units"].as_sequence().unwrap().len(), 2);
    }

    #[test]
    fn hostile_names_read_back_as_themselves() {
        for name in [
            "区\u{2028}应急局",
            "a: \"b\" #c 'd'",
            "- x",
            "#注释",
            "区应急局\n",
        ] {
            let y = "title: t\nunits:\n  - name: 区应急局\n";
            let out = append(y, "units", &[vec![("name", name.to_string())]]).unwrap();
            let v = read(&out);
            assert_eq!(v["units"][1]["name"].as_str(), Some(name), "{out}");
        }
    }

    #[test]
    fn missing_and_empty_lists() {
        let out = append("title: t\n", "districts", &[vec![("slug", "shili".into())]]).unwrap();
        assert_eq!(read(&out)["districts"][0]["slug"].as_str(), Some("shili"));
        let out = append(
            "title: t\nunits: []\n",
            "units",
            &[vec![("name", "甲".into())]],
        )
        .unwrap();
        assert_eq!(read(&out)["units"][0]["name"].as_str(), Some("甲"));
        assert!(
            append(
                "title: t\nunits: 3\n",
                "units",
                &[vec![("name", "甲".into())]]
            )
            .is_err()
        );
    }
}
