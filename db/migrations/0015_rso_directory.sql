-- 0015: each RSO's acronym and region as columns (issue 21). GET /reports/summary lists every
-- RSO with them; reading them with json_extract from each record's data cost most of the
-- summary's SQL at a million instances (5 000 RSOs: 14 ms of two JSON parses a record, against
-- 3 ms for this table). Kept by triggers in the transaction that writes the record, whichever
-- writer it is (the API, the import, the seed). The RSO records are the records of kind 'rso'
-- (workflows/rso_records.h, kRsoKind).
CREATE TABLE rso_directory (
  id      INTEGER PRIMARY KEY,  -- records.id
  acronym TEXT,
  region  TEXT
);

INSERT INTO rso_directory (id, acronym, region)
  SELECT id, json_extract(data, '$.acronym'), json_extract(data, '$.region') FROM records
  WHERE kind = 'rso';

CREATE TRIGGER rso_directory_on_insert AFTER INSERT ON records
WHEN NEW.kind = 'rso'
BEGIN
  INSERT INTO rso_directory (id, acronym, region)
    VALUES (NEW.id, json_extract(NEW.data, '$.acronym'), json_extract(NEW.data, '$.region'));
END;

-- An edited dossier (its acronym or region may change); a record that became or stopped
-- being an RSO's is added or removed.
CREATE TRIGGER rso_directory_on_update AFTER UPDATE OF kind, data ON records
BEGIN
  DELETE FROM rso_directory WHERE id = OLD.id AND OLD.kind = 'rso';
  INSERT INTO rso_directory (id, acronym, region)
    SELECT NEW.id, json_extract(NEW.data, '$.acronym'), json_extract(NEW.data, '$.region')
    WHERE NEW.kind = 'rso';
END;
