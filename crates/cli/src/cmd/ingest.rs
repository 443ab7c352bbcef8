//! `anchornet ingest`: read payment files in any layout into one clean table.

use std::io::Write;
use std::path::PathBuf;

use std::fs::File;
use std::io::BufWriter;

use anchornet_ingest::{FileReport, Ingest, Mapping, Record};
use anchornet_report::hive::HiveTable;
use anchornet_report::write::{atomic, OutFormat, PaymentSink, Pending, RecordWriter};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

/// Read payment files (CSV/TSV, XLSX, ODS; .gz/.xz/.zip) in any council's layout.
///
/// Every input row is accepted, skipped (blank, header, totals, duplicate) or rejected
/// (unreadable date or amount); skipped and rejected rows go to the issues file with
/// file, line, column, value and problem, and each file's summary reconciles:
/// rows = accepted + skipped + rejected.
///
/// Exit codes: 0 every file was read; 1 some file could not be read or its layout was not
/// recognised (its rows are counted as rejected; the other files are done); 2 usage error.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files, directories (searched recursively), glob patterns, or `-` for stdin.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// The anchor (paying body) for every row, overriding any body column in the file.
    #[arg(long)]
    pub anchor: Option<String>,
    /// A TOML mapping file saying which column is which (see docs/ingest.md).
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Write accepted records here (.csv, .jsonl or .parquet); `-` for CSV on stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// With `--out DIR`: write the payments as Parquet partitioned by anchor and financial
    /// year in the hive layout (`DIR/anchor=…/financial_year=…/part-00000.parquet`), which
    /// DuckDB, Spark and pandas read as one table. The tree appears only when complete.
    #[arg(long, requires = "out")]
    pub partitioned: bool,
    /// Write skipped and rejected rows here (CSV: file,line,column,value,problem,outcome).
    #[arg(long)]
    pub issues: Option<PathBuf>,
    /// Print the per-file summaries as JSON on stdout instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Show how each file's layout is read (header row, each column's role, confidence,
    /// evidence and sample values) and stop.
    #[arg(long)]
    pub explain: bool,
    /// Keep rows that duplicate a row of an earlier file (by default they are skipped).
    #[arg(long)]
    pub keep_duplicates: bool,
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    let mapping = a.mapping.as_deref().map(Mapping::load).transpose()?;
    let ing = Ingest {
        anchor: a.anchor.clone(),
        mapping,
        keep_duplicates: a.keep_duplicates,
    };
    if a.explain {
        return explain(&ing, &a);
    }
    let stdout_out = a.out.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let outs = Outputs::open(&a, stdout_out)?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} files {wide_msg}")
            .expect("valid template"),
    );
    // The writers run on their own thread, fed batches in order, while ingest reads,
    // converts and de-duplicates.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Item>>(8);
    let writer = std::thread::spawn(move || {
        let mut outs = outs;
        for batch in rx {
            for it in batch {
                match it {
                    Item::Record(r) => outs.record(&r),
                    Item::Issue(i) => outs.issue(&i),
                }
            }
        }
        outs
    });
    let batch = std::cell::RefCell::new(Vec::with_capacity(BATCH));
    let push = |it: Item| {
        let mut b = batch.borrow_mut();
        b.push(it);
        if b.len() >= BATCH {
            // A closed channel means the writer thread is gone; its panic is reported below.
            let _ = tx.send(std::mem::replace(&mut *b, Vec::with_capacity(BATCH)));
        }
    };
    let reports = ing.paths(
        &a.inputs,
        |i, n, name| {
            bar.set_length(n as u64);
            bar.set_position(i as u64);
            bar.set_message(name.to_string());
        },
        |rec| push(Item::Record(rec)),
        |issue| push(Item::Issue(issue)),
    );
    let _ = tx.send(batch.into_inner());
    drop(tx);
    let outs = writer
        .join()
        .map_err(|_| anyhow::anyhow!("the output writer failed"))?;
    let reports = reports?;
    bar.finish_and_clear();
    let issue_count = outs.row_issues;
    outs.commit()?;
    if a.json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &reports)?;
        println!();
    } else {
        let mut o: Box<dyn Write> = if stdout_out {
            Box::new(std::io::stderr())
        } else {
            Box::new(std::io::stdout())
        };
        print_table(&mut o, &reports, issue_count, a.issues.is_some())?;
    }
    Ok(if reports.iter().any(|r| r.error.is_some()) {
        1
    } else {
        0
    })
}

