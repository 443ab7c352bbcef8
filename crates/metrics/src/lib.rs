//! # anchornet-metrics
//!
//! The *measure* stage of the Anchornet pipeline
//! (`ingest → resolve → locate → classify → measure → present`).
//!
//! Input is a [`Dataset`]: every payment of a network, already resolved to a supplier entity,
//! located and classified, with the influenceable-spend rule that excluded it (if any). Output
//! is an [`Analysis`]: the community wealth building figures for the network and each anchor,
//! by financial year and by category, each share with its coverage.
//!
//! Each metric lives in its own module behind one trait, [`Metric`] (`new / fold / reduce /
//! finalize`, so a scope's payments can be folded in parallel and the partial results
//! combined), and has its own methodology page in `docs/methodology/`:
//!
//! | module | figure |
//! |---|---|
//! | [`total`] | total spend (every accepted payment) |
//! | [`influenceable`] | influenceable spend, and what each exclusion rule removed |
//! | [`local_share`] | share of influenceable spend with suppliers in the local place |
//! | [`wider_share`] | share with suppliers in the wider place |
//! | [`deprived_share`] | share with suppliers in the most deprived neighbourhoods (deciles 1–2), and the decile distribution |
//! | [`sme_share`] | share with small and medium-sized enterprises |
//! | [`vcse_share`] | share with the social economy (charities, CICs, co-operatives…) |
//! | [`concentration`] | supplier count, top-10 share, Herfindahl–Hirschman index |
//! | [`leakage`] | spend leaving the place, by category, with the local suppliers already paid in it |
//! | [`yoy`] | year-on-year change of the headline figures |
//!
//! [`disclosure`] decides which figures may be published: primary and secondary suppression
//! of small cells in additive tables, for the web and the jobs funnel alike.
//!
//! Money is integer pence throughout; a share is reported two ways (of located spend and of
//! all influenceable spend) with its coverage, never as a bare percentage.
#![deny(missing_docs)]

pub mod analysis;
pub mod concentration;
pub mod deprived_share;
pub mod disclosure;
pub mod influenceable;
pub mod leakage;
pub mod local_share;
pub mod metric;
pub mod model;
pub mod share;
pub mod sme_share;
pub mod total;
pub mod vcse_share;
pub mod wider_share;
pub mod yoy;

pub use analysis::{analyse, Analysis, Figures, Scope};

pub use metric::Metric;
pub use model::{AnchorInfo, Dataset, Location, NetworkInfo, RuleInfo, SupplierInfo, Txn};
pub use share::Share;

/// The scope name the analysis gives the whole network (each anchor's scope is its name):
/// the one place the word is written.
pub const NETWORK: &str = "network";

/// Whose figures: the whole network, or one anchor (by its name). Written as `network` or
/// the anchor's name in JSON and tables; typed everywhere else, so an anchor is never taken
/// for the network by a string comparison.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ScopeName {
    /// The whole network.
    Network,
    /// One anchor.
    Anchor(String),
}

impl ScopeName {
    /// Whether it is the whole network.
    pub fn is_network(&self) -> bool {
        matches!(self, ScopeName::Network)
    }

    /// As written: `network` or the anchor's name.
    pub fn as_str(&self) -> &str {
        match self {
            ScopeName::Network => NETWORK,
            ScopeName::Anchor(a) => a,
        }
    }

    /// The scope a written name means.
    pub fn parse(s: &str) -> ScopeName {
        if s == NETWORK {
            ScopeName::Network
        } else {
            ScopeName::Anchor(s.to_string())
        }
    }
}

impl std::fmt::Display for ScopeName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for ScopeName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ScopeName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for ScopeName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ScopeName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(ScopeName::parse(&s))
    }
}
