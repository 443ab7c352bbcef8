//! `/hub…`: the supply chain hub — the pipeline calendar, one opportunity with its local
//! suppliers, one local supplier with the opportunities that fit it, and the anchors'
//! aggregated demand. Every table is the one `anchornet hub calendar|match|demand` writes
//! (`anchornet_hub::output`), computed by the same functions ([`crate::hub`]); money
//! columns (`…_pence` in the CLI's CSV) are pounds here (`…_gbp`), like every page.
//!
//! The notices are public data. What the network pays a supplier follows the supplier
//! pages' rule (see [`crate::hub`]); the aggregated demand's per-anchor figures are cells
//! of the scope × year × category cube and follow its suppression ([`crate::privacy`]).

use anchornet_core::Pence;
use anchornet_hub::calendar::{self, Bands, Filter};
use anchornet_hub::cpv::CpvCode;
use anchornet_hub::demand::{self, DemandRow, LotRule};
use anchornet_hub::output::{self, Rows};
use anchornet_hub::Opportunity;
use anchornet_report::tables::{Cell, Table};
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::json;

use super::suppliers::may_see;
use super::{anchor_options, category_index};
use crate::auth::Signed;
use crate::error::{AppError, AppResult};
use crate::page::{select, strip_ext, table, table_html, txt, Fmt, Page};
use crate::privacy::{Audience, SUPPRESSED};
use crate::snapshot::Snapshot;
use crate::state::AppState;

/// The filters of the hub's pages (query string).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HubQuery {
    /// Only this anchor's opportunities (store id).
    pub anchor: Option<String>,
    /// Only the network's anchors' opportunities (`1`).
    pub anchors_only: Option<String>,
    /// Only these CPV divisions (two digits, comma-separated: `45,50`).
    pub cpv: Option<String>,
    /// Only this value band (its position in the lead-time bands, from 0).
    pub band: Option<String>,
    /// At least this value (pounds).
    pub min_value: Option<String>,
    /// At most this value (pounds).
    pub max_value: Option<String>,
    /// Start of the horizon, `YYYY-MM-DD` (default today).
    pub from: Option<String>,
    /// Months ahead (default `[hub] months`).
    pub months: Option<String>,
    /// Which table the CSV twin gives.
    pub table: Option<String>,
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl HubQuery {
    /// The start of the horizon.
    pub fn from(&self) -> Result<NaiveDate, AppError> {
        match given(&self.from) {
            None => Ok(calendar::today()),
            Some(s) => {
                calendar::parse_date(s).map_err(|e| AppError::bad_request(format!("from: {e}")))
            }
        }
    }

    /// The horizon in months.
    pub fn months(&self, default: u32) -> Result<u32, AppError> {
        match given(&self.months) {
            None => Ok(default),
            Some(s) => s.parse::<u32>().ok().filter(|m| *m <= 1200).ok_or_else(|| {
                AppError::bad_request(format!("months `{s}`: a whole number of months up to 1200"))
            }),
        }
    }

    /// The calendar's filter.
    pub fn filter(&self, snap: &Snapshot, bands: &Bands) -> Result<Filter, AppError> {
        let mut f = Filter {
            anchors_only: match given(&self.anchors_only) {
                None | Some("0" | "false" | "no" | "off") => false,
                Some("1" | "true" | "yes" | "on") => true,
                Some(o) => {
                    return Err(AppError::bad_request(format!(
                        "anchors_only `{o}`: give 1 or 0"
                    )))
                }
            },
            ..Filter::default()
        };
        if let Some(a) = given(&self.anchor) {
            let id: i64 = a
                .parse()
                .map_err(|_| AppError::bad_request(format!("anchor `{a}`: give an anchor id")))?;
            let anchor = snap
                .anchors
                .iter()
                .find(|x| x.id == id)
                .ok_or_else(|| AppError::not_found(format!("anchor {id}")))?;
            f.anchor = Some(anchor.name.clone());
        }
        if let Some(c) = given(&self.cpv) {
            for d in c.split(',').map(str::trim).filter(|d| !d.is_empty()) {
                let n = (d.len() == 2)
                    .then(|| d.parse::<u8>().ok())
                    .flatten()
                    .ok_or_else(|| {
                        AppError::bad_request(format!(
                            "cpv `{d}`: give CPV divisions of two digits (45 for construction work)"
                        ))
                    })?;
                f.divisions.push(n);
            }
        }
        if let Some(b) = given(&self.band) {
            let i: usize = b
                .parse()
                .ok()
                .filter(|i| *i < bands.0.len())
                .ok_or_else(|| {
                    AppError::bad_request(format!(
                        "band `{b}`: give a value band from 0 to {}",
                        bands.0.len().saturating_sub(1)
                    ))
                })?;
            f.min_value = Some(bands.0[i].0);
            f.max_value = bands.0.get(i + 1).map(|n| Pence(n.0 .0 - 1));
        }
        let money = |s: &Option<String>, what: &str| -> Result<Option<Pence>, AppError> {
            given(s)
                .map(|v| {
                    Pence::parse(v).map_err(|e| AppError::bad_request(format!("{what} `{v}`: {e}")))
                })
                .transpose()
        };
        if let Some(m) = money(&self.min_value, "min_value")? {
            f.min_value = Some(m);
        }
        if let Some(m) = money(&self.max_value, "max_value")? {
            f.max_value = Some(m);
        }
        Ok(f)
    }
}

