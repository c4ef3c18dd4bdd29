// SqliteStore's RecordStore (engine/store/record_store.h): domain records and counters.

#include "db/query.h"
#include "db/sql.h"
#include "db/sqlite_rows.h"
#include "db/sqlite_store.h"

namespace rsoflow::db {
namespace {

// A record row of `kind` (the statements select id, kind, key, data, created_at, updated_at).
auto RecordReader(const std::string& kind) {
  return [&kind](const Statement& s) {
    return Record{
        kind, std::to_string(s.Int(0)), s.Text(2), ParseStoredJson(s.Text(3)), s.Int(4), s.Int(5)};
  };
}

Result<Record> QueryRecord(Connection& c, const std::string& kind, const std::string& id) {
  auto found =
      Query(c, sql::kSelectRecord, "select record").Bind(kind, ToId(id)).First(RecordReader(kind));
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no " + kind + " " + id);
  return std::move(**found);
}

}  // namespace

Result<std::string> SqliteStore::InsertRecord(const Record& r) {
  Query q = Write(sql::kInsertRecord, "insert record");
  Status st = q.Bind(r.kind, r.key, r.data.Dump(), r.created_at, r.updated_at).Run();
  if (st.code() == Status::Code::kDuplicate) {
    return Status::Duplicate(r.kind + " '" + r.key + "' already exists");
  }
  RSOFLOW_RETURN_IF_ERROR(st);
  return std::to_string(q.LastInsertId());
}

Status SqliteStore::UpdateRecord(const Record& r) {
  Query q = Write(sql::kUpdateRecord, "update record");
  Status st = q.Bind(r.kind, ToId(r.id), r.key, r.data.Dump(), r.updated_at).Run();
  if (st.code() == Status::Code::kDuplicate) {
    return Status::Duplicate(r.kind + " '" + r.key + "' already exists");
  }
  RSOFLOW_RETURN_IF_ERROR(st);
  if (q.Changes() == 0) return Status::NotFound("no " + r.kind + " " + r.id);
  return Status::Ok();
}

Result<Record> SqliteStore::GetRecordForWrite(const std::string& kind, const std::string& id) {
  return QueryRecord(*writer_, kind, id);
}

Result<Record> SqliteStore::GetRecord(const std::string& kind, const std::string& id) {
  return OnReader([&](Connection& c) { return QueryRecord(c, kind, id); });
}

Result<std::vector<Record>> SqliteStore::ListRecords(const std::string& kind, int64_t after_id,
                                                     int limit) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kListRecords, "list records")
        .Bind(kind, after_id, limit)
        .All(RecordReader(kind));
  });
}

Result<std::vector<Record>> SqliteStore::ListRecordsWhere(const std::string& kind,
                                                          const RecordFilter& f, int64_t after_id,
                                                          int limit) {
  // The index of the filter given: the RSOs of a status (rso_latest, migration 0014); a region
  // narrows more than a kind of two values.
  const char* list = !f.state.empty() && !f.state_workflow.empty() ? sql::kListRecordsByStatus
                     : !f.region.empty()                           ? sql::kListRecordsByRegion
                     : !f.kind.empty()                             ? sql::kListRecordsByKindField
                                                                   : sql::kListRecordsFiltered;
  return OnReader([&](Connection& c) {
    return Query(c, list, "list records")
        .Bind(kind, after_id, limit, f.region, f.kind, f.state, f.state_workflow)
        .All(RecordReader(kind));
  });
}

Result<int64_t> SqliteStore::NextCounter(const std::string& name) {
  Query q = Write(sql::kNextCounter, "next counter");
  auto value = q.Bind(name).Single(ReadInt);
  if (!value.ok()) return value.status();
  RSOFLOW_RETURN_IF_ERROR(q.Run());  // the statement's end: the upsert is done
  return value;
}

Status SqliteStore::RaiseCounter(const std::string& name, int64_t value) {
  return Write(sql::kRaiseCounter, "raise counter").Bind(name, value).Run();
}

}  // namespace rsoflow::db
