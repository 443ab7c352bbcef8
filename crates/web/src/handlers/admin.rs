//! `/admin/…`: users and their roles, anchors, and the audit log. Network admins only;
//! every change is audited.

use anchornet_report::tables::Cell;
use anchornet_store::{password, Role, Username};
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use super::Filter;
use crate::auth::Signed;
use crate::error::{AppError, AppResult};
use crate::page::{table, table_html, txt, Fmt, Page};
use crate::state::AppState;
use crate::workspace::ANCHOR_KINDS;

fn back(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// Parse a role from a form: `admin`, `viewer`, or `member` with an anchor id.
pub fn role_of(role: &str, anchor: Option<&str>) -> AppResult<Role> {
    match role {
        "admin" => Ok(Role::Admin),
        "viewer" => Ok(Role::Viewer),
        "member" => anchor
            .and_then(|a| a.trim().parse().ok())
            .map(Role::Member)
            .ok_or_else(|| AppError::bad_request("a member needs an anchor")),
        o => Err(AppError::bad_request(format!(
            "role `{o}`: admin, member or viewer"
        ))),
    }
}

/// `/admin/users`.
pub async fn users(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    v.require_admin()?;
    let users = st.store.users().await?;
    let anchors = st.store.anchors().await?;
    let mut t = table(
        "users",
        "Users",
        "user",
        &[
            ("id", "Id."),
            ("username", "User name."),
            ("role", "admin, member or viewer."),
            ("anchor", "A member's anchor."),
        ],
    );
    for u in &users {
        t.rows.push(vec![
            Cell::Int(u.id),
            txt(u.username.to_string()),
            txt(u.role.name()),
            txt(u
                .role
                .anchor()
                .and_then(|a| anchors.iter().find(|x| x.id == a))
                .map(|a| a.name.clone())
                .unwrap_or_default()),
        ]);
    }
    let anchor_select = html! { select name="anchor" { option value="" { "(no anchor)" } @for a in &anchors { option value=(a.id) { (a.name) } } } };
    let role_select = html! { select name="role" { option value="viewer" { "network viewer" } option value="member" { "anchor member" } option value="admin" { "network admin" } } };
    let body = html! {
        (table_html(&t, Some("/admin/users"), &|_| None))
        h2 { "Change a role" }
        @for u in &users {
            form.inline method="post" action=(format!("/admin/users/{}/role", u.id)) {
                input type="hidden" name="csrf" value=(v.csrf);
                span { (u.username) " " } (role_select) (anchor_select) button { "Set" }
            }
        }
        h2 { "Add a user" }
        form method="post" action="/admin/users" {
            input type="hidden" name="csrf" value=(v.csrf);
            label { "User name " input type="text" name="username" required; }
            label { "Password (10+ characters) " input type="password" name="password" required minlength="10"; }
            (role_select) (anchor_select)
            button { "Add" }
        }
    };
    Ok(Page {
        title: "Users".into(),
        body,
        tables: vec![t],
        meta: json!({}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}

/// New user form.
#[derive(Deserialize)]
pub struct NewUser {
    csrf: String,
    username: String,
    password: String,
    role: String,
    anchor: Option<String>,
}

/// `POST /admin/users`.
pub async fn add_user(
    Signed(v): Signed,
    State(st): State<AppState>,
    Form(fm): Form<NewUser>,
) -> AppResult<Response> {
    v.require_admin()?;
    v.check_csrf(&fm.csrf)?;
    let name = Username::parse(&fm.username)?;
    let role = role_of(&fm.role, fm.anchor.as_deref().filter(|a| !a.is_empty()))?;
    let pw = fm.password;
    let hash = tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .map_err(AppError::internal)??;
    let u = st.store.add_user(&name, &hash, role).await?;
    st.store
        .audit(
            &v.name(),
            "user.add",
            &format!("{} as {:?}", u.username, u.role),
        )
        .await?;
    Ok(back("/admin/users"))
}

/// Role form.
#[derive(Deserialize)]
pub struct RoleForm {
    csrf: String,
    role: String,
    anchor: Option<String>,
}

/// `POST /admin/users/{user}/role`.
pub async fn set_role(
    Signed(v): Signed,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(fm): Form<RoleForm>,
) -> AppResult<Response> {
    v.require_admin()?;
    v.check_csrf(&fm.csrf)?;
    let role = role_of(&fm.role, fm.anchor.as_deref().filter(|a| !a.is_empty()))?;
    st.store.set_role(id, role).await?;
    st.store
        .audit(
            &v.name(),
            "user.role",
            &format!("user {id} is now {role:?}"),
        )
        .await?;
    Ok(back("/admin/users"))
}

/// `/admin/anchors`.
pub async fn anchors(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    v.require_admin()?;
    let anchors = st.store.anchors().await?;
    let counts = st.store.payment_counts().await?;
    let mut t = table(
        "anchors",
        "Anchors",
        "anchor",
        &[
            ("id", "Id."),
            ("anchor", "Name."),
            ("kind", "Kind."),
            ("payments", "Payments in live batches."),
        ],
    );
    for a in &anchors {
        t.rows.push(vec![
            Cell::Int(a.id),
            txt(a.name.clone()),
            txt(a.kind.clone()),
            Cell::Int(counts.iter().find(|c| c.0 == a.id).map_or(0, |c| c.1)),
        ]);
    }
    let body = html! {
        (table_html(&t, Some("/admin/anchors"), &|_| None))
        h2 { "Add an anchor" }
        form method="post" action="/admin/anchors" {
            input type="hidden" name="csrf" value=(v.csrf);
            label { "Name " input type="text" name="name" required; }
            label { "Kind " select name="kind" { @for k in ANCHOR_KINDS { option value=(k) { (k) } } } }
            button { "Add" }
        }
    };
    Ok(Page {
        title: "Anchors (admin)".into(),
        body,
        tables: vec![t],
        meta: json!({}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}

/// New anchor form.
#[derive(Deserialize)]
pub struct NewAnchor {
    csrf: String,
    name: String,
    kind: String,
}

/// `POST /admin/anchors`.
pub async fn add_anchor(
    Signed(v): Signed,
    State(st): State<AppState>,
    Form(fm): Form<NewAnchor>,
) -> AppResult<Response> {
    v.require_admin()?;
    v.check_csrf(&fm.csrf)?;
    if !ANCHOR_KINDS.contains(&fm.kind.as_str()) {
        return Err(AppError::bad_request(format!(
            "kind `{}`: one of {}",
            fm.kind,
            ANCHOR_KINDS.join(", ")
        )));
    }
    let a = st.store.add_anchor(&fm.name, &fm.kind).await?;
    st.store
        .audit(&v.name(), "anchor.add", &format!("{} ({})", a.name, a.kind))
        .await?;
    st.rebuild().await.map_err(AppError::internal)?;
    Ok(back("/admin/anchors"))
}

/// `/admin/audit`.
pub async fn audit(
    Signed(v): Signed,
    State(st): State<AppState>,
    OriginalUri(uri): OriginalUri,
    Query(f): Query<Filter>,
) -> AppResult<Response> {
    v.require_admin()?;
    let log = st.store.audit_log(1000).await?;
    let mut t = table(
        "audit",
        "Audit log",
        "audited action",
        &[
            ("id", "Id."),
            ("at", "When (Unix seconds)."),
            ("actor", "Who."),
            ("action", "What kind."),
            ("detail", "What."),
        ],
    );
    for e in &log {
        t.rows.push(vec![
            Cell::Int(e.id),
            Cell::Int(e.at),
            txt(e.actor.clone()),
            txt(e.action.clone()),
            txt(e.detail.clone()),
        ]);
    }
    let body = table_html(&t, Some("/admin/audit"), &|_| None);
    Ok(Page {
        title: "Audit log".into(),
        body,
        tables: vec![t],
        meta: json!({}),
    }
    .respond(Fmt::of_path(uri.path()), &v, f.table.as_deref()))
}
