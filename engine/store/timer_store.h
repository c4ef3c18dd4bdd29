// TimerStore: the instances' pending timers (DESIGN 3.5), one part of the Store
// (engine/store.h).
//
// The writer side (Put/Delete, *ForWrite, EarliestTimerOf) is called only by the engine's
// writer thread inside a transaction, in the one that sets or clears them; the reader side
// (DueTimers, NextTimerDue, for engine/timer_scheduler.h) is thread-safe and sees the last
// committed state. A storage failure is Code::kUnavailable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"

namespace rsoflow {

struct TimerRow {
  int64_t instance_id = 0;
  std::string name;
  int64_t due_at = 0;
  std::string event;
};

class TimerStore {
 public:
  virtual ~TimerStore() = default;

  // ---- writer side ----
  virtual Status PutTimer(const TimerRow& timer) = 0;
  virtual Status DeleteTimer(int64_t instance_id, const std::string& name) = 0;
  virtual Status DeleteTimers(int64_t instance_id) = 0;
  virtual Result<std::optional<TimerRow>> FindTimerForWrite(int64_t instance_id,
                                                            const std::string& name) = 0;
  virtual Result<std::optional<int64_t>> EarliestTimerOf(int64_t instance_id) = 0;

  // ---- reader side (thread-safe) ----
  virtual Result<std::vector<TimerRow>> DueTimers(int64_t now, int limit) = 0;
  virtual Result<std::optional<int64_t>> NextTimerDue() = 0;
};

}  // namespace rsoflow
