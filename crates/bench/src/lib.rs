//! # anchornet-bench
//!
//! Runners for the benchmarks defined in `BENCHMARKS.md` (shared project
//! material): fixed tasks on real data, each done by Anchornet and by the tools
//! users would otherwise reach for, so that a ratio of times can be measured
//! and the outputs diffed. This crate holds the logic so it can be unit-tested;
//! the `b1` binary is only glue, and `bench/` in the repository holds the
//! scripts that run the peers (DuckDB, pandas) and compare.
//!
//! ## B1 — ingest and aggregate a year of a city's spend, at national scale
//!
//! Input: ODI Leeds' harmonised spend CSVs, one file per publisher (the file
//! stem), columns `source_file,payment_date,amount,organisational_unit,
//! beneficiary_name`. Output, one line per (publisher, financial year):
//! `publisher,fy,rows,rejected,total_pence,suppliers,top10_share` — see
//! [`GroupLine`]. The per-field rules are in [`rules`]: [`financial_year`],
//! [`amount_pence`] and [`supplier_key`].
//!
//! How it is fast, and why each choice keeps the answer exact:
//!
//! * each file is memory-mapped and cut at line ends into chunks that rayon
//!   parses in parallel; a chunk reports any quoted field that spans a line end
//!   and the file is then re-read in one piece (see [`scan`]);
//! * no per-row allocation: fields are slices of the mapping, amounts are
//!   parsed to integer pence straight from the bytes, and the supplier key is
//!   built in a reused buffer and only copied when a group meets a new key;
//! * per-supplier totals are kept per group in exact maps (the distinct count
//!   must be exact, so keys are stored, not hashed away), folded per thread and
//!   merged at the end of each file;
//! * files are processed one after the other, so resident memory is bounded by
//!   the largest file plus the maps (about 0.3 GB on the B1 input).
#![deny(missing_docs)]

pub mod rules;
pub mod scan;

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

pub use rules::{amount_pence, financial_year, supplier_key};

/// Exact per-supplier totals of one group, keyed by supplier key.
type SupplierTotals = HashMap<Box<[u8]>, i128, FxBuildHasher>;

/// One output line of B1: a (publisher, financial year) group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupLine {
    /// The file stem, e.g. `leeds`.
    pub publisher: String,
    /// Starting year of the April–March financial year; `None` is `unknown`.
    pub fy: Option<i32>,
    /// All data rows of the group, accepted and rejected.
    pub rows: u64,
    /// Rows whose amount fails the B1 amount rule (counted, not summed).
    pub rejected: u64,
    /// Sum of the accepted rows' amounts, in pence, exact.
    pub total_pence: i128,
    /// Distinct supplier keys among accepted rows (the empty key counts once).
    pub suppliers: u64,
    /// Share of the positive per-supplier totals taken by the ten largest
    /// (see [`top10_share`]); 0 when there is no positive spend.
    pub top10_share: f64,
}

impl GroupLine {
    /// The financial year as printed: `2021` or `unknown`.
    pub fn fy_label(&self) -> String {
        self.fy
            .map_or_else(|| "unknown".to_string(), |y| y.to_string())
    }
}

impl fmt::Display for GroupLine {
    /// `publisher,fy,rows,rejected,total_pence,suppliers,top10_share`, the share
    /// to 12 decimal places, exactly as BENCHMARKS.md B1 asks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{},{},{},{},{},{},{:.12}",
            self.publisher,
            self.fy_label(),
            self.rows,
            self.rejected,
            self.total_pence,
            self.suppliers,
            self.top10_share
        )
    }
}

