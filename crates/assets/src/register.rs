//! Reading asset registers: any file the ingest openers read (CSV/TSV in UTF-8 or
//! Windows-1252, XLSX, ODS; `.gz`, `.xz`, `.zip`), within [`Limits`], the header row found
//! under any title rows, each column given its [`Field`] by meaning. Every data row becomes
//! an [`Asset`] (blank rows are counted as skipped): nothing is dropped.

use std::path::Path;

use anchornet_ingest::format::{self, Row, Table};
use anchornet_ingest::{input, Limits};

use crate::fields::{self, Columns, Field};

/// One row of a register, with where it came from and its cells.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Which sheet of the run ([`Register::sheets`] index).
    pub sheet: usize,
    /// Physical line (or spreadsheet row).
    pub line: u64,
    /// The cells, one per header column (short rows padded with empty cells).
    pub cells: Vec<String>,
}

/// One table read from a register file (a CSV, or one sheet of a workbook).
#[derive(Debug, Clone)]
pub struct Sheet {
    /// File name as reported (with `!sheet` for workbooks with several sheets).
    pub file: String,
    /// How it was read (`csv, windows-1252, ','`…).
    pub format: String,
    /// The header line.
    pub header_line: u64,
    /// The header cells, trimmed.
    pub header: Vec<String>,
    /// Which column holds each field.
    pub columns: Columns,
    /// Blank rows after the header (not assets).
    pub blank_rows: u64,
}

impl Sheet {
    /// The cell of `asset` holding `f`, trimmed (`""` when the register has no such column).
    pub fn value<'a>(&self, asset: &'a Asset, f: Field) -> &'a str {
        self.columns
            .get(f)
            .and_then(|i| asset.cells.get(i))
            .map_or("", |s| s.trim())
    }

    /// Every cell of `asset` holding `f` (address lines, several use columns), non-empty.
    pub fn values<'a>(&self, asset: &'a Asset, f: Field) -> Vec<&'a str> {
        self.columns
            .all(f)
            .into_iter()
            .filter_map(|i| asset.cells.get(i).map(|s| s.trim()))
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// A file that could not be read, or a table without an asset header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub problem: String,
}

/// Every register read in a run.
#[derive(Debug, Clone, Default)]
pub struct Register {
    /// The tables read.
    pub sheets: Vec<Sheet>,
    /// Their rows, in file order.
    pub assets: Vec<Asset>,
    /// Files or tables that gave no assets, with why.
    pub problems: Vec<FileProblem>,
}

/// Find the header: the row among the first 40 that names the most asset fields (at least two).
fn find_header(rows: &[Row]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, r) in rows.iter().enumerate().take(40) {
        if r.is_blank() {
            continue;
        }
        let m = fields::header_matches(&r.cells);
        if m >= 2 && best.is_none_or(|(_, bm)| m > bm) {
            best = Some((i, m));
        }
    }
    best.map(|b| b.0)
}

impl Register {
    /// Read each path (files, directories, patterns as `anchornet ingest` takes them).
    pub fn read(paths: &[String], limits: &Limits) -> Register {
        let mut reg = Register::default();
        let files = match input::expand(paths) {
            Ok(f) => f,
            Err(e) => {
                reg.problems.push(FileProblem {
                    file: e.name.clone(),
                    problem: e.message.clone(),
                });
                return reg;
            }
        };
        for f in files {
            reg.read_file(&f, limits);
        }
        reg
    }

    /// Read one file into the register.
    pub fn read_file(&mut self, path: &Path, limits: &Limits) {
        let name = path.to_string_lossy().to_string();
        let sources = match input::open_with(path, limits) {
            Ok(s) => s,
            Err(e) => {
                self.problems.push(FileProblem {
                    file: name,
                    problem: e.message,
                });
                return;
            }
        };
        for src in sources {
            match format::read(&src) {
                Ok((_, tables)) => {
                    let several = tables.len() > 1;
                    for t in tables {
                        let file = match (&t.sheet, several) {
                            (Some(s), true) => format!("{}!{s}", src.name),
                            _ => src.name.clone(),
                        };
                        self.add_table(file, t);
                    }
                }
                Err(e) => self.problems.push(FileProblem {
                    file: src.name.clone(),
                    problem: e.to_string(),
                }),
            }
        }
    }

    /// Add a decoded table: find its header and keep every row after it.
    pub fn add_table(&mut self, file: String, t: Table) {
        let Some(h) = find_header(&t.rows) else {
            if t.rows.iter().any(|r| !r.is_blank()) {
                self.problems.push(FileProblem {
                    file,
                    problem: "no header row naming at least two asset register fields \
                              (UPRN, asset id, name, address, postcode, coordinates, tenure…) \
                              in the first 40 rows"
                        .into(),
                });
            }
            return;
        };
        let header: Vec<String> = t.rows[h]
            .cells
            .iter()
            .map(|c| c.trim().to_string())
            .collect();
        let columns = fields::assign(&header);
        let sheet = self.sheets.len();
        let mut blank = 0;
        for r in &t.rows[h + 1..] {
            if r.is_blank() {
                blank += 1;
                continue;
            }
            let mut cells = r.cells.clone();
            cells.resize(header.len().max(cells.len()), String::new());
            self.assets.push(Asset {
                sheet,
                line: r.line,
                cells,
            });
        }
        self.sheets.push(Sheet {
            file,
            format: t.description,
            header_line: t.rows[h].line,
            header,
            columns,
            blank_rows: blank,
        });
    }
}
