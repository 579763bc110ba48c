//! Every document reader of `import` and `progress import` has a budget (`src/limits.rs`):
//! small generated hostile files — zip and flate bombs, deep nesting, billion laughs, absurd
//! numbering, cycles in a PDF, huge spreadsheet dimensions, a hung or noisy LibreOffice — are
//! refused with exit code 1 and a Chinese message naming the file and the limit, nothing is
//! written, and the process neither aborts nor hangs: each runs the real binary under a memory
//! and CPU cap (`prlimit`). Lying charsets, UTF-16 without a mark and password-protected files
//! are named as what they are. A normal file of each format still imports.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::new_site;

/// Address space for the binary: a normal import needs about 100 MiB (mimalloc reserves
/// more than it uses, and runs under this cap).
const MEMORY: &str = "--as=1073741824";
/// CPU seconds: the slowest refusal below takes about two in a debug build.
const CPU: &str = "--cpu=30";

/// The gongkai binary under the memory and CPU caps, in Chinese, with `env` set.
fn capped(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new("/usr/bin/prlimit");
    c.args([MEMORY, CPU, env!("CARGO_BIN_EXE_gongkai")])
        .args(args)
        .env_remove("GONGKAI_LANG")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("prlimit runs gongkai")
}

fn import(file: &Path, site: &Path) -> Output {
    capped(
        &[
            "import",
            file.to_str().unwrap(),
            "--site",
            site.to_str().unwrap(),
        ],
        &[],
    )
}

fn progress(file: &Path, site: &Path) -> Output {
    capped(
        &[
            "progress",
            "import",
            file.to_str().unwrap(),
            "--site",
            site.to_str().unwrap(),
            "--plan",
            "shili/2024/aqsc-gongzuo-yaodian",
        ],
        &[],
    )
}

/// Every file of the site's content/ and sources/ with its bytes.
fn listing(site: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = ["content", "sources", "site.yaml"]
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(site.join(d)))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.path().to_path_buf(), bytes)
        })
        .collect();
    v.sort();
    v
}

/// Exit code 1 (not a signal: no abort, no kill by the caps), stderr names the file and says
/// each of `words`, and the site is as it was.
fn assert_refused(
    o: &Output,
    file: &Path,
    words: &[&str],
    site: &Path,
    before: &[(PathBuf, Vec<u8>)],
) {
    let err = String::from_utf8_lossy(&o.stderr);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}: status {:?}\nstderr: {}\nstdout: {}",
        file.display(),
        o.status,
        err.chars().take(2000).collect::<String>(),
        out.chars().take(2000).collect::<String>()
    );
    let name = file.file_name().unwrap().to_string_lossy();
    assert!(err.contains(&*name), "{name} not named: {err}");
    for w in words {
        assert!(err.contains(w), "{name}: “{w}” not said: {err}");
    }
    assert_eq!(listing(site), before, "{name}: the site changed");
}

// ---------------------------------------------------------------------------------------------
// Generators

/// Raw deflate of `data` as one piece that starts from an empty history and ends on a byte
/// boundary (a full flush), so that pieces can be repeated and joined into one stream; the last
/// piece ends the stream.
fn deflate_piece(data: &[u8], last: bool) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    let mut c = Compress::new(Compression::best(), false);
    let mut out = Vec::with_capacity(data.len() / 4 + 1024);
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Full
    };
    loop {
        let at = c.total_in() as usize;
        out.reserve(64 * 1024);
        let status = c.compress_vec(&data[at..], &mut out, flush).unwrap();
        if c.total_in() as usize == data.len()
            && (status == Status::StreamEnd || (!last && out.len() < out.capacity()))
        {
            break;
        }
    }
    out
}

/// Raw deflate of `head`, `unit` repeated `times` times, and `tail`, without ever holding or
/// compressing the whole: `unit` is compressed once. `unit` should be about a MiB.
fn deflate_repeated(head: &[u8], unit: &[u8], times: usize, tail: &[u8]) -> Vec<u8> {
    let mut out = deflate_piece(head, false);
    let piece = deflate_piece(unit, false);
    for _ in 0..times {
        out.extend_from_slice(&piece);
    }
    out.extend(deflate_piece(tail, true));
    out
}

