// SqliteStore's TimerStore (engine/store/timer_store.h).

#include "db/query.h"
#include "db/sql.h"
#include "db/sqlite_rows.h"
#include "db/sqlite_store.h"

namespace rsoflow::db {
namespace {

TimerRow ReadTimer(const Statement& s) {
  return TimerRow{s.Int(0), s.Text(1), s.Int(2), s.Text(3)};
}

}  // namespace

Status SqliteStore::PutTimer(const TimerRow& t) {
  return Write(sql::kUpsertTimer, "put timer").Bind(t.instance_id, t.name, t.due_at, t.event).Run();
}

Status SqliteStore::DeleteTimer(int64_t instance_id, const std::string& name) {
  return Write(sql::kDeleteTimer, "delete timer").Bind(instance_id, name).Run();
}

Status SqliteStore::DeleteTimers(int64_t instance_id) {
  return Write(sql::kDeleteTimers, "delete timers").Bind(instance_id).Run();
}

Result<std::optional<TimerRow>> SqliteStore::FindTimerForWrite(int64_t instance_id,
                                                               const std::string& name) {
  return Query(*writer_, sql::kSelectTimer, "select timer")
      .Bind(instance_id, name)
      .First(ReadTimer);
}

Result<std::optional<int64_t>> SqliteStore::EarliestTimerOf(int64_t instance_id) {
  return Query(*writer_, sql::kEarliestTimerOf, "earliest timer")
      .Bind(instance_id)
      .Single(ReadOptionalInt);
}

Result<std::vector<TimerRow>> SqliteStore::DueTimers(int64_t now, int limit) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kDueTimers, "due timers").Bind(now, limit).All(ReadTimer);
  });
}

Result<std::optional<int64_t>> SqliteStore::NextTimerDue() {
  return OnReader([](Connection& c) {
    return Query(c, sql::kNextTimerDue, "next timer").Single(ReadOptionalInt);
  });
}

}  // namespace rsoflow::db
