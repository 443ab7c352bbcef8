//! A share of spend, always carried with its coverage.

use std::marker::PhantomData;

use serde::{Deserialize, Serialize};

use crate::metric::Metric;
use crate::model::{Dataset, SupplierInfo, Txn};

/// Pence matching a test, out of pence where the test could be made (`known`), out of all
/// influenceable pence (`base`). `coverage = known / base`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// Pence that pass the test (e.g. with a supplier in the place).
    pub matched: i64,
    /// Pence for which the test could be made (e.g. supplier located).
    pub known: i64,
    /// All influenceable pence in scope.
    pub base: i64,
}

impl Share {
    /// Add one payment: `known` says whether the test could be made, `matched` whether it passed.
    pub fn add(&mut self, pence: i64, known: bool, matched: bool) {
        self.base += pence;
        if known {
            self.known += pence;
            if matched {
                self.matched += pence;
            }
        }
    }

    /// Combine two partial shares.
    pub fn merge(&mut self, o: Share) {
        self.matched += o.matched;
        self.known += o.known;
        self.base += o.base;
    }

    /// Share of the spend where the test could be made (`None` when there is none).
    pub fn of_known(&self) -> Option<f64> {
        ratio(self.matched, self.known)
    }

    /// Share of all influenceable spend (unknowns counted as not matching).
    pub fn of_all(&self) -> Option<f64> {
        ratio(self.matched, self.base)
    }

    /// Share of influenceable spend for which the test could be made.
    pub fn coverage(&self) -> Option<f64> {
        ratio(self.known, self.base)
    }
}

/// `a / b`, or `None` when `b` is not positive.
pub fn ratio(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// The test behind a supplier-based share: whether it can be made for a supplier, and
/// whether the supplier passes. Each share metric (local, wider, SME, VCSE) is one of these.
pub trait SupplierTest: Send {
    /// The test can be made (the supplier's location, size or type is known).
    fn known(s: &SupplierInfo) -> bool;
    /// The supplier passes.
    fn matched(s: &SupplierInfo) -> bool;
}

/// A [`Metric`] giving the [`Share`] of influenceable spend whose supplier passes `T`.
pub struct ShareOf<T>(Share, PhantomData<T>);

impl<T: SupplierTest> Metric for ShareOf<T> {
    type Output = Share;
    fn new(_: &Dataset) -> Self {
        ShareOf(Share::default(), PhantomData)
    }
    fn fold(&mut self, ds: &Dataset, t: &Txn) {
        if t.excluded_by.is_none() {
            let s = ds.supplier(t);
            self.0.add(t.pence, T::known(s), T::matched(s));
        }
    }
    fn reduce(&mut self, o: Self) {
        self.0.merge(o.0);
    }
    fn finalize(self, _: &Dataset) -> Share {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_both_ways_with_coverage() {
        let mut s = Share::default();
        s.add(600, true, true);
        s.add(200, true, false);
        s.add(200, false, false);
        assert_eq!(s.of_known(), Some(0.75));
        assert_eq!(s.of_all(), Some(0.6));
        assert_eq!(s.coverage(), Some(0.8));
        let mut t = Share::default();
        t.merge(s);
        t.merge(s);
        assert_eq!((t.matched, t.known, t.base), (1200, 1600, 2000));
        assert_eq!(Share::default().of_all(), None);
    }
}
