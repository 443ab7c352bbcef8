//! # anchornet-store
//!
//! Where a network's workspace keeps what it shares: anchors, users and their sessions, the
//! import batches with every accepted row and every issue row, the reviewers' overrides, the
//! status decisions on land and building assets, and the audit log.
//!
//! One trait, [`Store`], over two backends, chosen by the database URL's scheme (as atuin
//! chooses its server database):
//!
//! | URL | backend |
//! |---|---|
//! | `sqlite://PATH` or a plain path | [`sqlite::SqliteStore`]: one file, WAL journal — the default, in the workspace directory |
//! | `postgres://…` or `postgresql://…` | [`postgres::PgStore`]: a shared deployment with several web nodes |
//!
//! Each backend has its own migrations (`migrations/sqlite`, `migrations/postgres`) and the
//! same behaviour, which one story test (`tests/db_story.rs`) checks on both. Queries are
//! checked at run time with bound parameters; no database is needed to compile.
//!
//! An import is a **batch**: all of a file's rows are written in one transaction or none
//! are (a crash mid-import leaves nothing behind); the same bytes twice are recognised by
//! their SHA-256 and not imported again; a batch can be withdrawn, which removes its rows
//! from the analysis but keeps its reconciliation and issues report.
#![deny(missing_docs)]

use std::sync::Arc;

use anchornet_core::Payment;
use async_trait::async_trait;

mod backend;
pub mod model;
pub mod password;
pub mod postgres;
pub mod read;
pub mod sqlite;

pub use anchornet_core::supplier::REGISTER_COLUMNS;
pub use model::{
    now, Anchor, AssetDecision, AuditEntry, Batch, FileSummary, Imported, IssueRow, NewAnswer,
    NewAssetDecision, NewBatch, Override, PlanChange, PlanChangeKind, Role, Session, StoredAnswer,
    SupplierRow, User, Username,
};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database said no (connection, constraint, SQL).
    #[error("database: {0}{hint}", hint = full_hint(.0))]
    Db(#[from] sqlx::Error),
    /// A value that cannot be stored (the message says which and why).
    #[error("{0}")]
    Invalid(String),
    /// Something named does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// Something named exists already.
    #[error("{0} already exists")]
    Exists(String),
    /// An unusable database URL.
    #[error("database URL `{0}`: use sqlite://PATH, a file path, or postgres://…")]
    Url(String),
}

/// What to do when the database is full: SQLite's `SQLITE_FULL` (13) and PostgreSQL's
/// `disk_full` (53100) come from a full disk, and for SQLite also from the workspace's
/// `database_max_mib` cap. The write that hit it was rolled back whole.
fn full_hint(e: &sqlx::Error) -> &'static str {
    let code = e.as_database_error().and_then(|d| d.code());
    match code.as_deref() {
        Some("13") | Some("53100") => {
            " — the database is full (the disk, or `database_max_mib` in anchornet.toml): \
             nothing of this write was kept; free space or raise the cap, then try again"
        }
        _ => "",
    }
}

/// Result of a store operation.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Which backend a store is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Called while a batch is written: (rows written, rows in the batch).
pub type ImportProgress<'a> = &'a (dyn Fn(u64, u64) + Send + Sync);

/// A workspace's storage. Both backends implement it with the same behaviour.
#[async_trait]
pub trait Store: Send + Sync {
    /// Which backend this is.
    fn backend(&self) -> Backend;

    /// Add an anchor.
    async fn add_anchor(&self, name: &str, kind: &str) -> Result<Anchor>;
    /// Every anchor, by id.
    async fn anchors(&self) -> Result<Vec<Anchor>>;

