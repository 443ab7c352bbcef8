//! The three per-field rules of B1, exactly as `BENCHMARKS.md` ("B1") states them.
//!
//! They work on raw bytes rather than `&str` so that the scanner never has to
//! validate UTF-8 or allocate per row: every rule below only ever treats ASCII
//! bytes specially, and every non-ASCII byte is either "anything else" (dates,
//! amounts) or "a character other than `A-Z0-9`" (supplier keys), so a byte-wise
//! reading gives the same answer as a character-wise one.

use anchornet_core::{FinancialYear, PaymentDate};

/// The financial year (April–March, named by its starting year) of a
/// `payment_date` field, or `None` when the field is not an ISO date.
///
/// BENCHMARKS.md B1: "`payment_date` as an ISO date `YYYY-MM-DD` (anything
/// else: the row's year is `unknown`)". We read that as: exactly ten bytes,
/// four digits, `-`, two digits, `-`, two digits, *and* a real calendar day
/// (`2021-02-30` is not a date, it is `unknown`). Leading or trailing spaces, a
/// time suffix or a period label such as Darlington's `July 2010-September 2010`
/// all make the year `unknown`. The day check and the April–March rule come
/// from `anchornet-core` ([`PaymentDate::from_ymd`], [`FinancialYear::of`]).
pub fn financial_year(date: &[u8]) -> Option<i32> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = date else {
        return None;
    };
    let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |bs: &[u8]| {
        bs.iter()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    let year = n(&digits[..4]) as i32;
    let date = PaymentDate::from_ymd(year, n(&digits[4..6]), n(&digits[6..]))?;
    Some(FinancialYear::of(date).0)
}

/// An amount in pence, or `None` when the row is *rejected*.
///
/// BENCHMARKS.md B1: remove every `,` and `£`, trim spaces; the rest must
/// match `^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`; pounds go to pence rounding
/// half away from zero. So `1,234.50`, `£12`, ` -3.` and `.5` are accepted;
/// `(12)`, `12 CR`, `1E+05`, `N/A` and the empty string are rejected (the
/// lenient [`anchornet_core::Pence::parse`] would accept some of those, which
/// is why B1 has its own rule). "Trim spaces" means the space character only:
/// a tab makes the amount rejected. Rounding looks at the third decimal digit
/// and never goes through a float: `0.005` → 1, `-0.005` → −1, `0.0049` → 0.
///
/// The result is an `i128` so that no accepted amount can overflow (up to 36
/// digits before the point); amounts beyond that saturate, which no real
/// ledger reaches.
pub fn amount_pence(field: &[u8]) -> Option<i128> {
    // Fast path, nearly every real amount: nothing to remove or trim.
    if !field.iter().any(|&b| b == b',' || b == b' ' || b == 0xC2) {
        return parse_clean_amount(field);
    }
    // Remove `,` and `£` (UTF-8 C2 A3), then trim spaces.
    let mut cleaned = Vec::with_capacity(field.len());
    for_each_kept(field, |b| cleaned.push(b));
    parse_clean_amount(trim_spaces(&cleaned))
}

