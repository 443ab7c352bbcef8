//! The values the store keeps, each parsed once into a type that can only hold a valid value.

use anchornet_core::{Payment, PaymentDate, Pence};
use anchornet_ingest::{FileReport, Issue};
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// An anchor institution of the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// Id.
    pub id: i64,
    /// Name used in every output.
    pub name: String,
    /// Kind (`council`, `nhs_trust`…), as in the network file.
    pub kind: String,
}

/// A user name: 1–64 characters of letters, digits, `.`, `_`, `-` and `@`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    /// Parse a user name.
    pub fn parse(s: &str) -> Result<Username, StoreError> {
        let s = s.trim();
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
        if ok {
            Ok(Username(s.to_ascii_lowercase()))
        } else {
            Err(StoreError::Invalid(format!(
                "user name `{s}`: use 1–64 letters, digits, `.`, `_`, `-` or `@`"
            )))
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = StoreError;
    fn try_from(s: String) -> Result<Username, StoreError> {
        Username::parse(&s)
    }
}

impl From<Username> for String {
    fn from(u: Username) -> String {
        u.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a user may see and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", content = "anchor_id", rename_all = "snake_case")]
pub enum Role {
    /// Network administrator (coordinator): everything, including users, anchors and imports.
    Admin,
    /// Member of one anchor: the network's aggregates, and row-level data of that anchor only.
    Member(i64),
    /// Network viewer: aggregates only, no row-level data.
    Viewer,
}

impl Role {
    /// The role's name as stored (`admin`, `member`, `viewer`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member(_) => "member",
            Role::Viewer => "viewer",
        }
    }

    /// The anchor a member belongs to.
    pub fn anchor(self) -> Option<i64> {
        match self {
            Role::Member(a) => Some(a),
            _ => None,
        }
    }

    /// Rebuild from the stored columns.
    pub fn from_columns(role: &str, anchor: Option<i64>) -> Result<Role, StoreError> {
        match (role, anchor) {
            ("admin", None) => Ok(Role::Admin),
            ("viewer", None) => Ok(Role::Viewer),
            ("member", Some(a)) => Ok(Role::Member(a)),
            _ => Err(StoreError::Invalid(format!(
                "role `{role}` with anchor {anchor:?}"
            ))),
        }
    }
}

/// A user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Name.
    pub username: Username,
    /// Role.
    pub role: Role,
}

/// A session found by its token.
#[derive(Debug, Clone)]
pub struct Session {
    /// Whose.
    pub user: User,
    /// The CSRF token every form of this session carries.
    pub csrf: String,
    /// Expiry, Unix seconds.
    pub expires_at: i64,
}

/// One input file's reconciliation, as kept with its batch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSummary {
    /// Source name (with `!sheet` or `!member` where the file held several tables).
    pub file: String,
    /// How it was read.
    pub format: String,
    /// `payments` or `suppliers`.
    pub kind: String,
    /// The header line and the roles found.
    pub layout: String,
    /// Data rows read.
    pub rows_read: u64,
    /// Accepted.
    pub accepted: u64,
    /// Skipped (blank, totals, duplicates…).
    pub skipped: u64,
    /// Rejected.
    pub rejected: u64,
    /// Of the skipped, duplicates.
    pub duplicates: u64,
    /// Accepted rows whose supplier was withheld.
    pub redacted: u64,
    /// Skips and rejections by reason.
    pub reasons: std::collections::BTreeMap<String, u64>,
    /// Sum of accepted amounts, pence.
    pub total_pence: i64,
    /// First payment date.
    pub first_date: Option<String>,
    /// Last payment date.
    pub last_date: Option<String>,
    /// Why the file could not be read.
    pub error: Option<String>,
}

impl From<&FileReport> for FileSummary {
    fn from(r: &FileReport) -> FileSummary {
        FileSummary {
            file: r.file.clone(),
            format: r.format.clone(),
            kind: r.kind.clone(),
            layout: r.layout.clone(),
            rows_read: r.rows_read,
            accepted: r.accepted,
            skipped: r.skipped,
            rejected: r.rejected,
            duplicates: r.duplicates,
            redacted: r.redacted,
            reasons: r.reasons.clone(),
            total_pence: r.total.0,
            first_date: r.first_date.map(|d| d.to_string()),
            last_date: r.last_date.map(|d| d.to_string()),
            error: r.error.clone(),
        }
    }
}

