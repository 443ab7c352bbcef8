//! The ingest driver: sources in, records and issues out, one [`FileReport`] per table.

use std::path::{Path, PathBuf};

use anchornet_core::{Payment, Pence};

use crate::dedupe::Deduper;
use crate::detect::{self, DetectError, Detection, InputKind};
use crate::format::{self, Table};
use crate::input::{self, Source};
use crate::mapping::Mapping;
use crate::report::{FileReport, Issue, Outcome};
use crate::rows::{RowContext, RowOutcome, SupplierRecord};
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
    pub fn paths(
        &self,
        args: &[String],
        mut on_file: impl FnMut(usize, usize, &str),
        mut sink: impl FnMut(Record),
        mut issues: impl FnMut(Issue),
    ) -> Result<Vec<FileReport>, IngestError> {
        let paths: Vec<PathBuf> = input::expand(args)?;
        let mut dedupe = Deduper::default();
        let mut reports = Vec::new();
        let n = paths.len();
        for (i, p) in paths.iter().enumerate() {
            let name = p.to_string_lossy().to_string();
            on_file(i, n, &name);
            match input::open(p) {
                Err(e) => {
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
                        reports.extend(self.source(&s, &mut dedupe, &mut sink, &mut issues));
                    }
                }
            }
        }
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
        let anchor = self
            .anchor
            .clone()
            .or_else(|| self.mapping.as_ref().and_then(|m| m.anchor.clone()))
            .unwrap_or_else(|| default_anchor(file));
        let force =
            self.anchor.is_some() || self.mapping.as_ref().is_some_and(|m| m.anchor.is_some());
        rep.anchor = anchor.clone();
        rep.kind = match det.kind {
            InputKind::Payments => "payments".into(),
            InputKind::Suppliers => "suppliers".into(),
        };
        rep.layout = match det.header_line {
            Some(l) => format!("header line {l}; {}", det.summary()),
            None => format!("no header; {}", det.summary()),
        };
        let header_norm = det
            .header_index
            .map(|h| {
                t.rows[h]
                    .cells
                    .iter()
                    .map(|c| vocab::normalise(c))
                    .collect()
            })
            .unwrap_or_default();
        let ctx = RowContext {
            det: &det,
            file,
            anchor: &anchor,
            force_anchor: force,
            header_norm,
        };
        dedupe.begin_file(file);
        let start = det.header_index.map_or(0, |h| h + 1);
        let mut warnings = Vec::new();
        let mut total = Pence::ZERO;
        for row in &t.rows[start..] {
            rep.rows_read += 1;
            let outcome = ctx.convert(row, &mut warnings);
            for w in warnings.drain(..) {
                issues(Issue {
                    file: file.into(),
                    line: row.line,
                    column: det.header(w.column),
                    value: w.value,
                    problem: w.problem,
                    outcome: Outcome::Warning,
                });
            }
            match outcome {
                RowOutcome::Payment(p) => {
                    if !self.keep_duplicates {
                        if let Some(orig) = dedupe.check(&p) {
                            rep.skipped += 1;
                            rep.duplicates += 1;
                            *rep.reasons
                                .entry("duplicate of a row in an earlier file".into())
                                .or_default() += 1;
                            issues(Issue {
                                file: file.into(),
                                line: row.line,
                                column: String::new(),
                                value: String::new(),
                                problem: format!("duplicate of {orig}"),
                                outcome: Outcome::Skipped,
                            });
                            continue;
                        }
                    }
                    rep.accepted += 1;
                    total += p.amount;
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
                        total += v;
                    }
                    sink(Record::Supplier(s));
                }
                RowOutcome::Skip(reason) => {
                    rep.skipped += 1;
                    let value = row_text(row);
                    issues(Issue {
                        file: file.into(),
                        line: row.line,
                        column: String::new(),
                        value: truncate(&value, 200),
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
                        line: row.line,
                        column: det.header(column),
                        value,
                        problem,
                        outcome: Outcome::Rejected,
                    });
                }
            }
        }
        rep.total = total;
        rep
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
fn row_text(row: &crate::format::Row) -> String {
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
