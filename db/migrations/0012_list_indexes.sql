-- 0012: an index for every list (issue 21), so each page is a range read of `limit` + 1 rows
-- in key order, whatever the table's size (db/sql.h names the index each list reads through).

-- GET /instances?state= (without workflow), ?workflow=, ?active=true (alone, with a workflow or
-- an RSO) and an RSO's instances of one workflow (its recognition: GET /rsos, the RSO's status).
CREATE INDEX instances_by_state ON instances (state, id);
CREATE INDEX instances_by_workflow ON instances (workflow, id);
CREATE INDEX instances_active ON instances (id) WHERE terminal = 0;
CREATE INDEX instances_active_by_workflow ON instances (workflow, id) WHERE terminal = 0;
CREATE INDEX instances_by_rso_workflow ON instances (rso_id, workflow, id);
-- The due instances of an active state (the inbox: where a role's events are merely standing,
-- an instance waits for it only once overdue).
CREATE INDEX instances_active_by_state_due ON instances (workflow, state, due_at) WHERE terminal = 0;
-- A liaison's active instances (its inbox, ?active=true): its RSO's closed ones are not read.
CREATE INDEX instances_active_by_rso ON instances (rso_id, id) WHERE terminal = 0;

-- The last head a full verification of the chain found good (GET /audit/verify records it):
-- a routine check (?from=checkpoint) starts after it and reads only the entries since.
CREATE TABLE audit_checkpoint (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  seq         INTEGER NOT NULL,
  hash        TEXT NOT NULL,
  verified_at INTEGER NOT NULL
);

-- GET /rsos?region= and ?kind=: records of a kind by a field of their data.
CREATE INDEX records_by_region ON records (kind, json_extract(data, '$.region'), id);
CREATE INDEX records_by_kind_field ON records (kind, json_extract(data, '$.kind'), id);
