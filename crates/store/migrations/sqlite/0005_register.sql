-- A supplier-side row's own date (a contract's start, a ratepayer's liability start): when
-- its facts were current, shown with the location it gives.
ALTER TABLE supplier_records ADD COLUMN date TEXT;
-- The supplier register as last built from the live batches and the review decisions: one
-- row per supplier, the columns of `anchornet suppliers --out` (see crates/suppliers/src/table.rs),
-- replaced whole on every rebuild, so other tools (and a person with SQL) read the register
-- the web shows.
CREATE TABLE supplier_register (
    position INTEGER NOT NULL PRIMARY KEY,
    entity_id TEXT NOT NULL,
    key TEXT NOT NULL,
    canonical_name TEXT NOT NULL,
    names TEXT NOT NULL,
    identifiers TEXT NOT NULL,
    spend_pence BIGINT NOT NULL,
    kind TEXT NOT NULL,
    sme TEXT NOT NULL,
    vcse TEXT NOT NULL,
    postcode TEXT NOT NULL,
    lad TEXT NOT NULL,
    lad_name TEXT NOT NULL,
    lsoa TEXT NOT NULL,
    deprivation_decile TEXT NOT NULL,
    local TEXT NOT NULL,
    wider TEXT NOT NULL,
    location_kind TEXT NOT NULL,
    location_source TEXT NOT NULL,
    location_file TEXT NOT NULL,
    location_line TEXT NOT NULL,
    location_date TEXT NOT NULL,
    confidence TEXT NOT NULL,
    locations TEXT NOT NULL,
    built_at BIGINT NOT NULL
);
-- A decision from the supplier worklist is an overrides-file action (set-postcode, set-sme,
-- not-local, …) with a value: kept beside the review answers, applied on every path.
ALTER TABLE overrides ADD COLUMN value TEXT NOT NULL DEFAULT '';
