//! Turning a data row into a payment or supplier record — or a named reason it is not one.
//!
//! Rows are **skipped** (not data) when blank, a repeated header, a totals row, or a note
//! with neither date nor amount; **rejected** (data we cannot use) when the date or amount
//! cannot be read. Each carries the column and value so the issues report can say where.

use anchornet_core::{FinancialYear, Payment, PaymentDate, Pence, Postcode, ProclassCode, Role};
use serde::Serialize;

use crate::detect::Detection;
use crate::format::Row;
use crate::vocab;

/// A supplier-side record: a contracts register row, an award notice, a vendor list entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupplierRecord {
    /// The buyer (anchor), where known.
    pub anchor: String,
    /// Source file.
    pub source_file: String,
    /// Physical line.
    pub line: u64,
    /// Supplier name as written.
    pub name: String,
    /// Postcode, canonical, when valid.
    pub postcode: Option<String>,
    /// Companies House number.
    pub company_number: Option<String>,
    /// Charity number.
    pub charity_number: Option<String>,
    /// VAT number.
    pub vat_number: Option<String>,
    /// The buyer's supplier id.
    pub supplier_id: Option<String>,
    /// SME declared: true/false, or unknown.
    pub sme: Option<bool>,
    /// A value (annual or awarded), where given.
    pub value: Option<Pence>,
    /// Category (ProClass, CPV description…).
    pub category: Option<String>,
    /// Title or description.
    pub description: Option<String>,
    /// The row's date, where its layout has one that parses (a contract's start, a
    /// ratepayer's liability start): when the row's facts were current.
    pub date: Option<PaymentDate>,
}

/// What became of a row.
#[derive(Debug, Clone)]
pub enum RowOutcome {
    /// A payment.
    Payment(Box<Payment>),
    /// A supplier-side record.
    Supplier(Box<SupplierRecord>),
    /// Not data: the reason.
    Skip(String),
    /// Data that cannot be used: column index, value, problem.
    Reject {
        /// Column index.
        column: usize,
        /// The offending value.
        value: String,
        /// What is wrong with it.
        problem: String,
    },
}

/// A value that was kept but could not be fully used (e.g. an invalid postcode).
#[derive(Debug, Clone)]
pub struct Warning {
    /// Column index.
    pub column: usize,
    /// The value.
    pub value: String,
    /// What is wrong.
    pub problem: String,
}

/// Per-file context for row conversion.
pub struct RowContext<'a> {
    /// The detected layout.
    pub det: &'a Detection,
    /// Source file name.
    pub file: &'a str,
    /// Anchor to use when the row does not name one (or always, when `force_anchor`).
    pub anchor: &'a str,
    /// Use `anchor` even when the file has a body column.
    pub force_anchor: bool,
    /// Normalised header cells, for spotting repeated headers.
    pub header_norm: Vec<String>,
    /// The column dating a supplier-side row's facts ([`evidence_date_column`]), found once
    /// per file.
    pub evidence_date: Option<usize>,
}

impl<'a> RowContext<'a> {
    /// The context for one file's rows: the evidence-date column is found here, once.
    pub fn new(
        det: &'a Detection,
        file: &'a str,
        anchor: &'a str,
        force_anchor: bool,
        header_norm: Vec<String>,
    ) -> RowContext<'a> {
        RowContext {
            det,
            file,
            anchor,
            force_anchor,
            evidence_date: evidence_date_column(&header_norm),
            header_norm,
        }
    }
}

/// Markers that publishers put in place of a supplier name withheld as personal data.
pub fn is_redaction_marker(name: &str) -> bool {
    // This runs on every payment: the name is lower-cased into a stack buffer (ASCII only,
    // as `to_ascii_lowercase`; a longer name takes the allocating path) and searched there.
    let t = name.trim();
    let mut buf = [0u8; 128];
    match buf.get_mut(..t.len()) {
        Some(b) => {
            b.copy_from_slice(t.as_bytes());
            b.make_ascii_lowercase();
            redaction_marker_lower(b)
        }
        None => redaction_marker_lower(t.to_ascii_lowercase().as_bytes()),
    }
}

