//! The hub's outputs as plain rows (header + text cells), for the export layer to write as
//! CSV (formula-safe) and for the JSON twins.

use anchornet_ingest::Issue;
use serde_json::{json, Value};

use anchornet_core::Pence;

use crate::calendar::Entry;
use crate::demand::{DemandRow, LotRule};
use crate::matching::Match;
use crate::opportunity::{Opportunity, SourceKind};
use crate::sources::ocds::PaymentsCompliance;
use crate::targets::{TargetRow, Targets};

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
pub const OPPORTUNITY_COLUMNS: [&str; 29] = [
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
    "contract_status",
    "paid_pence",
    "notices",
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
        opt(&o.contract_status),
        o.paid.map(|p| p.0.to_string()).unwrap_or_default(),
        o.notices.join(";"),
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

/// The columns of the payments compliance table, one row per UK8 notice.
pub const PAYMENTS_COMPLIANCE_COLUMNS: [&str; 13] = [
    "buyer",
    "period_start",
    "period_end",
    "invoices_paid",
    "value_paid_pence",
    "paid_within_30_days_percent",
    "paid_31_to_60_days_percent",
    "paid_after_60_days_percent",
    "average_days_to_pay",
    "notice_id",
    "ocid",
    "url",
    "source",
];

/// Payments compliance notices (UK8), one row per notice, by buyer then reporting period:
/// the figures as the notice gives them (empty where it gives none).
pub fn payments_compliance(notices: &[PaymentsCompliance]) -> Rows {
    let mut sorted: Vec<&PaymentsCompliance> = notices.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.buyer, a.period_start, a.period_end, &a.ocid).cmp(&(
            &b.buyer,
            b.period_start,
            b.period_end,
            &b.ocid,
        ))
    });
    let rows = sorted
        .into_iter()
        .map(|n| {
            vec![
                n.buyer.clone(),
                opt(&n.period_start),
                opt(&n.period_end),
                opt(&n.invoices_paid),
                opt(&n.value_paid.map(|p| p.0)),
                opt(&n.within_30_days_percent),
                opt(&n.days_31_to_60_percent),
                opt(&n.after_60_days_percent),
                opt(&n.average_days),
                n.notice_id.clone(),
                n.ocid.clone(),
                opt(&n.url),
                n.file.clone(),
            ]
        })
        .collect();
    (PAYMENTS_COMPLIANCE_COLUMNS.to_vec(), rows)
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

/// Aggregated demand: one row per collaboration candidate.
pub fn demand(rows: &[DemandRow], rule: &LotRule) -> Rows {
    let head = vec![
        "rank",
        "category",
        "key",
        "anchors",
        "leaked_pence",
        "influenceable_pence",
        "local_pence",
        "unlocated_pence",
        "pooled_pence",
        "by_anchor",
        "contracts_ending",
        "first_end",
        "last_end",
        "start_by",
        "lots_small",
        "lots_micro",
        "suggestion",
    ];
    let rows = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.category.clone(),
                r.key.clone(),
                r.anchors.len().to_string(),
                r.leaked.to_string(),
                r.influenceable.to_string(),
                r.local.to_string(),
                r.unlocated.to_string(),
                r.pooled.to_string(),
                r.anchors
                    .iter()
                    .map(|a| {
                        format!(
                            "{} {} \"{}\": {} leaked, {} not located, of {} ({} suppliers)",
                            a.anchor,
                            a.fy,
                            a.category,
                            Pence(a.leaked).to_pounds_string(),
                            Pence(a.unlocated).to_pounds_string(),
                            Pence(a.influenceable).to_pounds_string(),
                            a.suppliers
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" | "),
                r.ends
                    .iter()
                    .map(|e| format!("{} {} ({}: {})", e.anchor, e.end, e.id, e.title))
                    .collect::<Vec<_>>()
                    .join(" | "),
                r.ends
                    .first()
                    .map(|e| e.end.to_string())
                    .unwrap_or_default(),
                r.ends.last().map(|e| e.end.to_string()).unwrap_or_default(),
                opt(&r.start_by),
                r.lots_small.to_string(),
                r.lots_micro.to_string(),
                r.suggestion(rule),
            ]
        })
        .collect();
    (head, rows)
}

