//! Every route, in one list. The router is built from [`routes`] and nothing else, so the
//! list is the whole surface: the authorisation tests walk it, and a new route is covered
//! by them the moment it is added here.
//!
//! A route with `twins` answers `PATH` (HTML), `PATH.json` and `PATH.csv`. Where `PATH` ends
//! in a parameter (`/anchors/{anchor}`) the twin's extension arrives inside the parameter
//! (`/anchors/3.json`) and the handler strips it.

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;

use crate::handlers::hub;
use crate::handlers::{
    admin, anchors, api, assets, files, imports, login, map, overview, plan, public, review,
    suppliers, tables, worklist,
};
use crate::handlers::{jobs, workforce};
use crate::state::AppState;

/// Who may use a route (the handler enforces it; the tests check it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone.
    Public,
    /// Any signed-in user.
    Signed,
    /// Admins and anchor members (row-level data, each member only their anchor's).
    Rows,
    /// Network admins.
    Admin,
}

/// One route.
pub struct Route {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path, with `{param}` placeholders.
    pub path: &'static str,
    /// Has `.json` and `.csv` twins.
    pub twins: bool,
    /// Who may use it.
    pub access: Access,
    /// The handler.
    pub handler: MethodRouter<AppState>,
}

fn r(
    method: &'static str,
    path: &'static str,
    twins: bool,
    access: Access,
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        method,
        path,
        twins,
        access,
        handler,
    }
}

/// Every route.
pub fn routes() -> Vec<Route> {
    use Access::*;
    vec![
        r("GET", "/", false, Public, get(overview::root)),
        r("GET", "/healthz", false, Public, get(api::healthz)),
        r("GET", "/static/{file}", false, Public, get(files::asset)),
        r("GET", "/login", false, Public, get(login::form)),
        r("POST", "/login", false, Public, post(login::submit)),
        r("POST", "/logout", false, Signed, post(login::logout)),
        r("GET", "/me", true, Signed, get(login::me)),
        r("GET", "/overview", true, Signed, get(overview::overview)),
        r("GET", "/anchors", true, Signed, get(anchors::list)),
        r("GET", "/anchors/{anchor}", true, Signed, get(anchors::show)),
        r(
            "GET",
            "/anchors/{anchor}/payments",
            true,
            Rows,
            get(anchors::payments),
        ),
        r("GET", "/suppliers", true, Signed, get(suppliers::list)),
        r(
            "GET",
            "/suppliers/{supplier}",
            true,
            Signed,
            get(suppliers::show),
        ),
        r("GET", "/categories", true, Signed, get(tables::categories)),
        r("GET", "/leakage", true, Signed, get(tables::leakage)),
        r("GET", "/map", true, Signed, get(map::map)),
        // The supply chain hub (docs/hub.md, "In the workspace").
        r("GET", "/hub", true, Signed, get(hub::calendar_page)),
        r("GET", "/hub/demand", true, Signed, get(hub::demand_page)),
        r(
            "GET",
            "/hub/payments-compliance",
            true,
            Signed,
            get(hub::payments_compliance_page),
        ),
        r("GET", "/hub/pack.xlsx", false, Signed, get(hub::pack)),
        r(
            "GET",
            "/hub/opportunities/{ocid}",
            true,
            Signed,
            get(hub::opportunity),
        ),
        r(
            "GET",
            "/hub/suppliers/{supplier}",
            true,
            Signed,
            get(hub::supplier),
        ),
        r("GET", "/imports", true, Rows, get(imports::list)),
        r("POST", "/imports", false, Rows, post(imports::upload)),
        r("GET", "/imports/jobs/{job}", true, Rows, get(imports::job)),
        r("GET", "/imports/{batch}", true, Rows, get(imports::show)),
        r(
            "POST",
            "/imports/{batch}/withdraw",
            false,
            Rows,
            post(imports::withdraw),
        ),
        r("POST", "/api/imports", false, Rows, post(api::import)),
        r("GET", "/review", true, Admin, get(review::queue)),
        r("POST", "/review", false, Admin, post(review::decide)),
        r("GET", "/review/worklist", true, Admin, get(worklist::list)),
        r(
            "POST",
            "/review/worklist",
            false,
            Admin,
            post(worklist::decide),
        ),
        r(
            "POST",
            "/review/worklist/import",
            false,
            Admin,
            post(worklist::import),
        ),
        r(
            "GET",
            "/review/overrides.csv",
            false,
            Admin,
            get(review::overrides_csv),
        ),
        r("GET", "/admin/users", true, Admin, get(admin::users)),
        r("POST", "/admin/users", false, Admin, post(admin::add_user)),
        r(
            "POST",
            "/admin/users/{user}/role",
            false,
            Admin,
            post(admin::set_role),
        ),
        r("GET", "/admin/anchors", true, Admin, get(admin::anchors)),
        r(
            "POST",
            "/admin/anchors",
            false,
            Admin,
            post(admin::add_anchor),
        ),
        r("GET", "/admin/audit", true, Admin, get(admin::audit)),
        // Land and assets, and the action plan (issue 21).
        r("GET", "/assets", true, Signed, get(assets::list)),
        r("GET", "/assets/map", true, Signed, get(assets::map)),
        r("GET", "/assets/{asset}", true, Signed, get(assets::show)),
        r(
            "POST",
            "/assets/{asset}/status",
            false,
            Admin,
            post(assets::decide),
        ),
        r("GET", "/plan", true, Signed, get(plan::plan)),
        // The plan's self-assessment and change log in the workspace (issue 21).
        r("GET", "/plan/assessment", true, Rows, get(plan::assessment)),
        r(
            "POST",
            "/plan/assessment",
            false,
            Rows,
            post(plan::save_assessment),
        ),
        r(
            "POST",
            "/plan/assessment/import",
            false,
            Rows,
            post(plan::import_assessment),
        ),
        r(
            "GET",
            "/plan/history",
            true,
            Signed,
            get(plan::plan_history),
        ),
        // Employment: workforce measures and the jobs pathway funnel (issue 20).
        r("GET", "/workforce", true, Signed, get(workforce::workforce)),
        r("GET", "/jobs", true, Signed, get(jobs::funnel_page)),
        r("GET", "/public", true, Public, get(public::overview)),
        r(
            "GET",
            "/public/categories",
            true,
            Public,
            get(public::categories),
        ),
    ]
}

