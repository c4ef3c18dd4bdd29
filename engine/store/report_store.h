// ReportStore: what GET /reports/summary reads, one part of the Store (engine/store.h): the
// counters the store keeps in the same transaction as each change of an instance or append to
// the audit trail (on SQLite, triggers of migration 0013), the RSOs with their status, and the
// active instances that are due. Reader side only (thread-safe, the last committed state).
// A storage failure is Code::kUnavailable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/instance.h"
#include "engine/status.h"

namespace rsoflow {

// Days since 1970-01-01 UTC, both inclusive; either may be absent (no bound).
struct ReportPeriod {
  std::optional<int64_t> from_day;
  std::optional<int64_t> to_day;
  bool filtered() const { return from_day.has_value() || to_day.has_value(); }
};

// Instances now in (workflow, state).
struct ReportCount {
  std::string workflow, state;
  int64_t count = 0;
};

// An RSO record now, with the state of its latest instance of the status workflow ('' none).
struct ReportRso {
  std::string id, acronym, region, status;
};

// One histogram bucket of the periods spent in a state (that ended): `bucket_hours` is the
// bucket's lower bound in hours; it is one hour wide below 48, a day wide from 48 on.
struct ReportStateTime {
  std::string workflow, state;
  int64_t bucket_hours = 0;
  int64_t samples = 0;
  int64_t sum_ms = 0;
};

// Instances of a workflow and RSO ('' for none) that reached a terminal state, and the sum of
// their times from creation to it.
struct ReportCycleTime {
  std::string workflow, rso_id;
  int64_t completed = 0;
  int64_t sum_ms = 0;
};

struct ReportCounters {
  std::vector<ReportCount> by_state;  // now, by (workflow, state), counts of 0 left out
  std::vector<std::pair<std::string, int64_t>> active_by_rso;  // now, by RSO ('' none)
  std::vector<ReportRso> rsos;                                 // now, by id
  std::vector<ReportStateTime> state_times;  // periods that ended in the period, by key
  std::vector<ReportCycleTime> cycle_times;  // instances that ended in the period, by key
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;

  // The counters, read in one snapshot. The RSOs are the records of kind "rso"; an RSO's
  // status is the state of its latest instance of `status_workflow` ('' for none).
  virtual Result<ReportCounters> ReadReportCounters(const ReportPeriod& period,
                                                    const std::string& status_workflow) = 0;
  // Active instances due (due_at) at or before `now`, by id: a range of an index of the
  // active instances by due time. Without their data (an empty object): the overdue list
  // needs only the row's columns, and parsing every due instance's data cost most of it.
  virtual Result<std::vector<Instance>> ListDueActiveInstances(int64_t now) = 0;
};

}  // namespace rsoflow
