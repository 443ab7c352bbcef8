//! The [`Store`](crate::Store) implementation, written once and instantiated for each backend
//! by `store_impl!`. Every statement is portable SQL with `$N` parameters (both SQLite and
//! PostgreSQL read them); what differs between the backends — column types, identity
//! columns — lives in each backend's migrations.

use anchornet_core::{FinancialYear, Payment, PaymentDate, Pence};
use anchornet_ingest::SupplierRecord;

use crate::model::{FileSummary, Role, User, Username};
use crate::StoreError;

/// Payment columns, in insert order.
pub(crate) const PAYMENT_COLUMNS: &str = "batch_id, anchor_id, source_file, line, date, amount, gross, vat, supplier_name, redacted, supplier_id, company_number, charity_number, vat_number, supplier_postcode, expense_type, procurement_category, expense_code, service_area, transaction_id, capital_revenue, description, proclass_code";

/// Supplier record columns, in insert order.
pub(crate) const SUPPLIER_COLUMNS: &str = "batch_id, anchor_id, source_file, line, name, postcode, company_number, charity_number, vat_number, supplier_id, sme, value, category, description, date";

/// Batch columns, in select order.
pub(crate) const BATCH_COLUMNS: &str = "id, anchor_id, file_name, sha256, bytes, kind, rows_read, accepted, skipped, rejected, total_pence, first_date, last_date, reports, imported_by, imported_at, withdrawn_by, withdrawn_at";

/// Rows per multi-row INSERT: 23 columns × 400 rows stays under both backends' limits on
/// bound parameters (SQLite 32,766; PostgreSQL 65,535).
pub(crate) const CHUNK: usize = 400;

pub(crate) fn bad(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("stored {what} is unreadable: {e}"))
}

// One argument per column: each backend decodes its own row type, then builds here.
#[allow(clippy::too_many_arguments)]
pub(crate) fn payment_from(
    source_file: String,
    line: i64,
    date: &str,
    amount: i64,
    gross: Option<i64>,
    vat: Option<i64>,
    texts: [Option<String>; 12],
    supplier_name: String,
    redacted: i64,
    anchor: String,
    proclass_code: Option<String>,
) -> Result<Payment, StoreError> {
    let date = PaymentDate::parse(date).map_err(|e| bad("date", e))?;
    let [supplier_id, company_number, charity_number, vat_number, supplier_postcode, expense_type, procurement_category, expense_code, service_area, transaction_id, capital_revenue, description] =
        texts;
    Ok(Payment {
        anchor,
        source_file,
        line: line as u64,
        date,
        financial_year: FinancialYear::of(date),
        amount: Pence(amount),
        gross: gross.map(Pence),
        vat: vat.map(Pence),
        supplier_name,
        redacted: redacted != 0,
        supplier_id,
        company_number,
        charity_number,
        vat_number,
        supplier_postcode,
        expense_type,
        procurement_category,
        expense_code,
        proclass_code: proclass_code
            .map(|c| anchornet_core::ProclassCode::parse(&c))
            .transpose()
            .map_err(|e| bad("ProClass code", e))?,
        service_area,
        transaction_id,
        capital_revenue,
        description,
    })
}

pub(crate) fn user_from(
    id: i64,
    name: String,
    role: &str,
    anchor: Option<i64>,
) -> Result<User, StoreError> {
    Ok(User {
        id,
        username: Username::parse(&name)?,
        role: Role::from_columns(role, anchor)?,
    })
}

