//! The ingest driver: sources in, records and issues out, one [`FileReport`] per table.

use std::path::{Path, PathBuf};

use anchornet_core::Payment;

use crate::dedupe::Deduper;
use crate::detect::{self, DetectError, Detection, InputKind};
use crate::format::{self, Table};
use crate::input::{self, Source};
use crate::mapping::Mapping;
use crate::report::{FileReport, Issue, Outcome};
use crate::rows::{Converted, RowContext, RowOutcome, SupplierRecord};
use crate::vocab;

/// An accepted record.
#[derive(Debug, Clone)]
pub enum Record {
    /// From a payment ledger.
    Payment(Box<Payment>),
    /// From a supplier-side input.
    Supplier(Box<SupplierRecord>),
}

/// Errors that stop a run before any file is read (bad arguments).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// An input path could not be found or expanded.
    #[error(transparent)]
    Input(#[from] input::InputError),
}

/// Ingest settings.
#[derive(Debug, Clone, Default)]
pub struct Ingest {
    /// Anchor name for every row (overrides the file's body column).
    pub anchor: Option<String>,
    /// A mapping file applied to every input.
    pub mapping: Option<Mapping>,
    /// Do not drop cross-file duplicates.
    pub keep_duplicates: bool,
}

/// The anchor name a file implies when neither `--anchor` nor a body column gives one:
/// the file stem (`salford.csv.xz` → `salford`), unless the stem looks like a period
/// (`2022-05`, `May-24`, `1701`) — then the folder's name (`hyndburn/1701.csv` → `hyndburn`).
pub fn default_anchor(name: &str) -> String {
    let path = Path::new(name.split('!').next().unwrap_or(name));
    let mut stem = path
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or("-")
        .to_string();
    loop {
        let lower = stem.to_ascii_lowercase();
        let cut = [
            ".xz", ".gz", ".zip", ".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods",
        ]
        .iter()
        .find(|e| lower.ends_with(*e));
        match cut {
            Some(e) => stem.truncate(stem.len() - e.len()),
            None => break,
        }
    }
    if stem.bytes().any(|b| b.is_ascii_digit()) {
        if let Some(dir) = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|s| s.to_str())
        {
            return dir.to_string();
        }
    }
    stem
}

impl Ingest {
    /// Read and detect every table of a source, without converting rows (for `--explain`).
    /// A failed detection keeps what was found ([`detect::DetectError::detection`]).
    pub fn explain(&self, source: &Source) -> Vec<(Table, Result<Detection, DetectError>)> {
        match format::read(source) {
            Err(e) => vec![(
                Table {
                    description: e.to_string(),
                    ..Default::default()
                },
                Err(DetectError {
                    message: e.to_string(),
                    missing: Vec::new(),
                    detection: None,
                }),
            )],
            Ok((_, tables)) => tables
                .into_iter()
                .map(|t| {
                    let d = detect::detect(&t, self.mapping.as_ref());
                    (t, d)
                })
                .collect(),
        }
    }

    /// Ingest the given paths (files, directories, globs, `-`), in order.
    /// `on_file` is called before each source with (index, count, name) for progress.
    ///
    /// Delimited text in UTF-8 takes the fast path ([`crate::fast`]): its layout is detected
    /// on the same sample as always, then its rows are converted in parallel pieces while the
    /// previous piece's records go to `sink` in file order. Everything else, and any file the
    /// fast reader does not read exactly as the general one, is read whole as before.
    pub fn paths(
        &self,
        args: &[String],
        on_file: impl FnMut(usize, usize, &str),
        sink: impl FnMut(Record),
        issues: impl FnMut(Issue),
    ) -> Result<Vec<FileReport>, IngestError> {
        self.paths_by(true, args, on_file, sink, issues)
    }

    /// [`Ingest::paths`] with every file read whole by the general reader (no fast path):
    /// what the fast path is tested against.
    pub fn paths_general(
        &self,
        args: &[String],
        on_file: impl FnMut(usize, usize, &str),
        sink: impl FnMut(Record),
        issues: impl FnMut(Issue),
    ) -> Result<Vec<FileReport>, IngestError> {
        self.paths_by(false, args, on_file, sink, issues)
    }

