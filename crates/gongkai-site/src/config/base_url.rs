//! `base_url:`, the start of every link of the site.

use super::lines::Lines;
use crate::diagnostics::Diagnostics;

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

/// The base URL `site.yaml` gives, normalized; `/` once a refused one is reported.
pub(super) fn parse(raw: &str, lines: Lines, diags: &mut Diagnostics) -> String {
    match normalize_base_url(raw) {
        Some(b) => b,
        None => {
            diags.push(
                lines
                    .field_err(
                        "base_url",
                        gongkai_i18n::tr!("config.bad_base_url", value = raw),
                    )
                    .hint(gongkai_i18n::tr!("config.bad_base_url_hint")),
            );
            String::from("/")
        }
    }
}
