//! The SQLite backend: one file in the workspace directory, in WAL mode so that readers (the
//! web pages) never wait for a writer (an import), with foreign keys enforced.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool};

use crate::backend::{migrate_impl, store_impl};
use crate::{Backend, Result};

/// SQLite migrations, in order.
const MIGRATIONS: [(i64, &str); 8] = [
    (1, include_str!("../migrations/sqlite/0001_workspace.sql")),
    (
        2,
        include_str!("../migrations/sqlite/0002_sha256_per_anchor.sql"),
    ),
    (
        3,
        include_str!("../migrations/sqlite/0003_account_status.sql"),
    ),
    (
        4,
        include_str!("../migrations/sqlite/0004_override_entity.sql"),
    ),
    (5, include_str!("../migrations/sqlite/0005_register.sql")),
    (
        6,
        include_str!("../migrations/sqlite/0006_asset_decision.sql"),
    ),
    (7, include_str!("../migrations/sqlite/0007_plan.sql")),
    (
        8,
        include_str!("../migrations/sqlite/0008_proclass_code.sql"),
    ),
];

/// A workspace in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Open (creating if needed) and migrate the database at `path`. A new database file is
    /// created readable and writable by its owner only (0600): it holds every anchor's
    /// payments, users' password hashes and sessions. SQLite gives its `-wal` and `-shm`
    /// files the database file's permissions.
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        SqliteStore::open_capped(path, None).await
    }

    /// [`SqliteStore::open`], the file capped at `max_mib` MiB (SQLite's `max_page_count`,
    /// set on every connection): a transaction that would grow it past the cap fails with
    /// `SQLITE_FULL` and is rolled back, exactly as on a full disk.
    pub async fn open_capped(path: &Path, max_mib: Option<u64>) -> Result<SqliteStore> {
        create_private(path)?;
        let mut opts = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a committed import survives power loss, not only a process crash.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        if let Some(mib) = max_mib {
            // Pages of the default size (4096 bytes; the store never changes it).
            opts = opts.pragma("max_page_count", (mib.max(1) * 256).to_string());
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await?;
        let s = SqliteStore { pool };
        s.migrate().await?;
        Ok(s)
    }

    async fn migrate(&self) -> Result<()> {
        migrate_impl!(&self.pool, Sqlite, crate::Backend::Sqlite, MIGRATIONS)
    }

    /// The connection pool (for tests that look at the tables directly).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// Create `path` empty with mode 0600 if it does not exist (an empty file is an empty
/// SQLite database); an existing file keeps its permissions.
fn create_private(path: &Path) -> Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    match o.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(crate::StoreError::Invalid(format!(
            "{}: cannot create the database: {e}",
            path.display()
        ))),
    }
}

store_impl!(SqliteStore, Sqlite, Backend::Sqlite);
