//! Open registers of the social economy, each in its published layout:
//!
//! * **Co-operatives UK open data** — co-operatives, societies and CICs with their registered
//!   numbers, legal form and postcode (Co-operatives UK's own CSV, or the ESSGLOBAL "standard"
//!   CSV that Digital Commons publishes from it). VCSE evidence as well as location: a society
//!   registered under the Co-operative and Community Benefit Societies Act 2014 is a mutual.
//! * **360Giving** grant files in the standard's flattened CSV layout (`Recipient
//!   Org:Name`, `Recipient Org:Charity Number`, `Recipient Org:Company Number`, `Recipient
//!   Org:Identifier`, `Recipient Org:Postal Code`, `Award Date`): the recipients, with the
//!   identifiers and address the funder recorded, dated by the award. The standard's
//!   columns are found by [`anchornet_ingest::giving360::Columns`], as the Total Place view
//!   finds them for the money.
//!
//! Columns are found by name (case and spacing ignored), so extra or reordered columns are
//! read. A row without a name is reported; a row without a postcode is kept (its identifiers
//! and kind are evidence) and the register reports it like any other.

use std::path::Path;

use anchornet_ingest::giving360::{org_id_number, Columns as Columns360};

use super::open::{load_records, record_error};
use super::{NameFilter, RegisterError, RegisterIssue, RegisterKind, RegisterRecord, Registers};
use crate::ids;
use crate::kind::Kind;

/// Which open register a header is, if any.
pub fn detect(header_lower: &str) -> Option<RegisterKind> {
    let h = header_lower;
    let titles: Vec<&str> = h
        .split([',', '\t'])
        .map(|t| t.trim().trim_matches('"'))
        .collect();
    if Columns360::of(&titles).has_recipients() {
        Some(RegisterKind::Giving360)
    } else if h.contains("legal form")
        && (h.contains("ownership classification")
            || h.contains("organisational structure")
            || h.contains("registrar"))
    {
        Some(RegisterKind::CooperativesUk)
    } else {
        None
    }
}

/// Read an open register of `kind` (see [`detect`]).
pub fn load(
    path: &Path,
    regs: &mut Registers,
    filter: Option<&NameFilter>,
    kind: RegisterKind,
) -> Result<(), RegisterError> {
    load_records(path, regs, |member, r, out, issues| {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(r);
        let headers: Vec<String> = rdr
            .headers()
            .map_err(std::io::Error::other)?
            .iter()
            .map(|h| {
                h.trim_start_matches('\u{feff}')
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_ascii_lowercase()
            })
            .collect();
        let col = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| headers.iter().position(|h| h == n))
        };
        let c = match kind {
            RegisterKind::Giving360 => {
                let g = Columns360::of(&headers);
                Columns {
                    name: g.recipient,
                    company: g.recipient_company,
                    charity: g.recipient_charity,
                    identifier: g.recipient_identifier,
                    postcode: g.recipient_postcode,
                    legal_form: None,
                    sic: None,
                    date: g.award_date,
                }
            }
            _ => Columns {
                name: col(&["name", "registered name", "organisation name"]),
                company: col(&[
                    "companies house number",
                    "registered number",
                    "registration number",
                    "company number",
                ]),
                charity: col(&["charity number", "registered charity number"]),
                identifier: None,
                postcode: col(&["postcode", "registered postcode", "post code"]),
                legal_form: col(&["legal form"]),
                sic: col(&["sic code", "sic"]),
                date: col(&["incorporation date", "registration date"]),
            },
        };
        let Some(name_col) = c.name else {
            issues.push(RegisterIssue {
                file: member.into(),
                line: 1,
                problem: format!(
                    "no organisation name column in a {} layout (found {})",
                    kind.label(),
                    headers.join(",")
                ),
            });
            return Ok(());
        };
        for rec in rdr.records() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    record_error(e, member, line, issues)?;
                    continue;
                }
            };
            let line = rec.position().map_or(0, |p| p.line());
            let get = |i: Option<usize>| {
                i.and_then(|i| rec.get(i))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            let Some(name) = get(Some(name_col)) else {
                issues.push(RegisterIssue {
                    file: member.into(),
                    line,
                    problem: "a row without an organisation name: not used".into(),
                });
                continue;
            };
            // 360Giving org identifiers carry the register: GB-CHC-1234567, GB-COH-01234567.
            let id = get(c.identifier).unwrap_or_default();
            let from_id = |prefix: &str| org_id_number(&id, prefix).map(str::to_string);
            let company = get(c.company)
                .or_else(|| from_id("GB-COH-"))
                .and_then(|v| ids::company_number(&v));
            let charity = get(c.charity)
                .or_else(|| from_id("GB-CHC-"))
                .and_then(|v| ids::charity_number(&v));
            if filter.is_some_and(|f| {
                !f.keep_national(
                    std::iter::once(name.as_str()),
                    company.as_deref(),
                    charity.as_deref(),
                )
            }) {
                continue;
            }
            let legal_form = get(c.legal_form);
            let record_kind = match kind {
                RegisterKind::CooperativesUk => legal_form.as_deref().and_then(kind_of_form),
                // A funder's identifier for a registered charity says what it is; a company
                // number alone does not say whether it is a social enterprise.
                _ => charity.as_ref().map(|_| Kind::Charity),
            };
            out.push(RegisterRecord {
                register: Some(kind),
                file: member.to_string(),
                line,
                name,
                company_number: company,
                charity_number: charity,
                postcode: get(c.postcode).and_then(|p| super::postcode(&p)),
                sic: get(c.sic)
                    .filter(|s| s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()))
                    .into_iter()
                    .collect(),
                legal_form,
                kind: record_kind,
                date: get(c.date).and_then(|d| {
                    anchornet_core::PaymentDate::parse(d.get(..10).unwrap_or(&d)).ok()
                }),
                ..RegisterRecord::default()
            });
        }
        Ok(())
    })
}

/// The columns of one layout.
struct Columns {
    name: Option<usize>,
    company: Option<usize>,
    charity: Option<usize>,
    identifier: Option<usize>,
    postcode: Option<usize>,
    legal_form: Option<usize>,
    sic: Option<usize>,
    date: Option<usize>,
}

/// The kind a Co-operatives UK legal form means (the forms of the UK's registers: societies
/// under the 2014 Act, community interest companies, companies, LLPs).
fn kind_of_form(form: &str) -> Option<Kind> {
    let f = form.to_ascii_lowercase();
    if f.contains("society") || f.contains("industrial and provident") {
        Some(Kind::Society)
    } else if f.contains("community interest") || f == "cic" {
        Some(Kind::Cic)
    } else if f.contains("limited liability partnership") || f == "llp" {
        Some(Kind::Llp)
    } else if f.contains("company") {
        Some(Kind::Company)
    } else {
        None
    }
}
