//! Test helpers in the zero-to-production style: the real app on port 0 over a fresh
//! database — SQLite in a temporary directory, or PostgreSQL in a fresh schema — with real
//! anchors, users and batches (Salford's and Manchester's published payments for July 2021,
//! data/demo, Open Government Licence v3.0).
//!
//! PostgreSQL is at `ANCHORNET_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`); when it is unreachable the PostgreSQL half is
//! skipped with a note, unless `ANCHORNET_REQUIRE_POSTGRES=1`, when that is a failure.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anchornet_store::{password, Anchor, Role, Store, Username};
use anchornet_web::workspace::WorkspaceConfig;
use anchornet_web::AppState;

/// Every test user's password.
pub const PASSWORD: &str = "test-password-1";

/// Which database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    /// SQLite file.
    Sqlite,
    /// PostgreSQL schema.
    Postgres,
}

/// The backends to run on: SQLite always; PostgreSQL when reachable (or required).
pub async fn backends() -> Vec<Db> {
    let mut v = vec![Db::Sqlite];
    if postgres_reachable().await {
        v.push(Db::Postgres);
    }
    v
}

fn postgres_url() -> String {
    std::env::var("ANCHORNET_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

async fn postgres_reachable() -> bool {
    let url = postgres_url();
    // A fresh schema each time, dropped after: a probe schema kept between runs would hold
    // an older build's migrations.
    let schema = format!("t_probe_{}", &password::token()[..12]);
    let ok = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        anchornet_store::postgres::PgStore::open_in_schema(&url, Some(&schema)),
    )
    .await;
    match ok {
        Ok(Ok(_)) => {
            let _ = anchornet_store::postgres::PgStore::drop_schema(&url, &schema).await;
            true
        }
        other => {
            let why = match other {
                Ok(Err(e)) => e.to_string(),
                _ => "timed out".into(),
            };
            if std::env::var("ANCHORNET_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("PostgreSQL at {url} is required (ANCHORNET_REQUIRE_POSTGRES=1) but unreachable: {why}");
            }
            eprintln!("*** skipping the PostgreSQL runs: {url} unreachable ({why}) ***");
            false
        }
    }
}

/// The repository's demo data.
pub fn demo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/demo")
        .join(path)
}

/// The real data in `../shared/data` (or `$ANCHORNET_SHARED_DATA`), as the hub's tests read
/// it. Missing data is a failure, not a skip.
pub fn shared(rel: &str) -> PathBuf {
    let base = std::env::var_os("ANCHORNET_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let p = base.join(rel);
    assert!(
        p.exists(),
        "real data not found at {} (set ANCHORNET_SHARED_DATA)",
        p.display()
    );
    p
}

/// The hub's pipeline source in every test workspace: the 200 Contracts Finder releases of
/// January–March 2025 (OGL v3.0; ../shared/data/SOURCES.md 3f).
pub fn contracts_finder_2025() -> PathBuf {
    shared("procurement/contracts_finder_ocds_2025")
        .canonicalize()
        .unwrap()
}

/// A fresh temporary directory.
pub fn tempdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "anchornet-web-{tag}-{}-{}",
        std::process::id(),
        &password::token()[..10]
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn geo() -> Arc<anchornet_geo::GeoIndex> {
    static GEO: OnceLock<Arc<anchornet_geo::GeoIndex>> = OnceLock::new();
    GEO.get_or_init(|| Arc::new(anchornet_geo::GeoIndex::open_default().expect("geography index")))
        .clone()
}

/// A running app.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Its state (for independent checks against the same data).
    pub state: AppState,
    /// Its store.
    pub store: Arc<dyn Store>,
    /// The workspace directory.
    pub dir: PathBuf,
    /// Salford City Council.
    pub salford: Anchor,
    /// Manchester City Council.
    pub manchester: Anchor,
    /// HTTP client (no redirects followed, no cookie jar: sessions are explicit).
    pub http: reqwest::Client,
    /// Which database.
    pub db: Db,
    pg_schema: Option<String>,
}

/// A signed-in session.
#[derive(Debug, Clone)]
pub struct Session {
    /// `anchornet_session=…`.
    pub cookie: String,
    /// The session's CSRF token.
    pub csrf: String,
}

/// A response, read.
pub struct Resp {
    /// Status.
    pub status: u16,
    /// Headers.
    pub headers: reqwest::header::HeaderMap,
    /// Body.
    pub body: String,
}

impl Resp {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!("not JSON ({e}): {}", &self.body[..self.body.len().min(300)])
        })
    }
}

/// Copy a demo file under another name (so each anchor's batches have names of their own).
pub fn renamed(dir: &Path, demo_path: &str, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(demo(demo_path), &to).unwrap();
    to
}

