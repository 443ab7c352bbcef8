//! Who is asking, as an extractor: [`Viewer`] reads the session cookie (a random 256-bit
//! token; the store keeps only its SHA-256) and finds the user and their CSRF token. Pages
//! that need a signed-in user take [`Signed`], which answers 401 (a redirect to the sign-in
//! page for HTML) otherwise.
//!
//! Cookies are `HttpOnly; SameSite=Strict; Path=/` and `Secure` unless the workspace turns
//! that off for plain-http loopback. Every form carries the session's CSRF token, checked
//! with a constant-time comparison; the sign-in form, before any session exists, carries a
//! token that must equal a pre-session cookie (double submit). Failed sign-ins are limited
//! per client address and per user name.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anchornet_store::{password, Role, User};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

use crate::error::AppError;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "anchornet_session";
/// The pre-session cookie the sign-in form's token must match.
pub const LOGIN_COOKIE: &str = "anchornet_login";
/// How long a session lasts.
pub const SESSION_SECS: i64 = 12 * 3600;
/// Failed sign-ins allowed per window for one user name.
pub const MAX_FAILURES: usize = 5;
/// Failed sign-ins allowed per window from one client address (several people may share
/// an office's address).
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
/// The window.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// The person asking (or nobody).
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    /// The signed-in user.
    pub user: Option<User>,
    /// The session's CSRF token (empty without a session).
    pub csrf: String,
    /// The SHA-256 of the session token.
    pub token_hash: Option<String>,
    /// A member's anchor name.
    pub anchor_name: Option<String>,
}

impl Viewer {
    /// A network admin.
    pub fn is_admin(&self) -> bool {
        matches!(self.user.as_ref().map(|u| u.role), Some(Role::Admin))
    }

    /// A member's anchor (store id).
    pub fn member_anchor(&self) -> Option<i64> {
        self.user.as_ref().and_then(|u| u.role.anchor())
    }

    /// Whether row-level data of this anchor (store id) may be shown: admins see every
    /// anchor's, members their own anchor's only, viewers none.
    pub fn sees_rows_of(&self, anchor_id: i64) -> bool {
        self.is_admin() || self.member_anchor() == Some(anchor_id)
    }

    /// Whether any row-level data may be shown.
    pub fn sees_any_rows(&self) -> bool {
        self.is_admin() || self.member_anchor().is_some()
    }

    /// The user's name for the audit log.
    pub fn name(&self) -> String {
        self.user
            .as_ref()
            .map(|u| u.username.to_string())
            .unwrap_or_else(|| "anonymous".into())
    }

    /// Check a form's CSRF token.
    pub fn check_csrf(&self, token: &str) -> Result<(), AppError> {
        if self.user.is_some()
            && !self.csrf.is_empty()
            && ct_eq(self.csrf.as_bytes(), token.as_bytes())
        {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "The form's security token is missing or out of date; reload the page and try again.",
            ))
        }
    }

    /// Require an admin.
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::forbidden("Only a network admin can do this."))
        }
    }
}

/// Constant-time equality.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A cookie's value.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value with the house flags.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, AppError> {
        if let Some(v) = parts.extensions.get::<Viewer>() {
            return Ok(v.clone());
        }
        let mut v = Viewer::default();
        if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
            let hash = anchornet_store::sha256_hex(token.as_bytes());
            if let Some(s) = state.store.session(&hash, anchornet_store::now()).await? {
                if let Some(a) = s.user.role.anchor() {
                    v.anchor_name = state
                        .snap()
                        .anchors
                        .iter()
                        .find(|x| x.id == a)
                        .map(|x| x.name.clone());
                }
                v.user = Some(s.user);
                v.csrf = s.csrf;
                v.token_hash = Some(hash);
            }
        }
        parts.extensions.insert(v.clone());
        Ok(v)
    }
}

/// A signed-in viewer, or 401.
pub struct Signed(pub Viewer);

impl FromRequestParts<AppState> for Signed {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Signed, AppError> {
        let v = Viewer::from_request_parts(parts, state).await?;
        if v.user.is_some() {
            Ok(Signed(v))
        } else {
            Err(AppError::unauthorized())
        }
    }
}

/// Failed sign-ins per key (`ip:…`, `user:…`) in the last window.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: HashMap<String, Vec<Instant>>,
}

impl LoginLimiter {
    /// Whether any key is over the limit; if so, how long until it is not.
    pub fn blocked(&mut self, keys: &[String]) -> Option<Duration> {
        let now = Instant::now();
        let mut wait = None;
        for k in keys {
            if let Some(v) = self.failures.get_mut(k) {
                v.retain(|t| now.duration_since(*t) < WINDOW);
                let max = if k.starts_with("ip:") {
                    MAX_FAILURES_PER_ADDRESS
                } else {
                    MAX_FAILURES
                };
                if v.len() >= max {
                    let w = WINDOW - now.duration_since(v[0]);
                    wait = Some(wait.map_or(w, |x: Duration| x.max(w)));
                }
            }
        }
        wait
    }

    /// Count a failure against every key.
    pub fn fail(&mut self, keys: &[String]) {
        let now = Instant::now();
        if self.failures.len() > 100_000 {
            self.failures
                .retain(|_, v| v.last().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        for k in keys {
            self.failures.entry(k.clone()).or_default().push(now);
        }
    }

    /// A success clears the user name's count (not the address's).
    pub fn succeed(&mut self, user_key: &str) {
        self.failures.remove(user_key);
    }
}

/// Sign in: check the password (argon2 verify runs off the async threads), make a session.
/// Returns the session token for the cookie.
pub async fn sign_in(
    state: &AppState,
    username: &str,
    pw: &str,
    client: &str,
) -> Result<String, AppError> {
    let keys = vec![
        format!("ip:{client}"),
        format!("user:{}", username.trim().to_ascii_lowercase()),
    ];
    if let Some(wait) = state
        .limiter
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .blocked(&keys)
    {
        return Err(AppError::too_many(format!(
            "Too many failed sign-ins; try again in {} minutes.",
            wait.as_secs() / 60 + 1
        )));
    }
    let fail = || AppError {
        status: axum::http::StatusCode::UNAUTHORIZED,
        code: "bad_credentials",
        message: "That user name and password do not match.".into(),
    };
    let found = match anchornet_store::Username::parse(username) {
        Ok(u) => state.store.user_login(&u).await?,
        Err(_) => None,
    };
    let pw = pw.to_string();
    // Verify against a dummy hash when the user is unknown, so timing does not tell.
    let (user, hash) = match found {
        Some((u, h)) => (Some(u), h),
        None => (None, dummy_hash().to_string()),
    };
    let ok = tokio::task::spawn_blocking(move || password::verify(&pw, &hash))
        .await
        .map_err(AppError::internal)?;
    match (ok, user) {
        (true, Some(u)) => {
            state
                .limiter
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .succeed(&keys[1]);
            let token = password::token();
            let csrf = password::token();
            state
                .store
                .create_session(
                    &anchornet_store::sha256_hex(token.as_bytes()),
                    u.id,
                    &csrf,
                    anchornet_store::now() + SESSION_SECS,
                )
                .await?;
            Ok(token)
        }
        _ => {
            state
                .limiter
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .fail(&keys);
            Err(fail())
        }
    }
}

fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| password::hash("dummy password for timing").unwrap_or_default())
}
