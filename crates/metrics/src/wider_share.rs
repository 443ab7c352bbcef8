//! Wider-place share: the share of influenceable spend with suppliers located in the network's
//! wider place (e.g. Greater Manchester), which contains the local place.
//! Methodology: `docs/methodology/wider-share.md`.

use crate::model::SupplierInfo;
use crate::share::{ShareOf, SupplierTest};

/// The test: see the module docs.
pub struct Wider;

impl SupplierTest for Wider {
    fn known(s: &SupplierInfo) -> bool {
        s.location.is_some()
    }
    fn matched(s: &SupplierInfo) -> bool {
        s.location.as_ref().is_some_and(|l| l.wider)
    }
}

/// The metric.
pub type WiderShare = ShareOf<Wider>;
