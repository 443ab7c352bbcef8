//! # anchornet-resolve
//!
//! The second stage of the Anchornet pipeline (`ingest → resolve → locate → classify →
//! measure → present`): turn the supplier names of many anchors' ledgers, over many years,
//! into one entity per real supplier, each with the evidence that made it.
//!
//! The same supplier appears as `Schofield & Sons Ltd`, `SCHOFIELD AND SONS LIMITED` and
//! `Schofield and Sons` in three ledgers; `Corbel LG Ltd` and `Corbel TPT Ltd` are different
//! companies; `Little Acorns Day Nur Ltd (Hale)` is a name cut at 35 characters. Every
//! metric depends on telling these apart, so every link keeps its reason and confidence,
//! and people can correct the result.
//!
//! ```text
//! names ──► parse ──► weigh ──► block ──► judge ──► cluster ──► entities
//!          (legal    (rare    (candidate (link /    (never      (kind, register
//!           forms,    words    pairs)     conflict)  across a    facts, review)
//!           noise)    count)                         conflict)
//! ```
//!
//! * [`text`] repairs encoding damage and splits a name into words and structure;
//!   [`parse`] reads it into a registered name, legal form, trading name and ledger noise;
//!   [`public`] recognises councils and national bodies.
//! * [`model`] weighs words by rarity over the input and a built-in background of real
//!   supplier names; [`block`] picks the pairs worth comparing; [`compare`] judges two
//!   names' words and [`judge`] adds identifiers, public bodies, trading names and anchors;
//!   [`bound`] rules out, exactly and cheaply, the pairs that can give neither a link nor a
//!   near miss, so that only the others are judged in full.
//! * [`cluster`] joins links strongest first and refuses any join across a conflict, so a
//!   short `Ravensworth` cannot chain `Ravensworth Resourcing` to `Ravensworth Business
//!   Services`.
//! * [`registers`] reads Companies House, the Charity Commission register, OCDS parties and
//!   anchors' own supplier lists, and their facts attach to entities with their sources;
//!   [`kind`] decides what kind of body each entity is, with evidence.
//! * [`overrides`] (must-link, cannot-link, rename, set identifier) and [`state`] (entities
//!   of earlier runs, kept stable) put people in the loop; [`input`] and [`output`] read
//!   names from any ledger and write the results.
//!
//! The entry point is [`Resolver`]:
//!
//! ```
//! use anchornet_resolve::{Kind, NameInput, Resolver};
//!
//! let names = ["Schofield & Sons Ltd", "SCHOFIELD AND SONS LIMITED", "Corbel LG Ltd", "Corbel TPT Ltd"];
//! let inputs: Vec<NameInput> = names.iter().map(|n| NameInput::new(*n)).collect();
//! let res = Resolver::default().resolve(&inputs);
//! let a = res.name("Schofield & Sons Ltd").unwrap();
//! let b = res.name("SCHOFIELD AND SONS LIMITED").unwrap();
//! assert_eq!(a.entity, b.entity);
//! assert_ne!(res.name("Corbel LG Ltd").unwrap().entity, res.name("Corbel TPT Ltd").unwrap().entity);
//! assert_eq!(res.entity_of(a).kind, Kind::Company);
//! ```
#![deny(missing_docs)]

pub mod block;
pub mod bound;
pub mod calibrate;
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
    Config, Coverage, Entity, Evidence, Fact, Facts, Identifiers, LinkRecord, MatchKind, NameInput,
    PostcodeCoverage, RegisterLink, Resolution, ResolvedName, Resolver, ReviewItem, Stats,
};
pub use state::{State, StateEntity};
