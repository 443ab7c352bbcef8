//! The register readers on the real files in `../shared/data` (OGL v3.0): the Companies
//! House advanced-search export, Contracts Finder OCDS packages and Salford's contracts
//! register.

mod common;

use anchornet_resolve::{Kind, NameFilter, NameInput, RegisterKind, Registers, Resolver, Sme};
use common::shared;

// xz -dc companies_house_incorporations_first7days_jan2024_jan2025.csv.xz | python3 -c "import csv,sys;
//   r=list(csv.DictReader(sys.stdin)); print(len(r), sum(x['company_subtype'].startswith('Community') for x in r))"
// → 28481 150
#[test]
fn companies_house_search_export() {
    let mut regs = Registers::new();
    let n = regs
        .load(
            &shared()
                .join("companies/companies_house_incorporations_first7days_jan2024_jan2025.csv.xz"),
            None,
        )
        .unwrap();
    assert_eq!(n, 28481, "{:?}", regs.issues.first());
    let r = &regs.records;
    assert!(r
        .iter()
        .all(|x| x.register == Some(RegisterKind::CompaniesHouseSearch)));
    assert_eq!(r.iter().filter(|x| x.kind == Some(Kind::Cic)).count(), 150);
    // The first data row: WELCH BROTHERS AND SONS LTD, 15383840, ME8 7RG, SIC 55300.
    let first = &r[0];
    assert_eq!(first.name, "WELCH BROTHERS AND SONS LTD");
    assert_eq!(first.company_number.as_deref(), Some("15383840"));
    assert_eq!(first.postcode.as_deref(), Some("ME8 7RG"));
    assert_eq!(first.sic, vec!["55300".to_string()]);
    assert_eq!(first.status.as_deref(), Some("Dissolved"));
    assert_eq!(first.line, 2);
    // Nearly every registered office has a postcode.
    let with_pc = r.iter().filter(|x| x.postcode.is_some()).count();
    assert!(with_pc * 100 / r.len() >= 95, "{with_pc}");
    // A filter keeps only rows that may match.
    let mut small = Registers::new();
    let f = NameFilter::new(["Welch Brothers & Sons Limited"], [], []);
    let kept = small
        .load(
            &shared()
                .join("companies/companies_house_incorporations_first7days_jan2024_jan2025.csv.xz"),
            Some(&f),
        )
        .unwrap();
    assert!((1..50).contains(&kept), "{kept}");
    let res = Resolver::default()
        .with_registers(small)
        .resolve(&[NameInput::new("Welch Brothers & Sons Limited")]);
    let e = &res.entities[0];
    assert_eq!(e.facts.company_number.as_ref().unwrap().value, "15383840");
    assert_eq!(e.facts.postcode.as_ref().unwrap().value, "ME8 7RG");
    assert_eq!(e.kind, Kind::Company);
    assert_eq!(e.facts.sme, Sme::Unknown);
}

#[test]
fn ocds_parties_with_companies_house_ids() {
    let mut regs = Registers::new();
    let n = regs
        .load(
            &shared().join("procurement/contracts_finder_ocds_2019_2020/supplier_ids_match"),
            None,
        )
        .unwrap();
    assert!(n > 50, "{n}");
    let r = &regs.records;
    assert!(r.iter().all(|x| x.register == Some(RegisterKind::Ocds)));
    // ARCO LIMITED, GB-COH 00133804, postcode inside the street address, sme false.
    let arco = r.iter().find(|x| x.name == "ARCO LIMITED").expect("ARCO");
    assert_eq!(arco.company_number.as_deref(), Some("00133804"));
    assert_eq!(arco.postcode.as_deref(), Some("HU1 2SH"));
    assert_eq!(arco.sme, Sme::No);
    assert!(r.iter().filter(|x| x.company_number.is_some()).count() * 2 > r.len());
    let mut raw = Registers::new();
    assert!(
        raw.load(
            &shared().join("procurement/contracts_finder_ocds_2019_2020/raw"),
            None
        )
        .unwrap()
            > 50
    );
}

// python3 -c "import csv,re; rows=list(csv.DictReader(open('salford_contracts_register_2022.csv',
//   encoding='utf-8-sig'))); print(sum(not re.match(r'^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$',
//   r['Supplier Postcode'].strip().upper()) for r in rows))"  → 21
#[test]
fn contracts_register_as_supplier_list() {
    let mut regs = Registers::new();
    let n = regs
        .load(
            &shared().join("procurement/salford_contracts_register_2022.csv"),
            None,
        )
        .unwrap();
    assert_eq!(n, 360);
    let r = &regs.records;
    assert!(r
        .iter()
        .all(|x| x.register == Some(RegisterKind::SupplierList)));
    assert_eq!(r.iter().filter(|x| x.sme == Sme::Yes).count(), 181);
    assert_eq!(r.iter().filter(|x| x.sme == Sme::No).count(), 172);
    // 21 rows have no UK postcode: 20 `Various`, one Irish Eircode (`T12 VP94`).
    assert_eq!(r.iter().filter(|x| x.postcode.is_some()).count(), 339);
}
