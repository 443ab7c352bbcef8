-- Duplicate detection by content is per anchor (issue 17, fault 10): the same bytes
-- uploaded by another anchor are that anchor's own batch, never a reference to (and so a
-- disclosure of) the first anchor's batch, and never silently dropped.
DROP INDEX batches_live_sha256;
CREATE UNIQUE INDEX batches_live_anchor_sha256 ON batches (anchor_id, sha256) WHERE withdrawn_at IS NULL;
