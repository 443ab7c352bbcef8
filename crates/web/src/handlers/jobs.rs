//! `/jobs`: the jobs pathway funnel — referred → interviewed → offered → started → in post
//! at 6 months — per programme and anchor, from the workspace's anonymised funnel events
//! (`[workforce] funnel`), by [`anchornet_workforce::funnel::run`], the same function as
//! `anchornet jobs funnel`: its CSV twin is `funnel.csv` byte for byte. Only the published
//! table is shown (no count of fewer than 10 people, none recoverable by subtraction); the
//! issues report names candidates' references, so it is not shown.

use std::path::{Path, PathBuf};

use anchornet_workforce::funnel::{self, ALL_ANCHORS, MIN_PEOPLE, SUPPRESSED};
use anchornet_workforce::funnel_report;
use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use maud::html;
use serde_json::json;

use super::workforce::{files_of, files_table, own_anchor_note};
use super::Filter;
use crate::auth::Signed;
use crate::error::{AppError, AppResult};
use crate::page::{table_html, Fmt, Page};
use crate::state::AppState;

/// `/jobs`.
pub async fn funnel_page(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    let w = st.cfg.workforce.clone();
    let mut notes: Vec<String> = Vec::new();
    let run = if w.funnel.is_empty() {
        notes.push(
            "This workspace names no jobs pathway events: list them under [workforce] funnel in anchornet.toml."
                .into(),
        );
        None
    } else {
        // Checked when the workspace was loaded.
        let as_at = w.as_at().map_err(AppError::internal)?;
        let files = files_of(&st, &w.funnel);
        let network = st.cfg.name.clone();
        let anchors: Vec<String> = st.snap().anchors.iter().map(|a| a.name.clone()).collect();
        let r = tokio::task::spawn_blocking(move || -> Result<funnel::Run, String> {
            let files = files?;
            let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
            let names = funnel::NetworkNames {
                name: &network,
                anchors: anchors.iter().map(String::as_str).collect(),
            };
            Ok(funnel::run(&paths, as_at, Some(&names)))
        })
        .await
        .map_err(AppError::internal)?;
        match r {
            Ok(r) => Some(r),
            Err(e) => {
                eprintln!("anchornet-web: jobs: {e}");
                notes.push(format!("The funnel events could not be read: {e}"));
                None
            }
        }
    };
    let rows = run.as_ref().map(|r| r.table.clone()).unwrap_or_default();
    let main = funnel_report::csv_table(&rows);
    let files = files_table(
        &st,
        run.as_ref().map_or(&[][..], |r| &r.reports),
        v.is_admin(),
    );
    let scopes: Vec<String> = rows.iter().map(|r| r[1].text()).collect();
    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
    let (rejected, warnings) = run.as_ref().map_or((0, 0), |r| {
        (
            r.reports.iter().map(|f| f.rejected).sum::<u64>(),
            r.issues
                .iter()
                .filter(|i| i.outcome == anchornet_ingest::Outcome::Warning)
                .count(),
        )
    });
    let as_at = run
        .as_ref()
        .and_then(|r| r.funnel.as_at)
        .map(|d| d.to_string());
    let programmes: Vec<&str> = run
        .as_ref()
        .map(|r| {
            r.funnel
                .programmes
                .iter()
                .map(|(p, _, _)| p.as_str())
                .collect()
        })
        .unwrap_or_default();
    let body = html! {
        p { "Referred → interviewed → offered → started → in post at 6 months, per programme and anchor; “" (ALL_ANCHORS) "” is a programme's total. "
            @if let Some(d) = &as_at { "As at " (d) "." } }
        @if !programmes.is_empty() {
            p { (programmes.len()) " programme" @if programmes.len() != 1 { "s" } ": " (programmes.join(", ")) "." }
        }
        (own_anchor_note(&v, &scopes))
        (table_html(&main, Some("/jobs"), &|_| None))
        p.note { b { (SUPPRESSED) } " marks a figure that is not shown: a count of fewer than " (MIN_PEOPLE)
            " people (zero included), a rate from such a count, a median from fewer than " (MIN_PEOPLE)
            " journeys — or a count hidden as well so that a hidden one cannot be worked out by subtracting the anchors shown from the total, by anyone or by an anchor that knows its own figures. "
            "The same table as " code { "anchornet jobs funnel" } " writes (funnel.csv; docs/methodology/jobs-funnel.md)." }
        h2 { "Files" }
        (table_html(&files, Some("/jobs"), &|_| None))
        @if v.is_admin() && (rejected > 0 || warnings > 0) {
            p.note { (rejected) " rows rejected, " (warnings) " warnings. The issues report names candidates' references, so it stays with the programme: "
                code { "anchornet jobs funnel" } " writes it." }
        }
        @if !notes.is_empty() {
            h2 { "Notes" }
            ul { @for n in &notes { li { (n) } } }
        }
    };
    let meta = json!({
        "as_at": as_at,
        "min_people": MIN_PEOPLE,
        "suppressed": SUPPRESSED,
        "programmes": programmes,
        "rejected": v.is_admin().then_some(rejected),
        "warnings": v.is_admin().then_some(warnings),
        "notes": notes,
    });
    Ok(Page {
        title: "Jobs pathway".into(),
        body,
        tables: vec![main, files],
        meta,
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}
