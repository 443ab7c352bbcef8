//! Wage rates as data: the adult statutory minimum (NMW to 2015, NLW from April 2016) and the
//! Living Wage Foundation's Real Living Wage (UK and London), read from the bundled
//! `data/workforce/uk_wage_rates.csv.xz` (provenance in `data/workforce/README.md`). No rate
//! is written in code.

use anchornet_core::{PaymentDate, Pence};

use crate::soc::table_of;

/// Which rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RateKind {
    /// National Minimum Wage, adult rate (before April 2016).
    Nmw,
    /// National Living Wage (the statutory adult minimum from April 2016).
    Nlw,
    /// Real Living Wage (voluntary; Living Wage Foundation).
    Rlw,
}

/// One rate and the date it applies from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    /// Which rate.
    pub kind: RateKind,
    /// `UK` or `London`.
    pub area: String,
    /// The first day it applies.
    pub from: PaymentDate,
    /// Pence per hour.
    pub hourly: Pence,
    /// The youngest age it applies to.
    pub min_age: u8,
    /// Where the figure comes from.
    pub source: String,
}

/// The bundled rates file.
pub const BUNDLED: &[u8] = include_bytes!("../../../data/workforce/uk_wage_rates.csv.xz");

/// Every rate, by kind, area and date.
#[derive(Debug, Clone)]
pub struct Rates {
    /// In file order.
    pub rates: Vec<Rate>,
}

/// The rates file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("wage rates file, line {line}: {problem}")]
pub struct RatesError {
    /// Line (0 for the file).
    pub line: u64,
    /// What is wrong.
    pub problem: String,
}

impl Rates {
    /// The bundled rates.
    pub fn bundled() -> Result<Rates, RatesError> {
        Rates::from_bytes("uk_wage_rates.csv.xz", BUNDLED.to_vec())
    }

    /// Read a rates file (`rate,area,effective_from,hourly_gbp,ages,source`).
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Rates, RatesError> {
        let e = |line, problem: String| RatesError { line, problem };
        let rows = table_of(name, bytes).map_err(|p| e(0, p))?;
        let (header, data) = rows.split_first().ok_or_else(|| e(0, "empty".into()))?;
        let col = |n: &str| {
            header
                .cells
                .iter()
                .position(|c| c.trim().trim_start_matches('\u{feff}') == n)
                .ok_or_else(|| e(1, format!("no column {n:?}")))
        };
        let (ck, ca, cf, ch, cg, cs) = (
            col("rate")?,
            col("area")?,
            col("effective_from")?,
            col("hourly_gbp")?,
            col("ages")?,
            col("source")?,
        );
        let mut rates = Vec::new();
        for r in data.iter().filter(|r| !r.is_blank()) {
            let kind = match r.cell(ck).trim() {
                "nmw" => RateKind::Nmw,
                "nlw" => RateKind::Nlw,
                "rlw" => RateKind::Rlw,
                k => return Err(e(r.line, format!("unknown rate {k:?}"))),
            };
            let from = PaymentDate::parse(r.cell(cf)).map_err(|x| e(r.line, x.to_string()))?;
            let hourly = Pence::parse(r.cell(ch)).map_err(|x| e(r.line, x.to_string()))?;
            let min_age = r
                .cell(cg)
                .trim()
                .trim_end_matches('+')
                .parse()
                .map_err(|_| e(r.line, format!("ages {:?} is not like 21+", r.cell(cg))))?;
            rates.push(Rate {
                kind,
                area: r.cell(ca).trim().to_string(),
                from,
                hourly,
                min_age,
                source: r.cell(cs).trim().to_string(),
            });
        }
        Ok(Rates { rates })
    }

    /// The rate of this kind (the statutory minimum: NLW, or NMW before it) for `area` in
    /// force on `on`: the latest that applies from that date or before.
    pub fn in_force(&self, kind: RateKind, area: &str, on: PaymentDate) -> Option<&Rate> {
        let kinds: &[RateKind] = match kind {
            RateKind::Nmw | RateKind::Nlw => &[RateKind::Nmw, RateKind::Nlw],
            RateKind::Rlw => &[RateKind::Rlw],
        };
        self.rates
            .iter()
            .filter(|r| {
                kinds.contains(&r.kind) && r.area.eq_ignore_ascii_case(area) && r.from <= on
            })
            .max_by_key(|r| r.from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(s: &str) -> PaymentDate {
        PaymentDate::parse(s).unwrap()
    }

    /// Expected values are the official announcements cited in data/workforce/README.md.
    #[test]
    fn rates_in_force_match_the_announcements() {
        let r = Rates::bundled().unwrap();
        let p = |k, a, d| r.in_force(k, a, on(d)).map(|x| x.hourly.to_string());
        assert_eq!(p(RateKind::Nlw, "UK", "2025-05-01"), Some("12.21".into()));
        assert_eq!(p(RateKind::Nlw, "UK", "2026-04-01"), Some("12.71".into()));
        assert_eq!(p(RateKind::Nlw, "UK", "2026-03-31"), Some("12.21".into()));
        assert_eq!(p(RateKind::Rlw, "UK", "2025-05-01"), Some("12.60".into()));
        assert_eq!(
            p(RateKind::Rlw, "London", "2025-05-01"),
            Some("13.85".into())
        );
        assert_eq!(p(RateKind::Rlw, "UK", "2026-05-01"), Some("13.45".into()));
        assert_eq!(
            p(RateKind::Rlw, "London", "2026-05-01"),
            Some("14.80".into())
        );
        // The shared 2012–2024 file: NMW £6.19 (2012), NLW £7.20 (2016), RLW £12.00 (2023).
        assert_eq!(p(RateKind::Nlw, "UK", "2013-01-01"), Some("6.19".into()));
        assert_eq!(p(RateKind::Nlw, "UK", "2016-04-01"), Some("7.20".into()));
        assert_eq!(p(RateKind::Rlw, "UK", "2024-05-01"), Some("12.00".into()));
        assert_eq!(
            r.in_force(RateKind::Nlw, "UK", on("2025-05-01"))
                .unwrap()
                .min_age,
            21
        );
        assert!(r.in_force(RateKind::Nlw, "UK", on("2010-01-01")).is_none());
    }
}
