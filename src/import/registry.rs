//! Adding what an import met for the first time to `site.yaml`, by editing its text so that the
//! publisher's comments and order stay as they are.

/// Appends list entries (each a YAML block starting `  - `) to the top-level list `key`.
pub fn append_entries(yaml: &str, key: &str, entries: &[String]) -> Result<String, String> {
    if entries.is_empty() {
        return Ok(yaml.to_string());
    }
    let block: String = entries.concat();
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let head = format!("{key}:");
    let Some(at) = lines.iter().position(|l| l.starts_with(&head)) else {
        let mut out = yaml.to_string();
        if !out.ends_with('\n') && !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("{key}:\n{block}"));
        return Ok(out);
    };
    let rest = lines[at][head.len()..].trim();
    let rest = rest.split(" #").next().unwrap_or("").trim();
    let mut out = String::new();
    if rest == "[]" {
        out.extend(lines[..at].iter().copied());
        out.push_str(&format!("{key}:\n{block}"));
        out.extend(lines[at + 1..].iter().copied());
        return Ok(out);
    }
    if !rest.is_empty() {
        return Err(format!(
            "`{key}:` in site.yaml is written on one line; write it as a list (one `- ` entry per line) so that entries can be added"
        ));
    }
    // The list runs while lines are indented, list items, comments or blank.
    let mut end = at + 1;
    let mut last_content = at + 1;
    while end < lines.len() {
        let l = lines[end];
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            end += 1;
            continue;
        }
        if l.starts_with([' ', '-', '\t']) {
            end += 1;
            last_content = end;
            continue;
        }
        break;
    }
    out.extend(lines[..last_content].iter().copied());
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&block);
    out.extend(lines[last_content..].iter().copied());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_to_empty_block_and_missing_lists() {
        let y = "title: t\n# units below\nunits: []\nindicators:\n  - slug: a\n    name: A\n\n# end\npersons: []\n";
        let e = vec!["  - name: 区应急局\n".to_string()];
        let out = append_entries(y, "units", &e).unwrap();
        assert!(out.contains("# units below\nunits:\n  - name: 区应急局\nindicators:"));
        let out =
            append_entries(&out, "indicators", &["  - slug: b\n    name: B\n".into()]).unwrap();
        assert!(out.contains("    name: A\n  - slug: b\n    name: B\n\n# end\npersons: []"));
        let out = append_entries(&out, "districts", &["  - slug: shili\n".into()]).unwrap();
        assert!(out.ends_with("districts:\n  - slug: shili\n"));
        assert!(append_entries("units: [a]\n", "units", &e).is_err());
    }
}
