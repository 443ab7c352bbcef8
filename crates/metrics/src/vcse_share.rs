//! VCSE share: the share of influenceable spend with the social economy — charities, CIOs, CICs,
//! co-operatives and community benefit societies — from registers and legal forms. Coverage is
//! the spend whose supplier's type is known.
//! Methodology: `docs/methodology/vcse-share.md`.

use crate::model::SupplierInfo;
use crate::share::{ShareOf, SupplierTest};

/// The test: see the module docs.
pub struct Vcse;

impl SupplierTest for Vcse {
    fn known(s: &SupplierInfo) -> bool {
        s.vcse.is_some()
    }
    fn matched(s: &SupplierInfo) -> bool {
        s.vcse == Some(true)
    }
}

/// The metric.
pub type VcseShare = ShareOf<Vcse>;