/// [`is_redaction_marker`] of a trimmed, ASCII-lower-cased name. Byte-wise is the same as
/// character-wise here: every pattern is ASCII, and no byte of a non-ASCII character is an
/// ASCII letter or digit.
fn redaction_marker_lower(n: &[u8]) -> bool {
    const CONTAINS: [&str; 8] = [
        "personal data",
        "personal information",
        "withheld",
        "data protection",
        "name not disclosed",
        "not disclosed",
        "private individual",
        "personal details",
    ];
    const EXACT: [&str; 6] = [
        "individual",
        "personal",
        "private",
        "sensitive",
        "confidential",
        "*****",
    ];
    if n.is_empty() {
        return true;
    }
    // "Redacted" as a word, not as the start of another (Redactive Publishing Ltd is a firm).
    if n.split(|c: &u8| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w, b"redact" | b"redacted" | b"redaction"))
    {
        return true;
    }
    // Each pattern is looked for only where its first letter is.
    let contains = (0..n.len()).any(|i| {
        matches!(n[i], b'p' | b'w' | b'd' | b'n')
            && CONTAINS.iter().any(|c| n[i..].starts_with(c.as_bytes()))
    });
    contains || EXACT.iter().any(|e| e.as_bytes() == n)
}

fn is_total_cell(c: &str) -> bool {
    // Cheap pre-check: this runs on every cell of every row.
    let t = c.trim_start().as_bytes();
    if t.len() > 40
        || t.is_empty()
        || !matches!(t[0].to_ascii_lowercase(), b't' | b'g' | b's' | b'o')
    {
        return false;
    }
    // Every label below, letters and digits only, starts with one of these (normalising
    // keeps letters and digits, lower-cased, in order): the rest are not totals.
    let mut letters = c
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase);
    let mut lead = [' '; 12];
    for l in lead.iter_mut() {
        match letters.next() {
            Some(x) => *l = x,
            None => break,
        }
    }
    let starts = |p: &str| p.chars().zip(&lead).all(|(a, b)| a == *b);
    if !["total", "grandtotal", "subtotal", "overalltotal"]
        .iter()
        .any(|p| starts(p))
    {
        return false;
    }
    // Only short labels: "Total", "Grand Total", "Totals for May 2022" — never a supplier
    // whose name starts with the word (TOTAL PARTITION SALES LTD).
    let n = vocab::normalise(c);
    let w: Vec<&str> = n.split(' ').collect();
    const LABELS: [&str; 12] = [
        "total",
        "totals",
        "grand total",
        "sub total",
        "subtotal",
        "total spend",
        "total amount",
        "total expenditure",
        "overall total",
        "total payments",
        "total value",
        "total net",
    ];
    LABELS.contains(&n.as_str())
        || (matches!(w.first(), Some(&"total") | Some(&"totals"))
            && w.get(1) == Some(&"for")
            && w.len() <= 6)
}

fn opt(row: &Row, col: Option<usize>) -> Option<String> {
    col.map(|c| row.cell(c).trim())
        .filter(|v| !v.is_empty())
        .map(single_spaced)
}

/// White space runs as one space (`v` already trimmed), allocating once.
fn single_spaced(v: &str) -> String {
    // Most values already are: ASCII, trimmed, with no white space but single spaces, which
    // `split_whitespace` would give back unchanged.
    let b = v.as_bytes();
    if b.is_ascii()
        && !b.starts_with(b" ")
        && !b.ends_with(b" ")
        && !b.iter().any(|c| matches!(c, b'\t'..=b'\r'))
        && memchr::memmem::find(b, b"  ").is_none()
    {
        return v.to_string();
    }
    let mut out = String::with_capacity(v.len());
    for (i, w) in v.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Whether `cell`'s letters and digits, lower-cased, are `header`'s non-space characters:
/// true whenever `vocab::normalise(cell) == header` (normalising keeps letters and digits in
/// order, lower-cased, and turns everything else into single spaces).
fn same_letters(cell: &str, header: &str) -> bool {
    let mut h = header.chars().filter(|c| *c != ' ');
    for c in cell.chars().filter(|c| c.is_alphanumeric()) {
        for l in c.to_lowercase() {
            if h.next() != Some(l) {
                return false;
            }
        }
    }
    h.next().is_none()
}

/// Parse an identifier cell, treating placeholders as absent.
fn ident(row: &Row, col: Option<usize>) -> Option<String> {
    opt(row, col).filter(|v| {
        let l = v.to_ascii_lowercase();
        !matches!(
            l.as_str(),
            "n/a"
                | "na"
                | "nil"
                | "none"
                | "-"
                | "0"
                | "not yet available"
                | "redacted"
                | "not applicable"
                | "unknown"
        )
    })
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "t" | "1" => Some(true),
        "no" | "n" | "false" | "f" | "0" => Some(false),
        _ => None,
    }
}

