//! OCDS notices (Contracts Finder, Find a Tender, any OCDS 1.1 publisher): read with
//! [`anchornet_ingest::ocds`] in any packaging, merged into one compiled release per ocid,
//! and each compiled release turned into an [`Opportunity`].
//!
//! Fields (OCDS 1.1 paths; UK profile extensions where noted):
//! buyer `buyer/name` (else the party with role `buyer`); title `tender/title` (else the
//! release `title`); CPV `tender/classification` + `tender/additionalClassifications` +
//! `tender/items/*/classification` with scheme CPV; value: the signed contracts' `value` (as
//! amended), else `tender/value` (GBP), else the sum of the active awards' values, else
//! `tender/minValue`; procedure `tender/procurementMethodDetails` (else `procurementMethod`);
//! status `tender/status`; stage planning, tender, award (an active award, or one pending in
//! its standstill), contract, terminated (every contract `terminated`, or the tender
//! `cancelled` or `unsuccessful` before any contract); tender end
//! `tender/tenderPeriod/endDate`; to market `tender/tenderPeriod/startDate`, else
//! `tender/communication/futureNoticeDate`; contract period from the signed contracts'
//! `period` (a terminated contract ends on `implementation/endDate`), else the active awards'
//! `contractPeriod`, else `tender/contractPeriod`, with `maxExtentDate` as the end with every
//! option taken; renewal `tender/lots/*/renewal` (lots extension) or
//! `tender/hasRenewal`/`renewal`; lots `tender/lots`; SME/VCSE suitability
//! `tender/suitability/sme|vcse` (Contracts Finder); incumbents: the suppliers of active
//! awards, with the matching party's address, identifier and `details/scale`; payments: the
//! contracts' `implementation/transactions`; notices: every document's `noticeType` (UK
//! profile: `UK1` … `UK17`).
//!
//! **Dynamic markets** (Procurement Act 2023 ss.34–40; UK13 intention, UK14 establishment,
//! UK15 modification, UK16 cessation, UK17 qualifying utilities dynamic market notices):
//! a procurement with `tender/techniques/hasDynamicPurchasingSystem` true (techniques
//! extension) or a UK13–UK17 notice is at the stage `dynamic market` — an opportunity
//! suppliers may join, open while its tender period runs — until it ceases (a UK16 notice, or
//! the tender `complete`, `cancelled` or `unsuccessful`): stage `ceased`. Contracts awarded
//! under a market are procurements of their own.
//!
//! **Payments compliance notices** (UK8, s.69: an authority's six-monthly report on paying
//! its invoices within 30 days) are about the authority, not a procurement: a compiled
//! release whose only notices are UK8 and which has no tender, award or contract is not an
//! opportunity; [`payments_compliance`] reads its figures, and the pipeline counts its
//! releases as rejected with that reason.
//!
//! Every field whose value cannot be used is reported (file, JSON path in the compiled
//! release, value, reason): a date that is not an OCDS date-time, a CPV code not in CPV 2008,
//! an amount in another currency.

use std::collections::HashMap;

use anchornet_core::{Pence, Postcode};
use anchornet_ingest::ocds::{self, Compiled, Index};
use anchornet_ingest::{Issue, Outcome};
use chrono::NaiveDate;
use serde_json::Value;

use crate::cpv::{CpvCode, CpvError};
use crate::opportunity::{Incumbent, Opportunity, SourceKind};

/// The opportunity of one procurement's compiled release (from [`Index::compile_group`]),
/// with the issues its fields raised; its files are its releases' sources in input order.
pub fn from_compiled_group(ix: &Index, c: &Compiled, issues: &mut Vec<Issue>) -> Opportunity {
    let mut files: Vec<String> = c
        .releases
        .iter()
        .map(|&i| ix.source_name(&ix.releases[i]).to_string())
        .collect();
    files.dedup();
    let mut o = from_compiled(&c.json, &files.join(" + "), issues);
    o.files = files;
    o.releases = c.releases.len();
    o
}

struct Ctx<'a> {
    file: &'a str,
    issues: &'a mut Vec<Issue>,
}

