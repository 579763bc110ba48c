//! Every limit on what gongkai reads, in one place: the size of each kind of file (applied by
//! the reading policy, `crate::input`), and the budget of every document reader `import` and
//! `progress import` use: how much a file may
//! unpack to, how deep its structure may nest, how large a table may be, how long LibreOffice
//! may run. Each limit is far above what a real plan or progress table needs and far below what
//! would exhaust memory or time; past one, the reader stops with an error that names the file
//! and the limit (`locales/limits.yml`), and nothing is written. Never a silent cut.
//!
//! The helpers below the constants apply them where more than one reader needs the same check
//! (zip parts, XML depth).

use std::io::Read;

use gongkai_i18n::tr;

const MIB: u64 = 1 << 20;

/// A plan, its progress file or its 解读, `site.yaml`, a template: text a person writes. The
/// largest real plan is well under 1 MiB; 32 MiB leaves room for generated sites.
pub const TEXT_FILE_BYTES: u64 = 32 * MIB;

/// A document given to `import` (Word, PDF, a saved page, text): Word files with pictures reach
/// tens of MiB.
pub const DOCUMENT_BYTES: u64 = 256 * MIB;

/// An attachment published with a plan (its original, evidence): copied and served in pieces,
/// never held whole, so the limit is what a portal would accept, not what memory holds.
pub const ATTACHMENT_BYTES: u64 = 2048 * MIB;

/// A static file of the theme or the site (`static/`), held in memory for every build.
pub const STATIC_FILE_BYTES: u64 = 64 * MIB;

/// Bytes of the text of all table cells of an imported document, merged cells counted in each
/// row they cover (a merged cell repeats the text of the one it continues: a 10 KB Word file
/// with one large cell merged down 20,000 rows asked for 18 GB). A plan's tables hold
/// kilobytes to a few MiB.
pub const IMPORT_MAX_TABLE_TEXT_BYTES: usize = 64 << 20;

/// Entries a folder given to `import` may hold (walked to any depth).
pub const FOLDER_ENTRIES: usize = 100_000;

/// A review record of an import (`.gongkai/review/…/<id>.json`), read by the preview's 核对
/// page: an import of 200,000 lines (`IMPORT_MAX_LINES`) writes some tens of MiB.
pub const REVIEW_BYTES: u64 = 64 * MIB;

/// Lines of the original one 核对 page shows; a longer record is shown in pages
/// (`?page=2`), so a page stays a few MiB however long the document was.
pub const REVIEW_PAGE_LINES: usize = 2_000;

/// Characters of the original's text one 核对 page shows: a page ends before the line that
/// would pass it (a page always shows one line at least).
pub const REVIEW_PAGE_CHARS: usize = 400_000;

/// Characters of one line a 核对 page shows; the page says how many more the line has.
pub const REVIEW_LINE_CHARS: usize = 5_000;

/// Records the list of 核对 pages (`/_review/`) shows, newest first.
pub const REVIEW_LIST: usize = 1_000;

// Counts, so that import and progress import run in time linear in their input or refuse it.

/// Element nesting of a saved web page, estimated from its tags before it is parsed (see
/// `import::html::nesting`): past it the page is refused. html5ever checks its stack of open
/// elements at every tag, so its time grows with the square of the nesting (1,000,000 nested
/// `div`s never finish), and it opens every unclosed formatting element again in each new
/// paragraph, so `<p><b id=1></p><p><b id=2></p>…` makes elements with the square of the count
/// (bench/README.md has what a few thousand cost). At 512 the worst of these parses quickly.
/// Real portal pages nest 20 to 40 deep.
pub const HTML_MAX_NESTING: usize = 512;

/// Element nesting the HTML reader follows into: the text of elements deeper than this is
/// read as text of their ancestor at this depth (no line breaks, no tables), so that the reader
/// neither recurses without bound nor walks a deep chain once per ancestor.
pub const HTML_FLATTEN_DEPTH: usize = 256;

