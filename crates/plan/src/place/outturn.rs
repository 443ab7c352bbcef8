//! MHCLG revenue outturn (the RS, RSX and RO returns of "Local authority revenue expenditure
//! and financing"), in its long layout: one row per authority, year, form, line and measure.
//! Columns are found by meaning, not by one file's spelling: the authority (`council`,
//! `authority`, `LA name`…), its GSS code (`gss`, `ONS code`, `E-code`), the financial year,
//! the form (`RS`, `RSX`, `RO2`…), the line (`line name`, `service`), the measure or section
//! (`service_expenditure`, `net_current_expenditure`…) and the value, with its unit from the
//! header (`value_thousands`, `£000` → thousands of pounds; otherwise pounds).
//!
//! A council's revenue spending by service is the RS return's service expenditure lines
//! (net current expenditure by service: the form's summary, the same lines every council
//! returns); a line named as a total is kept apart and the lines are checked against it.

use std::path::Path;

use anchornet_core::FinancialYear;
use anchornet_ingest::vocab::normalise;
use anchornet_ingest::Limits;

use super::{read_tables, Problem};

/// One service line of one council's return.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The authority as the file names it.
    pub authority: String,
    /// Its GSS code.
    pub code: String,
    /// Financial year.
    pub year: FinancialYear,
    /// The service.
    pub service: String,
    /// Net current expenditure, pence (negative = net income).
    pub pence: i64,
    /// A total line ("TOTAL SERVICE EXPENDITURE"), not a service.
    pub total: bool,
    /// File and line.
    pub file: String,
    /// Line.
    pub line: u64,
}

/// The service lines read, with what was not used.
#[derive(Debug, Clone, Default)]
pub struct Outturn {
    /// Service expenditure lines (totals flagged).
    pub lines: Vec<Line>,
    /// Rows read.
    pub read: u64,
    /// Rows of other forms or measures (financing, reserves, detailed forms…).
    pub other: u64,
    /// Rows rejected, each with a problem.
    pub problems: Vec<Problem>,
}

#[derive(Default)]
struct Cols {
    authority: Option<usize>,
    code: Option<usize>,
    year: Option<usize>,
    form: Option<usize>,
    service: Option<usize>,
    measure: Option<usize>,
    value: Option<usize>,
    thousands: bool,
}

fn columns(header: &[String]) -> Cols {
    let mut c = Cols::default();
    for (i, h) in header.iter().enumerate() {
        let n = normalise(h);
        let has = |w: &str| n.split(' ').any(|x| x == w);
        let set = |slot: &mut Option<usize>| {
            if slot.is_none() {
                *slot = Some(i);
            }
        };
        if has("gss")
            || has("ons")
            || n == "ecode"
            || n == "e code"
            || (has("code") && (has("council") || has("authority") || has("la")))
        {
            set(&mut c.code);
        } else if has("council") || has("authority") || n == "la name" || has("organisation") {
            set(&mut c.authority);
        } else if has("year") || n == "period" {
            set(&mut c.year);
        } else if has("form") || n == "return" {
            set(&mut c.form);
        } else if (has("line") || has("service")) && !has("code") {
            set(&mut c.service);
        } else if has("measure") || has("section") {
            set(&mut c.measure);
        } else if has("value") || has("amount") || has("outturn") || has("expenditure") {
            if c.value.is_none() {
                c.thousands = has("thousands") || has("000") || n.contains("000");
            }
            set(&mut c.value);
        }
    }
    c
}

/// Whether a line's name says it is a total.
fn is_total(s: &str) -> bool {
    normalise(s).split(' ').next() == Some("total")
}

/// Parse a money cell in the file's unit into pence.
fn pence(s: &str, thousands: bool) -> Option<i64> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '£')
        .collect();
    let (neg, t) = match t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        Some(x) => (true, x.to_string()),
        None => (false, t),
    };
    let v: f64 = t.parse().ok().filter(|v: &f64| v.is_finite())?;
    let v = if neg { -v } else { v };
    let p = v * if thousands { 100_000.0 } else { 100.0 };
    Some(p.round() as i64)
}

