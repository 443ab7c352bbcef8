//! `/anchors`, `/anchors/{anchor}` and `/anchors/{anchor}/payments`: an anchor's figures,
//! and its payments for those allowed to see them (admins, and the anchor's own members).

use anchornet_report::tables::{Cell, Table};
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::Response;
use maud::html;
use serde_json::json;

use super::{category_index, figures_table, suppressed_row, Filter};
use crate::auth::Signed;
use crate::error::{AppError, AppResult};
use crate::page::{strip_ext, table, table_html, txt, Fmt, Page};
use crate::privacy::Audience;
use crate::snapshot::Snapshot;
use crate::state::AppState;

/// Rows per HTML page of payments.
pub const PAGE_ROWS: usize = 100;

/// `/anchors`.
pub async fn list(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    let snap = st.snap();
    let mut t = table(
        "anchors",
        "Anchors",
        "anchor",
        &[
            ("anchor", "Anchor name."),
            ("kind", "Kind of institution."),
            ("payments", "Payments in live batches, all years."),
            ("total_gbp", "Every accepted payment, all years."),
            ("influenceable_gbp", "Influenceable spend, all years."),
            ("local_pct", "Local share of influenceable spend."),
        ],
    );
    let who = Audience::of(&v, &snap);
    for (i, a) in snap.anchors.iter().enumerate() {
        let fig = snap.all_years.get(i + 1).map(|x| &x.1);
        if !snap.published.shown(who, Some(i as u16), None, None) {
            t.rows.push(suppressed_row(
                vec![txt(a.name.clone()), txt(a.kind.clone())],
                6,
            ));
            continue;
        }
        t.rows.push(vec![
            txt(a.name.clone()),
            txt(a.kind.clone()),
            Cell::Int(fig.map_or(0, |f| f.total.rows as i64)),
            Cell::Money(fig.map_or(0, |f| f.total.pence)),
            Cell::Money(fig.map_or(0, |f| f.influenceable.pence)),
            Cell::Pct(fig.and_then(|f| f.local.of_all())),
        ]);
    }
    let body = table_html(&t, Some("/anchors"), &|i| {
        Some(format!("/anchors/{}", snap.anchors[i].id))
    });
    Ok(Page {
        title: "Anchors".into(),
        body,
        tables: vec![t],
        meta: json!({}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}

fn anchor_of(snap: &Snapshot, raw: &str) -> AppResult<(i64, u16)> {
    let id: i64 = strip_ext(raw)
        .parse()
        .map_err(|_| AppError::not_found(format!("anchor `{raw}`")))?;
    let i = snap
        .anchor_index(id)
        .ok_or_else(|| AppError::not_found(format!("anchor {id}")))?;
    Ok((id, i))
}

/// Payments as a table; `idx` are txn indices.
pub fn payments_table(snap: &Snapshot, idx: &[u32]) -> Table {
    let ds = &snap.prepared.dataset;
    let mut t = table(
        "payments",
        "Payments",
        "payment",
        &[
            ("date", "Payment date."),
            ("anchor", "Paying anchor."),
            ("supplier", "Supplier as written in the file."),
            ("amount_gbp", "Amount (net where the file gives net)."),
            ("category", "Category analysed under."),
            (
                "excluded_by",
                "The influenceable-spend rule that excluded it, if any.",
            ),
            ("description", "Description, where the file gives one."),
            ("transaction_id", "Transaction or document id."),
            ("source_file", "The file it came from."),
            ("line", "Line in that file."),
        ],
    );
    for &i in idx {
        let (tx, p) = (&ds.txns[i as usize], &snap.prepared.payments[i as usize]);
        t.rows.push(vec![
            txt(p.date.to_string()),
            txt(p.anchor.clone()),
            txt(if p.redacted {
                "(withheld by the anchor)".to_string()
            } else {
                p.supplier_name.clone()
            }),
            Cell::Money(tx.pence),
            txt(ds.categories[tx.category as usize].clone()),
            txt(tx
                .excluded_by
                .map(|r| ds.rules[r as usize].id.clone())
                .unwrap_or_default()),
            txt(p.description.clone().unwrap_or_default()),
            txt(p.transaction_id.clone().unwrap_or_default()),
            txt(p.source_file.clone()),
            Cell::Int(p.line as i64),
        ]);
    }
    t
}

/// `/anchors/{anchor}`.
pub async fn show(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    let snap = st.snap();
    let ds = &snap.prepared.dataset;
    let (id, i) = anchor_of(&snap, &raw)?;
    let name = &ds.anchors[i as usize].name;
    let who = Audience::of(&v, &snap);
    let rows: Vec<(String, String, Option<&anchornet_metrics::Figures>)> = snap
        .analysis
        .figures
        .iter()
        .filter(|x| x.scope == name.as_str())
        .map(|x| {
            let shown = snap.published.shown(who, Some(i), x.fy, None);
            (
                x.scope.to_string(),
                super::year_text(x.fy),
                shown.then_some(&x.figures),
            )
        })
        .collect();
    let figs = figures_table(&rows);
    let latest = snap
        .years_desc()
        .into_iter()
        .find(|y| snap.analysis.get(name, &y.to_string()).is_some());
    let mut cats = table(
        "categories",
        "Categories",
        "category",
        &[
            ("category", "Category."),
            ("year", "Financial year."),
            ("influenceable_gbp", "Influenceable spend."),
            ("local_pct", "Local share."),
            ("suppliers", "Suppliers."),
        ],
    );
    let mut cs: Vec<_> = snap
        .analysis
        .categories
        .iter()
        .filter(|c| c.scope == name.as_str() && c.fy == latest)
        .collect();
    // Largest first; suppressed ones last, by name (their place among the others would
    // bound their size).
    let hidden = |c: &&anchornet_metrics::analysis::CategoryFigures| {
        !snap
            .published
            .shown(who, Some(i), c.fy, category_index(&snap, &c.category))
    };
    cs.sort_by_cached_key(|c| {
        let h = hidden(c);
        (
            h,
            std::cmp::Reverse(if h { 0 } else { c.figures.influenceable.pence }),
            c.category.clone(),
        )
    });
    for c in cs.iter().take(30) {
        if hidden(c) {
            cats.rows.push(suppressed_row(
                vec![txt(c.category.clone()), txt(super::year_text(c.fy))],
                5,
            ));
            continue;
        }
        cats.rows.push(vec![
            txt(c.category.clone()),
            txt(super::year_text(c.fy)),
            Cell::Money(c.figures.influenceable.pence),
            Cell::Pct(c.figures.local.of_all()),
            Cell::Int(c.figures.concentration.suppliers as i64),
        ]);
    }
    let mut tables = vec![figs, cats];
    let rows_ok = v.sees_rows_of(id);
    if rows_ok {
        v.audit_rows_of(
            &st,
            id,
            &format!("largest payments of {name} ({})", uri.path()),
        )
        .await?;
        let idx = snap.largest.get(i as usize).map_or(&[][..], Vec::as_slice);
        let mut t = payments_table(&snap, idx);
        t.file = "largest_payments";
        t.about = "payment (the 50 largest)";
        tables.push(t);
    }
    let body = html! {
        p { (ds.anchors[i as usize].kind) " · " a href=(format!("/overview?anchor={id}")) { "filter the overview to this anchor" } }
        h2 { "Figures by year" }
        (table_html(&tables[0], Some(&format!("/anchors/{id}")), &|_| None))
        h2 { "Largest categories, " (super::year_text(latest)) }
        (table_html(&tables[1], None, &|_| None))
        @if rows_ok {
            h2 { "Largest payments" }
            (table_html(&tables[2], None, &|_| None))
            p { a href=(format!("/anchors/{id}/payments")) { "Every payment" } " (with CSV and JSON downloads)" }
        } @else {
            p.note { "Payment-level data of this anchor is visible to its own members and to network admins." }
        }
    };
    Ok(Page {
        title: name.clone(),
        body,
        tables,
        meta: json!({"anchor_id": id}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}

/// `/anchors/{anchor}/payments`: row-level, the anchor's members and admins only. The
/// twins give every payment and are recorded in the audit log as exports.
pub async fn payments(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    let snap = st.snap();
    let ds = &snap.prepared.dataset;
    let (id, i) = anchor_of(&snap, &raw)?;
    if !v.sees_rows_of(id) {
        return Err(AppError::forbidden("Payment-level data of this anchor is visible to its own members and to network admins."));
    }
    let year = f.year()?;
    let idx: Vec<u32> = (0..ds.txns.len() as u32)
        .filter(|&k| {
            ds.txns[k as usize].anchor == i && year.is_none_or(|y| ds.txns[k as usize].fy == y)
        })
        .collect();
    let fmt = Fmt::of_path(uri.path());
    let name = ds.anchors[i as usize].name.clone();
    let page = f.page.unwrap_or(1).max(1);
    let shown: Vec<u32> = if fmt == Fmt::Html {
        v.audit_rows_of(
            &st,
            id,
            &format!("payments of {name} ({}, page {page})", uri.path()),
        )
        .await?;
        idx.iter()
            .skip((page - 1) * PAGE_ROWS)
            .take(PAGE_ROWS)
            .copied()
            .collect()
    } else {
        st.store
            .audit(
                &v.name(),
                "export",
                &format!("{} payments of {name} ({})", idx.len(), uri.path()),
            )
            .await?;
        idx.clone()
    };
    let t = payments_table(&snap, &shown);
    let pages = idx.len().div_ceil(PAGE_ROWS).max(1);
    let body = html! {
        p { (idx.len()) " payments" @if let Some(y) = year { " in " (y) } ". Page " (page) " of " (pages) "." }
        (table_html(&t, Some(&format!("/anchors/{id}/payments")), &|_| None))
        p {
            @if page > 1 { a href=(format!("?page={}{}", page - 1, f.year.as_ref().map(|y| format!("&year={y}")).unwrap_or_default())) { "← previous" } " " }
            @if page < pages { a href=(format!("?page={}{}", page + 1, f.year.as_ref().map(|y| format!("&year={y}")).unwrap_or_default())) { "next →" } }
        }
    };
    Ok(Page {
        title: format!("{name}: payments"),
        body,
        tables: vec![t],
        meta: json!({"anchor_id": id, "payments": idx.len()}),
    }
    .respond(fmt, &v, f.table.as_deref()))
}
