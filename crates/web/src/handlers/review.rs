//! `/review`: the supplier review queue — the questions of
//! [`anchornet_suppliers::review`]: the resolver's own uncertain links, locations that rest
//! on a registered office or a weak register link, and individuals known from their name
//! alone, each asked only where it moves influenceable spend, largest first.
//!
//! A decision (confirm or reject, with a note) goes into the store's overrides table, is
//! audited, and the analysis is rebuilt with it applied — as the same typed decision the
//! command line reads from an overrides file (`/review/overrides.csv` is that file).

use anchornet_report::tables::Cell;
use anchornet_store::Override;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use super::Filter;
use crate::auth::Signed;
use crate::error::{AppError, AppResult};
use crate::page::{table, txt, Fmt, Page};
use crate::state::AppState;

/// `/review`.
pub async fn queue(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    v.require_admin()?;
    let snap = st.snap();
    let ds = &snap.prepared.dataset;
    let items = &snap.questions[..];
    let mut t = table(
        "queue",
        "Review queue",
        "undecided item",
        &[
            ("kind", "link, location or individual."),
            ("subject", "What the decision is about (a supplier name)."),
            (
                "entity",
                "What it is judged against (for a link, the other name).",
            ),
            ("supplier", "The supplier entity."),
            ("question", "What to check."),
            ("gbp", "Spend at stake."),
        ],
    );
    for i in items {
        t.rows.push(vec![
            txt(i.topic.label()),
            txt(i.subject.clone()),
            txt(i.entity.clone()),
            txt(ds.suppliers[i.supplier as usize].name.clone()),
            txt(i.text.clone()),
            Cell::Money(i.pence),
        ]);
    }
    let mut d = table(
        "decisions",
        "Decisions",
        "decision",
        &[
            ("kind", "Kind."),
            ("subject", "Subject."),
            ("decision", "confirm or reject."),
            ("note", "Note."),
            ("by", "Who."),
        ],
    );
    for o in &snap.overrides {
        d.rows.push(vec![
            txt(o.kind.clone()),
            txt(o.subject.clone()),
            txt(o.decision.clone()),
            txt(o.note.clone()),
            txt(o.decided_by.clone()),
        ]);
    }
    let body = html! {
        p { (items.len()) " items to review, largest spend first. A decision is applied to the analysis at once and kept in the overrides." }
        table data-table="queue" {
            thead { tr { th { "Question" } th.n { "£" } th { "Decision" } } }
            tbody { @for i in items.iter().take(100) { tr {
                td { a href=(format!("/suppliers/{}", snap.suppliers[i.supplier as usize].key)) { (i.text) } }
                td.n { (anchornet_report::fmt::money(i.pence)) }
                td { form.inline method="post" action="/review" {
                    input type="hidden" name="csrf" value=(v.csrf);
                    input type="hidden" name="kind" value=(i.topic.label());
                    input type="hidden" name="subject" value=(i.subject);
                    input type="hidden" name="entity" value=(i.entity);
                    input type="text" name="note" placeholder="note" size="14";
                    button name="decision" value="confirm" { "Confirm" } " "
                    button name="decision" value="reject" { "Reject" }
                } }
            } } }
        }
        p.note { a href="/review.csv" { "CSV" } " · " a href="/review.json" { "JSON" } }
        h2 { "Decisions" }
        (crate::page::table_html(&d, None, &|_| None))
    };
    Ok(Page {
        title: "Supplier review".into(),
        body,
        tables: vec![t, d],
        meta: json!({"items": items.len()}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}

/// A decision.
#[derive(Deserialize)]
pub struct Decision {
    csrf: String,
    kind: String,
    subject: String,
    decision: String,
    #[serde(default)]
    note: String,
    /// The supplier the subject is judged against (for a link: the other name).
    #[serde(default)]
    entity: String,
}

/// `POST /review`.
pub async fn decide(
    Signed(v): Signed,
    State(st): State<AppState>,
    Form(d): Form<Decision>,
) -> AppResult<Response> {
    v.require_admin()?;
    v.check_csrf(&d.csrf)?;
    if d.subject.trim().is_empty() {
        return Err(AppError::bad_request("nothing to decide about"));
    }
    // A supplier may be named by its key (as in its URL): decisions name suppliers by name,
    // so that the overrides file the command line reads says the same thing.
    let (subject, entity) = {
        let snap = st.snap();
        match snap.by_key.get(d.subject.trim()) {
            Some(&i) if d.kind != "link" => {
                let name = snap.prepared.dataset.suppliers[i as usize].name.clone();
                (name.clone(), name)
            }
            _ => (d.subject.trim().to_string(), d.entity.trim().to_string()),
        }
    };
    st.store
        .set_override(&Override {
            kind: d.kind,
            subject,
            decision: d.decision,
            note: d.note.chars().take(500).collect(),
            decided_by: v.name(),
            decided_at: anchornet_store::now(),
            entity: entity.chars().take(500).collect(),
            value: String::new(),
        })
        .await?;
    st.rebuild().await.map_err(AppError::internal)?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/review")]).into_response())
}

/// `/review/overrides.csv`: every decision as the overrides file that `anchornet analyse
/// --overrides` and `anchornet suppliers --overrides` read, so the command line applies
/// exactly what the workspace decided.
pub async fn overrides_csv(Signed(v): Signed, State(st): State<AppState>) -> AppResult<Response> {
    v.require_admin()?;
    let snap = st.snap();
    let text = crate::snapshot::decisions_of(&snap.overrides).to_csv();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"overrides.csv\"",
            ),
        ],
        text,
    )
        .into_response())
}
