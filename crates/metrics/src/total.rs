//! Total spend: every accepted payment in scope, before any exclusion.
//! Methodology: `docs/methodology/total-spend.md`.

use serde::{Deserialize, Serialize};

use crate::metric::Metric;
use crate::model::{Dataset, Txn};

/// Rows and pence of every payment in scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Total {
    /// Payments.
    pub rows: u64,
    /// Sum of amounts (credits included, so refunds net off).
    pub pence: i64,
}

impl Metric for Total {
    type Output = Total;
    fn new(_: &Dataset) -> Self {
        Total::default()
    }
    fn fold(&mut self, _: &Dataset, t: &Txn) {
        self.rows += 1;
        self.pence += t.pence;
    }
    fn reduce(&mut self, o: Self) {
        self.rows += o.rows;
        self.pence += o.pence;
    }
    fn finalize(self, _: &Dataset) -> Total {
        self
    }
}
