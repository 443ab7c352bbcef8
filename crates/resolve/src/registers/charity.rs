//! The Charity Commission for England and Wales register extract (`publicextract.charity`,
//! tab- or comma-separated, from the full register download): charity number, name, type,
//! status, contact postcode, company number of a charitable company, and whether it is a
//! CIO. Linked charities (`linked_charity_number` ≠ 0) are numbered `NNNNNN-L`.

use std::path::Path;

use super::open::{load_records, record_error};
use super::{NameFilter, RegisterError, RegisterIssue, RegisterKind, RegisterRecord, Registers};
use crate::ids;
use crate::kind::Kind;

/// Read a register extract.
pub fn load(
    path: &Path,
    regs: &mut Registers,
    filter: Option<&NameFilter>,
) -> Result<(), RegisterError> {
    load_records(path, regs, |member, r, out, issues| {
        let mut buf = std::io::BufReader::new(r);
        let mut first = String::new();
        std::io::BufRead::read_line(&mut buf, &mut first)?;
        let delim = if first.matches('\t').count() > first.matches(',').count() {
            b'\t'
        } else {
            b','
        };
        let headers: Vec<String> = first
            .trim_end_matches(['\r', '\n'])
            .split(delim as char)
            .map(|h| {
                h.trim()
                    .trim_matches('"')
                    .trim_start_matches('\u{feff}')
                    .to_ascii_lowercase()
            })
            .collect();
        let col = |w: &str| headers.iter().position(|h| h == w);
        let (Some(num), Some(name)) = (col("registered_charity_number"), col("charity_name"))
        else {
            issues.push(RegisterIssue {
                file: member.into(),
                line: 1,
                problem: "no registered_charity_number/charity_name columns".into(),
            });
            return Ok(());
        };
        let linked = col("linked_charity_number");
        let ctype = col("charity_type");
        let status = col("charity_registration_status");
        let postcode = col("charity_contact_postcode");
        let company = col("charity_company_registration_number");
        let cio = col("charity_is_cio");
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delim)
            .has_headers(false)
            .flexible(true)
            .quoting(delim != b'\t')
            .from_reader(buf);
        for (k, rec) in rdr.byte_records().enumerate() {
            let line = k as u64 + 2;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    record_error(e, member, line, issues)?;
                    continue;
                }
            };
            let get = |i: Option<usize>| {
                i.and_then(|i| rec.get(i))
                    .map(|b| String::from_utf8_lossy(b).trim().to_string())
                    .filter(|s| !s.is_empty() && s != "NULL")
            };
            let Some(n) = get(Some(name)) else {
                continue;
            };
            let base = get(Some(num)).unwrap_or_default();
            let sub = get(linked).filter(|l| l != "0");
            let number = match sub {
                Some(l) => ids::charity_number(&format!("{base}-{l}")),
                None => ids::charity_number(&base),
            };
            let comp = get(company).and_then(|c| ids::company_number(&c));
            if filter.is_some_and(|f| {
                !f.keep_national(
                    std::iter::once(n.as_str()),
                    comp.as_deref(),
                    number.as_deref(),
                )
            }) {
                continue;
            }
            let is_cio = get(cio).is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
            let t = get(ctype);
            out.push(RegisterRecord {
                register: Some(RegisterKind::CharityCommission),
                file: member.to_string(),
                line,
                name: n,
                charity_number: number,
                company_number: comp,
                postcode: get(postcode).and_then(|p| super::postcode(&p)),
                kind: Some(if is_cio { Kind::Cio } else { Kind::Charity }),
                legal_form: Some(match (&t, is_cio) {
                    (_, true) => "Charitable incorporated organisation".to_string(),
                    (Some(t), false) => format!("Registered charity ({t})"),
                    (None, false) => "Registered charity".to_string(),
                }),
                status: get(status),
                ..RegisterRecord::default()
            });
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tab_extract() {
        let dir =
            std::env::temp_dir().join(format!("anchornet-resolve-charity-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("publicextract.charity.txt");
        std::fs::write(
            &p,
            "date_of_extract\torganisation_number\tregistered_charity_number\tlinked_charity_number\tcharity_name\tcharity_type\tcharity_registration_status\tcharity_contact_postcode\tcharity_company_registration_number\tcharity_is_cio\n\
             2024-01-01\t1\t216250\t0\tBARNARDO'S\tCharitable company\tRegistered\tIG6 1QG\t00061625\tFalse\n\
             2024-01-01\t2\t1096511\t1\tAGE UK WAKEFIELD DISTRICT TRADING\tOther\tRegistered\tWF1 1AA\tNULL\tFalse\n\
             2024-01-01\t3\t1170000\t0\tSOME CIO\tCIO\tRegistered\tM1 1AA\t\tTrue\n",
        )
        .unwrap();
        let mut regs = Registers::new();
        regs.load(&p, None).unwrap();
        assert_eq!(regs.records.len(), 3, "{:?}", regs.issues);
        assert_eq!(regs.records[0].charity_number.as_deref(), Some("216250"));
        assert_eq!(regs.records[0].company_number.as_deref(), Some("00061625"));
        assert_eq!(regs.records[0].postcode.as_deref(), Some("IG6 1QG"));
        assert_eq!(regs.records[1].charity_number.as_deref(), Some("1096511-1"));
        assert_eq!(regs.records[2].kind, Some(Kind::Cio));
        std::fs::remove_dir_all(&dir).ok();
    }
}
