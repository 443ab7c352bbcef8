//! From an uploaded file's bytes to a [`NewBatch`]: the ingest stage run on one file, every
//! row accepted, skipped or rejected exactly as `anchornet ingest` would, with the anchor
//! fixed to the batch's anchor.

use anchornet_ingest::dedupe::Deduper;
use anchornet_ingest::{Ingest, Limits, Record};

use crate::model::{FileSummary, IssueRow, NewBatch};
use crate::{sha256_hex, Anchor};

/// The file name kept with a batch: the last path component, control characters removed.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let s: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if s.trim().is_empty() {
        "upload".into()
    } else {
        s
    }
}

/// Read one uploaded file (compressed or not; CSV, XLSX, ODS, or a zip of them) for `anchor`,
/// within `limits`. A file that cannot be read is kept as a batch with its error (so the
/// anchor sees what went wrong); a file over one of the limits is refused whole — the error
/// names the limit and how to raise it, and nothing of the upload is kept.
pub fn read(
    anchor: &Anchor,
    file_name: &str,
    bytes: Vec<u8>,
    imported_by: &str,
    limits: &Limits,
) -> Result<NewBatch, String> {
    let name = clean_name(file_name);
    let mut b = NewBatch {
        anchor_id: anchor.id,
        file_name: name.clone(),
        sha256: sha256_hex(&bytes),
        bytes: bytes.len() as i64,
        imported_by: imported_by.to_string(),
        ..Default::default()
    };
    let ing = Ingest {
        anchor: Some(anchor.name.clone()),
        mapping: None,
        keep_duplicates: false,
    };
    match anchornet_ingest::input::from_bytes_with(&name, bytes, limits) {
        Err(e) if e.limit.is_some() => return Err(e.to_string()),
        Err(e) => {
            let issue = anchornet_ingest::Issue {
                file: name.clone(),
                line: 0,
                column: String::new(),
                value: String::new(),
                problem: e.message.clone(),
                outcome: anchornet_ingest::Outcome::FileError,
            };
            b.issues.push(IssueRow::from(&issue));
            b.reports.push(FileSummary {
                file: name,
                error: Some(e.message),
                ..Default::default()
            });
        }
        Ok(sources) => {
            let mut dedupe = Deduper::default();
            for s in &sources {
                let mut payments = Vec::new();
                let mut suppliers = Vec::new();
                let mut issues = Vec::new();
                let reports = ing.source(
                    s,
                    &mut dedupe,
                    &mut |r| match r {
                        Record::Payment(p) => payments.push(*p),
                        Record::Supplier(s) => suppliers.push(*s),
                    },
                    &mut |i| issues.push(IssueRow::from(&i)),
                );
                if let Some(r) = reports.iter().find(|r| r.over_limit) {
                    return Err(format!(
                        "{}: {}",
                        r.file,
                        r.error.clone().unwrap_or_default()
                    ));
                }
                b.payments.extend(payments);
                b.suppliers.extend(suppliers);
                b.issues.extend(issues);
                b.reports.extend(reports.iter().map(FileSummary::from));
            }
        }
    }
    Ok(b)
}
