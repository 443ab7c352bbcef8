//! OCDS notices (Contracts Finder, Find a Tender, any OCDS 1.1 publisher): read with
//! [`anchornet_ingest::ocds`] in any packaging, merged into one compiled release per ocid,
//! and each compiled release turned into an [`Opportunity`].
//!
//! Fields (OCDS 1.1 paths; UK profile extensions where noted):
//! buyer `buyer/name` (else the party with role `buyer`); title `tender/title` (else the
//! release `title`); CPV `tender/classification` + `tender/additionalClassifications` +
//! `tender/items/*/classification` with scheme CPV; value `tender/value` (GBP), else the sum
//! of the active awards' values, else `tender/minValue`; procedure
//! `tender/procurementMethodDetails` (else `procurementMethod`); status `tender/status`;
//! tender end `tender/tenderPeriod/endDate`; contract period from the active awards'
//! `contractPeriod`, else `tender/contractPeriod`, else the contracts' `period`, with
//! `maxExtentDate` as the end with every option taken; renewal `tender/lots/*/renewal`
//! (lots extension) or `tender/hasRenewal`/`renewal`; lots `tender/lots`; SME/VCSE
//! suitability `tender/suitability/sme|vcse` (Contracts Finder); incumbents: the suppliers of
//! active awards, with the matching party's address, identifier and `details/scale`.
//!
//! Every field whose value cannot be used is reported (file, JSON path in the compiled
//! release, value, reason): a date that is not an OCDS date-time, a CPV code not in CPV 2008,
//! an amount in another currency.

use std::collections::HashMap;

use anchornet_core::{Pence, Postcode};
use anchornet_ingest::ocds::{self, Compiled, OcdsRead};
use anchornet_ingest::{Issue, Outcome};
use chrono::NaiveDate;
use serde_json::Value;

use crate::cpv::{CpvCode, CpvError};
use crate::opportunity::{Incumbent, Opportunity, SourceKind};

/// The opportunities of compiled releases, with the issues their fields raised.
pub fn opportunities(
    read: &OcdsRead,
    compiled: &[Compiled],
    issues: &mut Vec<Issue>,
) -> Vec<Opportunity> {
    compiled
        .iter()
        .map(|c| {
            let files: Vec<String> = {
                let mut f: Vec<String> = c
                    .releases
                    .iter()
                    .map(|&i| read.releases[i].file.clone())
                    .collect();
                f.dedup();
                f
            };
            let mut o = from_compiled(&c.json, &files.join(" + "), issues);
            o.files = files;
            o.releases = c.releases.len();
            o
        })
        .collect()
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
    if let Some(p) = cx.amount(v, "/tender/value") {
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
    o.stage = if !array(v, "/contracts").is_empty() {
        "contract"
    } else if !awards.is_empty() {
        "award"
    } else if v.get("tender").is_some() && o.status.as_deref() != Some("planned") {
        "tender"
    } else {
        "planning"
    };
    o.tender_end = cx.date(v, "/tender/tenderPeriod/endDate");
    o.to_market = cx.date(v, "/tender/tenderPeriod/startDate");

    // Contract period: the active awards', else the tender's, else the contracts'.
    let mut periods: Vec<String> = Vec::new();
    for (i, a) in array(v, "/awards").iter().enumerate() {
        if awards.iter().any(|x| std::ptr::eq(*x, a)) && a.get("contractPeriod").is_some() {
            periods.push(format!("/awards/{i}/contractPeriod"));
        }
    }
    if periods.is_empty() && v.pointer("/tender/contractPeriod").is_some() {
        periods.push("/tender/contractPeriod".into());
    }
    if periods.is_empty() {
        for (i, _) in array(v, "/contracts").iter().enumerate() {
            periods.push(format!("/contracts/{i}/period"));
        }
    }
    for p in periods {
        let s = cx.date(v, &format!("{p}/startDate"));
        let e = cx.date(v, &format!("{p}/endDate"));
        let m = cx.date(v, &format!("{p}/maxExtentDate"));
        o.contract_start = min_opt(o.contract_start, s);
        o.contract_end = max_opt(o.contract_end, e);
        o.max_extent = max_opt(o.max_extent, m);
    }

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
