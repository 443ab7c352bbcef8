//! Companies House's national file, indexed once into the cache.
//!
//! Reading BasicCompanyData (5.5 million companies, 2.5 GB of CSV) means parsing every
//! company's names to find the few thousand a network paid. The first run does that once
//! and keeps, in the cache directory ([`anchornet_core::cache::default_cache_dir`]):
//!
//! * `rows.csv`: every company, with only the columns the register uses (name, number,
//!   postcode, category, status, accounts category, SIC codes, previous names) and where it
//!   came from (`_member`, `_line`), in the published header's spelling, so that the same
//!   reader ([`super::companies_house`]) reads it;
//! * `keys.bin`: for each name a company was registered under (current and previous) run
//!   together as the name filter runs it ([`NameFilter::keep_national`]), and for each
//!   company number, a 64-bit hash and the row's byte offset, sorted by hash;
//! * `issues.csv`: the rows that could not be read, reported on every run, not only the first.
//!
//! Later runs read `keys.bin`, look up each payee's names and numbers, and read only those
//! rows; every row found is checked by the name filter itself, so a hash collision cannot
//! add a company. The index is rebuilt when the source file changes (path, size or
//! modification time), built in a directory of its own and renamed into place when
//! complete, so an interrupted build leaves nothing half-made.

use std::fs::File;
use std::hash::Hasher;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHasher;

use super::companies_house::{bulk_cols, bulk_row, each_bulk_batch, field, trimmed_headers};
use super::open::each_stream;
use super::{NameFilter, RegisterError, RegisterIssue, RegisterRecord, Registers};
use crate::ids;
use crate::parse::parse;

/// Source files at least this large (compressed, as on disk) are indexed into the cache; a
/// county's extract is read whole in a second or two, the national file's 470 MB zip is not.
pub const INDEX_FROM_BYTES: u64 = 64 << 20;

/// The index format; a new version builds a new index beside the old.
const VERSION: u32 = 1;

/// The columns kept, in the published header's spelling.
fn kept_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "CompanyName",
        "CompanyNumber",
        "RegAddress.PostCode",
        "CompanyCategory",
        "CompanyStatus",
        "Accounts.AccountCategory",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    h.extend((1..=4).map(|k| format!("SICCode.SicText_{k}")));
    h.extend((1..=10).map(|k| format!("PreviousName_{k}.CompanyName")));
    h.push("_member".into());
    h.push("_line".into());
    h
}

fn hash(kind: u8, key: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write_u8(kind);
    h.write(key.as_bytes());
    h.finish()
}

/// The keys a company is found by: its names run together, and its number.
fn name_key(squashed: &str) -> u64 {
    hash(b's', squashed)
}

fn number_key(number: &str) -> u64 {
    hash(b'n', number)
}

/// The index's directory for `source`: named by the source's path, size and modification
/// time.
pub fn index_dir(source: &Path, cache_dir: &Path) -> std::io::Result<PathBuf> {
    let meta = std::fs::metadata(source)?;
    let path = std::fs::canonicalize(source)?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut h = FxHasher::default();
    h.write(path.to_string_lossy().as_bytes());
    h.write_u64(meta.len());
    h.write_u128(mtime);
    Ok(cache_dir.join(format!("ch-index-v{VERSION}-{:016x}", h.finish())))
}

/// What a build did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Built {
    /// Companies indexed.
    pub rows: u64,
    /// Keys (names and numbers).
    pub keys: u64,
}

/// Build the index of `source` into `dir` (a new directory, renamed into place at the end).
pub fn build(source: &Path, dir: &Path) -> Result<Built, RegisterError> {
    let err = |message: String| RegisterError::Open {
        path: source.to_string_lossy().to_string(),
        message,
    };
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| err(format!("cache {}: {e}", parent.display())))?;
    let tmp = parent.join(format!(
        "{}.part-{}",
        dir.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| err(format!("cache {}: {e}", tmp.display())))?;
    let result = write_index(source, &tmp);
    let built = match result {
        Ok(b) => b,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(err(e.to_string()));
        }
    };
    if std::fs::rename(&tmp, dir).is_err() {
        // Another process finished the same index first: keep theirs.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(built)
}

