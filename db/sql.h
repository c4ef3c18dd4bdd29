// Every SQL statement rsoflow runs, as a named constant. Prepared statements are cached per
// connection keyed by these constants' addresses, so each text is compiled once per connection.
#pragma once

namespace rsoflow::db::sql {

inline constexpr const char* kBegin = "BEGIN IMMEDIATE";
inline constexpr const char* kCommit = "COMMIT";
inline constexpr const char* kRollback = "ROLLBACK";
// A read transaction: an online backup copies the one snapshot it opens (db/backup.cpp).
inline constexpr const char* kBeginRead = "BEGIN DEFERRED";
inline constexpr const char* kSavepoint = "SAVEPOINT cmd";
inline constexpr const char* kRelease = "RELEASE cmd";
inline constexpr const char* kRollbackTo = "ROLLBACK TO cmd";

inline constexpr const char* kCreateSchemaVersion =
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";
inline constexpr const char* kSelectSchemaVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_version";
inline constexpr const char* kInsertSchemaVersion =
    "INSERT INTO schema_version (version) VALUES (?1)";

inline constexpr const char* kSelectInstance =
    "SELECT id, workflow, workflow_version, state, version, rso_id, subject_id, title, data, "
    "created_at, created_by, updated_at, due_at, terminal FROM instances WHERE id = ?1";
inline constexpr const char* kInsertInstance =
    "INSERT INTO instances (workflow, workflow_version, state, version, rso_id, subject_id, "
    "title, data, created_at, created_by, updated_at, due_at, terminal) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
inline constexpr const char* kUpdateInstance =
    "UPDATE instances SET state = ?2, version = ?3, rso_id = ?4, title = ?5, data = ?6, "
    "updated_at = ?7, due_at = ?8, terminal = ?9 WHERE id = ?1";
inline constexpr const char* kUpdateInstanceData =
    "UPDATE instances SET version = ?2, data = ?3, updated_at = ?4 WHERE id = ?1";
inline constexpr const char* kActiveInstancesWithSubject =
    "SELECT id FROM instances WHERE subject_id = ?1 AND workflow = ?2 AND terminal = 0 "
    "ORDER BY id";
// Keyset pagination; an empty filter matches everything. One statement per index a page reads
// through (db/sqlite_instances.cpp picks it by the filters given, migration 0012): each names
// its index and leads with the equalities that make the page a range read of that index in id
// order, the other filters are checked on the rows read. ?1 after id, ?2 workflow, ?3 state,
// ?4 rso_id, ?5 terminal (-1: any), ?6 limit, ?7 due by (NULL: any).
#define RSOFLOW_INSTANCE_COLUMNS                                                             \
  "SELECT id, workflow, workflow_version, state, version, rso_id, subject_id, title, data, " \
  "created_at, created_by, updated_at, due_at, terminal FROM instances "
#define RSOFLOW_INSTANCE_FILTERS                                                             \
  " id > ?1 AND (?2 = '' OR workflow = ?2) AND (?3 = '' OR state = ?3) AND (?4 = '' OR "     \
  "rso_id = ?4) AND (?5 < 0 OR terminal = ?5) AND (?7 IS NULL OR due_at <= ?7) ORDER BY id " \
  "LIMIT ?6"
// ?1 workflow, ?2 RSO id: the RSO's latest instance of the workflow, found through rso_latest
// (migration 0014) rather than a range of instances_by_rso_workflow read to its end.
inline constexpr const char* kSelectLatestOfRso = RSOFLOW_INSTANCE_COLUMNS
    "WHERE id = (SELECT instance_id FROM rso_latest WHERE workflow = ?1 AND "
    "rso_id = CAST(?2 AS INTEGER))";
inline constexpr const char* kListInstances =
    RSOFLOW_INSTANCE_COLUMNS "NOT INDEXED WHERE" RSOFLOW_INSTANCE_FILTERS;
inline constexpr const char* kListInstancesByRsoWorkflow = RSOFLOW_INSTANCE_COLUMNS
    "INDEXED BY instances_by_rso_workflow WHERE rso_id = ?4 AND "
    "workflow = ?2 AND" RSOFLOW_INSTANCE_FILTERS;
inline constexpr const char* kListActiveInstancesByRso = RSOFLOW_INSTANCE_COLUMNS
    "INDEXED BY instances_active_by_rso WHERE terminal = 0 AND rso_id = ?4 "
    "AND" RSOFLOW_INSTANCE_FILTERS;
inline constexpr const char* kListInstancesByRso = RSOFLOW_INSTANCE_COLUMNS
    "INDEXED BY instances_by_rso WHERE rso_id = ?4 AND" RSOFLOW_INSTANCE_FILTERS;
inline constexpr const char* kListInstancesByWorkflowState = RSOFLOW_INSTANCE_COLUMNS
    "INDEXED BY instances_by_workflow_state WHERE workflow = ?2 AND "
    "state = ?3 AND" RSOFLOW_INSTANCE_FILTERS;
inline constexpr const char* kListInstancesByState = RSOFLOW_INSTANCE_COLUMNS
    "INDEXED BY instances_by_state WHERE state = ?3 AND" RSOFLOW_INSTANCE_FILTERS;
inline constexpr const char* kListActiveInstancesByWorkflow = RSOFLOW_INSTANCE_COLUMNS
    "INDEXED BY instances_active_by_workflow WHERE terminal = 0 AND "
    "workflow = ?2 AND" RSOFLOW_INSTANCE_FILTERS;
inline constexpr const char* kListInstancesByWorkflow = RSOFLOW_INSTANCE_COLUMNS
    "INDEXED BY instances_by_workflow WHERE workflow = ?2 AND" RSOFLOW_INSTANCE_FILTERS;
inline constexpr const char* kListActiveInstances = RSOFLOW_INSTANCE_COLUMNS
    "INDEXED BY instances_active WHERE terminal = 0 AND" RSOFLOW_INSTANCE_FILTERS;
// The due instances of one active state: a range of (workflow, state, due_at), sorted by id
// (only the due ones are read and sorted).
inline constexpr const char* kListDueInstancesOfState = RSOFLOW_INSTANCE_COLUMNS
    "INDEXED BY instances_active_by_state_due WHERE terminal = 0 AND "
    "workflow = ?2 AND state = ?3 AND due_at <= ?7 AND" RSOFLOW_INSTANCE_FILTERS;
// The inbox's order over one active state (ListActiveByDue): the dated ones by (due_at, id)
// after ?4 / ?1, due by ?5 (NULL: any), then the undated ones by id. ?2 workflow, ?3 state,
// ?6 limit. Both are ranges of instances_active_by_state_due in key order.
inline constexpr const char* kListActiveByDueDated = RSOFLOW_INSTANCE_COLUMNS
    "INDEXED BY instances_active_by_state_due WHERE terminal = 0 AND workflow = ?2 AND "
    "state = ?3 AND due_at >= ?4 AND (due_at > ?4 OR id > ?1) AND (?5 IS NULL OR due_at <= ?5) "
    "ORDER BY due_at, id LIMIT ?6";
inline constexpr const char* kListActiveByDueUndated = RSOFLOW_INSTANCE_COLUMNS
    "INDEXED BY instances_active_by_state_due WHERE terminal = 0 AND workflow = ?2 AND "
    "state = ?3 AND due_at IS NULL AND id > ?1 ORDER BY id LIMIT ?4";
#undef RSOFLOW_INSTANCE_FILTERS
#undef RSOFLOW_INSTANCE_COLUMNS

inline constexpr const char* kAuditHead = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
inline constexpr const char* kInsertAudit =
    "INSERT INTO audit (seq, at, instance_id, workflow, workflow_version, event, from_state, "
    "to_state, actor_user_id, actor_username, actor_role, on_behalf_of, comment, data, "
    "request_id, idempotency_key, client_ip, prev_hash, hash, salt, token_id, token_issued_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20, ?21, ?22)";
inline constexpr const char* kSelectAuditAfter =
    "SELECT seq, at, instance_id, workflow, workflow_version, event, from_state, to_state, "
    "actor_user_id, actor_username, actor_role, on_behalf_of, comment, data, request_id, "
    "idempotency_key, client_ip, prev_hash, hash, salt, token_id, token_issued_by FROM audit "
    "WHERE seq > ?1 ORDER BY seq LIMIT ?2";
// The same for a database read without migrating it (rsoflow audit verify) from before 0006 ...
inline constexpr const char* kSelectAuditAfterWithoutTokens =
    "SELECT seq, at, instance_id, workflow, workflow_version, event, from_state, to_state, "
    "actor_user_id, actor_username, actor_role, on_behalf_of, comment, data, request_id, "
    "idempotency_key, client_ip, prev_hash, hash, salt, NULL, NULL FROM audit WHERE seq > ?1 "
    "ORDER BY seq LIMIT ?2";
// ... and from before 0005.
inline constexpr const char* kSelectAuditAfterUnsalted =
    "SELECT seq, at, instance_id, workflow, workflow_version, event, from_state, to_state, "
    "actor_user_id, actor_username, actor_role, on_behalf_of, comment, data, request_id, "
    "idempotency_key, client_ip, prev_hash, hash, NULL, NULL, NULL FROM audit WHERE seq > ?1 "
    "ORDER BY seq LIMIT ?2";
inline constexpr const char* kSelectAuditOfInstance =
    "SELECT seq, at, instance_id, workflow, workflow_version, event, from_state, to_state, "
    "actor_user_id, actor_username, actor_role, on_behalf_of, comment, data, request_id, "
    "idempotency_key, client_ip, prev_hash, hash, salt, token_id, token_issued_by FROM audit "
    "WHERE instance_id = ?1 "
    "AND seq > ?2 ORDER BY seq LIMIT ?3";

// The API's audit list: an empty filter matches everything; actor is a username or user id.
// ?1 after seq, ?2 instance id (0: any), ?3 actor, ?4 limit. With an instance, the page is a
// range of audit_by_instance; without, of the table in seq order.
#define RSOFLOW_AUDIT_COLUMNS                                                              \
  "SELECT seq, at, instance_id, workflow, workflow_version, event, from_state, to_state, " \
  "actor_user_id, actor_username, actor_role, on_behalf_of, comment, data, request_id, "   \
  "idempotency_key, client_ip, prev_hash, hash, salt, token_id, token_issued_by FROM audit "
#define RSOFLOW_AUDIT_FILTERS                                                          \
  " seq > ?1 AND (?2 = 0 OR instance_id = ?2) AND (?3 = '' OR actor_username = ?3 OR " \
  "actor_user_id = ?3) ORDER BY seq LIMIT ?4"
inline constexpr const char* kListAudit =
    RSOFLOW_AUDIT_COLUMNS "NOT INDEXED WHERE" RSOFLOW_AUDIT_FILTERS;
inline constexpr const char* kListAuditOfInstance = RSOFLOW_AUDIT_COLUMNS
    "INDEXED BY audit_by_instance WHERE instance_id = ?2 AND" RSOFLOW_AUDIT_FILTERS;
#undef RSOFLOW_AUDIT_FILTERS
#undef RSOFLOW_AUDIT_COLUMNS
inline constexpr const char* kSelectAuditCheckpoint =
    "SELECT seq, hash FROM audit_checkpoint WHERE id = 1";
inline constexpr const char* kSaveAuditCheckpoint =
    "INSERT INTO audit_checkpoint (id, seq, hash, verified_at) VALUES (1, ?1, ?2, ?3) "
    "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
    "verified_at = excluded.verified_at WHERE excluded.seq >= audit_checkpoint.seq";
inline constexpr const char* kCountInstancesByState =
    "SELECT workflow, state, COUNT(*) FROM instances GROUP BY workflow, state "
    "ORDER BY workflow, state";

inline constexpr const char* kUpsertTimer =
    "INSERT INTO timers (instance_id, name, due_at, event) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (instance_id, name) DO UPDATE SET due_at = excluded.due_at, "
    "event = excluded.event";
inline constexpr const char* kDeleteTimer =
    "DELETE FROM timers WHERE instance_id = ?1 AND name = ?2";
inline constexpr const char* kDeleteTimers = "DELETE FROM timers WHERE instance_id = ?1";
inline constexpr const char* kSelectTimer =
    "SELECT instance_id, name, due_at, event FROM timers WHERE instance_id = ?1 AND name = ?2";
// An instance's due_at is its earliest deadline: reminders (engine/notify/notifier.h) are not.
inline constexpr const char* kEarliestTimerOf =
    "SELECT MIN(due_at) FROM timers WHERE instance_id = ?1 AND name NOT LIKE 'remind:%'";
inline constexpr const char* kDueTimers =
    "SELECT instance_id, name, due_at, event FROM timers WHERE due_at <= ?1 "
    "ORDER BY due_at, instance_id, name LIMIT ?2";
inline constexpr const char* kNextTimerDue = "SELECT MIN(due_at) FROM timers";

inline constexpr const char* kSelectIdempotency =
    "SELECT request_hash, response, created_at FROM idempotency "
    "WHERE actor_user_id = ?1 AND key = ?2";
inline constexpr const char* kInsertIdempotency =
    "INSERT INTO idempotency (actor_user_id, key, request_hash, response, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";

inline constexpr const char* kNextCounter =
    "INSERT INTO counters (name, value) VALUES (?1, 1) "
    "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value";
inline constexpr const char* kRaiseCounter =
    "INSERT INTO counters (name, value) VALUES (?1, ?2) "
    "ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)";

// The register of resolutions (db/sqlite_resolutions.cpp). The next number of a year is one
// after the highest of the register and of the year's legacy counter (ballots closed before
// migration 0007 numbered themselves with it).
inline constexpr const char* kNextResolutionNumber =
    "SELECT MAX(COALESCE((SELECT MAX(ordinal) FROM resolutions WHERE year = ?1), 0), "
    "COALESCE((SELECT value FROM counters WHERE name = ?2), 0)) + 1";
inline constexpr const char* kInsertResolution =
    "INSERT INTO resolutions (sort_key, year, ordinal, number, decided_on, title, outcome, "
    "source, ballot_id, subject_instance_id, rso_id, recorded_at, recorded_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
inline constexpr const char* kListResolutions =
    "SELECT year, ordinal, number, decided_on, title, outcome, source, ballot_id, "
    "subject_instance_id, rso_id, recorded_at, recorded_by FROM resolutions "
    "WHERE (?1 IS NULL OR year = ?1) AND (?2 IS NULL OR rso_id = ?2) AND sort_key < ?3 "
    "ORDER BY sort_key DESC LIMIT ?4";

// Mandates (db/sqlite_mandates.cpp).
inline constexpr const char* kInsertMandate =
    "INSERT INTO mandates (from_user_id, to_user_id, starts_on, ends_on, workflows, reason, "
    "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
inline constexpr const char* kSelectMandate =
    "SELECT id, from_user_id, to_user_id, starts_on, ends_on, workflows, reason, created_by, "
    "created_at, revoked_at FROM mandates WHERE id = ?1";
inline constexpr const char* kRevokeMandate =
    "UPDATE mandates SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";
inline constexpr const char* kListMandates =
    "SELECT id, from_user_id, to_user_id, starts_on, ends_on, workflows, reason, created_by, "
    "created_at, revoked_at FROM mandates WHERE id > ?1 "
    "AND (?2 IS NULL OR from_user_id = ?2 OR to_user_id = ?2) "
    "AND (?3 IS NULL OR from_user_id = ?3) AND (?4 IS NULL OR to_user_id = ?4) "
    "AND (?5 IS NULL OR (revoked_at IS NULL AND starts_on <= ?5 AND ends_on >= ?5)) "
    "AND (?6 = 0 OR revoked_at IS NULL) ORDER BY id LIMIT ?7";

inline constexpr const char* kSelectActiveUsersWithRole =
    "SELECT id, username, affiliated_rso_ids FROM users WHERE role = ?1 AND disabled = 0 "
    "ORDER BY id";
inline constexpr const char* kInsertUser =
    "INSERT INTO users (username, display_name, role, rso_id, affiliated_rso_ids, "
    "password_hash, disabled, created_at, email, language) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
// Everything of a user but its username, password hash and creation time.
inline constexpr const char* kUpdateUser =
    "UPDATE users SET display_name = ?2, role = ?3, rso_id = ?4, affiliated_rso_ids = ?5, "
    "disabled = ?6, email = ?7, language = ?8 WHERE id = ?1";
inline constexpr const char* kSelectUserByName =
    "SELECT id, username, display_name, role, rso_id, affiliated_rso_ids, password_hash, "
    "disabled, created_at, email, language FROM users WHERE username = ?1";
inline constexpr const char* kSelectUserById =
    "SELECT id, username, display_name, role, rso_id, affiliated_rso_ids, password_hash, "
    "disabled, created_at, email, language FROM users WHERE id = ?1";
inline constexpr const char* kSelectUsers =
    "SELECT id, username, display_name, role, rso_id, affiliated_rso_ids, password_hash, "
    "disabled, created_at, email, language FROM users WHERE id > ?1 ORDER BY id LIMIT ?2";

inline constexpr const char* kSetPasswordHash =
    "UPDATE users SET password_hash = ?3 WHERE id = ?1 AND password_hash = ?2";

inline constexpr const char* kInsertToken =
    "INSERT INTO tokens (user_id, name, token_hash, kind, created_at, expires_at, created_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
inline constexpr const char* kRevokeToken =
    "UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";
inline constexpr const char* kSelectTokenByHash =
    "SELECT id, user_id, name, token_hash, kind, created_at, expires_at, revoked_at, "
    "last_used_at, created_by FROM tokens WHERE token_hash = ?1";
inline constexpr const char* kSelectTokenById =
    "SELECT id, user_id, name, token_hash, kind, created_at, expires_at, revoked_at, "
    "last_used_at, created_by FROM tokens WHERE id = ?1";
// Revokes every live token of a user (a disabled account), or only its sessions but one (a
// changed password: ?3 is the session kept, ?4 = 1 for sessions only).
inline constexpr const char* kRevokeTokensOfUser =
    "UPDATE tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL "
    "AND id != ?3 AND (?4 = 0 OR kind = 'session')";
// A user's tokens that are not revoked, oldest first.
inline constexpr const char* kSelectLiveTokensOfUser =
    "SELECT id, user_id, name, token_hash, kind, created_at, expires_at, revoked_at, "
    "last_used_at, created_by FROM tokens WHERE user_id = ?1 AND revoked_at IS NULL "
    "ORDER BY id";
inline constexpr const char* kTouchToken =
    "UPDATE tokens SET last_used_at = ?2 WHERE id = ?1 AND (last_used_at IS NULL OR "
    "last_used_at < ?2)";

inline constexpr const char* kInsertRecord =
    "INSERT INTO records (kind, key, data, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)";
inline constexpr const char* kUpdateRecord =
    "UPDATE records SET key = ?3, data = ?4, updated_at = ?5 WHERE kind = ?1 AND id = ?2";
inline constexpr const char* kSelectRecord =
    "SELECT id, kind, key, data, created_at, updated_at FROM records WHERE kind = ?1 AND id = ?2";
inline constexpr const char* kListRecords =
    "SELECT id, kind, key, data, created_at, updated_at FROM records WHERE kind = ?1 AND id > ?2 "
    "ORDER BY id LIMIT ?3";

// RSOs (records of a kind) by the region and the kind in their data (migration 0012's
// expression indexes; an empty filter matches everything): ?1 kind, ?2 after id, ?3 limit,
// ?4 region, ?5 kind field, ?6 the state of the record's latest instance of workflow ?7 (an
// RSO's status: one look-up of instances_by_rso_workflow per record read).
#define RSOFLOW_RECORD_FILTERS                                                                    \
  " AND id > ?2 AND (?4 = '' OR json_extract(data, '$.region') = ?4) AND (?5 = '' OR "            \
  "json_extract(data, '$.kind') = ?5) AND (?6 = '' OR (SELECT state FROM instances INDEXED BY "   \
  "instances_by_rso_workflow WHERE rso_id = CAST(records.id AS TEXT) AND workflow = ?7 ORDER BY " \
  "id DESC LIMIT 1) = ?6) ORDER BY id LIMIT ?3"
inline constexpr const char* kListRecordsByRegion =
    "SELECT id, kind, key, data, created_at, updated_at FROM records INDEXED BY records_by_region "
    "WHERE kind = ?1 AND json_extract(data, '$.region') = ?4" RSOFLOW_RECORD_FILTERS;
inline constexpr const char* kListRecordsByKindField =
    "SELECT id, kind, key, data, created_at, updated_at FROM records INDEXED BY "
    "records_by_kind_field WHERE kind = ?1 AND json_extract(data, '$.kind') = "
    "?5" RSOFLOW_RECORD_FILTERS;
inline constexpr const char* kListRecordsFiltered =
    "SELECT id, kind, key, data, created_at, updated_at FROM records INDEXED BY records_by_kind "
    "WHERE kind = ?1" RSOFLOW_RECORD_FILTERS;
#undef RSOFLOW_RECORD_FILTERS
// RSOs by their status (?6, the state of their latest instance of workflow ?7): a range of
// rso_latest (migration 0014) in RSO order, each RSO's record read by its id; the region and
// kind filters are checked on the records read.
inline constexpr const char* kListRecordsByStatus =
    "SELECT r.id, r.kind, r.key, r.data, r.created_at, r.updated_at FROM rso_latest AS l "
    "INDEXED BY rso_latest_by_state CROSS JOIN records AS r ON r.id = l.rso_id WHERE "
    "l.workflow = ?7 AND l.state = ?6 AND l.rso_id > ?2 AND r.kind = ?1 AND (?4 = '' OR "
    "json_extract(r.data, '$.region') = ?4) AND (?5 = '' OR json_extract(r.data, '$.kind') = ?5) "
    "ORDER BY l.rso_id LIMIT ?3";

// Readiness reads the file itself (a constant SELECT would not touch it).
inline constexpr const char* kPing = "SELECT MAX(version) FROM schema_version";

// Inspecting a file before seeding it or reading it read-only.
inline constexpr const char* kTableExists =
    "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)";
inline constexpr const char* kAnyUser = "SELECT EXISTS (SELECT 1 FROM users)";
inline constexpr const char* kAnyInstance = "SELECT EXISTS (SELECT 1 FROM instances)";
inline constexpr const char* kAnyRecord = "SELECT EXISTS (SELECT 1 FROM records)";

// ---- documents (db/sqlite_documents.cpp) ----
// The bytes go in with zeroblob(size), then through sqlite3_blob_write in chunks.
inline constexpr const char* kInsertDocument =
    "INSERT INTO documents (instance_id, filename, media_type, size, sha256, uploaded_at, "
    "uploaded_by, content) VALUES (?1, ?2, ?3, ?4, '', ?5, ?6, zeroblob(?4))";
inline constexpr const char* kSetDocumentSha256 = "UPDATE documents SET sha256 = ?2 WHERE id = ?1";
#define RSOFLOW_DOCUMENT_COLUMNS                                                           \
  "SELECT id, instance_id, filename, media_type, size, sha256, uploaded_at, uploaded_by, " \
  "superseded_by FROM documents "
inline constexpr const char* kSelectDocument = RSOFLOW_DOCUMENT_COLUMNS "WHERE id = ?1";
inline constexpr const char* kListDocuments =
    RSOFLOW_DOCUMENT_COLUMNS "WHERE instance_id = ?1 ORDER BY id";
inline constexpr const char* kListCurrentDocuments =
    RSOFLOW_DOCUMENT_COLUMNS "WHERE instance_id = ?1 AND superseded_by IS NULL ORDER BY id";
inline constexpr const char* kAllDocumentsAfter =
    RSOFLOW_DOCUMENT_COLUMNS "WHERE id > ?1 ORDER BY id LIMIT ?2";
#undef RSOFLOW_DOCUMENT_COLUMNS
inline constexpr const char* kSupersedeDocument =
    "UPDATE documents SET superseded_by = ?2 WHERE id = ?1 AND superseded_by IS NULL";

}  // namespace rsoflow::db::sql
