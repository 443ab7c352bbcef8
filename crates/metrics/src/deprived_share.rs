//! Deprived-area share: the share of influenceable spend with suppliers whose neighbourhood
//! (LSOA) is in deciles 1–2 of the English Indices of Deprivation — the most deprived 20% —
//! and the full decile distribution. Suppliers outside England, or not located, are unknown.
//! Methodology: `docs/methodology/deprived-share.md`.

use serde::{Deserialize, Serialize};

use crate::metric::Metric;
use crate::model::{Dataset, Txn};
use crate::share::Share;

/// The most deprived decile counted as "deprived" (deciles 1..=2 by default, per DESIGN.md).
pub const DEPRIVED_MAX_DECILE: u8 = 2;

/// The deprived-area share and the decile distribution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Deprived {
    /// Share in deciles 1–2, of spend with a known decile and of all influenceable spend.
    pub share: Share,
    /// Pence by decile: index 0 = decile 1 (most deprived) … index 9 = decile 10.
    pub by_decile: [i64; 10],
    /// Pence with no decile (not located, or located outside England).
    pub unknown: i64,
}

/// Fold state.
#[derive(Default)]
pub struct DeprivedShare(Deprived);

impl Metric for DeprivedShare {
    type Output = Deprived;
    fn new(_: &Dataset) -> Self {
        DeprivedShare::default()
    }
    fn fold(&mut self, ds: &Dataset, t: &Txn) {
        if t.excluded_by.is_some() {
            return;
        }
        let decile = ds
            .location(t)
            .and_then(|l| l.decile)
            .filter(|d| (1..=10).contains(d));
        let d = &mut self.0;
        d.share.add(
            t.pence,
            decile.is_some(),
            decile.is_some_and(|x| x <= DEPRIVED_MAX_DECILE),
        );
        match decile {
            Some(x) => d.by_decile[x as usize - 1] += t.pence,
            None => d.unknown += t.pence,
        }
    }
    fn reduce(&mut self, o: Self) {
        self.0.share.merge(o.0.share);
        for (a, b) in self.0.by_decile.iter_mut().zip(o.0.by_decile) {
            *a += b;
        }
        self.0.unknown += o.0.unknown;
    }
    fn finalize(self, _: &Dataset) -> Deprived {
        self.0
    }
}