/// Records and issues go to the writer thread in batches of this many.
const BATCH: usize = 4096;

/// What the writer thread writes.
enum Item {
    Record(Record),
    Issue(anchornet_ingest::Issue),
}

/// The run's output files, each written atomically.
struct Outputs {
    payments: Option<PaymentSink<BufWriter<File>>>,
    payments_pending: Option<Pending>,
    /// `--partitioned`: the hive-partitioned tree.
    hive: Option<HiveTable>,
    stdout: Option<RecordWriter<BufWriter<std::io::Stdout>>>,
    suppliers_path: Option<PathBuf>,
    suppliers: Option<RecordWriter<BufWriter<File>>>,
    suppliers_pending: Option<Pending>,
    issues: Option<RecordWriter<BufWriter<File>>>,
    issues_pending: Option<Pending>,
    error: Option<std::io::Error>,
    /// Issues about rows (skipped or rejected), as opposed to file errors and warnings.
    row_issues: u64,
}

impl Outputs {
    fn open(a: &Args, stdout_out: bool) -> anyhow::Result<Outputs> {
        let mut o = Outputs {
            payments: None,
            payments_pending: None,
            hive: None,
            stdout: None,
            suppliers_path: None,
            suppliers: None,
            suppliers_pending: None,
            issues: None,
            issues_pending: None,
            error: None,
            row_issues: 0,
        };
        if a.partitioned {
            let p = a.out.as_ref().expect("clap: --partitioned requires --out");
            anyhow::ensure!(
                !stdout_out,
                "--partitioned writes a directory, not standard output"
            );
            o.hive = Some(
                HiveTable::payments(p).with_context(|| format!("cannot create {}", p.display()))?,
            );
            o.suppliers_path = Some(p.with_extension("suppliers.csv"));
        } else if let Some(p) = a.out.as_ref().filter(|_| !stdout_out) {
            let f = OutFormat::from_path(p).map_err(anyhow::Error::msg)?;
            let (w, pend) = atomic(p).with_context(|| format!("cannot create {}", p.display()))?;
            o.payments = Some(PaymentSink::new(w, f)?);
            o.payments_pending = Some(pend);
            o.suppliers_path = Some(p.with_extension("suppliers.csv"));
        }
        if stdout_out {
            o.stdout = Some(RecordWriter::new(
                BufWriter::new(std::io::stdout()),
                OutFormat::Csv,
            ));
        }
        if let Some(p) = &a.issues {
            let (w, pend) = atomic(p).with_context(|| format!("cannot create {}", p.display()))?;
            o.issues = Some(RecordWriter::new(w, OutFormat::Csv));
            o.issues_pending = Some(pend);
        }
        Ok(o)
    }

    fn record(&mut self, rec: &Record) {
        let r = match rec {
            Record::Payment(p) => match (&mut self.payments, &mut self.stdout, &mut self.hive) {
                (Some(w), _, _) => w.payment(p),
                (_, Some(w), _) => w.payment(p),
                (_, _, Some(h)) => h.payment(p),
                _ => Ok(()),
            },
            Record::Supplier(s) => {
                if self.suppliers.is_none() {
                    if let Some(path) = &self.suppliers_path {
                        match atomic(path) {
                            Ok((w, pend)) => {
                                self.suppliers = Some(RecordWriter::new(w, OutFormat::Csv));
                                self.suppliers_pending = Some(pend);
                            }
                            Err(e) => {
                                self.error.get_or_insert(e);
                            }
                        }
                    }
                }
                match &mut self.suppliers {
                    Some(w) => w.supplier(s),
                    None => Ok(()),
                }
            }
        };
        if let Err(e) = r {
            self.error.get_or_insert(e);
        }
    }

    fn issue(&mut self, i: &anchornet_ingest::Issue) {
        if matches!(
            i.outcome,
            anchornet_ingest::Outcome::Skipped | anchornet_ingest::Outcome::Rejected
        ) {
            self.row_issues += 1;
        }
        if let Some(w) = &mut self.issues {
            if let Err(e) = w.issue(i) {
                self.error.get_or_insert(e);
            }
        }
    }

