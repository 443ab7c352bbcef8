//! Companies House: the *BasicCompanyData* bulk CSV (the free data product, one row per
//! company, about 5 million rows) and the advanced-search export (a CSV of search results,
//! as in `../shared/data/companies`).
//!
//! Both give the registered name, number, registered-office postcode, company type,
//! status and SIC codes. The bulk file also gives previous names (so a renamed company's
//! old ledger names still link) and the accounts category, from which a small or micro
//! company is known to be an SME: the Companies Act small-company thresholds (turnover
//! ≤ £10.2m, ≤ 50 staff) and medium thresholds before April 2025 (≤ £36m, ≤ 250 staff)
//! are within PPN 001's SME definition. Other categories leave SME unknown.

use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use super::open::{each_stream, record_error};
use super::{
    NameFilter, RegisterError, RegisterIssue, RegisterKind, RegisterRecord, Registers, Sme,
};
use crate::ids;
use crate::kind::{Kind, PublicType};

/// The kind a Companies House company type means.
pub fn kind_of_type(company_type: &str, subtype: &str) -> Option<Kind> {
    let t = company_type.to_ascii_lowercase();
    let s = subtype.to_ascii_lowercase();
    Some(
        if t.contains("community interest") || s.contains("community interest") {
            Kind::Cic
        } else if t.contains("charitable incorporated") {
            Kind::Cio
        } else if t.contains("registered society") || t.contains("industrial and provident") {
            Kind::Society
        } else if t.contains("limited liability partnership") {
            Kind::Llp
        } else if t.contains("public limited") || t.contains("old public company") {
            Kind::Plc
        } else if t.contains("further education") {
            Kind::PublicBody(PublicType::College)
        } else if (t.contains("private") && (t.contains("limited") || t.contains("ltd")))
            || t.contains("pri/")
        {
            Kind::Company
        } else {
            return None;
        },
    )
}

/// What an accounts category says about SME status (see the module notes).
pub fn sme_of_accounts(category: &str) -> Option<&'static str> {
    let c = category.to_ascii_uppercase();
    let small = c.contains("MICRO")
        || c.contains("SMALL")
        || c.contains("TOTAL EXEMPTION")
        || c.contains("DORMANT")
        || c.contains("AUDIT EXEMPTION")
        || c.contains("UNAUDITED ABRIDGED")
        || c.contains("MEDIUM");
    small.then_some("Companies House accounts category within the small/medium-company regime")
}

pub(super) struct Cols {
    pub(super) name: usize,
    pub(super) number: usize,
    pub(super) postcode: Option<usize>,
    pub(super) category: Option<usize>,
    pub(super) status: Option<usize>,
    pub(super) accounts: Option<usize>,
    pub(super) sic: Vec<usize>,
    pub(super) previous: Vec<usize>,
}

fn find(headers: &[String], want: &str) -> Option<usize> {
    headers.iter().position(|h| h.eq_ignore_ascii_case(want))
}

/// Read a BasicCompanyData bulk CSV (or its zip).
pub fn load_bulk(
    path: &Path,
    regs: &mut Registers,
    filter: Option<&NameFilter>,
) -> Result<(), RegisterError> {
    let pname = path.to_string_lossy().to_string();
    let mut out: Vec<RegisterRecord> = Vec::new();
    let mut issues: Vec<RegisterIssue> = Vec::new();
    each_stream(path, |member, r| {
        read_bulk(member, r, filter, &mut out, &mut issues)
    })
    .map_err(|e| RegisterError::Open {
        path: pname,
        message: e.to_string(),
    })?;
    regs.records.extend(out);
    regs.issues.extend(issues);
    Ok(())
}

/// The columns of a BasicCompanyData header (trimmed, BOM removed), if it has a name and a
/// number.
pub(super) fn bulk_cols(headers: &[String]) -> Option<Cols> {
    Some(Cols {
        name: find(headers, "CompanyName")?,
        number: find(headers, "CompanyNumber")?,
        postcode: find(headers, "RegAddress.PostCode"),
        category: find(headers, "CompanyCategory"),
        status: find(headers, "CompanyStatus"),
        accounts: find(headers, "Accounts.AccountCategory"),
        sic: (1..=4)
            .filter_map(|k| find(headers, &format!("SICCode.SicText_{k}")))
            .collect(),
        previous: (1..=10)
            .filter_map(|k| find(headers, &format!("PreviousName_{k}.CompanyName")))
            .collect(),
    })
}

fn read_bulk(
    file: &str,
    r: &mut dyn Read,
    filter: Option<&NameFilter>,
    out: &mut Vec<RegisterRecord>,
    issues: &mut Vec<RegisterIssue>,
) -> std::io::Result<()> {
    each_bulk_batch(file, r, issues, |cols, batch| {
        let done: Vec<RegisterRecord> = batch
            .par_iter()
            .filter_map(|(l, r)| bulk_row(file, *l, r, cols, filter))
            .collect();
        out.extend(done);
        Ok(())
    })
}