/// What a column of the hub's tables means (the CLI's names; docs/hub.md has them all).
fn meaning(col: &str) -> &'static str {
    match col {
        "act_from" => "When to act: the re-procurement window's opening (contract end less the lead time of its value band), else the event's date.",
        "event" => "Why it is on the calendar: the contract ends, it comes to market, or its tender closes.",
        "date" => "The event's date.",
        "lead_months" => "Lead time applied, months, by value band (docs/hub.md).",
        "ocid" => "The OCDS ocid, or register:FILE:REFERENCE for a register row.",
        "buyer" => "Buyer as published.",
        "anchor" => "The network's anchor, when the buyer is one.",
        "title" => "Title.",
        "cpv" => "CPV 2008 codes, main first.",
        "cpv_labels" => "The CPV codes' names.",
        "value_gbp" => "Value (value_basis says what it measures).",
        "value_basis" => "What the value measures.",
        "status" => "Status as published.",
        "stage" => "Stage reached: planning, tender, award, contract, terminated.",
        "tender_end" => "Deadline for bids.",
        "contract_start" => "Contract start.",
        "contract_end" => "Contract end (current expiry).",
        "max_extent" => "Latest end with every extension taken.",
        "sme_suitable" => "Declared suitable for SMEs.",
        "vcse_suitable" => "Declared suitable for VCSEs.",
        "incumbent" => "The supplier(s) holding the contract.",
        "rank" => "Rank.",
        "supplier" => "Local supplier from the network's register.",
        "score" => "Rank score (docs/hub.md, Matching).",
        "location" => "Its postcode and district in the place.",
        "reasons" => "Why it is on the shortlist.",
        "category" => "Spend category, as the anchor leaking most names it.",
        "anchors" => "Anchors leaking spend in the category.",
        "leaked_gbp" => "Spend with suppliers located outside the place (one year of each anchor).",
        "pooled_gbp" => "The demand pooled and lotted.",
        "suggestion" => "Lots sized for small and micro businesses (docs/hub.md).",
        "period_start" => "First day of the six-month reporting period.",
        "period_end" => "Last day of the reporting period.",
        "invoices_paid" => "Invoices paid in the period, as the notice gives it.",
        "value_paid_gbp" => "What those invoices were worth.",
        "paid_within_30_days_percent" => "Share of invoices paid within 30 days, per cent.",
        "paid_31_to_60_days_percent" => "Share paid in 31 to 60 days, per cent.",
        "paid_after_60_days_percent" => "Share paid after 60 days, per cent.",
        "average_days_to_pay" => "Average days to pay.",
        "notice_id" => "The notice's id on Find a Tender.",
        "url" => "The notice's page.",
        "source" => "The file(s) it was read from.",
        _ => "See docs/hub.md.",
    }
}

/// One of the hub's output tables as a page table: `…_pence` columns become money (`…_gbp`).
pub fn rows_table(
    file: &'static str,
    sheet: &'static str,
    about: &'static str,
    (head, rows): Rows,
) -> Table {
    let names: Vec<String> = head
        .iter()
        .map(|h| match h.strip_suffix("_pence") {
            Some(b) => format!("{b}_gbp"),
            None => h.to_string(),
        })
        .collect();
    let cols: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), meaning(n))).collect();
    let mut t = table(file, sheet, about, &cols);
    let money: Vec<bool> = head.iter().map(|h| h.ends_with("_pence")).collect();
    t.rows = rows
        .into_iter()
        .map(|r| {
            r.into_iter()
                .zip(&money)
                .map(|(v, &m)| match v.parse::<i64>() {
                    Ok(p) if m => Cell::Money(p),
                    _ => Cell::Text(v),
                })
                .collect()
        })
        .collect();
    t
}