/// An import batch: one uploaded file, all of whose rows are in the store or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// Id.
    pub id: i64,
    /// The anchor whose file it is.
    pub anchor_id: i64,
    /// File name as uploaded.
    pub file_name: String,
    /// SHA-256 of the uploaded bytes, hex.
    pub sha256: String,
    /// Size of the upload.
    pub bytes: i64,
    /// `payments`, `suppliers`, or `mixed`.
    pub kind: String,
    /// Rows read over its tables.
    pub rows_read: i64,
    /// Rows accepted.
    pub accepted: i64,
    /// Rows skipped.
    pub skipped: i64,
    /// Rows rejected.
    pub rejected: i64,
    /// Sum of accepted amounts, pence.
    pub total_pence: i64,
    /// First payment date.
    pub first_date: Option<String>,
    /// Last payment date.
    pub last_date: Option<String>,
    /// Per table reconciliation.
    pub reports: Vec<FileSummary>,
    /// Who imported it.
    pub imported_by: String,
    /// When, Unix seconds.
    pub imported_at: i64,
    /// Who withdrew it.
    pub withdrawn_by: Option<String>,
    /// When, Unix seconds.
    pub withdrawn_at: Option<i64>,
}

impl Batch {
    /// Still part of the analysis.
    pub fn live(&self) -> bool {
        self.withdrawn_at.is_none()
    }
}

/// A supplier-side record (contracts register, vendor list) as kept in a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierRow {
    /// The anchor's id.
    pub anchor_id: i64,
    /// The record.
    pub record: anchornet_ingest::SupplierRecord,
}

/// A stored issue row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueRow {
    /// Source file.
    pub file: String,
    /// Physical line.
    pub line: i64,
    /// Column.
    pub column: String,
    /// Value.
    pub value: String,
    /// What is wrong.
    pub problem: String,
    /// `skipped`, `rejected`, `warning` or `file_error`.
    pub outcome: String,
}

impl From<&Issue> for IssueRow {
    fn from(i: &Issue) -> IssueRow {
        IssueRow {
            file: i.file.clone(),
            line: i.line as i64,
            column: i.column.clone(),
            value: i.value.clone(),
            problem: i.problem.clone(),
            outcome: serde_json::to_value(i.outcome)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        }
    }
}

/// A batch to import: everything read from one file.
#[derive(Debug, Clone, Default)]
pub struct NewBatch {
    /// Anchor id.
    pub anchor_id: i64,
    /// File name as uploaded.
    pub file_name: String,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// Size.
    pub bytes: i64,
    /// Per table reconciliation.
    pub reports: Vec<FileSummary>,
    /// Accepted payments.
    pub payments: Vec<Payment>,
    /// Accepted supplier-side records.
    pub suppliers: Vec<anchornet_ingest::SupplierRecord>,
    /// Every skipped, rejected or warned row.
    pub issues: Vec<IssueRow>,
    /// Who imports it.
    pub imported_by: String,
}

impl NewBatch {
    /// `payments`, `suppliers` or `mixed`, from the tables read.
    pub fn kind(&self) -> &'static str {
        match (self.payments.is_empty(), self.suppliers.is_empty()) {
            (false, true) | (true, true) => "payments",
            (true, false) => "suppliers",
            (false, false) => "mixed",
        }
    }

    /// Totals over its tables: rows read, accepted, skipped, rejected, pence, dates.
    pub fn totals(&self) -> (i64, i64, i64, i64, i64, Option<String>, Option<String>) {
        let sum = |f: &dyn Fn(&FileSummary) -> u64| self.reports.iter().map(f).sum::<u64>() as i64;
        let first = self.payments.iter().map(|p| p.date).min();
        let last = self.payments.iter().map(|p| p.date).max();
        (
            sum(&|r| r.rows_read),
            sum(&|r| r.accepted),
            sum(&|r| r.skipped),
            sum(&|r| r.rejected),
            self.payments.iter().map(|p| p.amount).sum::<Pence>().0,
            first.map(|d: PaymentDate| d.to_string()),
            last.map(|d: PaymentDate| d.to_string()),
        )
    }
}

/// What importing a batch did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// A new batch, with all its rows.
    Created(Batch),
    /// The same bytes are already a live batch: nothing was added.
    AlreadyImported(Batch),
}

impl Imported {
    /// The batch either way.
    pub fn batch(&self) -> &Batch {
        match self {
            Imported::Created(b) | Imported::AlreadyImported(b) => b,
        }
    }
}