    /// Whether `source` takes the fast path (delimited UTF-8 text the fast reader reads
    /// exactly as the general one).
    pub fn reads_fast(&self, source: &Source) -> bool {
        crate::fast::plan(self, source).is_some()
    }

    fn paths_by(
        &self,
        fast: bool,
        args: &[String],
        mut on_file: impl FnMut(usize, usize, &str),
        mut sink: impl FnMut(Record),
        mut issues: impl FnMut(Issue),
    ) -> Result<Vec<FileReport>, IngestError> {
        let paths: Vec<PathBuf> = input::expand(args)?;
        let mut dedupe = Deduper::default();
        let mut reports = Vec::new();
        let mut pending = crate::fast::Pending::default();
        let n = paths.len();
        for (i, p) in paths.iter().enumerate() {
            let name = p.to_string_lossy().to_string();
            on_file(i, n, &name);
            match input::open(p) {
                Err(e) => {
                    pending.drain(self, &mut reports, &mut dedupe, &mut sink, &mut issues);
                    let r = FileReport {
                        file: name.clone(),
                        error: Some(e.message.clone()),
                        over_limit: e.limit.is_some(),
                        ..Default::default()
                    };
                    issues(Issue {
                        file: name,
                        line: 0,
                        column: String::new(),
                        value: String::new(),
                        problem: e.message,
                        outcome: Outcome::FileError,
                    });
                    reports.push(r);
                }
                Ok(sources) => {
                    for s in sources {
                        let plan = pending.while_draining(
                            self,
                            &mut reports,
                            &mut dedupe,
                            &mut sink,
                            &mut issues,
                            || {
                                if fast {
                                    crate::fast::plan(self, &s)
                                } else {
                                    None
                                }
                            },
                        );
                        match plan {
                            Some(plan) => crate::fast::run(
                                self,
                                plan,
                                &mut pending,
                                &mut reports,
                                &mut dedupe,
                                &mut sink,
                                &mut issues,
                            ),
                            None => {
                                pending.drain(
                                    self,
                                    &mut reports,
                                    &mut dedupe,
                                    &mut sink,
                                    &mut issues,
                                );
                                reports.extend(self.source(&s, &mut dedupe, &mut sink, &mut issues))
                            }
                        }
                    }
                }
            }
        }
        pending.drain(self, &mut reports, &mut dedupe, &mut sink, &mut issues);
        Ok(reports)
    }

    /// The accepted payments of the given paths that `keep` wants, in file order, with the
    /// file reports; supplier records and issues are dropped (a script's or a test's
    /// shortcut: the CLI reports issues through [`Ingest::paths`]).
    pub fn payments(
        &self,
        args: &[String],
        keep: impl Fn(&Payment) -> bool,
    ) -> Result<(Vec<Payment>, Vec<FileReport>), IngestError> {
        let mut payments = Vec::new();
        let reports = self.paths(
            args,
            |_, _, _| {},
            |r| {
                if let Record::Payment(p) = r {
                    if keep(&p) {
                        payments.push(*p);
                    }
                }
            },
            |_| {},
        )?;
        Ok((payments, reports))
    }

    /// Ingest one decompressed source. Returns one report per table (sheet).
    pub fn source(
        &self,
        source: &Source,
        dedupe: &mut Deduper,
        sink: &mut dyn FnMut(Record),
        issues: &mut dyn FnMut(Issue),
    ) -> Vec<FileReport> {
        let fail = |msg: String, over_limit: bool, issues: &mut dyn FnMut(Issue)| {
            issues(Issue {
                file: source.name.clone(),
                line: 0,
                column: String::new(),
                value: String::new(),
                problem: msg.clone(),
                outcome: Outcome::FileError,
            });
            FileReport {
                file: source.name.clone(),
                error: Some(msg),
                over_limit,
                ..Default::default()
            }
        };
        let tables = match format::read(source) {
            Ok((_, t)) => t,
            Err(e) => {
                let over = matches!(e, format::ReadError::Limit(_));
                return vec![fail(e.to_string(), over, issues)];
            }
        };
        let several = tables.len() > 1;
        let mut out = Vec::new();
        for t in tables {
            let file = match (&t.sheet, several) {
                (Some(s), true) => format!("{}!{s}", source.name),
                _ => source.name.clone(),
            };
            out.push(self.table(&file, &t, dedupe, sink, issues));
        }
        out
    }

