-- 0010: mandates, dated delegations (issue 19 item 1, DESIGN 9, API.md "Mandates"). A user
-- (from_user_id) lets another of the same role (to_user_id) act for it from starts_on to ends_on
-- inclusive (UTC calendar dates), for the listed workflows (a JSON array; empty: all). A
-- revoked mandate keeps its row with revoked_at set: it is never deleted.
CREATE TABLE mandates (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  from_user_id TEXT NOT NULL,
  to_user_id   TEXT NOT NULL CHECK (to_user_id <> from_user_id),
  starts_on    TEXT NOT NULL,
  ends_on      TEXT NOT NULL CHECK (ends_on >= starts_on),
  workflows    TEXT NOT NULL DEFAULT '[]',
  reason       TEXT NOT NULL DEFAULT '',
  created_by   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
CREATE INDEX mandates_by_from ON mandates (from_user_id, id);
CREATE INDEX mandates_by_to ON mandates (to_user_id, id);