impl Ctx<'_> {
    fn warn(&mut self, path: &str, value: &str, problem: impl Into<String>) {
        self.issues.push(Issue {
            file: self.file.to_string(),
            line: 0,
            column: path.to_string(),
            value: value.to_string(),
            problem: problem.into(),
            outcome: Outcome::Warning,
        });
    }

    fn date(&mut self, v: &Value, path: &str) -> Option<NaiveDate> {
        let s = v.pointer(path)?.as_str()?;
        match ocds::parse_date_time(s) {
            Some(d) => Some(d.date_naive()),
            None => {
                // A bare date is not an OCDS date-time but says the day: used, and reported.
                let day = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
                let what = if day.is_some() {
                    "a date without a time: OCDS dates are RFC 3339 date-times; the day is used"
                } else {
                    "not an OCDS date-time (RFC 3339); left out"
                };
                let ocid = v.get("ocid").and_then(Value::as_str).unwrap_or("");
                self.warn(&format!("{ocid}{path}"), s, what);
                day
            }
        }
    }

    fn amount(&mut self, v: &Value, path: &str) -> Option<Pence> {
        let val = v.pointer(path)?;
        let ocid = v
            .get("ocid")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let cur = val.get("currency").and_then(Value::as_str).unwrap_or("GBP");
        let amount = val.get("amount")?;
        if cur != "GBP" {
            self.warn(
                &format!("{ocid}{path}/currency"),
                cur,
                "amount not in GBP; left out",
            );
            return None;
        }
        let text = match amount {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => String::new(),
        };
        match Pence::parse(&text) {
            Ok(p) => Some(p),
            Err(e) => {
                self.warn(
                    &format!("{ocid}{path}/amount"),
                    &text,
                    format!("{e}; left out"),
                );
                None
            }
        }
    }
}