    fn table(
        &self,
        file: &str,
        t: &Table,
        dedupe: &mut Deduper,
        sink: &mut dyn FnMut(Record),
        issues: &mut dyn FnMut(Issue),
    ) -> FileReport {
        let mut rep = FileReport {
            file: file.to_string(),
            format: t.description.clone(),
            ..Default::default()
        };
        let det = match detect::detect(t, self.mapping.as_ref()) {
            Ok(d) => d,
            Err(e) => {
                self.layout_failure(file, t, &e, &mut rep, issues);
                return rep;
            }
        };
        let (anchor, force) = self.anchor_for(file);
        rep.anchor = anchor.clone();
        describe_layout(&det, &mut rep);
        let ctx = RowContext::new(&det, file, &anchor, force, header_norm(&det, &t.rows));
        dedupe.begin_file(file);
        let start = det.header_index.map_or(0, |h| h + 1);
        for row in &t.rows[start..] {
            let c = ctx.converted(row, !self.keep_duplicates);
            self.consume(file, &det, c, &mut rep, dedupe, sink, issues);
        }
        rep
    }

    /// Count a converted row in `rep` and pass it on: a payment to the de-duplicator and
    /// then `sink`, a skip or rejection to `issues` with its reason.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn consume(
        &self,
        file: &str,
        det: &Detection,
        c: Converted,
        rep: &mut FileReport,
        dedupe: &mut Deduper,
        sink: &mut dyn FnMut(Record),
        issues: &mut dyn FnMut(Issue),
    ) {
        rep.rows_read += 1;
        for w in c.warnings {
            issues(Issue {
                file: file.into(),
                line: c.line,
                column: det.header(w.column),
                value: w.value,
                problem: w.problem,
                outcome: Outcome::Warning,
            });
        }
        match c.outcome {
            RowOutcome::Payment(p) => {
                if !self.keep_duplicates {
                    if let Some(orig) = dedupe.check_key(c.key, c.line) {
                        rep.skipped += 1;
                        rep.duplicates += 1;
                        *rep.reasons
                            .entry("duplicate of a row in an earlier file".into())
                            .or_default() += 1;
                        issues(Issue {
                            file: file.into(),
                            line: c.line,
                            column: String::new(),
                            value: String::new(),
                            problem: format!("duplicate of {orig}"),
                            outcome: Outcome::Skipped,
                        });
                        return;
                    }
                }
                rep.accepted += 1;
                rep.total += p.amount;
                if p.redacted {
                    rep.redacted += 1;
                }
                rep.first_date = Some(rep.first_date.map_or(p.date, |d| d.min(p.date)));
                rep.last_date = Some(rep.last_date.map_or(p.date, |d| d.max(p.date)));
                sink(Record::Payment(p));
            }
            RowOutcome::Supplier(s) => {
                rep.accepted += 1;
                if let Some(v) = s.value {
                    rep.total += v;
                }
                sink(Record::Supplier(s));
            }
            RowOutcome::Skip(reason) => {
                rep.skipped += 1;
                issues(Issue {
                    file: file.into(),
                    line: c.line,
                    column: String::new(),
                    value: truncate(&c.text, 200),
                    problem: reason.clone(),
                    outcome: Outcome::Skipped,
                });
                *rep.reasons.entry(reason).or_default() += 1;
            }
            RowOutcome::Reject {
                column,
                value,
                problem,
            } => {
                rep.rejected += 1;
                let key = problem.split(':').take(2).collect::<Vec<_>>().join(":");
                *rep.reasons.entry(key).or_default() += 1;
                issues(Issue {
                    file: file.into(),
                    line: c.line,
                    column: det.header(column),
                    value,
                    problem,
                    outcome: Outcome::Rejected,
                });
            }
        }
    }
}

