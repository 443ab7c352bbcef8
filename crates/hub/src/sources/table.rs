//! Tabular pipeline sources (CSV, XLSX, ODS; compressed or not, through
//! [`anchornet_ingest::input`] and [`anchornet_ingest::format`]): the header row found and
//! each column given a meaning from its header words, so that another publisher's spelling
//! of the same field is read the same way.
//!
//! The vocabulary is the union of three published field lists, not one file's headers:
//! the Local Government Transparency Code 2015 (contracts over £5,000: reference number,
//! title, description, supplier name and details, sum to be paid / estimated annual value,
//! start, end and review dates, whether an invitation to quote or tender, SME/VCSE status,
//! company/charity number); Contracts Finder's notice fields (notice type, published date,
//! closing date, awarded date, value low/high, awarded value, awarded supplier, awarded to
//! SME, suitable for SME/VCSE, CPV codes); and its pipeline report (approach to market,
//! approach date, spend by financial year, total capital cost).

use anchornet_core::{PaymentDate, Pence};
use anchornet_ingest::format::{self, Row};
use anchornet_ingest::input;
use anchornet_ingest::{Issue, Limits, Outcome};
use chrono::NaiveDate;
use std::path::Path;

/// What a column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Col {
    /// The procurement's own reference or notice id.
    Reference,
    /// A notice id (preferred over a reference where both are given).
    NoticeId,
    /// Title.
    Title,
    /// Description.
    Description,
    /// The buying body.
    Buyer,
    /// The supplier holding the contract.
    Supplier,
    /// The supplier's postcode.
    SupplierPostcode,
    /// Companies House number of the supplier.
    CompanyNumber,
    /// Total contract value.
    TotalValue,
    /// Annual value.
    AnnualValue,
    /// Value awarded.
    AwardedValue,
    /// Low end of an estimated range.
    ValueLow,
    /// High end of an estimated range.
    ValueHigh,
    /// Planned spend in one financial year (forward plans).
    SpendProfile,
    /// Contract start.
    Start,
    /// Contract end.
    End,
    /// Current expiry, extensions taken (preferred over the end).
    CurrentExpiry,
    /// Options to extend.
    Extension,
    /// Supplier declared an SME.
    SupplierSme,
    /// Suitable for SMEs.
    SmeSuitable,
    /// Suitable for VCSEs.
    VcseSuitable,
    /// CPV codes.
    Cpv,
    /// Category text (ProClass description, pipeline type, CPV description).
    Category,
    /// ProClass code (six digits).
    ProclassCode,
    /// Status.
    Status,
    /// Notice type.
    NoticeType,
    /// Date published.
    Published,
    /// Deadline for bids.
    Deadline,
    /// Date awarded.
    Awarded,
    /// Procedure or route.
    Procedure,
    /// When the buyer plans to approach the market (forward plans).
    ApproachDate,
    /// Link.
    Url,
}