/// SME and VCSE shares against the targets: one row per scope and year.
pub fn targets(rows: &[TargetRow], t: &Targets) -> Rows {
    let head = vec![
        "scope",
        "fy",
        "influenceable_pence",
        "sme_pence",
        "sme_known_pence",
        "sme_share_of_all",
        "sme_share_of_known",
        "sme_coverage",
        "sme_target",
        "sme_verdict",
        "vcse_pence",
        "vcse_known_pence",
        "vcse_share_of_all",
        "vcse_share_of_known",
        "vcse_coverage",
        "vcse_target",
        "vcse_verdict",
    ];
    let f = |x: Option<f64>| x.map(|v| format!("{v:.4}")).unwrap_or_default();
    let rows = rows
        .iter()
        .map(|r| {
            let mut v = vec![r.scope.clone(), r.fy.clone(), r.sme.base.to_string()];
            for (s, target, verdict) in [
                (&r.sme, t.sme, r.sme_verdict),
                (&r.vcse, t.vcse, r.vcse_verdict),
            ] {
                v.extend([
                    s.matched.to_string(),
                    s.known.to_string(),
                    f(s.of_all()),
                    f(s.of_known()),
                    f(s.coverage()),
                    f(target),
                    verdict.map(|x| x.label().to_string()).unwrap_or_default(),
                ]);
            }
            v
        })
        .collect();
    (head, rows)
}

/// The "meet the buyer" pack: the opportunities with the local suppliers to invite, the
/// suppliers with the opportunities that fit them, and every match with its reasons.
pub fn pack(ops: &[Opportunity], m: &[(usize, Vec<Match>)]) -> Vec<(&'static str, Rows)> {
    let opp_head = vec![
        "ocid",
        "anchor",
        "buyer",
        "title",
        "cpv_labels",
        "value_pence",
        "stage",
        "status",
        "to_market",
        "tender_end",
        "contract_end",
        "sme_suitable",
        "vcse_suitable",
        "incumbent",
        "suppliers_to_invite",
        "url",
    ];
    let opp_rows = m
        .iter()
        .map(|(i, ms)| {
            let o = &ops[*i];
            vec![
                o.id.clone(),
                opt(&o.anchor),
                o.buyer.clone(),
                o.title.clone(),
                o.cpv
                    .iter()
                    .filter_map(|c| c.label())
                    .collect::<Vec<_>>()
                    .join("; "),
                o.value.map(|p| p.0.to_string()).unwrap_or_default(),
                o.stage.into(),
                opt(&o.status),
                opt(&o.to_market),
                opt(&o.tender_end),
                opt(&o.contract_end),
                flag(o.sme_suitable),
                flag(o.vcse_suitable),
                o.incumbent_names(),
                ms.iter()
                    .map(|x| x.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                opt(&o.url),
            ]
        })
        .collect();
    // Supplier → (its first match, the opportunities it fits).
    let mut by_supplier: std::collections::BTreeMap<&str, (&Match, Vec<&Opportunity>)> =
        std::collections::BTreeMap::new();
    for (i, ms) in m {
        for x in ms {
            let e = by_supplier
                .entry(x.name.as_str())
                .or_insert((x, Vec::new()));
            if x.score > e.0.score {
                e.0 = x;
            }
            e.1.push(&ops[*i]);
        }
    }
    let sup_head = vec![
        "supplier",
        "location",
        "sme",
        "vcse",
        "opportunities",
        "fits",
        "best_score",
        "reasons_for_best",
    ];
    let sup_rows = by_supplier
        .into_iter()
        .map(|(name, (best, fits))| {
            vec![
                name.to_string(),
                best.location.clone(),
                flag(best.sme),
                flag(best.vcse),
                fits.len().to_string(),
                fits.iter()
                    .map(|o| format!("{} ({})", o.title, o.id))
                    .collect::<Vec<_>>()
                    .join(" | "),
                format!("{:.2}", best.score),
                best.reasons.join(" | "),
            ]
        })
        .collect();
    vec![
        ("Opportunities", (opp_head, opp_rows)),
        ("Suppliers to invite", (sup_head, sup_rows)),
        ("Matches", matches(ops, m)),
    ]
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

/// [`record_package`] written as it is made (pretty-printed, the same text as
/// `serde_json::to_string_pretty` of it): `compiled` gives an OCDS opportunity's compiled
/// release, one at a time, so that no more than one is held.
pub fn write_record_package<W: std::io::Write>(
    w: W,
    ops: &[Opportunity],
    compiled: impl FnMut(&Opportunity) -> Option<Value>,
    published: &str,
) -> serde_json::Result<()> {
    use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
    use std::cell::RefCell;

    struct Records<'a, F> {
        ops: &'a [Opportunity],
        compiled: RefCell<F>,
    }
    impl<F: FnMut(&Opportunity) -> Option<Value>> Serialize for Records<'_, F> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(Some(self.ops.len()))?;
            let mut compiled = self.compiled.borrow_mut();
            for o in self.ops {
                let c = match o.source {
                    SourceKind::Ocds => (compiled)(o).unwrap_or_else(|| o.to_ocds()),
                    _ => o.to_ocds(),
                };
                seq.serialize_element(&json!({"ocid": o.id, "compiledRelease": c}))?;
            }
            seq.end()
        }
    }
    struct Package<'a, F> {
        records: Records<'a, F>,
        published: &'a str,
    }
    impl<F: FnMut(&Opportunity) -> Option<Value>> Serialize for Package<'_, F> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            // The keys in the order `record_package`'s object serialises them.
            let mut m = s.serialize_map(Some(5))?;
            m.serialize_entry("publishedDate", self.published)?;
            m.serialize_entry("publisher", &json!({"name": "anchornet hub"}))?;
            m.serialize_entry("records", &self.records)?;
            m.serialize_entry("uri", "")?;
            m.serialize_entry("version", "1.1")?;
            m.end()
        }
    }
    let pkg = Package {
        records: Records {
            ops,
            compiled: RefCell::new(compiled),
        },
        published,
    };
    let mut ser = serde_json::Serializer::pretty(w);
    pkg.serialize(&mut ser)
}

