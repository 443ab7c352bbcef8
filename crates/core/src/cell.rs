//! Text bound for a spreadsheet: the one place that decides whether a value could be read
//! as a formula, and neutralises it.
//!
//! A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is taken by
//! Excel, LibreOffice and Google Sheets as a formula (a leading tab or CR is skipped and the
//! rest read). A supplier name such as `=HYPERLINK("http://evil.example","Click")` or
//! `-2+3+cmd|' /C calc'!A0` in a council's published file would then run in the analyst's
//! spreadsheet ("CSV injection", CWE-1236). OWASP's guidance
//! (<https://owasp.org/www-community/attacks/CSV_Injection>) is to prepend a single quote to
//! such a cell, so the spreadsheet reads it as text; quoting and escaping embedded quotes is
//! the CSV writer's job and the `csv` crate does it.
//!
//! Numbers are left alone: `-1234.56` (a credit note) cannot call anything, and prefixing it
//! would turn a numeric column into text. Only a plain decimal number — optional sign,
//! digits, an optional fraction — counts as a number; `-2+3` is not one.
//!
//! Which outputs use this: every output meant to be opened in a spreadsheet — the CSV set of
//! `anchornet analyse`, `issues.csv`, `anchornet ingest --out x.csv` (payments, suppliers,
//! issues), the web's `.csv` twins and the XLSX workbook's text cells. Machine outputs —
//! Parquet, JSON Lines, `analysis.json` and the web's `.json` twins — keep every value exact.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
pub const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True when `s` is a plain decimal number (`-12`, `+3.50`, `0.5`), which no spreadsheet
/// reads as a formula.
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match frac {
        None => digits(int),
        Some(f) => (digits(int) || int.is_empty()) && digits(f),
    }
}

/// `s` made safe to open in a spreadsheet: a value starting with a formula trigger gets a
/// leading `'`; plain numbers and every other value come back unchanged (borrowed).
///
/// ```
/// use anchornet_core::cell::spreadsheet_text;
/// assert_eq!(spreadsheet_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(spreadsheet_text("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
/// assert_eq!(spreadsheet_text("-1234.56"), "-1234.56");
/// assert_eq!(spreadsheet_text("Acme Ltd"), "Acme Ltd");
/// ```
pub fn spreadsheet_text(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some(c) if FORMULA_TRIGGERS.contains(&c) && !is_plain_number(s) => {
            Cow::Owned(format!("'{s}"))
        }
        _ => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_is_neutralised() {
        // The OWASP list, one by one, each with a payload after it.
        for t in ["=", "+", "-", "@", "\t", "\r"] {
            let v = format!("{t}SUM(1,2)");
            assert_eq!(spreadsheet_text(&v), format!("'{v}"), "{v:?}");
        }
        assert_eq!(spreadsheet_text("@SUM(A1:A9)"), "'@SUM(A1:A9)");
        assert_eq!(spreadsheet_text("+"), "'+");
        assert_eq!(spreadsheet_text("-"), "'-");
    }

    #[test]
    fn numbers_and_plain_text_are_unchanged() {
        for v in [
            "-1234.56", "+12", "-0.5", "-.5", "42", "", "Acme Ltd", "'quoted", "a=b", "1-2",
        ] {
            assert_eq!(spreadsheet_text(v), v, "{v:?}");
            assert!(matches!(spreadsheet_text(v), Cow::Borrowed(_)));
        }
        // Not plain numbers: a sign with something else after it.
        for v in ["-2+3", "-1e5", "-12.", "+1.2.3", "-1,234.00", "- 5"] {
            assert_eq!(spreadsheet_text(v), format!("'{v}"), "{v:?}");
        }
    }
}
