#include "engine/command_processor.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/mandate_policy.h"
#include "engine/sha256.h"
#include "engine/string_list.h"
#include "engine/writer_env.h"

namespace rsoflow {

namespace {

std::string ActorId(const Actor& actor) {
  return actor.is_system() ? std::string("system") : actor.user_id;
}

// What makes two submissions "the same request" for idempotency.
std::string RequestFingerprint(const Command& c) {
  Json j = Json::MakeObject();
  j.Set("instance_id", c.instance_id);
  j.Set("start_workflow", c.start_workflow);
  j.Set("event", c.event);
  j.Set("data", c.data);
  j.Set("comment", c.comment);
  j.Set("expected_version", c.expected_version ? Json(*c.expected_version) : Json());
  j.Set("rso_id", c.rso_id);
  j.Set("subject_id", c.subject_id);
  // Only when set, so the requests stored before mandates existed keep their fingerprints.
  if (!c.on_behalf_of.empty()) j.Set("on_behalf_of", c.on_behalf_of);
  return Sha256Hex(j.Dump());
}

Json ResultToJson(const CommandResult& r) {
  Json j = Json::MakeObject();
  j.Set("instance", InstanceToJson(r.instance));
  j.Set("seq", r.seq);
  j.Set("hash", r.hash);
  return j;
}

CommandResult ResultFromJson(const Json& j) {
  CommandResult r;
  if (const Json* inst = j.Get("instance")) r.instance = InstanceFromJson(*inst);
  r.seq = j.GetInt("seq");
  r.hash = j.GetString("hash");
  r.replayed = true;
  return r;
}

}  // namespace

CommandProcessor::CommandProcessor(Store& store, const Clock& clock,
                                   const WorkflowRegistry& registry, const AccessPolicy& policy,
                                   int max_follow_up_depth, NotifyOptions notify)
    : store_(store),
      clock_(clock),
      registry_(registry),
      policy_(policy),
      max_follow_up_depth_(max_follow_up_depth),
      notifier_(store, clock, registry, policy, std::move(notify)) {}

Result<CommandResult> CommandProcessor::Run(const Command& c, bool* keep) {
  *keep = false;
  if (c.idempotency_key.size() > 128) {
    return Status::InvalidRequest("Idempotency-Key is longer than 128 characters",
                                  {"idempotency_key"});
  }
  std::string fingerprint;
  if (!c.idempotency_key.empty()) {
    fingerprint = RequestFingerprint(c);
    auto found = store_.FindIdempotency(ActorId(c.actor), c.idempotency_key);
    if (!found.ok()) return found.status();
    if (found->has_value()) {
      if ((*found)->request_hash != fingerprint) {
        return Status::IdempotencyKeyReused(
            "this Idempotency-Key was used for a different request");
      }
      return ResultFromJson((*found)->response);
    }
  }

  if (!c.timer_name.empty()) return RunTimer(c, keep);

  auto result = c.start_workflow.empty() ? FireCommand(c, 0) : StartCommand(c, 0);
  if (!result.ok()) {
    // The event and the reason may hold the caller's text: quoted with control characters
    // escaped, so a "\n" in an event name cannot forge a log line.
    spdlog::info("refused: user={} role={} instance={} workflow={} event={:?} request_id={}: {:?}",
                 c.actor.username, c.actor.role, c.instance_id, c.start_workflow, c.event,
                 c.request_id, result.status().ToString());
    return result;
  }
  if (!c.idempotency_key.empty()) {
    IdempotencyRecord record{ActorId(c.actor), c.idempotency_key, fingerprint,
                             ResultToJson(*result), clock_.NowMs()};
    RSOFLOW_RETURN_IF_ERROR(store_.PutIdempotency(record));
  }
  return result;
}

Result<CommandResult> CommandProcessor::RunTimer(const Command& c, bool* keep) {
  // A timer is consumed whether its event is accepted or refused, so it fires once.
  auto timer = store_.FindTimerForWrite(c.instance_id, c.timer_name);
  if (!timer.ok()) return timer.status();
  if (!timer->has_value() || (*timer)->due_at > clock_.NowMs()) {
    return Status::NotFound("timer is no longer pending");
  }
  if (c.event == Notifier::kRemindEvent) return RunReminder(c);
  RSOFLOW_RETURN_IF_ERROR(store_.Savepoint());
  const AuditHead before = state_.head;
  auto fired = FireCommand(c, 0);
  if (!fired.ok()) {
    state_.head = before;
    // What follows is kept: it must not keep a half of the refused event's writes.
    Status undone = store_.RollbackToSavepoint();
    if (!undone.ok()) {
      store_.ReleaseSavepoint();
      return undone;
    }
  }
  RSOFLOW_RETURN_IF_ERROR(store_.ReleaseSavepoint());
  if (!fired.ok() && fired.status().code() == Status::Code::kUnavailable &&
      !fired.status().undecidable()) {
    // A passing storage failure inside the event (a full disk, an I/O error): the timer
    // stays due, untouched, and the scheduler tries it again after its pause
    // (TimerScheduler::kRetryAfterStorageFailure). Putting it off as below would hold a
    // deadline back for minutes on a fault that may be gone in a second.
    return fired;
  }
  if (!fired.ok() && fired.status().code() == Status::Code::kUnavailable) {
    // Not the event refused but no decision at all (a workflow no longer registered, a
    // stored state it does not have, a machine that cannot restore its stored state,
    // follow-ups nested too deep, a storage error that repeats, such as a constraint the
    // event's writes break): the deadline must not be lost, nor tried every round,
    // where such timers would hold back the ones due after them. It is put off.
    TimerRow later = **timer;
    later.due_at = clock_.NowMs() + kTimerRetryMs;
    RSOFLOW_RETURN_IF_ERROR(store_.PutTimer(later));
    RSOFLOW_RETURN_IF_ERROR(RefreshDueAt(c.instance_id));
    state_.earliest_set_due = std::min(state_.earliest_set_due, later.due_at);
    state_.timers_touched = true;
    *keep = true;
    spdlog::warn("timer {} of instance {} ({}) could not fire, tried again at {}: {}", c.timer_name,
                 c.instance_id, c.event, FormatTime(later.due_at), fired.status().ToString());
    return Status::GuardFailed(
        {Reason{"timer_postponed", "the event could not be decided (" + fired.status().message() +
                                       "); the timer fires again at " + FormatTime(later.due_at)}});
  }
  if (!fired.ok()) {
    RSOFLOW_RETURN_IF_ERROR(store_.DeleteTimer(c.instance_id, c.timer_name));
    RSOFLOW_RETURN_IF_ERROR(RefreshDueAt(c.instance_id));
    state_.timers_touched = true;
    *keep = true;
    spdlog::warn("timer {} of instance {} ({}) refused: {}", c.timer_name, c.instance_id, c.event,
                 fired.status().ToString());
  }
  return fired;
}

Result<CommandResult> CommandProcessor::FireCommand(const Command& c, int depth) {
  auto loaded = store_.LoadInstanceForWrite(c.instance_id);
  if (!loaded.ok()) return AccessPolicy::NotFoundAsNoInstance(loaded.status(), c.instance_id);
  Instance inst = std::move(loaded).value();
  // Under a mandate the event runs as the user acted for: its role, its scope, its vote.
  std::optional<Actor> principal;
  if (!c.on_behalf_of.empty()) {
    auto acting =
        mandates::ActingForWrite(store_, c.actor, c.on_behalf_of, inst.workflow, clock_.NowMs());
    if (!acting.ok() && acting.status().code() == Status::Code::kForbidden &&
        !policy_.CanSee(c.actor, inst)) {
      return AccessPolicy::NoInstance(inst.id);
    }
    if (!acting.ok()) return acting.status();
    principal = std::move(acting).value();
  }
  const Actor& actor = principal ? *principal : c.actor;
  if (!policy_.CanSee(actor, inst)) return AccessPolicy::NoInstance(inst.id);
  const Workflow* wf = registry_.Find(inst.workflow);
  if (wf == nullptr) return Status::Undecidable("unknown workflow " + inst.workflow);
  const WorkflowMeta& meta = wf->Meta();
  if (meta.FindState(inst.state) == nullptr) {
    // Stored by another version of the code, or edited by hand: nothing can be decided from a
    // state the workflow does not know, and the fault is the server's, not the caller's.
    return Status::Undecidable("instance " + std::to_string(inst.id) + " is in state '" +
                               inst.state + "', which " + meta.name + " does not have");
  }
  if (meta.FindEvent(c.event) == nullptr) {
    return Status::InvalidRequest("unknown event '" + c.event + "' for " + meta.name, {"event"});
  }
  if (!meta.RoleMayFire(actor.role, c.event)) {
    return Status::Forbidden("role " + actor.role + " may not fire " + c.event + " on " +
                             meta.name);
  }
  if (c.expected_version && *c.expected_version != inst.version) {
    return Status::VersionMismatch("the instance has changed since it was read", inst.version);
  }
  if (inst.terminal || !meta.HasTransition(inst.state, c.event)) {
    return Status::InvalidTransition(
        "event '" + c.event + "' is not allowed in state '" + inst.state + "'", inst.state,
        policy_.AllowedEvents(inst, actor));
  }
  if (!c.timer_name.empty()) {
    RSOFLOW_RETURN_IF_ERROR(store_.DeleteTimer(inst.id, c.timer_name));
    state_.timers_touched = true;
  }

  WriterEnv env(store_);
  const int64_t now = clock_.NowMs();
  FireRequest request{inst, c.event, actor, c.data, c.comment, now, env, &inst.data};
  if (principal) request.delegate = &c.actor;  // its own exclusions apply too
  auto outcome = wf->Fire(request);
  if (!outcome.ok()) return outcome.status();

  // Who the instance waited for before, when it moves on: only those newly waiting are told.
  // Its data may have been taken by the workflow (instance_data_to_take), so DoneFor is not
  // asked: counting more users as waiting before only tells fewer.
  std::vector<Actor> waiting_before;
  if (outcome->to_state != inst.state) {
    auto before = notifier_.WaitingUsers(inst, false);
    if (!before.ok()) return before.status();
    waiting_before = std::move(before).value();
  }
  const std::string from = inst.state;
  inst.state = outcome->to_state;
  inst.data = std::move(outcome->data);
  inst.version += 1;
  inst.updated_at = now;
  inst.terminal = meta.IsTerminal(inst.state);
  const bool renamed = outcome->effects.new_title && *outcome->effects.new_title != inst.title;
  if (renamed) inst.title = *outcome->effects.new_title;
  RSOFLOW_RETURN_IF_ERROR(
      ApplyEffects(inst, outcome->effects, inst.state != from || renamed, !c.timer_name.empty()));
  auto entry = AppendAudit(inst, c.event, from, c);
  if (!entry.ok()) return entry.status();
  RSOFLOW_RETURN_IF_ERROR(Notify(inst, from, waiting_before, outcome->effects, c.event, c, *entry));

  RSOFLOW_RETURN_IF_ERROR(RunFollowUps(outcome->effects.follow_ups, c, depth));

  CommandResult result;
  if (outcome->effects.follow_ups.empty()) {
    result.instance = std::move(inst);
  } else {
    auto reloaded = store_.LoadInstanceForWrite(c.instance_id);
    if (!reloaded.ok()) return reloaded.status();
    result.instance = std::move(reloaded).value();
  }
  result.seq = entry->seq;
  result.hash = entry->hash;
  return result;
}

Result<CommandResult> CommandProcessor::StartCommand(const Command& c, int depth) {
  const Workflow* wf = registry_.Find(c.start_workflow);
  if (wf == nullptr) {
    return Status::InvalidRequest("unknown workflow '" + c.start_workflow + "'", {"workflow"});
  }
  const WorkflowMeta& meta = wf->Meta();
  if (!c.on_behalf_of.empty()) {
    return Status::InvalidRequest("instances are started for oneself, not under a mandate",
                                  {"on_behalf_of"});
  }
  if (!Contains(meta.create_roles, c.actor.role)) {
    return Status::Forbidden("role " + c.actor.role + " may not start " + meta.name);
  }
  if (c.actor.role == role::kLiaison && c.rso_id != c.actor.rso_id) {
    return Status::NotFound("no such RSO");
  }
  if (!c.import_state.empty()) {
    if (!c.actor.is_system()) return Status::Forbidden("only the system imports instances");
    if (meta.FindState(c.import_state) == nullptr) {
      return Status::InvalidRequest("unknown state '" + c.import_state + "' for " + meta.name,
                                    {"state"});
    }
  }
  WriterEnv env(store_);
  const int64_t now = clock_.NowMs();
  CreateRequest request{c.actor, c.data, c.rso_id, c.subject_id, now, env};
  auto outcome = wf->Create(request);
  if (!outcome.ok()) return outcome.status();

  Instance inst;
  inst.workflow = meta.name;
  inst.workflow_version = meta.version;
  inst.state = c.import_state.empty() ? meta.initial_state : c.import_state;
  inst.version = 1;
  inst.rso_id = outcome->rso_id.empty() ? c.rso_id : outcome->rso_id;
  inst.subject_id = c.subject_id;
  inst.title = outcome->title;
  inst.data = std::move(outcome->data);
  if (!c.import_state.empty() && c.import_data.is_object()) {
    for (const auto& [key, value] : c.import_data.AsObject()) inst.data.Set(key, value);
  }
  inst.created_at = now;
  inst.created_by = ActorId(c.actor);
  inst.updated_at = now;
  inst.terminal = meta.IsTerminal(inst.state);
  auto id = store_.InsertInstance(inst);
  if (!id.ok()) return id.status();
  inst.id = *id;
  if (!outcome->effects.set_timers.empty()) {
    RSOFLOW_RETURN_IF_ERROR(ApplyEffects(inst, outcome->effects, true, false));
  }
  std::optional<Command> imported;  // its audit entry records what was imported too
  if (!c.import_state.empty()) {
    imported = c;
    imported->data.Set("imported_state", c.import_state);
    imported->data.Set("imported_data", c.import_data);
  }
  auto entry = AppendAudit(inst, imported ? "import" : "create", "", imported ? *imported : c);
  if (!entry.ok()) return entry.status();
  RSOFLOW_RETURN_IF_ERROR(
      Notify(inst, "", {}, outcome->effects, imported ? "import" : "create", c, *entry));
  RSOFLOW_RETURN_IF_ERROR(RunFollowUps(outcome->effects.follow_ups, c, depth));
  CommandResult result;
  auto reloaded = store_.LoadInstanceForWrite(inst.id);
  if (!reloaded.ok()) return reloaded.status();
  result.instance = std::move(reloaded).value();
  result.seq = entry->seq;
  result.hash = entry->hash;
  return result;
}

Status CommandProcessor::RunFollowUps(const std::vector<FollowUp>& follow_ups, const Command& cause,
                                      int depth) {
  for (const FollowUp& f : follow_ups) {
    if (depth + 1 > max_follow_up_depth_) {
      return Status::Undecidable("follow-up commands nested deeper than allowed");
    }
    Command fc;
    fc.instance_id = f.instance_id;
    fc.start_workflow = f.start_workflow;
    fc.event = f.event.empty() ? "create" : f.event;
    fc.actor = Actor::System();
    fc.data = f.data;
    fc.comment = f.comment;
    fc.request_id = cause.request_id;
    fc.rso_id = f.rso_id;
    fc.subject_id = f.subject_id;
    auto r = f.start_workflow.empty() ? FireCommand(fc, depth + 1) : StartCommand(fc, depth + 1);
    if (!r.ok()) return r.status();
  }
  return Status::Ok();
}

Status CommandProcessor::ApplyEffects(Instance& inst, const Effects& effects,
                                      bool state_or_title_changed, bool consumed_timer) {
  const bool touches = inst.terminal || effects.clear_all_timers || !effects.clear_timers.empty() ||
                       !effects.set_timers.empty() || consumed_timer;
  if (inst.terminal || effects.clear_all_timers) {
    RSOFLOW_RETURN_IF_ERROR(store_.DeleteTimers(inst.id));
  }
  for (const auto& name : effects.clear_timers) {
    RSOFLOW_RETURN_IF_ERROR(store_.DeleteTimer(inst.id, name));
  }
  if (!inst.terminal) {
    for (const auto& t : effects.set_timers) {
      RSOFLOW_RETURN_IF_ERROR(store_.PutTimer(TimerRow{inst.id, t.name, t.due_at, t.event}));
      state_.earliest_set_due = std::min(state_.earliest_set_due, t.due_at);
    }
  }
  if (touches) {
    state_.timers_touched = true;
    auto due = store_.EarliestTimerOf(inst.id);
    if (!due.ok()) return due.status();
    inst.due_at = *due;
  }
  // Most commands (a vote, a progress report, a revision) change only the data: the narrow
  // write leaves the row's indexed columns, and so its indexes, alone.
  if (!touches && !state_or_title_changed) return store_.UpdateInstanceData(inst);
  return store_.UpdateInstance(inst);
}

Status CommandProcessor::RefreshDueAt(int64_t instance_id) {
  auto inst = store_.LoadInstanceForWrite(instance_id);
  if (!inst.ok() && inst.status().code() == Status::Code::kNotFound) return Status::Ok();
  if (!inst.ok()) return inst.status();
  auto due = store_.EarliestTimerOf(instance_id);
  if (!due.ok()) return due.status();
  inst->due_at = *due;
  return store_.UpdateInstance(*inst);
}

}  // namespace rsoflow
