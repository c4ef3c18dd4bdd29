-- 0013: the counters GET /reports/summary reads (issue 21), kept by triggers in the same
-- transaction as the row that changes them, so every writer (engine commands, timers, import,
-- seed, bench/scale's bulk build) keeps them exact without knowing of them. Backfilled below
-- from the instances and the audit trail, so an upgraded database reports as a new one does.
--
-- Days are UTC days since 1970-01-01 (at / 86400000). A duration's histogram bucket is its
-- lower bound in hours: whole hours below two days (bucket 0..47, one hour wide), whole days
-- from two days on (48, 72, ..., a day wide); api/reports.cpp reads a median from it.

-- Instances now, by (workflow, state), and by (terminal, workflow, state, RSO) ('' for no
-- RSO): the summary reads the first whole and of the second only the active range (few
-- rows: active instances are few; closed ones are counted by RSO for later reports). Rows
-- may hold n = 0.
CREATE TABLE report_state_counts (
  workflow TEXT NOT NULL,
  state    TEXT NOT NULL,
  n        INTEGER NOT NULL,
  PRIMARY KEY (workflow, state)
) WITHOUT ROWID;
CREATE TABLE report_counts (
  terminal INTEGER NOT NULL,
  workflow TEXT NOT NULL,
  state    TEXT NOT NULL,
  rso_id   TEXT NOT NULL,
  n        INTEGER NOT NULL,
  PRIMARY KEY (terminal, workflow, state, rso_id)
) WITHOUT ROWID;

-- The state each instance is in by its audit trail, and the `at` of the entry that entered it
-- (a run of entries to the same state is one period, as api/reports.cpp always counted).
CREATE TABLE report_entered (
  instance_id INTEGER PRIMARY KEY,
  state       TEXT NOT NULL,
  at          INTEGER NOT NULL
);

-- Periods in a state that ended (an audit entry moved the instance to another state): all
-- time, and by the day the period ended (what ?from=&to= reads, as a range of days).
CREATE TABLE report_flows (
  workflow TEXT NOT NULL,
  state    TEXT NOT NULL,
  bucket   INTEGER NOT NULL,
  n        INTEGER NOT NULL,
  sum_ms   INTEGER NOT NULL,
  PRIMARY KEY (workflow, state, bucket)
) WITHOUT ROWID;
CREATE TABLE report_flow_days (
  day      INTEGER NOT NULL,
  workflow TEXT NOT NULL,
  state    TEXT NOT NULL,
  bucket   INTEGER NOT NULL,
  n        INTEGER NOT NULL,
  sum_ms   INTEGER NOT NULL,
  PRIMARY KEY (day, workflow, state, bucket)
) WITHOUT ROWID;

-- Cycle times: from an instance's creation (created_at) to its reaching a terminal state (the
-- row's updated_at when `terminal` became 1, the time of that transition; an instance created
-- or imported in a terminal state counts with updated_at - created_at), by workflow and RSO;
-- all time and by the day it ended.
CREATE TABLE report_cycles (
  workflow TEXT NOT NULL,
  rso_id   TEXT NOT NULL,
  n        INTEGER NOT NULL,
  sum_ms   INTEGER NOT NULL,
  PRIMARY KEY (workflow, rso_id)
) WITHOUT ROWID;
CREATE TABLE report_cycle_days (
  day      INTEGER NOT NULL,
  workflow TEXT NOT NULL,
  rso_id   TEXT NOT NULL,
  n        INTEGER NOT NULL,
  sum_ms   INTEGER NOT NULL,
  PRIMARY KEY (day, workflow, rso_id)
) WITHOUT ROWID;

-- ---- Backfill ----
INSERT INTO report_counts (terminal, workflow, state, rso_id, n)
SELECT terminal != 0, workflow, state, COALESCE(rso_id, ''), COUNT(*)
FROM instances GROUP BY 1, 2, 3, 4;
INSERT INTO report_state_counts (workflow, state, n)
SELECT workflow, state, SUM(n) FROM report_counts GROUP BY workflow, state;