/// Some columns of a table (for a page narrower than its twins).
fn columns(t: &Table, names: &[&str]) -> Table {
    let idx: Vec<usize> = names.iter().filter_map(|n| t.index(n)).collect();
    Table {
        file: t.file,
        sheet: t.sheet,
        about: t.about,
        columns: idx.iter().map(|&i| t.columns[i].clone()).collect(),
        rows: t
            .rows
            .iter()
            .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
            .collect(),
    }
}

/// A path segment, percent-encoded (ocids and register references may hold `/`).
pub fn segment(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~:".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

fn band_options(bands: &Bands) -> Vec<(String, String)> {
    bands
        .0
        .iter()
        .enumerate()
        .map(|(i, (b, _))| {
            let label = match bands.0.get(i + 1) {
                Some((n, _)) if b.0 == 0 => format!("under {}", n.to_pounds_string()),
                Some((n, _)) => format!("{} to {}", b.to_pounds_string(), n.to_pounds_string()),
                None => format!("{} and above", b.to_pounds_string()),
            };
            (i.to_string(), label)
        })
        .collect()
}

fn division_options(ops: &[Opportunity]) -> Vec<(String, String)> {
    let ds: std::collections::BTreeSet<u8> = ops
        .iter()
        .flat_map(|o| o.cpv.iter().map(|c| c.division()))
        .collect();
    ds.into_iter()
        .map(|d| {
            let label = CpvCode::parse_shape(&format!("{d:02}000000"))
                .ok()
                .and_then(|c| c.label())
                .unwrap_or("");
            (format!("{d:02}"), format!("{d:02} {label}"))
        })
        .collect()
}

/// The sources read, file by file (read = used + rejected).
fn sources_table(pipe: &anchornet_hub::sources::Pipeline) -> Table {
    let mut t = table(
        "sources",
        "Sources",
        "source file",
        &[
            ("file", "Source file (or file!sheet)."),
            ("kind", "The importer that read it."),
            ("read", "Releases or rows read."),
            ("used", "Merged into an opportunity."),
            (
                "rejected",
                "Rejected, each with its reason (anchornet hub pipeline --issues).",
            ),
            ("opportunities", "Opportunities it gave."),
            ("error", "Why it could not be read, if so."),
        ],
    );
    for r in &pipe.reports {
        t.rows.push(vec![
            txt(r.file.clone()),
            txt(r.kind.clone()),
            Cell::Int(r.read as i64),
            Cell::Int(r.used as i64),
            Cell::Int(r.rejected as i64),
            Cell::Int(r.opportunities as i64),
            txt(r.error.clone().unwrap_or_default()),
        ]);
    }
    t
}

fn no_sources(st: &AppState) -> Markup {
    html! {
        @if st.cfg.hub.sources.is_empty() {
            p.note { "No pipeline sources yet: list OCDS notices, contracts registers and forward plans under "
                code { "[hub] sources" } " in the workspace's anchornet.toml (docs/hub.md)." }
        }
    }
}

fn hub_nav() -> Markup {
    html! {
        p.note { a href="/hub" { "Pipeline calendar" } " · " a href="/hub/demand" { "Aggregated demand" }
            " · " a href="/hub/payments-compliance" { "Payments compliance (UK8)" } }
    }
}

/// `/hub`: the pipeline calendar.
pub async fn calendar_page(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<HubQuery>,
) -> AppResult<Response> {
    let snap = st.snap();
    let bands = st.cfg.hub.bands().map_err(AppError::internal)?;
    let from = q.from()?;
    let months = q.months(st.cfg.hub.months)?;
    let filter = q.filter(&snap, &bands)?;
    let pipe = st.hub.pipeline(&st.cfg).await;
    let ops = st.hub.opportunities(&st.cfg, &pipe, &snap);
    let entries = calendar::calendar(&ops, from, months, &bands, &filter);
    let t = rows_table(
        "calendar",
        "Calendar",
        "calendar entry",
        output::calendar(&ops, &entries),
    );
    let shown = columns(
        &t,
        &[
            "title",
            "act_from",
            "event",
            "date",
            "buyer",
            "anchor",
            "cpv_labels",
            "value_gbp",
            "stage",
            "sme_suitable",
            "vcse_suitable",
        ],
    );
    let sources = sources_table(&pipe);
    let read: u64 = pipe.reports.iter().map(|r| r.read).sum();
    let rejected: u64 = pipe.reports.iter().map(|r| r.rejected).sum();
    let body = html! {
        (hub_nav())
        (no_sources(&st))
        form.filters method="get" action="/hub" {
            label { "From " input type="date" name="from" value=(from.to_string()); }
            label { "Months " input type="number" name="months" min="0" max="1200" value=(months); }
            (select("anchor", "Anchor", &anchor_options(&snap), given(&q.anchor)))
            label { input type="checkbox" name="anchors_only" value="1" checked[filter.anchors_only]; " the network's anchors only" }
            (select("cpv", "Category (CPV)", &division_options(&ops), given(&q.cpv)))
            (select("band", "Value", &band_options(&bands), given(&q.band)))
            button type="submit" { "Show" }
        }
        p { (entries.len()) " contracts ending or procurements coming to market from " (from) " for " (months) " months, of "
            (ops.len()) " opportunities (" (read) " releases or rows read, " (rejected) " rejected). "
            "Sorted by when to act: a contract's re-procurement window opens its lead time before it ends." }
        (table_html(&shown, Some("/hub"), &|i| Some(format!("/hub/opportunities/{}", segment(&ops[entries[i].opportunity].id)))))
        h2 { "Sources" }
        (table_html(&sources, None, &|_| None))
    };
    Ok(Page {
        title: "Supply chain hub: pipeline calendar".into(),
        body,
        tables: vec![t, sources],
        meta: json!({
            "from": from.to_string(),
            "months": months,
            "opportunities": ops.len(),
            "entries": entries.len(),
            "read": read,
            "rejected": rejected,
            "filter": {
                "anchor": filter.anchor,
                "anchors_only": filter.anchors_only,
                "cpv": filter.divisions,
                "min_value_gbp": filter.min_value.map(|p| p.to_pounds_string()),
                "max_value_gbp": filter.max_value.map(|p| p.to_pounds_string()),
            },
        }),
    }
    .respond(Fmt::of_path(uri.path()), &v, q.table.as_deref()))
}

/// `/hub/payments-compliance`: the payments compliance notices (UK8, Procurement Act 2023
/// s.69) the sources hold — how promptly each buyer paid its invoices in each reporting
/// period — one row per notice, by buyer then period (`anchornet hub pipeline
/// --payments-compliance`'s table, value in pounds). Public notices: every signed-in user
/// sees them.
pub async fn payments_compliance_page(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<HubQuery>,
) -> AppResult<Response> {
    let pipe = st.hub.pipeline(&st.cfg).await;
    let t = rows_table(
        "payments_compliance",
        "Payments compliance",
        "payments compliance notice",
        output::payments_compliance(&pipe.payments_compliance),
    );
    let shown = columns(
        &t,
        &[
            "buyer",
            "period_start",
            "period_end",
            "invoices_paid",
            "value_paid_gbp",
            "paid_within_30_days_percent",
            "paid_31_to_60_days_percent",
            "paid_after_60_days_percent",
            "average_days_to_pay",
            "notice_id",
        ],
    );
    let buyers: std::collections::BTreeSet<&str> = pipe
        .payments_compliance
        .iter()
        .map(|n| n.buyer.as_str())
        .collect();
    let body = html! {
        (hub_nav())
        (no_sources(&st))
        p { (t.rows.len()) " payments compliance notices (UK8) from " (buyers.len()) " buyers. "
            "Under the Procurement Act 2023 (s.69) a contracting authority publishes, for each six-month period, "
            "how promptly it paid its invoices: these notices are read from the pipeline's OCDS sources and are not opportunities "
            "(docs/hub.md, Payments compliance)." }
        (table_html(&shown, Some("/hub/payments-compliance"), &|_| None))
    };
    Ok(Page {
        title: "Supply chain hub: payments compliance".into(),
        body,
        tables: vec![t],
        meta: json!({
            "notices": pipe.payments_compliance.len(),
            "buyers": buyers.len(),
        }),
    }
    .respond(Fmt::of_path(uri.path()), &v, q.table.as_deref()))
}

fn flag(x: Option<bool>) -> &'static str {
    match x {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not said",
    }
}

