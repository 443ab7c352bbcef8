//! The hub's outputs as plain rows (header + text cells), for the export layer to write as
//! CSV (formula-safe) and for the JSON twins.

use anchornet_ingest::Issue;
use serde_json::{json, Value};

use crate::calendar::Entry;
use crate::matching::Match;
use crate::opportunity::{Opportunity, SourceKind};

/// A table: header and rows of text.
pub type Rows = (Vec<&'static str>, Vec<Vec<String>>);

fn opt<T: ToString>(x: &Option<T>) -> String {
    x.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn flag(x: Option<bool>) -> String {
    match x {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}

/// The pipeline: one row per opportunity.
pub const OPPORTUNITY_COLUMNS: [&str; 26] = [
    "ocid",
    "buyer",
    "title",
    "cpv",
    "value_pence",
    "status",
    "tender_end",
    "contract_start",
    "contract_end",
    "sme_suitable",
    "vcse_suitable",
    "incumbent",
    "anchor",
    "source",
    "stage",
    "cpv_labels",
    "category",
    "value_basis",
    "procedure",
    "to_market",
    "max_extent",
    "renewal",
    "lots",
    "incumbent_postcode",
    "url",
    "files",
];

/// One opportunity's cells, in [`OPPORTUNITY_COLUMNS`] order.
pub fn opportunity_cells(o: &Opportunity) -> Vec<String> {
    let cpv: Vec<String> = o.cpv.iter().map(ToString::to_string).collect();
    let labels: Vec<&str> = o.cpv.iter().filter_map(|c| c.label()).collect();
    vec![
        o.id.clone(),
        o.buyer.clone(),
        o.title.clone(),
        cpv.join(";"),
        o.value.map(|p| p.0.to_string()).unwrap_or_default(),
        opt(&o.status),
        opt(&o.tender_end),
        opt(&o.contract_start),
        opt(&o.contract_end),
        flag(o.sme_suitable),
        flag(o.vcse_suitable),
        o.incumbent_names(),
        opt(&o.anchor),
        o.source.label().into(),
        o.stage.into(),
        labels.join("; "),
        opt(&o.category),
        o.value_basis.unwrap_or("").into(),
        opt(&o.procedure),
        opt(&o.to_market),
        opt(&o.max_extent),
        opt(&o.renewal),
        o.lots.join("; "),
        o.incumbents
            .iter()
            .filter_map(|i| i.postcode.clone())
            .collect::<Vec<_>>()
            .join("; "),
        opt(&o.url),
        o.files.join("; "),
    ]
}

/// Every opportunity.
pub fn opportunities(ops: &[Opportunity]) -> Rows {
    (
        OPPORTUNITY_COLUMNS.to_vec(),
        ops.iter().map(opportunity_cells).collect(),
    )
}

/// The issues report.
pub fn issues(issues: &[Issue]) -> Rows {
    (
        vec!["file", "line", "column", "value", "problem", "outcome"],
        issues
            .iter()
            .map(|i| {
                vec![
                    i.file.clone(),
                    i.line.to_string(),
                    i.column.clone(),
                    i.value.clone(),
                    i.problem.clone(),
                    serde_json::to_value(i.outcome)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                ]
            })
            .collect(),
    )
}

/// The calendar.
pub fn calendar(ops: &[Opportunity], entries: &[Entry]) -> Rows {
    let mut head = vec!["act_from", "event", "date", "lead_months"];
    head.extend(OPPORTUNITY_COLUMNS);
    let rows = entries
        .iter()
        .map(|e| {
            let mut r = vec![
                e.window_opens.unwrap_or(e.date).to_string(),
                e.event.label().into(),
                e.date.to_string(),
                opt(&e.lead_months),
            ];
            r.extend(opportunity_cells(&ops[e.opportunity]));
            r
        })
        .collect();
    (head, rows)
}

/// Matches: one row per (opportunity, supplier).
pub fn matches(ops: &[Opportunity], m: &[(usize, Vec<Match>)]) -> Rows {
    let head = vec![
        "ocid",
        "buyer",
        "anchor",
        "title",
        "cpv",
        "value_pence",
        "contract_end",
        "rank",
        "supplier",
        "score",
        "location",
        "sme",
        "vcse",
        "reasons",
    ];
    let mut rows = Vec::new();
    for (i, ms) in m {
        let o = &ops[*i];
        for (k, x) in ms.iter().enumerate() {
            rows.push(vec![
                o.id.clone(),
                o.buyer.clone(),
                opt(&o.anchor),
                o.title.clone(),
                o.cpv
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(";"),
                o.value.map(|p| p.0.to_string()).unwrap_or_default(),
                opt(&o.contract_end),
                (k + 1).to_string(),
                x.name.clone(),
                format!("{:.2}", x.score),
                x.location.clone(),
                flag(x.sme),
                flag(x.vcse),
                x.reasons.join(" | "),
            ]);
        }
    }
    (head, rows)
}

/// The opportunities as an OCDS record package: OCDS opportunities carry their own
/// compiled release (`compiled`, by ocid), the others [`Opportunity::to_ocds`].
pub fn record_package(
    ops: &[Opportunity],
    compiled: &std::collections::HashMap<String, Value>,
    published: &str,
) -> Value {
    let records: Vec<Value> = ops
        .iter()
        .map(|o| {
            let c = match o.source {
                SourceKind::Ocds => compiled.get(&o.id).cloned().unwrap_or_else(|| o.to_ocds()),
                _ => o.to_ocds(),
            };
            json!({"ocid": o.id, "compiledRelease": c})
        })
        .collect();
    json!({
        "uri": "",
        "version": "1.1",
        "publishedDate": published,
        "publisher": {"name": "anchornet hub"},
        "records": records,
    })
}