/// The column that dates a supplier-side row's facts (its address, its size), by the
/// meaning of the header: when the occupier became liable for the premises (business rates:
/// "liability start date", "occupation start date", "account start date"), else when the
/// contract started ("start date"; a property's own entry in the rating list is not the
/// occupier's), else when it was awarded. `None` when no header says so.
fn evidence_date_column(header_norm: &[String]) -> Option<usize> {
    let rank = |h: &str| {
        let w: Vec<&str> = h.split(' ').collect();
        let has = |x: &str| w.contains(&x);
        // A relief's, an exemption's or the property's own dates are not the occupier's.
        if !has("date")
            || ["property", "relief", "reliefs", "exemption", "exemptions"]
                .iter()
                .any(|x| has(x))
        {
            return None;
        }
        if has("start")
            && ["liability", "occupation", "occupied", "account"]
                .iter()
                .any(|x| has(x))
        {
            Some(0)
        } else if has("start") {
            Some(1)
        } else if has("award") || has("awarded") {
            Some(2)
        } else {
            None
        }
    };
    header_norm
        .iter()
        .enumerate()
        .filter_map(|(i, h)| rank(h).map(|r| (r, i)))
        .min()
        .map(|(_, i)| i)
}

/// A converted row on its way to the report, the de-duplicator and the sinks.
#[derive(Debug)]
pub struct Converted {
    /// The row's physical line.
    pub line: u64,
    /// What became of it.
    pub outcome: RowOutcome,
    /// Values kept but not fully used.
    pub warnings: Vec<Warning>,
    /// The de-duplication key of a payment ([`crate::dedupe::key`]); 0 otherwise.
    pub key: u128,
    /// The row's text, for the issues report of a skipped row; empty otherwise.
    pub text: String,
}

