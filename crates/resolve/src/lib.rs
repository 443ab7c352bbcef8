//! # anchornet-resolve
//!
//! The second stage of the Anchornet pipeline (`ingest → resolve → locate → classify →
//! measure → present`): turn the supplier names of many anchors' ledgers, over many years,
//! into one entity per real supplier, each with the evidence that made it.
#![deny(missing_docs)]

pub mod block;
pub mod cluster;
pub mod compare;
pub mod ids;
pub mod input;
pub mod judge;
pub mod kind;
pub mod model;
pub mod output;
pub mod overrides;
pub mod parse;
pub mod public;
pub mod registers;
pub mod resolver;
pub mod state;
pub mod text;
pub mod words;

pub use compare::Reason;
pub use kind::{Kind, KindEvidence, PublicType};
pub use overrides::{Override, OverrideIssue, Overrides};
pub use registers::{NameFilter, RegisterKind, RegisterRecord, Registers, Sme};
pub use resolver::{
    Config, Entity, Evidence, Fact, Facts, Identifiers, LinkRecord, MatchKind, NameInput,
    RegisterLink, Resolution, ResolvedName, Resolver, ReviewItem, Stats,
};
pub use state::{State, StateEntity};