fn text(v: &Value, path: &str) -> Option<String> {
    v.pointer(path)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// One compiled release as an opportunity; `file` names it in issues.
pub fn from_compiled(v: &Value, file: &str, issues: &mut Vec<Issue>) -> Opportunity {
    let mut cx = Ctx { file, issues };
    let ocid = text(v, "/ocid").unwrap_or_default();
    let mut o = Opportunity::new(ocid.clone(), SourceKind::Ocds, file);
    let parties: Vec<&Value> = v
        .get("parties")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let party_by_id: HashMap<String, &Value> = parties
        .iter()
        .filter_map(|p| Some((id_text(p.get("id")?)?, *p)))
        .collect();
    o.buyer = text(v, "/buyer/name")
        .or_else(|| {
            parties
                .iter()
                .find(|p| has_role(p, "buyer"))
                .and_then(|p| text(p, "/name"))
        })
        .unwrap_or_default();
    o.title = text(v, "/tender/title")
        .or_else(|| text(v, "/title"))
        .or_else(|| text(v, "/planning/budget/description"))
        .unwrap_or_default();
    o.description = text(v, "/tender/description").or_else(|| text(v, "/description"));

    // CPV codes: main classification, additional ones, then items'.
    let mut cls: Vec<(String, &Value)> = Vec::new();
    if let Some(c) = v.pointer("/tender/classification") {
        cls.push(("/tender/classification".into(), c));
    }
    for (i, c) in array(v, "/tender/additionalClassifications")
        .iter()
        .enumerate()
    {
        cls.push((format!("/tender/additionalClassifications/{i}"), c));
    }
    for (i, it) in array(v, "/tender/items").iter().enumerate() {
        if let Some(c) = it.get("classification") {
            cls.push((format!("/tender/items/{i}/classification"), c));
        }
        for (j, c) in array(it, "/additionalClassifications").iter().enumerate() {
            cls.push((
                format!("/tender/items/{i}/additionalClassifications/{j}"),
                c,
            ));
        }
    }
    for (path, c) in cls {
        let scheme = c.get("scheme").and_then(Value::as_str).unwrap_or("");
        if !scheme.eq_ignore_ascii_case("CPV") {
            continue;
        }
        let Some(code) = c.get("id").and_then(id_text) else {
            continue;
        };
        match CpvCode::parse(&code) {
            Ok(k) => {
                if !o.cpv.contains(&k) {
                    o.cpv.push(k);
                }
            }
            Err(CpvError::Unknown) => cx.warn(
                &format!("{ocid}{path}/id"),
                &code,
                "CPV code not in CPV 2008; left out",
            ),
            Err(CpvError::Ambiguous) => cx.warn(
                &format!("{ocid}{path}/id"),
                &code,
                "seven-digit CPV code that reads two ways; left out",
            ),
            Err(CpvError::Malformed) => cx.warn(
                &format!("{ocid}{path}/id"),
                &code,
                "not a CPV code (eight digits); left out",
            ),
        }
    }

    // Value: the tender's estimate, else what was awarded, else the minimum.
    let awards: Vec<&Value> = array(v, "/awards")
        .iter()
        .filter(|a| a.get("status").and_then(Value::as_str).unwrap_or("active") == "active")
        .collect();
    // A signed contract's value (as amended by a change notice) is what will be spent.
    let mut signed: Option<Pence> = None;
    for (i, c) in array(v, "/contracts").iter().enumerate() {
        if matches!(
            c.get("status").and_then(Value::as_str),
            Some("cancelled" | "pending")
        ) {
            continue;
        }
        if c.get("value").is_some() {
            if let Some(p) = cx.amount(v, &format!("/contracts/{i}/value")) {
                signed = Some(Pence(signed.unwrap_or_default().0.saturating_add(p.0)));
            }
        }
    }
    if let Some(p) = signed {
        o.value = Some(p);
        o.value_basis = Some("contract value");
    } else if let Some(p) = cx.amount(v, "/tender/value") {
        o.value = Some(p);
        o.value_basis = Some("tender value");
    } else {
        let mut sum: Option<Pence> = None;
        for (i, a) in array(v, "/awards").iter().enumerate() {
            if !awards.iter().any(|x| std::ptr::eq(*x, a)) {
                continue;
            }
            if let Some(p) = cx.amount(v, &format!("/awards/{i}/value")) {
                sum = Some(Pence(sum.unwrap_or_default().0.saturating_add(p.0)));
            }
        }
        if sum.is_some() {
            o.value = sum;
            o.value_basis = Some("awarded value");
        } else if let Some(p) = cx.amount(v, "/tender/minValue") {
            o.value = Some(p);
            o.value_basis = Some("tender minimum value");
        }
    }
    o.procedure = text(v, "/tender/procurementMethodDetails")
        .or_else(|| text(v, "/tender/procurementMethod"));
    o.status = text(v, "/tender/status");
    // Contracts that were signed (OCDS contract status: pending, active, cancelled,
    // terminated); a terminated one ends the procurement's life (Procurement Act 2023 UK11).
    let contracts: Vec<(usize, &Value)> = array(v, "/contracts")
        .iter()
        .enumerate()
        .filter(|(_, c)| c.get("status").and_then(Value::as_str) != Some("cancelled"))
        .collect();
    let statuses: Vec<&str> = contracts
        .iter()
        .filter_map(|(_, c)| c.get("status").and_then(Value::as_str))
        .collect();
    o.contract_status = if !statuses.is_empty() && statuses.iter().all(|s| *s == "terminated") {
        Some("terminated".into())
    } else {
        statuses
            .iter()
            .find(|s| **s != "terminated")
            .map(|s| s.to_string())
    };
    // An award decided but in its standstill (UK6 contract award notice: status `pending`)
    // has reached the award stage, though its supplier is not yet the incumbent.
    let decided = array(v, "/awards")
        .iter()
        .any(|a| a.get("status").and_then(Value::as_str) == Some("pending"));
    // A procurement ended before any contract (UK12 procurement termination notice: tender
    // status `cancelled`; or `unsuccessful`: no bid could be accepted).
    let ended = matches!(o.status.as_deref(), Some("cancelled" | "unsuccessful"));
    o.stage = if o.contract_status.as_deref() == Some("terminated")
        || (ended && contracts.is_empty() && awards.is_empty())
    {
        "terminated"
    } else if !contracts.is_empty() {
        "contract"
    } else if !awards.is_empty() || decided {
        "award"
    } else if v.get("tender").is_some() && o.status.as_deref() != Some("planned") {
        "tender"
    } else {
        "planning"
    };
    // A dynamic market (UK13–UK17 notices; techniques extension) is open to suppliers
    // until it ceases (UK16, or the tender ended).
    let notices = notice_types(v);
    let dynamic = v
        .pointer("/tender/techniques/hasDynamicPurchasingSystem")
        .and_then(Value::as_bool)
        == Some(true)
        || notices
            .iter()
            .any(|n| DYNAMIC_MARKET_NOTICES.contains(&n.as_str()));
    if dynamic {
        let ceased = notices.iter().any(|n| n == "UK16")
            || matches!(
                o.status.as_deref(),
                Some("complete" | "cancelled" | "unsuccessful")
            );
        o.stage = if ceased { "ceased" } else { "dynamic market" };
    }
    o.tender_end = cx.date(v, "/tender/tenderPeriod/endDate");
    // When it comes to market: the tender period's start, else the date the buyer says it
    // will publish the tender notice (communication extension, `futureNoticeDate`: UK1
    // pipeline and UK3 planned procurement notices).
    o.to_market = cx
        .date(v, "/tender/tenderPeriod/startDate")
        .or_else(|| cx.date(v, "/tender/communication/futureNoticeDate"));

    // Contract period: the signed contracts' (as amended: a UK10 change notice updates
    // it; a terminated contract ends on its implementation's actual `endDate`, contract
    // completion extension), else the active awards', else the tender's.
    let mut periods: Vec<String> = Vec::new();
    for (i, c) in &contracts {
        if c.get("period").is_some() {
            periods.push(format!("/contracts/{i}/period"));
        }
    }
    if periods.is_empty() {
        for (i, a) in array(v, "/awards").iter().enumerate() {
            if awards.iter().any(|x| std::ptr::eq(*x, a)) && a.get("contractPeriod").is_some() {
                periods.push(format!("/awards/{i}/contractPeriod"));
            }
        }
    }
    if periods.is_empty() && v.pointer("/tender/contractPeriod").is_some() {
        periods.push("/tender/contractPeriod".into());
    }
    for p in periods {
        let s = cx.date(v, &format!("{p}/startDate"));
        let mut e = cx.date(v, &format!("{p}/endDate"));
        let m = cx.date(v, &format!("{p}/maxExtentDate"));
        if let Some(c) = p.strip_suffix("/period") {
            if v.pointer(&format!("{c}/status")).and_then(Value::as_str) == Some("terminated") {
                e = cx.date(v, &format!("{c}/implementation/endDate")).or(e);
            }
        }
        o.contract_start = min_opt(o.contract_start, s);
        o.contract_end = max_opt(o.contract_end, e);
        o.max_extent = max_opt(o.max_extent, m);
    }

    // Payments made under the contracts (implementation transactions: OCDS 1.1 `value`,
    // 1.0 `amount`), in GBP.
    for (i, c) in &contracts {
        for (j, t) in array(c, "/implementation/transactions").iter().enumerate() {
            let field = if t.get("value").is_some() {
                "value"
            } else {
                "amount"
            };
            let path = format!("/contracts/{i}/implementation/transactions/{j}/{field}");
            if let Some(p) = cx.amount(v, &path) {
                o.paid = Some(Pence(o.paid.unwrap_or_default().0.saturating_add(p.0)));
            }
        }
    }

    o.notices = notices;

    let mut renewal: Vec<String> = Vec::new();
    if v.pointer("/tender/hasRenewal").and_then(Value::as_bool) == Some(true) {
        renewal.push(
            text(v, "/tender/renewal/description").unwrap_or_else(|| "renewal allowed".into()),
        );
    }
    for l in array(v, "/tender/lots") {
        o.lots.push(
            text(l, "/title")
                .or_else(|| l.get("id").and_then(id_text))
                .unwrap_or_default(),
        );
        if l.get("hasRenewal").and_then(Value::as_bool) == Some(true) {
            renewal
                .push(text(l, "/renewal/description").unwrap_or_else(|| "renewal allowed".into()));
        }
    }
    if !renewal.is_empty() {
        o.renewal = Some(renewal.join("; "));
    }
    o.sme_suitable = v
        .pointer("/tender/suitability/sme")
        .and_then(Value::as_bool);
    o.vcse_suitable = v
        .pointer("/tender/suitability/vcse")
        .and_then(Value::as_bool);

    for a in &awards {
        for s in a
            .get("suppliers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let id = s.get("id").and_then(id_text);
            let party = id.as_ref().and_then(|i| party_by_id.get(i)).copied();
            let name = text(s, "/name")
                .or_else(|| party.and_then(|p| text(p, "/name")))
                .unwrap_or_default();
            if name.is_empty() || o.incumbents.iter().any(|x| x.name == name && x.id == id) {
                continue;
            }
            o.incumbents.push(incumbent(name, id, party));
        }
    }
    o.url = array(v, "/tender/documents")
        .iter()
        .chain(
            array(v, "/awards")
                .iter()
                .flat_map(|a| array(a, "/documents")),
        )
        .find_map(|d| text(d, "/url"));
    o
}

/// The notice types of a dynamic market (Procurement Act 2023): UK13 dynamic market
/// intention, UK14 establishment, UK15 modification, UK16 cessation, UK17 qualifying
/// utilities dynamic market notice.
pub const DYNAMIC_MARKET_NOTICES: [&str; 5] = ["UK13", "UK14", "UK15", "UK16", "UK17"];

/// The notices published for a compiled release (UK profile: a document's `noticeType`, e.g.
/// `UK4`), each once, in order of publication (`datePublished`; undated ones after, in the
/// order of the stages).
pub fn notice_types(v: &Value) -> Vec<String> {
    let mut docs: Vec<&Value> = Vec::new();
    docs.extend(array(v, "/planning/documents"));
    docs.extend(array(v, "/tender/documents"));
    for a in array(v, "/awards") {
        docs.extend(array(a, "/documents"));
    }
    for c in array(v, "/contracts") {
        docs.extend(array(c, "/documents"));
        docs.extend(array(c, "/implementation/documents"));
    }
    docs.sort_by_key(|d| {
        d.get("datePublished")
            .and_then(Value::as_str)
            .and_then(ocds::parse_date_time)
            .map_or((1, None), |t| (0, Some(t)))
    });
    let mut out: Vec<String> = Vec::new();
    for d in docs {
        if let Some(t) = text(d, "/noticeType") {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// A payments compliance notice (UK8, Procurement Act 2023 s.69): how promptly an authority
/// paid its invoices over a six-month reporting period. No OCDS mapping of its figures was
/// available; the fields read are this project's reading (see
/// `tests/fixtures/uk_act/NOTICE`): the release's `paymentsCompliance` object.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PaymentsCompliance {
    /// The notice's ocid.
    pub ocid: String,
    /// The notice's id on Find a Tender (its UK8 document's `id`, `000808-2025`; else the
    /// compiled release's `id`).
    pub notice_id: String,
    /// The notice's page (its UK8 document's `url`), if given.
    pub url: Option<String>,
    /// File(s) it was read from.
    pub file: String,
    /// The authority (buyer) reporting.
    pub buyer: String,
    /// Reporting period start (`paymentsCompliance/period/startDate`).
    pub period_start: Option<NaiveDate>,
    /// Reporting period end (`paymentsCompliance/period/endDate`).
    pub period_end: Option<NaiveDate>,
    /// Invoices paid in the period (`paymentsCompliance/invoicesPaid`).
    pub invoices_paid: Option<u64>,
    /// What they were worth (`paymentsCompliance/value`, GBP).
    pub value_paid: Option<Pence>,
    /// Share paid within 30 days, per cent (`paidWithin30DaysPercent`).
    pub within_30_days_percent: Option<f64>,
    /// Share paid in 31 to 60 days, per cent (`paidIn31To60DaysPercent`).
    pub days_31_to_60_percent: Option<f64>,
    /// Share paid after 60 days, per cent (`paidAfter60DaysPercent`).
    pub after_60_days_percent: Option<f64>,
    /// Average days to pay (`averageDaysToPay`).
    pub average_days: Option<f64>,
}

/// Whether a compiled release is a payments compliance notice: UK8 its only notice type, and
/// no tender, award or contract.
pub fn is_payments_compliance(v: &Value) -> bool {
    if v.get("tender").is_some()
        || !array(v, "/awards").is_empty()
        || !array(v, "/contracts").is_empty()
    {
        return false;
    }
    let notices = notice_types(v);
    !notices.is_empty() && notices.iter().all(|n| n == "UK8")
}

/// The payments compliance notice a compiled release is (UK8 its only notice type, no
/// tender, award or contract), with the issues its fields raise; `None` for any other
/// release.
pub fn payments_compliance(
    v: &Value,
    file: &str,
    issues: &mut Vec<Issue>,
) -> Option<PaymentsCompliance> {
    if !is_payments_compliance(v) {
        return None;
    }
    let mut cx = Ctx { file, issues };
    let ocid = text(v, "/ocid").unwrap_or_default();
    let buyer = text(v, "/buyer/name")
        .or_else(|| {
            array(v, "/parties")
                .iter()
                .find(|p| has_role(p, "buyer"))
                .and_then(|p| text(p, "/name"))
        })
        .unwrap_or_default();
    let num = |path: &str| {
        v.pointer(path).and_then(|x| match x {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    };
    // The UK8 document: the notice itself, with its id and page.
    let doc = array(v, "/planning/documents")
        .iter()
        .find(|d| text(d, "/noticeType").as_deref() == Some("UK8"));
    let notice_id = doc
        .and_then(|d| text(d, "/id"))
        .or_else(|| text(v, "/id"))
        .unwrap_or_default();
    let url = doc.and_then(|d| text(d, "/url"));
    Some(PaymentsCompliance {
        ocid,
        notice_id,
        url,
        file: file.to_string(),
        buyer,
        period_start: cx.date(v, "/paymentsCompliance/period/startDate"),
        period_end: cx.date(v, "/paymentsCompliance/period/endDate"),
        invoices_paid: v
            .pointer("/paymentsCompliance/invoicesPaid")
            .and_then(Value::as_u64),
        value_paid: cx.amount(v, "/paymentsCompliance/value"),
        within_30_days_percent: num("/paymentsCompliance/paidWithin30DaysPercent"),
        days_31_to_60_percent: num("/paymentsCompliance/paidIn31To60DaysPercent"),
        after_60_days_percent: num("/paymentsCompliance/paidAfter60DaysPercent"),
        average_days: num("/paymentsCompliance/averageDaysToPay"),
    })
}

fn incumbent(name: String, id: Option<String>, party: Option<&Value>) -> Incumbent {
    let mut inc = Incumbent {
        name,
        id: id.clone(),
        ..Incumbent::default()
    };
    if let Some(i) = id.as_deref().and_then(|i| i.strip_prefix("GB-COH-")) {
        inc.company_number = Some(i.to_string());
    }
    if let Some(p) = party {
        if p.pointer("/identifier/scheme").and_then(Value::as_str) == Some("GB-COH") {
            inc.company_number = p
                .pointer("/identifier/id")
                .and_then(id_text)
                .or(inc.company_number);
        }
        let addr = p.get("address");
        inc.postcode = addr
            .and_then(|a| a.get("postalCode"))
            .and_then(Value::as_str)
            .and_then(|s| Postcode::parse(s).ok())
            .map(|p| p.to_string())
            .or_else(|| {
                // Contracts Finder often puts the whole address, postcode included, in
                // `streetAddress`: the last two words that parse as a postcode.
                let street = addr
                    .and_then(|a| a.get("streetAddress"))
                    .and_then(Value::as_str)?;
                let words: Vec<&str> = street
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|w| !w.is_empty())
                    .collect();
                (1..words.len())
                    .rev()
                    .find_map(|i| Postcode::parse(&format!("{} {}", words[i - 1], words[i])).ok())
                    .map(|p| p.to_string())
            });
        inc.sme = match p.pointer("/details/scale").and_then(Value::as_str) {
            Some("sme" | "micro" | "small" | "medium") => Some(true),
            Some("large") => Some(false),
            _ => None,
        };
    }
    inc
}

fn has_role(p: &Value, role: &str) -> bool {
    p.get("roles")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|x| x.as_str() == Some(role)))
}

fn array<'a>(v: &'a Value, path: &str) -> &'a [Value] {
    v.pointer(path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn min_opt(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn max_opt(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}