/// Read a BasicCompanyData stream in batches of 50,000 records (each with its line), for
/// `f` to work on in parallel. A header without a name and a number is an issue and no rows;
/// a record that cannot be read is an issue on its line; a stream that cannot be read on
/// fails (see [`record_error`]).
pub(super) fn each_bulk_batch(
    file: &str,
    r: &mut dyn Read,
    issues: &mut Vec<RegisterIssue>,
    mut f: impl FnMut(&Cols, &[(u64, csv::ByteRecord)]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(r);
    let headers = trimmed_headers(&mut rdr)?;
    let Some(cols) = bulk_cols(&headers) else {
        issues.push(RegisterIssue {
            file: file.into(),
            line: 1,
            problem: "no CompanyName/CompanyNumber columns".into(),
        });
        return Ok(());
    };
    let mut batch: Vec<(u64, csv::ByteRecord)> = Vec::with_capacity(50_000);
    let mut rec = csv::ByteRecord::new();
    let mut line = 1u64;
    loop {
        let more = match rdr.read_byte_record(&mut rec) {
            Ok(m) => m,
            Err(e) => {
                record_error(e, file, line + 1, issues)?;
                continue;
            }
        };
        if more {
            line = rec.position().map_or(line + 1, |p| p.line());
            batch.push((line, rec.clone()));
        }
        if batch.len() >= 50_000 || (!more && !batch.is_empty()) {
            f(&cols, &batch)?;
            batch.clear();
        }
        if !more {
            return Ok(());
        }
    }
}

/// A CSV file's header names, trimmed, without a byte-order mark.
pub(super) fn trimmed_headers<R: Read>(rdr: &mut csv::Reader<R>) -> std::io::Result<Vec<String>> {
    Ok(rdr
        .byte_headers()?
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect())
}

pub(super) fn field(r: &csv::ByteRecord, i: Option<usize>) -> Option<String> {
    let v = String::from_utf8_lossy(r.get(i?)?).trim().to_string();
    (!v.is_empty()).then_some(v)
}

pub(super) fn bulk_row(
    file: &str,
    line: u64,
    r: &csv::ByteRecord,
    c: &Cols,
    filter: Option<&NameFilter>,
) -> Option<RegisterRecord> {
    let name = field(r, Some(c.name))?;
    let number = field(r, Some(c.number)).and_then(|n| ids::company_number(&n));
    let previous: Vec<String> = c
        .previous
        .iter()
        .filter_map(|&i| field(r, Some(i)))
        .collect();
    if let Some(f) = filter {
        let keep = f.keep_national(
            std::iter::once(name.as_str()).chain(previous.iter().map(String::as_str)),
            number.as_deref(),
            None,
        );
        if !keep {
            return None;
        }
    }
    let category = field(r, c.category);
    let accounts = field(r, c.accounts);
    let sme_basis = accounts
        .as_deref()
        .and_then(sme_of_accounts)
        .map(|b| format!("{b} ({})", accounts.as_deref().unwrap_or("")));
    Some(RegisterRecord {
        register: Some(RegisterKind::CompaniesHouse),
        file: file.to_string(),
        line,
        name,
        previous_names: previous,
        company_number: number,
        postcode: field(r, c.postcode).and_then(|p| super::postcode(&p)),
        sic: c
            .sic
            .iter()
            .filter_map(|&i| field(r, Some(i)))
            .filter_map(|s| {
                let code: String = s.chars().take_while(|ch| ch.is_ascii_digit()).collect();
                (code.len() >= 4).then_some(code)
            })
            .collect(),
        kind: category.as_deref().and_then(|t| kind_of_type(t, "")),
        legal_form: category,
        status: field(r, c.status),
        sme: if sme_basis.is_some() {
            Sme::Yes
        } else {
            Sme::Unknown
        },
        sme_basis,
        ..RegisterRecord::default()
    })
}

/// Read an advanced-search export: `company_name, company_number, company_status,
/// company_type, company_subtype, …, nature_of_business, registered_office_address`.
pub fn load_search(
    path: &Path,
    regs: &mut Registers,
    filter: Option<&NameFilter>,
) -> Result<(), RegisterError> {
    let pname = path.to_string_lossy().to_string();
    let mut out = Vec::new();
    let mut issues = Vec::new();
    each_stream(path, |member, r| {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(r);
        let headers: Vec<String> = rdr
            .byte_headers()?
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_ascii_lowercase()
            })
            .collect();
        let col = |w: &str| headers.iter().position(|h| h == w);
        let (Some(name), Some(number)) = (col("company_name"), col("company_number")) else {
            issues.push(RegisterIssue {
                file: member.into(),
                line: 1,
                problem: "no company_name/company_number columns".into(),
            });
            return Ok(());
        };
        let (status, ctype, subtype, nature, address) = (
            col("company_status"),
            col("company_type"),
            col("company_subtype"),
            col("nature_of_business"),
            col("registered_office_address"),
        );
        for (k, rec) in rdr.byte_records().enumerate() {
            let line = k as u64 + 2;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    record_error(e, member, line, &mut issues)?;
                    continue;
                }
            };
            let Some(n) = field(&rec, Some(name)) else {
                continue;
            };
            let num = field(&rec, Some(number)).and_then(|x| ids::company_number(&x));
            if filter.is_some_and(|f| {
                !f.keep_national(std::iter::once(n.as_str()), num.as_deref(), None)
            }) {
                continue;
            }
            let t = field(&rec, ctype);
            let st = field(&rec, subtype).unwrap_or_default();
            out.push(RegisterRecord {
                register: Some(RegisterKind::CompaniesHouseSearch),
                file: member.to_string(),
                line: rec.position().map_or(line, |p| p.line()),
                name: n,
                company_number: num,
                postcode: field(&rec, address).and_then(|a| super::postcode_in(&a)),
                sic: field(&rec, nature)
                    .map(|s| s.split_whitespace().map(str::to_string).collect())
                    .unwrap_or_default(),
                kind: t.as_deref().and_then(|x| kind_of_type(x, &st)),
                legal_form: t.map(|x| {
                    if st.is_empty() {
                        x
                    } else {
                        format!("{x} ({st})")
                    }
                }),
                status: field(&rec, status),
                ..RegisterRecord::default()
            });
        }
        Ok(())
    })
    .map_err(|e| RegisterError::Open {
        path: pname,
        message: e.to_string(),
    })?;
    regs.records.extend(out);
    regs.issues.extend(issues);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        assert_eq!(
            kind_of_type("Private limited company", ""),
            Some(Kind::Company)
        );
        assert_eq!(
            kind_of_type(
                "Private limited company",
                "Community Interest Company (CIC)"
            ),
            Some(Kind::Cic)
        );
        assert_eq!(
            kind_of_type("Limited liability partnership", ""),
            Some(Kind::Llp)
        );
        assert_eq!(kind_of_type("Public Limited Company", ""), Some(Kind::Plc));
        assert_eq!(
            kind_of_type("Charitable Incorporated Organisation", ""),
            Some(Kind::Cio)
        );
        assert_eq!(
            kind_of_type(
                "PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)",
                ""
            ),
            Some(Kind::Company)
        );
        assert_eq!(kind_of_type("Overseas entity", ""), None);
        assert!(sme_of_accounts("MICRO ENTITY").is_some());
        assert!(sme_of_accounts("FULL").is_none());
    }

    #[test]
    fn bulk_format() {
        let csv = "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.PostCode,CompanyCategory,CompanyStatus,Accounts.AccountCategory,SICCode.SicText_1,SICCode.SicText_2,PreviousName_1.CompanyName\n\
                   \"SEDDON CONSTRUCTION LIMITED\",\"00123456\",\"\",\"BL3 4EE\",\"Private Limited Company\",\"Active\",\"FULL\",\"41201 - Construction of commercial buildings\",\"\",\"SEDDON BUILDING LIMITED\"\n\
                   \"ACME LTD\",\"SC000001\",\"\",\"G1 1AA\",\"Private Limited Company\",\"Active\",\"MICRO ENTITY\",\"\",\"\",\"\"\n";
        let mut out = Vec::new();
        let mut issues = Vec::new();
        read_bulk("t.csv", &mut csv.as_bytes(), None, &mut out, &mut issues).unwrap();
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].company_number.as_deref(), Some("00123456"));
        assert_eq!(out[0].postcode.as_deref(), Some("BL3 4EE"));
        assert_eq!(out[0].sic, vec!["41201".to_string()]);
        assert_eq!(
            out[0].previous_names,
            vec!["SEDDON BUILDING LIMITED".to_string()]
        );
        assert_eq!(out[0].sme, Sme::Unknown);
        assert_eq!(out[1].sme, Sme::Yes);
        assert_eq!(out[1].line, 3);
        let f = NameFilter::new(["Seddon Construction"], [], []);
        let mut kept = Vec::new();
        read_bulk(
            "t.csv",
            &mut csv.as_bytes(),
            Some(&f),
            &mut kept,
            &mut issues,
        )
        .unwrap();
        assert_eq!(kept.len(), 1);
    }
}
