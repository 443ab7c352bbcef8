//! Shared helpers for tests on the real files in `../shared/data` (beside the repository).
#![allow(dead_code)]

use std::path::PathBuf;

use anchornet_ingest::dedupe::Deduper;
use anchornet_ingest::{input, Detection, FileReport, Ingest, Issue, Record};

/// `../shared/data`, or `$ANCHORNET_SHARED_DATA`. Missing data is a test failure, not a skip:
/// CI always has `shared/` beside the clone.
pub fn shared() -> PathBuf {
    let p = std::env::var_os("ANCHORNET_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    assert!(
        p.is_dir(),
        "real data not found at {} (set ANCHORNET_SHARED_DATA)",
        p.display()
    );
    p
}

pub fn spend(rel: &str) -> PathBuf {
    shared().join("spend").join(rel)
}

pub struct Ingested {
    pub report: FileReport,
    pub detection: Detection,
    pub records: Vec<Record>,
    pub issues: Vec<Issue>,
}

/// Ingest one file on its own (fresh de-duplication), keeping everything.
pub fn ingest(path: &std::path::Path) -> Ingested {
    let ing = Ingest::default();
    let sources = input::open(path).expect("opens");
    assert_eq!(sources.len(), 1);
    let explained = ing.explain(&sources[0]);
    let detection = explained
        .into_iter()
        .next()
        .unwrap()
        .1
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut records = Vec::new();
    let mut issues = Vec::new();
    let mut reports = ing.source(
        &sources[0],
        &mut Deduper::default(),
        &mut |r| records.push(r),
        &mut |i| issues.push(i),
    );
    assert_eq!(reports.len(), 1);
    let report = reports.remove(0);
    assert!(
        report.reconciles(),
        "{}: does not reconcile: {report:?}",
        path.display()
    );
    Ingested {
        report,
        detection,
        records,
        issues,
    }
}

/// The header assigned to a role, for asserting detection.
pub fn header_of(d: &Detection, role: anchornet_core::Role) -> Option<String> {
    d.column(role).map(|c| d.headers[c].clone())
}
