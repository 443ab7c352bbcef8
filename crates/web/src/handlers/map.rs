//! `/map`: where the network's influenceable spend lands, by 2021 LSOA over deprivation
//! deciles (the report's map, drawn server-side as SVG).

use anchornet_report::tables::Cell;
use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use maud::html;
use serde_json::json;

use super::Filter;
use crate::auth::Signed;
use crate::error::AppResult;
use crate::page::{svg, table, table_html, txt, Fmt, Page};
use crate::state::AppState;

/// `/map`.
pub async fn map(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    let snap = st.snap();
    let mut t = table(
        "areas",
        "Areas",
        "LSOA with spend",
        &[
            ("lsoa", "LSOA 2021 code."),
            ("name", "LSOA name."),
            ("decile", "Deprivation decile (1 = most deprived 10%)."),
            (
                "influenceable_gbp",
                "Influenceable spend with suppliers located there.",
            ),
        ],
    );
    let body = match &snap.map {
        Some(m) => {
            let mut areas: Vec<_> = m
                .areas
                .iter()
                .filter_map(|a| m.spend.get(&a.code).map(|p| (a, *p)))
                .collect();
            areas.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.code.cmp(&b.0.code)));
            for (a, p) in &areas {
                t.rows.push(vec![
                    txt(a.code.clone()),
                    txt(a.name.clone()),
                    a.decile.map_or(txt(""), |d| Cell::Int(d as i64)),
                    Cell::Money(*p),
                ]);
            }
            html! {
                figure.map { (svg(anchornet_report::map::svg(m))) }
                p.note { "Elsewhere: " (anchornet_report::fmt::money(m.elsewhere_pence)) " · not located: " (anchornet_report::fmt::money(m.unlocated_pence)) }
                (table_html(&t, Some("/map"), &|_| None))
            }
        }
        None => html! { p { "No map yet: import payments first." } },
    };
    Ok(Page {
        title: "Map of spend over deprivation".into(),
        body,
        tables: vec![t],
        meta: json!({}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}
