//! # anchornet-ingest
//!
//! The first stage of the Anchornet pipeline: read an anchor's payment ledger, in
//! whatever layout its finance system or transparency page produced, into one clean
//! model — with every input row accounted for.
//!
//! ```text
//! paths ──► input (files, dirs, globs, stdin; .gz/.xz/.zip) ──► format (CSV/TSV, XLSX, ODS)
//!       ──► detect (header row, column roles) ──► rows (parse, skip, reject) ──► dedupe ──► sink
//! ```
//!
//! * [`input`] opens sources and decompresses them transparently, within [`Limits`].
//! * [`format`] has one reader per file format, each behind the [`format::Format`] trait.
//! * [`detect`] finds the header row under title rows and decides each column's
//!   [`Role`](anchornet_core::Role) from header vocabulary ([`vocab`]) and from the values
//!   themselves ([`profile`]); a [`mapping`] file overrides it.
//! * [`rows`] turns each data row into a [`Payment`](anchornet_core::Payment) (or a
//!   [`SupplierRecord`] for supplier-side inputs such as contracts registers), or skips or
//!   rejects it with a reason.
//! * [`dedupe`] keeps one copy of a transaction published in two files.
//! * [`report`] reconciles every file: rows read = accepted + skipped + rejected.
//!
//! The entry point is [`Ingest`].
#![deny(missing_docs)]

pub mod csvfast;
pub mod dedupe;
pub mod detect;
mod fast;
pub mod format;
pub mod giving360;
pub mod input;
pub mod limits;
pub mod mapping;
pub mod ocds;
pub mod profile;
pub mod report;
pub mod rows;
pub mod run;
pub mod vocab;

pub use detect::{ColumnRole, DetectError, Detection, InputKind};
pub use limits::{LimitError, Limits};
pub use mapping::Mapping;
pub use report::{FileReport, Issue, Outcome};
pub use rows::SupplierRecord;
pub use run::{Ingest, IngestError, Record};
