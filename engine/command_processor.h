// CommandProcessor: what one command does, inside the writer's open savepoint (command_writer.h
// runs it). Each command is checked at one choke point, in this order: the instance exists and
// the caller may see it (scope; otherwise NotFound, so existence does not leak), its workflow
// and state are known to this code (Unavailable), the event is known (InvalidRequest), the
// caller's role may fire it (Forbidden), expected_version (VersionMismatch), a row exists from
// the current state (InvalidTransition), then the workflow's guards. Accepted transitions
// append one audit entry each (AppendAudit, the one place an entry is built); follow-up
// commands run in the same transaction as actor `system`. It also answers repeated
// Idempotency-Keys, consumes (or puts off) due timers, and writes the effects' timers and the
// notifications the transition causes (engine/notify/notifier.h), in the same transaction.
//
// Thread-safety: only the writer thread calls it. Its batch state (the audit head, the timers
// the batch set) is saved before each item and restored when the item is rolled back (Mark).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/access_policy.h"
#include "engine/audit.h"
#include "engine/clock.h"
#include "engine/command.h"
#include "engine/notify/notifier.h"
#include "engine/store.h"
#include "engine/workflow_registry.h"

namespace rsoflow {

class CommandProcessor {
 public:
  // A due timer whose event could not be decided (answered unavailable by its workflow) is put
  // off by this long, again and again, instead of being consumed.
  static constexpr int64_t kTimerRetryMs = 5 * 60 * 1000;

  // What a rolled-back item or batch must undo beside the database.
  struct Mark {
    AuditHead head;
    bool timers_touched = false;
    int64_t earliest_set_due = INT64_MAX;
  };

  CommandProcessor(Store& store, const Clock& clock, const WorkflowRegistry& registry,
                   const AccessPolicy& policy, int max_follow_up_depth, NotifyOptions notify = {});

  // Runs one command inside the current savepoint. *keep is set when the savepoint must be
  // kept although the result is a failure (a refused timer is still consumed).
  Result<CommandResult> Run(const Command& command, bool* keep);

  // Appends `entry` to the audit chain for a write job whose change is not a workflow command
  // (users, tokens): sets seq, at, salt, prev_hash and hash; the rest is the caller's. Runs on
  // the writer thread inside the job's savepoint, so a job that fails takes it back.
  Result<AuditHead> AppendJobAudit(AuditEntry entry);

  void SetHead(const AuditHead& head) { state_.head = head; }
  const AuditHead& head() const { return state_.head; }
  // A new batch has touched no timers yet.
  void BeginBatch() {
    state_.timers_touched = false;
    state_.earliest_set_due = INT64_MAX;
  }
  Mark Save() const { return state_; }
  void Restore(const Mark& mark) { state_ = mark; }
  // Whether the batch so far set or cleared timers, and the earliest due_at among those it set
  // (INT64_MAX when it only cleared some).
  bool timers_touched() const { return state_.timers_touched; }
  int64_t earliest_set_due() const { return state_.earliest_set_due; }

 private:
  // The command's timer: consumed whether its event is accepted or refused, or put off.
  Result<CommandResult> RunTimer(const Command& command, bool* keep);
  // A reminder's timer (Notifier::kRemindEvent): consumed, and its notifications written.
  Result<CommandResult> RunReminder(const Command& command);
  // Tells the notifier of an accepted transition (audit entry `head`), after its effects.
  Status Notify(const Instance& after, const std::string& from_state,
                const std::vector<Actor>& waiting_before, const Effects& effects,
                const std::string& event, const Command& command, const AuditHead& head);
  Result<CommandResult> FireCommand(const Command& command, int depth);
  Result<CommandResult> StartCommand(const Command& command, int depth);
  // Writes timers and the instance row, with due_at recomputed when the timers changed (set,
  // cleared, or `consumed_timer` by a timer's own event). A command that changed neither the
  // state (nor the title) nor the timers writes only the instance's data and version.
  Status ApplyEffects(Instance& instance, const Effects& effects, bool state_or_title_changed,
                      bool consumed_timer);
  // Sets the instance's due_at to its earliest timer, after a timer was moved or deleted.
  Status RefreshDueAt(int64_t instance_id);
  // Runs follow-ups as actor `system` in the current transaction; the first failure fails all.
  Status RunFollowUps(const std::vector<FollowUp>& follow_ups, const Command& cause, int depth);
  Result<AuditHead> AppendAudit(const Instance& instance, const std::string& event,
                                const std::string& from_state, const Command& command);
  // Salts, hashes and stores `entry` (seq and at set) after the head, and moves the head on.
  Result<AuditHead> Chain(AuditEntry entry);

  Store& store_;
  const Clock& clock_;
  const WorkflowRegistry& registry_;
  const AccessPolicy& policy_;
  const int max_follow_up_depth_;
  Notifier notifier_;
  Mark state_;
};

}  // namespace rsoflow
