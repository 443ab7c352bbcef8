//! `/imports`: the batches (each with its reconciliation and issues report), upload with
//! progress, and withdrawal. Admins see every anchor's batches; members their own anchor's;
//! viewers none (issue rows quote the files' row-level data).

use anchornet_report::tables::Cell;
use anchornet_store::Batch;
use axum::extract::{Multipart, OriginalUri, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::json;

use super::Filter;
use crate::auth::{Signed, Viewer};
use crate::error::{AppError, AppResult};
use crate::import::Job;
use crate::page::{layout, strip_ext, table, table_html, txt, Fmt, Page};
use crate::state::AppState;

fn require_rows(v: &Viewer) -> AppResult<()> {
    if v.sees_any_rows() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "Imports are for network admins and anchor members.",
        ))
    }
}

/// Unix seconds as `2026-12-07 02:50 UTC`.
pub(crate) fn when(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// `/imports`.
pub async fn list(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    require_rows(&v)?;
    let batches = st
        .store
        .batches(if v.is_admin() {
            None
        } else {
            v.member_anchor()
        })
        .await?;
    let anchors = st.store.anchors().await?;
    let name = |id: i64| {
        anchors
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.name.clone())
            .unwrap_or_default()
    };
    let mut t = table(
        "batches",
        "Batches",
        "import batch",
        &[
            ("batch", "Batch id."),
            ("anchor", "Anchor."),
            ("file", "File as uploaded."),
            ("status", "live, or withdrawn."),
            ("kind", "payments or supplier records."),
            ("rows_read", "Data rows read."),
            ("accepted", "Rows accepted."),
            ("skipped", "Rows skipped (blank, totals, duplicates…)."),
            ("rejected", "Rows rejected."),
            ("total_gbp", "Sum of accepted amounts."),
            ("first_date", "First payment date."),
            ("last_date", "Last payment date."),
            ("imported", "When and by whom."),
        ],
    );
    for b in &batches {
        t.rows.push(vec![
            Cell::Int(b.id),
            txt(name(b.anchor_id)),
            txt(b.file_name.clone()),
            txt(if b.live() { "live" } else { "withdrawn" }),
            txt(b.kind.clone()),
            Cell::Int(b.rows_read),
            Cell::Int(b.accepted),
            Cell::Int(b.skipped),
            Cell::Int(b.rejected),
            Cell::Money(b.total_pence),
            txt(b.first_date.clone().unwrap_or_default()),
            txt(b.last_date.clone().unwrap_or_default()),
            txt(format!("{} by {}", when(b.imported_at), b.imported_by)),
        ]);
    }
    let choices: Vec<_> = anchors.iter().filter(|a| v.sees_rows_of(a.id)).collect();
    let body = html! {
        h2 { "Upload a file" }
        form.upload method="post" action="/imports" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(v.csrf);
            label { "Anchor " select name="anchor" { @for a in &choices { option value=(a.id) { (a.name) } } } }
            label { "File (CSV, XLSX, ODS; .gz, .xz or .zip) " input type="file" name="file" required; }
            button type="submit" { "Import" }
        }
        p.note { "Each file becomes one batch: all of its rows or none. The same file twice is recognised and not imported again. A batch can be withdrawn; its report stays." }
        h2 { "Batches" }
        (table_html(&t, Some("/imports"), &|i| Some(format!("/imports/{}", batches[i].id))))
    };
    Ok(Page {
        title: "Imports".into(),
        body,
        tables: vec![t],
        meta: json!({}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}

/// `POST /imports` (multipart: `csrf`, `anchor`, `file`).
pub async fn upload(
    Signed(v): Signed,
    State(st): State<AppState>,
    mut mp: Multipart,
) -> AppResult<Response> {
    require_rows(&v)?;
    let (fields, file) = super::read_upload(&mut mp, &v, "upload").await?;
    let anchor = fields.get("anchor").cloned().unwrap_or_default();
    let (name, bytes) = file.ok_or_else(|| AppError::bad_request("choose a file to upload"))?;
    if bytes.is_empty() {
        return Err(AppError::bad_request("the file is empty"));
    }
    let id = start(&st, &v, &anchor, &name, bytes.to_vec()).await?;
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/imports/jobs/{id}"))],
    )
        .into_response())
}

