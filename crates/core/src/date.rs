//! Payment dates, as UK ledgers write them.
//!
//! Accepted (day first, always — these are UK files):
//! * ISO `2022-05-03`, optionally followed by a time (`2022-05-03T00:00:00`, `2022-05-03 00:00`);
//! * `03/05/2022`, `3/5/2022`, `03-05-2022`, `03.05.2022`;
//! * two-digit years `03/05/22` (`00`–`69` → 2000–2069, `70`–`99` → 1970–1999, the POSIX pivot);
//! * month names `03-May-22`, `3-May-2022`, `3 May 2022`, `3 May, 2022`, `15 June 2023`, `May 3 2022`;
//! * Excel serial day numbers `44684` (1900 date system; 20000–80000 only, i.e. 1954–2119,
//!   so that invoice numbers are not mistaken for dates).
//!
//! A time after the date (`03/05/2022 00:00:00`) is ignored.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A calendar date on which a payment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PaymentDate(NaiveDate);

/// Why a string is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// An empty cell.
    #[error("empty date")]
    Empty,
    /// Text in no date format this reader knows.
    #[error("not a date in a known format")]
    Unrecognised,
    /// A known format with an impossible day (31/02/2022) or month.
    #[error("no such day")]
    NoSuchDay,
    /// A date range or period label (`July 2010-September 2010`), which names no single day.
    #[error("a period, not a single day")]
    Period,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_from_name(s: &str) -> Option<u32> {
    let l = s.trim_end_matches('.').to_ascii_lowercase();
    if l.len() < 3 {
        return None;
    }
    if l == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&l) && (l.len() == 3 || l.len() == m.len() || l.len() >= 3))
        .filter(|&i| MONTHS[i].starts_with(&l))
        .map(|i| i as u32 + 1)
}

fn is_weekday(s: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let l = s.to_ascii_lowercase();
    l.len() >= 3 && DAYS.iter().any(|d| d.starts_with(&l))
}

fn expand_year(y: &str) -> Option<i32> {
    let n: i32 = y.parse().ok()?;
    match y.len() {
        2 => Some(if n < 70 { 2000 + n } else { 1900 + n }),
        4 => Some(n),
        _ => None,
    }
}

