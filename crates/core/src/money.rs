//! Money as integer pence.
//!
//! Council spend files write amounts in many ways: `1,234.56`, `£1,234.56`,
//! `(1,234.56)` for a credit, `1234.56 CR`, `1234.56-`, ` 12 `, `-1234.5`,
//! `1.2E+05` from spreadsheets. [`Pence::parse`] reads all of them into an
//! exact integer number of pence.
//!
//! **Rounding.** Amounts with more than two decimal places (some ledgers export
//! four) are rounded to the nearest penny, **half away from zero**: `0.005` →
//! 1p, `-0.005` → −1p, `0.0049` → 0p. This is the rounding HM Treasury and
//! most finance systems use for presentation, and it is symmetric for credits.
//! Rounding is done on the decimal digits themselves, never through a float.

use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An amount of money in pence (hundredths of a pound). Negative for credits.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Pence(pub i64);

/// Why a string is not an amount of money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Nothing but white space (or a lone sign or currency symbol).
    #[error("empty amount")]
    Empty,
    /// A character that has no place in an amount.
    #[error("not an amount: unexpected {0:?}")]
    Unexpected(char),
    /// Digits laid out in a way that is not a number (two points, a sign in the middle…).
    #[error("not an amount: malformed number")]
    Malformed,
    /// Larger than ±£92 trillion, the range of an `i64` of pence.
    #[error("amount out of range")]
    Overflow,
}

impl Pence {
    /// Zero pence.
    pub const ZERO: Pence = Pence(0);

    /// Parse an amount as written in a spend file. See the module docs for the
    /// accepted forms and the rounding rule.
    pub fn parse(input: &str) -> Result<Pence, MoneyError> {
        let mut s = input.trim();
        let mut negative = false;
        // Accounting negatives: "(1,234.56)".
        if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            negative = true;
            s = inner.trim();
        }
        // Ledger credit markers: "1234.56 CR", "1234.56CR", "1234.56-".
        let b = s.as_bytes();
        let upper_cr = b.len() >= 2 && b[b.len() - 2..].eq_ignore_ascii_case(b"cr");
        if upper_cr {
            negative = !negative;
            s = s[..s.len() - 2].trim_end();
        } else if s.len() > 1 && s.ends_with('-') && !s.starts_with('-') {
            negative = !negative;
            s = s[..s.len() - 1].trim_end();
        }
        let (neg2, digits) = parse_sign_and_strip(s)?;
        if neg2 {
            negative = !negative;
        }
        let magnitude = decimal_to_pence(&digits)?;
        Ok(Pence(if negative { -magnitude } else { magnitude }))
    }

    /// Pounds as a float, for display and ratios only — never for sums.
    pub fn as_pounds_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// The absolute value.
    pub fn abs(self) -> Pence {
        Pence(self.0.abs())
    }

    /// Sum with overflow check.
    pub fn checked_add(self, other: Pence) -> Option<Pence> {
        self.0.checked_add(other.0).map(Pence)
    }
}

/// Strip a leading sign, currency symbols, thousands separators and inner spaces.
/// Returns the sign and the bare `digits[.digits][e±digits]` text.
fn parse_sign_and_strip(s: &str) -> Result<(bool, String), MoneyError> {
    let mut negative = false;
    let mut seen_sign = false;
    let mut seen_digit = false;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '£' | '$' | '€' | ',' | ' ' | '\u{a0}' | '\'' => {}
            '+' | '-' if !seen_digit && !seen_sign && out.is_empty() => {
                seen_sign = true;
                negative = c == '-';
            }
            '0'..='9' => {
                seen_digit = true;
                out.push(c);
            }
            '.' => out.push(c),
            'e' | 'E' if seen_digit => out.push('e'),
            '+' | '-' if out.ends_with('e') => out.push(c),
            _ => return Err(MoneyError::Unexpected(c)),
        }
    }
    if !seen_digit {
        return Err(if out.is_empty() {
            MoneyError::Empty
        } else {
            MoneyError::Malformed
        });
    }
    Ok((negative, out))
}

/// Convert `int[.frac][e[±]exp]` to pence, rounding half away from zero.
fn decimal_to_pence(s: &str) -> Result<i64, MoneyError> {
    let (mantissa, exp) = match s.split_once('e') {
        Some((m, e)) => {
            let e: i32 = e.parse().map_err(|_| MoneyError::Malformed)?;
            (m, e)
        }
        None => (s, 0),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    if frac_part.contains('.') || (int_part.is_empty() && frac_part.is_empty()) {
        return Err(MoneyError::Malformed);
    }
    // All significant digits, and the position of the decimal point in them.
    let digits: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes())
        .map(|b| b - b'0')
        .collect();
    let point = int_part.len() as i64 + exp as i64; // digits before the point
                                                    // pence = digits up to point+2, then round on the next digit.
    let cut = point + 2;
    let mut value: i64 = 0;
    let mut i: i64 = 0;
    // Leading zeros never overflow; guard against absurd exponents.
    if cut > 40 {
        // Only fine if all digits are zero.
        if digits.iter().all(|&d| d == 0) {
            return Ok(0);
        }
        return Err(MoneyError::Overflow);
    }
    while i < cut {
        let d = if i >= 0 && (i as usize) < digits.len() {
            digits[i as usize]
        } else {
            0
        };
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(d as i64))
            .ok_or(MoneyError::Overflow)?;
        i += 1;
    }
    let next = if cut >= 0 && (cut as usize) < digits.len() {
        digits[cut as usize]
    } else {
        0
    };
    if next >= 5 {
        value = value.checked_add(1).ok_or(MoneyError::Overflow)?;
    }
    Ok(value)
}

