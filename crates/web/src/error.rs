//! One error type for handlers, and one JSON error envelope.
//!
//! A handler returns [`AppError`]: a user error (bad input, not allowed, not found) with a
//! short message the user can act on, or an unexpected one whose detail goes to the log and
//! never to the page. The [`render`] middleware turns every error response — including the
//! router's own 404 and 405 — into an HTML page, or, for a `.json`/`.csv` twin and the
//! `/api/` routes, into the envelope:
//!
//! ```json
//! {"error": {"status": 403, "code": "forbidden", "message": "…"}}
//! ```

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use maud::html;

use crate::page::Fmt;

/// A handler's error.
#[derive(Debug, Clone)]
pub struct AppError {
    /// HTTP status.
    pub status: StatusCode,
    /// Machine-readable code (`not_found`, `forbidden`…).
    pub code: &'static str,
    /// What the user is told.
    pub message: String,
}

/// Marks an error response whose body the handler wrote itself (e.g. the sign-in form
/// shown again with a message); [`render`] leaves it alone.
#[derive(Debug, Clone, Copy)]
pub struct Rendered;

/// Result of a handler.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// 400.
    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            message: message.into(),
        }
    }
    /// 401: sign in first.
    pub fn unauthorized() -> AppError {
        AppError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: "Sign in to see this page.".into(),
        }
    }
    /// 403.
    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError {
            status: StatusCode::FORBIDDEN,
            code: "forbidden",
            message: message.into(),
        }
    }
    /// 404.
    pub fn not_found(what: impl Into<String>) -> AppError {
        AppError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: format!("{} not found.", what.into()),
        }
    }
    /// 409.
    pub fn conflict(message: impl Into<String>) -> AppError {
        AppError {
            status: StatusCode::CONFLICT,
            code: "conflict",
            message: message.into(),
        }
    }
    /// 429.
    pub fn too_many(message: impl Into<String>) -> AppError {
        AppError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "too_many_requests",
            message: message.into(),
        }
    }
    /// 500: the detail is logged, the user sees a short message.
    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        eprintln!("anchornet-web: internal error: {detail}");
        AppError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "Something went wrong on the server; the details are in its log.".into(),
        }
    }
}

impl From<anchornet_store::StoreError> for AppError {
    fn from(e: anchornet_store::StoreError) -> AppError {
        use anchornet_store::StoreError as E;
        match e {
            E::Invalid(m) => AppError::bad_request(m),
            E::NotFound(m) => AppError::not_found(m),
            E::Exists(m) => AppError::conflict(format!("{m} already exists.")),
            other => AppError::internal(other),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut r = self.status.into_response();
        r.extensions_mut().insert(self);
        r
    }
}

/// The envelope's body.
pub fn envelope(e: &AppError) -> String {
    serde_json::json!({"error": {"status": e.status.as_u16(), "code": e.code, "message": e.message}})
        .to_string()
}

/// Middleware: give every error response its body, in the format the request asked for.
pub async fn render(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let fmt = Fmt::of_path(&path);
    let api = path.starts_with("/api/") || fmt != Fmt::Html;
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error())
        || resp.extensions().get::<Rendered>().is_some()
    {
        return resp;
    }
    let err = resp
        .extensions()
        .get::<AppError>()
        .cloned()
        .unwrap_or_else(|| {
            let code = match status {
                StatusCode::NOT_FOUND => "not_found",
                StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
                StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
                StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::UNPROCESSABLE_ENTITY => {
                    "bad_request"
                }
                s if s.is_server_error() => "internal",
                _ => "bad_request",
            };
            AppError {
                status,
                code,
                message: status.canonical_reason().unwrap_or("Error").to_string(),
            }
        });
    if api {
        let mut r = (status, envelope(&err)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return r;
    }
    if status == StatusCode::UNAUTHORIZED {
        let next = match query {
            Some(q) => format!("{path}?{q}"),
            None => path,
        };
        let to = format!("/login?next={}", crate::page::urlencode(&next));
        return (
            StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                HeaderValue::from_str(&to).unwrap_or(HeaderValue::from_static("/login")),
            )],
        )
            .into_response();
    }
    let body = crate::page::bare(
        &format!(
            "{} — {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        ),
        html! {
            p { (err.message) }
            p { a href="/" { "Back to the overview" } }
        },
    );
    let mut r = (status, axum::response::Html(body.into_string())).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}
