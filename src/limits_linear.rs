//! Counts that `gongkai import` and `gongkai progress import` bound, so that a large or hostile
//! file is read in time linear in its size or refused with an error naming the file and the
//! limit — never a hang. Each limit is far above what real documents hold: the 37 real plans
//! of the import corpus carry at most ~220 tasks and a few thousand lines; a department's
//! progress table has a row a task.
//!
//! (Another set of limits, on bytes read and decompressed, lives in `limits.rs`.)

/// Element nesting of a saved web page, estimated from its tags before it is parsed (see
/// `import::html::nesting`): past it the page is refused. html5ever checks its stack of open
/// elements at every tag, so its time grows with the square of the nesting (1,000,000 nested
/// `div`s never finish), and it opens every unclosed formatting element again in each new
/// paragraph, so `<p><b id=1></p><p><b id=2></p>…` makes elements with the square of the count
/// (4,000 of them: 37 s and 2 GB). At 512 the worst of these parses in about half a second.
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
/// up to ~220 tasks. Not higher, because one step of the import (`import::convert_items`
/// matching each task with the responsibility given in front matter) still searches a list
/// per task: at 20,000 tasks that all take their units from group notations, it costs about a
/// second.
pub const IMPORT_MAX_NUMBERED: usize = 20_000;

/// Rows of all the tables of an imported document together: a task table has a row a task,
/// so this is the task limit again.
pub const IMPORT_MAX_TABLE_ROWS: usize = 20_000;

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
