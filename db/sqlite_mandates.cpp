// SqliteStore's MandateStore (engine/store/mandate_store.h): mandates, never deleted.
#include "db/query.h"
#include "db/sql.h"
#include "db/sqlite_rows.h"
#include "db/sqlite_store.h"
#include "engine/string_list.h"

namespace rsoflow::db {
namespace {

Mandate ReadMandate(const Statement& s) {
  Mandate m;
  m.id = s.Int(0);
  m.from_user_id = s.Text(1);
  m.to_user_id = s.Text(2);
  m.starts_on = s.Text(3);
  m.ends_on = s.Text(4);
  const Json workflows = ParseStoredJson(s.Text(5));
  if (workflows.is_array()) {
    for (const Json& w : workflows.AsArray()) {
      if (w.is_string()) m.workflows.push_back(w.AsString());
    }
  }
  m.reason = s.Text(6);
  m.created_by = s.Text(7);
  m.created_at = s.Int(8);
  m.revoked_at = s.OptionalInt(9);
  return m;
}

Result<std::vector<Mandate>> List(Connection& c, const MandateQuery& q) {
  return Query(c, sql::kListMandates, "list mandates")
      .Bind(q.after_id, OrNull{q.user_id}, OrNull{q.from_user_id}, OrNull{q.to_user_id},
            OrNull{q.active_on}, q.live_only, q.limit)
      .All(ReadMandate);
}

}  // namespace

Result<int64_t> SqliteStore::InsertMandate(const Mandate& m) {
  Query q = Write(sql::kInsertMandate, "insert mandate");
  RSOFLOW_RETURN_IF_ERROR(q.Bind(m.from_user_id, m.to_user_id, m.starts_on, m.ends_on,
                                 StringArray(m.workflows).Dump(), m.reason, m.created_by,
                                 m.created_at)
                              .Run());
  return q.LastInsertId();
}

Result<Mandate> SqliteStore::GetMandateForWrite(int64_t id) {
  auto found = Query(*writer_, sql::kSelectMandate, "select mandate").Bind(id).First(ReadMandate);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound("no mandate " + std::to_string(id));
  return std::move(**found);
}

Status SqliteStore::RevokeMandate(int64_t id, int64_t at) {
  return Write(sql::kRevokeMandate, "revoke mandate").Bind(id, at).Run();
}

Result<std::vector<Mandate>> SqliteStore::FindMandatesForWrite(const MandateQuery& q) {
  return List(*writer_, q);
}

Result<Mandate> SqliteStore::GetMandate(int64_t id) {
  return OnReader([&](Connection& c) -> Result<Mandate> {
    auto found = Query(c, sql::kSelectMandate, "select mandate").Bind(id).First(ReadMandate);
    if (!found.ok()) return found.status();
    if (!found->has_value()) return Status::NotFound("no mandate " + std::to_string(id));
    return std::move(**found);
  });
}

Result<std::vector<Mandate>> SqliteStore::ListMandates(const MandateQuery& q) {
  return OnReader([&](Connection& c) { return List(c, q); });
}

}  // namespace rsoflow::db
