//! A file whose layout is not recognised is reported whole: one file error with the explain
//! table, and every data row counted as rejected and written to the issues output with its
//! line — never "1 skipped/rejected rows not written anywhere" for thousands of rows.
//!
//! The fixture `fixtures/revenue_outturn_lancashire_first25.csv` is the header and first 25
//! rows of `shared/data/finance/revenue_outturn_lancashire_2021-25.csv.xz` (MHCLG revenue
//! outturn, OGL v3.0; see fixtures/NOTICE.md): a real council finance file that is not a
//! payment ledger (no payment date, no supplier), the kind a user uploads by mistake.

use anchornet_ingest::{Ingest, Issue, Outcome};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/revenue_outturn_lancashire_first25.csv"
);

#[test]
fn revenue_outturn_is_a_layout_failure_with_every_row_rejected_and_written() {
    let mut issues: Vec<Issue> = Vec::new();
    let mut records = 0;
    let reports = Ingest::default()
        .paths(
            &[FIXTURE.to_string()],
            |_, _, _| {},
            |_| records += 1,
            |i| issues.push(i),
        )
        .unwrap();
    assert_eq!(reports.len(), 1);
    let r = &reports[0];
    assert_eq!(records, 0);
    // `wc -l` gives 26 lines: the header and 25 data rows, none blank.
    assert_eq!(
        (r.rows_read, r.accepted, r.skipped, r.rejected),
        (25, 0, 0, 25)
    );
    assert!(r.reconciles());
    assert_eq!(r.reasons.get("layout not recognised"), Some(&25));
    let e = r.error.as_deref().unwrap();
    assert!(e.starts_with("layout not recognised"), "{e}");
    // No column of dates: `year` holds financial years (`2021-22`), not dates. (Its
    // `line_name` values, "Education services"…, pass for organisation names.)
    assert!(e.contains("Missing: date."), "{e}");
    // The explain table names every header of the file with what was found for it.
    let t = r.explain.as_deref().expect("explain table");
    for h in [
        "council",
        "council_gss_code",
        "year",
        "form",
        "line_code",
        "line_name",
        "measure",
        "value_thousands",
    ] {
        assert!(t.contains(h), "{h} missing from\n{t}");
    }
    assert!(t.contains("header row: line 1"), "{t}");
    // One file error, then each data row on its own line of the issues output.
    let file_errors: Vec<&Issue> = issues
        .iter()
        .filter(|i| i.outcome == Outcome::FileError)
        .collect();
    assert_eq!(file_errors.len(), 1);
    let rows: Vec<&Issue> = issues
        .iter()
        .filter(|i| i.outcome == Outcome::Rejected)
        .collect();
    assert_eq!(rows.len(), 25);
    assert_eq!(
        rows.iter().map(|i| i.line).collect::<Vec<_>>(),
        (2..=26).collect::<Vec<u64>>()
    );
    // Line 26 of the fixture, read by eye.
    assert_eq!(
        rows[24].value,
        "lancashire_cc | E10000017 | 2021-22 | RS | Retained income from Rate Retention Scheme | financing | -190277"
    );
    assert!(
        rows.iter()
            .all(|i| i.problem == "layout not recognised: no date column found (run with --explain, or give a --mapping)"),
        "{:?}",
        rows[0].problem
    );
    assert_eq!(issues.len(), 26);
}

/// `Ingest::explain` keeps what was found when detection fails, for the explain table.
#[test]
fn failed_detection_keeps_what_was_found() {
    let src = anchornet_ingest::input::open(std::path::Path::new(FIXTURE)).unwrap();
    let (_, d) = Ingest::default().explain(&src[0]).remove(0);
    let e = d.unwrap_err();
    assert_eq!(e.missing, ["date"]);
    let found = e.detection.expect("partial detection");
    assert_eq!(found.header_line, Some(1));
    assert_eq!(found.headers.len(), 8);
}
