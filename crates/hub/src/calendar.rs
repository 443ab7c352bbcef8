//! The pipeline calendar: the contracts that end, and the procurements that come to
//! market, in the next N months from a date, each with its re-procurement window.
//!
//! **Re-procurement window.** A contract ending on day E should be re-procured from
//! E − lead time, the lead time growing with the value band. The defaults
//! ([`Bands::default`]) are a judgement anchored on the Procurement Act 2023, and every band
//! can be changed (`--lead VALUE:MONTHS,…`):
//!
//! | value (incl. VAT)          | lead | why |
//! |----------------------------|------|-----|
//! | under £30,000              | 3 months | below the sub-central threshold above which a contract must be published (Procurement Act 2023 s.86 and the Procurement Regulations 2024: £30,000 for non-central authorities); quotations and a short evaluation |
//! | £30,000 to £214,904        | 6 months | a published below-threshold competition: specification, notice, at least the response time the buyer sets, evaluation, award |
//! | £214,904 to £5,372,609     | 9 months | above the goods and services threshold for sub-central authorities (Schedule 1, from 1 January 2024): preliminary market engagement, tender notice, minimum time limits (s.54: 25 days for an open procedure with a tender notice, longer otherwise), assessment, contract award notice and an 8 working-day standstill (s.51) |
//! | £5,372,609 and above       | 12 months | above the works threshold: larger, often multi-stage procedures; authorities spending over £100m a year must already list contracts over £2m for the next 18 months in a pipeline notice (s.93) |
//!
//! A contract is on the calendar if its end (current expiry) falls in the horizon, or if
//! its window opens in the horizon (so a large contract ending just after the horizon still
//! shows when its re-procurement should start). A procurement "comes to market" when its
//! tender period starts or a forward plan says the buyer will approach the market, and is
//! open when its tender period ends, in the horizon.

use anchornet_core::Pence;
use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::opportunity::Opportunity;

/// Today's date (UTC), from the system clock.
pub fn today() -> NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|d| d.checked_add_days(chrono::Days::new(secs / 86_400)))
        .unwrap_or(NaiveDate::MIN)
}

/// A `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date YYYY-MM-DD"))
}

/// Lead times by value band: `(lower bound, months)`, ascending by bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bands(pub Vec<(Pence, u32)>);

impl Default for Bands {
    fn default() -> Self {
        Bands(vec![
            (Pence(0), 3),
            (Pence(3_000_000), 6),
            (Pence(21_490_400), 9),
            (Pence(537_260_900), 12),
        ])
    }
}

impl Bands {
    /// Parse `VALUE:MONTHS,…` (value in pounds, e.g. `0:3,30000:6,214904:9,5372609:12`).
    pub fn parse(s: &str) -> Result<Bands, String> {
        let mut v = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (val, m) = part
                .split_once(':')
                .ok_or_else(|| format!("lead band `{part}`: expected VALUE:MONTHS"))?;
            let p = Pence::parse(val).map_err(|e| format!("lead band `{part}`: value: {e}"))?;
            let m: u32 = m
                .trim()
                .parse()
                .map_err(|_| format!("lead band `{part}`: months is not a whole number"))?;
            v.push((p, m));
        }
        if v.is_empty() {
            return Err("no lead bands given".into());
        }
        v.sort();
        Ok(Bands(v))
    }

    /// The lead time for a value (unknown value: the lowest band's).
    pub fn lead(&self, value: Option<Pence>) -> u32 {
        let v = value.unwrap_or_default();
        self.0
            .iter()
            .rev()
            .find(|(b, _)| v >= *b)
            .or(self.0.first())
            .map(|x| x.1)
            .unwrap_or(0)
    }
}

/// What an opportunity is on the calendar for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The contract ends (or its re-procurement window opens) in the horizon.
    ContractEnds,
    /// The procurement comes to market in the horizon.
    ComesToMarket,
    /// Its tender is open: bids are due in the horizon.
    TenderCloses,
}

impl Event {
    /// Label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Event::ContractEnds => "contract ends",
            Event::ComesToMarket => "comes to market",
            Event::TenderCloses => "tender closes",
        }
    }
}

