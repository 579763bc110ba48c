//! Why an import failed, as types: the caller (the command line, a batch, a test) can tell one
//! failure from another and still show the publisher the message the catalogue has for it, in
//! the language of the run — word for word what was shown when these were strings.

use std::path::PathBuf;
use std::time::Duration;

use gongkai_i18n::tr;
use gongkai_site::diagnostics::Diagnostic;
use gongkai_zh::slug::Problem;

/// Why a document's bytes could not be read into lines and tables.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// An old Word or WPS file given as bytes: only a file on disk is converted.
    #[error("{}", tr!("import.error.legacy_word", ext = .0))]
    LegacyWord(&'static str),
    /// Not a document at all (an image, an archive …): the kind `sniff` saw.
    #[error("{}", tr!("import.error.not_a_document", what = kind_name(.0)))]
    NotADocument(String),
    /// Text that does not decode in the encoding it most likely is.
    #[error("{}", tr!("import.error.encoding", guess = .0))]
    Encoding(&'static str),
    /// A .docx that is no zip or lacks its document part.
    #[error("{}", tr!("import.error.docx", error = .0))]
    Docx(String),
    /// A PDF its parser could not read (`panic` when the parser panicked).
    #[error("{}", tr!("import.error.pdf", error = .0))]
    Pdf(String),
    #[error("{}", tr!("limits.pdf_encrypted"))]
    PdfEncrypted,
    #[error("{}", tr!("limits.pdf_damaged"))]
    PdfDamaged,
    /// A PDF without a text layer.
    #[error("{}", tr!("import.error.scanned_pdf"))]
    ScannedPdf,
    /// Past a limit of a container: zip entries, part sizes, XML depth.
    #[error("{0}")]
    Exceeded(#[from] gongkai_site::limits::Exceeded),
    /// Past a limit the reader checks itself (a PDF's streams, a document's lines or tasks), in
    /// its words.
    #[error("{0}")]
    Limit(String),
    /// Nothing in the document looks like a plan's title.
    #[error("{}", tr!("import.error.no_title"))]
    NoTitle,
}

/// The name of a kind of file `sniff` tells apart (`image`, `zip` …) in the current language.
fn kind_name(kind: &str) -> String {
    tr!(&format!("import.kind.{kind}"))
}

/// Why a district slug the publisher typed cannot be one.
fn slug_problem(p: &Problem) -> String {
    match p {
        Problem::Empty => tr!("import.slug.empty"),
        Problem::TooLong => tr!("import.slug.too_long"),
        Problem::Characters => tr!("import.slug.characters"),
        Problem::Reserved => tr!("import.slug.reserved"),
    }
}

/// Diagnostics one to a line, each after a line break: how a list of problems follows the
/// sentence that introduces it.
pub(crate) fn lines(diags: &[Diagnostic], indent: &str) -> String {
    diags.iter().map(|d| format!("\n{indent}{d}")).collect()
}

/// Why files could not be written: nothing was (see [`crate::write::all_or_nothing`]).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file of the site would land outside it through a link on its way.
    #[error("{}", tr!("import.error.outside_site", file = .file.display(), target = .target.display()))]
    OutsideSite { file: PathBuf, target: PathBuf },
    #[error("{}", tr!("import.error.write", file = .file.display(), error = .source))]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Why an old Word or WPS file could not be converted to .docx.
#[derive(Debug, thiserror::Error)]
pub enum LibreOfficeError {
    /// The temporary folder or the copy in it could not be made.
    #[error("{}", tr!("import.error.temp", error = .0))]
    Temp(#[source] std::io::Error),
    #[error("{}", tr!("limits.libreoffice_timeout", file = .file.display(), seconds = format!("{:.0}", .timeout.as_secs_f64())))]
    Timeout { file: PathBuf, timeout: Duration },
    /// It wrote no .docx; `output` is what it said (its end, when long).
    #[error("{}", tr!("import.error.libreoffice_failed", file = .file.display(), error = .output))]
    Failed { file: PathBuf, output: String },
    /// The .docx it wrote could not be read.
    #[error("{}", tr!("import.error.read", file = .docx.display(), error = .source))]
    ReadOutput {
        docx: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", tr!("limits.libreoffice_docx", file = .file.display(), limit = gongkai_site::limits::mib(gongkai_site::limits::LIBREOFFICE_DOCX_BYTES)))]
    TooLarge { file: PathBuf },
    #[error("{}", tr!("import.error.no_libreoffice", ext = .ext))]
    NotInstalled { ext: String },
}

/// Why `site.yaml` could not be given what an import brings.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// yaml-edit could not parse it (its own message).
    #[error("{}", tr!("import.error.yaml_edit", error = .0))]
    Edit(String),
    #[error("{}", tr!("import.error.yaml_not_mapping"))]
    NotMapping,
    #[error("{}", tr!("import.error.yaml_not_list", key = .0))]
    NotList(String),
    /// More new units than an import may add: `file` is the document.
    #[error("{}", tr!("linear.error.new_units", file = .file, count = .count, limit = .limit))]
    TooManyUnits {
        file: String,
        count: usize,
        limit: usize,
    },
    #[error("{}", tr!("linear.error.new_indicators", file = .file, count = .count, limit = .limit))]
    TooManyIndicators {
        file: String,
        count: usize,
        limit: usize,
    },
}

/// Why `gongkai import DOC --into PLAN` could not fill the plan: each names the file and says
/// what to do.
#[derive(Debug, thiserror::Error)]
pub enum IntoError {
    /// `--into` with a folder of documents: one document fills one plan.
    #[error("{}", tr!("import.into.folder", dir = .0.display()))]
    Folder(PathBuf),
    /// A `..` in the path given: never resolved, whatever it would reach.
    #[error("{}", tr!("import.into.parent_dir", plan = .0.display()))]
    ParentDir(PathBuf),
    #[error("{}", tr!("import.into.missing", plan = .0.display()))]
    Missing(PathBuf),
    /// The plan's name is a link (to `target`): the file it names is not edited through it.
    #[error("{}", tr!("import.into.link", plan = .plan.display(), target = .target.display()))]
    Link { plan: PathBuf, target: PathBuf },
    /// A folder, a FIFO, a device: no plan file.
    #[error("{}", tr!("import.into.not_a_file", plan = .0.display()))]
    NotAFile(PathBuf),
    /// The file is not under the site's `content/` once its folders' links are followed.
    #[error("{}", tr!("import.into.outside", plan = .plan.display(), content = .content.display()))]
    Outside { plan: PathBuf, content: PathBuf },
    /// Under `content/`, but a progress file, a 解读, or no `.md` at all.
    #[error("{}", tr!("import.into.not_a_plan", plan = .0.display()))]
    NotAPlan(PathBuf),
    /// Its front matter does not read (what the loader said).
    #[error("{}", tr!("import.into.broken", plan = .plan.display(), error = .error))]
    Broken { plan: PathBuf, error: String },
}

/// Why a document was not imported (or a run of `gongkai import` could not start).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Read(#[from] DocumentError),
    /// `--district` is no usable slug.
    #[error("{}", tr!("import.error.bad_district", slug = .slug.escape_debug(), why = slug_problem(.problem)))]
    BadDistrict { slug: String, problem: Problem },
    /// `--year` is no year or period.
    #[error("{}", tr!("import.error.bad_year", year = .0))]
    BadYear(String),
    /// Neither the document nor the command line gives the year.
    #[error("{}", tr!("import.error.no_year", title = .0))]
    NoYear(String),
    #[error("{}", tr!("import.error.no_district", title = .0))]
    NoDistrict(String),
    /// The site's `site.yaml` does not load: its problems, sorted.
    #[error("{}{}", tr!("import.error.config", site = .site.display()), lines(.problems, ""))]
    Config {
        site: PathBuf,
        problems: Vec<Diagnostic>,
    },
    /// A file could not be read under the reading policy (`reason` says why).
    #[error("{}", tr!("import.error.read", file = .file.display(), error = .reason))]
    ReadFile { file: PathBuf, reason: String },
    #[error("{}", tr!("import.error.folder_too_large", dir = .dir.display(), limit = .limit))]
    FolderTooLarge { dir: PathBuf, limit: usize },
    /// A folder with no document to import, with the entries that were not read and why.
    #[error("{}{}", tr!("import.error.empty_folder", dir = .dir.display()), skipped_lines(.skipped))]
    EmptyFolder {
        dir: PathBuf,
        skipped: Vec<(PathBuf, String)>,
    },
    /// The plan file exists and `--force` was not given.
    #[error("{}", tr!("import.error.exists", file = .0.display()))]
    Exists(PathBuf),
    /// The original's copy under `sources/` exists with other content.
    #[error("{}", tr!("import.error.source_exists", file = .0.display()))]
    SourceExists(PathBuf),
    /// What converting the document found, after the document's name.
    #[error("{}: {source}", .file.display())]
    Document {
        file: PathBuf,
        #[source]
        source: Box<ImportError>,
    },
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// site.yaml with the additions does not pass the checks: its problems, sorted.
    #[error("{}{}", tr!("import.error.yaml_invalid"), lines(.0, ""))]
    ConfigInvalid(Vec<Diagnostic>),
    /// The plan file made does not read back as `check` reads it.
    #[error("{}", tr!("import.error.plan_invalid", error = .0.message))]
    PlanInvalid(Diagnostic),
    /// The plan would fail `check` among the site's plans: the errors of its files, sorted.
    #[error("{}{}", tr!("import.error.invalid_in_site", count = .0.len()), lines(.0, ""))]
    InvalidInSite(Vec<Diagnostic>),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    LibreOffice(#[from] LibreOfficeError),
    #[error(transparent)]
    Into(#[from] IntoError),
}

fn skipped_lines(skipped: &[(PathBuf, String)]) -> String {
    skipped
        .iter()
        .map(|(file, why)| format!("\n  {}: {why}", file.display()))
        .collect()
}

impl ImportError {
    /// The error with the document's name before it, as a batch lists it.
    pub fn in_document(self, file: &std::path::Path) -> ImportError {
        ImportError::Document {
            file: file.to_path_buf(),
            source: Box::new(self),
        }
    }
}
