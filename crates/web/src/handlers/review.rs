//! `/review`: the supplier review queue. Until the resolve stage gives its own confidence,
//! the queue holds what has the least evidence behind it:
//!
//! * **links** — a supplier name that the resolver merged into an entity under another name;
//! * **locations** — located suppliers whose location rests on a single postcode, or on a
//!   registered office (the head-office effect), largest spend first;
//! * **individuals** — suppliers whose name reads like a person's (two or three words, no
//!   company, public body or charity word), to confirm so they are redacted.
//!
//! A decision (confirm or reject, with a note) goes into the store's overrides table, is
//! audited, and the analysis is rebuilt with it applied.

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
use crate::snapshot::Snapshot;
use crate::state::AppState;

/// Words that mark an organisation, not a person.
const ORG_WORDS: [&str; 40] = [
    "ltd",
    "limited",
    "plc",
    "llp",
    "llc",
    "inc",
    "co",
    "company",
    "council",
    "services",
    "service",
    "trust",
    "group",
    "association",
    "society",
    "centre",
    "center",
    "school",
    "college",
    "university",
    "nhs",
    "church",
    "club",
    "partnership",
    "care",
    "homes",
    "home",
    "housing",
    "uk",
    "and",
    "the",
    "of",
    "solutions",
    "cic",
    "charity",
    "foundation",
    "hmrc",
    "authority",
    "bank",
    "fund",
];

/// Whether a name reads like a person's.
pub fn looks_like_person(name: &str) -> bool {
    let w = anchornet_network::rules::words(name);
    (2..=3).contains(&w.len())
        && w.iter()
            .all(|x| x.chars().all(|c| c.is_alphabetic()) && x.len() > 1)
        && !w
            .iter()
            .any(|x| ORG_WORDS.contains(&x.to_lowercase().as_str()))
}

/// One item of the queue.
pub struct Item {
    /// `link`, `location` or `individual`.
    pub kind: &'static str,
    /// What the decision is about.
    pub subject: String,
    /// The supplier entity.
    pub supplier: u32,
    /// What to check.
    pub question: String,
    /// Influenceable pence at stake.
    pub pence: i64,
}

/// The queue: undecided items, largest spend first.
pub fn queue_of(snap: &Snapshot) -> Vec<Item> {
    let ds = &snap.prepared.dataset;
    let decided: std::collections::HashSet<(&str, &str)> = snap
        .overrides
        .iter()
        .map(|o| (o.kind.as_str(), o.subject.as_str()))
        .collect();
    let mut items = Vec::new();
    for (s, info) in ds.suppliers.iter().enumerate() {
        let st = &snap.suppliers[s];
        if st.payments == 0 || info.kind == "redacted" {
            continue;
        }
        for (n, p) in st.names.iter().skip(1) {
            if n.trim() != info.name.trim() && !decided.contains(&("link", n.trim())) {
                items.push(Item {
                    kind: "link",
                    subject: n.trim().to_string(),
                    supplier: s as u32,
                    question: format!("Is `{n}` the same supplier as `{}`?", info.name),
                    pence: *p,
                });
            }
        }
        if let Some(l) = &info.location {
            let single = info
                .evidence
                .iter()
                .filter(|e| e.starts_with("located"))
                .count()
                <= 1;
            if (l.head_office || single)
                && !decided.contains(&("location", st.key.as_str()))
                && st.influenceable > 0
            {
                items.push(Item {
                    kind: "location",
                    subject: st.key.clone(),
                    supplier: s as u32,
                    question: format!(
                        "Is `{}` really at {} ({}, {}), from {}?",
                        info.name,
                        l.postcode,
                        l.lad_name,
                        if l.local { "local" } else { "not local" },
                        l.source
                    ),
                    pence: st.influenceable,
                });
            }
        }
        if !info.individual
            && looks_like_person(&info.name)
            && !decided.contains(&("individual", st.key.as_str()))
        {
            items.push(Item {
                kind: "individual",
                subject: st.key.clone(),
                supplier: s as u32,
                question: format!(
                    "Is `{}` an individual or sole trader (to be redacted)?",
                    info.name
                ),
                pence: st.pence,
            });
        }
    }
    items.sort_by(|a, b| {
        b.pence
            .abs()
            .cmp(&a.pence.abs())
            .then(a.subject.cmp(&b.subject))
    });
    items
}

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
    let items = queue_of(&snap);
    let mut t = table(
        "queue",
        "Review queue",
        "undecided item",
        &[
            ("kind", "link, location or individual."),
            (
                "subject",
                "What the decision is about (a name, or a supplier id).",
            ),
            ("supplier", "The supplier entity."),
            ("question", "What to check."),
            ("gbp", "Spend at stake."),
        ],
    );
    for i in &items {
        t.rows.push(vec![
            txt(i.kind),
            txt(i.subject.clone()),
            txt(ds.suppliers[i.supplier as usize].name.clone()),
            txt(i.question.clone()),
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
                td { a href=(format!("/suppliers/{}", snap.suppliers[i.supplier as usize].key)) { (i.question) } }
                td.n { (anchornet_report::fmt::money(i.pence)) }
                td { form.inline method="post" action="/review" {
                    input type="hidden" name="csrf" value=(v.csrf);
                    input type="hidden" name="kind" value=(i.kind);
                    input type="hidden" name="subject" value=(i.subject);
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
    st.store
        .set_override(&Override {
            kind: d.kind,
            subject: d.subject.trim().to_string(),
            decision: d.decision,
            note: d.note.chars().take(500).collect(),
            decided_by: v.name(),
            decided_at: anchornet_store::now(),
        })
        .await?;
    st.rebuild().await.map_err(AppError::internal)?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/review")]).into_response())
}
