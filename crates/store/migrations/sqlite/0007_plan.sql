-- The plan in the workspace. `assessment_answer`: each anchor's self-assessment, one row per
-- anchor, financial year (`2025/26`) and question (an id of anchornet_plan::assess::QUESTIONS),
-- with its level (1 starting out … 4 leading), the evidence, who answered and when; a new
-- answer replaces the row, and the change goes into `plan_change`.
-- `plan_change`: the plan's change log, as `anchornet plan` keeps plan-history.csv
-- (at, action, field, from, to), never updated or deleted. `kind` 'action' rows are the
-- changes of an action's title, owner, deadline, target, current figure or status seen when
-- the plan is recomputed (after an import, a decision, a page view); their `seq` numbers them
-- from 1 and, being unique, stops two web nodes logging the same change twice. `kind`
-- 'assessment' rows are answers changed (action `assessment:ANCHOR`, field `YEAR QUESTION`
-- or `YEAR QUESTION evidence`), with no seq.
CREATE TABLE assessment_answer (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    anchor_id INTEGER NOT NULL REFERENCES anchors(id),
    year TEXT NOT NULL,
    question TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    evidence TEXT NOT NULL,
    answered_by TEXT NOT NULL,
    answered_at INTEGER NOT NULL,
    UNIQUE (anchor_id, year, question)
);
CREATE TABLE plan_change (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('action', 'assessment')),
    seq INTEGER UNIQUE,
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    field TEXT NOT NULL,
    from_value TEXT NOT NULL,
    to_value TEXT NOT NULL,
    cause TEXT NOT NULL
);