/// The concrete paths a route answers (itself and its twins).
pub fn paths_of(route: &Route) -> Vec<String> {
    let mut v = vec![route.path.to_string()];
    if route.twins {
        v.push(format!("{}.json", route.path));
        v.push(format!("{}.csv", route.path));
    }
    v
}

/// Whether a route takes uploads (and so the upload body limit, not the form limit).
pub fn is_upload(route: &Route) -> bool {
    route.method == "POST"
        && matches!(
            route.path,
            "/imports" | "/api/imports" | "/review/worklist/import" | "/plan/assessment/import"
        )
}

/// Refuses with 413, before a byte of the body is read, a request whose `Content-Length`
/// says it is over the route's limit. A client that sent `Expect: 100-continue` is then
/// never asked for the body; a body sent without a length is still cut off at the limit by
/// [`DefaultBodyLimit`] as it is read.
async fn declared_within(State(limit): State<usize>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(n) if n > limit as u64 => (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is {n} bytes; this route takes at most {limit}"),
        )
            .into_response(),
        _ => next.run(req).await,
    }
}

/// Before a page is read: if the store changed since this process built its analysis (an
/// import, withdrawal or decision through another web node on the same database, or
/// `anchornet import`), rebuild it first, so that every node answers as one. One query of the
/// store's fingerprint per request; the five-second watcher of [`crate::serve`] still
/// rebuilds between requests.
async fn current(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() == axum::http::Method::GET && req.uri().path() != "/healthz" {
        if let Err(e) = st.refresh_if_stale().await {
            eprintln!("anchornet-web: refreshing the analysis: {e}");
        }
    }
    next.run(req).await
}

/// The application: every route, error rendering, security headers, body limits: the
/// import routes take up to `max_upload_mib`, every other route (sign-in included) at most
/// `max_form_kib`, so that no form can make the server hold a large body.
pub fn router(state: AppState) -> Router {
    let upload = state.cfg.web.max_upload_mib * 1024 * 1024;
    let form = state.cfg.web.max_form_kib * 1024;
    let mut app: Router<AppState> = Router::new();
    for route in routes() {
        let limit = if is_upload(&route) { upload } else { form };
        let handler = route
            .handler
            .clone()
            .layer(DefaultBodyLimit::max(limit))
            .layer(axum::middleware::from_fn_with_state(limit, declared_within));
        let ends_in_param = route.path.ends_with('}');
        if route.twins && !ends_in_param {
            for p in paths_of(&route) {
                app = app.route(&p, handler.clone());
            }
        } else {
            app = app.route(route.path, handler);
        }
    }
    app.layer(axum::middleware::from_fn_with_state(state.clone(), current))
        .layer(axum::middleware::from_fn(crate::error::render))
        .layer(axum::middleware::from_fn(crate::headers))
        .with_state(state)
}
