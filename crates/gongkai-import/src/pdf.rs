//! A PDF's text layer, in reading order, with pdf-extract; the text then goes the way of any
//! plain text (spaces inside Chinese removed, broken lines joined). A PDF without a text layer —
//! a scan — is said to be one; so is one that is password-protected, and one whose text layer
//! is damaged.
//!
//! pdf-extract decodes every stream it meets whole, and follows form XObjects and `/Parent`
//! links without looking back. So the file is checked first ([`prescan`], then [`structure`]):
//! every stream decoded through a cap (each and all together), nesting counted, and the
//! structure pdf-extract walks checked for cycles and for fan-out before it walks it.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use crate::error::DocumentError;
use gongkai_i18n::tr;
use gongkai_site::limits::{self, PDF_DEPTH, PDF_FORM_CALLS, PDF_STREAM_BYTES, PDF_TOTAL_BYTES};

/// Below this many visible characters, a PDF holds no text layer to speak of: it is a scan.
const MIN_TEXT: usize = 20;

/// The text of a PDF, and how many spaces between Chinese and digits were removed.
pub fn text(bytes: &[u8]) -> Result<(String, usize), DocumentError> {
    let scan = prescan(bytes)?;
    // lopdf decodes object streams while loading; the pre-scan has bounded those already.
    if let Ok(doc) = lopdf::Document::load_mem(bytes) {
        structure(&doc)?;
    }
    // pdf-extract and the PDF parser under it may panic on a damaged file: a bad document must
    // be an error, not a crash of the whole import.
    let result = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
    let text = match result {
        Ok(Ok(t)) => t,
        _ if scan.encrypted => return Err(DocumentError::PdfEncrypted),
        Ok(Err(e)) => return Err(DocumentError::Pdf(e.to_string())),
        Err(_) => return Err(DocumentError::Pdf("panic".into())),
    };
    // Form feeds end pages; a page break inside a sentence is a line break like any other.
    let text = text.replace('\u{c}', "\n");
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    if visible < MIN_TEXT {
        return Err(if scan.encrypted {
            DocumentError::PdfEncrypted
        } else if scan.text_operators {
            DocumentError::PdfDamaged
        } else {
            DocumentError::ScannedPdf
        });
    }
    Ok(drop_script_spaces(&text))
}

/// What the pre-scan saw.
#[derive(Debug, Default)]
pub struct Scan {
    /// The file has an `/Encrypt` entry: it is encrypted, perhaps with a password to open it.
    pub encrypted: bool,
    /// Some stream shows text (`Tj`, `TJ`): the file has a text layer, whatever pdf-extract
    /// makes of it.
    pub text_operators: bool,
    /// Bytes all streams decoded to.
    pub decoded: u64,
}

/// Reads the raw file once, in linear time and without recursion: the nesting of arrays and
/// dictionaries outside streams, and every stream decoded through the filters lopdf would
/// apply (FlateDecode, LZWDecode, ASCII85Decode, in order, with a PNG predictor's row size
/// checked), each output counted against [`PDF_STREAM_BYTES`] and all against
/// [`PDF_TOTAL_BYTES`]. Nothing decoded is kept past its stream.
pub fn prescan(bytes: &[u8]) -> Result<Scan, DocumentError> {
    let mut scan = Scan::default();
    let mut depth = 0usize;
    // The last dictionary that closed at depth 0: a stream's dictionary comes right before it.
    let mut dict_start = 0usize;
    let mut last_dict: Option<(usize, usize)> = None;
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        match bytes[i] {
            b'%' => {
                while i < n && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => i = skip_string(bytes, i),
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                if depth == 0 {
                    dict_start = i;
                }
                depth += 1;
                if depth > PDF_DEPTH {
                    return Err(DocumentError::Limit(tr!(
                        "limits.pdf_depth",
                        limit = PDF_DEPTH
                    )));
                }
                i += 2;
                continue;
            }
            b'<' => {
                while i < n && bytes[i] != b'>' {
                    i += 1;
                }
            }
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    last_dict = Some((dict_start, i + 2));
                }
                i += 2;
                continue;
            }
            b'[' => {
                depth += 1;
                if depth > PDF_DEPTH {
                    return Err(DocumentError::Limit(tr!(
                        "limits.pdf_depth",
                        limit = PDF_DEPTH
                    )));
                }
            }
            b']' => depth = depth.saturating_sub(1),
            b'/' if bytes[i..].starts_with(b"/Encrypt")
                && bytes.get(i + 8).is_none_or(|c| is_delimiter(*c)) =>
            {
                scan.encrypted = true;
            }
            b's' if bytes[i..].starts_with(b"stream")
                && (i == 0 || is_delimiter(bytes[i - 1]))
                && matches!(bytes.get(i + 6), Some(b'\r' | b'\n')) =>
            {
                let mut start = i + 6;
                if bytes.get(start) == Some(&b'\r') {
                    start += 1;
                }
                if bytes.get(start) == Some(&b'\n') {
                    start += 1;
                }
                let found = find(&bytes[start..], b"endstream").map(|e| start + e);
                let dict = last_dict
                    .filter(|(_, end)| bytes[*end..i].iter().all(u8::is_ascii_whitespace))
                    .map_or(&b""[..], |(s, e)| &bytes[s..e]);
                // lopdf reads /Length bytes when the dictionary gives them, else up to
                // `endstream`: the data is whichever reaches further.
                let length = key_integer(dict, b"/Length")
                    .and_then(|l| usize::try_from(l).ok())
                    .map_or(start, |l| start.saturating_add(l).min(n));
                let end = found.unwrap_or(n).max(length);
                stream(&bytes[start..end], dict, &mut scan)?;
                last_dict = None;
                i = found.map_or(n, |e| e + 9);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(scan)
}

