//! Vacancy, and the status of an asset for community use: a vacant asset starts as a
//! `candidate` (for community use, meanwhile use or community asset transfer); people move it
//! on — `in-discussion`, `agreed`, `transferred` — or set it aside (`not-suitable`) in a
//! decisions file, applied on every run with its history kept.
//!
//! The decisions file is CSV with the header `asset,status,by,at,note`, one decision a row, in
//! the order they were made (as the suppliers' overrides file, `action,name,value,note,by,at`):
//!
//! ```text
//! asset,status,by,at,note
//! TMBC0004,in-discussion,jo,2026-11-02,Partington group asked for a viewing
//! TMBC0004,agreed,cabinet,2026-12-01,lease on community asset transfer terms
//! ```
//!
//! `asset` is the register's asset id or UPRN (a `file:line` for rows with neither). A
//! decision naming no asset of the run, a status that is not one of these, or a move the
//! workflow does not allow ([`Status::may_move`]: e.g. `transferred → agreed`, or the status
//! the asset already has) is reported with its file and line, never silently ignored.
//!
//! A workspace keeps the same decisions in its store instead of a file (`/assets/{asset}` in
//! the web); they are applied by the same [`Decisions::apply`].

use std::collections::HashMap;
use std::path::Path;

use crate::fields::Field;
use crate::register::{Asset, Sheet};

/// Where an asset stands for community use: the one type both the decisions file and the
/// workspace's stored decisions use, with the moves allowed ([`Status::may_move`]).
pub use anchornet_core::AssetStatus as Status;

/// Words that, in a tenure, occupation or use cell, say the asset stands empty. The
/// Transparency Code's own characteristic is "vacant"; registers also write "void",
/// "unoccupied" and "empty".
const VACANT_WORDS: [&str; 4] = ["vacant", "void", "unoccupied", "empty"];
const NEGATIONS: [&str; 3] = ["not", "non", "no"];

fn says_vacant(text: &str) -> bool {
    let n = anchornet_ingest::vocab::normalise(text);
    let w: Vec<&str> = n.split(' ').collect();
    w.iter()
        .enumerate()
        .any(|(i, t)| VACANT_WORDS.contains(t) && !(i > 0 && NEGATIONS.contains(&w[i - 1])))
}

fn yes_no(text: &str) -> Option<bool> {
    match anchornet_ingest::vocab::normalise(text).as_str() {
        "y" | "yes" | "true" | "1" => Some(true),
        "n" | "no" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// Whether the register says the asset is vacant, and which cell says so (`Header=value`).
pub fn vacancy(sheet: &Sheet, a: &Asset) -> Option<(bool, String)> {
    // A yes/no column: "Vacant? Y", "Occupied: No".
    if let Some(i) = sheet.columns.get(Field::Vacancy) {
        let v = a.cells.get(i).map_or("", |s| s.trim());
        let h = &sheet.header[i];
        let hn = anchornet_ingest::vocab::normalise(h);
        let occupied_header = hn.split(' ').any(|w| w == "occupied") && !says_vacant(h);
        let ev = format!("{h}={v}");
        if let Some(b) = yes_no(v) {
            return Some((if occupied_header { !b } else { b }, ev));
        }
        if says_vacant(v) {
            return Some((true, ev));
        }
    }
    let mut seen = None;
    for f in [
        Field::TenureDetail,
        Field::Use,
        Field::HoldingType,
        Field::Tenure,
    ] {
        for i in sheet.columns.all(f) {
            let v = a.cells.get(i).map_or("", |s| s.trim());
            if v.is_empty() {
                continue;
            }
            let ev = format!("{}={v}", sheet.header[i]);
            if says_vacant(v) {
                return Some((true, ev));
            }
            if f == Field::TenureDetail && seen.is_none() {
                seen = Some((false, ev));
            }
        }
    }
    seen
}

/// One step in an asset's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The status set.
    pub status: Status,
    /// Who (a person, a committee; `register` for the default).
    pub by: String,
    /// When (as written).
    pub at: String,
    /// Why.
    pub note: String,
}

/// A decision that could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionProblem {
    /// The decisions file.
    pub file: String,
    /// Its line.
    pub line: u64,
    /// The column.
    pub column: String,
    /// The value.
    pub value: String,
    /// What is wrong.
    pub problem: String,
}

/// One decision from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The file.
    pub file: String,
    /// Its line.
    pub line: u64,
    /// The asset id, UPRN or `file:line`.
    pub asset: String,
    /// The step.
    pub step: Step,
}

/// Every decision, in file order.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    /// The decisions.
    pub list: Vec<Decision>,
    /// Rows that are not decisions.
    pub problems: Vec<DecisionProblem>,
}

impl Decisions {
    /// Read a decisions file (`asset,status,by,at,note`; columns found by name, any order).
    pub fn read(path: &Path) -> std::io::Result<Decisions> {
        let file = path.to_string_lossy().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{file}: {e}")))?;
        Ok(Decisions::parse(&file, &text))
    }

