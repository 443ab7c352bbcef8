//! Writers for accepted records and the issues report: CSV, JSON Lines, Parquet.
//! CSV is for spreadsheets: every field goes through
//! [`anchornet_core::cell::spreadsheet_text`], so a supplier name such as `=HYPERLINK(…)`
//! is written `'=HYPERLINK(…)` while amounts (`-12.50`) stay numbers. JSON Lines and
//! Parquet are for programs and keep every value exact.
//! Files are written to a temporary name beside the target and renamed when complete, so a
//! crash never leaves half an output.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anchornet_core::cell::spreadsheet_text;
use anchornet_core::Payment;

use crate::columnar::{Cell, ColType, ColumnSpec, ParquetTable};
use anchornet_ingest::{Issue, SupplierRecord};

/// Output format, chosen by the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    /// `.csv`
    Csv,
    /// `.jsonl` / `.ndjson`
    Jsonl,
    /// `.parquet` (payments only; see [`PaymentSink`])
    Parquet,
}

impl OutFormat {
    /// From a path's extension; `-` is CSV on stdout.
    pub fn from_path(p: &Path) -> Result<OutFormat, String> {
        let e = p
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match e.as_str() {
            "csv" | "" => Ok(OutFormat::Csv),
            "jsonl" | "ndjson" | "json" => Ok(OutFormat::Jsonl),
            "parquet" | "pq" => Ok(OutFormat::Parquet),
            other => Err(format!(
                "{}: unknown output format .{other} (use .csv, .jsonl or .parquet)",
                p.display()
            )),
        }
    }
}

/// The columns of a payments CSV, in order.
pub const PAYMENT_COLUMNS: [&str; 24] = [
    "anchor",
    "source_file",
    "line",
    "date",
    "financial_year",
    "amount",
    "gross",
    "vat",
    "supplier_name",
    "redacted",
    "supplier_id",
    "company_number",
    "charity_number",
    "vat_number",
    "supplier_postcode",
    "expense_type",
    "procurement_category",
    "expense_code",
    "service_area",
    "transaction_id",
    "capital_revenue",
    "description",
    "amount_pence",
    "proclass_code",
];

fn payment_row(p: &Payment) -> Vec<String> {
    let mut row = vec![
        p.anchor.clone(),
        p.source_file.clone(),
        p.line.to_string(),
        p.date.to_string(),
        p.financial_year.to_string(),
        p.amount.to_string(),
        p.gross.map(|g| g.to_string()).unwrap_or_default(),
        p.vat.map(|g| g.to_string()).unwrap_or_default(),
        p.supplier_name.clone(),
        p.redacted.to_string(),
    ];
    row.extend(p.text_fields().map(|v| v.clone().unwrap_or_default()));
    row.push(p.amount.0.to_string());
    row.push(p.proclass_code.map(|c| c.to_string()).unwrap_or_default());
    row
}

/// The columns of a payments Parquet file: typed (pence as `INT64`, dates as `DATE`), absent
/// values as nulls.
pub const PAYMENT_PARQUET: [ColumnSpec; 23] = {
    use ColType::*;
    [
        ColumnSpec::required("anchor", Str),
        ColumnSpec::required("source_file", Str),
        ColumnSpec::required("line", I64),
        ColumnSpec::required("date", Date),
        ColumnSpec::required("financial_year", Str),
        ColumnSpec::required("amount_pence", I64),
        ColumnSpec::optional("gross_pence", I64),
        ColumnSpec::optional("vat_pence", I64),
        ColumnSpec::required("supplier_name", Str),
        ColumnSpec::required("redacted", Bool),
        ColumnSpec::optional("supplier_id", Str),
        ColumnSpec::optional("company_number", Str),
        ColumnSpec::optional("charity_number", Str),
        ColumnSpec::optional("vat_number", Str),
        ColumnSpec::optional("supplier_postcode", Str),
        ColumnSpec::optional("expense_type", Str),
        ColumnSpec::optional("procurement_category", Str),
        ColumnSpec::optional("expense_code", Str),
        ColumnSpec::optional("service_area", Str),
        ColumnSpec::optional("transaction_id", Str),
        ColumnSpec::optional("capital_revenue", Str),
        ColumnSpec::optional("description", Str),
        ColumnSpec::optional("proclass_code", Str),
    ]
};

/// A payment as the cells of a [`PAYMENT_PARQUET`] row; `fy` is its financial year as text.
/// One conversion for the single file ([`PaymentSink`]) and the partitioned tree
/// ([`crate::hive::HiveTable::payment`]).
pub fn payment_cells<'a>(p: &'a Payment, fy: &'a str) -> Vec<Cell<'a>> {
    let mut cells = vec![
        Cell::Str(Some(&p.anchor)),
        Cell::Str(Some(&p.source_file)),
        Cell::I64(Some(p.line as i64)),
        Cell::Date(Some(p.date)),
        Cell::Str(Some(fy)),
        Cell::I64(Some(p.amount.0)),
        Cell::I64(p.gross.map(|g| g.0)),
        Cell::I64(p.vat.map(|g| g.0)),
        Cell::Str(Some(&p.supplier_name)),
        Cell::Bool(Some(p.redacted)),
    ];
    cells.extend(p.text_fields().map(|v| Cell::Str(v.as_deref())));
    cells.push(Cell::Str(p.proclass_code.as_ref().map(|c| c.as_str())));
    cells
}