/// `/hub/opportunities/{ocid}`: one opportunity and its ranked local suppliers.
pub async fn opportunity(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    Query(q): Query<HubQuery>,
) -> AppResult<Response> {
    let snap = st.snap();
    let id = strip_ext(&raw);
    let pipe = st.hub.pipeline(&st.cfg).await;
    let ops = st.hub.opportunities(&st.cfg, &pipe, &snap);
    let i = ops
        .iter()
        .position(|o| o.id == id)
        .ok_or_else(|| AppError::not_found(format!("opportunity `{id}`")))?;
    let o = &ops[i];
    let who = Audience::of(&v, &snap);
    let lists = st.hub.shortlists(&snap, &ops, who, st.cfg.hub.top).await;
    let ms: Vec<_> = lists
        .iter()
        .find(|(k, _)| *k == i)
        .map(|(_, m)| m.clone())
        .unwrap_or_default();
    let op_table = rows_table(
        "opportunity",
        "Opportunity",
        "opportunity",
        output::opportunities(std::slice::from_ref(o)),
    );
    let mt = rows_table(
        "matches",
        "Matches",
        "local supplier shortlisted",
        output::matches(&ops, &[(i, ms.clone())]),
    );
    let shown = columns(
        &mt,
        &[
            "supplier", "rank", "score", "location", "sme", "vcse", "reasons",
        ],
    );
    let cpv: Vec<String> = o
        .cpv
        .iter()
        .map(|c| format!("{c} {}", c.label().unwrap_or("")))
        .collect();
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
    let body = html! {
        (hub_nav())
        dl.facts {
            dt { "Id" } dd { (o.id) }
            dt { "Buyer" } dd { (o.buyer) @if let Some(a) = &o.anchor { " (the network's anchor " (a) ")" } }
            dt { "Category" } dd { (cpv.join("; ")) @if let Some(c) = &o.category { " " (c) } }
            dt { "Value" } dd { (o.value.map(|p| p.to_pounds_string()).unwrap_or_else(|| "not published".into())) @if let Some(b) = o.value_basis { " (" (b) ")" } }
            dt { "Stage" } dd { (o.stage) @if let Some(s) = &o.status { " · status " (s) } @if let Some(p) = &o.procedure { " · " (p) } }
            dt { "Tender" } dd { "comes to market " (date(o.to_market)) " · bids due " (date(o.tender_end)) }
            dt { "Contract" } dd { (date(o.contract_start)) " to " (date(o.contract_end)) @if let Some(m) = o.max_extent { " (" (m) " with every extension)" } }
            dt { "Suitable for" } dd { "SMEs: " (flag(o.sme_suitable)) " · VCSEs: " (flag(o.vcse_suitable)) }
            dt { "Incumbent" } dd { @if o.incumbents.is_empty() { "—" } @else { (o.incumbent_names()) } }
            @if !o.lots.is_empty() { dt { "Lots" } dd { (o.lots.join("; ")) } }
            @if let Some(u) = &o.url { dt { "Notice" } dd { (u) } }
        }
        @if let Some(d) = &o.description { p { (d) } }
        h2 { "Local suppliers who could bid" }
        p.note { "Ranked with the reasons (docs/hub.md, Matching): a shortlist to invite, not a judgement of capability. "
            @match who {
                Audience::Full => { "What the network buys from each supplier is read from every anchor's payments." }
                Audience::Member(_) => { "What the network buys from each supplier is read from your anchor's payments only: another anchor's payments are not shown." }
                Audience::Public => { "Payment-level data is not shown to network viewers: the shortlist holds past award winners only." }
            } }
        (table_html(&shown, Some(&format!("/hub/opportunities/{}", segment(&o.id))), &|k| {
            let s = ms[k].supplier;
            may_see(&v, &snap, s).then(|| format!("/hub/suppliers/{}", snap.suppliers[s as usize].key))
        }))
    };
    Ok(Page {
        title: if o.title.is_empty() {
            o.id.clone()
        } else {
            o.title.clone()
        },
        body,
        tables: vec![op_table, mt],
        meta: json!({"id": o.id, "anchor": o.anchor, "matches": ms.len()}),
    }
    .respond(Fmt::of_path(uri.path()), &v, q.table.as_deref()))
}