/// Share of the positive per-supplier totals taken by the ten largest.
///
/// BENCHMARKS.md B1: "the share of positive per-supplier totals taken by the
/// ten largest suppliers (ties broken by key)". Suppliers with a total of zero
/// or less take no part. Ties are broken by ascending key; that decides *which*
/// suppliers are the ten, though not the share itself. Both sums are exact
/// integers; only the final division is a float. Returns 0 when no supplier has
/// a positive total.
pub fn top10_share<'a>(totals: impl IntoIterator<Item = (&'a [u8], i128)>) -> f64 {
    let mut positive: Vec<(i128, &[u8])> = totals
        .into_iter()
        .filter(|&(_, t)| t > 0)
        .map(|(k, t)| (t, k))
        .collect();
    let all: i128 = positive.iter().map(|&(t, _)| t).sum();
    if all == 0 {
        return 0.0;
    }
    let order = |a: &(i128, &[u8]), b: &(i128, &[u8])| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1));
    if positive.len() > 10 {
        positive.select_nth_unstable_by(9, order);
        positive.truncate(10);
    }
    let top: i128 = positive.iter().map(|&(t, _)| t).sum();
    top as f64 / all as f64
}

/// Running totals of one (publisher, financial year) group.
#[derive(Default)]
struct Group {
    rows: u64,
    rejected: u64,
    total: i128,
    suppliers: SupplierTotals,
}

impl Group {
    fn merge(&mut self, mut other: Group) {
        self.rows += other.rows;
        self.rejected += other.rejected;
        self.total += other.total;
        if other.suppliers.len() > self.suppliers.len() {
            std::mem::swap(&mut self.suppliers, &mut other.suppliers);
        }
        for (k, t) in other.suppliers {
            *self.suppliers.entry(k).or_insert(0) += t;
        }
    }
}

/// The groups of one file seen so far by one worker.
#[derive(Default)]
struct FileAcc {
    /// A file spans a dozen or so years: a short vector beats a map here.
    groups: Vec<(Option<i32>, Group)>,
    /// Some chunk met a quoted field spanning a line end (see [`scan`]).
    quoted_newline: bool,
}

impl FileAcc {
    fn group_index(&mut self, fy: Option<i32>) -> usize {
        match self.groups.iter().position(|(y, _)| *y == fy) {
            Some(i) => i,
            None => {
                self.groups.push((fy, Group::default()));
                self.groups.len() - 1
            }
        }
    }

    fn merge(mut self, other: FileAcc) -> FileAcc {
        self.quoted_newline |= other.quoted_newline;
        for (fy, g) in other.groups {
            let i = self.group_index(fy);
            self.groups[i].1.merge(g);
        }
        self
    }
}

/// Where the three B1 columns are in a file, found by header name.
#[derive(Debug, Clone, Copy)]
struct Columns {
    date: usize,
    amount: usize,
    name: usize,
}

impl Columns {
    fn from_header(header: &scan::Record<'_>) -> Result<Columns> {
        let find = |want: &str| {
            header.fields[..header.len]
                .iter()
                .position(|f| f.trim_ascii() == want.as_bytes())
                .with_context(|| format!("no `{want}` column in the header"))
        };
        Ok(Columns {
            date: find("payment_date")?,
            amount: find("amount")?,
            name: find("beneficiary_name")?,
        })
    }
}

/// Adds every record of `chunk` (whole lines, no header) to `acc`.
fn scan_chunk(chunk: &[u8], cols: Columns, acc: &mut FileAcc) {
    let mut pos = 0;
    let mut key_buf = Vec::with_capacity(256);
    // Consecutive rows very often share a date and a supplier: remember the
    // last of each so the common case skips the date check and the key build.
    let mut last_date: Option<(&[u8], usize)> = None;
    let mut last_name: Option<&[u8]> = None;
    let mut last_key = 0..0;
    while let Some(rec) = scan::next_record(chunk, &mut pos) {
        acc.quoted_newline |= rec.quoted_newline;
        let date = rec.fields[cols.date];
        let group_index = match last_date {
            Some((d, i)) if d == date => i,
            _ => {
                let i = acc.group_index(financial_year(date));
                last_date = Some((date, i));
                i
            }
        };
        let group = &mut acc.groups[group_index].1;
        group.rows += 1;
        let Some(pence) = amount_pence(rec.fields[cols.amount]) else {
            group.rejected += 1;
            continue;
        };
        group.total += pence;
        let name = rec.fields[cols.name];
        if last_name != Some(name) {
            last_name = Some(name);
            last_key = rules::supplier_key_range(name, &mut key_buf);
        }
        let key = &key_buf[last_key.clone()];
        match group.suppliers.get_mut(key) {
            Some(t) => *t += pence,
            None => {
                group.suppliers.insert(key.into(), pence);
            }
        }
    }
}

