//! The PostgreSQL backend, for a shared deployment: several stateless web nodes on one
//! database.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres};

use crate::backend::{migrate_impl, store_impl};
use crate::{Backend, Result, StoreError};

/// PostgreSQL migrations, in order.
const MIGRATIONS: [(i64, &str); 8] = [
    (1, include_str!("../migrations/postgres/0001_workspace.sql")),
    (
        2,
        include_str!("../migrations/postgres/0002_sha256_per_anchor.sql"),
    ),
    (
        3,
        include_str!("../migrations/postgres/0003_account_status.sql"),
    ),
    (
        4,
        include_str!("../migrations/postgres/0004_override_entity.sql"),
    ),
    (5, include_str!("../migrations/postgres/0005_register.sql")),
    (
        6,
        include_str!("../migrations/postgres/0006_asset_decision.sql"),
    ),
    (7, include_str!("../migrations/postgres/0007_plan.sql")),
    (
        8,
        include_str!("../migrations/postgres/0008_proclass_code.sql"),
    ),
];

/// A workspace in a PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connect to `url` and migrate.
    pub async fn open(url: &str) -> Result<PgStore> {
        PgStore::open_in_schema(url, None).await
    }

    /// Connect to `url` with every table in `schema` (created if missing), and migrate. Tests
    /// use a fresh schema per run; a deployment can keep several workspaces in one database.
    pub async fn open_in_schema(url: &str, schema: Option<&str>) -> Result<PgStore> {
        let mut opts =
            PgConnectOptions::from_str(url).map_err(|_| StoreError::Url(crate::redact_url(url)))?;
        if let Some(s) = schema {
            if s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(StoreError::Invalid(format!("schema name `{s}`")));
            }
            let admin = PgPoolOptions::new()
                .max_connections(1)
                .connect_with(opts.clone())
                .await?;
            sqlx::raw_sql(&format!("CREATE SCHEMA IF NOT EXISTS {s}"))
                .execute(&admin)
                .await?;
            admin.close().await;
            opts = opts.options([("search_path", s)]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(std::time::Duration::from_secs(10))
            .connect_with(opts)
            .await?;
        let s = PgStore { pool };
        s.migrate().await?;
        Ok(s)
    }

    async fn migrate(&self) -> Result<()> {
        migrate_impl!(&self.pool, Postgres, crate::Backend::Postgres, MIGRATIONS)
    }

    /// Drop a schema and everything in it (test clean-up).
    pub async fn drop_schema(url: &str, schema: &str) -> Result<()> {
        if !schema
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(StoreError::Invalid(format!("schema name `{schema}`")));
        }
        let pool = PgPoolOptions::new().max_connections(1).connect(url).await?;
        sqlx::raw_sql(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .execute(&pool)
            .await?;
        pool.close().await;
        Ok(())
    }

    /// The connection pool (for tests that look at the tables directly).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

store_impl!(PgStore, Postgres, Backend::Postgres);
