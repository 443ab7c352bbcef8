//! Year-on-year change of the headline figures, for the network and each anchor, between
//! consecutive financial years in which the same anchors are covered.
//! Methodology: `docs/methodology/year-on-year.md`.

use serde::{Deserialize, Serialize};

use crate::analysis::ScopedFigures;

/// Change between two financial years for one scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The network or an anchor.
    pub scope: crate::ScopeName,
    /// Earlier year.
    pub from: String,
    /// Later year.
    pub to: String,
    /// Influenceable pence, earlier → later.
    pub influenceable: (i64, i64),
    /// Local share of influenceable spend (percentage points change), when both exist.
    pub local_share_pp: Option<f64>,
    /// Wider-place share change, percentage points.
    pub wider_share_pp: Option<f64>,
    /// Deprived-area share change, percentage points.
    pub deprived_share_pp: Option<f64>,
    /// The anchors covered differ between the two years, so the network change mixes a change
    /// in spending with a change in membership.
    pub coverage_changed: bool,
}

fn pp(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(100.0 * (b? - a?))
}

/// Changes between consecutive years of each scope, from per-year figures (sorted by scope
/// then year). `anchors_of(year)` gives the anchors a network year covers.
pub fn changes(figures: &[ScopedFigures], anchors_of: impl Fn(&str) -> Vec<String>) -> Vec<Change> {
    let mut out = Vec::new();
    for w in figures.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let (Some(fa), Some(fb)) = (&a.fy, &b.fy) else {
            continue;
        };
        if a.scope != b.scope || fa.0 + 1 != fb.0 {
            continue;
        }
        let coverage_changed =
            a.scope.is_network() && anchors_of(&fa.to_string()) != anchors_of(&fb.to_string());
        out.push(Change {
            scope: a.scope.clone(),
            from: fa.to_string(),
            to: fb.to_string(),
            influenceable: (a.figures.influenceable.pence, b.figures.influenceable.pence),
            local_share_pp: pp(a.figures.local.of_all(), b.figures.local.of_all()),
            wider_share_pp: pp(a.figures.wider.of_all(), b.figures.wider.of_all()),
            deprived_share_pp: pp(
                a.figures.deprived.share.of_all(),
                b.figures.deprived.share.of_all(),
            ),
            coverage_changed,
        });
    }
    out
}
