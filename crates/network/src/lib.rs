//! # anchornet-network
//!
//! A network of anchor institutions and the orchestration that prepares its payments for the
//! metrics: read the network file ([`config`]), ingest each anchor's payment files, resolve
//! suppliers into entities, build the supplier register (`anchornet-suppliers`: every entity
//! located and classified with its evidence, people's decisions applied), apply the
//! influenceable-spend [`rules`], and hand the metrics a [`anchornet_metrics::Dataset`] —
//! from files ([`prepare`]) or from a workspace's stored records ([`prepare_records`]), one
//! pipeline either way. Writing the outputs is the present layer's (`anchornet-report`).
#![deny(missing_docs)]

pub mod cache;
pub mod config;
pub mod pipeline;
pub mod resolve_step;
pub mod rules;

pub use cache::IngestCache;
pub use config::{AnchorKind, Deprivation, NetworkConfig};
pub use pipeline::{
    places_and_rules, prepare, prepare_cached, prepare_records, Inputs, Prepared, Quality,
};
pub use rules::Rules;
