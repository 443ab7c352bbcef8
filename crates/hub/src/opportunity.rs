//! One opportunity per procurement: the typed fields the hub works with, whichever source
//! (OCDS notices, a contracts register, forward plans) it came from.

use anchornet_core::Pence;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::cpv::CpvCode;

/// Where an opportunity was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// OCDS releases merged by ocid.
    Ocds,
    /// A contracts register (Local Government Transparency Code 2015).
    Register,
    /// A table of published notices (tenders, awards).
    Notices,
    /// A forward plan (pipeline notices).
    ForwardPlan,
}

impl SourceKind {
    /// Label for tables.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Ocds => "ocds",
            SourceKind::Register => "contracts register",
            SourceKind::Notices => "notices",
            SourceKind::ForwardPlan => "forward plan",
        }
    }
}

/// A supplier that holds (or was awarded) the contract.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Incumbent {
    /// Name as published.
    pub name: String,
    /// Identifier (`GB-COH-01234567`, a register's id), where given.
    pub id: Option<String>,
    /// Companies House number, where given.
    pub company_number: Option<String>,
    /// Postcode, canonical, where given.
    pub postcode: Option<String>,
    /// SME as declared, where declared.
    pub sme: Option<bool>,
}

/// One procurement.
#[derive(Debug, Clone, Serialize)]
pub struct Opportunity {
    /// The ocid, or `register:<file stem>:<reference>` for register rows.
    pub id: String,
    /// Source kind.
    pub source: SourceKind,
    /// Files it was read from.
    pub files: Vec<String>,
    /// Releases (or rows) merged into it.
    pub releases: usize,
    /// Buyer name as published.
    pub buyer: String,
    /// The network's anchor it belongs to, when the buyer is one.
    pub anchor: Option<String>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// CPV codes (main first), known codes only; unknown ones are reported.
    pub cpv: Vec<CpvCode>,
    /// A category text where no CPV is given (ProClass description…).
    pub category: Option<String>,
    /// The ProClass code (six digits), where the source gives one (contracts registers).
    pub proclass: Option<String>,
    /// Value in pence, and what it is (`tender value`, `awarded value`, `total contract value`…).
    pub value: Option<Pence>,
    /// What `value` measures.
    pub value_basis: Option<&'static str>,
    /// Procedure.
    pub procedure: Option<String>,
    /// Status as published (OCDS tender status, a notice's status).
    pub status: Option<String>,
    /// Stage reached: planning, tender, award, contract, terminated.
    pub stage: &'static str,
    /// When it comes to market: the tender period's start, or the date a forward plan
    /// says the buyer will approach the market.
    pub to_market: Option<NaiveDate>,
    /// Tender period end (deadline for bids).
    pub tender_end: Option<NaiveDate>,
    /// Contract start.
    pub contract_start: Option<NaiveDate>,
    /// Contract end (current expiry).
    pub contract_end: Option<NaiveDate>,
    /// Latest end with every renewal or extension option taken (OCDS `maxExtentDate`).
    pub max_extent: Option<NaiveDate>,
    /// Renewal or extension options, as described.
    pub renewal: Option<String>,
    /// Lots (their titles, or ids).
    pub lots: Vec<String>,
    /// Declared suitable for SMEs.
    pub sme_suitable: Option<bool>,
    /// Declared suitable for VCSEs.
    pub vcse_suitable: Option<bool>,
    /// The supplier(s) holding the contract.
    pub incumbents: Vec<Incumbent>,
    /// Link to the notice.
    pub url: Option<String>,
    /// The signed contracts' status (OCDS: pending, active, terminated), where published.
    pub contract_status: Option<String>,
    /// Payments made under the contracts (implementation transactions), where published.
    pub paid: Option<Pence>,
    /// The notice types published for it (UK profile `noticeType`: `UK1` … `UK17`).
    pub notices: Vec<String>,
}

impl Opportunity {
    /// An empty opportunity of `source` with `id`.
    pub fn new(id: String, source: SourceKind, file: &str) -> Opportunity {
        Opportunity {
            id,
            source,
            files: vec![file.to_string()],
            releases: 1,
            buyer: String::new(),
            anchor: None,
            title: String::new(),
            description: None,
            cpv: Vec::new(),
            category: None,
            proclass: None,
            value: None,
            value_basis: None,
            procedure: None,
            status: None,
            stage: "planning",
            to_market: None,
            tender_end: None,
            contract_start: None,
            contract_end: None,
            max_extent: None,
            renewal: None,
            lots: Vec::new(),
            sme_suitable: None,
            vcse_suitable: None,
            incumbents: Vec::new(),
            url: None,
            contract_status: None,
            paid: None,
            notices: Vec::new(),
        }
    }