impl TestApp {
    /// A workspace with anchors Salford and Manchester, users `admin`, `salford`,
    /// `manchester` (members) and `viewer`, Salford's and Manchester's July 2021 payments
    /// and Salford's contracts register imported, and the hub's pipeline from the 2025
    /// Contracts Finder notices (read when a hub page is first asked for); served on port 0.
    pub async fn spawn(db: Db, secure_cookies: bool) -> TestApp {
        TestApp::spawn_with(db, secure_cookies, "").await
    }

    /// As [`TestApp::spawn`], with `more` in `anchornet.toml` before its `[web]` section: top-level
    /// keys (`database_max_mib = 4`) or whole sections (`[assets]`).
    pub async fn spawn_with(db: Db, secure_cookies: bool, more: &str) -> TestApp {
        TestApp::spawn_with_sources(db, secure_cookies, more, &contracts_finder_2025()).await
    }

    /// As [`TestApp::spawn_with`], with `hub_sources` (a file or folder) as `[hub] sources`.
    pub async fn spawn_with_sources(
        db: Db,
        secure_cookies: bool,
        more: &str,
        hub_sources: &Path,
    ) -> TestApp {
        let dir = tempdir("app");
        std::fs::write(
            dir.join("anchornet.toml"),
            format!(
                "name = \"Test network\"\nlocal_place = \"Manchester, Salford and Trafford\"\nwider_place = \"Greater Manchester\"\nplaces = {:?}\n{more}\n[web]\nsecure_cookies = {secure_cookies}\n[hub]\nsources = [{:?}]\n",
                demo("places.toml").canonicalize().unwrap().display().to_string(),
                hub_sources.display().to_string()
            ),
        )
        .unwrap();
        let cfg = WorkspaceConfig::load(&dir).unwrap();
        let (store, pg_schema): (Arc<dyn Store>, _) = match db {
            Db::Sqlite => (cfg.open_store().await.unwrap(), None),
            Db::Postgres => {
                let schema = format!("w_{}", &password::token()[..16]);
                (
                    Arc::new(
                        anchornet_store::postgres::PgStore::open_in_schema(
                            &postgres_url(),
                            Some(&schema),
                        )
                        .await
                        .unwrap(),
                    ),
                    Some(schema),
                )
            }
        };
        let salford = store
            .add_anchor("Salford City Council", "council")
            .await
            .unwrap();
        let manchester = store
            .add_anchor("Manchester City Council", "council")
            .await
            .unwrap();
        let hash = password::hash(PASSWORD).unwrap();
        for (u, r) in [
            ("admin", Role::Admin),
            ("salford", Role::Member(salford.id)),
            ("manchester", Role::Member(manchester.id)),
            ("viewer", Role::Viewer),
        ] {
            store
                .add_user(&Username::parse(u).unwrap(), &hash, r)
                .await
                .unwrap();
        }
        let files = dir.join("files");
        std::fs::create_dir_all(&files).unwrap();
        for (a, src, name) in [
            (
                &salford,
                "spend/salford/2021-07.csv.xz",
                "salford-2021-07.csv.xz",
            ),
            (
                &salford,
                "registers/salford_contracts_register_2022.csv.xz",
                "salford-register.csv.xz",
            ),
            (
                &manchester,
                "spend/manchester/2021-07.csv.xz",
                "manchester-2021-07.csv.xz",
            ),
        ] {
            let p = renamed(&files, src, name);
            anchornet_web::import::import_file(store.as_ref(), a, &p, "setup", &cfg.limits)
                .await
                .unwrap();
        }
        let (state, base) = Self::serve_new(store.clone(), cfg).await;
        TestApp {
            base,
            state,
            store,
            dir,
            salford,
            manchester,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            db,
            pg_schema,
        }
    }

    /// A web node over `store`: its analysis built, served on a free loopback port; the
    /// state and the base URL.
    async fn serve_new(store: Arc<dyn Store>, cfg: WorkspaceConfig) -> (AppState, String) {
        let state = AppState::new(store, cfg, geo());
        state.rebuild().await.unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let st = state.clone();
        tokio::spawn(async move {
            anchornet_web::serve(
                st,
                "127.0.0.1:0",
                |a| tx.send(a).unwrap(),
                std::future::pending(),
            )
            .await
            .unwrap();
        });
        let addr = rx.await.unwrap();
        (state, format!("http://{addr}"))
    }

    /// A second web node on this app's database (the same SQLite file, or the same
    /// PostgreSQL schema), with its own process state (analysis, limiter, jobs), served on
    /// another port. Clean up the first node only.
    pub async fn second_node(&self) -> TestApp {
        let cfg = WorkspaceConfig::load(&self.dir).unwrap();
        let store: Arc<dyn Store> = match self.db {
            Db::Sqlite => cfg.open_store().await.unwrap(),
            Db::Postgres => Arc::new(
                anchornet_store::postgres::PgStore::open_in_schema(
                    &postgres_url(),
                    self.pg_schema.as_deref(),
                )
                .await
                .unwrap(),
            ),
        };
        let (state, base) = Self::serve_new(store.clone(), cfg).await;
        TestApp {
            base,
            state,
            store,
            dir: self.dir.clone(),
            salford: self.salford.clone(),
            manchester: self.manchester.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            db: self.db,
            pg_schema: None,
        }
    }