/// `/hub/suppliers/{supplier}`: a local supplier and the opportunities that fit it.
pub async fn supplier(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    Query(q): Query<HubQuery>,
) -> AppResult<Response> {
    let snap = st.snap();
    let key = strip_ext(&raw);
    let s = *snap
        .by_key
        .get(key)
        .ok_or_else(|| AppError::not_found(format!("supplier `{key}`")))?;
    if !may_see(&v, &snap, s) {
        return Err(AppError::not_found(format!("supplier `{key}`")));
    }
    let info = &snap.prepared.dataset.suppliers[s as usize];
    let pipe = st.hub.pipeline(&st.cfg).await;
    let ops = st.hub.opportunities(&st.cfg, &pipe, &snap);
    let who = Audience::of(&v, &snap);
    let lists = st.hub.shortlists(&snap, &ops, who, st.cfg.hub.top).await;
    // Each opportunity it is shortlisted for, with the shortlist down to it (so its rank
    // is kept), best score first.
    let mut fits: Vec<(usize, Vec<anchornet_hub::matching::Match>)> = lists
        .iter()
        .filter_map(|(i, ms)| {
            let k = ms.iter().position(|m| m.supplier == s)?;
            Some((*i, ms[..=k].to_vec()))
        })
        .collect();
    fits.sort_by(|a, b| {
        let (x, y) = (
            a.1.last().map_or(0.0, |m| m.score),
            b.1.last().map_or(0.0, |m| m.score),
        );
        y.total_cmp(&x).then(a.0.cmp(&b.0))
    });
    let (head, rows) = output::matches(&ops, &fits);
    // Only the rows about this supplier (the last of each shortlist given).
    let mut keep = Vec::new();
    let mut at = 0;
    for (_, ms) in &fits {
        at += ms.len();
        keep.push(rows[at - 1].clone());
    }
    let t = rows_table("fits", "Opportunities", "opportunity it fits", (head, keep));
    let shown = columns(
        &t,
        &[
            "title",
            "buyer",
            "anchor",
            "value_gbp",
            "contract_end",
            "rank",
            "score",
            "reasons",
        ],
    );
    let l = info.location.as_ref();
    let body = html! {
        (hub_nav())
        dl.facts {
            dt { "Supplier" } dd { a href=(format!("/suppliers/{key}")) { (info.name) } }
            dt { "Located" } dd { @match l { Some(l) => { (l.postcode) ", " (l.lad_name) (if l.local { " — local" } else { " — outside the place" }) } None => { "not located" } } }
            dt { "SME" } dd { (flag(info.sme)) } dt { "VCSE" } dd { (flag(info.vcse)) }
        }
        p { (fits.len()) " opportunities on whose shortlist (top " (st.cfg.hub.top) ") it is." }
        @if l.is_none_or(|l| !l.local) { p.note { "Only suppliers located in the place are matched." } }
        (table_html(&shown, Some(&format!("/hub/suppliers/{key}")), &|k| Some(format!("/hub/opportunities/{}", segment(&ops[fits[k].0].id)))))
    };
    Ok(Page {
        title: format!("{}: opportunities that fit", info.name),
        body,
        tables: vec![t],
        meta: json!({"id": key, "opportunities": fits.len()}),
    }
    .respond(Fmt::of_path(uri.path()), &v, q.table.as_deref()))
}