/// Check the anchor and start a job.
pub async fn start(
    st: &AppState,
    v: &Viewer,
    anchor: &str,
    name: &str,
    bytes: Vec<u8>,
) -> AppResult<u64> {
    let anchor_id: i64 = anchor
        .trim()
        .parse()
        .map_err(|_| AppError::bad_request("choose an anchor"))?;
    let a = st
        .store
        .anchors()
        .await?
        .into_iter()
        .find(|a| a.id == anchor_id)
        .ok_or_else(|| AppError::not_found(format!("anchor {anchor_id}")))?;
    if !v.sees_rows_of(a.id) {
        return Err(AppError::forbidden(
            "You can import files for your own anchor only.",
        ));
    }
    Ok(crate::import::start(st, a, name, bytes, &v.name()))
}

fn job_of(st: &AppState, v: &Viewer, raw: &str) -> AppResult<Job> {
    let id: u64 = strip_ext(raw)
        .parse()
        .map_err(|_| AppError::not_found("import job"))?;
    let j = st
        .jobs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&id)
        .cloned()
        .ok_or_else(|| AppError::not_found("import job"))?;
    if !v.sees_rows_of(j.anchor_id) {
        return Err(AppError::not_found("import job"));
    }
    Ok(j)
}

fn job_html(j: &Job) -> Markup {
    html! {
        div #job hx-get=[(!j.finished()).then(|| format!("/imports/jobs/{}?partial=1", j.id))] hx-trigger="load delay:500ms" hx-swap="outerHTML" data-stage=(j.stage) {
            p { strong { (j.file_name) } ": " (j.stage)
                @if j.stage == "writing" { " — " (j.written) " of " (j.rows) " rows" }
                @if j.stage == "analysing" { " — rebuilding the analysis" } }
            @if !j.finished() { progress max=(j.rows.max(1)) value=(j.written) {} }
            @if let Some(e) = &j.error { p.warn { "The import failed and nothing was stored: " (e) } }
            @if let Some(b) = j.batch_id { @if j.finished() {
                p { @if j.already_imported { "This file was already imported as " } @else { "Imported as " }
                    a #batch-link href=(format!("/imports/{b}")) { "batch " (b) } "." }
            } }
        }
    }
}

/// Partial page wanted.
#[derive(Deserialize, Default)]
pub struct Partial {
    partial: Option<u8>,
}

/// `/imports/jobs/{job}`: an import's progress (polled by htmx, or by the JSON twin).
pub async fn job(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    Query(p): Query<Partial>,
) -> AppResult<Response> {
    require_rows(&v)?;
    let j = job_of(&st, &v, &raw)?;
    let fmt = Fmt::of_path(uri.path());
    if fmt == Fmt::Html && p.partial == Some(1) {
        return Ok(axum::response::Html(job_html(&j).into_string()).into_response());
    }
    let mut t = table(
        "job",
        "Job",
        "import job",
        &[
            ("job", "Job id."),
            ("file", "File."),
            ("stage", "reading, writing, analysing, done or failed."),
            ("written", "Rows written."),
            ("rows", "Rows to write."),
            ("batch", "Batch id when done."),
        ],
    );
    t.rows.push(vec![
        Cell::Int(j.id as i64),
        txt(j.file_name.clone()),
        txt(j.stage.clone()),
        Cell::Int(j.written as i64),
        Cell::Int(j.rows as i64),
        j.batch_id.map_or(txt(""), Cell::Int),
    ]);
    if fmt == Fmt::Html {
        return Ok(
            axum::response::Html(layout(&v, "Import", job_html(&j)).into_string()).into_response(),
        );
    }
    Ok(Page {
        title: "Import".into(),
        body: html! {},
        tables: vec![t],
        meta: json!({"job": j}),
    }
    .respond(fmt, &v, None))
}

fn batch_for(v: &Viewer, b: Option<Batch>) -> AppResult<Batch> {
    match b {
        Some(b) if v.sees_rows_of(b.anchor_id) => Ok(b),
        _ => Err(AppError::not_found("batch")),
    }
}

