//! `/static/{file}`: the stylesheet and htmx (0BSD licence), compiled into the binary — no
//! CDN, no outside calls.

use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

const FILES: [(&str, &str, &[u8]); 2] = [
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/style.css"),
    ),
    (
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/htmx.min.js"),
    ),
];

/// `/static/{file}`.
pub async fn asset(Path(file): Path<String>) -> Result<Response, AppError> {
    let (_, ty, bytes) = FILES
        .iter()
        .find(|(n, _, _)| *n == file)
        .ok_or_else(|| AppError::not_found(format!("asset `{file}`")))?;
    let mut r = bytes.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ty));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    Ok(r)
}
