// The power-loss test's workload (tests/db/power_loss_test.cpp): a script of commands through
// the real engine on a database file that touches all four workflows, their follow-ups and
// their timers, one command at a time so that it makes the same writes and syncs on every
// run until the power goes. It stops at the first command not answered ok and remembers it,
// with everything that was acknowledged before.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/sqlite_store.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/timer_scheduler.h"
#include "engine/workflow_registry.h"

namespace rsoflow::testing {

// Who acts, and what the workload needs to exist in the database it starts from.
struct Cast {
  Actor sec;
  std::vector<Actor> council;  // five
  std::string rso;             // a recognized RSO
  std::string iso_event;       // an ISO event of that RSO that has ended
};

// A server on one database file: the store, the engine and a timer scheduler whose thread is
// never started (the workload fires due timers itself, one at a time).
struct Node {
  Status Open(const std::string& path, FakeClock& clock, const WorkflowRegistry& registry);
  void Close();
  std::unique_ptr<db::SqliteStore> store;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<TimerScheduler> timers;
  FakeClock* clock = nullptr;
};

struct Acknowledged {
  std::string key;  // the command's Idempotency-Key
  int64_t seq = 0;  // its audit entry, as answered
  std::string hash;
};

// A due timer fired and acknowledged (FireDue counted it accepted).
struct FiredTimer {
  int64_t instance_id = 0;
  std::string event;
};

// A document upload answered with its row (AttachDocument returned it).
struct AttachedDocument {
  int64_t id = 0;
  int64_t instance_id = 0;
  std::string sha256;
  int64_t supersedes = 0;  // 0: none
};

class Workload {
 public:
  Workload(Node& node, FakeClock& clock, const WorkflowRegistry& registry, std::string path,
           Cast cast)
      : node_(node), clock_(clock), registry_(registry), path_(std::move(path)), cast_(cast) {}

  // Runs `rounds` rounds of the script, restarting the node after round `restart_after`
  // (negative: never), until the end or the first failure.
  void Run(int rounds, int restart_after);
  bool stopped() const { return stopped_; }
  int commands() const { return commands_; }

  std::vector<Acknowledged> acknowledged;
  std::vector<FiredTimer> timers_fired;
  std::vector<AttachedDocument> documents;
  // The command that failed, to be sent again after the restart; none when the workload
  // stopped at a timer, a read or a restart.
  std::optional<Command> in_flight;
  // The timer that was due when the workload stopped at it (to be fired after the restart).
  std::optional<FiredTimer> in_flight_timer;

 private:
  void Round(int r);
  // Sends the command with the next Idempotency-Key; nullopt (and stopped) when not ok.
  std::optional<CommandResult> Send(Command c);
  std::optional<CommandResult> Start(const std::string& workflow, const Actor& who, Json data,
                                     const std::string& rso = "");
  std::optional<CommandResult> Fire(int64_t id, const std::string& event, const Actor& who,
                                    Json data = Json::MakeObject(),
                                    const std::string& comment = "");
  // Uploads `size` bytes as a PDF to `instance` (replacing `supersedes` unless 0); the new
  // document's id, or 0 (and stopped) when the upload failed.
  int64_t Attach(int64_t instance, const std::string& filename, size_t size,
                 int64_t supersedes = 0);
  // Moves the clock on and fires the one timer now due, expected to be `event` on `id`.
  bool AdvanceAndFire(std::chrono::milliseconds by, int64_t id, const std::string& event);
  // The open ballot about an RSO (read through a reader connection).
  std::optional<int64_t> OpenBallotOf(const std::string& rso);

  Node& node_;
  FakeClock& clock_;
  const WorkflowRegistry& registry_;
  const std::string path_;
  const Cast cast_;
  bool stopped_ = false;
  int commands_ = 0;
};

}  // namespace rsoflow::testing
