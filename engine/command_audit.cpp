// The command processor's record of what a command did (engine/command_processor.h): the audit
// entry each transition, start or job appends to the hash chain, and the outbox rows each
// entry causes (notifications, webhook deliveries, reminders), written in the same savepoint
// (DESIGN 3.3 and 9). Split from command_processor.cpp, which runs the commands.
#include <algorithm>
#include <cstdint>

#include "engine/command_processor.h"
#include "engine/random.h"

namespace rsoflow {

Result<AuditHead> CommandProcessor::AppendAudit(const Instance& inst, const std::string& event,
                                                const std::string& from_state, const Command& c) {
  AuditEntry e;
  e.seq = state_.head.seq + 1;
  e.at = clock_.NowMs();
  e.instance_id = inst.id;
  e.workflow = inst.workflow;
  e.workflow_version = inst.workflow_version;
  e.event = event;
  e.from_state = from_state;
  e.to_state = inst.state;
  e.actor_user_id = c.actor.user_id;
  e.actor_username = c.actor.username;
  e.actor_role = c.actor.role;
  e.on_behalf_of = c.on_behalf_of;  // FireCommand accepted the mandate (StartCommand refuses one)
  e.comment = c.comment;
  e.data = c.data;
  e.request_id = c.request_id;
  e.idempotency_key = c.idempotency_key;
  e.client_ip = c.client_ip;
  e.token_id = c.token_id;
  e.token_issued_by = c.token_issued_by;
  return Chain(std::move(e));
}

Result<AuditHead> CommandProcessor::AppendJobAudit(AuditEntry entry) {
  entry.seq = state_.head.seq + 1;
  entry.at = clock_.NowMs();
  AuditEntry told;  // what the notifier reads of it (document.attached)
  told.instance_id = entry.instance_id;
  told.event = entry.event;
  told.data = entry.data;
  told.actor_user_id = entry.actor_user_id;
  auto head = Chain(std::move(entry));
  if (!head.ok()) return head;
  told.seq = head->seq;
  told.hash = head->hash;
  RSOFLOW_RETURN_IF_ERROR(notifier_.AfterJobAudit(told));
  return head;
}

Status CommandProcessor::Notify(const Instance& after, const std::string& from_state,
                                const std::vector<Actor>& waiting_before, const Effects& effects,
                                const std::string& event, const Command& c, const AuditHead& head) {
  AuditEntry told;
  told.seq = head.seq;
  told.hash = head.hash;
  told.event = event;
  told.actor_user_id = c.actor.user_id;
  int64_t earliest = INT64_MAX;
  RSOFLOW_RETURN_IF_ERROR(
      notifier_.AfterTransition(after, from_state, waiting_before, effects, told, &earliest));
  if (earliest != INT64_MAX) {
    state_.timers_touched = true;
    state_.earliest_set_due = std::min(state_.earliest_set_due, earliest);
  }
  return Status::Ok();
}

Result<CommandResult> CommandProcessor::RunReminder(const Command& c) {
  RSOFLOW_RETURN_IF_ERROR(store_.DeleteTimer(c.instance_id, c.timer_name));
  state_.timers_touched = true;
  auto inst = store_.LoadInstanceForWrite(c.instance_id);
  if (!inst.ok()) return inst.status();
  RSOFLOW_RETURN_IF_ERROR(notifier_.FireReminder(*inst, c.timer_name));
  CommandResult result;
  result.instance = std::move(inst).value();
  result.seq = state_.head.seq;
  result.hash = state_.head.hash;
  return result;
}

Result<AuditHead> CommandProcessor::Chain(AuditEntry e) {
  auto salt = RandomHex(16);
  if (!salt) return Status::Unavailable("the system random number generator failed");
  e.salt = std::move(*salt);
  e.prev_hash = state_.head.hash;
  e.hash = audit::ComputeHash(e);
  RSOFLOW_RETURN_IF_ERROR(store_.AppendAudit(e));
  state_.head = AuditHead{e.seq, e.hash};
  return state_.head;
}

}  // namespace rsoflow
