//! The model, at the bottom of gongkai: plans, their bodies, the registries' entities, periods
//! and the typed IDs that tie them together. It depends on no other gongkai crate and speaks no
//! language: what it cannot accept it says in a form the crates above it put into words.

pub mod body;
pub mod date;
pub mod id;
pub mod period;
pub mod plan;
pub mod registry;
pub mod scalar;
pub mod target;
pub mod track;

pub use body::{
    Block, Body, InternalLink, LinkSpan, LinkedText, NameRef, Repeat, Role, Section, TableRow,
    Task, TaskSource,
};
pub use date::Date;
pub use id::{
    ComparisonId, DistrictId, Id, IdVec, IndicatorId, PersonId, PlanId, RegionId, SectionId,
    TaskId, UnitId,
};
pub use period::Period;
pub use plan::{
    FrontMatter, Indicator, IndicatorSpec, LoadedPlan, LoadedProgress, Plan, Responsibility,
    TaskOverride,
};
pub use registry::{
    Direction, District, IndicatorDef, Named, Person, Registry, Scope, Unit, UnitKind,
};
pub use scalar::string_or_number;
pub use track::{
    Attachment, AttachmentSpec, Due, DueSource, Evidence, EvidenceFull, EvidenceSpec, FileProblem,
    FileRole, FileStat, IndicatorResult, Interpretation, InterpretationMeta, Progress,
    ProgressFile, ProgressSpec, ResultSpec, Status,
};
