//! Chinese text rules that every stage of gongkai reads the same way: the [`numbering`] markers
//! of official documents, responsibility [`notation`]s, [`due`]-date phrases, the [`fold`]ing
//! that makes two spellings one to search, the [`preamble`] parts that hold no tasks, and the
//! ASCII [`slug`]s (pinyin included) that names become in URLs. Above the model (due dates are
//! read against a plan's period), below the site.

pub mod columns;
pub mod due;
pub mod fold;
pub mod notation;
pub mod numbering;
pub mod preamble;
pub mod slug;