fn write_index(source: &Path, dir: &Path) -> std::io::Result<Built> {
    let header = kept_header();
    let mut rows = BufWriter::with_capacity(1 << 20, File::create(dir.join("rows.csv"))?);
    let mut offset = 0u64;
    let mut line_buf = Vec::with_capacity(512);
    write_csv_line(&mut line_buf, header.iter().map(|s| s.as_bytes()));
    rows.write_all(&line_buf)?;
    offset += line_buf.len() as u64;
    let mut keys: Vec<(u64, u64)> = Vec::new();
    let mut issues: Vec<RegisterIssue> = Vec::new();
    let mut count = 0u64;
    each_stream(source, |member, r| {
        each_bulk_batch(member, r, &mut issues, |cols, batch| {
            // The costly part, names parsed into keys, in parallel; the rows are written in
            // order.
            let found: Vec<Vec<u64>> = batch
                .par_iter()
                .map(|(_, rec)| {
                    let mut k = Vec::with_capacity(2);
                    let names = std::iter::once(cols.name)
                        .chain(cols.previous.iter().copied())
                        .filter_map(|i| field(rec, Some(i)));
                    for n in names {
                        let p = parse(&n);
                        for form in std::iter::once(&p.main).chain(p.alias.as_ref()) {
                            if !form.toks.is_empty() {
                                k.push(name_key(&form.squashed()));
                            }
                        }
                    }
                    if let Some(num) =
                        field(rec, Some(cols.number)).and_then(|n| ids::company_number(&n))
                    {
                        k.push(number_key(&num));
                    }
                    k.sort_unstable();
                    k.dedup();
                    k
                })
                .collect();
            for ((line, rec), ks) in batch.iter().zip(found) {
                let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or(b"");
                let line_no = line.to_string();
                let fields = [
                    Some(cols.name),
                    Some(cols.number),
                    cols.postcode,
                    cols.category,
                    cols.status,
                    cols.accounts,
                ]
                .into_iter()
                .map(get)
                .chain((0..4).map(|k| get(cols.sic.get(k).copied())))
                .chain((0..10).map(|k| get(cols.previous.get(k).copied())))
                .chain([member.as_bytes(), line_no.as_bytes()]);
                line_buf.clear();
                write_csv_line(&mut line_buf, fields);
                rows.write_all(&line_buf)?;
                keys.extend(ks.into_iter().map(|k| (k, offset)));
                offset += line_buf.len() as u64;
                count += 1;
            }
            Ok(())
        })
    })?;
    rows.flush()?;
    keys.par_sort_unstable();
    let mut out = BufWriter::with_capacity(1 << 20, File::create(dir.join("keys.bin"))?);
    for (k, o) in &keys {
        out.write_all(&k.to_le_bytes())?;
        out.write_all(&o.to_le_bytes())?;
    }
    out.flush()?;
    let mut w = csv::Writer::from_path(dir.join("issues.csv"))?;
    w.write_record(["file", "line", "problem"])?;
    for i in &issues {
        w.write_record([i.file.as_str(), &i.line.to_string(), i.problem.as_str()])?;
    }
    w.flush()?;
    std::fs::write(dir.join("rows.count"), count.to_string())?;
    Ok(Built {
        rows: count,
        keys: keys.len() as u64,
    })
}

/// One CSV line, every field quoted (quotes doubled).
fn write_csv_line<'a>(out: &mut Vec<u8>, fields: impl Iterator<Item = &'a [u8]>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        for &b in f {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    }
    out.push(b'\n');
}

