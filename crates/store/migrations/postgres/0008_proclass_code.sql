-- A payment's ProClass code, read from a column the file names as ProClass (ingest's
-- `proclass_code` role), six digits; before, a ProClass column was read as the expense code.
-- Payments imported earlier keep their code in `expense_code`, as they were read.
ALTER TABLE payments ADD COLUMN proclass_code TEXT;
