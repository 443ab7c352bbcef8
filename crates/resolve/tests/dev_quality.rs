//! Quality on the hand-checked development gold standard
//! (`../shared/data/validation/supplier_names_dev.csv`, 889 names of 241 entities; see its
//! README). The floors are the issue's: pairwise F1 ≥ 0.95 with precision ≥ 0.97.

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
    assert!(s.p >= 0.97, "pairwise precision {:.4} < 0.97", s.p);
    assert!(s.f1 >= 0.95, "pairwise F1 {:.4} < 0.95", s.f1);
}
