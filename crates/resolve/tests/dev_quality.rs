//! Quality on the hand-checked development gold standard
//! (`../shared/data/validation/supplier_names_dev.csv`, 889 names of 241 entities; see its
//! README), given each name's publishers as its anchors. The floors sit a little under the
//! measured scores, so a change that loses quality fails here.

mod common;

use anchornet_resolve::Resolver;
use common::*;

#[test]
fn dev_set_pairwise_and_bcubed() {
    let gold = dev_gold();
    assert_eq!(gold.len(), 889);
    let res = Resolver::default().resolve(&inputs(&gold));
    let pred = clusters(&res);
    let s = score(&gold, &pred);
    if std::env::var_os("SHOW_ERRORS").is_some() {
        show_errors(&gold, &pred, 400);
    }
    println!(
        "pairwise P={:.4} R={:.4} F1={:.4}  B-cubed P={:.4} R={:.4} F1={:.4}  ({} entities)",
        s.p,
        s.r,
        s.f1,
        s.b3_p,
        s.b3_r,
        s.b3_f1,
        res.entities.len()
    );
    // Floors a little under the scores measured when the dev-set vocabulary was removed
    // (docs/resolve.md, Quality): pairwise P 0.9976 R 0.9141 F1 0.9540, B-cubed P 0.9982
    // R 0.9403 F1 0.9684. The aim stays: pairwise precision at least 0.97.
    floors(&s, [0.99, 0.905, 0.95, 0.99, 0.935, 0.96]);
}
