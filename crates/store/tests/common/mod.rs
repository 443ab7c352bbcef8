//! Test helpers: a temporary directory, and a fresh PostgreSQL schema (or a skip, unless
//! `ANCHORNET_REQUIRE_POSTGRES=1`, when an unreachable PostgreSQL fails the test).

#![allow(dead_code)]

use std::path::PathBuf;

/// The PostgreSQL the tests use.
pub fn postgres_url() -> String {
    std::env::var("ANCHORNET_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A fresh directory under the system temp dir.
pub fn tempdir() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "anchornet-store-{}-{}",
        std::process::id(),
        &anchornet_store::password::token()[..12]
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The URL and a fresh schema name, or `None` (with a note) when PostgreSQL is not there
/// and not required.
pub async fn postgres() -> Option<(String, String)> {
    let url = postgres_url();
    let reachable = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(&url),
    )
    .await;
    match reachable {
        Ok(Ok(pool)) => {
            pool.close().await;
            Some((
                url,
                format!("t_{}", &anchornet_store::password::token()[..16]),
            ))
        }
        other => {
            let why = match other {
                Ok(Err(e)) => e.to_string(),
                _ => "timed out".into(),
            };
            if std::env::var("ANCHORNET_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("PostgreSQL at {url} is required (ANCHORNET_REQUIRE_POSTGRES=1) but unreachable: {why}");
            }
            eprintln!("skipping the PostgreSQL half: {url} unreachable ({why})");
            None
        }
    }
}
