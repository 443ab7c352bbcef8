//! Grants in the 360Giving Data Standard's flattened CSV/XLSX layout: the amount awarded, the
//! award date, the grant programme, the recipient and its postal code, and the beneficiary
//! location's geographic code. (`anchornet_resolve`'s 360Giving reader takes the same files
//! as evidence about recipients; this one reads the money.) Column titles are the standard's
//! (`Amount Awarded`, `Award Date`, `Recipient Org:Postal Code`, `Beneficiary
//! Location:Geographic Code`, `Grant Programme:Title`, `Funding Org:Name`), found by
//! [`anchornet_ingest::giving360::Columns`], the one reader of the standard's columns.

use std::path::Path;

use anchornet_core::FinancialYear;
use anchornet_ingest::giving360::{award_date, Columns};
use anchornet_ingest::Limits;

use super::{read_tables, Problem};

/// One grant.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    /// Identifier.
    pub id: String,
    /// Amount awarded, pence.
    pub pence: i64,
    /// Financial year of the award date.
    pub year: FinancialYear,
    /// Grant programme title (or the funder's department), the grant's "service".
    pub programme: String,
    /// Funder.
    pub funder: String,
    /// Recipient.
    pub recipient: String,
    /// Recipient postcode as given.
    pub postcode: String,
    /// Beneficiary location GSS codes (district or ward), as given.
    pub beneficiary_codes: Vec<String>,
    /// File and line.
    pub file: String,
    /// Line.
    pub line: u64,
}

/// Grants read.
#[derive(Debug, Clone, Default)]
pub struct Grants {
    /// The grants.
    pub grants: Vec<Grant>,
    /// Rows read.
    pub read: u64,
    /// Rows rejected.
    pub problems: Vec<Problem>,
}

/// Read 360Giving files.
pub fn read(paths: &[&Path], limits: &Limits) -> Grants {
    let mut out = Grants::default();
    for path in paths {
        let tables = match read_tables(path, limits) {
            Ok(t) => t,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        for (file, t) in tables {
            let Some(h) = t
                .rows
                .iter()
                .take(40)
                .position(|r| Columns::of(&r.cells).has_grants())
            else {
                out.problems.push(Problem::file(
                    &file,
                    "no 360Giving header (Amount Awarded, Award Date) in the first 40 rows",
                ));
                continue;
            };
            let head = &t.rows[h].cells;
            let c = Columns::of(head);
            for r in &t.rows[h + 1..] {
                if r.cells.iter().all(|x| x.trim().is_empty()) {
                    continue;
                }
                out.read += 1;
                let get = |i: Option<usize>| i.map(|i| r.cell(i).trim()).unwrap_or("");
                let prob = |i: Option<usize>, problem: &str| Problem {
                    file: file.clone(),
                    line: r.line,
                    column: i.and_then(|i| head.get(i)).cloned().unwrap_or_default(),
                    value: get(i).to_string(),
                    problem: problem.to_string(),
                };
                let amount = get(c.amount_awarded).replace([',', '£'], "");
                let Some(pence) = amount
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .map(|v| (v * 100.0).round() as i64)
                else {
                    out.problems.push(prob(c.amount_awarded, "not an amount"));
                    continue;
                };
                let Some(d) = award_date(get(c.award_date)) else {
                    out.problems
                        .push(prob(c.award_date, "not an ISO 8601 date"));
                    continue;
                };
                let programme = match (get(c.programme), get(c.funder_department)) {
                    ("", "") => "(no programme given)".to_string(),
                    ("", d) => d.to_string(),
                    (p, _) => p.to_string(),
                };
                out.grants.push(Grant {
                    id: get(c.identifier).to_string(),
                    pence,
                    year: FinancialYear::of(d),
                    programme,
                    funder: get(c.funder).to_string(),
                    recipient: get(c.recipient).to_string(),
                    postcode: get(c.recipient_postcode).to_string(),
                    beneficiary_codes: get(c.beneficiary_code)
                        .split([';', ','])
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                    file: file.clone(),
                    line: r.line,
                });
            }
        }
    }
    out
}