/// Past a literal string `( … )`, with its nested parentheses and escapes.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    let mut open = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => open += 1,
            b')' => {
                open = open.saturating_sub(1);
                if open == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

fn is_delimiter(c: u8) -> bool {
    c.is_ascii_whitespace() || b"()<>[]{}/%".contains(&c)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The integer after `key` in a dictionary's bytes (the first occurrence), if it is one.
fn key_integer(dict: &[u8], key: &[u8]) -> Option<i64> {
    let at = find(dict, key)? + key.len();
    if dict.get(at).is_some_and(|c| !is_delimiter(*c)) {
        return None;
    }
    let rest = &dict[at..];
    let rest = &rest[rest.iter().take_while(|c| c.is_ascii_whitespace()).count()..];
    let digits: Vec<u8> = rest
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b'-')
        .copied()
        .collect();
    // `5 0 R` is a reference, not the value.
    let after = &rest[digits.len()..];
    let after = &after[after.iter().take_while(|c| c.is_ascii_whitespace()).count()..];
    if after.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// The filter names of a stream dictionary, in decoding order.
fn filters(dict: &[u8]) -> Vec<Vec<u8>> {
    let Some(at) = find(dict, b"/Filter") else {
        return vec![];
    };
    let rest = &dict[at + 7..];
    let rest = &rest[rest.iter().take_while(|c| c.is_ascii_whitespace()).count()..];
    let list = match rest.first() {
        Some(b'[') => &rest[1..rest.iter().position(|c| *c == b']').unwrap_or(rest.len())],
        Some(b'/') => {
            let end = rest[1..]
                .iter()
                .position(|c| is_delimiter(*c))
                .map_or(rest.len(), |e| e + 1);
            &rest[..end]
        }
        _ => return vec![],
    };
    list.split(|c| *c == b'/' || c.is_ascii_whitespace())
        .filter(|s| !s.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

/// One stream: decoded stage by stage as lopdf would (it stops at a filter it does not know),
/// each stage's output capped.
fn stream(data: &[u8], dict: &[u8], scan: &mut Scan) -> Result<(), DocumentError> {
    let over = |scan: &Scan, len: u64| {
        if scan.decoded + len > PDF_TOTAL_BYTES {
            Err(DocumentError::Limit(tr!(
                "limits.pdf_total",
                limit = limits::mib(PDF_TOTAL_BYTES)
            )))
        } else if len > PDF_STREAM_BYTES {
            Err(DocumentError::Limit(tr!(
                "limits.pdf_stream",
                limit = limits::mib(PDF_STREAM_BYTES)
            )))
        } else {
            Ok(())
        }
    };
    // A PNG predictor's row is allocated whole (lopdf's decode_frame): its size is checked.
    if key_integer(dict, b"/Predictor").is_some_and(|p| p >= 10) {
        let get = |k: &[u8]| key_integer(dict, k).unwrap_or(1).max(1) as u128;
        let row = get(b"/Columns") * get(b"/Colors") * get(b"/BitsPerComponent").max(8) / 8;
        if row > u128::from(PDF_STREAM_BYTES) {
            return Err(DocumentError::Limit(tr!(
                "limits.pdf_stream",
                limit = limits::mib(PDF_STREAM_BYTES)
            )));
        }
    }
    let cap = PDF_STREAM_BYTES.min(PDF_TOTAL_BYTES - scan.decoded);
    let mut current: Option<Vec<u8>> = None;
    for f in filters(dict) {
        let input = current.as_deref().unwrap_or(data);
        let out = match f.as_slice() {
            b"FlateDecode" => inflate(input, cap),
            b"LZWDecode" => lzw(input, cap, key_integer(dict, b"/EarlyChange") != Some(0)),
            b"ASCII85Decode" => ascii85(input, cap),
            _ => break,
        };
        match out {
            Some(o) if (o.len() as u64) <= cap => current = Some(o),
            Some(o) => return over(scan, o.len() as u64),
            None => return over(scan, cap + 1),
        }
    }
    let out = current.as_deref().unwrap_or(data);
    if out.windows(2).any(|w| w == b"Tj" || w == b"TJ") {
        scan.text_operators = true;
    }
    scan.decoded += out.len() as u64;
    Ok(())
}

/// Inflates through a cap: the output, one byte past `cap` at most; `None` when the cap was
/// passed. A broken zlib header is retried as raw deflate, as lopdf does.
fn inflate(input: &[u8], cap: u64) -> Option<Vec<u8>> {
    let read = |r: &mut dyn Read| {
        let mut out = Vec::new();
        let ok = r.take(cap + 1).read_to_end(&mut out).is_ok();
        (ok, out)
    };
    let (ok, mut out) = read(&mut flate2::read::ZlibDecoder::new(input));
    if !ok && out.is_empty() && input.len() > 2 {
        out = read(&mut flate2::read::DeflateDecoder::new(&input[2..])).1;
    }
    ((out.len() as u64) <= cap).then_some(out)
}

/// ASCII85-decodes through a cap, as lopdf does (`z` is four zero bytes; `~>` ends).
fn ascii85(input: &[u8], cap: u64) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut group, mut count) = (0u64, 0usize);
    for &c in input {
        match c {
            b'~' => break,
            b'z' if count == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group = group * 85 + u64::from(c - b'!');
                count += 1;
                if count == 5 {
                    out.extend_from_slice(&(group as u32).to_be_bytes());
                    (group, count) = (0, 0);
                }
            }
            c if c.is_ascii_whitespace() => {}
            _ => break,
        }
        if out.len() as u64 > cap {
            return None;
        }
    }
    if count > 0 {
        for _ in count..5 {
            group = group * 85 + 84;
        }
        out.extend_from_slice(&(group as u32).to_be_bytes()[..count - 1]);
    }
    Some(out)
}

/// LZW-decodes through a cap, as lopdf does (MSB first, 8-bit symbols).
fn lzw(input: &[u8], cap: u64, early_change: bool) -> Option<Vec<u8>> {
    use weezl::{BitOrder, decode::Decoder};
    let mut decoder = if early_change {
        Decoder::with_tiff_size_switch(BitOrder::Msb, 8)
    } else {
        Decoder::new(BitOrder::Msb, 8)
    };
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut input = input;
    loop {
        let r = decoder.decode_bytes(input, &mut buf);
        out.extend_from_slice(&buf[..r.consumed_out]);
        if out.len() as u64 > cap {
            return None;
        }
        input = &input[r.consumed_in..];
        match r.status {
            Ok(weezl::LzwStatus::Ok) if r.consumed_in + r.consumed_out > 0 => {}
            _ => break,
        }
    }
    Some(out)
}

/// The structure pdf-extract walks, checked: every page's `/Parent` chain ends (pdf-extract
/// follows it for inherited resources by recursion), and the form XObjects pages call, and
/// those they call, form no cycle and stay below [`PDF_FORM_CALLS`] calls in all.
pub fn structure(doc: &lopdf::Document) -> Result<(), DocumentError> {
    for (_, page) in doc.get_pages() {
        let mut seen = HashSet::new();
        let mut id = page;
        while let Ok(parent) = doc
            .get_dictionary(id)
            .and_then(|d| d.get(b"Parent"))
            .and_then(lopdf::Object::as_reference)
        {
            if !seen.insert(parent) {
                return Err(DocumentError::Limit(tr!("limits.pdf_cycle")));
            }
            id = parent;
        }
    }
    let mut calls = FormCalls {
        doc,
        memo: HashMap::new(),
        path: Vec::new(),
    };
    let mut total: u64 = 0;
    for (_, page) in doc.get_pages() {
        let Ok(dict) = doc.get_dictionary(page) else {
            continue;
        };
        let resources = inherited_resources(doc, dict);
        let content = doc.get_page_content(page).unwrap_or_default();
        total = total.saturating_add(calls.count(&content, resources)?);
        if total > PDF_FORM_CALLS {
            return Err(DocumentError::Limit(tr!(
                "limits.pdf_forms",
                limit = PDF_FORM_CALLS
            )));
        }
    }
    Ok(())
}

fn inherited_resources<'a>(
    doc: &'a lopdf::Document,
    mut dict: &'a lopdf::Dictionary,
) -> Option<&'a lopdf::Dictionary> {
    let mut seen = HashSet::new();
    loop {
        if let Ok(r) = dict
            .get_deref(b"Resources", doc)
            .and_then(lopdf::Object::as_dict)
        {
            return Some(r);
        }
        let parent = dict
            .get(b"Parent")
            .and_then(lopdf::Object::as_reference)
            .ok()?;
        if !seen.insert(parent) {
            return None;
        }
        dict = doc.get_dictionary(parent).ok()?;
    }
}

