//! Golden tests on real council files from `../shared/data/spend` (OGL v3.0).
//!
//! Expected figures are computed independently of Anchornet by `tests/expected.py` (Python's
//! csv and decimal modules; the date and amount columns named by hand), with the command in
//! each test's comment, run from `crates/ingest/tests` with `L=../../../../shared/data/spend/original_layouts`.

mod common;

use anchornet_core::Role;
use common::*;

struct Expect {
    file: &'static str,
    date: &'static str,
    amount: (Role, &'static str),
    supplier: &'static str,
    rows: u64,
    accepted: u64,
    total_pence: i64,
}

fn check(e: Expect) {
    let got = ingest(&spend(e.file));
    let d = &got.detection;
    assert_eq!(
        header_of(d, Role::Date).as_deref(),
        Some(e.date),
        "{}: date column",
        e.file
    );
    assert_eq!(
        header_of(d, e.amount.0).as_deref(),
        Some(e.amount.1),
        "{}: amount column",
        e.file
    );
    assert_eq!(
        header_of(d, Role::SupplierName).as_deref(),
        Some(e.supplier),
        "{}: supplier column",
        e.file
    );
    let r = &got.report;
    assert_eq!(r.error, None);
    assert_eq!(
        (r.rows_read, r.accepted),
        (e.rows, e.accepted),
        "{}: rows, accepted ({:?})",
        e.file,
        r.reasons
    );
    assert_eq!(r.total.0, e.total_pence, "{}: total pence", e.file);
}

// expected.py $L/bradford/2019-01.csv.xz "Payment date" "Net Amount"
// → records=9664 accepted=9664 total_pence=4543123155
#[test]
fn bradford_supplier_number_layout() {
    check(Expect {
        file: "original_layouts/bradford/2019-01.csv.xz",
        date: "Payment date",
        amount: (Role::NetAmount, "Net Amount"),
        supplier: "Supplier Name",
        rows: 9664,
        accepted: 9664,
        total_pence: 4543123155,
    });
    let got = ingest(&spend("original_layouts/bradford/2019-01.csv.xz"));
    assert_eq!(
        header_of(&got.detection, Role::SupplierId).as_deref(),
        Some("Supplier Number")
    );
}

// expected.py $L/cabinetoffice/2021-08.csv.xz Date Amount → records=593 accepted=593 total_pence=7529057741
#[test]
fn cabinet_office_departmental_layout() {
    check(Expect {
        file: "original_layouts/cabinetoffice/2021-08.csv.xz",
        date: "Date",
        amount: (Role::Amount, "Amount"),
        supplier: "Supplier",
        rows: 593,
        accepted: 593,
        total_pence: 7529057741,
    });
}

// expected.py $L/calderdale/2022-03.csv.xz Date "Net Amount" → records=2623 accepted=2623 total_pence=1951318288
#[test]
fn calderdale_wide_layout_with_registers() {
    check(Expect {
        file: "original_layouts/calderdale/2022-03.csv.xz",
        date: "Date",
        amount: (Role::NetAmount, "Net Amount"),
        supplier: "Supplier(Beneficiary) Name",
        rows: 2623,
        accepted: 2623,
        total_pence: 1951318288,
    });
    let d = ingest(&spend("original_layouts/calderdale/2022-03.csv.xz")).detection;
    assert_eq!(
        header_of(&d, Role::CompanyNumber).as_deref(),
        Some("Supplier Registered Company Number")
    );
    assert_eq!(
        header_of(&d, Role::CharityNumber).as_deref(),
        Some("Supplier Registered Charity Number")
    );
    assert_eq!(
        header_of(&d, Role::VatNumber).as_deref(),
        Some("VAT Registration Number")
    );
    assert_eq!(
        header_of(&d, Role::Vat).as_deref(),
        Some("Irrecoverable VAT")
    );
}

// expected.py $L/darlington/2021-10.csv.xz "Transaction Date" "Invoice Line Value (net of VAT)"
// → records=1737 accepted=1737 total_pence=1108788348
#[test]
fn darlington_leading_blank_headers() {
    check(Expect {
        file: "original_layouts/darlington/2021-10.csv.xz",
        date: "Transaction Date",
        amount: (Role::NetAmount, "Invoice Line Value (net of VAT)"),
        supplier: "Supplier",
        rows: 1737,
        accepted: 1737,
        total_pence: 1108788348,
    });
}

// expected.py $L/hyndburn/1701.csv.xz "Payment date" "Net Amount(£)" → records=180 accepted=180 total_pence=53827219
#[test]
fn hyndburn_cp1252_header_and_cr_only_lines() {
    check(Expect {
        file: "original_layouts/hyndburn/1701.csv.xz",
        date: "Payment date",
        amount: (Role::NetAmount, "Net Amount(£)"),
        supplier: "Name",
        rows: 180,
        accepted: 180,
        total_pence: 53827219,
    });
}

// expected.py $L/hyndburn/May-24.csv.xz "Payment Date" "Amount Paid" → records=753 accepted=753 total_pence=1025941015
// (17 credits are written with a trailing minus, e.g. "106,392.99-")
#[test]
fn hyndburn_trailing_minus_credits() {
    check(Expect {
        file: "original_layouts/hyndburn/May-24.csv.xz",
        date: "Payment Date",
        amount: (Role::Amount, "Amount Paid"),
        supplier: "Name:",
        rows: 753,
        accepted: 753,
        total_pence: 1025941015,
    });
}

// expected.py $L/hyndburn/Aug-25.csv.xz "Payment Date" "Amount Paid" → records=551 accepted=551 total_pence=1015198971
// Header: "Department Area,,Service Area,,Description,,,Line,,HBC Ref No.,,Name: ,,,Payment Date,,Amount Paid"
#[test]
fn hyndburn_doubled_empty_columns() {
    check(Expect {
        file: "original_layouts/hyndburn/Aug-25.csv.xz",
        date: "Payment Date",
        amount: (Role::Amount, "Amount Paid"),
        supplier: "Name:",
        rows: 551,
        accepted: 551,
        total_pence: 1015198971,
    });
}

// expected.py $L/leeds/2013-01.csv.xz DatePaid NetAmount → records=8272 accepted=8272 total_pence=6205522962
#[test]
fn leeds_cleaned() {
    check(Expect {
        file: "original_layouts/leeds/2013-01.csv.xz",
        date: "DatePaid",
        amount: (Role::NetAmount, "NetAmount"),
        supplier: "SupplierName",
        rows: 8272,
        accepted: 8272,
        total_pence: 6205522962,
    });
}

// expected.py $L/leeds_raw/2013-01.csv.xz DatePaid NetAmount → records=8273 accepted=8272 total_pence=6125285396
// The raw file has dd-Mon-yyyy dates and one row with an empty date (rejected, reported).
#[test]
fn leeds_raw_publisher_file() {
    check(Expect {
        file: "original_layouts/leeds_raw/2013-01.csv.xz",
        date: "DatePaid",
        amount: (Role::NetAmount, "NetAmount"),
        supplier: "SupplierName",
        rows: 8273,
        accepted: 8272,
        total_pence: 6125285396,
    });
    let got = ingest(&spend("original_layouts/leeds_raw/2013-01.csv.xz"));
    assert_eq!(got.report.rejected, 1);
    let i = got
        .issues
        .iter()
        .find(|i| i.problem.starts_with("date"))
        .expect("the rejected row is reported");
    assert_eq!(i.column, "DatePaid");
    assert!(i.line > 1);
}

// expected.py $L/london/2021-P08.csv.xz "Clearing Date" Amount → records=1421 accepted=1421 total_pence=4576881012
// (32 credits are in parentheses)
#[test]
fn gla_vendor_layout_with_parenthesised_credits() {
    check(Expect {
        file: "original_layouts/london/2021-P08.csv.xz",
        date: "Clearing Date",
        amount: (Role::Amount, "Amount"),
        supplier: "Vendor Name",
        rows: 1421,
        accepted: 1421,
        total_pence: 4576881012,
    });
}

// expected.py $L/manchester/2021-06.csv.xz "Invoice Payment Date" "Net Amount" → records=2896 accepted=2896 total_pence=7169849020
#[test]
fn manchester() {
    check(Expect {
        file: "original_layouts/manchester/2021-06.csv.xz",
        date: "Invoice Payment Date",
        amount: (Role::NetAmount, "Net Amount"),
        supplier: "Supplier Name",
        rows: 2896,
        accepted: 2896,
        total_pence: 7169849020,
    });
    let d = ingest(&spend("original_layouts/manchester/2021-06.csv.xz")).detection;
    assert_eq!(
        header_of(&d, Role::ExpenseType).as_deref(),
        Some("Expenses Type")
    );
    assert_eq!(header_of(&d, Role::Body).as_deref(), Some("Body Name"));
}

// expected.py $L/networkrail/2020-05.csv.xz "Invoice GL Date" Spend → records=3679 accepted=3678 total_pence=71872669957
#[test]
fn network_rail_four_columns_and_totals_row() {
    check(Expect {
        file: "original_layouts/networkrail/2020-05.csv.xz",
        date: "Invoice GL Date",
        amount: (Role::Amount, "Spend"),
        supplier: "Supplier Name",
        rows: 3679,
        accepted: 3678,
        total_pence: 71872669957,
    });
    let got = ingest(&spend("original_layouts/networkrail/2020-05.csv.xz"));
    assert_eq!(got.report.reasons.get("totals row"), Some(&1));
}

// expected.py $L/northtyneside/2021-12_i.csv.xz "Payment Date" "Net Amount" → records=19203 accepted=19203 total_pence=4237570562
#[test]
fn north_tyneside_sercop() {
    check(Expect {
        file: "original_layouts/northtyneside/2021-12_i.csv.xz",
        date: "Payment Date",
        amount: (Role::NetAmount, "Net Amount"),
        supplier: "Supplier (Beneficiary) Name",
        rows: 19203,
        accepted: 19203,
        total_pence: 4237570562,
    });
}

// expected.py $L/salford/2021-07.csv.xz "Date of Payment" Net → records=1974 accepted=1974 total_pence=3742738249
#[test]
fn salford_gross_vat_net_prefers_net() {
    check(Expect {
        file: "original_layouts/salford/2021-07.csv.xz",
        date: "Date of Payment",
        amount: (Role::NetAmount, "Net"),
        supplier: "Vendor Name",
        rows: 1974,
        accepted: 1974,
        total_pence: 3742738249,
    });
    let got = ingest(&spend("original_layouts/salford/2021-07.csv.xz"));
    assert_eq!(
        header_of(&got.detection, Role::GrossAmount).as_deref(),
        Some("Gross")
    );
    assert_eq!(header_of(&got.detection, Role::Vat).as_deref(), Some("VAT"));
    // Line 3: 608.79 gross, 101.47 VAT, 507.32 net (Aggregates Industries Uk Ltd).
    let p = got
        .records
        .iter()
        .find_map(|r| match r {
            anchornet_ingest::Record::Payment(p) if p.line == 3 => Some(p),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        (p.amount.0, p.gross.map(|g| g.0), p.vat.map(|v| v.0)),
        (50732, Some(60879), Some(10147))
    );
    assert_eq!(p.supplier_name, "Aggregates Industries Uk Ltd");
}

// expected.py $L/sheffield/2014-04.csv.xz "GL Date" "Invoiced Value" → records=18722 accepted=16194 total_pence=27309529713
// Sheffield writes "REDACTED PERSONAL DATA" in the amount column: 2,528 rows rejected and reported.
#[test]
fn sheffield_non_numeric_amounts_are_reported() {
    check(Expect {
        file: "original_layouts/sheffield/2014-04.csv.xz",
        date: "GL Date",
        amount: (Role::Amount, "Invoiced Value"),
        supplier: "Supplier Name",
        rows: 18722,
        accepted: 16194,
        total_pence: 27309529713,
    });
    let got = ingest(&spend("original_layouts/sheffield/2014-04.csv.xz"));
    let rejected: Vec<_> = got
        .issues
        .iter()
        .filter(|i| i.outcome == anchornet_ingest::Outcome::Rejected)
        .collect();
    assert_eq!(rejected.len(), 2528);
    assert!(rejected
        .iter()
        .all(|i| i.column == "Invoiced Value" && i.value == "REDACTED PERSONAL DATA"));
}

// expected.py $L/wakefield/2016-Q3.csv.xz "Payment Date" "Net Amount" → records=8231 accepted=8231 total_pence=6051497722
// "Effective Date" comes first and must not be taken for the payment date.
#[test]
fn wakefield_payment_date_not_effective_date() {
    check(Expect {
        file: "original_layouts/wakefield/2016-Q3.csv.xz",
        date: "Payment Date",
        amount: (Role::NetAmount, "Net Amount"),
        supplier: "Supplier Name",
        rows: 8231,
        accepted: 8231,
        total_pence: 6051497722,
    });
}

// expected.py trafford/trafford-supplier-spend-2026-27.csv.xz PaymentDate Amount → records=38055 accepted=38055 total_pence=9589694189
#[test]
fn trafford_lga_schema_with_proclass() {
    check(Expect {
        file: "trafford/trafford-supplier-spend-2026-27.csv.xz",
        date: "PaymentDate",
        amount: (Role::Amount, "Amount"),
        supplier: "BeneficiaryName",
        rows: 38055,
        accepted: 38055,
        total_pence: 9589694189,
    });
    let d = ingest(&spend("trafford/trafford-supplier-spend-2026-27.csv.xz")).detection;
    assert_eq!(
        header_of(&d, Role::ProcurementCategory).as_deref(),
        Some("ProclassLabel")
    );
    assert_eq!(
        header_of(&d, Role::VatNumber).as_deref(),
        Some("VATRegistrationNumber")
    );
    assert_eq!(
        header_of(&d, Role::SupplierId).as_deref(),
        Some("BeneficiaryOtherID")
    );
}

// expected.py odileeds_processed/cabinetoffice.csv.xz payment_date amount → records=37037 accepted=37034 total_pence=810140792042
#[test]
fn odileeds_processed_cabinet_office() {
    check(Expect {
        file: "odileeds_processed/cabinetoffice.csv.xz",
        date: "payment_date",
        amount: (Role::Amount, "amount"),
        supplier: "beneficiary_name",
        rows: 37037,
        accepted: 37034,
        total_pence: 810140792042,
    });
}

// Darlington's harmonised file writes 61,959 dates as period labels ("July 2010-September 2010").
// python3 -c "import lzma,csv,io,re; from decimal import *; rows=list(csv.reader(io.StringIO(lzma.open(
//   '.../odileeds_processed/darlington.csv.xz').read().decode('utf-8-sig'))))[1:]; iso=[r for r in rows if
//   re.fullmatch(r'\d{4}-\d{2}-\d{2}',r[1].strip())]; print(len(rows),len(iso),sum((Decimal(r[2].replace(',',''))*100)
//   .quantize(Decimal(1),rounding=ROUND_HALF_UP) for r in iso))"  → 183844 121885 69462970530
#[test]
fn darlington_period_labels_are_rejected_not_lost() {
    let got = ingest(&spend("odileeds_processed/darlington.csv.xz"));
    let r = &got.report;
    assert_eq!(
        (r.rows_read, r.accepted, r.rejected, r.skipped),
        (183844, 121885, 61959, 0)
    );
    assert_eq!(r.total.0, 69462970530);
    let i = got
        .issues
        .iter()
        .find(|i| i.outcome == anchornet_ingest::Outcome::Rejected)
        .unwrap();
    assert_eq!(i.column, "payment_date");
    assert_eq!(i.value, "July 2010-September 2010");
    assert!(i.problem.contains("period"), "{}", i.problem);
}

/// Every file under spend/ (original layouts, Trafford, fixtures) is read with its layout
/// detected automatically and no mapping file; every file reconciles.
#[test]
fn every_original_layout_file_is_detected() {
    let mut files = anchornet_ingest::input::expand(&[
        spend("original_layouts").display().to_string(),
        spend("fixtures").display().to_string(),
    ])
    .unwrap();
    files.sort();
    // `find spend/original_layouts spend/fixtures -type f | wc -l` → 251 (236 .xz, 15 .csv).
    assert_eq!(files.len(), 251);
    let mut failures = Vec::new();
    let mut accepted = 0;
    for f in &files {
        let ing = anchornet_ingest::Ingest::default();
        let s = anchornet_ingest::input::open(f).unwrap();
        for r in ing.source(&s[0], &mut Default::default(), &mut |_| {}, &mut |_| {}) {
            assert!(r.reconciles(), "{r:?}");
            if r.error.is_some() || r.accepted == 0 && r.rows_read > 5 {
                failures.push(format!("{}: {:?}", r.file, r.error));
            }
            // Almost all rows are usable in every file: detection picked the right columns.
            let data_rows = r.rows_read - r.reasons.get("blank row").copied().unwrap_or(0);
            if data_rows > 20
                && (r.accepted as f64) < 0.8 * data_rows as f64
                && !r.file.contains("sheffield")
            {
                failures.push(format!(
                    "{}: only {} of {} rows accepted {:?}",
                    r.file, r.accepted, r.rows_read, r.reasons
                ));
            }
            accepted += r.accepted;
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(accepted > 900_000, "{accepted}");
}

/// The harmonised odileeds files: detection on each publisher (first 5 MB), without a mapping.
#[test]
fn every_odileeds_processed_file_is_detected() {
    use std::io::Read;
    for e in std::fs::read_dir(spend("odileeds_processed")).unwrap() {
        let p = e.unwrap().path();
        let mut head = Vec::new();
        xz2::read::XzDecoder::new(std::fs::File::open(&p).unwrap())
            .take(5 << 20)
            .read_to_end(&mut head)
            .unwrap();
        // Cut at the last newline so no row is torn.
        let cut = head.iter().rposition(|b| *b == b'\n').unwrap() + 1;
        head.truncate(cut);
        let src = anchornet_ingest::input::Source {
            name: p.display().to_string(),
            inner_name: "x.csv".into(),
            bytes: head,
            limits: Default::default(),
        };
        let ing = anchornet_ingest::Ingest::default();
        let (_, d) = ing.explain(&src).remove(0);
        let d = d.unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert_eq!(
            header_of(&d, Role::Date).as_deref(),
            Some("payment_date"),
            "{}",
            p.display()
        );
        assert_eq!(
            header_of(&d, Role::Amount).as_deref(),
            Some("amount"),
            "{}",
            p.display()
        );
        assert_eq!(
            header_of(&d, Role::SupplierName).as_deref(),
            Some("beneficiary_name"),
            "{}",
            p.display()
        );
        assert_eq!(
            header_of(&d, Role::ServiceArea).as_deref(),
            Some("organisational_unit"),
            "{}",
            p.display()
        );
    }
}
