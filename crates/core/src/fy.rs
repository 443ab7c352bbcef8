//! The UK public-sector financial year: 1 April to 31 March, named `2021/22`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::PaymentDate;

/// A financial year, identified by the calendar year in which it starts.
/// `FinancialYear(2021)` runs from 1 April 2021 to 31 March 2022 and shows as `2021/22`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(pub i32);

impl FinancialYear {
    /// The financial year a date falls in.
    pub fn of(date: PaymentDate) -> FinancialYear {
        if date.month() >= 4 {
            FinancialYear(date.year())
        } else {
            FinancialYear(date.year() - 1)
        }
    }

    /// First day (1 April).
    pub fn start(self) -> PaymentDate {
        PaymentDate::from_ymd(self.0, 4, 1).expect("1 April exists")
    }

    /// Last day (31 March).
    pub fn end(self) -> PaymentDate {
        PaymentDate::from_ymd(self.0 + 1, 3, 31).expect("31 March exists")
    }

    /// Whether a date falls in this year.
    pub fn contains(self, d: PaymentDate) -> bool {
        FinancialYear::of(d) == self
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

/// Why a string is not a financial year.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a financial year (expected e.g. 2021/22): {0:?}")]
pub struct FyError(pub String);

impl FromStr for FinancialYear {
    type Err = FyError;
    /// `2021/22`, `2021-22`, `2021/2022`, `FY2021/22`, `2021` (the starting year).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || FyError(s.to_string());
        let t = s.trim();
        let t = t
            .strip_prefix("FY")
            .or_else(|| t.strip_prefix("fy"))
            .unwrap_or(t)
            .trim();
        let (a, b) = match t.split_once(['/', '-']) {
            Some((a, b)) => (a, Some(b)),
            None => (t, None),
        };
        if a.len() != 4 {
            return Err(err());
        }
        let start: i32 = a.parse().map_err(|_| err())?;
        if let Some(b) = b {
            let end: i32 = b.parse().map_err(|_| err())?;
            let ok = match b.len() {
                2 => end == (start + 1) % 100,
                4 => end == start + 1,
                _ => false,
            };
            if !ok {
                return Err(err());
            }
        }
        Ok(FinancialYear(start))
    }
}

impl Serialize for FinancialYear {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
impl<'de> Deserialize<'de> for FinancialYear {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn april_to_march() {
        let d = |s| PaymentDate::parse(s).unwrap();
        assert_eq!(FinancialYear::of(d("2022-03-31")).to_string(), "2021/22");
        assert_eq!(FinancialYear::of(d("2022-04-01")).to_string(), "2022/23");
        assert_eq!(FinancialYear(1999).to_string(), "1999/00");
        assert_eq!("2021/22".parse::<FinancialYear>(), Ok(FinancialYear(2021)));
        assert_eq!(
            "2021-2022".parse::<FinancialYear>(),
            Ok(FinancialYear(2021))
        );
        assert_eq!(
            "FY2021/22".parse::<FinancialYear>(),
            Ok(FinancialYear(2021))
        );
        assert_eq!("1999/00".parse::<FinancialYear>(), Ok(FinancialYear(1999)));
        assert!("2021/23".parse::<FinancialYear>().is_err());
        assert!("21/22".parse::<FinancialYear>().is_err());
    }

    proptest! {
        #[test]
        fn every_day_is_in_exactly_its_year(days in 0i64..50000) {
            let nd = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days(days);
            let d = PaymentDate::from_ymd(chrono::Datelike::year(&nd), chrono::Datelike::month(&nd), chrono::Datelike::day(&nd)).unwrap();
            let fy = FinancialYear::of(d);
            prop_assert!(fy.start() <= d && d <= fy.end());
            prop_assert_eq!(fy.to_string().parse::<FinancialYear>(), Ok(fy));
        }
    }
}