/// Cuts `body` into about `n` pieces, each ending just after a `\n`.
fn line_chunks(body: &[u8], n: usize) -> Vec<&[u8]> {
    let target = body.len().div_ceil(n.max(1)).max(1);
    let mut chunks = Vec::with_capacity(n + 1);
    let mut start = 0;
    while start < body.len() {
        let cut = start + target;
        let end = if cut >= body.len() {
            body.len()
        } else {
            memchr::memchr(b'\n', &body[cut..]).map_or(body.len(), |i| cut + i + 1)
        };
        chunks.push(&body[start..end]);
        start = end;
    }
    chunks
}

/// B1 over one file's bytes: one [`GroupLine`] per financial year present,
/// sorted by year (`unknown` last).
///
/// The header row names the columns (a UTF-8 byte-order mark is ignored);
/// `payment_date`, `amount` and `beneficiary_name` must be among them.
pub fn aggregate_file(publisher: &str, data: &[u8]) -> Result<Vec<GroupLine>> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut pos = 0;
    let Some(header) = scan::next_record(data, &mut pos) else {
        bail!("empty file (no header row)");
    };
    let cols = Columns::from_header(&header)?;
    let body = &data[pos..];
    // Pieces of ~2 MB: small enough to keep both cores busy to the end of a
    // file, large enough that merging the per-worker maps stays cheap.
    let n = (body.len() / (2 << 20)).max(rayon::current_num_threads());
    Ok(aggregate_body(publisher, body, cols, n))
}

/// [`aggregate_file`] after the header, with the body cut into about `n` chunks.
fn aggregate_body(publisher: &str, body: &[u8], cols: Columns, n: usize) -> Vec<GroupLine> {
    let chunks = line_chunks(body, n);
    let mut acc = chunks
        .par_iter()
        .fold(FileAcc::default, |mut acc, chunk| {
            scan_chunk(chunk, cols, &mut acc);
            acc
        })
        .reduce(FileAcc::default, FileAcc::merge);
    if acc.quoted_newline && chunks.len() > 1 {
        // A quoted field spans a line end, so some cut may have fallen inside
        // it: the chunked result cannot be trusted. Read the file in one piece.
        acc = FileAcc::default();
        scan_chunk(body, cols, &mut acc);
    }

    let mut lines: Vec<GroupLine> = acc
        .groups
        .into_par_iter()
        .map(|(fy, g)| GroupLine {
            publisher: publisher.to_string(),
            fy,
            rows: g.rows,
            rejected: g.rejected,
            total_pence: g.total,
            suppliers: g.suppliers.len() as u64,
            top10_share: top10_share(g.suppliers.iter().map(|(k, &t)| (&k[..], t))),
        })
        .collect();
    lines.sort_by_key(GroupLine::fy_label);
    lines
}

