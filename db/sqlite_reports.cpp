// SqliteStore's ReportStore (engine/store/report_store.h): the counters of migration 0013,
// read in one read transaction so that counts, RSOs and times are of the same commit.

#include <limits>

#include "db/query.h"
#include "db/sql.h"
#include "db/sql_reports.h"
#include "db/sqlite_rows.h"
#include "db/sqlite_store.h"

namespace rsoflow::db {
namespace {

Result<ReportCounters> ReadCounters(Connection& c, const ReportPeriod& period,
                                    const std::string& status_workflow) {
  ReportCounters out;
  auto by_state = Query(c, sql::kReportStateCounts, "report counts").All([](const Statement& s) {
    return ReportCount{s.Text(0), s.Text(1), s.Int(2)};
  });
  if (!by_state.ok()) return by_state.status();
  out.by_state = std::move(by_state).value();
  auto active = Query(c, sql::kReportActiveByRso, "report counts").All([](const Statement& s) {
    return std::pair{s.Text(0), s.Int(1)};
  });
  if (!active.ok()) return active.status();
  out.active_by_rso = std::move(active).value();

  auto rsos =
      Query(c, sql::kReportRsos, "report RSOs").Bind(status_workflow).All([](const Statement& s) {
        return ReportRso{std::to_string(s.Int(0)), s.Text(1), s.Text(2), s.Text(3)};
      });
  if (!rsos.ok()) return rsos.status();
  out.rsos = std::move(rsos).value();

  const int64_t first = period.from_day.value_or(std::numeric_limits<int64_t>::min());
  const int64_t last = period.to_day.value_or(std::numeric_limits<int64_t>::max());
  {
    Query q(c, period.filtered() ? sql::kReportStateTimesOfDays : sql::kReportStateTimes,
            "report state times");
    if (period.filtered()) q.Bind(first, last);
    auto rows = q.All([](const Statement& s) {
      return ReportStateTime{s.Text(0), s.Text(1), s.Int(2), s.Int(3), s.Int(4)};
    });
    if (!rows.ok()) return rows.status();
    out.state_times = std::move(rows).value();
  }
  {
    Query q(c, period.filtered() ? sql::kReportCycleTimesOfDays : sql::kReportCycleTimes,
            "report cycle times");
    if (period.filtered()) q.Bind(first, last);
    auto rows = q.All([](const Statement& s) {
      return ReportCycleTime{s.Text(0), s.Text(1), s.Int(2), s.Int(3)};
    });
    if (!rows.ok()) return rows.status();
    out.cycle_times = std::move(rows).value();
  }
  return out;
}

}  // namespace

Result<ReportCounters> SqliteStore::ReadReportCounters(const ReportPeriod& period,
                                                       const std::string& status_workflow) {
  return OnReader([&](Connection& c) -> Result<ReportCounters> {
    RSOFLOW_RETURN_IF_ERROR(Query(c, sql::kBeginRead, "begin report read").Run());
    auto counters = ReadCounters(c, period, status_workflow);
    // Its statements are reset by now (each Query's scope ended), so the read ends cleanly.
    Status ended = Query(c, sql::kCommit, "end report read").Run();
    if (!counters.ok()) return counters.status();
    if (!ended.ok()) return ended;
    return counters;
  });
}

Result<std::vector<Instance>> SqliteStore::ListDueActiveInstances(int64_t now) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kListDueActiveInstances, "list due instances")
        .Bind(now)
        .All(ReadInstanceRow);
  });
}

}  // namespace rsoflow::db