-- The entries that enter a state: an instance's first, and each whose to_state differs from
-- its previous entry's.
CREATE TEMP TABLE report_enters AS
SELECT instance_id, seq, workflow, to_state, at FROM (
  SELECT instance_id, seq, workflow, to_state, at,
         LAG(to_state) OVER (PARTITION BY instance_id ORDER BY seq) AS previous
  FROM audit WHERE instance_id != 0)
WHERE previous IS NULL OR previous != to_state;

INSERT INTO report_entered (instance_id, state, at)
SELECT instance_id, to_state, at FROM (
  SELECT instance_id, to_state, at,
         ROW_NUMBER() OVER (PARTITION BY instance_id ORDER BY seq DESC) AS nth
  FROM temp.report_enters)
WHERE nth = 1;

-- Each entering entry but an instance's first ends the period its previous one began.
INSERT INTO report_flow_days (day, workflow, state, bucket, n, sum_ms)
SELECT at / 86400000, workflow, state,
       CASE WHEN MAX(d, 0) < 172800000 THEN MAX(d, 0) / 3600000
            ELSE MAX(d, 0) / 86400000 * 24 END,
       COUNT(*), SUM(d)
FROM (
  SELECT workflow, at,
         LAG(to_state) OVER w AS state,
         at - LAG(at) OVER w AS d
  FROM temp.report_enters
  WINDOW w AS (PARTITION BY instance_id ORDER BY seq))
WHERE state IS NOT NULL
GROUP BY 1, 2, 3, 4;
DROP TABLE temp.report_enters;

INSERT INTO report_flows (workflow, state, bucket, n, sum_ms)
SELECT workflow, state, bucket, SUM(n), SUM(sum_ms) FROM report_flow_days
GROUP BY workflow, state, bucket;

-- A closed instance's end: the first audit entry that entered its (terminal) state, as the
-- trigger below saw it; updated_at when its trail has none.
INSERT INTO report_cycle_days (day, workflow, rso_id, n, sum_ms)
SELECT ended / 86400000, workflow, rso, COUNT(*), SUM(ended - created_at) FROM (
  SELECT i.workflow, COALESCE(i.rso_id, '') AS rso, i.created_at,
         COALESCE((SELECT MIN(a.at) FROM audit a
                   WHERE a.instance_id = i.id AND a.to_state = i.state), i.updated_at) AS ended
  FROM instances i WHERE i.terminal != 0)
GROUP BY 1, 2, 3;

INSERT INTO report_cycles (workflow, rso_id, n, sum_ms)
SELECT workflow, rso_id, SUM(n), SUM(sum_ms) FROM report_cycle_days GROUP BY workflow, rso_id;

-- ---- Triggers ----
CREATE TRIGGER report_instance_inserted AFTER INSERT ON instances
BEGIN
  INSERT INTO report_state_counts (workflow, state, n) VALUES (NEW.workflow, NEW.state, 1)
  ON CONFLICT (workflow, state) DO UPDATE SET n = n + 1;
  INSERT INTO report_counts (terminal, workflow, state, rso_id, n)
  VALUES (NEW.terminal != 0, NEW.workflow, NEW.state, COALESCE(NEW.rso_id, ''), 1)
  ON CONFLICT (terminal, workflow, state, rso_id) DO UPDATE SET n = n + 1;
  INSERT INTO report_cycles (workflow, rso_id, n, sum_ms)
  SELECT NEW.workflow, COALESCE(NEW.rso_id, ''), 1, NEW.updated_at - NEW.created_at
  WHERE NEW.terminal != 0
  ON CONFLICT (workflow, rso_id) DO UPDATE SET n = n + 1, sum_ms = sum_ms + excluded.sum_ms;
  INSERT INTO report_cycle_days (day, workflow, rso_id, n, sum_ms)
  SELECT NEW.updated_at / 86400000, NEW.workflow, COALESCE(NEW.rso_id, ''), 1,
         NEW.updated_at - NEW.created_at
  WHERE NEW.terminal != 0
  ON CONFLICT (day, workflow, rso_id) DO UPDATE
  SET n = n + 1, sum_ms = sum_ms + excluded.sum_ms;
END;

CREATE TRIGGER report_instance_updated AFTER UPDATE OF workflow, state, rso_id, terminal
ON instances
WHEN OLD.workflow IS NOT NEW.workflow OR OLD.state IS NOT NEW.state
  OR OLD.rso_id IS NOT NEW.rso_id OR OLD.terminal IS NOT NEW.terminal