fn deflate(data: &[u8]) -> Vec<u8> {
    deflate_piece(data, true)
}

/// One zip entry: its name, deflated data, and the size and CRC its headers declare.
struct Entry {
    name: String,
    data: Vec<u8>,
    size: u32,
    crc: u32,
}

fn entry(name: &str, text: &[u8]) -> Entry {
    let mut crc = flate2::Crc::new();
    crc.update(text);
    Entry {
        name: name.to_string(),
        data: deflate(text),
        size: text.len() as u32,
        crc: crc.sum(),
    }
}

/// A zip file written by hand, so that an entry may declare what it likes.
fn zip_of(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for e in entries {
        let offset = out.len() as u32;
        u32le(&mut out, 0x0403_4b50);
        for x in [20u16, 0, 8, 0, 0x21] {
            u16le(&mut out, x);
        }
        u32le(&mut out, e.crc);
        u32le(&mut out, e.data.len() as u32);
        u32le(&mut out, e.size);
        u16le(&mut out, e.name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(&e.data);

        u32le(&mut central, 0x0201_4b50);
        for x in [20u16, 20, 0, 8, 0, 0x21] {
            u16le(&mut central, x);
        }
        u32le(&mut central, e.crc);
        u32le(&mut central, e.data.len() as u32);
        u32le(&mut central, e.size);
        u16le(&mut central, e.name.len() as u16);
        for x in [0u16, 0, 0, 0] {
            u16le(&mut central, x);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(e.name.as_bytes());
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    for x in [0u16, 0, entries.len() as u16, entries.len() as u16] {
        u16le(&mut out, x);
    }
    u32le(&mut out, central.len() as u32);
    u32le(&mut out, start);
    u16le(&mut out, 0);
    out
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn numbered(text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

/// The paragraphs of a small plan that imports.
fn plan_body() -> String {
    [
        para("样例区2025年安全生产工作要点"),
        para("一、压实责任"),
        para("1.落实领导责任。区领导每季度带队检查。（责任单位：区应急局）"),
        para("2.开展隐患排查。每月组织一次排查。（责任单位：区应急局）"),
    ]
    .concat()
}

fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    )
}

/// A .docx of these parts besides `[Content_Types].xml`.
fn docx(parts: Vec<Entry>) -> Vec<u8> {
    let mut all = vec![entry(
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#,
    )];
    all.extend(parts);
    zip_of(&all)
}

fn numbering_xml(level: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">{level}</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
    )
}

/// A hand-made PDF: `objects` numbered from 1 (the first is the catalog), with a correct
/// cross-reference table and `trailer_extra` in the trailer.
fn pdf_of(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream_obj(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut o = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    o.extend_from_slice(data);
    o.extend_from_slice(b"\nendstream");
    o
}

/// Catalog, page tree and one page whose content is object 4 and whose resources are `res`.
fn one_page(res: &str, content: Vec<u8>, more: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut v = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << {res} >> /Contents 4 0 R >>").into_bytes(),
        content,
    ];
    v.extend(more);
    v
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

// ---------------------------------------------------------------------------------------------
// Word

#[test]
fn docx_whose_document_inflates_to_a_gibibyte_is_refused_not_cut() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    let head = document_xml(&plan_body());
    let (head, tail) = head.split_at(head.len() - "</w:body></w:document>".len());
    let unit = para("一二三四五六七八九十").repeat(20_000);
    // About 1.2 MiB, 900 times: a part of more than a GiB.
    let times = 900;
    let data = deflate_repeated(head.as_bytes(), unit.as_bytes(), times, tail.as_bytes());
    // The header says how large it is (a 1 GiB part), and so does a lying one (1 KiB): the
    // first is refused before inflating, the second when the inflated bytes pass the limit.
    let size = (head.len() + unit.len() * times + tail.len()) as u32;
    // (The zip crate reads no further than the declared size: the lying one ends as damaged.)
    for (name, declared, words) in [
        ("bomb.docx", size, &["word/document.xml", "64 MiB"][..]),
        ("lying.docx", 1024, &["word/document.xml"][..]),
    ] {
        let file = write(
            tmp.path(),
            name,
            &docx(vec![Entry {
                name: "word/document.xml".into(),
                data: data.clone(),
                size: declared,
                crc: 0,
            }]),
        );
        let o = import(&file, &site);
        assert_refused(&o, &file, words, &site, &before);
    }
}

#[test]
fn docx_with_too_many_entries_is_refused() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    let mut parts = vec![entry(
        "word/document.xml",
        document_xml(&plan_body()).as_bytes(),
    )];
    for i in 0..10_001 {
        parts.push(entry(&format!("word/media/x{i}.xml"), b"x"));
    }
    let file = write(tmp.path(), "entries.docx", &docx(parts));
    assert_refused(
        &import(&file, &site),
        &file,
        &["10003", "10000"],
        &site,
        &before,
    );
}

#[test]
fn docx_numbering_with_megabytes_of_level_text_is_refused() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    let level = format!(
        r#"<w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="{}%1"/>"#,
        "一".repeat(8 << 20 >> 2)
    );
    let body = plan_body() + &numbered("落实整改。（责任单位：区应急局）").repeat(2000);
    let file = write(
        tmp.path(),
        "lvltext.docx",
        &docx(vec![
            entry("word/document.xml", document_xml(&body).as_bytes()),
            entry("word/numbering.xml", numbering_xml(&level).as_bytes()),
        ]),
    );
    assert_refused(
        &import(&file, &site),
        &file,
        &["lvlText", "32"],
        &site,
        &before,
    );
}

