//! Value profiles: what a column's values look like, used to confirm or veto a header's
//! suggested role and to find roles in files whose headers say nothing (`Nstrg(T)`).

use anchornet_core::{DateError, PaymentDate, Pence, Postcode, ProclassCode};

/// Counts over a sample of a column's non-empty values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// Non-empty values seen.
    pub nonempty: usize,
    /// Values seen, empty included.
    pub total: usize,
    /// Values that parse as a single date (Excel serials excluded).
    pub dates: usize,
    /// Values that are a period label (`July 2010-September 2010`).
    pub periods: usize,
    /// Values that parse as money.
    pub money: usize,
    /// Money values with a decimal point.
    pub decimals: usize,
    /// Values made only of digits.
    pub integers: usize,
    /// Values that are valid UK postcodes.
    pub postcodes: usize,
    /// Values with at least three letters.
    pub alpha: usize,
    /// Values carrying an organisation suffix or word (LTD, LIMITED, PLC, COUNCIL, & …).
    pub orgish: usize,
    /// Values that are URIs.
    pub uris: usize,
    /// Yes/No/True/False/Y/N values.
    pub yesno: usize,
    /// Capital/Revenue values.
    pub caprev: usize,
    /// ProClass codes (six digits, [`ProclassCode`]).
    pub proclass: usize,
    /// Placeholders for a value not given (`NA`, `N/A`, `Nil`, `None`, `-`, `Not Classified`).
    pub placeholders: usize,
    /// Distinct values (capped).
    pub distinct: usize,
    /// Mean length of non-empty values.
    pub mean_len: f32,
}

const ORG_WORDS: [&str; 18] = [
    "LTD",
    "LIMITED",
    "PLC",
    "LLP",
    "COUNCIL",
    "TRUST",
    "SERVICES",
    "CIC",
    "&",
    "AND",
    "ASSOCIATION",
    "GROUP",
    "UK",
    "COMPANY",
    "CO",
    "SOLUTIONS",
    "CARE",
    "HOMES",
];

/// A value that stands for no value (`NA`, `N/A`, `Nil`, `None`, `-`, `Not Classified`,
/// `Unclassified`, `Not applicable`, `Unknown`), given in upper case.
pub fn is_placeholder(upper: &str) -> bool {
    matches!(
        upper,
        "NA" | "N/A"
            | "N.A."
            | "NIL"
            | "NONE"
            | "-"
            | "NOT CLASSIFIED"
            | "UNCLASSIFIED"
            | "NOT APPLICABLE"
            | "UNKNOWN"
    )
}

impl Profile {
    /// Profile a column from an iterator of values.
    pub fn of<'a>(values: impl Iterator<Item = &'a str>) -> Profile {
        let mut p = Profile::default();
        let mut seen = std::collections::HashSet::new();
        let mut len_sum = 0usize;
        for raw in values {
            p.total += 1;
            let v = raw.trim();
            if v.is_empty() {
                continue;
            }
            p.nonempty += 1;
            len_sum += v.chars().count();
            if seen.len() < 10_000 {
                seen.insert(v.to_string());
            }
            let digits_only = v.bytes().all(|b| b.is_ascii_digit());
            if digits_only {
                p.integers += 1;
            }
            match PaymentDate::parse(v) {
                Ok(_) if !v.bytes().all(|b| b.is_ascii_digit() || b == b'.') => p.dates += 1,
                Err(DateError::Period) => p.periods += 1,
                _ => {}
            }
            if Pence::parse(v).is_ok() {
                p.money += 1;
                if v.contains('.') {
                    p.decimals += 1;
                }
            }
            if v.len() <= 9 && Postcode::parse(v).is_ok() {
                p.postcodes += 1;
            }
            if v.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
                p.alpha += 1;
            }
            let upper = v.to_ascii_uppercase();
            if upper
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '&')
                .any(|w| ORG_WORDS.contains(&w))
            {
                p.orgish += 1;
            }
            if upper.starts_with("HTTP://") || upper.starts_with("HTTPS://") {
                p.uris += 1;
            }
            if matches!(upper.as_str(), "YES" | "NO" | "Y" | "N" | "TRUE" | "FALSE") {
                p.yesno += 1;
            }
            if matches!(
                upper.as_str(),
                "CAPITAL" | "REVENUE" | "C" | "R" | "CAP" | "REV"
            ) {
                p.caprev += 1;
            }
            if v.len() <= 8 && ProclassCode::parse(v).is_ok() {
                p.proclass += 1;
            }
            if is_placeholder(&upper) {
                p.placeholders += 1;
            }
        }
        p.distinct = seen.len();
        p.mean_len = if p.nonempty > 0 {
            len_sum as f32 / p.nonempty as f32
        } else {
            0.0
        };
        p
    }

    /// Share of non-empty values counted by `n` (0 when the column is empty).
    pub fn rate(&self, n: usize) -> f32 {
        if self.nonempty == 0 {
            0.0
        } else {
            n as f32 / self.nonempty as f32
        }
    }

    /// Share of the values that are not placeholders ([`is_placeholder`]) counted by `n`
    /// (0 when there are none).
    pub fn rate_given(&self, n: usize) -> f32 {
        let given = self.nonempty.saturating_sub(self.placeholders);
        if given == 0 {
            0.0
        } else {
            n as f32 / given as f32
        }
    }

    /// Share of all values that are non-empty.
    pub fn fill(&self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            self.nonempty as f32 / self.total as f32
        }
    }
}
