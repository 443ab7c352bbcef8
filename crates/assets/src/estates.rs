//! NHS estates returns: the Estates Returns Information Collection (ERIC, NHS Digital), one
//! row per trust and year — land owned, land not delivering services, floor area, empty and
//! under-used floor area, estates and facilities costs. The NHS side of an anchor network's
//! land: what a trust holds that is not delivering services is what it could offer for
//! community use or housing.
//!
//! As published the files are `$`-delimited with two header rows (section headings, then
//! column names with their units in brackets) and the column set changes every year, so
//! columns are found by the meaning of their names ([`anchornet_ingest::vocab::normalise`]),
//! e.g. "Site land area (Hectare)" (2013/14–2015/16) and "Land area owned (Hectares)"
//! (2016/17) are both the land owned. Files are opened with ingest's openers within
//! [`Limits`] and decoded as ingest decodes (UTF-8, else Windows-1252). Trust level only: ERIC
//! gives no site locations, so a trust's land is not placed in a neighbourhood.

use anchornet_core::{FinancialYear, Pence};
use anchornet_ingest::format::delimited;
use anchornet_ingest::{input, Limits};

use crate::status::DecisionProblem as Problem;

/// One measure of an ERIC row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    /// Land area owned, hectares.
    LandHa,
    /// Land area not delivering services, hectares (2016/17 on).
    LandNotDeliveringHa,
    /// Gross internal floor area, m².
    GiaM2,
    /// Occupied floor area, m².
    OccupiedM2,
    /// Empty floor area, % of the gross internal area (2015/16 on).
    EmptyPct,
    /// Under-used floor area, % (2015/16 on).
    UnderUsedPct,
    /// Hard FM (estates) costs, £.
    HardFm,
    /// Soft FM (hotel services) costs, £.
    SoftFm,
    /// Investment to reduce backlog maintenance, £.
    BacklogInvestment,
}

impl Measure {
    /// Every measure, in output order.
    pub const ALL: [Measure; 9] = [
        Measure::LandHa,
        Measure::LandNotDeliveringHa,
        Measure::GiaM2,
        Measure::OccupiedM2,
        Measure::EmptyPct,
        Measure::UnderUsedPct,
        Measure::HardFm,
        Measure::SoftFm,
        Measure::BacklogInvestment,
    ];

    /// Column name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Measure::LandHa => "land_ha",
            Measure::LandNotDeliveringHa => "land_not_delivering_services_ha",
            Measure::GiaM2 => "gross_internal_floor_area_m2",
            Measure::OccupiedM2 => "occupied_floor_area_m2",
            Measure::EmptyPct => "floor_area_empty_pct",
            Measure::UnderUsedPct => "floor_area_under_used_pct",
            Measure::HardFm => "hard_fm_costs",
            Measure::SoftFm => "soft_fm_costs",
            Measure::BacklogInvestment => "backlog_investment",
        }
    }

    /// Whether the measure is money (kept as [`Pence`]).
    pub fn is_money(self) -> bool {
        matches!(
            self,
            Measure::HardFm | Measure::SoftFm | Measure::BacklogInvestment
        )
    }

    /// Does this (normalised) column name hold the measure?
    fn of(n: &str) -> Option<Measure> {
        let w: Vec<&str> = n.split(' ').collect();
        let has = |x: &str| w.contains(&x);
        let phrase = |p: &str| n.contains(p);
        if has("forecast") || has("sold") || has("retail") || has("patient") || has("suitable") {
            return None;
        }
        if phrase("land area not delivering") {
            Some(Measure::LandNotDeliveringHa)
        } else if has("land") && has("area") && (has("hectare") || has("hectares") || has("ha")) {
            Some(Measure::LandHa)
        } else if phrase("gross internal") && phrase("floor area") {
            Some(Measure::GiaM2)
        } else if n.starts_with("occupied floor area") {
            Some(Measure::OccupiedM2)
        } else if phrase("floor area") && has("empty") {
            Some(Measure::EmptyPct)
        } else if phrase("floor area") && (phrase("under used") || has("underused")) {
            Some(Measure::UnderUsedPct)
        } else if phrase("hard fm") && has("costs") {
            Some(Measure::HardFm)
        } else if phrase("soft fm") && has("costs") {
            Some(Measure::SoftFm)
        } else if phrase("investment to reduce backlog") {
            Some(Measure::BacklogInvestment)
        } else {
            None
        }
    }
}

