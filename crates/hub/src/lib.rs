//! # anchornet-hub
//!
//! The supply chain hub: the anchors' pooled pipeline of contracts, one [`Opportunity`] per
//! procurement, put on a re-procurement [`calendar`] and matched to the local suppliers who
//! could bid.
//!
//! ```text
//! OCDS JSON (any packaging) ──► ingest::ocds (read, account, merge by ocid) ─┐
//! contracts registers ──► sources::register ──────────────────────────────────┤
//! notices tables      ──► sources::notices  ──────────────────────────────────┼─► opportunities
//! forward plans       ──► sources::forward_plan ──────────────────────────────┘      │
//!        anchors (network file) ──► anchors::link ──────────────────────────────────┤
//!                                           calendar (windows by value band) ◄──────┤
//!                        supplier register ──► matching (ranked, with reasons) ◄─────┘
//! ```
//!
//! * [`cpv`]: CPV 2008 codes, typed and labelled from the bundled list.
//! * [`sources`]: one importer per source kind; every row or release read is used or
//!   rejected with file, line or JSON path, value and reason.
//! * [`anchors`]: which opportunities are the network's own.
//! * [`calendar`]: contracts ending or coming to market in the next N months, with the
//!   re-procurement window by value band.
//! * [`matching`]: the local suppliers for each opportunity.
//! * [`demand`]: categories several anchors buy from outside the place, with lots sized for
//!   small and micro businesses.
//! * [`targets`]: SME and VCSE shares of spend against the network's targets.
#![deny(missing_docs)]

pub mod anchors;
pub mod calendar;
pub mod cpv;
pub mod demand;
pub mod matching;
pub mod opportunity;
pub mod output;
pub mod sources;
pub mod targets;

pub use cpv::CpvCode;
pub use opportunity::{Incumbent, Opportunity, SourceKind};
