-- Anchornet workspace schema, SQLite. Money is integer pence; times are Unix seconds;
-- dates are ISO text (YYYY-MM-DD); booleans are 0/1.
CREATE TABLE anchors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
    anchor_id INTEGER REFERENCES anchors(id),
    created_at INTEGER NOT NULL,
    CHECK ((role = 'member') = (anchor_id IS NOT NULL))
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    anchor_id INTEGER NOT NULL REFERENCES anchors(id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    kind TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    total_pence INTEGER NOT NULL,
    first_date TEXT,
    last_date TEXT,
    reports TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    withdrawn_by TEXT,
    withdrawn_at INTEGER
);
-- The same file is one live batch: a second import of the same bytes is recognised.
CREATE UNIQUE INDEX batches_live_sha256 ON batches (sha256) WHERE withdrawn_at IS NULL;
CREATE TABLE payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    anchor_id INTEGER NOT NULL REFERENCES anchors(id),
    source_file TEXT NOT NULL,
    line INTEGER NOT NULL CHECK (line >= 0),
    date TEXT NOT NULL CHECK (length(date) = 10),
    amount INTEGER NOT NULL,
    gross INTEGER,
    vat INTEGER,
    supplier_name TEXT NOT NULL,
    redacted INTEGER NOT NULL,
    supplier_id TEXT,
    company_number TEXT,
    charity_number TEXT,
    vat_number TEXT,
    supplier_postcode TEXT,
    expense_type TEXT,
    procurement_category TEXT,
    expense_code TEXT,
    service_area TEXT,
    transaction_id TEXT,
    capital_revenue TEXT,
    description TEXT
);
CREATE INDEX payments_batch ON payments (batch_id);
CREATE TABLE supplier_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    anchor_id INTEGER NOT NULL REFERENCES anchors(id),
    source_file TEXT NOT NULL,
    line INTEGER NOT NULL,
    name TEXT NOT NULL,
    postcode TEXT,
    company_number TEXT,
    charity_number TEXT,
    vat_number TEXT,
    supplier_id TEXT,
    sme INTEGER,
    value INTEGER,
    category TEXT,
    description TEXT
);
CREATE INDEX supplier_records_batch ON supplier_records (batch_id);
CREATE TABLE issues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    value TEXT NOT NULL,
    problem TEXT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX issues_batch ON issues (batch_id);
CREATE TABLE overrides (
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    decision TEXT NOT NULL,
    note TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at INTEGER NOT NULL,
    PRIMARY KEY (kind, subject)
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
