//! The register readers on the real files in `../shared/data` (OGL v3.0): the Companies
//! House advanced-search export (and the same companies in the BasicCompanyData bulk
//! layout), Contracts Finder OCDS packages and Salford's contracts register.

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

/// The bulk product's category for an advanced-search type and subtype (the names
/// BasicCompanyData uses for the same company types).
fn bulk_category(legal_form: &str) -> &'static str {
    /// A test on the lowercased legal form, and the category it gives.
    type Rule = (fn(&str) -> bool, &'static str);
    let l = legal_form.to_ascii_lowercase();
    // The first rule that holds names the category.
    let rules: [Rule; 9] = [
        (|l| l.contains("community interest"), "Community Interest Company"),
        (|l| l.starts_with("private limited company"), "Private Limited Company"),
        (
            |l| l.contains("guarantee") && l.contains("exemption"),
            "PRI/LBG/NSC (Private, Limited by guarantee, no share capital, use of 'Limited' exemption)",
        ),
        (
            |l| l.contains("guarantee"),
            "PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)",
        ),
        (|l| l.starts_with("limited liability partnership"), "Limited Liability Partnership"),
        (|l| l.starts_with("public limited"), "Public Limited Company"),
        (|l| l.starts_with("limited partnership"), "Limited Partnership"),
        (|l| l.starts_with("private unlimited"), "Private Unlimited Company"),
        (|l| l.starts_with("overseas entity"), "Overseas Entity"),
    ];
    rules
        .iter()
        .find(|(holds, _)| holds(&l))
        .map_or("Other company type", |&(_, category)| category)
}

/// The 28,481 real companies of the advanced-search export, written out in the
/// BasicCompanyData bulk layout (its header as published, SIC codes with the official
/// SIC 2007 descriptions of `companies/SIC07_CH_condensed_list_en.csv`), read back by the
/// bulk reader: the same company numbers, names, postcodes, SIC codes, status and kinds.
#[test]
fn companies_house_bulk_layout_agrees_with_the_search_export() {
    let export =
        shared().join("companies/companies_house_incorporations_first7days_jan2024_jan2025.csv.xz");
    let mut search = Registers::new();
    search.load(&export, None).unwrap();
    let mut sic_text = std::collections::HashMap::new();
    let mut rdr =
        csv::Reader::from_path(shared().join("companies/SIC07_CH_condensed_list_en.csv")).unwrap();
    for r in rdr.records() {
        let r = r.unwrap();
        sic_text.insert(r[0].to_string(), r[1].to_string());
    }
    let dir = std::env::temp_dir().join(format!("anchornet-ch-bulk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bulk = dir.join("BasicCompanyData-2025-01-01-part1_1.csv");
    let mut w = csv::Writer::from_path(&bulk).unwrap();
    const HEADER: [&str; 27] = [
        "CompanyName",
        " CompanyNumber",
        "RegAddress.CareOf",
        "RegAddress.POBox",
        "RegAddress.AddressLine1",
        " RegAddress.AddressLine2",
        "RegAddress.PostTown",
        "RegAddress.County",
        "RegAddress.Country",
        "RegAddress.PostCode",
        "CompanyCategory",
        "CompanyStatus",
        "CountryOfOrigin",
        "DissolutionDate",
        "IncorporationDate",
        "Accounts.AccountRefDay",
        "Accounts.AccountRefMonth",
        "Accounts.NextDueDate",
        "Accounts.LastMadeUpDate",
        "Accounts.AccountCategory",
        "SICCode.SicText_1",
        "SICCode.SicText_2",
        "SICCode.SicText_3",
        "SICCode.SicText_4",
        "URI",
        "PreviousName_1.CONDATE",
        " PreviousName_1.CompanyName",
    ];
    w.write_record(HEADER).unwrap();
    for r in &search.records {
        let mut sic: Vec<String> = r
            .sic
            .iter()
            .map(|c| match sic_text.get(c) {
                Some(t) => format!("{c} - {t}"),
                None => c.clone(),
            })
            .collect();
        sic.resize(4, String::new());
        let category = bulk_category(r.legal_form.as_deref().unwrap_or(""));
        // Every column of the published header, filled where the export has the value.
        let mut row = vec![""; HEADER.len()];
        let col = |name: &str| HEADER.iter().position(|h| h.trim() == name).unwrap();
        row[col("CompanyName")] = &r.name;
        row[col("CompanyNumber")] = r.company_number.as_deref().unwrap_or("");
        row[col("RegAddress.PostCode")] = r.postcode.as_deref().unwrap_or("");
        row[col("CompanyCategory")] = category;
        row[col("CompanyStatus")] = r.status.as_deref().unwrap_or("");
        row[col("CountryOfOrigin")] = "United Kingdom";
        row[col("Accounts.AccountCategory")] = "NO ACCOUNTS FILED";
        for (k, text) in sic.iter().enumerate() {
            row[col(&format!("SICCode.SicText_{}", k + 1))] = text;
        }
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
    drop(w);
    let mut regs = Registers::new();
    let n = regs.load(&bulk, None).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(n, search.records.len(), "{:?}", regs.issues.first());
    assert!(regs.issues.is_empty(), "{:?}", regs.issues.first());
    let mut kinds_compared = 0;
    for (b, s) in regs.records.iter().zip(&search.records) {
        assert_eq!(b.register, Some(RegisterKind::CompaniesHouse));
        assert_eq!(
            (&b.name, &b.company_number, &b.postcode, &b.sic, &b.status),
            (&s.name, &s.company_number, &s.postcode, &s.sic, &s.status),
            "line {}",
            s.line
        );
        if s.kind.is_some() {
            assert_eq!(b.kind, s.kind, "{} ({:?})", s.name, s.legal_form);
            kinds_compared += 1;
        }
        // No accounts filed yet: SME status is unknown, never guessed.
        assert_eq!(b.sme, Sme::Unknown);
    }
    assert!(kinds_compared > 28_000, "{kinds_compared}");
    assert_eq!(
        regs.records
            .iter()
            .filter(|x| x.kind == Some(Kind::Cic))
            .count(),
        150
    );
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
