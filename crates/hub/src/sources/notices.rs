//! Tables of published notices (Contracts Finder search exports and their copies): one
//! opportunity per notice id. Value: the awarded value, else the high end of the estimate,
//! else the low end. A row with neither an id nor a title is rejected.

use std::collections::HashSet;

use anchornet_ingest::Issue;

use super::table::{Cells, Col, Sheet};
use super::{notice_key, Importer, SourceReport};
use crate::opportunity::{Incumbent, Opportunity, SourceKind};

/// The notices importer.
pub struct Notices;

impl Importer for Notices {
    fn name(&self) -> &'static str {
        "notices"
    }

    fn detect(&self, s: &Sheet) -> bool {
        s.has(Col::NoticeType) || (s.has(Col::Published) && s.has(Col::Deadline))
    }

    fn read(&self, s: &Sheet, issues: &mut Vec<Issue>) -> (Vec<Opportunity>, SourceReport) {
        let mut rep = SourceReport {
            file: s.file.clone(),
            kind: self.name().into(),
            ..SourceReport::default()
        };
        let mut ops = Vec::new();
        let mut seen = HashSet::new();
        for row in &s.rows {
            rep.read += 1;
            let mut c = Cells {
                sheet: s,
                row,
                issues,
            };
            let Some(key) = notice_key(&mut c, &mut seen, &mut rep, "notice") else {
                continue;
            };
            let mut o = Opportunity::new(format!("notice:{key}"), SourceKind::Notices, &s.file);
            o.buyer = c.text(Col::Buyer).unwrap_or_default();
            o.title = c.text(Col::Title).unwrap_or_default();
            o.description = c.text(Col::Description);
            o.cpv = c.cpv();
            o.category = c.text(Col::Category);
            for (col, basis) in [
                (Col::AwardedValue, "awarded value"),
                (Col::ValueHigh, "estimated value (high)"),
                (Col::ValueLow, "estimated value (low)"),
                (Col::TotalValue, "contract value"),
            ] {
                if let Some(v) = c.money(col) {
                    o.value = Some(v);
                    o.value_basis = Some(basis);
                    break;
                }
            }
            o.status = c.text(Col::Status);
            o.procedure = c.text(Col::Procedure);
            o.tender_end = c.date(Col::Deadline);
            o.contract_start = c.date(Col::Start);
            o.contract_end = c.date(Col::End);
            let awarded = c.date(Col::Awarded);
            o.sme_suitable = c.flag(Col::SmeSuitable);
            o.vcse_suitable = c.flag(Col::VcseSuitable);
            if let Some(name) = c.text(Col::Supplier) {
                let sme = c.flag(Col::SupplierSme);
                o.incumbents.push(Incumbent {
                    name,
                    sme,
                    ..Incumbent::default()
                });
            }
            o.stage = if !o.incumbents.is_empty() || awarded.is_some() {
                "award"
            } else {
                "tender"
            };
            o.url = c.text(Col::Url);
            ops.push(o);
        }
        rep.opportunities = ops.len() as u64;
        (ops, rep)
    }
}
