//! Forward plans (Contracts Finder pipeline notices; the Procurement Act 2023 pipeline notice,
//! s.93): procurements a buyer plans to bring to market. One opportunity per notice id; the
//! value is the sum of the spend profile by financial year (the plan's own estimate), the
//! contract start the planned start date and `to_market` the date the buyer plans to
//! approach the market (the calendar's "comes to market" date).

use std::collections::HashSet;

use anchornet_core::Pence;
use anchornet_ingest::Issue;

use super::table::{Cells, Col, Sheet};
use super::{notice_key, Importer, SourceReport};
use crate::opportunity::{Opportunity, SourceKind};

/// The forward-plan importer.
pub struct ForwardPlan;

impl Importer for ForwardPlan {
    fn name(&self) -> &'static str {
        "forward plan"
    }

    fn detect(&self, s: &Sheet) -> bool {
        s.has(Col::ApproachDate) || s.has(Col::SpendProfile)
    }

    fn read(&self, s: &Sheet, issues: &mut Vec<Issue>) -> (Vec<Opportunity>, SourceReport) {
        let mut rep = SourceReport {
            file: s.file.clone(),
            kind: self.name().into(),
            ..SourceReport::default()
        };
        let spend = s.all(Col::SpendProfile);
        let mut ops = Vec::new();
        let mut seen = HashSet::new();
        for row in &s.rows {
            rep.read += 1;
            let mut c = Cells {
                sheet: s,
                row,
                issues,
            };
            let Some(key) = notice_key(&mut c, &mut seen, &mut rep, "pipeline notice") else {
                continue;
            };
            let mut o =
                Opportunity::new(format!("pipeline:{key}"), SourceKind::ForwardPlan, &s.file);
            o.buyer = c.text(Col::Buyer).unwrap_or_default();
            o.title = c.text(Col::Title).unwrap_or_default();
            o.description = c.text(Col::Description);
            o.cpv = c.cpv();
            o.category = c.text(Col::Category);
            let mut total: Option<Pence> = None;
            for &i in &spend {
                if let Some(p) = c.money_at(i) {
                    total = Some(Pence(total.unwrap_or_default().0.saturating_add(p.0)));
                }
            }
            if total.is_some() {
                o.value = total;
                o.value_basis = Some("forward plan spend profile total");
            }
            o.procedure = c.text(Col::Procedure);
            o.stage = "planning";
            o.status = Some("planned".into());
            o.contract_start = c.date(Col::Start);
            o.to_market = c.date(Col::ApproachDate);
            o.url = c.text(Col::Url);
            ops.push(o);
        }
        rep.opportunities = ops.len() as u64;
        (ops, rep)
    }
}
