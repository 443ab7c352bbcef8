//! `/workforce`: the fair-work measures per anchor and for the network — staff living in the
//! place and in the most deprived neighbourhoods, paid below the Real Living Wage and the
//! National Living Wage with the gap, new hires from deprived neighbourhoods against the
//! target — from the workspace's anonymised extracts (`[workforce] extracts`), by
//! [`anchornet_workforce::metrics::run`], the same function as `anchornet workforce`. The
//! page and its twins show only the published table: nothing from fewer than 10 people,
//! and nothing a member could work out from their own anchor's figures (docs/employment.md).
//! The issues report names postcodes, so it is not shown: only each file's reconciliation.

use std::path::{Path, PathBuf};

use anchornet_core::fy::FinancialYear;
use anchornet_report::tables::{Cell, Table};
use anchornet_workforce::extract::ExtractReport;
use anchornet_workforce::{metrics, rates::Rates};
use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use maud::{html, Markup};
use serde_json::json;

use super::Filter;
use crate::auth::{Signed, Viewer};
use crate::error::{AppError, AppResult};
use crate::page::{table, table_html, Fmt, Page};
use crate::state::AppState;

/// The files a `[workforce]` list names (relative to the workspace; directories and patterns
/// expanded as the CLI's inputs are), or why they could not be listed.
pub(crate) fn files_of(st: &AppState, list: &[String]) -> Result<Vec<PathBuf>, String> {
    let paths: Vec<String> = list.iter().map(|p| st.cfg.path(p)).collect();
    anchornet_ingest::input::expand(&paths).map_err(|e| format!("{}: {}", e.name, e.message))
}

/// A file's name as the page shows it: relative to the workspace (no server paths).
pub(crate) fn shown_name(st: &AppState, file: &str) -> String {
    Path::new(file)
        .strip_prefix(&st.cfg.dir)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| file.to_string())
}

/// Each file's reconciliation — rows read = accepted + rejected + blank — for admins. Others
/// see only which files were read: a file's row count is one anchor's headcount when the
/// file is one anchor's, and with the network's total it could give a suppressed anchor's
/// figure away (909 read − 600 − 300 shown = 9).
pub(crate) fn files_table(st: &AppState, reports: &[ExtractReport], full: bool) -> Table {
    let mut cols = vec![(
        "file",
        "The file (or file and sheet), relative to the workspace.",
    )];
    if full {
        cols.extend([
            ("rows_read", "Data rows read."),
            ("accepted", "Rows accepted."),
            ("rejected", "Rows rejected (each in the issues report)."),
            ("blank", "Blank rows skipped."),
        ]);
    }
    cols.push(("error", "Why the file could not be used, if it could not."));
    let mut t = table("files", "Files", "file (or sheet) read", &cols);
    for r in reports {
        let mut row = vec![Cell::Text(shown_name(st, &r.file))];
        if full {
            row.extend([
                Cell::Int(r.rows_read as i64),
                Cell::Int(r.accepted as i64),
                Cell::Int(r.rejected as i64),
                Cell::Int(r.blank as i64),
            ]);
        }
        row.push(Cell::Text(r.error.clone().unwrap_or_default()));
        t.rows.push(row);
    }
    t
}

/// What the signed-in viewer is told about their own anchor's row.
pub(crate) fn own_anchor_note(v: &Viewer, scopes: &[&str]) -> Markup {
    html! {
        @if let Some(a) = &v.anchor_name {
            @if scopes.contains(&a.as_str()) {
                p.note { "Your anchor, " (a) ", has a row here; the other anchors' rows and the totals are the published figures everyone signed in sees." }
            } @else {
                p.note { "Your anchor, " (a) ", has no row here (no data names it)." }
            }
        }
    }
}

/// What one request measured.
struct Measured {
    run: metrics::Run,
    place: String,
    deprivation: anchornet_geo::Deprivation,
}

