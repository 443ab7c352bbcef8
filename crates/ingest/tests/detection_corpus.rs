//! A second corpus for layout detection, beside the spend files it was built on: about
//! twenty councils' business-rates (NNDR) layouts and the registers in `../shared/data`
//! (contracts registers, Contracts Finder notices, 360Giving grants, Co-operatives UK,
//! Companies House extracts). Each is a supplier-side input; the roles such an input holds
//! (the organisation's name, its postcode, company and charity numbers) must be found.
//!
//! Expected columns were read off each header by hand, not produced by the detector.

mod common;

use anchornet_core::Role;
use anchornet_ingest::input::Source;
use anchornet_ingest::{Detection, InputKind, Outcome};
use common::*;

fn detect_bytes(name: &str, bytes: Vec<u8>) -> Result<Detection, anchornet_ingest::DetectError> {
    let src = Source {
        name: name.to_string(),
        inner_name: "x.csv".into(),
        bytes,
        limits: Default::default(),
    };
    anchornet_ingest::Ingest::default()
        .explain(&src)
        .remove(0)
        .1
}

/// `companies/nndr_layouts_header.csv`: `ONS code<TAB>first line of the council's file`.
/// Lines that are not a CSV header (HTML and JSON error pages, a line of bare commas, blank)
/// are left out; 26 real headers remain. For each: the ratepayer column and the premises'
/// postcode column (`None` where the layout has none). Two layouts name no ratepayer at all
/// (Camden E09000007, Ribble Valley E07000165): detection must fail and say that
/// `supplier_name` is missing.
#[test]
fn nndr_layouts_of_twenty_six_councils() {
    let expected: &[(&str, Option<&str>, Option<&str>)] = &[
        ("E08000032", Some("Ratepayer"), Some("Postcode")),
        ("E08000035", Some("Ratepayer"), Some("Postcode")),
        ("E08000033", Some("Ratepayer"), Some("Postcode")),
        ("E07000164", Some("Ratepayer"), Some("Postcode")),
        ("E07000168", Some("Ratepayer"), Some("Postcode")),
        ("E07000169", Some("Ratepayer"), Some("Postcode")),
        ("E09000007", None, None),
        ("E08000036", Some("Ratepayer"), Some("Postcode")),
        ("E07000165", None, Some("Postcode")),
        ("E08000034", Some("Ratepayer"), Some("Postcode")),
        (
            "E06000025",
            Some("Primary Liable party name"),
            Some("Post Code"),
        ),
        ("E06000024", Some("Primary Liable party name"), None),
        ("E07000041", Some("account_holder"), Some("postcode")),
        ("E08000003", Some("Account Holder 1"), Some("Postcode")),
        ("E06000018", Some("Organisation Name"), Some("Post Code")),
        ("E07000178", Some("account_holder1"), Some("postcode")),
        (
            "E07000009",
            Some("Account Holder 1"),
            Some("Property Post Code"),
        ),
        ("E09000022", Some("holder_name"), None),
        ("E08000007", Some("AccountName"), Some("PropPostCode")),
        ("E08000015", Some("AccountName1"), Some("PropertyPostcode")),
        ("E07000008", Some("Primary Liable party name"), None),
        ("E06000046", Some("Business Name"), None),
        ("E06000057", Some("PRIMARYLIABLEPARTYNAME"), None),
        (
            "E08000005",
            Some("Liable Name 1"),
            Some("Property Postcode"),
        ),
        ("E07000031", Some("AccountName"), Some("PropertyPostCode")),
        ("E06000014", Some("LiableName"), None),
    ];
    let raw = std::fs::read(shared().join("companies/nndr_layouts_header.csv")).unwrap();
    let mut seen = Vec::new();
    let mut failures = Vec::new();
    for line in raw.split(|b| *b == b'\n').skip(1) {
        let Some(tab) = line.iter().position(|b| *b == b'\t') else {
            continue;
        };
        let code = String::from_utf8_lossy(&line[..tab]).to_string();
        let header = line[tab + 1..].trim_ascii();
        let text = String::from_utf8_lossy(header);
        let text = text.trim_start_matches('\u{feff}');
        if text.is_empty()
            || text.starts_with('<')
            || text.starts_with('{')
            || text.starts_with("The resource")
            || text.chars().all(|c| c == ',')
        {
            continue;
        }
        seen.push(code.clone());
        let Some(&(_, name, postcode)) = expected.iter().find(|e| e.0 == code) else {
            failures.push(format!("{code}: not in the expected table"));
            continue;
        };
        let mut bytes = header.to_vec();
        bytes.push(b'\n');
        match detect_bytes(&code, bytes) {
            Ok(d) => {
                if d.kind != InputKind::Suppliers {
                    failures.push(format!("{code}: kind {:?}", d.kind));
                }
                let got_name = header_of(&d, Role::SupplierName);
                let got_pc = header_of(&d, Role::SupplierPostcode);
                if got_name.as_deref() != name || got_pc.as_deref() != postcode {
                    failures.push(format!(
                        "{code}: name {got_name:?} (want {name:?}), postcode {got_pc:?} (want {postcode:?})"
                    ));
                }
            }
            Err(e) => {
                let why = e.missing.join(",");
                if name.is_some() || why != "supplier_name" {
                    failures.push(format!("{code}: {e}"));
                }
                let d = e.detection.expect("what was found");
                assert_eq!(d.kind, InputKind::Suppliers, "{code}");
                let got_pc = header_of(&d, Role::SupplierPostcode);
                if got_pc.as_deref() != postcode {
                    failures.push(format!("{code}: postcode {got_pc:?} (want {postcode:?})"));
                }
            }
        }
    }
    assert_eq!(seen.len(), expected.len(), "{seen:?}");
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The three real ratepayers lists (Bradford, Calderdale, Kirklees 2019): detected as
/// supplier-side, ratepayer and postcode found, and every row read. Row counts from
/// Python's csv module (`strict=False` for Calderdale's broken quoting):
/// bradford 11720, calderdale 5285, kirklees 9260 data rows, each with a Ratepayer.
#[test]
fn nndr_ratepayers_lists_are_read_whole() {
    for (council, rows, line2) in [
        (
            "bradford",
            11720,
            ("St John The Evangelist Academy", Some("BD6 3DQ")),
        ),
        ("calderdale", 5285, ("Iredales Ltd", Some("HD6 3RB"))),
        (
            "kirklees",
            9260,
            ("1 Stop Autocentre (Uk) Ltd", Some("HD1 3PL")),
        ),
    ] {
        let got =
            ingest(&shared().join(format!("companies/nndr_ratepayers_{council}_2019.csv.xz")));
        let d = &got.detection;
        assert_eq!(d.kind, InputKind::Suppliers, "{council}");
        assert_eq!(
            header_of(d, Role::SupplierName).as_deref(),
            Some("Ratepayer"),
            "{council}"
        );
        assert_eq!(
            header_of(d, Role::SupplierPostcode).as_deref(),
            Some("Postcode"),
            "{council}"
        );
        let r = &got.report;
        assert_eq!(r.error, None, "{council}");
        assert_eq!((r.rows_read, r.rejected), (rows, 0), "{council}");
        // Rows not accepted are only names the publisher withheld, each reported.
        assert!(
            got.issues
                .iter()
                .filter(|i| i.outcome == Outcome::Skipped)
                .all(|i| i.problem.starts_with("no supplier named")),
            "{council}"
        );
        let first = got
            .records
            .iter()
            .find_map(|r| match r {
                anchornet_ingest::Record::Supplier(s) if s.line == 2 => Some(s),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{council}: line 2"));
        assert_eq!(
            (first.name.as_str(), first.postcode.as_deref()),
            line2,
            "{council}"
        );
    }
}

/// Registers in `../shared/data`: contracts register, award notices, grants, co-operatives
/// and Companies House extracts, each read as supplier-side with its identifying columns.
#[test]
fn registers_are_detected_as_supplier_lists() {
    // (file, name, postcode, company number, charity number)
    type Case<'a> = (
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
    );
    let cases: &[Case] = &[
        (
            "procurement/salford_contracts_register_2022.csv",
            "Supplier Company Name",
            Some("Supplier Postcode"),
            Some("Company Number"),
            None,
        ),
        // Contracts Finder's `postcode` is where the work is done, beside `region`, not the
        // supplier's: not asserted here.
        (
            "procurement/lancashire_contracts_finder_notices.csv",
            "awarded_supplier",
            Some("(not checked)"),
            None,
            None,
        ),
        (
            "procurement/trafford_council_vcse_grants_360giving.csv",
            "Recipient Org:Name",
            Some("Recipient Org:Postal Code"),
            Some("Recipient Org:Company Number"),
            Some("Recipient Org:Charity Number"),
        ),
        (
            "suppliers/coops_uk_open_data_2023.csv.xz",
            "Name",
            Some("Postcode"),
            Some("Companies House Number"),
            None,
        ),
        (
            "companies/ch_live_companies_south_yorkshire_2024-11.csv.xz",
            "CompanyName",
            Some("RegAddress.PostCode"),
            Some("CompanyNumber"),
            None,
        ),
        (
            "companies/companies_house_incorporations_first7days_jan2024_jan2025.csv.xz",
            "company_name",
            None,
            Some("company_number"),
            None,
        ),
    ];
    let mut failures = Vec::new();
    for &(file, name, postcode, company, charity) in cases {
        let src = anchornet_ingest::input::open(&shared().join(file)).unwrap();
        let (_, d) = anchornet_ingest::Ingest::default()
            .explain(&src[0])
            .remove(0);
        let d = match d {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        let got = (
            header_of(&d, Role::SupplierName),
            header_of(&d, Role::SupplierPostcode),
            header_of(&d, Role::CompanyNumber),
            header_of(&d, Role::CharityNumber),
        );
        let want = (
            Some(name.to_string()),
            match postcode {
                Some("(not checked)") => got.1.clone(),
                p => p.map(str::to_string),
            },
            company.map(str::to_string),
            charity.map(str::to_string),
        );
        // A grants file is spend (an award date and an amount); the others are lists.
        let kind_ok = file.contains("360giving") || d.kind == InputKind::Suppliers;
        if got != want || !kind_ok {
            failures.push(format!("{file}: {:?} {got:?}, want {want:?}", d.kind));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
