//! A PDF's text layer, in reading order, with pdf-extract; the text then goes the way of any
//! plain text (spaces inside Chinese removed, broken lines joined). A PDF without a text layer —
//! a scan — is said to be one.

use crate::tr;

/// Below this many visible characters, a PDF holds no text layer to speak of: it is a scan.
const MIN_TEXT: usize = 20;

/// The text of a PDF, and how many spaces between Chinese and digits were removed.
pub fn text(bytes: &[u8]) -> Result<(String, usize), String> {
    // pdf-extract and the PDF parser under it may panic on a damaged file: a bad document must
    // be an error, not a crash of the whole import.
    let result = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
    let text = match result {
        Ok(Ok(t)) => t,
        Ok(Err(e)) => return Err(tr!("import.error.pdf", error = e)),
        Err(_) => return Err(tr!("import.error.pdf", error = "panic")),
    };
    // Form feeds end pages; a page break inside a sentence is a line break like any other.
    let text = text.replace('\u{c}', "\n");
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    if visible < MIN_TEXT {
        return Err(tr!("import.error.scanned_pdf"));
    }
    Ok(drop_script_spaces(&text))
}

/// PDF writers put a space where the font changes between Chinese and Latin or digits:
/// `示例区 2025 年`, `〔2025〕5 号`. Those spaces are no part of the text; spaces between two
/// Latin words or two numbers stay.
pub fn drop_script_spaces(text: &str) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut removed = 0;
    let wide = crate::body::is_wide;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            if let (Some(a), Some(b)) = (prev, next)
                && ((wide(a) && b.is_ascii_alphanumeric())
                    || (a.is_ascii_alphanumeric() && wide(b)))
            {
                removed += 1;
                continue;
            }
        }
        out.push(c);
    }
    (out, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_change_spaces() {
        assert_eq!(
            drop_script_spaces("示例区 2025 年，〔2025〕5 号，GB 6441 标准"),
            ("示例区2025年，〔2025〕5号，GB 6441标准".to_string(), 4)
        );
    }
}
