//! What happened to every row: per-file reconciliation and the issues report.

use std::collections::BTreeMap;

use anchornet_core::{PaymentDate, Pence};
use serde::Serialize;

/// What an issue row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The row was not data (blank, header, totals, duplicate…).
    Skipped,
    /// The row was data that could not be used.
    Rejected,
    /// The row was kept, but a value in it could not be used.
    Warning,
    /// The whole file could not be read.
    FileError,
}

/// One line of the issues report.
#[derive(Debug, Clone, Serialize)]
pub struct Issue {
    /// Source file.
    pub file: String,
    /// Physical line (0 for file-level problems).
    pub line: u64,
    /// Column header (or `column N`).
    pub column: String,
    /// The offending value.
    pub value: String,
    /// What is wrong.
    pub problem: String,
    /// What was done.
    pub outcome: Outcome,
}

/// Reconciliation of one file (or one sheet of a workbook).
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileReport {
    /// Source name (with `!sheet` for workbooks with several sheets).
    pub file: String,
    /// How it was read, e.g. `csv, utf-8, ','-separated, LF`.
    pub format: String,
    /// `payments` or `suppliers`.
    pub kind: String,
    /// Header line and the key roles found.
    pub layout: String,
    /// Anchor used for rows that do not name one.
    pub anchor: String,
    /// Data rows read (every row after the header row; title rows above it are not counted).
    pub rows_read: u64,
    /// Rows accepted.
    pub accepted: u64,
    /// Rows skipped, by reason (duplicates included).
    pub skipped: u64,
    /// Rows rejected.
    pub rejected: u64,
    /// Of the skipped rows, how many were duplicates of rows in earlier files.
    pub duplicates: u64,
    /// Skips and rejections by reason.
    pub reasons: BTreeMap<String, u64>,
    /// Sum of accepted amounts.
    pub total: Pence,
    /// Earliest payment date accepted.
    pub first_date: Option<PaymentDate>,
    /// Latest payment date accepted.
    pub last_date: Option<PaymentDate>,
    /// Rows accepted whose supplier was withheld (redacted).
    pub redacted: u64,
    /// Set when the file could not be read or understood; then no row was accepted.
    pub error: Option<String>,
    /// The file was refused for going over one of the [`Limits`](crate::Limits) (then
    /// `error` names the limit and how to raise it); an upload with such a file is not kept.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub over_limit: bool,
    /// When the layout was not recognised: the explain table of what detection found
    /// (each column's role, confidence, evidence and samples), to write a mapping from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<String>,
}

impl FileReport {
    /// rows read = accepted + skipped + rejected.
    pub fn reconciles(&self) -> bool {
        self.rows_read == self.accepted + self.skipped + self.rejected
    }
}
