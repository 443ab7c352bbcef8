-- Accounts can be disabled (sign-in refused, sessions ended, history kept) and an admin's
-- password reset can require a new password at the next sign-in (issue 17).
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