/// Header words → meaning; the first rule a header matches wins, so the specific come
/// before the general. Each rule: every word listed must be among the header's words.
const RULES: &[(&[&str], Col)] = &[
    (&["notice", "id"], Col::NoticeId),
    (&["noticeid"], Col::NoticeId),
    (&["supplier", "postcode"], Col::SupplierPostcode),
    (&["company", "number"], Col::CompanyNumber),
    (&["company", "registration"], Col::CompanyNumber),
    (&["companies", "house"], Col::CompanyNumber),
    (&["suitable", "sme"], Col::SmeSuitable),
    (&["suitable", "for", "sme"], Col::SmeSuitable),
    (&["suitable", "vcse"], Col::VcseSuitable),
    (&["awarded", "sme"], Col::SupplierSme),
    (&["sme", "supplier"], Col::SupplierSme),
    (&["sme"], Col::SupplierSme),
    (&["awarded", "supplier"], Col::Supplier),
    (&["awarded", "value"], Col::AwardedValue),
    (&["awarded", "date"], Col::Awarded),
    (&["award", "date"], Col::Awarded),
    (&["value", "low"], Col::ValueLow),
    (&["value", "high"], Col::ValueHigh),
    (&["annual", "value"], Col::AnnualValue),
    (&["spendfinancial"], Col::SpendProfile),
    (&["spend", "financial"], Col::SpendProfile),
    (&["total", "value"], Col::TotalValue),
    (&["contract", "value"], Col::TotalValue),
    (&["sum", "paid"], Col::TotalValue),
    (&["cpv", "description"], Col::Category),
    (&["cpvcodes"], Col::Cpv),
    (&["cpv"], Col::Cpv),
    (&["proclass", "classification"], Col::ProclassCode),
    (&["proclass", "code"], Col::ProclassCode),
    (&["proclasscode"], Col::ProclassCode),
    (&["proclass", "description"], Col::Category),
    (&["pipelinetype"], Col::Category),
    (&["category"], Col::Category),
    (&["current", "expiry"], Col::CurrentExpiry),
    (&["option", "extend"], Col::Extension),
    (&["extension", "option"], Col::Extension),
    (&["start", "date"], Col::Start),
    (&["startdate"], Col::Start),
    (&["end", "date"], Col::End),
    (&["expiry", "date"], Col::End),
    (&["enddate"], Col::End),
    (&["approachdate"], Col::ApproachDate),
    (&["approach", "date"], Col::ApproachDate),
    (&["approachtomarket"], Col::Procedure),
    (&["process", "used"], Col::Procedure),
    (&["procedure"], Col::Procedure),
    (&["procurement", "route"], Col::Procedure),
    (&["notice", "type"], Col::NoticeType),
    (&["published", "date"], Col::Published),
    (&["publisheddate"], Col::Published),
    (&["deadline"], Col::Deadline),
    (&["closing", "date"], Col::Deadline),
    (&["status"], Col::Status),
    (&["supplier", "name"], Col::Supplier),
    (&["supplier"], Col::Supplier),
    (&["contractor"], Col::Supplier),
    (&["title"], Col::Title),
    (&["noticetitle"], Col::Title),
    (&["description"], Col::Description),
    (&["purchasing", "body"], Col::Buyer),
    (&["noticeorganisationname"], Col::Buyer),
    (&["organisation"], Col::Buyer),
    (&["buyer"], Col::Buyer),
    (&["contracting", "authority"], Col::Buyer),
    (&["referencenumber"], Col::Reference),
    (&["reference"], Col::Reference),
    (&["ref"], Col::Reference),
    (&["id"], Col::Reference),
    (&["url"], Col::Url),
    (&["link"], Col::Url),
];

