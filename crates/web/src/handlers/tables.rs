//! `/categories` and `/leakage`: the network's (or an anchor's) spend by category, and
//! where it leaks out of the place.

use anchornet_report::tables::Cell;
use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use maud::html;
use serde_json::json;

use super::{anchor_options, category_index, suppressed_row, year_options, year_text, Filter};
use crate::auth::Signed;
use crate::error::AppResult;
use crate::page::{select, svg, table, table_html, txt, Fmt, Page};
use crate::privacy::Audience;
use crate::state::AppState;

/// `/categories`.
pub async fn categories(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    let snap = st.snap();
    let ds = &snap.prepared.dataset;
    let year = f.year_or_latest(&snap)?;
    let who = Audience::of(&v, &snap);
    let anchor = f.anchor(&snap)?.map(|a| a.1);
    let scope = match anchor {
        Some(i) => anchornet_metrics::ScopeName::Anchor(ds.anchors[i as usize].name.clone()),
        None => anchornet_metrics::ScopeName::Network,
    };
    let mut t = table(
        "categories",
        "Categories",
        "category",
        &[
            (
                "category",
                "Category (procurement category, else expense type, else code).",
            ),
            ("payments", "Payments."),
            ("total_gbp", "Every payment."),
            ("influenceable_gbp", "Influenceable spend."),
            ("local_gbp", "Influenceable spend with local suppliers."),
            ("local_pct", "Local share of influenceable spend."),
            (
                "deprived_pct",
                "Share in the most deprived 20% of neighbourhoods.",
            ),
            ("sme_pct", "SME share."),
            ("vcse_pct", "VCSE share."),
            ("suppliers", "Distinct suppliers."),
        ],
    );
    let mut cs: Vec<_> = snap
        .analysis
        .categories
        .iter()
        .filter(|c| c.scope == scope && c.fy == year)
        .collect();
    let hidden = |c: &&anchornet_metrics::analysis::CategoryFigures| {
        !snap
            .published
            .shown(who, anchor, year, category_index(&snap, &c.category))
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
    for c in &cs {
        let g = &c.figures;
        if hidden(c) {
            t.rows
                .push(suppressed_row(vec![txt(c.category.clone())], 10));
            continue;
        }
        t.rows.push(vec![
            txt(c.category.clone()),
            Cell::Int(g.total.rows as i64),
            Cell::Money(g.total.pence),
            Cell::Money(g.influenceable.pence),
            Cell::Money(g.local.matched),
            Cell::Pct(g.local.of_all()),
            Cell::Pct(g.deprived.share.of_all()),
            Cell::Pct(g.sme.of_all()),
            Cell::Pct(g.vcse.of_all()),
            Cell::Int(g.concentration.suppliers as i64),
        ]);
    }
    let body = html! {
        form.filters method="get" action="/categories" {
            (select("year", "Year", &year_options(&snap), year.map(|y| y.to_string()).as_deref()))
            (select("anchor", "Anchor", &anchor_options(&snap), f.anchor.as_deref()))
            button type="submit" { "Show" }
        }
        p { (scope.as_str()) ", " (year_text(year)) ": " (cs.len()) " categories." }
        (table_html(&t, Some("/categories"), &|i| Some(format!("/overview?category={}{}", crate::page::urlencode(&cs[i].category), year.map(|y| format!("&year={}", crate::page::urlencode(&y.to_string()))).unwrap_or_default()))))
    };
    Ok(Page {
        title: "Spend by category".into(),
        body,
        tables: vec![t],
        meta: json!({"scope": scope, "year": year_text(year)}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}

/// `/leakage`.
pub async fn leakage(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    let snap = st.snap();
    let who = Audience::of(&v, &snap);
    let year = f.year_or_latest(&snap)?;
    let ytext = year_text(year);
    let rows = snap
        .analysis
        .leakage
        .iter()
        .find(|l| l.fy == ytext)
        .map(|l| l.rows.clone())
        .unwrap_or_default();
    let mut hidden = Vec::new();
    let mut t = table(
        "leakage",
        "Leakage",
        "category",
        &[
            ("category", "Category."),
            ("influenceable_gbp", "Influenceable spend."),
            ("local_gbp", "With suppliers in the local place."),
            ("leaked_gbp", "With suppliers located outside the place."),
            ("not_located_gbp", "With suppliers not located."),
            (
                "local_suppliers",
                "Local suppliers already paid in this category.",
            ),
            (
                "largest_local_suppliers",
                "The largest of them (could win more).",
            ),
        ],
    );
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| {
            let shown = snap
                .published
                .shown(who, None, year, category_index(&snap, &r.category));
            if !shown {
                hidden.push(r.category.clone());
            }
            shown
        })
        .collect();
    for r in &rows {
        t.rows.push(vec![
            txt(r.category.clone()),
            Cell::Money(r.influenceable),
            Cell::Money(r.local),
            Cell::Money(r.leaked),
            Cell::Money(r.unknown),
            Cell::Int(r.local_supplier_count as i64),
            txt(r
                .local_suppliers
                .iter()
                .take(5)
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join("; ")),
        ]);
    }
    for c in &hidden {
        t.rows.push(suppressed_row(vec![txt(c.clone())], 7));
    }
    let chart = anchornet_report::svg::leakage_chart(
        &format!("Where influenceable spend goes, {ytext}"),
        &rows[..rows.len().min(20)],
    );
    let body = html! {
        form.filters method="get" action="/leakage" {
            (select("year", "Year", &year_options(&snap), year.map(|y| y.to_string()).as_deref()))
            button type="submit" { "Show" }
        }
        figure { (svg(chart)) }
        (table_html(&t, Some("/leakage"), &|_| None))
    };
    Ok(Page {
        title: format!("Leakage from {}", snap.prepared.local.name),
        body,
        tables: vec![t],
        meta: json!({"year": ytext}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}
