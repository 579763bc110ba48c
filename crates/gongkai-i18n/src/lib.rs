//! The language gongkai speaks to the publisher: Chinese by default, English with `--lang en`,
//! `GONGKAI_LANG=en` or an English locale (`LANG=en_US.UTF-8`).
//!
//! Messages live in `locales/*.yml` (rust-i18n, compiled into the binary), one key with its
//! `zh-CN` and `en` text; [`tr!`](crate::tr) looks a key up in the current language. The
//! language is ours, not rust-i18n's global, so that library code used without `main` (tests,
//! other programs) speaks Chinese too.

use std::sync::atomic::{AtomicU8, Ordering};

// Messages of locales/*.yml, compiled in.
rust_i18n::i18n!("locales", fallback = "zh-CN");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

impl Lang {
    /// The locale code of `locales/*.yml`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// `zh`, `zh-CN`, `zh_CN.UTF-8`, `en`, `en_US.UTF-8` …; `None` for anything else.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// From the environment: `GONGKAI_LANG`, then the POSIX locale variables in their order of
    /// precedence. `C` and `POSIX` say nothing of a language, so they leave Chinese.
    pub fn from_env() -> Lang {
        ["GONGKAI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::parse(&v))
            .unwrap_or(Lang::Zh)
    }
}

/// Sets the language of every later message.
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

thread_local! {
    static OVERRIDE: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with messages in `lang` on this thread only (tests run side by side in one process).
pub fn with_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    let before = OVERRIDE.with(|o| o.replace(Some(lang)));
    let out = f();
    OVERRIDE.with(|o| o.set(before));
    out
}

pub fn current() -> Lang {
    if let Some(l) = OVERRIDE.with(std::cell::Cell::get) {
        return l;
    }
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Zh,
    }
}

/// The locale code of the current language, for [`tr!`](crate::tr).
pub fn code() -> &'static str {
    current().code()
}

/// The message `key` of `locales/*.yml` in the current language, with each `%{name}` replaced
/// by its argument. Use it through [`tr!`](crate::tr).
pub fn translate(key: &str, args: &[(&str, String)]) -> String {
    let mut text = rust_i18n::t!(key, locale = code()).into_owned();
    for (name, value) in args {
        text = text.replace(&format!("%{{{name}}}"), value);
    }
    text
}

/// A message of `locales/*.yml` in the current language, with its `%{name}` arguments filled:
/// `tr!("cli.problems_found", count = n)`. Any `Display` value is an argument.
#[macro_export]
macro_rules! tr {
    ($key:expr) => {
        $crate::translate($key, &[])
    };
    ($key:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::translate($key, &[$((stringify!($name), ($value).to_string())),+])
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn languages_parse_from_locale_names() {
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("C.UTF-8"), None);
    }

    #[test]
    fn messages_take_their_arguments() {
        assert_eq!(
            crate::tr!("cli.problems_found", errors = 3, warnings = 1),
            "发现 3 个错误、1 个警告，未发布任何内容。"
        );
        assert_eq!(
            with_lang(Lang::En, || crate::tr!(
                "cli.problems_found",
                errors = 3,
                warnings = 1
            )),
            "3 error(s) and 1 warning(s) found; nothing was published."
        );
    }

    /// Every key has its Chinese and its English text with the same arguments, and every key
    /// the code uses exists: rust-i18n would otherwise show the key itself.
    #[test]
    fn every_message_has_both_languages() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut keys = BTreeMap::new();
        for e in std::fs::read_dir(dir.join("locales")).unwrap() {
            let path = e.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let map: BTreeMap<String, serde_yaml_ng::Value> =
                serde_yaml_ng::from_str(&text).unwrap();
            for (key, v) in map {
                if key == "_version" {
                    continue;
                }
                let get = |l: &str| v.get(l).and_then(|x| x.as_str()).map(str::to_string);
                let (Some(zh), Some(en)) = (get("zh-CN"), get("en")) else {
                    panic!("{}: {key} lacks zh-CN or en", path.display());
                };
                let args = |s: &str| {
                    let mut a: Vec<String> = s
                        .split("%{")
                        .skip(1)
                        .filter_map(|x| x.split_once('}').map(|(n, _)| n.to_string()))
                        .collect();
                    a.sort();
                    a.dedup();
                    a
                };
                assert_eq!(args(&zh), args(&en), "{key}: arguments differ");
                assert!(keys.insert(key.clone(), ()).is_none(), "{key} twice");
            }
        }
        let mut missing = Vec::new();
        // Every crate of the workspace, and the binary's own sources.
        let workspace = dir.join("../..");
        let sources = [workspace.join("crates"), workspace.join("src")];
        for e in sources.iter().flat_map(walkdir::WalkDir::new) {
            let e = e.unwrap();
            if e.path().extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(e.path()).unwrap();
            // A `tr!` call, not the tail of `include_str!` or another macro.
            for (at, _) in text.match_indices("tr!(\"") {
                if text[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
                {
                    continue;
                }
                let key = text[at + 5..].split('"').next().unwrap_or_default();
                if !keys.contains_key(key) {
                    missing.push(format!("{}: {key}", e.path().display()));
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
    }
}