    /// Remove the database.
    pub async fn cleanup(self) {
        if let Some(s) = &self.pg_schema {
            anchornet_store::postgres::PgStore::drop_schema(&postgres_url(), s)
                .await
                .unwrap();
        }
        std::fs::remove_dir_all(&self.dir).ok();
    }

    async fn read(r: reqwest::Response) -> Resp {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        Resp {
            status,
            headers,
            body: r.text().await.unwrap(),
        }
    }

    /// GET, with a session or without.
    pub async fn get(&self, s: Option<&Session>, path: &str) -> Resp {
        let mut rq = self.http.get(format!("{}{path}", self.base));
        if let Some(s) = s {
            rq = rq.header("cookie", &s.cookie);
        }
        Self::read(rq.send().await.unwrap()).await
    }

    /// POST a form.
    pub async fn post_form(&self, s: Option<&Session>, path: &str, form: &[(&str, &str)]) -> Resp {
        let mut rq = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                form.iter()
                    .map(|(k, v)| {
                        format!(
                            "{}={}",
                            anchornet_web::page::urlencode(k),
                            anchornet_web::page::urlencode(v)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("&"),
            );
        if let Some(s) = s {
            rq = rq.header("cookie", &s.cookie);
        }
        Self::read(rq.send().await.unwrap()).await
    }

    /// POST a raw body with the CSRF header.
    pub async fn post_bytes(&self, s: &Session, path: &str, body: Vec<u8>) -> Resp {
        let rq = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", &s.cookie)
            .header("x-csrf-token", &s.csrf)
            .body(body);
        Self::read(rq.send().await.unwrap()).await
    }

    /// Sign in through the form (with its pre-session token), as a browser would. Returns the
    /// failed response on failure.
    pub async fn try_login(&self, user: &str, pw: &str) -> Result<Session, Resp> {
        let page = self.get(None, "/login").await;
        let pre = set_cookie(&page.headers, "anchornet_login").expect("pre-session cookie");
        let token = hidden(&page.body, "csrf");
        let r = self
            .http
            .post(format!("{}/login", self.base))
            .header("cookie", format!("anchornet_login={pre}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "csrf={token}&username={user}&password={}&next=/overview",
                anchornet_web::page::urlencode(pw)
            ))
            .send()
            .await
            .unwrap();
        let r = Self::read(r).await;
        if r.status != 303 {
            return Err(r);
        }
        let cookie = format!(
            "anchornet_session={}",
            set_cookie(&r.headers, "anchornet_session").unwrap()
        );
        let mut s = Session {
            cookie,
            csrf: String::new(),
        };
        s.csrf = self.get(Some(&s), "/me.json").await.json()["csrf"]
            .as_str()
            .unwrap()
            .to_string();
        Ok(s)
    }

    /// Sign in or panic.
    pub async fn login(&self, user: &str) -> Session {
        self.try_login(user, PASSWORD)
            .await
            .unwrap_or_else(|r| panic!("login {user}: {} {}", r.status, r.body))
    }

    /// Import bytes through the API and wait for the job.
    pub async fn import(
        &self,
        s: &Session,
        anchor: i64,
        name: &str,
        bytes: Vec<u8>,
    ) -> serde_json::Value {
        let r = self
            .post_bytes(
                s,
                &format!("/api/imports?anchor={anchor}&name={name}&wait=true"),
                bytes,
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["job"].clone()
    }
}

/// A cookie's value from `Set-Cookie` headers.
pub fn set_cookie(h: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    h.get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix(&format!("{name}="))
                .map(|r| r.split(';').next().unwrap_or("").to_string())
        })
}

/// The full `Set-Cookie` header of a cookie.
pub fn set_cookie_header(h: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    h.get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// The value of a hidden input.
pub fn hidden(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no hidden {name}"));
    let rest = &html[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// A review-queue row (of `/review.json`) about a link the resolver made — a merge, so that
/// rejecting it changes something.
pub fn merged_link(app: &TestApp, items: &[serde_json::Value]) -> serde_json::Value {
    let snap = app.state.snap();
    let entity_of = |n: &str| snap.prepared.resolution.name(n).map(|x| x.entity);
    items
        .iter()
        .find(|i| {
            i["kind"] == "link"
                && entity_of(i["subject"].as_str().unwrap())
                    == entity_of(i["entity"].as_str().unwrap())
        })
        .expect("a merged link in the review queue")
        .clone()
}