impl FromStr for Pence {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Pence::parse(s)
    }
}

impl fmt::Display for Pence {
    /// `-1234.50` style: pounds with two decimals, no separators.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl Pence {
    /// `£1,234,567.89` style, for people.
    pub fn to_pounds_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let pounds = (a / 100).to_string();
        let mut grouped = String::with_capacity(pounds.len() + pounds.len() / 3);
        for (i, c) in pounds.chars().enumerate() {
            if i > 0 && (pounds.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{sign}£{grouped}.{:02}", a % 100)
    }
}

impl Add for Pence {
    type Output = Pence;
    fn add(self, o: Pence) -> Pence {
        Pence(self.0 + o.0)
    }
}
impl AddAssign for Pence {
    fn add_assign(&mut self, o: Pence) {
        self.0 += o.0;
    }
}
impl Sub for Pence {
    type Output = Pence;
    fn sub(self, o: Pence) -> Pence {
        Pence(self.0 - o.0)
    }
}
impl Neg for Pence {
    type Output = Pence;
    fn neg(self) -> Pence {
        Pence(-self.0)
    }
}
impl std::iter::Sum for Pence {
    fn sum<I: Iterator<Item = Pence>>(iter: I) -> Pence {
        Pence(iter.map(|p| p.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> i64 {
        Pence::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}")).0
    }

    #[test]
    fn the_forms_councils_write() {
        assert_eq!(p("1,234.56"), 123456);
        assert_eq!(p("£1,234.56"), 123456);
        assert_eq!(p("(1,234.56)"), -123456);
        assert_eq!(p("-1234.5"), -123450);
        assert_eq!(p("1234.56 CR"), -123456);
        assert_eq!(p("1234.56CR"), -123456);
        assert_eq!(p("1234.56-"), -123456);
        assert_eq!(p(" 12 "), 1200);
        assert_eq!(p("-£12.00"), -1200);
        assert_eq!(p("£-12.00"), -1200);
        assert_eq!(p("+7"), 700);
        assert_eq!(p(".5"), 50);
        assert_eq!(p("5."), 500);
        assert_eq!(p("1.2E+05"), 12_000_000);
        assert_eq!(p("1.5e-2"), 2);
        assert_eq!(p("0"), 0);
        assert_eq!(p("\"3,553.12\"".trim_matches('"')), 355312);
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(p("0.005"), 1);
        assert_eq!(p("-0.005"), -1);
        assert_eq!(p("0.0049999"), 0);
        assert_eq!(p("2.675"), 268); // a float would give 267
        assert_eq!(p("-2.675"), -268);
        assert_eq!(p("1.234"), 123);
    }

    #[test]
    fn rejects_what_is_not_money() {
        assert_eq!(Pence::parse(""), Err(MoneyError::Empty));
        assert_eq!(Pence::parse("  "), Err(MoneyError::Empty));
        assert_eq!(Pence::parse("£"), Err(MoneyError::Empty));
        assert_eq!(Pence::parse("-"), Err(MoneyError::Empty));
        assert!(Pence::parse("N/A").is_err());
        assert!(Pence::parse("Nil").is_err());
        assert!(Pence::parse("1.2.3").is_err());
        assert!(Pence::parse("12a").is_err());
        assert!(Pence::parse("1-2").is_err());
        assert!(Pence::parse(".").is_err());
        assert_eq!(
            Pence::parse("99999999999999999999"),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn displays() {
        assert_eq!(Pence(-123456).to_string(), "-1234.56");
        assert_eq!(Pence(5).to_string(), "0.05");
        assert_eq!(Pence(123456789).to_pounds_string(), "£1,234,567.89");
        assert_eq!(Pence(-100).to_pounds_string(), "-£1.00");
    }

    proptest! {
        #[test]
        fn round_trips_any_pence(v in -9_000_000_000_000i64..9_000_000_000_000i64) {
            let shown = Pence(v).to_string();
            prop_assert_eq!(Pence::parse(&shown), Ok(Pence(v)));
            prop_assert_eq!(Pence::parse(&Pence(v).to_pounds_string()), Ok(Pence(v)));
            prop_assert_eq!(Pence::parse(&format!("({})", Pence(v.abs()))), Ok(Pence(-v.abs())));
        }

        #[test]
        fn agrees_with_integer_rounding(whole in 0i64..1_000_000_000, frac in 0u32..100_000) {
            // whole.frac with 5 decimal places; expected by integer arithmetic.
            let s = format!("{whole}.{frac:05}");
            let thousandths = frac / 100; // 3 decimals -> pence*10 + next digit
            let expected = whole * 100 + (thousandths / 10) as i64 + if thousandths % 10 >= 5 { 1 } else { 0 };
            prop_assert_eq!(Pence::parse(&s), Ok(Pence(expected)));
            prop_assert_eq!(Pence::parse(&format!("-{s}")), Ok(Pence(-expected)));
        }

        #[test]
        fn never_panics(s in ".{0,40}") {
            let _ = Pence::parse(&s);
        }
    }
}
