//! `/api/…`: for scripts. JSON in and out, the same error envelope, the same sessions; a
//! request that changes something carries the session's CSRF token in `X-CSRF-Token` (from
//! `/me.json`).

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::Signed;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// `/healthz`: the process is up and the database can be written within two seconds
/// (a locked or unreachable database answers 503, so a load balancer stops sending work).
pub async fn healthz(State(st): State<AppState>) -> Response {
    let probe = tokio::time::timeout(HEALTH_TIMEOUT, st.store.health()).await;
    let unavailable = |why: String| {
        (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            format!("database unavailable: {why}\n"),
        )
            .into_response()
    };
    match probe {
        Ok(Ok(())) => "ok".into_response(),
        Ok(Err(e)) => unavailable(e.to_string()),
        Err(_) => unavailable(format!("no answer within {HEALTH_TIMEOUT:?}")),
    }
}

/// How long `/healthz` waits for the database.
pub const HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// Query of `POST /api/imports`.
#[derive(Deserialize)]
pub struct ImportQuery {
    /// Anchor id.
    anchor: String,
    /// File name (its extension tells the format when the bytes do not).
    name: String,
    /// Answer when the import has finished, not at once.
    wait: Option<bool>,
}

/// `POST /api/imports?anchor=ID&name=FILE[&wait=true]`, body = the file's bytes.
pub async fn import(
    Signed(v): Signed,
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> AppResult<Response> {
    v.check_csrf(
        headers
            .get("x-csrf-token")
            .and_then(|h| h.to_str().ok())
            .unwrap_or(""),
    )?;
    if body.is_empty() {
        return Err(AppError::bad_request(
            "the request body (the file) is empty",
        ));
    }
    let id = super::imports::start(&st, &v, &q.anchor, &q.name, body.to_vec()).await?;
    let job = if q.wait.unwrap_or(false) {
        crate::import::wait(&st, id).await
    } else {
        st.jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned()
    };
    let mut r = serde_json::json!({ "job": job })
        .to_string()
        .into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(r)
}