/// Which opportunities to show.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this anchor's (name as in the network file; case-insensitive).
    pub anchor: Option<String>,
    /// Only the network's anchors' opportunities.
    pub anchors_only: bool,
    /// Only these CPV divisions (two digits).
    pub divisions: Vec<u8>,
    /// At least this value.
    pub min_value: Option<Pence>,
    /// At most this value.
    pub max_value: Option<Pence>,
}

impl Filter {
    /// Whether an opportunity passes.
    pub fn keeps(&self, o: &Opportunity) -> bool {
        if self.anchors_only && o.anchor.is_none() {
            return false;
        }
        if let Some(a) = &self.anchor {
            if !o
                .anchor
                .as_deref()
                .is_some_and(|x| x.eq_ignore_ascii_case(a))
            {
                return false;
            }
        }
        if !self.divisions.is_empty()
            && !o.cpv.iter().any(|c| self.divisions.contains(&c.division()))
        {
            return false;
        }
        if self
            .min_value
            .is_some_and(|m| o.value.is_none_or(|v| v < m))
        {
            return false;
        }
        if self
            .max_value
            .is_some_and(|m| o.value.is_none_or(|v| v > m))
        {
            return false;
        }
        true
    }
}

/// One line of the calendar.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Index into the opportunities.
    pub opportunity: usize,
    /// Why it is on the calendar.
    pub event: Event,
    /// The event's date.
    pub date: NaiveDate,
    /// Lead time applied (months), for contracts ending.
    pub lead_months: Option<u32>,
    /// When re-procurement should start (end − lead), for contracts ending.
    pub window_opens: Option<NaiveDate>,
}

/// The calendar from `from` for `months` months, sorted by the date to act (window
/// opening, or the event's date).
pub fn calendar(
    ops: &[Opportunity],
    from: NaiveDate,
    months: u32,
    bands: &Bands,
    filter: &Filter,
) -> Vec<Entry> {
    let until = from
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX);
    let within = |d: NaiveDate| d >= from && d <= until;
    let mut out = Vec::new();
    for (i, o) in ops.iter().enumerate() {
        if !filter.keeps(o) {
            continue;
        }
        if let Some(end) = o.contract_end {
            let lead = bands.lead(o.value);
            let opens = end.checked_sub_months(Months::new(lead)).unwrap_or(end);
            if within(end) || within(opens) {
                out.push(Entry {
                    opportunity: i,
                    event: Event::ContractEnds,
                    date: end,
                    lead_months: Some(lead),
                    window_opens: Some(opens),
                });
                continue;
            }
        }
        if let Some(d) = o.to_market.filter(|d| within(*d)) {
            out.push(Entry {
                opportunity: i,
                event: Event::ComesToMarket,
                date: d,
                lead_months: None,
                window_opens: None,
            });
        } else if let Some(d) = o.tender_end.filter(|d| within(*d)) {
            out.push(Entry {
                opportunity: i,
                event: Event::TenderCloses,
                date: d,
                lead_months: None,
                window_opens: None,
            });
        }
    }
    out.sort_by_key(|e| (e.window_opens.unwrap_or(e.date), e.date, e.opportunity));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opportunity::SourceKind;

    fn op(end: &str, pounds: i64) -> Opportunity {
        let mut o = Opportunity::new("x".into(), SourceKind::Register, "f");
        o.contract_end = NaiveDate::parse_from_str(end, "%Y-%m-%d").ok();
        o.value = Some(Pence(pounds * 100));
        o
    }

    #[test]
    fn windows_follow_the_value_bands() {
        let b = Bands::default();
        assert_eq!(b.lead(Some(Pence(2_999_999))), 3);
        assert_eq!(b.lead(Some(Pence(3_000_000))), 6);
        assert_eq!(b.lead(Some(Pence(21_490_400))), 9);
        assert_eq!(b.lead(None), 3);
        assert_eq!(
            Bands::parse("0:2, 100000:12")
                .unwrap()
                .lead(Some(Pence(10_000_000))),
            12
        );
        assert!(Bands::parse("0-3").is_err());
        let from = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        // A £6m contract ending 2026-06-30 opens its window 2025-06-30: inside 12 months.
        let ops = vec![
            op("2026-06-30", 6_000_000),
            op("2026-06-30", 10_000),
            op("2024-12-31", 10),
        ];
        let c = calendar(&ops, from, 12, &b, &Filter::default());
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].opportunity, 0);
        assert_eq!(c[0].window_opens, NaiveDate::from_ymd_opt(2025, 6, 30));
    }
}
