//! Supplier-side inputs (contracts register, Contracts Finder notices), cross-file
//! de-duplication and robustness, on real files from `../shared/data` (OGL v3.0).

mod common;

use anchornet_core::Role;
use anchornet_ingest::{InputKind, Record};
use common::*;

fn suppliers(got: &Ingested) -> Vec<&anchornet_ingest::SupplierRecord> {
    got.records
        .iter()
        .filter_map(|r| {
            if let Record::Supplier(s) = r {
                Some(s.as_ref())
            } else {
                None
            }
        })
        .collect()
}

// python3 -c "import csv; rows=list(csv.DictReader(open('salford_contracts_register_2022.csv',encoding='utf-8-sig')));
//   print(len(rows), sum(r['SME Supplier?']=='Yes' for r in rows), sum(r['SME Supplier?']=='No' for r in rows))"
// → 360 181 172
#[test]
fn salford_contracts_register_is_a_supplier_input() {
    let got = ingest(&shared().join("procurement/salford_contracts_register_2022.csv"));
    let d = &got.detection;
    assert_eq!(d.kind, InputKind::Suppliers);
    // The header's mis-encoded BOM ("ï»¿") is removed.
    assert_eq!(d.headers[0], "Directorate Name");
    assert_eq!(
        header_of(d, Role::SupplierName).as_deref(),
        Some("Supplier Company Name")
    );
    assert_eq!(
        header_of(d, Role::SupplierPostcode).as_deref(),
        Some("Supplier Postcode")
    );
    assert_eq!(
        header_of(d, Role::CompanyNumber).as_deref(),
        Some("Company Number")
    );
    assert_eq!(
        header_of(d, Role::SmeFlag).as_deref(),
        Some("SME Supplier?")
    );
    let s = suppliers(&got);
    assert_eq!(s.len(), 360);
    assert_eq!(s.iter().filter(|r| r.sme == Some(true)).count(), 181);
    assert_eq!(s.iter().filter(|r| r.sme == Some(false)).count(), 172);
    // Row 2 of the file: Underwater Diving Services Ltd, LA14 2TB, company 2535986.
    let first = s.iter().find(|r| r.line == 2).unwrap();
    assert_eq!(first.name, "Underwater Diving Services Ltd");
    assert_eq!(first.postcode.as_deref(), Some("LA14 2TB"));
    assert_eq!(first.company_number.as_deref(), Some("2535986"));
    assert_eq!(first.value.map(|v| v.0), Some(501520));
}

// python3 -c "import csv; rows=list(csv.DictReader(open('lancashire_contracts_finder_notices.csv')));
//   named=[r for r in rows if r['awarded_supplier'].strip() and not r['awarded_supplier'].startswith('Name withheld')];
//   print(len(rows), len(named), sum(r['awarded_to_sme']=='True' for r in named))"  → 1224 801 448
#[test]
fn lancashire_contracts_finder_notices_are_a_supplier_input() {
    let got = ingest(&shared().join("procurement/lancashire_contracts_finder_notices.csv"));
    let d = &got.detection;
    assert_eq!(d.kind, InputKind::Suppliers);
    assert_eq!(
        header_of(d, Role::SupplierName).as_deref(),
        Some("awarded_supplier")
    );
    assert_eq!(
        header_of(d, Role::SupplierPostcode).as_deref(),
        Some("postcode")
    );
    assert_eq!(
        header_of(d, Role::SmeFlag).as_deref(),
        Some("awarded_to_sme")
    );
    let s = suppliers(&got);
    assert_eq!(s.len(), 801);
    assert_eq!(s.iter().filter(|r| r.sme == Some(true)).count(), 448);
    // Unawarded notices and the withheld name are skipped with a reason, not lost.
    assert_eq!(got.report.rows_read, 1224);
    assert_eq!(got.report.skipped, 1224 - 801);
}

/// The fixture is the first 200 data lines of Salford's June 2022 file: ingesting both, the
/// 200 rows are recognised as published twice and kept once.
#[test]
fn overlapping_files_are_kept_once() {
    let ing = anchornet_ingest::Ingest::default();
    let mut n = 0;
    let reports = ing
        .paths(
            &[
                spend("original_layouts/salford/2022-06.csv.xz")
                    .display()
                    .to_string(),
                spend("fixtures/odileeds_salford_2022-06_first200.csv")
                    .display()
                    .to_string(),
            ],
            |_, _, _| {},
            |_| n += 1,
            |_| {},
        )
        .unwrap();
    let (full, part) = if reports[0].file.contains("fixtures") {
        (&reports[1], &reports[0])
    } else {
        (&reports[0], &reports[1])
    };
    assert_eq!(part.rows_read, 200);
    assert_eq!(part.duplicates, 200, "{part:?}");
    assert_eq!(part.accepted, 0);
    assert_eq!(n as u64, full.accepted);
    // Ingesting the same file alone twice in one run: the second copy adds nothing.
    let mut m = 0;
    let f = spend("fixtures/odileeds_manchester_2022-05_first200.csv");
    let copy = std::env::temp_dir().join(format!("anchornet-dup-{}.csv", std::process::id()));
    std::fs::copy(&f, &copy).unwrap();
    let reps = ing
        .paths(
            &[f.display().to_string(), copy.display().to_string()],
            |_, _, _| {},
            |_| m += 1,
            |_| {},
        )
        .unwrap();
    std::fs::remove_file(&copy).unwrap();
    assert_eq!(m, 200);
    assert_eq!(reps[1].duplicates, 200);
}

/// Redaction markers become a flag, not a supplier (Manchester: "Redacted Personal Information").
#[test]
fn redacted_suppliers_are_flagged() {
    let got = ingest(&spend("fixtures/odileeds_manchester_2022-05_first200.csv"));
    let red: Vec<_> = got
        .records
        .iter()
        .filter_map(|r| {
            if let Record::Payment(p) = r {
                p.redacted.then_some(p)
            } else {
                None
            }
        })
        .collect();
    assert!(!red.is_empty());
    assert!(red.iter().all(|p| p.supplier_name.is_empty()));
    assert_eq!(got.report.redacted as usize, red.len());
}