impl RowContext<'_> {
    /// Convert one row with everything the consumer needs: its outcome, warnings, the
    /// payment's de-duplication key (when `keyed`) and, for a skipped row, its text.
    pub fn converted(&self, row: &Row, keyed: bool) -> Converted {
        let mut warnings = Vec::new();
        let outcome = self.convert(row, &mut warnings);
        let key = match &outcome {
            RowOutcome::Payment(p) if keyed => crate::dedupe::key(p),
            _ => 0,
        };
        let text = match &outcome {
            RowOutcome::Skip(_) => crate::run::row_text(row),
            _ => String::new(),
        };
        Converted {
            line: row.line,
            outcome,
            warnings,
            key,
            text,
        }
    }

    fn repeated_header(&self, row: &Row) -> bool {
        // Cheap pre-check: the first non-empty header cell must reappear in place.
        let first = self.header_norm.iter().position(|h| !h.is_empty());
        if let Some(i) = first {
            let c = row.cell(i).trim();
            if c.len() > 3 * self.header_norm[i].len() + 8
                || c.bytes().next().is_some_and(|b| b.is_ascii_digit())
            {
                return false;
            }
        }
        // A cell normalises to nothing exactly when it has no letter or digit, and to a
        // header cell only if its letters and digits, lower-cased, are the header's (less
        // its spaces): both are checked before normalising.
        let mut same = 0;
        let mut nonempty = 0;
        for (i, c) in row.cells.iter().enumerate() {
            if !c.chars().any(char::is_alphanumeric) {
                continue;
            }
            nonempty += 1;
            if self
                .header_norm
                .get(i)
                .is_some_and(|h| same_letters(c, h) && vocab::normalise(c) == *h)
            {
                same += 1;
            }
        }
        nonempty >= 2 && same * 10 >= nonempty * 6
    }

    /// Convert one data row.
    pub fn convert(&self, row: &Row, warnings: &mut Vec<Warning>) -> RowOutcome {
        let det = self.det;
        if row.is_blank() {
            return RowOutcome::Skip("blank row".into());
        }
        if !self.header_norm.is_empty() && self.repeated_header(row) {
            return RowOutcome::Skip("repeated header row".into());
        }
        let date_col = det.column(Role::Date);
        let amount_col = det
            .column(Role::NetAmount)
            .or(det.column(Role::Amount))
            .or(det.column(Role::GrossAmount));
        let supplier_col = det.column(Role::SupplierName);
        let date_raw = date_col.map(|c| row.cell(c).trim()).unwrap_or("");
        let amount_raw = amount_col.map(|c| row.cell(c).trim()).unwrap_or("");
        let supplier_raw = supplier_col.map(|c| row.cell(c).trim()).unwrap_or("");
        if row.cells.iter().any(|c| is_total_cell(c))
            && (date_raw.is_empty() || PaymentDate::parse(date_raw).is_err())
        {
            return RowOutcome::Skip("totals row".into());
        }
        let postcode = match opt(row, det.column(Role::SupplierPostcode)) {
            None => None,
            Some(v) => match Postcode::parse(&v) {
                Ok(p) => Some(p.to_string()),
                Err(e) => {
                    warnings.push(Warning {
                        column: det.column(Role::SupplierPostcode).unwrap_or(0),
                        value: v,
                        problem: format!("{e}; row kept without a postcode"),
                    });
                    None
                }
            },
        };
        let anchor = if self.force_anchor {
            self.anchor.to_string()
        } else {
            opt(row, det.column(Role::Body))
                .filter(|b| !b.starts_with("http"))
                .unwrap_or_else(|| self.anchor.to_string())
        };
        if det.kind == crate::detect::InputKind::Suppliers {
            if is_redaction_marker(supplier_raw) {
                return RowOutcome::Skip(
                    "no supplier named (e.g. an open tender or a withheld name)".into(),
                );
            }
            let value = amount_col.and_then(|c| Pence::parse(row.cell(c)).ok());
            return RowOutcome::Supplier(Box::new(SupplierRecord {
                anchor,
                source_file: self.file.to_string(),
                line: row.line,
                name: supplier_raw.to_string(),
                postcode,
                company_number: ident(row, det.column(Role::CompanyNumber)),
                charity_number: ident(row, det.column(Role::CharityNumber)),
                vat_number: ident(row, det.column(Role::VatNumber)),
                supplier_id: ident(row, det.column(Role::SupplierId)),
                sme: det
                    .column(Role::SmeFlag)
                    .and_then(|c| parse_bool(row.cell(c))),
                value,
                category: opt(row, det.column(Role::ProcurementCategory))
                    .or(opt(row, det.column(Role::ExpenseType))),
                description: opt(row, det.column(Role::Description)),
                date: self
                    .evidence_date
                    .or(date_col)
                    .and_then(|c| PaymentDate::parse(row.cell(c)).ok()),
            }));
        }
        if date_raw.is_empty() && amount_raw.is_empty() {
            return RowOutcome::Skip("no date and no amount (a note, title or footer row)".into());
        }
        let date = match PaymentDate::parse(date_raw) {
            Ok(d) => d,
            Err(e) => {
                return RowOutcome::Reject {
                    column: date_col.unwrap_or(0),
                    value: date_raw.to_string(),
                    problem: format!("date: {e}"),
                }
            }
        };
        let amount = match Pence::parse(amount_raw) {
            Ok(a) => a,
            Err(e) => {
                return RowOutcome::Reject {
                    column: amount_col.unwrap_or(0),
                    value: amount_raw.to_string(),
                    problem: format!("amount: {e}"),
                }
            }
        };
        let proclass_code = match opt(row, det.column(Role::ProclassCode)) {
            None => None,
            Some(v) if crate::profile::is_placeholder(&v.to_ascii_uppercase()) => None,
            Some(v) => match ProclassCode::parse(&v) {
                Ok(c) => Some(c),
                Err(e) => {
                    warnings.push(Warning {
                        column: det.column(Role::ProclassCode).unwrap_or(0),
                        value: v,
                        problem: format!("{e}; row kept without a ProClass code"),
                    });
                    None
                }
            },
        };
        let money = |r: Role| det.column(r).and_then(|c| Pence::parse(row.cell(c)).ok());
        let redacted = is_redaction_marker(supplier_raw);
        RowOutcome::Payment(Box::new(Payment {
            anchor,
            source_file: self.file.to_string(),
            line: row.line,
            date,
            financial_year: FinancialYear::of(date),
            amount,
            gross: money(Role::GrossAmount),
            vat: money(Role::Vat),
            supplier_name: if redacted {
                String::new()
            } else {
                single_spaced(supplier_raw)
            },
            redacted,
            supplier_id: ident(row, det.column(Role::SupplierId)),
            company_number: ident(row, det.column(Role::CompanyNumber)),
            charity_number: ident(row, det.column(Role::CharityNumber)),
            vat_number: ident(row, det.column(Role::VatNumber)),
            supplier_postcode: postcode,
            expense_type: opt(row, det.column(Role::ExpenseType)),
            procurement_category: opt(row, det.column(Role::ProcurementCategory)),
            expense_code: opt(row, det.column(Role::ExpenseCode)),
            proclass_code,
            service_area: opt(row, det.column(Role::ServiceArea)),
            transaction_id: opt(row, det.column(Role::TransactionId)),
            capital_revenue: opt(row, det.column(Role::CapitalRevenue)),
            description: opt(row, det.column(Role::Description)),
        }))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn evidence_dates_by_header_meaning() {
        let col = |h: &str| {
            let n: Vec<String> = h.split(',').map(crate::vocab::normalise).collect();
            super::evidence_date_column(&n)
        };
        // Three councils' business-rates headers (Bradford, Calderdale, Kirklees 2019): the
        // liability start, never the property's or a relief's start.
        assert_eq!(col("Property reference number,Ratepayer,Address,Postcode,Latitude,Longitude,Property start date,Rateable value,VOA code,VOA description,Liability start date,Occupied,Exemptions,Exemptions start date,Mandatory Reliefs,Mandatory Relief Start Date"), Some(10));
        assert_eq!(col("Property reference number,Address,Postcode,Latitude,Longitude,Ratepayer,Rateable value,VOA description,Liability start date,Reliefs granted,Relief discretionary,Discretionary Relief St Date"), Some(8));
        assert_eq!(col("Property reference number,Ratepayer,Address,Postcode,Current Relief Award Start Date,Liability start date"), Some(5));
        // A contracts register (Salford 2022): the contract's start.
        assert_eq!(col("Contract Reference,Contract Title,Supplier Company Name,Supplier Postcode,Annual Value,Start Date,End Date,Current Expiry Date"), Some(5));
        assert_eq!(col("Supplier,Postcode,Date awarded"), Some(2));
        assert_eq!(col("Supplier,Postcode,End Date"), None);
    }

    use super::*;

    #[test]
    fn redaction_markers() {
        for m in [
            "REDACTED",
            "Redacted - personal data",
            "Personal Information",
            "",
            "  ",
            "Redacted Personal Information",
            "REDACTED PERSONAL DATA",
        ] {
            assert!(is_redaction_marker(m), "{m:?}");
        }
        assert!(is_redaction_marker(
            "Name withheld (as individual and not a company)"
        ));
        assert!(!is_redaction_marker("ACME LTD"));
        assert!(!is_redaction_marker("Personalised Gifts Ltd"));
        // A real supplier in Trafford's 2025/26 spend that was once taken for a marker.
        assert!(!is_redaction_marker("Redactive Publishing Ltd"));
        // Names longer than the stack buffer take the allocating path, with the same answers.
        let long = "Northern Community Transport and Training Services ".repeat(4);
        assert!(is_redaction_marker(&format!("{long} (Personal Data)")));
        assert!(is_redaction_marker(&format!("{long} REDACTED")));
        assert!(!is_redaction_marker(&long));
        assert!(!is_redaction_marker(
            "Personalised Gifts Ltd, Data Protectors Ltd"
        ));
    }

    #[test]
    fn single_spacing() {
        assert_eq!(single_spaced("A B LTD"), "A B LTD");
        assert_eq!(single_spaced("A  B\tLTD"), "A B LTD");
        assert_eq!(single_spaced("Caf\u{e9}\u{a0} Ltd"), "Caf\u{e9} Ltd");
    }

    #[test]
    fn totals() {
        assert!(is_total_cell("Total"));
        assert!(is_total_cell("GRAND TOTAL"));
        assert!(is_total_cell("Totals:"));
        assert!(is_total_cell("Totals for May 2022"));
        assert!(!is_total_cell("TOTAL PARTITION SALES LTD"));
        assert!(!is_total_cell("Total Gym Supplies"));
        assert!(!is_total_cell("Totally Local Company"));
    }
}