/// A measure's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// Area or percentage.
    Number(f64),
    /// Money.
    Money(Pence),
}

/// One trust in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustYear {
    /// The file.
    pub file: String,
    /// Its line.
    pub line: u64,
    /// The financial year, from the file name (`ERIC-2016-17.csv`).
    pub year: Option<FinancialYear>,
    /// NHS organisation code.
    pub code: String,
    /// Organisation name.
    pub name: String,
    /// The measures the file gives for the trust.
    pub values: Vec<(Measure, Value)>,
}

impl TrustYear {
    /// A measure's value.
    pub fn get(&self, m: Measure) -> Option<Value> {
        self.values.iter().find(|v| v.0 == m).map(|v| v.1)
    }

    /// Empty floor area in m²: the gross internal area × the empty percentage.
    pub fn empty_m2(&self) -> Option<f64> {
        match (self.get(Measure::GiaM2), self.get(Measure::EmptyPct)) {
            (Some(Value::Number(g)), Some(Value::Number(p))) => Some(g * p / 100.0),
            _ => None,
        }
    }
}

/// Every trust-year of the files read, and the cells that could not be read.
#[derive(Debug, Clone, Default)]
pub struct Estates {
    /// Rows.
    pub rows: Vec<TrustYear>,
    /// Cells or files that could not be used.
    pub problems: Vec<Problem>,
}

fn year_of(name: &str) -> Option<FinancialYear> {
    let b = name.as_bytes();
    (0..b.len().saturating_sub(6)).find_map(|i| {
        let s = name.get(i..i + 7)?;
        (b[i].is_ascii_digit() && !(i > 0 && b[i - 1].is_ascii_digit()))
            .then(|| s.parse::<FinancialYear>().ok())
            .flatten()
    })
}

impl Estates {
    /// Read ERIC files.
    pub fn read(paths: &[String], limits: &Limits) -> Estates {
        let mut out = Estates::default();
        let problem = |file: &str, line: u64, column: &str, value: &str, p: String| Problem {
            file: file.to_string(),
            line,
            column: column.to_string(),
            value: value.to_string(),
            problem: p,
        };
        let files = match input::expand(paths) {
            Ok(f) => f,
            Err(e) => {
                out.problems.push(problem(&e.name, 0, "", "", e.message));
                return out;
            }
        };
        for f in files {
            let sources = match input::open_with(&f, limits) {
                Ok(s) => s,
                Err(e) => {
                    out.problems.push(problem(&e.name, 0, "", "", e.message));
                    continue;
                }
            };
            for src in sources {
                let (text, _) = delimited::decode(&src.bytes);
                let delim = if text.lines().take(3).any(|l| l.matches('$').count() > 3) {
                    b'$'
                } else {
                    b','
                };
                let rows = match delimited::parse_text_within(&text, delim, limits) {
                    Ok(r) => r,
                    Err(e) => {
                        out.problems
                            .push(problem(&src.name, 0, "", "", e.to_string()));
                        continue;
                    }
                };
                out.add(&src.name, &rows, &problem);
            }
        }
        out
    }

