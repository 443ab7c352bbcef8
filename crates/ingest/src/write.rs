//! Writers for accepted records and the issues report: CSV, JSON Lines, Parquet.
//! Files are written to a temporary name beside the target and renamed when complete, so a
//! crash never leaves half an output.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anchornet_core::Payment;

use crate::report::Issue;
use crate::rows::SupplierRecord;

/// Output format, chosen by the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    /// `.csv`
    Csv,
    /// `.jsonl` / `.ndjson`
    Jsonl,
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
            other => Err(format!(
                "{}: unknown output format .{other} (use .csv or .jsonl)",
                p.display()
            )),
        }
    }
}

/// The columns of a payments CSV, in order.
pub const PAYMENT_COLUMNS: [&str; 23] = [
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
];

fn payment_row(p: &Payment) -> Vec<String> {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
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
        o(&p.supplier_id),
        o(&p.company_number),
        o(&p.charity_number),
        o(&p.vat_number),
        o(&p.supplier_postcode),
        o(&p.expense_type),
        o(&p.procurement_category),
        o(&p.expense_code),
        o(&p.service_area),
        o(&p.transaction_id),
        o(&p.capital_revenue),
        o(&p.description),
        p.amount.0.to_string(),
    ]
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

/// Writes records to CSV or JSON Lines.
pub struct RecordWriter<W: Write> {
    format: OutFormat,
    csv: Option<csv::Writer<W>>,
    raw: Option<W>,
    header_done: bool,
}

impl<W: Write> RecordWriter<W> {
    /// A writer over `w`.
    pub fn new(w: W, format: OutFormat) -> Self {
        match format {
            OutFormat::Csv => RecordWriter {
                format,
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
                c.write_record(payment_row(p))?;
            }
            OutFormat::Jsonl => self.json_line(p)?,
        }
        Ok(())
    }

    /// Write a supplier record.
    pub fn supplier(&mut self, s: &SupplierRecord) -> std::io::Result<()> {
        self.serialized(s)
    }

    /// Write an issue (issues files are CSV: file, line, column, value, problem, outcome).
    pub fn issue(&mut self, i: &Issue) -> std::io::Result<()> {
        self.serialized(i)
    }

    /// A serde record as a CSV row (header from field names) or a JSON line.
    fn serialized<T: serde::Serialize>(&mut self, v: &T) -> std::io::Result<()> {
        match self.format {
            OutFormat::Csv => self
                .csv
                .as_mut()
                .expect("csv")
                .serialize(v)
                .map_err(std::io::Error::other),
            OutFormat::Jsonl => self.json_line(v),
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
