//! `anchornet jobs code`: add `soc2020,soc2020_title,confidence` to every row of a table of
//! job titles, keeping every column and every row (a row with no usable title gets empty
//! codes, never dropped).

use std::io::Write;
use std::path::Path;

use anchornet_core::cell::spreadsheet_text;
use anchornet_ingest::vocab::normalise;

use crate::coder::Coder;

/// What coding a file did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CodeSummary {
    /// Source name.
    pub file: String,
    /// Data rows read (after the header row).
    pub rows: u64,
    /// Rows given a code.
    pub coded: u64,
    /// Of those, by exact match with an ONS title.
    pub exact: u64,
    /// Rows whose title cell was empty.
    pub empty: u64,
}

/// Why a file could not be coded.
#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    /// The input could not be opened or read.
    #[error("{0}")]
    Read(String),
    /// No column has that name.
    #[error("{file}: no column {column:?} in the header row (columns: {found})")]
    NoColumn {
        /// File.
        file: String,
        /// Requested.
        column: String,
        /// What the header has.
        found: String,
    },
    /// Writing failed.
    #[error("writing: {0}")]
    Write(#[from] std::io::Error),
}

/// Code the `column` of the table in `path` (CSV, TSV, XLSX or ODS, compressed or not; the
/// first sheet) and write every row with the three columns added to `out`.
pub fn code_file(
    coder: &Coder,
    path: &Path,
    column: &str,
    out: impl Write,
) -> Result<CodeSummary, CodeError> {
    let sources =
        anchornet_ingest::input::open(path).map_err(|e| CodeError::Read(e.to_string()))?;
    let source = sources
        .into_iter()
        .next()
        .ok_or_else(|| CodeError::Read(format!("{}: empty input", path.display())))?;
    let (_, tables) = anchornet_ingest::format::read(&source)
        .map_err(|e| CodeError::Read(format!("{}: {e}", source.name)))?;
    let rows = tables
        .into_iter()
        .next()
        .map(|t| t.rows)
        .unwrap_or_default();
    let mut it = rows.into_iter().skip_while(|r| r.is_blank());
    let header = it
        .next()
        .ok_or_else(|| CodeError::Read(format!("{}: no header row", source.name)))?;
    let want = normalise(column);
    let col = header
        .cells
        .iter()
        .position(|c| normalise(c) == want)
        .ok_or_else(|| CodeError::NoColumn {
            file: source.name.clone(),
            column: column.to_string(),
            found: header.cells.join(", "),
        })?;
    let width = header.cells.len();
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
    let mut head: Vec<String> = header.cells.clone();
    head.extend(["soc2020", "soc2020_title", "confidence"].map(String::from));
    w.write_record(head.iter().map(|c| spreadsheet_text(c).into_owned()))
        .map_err(|e| CodeError::Write(e.into()))?;
    let mut summary = CodeSummary {
        file: source.name.clone(),
        ..Default::default()
    };
    for r in it {
        summary.rows += 1;
        let title = r.cell(col).trim();
        if title.is_empty() {
            summary.empty += 1;
        }
        let c = coder.code(title);
        let mut cells: Vec<String> = r.cells.clone();
        cells.resize(width.max(cells.len()), String::new());
        match c.code {
            Some(code) => {
                summary.coded += 1;
                if c.method == "exact" {
                    summary.exact += 1;
                }
                let t = coder
                    .soc()
                    .get(code)
                    .map(|g| g.title.clone())
                    .unwrap_or_default();
                cells.push(code.to_string());
                cells.push(t);
            }
            None => {
                cells.push(String::new());
                cells.push(String::new());
            }
        }
        cells.push(format!("{:.3}", c.confidence));
        w.write_record(cells.iter().map(|c| spreadsheet_text(c).into_owned()))
            .map_err(|e| CodeError::Write(e.into()))?;
    }
    w.flush()?;
    Ok(summary)
}
