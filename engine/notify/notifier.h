// Notifier: writes the notifications a transition causes (DESIGN 9) into the outbox tables,
// inside the transition's own savepoint: a rolled-back transition leaves none, a committed one
// loses none (the dispatcher, api/notify_dispatcher.h, delivers them after the commit).
//
// What notifies whom:
//   - a user for whom the instance newly waits (its state changed, or it was created, and the
//     user may now fire an awaited event on it) gets item.waiting, in-app and by e-mail;
//   - a ballot's end (options.ballot_workflow entering a terminal state) notifies its
//     electorate and the secretariat (ballot.closed);
//   - every webhook gets the event types it subscribed to: instance.created,
//     instance.transitioned, ballot.opened, ballot.closed, document.attached, reminder.due.
// Reminders are timers named "remind:<when>:<what>" whose event is kRemindEvent, set and
// cleared with the timers and states they remind of (NotifyOptions::reminders); when one fires
// (FireReminder) it notifies reminder.due once and is gone.
//
// Thread-safety: the writer thread only, like the CommandProcessor that owns it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/access_policy.h"
#include "engine/audit.h"
#include "engine/clock.h"
#include "engine/notify/options.h"
#include "engine/store.h"
#include "engine/workflow_registry.h"

namespace rsoflow {

class Notifier {
 public:
  static constexpr const char* kRemindEvent = "remind";
  static constexpr const char* kReminderPrefix = "remind:";

  Notifier(Store& store, const Clock& clock, const WorkflowRegistry& registry,
           const AccessPolicy& policy, NotifyOptions options)
      : store_(store),
        clock_(clock),
        registry_(registry),
        policy_(policy),
        options_(std::move(options)) {}

  // The users `instance` waits for (role, scope, awaited events; DoneFor when `done_for`).
  Result<std::vector<Actor>> WaitingUsers(const Instance& instance, bool done_for);

  // After an accepted transition whose audit entry is `entry`: `waiting_before` is who the
  // instance waited for before (empty for a creation; computed only when the state changed).
  // Sets or clears the reminders of the effects; *earliest_set is lowered to the earliest
  // reminder it set.
  Status AfterTransition(const Instance& after, const std::string& from_state,
                         const std::vector<Actor>& waiting_before, const Effects& effects,
                         const AuditEntry& entry, int64_t* earliest_set);
  // After an audit entry of a write job (document.attached).
  Status AfterJobAudit(const AuditEntry& entry);
  // Fires the reminder timer `name` of `instance` (already deleted by the caller).
  Status FireReminder(const Instance& instance, const std::string& name);

 private:
  Status Notify(const std::vector<Actor>& users, const std::string& type, const Instance& inst,
                const Json& detail);
  Status Deliver(const std::string& type, const Instance* inst, const AuditEntry* entry,
                 const Json& extra);
  Status SetReminders(const Instance& after, const std::string& from_state, const Effects& effects,
                      int64_t* earliest_set);
  Result<std::vector<Actor>> UsersWithRoles(const Instance& inst,
                                            const std::vector<std::string>& roles);

  Store& store_;
  const Clock& clock_;
  const WorkflowRegistry& registry_;
  const AccessPolicy& policy_;
  const NotifyOptions options_;
};

}  // namespace rsoflow