    /// Flush everything and rename into place — only if every write succeeded.
    fn commit(self) -> anyhow::Result<()> {
        if let Some(e) = self.error {
            return Err(anyhow::Error::new(e).context("writing output (nothing was written)"));
        }
        if let Some(w) = self.payments {
            drop(w.finish()?);
        }
        if let Some(p) = self.payments_pending {
            p.commit()?;
        }
        if let Some(h) = self.hive {
            h.finish()?;
        }
        for (w, p) in [
            (self.suppliers, self.suppliers_pending),
            (self.issues, self.issues_pending),
        ] {
            if let Some(w) = w {
                drop(w.finish()?);
            }
            if let Some(p) = p {
                p.commit()?;
            }
        }
        if let Some(w) = self.stdout {
            drop(w.finish()?);
        }
        Ok(())
    }
}

fn print_table(
    o: &mut dyn Write,
    reports: &[FileReport],
    issues: u64,
    wrote_issues: bool,
) -> std::io::Result<()> {
    writeln!(
        o,
        "{:<44} {:>8} {:>8} {:>7} {:>7} {:>18}  {:<23}  layout",
        "file", "rows", "accepted", "skipped", "rejected", "total £", "dates"
    )?;
    let (mut r, mut a, mut s, mut j, mut t) = (0, 0, 0, 0, anchornet_core::Pence::ZERO);
    for x in reports {
        let name = short(&x.file, 44);
        if let Some(e) = &x.error {
            // The first sentence only; the whole explanation and the explain table follow
            // the totals.
            let first = e.split(". ").next().unwrap_or(e);
            writeln!(
                o,
                "{name:<44} {:>8} {:>8} {:>7} {:>7}  ERROR: {first}",
                x.rows_read, x.accepted, x.skipped, x.rejected
            )?;
        } else {
            let dates = match (x.first_date, x.last_date) {
                (Some(f), Some(l)) => format!("{f} – {l}"),
                _ => "-".into(),
            };
            writeln!(
                o,
                "{name:<44} {:>8} {:>8} {:>7} {:>7} {:>18}  {dates:<23}  {} ({})",
                x.rows_read,
                x.accepted,
                x.skipped,
                x.rejected,
                x.total.to_pounds_string(),
                x.kind,
                x.layout
            )?;
        }
        r += x.rows_read;
        a += x.accepted;
        s += x.skipped;
        j += x.rejected;
        t += x.total;
    }
    writeln!(
        o,
        "{:<44} {r:>8} {a:>8} {s:>7} {j:>7} {:>18}",
        format!("TOTAL ({} files)", reports.len()),
        t.to_pounds_string()
    )?;
    for x in reports.iter().filter(|x| x.error.is_some()) {
        writeln!(
            o,
            "\n{}: {}",
            x.file,
            x.error.as_deref().unwrap_or_default()
        )?;
        if let Some(t) = &x.explain {
            write!(o, "{t}")?;
        }
        if x.rejected > 0 {
            writeln!(
                o,
                "  all {} data rows of this file are counted as rejected{}",
                x.rejected,
                if wrote_issues {
                    " and written to the issues file"
                } else {
                    ""
                }
            )?;
        }
    }
    if issues > 0 && !wrote_issues {
        writeln!(o, "{issues} skipped/rejected rows not written anywhere: add --issues issues.csv to see them")?;
    }
    Ok(())
}

fn short(s: &str, n: usize) -> String {
    let c = s.chars().count();
    if c <= n {
        s.to_string()
    } else {
        format!("…{}", s.chars().skip(c - n + 1).collect::<String>())
    }
}

fn explain(ing: &Ingest, a: &Args) -> anyhow::Result<u8> {
    let paths = anchornet_ingest::input::expand(&a.inputs)?;
    let mut json = Vec::new();
    let mut failed = false;
    for p in paths {
        for s in anchornet_ingest::input::open(&p)? {
            for (t, d) in ing.explain(&s) {
                if a.json {
                    json.push(serde_json::json!({"file": s.name, "format": t.description, "detection": d.as_ref().ok(), "error": d.as_ref().err().map(|e| e.to_string()), "found": d.as_ref().err().and_then(|e| e.detection.as_deref())}));
                    failed |= d.is_err();
                    continue;
                }
                println!("{}  ({})", s.name, t.description);
                match d {
                    Err(e) => {
                        failed = true;
                        println!("  ERROR: {e}");
                        if let Some(d) = &e.detection {
                            print!("{}", d.explain_table());
                        }
                    }
                    Ok(d) => print!("{}", d.explain_table()),
                }
                println!();
            }
        }
    }
    if a.json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &json)?;
        println!();
    }
    Ok(if failed { 1 } else { 0 })
}
