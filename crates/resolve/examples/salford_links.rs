//! List the fuzzy links between Salford's payees and its contracts register, and the
//! register rows left unlinked, for checking by eye (the figures themselves are asserted by
//! `tests/salford.rs`).
//!
//! `cargo run --release -p anchornet-resolve --example salford_links [-- SHARED_DATA]`
use anchornet_ingest::Ingest;
use anchornet_resolve::{MatchKind, NameInput, Registers, Resolver};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let shared = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/data".into()),
    );
    let dir = shared.join("spend/original_layouts/salford");
    let (payments, _) =
        Ingest::default().payments(&[dir.to_string_lossy().to_string()], |p| !p.redacted)?;
    let inputs: Vec<NameInput> = payments
        .iter()
        .map(|p| NameInput::new(p.supplier_name.clone()).with_spend(p.amount))
        .collect();
    let mut regs = Registers::new();
    regs.load(
        &shared.join("procurement/salford_contracts_register_2022.csv"),
        None,
    )?;
    let records = regs.records.clone();
    let res = Resolver::default().with_registers(regs).resolve(&inputs);
    let mut linked = vec![false; records.len()];
    for l in &res.register_links {
        linked[l.record] = true;
        if l.matched == MatchKind::FuzzyName {
            println!(
                "FUZZY {:.2} {:?} <- {:?}",
                l.confidence, res.names[l.name].name, records[l.record].name
            );
        }
    }
    for (i, r) in records.iter().enumerate() {
        if !linked[i] {
            println!("UNLINKED {:?}", r.name);
        }
    }
    Ok(())
}