fn words(h: &str) -> Vec<String> {
    // Split camel case (`NoticeOrganisationName` stays one word: its run is matched whole
    // as well), snake case and punctuation.
    h.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// The meaning of a header, if any.
pub fn meaning(header: &str) -> Option<Col> {
    let ws = words(header);
    let joined = ws.concat();
    RULES.iter().find_map(|(need, col)| {
        let ok = if matches!(need, ["id"] | ["ref"]) {
            // Too short to find inside other headers (`council_id` is the council's).
            ws.len() == 1 && ws[0] == need[0]
        } else if need.len() == 1 {
            ws.iter().any(|w| w == need[0])
                || joined == need[0]
                || (joined.starts_with(need[0]) && need[0].len() > 6)
        } else {
            need.iter().all(|n| ws.iter().any(|w| w == n))
        };
        ok.then_some(*col)
    })
}

/// A table read, with its columns' meanings.
pub struct Sheet {
    /// Source name.
    pub file: String,
    /// Header cells.
    pub headers: Vec<String>,
    /// Each column's meaning.
    pub cols: Vec<Option<Col>>,
    /// Data rows (after the header row).
    pub rows: Vec<Row>,
}

impl Sheet {
    /// Columns with meaning `c`, in order.
    pub fn all(&self, c: Col) -> Vec<usize> {
        (0..self.cols.len())
            .filter(|&i| self.cols[i] == Some(c))
            .collect()
    }

    /// The first column with meaning `c`.
    pub fn col(&self, c: Col) -> Option<usize> {
        self.cols.iter().position(|x| *x == Some(c))
    }

    /// Whether a column means `c`.
    pub fn has(&self, c: Col) -> bool {
        self.col(c).is_some()
    }
}

/// Read every table of `path` and find its header row (the first of the first ten rows
/// with at least three columns of known meaning).
pub fn read(path: &Path, limits: &Limits, issues: &mut Vec<Issue>) -> Vec<Sheet> {
    let name = path.to_string_lossy().to_string();
    let sources = match input::open_with(path, limits) {
        Ok(s) => s,
        Err(e) => {
            issues.push(file_issue(&name, e.message));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for s in sources {
        let tables = match format::read(&s) {
            Ok((_, t)) => t,
            Err(e) => {
                issues.push(file_issue(&s.name, e.to_string()));
                continue;
            }
        };
        for t in tables {
            let file = match &t.sheet {
                Some(sh) => format!("{}!{sh}", s.name),
                None => s.name.clone(),
            };
            let head = t
                .rows
                .iter()
                .take(10)
                .position(|r| r.cells.iter().filter(|c| meaning(c).is_some()).count() >= 3);
            let Some(h) = head else {
                issues.push(file_issue(&file, "no header row with three columns of known meaning (title, supplier, value, dates…) in the first ten rows".into()));
                continue;
            };
            let headers: Vec<String> = t.rows[h]
                .cells
                .iter()
                .map(|c| c.trim().trim_start_matches('\u{feff}').to_string())
                .collect();
            let cols = headers.iter().map(|c| meaning(c)).collect();
            let rows = t.rows[h + 1..]
                .iter()
                .filter(|r| !r.is_blank())
                .cloned()
                .collect();
            out.push(Sheet {
                file,
                headers,
                cols,
                rows,
            });
        }
    }
    out
}

fn file_issue(file: &str, problem: String) -> Issue {
    Issue {
        file: file.to_string(),
        line: 0,
        column: String::new(),
        value: String::new(),
        problem,
        outcome: Outcome::FileError,
    }
}

/// One row's cells read by meaning, with the issues its values raise.
pub struct Cells<'a> {
    /// The sheet.
    pub sheet: &'a Sheet,
    /// The row.
    pub row: &'a Row,
    /// Where its issues go.
    pub issues: &'a mut Vec<Issue>,
}

impl Cells<'_> {
    fn warn(&mut self, i: usize, value: &str, problem: impl Into<String>) {
        self.issues.push(Issue {
            file: self.sheet.file.clone(),
            line: self.row.line,
            column: self
                .sheet
                .headers
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("column {}", i + 1)),
            value: value.to_string(),
            problem: problem.into(),
            outcome: Outcome::Warning,
        });
    }

    /// Text of the first column meaning `c`, trimmed, `None` if empty or `N/A`.
    pub fn text(&self, c: Col) -> Option<String> {
        let i = self.sheet.col(c)?;
        clean(self.row.cell(i))
    }

    /// A date; a value that is not one is reported and left out.
    pub fn date(&mut self, c: Col) -> Option<NaiveDate> {
        let i = self.sheet.col(c)?;
        let raw = clean(self.row.cell(i))?;
        match parse_day(&raw) {
            Ok(d) => Some(d),
            Err(e) => {
                self.warn(i, &raw, format!("{e}; left out"));
                None
            }
        }
    }

    /// Money; zero reads as not given (registers and notices write 0 for unknown).
    pub fn money(&mut self, c: Col) -> Option<Pence> {
        let i = self.sheet.col(c)?;
        self.money_at(i)
    }

    /// Money in column `i`.
    pub fn money_at(&mut self, i: usize) -> Option<Pence> {
        let raw = clean(self.row.cell(i))?;
        match Pence::parse(&raw) {
            Ok(p) if p.0 == 0 => None,
            Ok(p) => Some(p),
            Err(e) => {
                self.warn(i, &raw, format!("{e}; left out"));
                None
            }
        }
    }

    /// A yes/no flag (`Yes`, `No`, `True`, `False`, `Y`, `N`, `1`, `0`).
    pub fn flag(&mut self, c: Col) -> Option<bool> {
        let i = self.sheet.col(c)?;
        let raw = clean(self.row.cell(i))?;
        match raw.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "1" => Some(true),
            "no" | "n" | "false" | "0" => Some(false),
            _ => {
                self.warn(i, &raw, "not a yes/no flag; left out");
                None
            }
        }
    }

    /// The ProClass code (six digits); any other value is reported and left out.
    pub fn proclass(&mut self) -> Option<String> {
        let i = self.sheet.col(Col::ProclassCode)?;
        let raw = self.row.cell(i).trim().to_string();
        if raw.is_empty() {
            return None;
        }
        if raw.len() == 6 && raw.bytes().all(|b| b.is_ascii_digit()) {
            Some(raw)
        } else {
            self.warn(i, &raw, "not a ProClass code (six digits); left out");
            None
        }
    }

    /// CPV codes of the first CPV column (separated by `|`, `,`, `;` or spaces).
    pub fn cpv(&mut self) -> Vec<crate::cpv::CpvCode> {
        let Some(i) = self.sheet.col(Col::Cpv) else {
            return Vec::new();
        };
        let raw = self.row.cell(i).to_string();
        let mut out = Vec::new();
        for part in raw
            .split(['|', ',', ';', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match crate::cpv::CpvCode::parse(part) {
                Ok(c) => {
                    if !out.contains(&c) {
                        out.push(c)
                    }
                }
                Err(e) => self.warn(i, part, format!("{e}; left out")),
            }
        }
        out
    }
}

