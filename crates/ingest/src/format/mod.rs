//! One reader per input format, each behind [`Format`]: it says whether it recognises a
//! source, and reads it into a [`Table`] of rows with their physical line numbers.
//! Adding a format never touches the others.

use crate::input::Source;

pub mod delimited;
pub mod ods;
pub mod sheet;
pub mod xls_check;
pub mod xlsx;

/// A row of cells, with the 1-based physical line (or spreadsheet row) it started on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line number in the decoded text, or row number in a sheet.
    pub line: u64,
    /// Cell text, trimmed of nothing (callers trim).
    pub cells: Vec<String>,
}

impl Row {
    /// Cell `i`, or `""` when the row is short.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map(String::as_str).unwrap_or("")
    }

    /// True when every cell is empty or white space.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// A decoded table: what every format reader produces.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Human description of how the file was read, e.g. `csv, utf-8 (BOM), ','`.
    pub description: String,
    /// All rows, in order.
    pub rows: Vec<Row>,
    /// For spreadsheets: the sheet name.
    pub sheet: Option<String>,
}

/// Why a source could not be read as a table.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ReadError {
    /// Over one of the [`Limits`](crate::limits::Limits): the whole input is refused.
    #[error(transparent)]
    Limit(#[from] crate::limits::LimitError),
    /// Anything else (not a workbook, broken XML…).
    #[error("{0}")]
    Other(String),
}

impl From<String> for ReadError {
    fn from(s: String) -> Self {
        ReadError::Other(s)
    }
}

impl From<&str> for ReadError {
    fn from(s: &str) -> Self {
        ReadError::Other(s.to_string())
    }
}

impl ReadError {
    /// The same error with `prefix: ` before what it says (e.g. the format's name).
    pub fn context(self, prefix: &str) -> ReadError {
        match self {
            ReadError::Limit(mut l) => {
                l.what = format!("{prefix}: {}", l.what);
                ReadError::Limit(l)
            }
            ReadError::Other(s) => ReadError::Other(format!("{prefix}: {s}")),
        }
    }
}

/// A file format reader.
pub trait Format {
    /// Short name, e.g. `csv`.
    fn name(&self) -> &'static str;
    /// Whether this reader recognises the source (by content first, then by name).
    fn detect(&self, source: &Source) -> bool;
    /// Read the source into tables (a workbook may give one per sheet).
    fn read(&self, source: &Source) -> Result<Vec<Table>, ReadError>;
}

/// The readers, most specific first; the delimited-text reader is the fallback.
pub fn readers() -> Vec<Box<dyn Format + Send + Sync>> {
    vec![
        Box::new(xlsx::Xlsx),
        Box::new(ods::Ods),
        Box::new(delimited::Delimited),
    ]
}

/// Read a source with the first reader that recognises it.
pub fn read(source: &Source) -> Result<(&'static str, Vec<Table>), ReadError> {
    for r in readers() {
        if r.detect(source) {
            return r.read(source).map(|t| (r.name(), t));
        }
    }
    Err(ReadError::Other("unrecognised file format".into()))
}
