-- 0007: the Council's register of resolutions (issue 18 item 1, DESIGN 8). One row per decision:
-- from a ballot, taken in session, or imported. `sort_key` = year * 1000000 + number: unique
-- (a number is taken once, however it is written) and the register's order, newest first.
CREATE TABLE resolutions (
  sort_key            INTEGER PRIMARY KEY,
  year                INTEGER NOT NULL,
  ordinal             INTEGER NOT NULL CHECK (ordinal BETWEEN 1 AND 999999),
  number              TEXT NOT NULL,
  decided_on          TEXT NOT NULL,
  title               TEXT NOT NULL,
  outcome             TEXT NOT NULL CHECK (outcome IN ('approved', 'rejected')),
  source              TEXT NOT NULL CHECK (source IN ('ballot', 'session', 'import')),
  ballot_id           INTEGER REFERENCES instances (id),
  subject_instance_id INTEGER REFERENCES instances (id),
  rso_id              TEXT,
  recorded_at         INTEGER NOT NULL,
  recorded_by         TEXT NOT NULL
);
CREATE INDEX resolutions_by_rso ON resolutions (rso_id, sort_key) WHERE rso_id IS NOT NULL;
