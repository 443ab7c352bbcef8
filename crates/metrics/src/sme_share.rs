//! SME share: the share of influenceable spend with small and medium-sized enterprises (PPN 001:
//! fewer than 250 staff and turnover ≤ £44m or balance sheet ≤ £38m), from registers or
//! declarations. Unknown size is never guessed as SME; coverage is the spend whose supplier's
//! size is known.
//! Methodology: `docs/methodology/sme-share.md`.

use crate::model::SupplierInfo;
use crate::share::{ShareOf, SupplierTest};

/// The test: see the module docs.
pub struct Sme;

impl SupplierTest for Sme {
    fn known(s: &SupplierInfo) -> bool {
        s.sme.is_some()
    }
    fn matched(s: &SupplierInfo) -> bool {
        s.sme == Some(true)
    }
}

/// The metric.
pub type SmeShare = ShareOf<Sme>;