/// Whether every anchor's part of a demand row may be shown to `who` (each part is a cell
/// of the scope × year × category cube).
fn row_shown(snap: &Snapshot, who: Audience, r: &DemandRow) -> bool {
    let ds = &snap.prepared.dataset;
    r.anchors.iter().all(|p| {
        let a = ds
            .anchors
            .iter()
            .position(|x| x.name == p.anchor)
            .map(|i| i as u16);
        let fy = p.fy.parse().ok();
        a.is_some()
            && fy.is_some()
            && snap
                .published
                .shown(who, a, fy, category_index(snap, &p.category))
    })
}

/// `/hub/demand`: aggregated demand.
pub async fn demand_page(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<HubQuery>,
) -> AppResult<Response> {
    let snap = st.snap();
    let bands = st.cfg.hub.bands().map_err(AppError::internal)?;
    let from = q.from()?;
    let pipe = st.hub.pipeline(&st.cfg).await;
    let ops = st.hub.opportunities(&st.cfg, &pipe, &snap);
    let rule = LotRule::default();
    let h = &st.cfg.hub;
    let rows = demand::demand(
        &snap.analysis,
        &ops,
        from,
        &bands,
        &rule,
        h.min_anchors,
        h.with_unlocated,
    );
    let who = Audience::of(&v, &snap);
    // Rows whose every part may be shown first, in the CLI's order; the others last, by
    // key, with their figures suppressed (their place among the others would bound them).
    let (mut rows, mut hidden): (Vec<DemandRow>, Vec<DemandRow>) =
        rows.into_iter().partition(|r| row_shown(&snap, who, r));
    hidden.sort_by(|a, b| a.key.cmp(&b.key));
    let n_shown = rows.len();
    rows.extend(hidden);
    let mut t = rows_table(
        "demand",
        "Aggregated demand",
        "category several anchors buy from outside the place",
        output::demand(&rows, &rule),
    );
    let public = [
        "category",
        "key",
        "anchors",
        "contracts_ending",
        "first_end",
        "last_end",
    ];
    let open: Vec<bool> = t
        .columns
        .iter()
        .map(|c| public.contains(&c.name.as_str()))
        .collect();
    for r in t.rows.iter_mut().skip(n_shown) {
        for (c, &o) in r.iter_mut().zip(&open) {
            if !o {
                *c = txt(SUPPRESSED);
            }
        }
    }
    let years = demand::years_taken(&snap.analysis);
    let shown = columns(
        &t,
        &[
            "category",
            "anchors",
            "leaked_gbp",
            "pooled_gbp",
            "first_end",
            "start_by",
            "suggestion",
        ],
    );
    let body = html! {
        (hub_nav())
        p { (t.rows.len()) " spend categories in which " (h.min_anchors) " or more anchors "
            (if h.with_unlocated { "pay suppliers not known to be local" } else { "buy from suppliers outside the place" })
            ", one year of each anchor ("
            (years.iter().map(|(k, y)| format!("{k} {y}")).collect::<Vec<_>>().join(", "))
            "); contract ends from " (from) ". Lots are sized so that a small or micro business can meet the turnover a buyer may ask (docs/hub.md)." }
        @if n_shown < t.rows.len() { p.note { (t.rows.len() - n_shown) " categories have figures from too few suppliers or payments to show to you; they are listed last." } }
        (table_html(&shown, Some("/hub/demand"), &|_| None))
    };
    Ok(Page {
        title: "Supply chain hub: aggregated demand".into(),
        body,
        tables: vec![t],
        meta: json!({
            "from": from.to_string(),
            "min_anchors": h.min_anchors,
            "with_unlocated": h.with_unlocated,
            "years": years,
            "categories": rows.len(),
            "suppressed": rows.len() - n_shown,
        }),
    }
    .respond(Fmt::of_path(uri.path()), &v, q.table.as_deref()))
}

