//! Folding: what makes two spellings of a text the same to search. Full-width letters, digits
//! and signs become their ASCII forms, ASCII letters lower case, and traditional characters
//! their simplified forms (OpenCC's character table, through `ferrous-opencc`). Every fold maps
//! one character of the Basic Multilingual Plane to one, so a folded text has the positions of
//! its original in UTF-16 code units, which is how the browser counts: a match in the folded
//! text is highlighted in the original at the same offsets.
//!
//! The search page folds the query the same way, with the table this module writes out
//! ([`table_json`]).

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Traditional → simplified, one character each, from OpenCC's T→S conversion.
fn t2s() -> &'static BTreeMap<char, char> {
    static TABLE: OnceLock<BTreeMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        use ferrous_opencc::OpenCC;
        use ferrous_opencc::config::BuiltinConfig;
        let Ok(cc) = OpenCC::from_config(BuiltinConfig::T2s) else {
            return BTreeMap::new();
        };
        // Every ideograph of the BMP alone on a line, converted at once: alone, a character
        // takes its character-table reading, never a phrase's.
        let ranges = [0x3400u32..=0x4DBF, 0x4E00..=0x9FFF, 0xF900..=0xFAFF];
        let chars: Vec<char> = ranges
            .into_iter()
            .flatten()
            .filter_map(char::from_u32)
            .collect();
        let input: String = chars.iter().flat_map(|&c| [c, '\n']).collect();
        let output = cc.convert(&input);
        let lines: Vec<&str> = output.split('\n').collect();
        let mut table = BTreeMap::new();
        for (i, &c) in chars.iter().enumerate() {
            let Some(line) = lines.get(i) else { break };
            let mut it = line.chars();
            if let (Some(s), None) = (it.next(), it.next())
                && s != c
                && s.len_utf16() == 1
            {
                table.insert(c, s);
            }
        }
        table
    })
}

/// The first character the traditional → simplified table can change.
const FIRST: u32 = 0x3400;

/// The table as a flat array over `FIRST..=U+FFFF`, 0 where a character stays: indexing folds
/// every character of every plan, and a lookup here is one load.
fn flat() -> &'static [u16] {
    static FLAT: OnceLock<Vec<u16>> = OnceLock::new();
    FLAT.get_or_init(|| {
        let mut v = vec![0u16; (0x1_0000 - FIRST) as usize];
        for (&t, &s) in t2s() {
            if let (Some(slot), Ok(s)) = ((t as u32).checked_sub(FIRST), u16::try_from(s as u32)) {
                v[slot as usize] = s;
            }
        }
        v
    })
}

/// One character folded.
#[inline]
pub fn fold_char(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        // Full-width ASCII (Ａ, ０, ＃ …) and the ideographic space.
        '\u{FF01}'..='\u{FF5E}' => {
            let a = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            a.to_ascii_lowercase()
        }
        '\u{3000}' => ' ',
        c if (c as u32) < FIRST || (c as u32) > 0xFFFF => c,
        c => match flat()[(c as u32 - FIRST) as usize] {
            0 => c,
            s => char::from_u32(u32::from(s)).unwrap_or(c),
        },
    }
}

/// A text folded, character by character.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// The table the search page folds queries with: `{"t2s": "體体…"}`, each traditional
/// character followed by its simplified form, for the simplified forms that `present` says the
/// index holds (a query character that folds to anything else finds nothing either way, so the
/// page fetches a few kilobytes, not the whole table). Width and case are folded by the page's
/// script.
pub fn table_json(present: &dyn Fn(char) -> bool) -> Vec<u8> {
    let pairs: String = t2s()
        .iter()
        .filter(|&(_, &s)| present(s))
        .flat_map(|(&t, &s)| [t, s])
        .collect();
    serde_json::to_vec(&serde_json::json!({ "t2s": pairs })).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_width_and_case_fold() {
        assert_eq!(fold("危險化學品"), "危险化学品");
        assert_eq!(fold("區應急管理局"), "区应急管理局");
        assert_eq!(fold("ＹＩＮＧＪＩ２０２１"), "yingji2021");
        assert_eq!(fold("浦应急〔2021〕39号"), "浦应急〔2021〕39号");
        // Simplified text stays as it is.
        assert_eq!(fold("安全生产电梯"), "安全生产电梯");
        // Same length in UTF-16, so offsets carry over.
        for s in ["危險化學品", "ＡＢＣ　ｄ", "𠀀體"] {
            assert_eq!(
                s.encode_utf16().count(),
                fold(s).encode_utf16().count(),
                "{s}"
            );
        }
        assert!(t2s().len() > 2000, "{} pairs", t2s().len());
    }
}