    /// The incumbents' names joined with `; `.
    pub fn incumbent_names(&self) -> String {
        self.incumbents
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The opportunity as an OCDS-compatible compiled release (for sources other than OCDS;
    /// OCDS opportunities keep their own compiled release). Field names follow OCDS 1.1 and
    /// the Contracts Finder `suitability` extension; register rows become an award with its
    /// contract period.
    pub fn to_ocds(&self) -> Value {
        let d = |x: Option<NaiveDate>| x.map(|d| format!("{d}T00:00:00Z"));
        let mut tender = Map::new();
        tender.insert("id".into(), json!(self.id));
        tender.insert("title".into(), json!(self.title));
        if let Some(s) = &self.description {
            tender.insert("description".into(), json!(s));
        }
        if let Some(c) = self.cpv.first() {
            tender.insert(
                "classification".into(),
                json!({"scheme": "CPV", "id": c.to_string(), "description": c.label()}),
            );
        }
        if self.cpv.len() > 1 {
            let extra: Vec<Value> = self.cpv[1..]
                .iter()
                .map(|c| json!({"scheme": "CPV", "id": c.to_string(), "description": c.label()}))
                .collect();
            tender.insert("additionalClassifications".into(), Value::Array(extra));
        }
        if let Some(v) = self.value {
            tender.insert(
                "value".into(),
                json!({"amount": money(v), "currency": "GBP"}),
            );
        }
        if let Some(p) = &self.procedure {
            tender.insert("procurementMethodDetails".into(), json!(p));
        }
        if let Some(s) = &self.status {
            tender.insert("status".into(), json!(s));
        }
        if let Some(e) = d(self.tender_end) {
            tender.insert("tenderPeriod".into(), json!({"endDate": e}));
        }
        let mut period = Map::new();
        if let Some(s) = d(self.contract_start) {
            period.insert("startDate".into(), json!(s));
        }
        if let Some(e) = d(self.contract_end) {
            period.insert("endDate".into(), json!(e));
        }
        if let Some(m) = d(self.max_extent) {
            period.insert("maxExtentDate".into(), json!(m));
        }
        if !period.is_empty() {
            tender.insert("contractPeriod".into(), Value::Object(period.clone()));
        }
        if self.sme_suitable.is_some() || self.vcse_suitable.is_some() {
            tender.insert(
                "suitability".into(),
                json!({"sme": self.sme_suitable, "vcse": self.vcse_suitable}),
            );
        }
        let mut parties = vec![json!({"id": "buyer", "name": self.buyer, "roles": ["buyer"]})];
        let mut suppliers = Vec::new();
        for (i, s) in self.incumbents.iter().enumerate() {
            let id =
                s.id.clone()
                    .unwrap_or_else(|| format!("supplier-{}", i + 1));
            let mut p = json!({"id": id, "name": s.name, "roles": ["supplier"]});
            if let Some(pc) = &s.postcode {
                p["address"] = json!({"postalCode": pc});
            }
            if let Some(n) = &s.company_number {
                p["identifier"] = json!({"scheme": "GB-COH", "id": n, "legalName": s.name});
            }
            parties.push(p);
            suppliers.push(json!({"id": id, "name": s.name}));
        }
        let mut out = json!({
            "ocid": self.id,
            "id": self.id,
            "tag": ["compiled"],
            "initiationType": "tender",
            "buyer": {"id": "buyer", "name": self.buyer},
            "parties": parties,
            "tender": tender,
        });
        if !suppliers.is_empty() {
            out["awards"] = json!([{
                "id": format!("{}-award", self.id),
                "status": "active",
                "suppliers": suppliers,
                "contractPeriod": Value::Object(period),
            }]);
        }
        out
    }
}

/// Pence as an OCDS amount (a JSON number of pounds, exact to the penny).
pub fn money(p: Pence) -> Value {
    serde_json::from_str(&p.to_string()).unwrap_or(Value::Null)
}