/// What an override decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// `link` (a supplier name belongs to an entity), `location` (an entity's location),
    /// or `individual` (an entity is a person or sole trader) — a review answer; or an
    /// overrides-file action (`set-postcode`, `set-sme`, `not-local`, …) taken from the
    /// supplier worklist, with `decision` `set` and its `value`.
    pub kind: String,
    /// What it is about: the name for a link, the entity key otherwise.
    pub subject: String,
    /// `confirm` or `reject` (for `individual`: `confirm` = is an individual); `set` for a
    /// worklist action.
    pub decision: String,
    /// A worklist action's value (the postcode, `yes`/`no`, the kind); empty otherwise.
    #[serde(default)]
    pub value: String,
    /// Free text from the reviewer.
    pub note: String,
    /// Who decided.
    pub decided_by: String,
    /// When, Unix seconds.
    pub decided_at: i64,
    /// The supplier (canonical name) the subject was judged against: for a link, "is
    /// `subject` the same supplier as `entity`?"; empty when not recorded.
    pub entity: String,
}

/// A status decision on a land or building asset (for community use, meanwhile use or
/// community asset transfer), as stored: one row a decision, never changed. An asset's
/// history is its decisions in `seq` order; its status the last one's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetDecision {
    /// Store id (increases with every decision of every asset).
    pub id: i64,
    /// The asset's key in its register: asset id, UPRN or `file:line`.
    pub asset: String,
    /// The decision's number among the asset's decisions, from 1.
    pub seq: i64,
    /// The status set.
    pub status: anchornet_core::AssetStatus,
    /// Who decided (the signed-in user).
    pub decided_by: String,
    /// When, Unix seconds.
    pub decided_at: i64,
    /// Why.
    pub note: String,
}

/// A status decision to record (see [`crate::Store::add_asset_decision`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAssetDecision {
    /// The asset's key (asset id, UPRN or `file:line`); 1–200 characters.
    pub asset: String,
    /// The status to set.
    pub status: anchornet_core::AssetStatus,
    /// The status the register alone gives the asset (`candidate` when vacant), which the
    /// first decision moves from; `None` when it gives none.
    pub from_register: Option<anchornet_core::AssetStatus>,
    /// Who decides.
    pub decided_by: String,
    /// Why (at most 1,000 characters).
    pub note: String,
}

/// A self-assessment answer as stored: the current one for its anchor, year and question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// The anchor (store id).
    pub anchor_id: i64,
    /// The financial year.
    pub year: anchornet_core::FinancialYear,
    /// The question's id (`procurement`, `progression-assets`, …).
    pub question: String,
    /// Level 1 (starting out) to 4 (leading).
    pub level: u8,
    /// The evidence for it.
    pub evidence: String,
    /// Who answered (the signed-in user).
    pub answered_by: String,
    /// When, Unix seconds.
    pub answered_at: i64,
}

/// An answer to save (see [`crate::Store::save_answers`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAnswer {
    /// The anchor (store id).
    pub anchor_id: i64,
    /// The anchor's name (for the change log and the audit entry).
    pub anchor: String,
    /// The financial year.
    pub year: anchornet_core::FinancialYear,
    /// The question's id; 1–60 characters of `a-z` and `-`.
    pub question: String,
    /// Level 1–4.
    pub level: u8,
    /// The evidence (1–2,000 characters).
    pub evidence: String,
}

/// Which part of the plan a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanChangeKind {
    /// An action's title, owner, deadline, target, current figure or status.
    Action,
    /// A self-assessment answer.
    Assessment,
}

impl PlanChangeKind {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanChangeKind::Action => "action",
            PlanChangeKind::Assessment => "assessment",
        }
    }
}

/// One row of the plan's change log (as `anchornet plan`'s plan-history.csv:
/// at, action, field, from, to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanChange {
    /// Store id (in the order recorded).
    pub id: i64,
    /// Action changes or assessment changes.
    pub kind: PlanChangeKind,
    /// When, Unix seconds.
    pub at: i64,
    /// The action's id (`assessment:ANCHOR` for an answer).
    pub action: String,
    /// The field (`status`, `current`…; `YEAR QUESTION` for an answer's level).
    pub field: String,
    /// The value before (empty when added).
    pub from: String,
    /// The value after (empty when removed).
    pub to: String,
    /// What made it: `import`, `decision`, `view`, the user who answered…
    pub cause: String,
}

/// One audit log entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Id.
    pub id: i64,
    /// When, Unix seconds.
    pub at: i64,
    /// Who.
    pub actor: String,
    /// `import`, `withdraw`, `export`, `user.add`, `user.role`, `anchor.add`, `review`…
    pub action: String,
    /// What.
    pub detail: String,
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
