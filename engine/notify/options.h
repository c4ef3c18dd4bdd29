// What the notifications of DESIGN 9 are made of that is a setting rather than code: the
// reminders (which timers and states remind, when, and whom) and the workflow whose instances
// are ballots (ballot.opened, ballot.closed). The engine knows no workflow by name; the app
// fills these from the settings (app/notify_settings.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rsoflow {

struct ReminderRule {
  std::string workflow;
  // Before a timer: one reminder at each offset before the due_at of every timer of the
  // workflow whose name starts with timer_prefix (an offset of 0: when it falls due, overdue).
  std::string timer_prefix;
  std::vector<int64_t> before_ms;
  // Or idle: one reminder once the instance has stayed idle_ms in idle_state with no event.
  std::string idle_state;
  int64_t idle_ms = 0;
  // Who is reminded: the users the instance waits for (empty; a Council member who voted no
  // longer is one), or every active user of these roles who may see the instance.
  std::vector<std::string> roles;
};

struct NotifyOptions {
  bool enabled = true;
  std::string ballot_workflow;  // its creation is ballot.opened, its end ballot.closed
  std::vector<ReminderRule> reminders;
};

}  // namespace rsoflow
