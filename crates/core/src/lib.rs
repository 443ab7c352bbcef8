//! # anchornet-core
//!
//! The domain types every stage of the Anchornet pipeline shares
//! (`ingest → resolve → locate → classify → measure → present`).
//! Values are parsed from the messy text of real council files exactly once,
//! here, into types that can only hold valid values:
//!
//! * [`Pence`] — money as an integer number of pence, never a float.
//! * [`PaymentDate`] — a calendar date read from the many ways ledgers write one.
//! * [`FinancialYear`] — the UK public-sector year, 1 April to 31 March, shown `2021/22`.
//! * [`GssCode`] — an ONS Government Statistical Service area code such as `E08000006`.
//! * [`Postcode`] — a UK postcode in its canonical form (`M5 4BD`).
//! * [`ProclassCode`] — a ProClass procurement classification code (`191400`).
//! * [`Payment`] — one normalised payment record, with where it came from.
//! * [`Kind`], [`Size`], [`LocationKind`], [`SourceKind`] — what a supplier is and where
//!   the evidence of its location came from.
//! * [`AssetStatus`] — where a land or building asset stands for community use, and the
//!   moves allowed between stands.
//! * [`cell::spreadsheet_text`] — a value made safe to open in a spreadsheet (no formulas).
//!
//! This crate does no I/O.
#![deny(missing_docs)]

pub mod asset;
pub mod cache;
pub mod cell;
pub mod date;
pub mod fy;
pub mod gss;
pub mod money;
pub mod payment;
pub mod postcode;
pub mod proclass;
pub mod supplier;

pub use asset::AssetStatus;
pub use date::{DateError, PaymentDate};
pub use fy::FinancialYear;
pub use gss::{GssCode, GssError};
pub use money::{MoneyError, Pence};
pub use payment::{Payment, Role};
pub use postcode::{Postcode, PostcodeError};
pub use proclass::{ProclassCode, ProclassError};
pub use supplier::{Kind, LocationKind, PublicType, Size, SourceKind};