pub(crate) fn reports_from(json: &str) -> Result<Vec<FileSummary>, StoreError> {
    serde_json::from_str(json).map_err(|e| bad("report", e))
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn supplier_from(
    anchor: String,
    source_file: String,
    line: i64,
    name: String,
    texts: [Option<String>; 5],
    sme: Option<i64>,
    value: Option<i64>,
    category: Option<String>,
    description: Option<String>,
    date: Option<String>,
) -> SupplierRecord {
    let [postcode, company_number, charity_number, vat_number, supplier_id] = texts;
    SupplierRecord {
        anchor,
        source_file,
        line: line as u64,
        name,
        postcode,
        company_number,
        charity_number,
        vat_number,
        supplier_id,
        sme: sme.map(|v| v != 0),
        value: value.map(Pence),
        category,
        description,
        // Written by this store from a parsed date; a value that does not parse (edited by
        // hand) is left out rather than failing the whole workspace.
        date: date.and_then(|d| anchornet_core::PaymentDate::parse(&d).ok()),
    }
}

/// Whether an error is a unique-constraint violation (a concurrent import of the same bytes).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// The body of `impl Store`, for one backend.
macro_rules! store_impl {
    ($store:ty, $db:ty, $backend:expr) => {
        impl $store {
            /// Begin a transaction that writes. On SQLite it takes the write lock at once
            /// (`BEGIN IMMEDIATE`), so waiting for another writer goes through the busy
            /// timeout; a deferred transaction that reads first and then writes is refused
            /// with `database is locked` at once when another connection holds the lock (for
            /// instance, one whose dropped transaction's rollback has not run yet).
            async fn write_tx(&self) -> $crate::Result<sqlx::Transaction<'static, $db>> {
                Ok(self.pool.begin_with($crate::backend::begin_write($backend)).await?)
            }

            /// Run one account change (`$1` = the user's id) and end the user's sessions,
            /// in one transaction.
            async fn account_update(&self, user_id: i64, q: &str) -> $crate::Result<()> {
                let mut tx = self.write_tx().await?;
                let n = sqlx::query::<$db>(q)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err($crate::StoreError::NotFound(format!("user {user_id}")));
                }
                sqlx::query::<$db>("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            /// Every anchor's name by id.
            async fn anchor_names(&self) -> $crate::Result<std::collections::HashMap<i64, String>> {
                use $crate::Store;
                Ok(self.anchors().await?.into_iter().map(|a| (a.id, a.name)).collect())
            }

            /// One row of [`PAYMENT_COLUMNS`] as `(batch id, anchor id, payment)`.
            fn payment_row(
                r: &<$db as sqlx::Database>::Row,
                names: &std::collections::HashMap<i64, String>,
            ) -> $crate::Result<(i64, i64, anchornet_core::Payment)> {
                use sqlx::Row;
                let batch_id: i64 = r.try_get(0)?;
                let anchor_id: i64 = r.try_get(1)?;
                let t = |i: usize| -> std::result::Result<Option<String>, sqlx::Error> { r.try_get(i) };
                let p = $crate::backend::payment_from(
                    r.try_get(2)?,
                    r.try_get(3)?,
                    &r.try_get::<String, _>(4)?,
                    r.try_get(5)?,
                    r.try_get(6)?,
                    r.try_get(7)?,
                    [t(10)?, t(11)?, t(12)?, t(13)?, t(14)?, t(15)?, t(16)?, t(17)?, t(18)?, t(19)?, t(20)?, t(21)?],
                    r.try_get(8)?,
                    r.try_get(9)?,
                    names.get(&anchor_id).cloned().unwrap_or_default(),
                    t(22)?,
                )?;
                Ok((batch_id, anchor_id, p))
            }
        }

        #[async_trait::async_trait]
        impl $crate::Store for $store {
            fn backend(&self) -> $crate::Backend {
                $backend
            }

            async fn add_anchor(&self, name: &str, kind: &str) -> $crate::Result<$crate::Anchor> {
                let name = name.trim();
                if name.is_empty() || name.len() > 200 {
                    return Err($crate::StoreError::Invalid(format!(
                        "anchor name `{name}`: 1–200 characters"
                    )));
                }
                let row = sqlx::query::<$db>(
                    "INSERT INTO anchors (name, kind, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (name) DO NOTHING RETURNING id",
                )
                .bind(name)
                .bind(kind)
                .bind($crate::now())
                .fetch_optional(&self.pool)
                .await?;
                match row {
                    Some(r) => Ok($crate::Anchor {
                        id: sqlx::Row::try_get(&r, 0)?,
                        name: name.to_string(),
                        kind: kind.to_string(),
                    }),
                    None => Err($crate::StoreError::Exists(format!("anchor `{name}`"))),
                }
            }

            async fn anchors(&self) -> $crate::Result<Vec<$crate::Anchor>> {
                let rows = sqlx::query_as::<$db, (i64, String, String)>(
                    "SELECT id, name, kind FROM anchors ORDER BY id",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, name, kind)| $crate::Anchor { id, name, kind })
                    .collect())
            }

            async fn add_user(
                &self,
                name: &$crate::Username,
                password_hash: &str,
                role: $crate::Role,
            ) -> $crate::Result<$crate::User> {
                if let Some(a) = role.anchor() {
                    if !self.anchors().await?.iter().any(|x| x.id == a) {
                        return Err($crate::StoreError::NotFound(format!("anchor {a}")));
                    }
                }
                let row = sqlx::query_as::<$db, (i64,)>(
                    "INSERT INTO users (username, password_hash, role, anchor_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING RETURNING id",
                )
                .bind(name.as_str())
                .bind(password_hash)
                .bind(role.name())
                .bind(role.anchor())
                .bind($crate::now())
                .fetch_optional(&self.pool)
                .await?;
                match row {
                    Some((id,)) => Ok($crate::User {
                        id,
                        username: name.clone(),
                        role,
                    }),
                    None => Err($crate::StoreError::Exists(format!("user `{name}`"))),
                }
            }

            async fn users(&self) -> $crate::Result<Vec<$crate::User>> {
                let rows = sqlx::query_as::<$db, (i64, String, String, Option<i64>)>(
                    "SELECT id, username, role, anchor_id FROM users ORDER BY id",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(id, n, r, a)| $crate::backend::user_from(id, n, &r, a))
                    .collect()
            }

            async fn user_login(
                &self,
                name: &$crate::Username,
            ) -> $crate::Result<Option<($crate::User, String)>> {
                let row = sqlx::query_as::<$db, (i64, String, String, Option<i64>, String)>(
                    "SELECT id, username, role, anchor_id, password_hash FROM users WHERE username = $1",
                )
                .bind(name.as_str())
                .fetch_optional(&self.pool)
                .await?;
                row.map(|(id, n, r, a, h)| Ok(($crate::backend::user_from(id, n, &r, a)?, h)))
                    .transpose()
            }

            async fn set_role(&self, user_id: i64, role: $crate::Role) -> $crate::Result<()> {
                if let Some(a) = role.anchor() {
                    if !self.anchors().await?.iter().any(|x| x.id == a) {
                        return Err($crate::StoreError::NotFound(format!("anchor {a}")));
                    }
                }
                let mut tx = self.write_tx().await?;
                let n = sqlx::query::<$db>("UPDATE users SET role = $1, anchor_id = $2 WHERE id = $3")
                    .bind(role.name())
                    .bind(role.anchor())
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err($crate::StoreError::NotFound(format!("user {user_id}")));
                }
                // A changed role takes effect at once: the user signs in again.
                sqlx::query::<$db>("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn reset_password(&self, user_id: i64, password_hash: &str) -> $crate::Result<()> {
                self.set_password(user_id, password_hash).await?;
                self.account_update(user_id, "UPDATE users SET must_change_password = 1 WHERE id = $1").await
            }

            async fn set_disabled(&self, user_id: i64, disabled: bool) -> $crate::Result<()> {
                if disabled {
                    let q = format!("UPDATE users SET disabled_at = {} WHERE id = $1", $crate::now());
                    self.account_update(user_id, &q).await
                } else {
                    self.account_update(user_id, "UPDATE users SET disabled_at = NULL WHERE id = $1").await
                }
            }

            async fn delete_user(&self, user_id: i64) -> $crate::Result<()> {
                let mut tx = self.write_tx().await?;
                sqlx::query::<$db>("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                let n = sqlx::query::<$db>("DELETE FROM users WHERE id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err($crate::StoreError::NotFound(format!("user {user_id}")));
                }
                tx.commit().await?;
                Ok(())
            }

            async fn account_status(&self, user_id: i64) -> $crate::Result<(bool, bool)> {
                let row = sqlx::query_as::<$db, (Option<i64>, i64)>(
                    "SELECT disabled_at, must_change_password FROM users WHERE id = $1",
                )
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| $crate::StoreError::NotFound(format!("user {user_id}")))?;
                Ok((row.0.is_some(), row.1 != 0))
            }

            async fn set_password(&self, user_id: i64, password_hash: &str) -> $crate::Result<()> {
                let mut tx = self.write_tx().await?;
                let n = sqlx::query::<$db>("UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2")
                    .bind(password_hash)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err($crate::StoreError::NotFound(format!("user {user_id}")));
                }
                sqlx::query::<$db>("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_session(
                &self,
                token_hash: &str,
                user_id: i64,
                csrf: &str,
                expires_at: i64,
            ) -> $crate::Result<()> {
                let now = $crate::now();
                sqlx::query::<$db>("DELETE FROM sessions WHERE expires_at < $1")
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                sqlx::query::<$db>(
                    "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(token_hash)
                .bind(user_id)
                .bind(csrf)
                .bind(now)
                .bind(expires_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn session(
                &self,
                token_hash: &str,
                now: i64,
            ) -> $crate::Result<Option<$crate::Session>> {
                let row = sqlx::query_as::<$db, (i64, String, String, Option<i64>, String, i64)>(
                    "SELECT u.id, u.username, u.role, u.anchor_id, s.csrf, s.expires_at \
                     FROM sessions s JOIN users u ON u.id = s.user_id \
                     WHERE s.token_hash = $1 AND s.expires_at > $2",
                )
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|(id, n, r, a, csrf, expires_at)| {
                    Ok($crate::Session {
                        user: $crate::backend::user_from(id, n, &r, a)?,
                        csrf,
                        expires_at,
                    })
                })
                .transpose()
            }

            async fn delete_session(&self, token_hash: &str) -> $crate::Result<()> {
                sqlx::query::<$db>("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn import_batch(
                &self,
                b: &$crate::NewBatch,
                progress: $crate::ImportProgress<'_>,
            ) -> $crate::Result<$crate::Imported> {
                if let Some(existing) = self.batch_by_sha256(b.anchor_id, &b.sha256).await? {
                    return Ok($crate::Imported::AlreadyImported(existing));
                }
                let anchors = self.anchors().await?;
                let anchor = anchors
                    .iter()
                    .find(|a| a.id == b.anchor_id)
                    .ok_or_else(|| $crate::StoreError::NotFound(format!("anchor {}", b.anchor_id)))?;
                let (rows_read, accepted, skipped, rejected, total, first, last) = b.totals();
                let reports = serde_json::to_string(&b.reports)
                    .map_err(|e| $crate::StoreError::Invalid(e.to_string()))?;
                let mut tx = self.write_tx().await?;
                let inserted = sqlx::query_as::<$db, (i64,)>(
                    "INSERT INTO batches (anchor_id, file_name, sha256, bytes, kind, rows_read, \
                     accepted, skipped, rejected, total_pence, first_date, last_date, reports, \
                     imported_by, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
                     $11, $12, $13, $14, $15) RETURNING id",
                )
                .bind(b.anchor_id)
                .bind(&b.file_name)
                .bind(&b.sha256)
                .bind(b.bytes)
                .bind(b.kind())
                .bind(rows_read)
                .bind(accepted)
                .bind(skipped)
                .bind(rejected)
                .bind(total)
                .bind(first)
                .bind(last)
                .bind(reports)
                .bind(&b.imported_by)
                .bind($crate::now())
                .fetch_one(&mut *tx)
                .await;
                let id = match inserted {
                    Ok((id,)) => id,
                    Err(e) if $crate::backend::is_unique_violation(&e) => {
                        drop(tx);
                        let existing = self.batch_by_sha256(b.anchor_id, &b.sha256).await?.ok_or_else(|| {
                            $crate::StoreError::Invalid("a concurrent import of the same file was withdrawn".into())
                        })?;
                        return Ok($crate::Imported::AlreadyImported(existing));
                    }
                    Err(e) => return Err(e.into()),
                };
                let total_rows = (b.payments.len() + b.suppliers.len()) as u64;
                let mut done = 0u64;
                progress(0, total_rows);
                for chunk in b.payments.chunks($crate::backend::CHUNK) {
                    let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                        "INSERT INTO payments ({}) ",
                        $crate::backend::PAYMENT_COLUMNS
                    ));
                    q.push_values(chunk, |mut r, p| {
                        r.push_bind(id)
                            .push_bind(b.anchor_id)
                            .push_bind(&p.source_file)
                            .push_bind(p.line as i64)
                            .push_bind(p.date.to_string())
                            .push_bind(p.amount.0)
                            .push_bind(p.gross.map(|x| x.0))
                            .push_bind(p.vat.map(|x| x.0))
                            .push_bind(&p.supplier_name)
                            .push_bind(p.redacted as i64)
                            .push_bind(&p.supplier_id)
                            .push_bind(&p.company_number)
                            .push_bind(&p.charity_number)
                            .push_bind(&p.vat_number)
                            .push_bind(&p.supplier_postcode)
                            .push_bind(&p.expense_type)
                            .push_bind(&p.procurement_category)
                            .push_bind(&p.expense_code)
                            .push_bind(&p.service_area)
                            .push_bind(&p.transaction_id)
                            .push_bind(&p.capital_revenue)
                            .push_bind(&p.description)
                            .push_bind(p.proclass_code.map(|c| c.to_string()));
                    });
                    q.build().execute(&mut *tx).await?;
                    done += chunk.len() as u64;
                    progress(done, total_rows);
                }
                for chunk in b.suppliers.chunks($crate::backend::CHUNK) {
                    let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                        "INSERT INTO supplier_records ({}) ",
                        $crate::backend::SUPPLIER_COLUMNS
                    ));
                    q.push_values(chunk, |mut r, s| {
                        r.push_bind(id)
                            .push_bind(b.anchor_id)
                            .push_bind(&s.source_file)
                            .push_bind(s.line as i64)
                            .push_bind(&s.name)
                            .push_bind(&s.postcode)
                            .push_bind(&s.company_number)
                            .push_bind(&s.charity_number)
                            .push_bind(&s.vat_number)
                            .push_bind(&s.supplier_id)
                            .push_bind(s.sme.map(|x| x as i64))
                            .push_bind(s.value.map(|x| x.0))
                            .push_bind(&s.category)
                            .push_bind(&s.description)
                            .push_bind(s.date.map(|d| d.to_string()));
                    });
                    q.build().execute(&mut *tx).await?;
                    done += chunk.len() as u64;
                    progress(done, total_rows);
                }
                for chunk in b.issues.chunks($crate::backend::CHUNK) {
                    let mut q = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO issues (batch_id, file, line, column_name, value, problem, outcome) ",
                    );
                    q.push_values(chunk, |mut r, i| {
                        r.push_bind(id)
                            .push_bind(&i.file)
                            .push_bind(i.line)
                            .push_bind(&i.column)
                            .push_bind(&i.value)
                            .push_bind(&i.problem)
                            .push_bind(&i.outcome);
                    });
                    q.build().execute(&mut *tx).await?;
                }
                sqlx::query::<$db>(
                    "INSERT INTO audit_log (at, actor, action, detail) VALUES ($1, $2, 'import', $3)",
                )
                .bind($crate::now())
                .bind(&b.imported_by)
                .bind(format!(
                    "batch {id}: {} for {} ({} rows accepted, sha256 {})",
                    b.file_name, anchor.name, accepted, &b.sha256[..12.min(b.sha256.len())]
                ))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                let batch = self
                    .batch(id)
                    .await?
                    .ok_or_else(|| $crate::StoreError::NotFound(format!("batch {id}")))?;
                Ok($crate::Imported::Created(batch))
            }

            async fn batch_by_sha256(&self, anchor_id: i64, sha256: &str) -> $crate::Result<Option<$crate::Batch>> {
                let rows = sqlx::query::<$db>(&format!(
                    "SELECT {} FROM batches WHERE anchor_id = $1 AND sha256 = $2 AND withdrawn_at IS NULL",
                    $crate::backend::BATCH_COLUMNS
                ))
                .bind(anchor_id)
                .bind(sha256)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::batch_row).next().transpose()
            }

            async fn batches(&self, anchor_id: Option<i64>) -> $crate::Result<Vec<$crate::Batch>> {
                let rows = sqlx::query::<$db>(&format!(
                    "SELECT {} FROM batches WHERE ($1 IS NULL OR anchor_id = $1) ORDER BY id DESC",
                    $crate::backend::BATCH_COLUMNS
                ))
                .bind(anchor_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::batch_row).collect()
            }

            async fn batch(&self, id: i64) -> $crate::Result<Option<$crate::Batch>> {
                let rows = sqlx::query::<$db>(&format!(
                    "SELECT {} FROM batches WHERE id = $1",
                    $crate::backend::BATCH_COLUMNS
                ))
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::batch_row).next().transpose()
            }

            async fn batch_issues(
                &self,
                id: i64,
                limit: i64,
                offset: i64,
            ) -> $crate::Result<Vec<$crate::IssueRow>> {
                let rows = sqlx::query_as::<$db, (String, i64, String, String, String, String)>(
                    "SELECT file, line, column_name, value, problem, outcome FROM issues \
                     WHERE batch_id = $1 ORDER BY id LIMIT $2 OFFSET $3",
                )
                .bind(id)
                .bind(limit)
                .bind(offset)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(file, line, column, value, problem, outcome)| $crate::IssueRow {
                        file,
                        line,
                        column,
                        value,
                        problem,
                        outcome,
                    })
                    .collect())
            }

            async fn withdraw_batch(&self, id: i64, by: &str) -> $crate::Result<bool> {
                let mut tx = self.write_tx().await?;
                let n = sqlx::query::<$db>(
                    "UPDATE batches SET withdrawn_at = $1, withdrawn_by = $2 \
                     WHERE id = $3 AND withdrawn_at IS NULL",
                )
                .bind($crate::now())
                .bind(by)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 0 {
                    return Ok(false);
                }
                for table in ["payments", "supplier_records"] {
                    sqlx::query::<$db>(&format!("DELETE FROM {table} WHERE batch_id = $1"))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query::<$db>(
                    "INSERT INTO audit_log (at, actor, action, detail) VALUES ($1, $2, 'withdraw', $3)",
                )
                .bind($crate::now())
                .bind(by)
                .bind(format!("batch {id}"))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn live_payments(&self) -> $crate::Result<Vec<(i64, anchornet_core::Payment)>> {
                use futures_util::TryStreamExt;
                let names = self.anchor_names().await?;
                let mut out = Vec::new();
                let sql = format!(
                    "SELECT {} FROM payments ORDER BY id",
                    $crate::backend::PAYMENT_COLUMNS
                );
                let mut rows = sqlx::query::<$db>(&sql).fetch(&self.pool);
                while let Some(r) = rows.try_next().await? {
                    let (_, anchor_id, p) = Self::payment_row(&r, &names)?;
                    out.push((anchor_id, p));
                }
                Ok(out)
            }

            async fn live_batches(&self) -> $crate::Result<Vec<(i64, i64)>> {
                Ok(sqlx::query_as::<$db, (i64, i64)>(
                    "SELECT id, anchor_id FROM batches WHERE withdrawn_at IS NULL ORDER BY id",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            async fn batch_payments(
                &self,
                batches: &[i64],
            ) -> $crate::Result<Vec<(i64, i64, anchornet_core::Payment)>> {
                use futures_util::TryStreamExt;
                let names = self.anchor_names().await?;
                let mut ids = batches.to_vec();
                ids.sort_unstable();
                ids.dedup();
                let mut out = Vec::new();
                // A batch at a time: each is read through the batch index, in import order.
                let sql = format!(
                    "SELECT {} FROM payments WHERE batch_id = $1 ORDER BY id",
                    $crate::backend::PAYMENT_COLUMNS
                );
                for id in ids {
                    let mut rows = sqlx::query::<$db>(&sql).bind(id).fetch(&self.pool);
                    while let Some(r) = rows.try_next().await? {
                        out.push(Self::payment_row(&r, &names)?);
                    }
                }
                Ok(out)
            }

            async fn live_supplier_records(&self) -> $crate::Result<Vec<$crate::SupplierRow>> {
                use sqlx::Row;
                let names: std::collections::HashMap<i64, String> = self
                    .anchors()
                    .await?
                    .into_iter()
                    .map(|a| (a.id, a.name))
                    .collect();
                let rows = sqlx::query::<$db>(&format!(
                    "SELECT {} FROM supplier_records ORDER BY id",
                    $crate::backend::SUPPLIER_COLUMNS
                ))
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        let anchor_id: i64 = r.try_get(1)?;
                        let t = |i: usize| -> std::result::Result<Option<String>, sqlx::Error> { r.try_get(i) };
                        Ok($crate::SupplierRow {
                            anchor_id,
                            record: $crate::backend::supplier_from(
                                names.get(&anchor_id).cloned().unwrap_or_default(),
                                r.try_get(2)?,
                                r.try_get(3)?,
                                r.try_get(4)?,
                                [t(5)?, t(6)?, t(7)?, t(8)?, t(9)?],
                                r.try_get(10)?,
                                r.try_get(11)?,
                                t(12)?,
                                t(13)?,
                                t(14)?,
                            ),
                        })
                    })
                    .collect()
            }

            async fn replace_register(&self, rows: &[Vec<String>], built_at: i64) -> $crate::Result<()> {
                let cols = anchornet_core::supplier::REGISTER_COLUMNS;
                if let Some(r) = rows.iter().find(|r| r.len() != cols.len()) {
                    return Err($crate::StoreError::Invalid(format!(
                        "a register row has {} cells, the register {} columns",
                        r.len(),
                        cols.len()
                    )));
                }
                let mut tx = self.write_tx().await?;
                sqlx::query::<$db>("DELETE FROM supplier_register")
                    .execute(&mut *tx)
                    .await?;
                let spend = cols.iter().position(|c| *c == "spend_pence").unwrap_or(usize::MAX);
                for (k, chunk) in rows.chunks($crate::backend::CHUNK).enumerate() {
                    let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                        "INSERT INTO supplier_register (position, {}, built_at) ",
                        cols.join(", ")
                    ));
                    q.push_values(chunk.iter().enumerate(), |mut b, (i, row)| {
                        b.push_bind((k * $crate::backend::CHUNK + i) as i64);
                        for (c, cell) in row.iter().enumerate() {
                            if c == spend {
                                b.push_bind(cell.parse::<i64>().unwrap_or(0));
                            } else {
                                b.push_bind(cell.clone());
                            }
                        }
                        b.push_bind(built_at);
                    });
                    q.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn register(&self) -> $crate::Result<Vec<Vec<String>>> {
                use sqlx::Row;
                let cols = anchornet_core::supplier::REGISTER_COLUMNS;
                let rows = sqlx::query::<$db>(&format!(
                    "SELECT {} FROM supplier_register ORDER BY position",
                    cols.join(", ")
                ))
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        (0..cols.len())
                            .map(|i| {
                                if cols[i] == "spend_pence" {
                                    r.try_get::<i64, _>(i).map(|v| v.to_string())
                                } else {
                                    r.try_get::<String, _>(i)
                                }
                            })
                            .collect::<std::result::Result<Vec<String>, sqlx::Error>>()
                            .map_err(Into::into)
                    })
                    .collect()
            }

            async fn payment_counts(&self) -> $crate::Result<Vec<(i64, i64)>> {
                Ok(sqlx::query_as::<$db, (i64, i64)>(
                    "SELECT anchor_id, COUNT(*) FROM payments GROUP BY anchor_id ORDER BY anchor_id",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            async fn health(&self) -> $crate::Result<()> {
                let mut tx = self.write_tx().await?;
                // Matches no row, but is a write: SQLite takes its write lock for it.
                sqlx::query::<$db>("UPDATE schema_migrations SET applied_at = applied_at WHERE version < 0")
                    .execute(&mut *tx)
                    .await?;
                tx.rollback().await?;
                Ok(())
            }

            async fn fingerprint(&self) -> $crate::Result<String> {
                // The count of batches as well as the largest id: on PostgreSQL a batch whose
                // import began first can commit after a later one, under a smaller id.
                let (a, n, b, w, o, od): (i64, i64, i64, i64, i64, i64) = sqlx::query_as::<$db, (i64, i64, i64, i64, i64, i64)>(
                    "SELECT (SELECT COUNT(*) FROM anchors), \
                     (SELECT COUNT(*) FROM batches), \
                     (SELECT COALESCE(MAX(id), 0) FROM batches), \
                     (SELECT COUNT(*) FROM batches WHERE withdrawn_at IS NOT NULL), \
                     (SELECT COUNT(*) FROM overrides), \
                     (SELECT COALESCE(MAX(decided_at), 0) FROM overrides)",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(format!("{a}/{n}/{b}/{w}/{o}/{od}"))
            }

            async fn set_override(&self, o: &$crate::Override) -> $crate::Result<()> {
                let review = matches!(o.kind.as_str(), "link" | "location" | "individual")
                    && matches!(o.decision.as_str(), "confirm" | "reject");
                // A worklist action is named in lower-case words joined by hyphens; what it
                // means is checked where it is read (anchornet_suppliers::decisions).
                let action = o.decision == "set"
                    && (1..=40).contains(&o.kind.len())
                    && o.kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
                if !review && !action {
                    return Err($crate::StoreError::Invalid(format!(
                        "override {} {}: kind is link, location or individual with decision confirm or reject, or an action with decision set",
                        o.kind, o.decision
                    )));
                }
                let mut tx = self.write_tx().await?;
                sqlx::query::<$db>(
                    "INSERT INTO overrides (kind, subject, decision, note, decided_by, decided_at, entity, value) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (kind, subject) DO UPDATE SET \
                     decision = excluded.decision, note = excluded.note, \
                     decided_by = excluded.decided_by, decided_at = excluded.decided_at, \
                     entity = excluded.entity, value = excluded.value",
                )
                .bind(&o.kind)
                .bind(&o.subject)
                .bind(&o.decision)
                .bind(&o.note)
                .bind(&o.decided_by)
                .bind(o.decided_at)
                .bind(&o.entity)
                .bind(&o.value)
                .execute(&mut *tx)
                .await?;
                sqlx::query::<$db>(
                    "INSERT INTO audit_log (at, actor, action, detail) VALUES ($1, $2, 'review', $3)",
                )
                .bind($crate::now())
                .bind(&o.decided_by)
                .bind(format!("{} {}: {}", o.decision, o.kind, o.subject))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn overrides(&self) -> $crate::Result<Vec<$crate::Override>> {
                type Row = (String, String, String, String, String, i64, String, String);
                let rows = sqlx::query_as::<$db, Row>(
                    "SELECT kind, subject, decision, note, decided_by, decided_at, entity, value FROM overrides \
                     ORDER BY decided_at, kind, subject",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(kind, subject, decision, note, decided_by, decided_at, entity, value)| {
                        $crate::Override {
                            entity,
                            kind,
                            subject,
                            decision,
                            value,
                            note,
                            decided_by,
                            decided_at,
                        }
                    })
                    .collect())
            }

            async fn add_asset_decision(
                &self,
                d: &$crate::NewAssetDecision,
            ) -> $crate::Result<$crate::AssetDecision> {
                let asset = d.asset.trim();
                if asset.is_empty() || asset.chars().count() > 200 {
                    return Err($crate::StoreError::Invalid(format!(
                        "asset `{asset}`: name an asset by its key (1–200 characters)"
                    )));
                }
                if d.note.chars().count() > 1000 {
                    return Err($crate::StoreError::Invalid(
                        "note: at most 1,000 characters".into(),
                    ));
                }
                let mut tx = self.write_tx().await?;
                let last = sqlx::query_as::<$db, (i64, String)>(
                    "SELECT seq, status FROM asset_decision WHERE asset = $1 ORDER BY seq DESC LIMIT 1",
                )
                .bind(asset)
                .fetch_optional(&mut *tx)
                .await?;
                let (seq, from) = match last {
                    Some((seq, st)) => (
                        seq + 1,
                        Some(st.parse::<anchornet_core::AssetStatus>().map_err(|e| {
                            $crate::backend::bad("asset_decision.status", e)
                        })?),
                    ),
                    None => (1, d.from_register),
                };
                anchornet_core::AssetStatus::may_move(from, d.status).map_err(|why| {
                    $crate::StoreError::Invalid(format!(
                        "asset {asset}: cannot move to {}: {why}",
                        d.status
                    ))
                })?;
                let at = $crate::now();
                let inserted = sqlx::query_as::<$db, (i64,)>(
                    "INSERT INTO asset_decision (asset, seq, status, decided_by, decided_at, note) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(asset)
                .bind(seq)
                .bind(d.status.as_str())
                .bind(&d.decided_by)
                .bind(at)
                .bind(&d.note)
                .fetch_one(&mut *tx)
                .await;
                let (id,) = match inserted {
                    Ok(r) => r,
                    Err(e) if $crate::backend::is_unique_violation(&e) => {
                        return Err($crate::StoreError::Invalid(format!(
                            "asset {asset}: another decision was recorded meanwhile; reload and decide again"
                        )));
                    }
                    Err(e) => return Err(e.into()),
                };
                sqlx::query::<$db>(
                    "INSERT INTO audit_log (at, actor, action, detail) VALUES ($1, $2, 'asset-status', $3)",
                )
                .bind(at)
                .bind(&d.decided_by)
                .bind(format!(
                    "{asset}: {} → {}",
                    from.map_or("(none)", |s| s.as_str()),
                    d.status
                ))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok($crate::AssetDecision {
                    id,
                    asset: asset.to_string(),
                    seq,
                    status: d.status,
                    decided_by: d.decided_by.clone(),
                    decided_at: at,
                    note: d.note.clone(),
                })
            }

            async fn asset_decisions(&self) -> $crate::Result<Vec<$crate::AssetDecision>> {
                type Row = (i64, String, i64, String, String, i64, String);
                let rows = sqlx::query_as::<$db, Row>(
                    "SELECT id, asset, seq, status, decided_by, decided_at, note FROM asset_decision ORDER BY id",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(id, asset, seq, status, decided_by, decided_at, note)| {
                        Ok($crate::AssetDecision {
                            id,
                            asset,
                            seq,
                            status: status
                                .parse()
                                .map_err(|e| $crate::backend::bad("asset_decision.status", e))?,
                            decided_by,
                            decided_at,
                            note,
                        })
                    })
                    .collect()
            }

            async fn save_answers(
                &self,
                answers: &[$crate::NewAnswer],
                by: &str,
                what: &str,
            ) -> $crate::Result<usize> {
                for a in answers {
                    let q = a.question.as_str();
                    if q.is_empty()
                        || q.len() > 60
                        || !q.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    {
                        return Err($crate::StoreError::Invalid(format!(
                            "question `{q}`: a question id is 1–60 letters a–z and hyphens"
                        )));
                    }
                    if !(1..=4).contains(&a.level) {
                        return Err($crate::StoreError::Invalid(format!(
                            "{} {} {q}: level {} is not 1–4",
                            a.anchor, a.year, a.level
                        )));
                    }
                    let n = a.evidence.trim().chars().count();
                    if n == 0 || n > 2000 {
                        return Err($crate::StoreError::Invalid(format!(
                            "{} {} {q}: the evidence is required, at most 2,000 characters",
                            a.anchor, a.year
                        )));
                    }
                }
                let at = $crate::now();
                let mut tx = self.write_tx().await?;
                let mut changed = Vec::new();
                for a in answers {
                    let year = a.year.to_string();
                    let evidence = a.evidence.trim();
                    let old = sqlx::query_as::<$db, (i64, String)>(
                        "SELECT level, evidence FROM assessment_answer \
                         WHERE anchor_id = $1 AND year = $2 AND question = $3",
                    )
                    .bind(a.anchor_id)
                    .bind(&year)
                    .bind(&a.question)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if old.as_ref().is_some_and(|(l, e)| *l == i64::from(a.level) && e == evidence) {
                        continue;
                    }
                    sqlx::query::<$db>(
                        "INSERT INTO assessment_answer (anchor_id, year, question, level, evidence, answered_by, answered_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (anchor_id, year, question) DO UPDATE SET \
                         level = excluded.level, evidence = excluded.evidence, \
                         answered_by = excluded.answered_by, answered_at = excluded.answered_at",
                    )
                    .bind(a.anchor_id)
                    .bind(&year)
                    .bind(&a.question)
                    .bind(i64::from(a.level))
                    .bind(evidence)
                    .bind(by)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    let (old_level, old_evidence) = old
                        .map(|(l, e)| (l.to_string(), e))
                        .unwrap_or_default();
                    let action = format!("assessment:{}", a.anchor);
                    let field = format!("{year} {}", a.question);
                    let mut rows = Vec::new();
                    if old_level != a.level.to_string() {
                        rows.push((field.clone(), old_level.clone(), a.level.to_string()));
                    }
                    if old_evidence != evidence {
                        rows.push((format!("{field} evidence"), old_evidence, evidence.to_string()));
                    }
                    for (f, from, to) in rows {
                        sqlx::query::<$db>(
                            "INSERT INTO plan_change (kind, seq, at, action, field, from_value, to_value, cause) \
                             VALUES ('assessment', NULL, $1, $2, $3, $4, $5, $6)",
                        )
                        .bind(at)
                        .bind(&action)
                        .bind(&f)
                        .bind(&from)
                        .bind(&to)
                        .bind(by)
                        .execute(&mut *tx)
                        .await?;
                    }
                    changed.push(format!(
                        "{} {year} {} {}→{}",
                        a.anchor,
                        a.question,
                        if old_level.is_empty() { "(none)" } else { old_level.as_str() },
                        a.level
                    ));
                }
                if !changed.is_empty() {
                    let mut detail = format!("{what}: {} answers: {}", changed.len(), changed.join("; "));
                    if detail.chars().count() > 4000 {
                        detail = detail.chars().take(4000).collect::<String>() + "…";
                    }
                    sqlx::query::<$db>(
                        "INSERT INTO audit_log (at, actor, action, detail) VALUES ($1, $2, 'assessment', $3)",
                    )
                    .bind(at)
                    .bind(by)
                    .bind(detail)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(changed.len())
            }

            async fn answers(&self) -> $crate::Result<Vec<$crate::StoredAnswer>> {
                type Row = (i64, String, String, i64, String, String, i64);
                let rows = sqlx::query_as::<$db, Row>(
                    "SELECT anchor_id, year, question, level, evidence, answered_by, answered_at \
                     FROM assessment_answer ORDER BY anchor_id, year, question",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(anchor_id, year, question, level, evidence, answered_by, answered_at)| {
                        Ok($crate::StoredAnswer {
                            anchor_id,
                            year: year
                                .parse()
                                .map_err(|e| $crate::backend::bad("assessment_answer.year", e))?,
                            question,
                            level: u8::try_from(level)
                                .map_err(|e| $crate::backend::bad("assessment_answer.level", e))?,
                            evidence,
                            answered_by,
                            answered_at,
                        })
                    })
                    .collect()
            }

            async fn add_plan_changes(
                &self,
                after: i64,
                changes: &[(String, String, String, String)],
                at: i64,
                cause: &str,
            ) -> $crate::Result<bool> {
                if changes.is_empty() {
                    return Ok(true);
                }
                let mut tx = self.write_tx().await?;
                let (last,) = sqlx::query_as::<$db, (i64,)>(
                    "SELECT COALESCE(MAX(seq), 0) FROM plan_change",
                )
                .fetch_one(&mut *tx)
                .await?;
                if last != after {
                    return Ok(false);
                }
                for (i, (action, field, from, to)) in changes.iter().enumerate() {
                    let r = sqlx::query::<$db>(
                        "INSERT INTO plan_change (kind, seq, at, action, field, from_value, to_value, cause) \
                         VALUES ('action', $1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(after + i as i64 + 1)
                    .bind(at)
                    .bind(action)
                    .bind(field)
                    .bind(from)
                    .bind(to)
                    .bind(cause)
                    .execute(&mut *tx)
                    .await;
                    match r {
                        Ok(_) => {}
                        // Another node logged the same step meanwhile.
                        Err(e) if $crate::backend::is_unique_violation(&e) => return Ok(false),
                        Err(e) => return Err(e.into()),
                    }
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn plan_changes(&self) -> $crate::Result<Vec<$crate::PlanChange>> {
                type Row = (i64, String, i64, String, String, String, String, String);
                let rows = sqlx::query_as::<$db, Row>(
                    "SELECT id, kind, at, action, field, from_value, to_value, cause FROM plan_change ORDER BY id",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(id, kind, at, action, field, from, to, cause)| {
                        Ok($crate::PlanChange {
                            id,
                            kind: match kind.as_str() {
                                "action" => $crate::PlanChangeKind::Action,
                                "assessment" => $crate::PlanChangeKind::Assessment,
                                k => return Err($crate::backend::bad("plan_change.kind", k)),
                            },
                            at,
                            action,
                            field,
                            from,
                            to,
                            cause,
                        })
                    })
                    .collect()
            }

            async fn audit(&self, actor: &str, action: &str, detail: &str) -> $crate::Result<()> {
                sqlx::query::<$db>(
                    "INSERT INTO audit_log (at, actor, action, detail) VALUES ($1, $2, $3, $4)",
                )
                .bind($crate::now())
                .bind(actor)
                .bind(action)
                .bind(detail)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn audit_log(&self, limit: i64) -> $crate::Result<Vec<$crate::AuditEntry>> {
                let rows = sqlx::query_as::<$db, (i64, i64, String, String, String)>(
                    "SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, at, actor, action, detail)| $crate::AuditEntry {
                        id,
                        at,
                        actor,
                        action,
                        detail,
                    })
                    .collect())
            }
        }

        impl $store {
            fn batch_row(r: &<$db as sqlx::Database>::Row) -> $crate::Result<$crate::Batch> {
                use sqlx::Row;
                Ok($crate::Batch {
                    id: r.try_get(0)?,
                    anchor_id: r.try_get(1)?,
                    file_name: r.try_get(2)?,
                    sha256: r.try_get(3)?,
                    bytes: r.try_get(4)?,
                    kind: r.try_get(5)?,
                    rows_read: r.try_get(6)?,
                    accepted: r.try_get(7)?,
                    skipped: r.try_get(8)?,
                    rejected: r.try_get(9)?,
                    total_pence: r.try_get(10)?,
                    first_date: r.try_get(11)?,
                    last_date: r.try_get(12)?,
                    reports: $crate::backend::reports_from(&r.try_get::<String, _>(13)?)?,
                    imported_by: r.try_get(14)?,
                    imported_at: r.try_get(15)?,
                    withdrawn_by: r.try_get(16)?,
                    withdrawn_at: r.try_get(17)?,
                })
            }
        }
    };
}

pub(crate) use store_impl;

/// The statement that begins a writing transaction on `backend`.
pub(crate) fn begin_write(backend: crate::Backend) -> &'static str {
    match backend {
        crate::Backend::Sqlite => "BEGIN IMMEDIATE",
        crate::Backend::Postgres => "BEGIN",
    }
}

/// Apply migrations in order, each once, recording each in `schema_migrations` in the same
/// transaction as its statements.
macro_rules! migrate_impl {
    ($pool:expr, $db:ty, $backend:expr, $migrations:expr) => {{
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .execute($pool)
        .await?;
        for (version, sql) in $migrations {
            let mut tx = $pool
                .begin_with($crate::backend::begin_write($backend))
                .await?;
            let done = sqlx::query_as::<$db, (i64,)>(
                "SELECT version FROM schema_migrations WHERE version = $1",
            )
            .bind(version)
            .fetch_optional(&mut *tx)
            .await?;
            if done.is_none() {
                sqlx::raw_sql(sql).execute(&mut *tx).await?;
                sqlx::query::<$db>(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                )
                .bind(version)
                .bind($crate::now())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        }
        Ok::<(), $crate::StoreError>(())
    }};
}

pub(crate) use migrate_impl;
