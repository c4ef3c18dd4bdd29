// Runtime: the wired-up process: the SQLite store (migrated, durability checked), the workflow
// registry, the engine's writer and, when asked, the timer scheduler. main() and the tests
// build one; nothing else owns these pieces.
//
// Thread-safety: construct and destroy from one thread; the members are thread-safe as
// documented on each.
#pragma once

#include <memory>
#include <string>

#include "db/sqlite_store.h"
#include "engine/engine.h"
#include "engine/timer_scheduler.h"
#include "engine/workflow_registry.h"
#include "workflows/registry.h"

namespace rsoflow {

class Runtime {
 public:
  // Opens (creating if needed) the database at db_path, holding its writer lock until the
  // runtime is destroyed (Unavailable "... is in use by another rsoflow process (pid N)" while
  // another process holds it), applies migrations, starts the writer, and with start_timers
  // also the timer scheduler (firing overdue timers first).
  static Result<std::unique_ptr<Runtime>> Open(const std::string& db_path, Clock& clock,
                                               bool start_timers, EngineOptions engine_options = {},
                                               WorkflowSettings workflow_settings = {});
  ~Runtime();

  db::SqliteStore& store() { return *store_; }
  Engine& engine() { return *engine_; }
  TimerScheduler* scheduler() { return scheduler_.get(); }
  const WorkflowRegistry& registry() const { return registry_; }
  Clock& clock() { return clock_; }

 private:
  explicit Runtime(Clock& clock) : clock_(clock) {}
  Clock& clock_;
  std::unique_ptr<db::SqliteStore> store_;
  WorkflowRegistry registry_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<TimerScheduler> scheduler_;
};

}  // namespace rsoflow
