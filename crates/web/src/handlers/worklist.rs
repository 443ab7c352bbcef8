//! `/review/worklist`: the coverage worklist of [`anchornet_suppliers::worklist`] — every
//! supplier with influenceable spend that is not located or whose size or kind is unknown,
//! largest first, with the evidence already found and the decision that would accept it.
//!
//! A decision (one row's form, or a whole worklist CSV filled in offline and uploaded) is an
//! overrides-file action kept in the store's overrides with who and when, audited, and
//! applied to the analysis at once — the same typed decision `anchornet suppliers
//! --overrides` reads (`/review/overrides.csv` writes them all). The page says how much of
//! the top suppliers' spend is located, so coverage is seen rising as the work is done.

use anchornet_store::Override;
use anchornet_suppliers::worklist::Worklist;
use axum::extract::{Multipart, OriginalUri, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use super::Filter;
use crate::auth::{Signed, Viewer};
use crate::error::{AppError, AppResult};
use crate::page::{table, txt, Fmt, Page};
use crate::state::AppState;

/// What each column of the worklist means (the CSV twin is the file to fill in and upload).
const MEANINGS: [&str; 14] = [
    "Your decision: set-postcode, set-sme, set-kind, set-company-number, not-local, … or accept (take the suggestion).",
    "The supplier.",
    "The decision's value (the postcode, yes/no, the kind).",
    "Your note.",
    "Rank by influenceable spend.",
    "The supplier's key (as in its URL).",
    "Influenceable spend with it, in pence.",
    "What is not known: location, size, kind.",
    "Kind of body.",
    "Size by PPN 001.",
    "Every name it was paid under.",
    "The decision the evidence suggests.",
    "Its value.",
    "The evidence found so far.",
];

/// `/review/worklist`.
pub async fn list(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    v.require_admin()?;
    let snap = st.snap();
    let reg = &snap.prepared.register;
    let w = &snap.worklist;
    let cols: Vec<(&str, &str)> = Worklist::HEADER.iter().copied().zip(MEANINGS).collect();
    let mut t = table("worklist", "Worklist", "supplier to complete", &cols);
    let rows: Vec<Vec<String>> = w.rows(reg).collect();
    t.rows = rows
        .iter()
        .map(|r| r.iter().map(|c| txt(c.clone())).collect())
        .collect();
    let body = html! {
        p { (w.coverage.sentence()) "." }
        p { (w.items.len()) " suppliers to complete, largest influenceable spend first. "
            "A decision is applied to the analysis at once and kept with the review decisions; "
            "download the CSV to work offline, write an action on the rows you settle (or "
            code { "accept" } " to take the suggestion), and upload it below." }
        table data-table="worklist" {
            thead { tr { th { "Supplier" } th.n { "£" } th { "Missing" } th { "Evidence" } th { "Decision" } } }
            tbody { @for (it, row) in w.items.iter().zip(&rows).take(100) { tr {
                td { a href=(format!("/suppliers/{}", row[5])) { (row[1]) } }
                td.n { (anchornet_report::fmt::money(it.pence)) }
                td { (row[7]) }
                td { (row[13]) }
                td { form.inline method="post" action="/review/worklist" {
                    input type="hidden" name="csrf" value=(v.csrf);
                    input type="hidden" name="name" value=(row[1]);
                    select name="action" {
                        @if !row[11].is_empty() { option value=(row[11]) { (row[11]) " (suggested)" } }
                        @for m in &it.missing { option value=(m.action()) { (m.action()) } }
                        option value="set-company-number" { "set-company-number" }
                        option value="not-local" { "not-local" }
                    }
                    input type="text" name="value" value=(row[12]) placeholder="value" size="10";
                    input type="text" name="note" placeholder="note" size="12";
                    button { "Save" }
                } }
            } } }
        }
        p.note { a href="/review/worklist.csv" { "CSV (to fill in)" } " · " a href="/review/worklist.json" { "JSON" } }
        h2 { "Upload a filled-in worklist" }
        form.upload method="post" action="/review/worklist/import" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(v.csrf);
            input type="file" name="file" accept=".csv,text/csv";
            button { "Apply decisions" }
        }
    };
    Ok(Page {
        title: "Supplier worklist".into(),
        body,
        tables: vec![t],
        meta: json!({"items": w.items.len(), "coverage": w.coverage}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}

/// One decision from the page.
#[derive(Deserialize)]
pub struct Decision {
    csrf: String,
    action: String,
    name: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    note: String,
}

/// Store one worklist decision, checked as the overrides file's reader checks it.
async fn store(
    st: &AppState,
    v: &Viewer,
    action: &str,
    name: &str,
    value: &str,
    note: &str,
) -> AppResult<()> {
    let action = action.trim().to_ascii_lowercase().replace('_', "-");
    anchornet_suppliers::decisions::parse_action(&action, name.trim(), value.trim())
        .map_err(AppError::bad_request)?;
    st.store
        .set_override(&Override {
            kind: action,
            subject: name.trim().chars().take(500).collect(),
            decision: "set".into(),
            value: value.trim().chars().take(500).collect(),
            note: note.chars().take(500).collect(),
            decided_by: v.name(),
            decided_at: anchornet_store::now(),
            entity: String::new(),
        })
        .await?;
    Ok(())
}

/// `POST /review/worklist`.
pub async fn decide(
    Signed(v): Signed,
    State(st): State<AppState>,
    Form(d): Form<Decision>,
) -> AppResult<Response> {
    v.require_admin()?;
    v.check_csrf(&d.csrf)?;
    if d.name.trim().is_empty() {
        return Err(AppError::bad_request("name a supplier"));
    }
    store(&st, &v, &d.action, &d.name, &d.value, &d.note).await?;
    st.rebuild().await.map_err(AppError::internal)?;
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, "/review/worklist")],
    )
        .into_response())
}

