//! Pipeline sources, one importer each behind [`Importer`]: OCDS notices ([`ocds`]),
//! contracts registers ([`register`]), tables of published notices ([`notices`]) and
//! forward plans ([`forward_plan`]). Tabular sources share the column meanings of
//! [`table`]; each importer says from those meanings whether a table is its kind.

use std::path::{Path, PathBuf};

use anchornet_ingest::{Issue, Limits};
use serde::Serialize;

use crate::opportunity::Opportunity;

pub mod forward_plan;
pub mod notices;
pub mod ocds;
pub mod register;
pub mod table;

/// How one source file (or sheet) was read: rows (or releases) read = used + rejected.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceReport {
    /// File (or `file!sheet`).
    pub file: String,
    /// The importer that read it.
    pub kind: String,
    /// Rows or releases read.
    pub read: u64,
    /// Used: merged into an opportunity.
    pub used: u64,
    /// Rejected, each with an issue.
    pub rejected: u64,
    /// Opportunities it gave.
    pub opportunities: u64,
    /// Set when the file could not be read at all.
    pub error: Option<String>,
}

impl SourceReport {
    /// read = used + rejected.
    pub fn reconciles(&self) -> bool {
        self.read == self.used + self.rejected
    }
}

/// One importer of tabular pipeline sources.
pub trait Importer {
    /// Name in reports.
    fn name(&self) -> &'static str;
    /// Whether a table with these column meanings is this importer's kind.
    fn detect(&self, sheet: &table::Sheet) -> bool;
    /// Read the rows into opportunities; every row is used or rejected with an issue.
    fn read(
        &self,
        sheet: &table::Sheet,
        issues: &mut Vec<Issue>,
    ) -> (Vec<Opportunity>, SourceReport);
}

/// The tabular importers, most specific first.
pub fn importers() -> Vec<Box<dyn Importer>> {
    vec![
        Box::new(forward_plan::ForwardPlan),
        Box::new(notices::Notices),
        Box::new(register::Register),
    ]
}

/// Everything read from the pipeline sources.
#[derive(Debug, Default)]
pub struct Pipeline {
    /// The opportunities.
    pub opportunities: Vec<Opportunity>,
    /// Per-file reconciliation.
    pub reports: Vec<SourceReport>,
    /// Issues (rejected rows and releases, unusable values).
    pub issues: Vec<Issue>,
    /// The compiled release of each OCDS procurement.
    pub compiled: Vec<anchornet_ingest::ocds::Compiled>,
}

/// Whether a path is OCDS JSON (a JSON file, or a directory holding any).
fn is_ocds(p: &Path) -> bool {
    if p.is_dir() {
        anchornet_ingest::ocds::json_files(p).is_ok_and(|f| !f.is_empty())
    } else {
        anchornet_ingest::ocds::is_json_file(p)
    }
}

/// Read every source: OCDS paths are read together and merged by ocid; every other file is
/// given to the first importer that recognises its columns.
pub fn read(paths: &[PathBuf], limits: &Limits) -> Pipeline {
    let mut out = Pipeline::default();
    let (json, tables): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.iter().cloned().partition(|p| is_ocds(p));
    if !json.is_empty() {
        let read = anchornet_ingest::ocds::read_paths(&json, limits);
        let compiled = anchornet_ingest::ocds::compile_all(&read.releases);
        let mut ops = ocds::opportunities(&read, &compiled, &mut out.issues);
        // Opportunities each file contributed to, counted once per file.
        let mut per_file: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
        for c in &compiled {
            let mut files: Vec<&str> = c
                .releases
                .iter()
                .map(|&i| read.releases[i].file.as_str())
                .collect();
            files.sort_unstable();
            files.dedup();
            for f in files {
                *per_file.entry(f).or_default() += 1;
            }
        }
        for f in &read.files {
            let opportunities = per_file.get(f.file.as_str()).copied().unwrap_or(0);
            out.reports.push(SourceReport {
                file: f.file.clone(),
                kind: format!("ocds ({})", f.packaging),
                read: f.releases_read,
                used: f.accepted,
                rejected: f.rejected,
                opportunities,
                error: f.error.clone(),
            });
        }
        out.issues.extend(read.issues);
        out.opportunities.append(&mut ops);
        out.compiled = compiled;
    }
    for p in tables {
        let sheets = table::read(&p, limits, &mut out.issues);
        if sheets.is_empty() {
            out.reports.push(SourceReport {
                file: p.to_string_lossy().to_string(),
                kind: "unreadable".into(),
                error: Some("not read (see issues)".into()),
                ..SourceReport::default()
            });
        }
        for s in sheets {
            match importers().into_iter().find(|i| i.detect(&s)) {
                Some(imp) => {
                    let (mut ops, rep) = imp.read(&s, &mut out.issues);
                    out.reports.push(rep);
                    out.opportunities.append(&mut ops);
                }
                None => {
                    let msg = "not a pipeline table: no importer recognises its columns (a contracts register needs a supplier and a start or end date; notices a notice type or published date; forward plans an approach date or spend profile)".to_string();
                    out.issues.push(Issue {
                        file: s.file.clone(),
                        line: 0,
                        column: String::new(),
                        value: s.headers.join(","),
                        problem: msg.clone(),
                        outcome: anchornet_ingest::Outcome::FileError,
                    });
                    out.reports.push(SourceReport {
                        file: s.file.clone(),
                        kind: "unrecognised".into(),
                        read: s.rows.len() as u64,
                        rejected: s.rows.len() as u64,
                        error: Some(msg),
                        ..SourceReport::default()
                    });
                }
            }
        }
    }
    out
}

/// A notice's key — its notice id, else reference, else title — once per table. A row with
/// none of them, or with a key seen before (the first row is used), is rejected with the
/// reason; otherwise it is counted as used.
pub fn notice_key(
    c: &mut table::Cells,
    seen: &mut std::collections::HashSet<String>,
    rep: &mut SourceReport,
    what: &str,
) -> Option<String> {
    use table::Col;
    let key = c
        .text(Col::NoticeId)
        .or_else(|| c.text(Col::Reference))
        .or_else(|| c.text(Col::Title));
    let problem = match &key {
        None => format!("{what} with neither an id nor a title"),
        Some(k) if !seen.insert(k.clone()) => {
            format!("{what} {k} listed twice; the first row is used")
        }
        Some(_) => {
            rep.used += 1;
            return key;
        }
    };
    rep.rejected += 1;
    c.issues.push(rejected(c.sheet, c.row.line, &problem));
    None
}

/// A rejected row's issue.
pub fn rejected(sheet: &table::Sheet, line: u64, problem: &str) -> Issue {
    Issue {
        file: sheet.file.clone(),
        line,
        column: String::new(),
        value: String::new(),
        problem: problem.to_string(),
        outcome: anchornet_ingest::Outcome::Rejected,
    }
}