/// Load the companies of `source` that `filter` keeps, through the index in `cache_dir`
/// (built first if there is none for this version of the file). The same records, in the
/// same order, as reading the file itself with the filter.
pub fn load_indexed(
    source: &Path,
    regs: &mut Registers,
    filter: &NameFilter,
    cache_dir: &Path,
) -> Result<(), RegisterError> {
    let pname = source.to_string_lossy().to_string();
    let err = |message: String| RegisterError::Open {
        path: pname.clone(),
        message,
    };
    let dir = index_dir(source, cache_dir).map_err(|e| err(e.to_string()))?;
    if !dir.join("rows.count").exists() {
        build(source, &dir)?;
    }
    let io = |e: std::io::Error| err(format!("index {}: {e}", dir.display()));
    let total: u64 = std::fs::read_to_string(dir.join("rows.count"))
        .map_err(io)?
        .trim()
        .parse()
        .map_err(|_| err(format!("index {}: unreadable row count", dir.display())))?;
    let mut offsets = lookup(&dir, filter).map_err(io)?;
    offsets.sort_unstable();
    offsets.dedup();
    // Every company not looked up was left out by the filter: count them as reading the file
    // would (those looked up and refused, the filter counts itself).
    filter.dropped.fetch_add(
        usize::try_from(total.saturating_sub(offsets.len() as u64)).unwrap_or(usize::MAX),
        std::sync::atomic::Ordering::Relaxed,
    );
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(BufReader::with_capacity(
            1 << 16,
            File::open(dir.join("rows.csv")).map_err(io)?,
        ));
    let headers = trimmed_headers(&mut rdr).map_err(io)?;
    let cols =
        bulk_cols(&headers).ok_or_else(|| err(format!("index {}: bad header", dir.display())))?;
    let member_col = headers.iter().position(|h| h == "_member");
    let line_col = headers.iter().position(|h| h == "_line");
    let mut out: Vec<RegisterRecord> = Vec::new();
    let mut rec = csv::ByteRecord::new();
    for off in offsets {
        let mut pos = csv::Position::new();
        pos.set_byte(off);
        rdr.seek(pos).map_err(|e| err(e.to_string()))?;
        if !rdr
            .read_byte_record(&mut rec)
            .map_err(|e| err(e.to_string()))?
        {
            return Err(err(format!(
                "index {}: offset {off} past the end",
                dir.display()
            )));
        }
        let member = field(&rec, member_col).unwrap_or_else(|| pname.clone());
        let line = field(&rec, line_col)
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        if let Some(r) = bulk_row(&member, line, &rec, &cols, Some(filter)) {
            out.push(r);
        }
    }
    let mut issues = Vec::new();
    let mut ir = csv::Reader::from_path(dir.join("issues.csv")).map_err(|e| err(e.to_string()))?;
    for r in ir.records() {
        let r = r.map_err(|e| err(e.to_string()))?;
        issues.push(RegisterIssue {
            file: r[0].to_string(),
            line: r[1].parse().unwrap_or(0),
            problem: r[2].to_string(),
        });
    }
    regs.records.extend(out);
    regs.issues.extend(issues);
    Ok(())
}

/// The byte offsets of the rows any of the filter's names or company numbers may find.
fn lookup(dir: &Path, filter: &NameFilter) -> std::io::Result<Vec<u64>> {
    let mut bytes = Vec::new();
    File::open(dir.join("keys.bin"))?.read_to_end(&mut bytes)?;
    let keys: Vec<(u64, u64)> = bytes
        .chunks_exact(16)
        .map(|c| {
            (
                u64::from_le_bytes(c[..8].try_into().expect("8 bytes")),
                u64::from_le_bytes(c[8..].try_into().expect("8 bytes")),
            )
        })
        .collect();
    drop(bytes);
    let wanted = filter
        .squashed
        .iter()
        .map(|s| name_key(s))
        .chain(filter.company.iter().map(|c| number_key(c)));
    let mut out = Vec::new();
    for k in wanted {
        let start = keys.partition_point(|&(h, _)| h < k);
        out.extend(
            keys[start..]
                .iter()
                .take_while(|&&(h, _)| h == k)
                .map(|&(_, o)| o),
        );
    }
    Ok(out)
}
