//! Contracts registers (the Local Government Transparency Code 2015 asks councils to publish
//! every contract over £5,000): one opportunity per contract reference, its current holder
//! as the incumbent. Rows sharing a reference (one contract, several suppliers) merge into
//! one opportunity; a row with neither a reference nor a title is rejected.
//!
//! Value: the total contract value, else the annual value (its basis says which). Contract
//! end: the current expiry date (extensions taken) where given, else the end date. The
//! buyer is the register's purchasing-body column, else (for a register named under an
//! anchor in the network file) that anchor.

use std::collections::HashMap;

use anchornet_core::Postcode;
use anchornet_ingest::Issue;

use super::table::{Cells, Col, Sheet};
use super::{rejected, Importer, SourceReport};
use crate::opportunity::{Incumbent, Opportunity, SourceKind};

/// The contracts-register importer.
pub struct Register;

impl Importer for Register {
    fn name(&self) -> &'static str {
        "contracts register"
    }

    fn detect(&self, s: &Sheet) -> bool {
        s.has(Col::Supplier) && (s.has(Col::Start) || s.has(Col::End) || s.has(Col::CurrentExpiry))
    }

    fn read(&self, s: &Sheet, issues: &mut Vec<Issue>) -> (Vec<Opportunity>, SourceReport) {
        let mut rep = SourceReport {
            file: s.file.clone(),
            kind: self.name().into(),
            ..SourceReport::default()
        };
        let stem = file_stem(&s.file);
        let mut ops: Vec<Opportunity> = Vec::new();
        let mut by_ref: HashMap<String, usize> = HashMap::new();
        for row in &s.rows {
            rep.read += 1;
            let mut c = Cells {
                sheet: s,
                row,
                issues,
            };
            let reference = c.text(Col::Reference);
            let title = c.text(Col::Title).or_else(|| c.text(Col::Description));
            let Some(key) = reference.clone().or_else(|| title.clone()) else {
                rep.rejected += 1;
                issues.push(rejected(
                    s,
                    row.line,
                    "register row with neither a contract reference nor a title",
                ));
                continue;
            };
            rep.used += 1;
            let supplier = c.text(Col::Supplier).map(|name| Incumbent {
                name,
                id: None,
                company_number: c.text(Col::CompanyNumber),
                postcode: c
                    .text(Col::SupplierPostcode)
                    .and_then(|p| Postcode::parse(&p).ok())
                    .map(|p| p.to_string()),
                sme: c.flag(Col::SupplierSme),
            });
            if let Some(&i) = by_ref.get(&key) {
                let o = &mut ops[i];
                o.releases += 1;
                if let Some(sup) = supplier {
                    if !o.incumbents.iter().any(|x| x.name == sup.name) {
                        o.incumbents.push(sup);
                    }
                }
                continue;
            }
            let mut o = Opportunity::new(
                format!("register:{stem}:{key}"),
                SourceKind::Register,
                &s.file,
            );
            o.buyer = c.text(Col::Buyer).unwrap_or_default();
            o.title = title.unwrap_or_default();
            o.description = c.text(Col::Description);
            o.cpv = c.cpv();
            o.category = c.text(Col::Category);
            o.proclass = c.proclass();
            if let Some(v) = c.money(Col::TotalValue) {
                o.value = Some(v);
                o.value_basis = Some("total contract value");
            } else if let Some(v) = c.money(Col::AnnualValue) {
                o.value = Some(v);
                o.value_basis = Some("annual value");
            }
            o.procedure = c.text(Col::Procedure);
            o.status = c.text(Col::Status);
            o.stage = "contract";
            o.contract_start = c.date(Col::Start);
            let end = c.date(Col::End);
            o.contract_end = c.date(Col::CurrentExpiry).or(end);
            o.renewal = c
                .text(Col::Extension)
                .filter(|t| t != "0")
                .map(|t| format!("{} {t}", s.headers[s.col(Col::Extension).unwrap_or(0)]));
            o.incumbents.extend(supplier);
            o.url = c.text(Col::Url);
            by_ref.insert(key, ops.len());
            ops.push(o);
        }
        rep.opportunities = ops.len() as u64;
        (ops, rep)
    }
}

/// The file name without directories and extensions (`salford_contracts_register_2022`).
pub fn file_stem(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let base = base.split('!').next().unwrap_or(base);
    base.split('.').next().unwrap_or(base).to_string()
}