/// `/hub/pack.xlsx`: the meet-the-buyer pack — the workbook `anchornet hub pack` writes
/// (`anchornet_hub::output::pack_xlsx`): the opportunities with at least one local supplier
/// to invite, the suppliers to invite, and the matches, over the viewer's shortlists (the
/// same as on `/hub/opportunities/{ocid}`), with the calendar's filters (`anchor`,
/// `anchors_only`, `cpv`, `band`, `min_value`, `max_value`).
pub async fn pack(
    Signed(v): Signed,
    State(st): State<AppState>,
    Query(q): Query<HubQuery>,
) -> AppResult<Response> {
    use axum::http::{header, HeaderValue};
    use axum::response::IntoResponse;
    let snap = st.snap();
    let bands = st.cfg.hub.bands().map_err(AppError::internal)?;
    let filter = q.filter(&snap, &bands)?;
    let pipe = st.hub.pipeline(&st.cfg).await;
    let ops = st.hub.opportunities(&st.cfg, &pipe, &snap);
    let who = Audience::of(&v, &snap);
    let lists = st.hub.shortlists(&snap, &ops, who, st.cfg.hub.top).await;
    // The pack is for opportunities someone can be invited to: those with a shortlist.
    let kept: Vec<(usize, Vec<anchornet_hub::matching::Match>)> = lists
        .iter()
        .filter(|(i, ms)| !ms.is_empty() && filter.keeps(&ops[*i]))
        .cloned()
        .collect();
    let ops2 = ops.clone();
    let bytes = tokio::task::spawn_blocking(move || output::pack_xlsx(&ops2, &kept))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let mut r = bytes.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"meet-the-buyer.xlsx\""),
    );
    Ok(r)
}
