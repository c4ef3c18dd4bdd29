// Test harness: a fresh SQLite database in its own temporary directory, a FakeClock, the
// engine's writer, optionally the timer scheduler, and quick ways to add users and to send
// commands. The registry holds the real workflows plus the test-only "counter" workflow.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "db/sqlite_store.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/timer_scheduler.h"

namespace rsoflow::testing {

// 2026-03-02T09:00:00Z, a Monday.
inline constexpr int64_t kT0 = 1772442000000;

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Runs a query on the database file at `db_path` through its own read-only connection and
// returns the first column of the first row as text ("" if none).
std::string QueryFile(const std::string& db_path, const std::string& sql);

class Harness {
 public:
  explicit Harness(bool with_timers = false);
  ~Harness();

  // Closes and reopens the database and engine (a "server restart"); timers fire at start.
  void Restart(bool with_timers = true);

  Actor AddUser(const std::string& username, const std::string& role,
                const std::string& rso_id = "", std::vector<std::string> affiliated = {});

  Result<CommandResult> Start(const std::string& workflow, const Actor& actor, Json data,
                              const std::string& rso_id = "", int64_t subject_id = 0);
  Result<CommandResult> Fire(int64_t instance_id, const std::string& event, const Actor& actor,
                             Json data = Json::MakeObject(), const std::string& comment = "");
  Instance Load(int64_t id);
  std::vector<AuditEntry> History(int64_t id);
  int64_t AuditCount();
  AuditVerifyResult VerifyAudit();
  // Runs a query and returns the first column of the first row as text ("" if none).
  std::string QueryText(const std::string& sql);

  FakeClock clock{kT0};
  TempDir dir;
  std::string db_path;
  WorkflowRegistry registry;
  std::unique_ptr<db::SqliteStore> store;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<TimerScheduler> scheduler;

 private:
  void Open(bool with_timers);
  void Close();
};

// Json from a literal, failing the test on a syntax error.
Json J(const std::string& text);

// For a guard_failed status: one snake_case reason code per reason, each with an English and
// a Russian label in `registry`'s label catalogue (GET /api/v1/labels). Every refusal the
// harness and the API fixture see is checked so, which makes the test suite's scenarios the
// check that no guard gives a reason without a labelled code.
void ExpectCodedReasons(const WorkflowRegistry& registry, const Status& status);

}  // namespace rsoflow::testing
