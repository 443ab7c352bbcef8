//! Who is asking, as an extractor: [`Viewer`] reads the session cookie (a random 256-bit
//! token; the store keeps only its SHA-256) and finds the user and their CSRF token. Pages
//! that need a signed-in user take [`Signed`], which answers 401 (a redirect to the sign-in
//! page for HTML) otherwise.
//!
//! Cookies are `HttpOnly; SameSite=Strict; Path=/` and `Secure` unless the workspace turns
//! that off for plain-http loopback. Every form carries the session's CSRF token, checked
//! with a constant-time comparison; the sign-in form, before any session exists, carries a
//! token that must equal a pre-session cookie (double submit). Failed sign-ins are
//! throttled per user name and address and per address, atomically, in bounded memory
//! ([`LoginLimiter`]).

use std::collections::HashMap;
use std::net::IpAddr;
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
/// Failed sign-ins for one user name from one address before backoff.
pub const MAX_FAILURES: usize = 5;
/// Failed sign-ins from one client address, whatever the names, before backoff (several
/// people may share an office's address).
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
/// The longest backoff.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// How long failures are remembered after the last one (longer than the longest backoff,
/// so that waiting the backoff out does not start the count afresh).
pub const FORGET: Duration = Duration::from_secs(60 * 60);

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

    /// Record in the audit log a read of row-level data of `anchor_id` (named `what`) by
    /// someone who is not a member of that anchor — a network admin. Members reading their
    /// own anchor's rows are not logged (issue 17: every row-level read of another anchor's
    /// data leaves an audit entry).
    pub async fn audit_rows_of(
        &self,
        st: &AppState,
        anchor_id: i64,
        what: &str,
    ) -> Result<(), AppError> {
        if self.member_anchor() != Some(anchor_id) {
            st.store.audit(&self.name(), "read", what).await?;
        }
        Ok(())
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

/// Sign-in throttling, in the spirit of the OWASP Authentication Cheat Sheet ("Login
/// Throttling") and NIST SP 800-63B §5.2.2 (rate limiting, with growing delays rather than
/// a lock an attacker can trigger):
///
/// * **per user and address**: after [`MAX_FAILURES`] failures for one user name from one
///   address, each further attempt from there must wait [`BACKOFF`] doubled per failure
///   (30 s, 1 min, 2 min, … up to [`WINDOW`], 15 minutes). An outsider's failures from their address
///   never stop the user signing in from another;
/// * **per address**: after [`MAX_FAILURES_PER_ADDRESS`] failures from one address (an
///   IPv6 /64 counts as one) against any names, the same backoff, so one address cannot
///   spray passwords over many names;
/// * **atomic**: an attempt is counted as a failure when it *starts*, under the lock, and
///   refunded if the password was right — so a hundred parallel guesses get exactly as many
///   checks as one after another;
/// * **bounded**: keys are fixed-size (a truncated SHA-256 of user name and address; an
///   address), never the submitted text, and each table holds at most [`MAX_KEYS`]
///   entries: expired ones go first, then the stalest.
///
/// Failures are forgotten [`FORGET`] after the last one.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    pairs: HashMap<[u8; 16], Strikes>,
    addresses: HashMap<IpAddr, Strikes>,
}

/// Failures counted against one key, and when the last one was.
#[derive(Debug, Clone, Copy)]
struct Strikes {
    count: u32,
    last: Instant,
}

/// The first backoff step (doubled per further failure, up to [`WINDOW`]).
pub const BACKOFF: Duration = Duration::from_secs(30);
/// Entries per table at most.
pub const MAX_KEYS: usize = 50_000;

/// The key for one user name from one address: no user name is kept, only 128 bits of
/// SHA-256 of the normalised name and the address.
pub fn pair_key(username: &str, address: IpAddr) -> [u8; 16] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"anchornet sign-in\0");
    h.update(username.trim().to_lowercase().as_bytes());
    h.update(b"\0");
    h.update(address_key(address).to_string().as_bytes());
    let d = h.finalize();
    let mut k = [0u8; 16];
    k.copy_from_slice(&d[..16]);
    k
}

