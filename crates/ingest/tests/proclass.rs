//! The ProClass code role on real files: a column named after ProClass whose values are
//! ProClass codes gives each payment its code; six-digit ledger codes that are not ProClass
//! give none, whatever their shape.
//!
//! Expected values are read from the files here with the `csv` crate (not Anchornet's
//! reader), or computed with Python as each test's comment says.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anchornet_core::{Payment, Role};
use anchornet_ingest::Record;
use common::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn payments(records: &[Record]) -> Vec<&Payment> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Payment(p) => Some(p.as_ref()),
            Record::Supplier(_) => None,
        })
        .collect()
}

/// Each data line's value of `column`, read with the `csv` crate (line 1 is the header; the
/// file has no quotes, so no record spans two lines).
fn column_by_line(path: &Path, column: &str) -> HashMap<u64, String> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let i = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == column)
        .unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        !text.contains('"'),
        "a quoted field could hold a line break"
    );
    // One record a line: data line k (from 2) is record k - 2.
    r.records()
        .enumerate()
        .map(|(k, rec)| (k as u64 + 2, rec.unwrap()[i].to_string()))
        .collect()
}

fn is_proclass(v: &str) -> bool {
    v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit())
}

/// Trafford's `ProclassLabel,ProclassCode`: the code column is the ProClass role (not the
/// expense code), the label the procurement category, and each payment carries the code its
/// row gives; `NA` ("Not Classified") is no code, and no warning.
#[test]
fn trafford_proclass_code_column_gives_each_payment_its_code() {
    let path = fixture("trafford_2026-27_first200.csv");
    let got = ingest(&path);
    let d = &got.detection;
    assert_eq!(
        header_of(d, Role::ProclassCode).as_deref(),
        Some("ProclassCode")
    );
    assert_eq!(
        header_of(d, Role::ProcurementCategory).as_deref(),
        Some("ProclassLabel")
    );
    assert_eq!(header_of(d, Role::ExpenseCode), None);
    let expected = column_by_line(&path, "ProclassCode");
    let ps = payments(&got.records);
    assert_eq!(ps.len(), expected.len());
    let mut with_code = 0;
    let mut codes = BTreeSet::new();
    for p in &ps {
        let want = &expected[&p.line];
        let got = p.proclass_code.map(|c| c.to_string());
        if is_proclass(want) {
            assert_eq!(got.as_deref(), Some(want.as_str()), "line {}", p.line);
            with_code += 1;
            codes.insert(want.clone());
        } else {
            assert_eq!(want, "NA", "line {}", p.line);
            assert_eq!(got, None, "line {}", p.line);
        }
        assert_eq!(p.expense_code, None, "line {}", p.line);
    }
    // python3 -c "import csv; r=list(csv.DictReader(open('trafford_2026-27_first200.csv')));
    //   c=[x['ProclassCode'] for x in r]; s=[v for v in c if len(v)==6 and v.isdigit()];
    //   print(len(r), len(s), len(set(s)))"  → 200 111 23  (the other 89 are `NA`)
    assert_eq!((ps.len(), with_code, codes.len()), (200, 111, 23));
    assert!(
        got.issues.iter().all(|i| !i.problem.contains("ProClass")),
        "{:?}",
        got.issues
    );
}

/// Trafford's whole 2026/27 file as published (shared data).
// xz -dc trafford/trafford-supplier-spend-2026-27.csv.xz | python3 -c "import csv,sys;
//   r=list(csv.DictReader(sys.stdin)); c=[x['ProclassCode'] for x in r];
//   s=[v for v in c if len(v)==6 and v.isdigit()]; print(len(r), len(s), len(set(s)),
//   sorted(set(c)-set(s)))"  → 38055 28585 148 ['NA']
#[test]
fn trafford_whole_year_codes() {
    let got = ingest(&spend("trafford/trafford-supplier-spend-2026-27.csv.xz"));
    let ps = payments(&got.records);
    assert_eq!(got.report.rows_read, 38055);
    assert_eq!(ps.len(), 38055);
    let codes: Vec<String> = ps
        .iter()
        .filter_map(|p| p.proclass_code.map(|c| c.to_string()))
        .collect();
    assert_eq!(codes.len(), 28585);
    assert_eq!(codes.iter().collect::<BTreeSet<_>>().len(), 148);
}

