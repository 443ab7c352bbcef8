//! `/public` and `/public/categories`: the published view, no sign-in. Aggregates only, each
//! figure suppressed when it is made from fewer than five suppliers or ten payments, or when
//! it would let a suppressed one be worked out by subtraction (see [`crate::privacy`]: the
//! same pattern as viewers see everywhere); no supplier is named, so no individual can be.

use anchornet_report::tables::{Cell, Table};
use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use maud::html;
use serde_json::json;

use super::{category_index, suppressed_row, year_options, year_text, Filter};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::page::{select, table, table_html, txt, Fmt, Page};
use crate::privacy::Audience;
use crate::state::AppState;

fn published(st: &AppState) -> AppResult<()> {
    if st.cfg.web.publish {
        Ok(())
    } else {
        Err(AppError::not_found("The published view"))
    }
}

const COLS: [(&str, &str); 8] = [
    ("year", "Financial year."),
    ("total_gbp", "Every payment."),
    ("influenceable_gbp", "Influenceable spend."),
    (
        "local_pct",
        "Share of influenceable spend with local suppliers.",
    ),
    ("wider_pct", "Share with suppliers in the wider place."),
    (
        "deprived_pct",
        "Share in the most deprived 20% of neighbourhoods.",
    ),
    ("sme_pct", "Share with SMEs."),
    ("vcse_pct", "Share with the social economy."),
];

/// `/public`.
pub async fn overview(
    v: Viewer,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    published(&st)?;
    let snap = st.snap();
    let ds = &snap.prepared.dataset;
    let mut tables: Vec<Table> = Vec::new();
    let mut scopes: Vec<(String, Option<u16>)> = vec![(anchornet_metrics::NETWORK.into(), None)];
    scopes.extend(
        ds.anchors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.name.clone(), Some(i as u16))),
    );
    let mut t = table(
        "headline",
        "Headline",
        "scope and year",
        &[&[("scope", "The network or an anchor.")][..], &COLS[..]].concat(),
    );
    for (name, a) in &scopes {
        for y in snap.years_desc() {
            let Some(fg) = snap.analysis.get(name, &y.to_string()) else {
                continue;
            };
            let first = vec![txt(name.clone()), txt(y.to_string())];
            if !snap.published.shown(Audience::Public, *a, Some(y), None) {
                t.rows.push(suppressed_row(first, COLS.len() + 1));
                continue;
            }
            let mut r = first;
            r.extend([
                Cell::Money(fg.total.pence),
                Cell::Money(fg.influenceable.pence),
                Cell::Pct(fg.local.of_all()),
                Cell::Pct(fg.wider.of_all()),
                Cell::Pct(fg.deprived.share.of_all()),
                Cell::Pct(fg.sme.of_all()),
                Cell::Pct(fg.vcse.of_all()),
            ]);
            t.rows.push(r);
        }
    }
    tables.push(t);
    let body = html! {
        p { "The published figures of " strong { (ds.network.name) } ": how much of the anchors' influenceable spend goes to suppliers in "
            (snap.prepared.local.name) ", in the wider place, in the most deprived neighbourhoods, to SMEs and to the social economy." }
        p.note { "Figures made from fewer than " (snap.published.thresholds.min_suppliers) " suppliers or " (snap.published.thresholds.min_payments) " payments are shown as “suppressed”, and so are those that would let one be worked out by subtraction (from this or any other table). No supplier is named here." }
        (table_html(&tables[0], Some("/public"), &|_| None))
        p { a href="/public/categories" { "By category" } }
    };
    Ok(Page {
        title: format!("{} — published figures", ds.network.name),
        body,
        tables,
        meta: json!({"network": ds.network.name}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}

/// `/public/categories`.
pub async fn categories(
    v: Viewer,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    published(&st)?;
    let snap = st.snap();
    let year = f.year_or_latest(&snap)?;
    let mut cs: Vec<_> = snap
        .analysis
        .categories
        .iter()
        .filter(|c| c.scope.is_network() && c.fy == year)
        .collect();
    let hidden = |c: &&anchornet_metrics::analysis::CategoryFigures| {
        !snap.published.shown(
            Audience::Public,
            None,
            year,
            category_index(&snap, &c.category),
        )
    };
    // Largest first; suppressed ones last, by name (their place among the others would
    // bound their size).
    cs.sort_by_cached_key(|c| {
        let h = hidden(c);
        (
            h,
            std::cmp::Reverse(if h { 0 } else { c.figures.influenceable.pence }),
            c.category.clone(),
        )
    });
    let hide: Vec<bool> = cs.iter().map(hidden).collect();
    let mut t = table(
        "categories",
        "Categories",
        "category",
        &[
            ("category", "Category."),
            ("year", "Financial year."),
            ("total_gbp", "Every payment."),
            ("influenceable_gbp", "Influenceable spend."),
            ("local_pct", "Local share."),
            ("deprived_pct", "Deprived-area share."),
            ("sme_pct", "SME share."),
            ("vcse_pct", "VCSE share."),
        ],
    );
    for (c, h) in cs.iter().zip(&hide) {
        let first = vec![txt(c.category.clone()), txt(year_text(year))];
        if *h {
            t.rows.push(suppressed_row(first, 8));
        } else {
            let g = &c.figures;
            let mut r = first;
            r.extend([
                Cell::Money(g.total.pence),
                Cell::Money(g.influenceable.pence),
                Cell::Pct(g.local.of_all()),
                Cell::Pct(g.deprived.share.of_all()),
                Cell::Pct(g.sme.of_all()),
                Cell::Pct(g.vcse.of_all()),
            ]);
            t.rows.push(r);
        }
    }
    let body = html! {
        form.filters method="get" action="/public/categories" {
            (select("year", "Year", &year_options(&snap), year.map(|y| y.to_string()).as_deref()))
            button { "Show" }
        }
        p.note { (hide.iter().filter(|h| **h).count()) " of " (cs.len()) " categories suppressed (fewer than " (snap.published.thresholds.min_suppliers) " suppliers or " (snap.published.thresholds.min_payments) " payments, or hidden so that one cannot be worked out from the others)." }
        (table_html(&t, Some("/public/categories"), &|_| None))
    };
    Ok(Page {
        title: "Published figures by category".into(),
        body,
        tables: vec![t],
        meta: json!({"year": year_text(year)}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}