/// The regex check and the conversion to pence, in one pass over the bytes.
fn parse_clean_amount(s: &[u8]) -> Option<i128> {
    let (negative, body) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    // Up to 18 digits before the point fit an i64 with room for the pence.
    let mut whole: i64 = 0;
    let mut whole_digits = 0usize;
    let mut frac = [0u8; 3]; // the first three decimals; later ones cannot change the pence
    let mut frac_digits = 0usize;
    let mut seen_point = false;
    for &b in body {
        match b {
            b'0'..=b'9' if !seen_point => {
                if whole_digits >= 18 {
                    return parse_long_amount(negative, body);
                }
                whole = whole * 10 + i64::from(b - b'0');
                whole_digits += 1;
            }
            b'0'..=b'9' => {
                if frac_digits < 3 {
                    frac[frac_digits] = b - b'0';
                }
                frac_digits += 1;
            }
            b'.' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    // `[0-9]+(\.[0-9]*)?|\.[0-9]+` is exactly: digits, optionally a point and
    // digits, with at least one digit somewhere.
    if whole_digits + frac_digits == 0 {
        return None;
    }
    let mut pence = i128::from(whole) * 100 + i128::from(frac[0] * 10 + frac[1]);
    if frac[2] >= 5 {
        pence += 1;
    }
    Some(if negative { -pence } else { pence })
}

/// Slow path for more than 18 digits before the point (already known to be
/// digits, an optional point, digits), in `i128`, saturating beyond 36 digits.
fn parse_long_amount(negative: bool, body: &[u8]) -> Option<i128> {
    let (int_part, frac_part) = match memchr::memchr(b'.', body) {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (body, &body[body.len()..]),
    };
    if !int_part.iter().all(u8::is_ascii_digit) || !frac_part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let digit = |i: usize| frac_part.get(i).map_or(0, |b| i128::from(b - b'0'));
    let mut pence = int_part.iter().fold(0i128, |acc, b| {
        acc.saturating_mul(10).saturating_add(i128::from(b - b'0'))
    });
    pence = pence
        .saturating_mul(100)
        .saturating_add(digit(0) * 10 + digit(1));
    if digit(2) >= 5 {
        pence = pence.saturating_add(1);
    }
    Some(if negative { -pence } else { pence })
}

/// Calls `keep` for each byte of `field` that is neither `,` nor part of `£`.
fn for_each_kept(field: &[u8], mut keep: impl FnMut(u8)) {
    let mut i = 0;
    while i < field.len() {
        match field[i] {
            b',' => i += 1,
            0xC2 if field.get(i + 1) == Some(&0xA3) => i += 2,
            b => {
                keep(b);
                i += 1;
            }
        }
    }
}

/// Strips leading and trailing `b' '` (and nothing else).
fn trim_spaces(mut s: &[u8]) -> &[u8] {
    while let [b' ', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' '] = s {
        s = rest;
    }
    s
}

/// Trailing tokens that B1 strips from a supplier key.
const LEGAL_SUFFIXES: [&[u8]; 4] = [b"LTD", b"LIMITED", b"PLC", b"LLP"];

/// The B1 supplier key K(name), written into `buf`; returns the key's bytes.
///
/// BENCHMARKS.md B1: replace `&` with ` AND `; uppercase (ASCII); replace
/// every run of characters other than `A-Z0-9` with one space; trim; then
/// remove a leading `THE ` and any run of trailing tokens from {`LTD`,
/// `LIMITED`, `PLC`, `LLP`}; trim again.
///
/// Done in one pass: letters and digits are copied (upper-cased), every other
/// byte only marks that a space is due before the next token, and `&` emits
/// the token `AND` between two such marks. Spaces are only ever written
/// *between* tokens, so the "trim" steps come for free. A leading `THE ` is
/// removed once (`THE THE X` → `THE X`); a name made only of `THE ` and legal
/// suffixes (`The Ltd`) gives the empty key. The empty key is a key like any
/// other: B1 counts it once among a group's suppliers (the DuckDB and pandas
/// peers do the same).
pub fn supplier_key<'a>(name: &[u8], buf: &'a mut Vec<u8>) -> &'a [u8] {
    let range = supplier_key_range(name, buf);
    &buf[range]
}

