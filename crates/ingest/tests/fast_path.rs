//! The fast path (`Ingest::paths` on delimited UTF-8 text: layout detected on a sample,
//! rows converted in parallel pieces) gives exactly what the general path (each file read
//! whole, `Ingest::paths_general`) gives: the same records in the same order, the same
//! issues, the same per-file reports — on real files of every council layout in
//! `../shared/data/spend` (OGL v3.0), read together so that de-duplication across files is
//! exercised too.
//!
//! The figures of the harmonised Cabinet Office file are also checked against the
//! independent reference `tests/expected.py` (Python's csv and decimal modules):
//! `expected.py odileeds_processed/cabinetoffice.csv.xz payment_date amount`
//! → records=37037 accepted=37034 total_pence=810140792042 (registered in
//! `.ci/independent_checks.py` through real_spend.rs's citation of the same command).

mod common;

use anchornet_ingest::{input, FileReport, Ingest, Issue, Record};
use common::*;

struct Run {
    records: Vec<String>,
    issues: Vec<String>,
    reports: Vec<FileReport>,
}

fn run(ing: &Ingest, args: &[String], fast: bool) -> Run {
    let mut records = Vec::new();
    let mut issues = Vec::new();
    let push_rec = |r: Record| records.push(format!("{r:?}"));
    let push_issue = |i: Issue| issues.push(format!("{i:?}"));
    let reports = if fast {
        ing.paths(args, |_, _, _| {}, push_rec, push_issue)
    } else {
        ing.paths_general(args, |_, _, _| {}, push_rec, push_issue)
    }
    .expect("inputs open");
    Run {
        records,
        issues,
        reports,
    }
}

fn same(args: &[String]) -> Vec<FileReport> {
    let ing = Ingest::default();
    let fast = run(&ing, args, true);
    let general = run(&ing, args, false);
    assert_eq!(fast.reports.len(), general.reports.len());
    for (f, g) in fast.reports.iter().zip(&general.reports) {
        assert_eq!(
            serde_json::to_string(f).unwrap(),
            serde_json::to_string(g).unwrap(),
            "report of {}",
            f.file
        );
    }
    assert_eq!(fast.records.len(), general.records.len(), "records");
    for (i, (f, g)) in fast.records.iter().zip(&general.records).enumerate() {
        assert_eq!(f, g, "record {i}");
    }
    assert_eq!(fast.issues.len(), general.issues.len(), "issues");
    for (i, (f, g)) in fast.issues.iter().zip(&general.issues).enumerate() {
        assert_eq!(f, g, "issue {i}");
    }
    assert!(!fast.records.is_empty());
    fast.reports
}

#[test]
fn every_original_layout_reads_the_same_on_both_paths() {
    let dir = spend("original_layouts");
    let reports = same(&[
        dir.display().to_string(),
        spend("trafford").display().to_string(),
    ]);
    assert!(reports.len() > 200, "{} files", reports.len());
    // Most of these files take the fast path: the comparison is not vacuous.
    let ing = Ingest::default();
    let paths = input::expand(&[dir.display().to_string()]).unwrap();
    let fast = paths
        .iter()
        .flat_map(|p| input::open(p).unwrap())
        .filter(|s| ing.reads_fast(s))
        .count();
    assert!(
        fast * 2 > paths.len(),
        "{fast} of {} files fast",
        paths.len()
    );
}

#[test]
fn harmonised_files_read_the_same_and_match_the_reference() {
    let co = spend("odileeds_processed/cabinetoffice.csv.xz");
    let london = spend("odileeds_processed/london.csv.xz");
    let ing = Ingest::default();
    for p in [&co, &london] {
        let s = input::open(p).unwrap();
        assert!(ing.reads_fast(&s[0]), "{} takes the fast path", p.display());
    }
    let reports = same(&[co.display().to_string(), london.display().to_string()]);
    let r = &reports[0];
    assert_eq!((r.rows_read, r.accepted), (37037, 37034));
    assert_eq!(r.total.0, 810140792042);
}
