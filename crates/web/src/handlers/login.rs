//! `/login`, `/logout` and `/me`.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, OriginalUri, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;
use serde_json::json;

use crate::auth::{
    cookie, ct_eq, set_cookie, sign_in, Signed, LOGIN_COOKIE, MUST_CHANGE, SESSION_COOKIE,
    SESSION_SECS,
};
use crate::error::{AppError, AppResult};
use crate::page::{bare, table, txt, Fmt, Page};
use crate::state::AppState;

/// Where to go after signing in.
#[derive(Deserialize, Default)]
pub struct Next {
    next: Option<String>,
}

/// Only local paths: never redirect off-site (OWASP Unvalidated Redirects and Forwards
/// Cheat Sheet: allow-list, don't block-list). A target is kept only if it is a path on this
/// site: it starts with one `/` followed by something other than `/` or `\`, and every
/// character is printable ASCII other than `\`. Browsers drop tabs and newlines from URLs
/// and read `\` as `/` (WHATWG URL standard), so `/<TAB>/evil.example/` and `/\evil.example`
/// would otherwise both mean `//evil.example`, another site.
pub fn safe_next(n: Option<&str>) -> String {
    match n {
        Some(p)
            if p.starts_with('/')
                && !matches!(p.as_bytes().get(1), Some(b'/' | b'\\'))
                && p.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            p.to_string()
        }
        _ => "/overview".into(),
    }
}

fn login_page(csrf: &str, next: &str, message: Option<&str>, change: bool) -> maud::Markup {
    bare(
        "Sign in",
        html! {
            @if let Some(m) = message { p.warn { (m) } }
            form.login method="post" action="/login" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="next" value=(next);
                label { "User name" input type="text" name="username" autocomplete="username" required; }
                label { (if change { "Password you were given" } else { "Password" }) input type="password" name="password" autocomplete="current-password" required; }
                @if change {
                    label { "New password (10+ characters, not a common one)" input type="password" name="new_password" autocomplete="new-password" required minlength="10"; }
                }
                button type="submit" { "Sign in" }
            }
            p.note { a href="/public" { "Published figures" } " need no sign-in." }
        },
    )
}

fn with_login_cookie(
    st: &AppState,
    status: StatusCode,
    next: &str,
    message: Option<&str>,
    change: bool,
) -> Response {
    let token = anchornet_store::password::token();
    let mut r = (
        status,
        axum::response::Html(login_page(&token, next, message, change).into_string()),
    )
        .into_response();
    if let Ok(h) = HeaderValue::from_str(&set_cookie(
        LOGIN_COOKIE,
        &token,
        3600,
        st.cfg.web.secure_cookies,
    )) {
        r.headers_mut().append(header::SET_COOKIE, h);
    }
    r
}

/// `GET /login`.
pub async fn form(State(st): State<AppState>, Query(n): Query<Next>) -> Response {
    with_login_cookie(
        &st,
        StatusCode::OK,
        &safe_next(n.next.as_deref()),
        None,
        false,
    )
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    csrf: String,
    username: String,
    password: String,
    /// A new password, when an admin's reset requires one.
    new_password: Option<String>,
    next: Option<String>,
}

/// `POST /login`.
pub async fn submit(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(fm): Form<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(fm.next.as_deref());
    let pre = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if pre.is_empty() || !ct_eq(pre.as_bytes(), fm.csrf.as_bytes()) {
        let mut r = with_login_cookie(
            &st,
            StatusCode::FORBIDDEN,
            &next,
            Some("The form had expired; please sign in again."),
            false,
        );
        r.extensions_mut().insert(crate::error::Rendered);
        return Ok(r);
    }
    match sign_in(
        &st,
        &fm.username,
        &fm.password,
        fm.new_password.as_deref(),
        crate::auth::client_address(&st.cfg.web, addr.ip(), &headers),
    )
    .await
    {
        Ok(token) => {
            let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, next)]).into_response();
            let secure = st.cfg.web.secure_cookies;
            for c in [
                set_cookie(SESSION_COOKIE, &token, SESSION_SECS, secure),
                set_cookie(LOGIN_COOKIE, "", 0, secure),
            ] {
                if let Ok(h) = HeaderValue::from_str(&c) {
                    r.headers_mut().append(header::SET_COOKIE, h);
                }
            }
            Ok(r)
        }
        Err(e)
            if matches!(
                e.code,
                "bad_credentials" | "too_many_requests" | "forbidden" | MUST_CHANGE
            ) =>
        {
            let change = e.code == MUST_CHANGE;
            let mut r = with_login_cookie(&st, e.status, &next, Some(&e.message), change);
            r.extensions_mut().insert(crate::error::Rendered);
            Ok(r)
        }
        Err(e) => Err(e),
    }
}

/// The sign-out form.
#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /logout`.
pub async fn logout(
    State(st): State<AppState>,
    Signed(v): Signed,
    Form(fm): Form<CsrfForm>,
) -> AppResult<Response> {
    v.check_csrf(&fm.csrf)?;
    if let Some(h) = &v.token_hash {
        st.store.delete_session(h).await?;
    }
    let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response();
    if let Ok(h) = HeaderValue::from_str(&set_cookie(
        SESSION_COOKIE,
        "",
        0,
        st.cfg.web.secure_cookies,
    )) {
        r.headers_mut().append(header::SET_COOKIE, h);
    }
    Ok(r)
}

/// `/me`: who is signed in, their role, and (in the JSON twin) the CSRF token API clients
/// send as `X-CSRF-Token`.
pub async fn me(Signed(v): Signed, OriginalUri(uri): OriginalUri) -> AppResult<Response> {
    let u = v.user.clone().ok_or_else(AppError::unauthorized)?;
    let mut t = table(
        "me",
        "Me",
        "user",
        &[
            ("username", "User name."),
            ("role", "Role."),
            ("anchor", "A member's anchor."),
        ],
    );
    t.rows.push(vec![
        txt(u.username.to_string()),
        txt(u.role.name()),
        txt(v.anchor_name.clone().unwrap_or_default()),
    ]);
    let body = crate::page::table_html(&t, Some("/me"), &|_| None);
    let meta = json!({"username": u.username, "role": u.role.name(), "anchor_id": u.role.anchor(), "csrf": v.csrf});
    Ok(Page {
        title: "Signed in".into(),
        body,
        tables: vec![t],
        meta,
    }
    .respond(Fmt::of_path(uri.path()), &v, None))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn never_off_site() {
        for bad in [
            "/\t/evil.example/",
            "/\n/evil.example",
            "/\r//evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\\/evil.example",
            "/x\\..\\evil",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{7f}/evil.example",
            "/\u{2028}/evil.example",
            "/é",
            "https://evil.example/",
            "evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/overview", "{bad:?}");
        }
        for good in [
            "/",
            "/suppliers?q=acme&year=2021%2F22",
            "/anchors/3",
            "/%09/evil.example/",
        ] {
            assert_eq!(safe_next(Some(good)), good);
        }
    }
}