    /// Add a user with an argon2 password hash (see [`password::hash`]).
    async fn add_user(&self, name: &Username, password_hash: &str, role: Role) -> Result<User>;
    /// Every user, by id.
    async fn users(&self) -> Result<Vec<User>>;
    /// A user and their password hash.
    async fn user_login(&self, name: &Username) -> Result<Option<(User, String)>>;
    /// Change a user's role.
    async fn set_role(&self, user_id: i64, role: Role) -> Result<()>;
    /// Change a user's password hash (and end their sessions); a required change is done.
    async fn set_password(&self, user_id: i64, password_hash: &str) -> Result<()>;
    /// An admin's reset: a new password hash that must be changed at the next sign-in; the
    /// user's sessions end.
    async fn reset_password(&self, user_id: i64, password_hash: &str) -> Result<()>;
    /// Disable (sign-in refused, sessions ended) or enable a user; their history stays.
    async fn set_disabled(&self, user_id: i64, disabled: bool) -> Result<()>;
    /// Delete a user and their sessions (the audit log keeps their name).
    async fn delete_user(&self, user_id: i64) -> Result<()>;
    /// A user's account status: (disabled, must change password at next sign-in).
    async fn account_status(&self, user_id: i64) -> Result<(bool, bool)>;

    /// Record a session (by the SHA-256 of its token).
    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()>;
    /// The live session with this token hash.
    async fn session(&self, token_hash: &str, now: i64) -> Result<Option<Session>>;
    /// End a session.
    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    /// Import a batch in one transaction: all its rows or none. The same bytes already live
    /// for the same anchor give [`Imported::AlreadyImported`] and add nothing; another
    /// anchor's copy of the same bytes is neither seen nor matched.
    async fn import_batch(
        &self,
        batch: &NewBatch,
        progress: ImportProgress<'_>,
    ) -> Result<Imported>;
    /// The anchor's live batch with these bytes, if any (duplicates are per anchor: another
    /// anchor's batches are never matched, so an upload cannot reveal them).
    async fn batch_by_sha256(&self, anchor_id: i64, sha256: &str) -> Result<Option<Batch>>;
    /// Batches, newest first, of one anchor or all.
    async fn batches(&self, anchor_id: Option<i64>) -> Result<Vec<Batch>>;
    /// One batch.
    async fn batch(&self, id: i64) -> Result<Option<Batch>>;
    /// A batch's issue rows, in file order.
    async fn batch_issues(&self, id: i64, limit: i64, offset: i64) -> Result<Vec<IssueRow>>;
    /// Withdraw a live batch: its rows leave the store, its report and issues stay.
    /// False when it was not live.
    async fn withdraw_batch(&self, id: i64, by: &str) -> Result<bool>;
    /// Every payment of every live batch, with its anchor id, in import order.
    async fn live_payments(&self) -> Result<Vec<(i64, Payment)>>;
    /// The live batches, `(batch id, anchor id)`, in id order.
    async fn live_batches(&self) -> Result<Vec<(i64, i64)>>;
    /// The payments of the given batches, `(batch id, anchor id, payment)`, batch by batch in
    /// id order and each batch's in import order; a batch that is not live gives none. With
    /// every live batch this is [`Store::live_payments`] batch by batch, which lets a reader
    /// that holds earlier batches read only the new ones.
    async fn batch_payments(&self, batches: &[i64]) -> Result<Vec<(i64, i64, Payment)>>;
    /// Every supplier-side record of every live batch.
    async fn live_supplier_records(&self) -> Result<Vec<SupplierRow>>;
    /// Payments in live batches (per anchor id).
    async fn payment_counts(&self) -> Result<Vec<(i64, i64)>>;
    /// Replace the persisted supplier register with `rows` (each in the order of
    /// [`REGISTER_COLUMNS`]), in one transaction: readers see the old register or the new.
    async fn replace_register(&self, rows: &[Vec<String>], built_at: i64) -> Result<()>;
    /// The persisted supplier register, in order, each row in the order of
    /// [`REGISTER_COLUMNS`].
    async fn register(&self) -> Result<Vec<Vec<String>>>;

    /// A value that changes whenever what the analysis reads changes (anchors, batches
    /// imported or withdrawn, review decisions) — so that every web node, and a server after
    /// `anchornet import` from the command line, can tell that its analysis is stale.
    async fn fingerprint(&self) -> Result<String>;
    /// Whether the database can be written now: a write transaction is begun (taking the
    /// write lock, so a database locked by another process does not pass), then rolled
    /// back. `/healthz` calls it with a short timeout.
    async fn health(&self) -> Result<()>;