/// The GLA's `Cost Element` is a six-digit ledger code (544077, …) and no ProClass column is
/// named: the expense code is kept as it is, and no payment has a ProClass code.
// xz -dc original_layouts/london/2022-P13.csv.xz | python3 -c "import csv,sys;
//   r=list(csv.DictReader(sys.stdin)); v=[x['Cost Element'] for x in r];
//   print(len(r), sum(len(c)==6 and c.isdigit() for c in v))"  → 2553 2553
#[test]
fn six_digit_cost_elements_are_not_proclass() {
    let got = ingest(&spend("original_layouts/london/2022-P13.csv.xz"));
    let d = &got.detection;
    assert_eq!(
        header_of(d, Role::ExpenseCode).as_deref(),
        Some("Cost Element")
    );
    assert_eq!(header_of(d, Role::ProclassCode), None);
    let ps = payments(&got.records);
    assert_eq!(ps.len(), 2553);
    let six = ps
        .iter()
        .filter(|p| p.expense_code.as_deref().is_some_and(is_proclass))
        .count();
    assert_eq!(six, 2553);
    assert!(ps.iter().all(|p| p.proclass_code.is_none()));
}

/// No real file in the shared data has six-digit expense codes beside a procurement category
/// (Calderdale's are eight characters, Sheffield's and Bradford's four, the GLA's six but with
/// no category). So Trafford's fixture is read with its `ProclassCode` column left out and its
/// `ProfitCentre` — real six-digit ledger codes (250210, 602020…), not ProClass — headed
/// `Expense Code`: a ledger with six-digit expense codes beside a ProClass label. Recognised
/// by shape, 197 payments would have had a false ProClass code; now none has one.
#[test]
fn six_digit_expense_codes_beside_a_category_are_not_proclass() {
    let src = fixture("trafford_2026-27_first200.csv");
    let mut r = csv::Reader::from_path(&src).unwrap();
    let headers = r.headers().unwrap().clone();
    let drop = headers.iter().position(|h| h == "ProclassCode").unwrap();
    let dir = std::env::temp_dir().join(format!("anchornet-proclass-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("trafford_profit_centre_as_expense_code.csv");
    {
        let mut w = csv::Writer::from_path(&path).unwrap();
        let keep = |rec: &csv::StringRecord| -> Vec<String> {
            rec.iter()
                .enumerate()
                .filter(|&(i, _)| i != drop)
                .map(|(_, v)| {
                    if v == "ProfitCentre" {
                        "Expense Code".to_string()
                    } else {
                        v.to_string()
                    }
                })
                .collect()
        };
        w.write_record(keep(&headers)).unwrap();
        for rec in r.records() {
            w.write_record(keep(&rec.unwrap())).unwrap();
        }
        w.flush().unwrap();
    }
    let got = ingest(&path);
    let d = &got.detection;
    assert_eq!(
        header_of(d, Role::ExpenseCode).as_deref(),
        Some("Expense Code")
    );
    assert_eq!(
        header_of(d, Role::ProcurementCategory).as_deref(),
        Some("ProclassLabel")
    );
    assert_eq!(header_of(d, Role::ProclassCode), None);
    let ps = payments(&got.records);
    assert_eq!(ps.len(), 200);
    // python3 -c "import csv; r=list(csv.DictReader(open('trafford_2026-27_first200.csv')));
    //   print(sum(len(x['ProfitCentre'])==6 and x['ProfitCentre'].isdigit() and
    //   x['ProclassLabel']!='' for x in r))"  → 197
    let shaped_like_proclass = ps
        .iter()
        .filter(|p| {
            p.procurement_category.is_some() && p.expense_code.as_deref().is_some_and(is_proclass)
        })
        .count();
    assert_eq!(shaped_like_proclass, 197);
    assert!(ps.iter().all(|p| p.proclass_code.is_none()));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Calderdale's ledger names a `Proclass` column beside its procurement category but leaves
/// it empty in every row: no ProClass role (an empty column needs values to confirm a code),
/// and the category is still "Procurement Classification: Council's Procurement Category
/// Name".
#[test]
fn calderdale_empty_proclass_column() {
    let got = ingest(&spend("fixtures/odileeds_calderdale_2022-08_first200.csv"));
    let d = &got.detection;
    assert_eq!(header_of(d, Role::ProclassCode), None);
    assert_eq!(
        header_of(d, Role::ProcurementCategory).as_deref(),
        Some("Procurement Classification: Council's Procurement Category Name")
    );
    assert_eq!(
        header_of(d, Role::ExpenseCode).as_deref(),
        Some("Expense Code")
    );
    assert!(payments(&got.records)
        .iter()
        .all(|p| p.proclass_code.is_none()));
}
