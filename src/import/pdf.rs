//! A PDF's text layer, in reading order, with pdf-extract; the text then goes the way of any
//! plain text (spaces inside Chinese removed, broken lines joined). A PDF without a text layer —
//! a scan — is said to be one.

use crate::tr;

/// Below this many visible characters, a PDF holds no text layer to speak of: it is a scan.
const MIN_TEXT: usize = 20;

/// The text of a PDF.
pub fn text(bytes: &[u8]) -> Result<String, String> {
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
    Ok(text)
}
