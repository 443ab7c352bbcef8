//! Pipeline sources, one importer each behind [`Importer`]: OCDS notices ([`ocds`]),
//! contracts registers ([`register`]), tables of published notices ([`notices`]) and
//! forward plans ([`forward_plan`]). Tabular sources share the column meanings of
//! [`table`]; each importer says from those meanings whether a table is its kind.

use std::collections::HashMap;
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
    /// Where every OCDS release is (its JSON is read again when needed, not held).
    pub ocds: anchornet_ingest::ocds::Index,
    /// Each OCDS procurement's releases (indexes into `ocds.releases`), by ocid.
    pub ocds_groups: HashMap<String, Vec<u32>>,
    /// Payments compliance notices (UK8): read, not opportunities (their releases are
    /// counted as rejected, with the reason), their figures kept per buyer.
    pub payments_compliance: Vec<ocds::PaymentsCompliance>,
}

impl Pipeline {
    /// The compiled release of an OCDS procurement, merged again from its releases (the
    /// compiled releases are not held: one is made, used and dropped at a time).
    pub fn compiled_release(
        &self,
        reader: &mut anchornet_ingest::ocds::Reader,
        ocid: &str,
    ) -> Option<serde_json::Value> {
        let releases = self.ocds_groups.get(ocid)?;
        let g = anchornet_ingest::ocds::Group {
            ocid: ocid.to_string(),
            releases: releases.clone(),
        };
        self.ocds.compile_group(reader, &g).ok().map(|c| c.json)
    }
}

/// One ocid's releases made into an opportunity or read as a payments compliance notice (with
/// their field issues), or the releases that could not be read again: their file, how many,
/// and the issue.
type Made = Result<(OcidRead, Vec<Issue>), Box<(String, u32, Issue)>>;

/// What one ocid's compiled release is.
enum OcidRead {
    /// A procurement.
    Opportunity(Box<Opportunity>),
    /// A payments compliance notice (UK8), with the source file of each of its releases.
    PaymentsCompliance(Box<ocds::PaymentsCompliance>, Vec<String>),
}

/// The OCDS sources: a first pass locates every release ([`anchornet_ingest::ocds::Index`]);
/// then each ocid's releases are read again, merged, turned into an opportunity and dropped,
/// so that memory holds the index and the opportunities, never every release's JSON.
fn read_ocds(json: &[PathBuf], limits: &Limits, out: &mut Pipeline) {
    use anchornet_ingest::ocds as iocds;
    let mut ix = iocds::index_paths(json, limits);
    let groups = ix.groups();
    // Opportunities each file contributed to, counted once per file.
    let mut per_file: HashMap<String, u64> = HashMap::new();
    let mut failed: Vec<(String, Issue)> = Vec::new();
    let made: Vec<Made> = {
        let ix = &ix;
        let work = |chunk: &[iocds::Group]| {
            let mut reader = ix.reader();
            chunk
                .iter()
                .map(|g| match ix.compile_group(&mut reader, g) {
                    Ok(c) => {
                        let mut issues = Vec::new();
                        let pc = if ocds::is_payments_compliance(&c.json) {
                            let files: Vec<String> = c
                                .releases
                                .iter()
                                .map(|&i| ix.source_name(&ix.releases[i]).to_string())
                                .collect();
                            let mut names = files.clone();
                            names.dedup();
                            ocds::payments_compliance(&c.json, &names.join(" + "), &mut issues)
                                .map(|pc| (pc, files))
                        } else {
                            None
                        };
                        let made = match pc {
                            Some((pc, files)) => OcidRead::PaymentsCompliance(Box::new(pc), files),
                            None => OcidRead::Opportunity(Box::new(ocds::from_compiled_group(
                                ix,
                                &c,
                                &mut issues,
                            ))),
                        };
                        Ok((made, issues))
                    }
                    Err(e) => {
                        let first = &ix.releases[g.releases[0] as usize];
                        Err(Box::new((
                            ix.source_name(first).to_string(),
                            g.releases.len() as u32,
                            Issue {
                                file: ix.source_name(first).to_string(),
                                line: 0,
                                column: first.path.clone(),
                                value: g.ocid.clone(),
                                problem: format!(
                                    "releases of this ocid could not be read again (the file changed?): {e}"
                                ),
                                outcome: anchornet_ingest::Outcome::Rejected,
                            },
                        )))
                    }
                })
                .collect::<Vec<_>>()
        };
        // Groups are merged in chunks on the available cores, in order.
        use rayon::prelude::*;
        groups
            .par_chunks(1024)
            .map(work)
            .collect::<Vec<_>>()
            .into_iter()
            .flatten()
            .collect()
    };
    for m in made {
        match m {
            Ok((OcidRead::PaymentsCompliance(pc, files), mut issues)) => {
                // Read, not an opportunity: each of its releases counted as rejected in its
                // file, with the reason.
                for f in &files {
                    if let Some(x) = ix.files.iter_mut().find(|x| &x.file == f) {
                        x.accepted = x.accepted.saturating_sub(1);
                        x.rejected += 1;
                    }
                }
                out.issues.append(&mut issues);
                out.issues.push(Issue {
                    file: pc.file.clone(),
                    line: 0,
                    column: pc.ocid.clone(),
                    value: "UK8".into(),
                    problem: format!(
                        "payments compliance notice (UK8, Procurement Act 2023 s.69) of {}: a report on how promptly the authority paid its invoices, not a procurement; not an opportunity (its {} release(s) counted as rejected), its figures kept under payments compliance",
                        if pc.buyer.is_empty() { "an unnamed buyer" } else { pc.buyer.as_str() },
                        files.len()
                    ),
                    outcome: anchornet_ingest::Outcome::Skipped,
                });
                out.payments_compliance.push(*pc);
            }
            Ok((OcidRead::Opportunity(o), mut issues)) => {
                let o = *o;
                let mut files: Vec<&str> = o.files.iter().map(String::as_str).collect();
                files.sort_unstable();
                files.dedup();
                for f in files {
                    *per_file.entry(f.to_string()).or_default() += 1;
                }
                out.issues.append(&mut issues);
                out.opportunities.push(o);
            }
            Err(e) => {
                let (file, n, issue) = *e;
                if let Some(f) = ix.files.iter_mut().find(|f| f.file == file) {
                    f.accepted = f.accepted.saturating_sub(u64::from(n));
                    f.rejected += u64::from(n);
                }
                failed.push((file, issue));
            }
        }
    }
    for f in &ix.files {
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
    out.issues.append(&mut ix.issues);
    out.issues.extend(failed.into_iter().map(|(_, i)| i));
    out.ocds_groups = groups.into_iter().map(|g| (g.ocid, g.releases)).collect();
    out.ocds = ix;
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
        read_ocds(&json, limits, &mut out);
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