/// The meet-the-buyer pack as the report's tables (sheets Opportunities, Suppliers to
/// invite, Matches): money columns (`…_pence`) as money, shown in pounds; the rest as text.
pub fn pack_tables(
    ops: &[Opportunity],
    m: &[(usize, Vec<Match>)],
) -> Vec<anchornet_report::tables::Table> {
    use anchornet_report::tables::{Cell, Column, Table};
    pack(ops, m)
        .into_iter()
        .map(|(sheet, (head, rows))| {
            let money: Vec<bool> = head.iter().map(|h| h.ends_with("_pence")).collect();
            Table {
                file: "pack",
                sheet,
                about: sheet,
                columns: head
                    .iter()
                    .map(|h| Column {
                        name: h.to_string(),
                        title: h.strip_suffix("_pence").unwrap_or(h).replace('_', " "),
                        meaning: String::new(),
                    })
                    .collect(),
                rows: rows
                    .into_iter()
                    .map(|r| {
                        r.into_iter()
                            .zip(&money)
                            .map(|(v, &is_money)| match v.parse::<i64>() {
                                Ok(p) if is_money => Cell::Money(p),
                                _ => Cell::Text(v),
                            })
                            .collect()
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The meet-the-buyer pack as an XLSX workbook (the report's writer: formula-neutralised
/// text, money in pounds) — what `anchornet hub pack` writes and `/hub/pack.xlsx` serves.
/// `m`: the shortlists of the opportunities to invite to (those with at least one match).
pub fn pack_xlsx(ops: &[Opportunity], m: &[(usize, Vec<Match>)]) -> std::io::Result<Vec<u8>> {
    anchornet_report::xlsx::tables_to_bytes(&pack_tables(ops, m))
}
