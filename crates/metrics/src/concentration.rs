//! Supplier count and concentration: how many distinct suppliers the influenceable spend went
//! to (a supplier paid by several anchors is one supplier), the share taken by the ten largest,
//! and the Herfindahl–Hirschman index (sum of squared percentage shares, 0–10,000).
//! Methodology: `docs/methodology/concentration.md`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::metric::Metric;
use crate::model::{Dataset, Txn};

/// Concentration figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Concentration {
    /// Distinct suppliers with influenceable payments in scope.
    pub suppliers: u64,
    /// Share of positive per-supplier totals taken by the ten largest (ties by supplier name).
    pub top10_share: Option<f64>,
    /// Herfindahl–Hirschman index over positive per-supplier totals.
    pub hhi: Option<f64>,
    /// The ten largest: (name shown, pence, local?).
    pub top: Vec<TopSupplier>,
}

/// One of the largest suppliers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopSupplier {
    /// Name (individuals redacted).
    pub name: String,
    /// Influenceable pence in scope.
    pub pence: i64,
    /// Located in the local place.
    pub local: Option<bool>,
    /// Located in the wider place.
    pub wider: Option<bool>,
    /// Where it is located (district name).
    pub district: Option<String>,
}

/// Fold state: per-supplier influenceable totals.
#[derive(Default)]
pub struct SupplierConcentration(HashMap<u32, i64>);

impl Metric for SupplierConcentration {
    type Output = Concentration;
    fn new(_: &Dataset) -> Self {
        Self::default()
    }
    fn fold(&mut self, _: &Dataset, t: &Txn) {
        if t.excluded_by.is_none() {
            *self.0.entry(t.supplier).or_default() += t.pence;
        }
    }
    fn reduce(&mut self, o: Self) {
        for (k, v) in o.0 {
            *self.0.entry(k).or_default() += v;
        }
    }
    fn finalize(self, ds: &Dataset) -> Concentration {
        let suppliers = self.0.len() as u64;
        let mut pos: Vec<(u32, i64)> = self.0.into_iter().filter(|&(_, p)| p > 0).collect();
        pos.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| {
                    ds.suppliers[a.0 as usize]
                        .name
                        .cmp(&ds.suppliers[b.0 as usize].name)
                })
                .then(a.0.cmp(&b.0))
        });
        let total: i64 = pos.iter().map(|p| p.1).sum();
        let (top10_share, hhi) = if total > 0 {
            let top: i64 = pos.iter().take(10).map(|p| p.1).sum();
            let hhi = pos
                .iter()
                .map(|p| {
                    let s = 100.0 * p.1 as f64 / total as f64;
                    s * s
                })
                .sum::<f64>();
            (Some(top as f64 / total as f64), Some(hhi))
        } else {
            (None, None)
        };
        let top = pos
            .iter()
            .take(10)
            .map(|&(s, pence)| {
                let loc = ds.suppliers[s as usize].location.as_ref();
                TopSupplier {
                    name: ds.public_name(s).to_string(),
                    pence,
                    local: loc.map(|l| l.local),
                    wider: loc.map(|l| l.wider),
                    district: loc.map(|l| l.lad_name.clone()),
                }
            })
            .collect();
        Concentration {
            suppliers,
            top10_share,
            hhi,
            top,
        }
    }
}
