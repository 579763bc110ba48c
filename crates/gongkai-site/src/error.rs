//! The errors a run of gongkai ends with, each with the exit code the README documents.

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;
use crate::output::OutputRefusal;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the publisher's content or configuration, all of them.
    #[error("{}", gongkai_i18n::tr!("error.content", count = .0.len()))]
    Content(Vec<Diagnostic>),
    /// The output given is one a build must not replace.
    #[error("{}", .refusal.message(.path))]
    Refused {
        path: PathBuf,
        refusal: OutputRefusal,
    },
    /// The output could not be written.
    #[error("{}", gongkai_i18n::tr!("output.cannot_write", output = .path.display(), error = .source))]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The preview could not listen or watch.
    #[error("{}", gongkai_i18n::tr!("error.serve", error = .0))]
    Serve(std::io::Error),
}

impl Error {
    /// 1: problems in the content or config; 3: the output could not be written (or served).
    /// (2, a bad command line, is clap's.)
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Content(_) => 1,
            Error::Refused { .. } | Error::Write { .. } | Error::Serve(_) => 3,
        }
    }
}

impl From<crate::diagnostics::Diagnostics> for Error {
    fn from(d: crate::diagnostics::Diagnostics) -> Self {
        Error::Content(d.sorted())
    }
}