/// Lines (paragraphs) of an imported document, after extraction. A five-year plan with its
/// annexes is a few thousand; 200,000 is a 10 MB text of short lines.
pub const IMPORT_MAX_LINES: usize = 200_000;

/// Numbered lines of an imported document (its tasks and numbered headings). Real plans carry
/// up to ~220 tasks; a province's task-assignment tables a few thousand.
pub const IMPORT_MAX_NUMBERED: usize = 50_000;

/// Rows of all the tables of an imported document together: a task table has a row a task,
/// so this is the task limit again.
pub const IMPORT_MAX_TABLE_ROWS: usize = 50_000;

/// Cells of one table as laid out on its grid (rows × columns): a table is padded to its
/// widest row, so one wide row over many narrow ones would otherwise cost rows × width. A
/// 220-row task table of 8 columns has 1,760.
pub const IMPORT_MAX_TABLE_CELLS: usize = 1_000_000;

/// Units named by one imported document that `site.yaml` does not know yet. Each new name is
/// compared with the others for likely aliases, and each is added to `site.yaml` by a yaml-edit
/// push whose cost grows with the list it joins, so the total grows with the square of this
/// count. A district has a few dozen departments and townships; a plan names at most a hundred
/// or so.
pub const IMPORT_MAX_NEW_UNITS: usize = 1_000;

/// Indicators of one imported document that `site.yaml` does not know yet: added by a yaml-edit
/// push each, as units are. Real plans list up to a few dozen.
pub const IMPORT_MAX_NEW_INDICATORS: usize = 1_000;

/// Data rows of a progress table: a row reports on a task, and real plans have ~220 tasks
/// (a year of monthly reports on each is ~2,600 rows).
pub const PROGRESS_MAX_ROWS: usize = 100_000;

// Bytes, depths and counts of the readers.

/// Entries in a zip container (.docx, .xlsx, .ods …). A plan's .docx has 10–100 (parts,
/// images, fonts); a workbook a few per sheet. Ten thousand is no real document, and the
/// central directory of more is itself megabytes.
pub const ZIP_ENTRIES: usize = 10_000;

/// Bytes one zip part may inflate to. The `document.xml` of a 300-page plan is about 5 MiB;
/// a sheet of 10,000 rows × 20 columns about 10 MiB. A deflate bomb inflates a thousandfold.
pub const ZIP_PART_BYTES: u64 = 64 * MIB;

/// Bytes all the parts read from one zip container may inflate to together: four full-size
/// parts, so that many medium bombs cannot add up where one large one is refused.
pub const ZIP_TOTAL_BYTES: u64 = 256 * MIB;

/// Nesting depth of an XML part (elements inside elements). Word's deepest real nesting — a
/// table in a table in a text box — is about 30; quick-xml itself does not limit depth, and
/// the readers keep a stack per level.
pub const XML_DEPTH: usize = 256;

/// Characters of a Word numbering level's text (`w:lvlText`, such as `%1、` or `（%2）`). A
/// real one is a few characters; each paragraph's label is made from it.
pub const NUMBERING_TEXT_CHARS: usize = 32;

/// The largest start value of a Word list level (`w:start`, `w:startOverride`). Word's own
/// dialog stops at 32,767; plans count to a few hundred. A larger start is clamped to this,
/// with a note in the report (the list still imports).
pub const NUMBERING_START: u32 = 100_000;

/// Numbering definitions (`w:abstractNum` and `w:num`, each counted) in `numbering.xml`. A
/// plan has tens; a document pasted together from many, a few hundred.
pub const NUMBERING_DEFINITIONS: usize = 10_000;

/// Bytes one PDF stream may decode to (through every filter of its chain). Page contents are
/// kilobytes; an embedded CJK font, unsubsetted, about 20 MiB.
pub const PDF_STREAM_BYTES: u64 = 64 * MIB;

/// Bytes all the streams of one PDF may decode to together. A 300-page plan with its fonts
/// is below 50 MiB.
pub const PDF_TOTAL_BYTES: u64 = 256 * MIB;

