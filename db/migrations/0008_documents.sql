-- 0008: documents as evidence attached to an instance (DESIGN 8, issue 18 item 2). The bytes
-- live in the database (one file to back up), written and read through SQLite's incremental
-- blob API; a row is never deleted: a newer upload marks the one it replaces superseded_by.
-- The SHA-256 is also in the upload's audit entry, so a byte changed here is caught by
-- audit verify --documents.

CREATE TABLE documents (
  id            INTEGER PRIMARY KEY,
  instance_id   INTEGER NOT NULL REFERENCES instances(id),
  filename      TEXT    NOT NULL,
  media_type    TEXT    NOT NULL,
  size          INTEGER NOT NULL,
  sha256        TEXT    NOT NULL,
  uploaded_at   INTEGER NOT NULL,
  uploaded_by   TEXT    NOT NULL,
  superseded_by INTEGER REFERENCES documents(id),
  content       BLOB    NOT NULL
);
CREATE INDEX documents_by_instance ON documents(instance_id, id);
CREATE TRIGGER documents_are_never_deleted BEFORE DELETE ON documents
BEGIN
  SELECT RAISE(ABORT, 'documents are never deleted (superseded instead)');
END;
