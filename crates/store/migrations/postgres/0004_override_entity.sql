-- A review decision about a name is about that name *and* the supplier it was judged
-- against ("is `Acme Clean` the same supplier as `Acme Ltd`?"): keep both, so the decision
-- becomes a resolver override (must-link / cannot-link) that every path applies.
ALTER TABLE overrides ADD COLUMN IF NOT EXISTS entity TEXT NOT NULL DEFAULT '';
