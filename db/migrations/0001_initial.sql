-- 0001: users, tokens, workflow instances, timers, idempotency records, counters and the
-- append-only audit chain. Migrations are numbered and never edited once landed.

CREATE TABLE users (
  id                 INTEGER PRIMARY KEY,
  username           TEXT NOT NULL UNIQUE,
  display_name       TEXT NOT NULL,
  role               TEXT NOT NULL
                     CHECK (role IN ('secretariat', 'council', 'rso_liaison', 'auditor', 'admin')),
  rso_id             TEXT,
  affiliated_rso_ids TEXT NOT NULL DEFAULT '[]',
  password_hash      TEXT NOT NULL,
  disabled           INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL
);
CREATE INDEX users_by_role ON users (role, disabled, id);

CREATE TABLE tokens (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users (id),
  name        TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,  -- SHA-256 hex; the token itself is never stored
  kind        TEXT NOT NULL CHECK (kind IN ('session', 'api')),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER,
  revoked_at  INTEGER
);

CREATE TABLE instances (
  id               INTEGER PRIMARY KEY,
  workflow         TEXT NOT NULL,
  workflow_version INTEGER NOT NULL,
  state            TEXT NOT NULL,
  version          INTEGER NOT NULL,
  rso_id           TEXT,
  subject_id       INTEGER REFERENCES instances (id),
  title            TEXT NOT NULL,
  data             TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  created_by       TEXT NOT NULL,
  updated_at       INTEGER NOT NULL,
  due_at           INTEGER,
  terminal         INTEGER NOT NULL
);
CREATE INDEX instances_by_workflow_state ON instances (workflow, state, id);
CREATE INDEX instances_by_rso ON instances (rso_id, id);
CREATE INDEX instances_by_subject ON instances (subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX instances_active_by_due ON instances (due_at) WHERE terminal = 0;

CREATE TABLE timers (
  instance_id INTEGER NOT NULL REFERENCES instances (id),
  name        TEXT NOT NULL,
  due_at      INTEGER NOT NULL,
  event       TEXT NOT NULL,
  PRIMARY KEY (instance_id, name)
);
CREATE INDEX timers_by_due ON timers (due_at);

CREATE TABLE idempotency (
  actor_user_id TEXT NOT NULL,
  key           TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  response      TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (actor_user_id, key)
);

CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

CREATE TABLE audit (
  seq              INTEGER PRIMARY KEY,
  at               INTEGER NOT NULL,
  instance_id      INTEGER NOT NULL,
  workflow         TEXT NOT NULL,
  workflow_version INTEGER NOT NULL,
  event            TEXT NOT NULL,
  from_state       TEXT,
  to_state         TEXT NOT NULL,
  actor_user_id    TEXT,
  actor_username   TEXT NOT NULL,
  actor_role       TEXT NOT NULL,
  on_behalf_of     TEXT,
  comment          TEXT,
  data             TEXT NOT NULL,
  request_id       TEXT,
  idempotency_key  TEXT,
  client_ip        TEXT,
  prev_hash        TEXT NOT NULL,
  hash             TEXT NOT NULL
);
CREATE INDEX audit_by_instance ON audit (instance_id, seq);

CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit entries are append-only');
END;
CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit entries are append-only');
END;
