-- 0002: domain records (RSOs, ISO events) as typed JSON documents with a unique key per kind.

CREATE TABLE records (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  key        TEXT NOT NULL,
  data       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (kind, key)
);
CREATE INDEX records_by_kind ON records (kind, id);
