//! Salford City Council's 2021/22 payments (`spend/original_layouts/salford`, OGL v3.0)
//! linked to Salford's contracts register (`procurement/salford_contracts_register_2022.csv`,
//! every row with a supplier postcode): the share of spend whose supplier gets a
//! postcode, by exact links (company number or the same normalised name) and by fuzzy
//! ones. The figures are printed and written to docs/suppliers-report.md.

mod common;

use std::collections::HashMap;

use anchornet_core::{FinancialYear, Pence};
use anchornet_ingest::{Ingest, Record};
use anchornet_resolve::{MatchKind, NameFilter, NameInput, Registers, Resolver};
use common::shared;

#[test]
fn salford_payments_get_postcodes_from_the_contracts_register() {
    let dir = shared().join("spend/original_layouts/salford");
    let fy: FinancialYear = "2021/22".parse().unwrap();
    let mut payments = Vec::new();
    Ingest::default()
        .paths(
            &[dir.to_string_lossy().to_string()],
            |_, _, _| {},
            |r| {
                if let Record::Payment(p) = r {
                    if p.financial_year == fy {
                        payments.push(p);
                    }
                }
            },
            |_| {},
        )
        .unwrap();
    assert!(payments.len() > 10_000, "{} payments", payments.len());
    let inputs: Vec<NameInput> = payments
        .iter()
        .filter(|p| !p.redacted && !p.supplier_name.is_empty())
        .map(|p| NameInput {
            name: p.supplier_name.clone(),
            anchor: Some("salford".into()),
            supplier_id: p.supplier_id.clone(),
            company_number: p.company_number.clone(),
            spend: p.amount,
            ..NameInput::default()
        })
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
    let mut by: HashMap<&str, i64> = HashMap::new();
    let mut suppliers: HashMap<&str, usize> = HashMap::new();
    for n in res.names.iter().filter(|n| n.input) {
        let e = res.entity_of(n);
        let how = match e.facts.postcode.as_ref().map(|f| f.matched) {
            Some(MatchKind::Identifier) | Some(MatchKind::ExactName) => "exact",
            Some(MatchKind::FuzzyName) => "fuzzy",
            None => "none",
        };
        *by.entry(how).or_default() += n.spend.0;
        *suppliers.entry(how).or_default() += 1;
    }
    let share = |k: &str| by.get(k).copied().unwrap_or(0) as f64 / total as f64;
    println!(
        "Salford 2021/22: {} payments, total {}; names with a postcode: exact {} ({:.1}% of spend), fuzzy {} ({:.1}%), none {} ({:.1}%)",
        payments.len(),
        Pence(total).to_pounds_string(),
        suppliers.get("exact").unwrap_or(&0),
        100.0 * share("exact"),
        suppliers.get("fuzzy").unwrap_or(&0),
        100.0 * share("fuzzy"),
        suppliers.get("none").unwrap_or(&0),
        100.0 * share("none"),
    );
    // A register of 360 contracts covers the big suppliers: a real share of spend, far from
    // all of it; fuzzy links add to exact ones without taking over.
    assert!(
        share("exact") > 0.15 && share("exact") < 0.9,
        "exact {}",
        share("exact")
    );
    assert!(
        share("fuzzy") > 0.0 && share("fuzzy") < share("exact"),
        "fuzzy {}",
        share("fuzzy")
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