/// The address a client is counted under: IPv4 as is, IPv6 by its /64 (one subscriber's
/// allocation, RFC 6177), IPv4-mapped IPv6 as IPv4.
pub fn address_key(a: IpAddr) -> IpAddr {
    match a {
        IpAddr::V4(_) => a,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The client's address for throttling: the TCP peer, unless the peer is one of the
/// configured trusted proxies — then the right-most address of the configured header that
/// is not itself a trusted proxy. Entries further left can be written by anyone (MDN,
/// "X-Forwarded-For: security and privacy concerns"), so the walk stops at the first one
/// the proxies did not add; an entry that is not an address ends it at the peer.
pub fn client_address(
    cfg: &crate::workspace::WebConfig,
    peer: IpAddr,
    headers: &HeaderMap,
) -> IpAddr {
    if !cfg.trusted_proxies.contains(&peer) {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all(cfg.client_ip_header.as_str())
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for e in entries.iter().rev() {
        match e.parse::<IpAddr>() {
            Ok(ip) if cfg.trusted_proxies.contains(&ip) => continue,
            Ok(ip) => return ip,
            Err(_) => return peer,
        }
    }
    peer
}

/// How long `s` must still wait, if at all, with `free` failures allowed before backoff.
fn wait(s: &Strikes, free: u32, now: Instant) -> Option<Duration> {
    if s.count < free {
        return None;
    }
    let steps = (s.count - free).min(16);
    let backoff = BACKOFF.saturating_mul(1 << steps).min(WINDOW);
    let since = now.saturating_duration_since(s.last);
    (since < backoff).then(|| backoff - since)
}

fn forget_old<K: std::hash::Hash + Eq + Copy>(m: &mut HashMap<K, Strikes>, now: Instant) {
    m.retain(|_, s| now.saturating_duration_since(s.last) < FORGET);
}

/// Count one more failure against `k`, keeping the table within [`MAX_KEYS`].
fn strike<K: std::hash::Hash + Eq + Copy>(m: &mut HashMap<K, Strikes>, k: K, now: Instant) {
    if let Some(s) = m.get_mut(&k) {
        if now.saturating_duration_since(s.last) >= FORGET {
            s.count = 0;
        }
        s.count = s.count.saturating_add(1);
        s.last = now;
        return;
    }
    if m.len() >= MAX_KEYS {
        forget_old(m, now);
    }
    if m.len() >= MAX_KEYS {
        if let Some(oldest) = m.iter().min_by_key(|(_, s)| s.last).map(|(k, _)| *k) {
            m.remove(&oldest);
        }
    }
    m.insert(
        k,
        Strikes {
            count: 1,
            last: now,
        },
    );
}

impl LoginLimiter {
    /// Start an attempt for `pair` (see [`pair_key`]) from `address`: refused with the time
    /// to wait while either is backing off; otherwise counted as a failure at once (under
    /// the caller's lock), to be refunded by [`LoginLimiter::succeed`].
    pub fn begin(&mut self, pair: [u8; 16], address: IpAddr, now: Instant) -> Result<(), Duration> {
        let address = address_key(address);
        let fresh = |s: &&Strikes| now.saturating_duration_since(s.last) < FORGET;
        let w = [
            self.pairs
                .get(&pair)
                .filter(fresh)
                .and_then(|s| wait(s, MAX_FAILURES as u32, now)),
            self.addresses
                .get(&address)
                .filter(fresh)
                .and_then(|s| wait(s, MAX_FAILURES_PER_ADDRESS as u32, now)),
        ]
        .into_iter()
        .flatten()
        .max();
        if let Some(w) = w {
            return Err(w);
        }
        strike(&mut self.pairs, pair, now);
        strike(&mut self.addresses, address, now);
        Ok(())
    }

    /// The attempt begun for `pair` from `address` was right: the pair's failures are
    /// cleared and the address's provisional strike refunded (its earlier failures stay).
    pub fn succeed(&mut self, pair: [u8; 16], address: IpAddr) {
        self.pairs.remove(&pair);
        if let Some(s) = self.addresses.get_mut(&address_key(address)) {
            s.count = s.count.saturating_sub(1);
        }
    }

    /// Entries held (pairs, addresses), for tests and monitoring.
    pub fn len(&self) -> (usize, usize) {
        (self.pairs.len(), self.addresses.len())
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty() && self.addresses.is_empty()
    }
}

/// The error code of a right password whose account must choose a new one first.
pub const MUST_CHANGE: &str = "must_change_password";

/// Sign in: check the password (argon2 verify runs off the async threads), make a session.
/// Returns the session token for the cookie. A disabled account is refused (only once the
/// password was right, so guessing learns nothing); an account whose password an admin
/// reset must give `new_password`, which replaces it, before a session is made.
pub async fn sign_in(
    state: &AppState,
    username: &str,
    pw: &str,
    new_password: Option<&str>,
    client: IpAddr,
) -> Result<String, AppError> {
    let pair = pair_key(username, client);
    let begun = state
        .limiter
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .begin(pair, client, Instant::now());
    if let Err(wait) = begun {
        let secs = wait.as_secs().max(1);
        return Err(AppError::too_many(if secs < 90 {
            format!("Too many failed sign-ins; try again in {secs} seconds.")
        } else {
            format!(
                "Too many failed sign-ins; try again in {} minutes.",
                secs.div_ceil(60)
            )
        }));
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
    let given = pw;
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
                .succeed(pair, client);
            let (disabled, must_change) = state.store.account_status(u.id).await?;
            if disabled {
                return Err(AppError::forbidden(
                    "This account is disabled; ask a network admin.",
                ));
            }
            if must_change {
                let Some(new) = new_password.filter(|n| !n.is_empty()) else {
                    return Err(AppError {
                        status: axum::http::StatusCode::FORBIDDEN,
                        code: MUST_CHANGE,
                        message: "An admin reset this password: choose a new one to sign in."
                            .into(),
                    });
                };
                let refuse = |m: String| AppError {
                    status: axum::http::StatusCode::FORBIDDEN,
                    code: MUST_CHANGE,
                    message: format!("The new password was not accepted: {m}."),
                };
                if new == given {
                    return Err(refuse("it is the password that was reset".into()));
                }
                let new = new.to_string();
                let hashed = tokio::task::spawn_blocking(move || password::hash(&new))
                    .await
                    .map_err(AppError::internal)?
                    .map_err(|e| refuse(e.to_string()))?;
                state.store.set_password(u.id, &hashed).await?;
                state
                    .store
                    .audit(
                        u.username.as_str(),
                        "user.password",
                        "changed after a reset",
                    )
                    .await?;
            }
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
        // Already counted when the attempt began.
        _ => Err(fail()),
    }
}

fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| password::hash("dummy password for timing").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_outsider_cannot_lock_a_user_out_from_another_address() {
        let mut l = LoginLimiter::default();
        let t = Instant::now();
        let outsider = ip("203.0.113.9");
        let user = ip("198.51.100.7");
        for _ in 0..MAX_FAILURES {
            l.begin(pair_key("admin", outsider), outsider, t).unwrap();
        }
        // The outsider backs off…
        let w = l
            .begin(pair_key("Admin ", outsider), outsider, t)
            .unwrap_err();
        assert_eq!(w, BACKOFF);
        // …the user from their own address does not.
        l.begin(pair_key("admin", user), user, t).unwrap();
        l.succeed(pair_key("admin", user), user);
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_nobody_else_does() {
        let mut cfg = crate::workspace::WebConfig::default();
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", "6.6.6.6, 203.0.113.9".parse().unwrap());
        let proxy = ip("10.0.0.2");
        // No trusted proxy: the header is ignored.
        assert_eq!(client_address(&cfg, proxy, &h), proxy);
        cfg.trusted_proxies = vec![proxy, ip("10.0.0.3")];
        // The right-most address the proxy added, not the spoofable left-most.
        assert_eq!(client_address(&cfg, proxy, &h), ip("203.0.113.9"));
        h.append("x-forwarded-for", "10.0.0.3".parse().unwrap());
        assert_eq!(client_address(&cfg, proxy, &h), ip("203.0.113.9"));
        // Someone else sending the header is not believed.
        assert_eq!(
            client_address(&cfg, ip("198.51.100.1"), &h),
            ip("198.51.100.1")
        );
        // Garbage ends the walk at the proxy.
        let mut bad = HeaderMap::new();
        bad.append("x-forwarded-for", "1.2.3.4, unknown".parse().unwrap());
        assert_eq!(client_address(&cfg, proxy, &bad), proxy);
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let mut l = LoginLimiter::default();
        let a = ip("192.0.2.1");
        let k = pair_key("ann", a);
        let mut t = Instant::now();
        for _ in 0..MAX_FAILURES {
            l.begin(k, a, t).unwrap();
        }
        let mut expected = BACKOFF;
        for _ in 0..8 {
            assert_eq!(l.begin(k, a, t).unwrap_err(), expected);
            t += expected;
            l.begin(k, a, t).unwrap();
            expected = (expected * 2).min(WINDOW);
        }
        assert_eq!(expected, WINDOW);
        // Waiting the longest backoff out does not start the count afresh…
        assert_eq!(l.begin(k, a, t).unwrap_err(), WINDOW);
        t += WINDOW;
        l.begin(k, a, t).unwrap();
        assert_eq!(l.begin(k, a, t).unwrap_err(), WINDOW);
        // …forgetting does, an hour after the last failure.
        t += FORGET;
        for _ in 0..MAX_FAILURES {
            l.begin(k, a, t).unwrap();
        }
        assert_eq!(l.begin(k, a, t).unwrap_err(), BACKOFF);
    }

    #[test]
    fn ipv6_counts_by_slash_64_and_memory_is_bounded() {
        let mut l = LoginLimiter::default();
        let t = Instant::now();
        for i in 0..MAX_FAILURES_PER_ADDRESS {
            let a = ip(&format!("2001:db8:1:2::{i:x}"));
            l.begin(pair_key(&format!("user{i}"), a), a, t).unwrap();
        }
        let a = ip("2001:db8:1:2:ffff::1");
        assert!(l.begin(pair_key("someone", a), a, t).is_err());
        let mut l = LoginLimiter::default();
        for i in 0..(MAX_KEYS + 10) as u32 {
            let a = IpAddr::V4(std::net::Ipv4Addr::from(i));
            l.begin(pair_key(&"x".repeat(1000), a), a, t).unwrap();
        }
        assert_eq!(l.len(), (MAX_KEYS, MAX_KEYS));
    }
}
