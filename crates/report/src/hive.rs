//! Hive-partitioned Parquet: one table split into directories by the values of some of its
//! columns, the layout DuckDB (`read_parquet('DIR/**/*.parquet', hive_partitioning = true)`),
//! Spark, Trino and pyarrow read as one table with the partition columns restored from the
//! paths.
//!
//! ```text
//! DIR/anchor=Salford City Council/financial_year=2021%2F22/part-00000.parquet
//! DIR/anchor=Salford City Council/financial_year=2022%2F23/part-00000.parquet
//! DIR/_SUCCESS
//! ```
//!
//! Each file is written by the one Parquet writer of this crate ([`ParquetTable`]), with the
//! partition columns left out: they are in the path, as Hive and Spark write them, so a reader
//! never sees a column twice. Path values are escaped as Hive and Spark escape them
//! ([`escape`]); an absent or empty value is the partition `__HIVE_DEFAULT_PARTITION__`, which
//! readers turn back into null.
//!
//! The whole tree is written under `DIR.partial` and renamed to `DIR` when every file is
//! complete, so a failed or interrupted run leaves no half-written tree. At most
//! [`MAX_OPEN`] partitions have a file open at once (each holds a row group's columns in
//! memory); when another is needed, the least recently used is finished, and a later row of
//! that partition starts its next part (`part-00001.parquet`), as Spark's writers do.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anchornet_core::Payment;

use crate::columnar::{Cell, ColumnSpec, ParquetTable, ROW_GROUP_ROWS};
use crate::write::{payment_cells, PAYMENT_PARQUET};

/// The directory name of an absent or empty partition value (Hive's, read as null by DuckDB,
/// Spark and pyarrow).
pub const DEFAULT_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// Partitions with a file open at once, by default.
pub const MAX_OPEN: usize = 16;

/// The partition columns of partitioned payments, in path order.
pub const PAYMENT_PARTITIONS: [&str; 2] = ["anchor", "financial_year"];

/// The marker file written last into a complete tree (Hadoop's and Spark's convention;
/// readers of `**/*.parquet` ignore it).
pub const SUCCESS: &str = "_SUCCESS";

