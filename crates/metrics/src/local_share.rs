//! Local share: the share of influenceable spend with suppliers located in the network's local place (e.g. Salford).
//! Coverage is the share of influenceable spend whose supplier has a location.
//! Methodology: `docs/methodology/local-share.md`.

use crate::model::SupplierInfo;
use crate::share::{ShareOf, SupplierTest};

/// The test: see the module docs.
pub struct Local;

impl SupplierTest for Local {
    fn known(s: &SupplierInfo) -> bool {
        s.location.is_some()
    }
    fn matched(s: &SupplierInfo) -> bool {
        s.location.as_ref().is_some_and(|l| l.local)
    }
}

/// The metric.
pub type LocalShare = ShareOf<Local>;
