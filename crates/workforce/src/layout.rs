//! Columns found by the meaning of their header, for every layout this crate documents (the
//! workforce extract, the funnel events): one reader of tables and one header matcher.
//!
//! A header means a field when, after the ingest vocabulary's normalisation (case,
//! punctuation and camelCase ignored), it equals one of the field's phrases (score 3), or
//! contains one as whole words (2 for a phrase of several words, 1 for one word). Each field
//! takes its best-scoring column, best matches first, each column used once.

use std::path::Path;

use anchornet_ingest::format::Row;
use anchornet_ingest::vocab::normalise;
use anchornet_ingest::{Issue, Outcome};

/// A field of a documented layout.
pub trait LayoutField: Copy + Eq + 'static {
    /// Every field, in layout order.
    const ALL: &'static [Self];
    /// Header phrases that mean this field (after normalisation).
    fn phrases(self) -> &'static [&'static str];
    /// Column name in reports.
    fn label(self) -> &'static str;
    /// A header that must not be taken for this field even though a phrase is in it (its
    /// normalised words).
    fn vetoed(self, _words: &[&str]) -> bool {
        false
    }
}

fn score<F: LayoutField>(field: F, header: &str) -> u8 {
    let h = normalise(header).replace("soc2020", "soc 2020");
    let words: Vec<&str> = h.split(' ').collect();
    if field.vetoed(&words) {
        return 0;
    }
    let mut best = 0;
    for p in field.phrases() {
        let pw: Vec<&str> = p.split(' ').collect();
        if h == *p {
            return 3;
        }
        if words.windows(pw.len()).any(|w| w == pw.as_slice()) {
            // Longer phrases found inside a header say more than one word does.
            best = best.max(if pw.len() > 1 { 2 } else { 1 });
        }
    }
    best
}

/// Which column holds each field.
#[derive(Debug, Clone)]
pub struct Layout<F> {
    /// (field, column index, header).
    pub columns: Vec<(F, usize, String)>,
}

impl<F: LayoutField> Layout<F> {
    /// Decide each column's field from the header row: the highest-scoring header for each
    /// field, each column used once, best matches first.
    pub fn detect(header: &[String]) -> Layout<F> {
        let mut cand: Vec<(u8, usize, usize)> = Vec::new();
        for (i, h) in header.iter().enumerate() {
            for (k, &f) in F::ALL.iter().enumerate() {
                let s = score(f, h);
                if s > 0 {
                    cand.push((s, k, i));
                }
            }
        }
        cand.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
        let mut layout = Layout {
            columns: Vec::new(),
        };
        for (_, k, i) in cand {
            let f = F::ALL[k];
            if layout.get(f).is_none() && !layout.columns.iter().any(|c| c.1 == i) {
                layout.columns.push((f, i, header[i].clone()));
            }
        }
        layout
    }

    /// The column of a field.
    pub fn get(&self, f: F) -> Option<usize> {
        self.columns.iter().find(|c| c.0 == f).map(|c| c.1)
    }

    /// `field ← header; …`, for the files' reconciliation.
    pub fn describe(&self) -> String {
        self.columns
            .iter()
            .map(|(f, _, h)| format!("{} ← {h}", f.label()))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The first table of every source in `path` (CSV, TSV, XLSX, ODS; compressed or not,
/// within the ingest limits), by source name; a file or source that cannot be read is an
/// [`Outcome::FileError`] issue, returned with its name.
pub fn open_tables(
    path: &Path,
    issues: &mut Vec<Issue>,
) -> Vec<(String, Result<Vec<Row>, String>)> {
    let fail = |name: String, e: String, issues: &mut Vec<Issue>| {
        issues.push(Issue {
            file: name,
            line: 0,
            column: String::new(),
            value: String::new(),
            problem: e,
            outcome: Outcome::FileError,
        })
    };
    let mut out = Vec::new();
    match anchornet_ingest::input::open(path) {
        Err(e) => {
            let name = path.display().to_string();
            fail(name.clone(), e.to_string(), issues);
            out.push((name, Err(e.to_string())));
        }
        Ok(sources) => {
            for s in sources {
                match anchornet_ingest::format::read(&s) {
                    Err(e) => {
                        fail(s.name.clone(), e.to_string(), issues);
                        out.push((s.name.clone(), Err(e.to_string())));
                    }
                    Ok((_, t)) => out.push((
                        s.name.clone(),
                        Ok(t.into_iter().next().map(|t| t.rows).unwrap_or_default()),
                    )),
                }
            }
        }
    }
    out
}

/// A table of a documented layout, its header found and its columns matched.
pub struct Table<F> {
    /// The header row.
    pub header: Row,
    /// The columns the header gives.
    pub layout: Layout<F>,
    /// The table's reconciliation, begun (name and layout).
    pub report: crate::extract::ExtractReport,
    /// The rows after the header.
    pub rows: std::vec::IntoIter<Row>,
}

/// The table `rows` of source `name` as a `what` (e.g. "workforce extract"): blank rows before
/// the header skipped, columns matched. A table with no header row, or whose layout lacks a
/// required column (`missing` names them), is a file error, reported here in `issues` and
/// `reports`, and gives None.
pub fn table<F: LayoutField>(
    name: &str,
    what: &str,
    rows: Vec<Row>,
    missing: impl Fn(&Layout<F>) -> Vec<&'static str>,
    issues: &mut Vec<Issue>,
    reports: &mut Vec<crate::extract::ExtractReport>,
) -> Option<Table<F>> {
    let Some(start) = rows.iter().position(|r| !r.is_blank()) else {
        reports.push(crate::extract::ExtractReport {
            file: name.into(),
            error: Some("no header row".into()),
            ..Default::default()
        });
        return None;
    };
    let mut rows = rows.into_iter();
    let header = rows.nth(start)?;
    let layout = Layout::detect(&header.cells);
    let mut report = crate::extract::ExtractReport {
        file: name.to_string(),
        layout: layout.describe(),
        ..Default::default()
    };
    let missing = missing(&layout);
    if !missing.is_empty() {
        let e = format!("not a {what}: no column for {}", missing.join(", "));
        issues.push(Issue {
            file: name.into(),
            line: header.line,
            column: String::new(),
            value: header.cells.join(", "),
            problem: e.clone(),
            outcome: Outcome::FileError,
        });
        report.error = Some(e);
        reports.push(report);
        return None;
    }
    Some(Table {
        header,
        layout,
        report,
        rows,
    })
}
