// InstanceStore: workflow instances, one part of the Store (engine/store.h).
//
// The writer side (*ForWrite, Insert/Update, ActiveInstancesWithSubject) is called only by the
// engine's writer thread inside a transaction (engine/store/transactions.h); the reader side
// (GetInstance, ListInstances, CountInstancesByState) is thread-safe and sees the last
// committed state. A storage failure is Code::kUnavailable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/instance.h"
#include "engine/status.h"

namespace rsoflow {

struct InstanceQuery {
  std::string workflow;
  std::string state;
  std::string rso_id;
  std::optional<bool> active;  // true: non-terminal only; false: terminal only
  int64_t after_id = 0;        // keyset pagination: ids greater than this
  int limit = 50;
  std::optional<int64_t> due_by;  // only instances due (due_at) at or before this
};

// The active instances of one (workflow, state) in the inbox's order: by due time (undated
// last), then by id, after the position (after_due, after_id); after_due INT64_MAX is among the
// undated ones. Keyset pages of the index (workflow, state, due_at) of active instances.
struct DueOrderQuery {
  std::string workflow;
  std::string state;
  int64_t after_due = INT64_MIN;
  int64_t after_id = 0;
  std::optional<int64_t> due_by;  // only instances due at or before this (the undated never)
  int limit = 50;
};

struct StateCount {
  std::string workflow;
  std::string state;
  int64_t count = 0;
};

class InstanceStore {
 public:
  virtual ~InstanceStore() = default;

  // ---- writer side ----
  virtual Result<Instance> LoadInstanceForWrite(int64_t id) = 0;
  // Assigns and returns the new id.
  virtual Result<int64_t> InsertInstance(const Instance& instance) = 0;
  virtual Status UpdateInstance(const Instance& instance) = 0;
  // Writes only version, data and updated_at. Precondition: every other field of `instance`
  // is as stored (the store may keep `instance` as the row's current content).
  virtual Status UpdateInstanceData(const Instance& instance) = 0;
  virtual Result<std::vector<int64_t>> ActiveInstancesWithSubject(const std::string& workflow,
                                                                  int64_t subject_id) = 0;
  // Instances matching the query, as the writer's transaction sees them.
  virtual Result<std::vector<Instance>> FindInstancesForWrite(const InstanceQuery& query) = 0;

  // ---- reader side (thread-safe) ----
  virtual Result<Instance> GetInstance(int64_t id) = 0;
  virtual Result<std::vector<Instance>> ListInstances(const InstanceQuery& query) = 0;
  virtual Result<std::vector<Instance>> ListActiveByDue(const DueOrderQuery& query) = 0;
  // The RSO's latest (highest id) instance of `workflow`; none when it has none.
  virtual Result<std::optional<Instance>> LatestInstanceOfRso(const std::string& workflow,
                                                              const std::string& rso_id) = 0;
  // Instances per (workflow, state), sorted.
  virtual Result<std::vector<StateCount>> CountInstancesByState() = 0;
};

}  // namespace rsoflow
