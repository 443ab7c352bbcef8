//! Salford City Council's 2021/22 payments (`spend/original_layouts/salford`, OGL v3.0)
//! linked to Salford's contracts register (`procurement/salford_contracts_register_2022.csv`,
//! every row with a supplier postcode): the share of spend whose supplier gets a
//! postcode, by exact links (company number or the same normalised name) and by fuzzy
//! ones. The figures are printed and written to docs/suppliers-report.md.

mod common;

use anchornet_core::{FinancialYear, Pence};
use anchornet_ingest::Ingest;
use anchornet_resolve::{Coverage, NameFilter, NameInput, Registers, Resolver};
use common::shared;

#[test]
fn salford_payments_get_postcodes_from_the_contracts_register() {
    let dir = shared().join("spend/original_layouts/salford");
    let fy: FinancialYear = "2021/22".parse().unwrap();
    let (payments, _) = Ingest::default()
        .payments(&[dir.to_string_lossy().to_string()], |p| {
            p.financial_year == fy
        })
        .unwrap();
    assert!(payments.len() > 10_000, "{} payments", payments.len());
    let inputs: Vec<NameInput> = payments
        .iter()
        .filter_map(NameInput::from_payment)
        .collect();
    let mut regs = Registers::new();
    let filter = NameFilter::from_inputs(&inputs);
    let kept = regs
        .load(
            &shared().join("procurement/salford_contracts_register_2022.csv"),
            Some(&filter),
        )
        .unwrap();
    assert!(kept > 150, "{kept} register rows kept");
    let res = Resolver::default().with_registers(regs).resolve(&inputs);

    // Spend by how the supplier got its postcode.
    let total: i64 = payments.iter().map(|p| p.amount.0).sum();
    let cov = res.postcode_coverage();
    let share = |c: &Coverage| c.spend.0 as f64 / total as f64;
    println!(
        "Salford 2021/22: {} payments, total {}; names with a postcode: exact {} ({:.1}% of spend), fuzzy {} ({:.1}%), none {} ({:.1}%)",
        payments.len(),
        Pence(total).to_pounds_string(),
        cov.exact.names,
        100.0 * share(&cov.exact),
        cov.fuzzy.names,
        100.0 * share(&cov.fuzzy),
        cov.none.names,
        100.0 * share(&cov.none),
    );
    // Every input name is in exactly one of the three, and so is its spend.
    let named: i64 = inputs.iter().map(|i| i.spend.0).sum();
    assert_eq!(
        cov.exact.spend.0 + cov.fuzzy.spend.0 + cov.none.spend.0,
        named
    );
    // A register of 360 contracts covers the big suppliers: a real share of spend, far from
    // all of it (23.2% by exact links when this was written, docs/suppliers-report.md);
    // fuzzy links add to exact ones (3.4 points) without taking over.
    assert!(
        share(&cov.exact) > 0.21 && share(&cov.exact) < 0.26,
        "exact {}",
        share(&cov.exact)
    );
    assert!(
        share(&cov.fuzzy) > 0.015 && share(&cov.fuzzy) < 0.06,
        "fuzzy {}",
        share(&cov.fuzzy)
    );
    // Every postcode carries its source.
    let e = res
        .entities
        .iter()
        .find(|e| e.facts.postcode.is_some())
        .expect("some entity has a postcode");
    assert!(e
        .facts
        .postcode
        .as_ref()
        .unwrap()
        .source
        .contains("salford_contracts_register_2022.csv"));
}