BEGIN
  UPDATE report_state_counts SET n = n - 1
  WHERE workflow = OLD.workflow AND state = OLD.state;
  UPDATE report_counts SET n = n - 1
  WHERE terminal = (OLD.terminal != 0) AND workflow = OLD.workflow AND state = OLD.state
    AND rso_id = COALESCE(OLD.rso_id, '');
  INSERT INTO report_state_counts (workflow, state, n) VALUES (NEW.workflow, NEW.state, 1)
  ON CONFLICT (workflow, state) DO UPDATE SET n = n + 1;
  INSERT INTO report_counts (terminal, workflow, state, rso_id, n)
  VALUES (NEW.terminal != 0, NEW.workflow, NEW.state, COALESCE(NEW.rso_id, ''), 1)
  ON CONFLICT (terminal, workflow, state, rso_id) DO UPDATE SET n = n + 1;
  INSERT INTO report_cycles (workflow, rso_id, n, sum_ms)
  SELECT NEW.workflow, COALESCE(NEW.rso_id, ''), 1, NEW.updated_at - NEW.created_at
  WHERE OLD.terminal = 0 AND NEW.terminal != 0
  ON CONFLICT (workflow, rso_id) DO UPDATE SET n = n + 1, sum_ms = sum_ms + excluded.sum_ms;
  INSERT INTO report_cycle_days (day, workflow, rso_id, n, sum_ms)
  SELECT NEW.updated_at / 86400000, NEW.workflow, COALESCE(NEW.rso_id, ''), 1,
         NEW.updated_at - NEW.created_at
  WHERE OLD.terminal = 0 AND NEW.terminal != 0
  ON CONFLICT (day, workflow, rso_id) DO UPDATE
  SET n = n + 1, sum_ms = sum_ms + excluded.sum_ms;
END;

CREATE TRIGGER report_instance_deleted AFTER DELETE ON instances
BEGIN
  UPDATE report_state_counts SET n = n - 1
  WHERE workflow = OLD.workflow AND state = OLD.state;
  UPDATE report_counts SET n = n - 1
  WHERE terminal = (OLD.terminal != 0) AND workflow = OLD.workflow AND state = OLD.state
    AND rso_id = COALESCE(OLD.rso_id, '');
END;

-- An entry to another state than the one entered ends that period (audit is append-only, so
-- this is the only trigger it needs).
CREATE TRIGGER report_audit_appended AFTER INSERT ON audit WHEN NEW.instance_id != 0
BEGIN
  INSERT INTO report_flows (workflow, state, bucket, n, sum_ms)
  SELECT NEW.workflow, e.state,
         CASE WHEN MAX(NEW.at - e.at, 0) < 172800000 THEN MAX(NEW.at - e.at, 0) / 3600000
              ELSE MAX(NEW.at - e.at, 0) / 86400000 * 24 END,
         1, NEW.at - e.at
  FROM report_entered e WHERE e.instance_id = NEW.instance_id AND e.state != NEW.to_state
  ON CONFLICT (workflow, state, bucket) DO UPDATE
  SET n = n + 1, sum_ms = sum_ms + excluded.sum_ms;
  INSERT INTO report_flow_days (day, workflow, state, bucket, n, sum_ms)
  SELECT NEW.at / 86400000, NEW.workflow, e.state,
         CASE WHEN MAX(NEW.at - e.at, 0) < 172800000 THEN MAX(NEW.at - e.at, 0) / 3600000
              ELSE MAX(NEW.at - e.at, 0) / 86400000 * 24 END,
         1, NEW.at - e.at
  FROM report_entered e WHERE e.instance_id = NEW.instance_id AND e.state != NEW.to_state
  ON CONFLICT (day, workflow, state, bucket) DO UPDATE
  SET n = n + 1, sum_ms = sum_ms + excluded.sum_ms;
  INSERT INTO report_entered (instance_id, state, at)
  VALUES (NEW.instance_id, NEW.to_state, NEW.at)
  ON CONFLICT (instance_id) DO UPDATE SET state = excluded.state, at = excluded.at
  WHERE report_entered.state != excluded.state;
END;
