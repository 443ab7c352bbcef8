//! End-to-end B1 on small real files (see `fixtures/NOTICE.md`).
//!
//! `fixtures/expected_b1.out` was NOT produced by this crate. It was computed
//! by the DuckDB peer and checked against a plain-Python reference written
//! straight from the spec, from the repository root:
//!
//! ```text
//! python3 bench/b1_duckdb.py crates/bench/tests/fixtures > crates/bench/tests/fixtures/expected_b1.out
//! python3 bench/b1_stdlib.py crates/bench/tests/fixtures | diff - crates/bench/tests/fixtures/expected_b1.out
//! ```
//!
//! Integers must match exactly, shares to 1e-9 (BENCHMARKS.md, B1 goal).

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn expected() -> String {
    std::fs::read_to_string(fixtures().join("expected_b1.out")).unwrap()
}

/// Compares two sets of B1 lines: first six fields exactly, the share to 1e-9.
fn assert_same_lines(got: &str, want: &str) {
    let got: Vec<&str> = got.lines().collect();
    let want: Vec<&str> = want.lines().collect();
    assert_eq!(
        got.len(),
        want.len(),
        "number of groups\n{got:#?}\n{want:#?}"
    );
    for (g, w) in got.iter().zip(&want) {
        let (gi, gs) = g.rsplit_once(',').unwrap();
        let (wi, ws) = w.rsplit_once(',').unwrap();
        assert_eq!(gi, wi, "integers differ");
        let (gs, ws): (f64, f64) = (gs.parse().unwrap(), ws.parse().unwrap());
        assert!((gs - ws).abs() <= 1e-9, "share differs: {g} vs {w}");
        assert_eq!(
            g.split(',')
                .nth(6)
                .unwrap()
                .split('.')
                .nth(1)
                .unwrap()
                .len(),
            12
        );
    }
}

#[test]
fn library_matches_independent_peers_on_real_rows() {
    let files = anchornet_bench::csv_files(&fixtures()).unwrap();
    assert_eq!(files.len(), 3, "three fixture CSVs: {files:?}");
    let lines = anchornet_bench::run_b1(&files).unwrap();
    let got: String = lines.iter().map(|l| format!("{l}\n")).collect();
    assert_same_lines(&got, &expected());
}

#[test]
fn binary_prints_exactly_the_lines_on_stdout() {
    let out = Command::new(env!("CARGO_BIN_EXE_b1"))
        .arg(fixtures())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_same_lines(&stdout, &expected());
    // Timing and memory go to stderr only.
    assert!(String::from_utf8_lossy(&out.stderr).contains("peak RSS"));
}

#[test]
fn missing_column_is_an_error_naming_the_file() {
    let dir = std::env::temp_dir().join(format!("anchornet-b1-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.csv");
    std::fs::write(&path, "payment_date,amount\n2021-04-01,1\n").unwrap();
    let err = anchornet_bench::run_b1(std::slice::from_ref(&path)).unwrap_err();
    let msg = format!("{err:#}");
    assert!(
        msg.contains("beneficiary_name") && msg.contains("bad.csv"),
        "{msg}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