/// `/imports/{batch}`: a batch's reconciliation and issues report.
pub async fn show(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Path(raw): Path<String>,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    require_rows(&v)?;
    let id: i64 = strip_ext(&raw)
        .parse()
        .map_err(|_| AppError::not_found("batch"))?;
    let b = batch_for(&v, st.store.batch(id).await?)?;
    let fmt = Fmt::of_path(uri.path());
    v.audit_rows_of(
        &st,
        b.anchor_id,
        &format!("issues of batch {id} ({})", uri.path()),
    )
    .await?;
    let limit = if fmt == Fmt::Html { 500 } else { 1_000_000 };
    let issues = st.store.batch_issues(id, limit, 0).await?;
    let mut files = table(
        "files",
        "Files",
        "table read from the file",
        &[
            ("file", "File (or sheet)."),
            ("format", "How it was read."),
            ("layout", "Header line and columns found."),
            ("rows_read", "Data rows read."),
            ("accepted", "Accepted."),
            ("skipped", "Skipped."),
            ("rejected", "Rejected."),
            ("duplicates", "Of the skipped, duplicates."),
            ("total_gbp", "Sum accepted."),
            ("reconciles", "rows read = accepted + skipped + rejected."),
            ("error", "Why it could not be read."),
        ],
    );
    for r in &b.reports {
        files.rows.push(vec![
            txt(r.file.clone()),
            txt(r.format.clone()),
            txt(r.layout.clone()),
            Cell::Int(r.rows_read as i64),
            Cell::Int(r.accepted as i64),
            Cell::Int(r.skipped as i64),
            Cell::Int(r.rejected as i64),
            Cell::Int(r.duplicates as i64),
            Cell::Money(r.total_pence),
            txt(if r.rows_read == r.accepted + r.skipped + r.rejected {
                "yes"
            } else {
                "NO"
            }),
            txt(r.error.clone().unwrap_or_default()),
        ]);
    }
    let mut it = table(
        "issues",
        "Issues",
        "row not used as is",
        &[
            ("file", "File."),
            ("line", "Line."),
            ("column", "Column."),
            ("value", "Value."),
            ("problem", "What is wrong."),
            ("outcome", "skipped, rejected, warning or file_error."),
        ],
    );
    for i in &issues {
        it.rows.push(vec![
            txt(i.file.clone()),
            Cell::Int(i.line),
            txt(i.column.clone()),
            txt(i.value.clone()),
            txt(i.problem.clone()),
            txt(i.outcome.clone()),
        ]);
    }
    if fmt != Fmt::Html {
        st.store
            .audit(
                &v.name(),
                "export",
                &format!("issues report of batch {id} ({})", uri.path()),
            )
            .await?;
    }
    let body = html! {
        p { "Batch " (b.id) ": " strong { (b.file_name) } " · " (if b.live() { "live" } else { "withdrawn" })
            " · " (b.accepted) " rows accepted of " (b.rows_read) " read (" (b.skipped) " skipped, " (b.rejected) " rejected) · "
            (anchornet_report::fmt::money(b.total_pence)) " · sha256 " code { (b.sha256[..16].to_string()) "…" } }
        @if b.live() {
            form method="post" action=(format!("/imports/{}/withdraw", b.id)) {
                input type="hidden" name="csrf" value=(v.csrf);
                button type="submit" { "Withdraw this batch" }
            }
        } @else { p.note { "Withdrawn by " (b.withdrawn_by.clone().unwrap_or_default()) "; its rows are no longer analysed; this report stays." } }
        h2 { "Reconciliation" }
        (table_html(&files, None, &|_| None))
        h2 { "Issues (" (b.skipped + b.rejected) " rows skipped or rejected)" }
        (table_html(&it, Some(&format!("/imports/{id}")), &|_| None))
    };
    let meta = json!({"batch": b});
    Ok(Page {
        title: format!("Batch {id}"),
        body,
        tables: vec![it, files],
        meta,
    }
    .respond(fmt, &v, f.table.as_deref()))
}

/// A form with only the CSRF token.
#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /imports/{batch}/withdraw`.
pub async fn withdraw(
    Signed(v): Signed,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(fm): Form<CsrfForm>,
) -> AppResult<Response> {
    require_rows(&v)?;
    v.check_csrf(&fm.csrf)?;
    let b = batch_for(&v, st.store.batch(id).await?)?;
    if !st.store.withdraw_batch(b.id, &v.name()).await? {
        return Err(AppError::conflict("That batch was already withdrawn."));
    }
    st.rebuild().await.map_err(AppError::internal)?;
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/imports/{id}"))],
    )
        .into_response())
}