/// A partition value as a path segment, escaped as Hive and Spark escape it
/// (`FileUtils.escapePathName` in Hive, `ExternalCatalogUtils.escapePathName` in Spark):
/// control characters, `"`, `#`, `%`, `'`, `*`, `/`, `:`, `=`, `?`, `\`, DEL, `{`, `[`, `]`
/// and `^` become `%XX` (upper-case hex); everything else, spaces and non-ASCII letters
/// included, is kept. NUL, which no file system allows, is escaped too. An absent or empty
/// value is [`DEFAULT_PARTITION`].
pub fn escape(value: Option<&str>) -> String {
    let v = match value {
        Some(v) if !v.is_empty() => v,
        _ => return DEFAULT_PARTITION.to_string(),
    };
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        let esc = matches!(c, '\u{0}'..='\u{1F}' | '\u{7F}')
            || matches!(
                c,
                '"' | '#' | '%' | '\'' | '*' | '/' | ':' | '=' | '?' | '\\' | '{' | '[' | ']' | '^'
            );
        if esc {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The inverse of [`escape`] for one path segment: `%XX` back to its byte, and
/// [`DEFAULT_PARTITION`] to `None` (what hive-aware readers do).
pub fn unescape(segment: &str) -> Option<String> {
    if segment == DEFAULT_PARTITION {
        return None;
    }
    let b = segment.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |j: usize| {
            b.get(j..j + 2)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        };
        match (b[i], hex(i + 1)) {
            (b'%', Some(x)) => {
                out.push(x);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// One partition with a file open.
struct Open {
    table: ParquetTable<BufWriter<File>>,
    last_used: u64,
}

/// Writes rows of a fixed schema as a hive-partitioned tree of Parquet files.
pub struct HiveTable {
    dest: PathBuf,
    tmp: PathBuf,
    message: String,
    /// The columns written inside each file (the schema without the partition columns).
    file_specs: Vec<ColumnSpec>,
    /// Names of the partition columns, in path order, and their indices in a full row.
    partitions: Vec<(&'static str, usize)>,
    /// Indices in a full row of the columns written inside the files.
    kept: Vec<usize>,
    /// Open files by partition directory (`anchor=…/financial_year=…`).
    open: HashMap<String, Open>,
    /// The next part number of every partition seen.
    parts: HashMap<String, u32>,
    /// The last row's raw partition values and directory, so runs of one partition do not
    /// escape their values again.
    last: Option<(Vec<Option<String>>, String)>,
    max_open: usize,
    row_group_rows: usize,
    tick: u64,
    rows: u64,
    done: bool,
}

impl HiveTable {
    /// Start a tree at `dest` of a table named `message` with columns `specs`, partitioned by
    /// the text columns named in `partitions` (in path order). The tree is written under
    /// `dest.partial` (a stale one from an interrupted run is removed first).
    pub fn create(
        dest: &Path,
        message: &str,
        specs: &[ColumnSpec],
        partitions: &[&'static str],
    ) -> std::io::Result<HiveTable> {
        let mut parts = Vec::new();
        for &name in partitions {
            let i = specs.iter().position(|s| s.name == name).ok_or_else(|| {
                std::io::Error::other(format!("partition column {name} is not in the table"))
            })?;
            if specs[i].ty != crate::columnar::ColType::Str {
                return Err(std::io::Error::other(format!(
                    "partition column {name} is not a text column"
                )));
            }
            parts.push((name, i));
        }
        let kept: Vec<usize> = (0..specs.len())
            .filter(|i| !parts.iter().any(|&(_, j)| j == *i))
            .collect();
        let mut tmp = dest.as_os_str().to_owned();
        tmp.push(".partial");
        let tmp = PathBuf::from(tmp);
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        std::fs::create_dir_all(&tmp)?;
        Ok(HiveTable {
            dest: dest.to_path_buf(),
            tmp,
            message: message.to_string(),
            file_specs: kept.iter().map(|&i| specs[i]).collect(),
            partitions: parts,
            kept,
            open: HashMap::new(),
            parts: HashMap::new(),
            last: None,
            max_open: MAX_OPEN,
            row_group_rows: ROW_GROUP_ROWS,
            tick: 0,
            rows: 0,
            done: false,
        })
    }

    /// A tree of payments ([`PAYMENT_PARQUET`]) partitioned by anchor and financial year.
    pub fn payments(dest: &Path) -> std::io::Result<HiveTable> {
        HiveTable::create(dest, "payment", &PAYMENT_PARQUET, &PAYMENT_PARTITIONS)
    }

    /// Keep at most `n` (at least 1) files open at once instead of [`MAX_OPEN`].
    pub fn with_max_open(mut self, n: usize) -> Self {
        self.max_open = n.max(1);
        self
    }

    /// Use row groups of `n` rows instead of [`ROW_GROUP_ROWS`].
    pub fn with_row_group_rows(mut self, n: usize) -> Self {
        self.row_group_rows = n.max(1);
        self
    }

    /// Append a payment (with [`HiveTable::payments`]).
    pub fn payment(&mut self, p: &Payment) -> std::io::Result<()> {
        let fy = p.financial_year.to_string();
        self.push(&payment_cells(p, &fy))
    }

    /// Append one full row (partition columns included, in the table's column order).
    pub fn push(&mut self, cells: &[Cell<'_>]) -> std::io::Result<()> {
        if cells.len() != self.kept.len() + self.partitions.len() {
            return Err(std::io::Error::other(format!(
                "row has {} cells, table has {} columns",
                cells.len(),
                self.kept.len() + self.partitions.len()
            )));
        }
        let mut values: Vec<Option<&str>> = Vec::with_capacity(self.partitions.len());
        for &(name, i) in &self.partitions {
            match cells[i] {
                Cell::Str(v) => values.push(v),
                other => {
                    return Err(std::io::Error::other(format!(
                        "partition column {name}: {other:?} is not text"
                    )))
                }
            }
        }
        let dir = match &self.last {
            Some((raw, dir))
                if raw.len() == values.len()
                    && raw.iter().zip(&values).all(|(a, b)| a.as_deref() == *b) =>
            {
                dir.clone()
            }
            _ => {
                let dir = self
                    .partitions
                    .iter()
                    .zip(&values)
                    .map(|(&(name, _), v)| format!("{name}={}", escape(*v)))
                    .collect::<Vec<_>>()
                    .join("/");
                self.last = Some((
                    values.iter().map(|v| v.map(str::to_string)).collect(),
                    dir.clone(),
                ));
                dir
            }
        };
        self.tick += 1;
        if !self.open.contains_key(&dir) {
            self.open_partition(&dir)?;
        }
        let tick = self.tick;
        let o = self.open.get_mut(&dir).expect("opened above");
        o.last_used = tick;
        let row: Vec<Cell<'_>> = self.kept.iter().map(|&i| cells[i]).collect();
        o.table.push(&row)?;
        self.rows += 1;
        Ok(())
    }

    /// Open the next part of `dir`, first finishing the least recently used file if
    /// [`HiveTable::with_max_open`] files are open.
    fn open_partition(&mut self, dir: &str) -> std::io::Result<()> {
        if self.open.len() >= self.max_open {
            let lru = self
                .open
                .iter()
                .min_by_key(|(_, o)| o.last_used)
                .map(|(d, _)| d.clone())
                .expect("max_open is at least 1");
            let o = self.open.remove(&lru).expect("present");
            close(o.table)?;
        }
        let part = self.parts.entry(dir.to_string()).or_insert(0);
        let folder = self.tmp.join(dir);
        std::fs::create_dir_all(&folder)?;
        let f = File::create(folder.join(format!("part-{part:05}.parquet")))?;
        *part += 1;
        let table = ParquetTable::new(
            BufWriter::with_capacity(1 << 20, f),
            &self.message,
            &self.file_specs,
        )?
        .with_row_group_rows(self.row_group_rows);
        self.open.insert(
            dir.to_string(),
            Open {
                table,
                last_used: self.tick,
            },
        );
        Ok(())
    }

    /// Finish every file, write [`SUCCESS`] and move the tree into place; returns the number of
    /// rows written. An existing tree at the destination is replaced only if it is one this
    /// writer made (it holds [`SUCCESS`]) or an empty directory; anything else there is an
    /// error and is left alone.
    pub fn finish(mut self) -> std::io::Result<u64> {
        for (_, o) in std::mem::take(&mut self.open) {
            close(o.table)?;
        }
        File::create(self.tmp.join(SUCCESS))?.sync_all()?;
        if self.dest.exists() {
            let ours = self.dest.join(SUCCESS).is_file()
                || std::fs::read_dir(&self.dest).is_ok_and(|mut d| d.next().is_none());
            if !ours {
                return Err(std::io::Error::other(format!(
                    "{} exists and is not a partitioned output (no {SUCCESS}); remove it or \
                     choose another --out",
                    self.dest.display()
                )));
            }
            let mut old = self.dest.as_os_str().to_owned();
            old.push(format!(".old-{}", std::process::id()));
            let old = PathBuf::from(old);
            std::fs::rename(&self.dest, &old)?;
            std::fs::rename(&self.tmp, &self.dest)?;
            std::fs::remove_dir_all(&old)?;
        } else {
            std::fs::rename(&self.tmp, &self.dest)?;
        }
        self.done = true;
        Ok(self.rows)
    }
}

/// Finish a file: footer written, buffer flushed, data on disk.
fn close(t: ParquetTable<BufWriter<File>>) -> std::io::Result<()> {
    let w = t.finish()?;
    w.into_inner().map_err(|e| e.into_error())?.sync_all()
}

impl Drop for HiveTable {
    /// Not finished (an error, a panic): the partial tree is removed.
    fn drop(&mut self) {
        if !self.done {
            self.open.clear();
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_hive_does() {
        assert_eq!(escape(Some("2021/22")), "2021%2F22");
        assert_eq!(escape(Some("Salford City Council")), "Salford City Council");
        assert_eq!(escape(Some("a=b%c")), "a%3Db%25c");
        assert_eq!(escape(Some("x\ty\u{7f}")), "x%09y%7F");
        assert_eq!(
            escape(Some("St Helens: \"#*?\\{[]^'")),
            "St Helens%3A %22%23%2A%3F%5C%7B%5B%5D%5E%27"
        );
        assert_eq!(escape(Some("Ynys Môn")), "Ynys Môn");
        assert_eq!(escape(Some("")), DEFAULT_PARTITION);
        assert_eq!(escape(None), DEFAULT_PARTITION);
        for v in ["2021/22", "a=b%c", "x\ty", "100% /=?", "Ynys Môn", "%2F"] {
            assert_eq!(unescape(&escape(Some(v))).as_deref(), Some(v));
        }
        assert_eq!(unescape(DEFAULT_PARTITION), None);
    }
}