/// The publisher of a file: its stem (`leeds.csv` → `leeds`).
pub fn publisher_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every `*.csv` file directly inside `dir`, sorted by name.
pub fn csv_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "csv") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// B1 over a set of files: all groups, sorted by publisher then financial
/// year as text (so `unknown` comes after the years), as BENCHMARKS.md asks.
///
/// Files are memory-mapped one at a time and unmapped when done, which keeps
/// resident memory near the size of the largest file.
pub fn run_b1(files: &[PathBuf]) -> Result<Vec<GroupLine>> {
    let mut lines = Vec::new();
    for path in files {
        let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let len = file.metadata()?.len();
        let publisher = publisher_of(path);
        let groups = if len == 0 {
            aggregate_file(&publisher, &[])
        } else {
            // SAFETY: the mapping is read-only and lives only inside this call.
            // B1 inputs are static files; if another process truncated one while
            // we read it the process could fault, which is acceptable for a
            // benchmark runner (and is what every mmap-based tool accepts).
            let map = unsafe { memmap2::Mmap::map(&file) }
                .with_context(|| format!("mapping {}", path.display()))?;
            aggregate_file(&publisher, &map)
        };
        lines.extend(groups.with_context(|| format!("in {}", path.display()))?);
    }
    lines.sort_by(|a, b| {
        (a.publisher.as_str(), a.fy_label()).cmp(&(b.publisher.as_str(), b.fy_label()))
    });
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top10_share_counts_only_positive_totals() {
        let keys: Vec<String> = (0..12).map(|i| format!("S{i:02}")).collect();
        // Twelve suppliers of 10 each, one of -50, one of 0: ten of twelve.
        let mut totals: Vec<(&[u8], i128)> = keys.iter().map(|k| (k.as_bytes(), 10)).collect();
        totals.push((b"CREDIT", -50));
        totals.push((b"ZERO", 0));
        assert!((top10_share(totals) - 100.0 / 120.0).abs() < 1e-15);
        assert_eq!(top10_share([(&b"A"[..], -1)]), 0.0);
        assert_eq!(top10_share(Vec::<(&[u8], i128)>::new()), 0.0);
        assert_eq!(top10_share([(&b""[..], 5), (&b"B"[..], 5)]), 1.0);
    }

    #[test]
    fn chunks_cover_everything_on_line_ends() {
        let body = b"a\nbb\nccc\ndddd\ne";
        for n in 1..8 {
            let chunks = line_chunks(body, n);
            assert_eq!(chunks.concat(), body);
            for c in &chunks[..chunks.len() - 1] {
                assert_eq!(c.last(), Some(&b'\n'));
            }
        }
    }

    #[test]
    fn groups_rows_rejected_and_totals() {
        let csv = "source_file,payment_date,amount,organisational_unit,beneficiary_name\n\
                   f,2021-04-01,\"1,000.005\",x,The Acme Ltd\n\
                   f,2022-03-31,-0.005,x,ACME\n\
                   f,2022-03-31,(5),x,ACME\n\
                   f,2021-02-30,5,x,\n\
                   f,July 2010-September 2010,N/A,x,Other\n";
        let lines = aggregate_file("pub", csv.as_bytes()).unwrap();
        let got: Vec<String> = lines.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "pub,2021,3,1,100000,1,1.000000000000",
                "pub,unknown,2,1,500,1,1.000000000000",
            ]
        );
    }

    #[test]
    fn quoted_newline_falls_back_to_one_piece() {
        // Each name is quoted and spans a line end, with a long run before the
        // embedded newline so that chunk cuts land inside quotes; a cut there
        // would start a chunk at `,2021-05-01,999,X"`. Whatever the number of
        // chunks, the answer must be that of the sequential read.
        let cols = Columns {
            date: 0,
            amount: 1,
            name: 2,
        };
        let pad = "x".repeat(200);
        let mut body = String::new();
        for i in 0..500 {
            body.push_str(&format!("2021-05-01,1,\"S{i} {pad}\n,2021-05-01,999,X\"\n"));
        }
        for n in [1, 2, 3, 7, 50] {
            let lines = aggregate_body("p", body.as_bytes(), cols, n);
            assert_eq!(lines.len(), 1, "n = {n}");
            assert_eq!(lines[0].rows, 500, "n = {n}");
            assert_eq!(lines[0].total_pence, 50_000, "n = {n}");
            assert_eq!(lines[0].suppliers, 500, "n = {n}");
        }
    }
}
