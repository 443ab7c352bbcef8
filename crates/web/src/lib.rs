//! # anchornet-web
//!
//! The network's shared workspace in a browser: an axum server rendering HTML on the server
//! (maud templates, htmx for import progress, charts and the map as SVG from
//! `anchornet-report`), over a workspace's [`anchornet_store::Store`].
//!
//! The code is in a few obvious places:
//!
//! | module | what |
//! |---|---|
//! | [`router`] | every route, in one list ([`router::routes`]) that the tests walk |
//! | [`handlers`] | one module per top-level URL segment |
//! | [`state`] | `AppState`: store, settings, geography, the analysis snapshot, jobs |
//! | [`auth`] | sessions, CSRF, the sign-in limiter; the `Viewer` and `Signed` extractors |
//! | [`privacy`] | small-cell suppression and redaction of individuals |
//! | [`page`] | the layout, and each table page's `.json` and `.csv` twins |
//! | [`error`] | one error type and one JSON error envelope |
//! | [`snapshot`] | the analysis of the live batches, rebuilt on every change |
//! | [`import`] | import jobs with progress |
//! | [`hub`] | the supply chain hub's pipeline (`[hub]` sources) and shortlists, cached |
//! | [`land`] | the workspace's land and building registers, located, with the stored status decisions |
//! | [`workspace`] | the workspace directory and its `anchornet.toml` |
//!
//! Roles: a **network admin** sees and manages everything; an **anchor member** sees the
//! network's aggregates and the row-level data of their own anchor only; a **network
//! viewer** sees aggregates only; the **public** sees the published view, with small cells
//! suppressed and no supplier named. See `docs/web.md`.
#![deny(missing_docs)]

pub mod auth;
pub mod error;
pub mod handlers;
pub mod hub;
pub mod import;
pub mod land;
pub mod page;
pub mod privacy;
pub mod router;
pub mod snapshot;
pub mod state;
pub mod workspace;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

pub use router::router;
pub use state::AppState;

/// The Content-Security-Policy of every page: nothing from anywhere but this server.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// How often a server checks whether the store changed behind its back.
pub const REFRESH_SECS: u64 = 5;

/// Middleware: security headers on every response.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

/// Open a workspace: its settings, store and the geography index; the analysis built.
pub async fn open(dir: &std::path::Path) -> Result<AppState, String> {
    let cfg = workspace::WorkspaceConfig::load(dir).map_err(|e| e.to_string())?;
    let store = cfg.open_store().await.map_err(|e| e.to_string())?;
    let geo = tokio::task::spawn_blocking(anchornet_geo::GeoIndex::open_default)
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("geography index: {e}"))?;
    let state = AppState::new(store, cfg, Arc::new(geo));
    state.rebuild().await.map_err(|e| e.to_string())?;
    Ok(state)
}

/// Serve until the process is stopped (or `shutdown` resolves). `on_bound` is told the
/// address actually bound (useful with port 0).
pub async fn serve(
    state: AppState,
    bind: &str,
    on_bound: impl FnOnce(SocketAddr),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind).await?;
    // Every few seconds: has another process changed the store?
    let watcher = state.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(REFRESH_SECS)).await;
            if let Err(e) = watcher.refresh_if_stale().await {
                eprintln!("anchornet-web: refreshing the analysis: {e}");
            }
        }
    });
    on_bound(listener.local_addr()?);
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
