-- 0014: the state of each RSO's latest instance of each workflow, as a row (issue 21). An RSO's
-- status is the state of its latest recognition (DESIGN 4); GET /rsos?status= read the RSOs in
-- id order and looked that instance up for each, so a rare status cost a look-up for every RSO
-- read until a page was full. Kept by triggers in the transaction that writes the instance,
-- whichever writer it is (a command, a timer, the import, the seed); read as a range of
-- (workflow, state, rso_id) in RSO order.
CREATE TABLE rso_latest (
  workflow    TEXT NOT NULL,
  rso_id      INTEGER NOT NULL,
  instance_id INTEGER NOT NULL,
  state       TEXT NOT NULL,
  PRIMARY KEY (workflow, rso_id)
) WITHOUT ROWID;
CREATE INDEX rso_latest_by_state ON rso_latest (workflow, state, rso_id);

-- The latest instance of each (workflow, RSO) so far: SQLite takes a bare column (state) from
-- the row that gave MAX(id).
INSERT INTO rso_latest (workflow, rso_id, instance_id, state)
  SELECT workflow, CAST(rso_id AS INTEGER), MAX(id), state FROM instances
  WHERE rso_id IS NOT NULL AND rso_id <> '' GROUP BY workflow, CAST(rso_id AS INTEGER);

CREATE TRIGGER rso_latest_on_insert AFTER INSERT ON instances
WHEN NEW.rso_id IS NOT NULL AND NEW.rso_id <> ''
BEGIN
  INSERT INTO rso_latest (workflow, rso_id, instance_id, state)
    VALUES (NEW.workflow, CAST(NEW.rso_id AS INTEGER), NEW.id, NEW.state)
    ON CONFLICT (workflow, rso_id) DO UPDATE
      SET instance_id = excluded.instance_id, state = excluded.state
      WHERE excluded.instance_id > rso_latest.instance_id;
END;

CREATE TRIGGER rso_latest_on_state AFTER UPDATE OF state ON instances
WHEN NEW.rso_id IS NOT NULL AND NEW.rso_id <> '' AND OLD.rso_id IS NEW.rso_id
     AND OLD.state IS NOT NEW.state
BEGIN
  UPDATE rso_latest SET state = NEW.state
    WHERE workflow = NEW.workflow AND rso_id = CAST(NEW.rso_id AS INTEGER)
      AND instance_id = NEW.id;
END;

-- An instance moved to another RSO (or given one): the old RSO's latest is found again, and the
-- new RSO's is this one if it is the latest.
CREATE TRIGGER rso_latest_on_rso AFTER UPDATE OF rso_id ON instances
WHEN OLD.rso_id IS NOT NEW.rso_id
BEGIN
  DELETE FROM rso_latest
    WHERE workflow = OLD.workflow AND rso_id = CAST(OLD.rso_id AS INTEGER)
      AND instance_id = OLD.id;
  INSERT OR IGNORE INTO rso_latest (workflow, rso_id, instance_id, state)
    SELECT workflow, CAST(rso_id AS INTEGER), MAX(id), state FROM instances
    WHERE workflow = OLD.workflow AND rso_id = OLD.rso_id AND OLD.rso_id <> ''
    GROUP BY workflow HAVING COUNT(*) > 0;
  INSERT INTO rso_latest (workflow, rso_id, instance_id, state)
    SELECT NEW.workflow, CAST(NEW.rso_id AS INTEGER), NEW.id, NEW.state
    WHERE NEW.rso_id IS NOT NULL AND NEW.rso_id <> ''
    ON CONFLICT (workflow, rso_id) DO UPDATE
      SET instance_id = excluded.instance_id, state = excluded.state
      WHERE excluded.instance_id > rso_latest.instance_id;
END;