/// [`supplier_key`], returning where in `buf` the key is (so a caller can keep
/// the key across rows without holding a borrow of `buf`).
pub fn supplier_key_range(name: &[u8], buf: &mut Vec<u8>) -> std::ops::Range<usize> {
    fn push_token_byte(buf: &mut Vec<u8>, b: u8, space_due: &mut bool) {
        if *space_due && !buf.is_empty() {
            buf.push(b' ');
        }
        *space_due = false;
        buf.push(b);
    }
    buf.clear();
    let mut space_due = false;
    for &b in name {
        match b {
            b'A'..=b'Z' | b'0'..=b'9' => push_token_byte(buf, b, &mut space_due),
            b'a'..=b'z' => push_token_byte(buf, b.to_ascii_uppercase(), &mut space_due),
            b'&' => {
                space_due = true;
                for &c in b"AND" {
                    push_token_byte(buf, c, &mut space_due);
                }
                space_due = true;
            }
            _ => space_due = true,
        }
    }
    let start = if buf.starts_with(b"THE ") { 4 } else { 0 };
    let mut end = buf.len();
    loop {
        let token_start = buf[start..end]
            .iter()
            .rposition(|&b| b == b' ')
            .map_or(start, |i| start + i + 1);
        if token_start == end || !LEGAL_SUFFIXES.contains(&&buf[token_start..end]) {
            break;
        }
        // Drop the token and the space before it (if any).
        end = token_start.saturating_sub(1).max(start);
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> String {
        let mut buf = Vec::new();
        String::from_utf8(supplier_key(name.as_bytes(), &mut buf).to_vec()).unwrap()
    }

    #[test]
    fn key_ampersand_becomes_and() {
        assert_eq!(key("Marks & Spencer"), "MARKS AND SPENCER");
        assert_eq!(key("A&B"), "A AND B");
        assert_eq!(key("A&&B"), "A AND AND B");
        assert_eq!(key("&Co"), "AND CO");
        assert_eq!(key("R&D LTD"), "R AND D");
    }

    #[test]
    fn key_the_and_legal_suffixes() {
        assert_eq!(key("The Co-operative Group Ltd"), "CO OPERATIVE GROUP");
        assert_eq!(key("the   hive ltd."), "HIVE");
        assert_eq!(key("THE THE LTD"), "THE");
        assert_eq!(key("Acme Services LTD LIMITED"), "ACME SERVICES");
        assert_eq!(key("ACME (UK) Ltd. Limited, PLC"), "ACME UK");
        assert_eq!(key("Smith & Jones LLP"), "SMITH AND JONES");
        // Only whole tokens are suffixes; only a leading THE followed by a space goes.
        assert_eq!(key("SMITHLTD"), "SMITHLTD");
        assert_eq!(key("THEATRE ROYAL"), "THEATRE ROYAL");
        assert_eq!(key("The"), "THE");
        assert_eq!(key("LTD ACME"), "LTD ACME");
        // A suffix run can swallow everything after the leading THE.
        assert_eq!(key("The Limited"), "");
        assert_eq!(key("Ltd"), "");
    }

    #[test]
    fn key_punctuation_runs_and_non_ascii() {
        assert_eq!(key("  A.B.C -- (Holdings)  "), "A B C HOLDINGS");
        assert_eq!(key("O'Brien's \"Cafe\""), "O BRIEN S CAFE");
        // Non-ASCII letters are not A-Z: upper-casing is ASCII only.
        assert_eq!(key("Café Nero"), "CAF NERO");
        assert_eq!(key("Zoë's"), "ZO S");
    }

    #[test]
    fn key_empty() {
        assert_eq!(key(""), "");
        assert_eq!(key("   "), "");
        assert_eq!(key("--!!--"), "");
    }

    #[test]
    fn amount_accepted_forms() {
        let p = |s: &str| amount_pence(s.as_bytes());
        assert_eq!(p("1,234.50"), Some(123_450));
        assert_eq!(p("£12"), Some(1200));
        assert_eq!(p(" -3."), Some(-300));
        assert_eq!(p(".5"), Some(50));
        assert_eq!(p("+7.25"), Some(725));
        assert_eq!(p("  £1,000,000  "), Some(100_000_000));
        assert_eq!(p("-£ 5"), None, "a space inside is not trimmed");
        assert_eq!(p("£ 5"), Some(500), "removal of £ happens before the trim");
        assert_eq!(p("0007"), Some(700));
    }

    #[test]
    fn amount_rejected_forms() {
        for s in [
            "(12)",
            "12 CR",
            "",
            "N/A",
            " ",
            ".",
            "-",
            "+.",
            "1.2.3",
            "1E+05",
            "12-",
            "--1",
            "\t12",
            "1 2",
            "#####",
            "34405..40",
        ] {
            assert_eq!(amount_pence(s.as_bytes()), None, "{s:?} must be rejected");
        }
    }

    #[test]
    fn amount_rounds_half_away_from_zero() {
        let p = |s: &str| amount_pence(s.as_bytes());
        assert_eq!(p("0.005"), Some(1));
        assert_eq!(p("-0.005"), Some(-1));
        assert_eq!(p("0.0049"), Some(0));
        assert_eq!(p("-0.0049"), Some(0));
        assert_eq!(p("2.675"), Some(268), "no binary float in the way");
        assert_eq!(p("1.999"), Some(200));
        assert_eq!(p("-1.994999"), Some(-199));
    }

    #[test]
    fn amount_huge_is_exact() {
        assert_eq!(
            amount_pence(b"123456789012345678901234.565"),
            Some(12_345_678_901_234_567_890_123_457)
        );
        assert_eq!(
            amount_pence(b"-999999999999999999.99"),
            Some(-99_999_999_999_999_999_999)
        );
        assert_eq!(amount_pence(b"1234567890123456789012.3.4"), None);
        assert_eq!(amount_pence(b"12345678901234567890x"), None);
    }

    #[test]
    fn fy_april_to_march() {
        assert_eq!(financial_year(b"2021-04-01"), Some(2021));
        assert_eq!(financial_year(b"2022-03-31"), Some(2021));
        assert_eq!(financial_year(b"2022-01-15"), Some(2021));
        assert_eq!(financial_year(b"2020-12-31"), Some(2020));
        assert_eq!(financial_year(b"2020-02-29"), Some(2019), "leap day");
    }

    #[test]
    fn fy_unknown_for_non_iso() {
        for s in [
            "2021-02-30",
            "2021-02-29",
            "2021-13-01",
            "2021-4-1",
            " 2021-04-01",
            "2021-04-01 00:00",
            "01/04/2021",
            "July 2010-September 2010",
            "2017-03",
            "42032.00",
            "",
        ] {
            assert_eq!(financial_year(s.as_bytes()), None, "{s:?}");
        }
    }
}
