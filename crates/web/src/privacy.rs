//! What may be published: small-cell suppression and the redaction of individuals.
//!
//! A figure in the public view is shown only when it is made from at least
//! [`MIN_SUPPLIERS`] distinct suppliers **and** at least [`MIN_PAYMENTS`] payments — counted
//! over all the payments in its cell and over the influenceable ones alike, so neither the
//! total nor a share can single out a supplier. When a table would then have exactly one
//! suppressed row beside a published total, the smallest other row is suppressed too
//! (secondary suppression), so the hidden figure cannot be found by subtraction. The public
//! view names no supplier at all, so no individual or sole trader can appear in it; inside
//! the workspace, an individual's name is shown only to admins and to members of an anchor
//! that paid them.

use std::collections::HashSet;

use anchornet_metrics::{Dataset, Txn};

/// Fewest distinct suppliers behind a published figure.
pub const MIN_SUPPLIERS: usize = 5;
/// Fewest payments behind a published figure.
pub const MIN_PAYMENTS: u64 = 10;
/// What a suppressed cell shows.
pub const SUPPRESSED: &str = "suppressed";

/// How many suppliers and payments a figure is made from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CellCount {
    /// Distinct suppliers.
    pub suppliers: usize,
    /// Payments.
    pub payments: u64,
}

impl CellCount {
    /// Enough to publish.
    pub fn publishable(&self) -> bool {
        self.suppliers >= MIN_SUPPLIERS && self.payments >= MIN_PAYMENTS
    }
}

/// The counts of the payments `admit` selects: (all of them, the influenceable ones).
pub fn counts(ds: &Dataset, admit: impl Fn(&Txn) -> bool) -> (CellCount, CellCount) {
    let (mut s_all, mut s_inf) = (HashSet::new(), HashSet::new());
    let (mut all, mut inf) = (CellCount::default(), CellCount::default());
    for t in ds.txns.iter().filter(|t| admit(t)) {
        s_all.insert(t.supplier);
        all.payments += 1;
        if t.excluded_by.is_none() {
            s_inf.insert(t.supplier);
            inf.payments += 1;
        }
    }
    all.suppliers = s_all.len();
    inf.suppliers = s_inf.len();
    (all, inf)
}

/// The counts per key in one pass over the payments `admit` selects, keyed by `key`.
pub fn counts_by<K: std::hash::Hash + Eq>(
    ds: &Dataset,
    admit: impl Fn(&Txn) -> bool,
    key: impl Fn(&Txn) -> K,
) -> std::collections::HashMap<K, (CellCount, CellCount)> {
    type Acc = (HashSet<u32>, u64, HashSet<u32>, u64);
    let mut acc: std::collections::HashMap<K, Acc> = std::collections::HashMap::new();
    for t in ds.txns.iter().filter(|t| admit(t)) {
        let e = acc.entry(key(t)).or_default();
        e.0.insert(t.supplier);
        e.1 += 1;
        if t.excluded_by.is_none() {
            e.2.insert(t.supplier);
            e.3 += 1;
        }
    }
    acc.into_iter()
        .map(|(k, (a, n, i, m))| {
            (
                k,
                (
                    CellCount {
                        suppliers: a.len(),
                        payments: n,
                    },
                    CellCount {
                        suppliers: i.len(),
                        payments: m,
                    },
                ),
            )
        })
        .collect()
}

/// Whether a cell may be published: both counts are enough.
pub fn publishable(c: (CellCount, CellCount)) -> bool {
    c.0.publishable() && c.1.publishable()
}

/// Secondary suppression: given each row's size and whether it is suppressed, suppress the
/// smallest published row when exactly one row is suppressed (so a published total cannot
/// reveal it). Returns the final flags.
pub fn secondary(sizes: &[i64], suppressed: &[bool]) -> Vec<bool> {
    let mut out = suppressed.to_vec();
    if out.iter().filter(|s| **s).count() == 1 {
        if let Some((i, _)) = sizes
            .iter()
            .enumerate()
            .filter(|(i, _)| !out[*i])
            .min_by_key(|(_, s)| s.abs())
        {
            out[i] = true;
        }
    }
    out
}

/// The name to show a viewer for a supplier: individuals are redacted unless `may_see`.
pub fn shown_name(ds: &Dataset, supplier: u32, may_see: bool) -> String {
    if may_see {
        ds.suppliers[supplier as usize].name.clone()
    } else {
        ds.public_name(supplier).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert!(CellCount {
            suppliers: 5,
            payments: 10
        }
        .publishable());
        assert!(!CellCount {
            suppliers: 4,
            payments: 100
        }
        .publishable());
        assert!(!CellCount {
            suppliers: 50,
            payments: 9
        }
        .publishable());
    }

    #[test]
    fn one_suppressed_row_takes_the_smallest_other_with_it() {
        assert_eq!(
            secondary(&[100, 5, 40, 30], &[false, true, false, false]),
            [false, true, false, true]
        );
        assert_eq!(
            secondary(&[1, 2, 3], &[true, true, false]),
            [true, true, false]
        );
        assert_eq!(secondary(&[1, 2], &[false, false]), [false, false]);
    }
}