#[test]
fn docx_numbering_that_starts_at_four_billion_is_clamped_and_said() {
    let (tmp, site) = new_site();
    let level =
        r#"<w:start w:val="4000000000"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1、"/>"#;
    let body = [
        para("样例区2025年安全生产工作要点"),
        numbered("压实责任"),
        para("1.落实领导责任。区领导每季度带队检查。（责任单位：区应急局）"),
    ]
    .concat()
        + &numbered("深化整治").repeat(300);
    let file = write(
        tmp.path(),
        "roman.docx",
        &docx(vec![
            entry("word/document.xml", document_xml(&body).as_bytes()),
            entry("word/numbering.xml", numbering_xml(level).as_bytes()),
        ]),
    );
    let o = import(&file, &site);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // Never an abort: imported with the start clamped and the report saying so.
    assert_eq!(o.status.code(), Some(0), "{all}");
    assert!(
        all.contains("4000000000") && all.contains("100000"),
        "{all}"
    );
}

#[test]
fn docx_nested_too_deep_or_with_a_doctype_is_refused() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "机密内容不应出现").unwrap();
    let deep =
        document_xml(&(plan_body() + &"<w:sdt>".repeat(100_000) + &"</w:sdt>".repeat(100_000)));
    let laughs = {
        let mut dtd = String::from(r#"<!DOCTYPE w:document [<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">"#);
        for i in 1..10 {
            dtd.push_str(&format!(
                r#"<!ENTITY a{i} "{}">"#,
                format!("&a{};", i - 1).repeat(10)
            ));
        }
        dtd.push_str("]>");
        document_xml(&(plan_body() + &para("&a9;"))).replacen("?>", &format!("?>{dtd}"), 1)
    };
    let external = document_xml(&(plan_body() + &para("&x;"))).replacen(
        "?>",
        &format!(
            r#"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{}">]>"#,
            secret.display()
        ),
        1,
    );
    for (name, xml, words) in [
        ("deep.docx", deep, &["word/document.xml", "256"][..]),
        ("laughs.docx", laughs, &["word/document.xml", "DOCTYPE"][..]),
        (
            "external.docx",
            external,
            &["word/document.xml", "DOCTYPE"][..],
        ),
    ] {
        let file = write(
            tmp.path(),
            name,
            &docx(vec![entry("word/document.xml", xml.as_bytes())]),
        );
        let o = import(&file, &site);
        assert_refused(&o, &file, words, &site, &before);
        assert!(!String::from_utf8_lossy(&o.stdout).contains("机密"));
    }
}