struct FormCalls<'a> {
    doc: &'a lopdf::Document,
    /// (form, resources it was called with) → calls it makes, itself included.
    memo: HashMap<(lopdf::ObjectId, usize), u64>,
    path: Vec<(lopdf::ObjectId, usize)>,
}

impl<'a> FormCalls<'a> {
    /// Calls the content makes, counting what each called form calls in turn.
    fn count(
        &mut self,
        content: &[u8],
        resources: Option<&'a lopdf::Dictionary>,
    ) -> Result<u64, DocumentError> {
        let Ok(ops) = lopdf::content::Content::decode(content) else {
            return Ok(0);
        };
        let xobjects = resources.and_then(|r| {
            r.get_deref(b"XObject", self.doc)
                .and_then(lopdf::Object::as_dict)
                .ok()
        });
        let mut total: u64 = 0;
        for op in ops.operations.iter().filter(|o| o.operator == "Do") {
            let Some(id) = op
                .operands
                .first()
                .and_then(|n| n.as_name().ok())
                .and_then(|n| xobjects?.get(n).ok())
                .and_then(|o| o.as_reference().ok())
            else {
                continue;
            };
            let Ok(stream) = self.doc.get_object(id).and_then(lopdf::Object::as_stream) else {
                continue;
            };
            let own = stream
                .dict
                .get_deref(b"Resources", self.doc)
                .and_then(lopdf::Object::as_dict)
                .ok();
            let inner = own.or(resources);
            let key = (id, inner.map_or(0, |r| std::ptr::from_ref(r) as usize));
            if self.path.contains(&key) {
                return Err(DocumentError::Limit(tr!("limits.pdf_cycle")));
            }
            let n = match self.memo.get(&key) {
                Some(n) => *n,
                None => {
                    self.path.push(key);
                    let content = stream
                        .decompressed_content()
                        .unwrap_or_else(|_| stream.content.clone());
                    let n = self.count(&content, inner)?.saturating_add(1);
                    self.path.pop();
                    self.memo.insert(key, n);
                    n
                }
            };
            total = total.saturating_add(n);
            if total > PDF_FORM_CALLS {
                return Err(DocumentError::Limit(tr!(
                    "limits.pdf_forms",
                    limit = PDF_FORM_CALLS
                )));
            }
        }
        Ok(total)
    }
}

/// PDF writers put a space where the font changes between Chinese and Latin or digits:
/// `示例区 2025 年`, `〔2025〕5 号`. Those spaces are no part of the text; spaces between two
/// Latin words or two numbers stay.
pub fn drop_script_spaces(text: &str) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut removed = 0;
    let wide = gongkai_site::body::is_wide;
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
