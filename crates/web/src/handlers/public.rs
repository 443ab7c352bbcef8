//! `/public` and `/public/categories`: the published view, no sign-in. Aggregates only, each
//! figure suppressed when it is made from fewer than five suppliers or ten payments (see
//! [`crate::privacy`]); no supplier is named, so no individual can be.

use anchornet_report::tables::{Cell, Table};
use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use maud::html;
use serde_json::json;

use super::{year_options, year_text, Filter};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::page::{select, table, table_html, txt, Fmt, Page};
use crate::privacy::{counts, counts_by, publishable, secondary, SUPPRESSED};
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

fn suppressed_row(first: Vec<Cell>, n: usize) -> Vec<Cell> {
    let mut r = first;
    while r.len() < n {
        r.push(txt(SUPPRESSED));
    }
    r
}

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
            if !publishable(counts(ds, |t| t.fy == y && a.is_none_or(|a| a == t.anchor))) {
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
        p.note { "Figures made from fewer than 5 suppliers or 10 payments are shown as “suppressed”. No supplier is named here." }
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
    let ds = &snap.prepared.dataset;
    let year = f.year_or_latest(&snap)?;
    let mut cs: Vec<_> = snap
        .analysis
        .categories
        .iter()
        .filter(|c| c.scope.is_network() && c.fy == year)
        .collect();
    cs.sort_by(|a, b| {
        b.figures
            .influenceable
            .pence
            .cmp(&a.figures.influenceable.pence)
            .then(a.category.cmp(&b.category))
    });
    let index: std::collections::HashMap<&str, u32> = ds
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as u32))
        .collect();
    let by_cat = counts_by(ds, |t| year.is_none_or(|y| y == t.fy), |t| t.category);
    let primary: Vec<bool> = cs
        .iter()
        .map(|c| {
            let n = index
                .get(c.category.as_str())
                .and_then(|ci| by_cat.get(ci))
                .copied()
                .unwrap_or_default();
            !publishable(n)
        })
        .collect();
    let sizes: Vec<i64> = cs.iter().map(|c| c.figures.total.pence).collect();
    let hide = secondary(&sizes, &primary);
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
        p.note { (hide.iter().filter(|h| **h).count()) " of " (cs.len()) " categories suppressed (fewer than 5 suppliers or 10 payments, or hidden so that one cannot be worked out from the others)." }
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
