// Command: what a caller asks the engine to do (fire an event, start an instance), and the
// answer it gets once the change is committed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/instance.h"
#include "engine/json.h"

namespace rsoflow {

struct Command {
  int64_t instance_id = 0;     // fire `event` on this instance, or
  std::string start_workflow;  // start an instance of this workflow (event "create")
  std::string event;
  Actor actor;
  Json data = Json::MakeObject();
  std::string comment;
  std::string idempotency_key;
  std::optional<int64_t> expected_version;
  std::string request_id;
  std::string client_ip;
  // The token or session the command came with and who issued it (audit.h), for its audit
  // entry; empty for commands from inside the process (timers, seed, the command line).
  std::string token_id;
  std::string token_issued_by;
  // Fire only: the user the actor acts for under a mandate (engine/mandate_policy.h); the event
  // then runs with that user's role and scope, and the audit names both. Empty: for itself.
  std::string on_behalf_of;
  std::string rso_id;      // start only
  int64_t subject_id = 0;  // start only
  std::string timer_name;  // set by the timer scheduler only
  // Import of a historical record (seed only, actor system): the new instance is created
  // directly in this state with import_data merged into its data, audited as event "import".
  std::string import_state;
  Json import_data = Json::MakeObject();
};

struct CommandResult {
  Instance instance;  // as committed, after follow-ups
  int64_t seq = 0;    // this command's own audit entry
  std::string hash;
  bool replayed = false;  // answered from the idempotency store
};

}  // namespace rsoflow
