// SqliteStore's ResolutionStore (engine/store/resolution_store.h): the register of resolutions.
#include <optional>

#include "db/query.h"
#include "db/sql.h"
#include "db/sqlite_rows.h"
#include "db/sqlite_store.h"

namespace rsoflow::db {
namespace {

std::optional<int64_t> IdOrNone(int64_t id) {
  return id != 0 ? std::optional<int64_t>(id) : std::nullopt;
}

Resolution ReadResolution(const Statement& s) {
  Resolution r;
  r.year = static_cast<int>(s.Int(0));
  r.ordinal = s.Int(1);
  r.number = s.Text(2);
  r.decided_on = s.Text(3);
  r.title = s.Text(4);
  r.outcome = s.Text(5);
  r.source = s.Text(6);
  r.ballot_id = s.OptionalInt(7).value_or(0);
  r.subject_instance_id = s.OptionalInt(8).value_or(0);
  r.rso_id = s.IsNull(9) ? "" : s.Text(9);
  r.recorded_at = s.Int(10);
  r.recorded_by = s.Text(11);
  return r;
}

}  // namespace

Result<int64_t> SqliteStore::NextResolutionNumber(int year) {
  return Query(*writer_, sql::kNextResolutionNumber, "next resolution number")
      .Bind(year, "resolution/" + std::to_string(year))
      .Single(ReadInt);
}

Status SqliteStore::InsertResolution(const Resolution& r) {
  Status st = Write(sql::kInsertResolution, "insert resolution")
                  .Bind(ResolutionKey(r.year, r.ordinal), r.year, r.ordinal, r.number,
                        r.decided_on, r.title, r.outcome, r.source, IdOrNone(r.ballot_id),
                        IdOrNone(r.subject_instance_id), OrNull{r.rso_id}, r.recorded_at,
                        r.recorded_by)
                  .Run();
  if (st.code() == Status::Code::kDuplicate) {
    return Status::Duplicate("resolution " + r.number + " is already in the register");
  }
  return st;
}

Result<std::vector<Resolution>> SqliteStore::ListResolutions(const ResolutionQuery& q) {
  const std::optional<int64_t> year =
      q.year ? std::optional<int64_t>(*q.year) : std::optional<int64_t>();
  const int64_t before = q.before_key > 0 ? q.before_key : INT64_MAX;
  return OnReader([&](Connection& c) {
    return Query(c, sql::kListResolutions, "list resolutions")
        .Bind(year, OrNull{q.rso_id}, before, q.limit)
        .All(ReadResolution);
  });
}

}  // namespace rsoflow::db