#[test]
fn password_protected_docx_is_named_as_such() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    // An OLE compound file whose directory holds the two streams of an encrypted package.
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.resize(512, 0);
    for name in ["Root Entry", "EncryptionInfo", "EncryptedPackage"] {
        let mut e: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let len = e.len() as u16 + 2;
        e.resize(64, 0);
        e.extend_from_slice(&len.to_le_bytes());
        e.push(if name == "Root Entry" { 5 } else { 2 });
        e.resize(128, 0);
        ole.extend_from_slice(&e);
    }
    ole.resize(4096, 0);
    let file = write(tmp.path(), "加密.docx", &ole);
    assert_refused(&import(&file, &site), &file, &["密码"], &site, &before);
}

#[test]
fn a_normal_docx_still_imports() {
    let (tmp, site) = new_site();
    let level =
        r#"<w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>"#;
    let body = [
        para("样例区2025年安全生产工作要点"),
        numbered("压实责任"),
        para("1.落实领导责任。区领导每季度带队检查。（责任单位：区应急局）"),
    ]
    .concat();
    let file = write(
        tmp.path(),
        "plan.docx",
        &docx(vec![
            entry("word/document.xml", document_xml(&body).as_bytes()),
            entry("word/numbering.xml", numbering_xml(level).as_bytes()),
        ]),
    );
    let o = import(&file, &site);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md =
        std::fs::read_to_string(site.join("content/yangli/2025/aqsc-gongzuo-yaodian.md")).unwrap();
    assert!(md.contains("一、压实责任"), "{md}");
}

// ---------------------------------------------------------------------------------------------
// PDF

/// A zlib stream of `head`, then `unit` `times` times (the trailer's checksum is left wrong:
/// a reader that inflates it all before checking is what is tested).
fn zlib_repeated(head: &[u8], unit: &[u8], times: usize) -> Vec<u8> {
    let mut out = vec![0x78, 0xDA];
    out.extend(deflate_repeated(head, unit, times, b""));
    out.extend_from_slice(&[0, 0, 0, 0]);
    out
}

#[test]
fn pdf_with_a_gibibyte_flate_stream_is_refused() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    let unit = b"0 0 m 1 1 l S\n".repeat(1 << 20 >> 4);
    let content = stream_obj("/Filter /FlateDecode", &zlib_repeated(b"", &unit, 1024));
    let file = write(
        tmp.path(),
        "bomb.pdf",
        &pdf_of(&one_page("", content, vec![]), ""),
    );
    assert_refused(
        &import(&file, &site),
        &file,
        &["数据流", "64 MiB"],
        &site,
        &before,
    );
}

#[test]
fn pdf_nested_too_deep_is_refused() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    let deep = format!("{}1{}", "[".repeat(200_000), "]".repeat(200_000));
    let content = stream_obj("", b"BT /F1 12 Tf (a) Tj ET");
    let objects = one_page("", content, vec![deep.into_bytes()]);
    let file = write(tmp.path(), "deep.pdf", &pdf_of(&objects, ""));
    assert_refused(
        &import(&file, &site),
        &file,
        &["嵌套", "100"],
        &site,
        &before,
    );
}

#[test]
fn pdf_with_cycles_neither_hangs_nor_crashes() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    // A page whose /Parent chain loops (no /Resources on the way: pdf-extract would climb for
    // ever), a form XObject that draws itself, and a page tree whose /Kids holds itself.
    let parent_loop = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 5 0 R /Contents 4 0 R >>".to_vec(),
        stream_obj("", b"BT (a) Tj ET"),
        b"<< /Type /Pages /Parent 6 0 R /Kids [3 0 R] >>".to_vec(),
        b"<< /Type /Pages /Parent 5 0 R /Kids [5 0 R] >>".to_vec(),
    ];
    let form_loop = one_page(
        "/XObject << /X1 5 0 R >>",
        stream_obj("", b"/X1 Do"),
        vec![stream_obj(
            "/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /X1 5 0 R >> >>",
            b"/X1 Do",
        )],
    );
    let kids_loop = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 1 >>".to_vec(),
    ];
    for (name, objects, words) in [
        ("parent.pdf", parent_loop, &["循环引用"][..]),
        ("form.pdf", form_loop, &["循环引用"][..]),
        ("kids.pdf", kids_loop, &["PDF"][..]),
    ] {
        let file = write(tmp.path(), name, &pdf_of(&objects, ""));
        assert_refused(&import(&file, &site), &file, words, &site, &before);
    }
}

