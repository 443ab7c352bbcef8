//! `b1 DIR|FILE...` — the Anchornet side of benchmark B1 (BENCHMARKS.md).
//!
//! Prints one CSV line per (publisher, financial year) over every `*.csv` in
//! each DIR (or each FILE given), sorted, without a header:
//! `publisher,fy,rows,rejected,total_pence,suppliers,top10_share`.
//! Elapsed time and peak resident memory go to stderr, so stdout can be diffed
//! against the DuckDB and pandas peers. Glue only: the logic is in the library.
//!
//! Exit codes: 0 success, 1 an input could not be read, 2 usage.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.is_empty() || args.iter().any(|a| a == "-h" || a == "--help") {
        eprintln!("usage: b1 DIR|FILE.csv...   (see BENCHMARKS.md, B1)");
        std::process::exit(2);
    }
    if let Err(e) = run(&args) {
        eprintln!("b1: error: {e:#}");
        std::process::exit(1);
    }
}

fn run(args: &[PathBuf]) -> Result<()> {
    let start = Instant::now();
    let mut files = Vec::new();
    for arg in args {
        if arg.is_dir() {
            files.extend(anchornet_bench::csv_files(arg)?);
        } else {
            files.push(arg.clone());
        }
    }
    let lines = anchornet_bench::run_b1(&files)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for line in &lines {
        writeln!(out, "{line}")?;
    }
    out.flush().context("writing results")?;
    let rows: u64 = lines.iter().map(|l| l.rows).sum();
    eprintln!(
        "b1: {} files, {} rows, {} groups in {:.3} s; peak RSS {}; {} threads",
        files.len(),
        rows,
        lines.len(),
        start.elapsed().as_secs_f64(),
        peak_rss().unwrap_or_else(|| "unknown".into()),
        rayon::current_num_threads()
    );
    Ok(())
}

/// Peak resident set size of this process (`VmHWM` in `/proc/self/status`, Linux).
fn peak_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{:.1} MB", kb as f64 / 1024.0))
}
