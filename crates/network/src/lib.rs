//! # anchornet-network
//!
//! A network of anchor institutions and the pipeline that prepares its payments for the
//! metrics: read the network file ([`config`]), ingest each anchor's payment files, resolve
//! suppliers into entities, **locate** each entity by the best evidence (the anchor's own
//! vendor address, then a contracts register or OCDS party address, then the Companies House
//! registered office — flagged as a possible head-office effect), **classify** it (kind, SME,
//! VCSE, individual), apply the influenceable-spend [`rules`], and hand the metrics a
//! [`anchornet_metrics::Dataset`].
#![deny(missing_docs)]

pub mod config;
pub mod pipeline;
pub mod resolve_step;
pub mod rules;
pub mod run;
pub mod shapes;

pub use config::{AnchorKind, Deprivation, NetworkConfig};
pub use pipeline::{prepare, prepare_records, Inputs, Prepared, Quality};
pub use rules::Rules;
pub use run::{run, RunError, RunResult};