#[test]
fn encrypted_and_damaged_pdfs_are_named_as_such_not_as_scans() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    let content = stream_obj("", b"BT /F1 12 Tf 72 700 Td (Plan) Tj ET");
    let mut objects = one_page("/Font << /F1 6 0 R >>", content, vec![]);
    objects.push(
        b"<< /Filter /Standard /V 1 /R 2 /O <0000000000000000000000000000000000000000000000000000000000000000> /U <0000000000000000000000000000000000000000000000000000000000000000> /P -4 >>"
            .to_vec(),
    );
    let file = write(
        tmp.path(),
        "locked.pdf",
        &pdf_of(&objects, "/Encrypt 5 0 R /ID [<00> <00>]"),
    );
    assert_refused(
        &import(&file, &site),
        &file,
        &["加密", "密码"],
        &site,
        &before,
    );
    // A text layer (Tj) whose font is missing: pdf-extract reads nothing, but it is no scan.
    let content = stream_obj("/Filter /FlateDecode", &{
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(b"BT /F9 12 Tf 72 700 Td (Plan text) Tj ET")
            .unwrap();
        z.finish().unwrap()
    });
    let file = write(
        tmp.path(),
        "damaged.pdf",
        &pdf_of(&one_page("", content, vec![]), ""),
    );
    let o = import(&file, &site);
    assert_refused(&o, &file, &["PDF"], &site, &before);
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("OCR"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_normal_pdf_still_imports() {
    let (_tmp, site) = new_site();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/shili-plan.pdf");
    let o = import(&file, &site);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

// ---------------------------------------------------------------------------------------------
// Spreadsheets and CSV (progress import)

/// A workbook's parts: `sheet` is the first worksheet's XML, `strings` the shared strings'.
fn xlsx(sheet: Entry, strings: Option<Entry>) -> Vec<u8> {
    let mut parts = vec![
        entry(
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        entry(
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        entry(
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="进展" sheetId="1" r:id="rId1"/></sheets></workbook>"#.as_bytes(),
        ),
        entry(
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
        sheet,
    ];
    parts.extend(strings);
    zip_of(&parts)
}

fn sheet_xml(cells: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>"#
    )
}

fn row_xml(r: usize, cells: &[(&str, &str)]) -> String {
    let mut s = format!(r#"<row r="{r}">"#);
    for (at, text) in cells {
        s.push_str(&format!(
            r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#
        ));
    }
    s.push_str("</row>");
    s
}

/// A progress table for the init site's plan (its task 1).
fn progress_rows() -> String {
    row_xml(
        1,
        &[
            ("A1", "序号"),
            ("B1", "任务"),
            ("C1", "完成状态"),
            ("D1", "日期"),
        ],
    ) + &row_xml(
        2,
        &[
            ("A2", "1"),
            ("B2", "落实属地管理责任"),
            ("C2", "推进中"),
            ("D2", "2024-10-31"),
        ],
    )
}

#[test]
fn xlsx_shared_strings_bomb_is_refused() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    let head = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;
    let unit = b"<si><t>a</t></si>".repeat(1 << 20 >> 4);
    // 3 million strings in 48 MiB: under the part limit, over the string limit.
    let data = deflate_repeated(head, &unit, 48, b"</sst>");
    let mut crc = flate2::Crc::new();
    crc.update(head);
    for _ in 0..48 {
        crc.update(&unit);
    }
    crc.update(b"</sst>");
    let strings = Entry {
        name: "xl/sharedStrings.xml".into(),
        data,
        size: (head.len() + unit.len() * 48 + 6) as u32,
        crc: crc.sum(),
    };
    let sheet = entry(
        "xl/worksheets/sheet1.xml",
        sheet_xml(&progress_rows()).as_bytes(),
    );
    let file = write(tmp.path(), "strings.xlsx", &xlsx(sheet, Some(strings)));
    assert_refused(
        &progress(&file, &site),
        &file,
        &["共享字符串", "2000000"],
        &site,
        &before,
    );
}

#[test]
fn xlsx_with_a_cell_at_xfd1048576_is_refused() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    let cells = progress_rows() + &row_xml(1_048_576, &[("XFD1048576", "x")]);
    let sheet = entry("xl/worksheets/sheet1.xml", sheet_xml(&cells).as_bytes());
    let file = write(tmp.path(), "far.xlsx", &xlsx(sheet, None));
    assert_refused(
        &progress(&file, &site),
        &file,
        &["进展", "行", "100000"],
        &site,
        &before,
    );
    let cells = progress_rows() + &row_xml(3, &[("XFD3", "x")]);
    let sheet = entry("xl/worksheets/sheet1.xml", sheet_xml(&cells).as_bytes());
    let file = write(tmp.path(), "wide.xlsx", &xlsx(sheet, None));
    assert_refused(
        &progress(&file, &site),
        &file,
        &["进展", "16384", "200"],
        &site,
        &before,
    );
}

#[test]
fn ods_whose_repeats_expand_enormously_is_refused() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="进展"><table:table-row table:number-rows-repeated="3000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let file = write(
        tmp.path(),
        "repeat.ods",
        &zip_of(&[
            entry(
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            entry(
                "META-INF/manifest.xml",
                br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#,
            ),
            entry("content.xml", content.as_bytes()),
        ]),
    );
    assert_refused(
        &progress(&file, &site),
        &file,
        &["进展", "上限"],
        &site,
        &before,
    );
}

#[test]
fn a_csv_of_a_million_rows_is_refused_quickly() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    let mut csv = String::from("序号,任务,完成状态,日期\n");
    csv.push_str(&"1,落实属地管理责任,推进中,2024-10-31\n".repeat(1_048_575));
    let file = write(tmp.path(), "rows.csv", csv.as_bytes());
    let start = std::time::Instant::now();
    assert_refused(
        &progress(&file, &site),
        &file,
        &["行", "100000"],
        &site,
        &before,
    );
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn normal_tables_still_import() {
    let (tmp, site) = new_site();
    let sheet = entry(
        "xl/worksheets/sheet1.xml",
        sheet_xml(&progress_rows()).as_bytes(),
    );
    let xlsx_file = write(tmp.path(), "进展.xlsx", &xlsx(sheet, None));
    let csv_file = write(
        tmp.path(),
        "进展.csv",
        "序号,任务,完成状态,日期\n1,落实属地管理责任,推进中,2024-10-31\n".as_bytes(),
    );
    for file in [xlsx_file, csv_file] {
        let o = progress(&file, &site);
        assert!(
            o.status.success(),
            "{}: {}{}",
            file.display(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// LibreOffice

/// A folder holding a fake `soffice` running `script`, for PATH.
fn fake_soffice(dir: &Path, script: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let p = bin.join("soffice");
    std::fs::write(&p, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn a_hung_libreoffice_is_stopped_and_a_noisy_one_summarised() {
    let (tmp, site) = new_site();
    let before = listing(&site);
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/shili-plan.doc");
    let file = tmp.path().join("旧文件.doc");
    std::fs::copy(doc, &file).unwrap();
    let args = [
        "import",
        file.to_str().unwrap(),
        "--site",
        site.to_str().unwrap(),
    ];

    // It sleeps, and leaves a child sleeping too: both are ended after the timeout.
    let path = fake_soffice(tmp.path(), "sleep 600 &\nsleep 600");
    let start = std::time::Instant::now();
    let o = capped(&args, &[("PATH", &path), ("GONGKAI_SOFFICE_TIMEOUT", "2")]);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    assert_refused(
        &o,
        &file,
        &["LibreOffice", "2 秒", "GONGKAI_SOFFICE_TIMEOUT"],
        &site,
        &before,
    );

    // It writes 20 MB to stderr and fails: the message keeps its end, a few KiB.
    let path = fake_soffice(
        tmp.path(),
        "head -c 20000000 /dev/zero | tr '\\0' 'x' >&2\necho 'Error: source file could not be loaded' >&2\nexit 1",
    );
    let o = capped(&args, &[("PATH", &path)]);
    assert_refused(
        &o,
        &file,
        &["LibreOffice", "could not be loaded", "20000039"],
        &site,
        &before,
    );
    assert!(
        o.stderr.len() < 16 * 1024,
        "{} bytes of stderr",
        o.stderr.len()
    );
}

// ---------------------------------------------------------------------------------------------
// Encodings

#[test]
fn lying_charsets_and_utf16_without_a_mark_are_read_as_what_they_are() {
    let (tmp, site) = new_site();
    let plan = "样例区2025年安全生产工作要点\n一、压实责任\n1.落实领导责任。区领导每季度带队检查。（责任单位：区应急局）\n";
    let utf16: Vec<u8> = plan.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let file = write(tmp.path(), "utf16.txt", &utf16);
    let o = import(&file, &site);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("UTF-16LE"), "{out}");

    for cs in ["utf-8", "utf-16", "iso-8859-1"] {
        let (tmp, site) = new_site();
        let page = format!(
            "<!DOCTYPE html><html><head><meta charset=\"{cs}\"><title>样例区</title></head><body><div class=\"content\"><p>样例区2025年安全生产工作要点</p><p>一、压实责任</p><p>1.落实领导责任。区领导每季度带队检查。（责任单位：区应急局）</p></div></body></html>"
        );
        let (bytes, _, _) = encoding_rs::GB18030.encode(&page);
        let file = write(tmp.path(), "page.html", &bytes);
        let o = import(&file, &site);
        assert!(
            o.status.success(),
            "{cs}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let md = std::fs::read_to_string(site.join("content/yangli/2025/aqsc-gongzuo-yaodian.md"))
            .unwrap();
        assert!(md.contains("落实领导责任"), "{cs}: {md}");
        // The report says the declared charset was not believed, and what was used.
        let out = String::from_utf8_lossy(&o.stdout);
        let low = out.to_lowercase();
        assert!(
            // (iso-8859-1 is windows-1252 to a browser, and so named.)
            low.contains("声明的编码是") && low.contains("已按 gb18030 读取"),
            "{cs}: {out}"
        );
    }
}

/// A cell of an old Excel sheet: text or a number.
enum XlsCell<'a> {
    Text(&'a str),
    Number(f64),
}

/// An .xls (BIFF8 in a compound file) with one sheet per list of (row, column, cell).
fn xls_of(sheets: &[Vec<(u16, u16, XlsCell)>]) -> Vec<u8> {
    let record = |kind: u16, data: &[u8]| {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    };
    let bof = |dt: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend(dt.to_le_bytes());
        d.extend([0u8; 12]);
        record(0x0809, &d)
    };
    let streams: Vec<Vec<u8>> = sheets
        .iter()
        .map(|cells| {
            let mut s = bof(0x0010);
            for (row, col, cell) in cells {
                let mut d = row.to_le_bytes().to_vec();
                d.extend(col.to_le_bytes());
                d.extend(0u16.to_le_bytes());
                match cell {
                    XlsCell::Number(n) => {
                        d.extend(n.to_le_bytes());
                        s.extend(record(0x0203, &d));
                    }
                    XlsCell::Text(t) => {
                        let units: Vec<u16> = t.encode_utf16().collect();
                        d.extend((units.len() as u16).to_le_bytes());
                        d.push(1);
                        d.extend(units.iter().flat_map(|u| u.to_le_bytes()));
                        s.extend(record(0x0204, &d));
                    }
                }
            }
            s.extend(record(0x000A, &[]));
            s
        })
        .collect();
    let bound = |pos: u32, i: usize| {
        let name = format!("S{i}");
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([0, 0, name.len() as u8, 0]);
        d.extend(name.as_bytes());
        record(0x0085, &d)
    };
    let head_len = bof(0x0005).len()
        + (0..sheets.len()).map(|i| bound(0, i).len()).sum::<usize>()
        + record(0x000A, &[]).len();
    let mut globals = bof(0x0005);
    let mut pos = head_len;
    for (i, s) in streams.iter().enumerate() {
        globals.extend(bound(pos as u32, i));
        pos += s.len();
    }
    globals.extend(record(0x000A, &[]));
    let mut workbook = globals;
    for s in streams {
        workbook.extend(s);
    }
    let mut cfb = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    std::io::Write::write_all(
        &mut cfb.create_stream("/Workbook").expect("stream"),
        &workbook,
    )
    .expect("write");
    cfb.flush().expect("flush");
    cfb.into_inner().into_inner()
}

#[test]
fn xls_spanning_billions_of_cells_is_refused_before_calamine_opens_it() {
    // A normal table first: read.
    let (tmp, site) = new_site();
    let table = vec![
        (0, 0, XlsCell::Text("序号")),
        (0, 1, XlsCell::Text("进展情况")),
        (0, 2, XlsCell::Text("完成状态")),
        (0, 3, XlsCell::Text("日期")),
        (1, 0, XlsCell::Number(1.0)),
        (1, 1, XlsCell::Text("召开研判会")),
        (1, 2, XlsCell::Text("推进中")),
        (1, 3, XlsCell::Text("2024-06-30")),
    ];
    let file = write(tmp.path(), "进展表.xls", &xls_of(&[table]));
    let o = progress(&file, &site);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let written =
        std::fs::read_to_string(site.join("content/shili/2024/aqsc-gongzuo-yaodian.progress.yaml"))
            .expect("progress written");
    assert!(written.contains("召开研判会"), "{written}");

    // Ten sheets, each with A1 and a cell 60,000 rows and 150 columns away: 9 million cells a
    // sheet, which calamine would build whole (2.9 GB) as it opens the file.
    let (tmp, site) = new_site();
    let before = listing(&site);
    let sheet = || {
        vec![
            (0, 0, XlsCell::Text("序号")),
            (60_000, 150, XlsCell::Number(1.0)),
        ]
    };
    let sheets: Vec<_> = (0..10).map(|_| sheet()).collect();
    let file = write(tmp.path(), "far.xls", &xls_of(&sheets));
    assert_refused(&progress(&file, &site), &file, &["2000000"], &site, &before);
}

#[test]
fn a_large_cell_merged_down_many_rows_is_refused_not_copied_until_memory_runs_out() {
    // One cell of 900 KB, continued (vMerge) by 20,000 rows below: 18 GB if each copied it.
    let (tmp, site) = new_site();
    let before = listing(&site);
    let big = "检".repeat(300_000);
    let first = format!(
        r#"<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>{}</w:tc><w:tc>{}</w:tc></w:tr>"#,
        para(&big),
        para("序号")
    );
    let more = r#"<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>"#
        .repeat(20_000);
    let body = format!("{}<w:tbl>{first}{more}</w:tbl>", plan_body());
    let file = write(
        tmp.path(),
        "merged.docx",
        &docx(vec![entry(
            "word/document.xml",
            document_xml(&body).as_bytes(),
        )]),
    );
    assert_refused(&import(&file, &site), &file, &["64 MiB"], &site, &before);

    // The same on a saved page, with rowspan.
    let cell = "检".repeat(300_000);
    let rows = "<tr><td>1</td></tr>".repeat(999);
    let page = format!(
        "<html><body><div class=\"content\"><p>样例区2025年安全生产工作要点</p>{}</div></body></html>",
        format!("<table><tr><td rowspan=\"1000\">{cell}</td><td>序号</td></tr>{rows}</table>")
            .repeat(30)
    );
    let file = write(tmp.path(), "merged.html", page.as_bytes());
    assert_refused(&import(&file, &site), &file, &["64 MiB"], &site, &before);
}
