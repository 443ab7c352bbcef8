-- The status decisions on land and building assets for community use (candidate →
-- in-discussion → agreed → transferred, or not-suitable): one row a decision, never updated
-- or deleted, so an asset's history is its rows in order and its status the last. `asset`
-- is the key the register gives it (asset id, UPRN or file:line, as `anchornet assets
-- --decisions` names it); `seq` numbers an asset's decisions from 1, and being unique with
-- the asset it stops two people moving the same asset from the same status at once.
CREATE TABLE asset_decision (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asset TEXT NOT NULL,
    seq BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('candidate', 'in-discussion', 'agreed', 'transferred', 'not-suitable')),
    decided_by TEXT NOT NULL,
    decided_at BIGINT NOT NULL,
    note TEXT NOT NULL,
    UNIQUE (asset, seq)
);