impl Ingest {
    /// A table whose layout was not recognised: one file-level issue with the full
    /// explanation, then every data row after the header rejected and written to the issues
    /// output with its line and text, so that rows read = skipped + rejected and the
    /// issues file holds each row (a blank row is skipped as in any file).
    fn layout_failure(
        &self,
        file: &str,
        t: &Table,
        e: &DetectError,
        rep: &mut FileReport,
        issues: &mut dyn FnMut(Issue),
    ) {
        let msg = format!("layout not recognised: {e}");
        issues(Issue {
            file: file.into(),
            line: 0,
            column: String::new(),
            value: String::new(),
            problem: msg.clone(),
            outcome: Outcome::FileError,
        });
        rep.error = Some(msg);
        let start = match &e.detection {
            Some(d) => {
                rep.kind = match d.kind {
                    InputKind::Payments => "payments".into(),
                    InputKind::Suppliers => "suppliers".into(),
                };
                rep.layout = match d.header_line {
                    Some(l) => format!("header line {l}; {}", d.summary()),
                    None => format!("no header; {}", d.summary()),
                };
                rep.explain = Some(d.explain_table());
                d.header_index.map_or(0, |h| h + 1)
            }
            None => find_start(t),
        };
        let problem = if e.missing.is_empty() {
            "layout not recognised: the mapping file does not fit this file".to_string()
        } else {
            format!(
                "layout not recognised: no {} column found (run with --explain, or give a --mapping)",
                e.missing.join(", no ")
            )
        };
        for row in &t.rows[start..] {
            rep.rows_read += 1;
            if row.is_blank() {
                rep.skipped += 1;
                *rep.reasons.entry("blank row".into()).or_default() += 1;
                issues(Issue {
                    file: file.into(),
                    line: row.line,
                    column: String::new(),
                    value: String::new(),
                    problem: "blank row".into(),
                    outcome: Outcome::Skipped,
                });
                continue;
            }
            rep.rejected += 1;
            let value = row_text(row);
            issues(Issue {
                file: file.into(),
                line: row.line,
                column: String::new(),
                value: truncate(&value, 200),
                problem: problem.clone(),
                outcome: Outcome::Rejected,
            });
        }
        if rep.rejected > 0 {
            rep.reasons
                .insert("layout not recognised".into(), rep.rejected);
        }
    }
}

impl Ingest {
    /// The anchor for a file's rows, and whether it overrides a body column.
    pub(crate) fn anchor_for(&self, file: &str) -> (String, bool) {
        let anchor = self
            .anchor
            .clone()
            .or_else(|| self.mapping.as_ref().and_then(|m| m.anchor.clone()))
            .unwrap_or_else(|| default_anchor(file));
        let force =
            self.anchor.is_some() || self.mapping.as_ref().is_some_and(|m| m.anchor.is_some());
        (anchor, force)
    }
}

/// The report's kind and layout lines for a detected layout.
pub(crate) fn describe_layout(det: &Detection, rep: &mut FileReport) {
    rep.kind = match det.kind {
        InputKind::Payments => "payments".into(),
        InputKind::Suppliers => "suppliers".into(),
    };
    rep.layout = match det.header_line {
        Some(l) => format!("header line {l}; {}", det.summary()),
        None => format!("no header; {}", det.summary()),
    };
}

/// The header row's cells normalised (`rows` holds the header row at `det.header_index`).
pub(crate) fn header_norm(det: &Detection, rows: &[crate::format::Row]) -> Vec<String> {
    det.header_index
        .map(|h| rows[h].cells.iter().map(|c| vocab::normalise(c)).collect())
        .unwrap_or_default()
}

fn find_start(t: &Table) -> usize {
    detect::find_header(&t.rows).map_or(0, |h| h + 1)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

/// A row's non-blank cells joined, for the issues report's value of a row-level problem.
pub(crate) fn row_text(row: &crate::format::Row) -> String {
    row.cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_from_names() {
        assert_eq!(
            default_anchor("data/spend/odileeds_processed/salford.csv.xz"),
            "salford"
        );
        assert_eq!(default_anchor("x/hyndburn/1701.csv.xz"), "hyndburn");
        assert_eq!(
            default_anchor("x/trafford/trafford-supplier-spend-2024-25.csv.xz"),
            "trafford"
        );
        assert_eq!(default_anchor("spend.csv"), "spend");
    }
}