/// A day as registers and notices write it: the forms [`PaymentDate::parse`] reads, also
/// with a time after it (`01 Jun 14 00:00`, the Contracts Finder pipeline report's form).
pub fn parse_day(raw: &str) -> Result<NaiveDate, anchornet_core::DateError> {
    match PaymentDate::parse(raw) {
        Ok(d) => Ok(d.naive()),
        Err(e) => {
            let words: Vec<&str> = raw.split_whitespace().collect();
            let is_time =
                |w: &str| w.contains(':') && w.chars().all(|c| c.is_ascii_digit() || c == ':');
            let date_part: Vec<&str> = words.iter().copied().filter(|w| !is_time(w)).collect();
            let text = date_part.join(" ");
            PaymentDate::parse(&text)
                .map(|d| d.naive())
                .or_else(|_| NaiveDate::parse_from_str(&text, "%d %b %y"))
                .or_else(|_| NaiveDate::parse_from_str(&text, "%d %b %Y"))
                .map_err(|_| e)
        }
    }
}

/// Cell text, or `None` for empty and the placeholders registers use for "none".
pub fn clean(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty()
        || matches!(
            t.to_ascii_lowercase().as_str(),
            "n/a" | "na" | "-" | "none" | "null"
        )
    {
        None
    } else {
        Some(decode_entities(t))
    }
}

/// The HTML entities Contracts Finder exports leave in text (`&#39;`, `&#039;`, `&amp;`).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e <= 8);
        let decoded = end.and_then(|e| {
            let ent = &tail[1..e];
            match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => ent
                    .strip_prefix('#')
                    .and_then(|n| n.parse::<u32>().ok())
                    .and_then(char::from_u32),
            }
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_three_publishers_read_by_meaning() {
        // Salford's contracts register, Contracts Finder notices, the CF pipeline report.
        assert_eq!(meaning("Contract Reference"), Some(Col::Reference));
        assert_eq!(meaning("Supplier Company Name"), Some(Col::Supplier));
        assert_eq!(meaning("awarded_supplier"), Some(Col::Supplier));
        assert_eq!(meaning("Supplier Postcode"), Some(Col::SupplierPostcode));
        assert_eq!(
            meaning("Total Contract Value (including extensions)"),
            Some(Col::TotalValue)
        );
        assert_eq!(meaning("Annual Value"), Some(Col::AnnualValue));
        assert_eq!(meaning("Current Expiry Date"), Some(Col::CurrentExpiry));
        assert_eq!(meaning("SME Supplier?"), Some(Col::SupplierSme));
        assert_eq!(meaning("awarded_to_sme"), Some(Col::SupplierSme));
        assert_eq!(meaning("suitable_for_sme"), Some(Col::SmeSuitable));
        assert_eq!(meaning("cpv_codes"), Some(Col::Cpv));
        assert_eq!(meaning("CPVCodes"), Some(Col::Cpv));
        assert_eq!(meaning("NoticeOrganisationName"), Some(Col::Buyer));
        assert_eq!(meaning("SpendFinancial2013_14"), Some(Col::SpendProfile));
        assert_eq!(meaning("ApproachDate"), Some(Col::ApproachDate));
        assert_eq!(meaning("StartDate"), Some(Col::Start));
        assert_eq!(meaning("NoticeID"), Some(Col::NoticeId));
        assert_eq!(meaning("Purchasing Body"), Some(Col::Buyer));
        assert_eq!(meaning("council_id"), None);
        assert_eq!(meaning("id"), Some(Col::Reference));
        assert_eq!(meaning("ParentNoticeID"), None);
        assert_eq!(decode_entities("St John&#039;s &amp; Co"), "St John's & Co");
    }
}