/// Read revenue outturn files.
pub fn read(paths: &[&Path], limits: &Limits) -> Outturn {
    let mut out = Outturn::default();
    for path in paths {
        let tables = match read_tables(path, limits) {
            Ok(t) => t,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        for (file, t) in tables {
            let Some(h) = t.rows.iter().take(40).position(|r| {
                let c = columns(&r.cells);
                c.service.is_some() && c.value.is_some() && c.year.is_some()
            }) else {
                out.problems.push(Problem::file(
                    &file,
                    "no header naming a year, a line or service and a value in the first 40 rows: not a revenue outturn file",
                ));
                continue;
            };
            let c = columns(&t.rows[h].cells);
            let (Some(sv), Some(vv), Some(yv)) = (c.service, c.value, c.year) else {
                continue;
            };
            for r in &t.rows[h + 1..] {
                if r.cells.iter().all(|x| x.trim().is_empty()) {
                    continue;
                }
                out.read += 1;
                let get = |i: Option<usize>| i.map(|i| r.cell(i).trim()).unwrap_or("");
                let form = get(c.form).to_ascii_uppercase();
                let measure = normalise(get(c.measure));
                // The RS return's service lines; a file without form or measure columns is
                // taken to be service expenditure throughout.
                let wanted = (c.form.is_none() || form == "RS")
                    && (c.measure.is_none() || measure == "service expenditure");
                if !wanted {
                    out.other += 1;
                    continue;
                }
                let prob = |column: &str, value: &str, problem: &str| Problem {
                    file: file.clone(),
                    line: r.line,
                    column: column.to_string(),
                    value: value.to_string(),
                    problem: problem.to_string(),
                };
                let Ok(year) = get(Some(yv)).parse::<FinancialYear>() else {
                    out.problems.push(prob(
                        &t.rows[h].cells[yv],
                        get(Some(yv)),
                        "not a financial year",
                    ));
                    continue;
                };
                let Some(p) = pence(get(Some(vv)), c.thousands) else {
                    out.problems
                        .push(prob(&t.rows[h].cells[vv], get(Some(vv)), "not an amount"));
                    continue;
                };
                let service = get(Some(sv)).to_string();
                out.lines.push(Line {
                    authority: get(c.authority).to_string(),
                    code: get(c.code).to_string(),
                    year,
                    total: is_total(&service),
                    service,
                    pence: p,
                    file: file.clone(),
                    line: r.line,
                });
            }
        }
    }
    out
}

impl Outturn {
    /// Check each council's and year's service lines against its total line: the
    /// differences, as (authority code, year, sum of lines, total) where they disagree.
    pub fn unreconciled(&self) -> Vec<(String, FinancialYear, i64, i64)> {
        use std::collections::BTreeMap;
        let mut sums: BTreeMap<(String, FinancialYear), (i64, Option<i64>)> = BTreeMap::new();
        for l in &self.lines {
            let e = sums.entry((l.code.clone(), l.year)).or_default();
            if l.total {
                e.1 = Some(l.pence);
            } else {
                e.0 += l.pence;
            }
        }
        sums.into_iter()
            .filter_map(|((c, y), (s, t))| t.filter(|t| *t != s).map(|t| (c, y, s, t)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_meaning_and_units_by_the_header() {
        let h: Vec<String> = [
            "council",
            "council_gss_code",
            "year",
            "form",
            "line_code",
            "line_name",
            "measure",
            "value_thousands",
        ]
        .map(String::from)
        .to_vec();
        let c = columns(&h);
        assert_eq!(
            (
                c.authority,
                c.code,
                c.year,
                c.form,
                c.service,
                c.measure,
                c.value
            ),
            (
                Some(0),
                Some(1),
                Some(2),
                Some(3),
                Some(5),
                Some(6),
                Some(7)
            )
        );
        assert!(c.thousands);
        let h: Vec<String> = [
            "LA Name",
            "E-code",
            "Financial Year",
            "Service",
            "Net current expenditure (£)",
        ]
        .map(String::from)
        .to_vec();
        let c = columns(&h);
        assert_eq!(
            (c.authority, c.code, c.year, c.service, c.value),
            (Some(0), Some(1), Some(2), Some(3), Some(4))
        );
        assert!(!c.thousands);
        assert_eq!(pence("-290", true), Some(-29_000_000));
        assert_eq!(pence("(1,234.5)", false), Some(-123_450));
    }
}