impl PaymentDate {
    /// Build from year, month, day.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<PaymentDate> {
        NaiveDate::from_ymd_opt(y, m, d).map(PaymentDate)
    }

    /// The day as a `chrono` date.
    pub fn naive(self) -> NaiveDate {
        self.0
    }

    /// Year.
    pub fn year(self) -> i32 {
        self.0.year()
    }
    /// Month 1–12.
    pub fn month(self) -> u32 {
        self.0.month()
    }
    /// Day of the month.
    pub fn day(self) -> u32 {
        self.0.day()
    }

    /// The date a file's name gives its contents, where it gives one: `YYYY-MM-DD` (or with
    /// `_`), else `YYYY-MM` read as the first of the month (Companies House names its monthly
    /// bulk files `BasicCompanyData-2024-11-01-part1_7.zip`). A year alone is not a date.
    pub fn in_file_name(name: &str) -> Option<PaymentDate> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let b = base.as_bytes();
        let digits =
            |i: usize, n: usize| i + n <= b.len() && b[i..i + n].iter().all(u8::is_ascii_digit);
        let num = |i: usize, n: usize| base[i..i + n].parse::<u32>().ok();
        let sep = |i: usize| i < b.len() && (b[i] == b'-' || b[i] == b'_');
        for i in 0..b.len() {
            // A run of exactly four digits: not inside a longer number.
            if !digits(i, 4) || (i > 0 && b[i - 1].is_ascii_digit()) || digits(i + 4, 1) {
                continue;
            }
            let y = num(i, 4)? as i32;
            if !(1990..=2100).contains(&y) || !sep(i + 4) || !digits(i + 5, 2) || digits(i + 7, 1) {
                continue;
            }
            let m = num(i + 5, 2)?;
            if !(1..=12).contains(&m) {
                continue;
            }
            if sep(i + 7) && digits(i + 8, 2) && !digits(i + 10, 1) {
                if let Some(d) = PaymentDate::from_ymd(y, m, num(i + 8, 2)?) {
                    return Some(d);
                }
            }
            return PaymentDate::from_ymd(y, m, 1);
        }
        None
    }

    /// From an Excel serial day number (1900 system, with Excel's phantom 29 Feb 1900).
    pub fn from_excel_serial(serial: f64) -> Option<PaymentDate> {
        if !(1.0..=2_958_465.0).contains(&serial) {
            return None;
        }
        let days = serial.floor() as i64;
        // Serial 60 is the non-existent 1900-02-29; from 61 on, day 1 is 1899-12-31 minus one.
        let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
        let d = if days < 60 { days + 1 } else { days };
        base.checked_add_signed(chrono::Duration::days(d))
            .map(PaymentDate)
    }

    /// Parse a date as written in a spend file. See the module docs.
    pub fn parse(input: &str) -> Result<PaymentDate, DateError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(DateError::Empty);
        }
        // Drop a trailing time: "2022-05-03T00:00:00", "03/05/2022 00:00:00".
        let s = match s.find(['T', ' ']) {
            Some(i) if s[i + 1..].contains(':') && s[..i].bytes().any(|b| b.is_ascii_digit()) => {
                s[..i].trim()
            }
            _ => s,
        };
        let bytes = s.as_bytes();
        // Excel serial.
        let points = bytes.iter().filter(|b| **b == b'.').count();
        if points <= 1
            && bytes.iter().all(|b| b.is_ascii_digit() || *b == b'.')
            && bytes[0].is_ascii_digit()
        {
            if let Ok(v) = s.parse::<f64>() {
                if (20000.0..=80000.0).contains(&v) {
                    return PaymentDate::from_excel_serial(v).ok_or(DateError::NoSuchDay);
                }
            }
            // yyyymmdd
            if bytes.len() == 8 && (s.starts_with("19") || s.starts_with("20")) {
                let (y, m, d) = (&s[..4], &s[4..6], &s[6..]);
                return ymd(
                    y.parse().unwrap_or(0),
                    m.parse().unwrap_or(0),
                    d.parse().unwrap_or(0),
                );
            }
            return Err(DateError::Unrecognised);
        }
        let mut parts: Vec<&str> = s
            .split(['/', '-', '.', ' ', ','])
            .filter(|p| !p.is_empty())
            .collect();
        // "Friday, April 29, 2022": a leading weekday adds nothing.
        if parts.len() == 4 && is_weekday(parts[0]) {
            parts.remove(0);
        }
        if parts.len() != 3 {
            // "July 2010-September 2010", "2021/22", "Q1 2022"...
            if parts.len() >= 4
                || parts
                    .iter()
                    .filter(|p| month_from_name(p).is_some())
                    .count()
                    >= 2
            {
                return Err(DateError::Period);
            }
            return Err(DateError::Unrecognised);
        }
        let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let (a, b, c) = (parts[0], parts[1], parts[2]);
        // ISO yyyy-mm-dd (or yyyy/mm/dd).
        if a.len() == 4 && all_digits(a) && all_digits(b) && all_digits(c) {
            return ymd(num(a)? as i32, num(b)?, num(c)?);
        }
        // Day first: dd/mm/yyyy, dd/mm/yy.
        if all_digits(a) && all_digits(b) && all_digits(c) && a.len() <= 2 && b.len() <= 2 {
            let y = expand_year(c).ok_or(DateError::Unrecognised)?;
            return ymd(y, num(b)?, num(a)?);
        }
        // dd-Mon-yy, dd Month yyyy.
        if all_digits(a) && a.len() <= 2 && all_digits(c) {
            if let Some(m) = month_from_name(b) {
                let y = expand_year(c).ok_or(DateError::Unrecognised)?;
                return ymd(y, m, num(a)?);
            }
        }
        // Month dd yyyy.
        if all_digits(b) && b.len() <= 2 && all_digits(c) {
            if let Some(m) = month_from_name(a) {
                let y = expand_year(c).ok_or(DateError::Unrecognised)?;
                return ymd(
                    y,
                    m,
                    num(b.trim_end_matches(|ch: char| ch.is_alphabetic()))?,
                );
            }
        }
        // "3rd May 2022"
        let stripped = a.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
        if stripped.len() < a.len() && all_digits(stripped) && all_digits(c) {
            if let Some(m) = month_from_name(b) {
                let y = expand_year(c).ok_or(DateError::Unrecognised)?;
                return ymd(y, m, num(stripped)?);
            }
        }
        Err(DateError::Unrecognised)
    }
}

/// A run of digits as a day, month or year: one too long for any (`2021-07-99999999999`, found
/// by fuzzing, issue 17) is no such day, not a panic.
fn num(p: &str) -> Result<u32, DateError> {
    p.parse().map_err(|_| DateError::NoSuchDay)
}

fn ymd(y: i32, m: u32, d: u32) -> Result<PaymentDate, DateError> {
    if !(1900..=2200).contains(&y) {
        return Err(DateError::NoSuchDay);
    }
    NaiveDate::from_ymd_opt(y, m, d)
        .map(PaymentDate)
        .ok_or(DateError::NoSuchDay)
}

impl FromStr for PaymentDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PaymentDate::parse(s)
    }
}