/// Where accepted payments go: CSV / JSON Lines rows, or a Parquet table.
pub enum PaymentSink<W: Write + Send> {
    /// CSV or JSON Lines.
    Rows(Box<RecordWriter<W>>),
    /// Parquet.
    Parquet(Box<ParquetTable<W>>),
}

impl<W: Write + Send> PaymentSink<W> {
    /// A sink over `w` in `format`.
    pub fn new(w: W, format: OutFormat) -> std::io::Result<Self> {
        Self::with_row_group_rows(w, format, crate::columnar::ROW_GROUP_ROWS)
    }

    /// As [`PaymentSink::new`], with Parquet row groups of `n` rows.
    pub fn with_row_group_rows(w: W, format: OutFormat, n: usize) -> std::io::Result<Self> {
        Ok(match format {
            OutFormat::Parquet => PaymentSink::Parquet(Box::new(
                ParquetTable::new(w, "payment", &PAYMENT_PARQUET)?.with_row_group_rows(n),
            )),
            f => PaymentSink::Rows(Box::new(RecordWriter::new(w, f))),
        })
    }

    /// Write a payment.
    pub fn payment(&mut self, p: &Payment) -> std::io::Result<()> {
        match self {
            PaymentSink::Rows(r) => r.payment(p),
            PaymentSink::Parquet(t) => {
                let fy = p.financial_year.to_string();
                t.push(&payment_cells(p, &fy))
            }
        }
    }

    /// Flush and give back the inner writer.
    pub fn finish(self) -> std::io::Result<W> {
        match self {
            PaymentSink::Rows(r) => r.finish(),
            PaymentSink::Parquet(t) => t.finish(),
        }
    }
}

/// A file being written atomically: content goes to `NAME.partial`, renamed into place
/// by [`Pending::commit`]. Dropped without commit, the partial file is removed.
pub struct Pending {
    tmp: PathBuf,
    dest: PathBuf,
    done: bool,
}

/// Create `dest.partial` and return a buffered writer to it and its [`Pending`] handle.
pub fn atomic(dest: &Path) -> std::io::Result<(BufWriter<File>, Pending)> {
    let mut tmp = dest.as_os_str().to_owned();
    tmp.push(".partial");
    let tmp = PathBuf::from(tmp);
    let f = File::create(&tmp)?;
    Ok((
        BufWriter::with_capacity(1 << 20, f),
        Pending {
            tmp,
            dest: dest.to_path_buf(),
            done: false,
        },
    ))
}

impl Pending {
    /// Rename into place (call after the writer is flushed and dropped).
    pub fn commit(mut self) -> std::io::Result<()> {
        self.done = true;
        std::fs::rename(&self.tmp, &self.dest)
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The columns of an issues CSV: [`Issue`]'s fields in order.
const ISSUE_COLUMNS: [&str; 6] = ["file", "line", "column", "value", "problem", "outcome"];

/// An issue's outcome as serde writes it (`snake_case`).
fn outcome_label(o: anchornet_ingest::Outcome) -> &'static str {
    use anchornet_ingest::Outcome::*;
    match o {
        Skipped => "skipped",
        Rejected => "rejected",
        Warning => "warning",
        FileError => "file_error",
    }
}

/// Writes records to CSV or JSON Lines.
pub struct RecordWriter<W: Write> {
    format: OutFormat,
    csv: Option<csv::Writer<W>>,
    raw: Option<W>,
    header_done: bool,
}

impl<W: Write> RecordWriter<W> {
    /// A writer over `w`. Parquet is a table format, written by [`PaymentSink`]; asked for it
    /// here (suppliers and issues reports), this writes CSV.
    pub fn new(w: W, format: OutFormat) -> Self {
        match format {
            OutFormat::Csv | OutFormat::Parquet => RecordWriter {
                format: OutFormat::Csv,
                csv: Some(csv::Writer::from_writer(w)),
                raw: None,
                header_done: false,
            },
            OutFormat::Jsonl => RecordWriter {
                format,
                csv: None,
                raw: Some(w),
                header_done: false,
            },
        }
    }

