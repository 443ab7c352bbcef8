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
    // Anyone but an admin sees the suppressed map (see `privacy::PublicMap`).
    let public = (!v.is_admin())
        .then_some(snap.public_map.as_ref())
        .flatten();
    let map = match public {
        Some(p) => Some(&p.map),
        None => snap.map.as_ref(),
    };
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
    let body = match map {
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
            let hidden = public.map_or(&[][..], |p| &p.hidden[..]);
            for code in hidden {
                let a = m.areas.iter().find(|a| &a.code == code);
                t.rows.push(vec![
                    txt(code.clone()),
                    txt(a.map(|a| a.name.clone()).unwrap_or_default()),
                    a.and_then(|a| a.decile)
                        .map_or(txt(""), |d| Cell::Int(d as i64)),
                    txt(crate::privacy::SUPPRESSED),
                ]);
            }
            let shown = |hide: bool, p: i64| {
                if hide {
                    crate::privacy::SUPPRESSED.to_string()
                } else {
                    anchornet_report::fmt::money(p)
                }
            };
            html! {
                figure.map { (svg(anchornet_report::map::svg(m))) }
                p.note { "Elsewhere: " (shown(public.is_some_and(|p| p.elsewhere_hidden), m.elsewhere_pence)) " · not located: " (shown(public.is_some_and(|p| p.unlocated_hidden), m.unlocated_pence))
                    @if !hidden.is_empty() { " · " (hidden.len()) " areas suppressed (fewer than " (snap.published.thresholds.min_suppliers) " suppliers or " (snap.published.thresholds.min_payments) " payments, or hidden so that such a figure cannot be worked out), drawn as without spend" } }
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
