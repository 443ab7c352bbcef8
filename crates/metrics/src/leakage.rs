//! Leakage by category: influenceable spend with suppliers located outside the local place,
//! category by category, beside the local suppliers the network already pays in that category
//! — the starting list for winning spend back.
//! Methodology: `docs/methodology/leakage.md`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::metric::Metric;
use crate::model::{Dataset, Txn};

/// One category's leakage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LeakageRow {
    /// Category.
    pub category: String,
    /// Influenceable pence in the category.
    pub influenceable: i64,
    /// Pence with suppliers located in the local place.
    pub local: i64,
    /// Pence with suppliers located outside the local place (the leak).
    pub leaked: i64,
    /// Pence with suppliers not located.
    pub unknown: i64,
    /// Local suppliers already paid in this category, largest first (at most five): (name, pence).
    pub local_suppliers: Vec<(String, i64)>,
    /// Number of local suppliers paid in the category.
    pub local_supplier_count: u64,
}

/// Fold state: per category, per supplier, pence.
#[derive(Default)]
pub struct Leakage(HashMap<u32, HashMap<u32, i64>>);

impl Metric for Leakage {
    type Output = Vec<LeakageRow>;
    fn new(_: &Dataset) -> Self {
        Self::default()
    }
    fn fold(&mut self, _: &Dataset, t: &Txn) {
        if t.excluded_by.is_none() {
            *self
                .0
                .entry(t.category)
                .or_default()
                .entry(t.supplier)
                .or_default() += t.pence;
        }
    }
    fn reduce(&mut self, o: Self) {
        for (c, m) in o.0 {
            let e = self.0.entry(c).or_default();
            for (s, p) in m {
                *e.entry(s).or_default() += p;
            }
        }
    }
    /// Rows sorted by pence leaked, largest first.
    fn finalize(self, ds: &Dataset) -> Vec<LeakageRow> {
        let mut rows: Vec<LeakageRow> = self
            .0
            .into_iter()
            .map(|(c, m)| {
                let mut r = LeakageRow {
                    category: ds.categories[c as usize].clone(),
                    ..Default::default()
                };
                let mut locals = Vec::new();
                for (s, p) in m {
                    r.influenceable += p;
                    match ds.suppliers[s as usize].location.as_ref().map(|l| l.local) {
                        Some(true) => {
                            r.local += p;
                            locals.push((s, p));
                        }
                        Some(false) => r.leaked += p,
                        None => r.unknown += p,
                    }
                }
                locals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                r.local_supplier_count = locals.len() as u64;
                r.local_suppliers = locals
                    .into_iter()
                    .take(5)
                    .map(|(s, p)| (ds.public_name(s).to_string(), p))
                    .collect();
                r
            })
            .collect();
        rows.sort_by(|a, b| b.leaked.cmp(&a.leaked).then(a.category.cmp(&b.category)));
        rows
    }
}