/// `POST /review/worklist/import` (multipart: `csrf`, `file`): a worklist CSV (or any
/// overrides file) filled in offline. Every row with an action is stored as a decision;
/// rows that cannot be read are listed with their line and reason, and nothing else is lost.
pub async fn import(
    Signed(v): Signed,
    State(st): State<AppState>,
    mut mp: Multipart,
) -> AppResult<Response> {
    v.require_admin()?;
    let (_, file) = super::read_upload(&mut mp, &v, "worklist.csv").await?;
    let (name, bytes) = file.ok_or_else(|| AppError::bad_request("choose a file to upload"))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| AppError::bad_request(format!("{name}: not UTF-8 text ({e})")))?;
    let decisions = anchornet_suppliers::Decisions::parse(text, &name)
        .map_err(|e| AppError::bad_request(format!("{name}: {e}")))?;
    let mut stored = 0;
    for d in &decisions.items {
        let (action, subject, value) = d.row();
        let note = match &d.origin {
            anchornet_suppliers::Origin::File { note, .. } => note.clone(),
            anchornet_suppliers::Origin::Review { note, .. } => note.clone(),
        };
        store(&st, &v, &action, &subject, &value, &note).await?;
        stored += 1;
    }
    if stored > 0 {
        st.rebuild().await.map_err(AppError::internal)?;
    }
    let snap = st.snap();
    let mut t = table(
        "not_used",
        "Rows not used",
        "row not used",
        &[
            ("line", "Line in the file."),
            ("value", "Value."),
            ("problem", "Why."),
        ],
    );
    t.rows = decisions
        .issues
        .iter()
        .map(|i| {
            vec![
                txt(i.line.to_string()),
                txt(i.value.clone()),
                txt(i.problem.clone()),
            ]
        })
        .collect();
    let body = html! {
        p { (stored) " decisions from " code { (name) } " applied. " (snap.worklist.coverage.sentence()) "." }
        @if !decisions.issues.is_empty() {
            h2 { (decisions.issues.len()) " rows not used" }
            (crate::page::table_html(&t, None, &|_| None))
        }
        p { a href="/review/worklist" { "Back to the worklist" } }
    };
    Ok(Page {
        title: "Worklist decisions".into(),
        body,
        tables: vec![t],
        meta: json!({"applied": stored, "not_used": decisions.issues.len(), "coverage": snap.worklist.coverage}),
    }
    .respond(Fmt::Html, &v, None))
}