/// `/workforce`.
pub async fn workforce(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    let w = st.cfg.workforce.clone();
    let mut notes: Vec<String> = Vec::new();
    let measured = match (w.extracts.is_empty(), w.year) {
        (false, Some(year)) => {
            let files = files_of(&st, &w.extracts);
            let net = st.cfg.network(&st.snap().anchors);
            let geo = st.geo.clone();
            let w2 = w.clone();
            let m = tokio::task::spawn_blocking(move || -> Result<Measured, String> {
                let files = files?;
                let (local, _, _) =
                    anchornet_network::places_and_rules(&net, &geo).map_err(|e| e.to_string())?;
                let rates = Rates::bundled().map_err(|e| e.to_string())?;
                let cx = metrics::Context {
                    geo: &geo,
                    place: &local,
                    deprivation: net.deprivation,
                    rates: &rates,
                    rlw_area: w2.rlw_area.clone(),
                    year: FinancialYear(year),
                    hire_target: w2.hire_target_pct / 100.0,
                };
                let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
                let run = metrics::run(&cx, &paths).map_err(|e| e.to_string())?;
                Ok(Measured {
                    run,
                    place: local.name.clone(),
                    deprivation: net.deprivation,
                })
            })
            .await
            .map_err(AppError::internal)?;
            match m {
                Ok(m) => Some(m),
                Err(e) => {
                    eprintln!("anchornet-web: workforce: {e}");
                    notes.push(format!("The workforce extracts could not be measured: {e}"));
                    None
                }
            }
        }
        _ => {
            notes.push(
                "This workspace names no workforce extracts: list them under [workforce] extracts (with year) in anchornet.toml."
                    .into(),
            );
            None
        }
    };
    let rows = measured
        .as_ref()
        .map(|m| m.run.table.clone())
        .unwrap_or_default();
    let main = metrics::report_table(&rows);
    let files = files_table(
        &st,
        measured.as_ref().map_or(&[][..], |m| &m.run.reports),
        v.is_admin(),
    );
    let snap = st.snap();
    let known: Vec<&str> = snap.anchors.iter().map(|a| a.name.as_str()).collect();
    let scopes: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.first().map(metrics::Cell::text))
        .collect();
    for s in &scopes {
        if *s != metrics::NETWORK && !known.contains(s) {
            notes.push(format!(
                "The extracts name {s:?}, which is not one of the workspace's anchors: its posts are counted under that name."
            ));
        }
    }
    let year_label = w
        .year
        .map(|y| FinancialYear(y).to_string())
        .unwrap_or_default();
    let rejected: u64 = measured
        .as_ref()
        .map_or(0, |m| m.run.reports.iter().map(|r| r.rejected).sum());
    let body = html! {
        @if let Some(m) = &measured {
            p { (year_label) ": National Living Wage £" (anchornet_core::Pence(m.run.measures.nlw)) " (age " (m.run.measures.nlw_age) "+), Real Living Wage (" (w.rlw_area) ") £" (anchornet_core::Pence(m.run.measures.rlw))
                "; the place: " (m.place) "; deprivation: " (m.deprivation.label())
                "; new-hire target " (w.hire_target_pct) "% from deciles 1–2." }
        }
        (own_anchor_note(&v, &scopes))
        (table_html(&main, Some("/workforce"), &|_| None))
        p.note { b { "[c]" } " marks a figure that is not shown: drawn from fewer than " (metrics::MIN_PEOPLE)
            " people, or hidden as well so that a hidden one cannot be worked out by subtracting the anchors shown from the network — by anyone, or by an anchor that knows its own figures. "
            "The same table as " code { "anchornet workforce" } " writes (docs/employment.md)." }
        h2 { "Files" }
        (table_html(&files, Some("/workforce"), &|_| None))
        @if rejected > 0 && v.is_admin() {
            p.note { (rejected) " rows were rejected. The issues report names postcodes, so it stays with the anchors: "
                code { "anchornet workforce" } " writes it." }
        }
        @if !notes.is_empty() {
            h2 { "Notes" }
            ul { @for n in &notes { li { (n) } } }
        }
    };
    let meta = json!({
        "year": year_label,
        "rlw_area": w.rlw_area,
        "hire_target_pct": w.hire_target_pct,
        "min_people": metrics::MIN_PEOPLE,
        "suppressed": "[c]",
        "nlw_gbp": measured.as_ref().map(|m| anchornet_core::Pence(m.run.measures.nlw).to_string()),
        "nlw_age": measured.as_ref().map(|m| m.run.measures.nlw_age),
        "rlw_gbp": measured.as_ref().map(|m| anchornet_core::Pence(m.run.measures.rlw).to_string()),
        "place": measured.as_ref().map(|m| m.place.clone()),
        "notes": notes,
    });
    Ok(Page {
        title: "Workforce".into(),
        body,
        tables: vec![main, files],
        meta,
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}
