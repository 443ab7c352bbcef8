//! `/` and `/overview`: the network's figures, filterable by year, anchor and category.
//! Outside a member's own anchor, a figure is shown only where the suppression pattern
//! ([`crate::privacy`]) publishes it, whatever the filters: no filter narrows a figure to one
//! supplier's payments.

use anchornet_metrics::{Figures, Scope};
use anchornet_report::svg::{share_chart, ShareRow};
use axum::extract::{OriginalUri, Query, State};
use axum::response::{Redirect, Response};
use maud::html;
use serde_json::json;

use super::{anchor_options, figures_table, year_options, year_text, Filter};
use crate::auth::{Signed, Viewer};
use crate::error::AppResult;
use crate::page::{select, svg, table_html, Fmt, Page};
use crate::privacy::Audience;
use crate::state::AppState;

/// `/`: the overview for a signed-in user, the published view otherwise.
pub async fn root(v: Viewer) -> Redirect {
    Redirect::to(if v.user.is_some() {
        "/overview"
    } else {
        "/public"
    })
}

/// `/overview`.
pub async fn overview(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    let snap = st.snap();
    let ds = &snap.prepared.dataset;
    let year = f.year()?;
    let anchor = f.anchor(&snap)?;
    let category = f.category(&snap)?;
    let ytext = year_text(year);
    // Unfiltered figures come from the snapshot; a category filter is computed here.
    let figures = |a: Option<u16>| -> Figures {
        let name = a.map_or(anchornet_report::NETWORK.to_string(), |i| {
            ds.anchors[i as usize].name.clone()
        });
        match (category, year) {
            (None, Some(y)) => snap
                .analysis
                .get(&name, &y.to_string())
                .cloned()
                .unwrap_or_default(),
            (None, None) => snap
                .all_years
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, f)| f.clone())
                .unwrap_or_default(),
            (Some(c), _) => Figures::compute(
                ds,
                &Scope {
                    anchor: a,
                    fy: year,
                    category: Some(c),
                },
            ),
        }
    };
    let who = Audience::of(&v, &snap);
    let shown = |a: Option<u16>| snap.published.shown(who, a, year, category);
    let mut rows: Vec<(String, Option<Figures>)> = Vec::new();
    let scopes: Vec<Option<u16>> = match anchor {
        Some((_, i)) => vec![Some(i)],
        None => std::iter::once(None)
            .chain((0..ds.anchors.len()).map(|i| Some(i as u16)))
            .collect(),
    };
    for a in scopes {
        let name = a.map_or(anchornet_metrics::NETWORK.to_string(), |i| {
            ds.anchors[i as usize].name.clone()
        });
        rows.push((name, shown(a).then(|| figures(a))));
    }
    let t = figures_table(
        &rows
            .iter()
            .map(|(n, f)| (n.clone(), ytext.clone(), f.as_ref()))
            .collect::<Vec<_>>(),
    );
    let head = rows[0].1.as_ref();
    let chart = share_chart(
        "Local share of influenceable spend",
        &rows
            .iter()
            .filter_map(|(n, f)| {
                f.as_ref().map(|f| ShareRow {
                    label: n.clone(),
                    share: &f.local,
                })
            })
            .collect::<Vec<_>>(),
    );
    let money = |f: fn(&Figures) -> String| head.map_or(crate::privacy::SUPPRESSED.to_string(), f);
    let cats: Vec<(String, String)> = ds
        .categories
        .iter()
        .map(|c| (c.clone(), c.clone()))
        .collect();
    let body = html! {
        form.filters method="get" action="/overview" {
            (select("year", "Year", &year_options(&snap), f.year.as_deref()))
            (select("anchor", "Anchor", &anchor_options(&snap), f.anchor.as_deref()))
            (select("category", "Category", &cats, f.category.as_deref()))
            button type="submit" { "Show" }
        }
        div.cards {
            div.card { div.big { (money(|h| anchornet_report::fmt::short_money(h.influenceable.pence))) } div.lab { "influenceable spend, " (ytext) } }
            div.card { div.big { (money(|h| anchornet_report::fmt::pct(h.local.of_all()))) } div.lab { "local (" (snap.prepared.local.name) "), coverage " (money(|h| anchornet_report::fmt::pct(h.local.coverage()))) } }
            div.card { div.big { (money(|h| anchornet_report::fmt::pct(h.deprived.share.of_all()))) } div.lab { "in the most deprived 20% of neighbourhoods" } }
            div.card { div.big { (money(|h| anchornet_report::fmt::group(h.total.rows))) } div.lab { "payments" } }
        }
        figure { (svg(chart)) }
        (table_html(&t, Some("/overview"), &|i| {
            match anchor { None if i > 0 => Some(format!("/anchors/{}", snap.anchors[i - 1].id)), _ => None }
        }))
        @if rows.iter().any(|r| r.1.is_none()) {
            p.note { "“suppressed”: made from fewer than " (snap.published.thresholds.min_suppliers) " suppliers or " (snap.published.thresholds.min_payments) " payments, or hidden so that such a figure cannot be worked out by subtraction." }
        }
        p.note { "Analysis built from " (snap.prepared.payments.len()) " payments in live import batches (version " (snap.version) "). "
            "Shares are of all influenceable spend; unknowns count as not passing. Methodology: docs/methodology." }
        p.note { "Supply chain hub: " a href="/hub" { "the anchors' pipeline calendar" } ", each opportunity's local suppliers, and "
            a href="/hub/demand" { "aggregated demand" } "." }
    };
    Ok(Page {
        title: format!("{} — overview", ds.network.name),
        body,
        tables: vec![t],
        meta: json!({"network": ds.network.name, "year": ytext, "anchor": anchor.map(|a| a.0), "category": f.category, "version": snap.version}),
    }
    .respond(Fmt::of_path(uri_path(&uri)), &v, f.table.as_deref()))
}

pub(crate) fn uri_path(uri: &axum::http::Uri) -> &str {
    uri.path()
}