/// Nesting depth of arrays and dictionaries in a PDF (`[[[…` or `<<…<<`), outside its streams.
/// Real files nest a handful deep. lopdf (under pdf-extract) stops parsing an object at this
/// same depth and drops that object without a word; refusing the file says why instead.
pub const PDF_DEPTH: usize = 100;

/// Calls of form XObjects (`Do`) one PDF makes, counting the calls inside each called form.
/// pdf-extract walks every call again, so forms calling forms ten times each, a few levels
/// deep, would take it hours; a real page calls a few (a logo, a seal).
pub const PDF_FORM_CALLS: u64 = 100_000;

/// Bytes of a progress table read from disk (.xlsx, .xls, .ods, .csv). A department's table
/// is kilobytes to a few MiB with its pictures.
pub const SHEET_FILE_BYTES: u64 = 64 * MIB;

/// The last row of a progress table with something in it (a CSV's records). A progress table
/// lists a plan's tasks: hundreds, a few thousand for a region's.
pub const SHEET_ROWS: usize = 100_000;

/// The last column of a progress table with something in it. The table has about ten
/// columns; 200 leaves room for notes and hidden helpers, not for `XFD` (16,384).
pub const SHEET_COLUMNS: usize = 200;

/// Cells of one sheet: the non-empty ones of an .xlsx, .xlsb or CSV, the used rectangle of an
/// .ods or .xls (which calamine builds whole, 32 bytes a cell), and the shared strings of an
/// .xlsx. Two million cells are 64 MiB in memory.
pub const SHEET_CELLS: usize = 2_000_000;

/// Seconds LibreOffice may take to convert one .doc/.wps; it is then killed. A 300-page file
/// converts in under 20 s on a slow machine. `GONGKAI_SOFFICE_TIMEOUT` (seconds) sets another,
/// for tests and for very slow machines.
pub const LIBREOFFICE_SECONDS: u64 = 120;

/// Bytes of LibreOffice's output (stdout and stderr, each) kept for the error message: the
/// last ones, where its reason is. The rest is read and dropped so that it cannot block.
pub const LIBREOFFICE_OUTPUT_BYTES: usize = 4096;

/// Bytes of the .docx LibreOffice writes that are read back. The .doc it came from is
/// seldom above 20 MiB; pictures convert to about their own size.
pub const LIBREOFFICE_DOCX_BYTES: u64 = 256 * MIB;

/// The LibreOffice timeout: [`LIBREOFFICE_SECONDS`], or `GONGKAI_SOFFICE_TIMEOUT` when set to
/// a number of seconds.
pub fn libreoffice_timeout() -> std::time::Duration {
    let secs = std::env::var("GONGKAI_SOFFICE_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(LIBREOFFICE_SECONDS as f64);
    std::time::Duration::from_secs_f64(secs)
}

/// Bytes in MiB, for messages.
pub fn mib(bytes: u64) -> String {
    let m = bytes as f64 / MIB as f64;
    if m >= 10.0 || m.fract() == 0.0 {
        format!("{m:.0} MiB")
    } else {
        format!("{m:.1} MiB")
    }
}

/// What is left to read from one zip container, over all its parts.
pub struct ZipBudget {
    left: u64,
}

impl Default for ZipBudget {
    fn default() -> Self {
        ZipBudget {
            left: ZIP_TOTAL_BYTES,
        }
    }
}

/// A limit on what is read, passed: which one, and in which part of a container.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Exceeded {
    #[error("{}", tr!("limits.zip_entries", count = .count, limit = ZIP_ENTRIES))]
    ZipEntries { count: usize },
    #[error("{}", tr!("limits.zip_part", part = .part, limit = mib(ZIP_PART_BYTES)))]
    ZipPart { part: String },
    #[error("{}", tr!("limits.zip_total", part = .part, limit = mib(ZIP_TOTAL_BYTES)))]
    ZipTotal { part: String },
    #[error("{}", tr!("limits.xml_depth", part = .part, limit = XML_DEPTH))]
    XmlDepth { part: String },
}

