#include "app/notify_settings.h"

#include "engine/clock.h"
#include "engine/instance.h"

namespace rsoflow {

NotifyOptions DefaultNotifyOptions(const ReminderPeriods& periods) {
  constexpr int64_t kMsPerHour = 3600 * 1000;
  NotifyOptions o;
  o.ballot_workflow = "council_ballot";
  ReminderRule ballot;
  ballot.workflow = "council_ballot";
  ballot.timer_prefix = "deadline";
  for (int64_t h : periods.ballot_hours) ballot.before_ms.push_back(h * kMsPerHour);
  o.reminders.push_back(ballot);
  ReminderRule action;
  action.workflow = "momentum_plan";
  action.timer_prefix = "action:";
  action.before_ms = {periods.action_days * kMsPerDay, 0};
  action.roles = {role::kLiaison, role::kSecretariat};
  o.reminders.push_back(action);
  ReminderRule returned;
  returned.workflow = "rso_recognition";
  returned.idle_state = "returned";
  returned.idle_ms = periods.returned_idle_days * kMsPerDay;
  o.reminders.push_back(returned);
  return o;
}

}  // namespace rsoflow
