//! The one trait every metric implements.

use crate::model::{Dataset, Txn};

/// A metric folds a scope's payments into partial state, partial states are reduced (so
/// folding can run in parallel), and the result is finalised against the dataset.
pub trait Metric: Sized + Send {
    /// The figure produced.
    type Output;
    /// Empty state.
    fn new(ds: &Dataset) -> Self;
    /// Take in one payment of the scope.
    fn fold(&mut self, ds: &Dataset, t: &Txn);
    /// Combine with another partial state of the same scope.
    fn reduce(&mut self, other: Self);
    /// The figure.
    fn finalize(self, ds: &Dataset) -> Self::Output;
}

/// Run one metric over payments, in parallel for large scopes.
pub fn run<M: Metric>(ds: &Dataset, txns: &[&Txn]) -> M::Output {
    use rayon::prelude::*;
    let state = if txns.len() < 50_000 {
        let mut m = M::new(ds);
        for t in txns {
            m.fold(ds, t);
        }
        m
    } else {
        txns.par_chunks(16_384)
            .map(|c| {
                let mut m = M::new(ds);
                for t in c {
                    m.fold(ds, t);
                }
                m
            })
            .reduce(
                || M::new(ds),
                |mut a, b| {
                    a.reduce(b);
                    a
                },
            )
    };
    state.finalize(ds)
}