    /// Write a payment.
    pub fn payment(&mut self, p: &Payment) -> std::io::Result<()> {
        match self.format {
            OutFormat::Csv => {
                let c = self.csv.as_mut().expect("csv");
                if !self.header_done {
                    c.write_record(PAYMENT_COLUMNS)?;
                    self.header_done = true;
                }
                let row = payment_row(p);
                let safe: Vec<_> = row.iter().map(|f| spreadsheet_text(f)).collect();
                c.write_record(safe.iter().map(|f| f.as_bytes()))?;
            }
            OutFormat::Jsonl | OutFormat::Parquet => self.json_line(p)?,
        }
        Ok(())
    }

    /// Write a supplier record.
    pub fn supplier(&mut self, s: &SupplierRecord) -> std::io::Result<()> {
        self.serialized(s)
    }

    /// Write an issue (issues files are CSV: file, line, column, value, problem, outcome).
    /// For CSV the fields are written directly, each through the formula-neutralising
    /// helper — the same bytes as the serde round trip of [`RecordWriter::serialized`]
    /// (tested), without building a CSV writer and reader per issue (a run can report
    /// hundreds of thousands).
    pub fn issue(&mut self, i: &Issue) -> std::io::Result<()> {
        match self.format {
            OutFormat::Csv => {
                let c = self.csv.as_mut().expect("csv");
                if !self.header_done {
                    c.write_record(ISSUE_COLUMNS)?;
                    self.header_done = true;
                }
                let line = i.line.to_string();
                let fields = [
                    i.file.as_str(),
                    &line,
                    &i.column,
                    &i.value,
                    &i.problem,
                    outcome_label(i.outcome),
                ];
                c.write_record(fields.map(spreadsheet_text).iter().map(|f| f.as_bytes()))?;
                Ok(())
            }
            OutFormat::Jsonl | OutFormat::Parquet => self.json_line(i),
        }
    }

    /// A serde record as a CSV row (header from field names) or a JSON line. For CSV the
    /// record is serialised into a scratch buffer and read back, so that every field —
    /// whatever the record's shape — goes through the one formula-neutralising helper.
    fn serialized<T: serde::Serialize>(&mut self, v: &T) -> std::io::Result<()> {
        match self.format {
            OutFormat::Csv => {
                let mut scratch = csv::WriterBuilder::new()
                    .has_headers(!self.header_done)
                    .from_writer(Vec::new());
                scratch.serialize(v).map_err(std::io::Error::other)?;
                let bytes = scratch
                    .into_inner()
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                self.header_done = true;
                let c = self.csv.as_mut().expect("csv");
                let mut rd = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(&bytes[..]);
                for rec in rd.records() {
                    let rec = rec.map_err(std::io::Error::other)?;
                    let safe: Vec<_> = rec.iter().map(spreadsheet_text).collect();
                    c.write_record(safe.iter().map(|f| f.as_bytes()))?;
                }
                Ok(())
            }
            OutFormat::Jsonl | OutFormat::Parquet => self.json_line(v),
        }
    }

    fn json_line<T: serde::Serialize>(&mut self, v: &T) -> std::io::Result<()> {
        let w = self.raw.as_mut().expect("raw");
        serde_json::to_writer(&mut *w, v)?;
        w.write_all(b"\n")
    }

    /// Flush and give back the inner writer.
    pub fn finish(self) -> std::io::Result<W> {
        match (self.csv, self.raw) {
            (Some(c), _) => c
                .into_inner()
                .map_err(|e| std::io::Error::other(e.to_string())),
            (_, Some(mut w)) => {
                w.flush()?;
                Ok(w)
            }
            _ => unreachable!("one writer is always set"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchornet_ingest::Outcome;

    /// Issues whose values need quoting or neutralising, one per outcome.
    fn awkward() -> Vec<Issue> {
        let values = [
            "plain",
            "=HYPERLINK(\"x\")",
            "-12.50",
            "a, \"quoted\"\nvalue\r",
            "",
            "+",
        ];
        let outcomes = [
            Outcome::Skipped,
            Outcome::Rejected,
            Outcome::Warning,
            Outcome::FileError,
        ];
        values
            .iter()
            .enumerate()
            .map(|(n, v)| Issue {
                file: format!("dir/file {n}.csv"),
                line: n as u64 * 1_000_003,
                column: if n % 2 == 0 {
                    "amount".into()
                } else {
                    String::new()
                },
                value: v.to_string(),
                problem: format!("@problem {n}, with \"quotes\""),
                outcome: outcomes[n % outcomes.len()],
            })
            .collect()
    }

    #[test]
    fn issues_csv_is_the_serde_round_trip() {
        let issues = awkward();
        let mut direct = RecordWriter::new(Vec::new(), OutFormat::Csv);
        let mut serde = RecordWriter::new(Vec::new(), OutFormat::Csv);
        for i in &issues {
            direct.issue(i).unwrap();
            serde.serialized(i).unwrap();
        }
        let (direct, serde) = (direct.finish().unwrap(), serde.finish().unwrap());
        assert_eq!(
            String::from_utf8(direct).unwrap(),
            String::from_utf8(serde).unwrap()
        );
    }
}