    /// Parse decisions text.
    pub fn parse(file: &str, text: &str) -> Decisions {
        let mut out = Decisions::default();
        let mut rd = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header: Vec<String> = match rd.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
            Err(e) => {
                out.problems.push(DecisionProblem {
                    file: file.into(),
                    line: 1,
                    column: String::new(),
                    value: String::new(),
                    problem: format!("not CSV: {e}"),
                });
                return out;
            }
        };
        let col = |n: &str| header.iter().position(|h| h == n);
        let (Some(ca), Some(cs)) = (col("asset"), col("status")) else {
            out.problems.push(DecisionProblem {
                file: file.into(),
                line: 1,
                column: header.join(","),
                value: String::new(),
                problem: "the header must name the columns asset and status (and by, at, note)"
                    .into(),
            });
            return out;
        };
        let (cb, ct, cn) = (col("by"), col("at"), col("note"));
        for rec in rd.records() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    out.problems.push(DecisionProblem {
                        file: file.into(),
                        line: e.position().map_or(0, |p| p.line()),
                        column: String::new(),
                        value: String::new(),
                        problem: e.to_string(),
                    });
                    continue;
                }
            };
            let line = rec.position().map_or(0, |p| p.line());
            let get =
                |c: Option<usize>| c.and_then(|i| rec.get(i)).unwrap_or("").trim().to_string();
            let asset = get(Some(ca));
            let st = get(Some(cs));
            if asset.is_empty() && st.is_empty() {
                continue;
            }
            let Some(status) = Status::parse(&st) else {
                out.problems.push(DecisionProblem {
                    file: file.into(),
                    line,
                    column: "status".into(),
                    value: st,
                    problem: format!(
                        "not a status: use one of {}",
                        Status::ALL.map(Status::as_str).join(", ")
                    ),
                });
                continue;
            };
            out.list.push(Decision {
                file: file.into(),
                line,
                asset,
                step: Step {
                    status,
                    by: get(cb),
                    at: get(ct),
                    note: get(cn),
                },
            });
        }
        out
    }

    /// Apply the decisions to the assets' histories: `keys[i]` are the names asset `i`
    /// answers to (asset id, UPRN, `file:line`), `histories[i]` its history so far (the
    /// register's default). Decisions naming no asset are added to the problems.
    pub fn apply(&mut self, keys: &[Vec<String>], histories: &mut [Vec<Step>]) {
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, ks) in keys.iter().enumerate() {
            for k in ks {
                by_key.entry(k.as_str()).or_default().push(i);
            }
        }
        for d in &self.list {
            match by_key.get(d.asset.as_str()).map(Vec::as_slice) {
                Some([i]) => {
                    let from = histories[*i].last().map(|s| s.status);
                    match Status::may_move(from, d.step.status) {
                        Ok(()) => histories[*i].push(d.step.clone()),
                        Err(why) => self.problems.push(DecisionProblem {
                            file: d.file.clone(),
                            line: d.line,
                            column: "status".into(),
                            value: d.step.status.as_str().into(),
                            problem: format!("not applied: {why}"),
                        }),
                    }
                }
                Some(many) => self.problems.push(DecisionProblem {
                    file: d.file.clone(),
                    line: d.line,
                    column: "asset".into(),
                    value: d.asset.clone(),
                    problem: format!(
                        "names {} assets of the run: use the asset id or file:line",
                        many.len()
                    ),
                }),
                None => self.problems.push(DecisionProblem {
                    file: d.file.clone(),
                    line: d.line,
                    column: "asset".into(),
                    value: d.asset.clone(),
                    problem: "names no asset of the run (asset id, UPRN or file:line)".into(),
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vacant_words_and_negations() {
        assert!(says_vacant("Vacant"));
        assert!(says_vacant("Vacant land"));
        assert!(says_vacant("VOID"));
        assert!(!says_vacant("Not vacant"));
        assert!(!says_vacant("Owner Occupied"));
        assert!(!says_vacant("Leasehold Out"));
        assert_eq!(Status::parse("In discussion"), Some(Status::InDiscussion));
        assert_eq!(Status::parse("sold"), None);
    }

    #[test]
    fn decisions_apply_in_order_and_strays_are_reported() {
        let mut d = Decisions::parse(
            "d.csv",
            "asset,status,by,at,note\nA1,in discussion,jo,2026-11-02,viewing\nA1,agreed,cabinet,2026-12-01,\nZZ,agreed,,,\nA1,sold,,,\n",
        );
        assert_eq!(d.list.len(), 3);
        assert_eq!(d.problems.len(), 1);
        assert_eq!(d.problems[0].line, 5);
        let keys = vec![vec!["A1".to_string()], vec!["B2".to_string()]];
        let mut h = vec![Vec::new(), Vec::new()];
        d.apply(&keys, &mut h);
        assert_eq!(h[0].len(), 2);
        assert_eq!(h[0][1].status, Status::Agreed);
        assert_eq!(h[0][0].by, "jo");
        assert_eq!(d.problems.len(), 2);
        assert_eq!(d.problems[1].line, 4);
        assert_eq!(d.problems[1].value, "ZZ");
    }

    #[test]
    fn a_move_the_workflow_refuses_is_reported_not_applied() {
        let mut d = Decisions::parse(
            "d.csv",
            "asset,status,by,at,note\nA1,transferred,jo,,\nA1,agreed,jo,,\nA1,candidate,jo,,handed back\n",
        );
        let keys = vec![vec!["A1".to_string()]];
        let mut h = vec![Vec::new()];
        d.apply(&keys, &mut h);
        let got: Vec<Status> = h[0].iter().map(|s| s.status).collect();
        assert_eq!(got, [Status::Transferred, Status::Candidate]);
        assert_eq!(d.problems.len(), 1);
        assert_eq!(
            (d.problems[0].line, d.problems[0].column.as_str()),
            (3, "status")
        );
        assert!(
            d.problems[0].problem.contains("only a hand-back"),
            "{:?}",
            d.problems
        );
    }
}