    /// Record (or replace) a review decision.
    async fn set_override(&self, o: &Override) -> Result<()>;
    /// Every decision.
    async fn overrides(&self) -> Result<Vec<Override>>;

    /// Record a status decision on a land or building asset, in one transaction with its
    /// audit entry: refused ([`StoreError::Invalid`], nothing stored) when the asset key is
    /// empty or too long, the note too long, or the move is one the workflow does not allow
    /// from the asset's current status — its last stored decision's, else
    /// `from_register` ([`anchornet_core::AssetStatus::may_move`]). Two decisions on the same
    /// asset at once: one is stored, the other refused.
    async fn add_asset_decision(&self, d: &NewAssetDecision) -> Result<AssetDecision>;
    /// Every asset decision, in the order made.
    async fn asset_decisions(&self) -> Result<Vec<AssetDecision>>;

    /// Save self-assessment answers, all in one transaction with their change-log rows and
    /// one audit entry: all or none. An answer for the same anchor, year and question
    /// replaces the stored one; an answer the same as the stored one changes nothing.
    /// Refused ([`StoreError::Invalid`], nothing stored) when a level is not 1–4, a
    /// question id or the evidence is empty or too long. Returns how many answers changed.
    async fn save_answers(&self, answers: &[NewAnswer], by: &str, what: &str) -> Result<usize>;
    /// Every stored answer, by anchor, year and question.
    async fn answers(&self) -> Result<Vec<StoredAnswer>>;
    /// Append action changes to the plan's change log, stamped `at` with their cause, if
    /// the log's last action change is still the `after`-th (so a change seen by two web
    /// nodes at once is logged once). False, with nothing written, when another writer got
    /// there first.
    async fn add_plan_changes(
        &self,
        after: i64,
        changes: &[(String, String, String, String)],
        at: i64,
        cause: &str,
    ) -> Result<bool>;
    /// The plan's change log, in the order recorded.
    async fn plan_changes(&self) -> Result<Vec<PlanChange>>;

    /// Append to the audit log.
    async fn audit(&self, actor: &str, action: &str, detail: &str) -> Result<()>;
    /// The latest audit entries, newest first.
    async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>>;
}

/// Open (creating and migrating as needed) the store a URL names: `sqlite://PATH`,
/// `sqlite:PATH` or a plain path for SQLite; `postgres://…` or `postgresql://…` for
/// PostgreSQL.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    open_capped(url, None).await
}

/// [`open`], with a SQLite database capped at `max_mib` MiB: a write that would take it past
/// the cap fails whole, as on a full disk, so that uploads cannot fill the machine's disk.
/// A PostgreSQL server's space is its own administrator's to limit: a cap with a
/// PostgreSQL URL is an error.
pub async fn open_capped(url: &str, max_mib: Option<u64>) -> Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        if let Some(m) = max_mib {
            return Err(StoreError::Invalid(format!(
                "database_max_mib = {m} applies to SQLite only; limit a PostgreSQL database's \
                 space on its server"
            )));
        }
        Ok(Arc::new(postgres::PgStore::open(url).await?))
    } else if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        Ok(Arc::new(
            sqlite::SqliteStore::open_capped(path.as_ref(), max_mib).await?,
        ))
    } else if !url.contains("://") && !url.is_empty() {
        Ok(Arc::new(
            sqlite::SqliteStore::open_capped(url.as_ref(), max_mib).await?,
        ))
    } else {
        Err(StoreError::Url(redact_url(url)))
    }
}

/// A database URL with any password replaced by `***`, for messages (secrets are never
/// printed).
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &userinfo[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// SHA-256 of bytes as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@db:5432/x"),
            "postgres://u:***@db:5432/x"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/t"),
            "postgres://postgres@127.0.0.1/t"
        );
    }

    #[test]
    fn usernames_parse() {
        assert_eq!(Username::parse(" Ann.Lee ").unwrap().as_str(), "ann.lee");
        assert!(Username::parse("").is_err());
        assert!(Username::parse("a b").is_err());
        assert!(Username::parse("<script>").is_err());
    }
}