impl fmt::Display for PaymentDate {
    /// ISO 8601, `2022-05-03`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates_in_file_names() {
        // Companies House's published naming of its monthly bulk files.
        let f = |n: &str| PaymentDate::in_file_name(n).map(|d| d.to_string());
        assert_eq!(
            f("/x/BasicCompanyData-2024-11-01-part1_7.zip").as_deref(),
            Some("2024-11-01")
        );
        assert_eq!(
            f("ch_live_companies_south_yorkshire_2024-11.csv.xz").as_deref(),
            Some("2024-11-01")
        );
        assert_eq!(f("register_2022_03_31.csv").as_deref(), Some("2022-03-31"));
        // A year alone, a month 13, a longer number, or a directory's date are not the file's.
        assert_eq!(f("nndr_ratepayers_bradford_2019.csv.xz"), None);
        assert_eq!(f("list-2024-13.csv"), None);
        assert_eq!(f("ref-120240-11.csv"), None);
        assert_eq!(f("2024-11-01/list.csv"), None);
        assert_eq!(f("list-2024-02-30.csv").as_deref(), Some("2024-02-01"));
    }

    fn d(s: &str) -> String {
        PaymentDate::parse(s)
            .unwrap_or_else(|e| panic!("{s:?}: {e}"))
            .to_string()
    }

    #[test]
    fn the_forms_ledgers_write() {
        assert_eq!(d("2022-05-03"), "2022-05-03");
        assert_eq!(d("2022-05-03T00:00:00"), "2022-05-03");
        assert_eq!(d("2022-05-03 00:00:00"), "2022-05-03");
        assert_eq!(d("03/05/2022"), "2022-05-03");
        assert_eq!(d("3/5/2022"), "2022-05-03");
        assert_eq!(d("03/05/2022 00:00"), "2022-05-03");
        assert_eq!(d("03-05-2022"), "2022-05-03");
        assert_eq!(d("03.05.2022"), "2022-05-03");
        assert_eq!(d("26/02/20"), "2020-02-26");
        assert_eq!(d("02/06/17"), "2017-06-02");
        assert_eq!(d("20-Dec-13"), "2013-12-20");
        assert_eq!(d("16-Jan-2013"), "2013-01-16");
        assert_eq!(d("13-Jan-23"), "2023-01-13");
        assert_eq!(d("14 Nov 2023"), "2023-11-14");
        assert_eq!(d("15 June 2023"), "2023-06-15");
        assert_eq!(d("17 July 2023"), "2023-07-17");
        assert_eq!(d("3 Sept 2023"), "2023-09-03");
        assert_eq!(d("May 3 2022"), "2022-05-03");
        assert_eq!(d("Friday, April 29, 2022"), "2022-04-29");
        assert_eq!(d("Tue 3 May 2022"), "2022-05-03");
        assert_eq!(d("3rd May 2022"), "2022-05-03");
        assert_eq!(d("20220503"), "2022-05-03");
    }

    #[test]
    fn excel_serials() {
        assert_eq!(d("44684"), "2022-05-03");
        assert_eq!(
            PaymentDate::from_excel_serial(1.0).unwrap().to_string(),
            "1900-01-01"
        );
        assert_eq!(
            PaymentDate::from_excel_serial(61.0).unwrap().to_string(),
            "1900-03-01"
        );
        assert_eq!(
            PaymentDate::from_excel_serial(44684.5).unwrap().to_string(),
            "2022-05-03"
        );
        // An invoice number is not a date.
        assert!(PaymentDate::parse("1700133305").is_err());
    }

    /// Found by the `csv` fuzz target (issue 17): digits too many for a number panicked.
    #[test]
    fn digits_too_many_for_a_number_are_no_such_day() {
        for s in [
            "2021-07-99999999999",
            "2021-99999999999-01",
            "1/99999999999/2021",
            "99999999999st May 2022",
            "May 99999999999 2022",
            "01 May 99999999999",
        ] {
            assert!(PaymentDate::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn rejects_with_reasons() {
        assert_eq!(PaymentDate::parse(""), Err(DateError::Empty));
        assert_eq!(PaymentDate::parse("31/02/2022"), Err(DateError::NoSuchDay));
        assert_eq!(
            PaymentDate::parse("July 2010-September 2010"),
            Err(DateError::Period)
        );
        assert_eq!(PaymentDate::parse("REDACTED"), Err(DateError::Unrecognised));
        assert_eq!(PaymentDate::parse("05/13/2022"), Err(DateError::NoSuchDay));
        // US order is not guessed
    }

    proptest! {
        #[test]
        fn every_day_round_trips_in_every_form(days in 0i64..60000) {
            let nd = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(days);
            let want = nd.format("%Y-%m-%d").to_string();
            for fmt in ["%Y-%m-%d", "%d/%m/%Y", "%d-%b-%Y", "%d %B %Y", "%-d/%-m/%Y"] {
                let s = nd.format(fmt).to_string();
                prop_assert_eq!(PaymentDate::parse(&s).map(|x| x.to_string()), Ok(want.clone()), "{}", s);
            }
            if (1970..2070).contains(&nd.year()) {
                let s = nd.format("%d/%m/%y").to_string();
                prop_assert_eq!(PaymentDate::parse(&s).map(|x| x.to_string()), Ok(want.clone()));
            }
        }

        #[test]
        fn never_panics(s in ".{0,30}") {
            let _ = PaymentDate::parse(&s);
        }
    }
}
