//! Influenceable spend: total spend minus what the exclusion rules remove (payments to other
//! public bodies, tax, pensions, payroll deductions, inter-authority transfers, redacted
//! payments to individuals…), with what each rule removed.
//! Methodology: `docs/methodology/influenceable-spend.md`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::metric::Metric;
use crate::model::{Dataset, Txn};

/// What one rule removed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Removed {
    /// Rule id.
    pub rule: String,
    /// Why.
    pub reason: String,
    /// Payments removed.
    pub rows: u64,
    /// Pence removed.
    pub pence: i64,
    /// The largest suppliers removed by the rule: (name shown, pence).
    pub largest: Vec<(String, i64)>,
}

/// Influenceable spend and the exclusions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InfluenceableSpend {
    /// Payments kept.
    pub rows: u64,
    /// Pence kept.
    pub pence: i64,
    /// What each rule removed, in rule order (rules that removed nothing included).
    pub removed: Vec<Removed>,
}

/// Fold state.
pub struct Influenceable {
    rows: u64,
    pence: i64,
    by_rule: Vec<(u64, i64, HashMap<u32, i64>)>,
}

impl Metric for Influenceable {
    type Output = InfluenceableSpend;
    fn new(ds: &Dataset) -> Self {
        Influenceable {
            rows: 0,
            pence: 0,
            by_rule: vec![(0, 0, HashMap::new()); ds.rules.len()],
        }
    }
    fn fold(&mut self, _: &Dataset, t: &Txn) {
        match t.excluded_by {
            None => {
                self.rows += 1;
                self.pence += t.pence;
            }
            Some(r) => {
                let e = &mut self.by_rule[r as usize];
                e.0 += 1;
                e.1 += t.pence;
                *e.2.entry(t.supplier).or_default() += t.pence;
            }
        }
    }
    fn reduce(&mut self, o: Self) {
        self.rows += o.rows;
        self.pence += o.pence;
        for (a, b) in self.by_rule.iter_mut().zip(o.by_rule) {
            a.0 += b.0;
            a.1 += b.1;
            for (k, v) in b.2 {
                *a.2.entry(k).or_default() += v;
            }
        }
    }
    fn finalize(self, ds: &Dataset) -> InfluenceableSpend {
        let removed = self
            .by_rule
            .into_iter()
            .zip(&ds.rules)
            .map(|((rows, pence, sup), rule)| {
                let mut largest: Vec<(u32, i64)> = sup.into_iter().collect();
                largest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                largest.truncate(5);
                Removed {
                    rule: rule.id.clone(),
                    reason: rule.reason.clone(),
                    rows,
                    pence,
                    largest: largest
                        .into_iter()
                        .map(|(s, p)| (ds.public_name(s).to_string(), p))
                        .collect(),
                }
            })
            .collect();
        InfluenceableSpend {
            rows: self.rows,
            pence: self.pence,
            removed,
        }
    }
}