    fn add(
        &mut self,
        file: &str,
        rows: &[anchornet_ingest::format::Row],
        problem: &dyn Fn(&str, u64, &str, &str, String) -> Problem,
    ) {
        let norm = anchornet_ingest::vocab::normalise;
        let Some(h) = rows.iter().take(5).position(|r| {
            r.cells.iter().any(|c| {
                let n = norm(c);
                n == "organisation code" || n == "trust code"
            })
        }) else {
            self.problems.push(problem(
                file,
                0,
                "",
                "",
                "no header row with an Organisation Code column in the first 5 rows: not an ERIC return".into(),
            ));
            return;
        };
        let header: Vec<String> = rows[h].cells.iter().map(|c| norm(c)).collect();
        let col = |want: &[&str]| header.iter().position(|c| want.contains(&c.as_str()));
        let code = col(&["organisation code", "trust code"]).unwrap_or(0);
        let name = col(&["organisation name", "trust name"]);
        let mut measures: Vec<(Measure, usize)> = Vec::new();
        for (i, c) in header.iter().enumerate() {
            if let Some(m) = Measure::of(c) {
                if !measures.iter().any(|x| x.0 == m) {
                    measures.push((m, i));
                }
            }
        }
        let year = year_of(file.rsplit('/').next().unwrap_or(file));
        for r in &rows[h + 1..] {
            if r.is_blank() {
                continue;
            }
            let mut values = Vec::new();
            for &(m, i) in &measures {
                let v = r.cell(i).trim();
                if v.is_empty() {
                    continue;
                }
                let pct = matches!(m, Measure::EmptyPct | Measure::UnderUsedPct);
                let parsed = if m.is_money() {
                    Pence::parse(v).ok().map(Value::Money)
                } else {
                    v.replace(',', "")
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite())
                        // 2016/17 has "Floor area - empty (%)" values over 100 (a unit the
                        // return does not state): not used as a percentage.
                        .filter(|x| !pct || (0.0..=100.0).contains(x))
                        .map(Value::Number)
                };
                match parsed {
                    Some(p) => values.push((m, p)),
                    None => self.problems.push(problem(
                        file,
                        r.line,
                        rows[h].cell(i).trim(),
                        v,
                        format!(
                            "not a number{}: {} left blank for this trust",
                            if pct { " from 0 to 100" } else { "" },
                            m.name()
                        ),
                    )),
                }
            }
            self.rows.push(TrustYear {
                file: file.to_string(),
                line: r.line,
                year,
                code: r.cell(code).trim().to_string(),
                name: name.map_or("", |i| r.cell(i).trim()).to_string(),
                values,
            });
        }
    }

    /// Write one row per trust and year.
    pub fn write_csv<W: std::io::Write>(&self, w: W) -> csv::Result<W> {
        let mut w = csv::Writer::from_writer(w);
        let mut header = vec!["year", "organisation_code", "organisation_name"];
        header.extend(Measure::ALL.iter().map(|m| m.name()));
        header.extend(["floor_area_empty_m2", "source_file", "source_line"]);
        w.write_record(&header)?;
        for t in &self.rows {
            let mut rec = vec![
                t.year.map(|y| y.to_string()).unwrap_or_default(),
                t.code.clone(),
                t.name.clone(),
            ];
            for m in Measure::ALL {
                rec.push(match t.get(m) {
                    Some(Value::Number(x)) => format!("{x}"),
                    Some(Value::Money(p)) => p.to_pounds_string(),
                    None => String::new(),
                });
            }
            rec.push(t.empty_m2().map(|x| format!("{x:.1}")).unwrap_or_default());
            rec.push(t.file.clone());
            rec.push(t.line.to_string());
            w.write_record(
                rec.iter()
                    .map(|c| anchornet_core::cell::spreadsheet_text(c).into_owned()),
            )?;
        }
        w.flush()?;
        w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eric_column_names_by_meaning() {
        let m = |h: &str| Measure::of(&anchornet_ingest::vocab::normalise(h));
        assert_eq!(m("Site land area (Hectare)"), Some(Measure::LandHa));
        assert_eq!(m("Land area owned (Hectares)"), Some(Measure::LandHa));
        assert_eq!(
            m("Land area not delivering services (Hectares)"),
            Some(Measure::LandNotDeliveringHa)
        );
        assert_eq!(m("Building and land area sold (Hectare)"), None);
        assert_eq!(
            m("Gross internal site floor area (m²)"),
            Some(Measure::GiaM2)
        );
        assert_eq!(m("Occupied floor area (m²)"), Some(Measure::OccupiedM2));
        assert_eq!(m("Patient occupied floor area (m²)"), None);
        assert_eq!(m("Floor area - empty (%)"), Some(Measure::EmptyPct));
        assert_eq!(
            m("Floor area - under used (%)"),
            Some(Measure::UnderUsedPct)
        );
        assert_eq!(m("Hard FM (Estates) costs (£)"), Some(Measure::HardFm));
        assert_eq!(
            m("Total hard FM (estates) costs (£)"),
            Some(Measure::HardFm)
        );
        assert_eq!(
            year_of("ERIC-2016-17.csv")
                .map(|y| y.to_string())
                .as_deref(),
            Some("2016/17")
        );
    }
}
