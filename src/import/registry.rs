//! Adding what an import met for the first time — a district, units, indicators — to
//! `site.yaml`, with yaml-edit, which edits the YAML's syntax tree losslessly: the publisher's
//! comments, order, quoting and list indentation (indented or at column 0) stay as they are.
//! The result is parsed back by the caller before anything is saved.

use std::str::FromStr;

use yaml_edit::{Document, MappingBuilder, SequenceBuilder};

use super::{Converted, looks_like_alias};
use crate::config::{self, SiteConfig, UnitKind, guess_kind, hashed_slug};
use crate::tr;

/// One entry to add to a top-level list: its fields in order.
type Entry = Vec<(&'static str, String)>;

/// `yaml` with `entries` appended to the top-level list `key` (made when missing).
pub fn append(yaml: &str, key: &str, entries: &[Entry]) -> Result<String, String> {
    if entries.is_empty() {
        return Ok(yaml.to_string());
    }
    let doc = Document::from_str(yaml).map_err(|e| tr!("import.error.yaml_edit", error = e))?;
    let root = doc
        .as_mapping()
        .ok_or_else(|| tr!("import.error.yaml_not_mapping"))?;
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
                let m = d
                    .as_mapping()
                    .ok_or_else(|| tr!("import.error.yaml_not_mapping"))?;
                seq.push(m);
            }
        }
        None if root.get(key).is_some_and(|v| !is_null(&v.to_string())) => {
            return Err(tr!("import.error.yaml_not_list", key = key));
        }
        None => {
            let mut b = SequenceBuilder::new();
            for d in &built {
                let m = d
                    .as_mapping()
                    .ok_or_else(|| tr!("import.error.yaml_not_mapping"))?;
                b = b.item(m);
            }
            let seq = b.build_document();
            let s = seq
                .as_sequence()
                .ok_or_else(|| tr!("import.error.yaml_not_mapping"))?;
            root.set(key, s);
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
pub fn additions(yaml: &str, config: &SiteConfig, conv: &mut Converted) -> Result<String, String> {
    let mut yaml = yaml.to_string();
    if let Some(name) = &conv.new_district {
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
    let known: Vec<&str> = config.units.names().collect();
    let mut entries = Vec::new();
    for u in &conv.units {
        if config.units.get(u).is_some() {
            continue;
        }
        let other = known
            .iter()
            .map(|k| k.to_string())
            .chain(conv.units.iter().filter(|o| *o != u).cloned())
            .find(|k| looks_like_alias(u, k));
        if let Some(k) = other
            && !conv
                .report
                .possible_aliases
                .iter()
                .any(|(a, b)| *a == k && b == u)
        {
            conv.report.possible_aliases.push((u.clone(), k));
        }
        entries.push(vec![
            ("name", u.clone()),
            ("kind", kind_name(guess_kind(u)).to_string()),
        ]);
        conv.report.new_units.push(u.clone());
    }
    yaml = append(&yaml, "units", &entries)?;
    let mut entries = Vec::new();
    for i in &conv.indicators {
        if config.indicators.get(&i.name).is_some() {
            continue;
        }
        let mut e = vec![
            ("slug", hashed_slug("i", &i.name)),
            ("name", i.name.clone()),
        ];
        if let Some(d) = i.direction() {
            e.push(("direction", d.to_string()));
        }
        entries.push(e);
        conv.report.new_indicators.push(i.name.clone());
    }
    let out = append(&yaml, "indicators", &entries)?;
    let _ = config::CONFIG_FILE;
    Ok(out)
}

#[cfg(test)]
mod tests {
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