/// A zip container's entries against [`ZIP_ENTRIES`] (the central directory is read already,
/// and the zip crate bounds that by the file's size).
pub fn check_entries(count: usize) -> Result<(), Exceeded> {
    if count > ZIP_ENTRIES {
        return Err(Exceeded::ZipEntries { count });
    }
    Ok(())
}

impl ZipBudget {
    /// The bytes of the part at `index`, read through a cap: [`ZIP_PART_BYTES`] and what is left
    /// of [`ZIP_TOTAL_BYTES`]. The size the zip header declares is not trusted, but a declared
    /// size already over the limit is refused before anything is inflated. `Ok(None)` when the
    /// part cannot be read (damaged), which the caller treats as it treated a missing one.
    pub fn read_index<R: Read + std::io::Seek>(
        &mut self,
        zip: &mut zip::ZipArchive<R>,
        index: usize,
    ) -> Result<Option<(String, Vec<u8>)>, Exceeded> {
        let mut out = Vec::new();
        let name = self.stream_index(zip, index, |chunk| {
            out.extend_from_slice(chunk);
            Ok(())
        })?;
        Ok(name.map(|n| (n, out)))
    }

    /// As [`ZipBudget::read_index`], by name; `Ok(None)` when there is no such part.
    pub fn read_name<R: Read + std::io::Seek>(
        &mut self,
        zip: &mut zip::ZipArchive<R>,
        name: &str,
    ) -> Result<Option<Vec<u8>>, Exceeded> {
        let Some(index) = zip.index_for_name(name) else {
            return Ok(None);
        };
        Ok(self.read_index(zip, index)?.map(|(_, bytes)| bytes))
    }

    /// Streams the part at `index` through `sink` in chunks under the same caps, keeping
    /// nothing itself. Its name, or `Ok(None)` when it is damaged (an inflate or checksum
    /// error, an unsupported method). The sink's own errors come back as they are.
    pub fn stream_index<R: Read + std::io::Seek, E: From<Exceeded>>(
        &mut self,
        zip: &mut zip::ZipArchive<R>,
        index: usize,
        mut sink: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<Option<String>, E> {
        let Ok(mut f) = zip.by_index(index) else {
            return Ok(None);
        };
        let name = f
            .name()
            .map_or_else(|_| format!("#{index}"), |n| n.into_owned());
        let part_error = || Exceeded::ZipPart { part: name.clone() }.into();
        let total_error = || Exceeded::ZipTotal { part: name.clone() }.into();
        if f.size() > ZIP_PART_BYTES {
            return Err(part_error());
        }
        if f.size() > self.left {
            return Err(total_error());
        }
        let mut buf = vec![0u8; 64 * 1024];
        let mut read: u64 = 0;
        loop {
            let n = match f.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return Ok(None),
            };
            read += n as u64;
            if read > ZIP_PART_BYTES {
                return Err(part_error());
            }
            if read > self.left {
                return Err(total_error());
            }
            sink(&buf[..n])?;
        }
        self.left -= read;
        Ok(Some(name))
    }
}

/// Depth of an XML part being read, against [`XML_DEPTH`].
#[derive(Default)]
pub struct XmlDepth {
    depth: usize,
}

impl XmlDepth {
    /// An element opens; an error naming `part` past the limit.
    pub fn open(&mut self, part: &str) -> Result<(), Exceeded> {
        self.depth += 1;
        if self.depth > XML_DEPTH {
            return Err(Exceeded::XmlDepth {
                part: part.to_string(),
            });
        }
        Ok(())
    }

    /// An element closes.
    pub fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

/// A `<!DOCTYPE` in an Office part: Word and Excel never write one, and its entities are what
/// entity-expansion attacks are made of. quick-xml expands no custom entity and fetches nothing,
/// but a part that has one is refused rather than read with its references dropped.
pub fn doctype_error(part: &str) -> String {
    tr!("limits.xml_doctype", part = part)
}
